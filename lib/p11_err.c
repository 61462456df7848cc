/*
 * p11_err.c - words for CK_RV codes and the error-detail record that every
 * PKCS#11 failure fills in.  No secrets here: detail strings never quote
 * a PIN or key material.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "p11_int.h"

struct rv_name {
	CK_RV rv;
	const char *name;
};

#define R(x) { x, #x }
static const struct rv_name rv_names[] = {
	R(CKR_OK),
	R(CKR_CANCEL),
	R(CKR_HOST_MEMORY),
	R(CKR_SLOT_ID_INVALID),
	R(CKR_GENERAL_ERROR),
	R(CKR_FUNCTION_FAILED),
	R(CKR_ARGUMENTS_BAD),
	R(CKR_NO_EVENT),
	R(CKR_NEED_TO_CREATE_THREADS),
	R(CKR_CANT_LOCK),
	R(CKR_ATTRIBUTE_READ_ONLY),
	R(CKR_ATTRIBUTE_SENSITIVE),
	R(CKR_ATTRIBUTE_TYPE_INVALID),
	R(CKR_ATTRIBUTE_VALUE_INVALID),
	R(CKR_ACTION_PROHIBITED),
	R(CKR_DATA_INVALID),
	R(CKR_DATA_LEN_RANGE),
	R(CKR_DEVICE_ERROR),
	R(CKR_DEVICE_MEMORY),
	R(CKR_DEVICE_REMOVED),
	R(CKR_ENCRYPTED_DATA_INVALID),
	R(CKR_ENCRYPTED_DATA_LEN_RANGE),
	R(CKR_FUNCTION_CANCELED),
	R(CKR_FUNCTION_NOT_PARALLEL),
	R(CKR_FUNCTION_NOT_SUPPORTED),
	R(CKR_KEY_HANDLE_INVALID),
	R(CKR_KEY_SIZE_RANGE),
	R(CKR_KEY_TYPE_INCONSISTENT),
	R(CKR_KEY_NOT_NEEDED),
	R(CKR_KEY_CHANGED),
	R(CKR_KEY_NEEDED),
	R(CKR_KEY_INDIGESTIBLE),
	R(CKR_KEY_FUNCTION_NOT_PERMITTED),
	R(CKR_KEY_NOT_WRAPPABLE),
	R(CKR_KEY_UNEXTRACTABLE),
	R(CKR_MECHANISM_INVALID),
	R(CKR_MECHANISM_PARAM_INVALID),
	R(CKR_OBJECT_HANDLE_INVALID),
	R(CKR_OPERATION_ACTIVE),
	R(CKR_OPERATION_NOT_INITIALIZED),
	R(CKR_PIN_INCORRECT),
	R(CKR_PIN_INVALID),
	R(CKR_PIN_LEN_RANGE),
	R(CKR_PIN_EXPIRED),
	R(CKR_PIN_LOCKED),
	R(CKR_SESSION_CLOSED),
	R(CKR_SESSION_COUNT),
	R(CKR_SESSION_HANDLE_INVALID),
	R(CKR_SESSION_PARALLEL_NOT_SUPPORTED),
	R(CKR_SESSION_READ_ONLY),
	R(CKR_SESSION_EXISTS),
	R(CKR_SESSION_READ_ONLY_EXISTS),
	R(CKR_SESSION_READ_WRITE_SO_EXISTS),
	R(CKR_SIGNATURE_INVALID),
	R(CKR_SIGNATURE_LEN_RANGE),
	R(CKR_TEMPLATE_INCOMPLETE),
	R(CKR_TEMPLATE_INCONSISTENT),
	R(CKR_TOKEN_NOT_PRESENT),
	R(CKR_TOKEN_NOT_RECOGNIZED),
	R(CKR_TOKEN_WRITE_PROTECTED),
	R(CKR_UNWRAPPING_KEY_SIZE_RANGE),
	R(CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT),
	R(CKR_USER_ALREADY_LOGGED_IN),
	R(CKR_USER_NOT_LOGGED_IN),
	R(CKR_USER_PIN_NOT_INITIALIZED),
	R(CKR_USER_TYPE_INVALID),
	R(CKR_USER_ANOTHER_ALREADY_LOGGED_IN),
	R(CKR_USER_TOO_MANY_TYPES),
	R(CKR_WRAPPED_KEY_INVALID),
	R(CKR_WRAPPED_KEY_LEN_RANGE),
	R(CKR_WRAPPING_KEY_HANDLE_INVALID),
	R(CKR_WRAPPING_KEY_SIZE_RANGE),
	R(CKR_WRAPPING_KEY_TYPE_INCONSISTENT),
	R(CKR_RANDOM_SEED_NOT_SUPPORTED),
	R(CKR_RANDOM_NO_RNG),
	R(CKR_DOMAIN_PARAMS_INVALID),
	R(CKR_CURVE_NOT_SUPPORTED),
	R(CKR_BUFFER_TOO_SMALL),
	R(CKR_SAVED_STATE_INVALID),
	R(CKR_INFORMATION_SENSITIVE),
	R(CKR_STATE_UNSAVEABLE),
	R(CKR_CRYPTOKI_NOT_INITIALIZED),
	R(CKR_CRYPTOKI_ALREADY_INITIALIZED),
	R(CKR_MUTEX_BAD),
	R(CKR_MUTEX_NOT_LOCKED),
	R(CKR_NEW_PIN_MODE),
	R(CKR_NEXT_OTP),
	R(CKR_EXCEEDED_MAX_ITERATIONS),
	R(CKR_FIPS_SELF_TEST_FAILED),
	R(CKR_LIBRARY_LOAD_FAILED),
	R(CKR_PIN_TOO_WEAK),
	R(CKR_PUBLIC_KEY_INVALID),
	R(CKR_FUNCTION_REJECTED),
};
#undef R

const char *
escrow_p11_rv_name(unsigned long rv)
{
	static char buf[48];
	size_t i;

	for (i = 0; i < sizeof rv_names / sizeof rv_names[0]; i++)
		if (rv_names[i].rv == rv)
			return rv_names[i].name;
	if (rv >= CKR_VENDOR_DEFINED)
		snprintf(buf, sizeof buf, "CKR_VENDOR_DEFINED+0x%lx",
		    rv - CKR_VENDOR_DEFINED);
	else
		snprintf(buf, sizeof buf, "CKR_0x%lx", rv);
	return buf;
}

void
escrow_p11_i_err_clear(struct escrow_p11_error *err)
{
	if (err == NULL)
		return;
	memset(err, 0, sizeof *err);
	err->rv_name = "";
}

static void
vdetail(struct escrow_p11_error *err, const char *fmt, va_list ap)
{
	vsnprintf(err->detail, sizeof err->detail, fmt, ap);
}

int
escrow_p11_i_fail_rv(struct escrow_p11_error *err, int code, const char *fn, CK_RV rv,
    const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	escrow_p11_i_err_clear(err);
	snprintf(err->function, sizeof err->function, "%s", fn);
	err->rv = rv;
	err->rv_name = escrow_p11_rv_name(rv);
	va_start(ap, fmt);
	vdetail(err, fmt, ap);
	va_end(ap);
	return code;
}

int
escrow_p11_i_fail(struct escrow_p11_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	escrow_p11_i_err_clear(err);
	va_start(ap, fmt);
	vdetail(err, fmt, ap);
	va_end(ap);
	return code;
}

int
escrow_p11_i_rv_is_hard(CK_RV rv)
{
	switch (rv) {
	case CKR_HOST_MEMORY:
	case CKR_DEVICE_ERROR:
	case CKR_DEVICE_MEMORY:
	case CKR_DEVICE_REMOVED:
	case CKR_FUNCTION_CANCELED:
	case CKR_SESSION_CLOSED:
	case CKR_SESSION_HANDLE_INVALID:
	case CKR_TOKEN_NOT_PRESENT:
	case CKR_TOKEN_NOT_RECOGNIZED:
	case CKR_USER_NOT_LOGGED_IN:
	case CKR_CRYPTOKI_NOT_INITIALIZED:
		return 1;
	}
	return 0;
}

int
escrow_p11_i_has_mech(struct escrow_p11 *p, CK_MECHANISM_TYPE m, CK_FLAGS need)
{
	CK_MECHANISM_INFO info;
	CK_ULONG i;
	size_t j;
	CK_RV rv;

	for (i = 0; i < p->nmechs; i++) {
		if (p->mechs[i] != m)
			continue;
		if (need == 0)
			return 1;
		for (j = 0; j < p->nmechinfo; j++)
			if (p->mechinfo[j].m == m)
				return (p->mechinfo[j].flags & need) == need;
		/* some modules OR into flags without clearing them first */
		memset(&info, 0, sizeof info);
		rv = p->mod->C_GetMechanismInfo(p->slot, m, &info);
		if (rv != CKR_OK) {
			if (escrow_p11_i_rv_is_hard(rv)) {
				p->hard_fn = "C_GetMechanismInfo";
				p->hard_rv = rv;
			}
			return 0;
		}
		if (p->nmechinfo < sizeof p->mechinfo / sizeof p->mechinfo[0]) {
			p->mechinfo[p->nmechinfo].m = m;
			p->mechinfo[p->nmechinfo++].flags = info.flags;
		}
		return (info.flags & need) == need;
	}
	return 0;
}

const char *
escrow_p11_class_name(unsigned long object_class)
{
	switch (object_class) {
	case CKO_PRIVATE_KEY: return "private key";
	case CKO_PUBLIC_KEY: return "public key";
	case CKO_SECRET_KEY: return "secret key";
	case CKO_DATA: return "data";
	case CKO_CERTIFICATE: return "certificate";
	default: return "other";
	}
}

const char *
escrow_p11_strategy_name(enum escrow_p11_strategy s)
{
	switch (s) {
	case ESCROW_P11_AUTO: return "auto";
	case ESCROW_P11_UNWRAP: return "unwrap";
	case ESCROW_P11_TRANSPORT: return "transport";
	case ESCROW_P11_CREATE: return "create";
	}
	return "unknown";
}

int
escrow_p11_strategy_parse(const char *name)
{
	static const enum escrow_p11_strategy all[] = { ESCROW_P11_AUTO,
	    ESCROW_P11_UNWRAP, ESCROW_P11_TRANSPORT, ESCROW_P11_CREATE };
	size_t i;

	if (name == NULL)
		return -1;
	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		if (strcmp(name, escrow_p11_strategy_name(all[i])) == 0)
			return (int)all[i];
	return -1;
}

struct mech_name {
	CK_MECHANISM_TYPE m;
	const char *name;
};

#define M(x) { x, #x }
static const struct mech_name mech_names[] = {
	M(CKM_RSA_PKCS_KEY_PAIR_GEN), M(CKM_RSA_PKCS), M(CKM_RSA_X_509),
	M(CKM_RSA_PKCS_OAEP), M(CKM_RSA_PKCS_PSS), M(CKM_SHA1_RSA_PKCS),
	M(CKM_SHA256_RSA_PKCS), M(CKM_SHA384_RSA_PKCS), M(CKM_SHA512_RSA_PKCS),
	M(CKM_SHA256_RSA_PKCS_PSS), M(CKM_SHA512_RSA_PKCS_PSS),
	M(CKM_SHA_1), M(CKM_SHA256), M(CKM_SHA384), M(CKM_SHA512),
	M(CKM_EC_KEY_PAIR_GEN), M(CKM_ECDSA), M(CKM_ECDSA_SHA1),
	M(CKM_ECDSA_SHA256), M(CKM_ECDSA_SHA384), M(CKM_ECDSA_SHA512),
	M(CKM_ECDH1_DERIVE), M(CKM_EC_EDWARDS_KEY_PAIR_GEN), M(CKM_EDDSA),
	M(CKM_AES_KEY_GEN), M(CKM_AES_ECB), M(CKM_AES_CBC), M(CKM_AES_CBC_PAD),
	M(CKM_AES_GCM), M(CKM_AES_CMAC), M(CKM_AES_KEY_WRAP),
	M(CKM_AES_KEY_WRAP_PAD), M(CKM_AES_KEY_WRAP_KWP),
	M(CKM_GENERIC_SECRET_KEY_GEN), M(CKM_AES_CTR), M(CKM_AES_CBC_ENCRYPT_DATA),
	M(CKM_AES_ECB_ENCRYPT_DATA), M(CKM_DES_KEY_GEN), M(CKM_DES_ECB),
	M(CKM_DES_CBC), M(CKM_DES_CBC_PAD), M(CKM_DES_ECB_ENCRYPT_DATA),
	M(CKM_DES_CBC_ENCRYPT_DATA), M(CKM_DES2_KEY_GEN), M(CKM_DES3_KEY_GEN),
	M(CKM_DES3_ECB), M(CKM_DES3_CBC), M(CKM_DES3_CBC_PAD), M(CKM_DES3_CMAC),
	M(CKM_DES3_ECB_ENCRYPT_DATA), M(CKM_DES3_CBC_ENCRYPT_DATA),
	M(CKM_DH_PKCS_KEY_PAIR_GEN), M(CKM_DH_PKCS_DERIVE),
	M(CKM_DH_PKCS_PARAMETER_GEN), M(CKM_DSA_KEY_PAIR_GEN),
	M(CKM_DSA_PARAMETER_GEN), M(CKM_DSA_SHA1), M(CKM_DSA_SHA224),
	M(CKM_DSA_SHA256), M(CKM_DSA_SHA384), M(CKM_DSA_SHA512), M(CKM_MD5),
	M(CKM_MD5_HMAC), M(CKM_SHA_1_HMAC), M(CKM_SHA224), M(CKM_SHA224_HMAC),
	M(CKM_SHA256_HMAC), M(CKM_SHA384_HMAC), M(CKM_SHA512_HMAC),
	M(CKM_SHA224_RSA_PKCS), M(CKM_SHA1_RSA_PKCS_PSS),
	M(CKM_SHA224_RSA_PKCS_PSS), M(CKM_SHA384_RSA_PKCS_PSS),
	M(CKM_ECDSA_SHA224),
	{ ESCROW_CKM_LUNA_AES_KWP, "CKM_AES_KWP (Thales Luna)" },
};
#undef M

const char *
escrow_p11_mech_name(unsigned long mech)
{
	static char buf[48];
	size_t i;

	for (i = 0; i < sizeof mech_names / sizeof mech_names[0]; i++)
		if (mech_names[i].m == mech)
			return mech_names[i].name;
	if (mech >= CKM_VENDOR_DEFINED)
		snprintf(buf, sizeof buf, "CKM_VENDOR_DEFINED+0x%lx",
		    mech - CKM_VENDOR_DEFINED);
	else
		snprintf(buf, sizeof buf, "CKM_0x%lx", mech);
	return buf;
}
