/*
 * p11_unwrap.c - the `unwrap' and `transport' strategies: bring K_wrap
 * into the token as an unwrap-only session AES key (directly, or by
 * RSA-OAEP to an in-token transport key), prove an RFC 5649 unwrap
 * mechanism with a known answer, probe whether the token can unwrap
 * private keys of a given type, and unwrap the real blobs.
 *
 * Secret: K_wrap (u->kek_value, secret memory; the token's copy is a
 * sensitive, non-extractable session object destroyed at the end).  The
 * known-answer KEK and the probe keys are public throwaways.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "p11_int.h"

/* RFC 5649 section 6, first example: a 20-octet key under a 192-bit KEK. */
static const uint8_t kat_kek[24] = {
	0x58, 0x40, 0xdf, 0x6e, 0x29, 0xb0, 0x2a, 0xf1, 0xab, 0x49, 0x3b, 0x70,
	0x5b, 0xf1, 0x6e, 0xa1, 0xae, 0x83, 0x38, 0xf4, 0xdc, 0xc1, 0x76, 0xa8,
};
static const uint8_t kat_key[20] = {
	0xc3, 0x7b, 0x7e, 0x64, 0x92, 0x58, 0x43, 0x40, 0xbe, 0xd1, 0x22, 0x07,
	0x80, 0x89, 0x41, 0x15, 0x50, 0x68, 0xf7, 0x38,
};
static const uint8_t kat_wrapped[32] = {
	0x13, 0x8b, 0xde, 0xaa, 0x9b, 0x8f, 0xa7, 0xfc, 0x61, 0xf9, 0x77, 0x42,
	0xe7, 0x22, 0x48, 0xee, 0x5a, 0xe6, 0xae, 0x53, 0x60, 0xd1, 0xae, 0x6a,
	0x5f, 0x54, 0xf3, 0x73, 0xfa, 0x54, 0x3b, 0x6a,
};

/* In order of preference: the PKCS#11 3.0 number, Luna's, SoftHSM's. */
static const CK_MECHANISM_TYPE candidates[] = {
	CKM_AES_KEY_WRAP_KWP, ESCROW_CKM_LUNA_AES_KWP, CKM_AES_KEY_WRAP_PAD,
};

void
escrow_p11_i_unwrapper_init(struct escrow_p11_i_unwrapper *u, struct escrow_p11 *p,
    int transport)
{
	memset(u, 0, sizeof *u);
	u->p = p;
	u->transport = transport;
	u->tr_priv = u->tr_pub = u->kat_kek = u->kek = CK_INVALID_HANDLE;
}

static void
destroy(struct escrow_p11_i_unwrapper *u, CK_OBJECT_HANDLE *h)
{
	if (*h != CK_INVALID_HANDLE)
		(void)u->p->mod->C_DestroyObject(u->p->sess, *h);
	*h = CK_INVALID_HANDLE;
}

void
escrow_p11_i_unwrapper_done(struct escrow_p11_i_unwrapper *u)
{
	destroy(u, &u->kek);
	destroy(u, &u->kat_kek);
	destroy(u, &u->tr_priv);
	destroy(u, &u->tr_pub);
	EVP_PKEY_free(u->tr_host);
	escrow_secret_free(u->kek_value);
	u->tr_host = NULL;
	u->kek_value = NULL;
}

/* The in-token RSA transport pair and its public half on the host. */
static int
transport_key(struct escrow_p11_i_unwrapper *u, struct escrow_p11_error *err)
{
	struct escrow_p11 *p = u->p;
	CK_MECHANISM gen = { CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0 };
	CK_ULONG bits = 3072;
	CK_BYTE e65537[] = { 1, 0, 1 }, n[512], e[8];
	CK_BBOOL t = CK_TRUE, f = CK_FALSE;
	CK_ATTRIBUTE pub[] = {
		{ CKA_TOKEN, &f, 1 }, { CKA_MODULUS_BITS, &bits, sizeof bits },
		{ CKA_PUBLIC_EXPONENT, e65537, sizeof e65537 },
		{ CKA_ENCRYPT, &t, 1 }, { CKA_VERIFY, &f, 1 }, { CKA_WRAP, &f, 1 },
	};
	CK_ATTRIBUTE priv[] = {
		{ CKA_TOKEN, &f, 1 }, { CKA_PRIVATE, &t, 1 },
		{ CKA_SENSITIVE, &t, 1 }, { CKA_EXTRACTABLE, &f, 1 },
		{ CKA_UNWRAP, &t, 1 }, { CKA_DECRYPT, &f, 1 }, { CKA_SIGN, &f, 1 },
	};
	CK_ATTRIBUTE rd[] = { { CKA_MODULUS, n, sizeof n },
		{ CKA_PUBLIC_EXPONENT, e, sizeof e } };
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	BIGNUM *bn = NULL, *be = NULL;
	int ret = ESCROW_ERR_CRYPTO;
	CK_RV rv;
	int has;

	has = escrow_p11_i_has_mech(p, CKM_RSA_PKCS_KEY_PAIR_GEN, CKF_GENERATE_KEY_PAIR) &&
	    escrow_p11_i_has_mech(p, CKM_RSA_PKCS_OAEP, CKF_UNWRAP);
	if (!has && p->hard_fn != NULL)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, p->hard_fn, p->hard_rv,
		    "cannot tell whether token `%s' has the mechanisms the "
		    "transport strategy needs", p->label);
	if (!has)
		return escrow_p11_i_fail(err, ESCROW_ERR_P11_MECHANISM, "token `%s' lacks "
		    "RSA key generation or RSA-OAEP unwrap, which the transport "
		    "strategy needs", p->label);
	rv = p->mod->C_GenerateKeyPair(p->sess, &gen, pub, 6, priv, 7,
	    &u->tr_pub, &u->tr_priv);
	if (rv != CKR_OK)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11_MECHANISM,
		    "C_GenerateKeyPair", rv, "token `%s' could not make an "
		    "RSA-3072 transport key", p->label);
	rv = p->mod->C_GetAttributeValue(p->sess, u->tr_pub, rd, 2);
	if (rv != CKR_OK)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, "C_GetAttributeValue", rv,
		    "cannot read the transport key's modulus");
	bn = BN_bin2bn(n, (int)rd[0].ulValueLen, NULL);
	be = BN_bin2bn(e, (int)rd[1].ulValueLen, NULL);
	bld = OSSL_PARAM_BLD_new();
	if (bn == NULL || be == NULL || bld == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &u->tr_host, EVP_PKEY_PUBLIC_KEY,
	    params) != 1)
		goto out;
	ret = ESCROW_OK;
out:
	if (ret != ESCROW_OK)
		escrow_p11_i_fail(err, ret, "cannot build the transport public key");
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn);
	BN_free(be);
	return ret;
}

/* RSA-OAEP (SHA-1, MGF1-SHA-1, no label: what most tokens take). */
static int
oaep_encrypt(EVP_PKEY *pub, const uint8_t *in, size_t inlen, uint8_t *out,
    size_t *outlen)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pub, NULL);
	int ok;

	ok = ctx != NULL && EVP_PKEY_encrypt_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1 &&
	    EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha1()) == 1 &&
	    EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha1()) == 1 &&
	    EVP_PKEY_encrypt(ctx, out, outlen, in, inlen) == 1;
	EVP_PKEY_CTX_free(ctx);
	return ok;
}

/* Put an AES key into the token as an unwrap-only session object. */
static int
import_kek(struct escrow_p11_i_unwrapper *u, const uint8_t *value, size_t len,
    CK_OBJECT_HANDLE *out, struct escrow_p11_error *err)
{
	struct escrow_p11 *p = u->p;
	CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
	CK_KEY_TYPE kt = CKK_AES;
	CK_BBOOL t = CK_TRUE, f = CK_FALSE;
	CK_ATTRIBUTE tmpl[] = {
		{ CKA_CLASS, &cls, sizeof cls }, { CKA_KEY_TYPE, &kt, sizeof kt },
		{ CKA_TOKEN, &f, 1 }, { CKA_PRIVATE, &t, 1 },
		{ CKA_SENSITIVE, &t, 1 }, { CKA_EXTRACTABLE, &f, 1 },
		{ CKA_UNWRAP, &t, 1 }, { CKA_WRAP, &f, 1 },
		{ CKA_ENCRYPT, &f, 1 }, { CKA_DECRYPT, &f, 1 },
		{ CKA_VALUE, (void *)(uintptr_t)value, len },
	};
	CK_RSA_PKCS_OAEP_PARAMS oaep = { CKM_SHA_1, CKG_MGF1_SHA1,
		CKZ_DATA_SPECIFIED, NULL, 0 };
	CK_MECHANISM m = { CKM_RSA_PKCS_OAEP, &oaep, sizeof oaep };
	uint8_t ct[512];
	size_t ctlen = sizeof ct;
	CK_RV rv;
	int ret;

	if (!u->transport) {
		rv = p->mod->C_CreateObject(p->sess, tmpl, 11, out);
		u->kek_refused = rv != CKR_OK;
		if (rv != CKR_OK)
			return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11_MECHANISM,
			    "C_CreateObject", rv, "token `%s' will not take an "
			    "unwrap-only AES key (try the transport strategy)",
			    p->label);
		return ESCROW_OK;
	}
	if (u->tr_host == NULL && (ret = transport_key(u, err)) != ESCROW_OK)
		return ret;
	if (!oaep_encrypt(u->tr_host, value, len, ct, &ctlen))
		return escrow_p11_i_fail(err, ESCROW_ERR_CRYPTO, "RSA-OAEP encryption "
		    "to the transport key failed");
	/* the length comes from the decrypted data: SoftHSM refuses
	 * CKA_VALUE_LEN here (CKR_ATTRIBUTE_READ_ONLY) */
	rv = p->mod->C_UnwrapKey(p->sess, &m, u->tr_priv, ct, ctlen, tmpl, 10,
	    out);
	if (rv != CKR_OK)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11_MECHANISM, "C_UnwrapKey",
		    rv, "token `%s' did not take the AES key by RSA-OAEP "
		    "(SHA-1, MGF1-SHA-1)", p->label);
	return ESCROW_OK;
}

/* Known answer: unwrap the RFC 5649 example and read it back. */
static CK_RV
kat(struct escrow_p11_i_unwrapper *u, CK_MECHANISM_TYPE mt, const char **fn)
{
	struct escrow_p11 *p = u->p;
	CK_MECHANISM m = { mt, NULL, 0 };
	CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
	CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
	CK_BBOOL t = CK_TRUE, f = CK_FALSE;
	CK_ATTRIBUTE tmpl[] = {
		{ CKA_CLASS, &cls, sizeof cls }, { CKA_KEY_TYPE, &kt, sizeof kt },
		{ CKA_TOKEN, &f, 1 }, { CKA_SENSITIVE, &f, 1 },
		{ CKA_EXTRACTABLE, &t, 1 },
	};
	uint8_t got[64];
	CK_ATTRIBUTE rd = { CKA_VALUE, got, sizeof got };
	CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
	CK_RV rv;

	*fn = "C_UnwrapKey";
	rv = p->mod->C_UnwrapKey(p->sess, &m, u->kat_kek,
	    (CK_BYTE_PTR)(uintptr_t)kat_wrapped, sizeof kat_wrapped, tmpl, 5, &h);
	if (rv != CKR_OK)
		return rv;
	*fn = "C_GetAttributeValue";
	rv = p->mod->C_GetAttributeValue(p->sess, h, &rd, 1);
	if (rv == CKR_OK && (rd.ulValueLen != sizeof kat_key ||
	    memcmp(got, kat_key, sizeof kat_key) != 0))
		rv = CKR_WRAPPED_KEY_INVALID; /* a different algorithm */
	(void)p->mod->C_DestroyObject(p->sess, h);
	return rv;
}

int
escrow_p11_i_unwrapper_ready(struct escrow_p11_i_unwrapper *u, struct escrow_p11_error *err)
{
	struct escrow_p11 *p = u->p;
	const char *fn = "";
	char tried[256] = "";
	size_t i, used;
	int ret, listed;
	CK_RV rv;

	if (u->mech_state == CAP_YES)
		return ESCROW_OK;
	if (u->mech_state == CAP_NO)
		return ESCROW_ERR_P11_MECHANISM; /* err was filled before */
	u->mech_state = CAP_NO;
	/* no AES key goes into a token that has no RFC 5649 unwrap at all */
	for (i = 0, listed = 0; i < sizeof candidates / sizeof candidates[0]; i++)
		listed += escrow_p11_i_has_mech(p, candidates[i], CKF_UNWRAP);
	if (listed == 0 && p->hard_fn != NULL)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, p->hard_fn, p->hard_rv,
		    "cannot tell which unwrap mechanisms token `%s' has",
		    p->label);
	if (listed == 0)
		return escrow_p11_i_fail(err, ESCROW_ERR_P11_MECHANISM, "token `%s' "
		    "lists no RFC 5649 unwrap mechanism (CKM_AES_KEY_WRAP_KWP 0x210B, "
		    "Luna's 0x%lx, CKM_AES_KEY_WRAP_PAD 0x210A, each with "
		    "CKF_UNWRAP); no wrapping key was put into it", p->label,
		    (unsigned long)ESCROW_CKM_LUNA_AES_KWP);
	ret = import_kek(u, kat_kek, sizeof kat_kek, &u->kat_kek, err);
	if (ret != ESCROW_OK)
		return ret;
	for (i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
		used = strlen(tried);
		if (!escrow_p11_i_has_mech(p, candidates[i], CKF_UNWRAP))
			continue;
		rv = kat(u, candidates[i], &fn);
		if (rv == CKR_OK) {
			u->mech = candidates[i];
			u->mech_state = CAP_YES;
			return ESCROW_OK;
		}
		/* the device failed, it did not say no */
		if (escrow_p11_i_rv_is_hard(rv))
			return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, fn, rv, "token "
			    "`%s' failed while testing unwrap mechanism 0x%lx",
			    p->label, (unsigned long)candidates[i]);
		snprintf(tried + used, sizeof tried - used, "%s0x%lx: %s",
		    used > 0 ? ", " : "", (unsigned long)candidates[i],
		    escrow_p11_rv_name(rv));
	}
	if (p->hard_fn != NULL)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, p->hard_fn, p->hard_rv,
		    "cannot tell which unwrap mechanisms token `%s' has",
		    p->label);
	return escrow_p11_i_fail(err, ESCROW_ERR_P11_MECHANISM, "token `%s' has no "
	    "RFC 5649 unwrap mechanism that passes the known-answer test "
	    "(tried 0x210B, 0x%lx, 0x210A; failures: %s)", p->label,
	    (unsigned long)ESCROW_CKM_LUNA_AES_KWP, tried[0] ? tried : "none listed");
}

/* A throwaway key of the same type, wrapped under the known KEK. */
static int
probe_blob(const struct keys_alginfo *a, uint8_t *out, size_t cap, size_t *outlen,
    EVP_PKEY **key)
{
	EVP_PKEY *k = NULL;
	PKCS8_PRIV_KEY_INFO *p8 = NULL;
	EVP_CIPHER_CTX *c = NULL;
	uint8_t *der = NULL;
	int derlen = 0, l1 = 0, l2 = 0, ok = 0;
	size_t rsalen = 0;

	switch (a->kclass) {
	case KEYS_CLASS_RSA: {
		const uint8_t *rsa = escrow_p11_i_probe_rsa_pkcs8(&rsalen);

		k = d2i_AutoPrivateKey(NULL, &rsa, (long)rsalen);
		break;
	}
	case KEYS_CLASS_P256: k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"); break;
	case KEYS_CLASS_P384: k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384"); break;
	case KEYS_CLASS_ED25519: k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"); break;
	default: k = EVP_PKEY_Q_keygen(NULL, NULL, "ED448"); break;
	}
	if (k == NULL || (p8 = EVP_PKEY2PKCS8(k)) == NULL ||
	    (derlen = i2d_PKCS8_PRIV_KEY_INFO(p8, &der)) <= 0 ||
	    (size_t)derlen + 16 > cap || (c = EVP_CIPHER_CTX_new()) == NULL)
		goto out;
	EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
	if (EVP_EncryptInit_ex(c, EVP_aes_192_wrap_pad(), NULL, kat_kek,
	    NULL) != 1 || EVP_EncryptUpdate(c, out, &l1, der, derlen) != 1 ||
	    EVP_EncryptFinal_ex(c, out + l1, &l2) != 1)
		goto out;
	*outlen = (size_t)(l1 + l2);
	*key = k; /* for vendor attributes (its public half) */
	k = NULL;
	ok = 1;
out:
	EVP_CIPHER_CTX_free(c);
	if (der != NULL)
		OPENSSL_clear_free(der, (size_t)derlen);
	PKCS8_PRIV_KEY_INFO_free(p8);
	EVP_PKEY_free(k);
	return ok;
}

int
escrow_p11_i_unwrapper_probe(struct escrow_p11_i_unwrapper *u, const struct keys_alginfo *a,
    struct escrow_p11_error *err)
{
	struct escrow_p11 *p = u->p;
	CK_MECHANISM m = { 0, NULL, 0 };
	CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
	struct escrow_p11_i_tmpl t;
	EVP_PKEY *pk = NULL;
	uint8_t blob[4096];
	size_t bloblen = 0;
	int ret;
	CK_RV rv;

	if ((ret = escrow_p11_i_unwrapper_ready(u, err)) != ESCROW_OK)
		return ret;
	if (u->probe[a->kclass] == CAP_YES)
		return ESCROW_OK;
	if (u->probe[a->kclass] == CAP_NO)
		goto refused;
	if (!probe_blob(a, blob, sizeof blob, &bloblen, &pk))
		return escrow_p11_i_fail(err, ESCROW_ERR_CRYPTO, "cannot make a %s probe key",
		    escrow_p11_i_kclass_name(a->kclass));
	if ((ret = escrow_p11_i_tmpl_init(&t, 512)) != ESCROW_OK) {
		EVP_PKEY_free(pk);
		return ret;
	}
	ret = escrow_p11_i_tmpl_private_base(p, &t, a, "escrow probe", NULL, 0, 0,
	    P11_OP_UNWRAP);
	if (ret == ESCROW_OK)
		ret = escrow_p11_i_vendor_private(p, &t, a, pk, P11_OP_UNWRAP);
	EVP_PKEY_free(pk);
	m.mechanism = u->mech;
	if (ret == ESCROW_OK) {
		rv = p->mod->C_UnwrapKey(p->sess, &m, u->kat_kek, blob, bloblen,
		    t.a, t.n, &h);
		if (escrow_p11_i_tmpl_modifiable_retry(p, P11_OP_UNWRAP, rv, &t)) {
			rv = p->mod->C_UnwrapKey(p->sess, &m, u->kat_kek, blob,
			    bloblen, t.a, t.n, &h);
			(void)escrow_p11_i_tmpl_modifiable_retry(p, P11_OP_UNWRAP, rv, &t);
		}
		u->probe[a->kclass] = rv == CKR_OK ? CAP_YES : CAP_NO;
		if (rv != CKR_OK)
			u->probe_rv[a->kclass] = rv;
		if (h != CK_INVALID_HANDLE)
			(void)p->mod->C_DestroyObject(p->sess, h);
	}
	escrow_p11_i_tmpl_free(&t);
	if (ret != ESCROW_OK || u->probe[a->kclass] == CAP_YES)
		return ret;
refused:
	return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11_MECHANISM, "C_UnwrapKey",
	    u->probe_rv[a->kclass], "token `%s' cannot unwrap %s private keys "
	    "with mechanism 0x%lx (a probe key failed)", p->label,
	    escrow_p11_i_kclass_name(a->kclass), (unsigned long)u->mech);
}

int
escrow_p11_i_unwrapper_unwrap(struct escrow_p11_i_unwrapper *u, const struct escrow_p11_key *k,
    struct escrow_p11_i_tmpl *t, CK_OBJECT_HANDLE *out, struct escrow_p11_error *err)
{
	struct escrow_p11 *p = u->p;
	CK_MECHANISM m = { u->mech, NULL, 0 };
	int ret;
	CK_RV rv;

	/* one token copy of K_wrap serves every key of a set that shares it */
	if (u->kek_value == NULL || !escrow_equal(u->kek_value, k->kwrap, 32)) {
		destroy(u, &u->kek);
		if (u->kek_value == NULL &&
		    (u->kek_value = escrow_secret_alloc(32)) == NULL)
			return ESCROW_ERR_NOMEM;
		ret = import_kek(u, k->kwrap, 32, &u->kek, err);
		if (ret != ESCROW_OK) {
			escrow_wipe(u->kek_value, 32);
			return ret;
		}
		memcpy(u->kek_value, k->kwrap, 32);
	}
	rv = p->mod->C_UnwrapKey(p->sess, &m, u->kek,
	    (CK_BYTE_PTR)(uintptr_t)k->wrapped, k->wrapped_len, t->a, t->n, out);
	if (escrow_p11_i_tmpl_modifiable_retry(p, P11_OP_UNWRAP, rv, t)) {
		rv = p->mod->C_UnwrapKey(p->sess, &m, u->kek,
		    (CK_BYTE_PTR)(uintptr_t)k->wrapped, k->wrapped_len, t->a,
		    t->n, out);
		(void)escrow_p11_i_tmpl_modifiable_retry(p, P11_OP_UNWRAP, rv, t);
	}
	if (rv != CKR_OK)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_UNWRAP, "C_UnwrapKey", rv,
		    "token `%s' refused the wrapped key (mechanism 0x%lx): "
		    "a damaged blob or the wrong K_wrap", p->label,
		    (unsigned long)u->mech);
	return ESCROW_OK;
}
