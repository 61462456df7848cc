/*
 * p11_sign.c - signatures made inside the token in DNSSEC form (RFC 5702
 * RSA PKCS#1 v1.5, RFC 6605 ECDSA raw r||s, RFC 8080 EdDSA), and their
 * verification on the host with OpenSSL.
 *
 * No secrets here: the private key never leaves the token; data,
 * signatures and public keys are public.
 */
#include <string.h>

#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include "p11_int.h"

/* Big enough for RSA-8192. */
#define SIG_MAX 1024

static const EVP_MD *
alg_md(const struct escrow_p11_i_alg *a)
{
	switch (a->algorithm) {
	case 8:
	case 13:
		return EVP_sha256();
	case 10:
		return EVP_sha512();
	case 14:
		return EVP_sha384();
	default:
		return NULL; /* EdDSA hashes internally */
	}
}

int
escrow_p11_i_sign_raw(struct escrow_p11 *p, CK_OBJECT_HANDLE key,
    const struct escrow_p11_i_alg *a, const uint8_t *data, size_t len, uint8_t *sig,
    size_t cap, size_t *siglen, struct escrow_p11_error *err)
{
	CK_MECHANISM mech = { 0, NULL, 0 };
	uint8_t hash[EVP_MAX_MD_SIZE], buf[SIG_MAX];
	const uint8_t *in = data;
	unsigned int hlen = 0;
	CK_ULONG inlen = len, outlen = sizeof buf;
	CK_RV rv;

	switch (a->kclass) {
	case P11K_RSA:
		mech.mechanism = a->algorithm == 8 ? CKM_SHA256_RSA_PKCS :
		    CKM_SHA512_RSA_PKCS;
		break;
	case P11K_P256:
	case P11K_P384:
		/* no CKM_ECDSA_SHA256 in some tokens: hash on the host */
		mech.mechanism = CKM_ECDSA;
		if (!EVP_Digest(data, len, hash, &hlen, alg_md(a), NULL))
			return escrow_p11_i_fail(err, ESCROW_ERR_CRYPTO, "hashing failed");
		in = hash;
		inlen = hlen;
		break;
	default:
		mech.mechanism = CKM_EDDSA;
		break;
	}
	rv = p->mod->C_SignInit(p->sess, &mech, key);
	if (rv != CKR_OK)
		return escrow_p11_i_fail_rv(err, rv == CKR_MECHANISM_INVALID ?
		    ESCROW_ERR_P11_MECHANISM : ESCROW_ERR_P11, "C_SignInit", rv,
		    "cannot start a %s signature with key %lu on token `%s'",
		    a->name, (unsigned long)key, p->label);
	rv = p->mod->C_Sign(p->sess, (CK_BYTE_PTR)(uintptr_t)in, inlen, buf,
	    &outlen);
	if (rv != CKR_OK)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, "C_Sign", rv,
		    "the %s signature with key %lu on token `%s' failed",
		    a->name, (unsigned long)key, p->label);
	if (outlen > cap)
		return escrow_p11_i_fail(err, ESCROW_ERR_BUFFER_TOO_SMALL, "the signature "
		    "has %lu bytes, the buffer %zu", (unsigned long)outlen, cap);
	memcpy(sig, buf, outlen);
	*siglen = outlen;
	return ESCROW_OK;
}

/* Raw r||s to the DER ECDSA-Sig-Value OpenSSL verifies. */
static int
ecdsa_der(const uint8_t *sig, size_t siglen, uint8_t **der, int *derlen)
{
	ECDSA_SIG *s = ECDSA_SIG_new();
	BIGNUM *r, *sv;
	int ok = 0;

	*der = NULL;
	if (s == NULL)
		return 0;
	r = BN_bin2bn(sig, (int)(siglen / 2), NULL);
	sv = BN_bin2bn(sig + siglen / 2, (int)(siglen / 2), NULL);
	if (r == NULL || sv == NULL || !ECDSA_SIG_set0(s, r, sv)) {
		BN_free(r);
		BN_free(sv);
		goto out;
	}
	*derlen = i2d_ECDSA_SIG(s, der);
	ok = *derlen > 0;
out:
	ECDSA_SIG_free(s);
	return ok;
}

int
escrow_p11_i_verify_host(const struct escrow_p11_i_alg *a, EVP_PKEY *pub, const uint8_t *data,
    size_t len, const uint8_t *sig, size_t siglen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t *der = NULL;
	int derlen = 0, ok = 0;

	if (ctx == NULL)
		return 0;
	if (a->ck_key_type == CKK_EC) {
		if (siglen != (a->kclass == P11K_P256 ? 64u : 96u) ||
		    !ecdsa_der(sig, siglen, &der, &derlen))
			goto out;
		sig = der;
		siglen = (size_t)derlen;
	}
	if (EVP_DigestVerifyInit(ctx, NULL, alg_md(a), NULL, pub) != 1)
		goto out;
	ok = EVP_DigestVerify(ctx, sig, siglen, data, len) == 1;
out:
	OPENSSL_free(der);
	EVP_MD_CTX_free(ctx);
	return ok;
}

int
escrow_p11_sign(struct escrow_p11 *p, unsigned long key_handle,
    int algorithm, const uint8_t *data, size_t len, uint8_t *sig, size_t cap,
    size_t *siglen, struct escrow_p11_error *err)
{
	const struct escrow_p11_i_alg *a = escrow_p11_i_alg_find(algorithm);

	escrow_p11_i_err_clear(err);
	if (p == NULL || (data == NULL && len > 0) || sig == NULL ||
	    siglen == NULL)
		return escrow_p11_i_fail(err, ESCROW_ERR_INVALID_ARG, "bad arguments");
	if (a == NULL)
		return escrow_p11_i_fail(err, ESCROW_ERR_ALGORITHM, "DNSSEC algorithm %d "
		    "is not supported (8, 10, 13, 14, 15, 16 are)", algorithm);
	return escrow_p11_i_sign_raw(p, key_handle, a, data != NULL ? data :
	    (const uint8_t *)"", len, sig, cap, siglen, err);
}
