/*
 * keys_sign.c - signatures the way DNSSEC makes them (RFC 5702 RSA, RFC
 * 6605 ECDSA with raw r||s, RFC 8080 pure EdDSA), their verification, the
 * check that a private key matches a DNSKEY public-key field (by its
 * public half, then a test signature), and the public key as PEM.  It
 * builds on keys_dnskey.c, which calls nothing here.
 *
 * Secret: the private EVP_PKEY given to escrow_keys_sign and
 * escrow_keys_match.  Signatures,
 * signed data and PEM public keys are public.
 */
#include <string.h>

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "escrow_keys.h"
#include "keys_int.h"

/* ECDSA: DER Ecdsa-Sig-Value to r||s, each padded to width bytes. */
static int
der_to_raw(const uint8_t *der, size_t dlen, uint8_t *out, size_t width)
{
	const unsigned char *p = der;
	const BIGNUM *r, *s;
	ECDSA_SIG *es;
	int ret = ESCROW_ERR_CRYPTO;

	es = d2i_ECDSA_SIG(NULL, &p, (long)dlen);
	if (es == NULL)
		goto out;
	ECDSA_SIG_get0(es, &r, &s);
	if (BN_bn2binpad(r, out, (int)width) != (int)width ||
	    BN_bn2binpad(s, out + width, (int)width) != (int)width)
		goto out;
	ret = ESCROW_OK;
out:
	ECDSA_SIG_free(es);
	ERR_clear_error();
	return ret;
}

/* ECDSA: r||s to DER; *der is OPENSSL_malloc'd. */
static int
raw_to_der(const uint8_t *raw, size_t width, uint8_t **der, size_t *dlen)
{
	ECDSA_SIG *es = NULL;
	BIGNUM *r, *s;
	int n, ret = ESCROW_ERR_NOMEM;

	r = BN_bin2bn(raw, (int)width, NULL);
	s = BN_bin2bn(raw + width, (int)width, NULL);
	es = ECDSA_SIG_new();
	if (r == NULL || s == NULL || es == NULL ||
	    ECDSA_SIG_set0(es, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		goto out;
	}
	*der = NULL;
	n = i2d_ECDSA_SIG(es, der);
	if (n <= 0) {
		ret = ESCROW_ERR_CRYPTO;
		goto out;
	}
	*dlen = (size_t)n;
	ret = ESCROW_OK;
out:
	ECDSA_SIG_free(es);
	ERR_clear_error();
	return ret;
}

static const EVP_MD *
alg_md(const struct keys_alginfo *ai)
{
	if (ai->digest == NULL)
		return NULL;
	if (strcmp(ai->digest, "SHA256") == 0)
		return EVP_sha256();
	if (strcmp(ai->digest, "SHA384") == 0)
		return EVP_sha384();
	return EVP_sha512();
}

int
escrow_keys_sign(EVP_PKEY *key, int alg, const uint8_t *data, size_t len,
    uint8_t *sig, size_t cap, size_t *siglen)
{
	const struct keys_alginfo *ai = escrow_keys_i_info(alg);
	EVP_MD_CTX *md = NULL;
	uint8_t der[160];
	size_t n = 0;
	int ret;

	if (key == NULL || (data == NULL && len > 0) || sig == NULL ||
	    siglen == NULL)
		return ESCROW_ERR_INVALID_ARG;
	ret = escrow_keys_check_alg(key, alg);
	if (ret != ESCROW_OK)
		return ret;
	if (!escrow_keys_i_has_private(key, ai))
		return ESCROW_ERR_INVALID_ARG;
	md = EVP_MD_CTX_new();
	ret = ESCROW_ERR_CRYPTO;
	if (md == NULL || EVP_DigestSignInit(md, NULL, alg_md(ai), NULL,
	    key) != 1)
		goto out;
	if (EVP_DigestSign(md, NULL, &n, data, len) != 1)
		goto out;
	if (ai->family == KEYS_EC) {
		if (n > sizeof der)
			goto out;
		if (cap < 2 * ai->field) {
			ret = ESCROW_ERR_BUFFER_TOO_SMALL;
			goto out;
		}
		n = sizeof der;
		if (EVP_DigestSign(md, der, &n, data, len) != 1)
			goto out;
		ret = der_to_raw(der, n, sig, ai->field);
		if (ret == ESCROW_OK)
			*siglen = 2 * ai->field;
		goto out;
	}
	if (n > cap) {
		ret = ESCROW_ERR_BUFFER_TOO_SMALL;
		goto out;
	}
	if (EVP_DigestSign(md, sig, &n, data, len) != 1)
		goto out;
	*siglen = n;
	ret = ESCROW_OK;
out:
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	return ret;
}

int
escrow_keys_verify(EVP_PKEY *key, int alg, const uint8_t *data, size_t len,
    const uint8_t *sig, size_t siglen)
{
	const struct keys_alginfo *ai = escrow_keys_i_info(alg);
	EVP_MD_CTX *md = NULL;
	uint8_t *der = NULL;
	const uint8_t *s = sig;
	size_t slen = siglen;
	int ret;

	if (key == NULL || (data == NULL && len > 0) || sig == NULL)
		return ESCROW_ERR_INVALID_ARG;
	ret = escrow_keys_check_alg(key, alg);
	if (ret != ESCROW_OK)
		return ret;
	if (ai->family == KEYS_EC) {
		if (siglen != 2 * ai->field)
			return ESCROW_ERR_KEY_MISMATCH;
		ret = raw_to_der(sig, ai->field, &der, &slen);
		if (ret != ESCROW_OK)
			return ret;
		s = der;
	}
	md = EVP_MD_CTX_new();
	ret = ESCROW_ERR_CRYPTO;
	if (md == NULL || EVP_DigestVerifyInit(md, NULL, alg_md(ai), NULL,
	    key) != 1)
		goto out;
	ret = EVP_DigestVerify(md, s, slen, data, len) == 1 ? ESCROW_OK :
	    ESCROW_ERR_KEY_MISMATCH;
out:
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	return ret;
}

int
escrow_keys_verify_dnskey(int alg, const uint8_t *pub, size_t publen,
    const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen)
{
	EVP_PKEY *key = NULL;
	int ret;

	ret = escrow_keys_from_dnskey_pub(alg, pub, publen, &key);
	if (ret != ESCROW_OK)
		return ret;
	ret = escrow_keys_verify(key, alg, data, len, sig, siglen);
	EVP_PKEY_free(key);
	return ret;
}

int
escrow_keys_public_pem(const EVP_PKEY *key, char *out, size_t cap, size_t *len)
{
	BIO *bio = NULL;
	char *p = NULL;
	long n;
	int ret = ESCROW_ERR_CRYPTO;

	if (key == NULL || out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	bio = BIO_new(BIO_s_mem());
	if (bio == NULL)
		return ESCROW_ERR_NOMEM;
	if (PEM_write_bio_PUBKEY(bio, key) != 1)
		goto out;
	n = BIO_get_mem_data(bio, &p);
	if (n <= 0 || p == NULL)
		goto out;
	if (len != NULL)
		*len = (size_t)n;
	if ((size_t)n + 1 > cap) {
		ret = ESCROW_ERR_BUFFER_TOO_SMALL;
		goto out;
	}
	memcpy(out, p, (size_t)n);
	out[n] = '\0';
	ret = ESCROW_OK;
out:
	BIO_free(bio);
	ERR_clear_error();
	return ret;
}

int
escrow_keys_match(const EVP_PKEY *key, int alg, const uint8_t *pub, size_t len)
{
	static const uint8_t probe[] = "escrow key match probe";
	const struct keys_alginfo *ai = escrow_keys_i_info(alg);
	uint8_t mine[ESCROW_KEYS_PUBKEY_MAX], sig[ESCROW_KEYS_SIG_MAX];
	size_t mlen = 0, slen = 0;
	int ret;

	if (key == NULL || pub == NULL)
		return ESCROW_ERR_INVALID_ARG;
	ret = escrow_keys_dnskey_pub(key, alg, mine, sizeof mine, &mlen);
	if (ret == ESCROW_ERR_ALGORITHM)
		return ESCROW_ERR_KEY_MISMATCH;
	if (ret != ESCROW_OK)
		return ret;
	if (mlen != len || memcmp(mine, pub, len) != 0)
		return ESCROW_ERR_KEY_MISMATCH;
	if (!escrow_keys_i_has_private(key, ai))
		return ESCROW_OK;
	/*
	 * The public halves agree; prove the private half belongs to them
	 * by signing with it and verifying against the given field.
	 */
	/* EVP's signing context takes a non-const key; it is not changed */
	ret = escrow_keys_sign((EVP_PKEY *)(uintptr_t)key, alg, probe, sizeof probe - 1,
	    sig, sizeof sig, &slen);
	if (ret != ESCROW_OK)
		return ESCROW_ERR_KEY_MISMATCH;
	ret = escrow_keys_verify_dnskey(alg, pub, len, probe, sizeof probe - 1,
	    sig, slen);
	return ret == ESCROW_OK ? ESCROW_OK : ESCROW_ERR_KEY_MISMATCH;
}
