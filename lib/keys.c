/*
 * keys.c - DNSSEC key pairs with OpenSSL 3 EVP: the algorithm table,
 * generation, import (PEM / DER / PKCS#8), algorithm checks and PKCS#8 DER
 * in and out.
 *
 * Secret: every private EVP_PKEY, the imported key bytes and the PKCS#8
 * DER.  The DER is encoded straight into the caller's (secret) buffer;
 * OpenSSL structures are freed with their cleansing _free calls.  OpenSSL
 * may still keep short-lived internal copies we cannot reach (its DER
 * encoder allocates one scratch buffer with OPENSSL_free): see
 * docs/FORMAT.md ("Private keys").
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <p11-kit/pkcs11.h>

#include "escrow_keys.h"
#include "keys_int.h"

/* CKA_EC_PARAMS: the curve's DER OID (RFC 5480, RFC 8410). */
static const unsigned char oid_p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
	0x3d, 0x03, 0x01, 0x07 };
static const unsigned char oid_p384[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00,
	0x22 };
static const unsigned char oid_ed25519[] = { 0x06, 0x03, 0x2b, 0x65, 0x70 };
static const unsigned char oid_ed448[] = { 0x06, 0x03, 0x2b, 0x65, 0x71 };
/* DigestInfo prefixes, RFC 8017 section 9.2 note 1. */
static const unsigned char di_sha256[] = { 0x30, 0x31, 0x30, 0x0d, 0x06,
	0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
	0x04, 0x20 };
static const unsigned char di_sha512[] = { 0x30, 0x51, 0x30, 0x0d, 0x06,
	0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00,
	0x04, 0x40 };

#define OID(x) x, sizeof x
/* The one algorithm table: DNSSEC, OpenSSL and PKCS#11 facts per algorithm. */
static const struct keys_alginfo alginfo[] = {
	{ ESCROW_ALG_RSASHA256, "RSASHA256", KEYS_RSA, "RSA", NULL, NULL, 0, "SHA256",
	    KEYS_CLASS_RSA, CKK_RSA, CKM_SHA256_RSA_PKCS, CKM_RSA_PKCS, 0,
	    NULL, 0, OID(di_sha256) },
	{ ESCROW_ALG_RSASHA512, "RSASHA512", KEYS_RSA, "RSA", NULL, NULL, 0, "SHA512",
	    KEYS_CLASS_RSA, CKK_RSA, CKM_SHA512_RSA_PKCS, CKM_RSA_PKCS, 0,
	    NULL, 0, OID(di_sha512) },
	{ ESCROW_ALG_ECDSAP256SHA256, "ECDSAP256SHA256", KEYS_EC, "EC", "prime256v1", "P-256", 32, "SHA256",
	    KEYS_CLASS_P256, CKK_EC, CKM_ECDSA, 0, 0, OID(oid_p256), NULL, 0 },
	{ ESCROW_ALG_ECDSAP384SHA384, "ECDSAP384SHA384", KEYS_EC, "EC", "secp384r1", "P-384", 48, "SHA384",
	    KEYS_CLASS_P384, CKK_EC, CKM_ECDSA, 0, 0, OID(oid_p384), NULL, 0 },
	{ ESCROW_ALG_ED25519, "ED25519", KEYS_EDDSA, "ED25519", NULL, NULL, 32, NULL,
	    KEYS_CLASS_ED25519, CKK_EC_EDWARDS, CKM_EDDSA, 0, 0, OID(oid_ed25519), NULL, 0 },
	{ ESCROW_ALG_ED448, "ED448", KEYS_EDDSA, "ED448", NULL, NULL, 57, NULL,
	    KEYS_CLASS_ED448, CKK_EC_EDWARDS, CKM_EDDSA, 0, 1, OID(oid_ed448), NULL, 0 },
};
#undef OID

const struct keys_alginfo *
escrow_keys_i_info(int alg)
{
	size_t i;

	for (i = 0; i < sizeof alginfo / sizeof alginfo[0]; i++)
		if (alginfo[i].alg == alg)
			return &alginfo[i];
	return NULL;
}

int
escrow_keys_alg_supported(int alg)
{
	return escrow_keys_i_info(alg) != NULL;
}

const char *
escrow_keys_alg_name(int alg)
{
	const struct keys_alginfo *ai = escrow_keys_i_info(alg);

	return ai != NULL ? ai->name : NULL;
}

int
escrow_keys_i_has_private(const EVP_PKEY *key, const struct keys_alginfo *ai)
{
	BIGNUM *bn = NULL;
	size_t len = 0;
	int ok = 0;

	switch (ai->family) {
	case KEYS_RSA:
		ok = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_D, &bn) == 1;
		break;
	case KEYS_EC:
		ok = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &bn) == 1;
		break;
	case KEYS_EDDSA:
		ok = EVP_PKEY_get_raw_private_key(key, NULL, &len) == 1 && len > 0;
		break;
	}
	BN_clear_free(bn);
	ERR_clear_error();
	return ok;
}

static int
rsa_bits_ok(unsigned bits)
{
	return bits == 2048 || bits == 3072 || bits == 4096;
}

/* Is the key's curve the one ai wants? */
static int
ec_group_ok(const EVP_PKEY *key, const struct keys_alginfo *ai)
{
	char name[64];
	size_t len = 0;

	if (EVP_PKEY_get_group_name(key, name, sizeof name, &len) != 1) {
		ERR_clear_error();
		return 0;
	}
	return strcmp(name, ai->group) == 0 || strcmp(name, ai->nist) == 0;
}

static int
rsa_fits(const EVP_PKEY *key)
{
	BIGNUM *e = NULL;
	int ok;

	if (!rsa_bits_ok((unsigned)EVP_PKEY_get_bits(key)))
		return 0;
	if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) != 1) {
		ERR_clear_error();
		return 0;
	}
	ok = BN_is_word(e, 65537);
	BN_free(e);
	return ok;
}

int
escrow_keys_check_alg(const EVP_PKEY *key, int alg)
{
	const struct keys_alginfo *ai = escrow_keys_i_info(alg);

	if (key == NULL)
		return ESCROW_ERR_INVALID_ARG;
	if (ai == NULL || !EVP_PKEY_is_a(key, ai->ossl_type))
		return ESCROW_ERR_ALGORITHM;
	switch (ai->family) {
	case KEYS_RSA:
		return rsa_fits(key) ? ESCROW_OK : ESCROW_ERR_ALGORITHM;
	case KEYS_EC:
		return ec_group_ok(key, ai) ? ESCROW_OK : ESCROW_ERR_ALGORITHM;
	case KEYS_EDDSA:
		return ESCROW_OK;
	}
	return ESCROW_ERR_ALGORITHM;
}

int
escrow_keys_infer_alg(const EVP_PKEY *key, int *alg)
{
	static const int order[] = { ESCROW_ALG_RSASHA256,
	    ESCROW_ALG_ECDSAP256SHA256, ESCROW_ALG_ECDSAP384SHA384,
	    ESCROW_ALG_ED25519, ESCROW_ALG_ED448 };
	size_t i;

	if (key == NULL || alg == NULL)
		return ESCROW_ERR_INVALID_ARG;
	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		if (escrow_keys_check_alg(key, order[i]) == ESCROW_OK) {
			*alg = order[i];
			return ESCROW_OK;
		}
	}
	return ESCROW_ERR_ALGORITHM;
}

static int
gen_rsa(unsigned bits, EVP_PKEY **out)
{
	EVP_PKEY_CTX *ctx = NULL;
	OSSL_PARAM params[3];
	size_t nbits = bits;
	unsigned int e = 65537;
	int ret = ESCROW_ERR_CRYPTO;

	ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (ctx == NULL)
		goto out;
	params[0] = OSSL_PARAM_construct_size_t(OSSL_PKEY_PARAM_RSA_BITS, &nbits);
	params[1] = OSSL_PARAM_construct_uint(OSSL_PKEY_PARAM_RSA_E, &e);
	params[2] = OSSL_PARAM_construct_end();
	if (EVP_PKEY_keygen_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_params(ctx, params) != 1 ||
	    EVP_PKEY_generate(ctx, out) != 1)
		goto out;
	ret = ESCROW_OK;
out:
	EVP_PKEY_CTX_free(ctx);
	return ret;
}

int
escrow_keys_generate(int alg, unsigned bits, EVP_PKEY **out)
{
	const struct keys_alginfo *ai = escrow_keys_i_info(alg);
	EVP_PKEY *key = NULL;
	int ret;

	if (out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	*out = NULL;
	if (ai == NULL)
		return ESCROW_ERR_ALGORITHM;
	switch (ai->family) {
	case KEYS_RSA:
		if (bits == 0)
			bits = ESCROW_KEYS_RSA_DEFAULT_BITS;
		if (!rsa_bits_ok(bits))
			return ESCROW_ERR_ALGORITHM;
		ret = gen_rsa(bits, &key);
		break;
	case KEYS_EC:
		if (bits != 0 && bits != ai->field * 8)
			return ESCROW_ERR_ALGORITHM;
		key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", ai->group);
		ret = key != NULL ? ESCROW_OK : ESCROW_ERR_CRYPTO;
		break;
	default:
		if (bits != 0 && !(alg == ESCROW_ALG_ED25519 &&
		    (bits == 255 || bits == 256)) && !(alg == ESCROW_ALG_ED448 &&
		    (bits == 448 || bits == 456)))
			return ESCROW_ERR_ALGORITHM;
		key = EVP_PKEY_Q_keygen(NULL, NULL, ai->ossl_type);
		ret = key != NULL ? ESCROW_OK : ESCROW_ERR_CRYPTO;
		break;
	}
	if (ret == ESCROW_OK)
		ret = escrow_keys_check_alg(key, alg);
	if (ret != ESCROW_OK) {
		EVP_PKEY_free(key);
		ERR_clear_error();
		return ret;
	}
	*out = key;
	return ESCROW_OK;
}

/* Called by the decoder if the input is encrypted: note it and refuse. */
static int
refuse_passphrase(char *pass, size_t size, size_t *len,
    const OSSL_PARAM params[], void *arg)
{
	(void)pass;
	(void)size;
	(void)params;
	*len = 0;
	*(int *)arg = 1;
	return 0;
}

static int
looks_encrypted(const uint8_t *data, size_t len)
{
	static const char *marks[] = { "ENCRYPTED PRIVATE KEY",
	    "Proc-Type: 4,ENCRYPTED" };
	size_t i, m;

	for (m = 0; m < sizeof marks / sizeof marks[0]; m++) {
		size_t ml = strlen(marks[m]);

		for (i = 0; i + ml <= len; i++)
			if (memcmp(data + i, marks[m], ml) == 0)
				return 1;
	}
	return 0;
}

/*
 * Decode a private key with OSSL_DECODER.  structure NULL: any of the
 * formats OpenSSL knows; "PrivateKeyInfo": PKCS#8 only.  strict: no
 * trailing bytes.
 */
static int
decode_private(const uint8_t *data, size_t len, const char *format,
    const char *structure, int strict, EVP_PKEY **out)
{
	OSSL_DECODER_CTX *dctx = NULL;
	EVP_PKEY *key = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	const unsigned char *p = data;
	size_t left = len;
	int asked = 0, ret = ESCROW_ERR_KEY_PARSE;

	dctx = OSSL_DECODER_CTX_new_for_pkey(&key, format, structure, NULL,
	    EVP_PKEY_KEYPAIR, NULL, NULL);
	if (dctx == NULL) {
		ret = ESCROW_ERR_CRYPTO;
		goto out;
	}
	if (OSSL_DECODER_CTX_set_passphrase_cb(dctx, refuse_passphrase,
	    &asked) != 1) {
		ret = ESCROW_ERR_CRYPTO;
		goto out;
	}
	if (OSSL_DECODER_from_data(dctx, &p, &left) != 1 || key == NULL) {
		ret = asked ? ESCROW_ERR_UNSUPPORTED : ESCROW_ERR_KEY_PARSE;
		goto out;
	}
	if (strict && left != 0) {
		ret = ESCROW_ERR_TRAILING;
		goto out;
	}
	/*
	 * A key file may carry a public half that is not the private key's
	 * (found by fuzz_keyimport: a P-384 PKCS#8 with a changed point); the
	 * DNSKEY is made from the public half, so the two must agree.
	 */
	pctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	if (pctx == NULL) {
		ret = ESCROW_ERR_CRYPTO;
		goto out;
	}
	if (EVP_PKEY_pairwise_check(pctx) != 1) {
		ret = ESCROW_ERR_KEY_MISMATCH;
		goto out;
	}
	*out = key;
	key = NULL;
	ret = ESCROW_OK;
out:
	EVP_PKEY_CTX_free(pctx);
	EVP_PKEY_free(key);
	OSSL_DECODER_CTX_free(dctx);
	ERR_clear_error();
	return ret;
}

/* Check or infer the algorithm of a freshly decoded private key. */
static int
settle_alg(EVP_PKEY *key, int *alg)
{
	const struct keys_alginfo *ai;
	int a = *alg, ret;

	if (a == 0)
		ret = escrow_keys_infer_alg(key, &a);
	else
		ret = escrow_keys_check_alg(key, a);
	if (ret != ESCROW_OK)
		return ret;
	ai = escrow_keys_i_info(a);
	if (!escrow_keys_i_has_private(key, ai))
		return ESCROW_ERR_KEY_PARSE;
	*alg = a;
	return ESCROW_OK;
}

int
escrow_keys_import(const uint8_t *data, size_t len, int *alg, EVP_PKEY **out)
{
	EVP_PKEY *key = NULL;
	int ret;

	if (data == NULL || alg == NULL || out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	*out = NULL;
	if (*alg != 0 && !escrow_keys_alg_supported(*alg))
		return ESCROW_ERR_ALGORITHM;
	if (len == 0 || len > 1024 * 1024)
		return ESCROW_ERR_KEY_PARSE;
	if (looks_encrypted(data, len))
		return ESCROW_ERR_UNSUPPORTED;
	ret = decode_private(data, len, NULL, NULL, 0, &key);
	if (ret != ESCROW_OK)
		return ret;
	ret = settle_alg(key, alg);
	if (ret != ESCROW_OK) {
		EVP_PKEY_free(key);
		return ret;
	}
	*out = key;
	return ESCROW_OK;
}

static OSSL_ENCODER_CTX *
pkcs8_encoder(const EVP_PKEY *key)
{
	return OSSL_ENCODER_CTX_new_for_pkey(key, EVP_PKEY_KEYPAIR, "DER",
	    "PrivateKeyInfo", NULL);
}

int
escrow_keys_pkcs8_len(const EVP_PKEY *key, size_t *len)
{
	OSSL_ENCODER_CTX *ectx = NULL;
	int alg = 0, ret;

	if (key == NULL || len == NULL)
		return ESCROW_ERR_INVALID_ARG;
	ret = escrow_keys_infer_alg(key, &alg);
	if (ret != ESCROW_OK)
		return ret;
	if (!escrow_keys_i_has_private(key, escrow_keys_i_info(alg)))
		return ESCROW_ERR_INVALID_ARG;
	ectx = pkcs8_encoder(key);
	ret = ESCROW_ERR_CRYPTO;
	*len = 0;
	/* pdata NULL: OpenSSL only measures (its scratch BIO is cleansed) */
	if (ectx != NULL && OSSL_ENCODER_to_data(ectx, NULL, len) == 1)
		ret = ESCROW_OK;
	OSSL_ENCODER_CTX_free(ectx);
	ERR_clear_error();
	return ret;
}

int
escrow_keys_pkcs8_write(const EVP_PKEY *key, uint8_t *out, size_t cap,
    size_t *len)
{
	OSSL_ENCODER_CTX *ectx = NULL;
	unsigned char *p = out;
	size_t need = 0, left = cap;
	int ret;

	if (out == NULL || len == NULL)
		return ESCROW_ERR_INVALID_ARG;
	ret = escrow_keys_pkcs8_len(key, &need);
	if (ret != ESCROW_OK)
		return ret;
	if (need > cap) {
		*len = need;
		return ESCROW_ERR_BUFFER_TOO_SMALL;
	}
	ectx = pkcs8_encoder(key);
	ret = ESCROW_ERR_CRYPTO;
	if (ectx != NULL && OSSL_ENCODER_to_data(ectx, &p, &left) == 1 &&
	    cap - left == need) {
		*len = need;
		ret = ESCROW_OK;
	} else {
		escrow_wipe(out, cap);
	}
	OSSL_ENCODER_CTX_free(ectx);
	ERR_clear_error();
	return ret;
}

int
escrow_keys_pkcs8_read(const uint8_t *der, size_t len, int alg, EVP_PKEY **out)
{
	EVP_PKEY *key = NULL;
	int ret;

	if (der == NULL || out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	*out = NULL;
	if (alg != 0 && !escrow_keys_alg_supported(alg))
		return ESCROW_ERR_ALGORITHM;
	if (len == 0 || len > 64 * 1024)
		return ESCROW_ERR_KEY_PARSE;
	ret = decode_private(der, len, "DER", "PrivateKeyInfo", 1, &key);
	if (ret != ESCROW_OK)
		return ret;
	ret = settle_alg(key, &alg);
	if (ret != ESCROW_OK) {
		EVP_PKEY_free(key);
		return ret;
	}
	*out = key;
	return ESCROW_OK;
}
