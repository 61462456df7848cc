/*
 * keys_dnskey.c - the DNSKEY public-key field of a key (RFC 3110 RSA,
 * RFC 6605 ECDSA, RFC 8080 EdDSA) and public keys rebuilt from that
 * field.  It calls nothing in keys_sign.c (which builds on it: verifying
 * against a DNSKEY field, and escrow_keys_match).
 *
 * Secret: the private EVP_PKEY whose public field is taken (only its
 * public half is read).  Everything produced here is public.
 */
#include <stdint.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "escrow_keys.h"
#include "keys_int.h"

static int
bn_out(const EVP_PKEY *key, const char *name, uint8_t *out, size_t width,
    size_t *len)
{
	BIGNUM *bn = NULL;
	int n, ret = ESCROW_ERR_CRYPTO;

	if (EVP_PKEY_get_bn_param(key, name, &bn) != 1)
		goto out;
	n = BN_num_bytes(bn);
	if (width == 0)
		width = (size_t)n;
	if (n < 0 || (size_t)n > width)
		goto out;
	if (BN_bn2binpad(bn, out, (int)width) != (int)width)
		goto out;
	*len = width;
	ret = ESCROW_OK;
out:
	BN_free(bn);
	ERR_clear_error();
	return ret;
}

static int
rsa_pub(const EVP_PKEY *key, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t e[16], n[512];
	size_t elen = 0, nlen = 0, hdr;
	int ret;

	ret = bn_out(key, OSSL_PKEY_PARAM_RSA_E, e, 0, &elen);
	if (ret == ESCROW_OK && elen > sizeof e)
		ret = ESCROW_ERR_ALGORITHM;
	if (ret != ESCROW_OK)
		return ret;
	if ((unsigned)EVP_PKEY_get_bits(key) > 4096)
		return ESCROW_ERR_ALGORITHM;
	ret = bn_out(key, OSSL_PKEY_PARAM_RSA_N, n, 0, &nlen);
	if (ret != ESCROW_OK)
		return ret;
	hdr = elen <= 255 ? 1 : 3;
	if (hdr + elen + nlen > cap)
		return ESCROW_ERR_BUFFER_TOO_SMALL;
	out[0] = (uint8_t)elen;
	memcpy(out + hdr, e, elen);
	memcpy(out + hdr + elen, n, nlen);
	*len = hdr + elen + nlen;
	return ESCROW_OK;
}

int
escrow_keys_dnskey_pub(const EVP_PKEY *key, int alg, uint8_t *out,
    size_t cap, size_t *len)
{
	const struct keys_alginfo *ai = escrow_keys_i_info(alg);
	size_t l = 0;
	int ret;

	if (key == NULL || out == NULL || len == NULL)
		return ESCROW_ERR_INVALID_ARG;
	ret = escrow_keys_check_alg(key, alg);
	if (ret != ESCROW_OK)
		return ret;
	switch (ai->family) {
	case KEYS_RSA:
		return rsa_pub(key, out, cap, len);
	case KEYS_EC:
		if (cap < 2 * ai->field)
			return ESCROW_ERR_BUFFER_TOO_SMALL;
		ret = bn_out(key, OSSL_PKEY_PARAM_EC_PUB_X, out, ai->field, &l);
		if (ret == ESCROW_OK)
			ret = bn_out(key, OSSL_PKEY_PARAM_EC_PUB_Y,
			    out + ai->field, ai->field, &l);
		if (ret == ESCROW_OK)
			*len = 2 * ai->field;
		return ret;
	case KEYS_EDDSA:
		if (cap < ai->field)
			return ESCROW_ERR_BUFFER_TOO_SMALL;
		l = cap;
		if (EVP_PKEY_get_raw_public_key(key, out, &l) != 1 ||
		    l != ai->field) {
			ERR_clear_error();
			return ESCROW_ERR_CRYPTO;
		}
		*len = l;
		return ESCROW_OK;
	}
	return ESCROW_ERR_ALGORITHM;
}

static int
from_params(const char *type, OSSL_PARAM_BLD *bld, EVP_PKEY **out)
{
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	int ret = ESCROW_ERR_KEY_PARSE;

	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	if (params == NULL || ctx == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto out;
	}
	if (EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) != 1)
		goto out;
	ret = ESCROW_OK;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	ERR_clear_error();
	return ret;
}

static int
rsa_from_field(const uint8_t *pub, size_t len, EVP_PKEY **out)
{
	OSSL_PARAM_BLD *bld = NULL;
	BIGNUM *n = NULL, *e = NULL;
	size_t hdr, elen, nlen;
	int ret = ESCROW_ERR_KEY_PARSE;

	if (len < 1)
		goto out;
	if (pub[0] != 0) {
		hdr = 1;
		elen = pub[0];
	} else {
		if (len < 3)
			goto out;
		hdr = 3;
		elen = (size_t)pub[1] << 8 | pub[2];
	}
	if (elen == 0 || hdr + elen >= len || pub[hdr] == 0)
		goto out;
	nlen = len - hdr - elen;
	if (pub[hdr + elen] == 0)
		goto out;
	if (nlen != 256 && nlen != 384 && nlen != 512) {
		ret = ESCROW_ERR_ALGORITHM;
		goto out;
	}
	e = BN_bin2bn(pub + hdr, (int)elen, NULL);
	n = BN_bin2bn(pub + hdr + elen, (int)nlen, NULL);
	bld = OSSL_PARAM_BLD_new();
	if (e == NULL || n == NULL || bld == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto out;
	}
	if (!BN_is_word(e, 65537)) {
		ret = ESCROW_ERR_ALGORITHM;
		goto out;
	}
	if (OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) != 1) {
		ret = ESCROW_ERR_NOMEM;
		goto out;
	}
	ret = from_params("RSA", bld, out);
out:
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return ret;
}

static int
ec_from_field(const struct keys_alginfo *ai, const uint8_t *pub, size_t len,
    EVP_PKEY **out)
{
	OSSL_PARAM_BLD *bld = NULL;
	uint8_t point[1 + 96];
	int ret = ESCROW_ERR_KEY_PARSE;

	if (len != 2 * ai->field)
		return ESCROW_ERR_KEY_PARSE;
	point[0] = 0x04; /* uncompressed */
	memcpy(point + 1, pub, len);
	bld = OSSL_PARAM_BLD_new();
	if (bld == NULL)
		return ESCROW_ERR_NOMEM;
	if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    ai->group, 0) != 1 ||
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    point, 1 + len) != 1) {
		ret = ESCROW_ERR_NOMEM;
		goto out;
	}
	ret = from_params("EC", bld, out);
out:
	OSSL_PARAM_BLD_free(bld);
	return ret;
}

int
escrow_keys_from_dnskey_pub(int alg, const uint8_t *pub, size_t len,
    EVP_PKEY **out)
{
	const struct keys_alginfo *ai = escrow_keys_i_info(alg);
	int ret;

	if (pub == NULL || out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	*out = NULL;
	if (ai == NULL)
		return ESCROW_ERR_ALGORITHM;
	if (len > ESCROW_KEYS_PUBKEY_MAX)
		return ESCROW_ERR_KEY_PARSE;
	switch (ai->family) {
	case KEYS_RSA:
		ret = rsa_from_field(pub, len, out);
		break;
	case KEYS_EC:
		ret = ec_from_field(ai, pub, len, out);
		break;
	default:
		if (len != ai->field)
			return ESCROW_ERR_KEY_PARSE;
		*out = EVP_PKEY_new_raw_public_key_ex(NULL, ai->ossl_type,
		    NULL, pub, len);
		ret = *out != NULL ? ESCROW_OK : ESCROW_ERR_KEY_PARSE;
		ERR_clear_error();
		break;
	}
	if (ret != ESCROW_OK && *out != NULL) {
		EVP_PKEY_free(*out);
		*out = NULL;
	}
	return ret;
}
