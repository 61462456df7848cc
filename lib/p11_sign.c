/*
 * p11_sign.c - signatures made inside the token in DNSSEC form (RFC 5702
 * RSA PKCS#1 v1.5, RFC 6605 ECDSA raw r||s, RFC 8080 EdDSA), and their
 * check on the host with the one verifier, escrow_keys_verify().  The
 * mechanisms come from the algorithm table in lib/keys.c:
 *   RSA: CKM_SHA256_RSA_PKCS / CKM_SHA512_RSA_PKCS; a token without them
 *        (openCryptoki's swtok 3.8) gets CKM_RSA_PKCS over the DER
 *        DigestInfo of the hash made on the host (RFC 8017 9.2), which is
 *        the same signature;
 *   ECDSA: CKM_ECDSA over the hash made on the host (SoftHSM has no
 *        CKM_ECDSA_SHA256), raw r||s;
 *   EdDSA: CKM_EDDSA; Ed448 with CK_EDDSA_PARAMS {phFlag false, no
 *        context}, since PKCS#11 3.0 (2.3.14) reads no parameter as
 *        Ed25519 (SoftHSM 2.6.1 takes the parameter: measured).  A
 *        token that refuses it (CKR_MECHANISM_PARAM_INVALID or
 *        CKR_ARGUMENTS_BAD, as a 2.40 module may) is asked again without
 *        it; the host check proves which scheme it used.
 *
 * No secrets here: the private key never leaves the token; data, hashes,
 * signatures and public keys are public.
 */
#include <string.h>

#include <openssl/evp.h>

#include "escrow_keys.h"
#include "p11_int.h"

/* Big enough for RSA-8192. */
#define SIG_MAX 1024

static CK_RV
sign_once(struct escrow_p11 *p, CK_OBJECT_HANDLE key, CK_MECHANISM *mech,
    const uint8_t *in, CK_ULONG inlen, uint8_t *out, CK_ULONG *outlen,
    const char **fn)
{
	CK_RV rv;

	*fn = "C_SignInit";
	rv = p->mod->C_SignInit(p->sess, mech, key);
	if (rv != CKR_OK)
		return rv;
	*fn = "C_Sign";
	return p->mod->C_Sign(p->sess, (CK_BYTE_PTR)(uintptr_t)in, inlen, out,
	    outlen);
}

int
escrow_p11_i_sign_raw(struct escrow_p11 *p, CK_OBJECT_HANDLE key,
    const struct keys_alginfo *a, const uint8_t *data, size_t len, uint8_t *sig,
    size_t cap, size_t *siglen, CK_MECHANISM_TYPE *used,
    struct escrow_p11_error *err)
{
	struct escrow_p11_i_eddsa_params ep = { CK_FALSE, 0, NULL };
	CK_MECHANISM mech = { a->ck_sign_mech, NULL, 0 };
	uint8_t in[64 + EVP_MAX_MD_SIZE], buf[SIG_MAX];
	const uint8_t *msg = data;
	unsigned int hlen = 0;
	CK_ULONG inlen = len, outlen = sizeof buf;
	const char *fn = "C_SignInit";
	const EVP_MD *md = a->digest != NULL ?
	    EVP_get_digestbyname(a->digest) : NULL;
	CK_RV rv;

	if (a->family == KEYS_RSA && !escrow_p11_i_has_mech(p, a->ck_sign_mech,
	    CKF_SIGN) && escrow_p11_i_has_mech(p, a->ck_raw_mech, 0)) {
		/* DigestInfo || H(data), padded and signed by the token */
		if (md == NULL || a->digestinfo_len + (size_t)EVP_MD_get_size(md) >
		    sizeof in)
			return escrow_p11_i_fail(err, ESCROW_ERR_CRYPTO, "no %s digest",
			    a->name);
		memcpy(in, a->digestinfo, a->digestinfo_len);
		if (!EVP_Digest(data, len, in + a->digestinfo_len, &hlen, md, NULL))
			return escrow_p11_i_fail(err, ESCROW_ERR_CRYPTO, "hashing failed");
		mech.mechanism = a->ck_raw_mech;
		msg = in;
		inlen = a->digestinfo_len + hlen;
	} else if (a->family == KEYS_EC) {
		if (md == NULL || !EVP_Digest(data, len, in, &hlen, md, NULL))
			return escrow_p11_i_fail(err, ESCROW_ERR_CRYPTO, "hashing failed");
		msg = in;
		inlen = hlen;
	} else if (a->eddsa_params) {
		mech.pParameter = &ep;
		mech.ulParameterLen = sizeof ep;
	}
	rv = sign_once(p, key, &mech, msg, inlen, buf, &outlen, &fn);
	if (mech.pParameter != NULL && (rv == CKR_MECHANISM_PARAM_INVALID ||
	    rv == CKR_ARGUMENTS_BAD) && strcmp(fn, "C_SignInit") == 0) {
		mech.pParameter = NULL;
		mech.ulParameterLen = 0;
		outlen = sizeof buf;
		rv = sign_once(p, key, &mech, msg, inlen, buf, &outlen, &fn);
	}
	if (rv != CKR_OK)
		return escrow_p11_i_fail_rv(err, rv == CKR_MECHANISM_INVALID ?
		    ESCROW_ERR_P11_MECHANISM : ESCROW_ERR_P11, fn, rv,
		    "the %s signature (%s) with key %lu on token `%s' failed",
		    a->name, escrow_p11_mech_name(mech.mechanism),
		    (unsigned long)key, p->label);
	if (outlen > cap)
		return escrow_p11_i_fail(err, ESCROW_ERR_BUFFER_TOO_SMALL, "the signature "
		    "has %lu bytes, the buffer %zu", (unsigned long)outlen, cap);
	memcpy(sig, buf, outlen);
	*siglen = outlen;
	if (used != NULL)
		*used = mech.mechanism;
	return ESCROW_OK;
}

int
escrow_p11_i_verify_host(const struct keys_alginfo *a, EVP_PKEY *pub, const uint8_t *data,
    size_t len, const uint8_t *sig, size_t siglen)
{
	return escrow_keys_verify(pub, a->alg, data, len, sig, siglen) == ESCROW_OK;
}

int
escrow_p11_sign(struct escrow_p11 *p, unsigned long key_handle,
    int algorithm, const uint8_t *data, size_t len, uint8_t *sig, size_t cap,
    size_t *siglen, struct escrow_p11_error *err)
{
	const struct keys_alginfo *a = escrow_p11_i_alg_find(algorithm);

	escrow_p11_i_err_clear(err);
	if (p == NULL || (data == NULL && len > 0) || sig == NULL ||
	    siglen == NULL)
		return escrow_p11_i_fail(err, ESCROW_ERR_INVALID_ARG, "bad arguments");
	if (a == NULL)
		return escrow_p11_i_fail(err, ESCROW_ERR_ALGORITHM, "DNSSEC algorithm %d "
		    "is not supported (%s)", algorithm, "RSASHA256, RSASHA512, "
		    "ECDSAP256SHA256, ECDSAP384SHA384, ED25519, ED448 are");
	return escrow_p11_i_sign_raw(p, key_handle, a, data != NULL ? data :
	    (const uint8_t *)"", len, sig, cap, siglen, NULL, err);
}
