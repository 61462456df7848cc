/*
 * thresh_sign.c - one custodian's partial signature x_i = x^{2 Delta s_i}
 * with Shoup's non-interactive proof of correctness, and its check by
 * anyone.  The message representative x is EMSA-PKCS1-v1_5 (RFC 8017
 * 9.2) of SHA-256 / SHA-512 (DNSSEC algorithms 8 / 10, RFC 5702).
 *
 * Secret: s_i, the exponent 2 Delta s_i and the proof's random r
 * (BN_secure_new(), BN_FLG_CONSTTIME, cleared).  Every exponentiation by
 * them is BN_mod_exp_mont_consttime().  z = s_i c + r is public (it is
 * part of the proof; r hides s_i statistically, 2 L1 bits wider than
 * c s_i).  The data, x, x_i, c, z are public.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "thresh_int.h"

static const uint8_t prefix_sha256[] = { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09,
	0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04,
	0x20 };
static const uint8_t prefix_sha512[] = { 0x30, 0x51, 0x30, 0x0d, 0x06, 0x09,
	0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04,
	0x40 };

#define PROOF_DOMAIN "escrow threshold proof v1"

int
escrow_thresh_encode_message(const struct escrow_thresh_params *p,
    const uint8_t *data, size_t len, uint8_t *x, size_t cap, size_t *xlen)
{
	const uint8_t *prefix = p->alg == 10 ? prefix_sha512 : prefix_sha256;
	size_t plen = p->alg == 10 ? sizeof prefix_sha512 : sizeof prefix_sha256;
	size_t hlen = p->alg == 10 ? 64 : 32, k = p->nbytes, t = plen + hlen;
	unsigned int got = 0;

	if (cap < k)
		return ESCROW_ERR_BUFFER_TOO_SMALL;
	if (k < t + 11)
		return ESCROW_ERR_INVALID_ARG;
	if (!EVP_Digest(data, len, x + k - hlen, &got,
	    p->alg == 10 ? EVP_sha512() : EVP_sha256(), NULL) || got != hlen)
		return ESCROW_ERR_CRYPTO;
	x[0] = 0x00;
	x[1] = 0x01;
	memset(x + 2, 0xff, k - t - 3);
	x[k - t - 1] = 0x00;
	memcpy(x + k - t, prefix, plen);
	*xlen = k;
	return ESCROW_OK;
}

int
thresh_message_bn(const struct escrow_thresh_params *p, const uint8_t *data,
    size_t len, BIGNUM *x)
{
	uint8_t em[ESCROW_THRESH_MOD_MAX];
	size_t elen;
	int ret;

	if ((ret = escrow_thresh_encode_message(p, data, len, em, sizeof em,
	    &elen)) != 0)
		return ret;
	return BN_bin2bn(em, (int)elen, x) != NULL ? ESCROW_OK :
	    ESCROW_ERR_NOMEM;
}

/* c = H'(v, x~, v_i, x_i^2, v', x'), each as |n| bytes. */
static int
challenge(const struct escrow_thresh_params *p, const BIGNUM *const vals[6],
    uint8_t c[ESCROW_THRESH_HASH_BYTES])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint8_t buf[ESCROW_THRESH_MOD_MAX];
	unsigned int got = 0;
	int i, ret = ESCROW_ERR_CRYPTO;

	if (md == NULL)
		return ESCROW_ERR_NOMEM;
	if (!EVP_DigestInit_ex(md, EVP_sha256(), NULL) ||
	    !EVP_DigestUpdate(md, PROOF_DOMAIN, sizeof PROOF_DOMAIN))
		goto done;
	buf[0] = (uint8_t)(p->nbytes >> 8);
	buf[1] = (uint8_t)p->nbytes;
	if (!EVP_DigestUpdate(md, buf, 2))
		goto done;
	for (i = 0; i < 6; i++) {
		if (thresh_bn_put(vals[i], buf, p->nbytes) != 0 ||
		    !EVP_DigestUpdate(md, buf, p->nbytes))
			goto done;
	}
	if (!EVP_DigestFinal_ex(md, c, &got) || got != ESCROW_THRESH_HASH_BYTES)
		goto done;
	ret = ESCROW_OK;
done:
	EVP_MD_CTX_free(md);
	return ret;
}

/* x~ = x^{4 Delta} mod n */
static int
x_tilde(const struct escrow_thresh_params *p, const BIGNUM *x, BIGNUM *xt,
    BN_CTX *ctx)
{
	BIGNUM *k = BN_new();
	int ret = ESCROW_ERR_CRYPTO;

	if (k == NULL)
		return ESCROW_ERR_NOMEM;
	if (thresh_delta(p->count, k) == 0 && BN_mul_word(k, 4) &&
	    BN_mod_exp(xt, x, k, p->n, ctx))
		ret = ESCROW_OK;
	BN_free(k);
	return ret;
}

int
escrow_thresh_partial_sign(const struct escrow_thresh_params *p,
    const struct escrow_thresh_share *s, const uint8_t *data, size_t len,
    struct escrow_thresh_partial *out)
{
	BN_CTX *ctx = NULL;
	BIGNUM *si = NULL, *ex = NULL, *r = NULL, *z = NULL;
	BIGNUM *x = NULL, *xt = NULL, *xi = NULL, *xi2 = NULL, *vp = NULL;
	BIGNUM *xp = NULL, *c = NULL;
	const BIGNUM *vals[6];
	int ret = ESCROW_ERR_NOMEM;

	if (p == NULL || s == NULL || out == NULL || s->index < 1 ||
	    s->index > p->count)
		return ESCROW_ERR_INVALID_ARG;
	memset(out, 0, sizeof *out);
	if ((ctx = BN_CTX_secure_new()) == NULL ||
	    (si = thresh_share_bn(s)) == NULL || (ex = BN_secure_new()) == NULL ||
	    (r = BN_secure_new()) == NULL || (z = BN_secure_new()) == NULL ||
	    (x = BN_new()) == NULL || (xt = BN_new()) == NULL ||
	    (xi = BN_new()) == NULL || (xi2 = BN_new()) == NULL ||
	    (vp = BN_new()) == NULL || (xp = BN_new()) == NULL ||
	    (c = BN_new()) == NULL)
		goto done;
	BN_set_flags(ex, BN_FLG_CONSTTIME);
	BN_set_flags(r, BN_FLG_CONSTTIME);
	if ((ret = thresh_message_bn(p, data, len, x)) != 0)
		goto done;
	ret = ESCROW_ERR_CRYPTO;
	/* exponent 2 Delta s_i */
	if (thresh_delta(p->count, ex) != 0 || !BN_mul_word(ex, 2) ||
	    !BN_mul(ex, ex, si, ctx))
		goto done;
	BN_set_flags(ex, BN_FLG_CONSTTIME);
	if (!BN_mod_exp_mont_consttime(xi, x, ex, p->n, ctx, NULL))
		goto done;
	if (x_tilde(p, x, xt, ctx) != 0 || !BN_mod_sqr(xi2, xi, p->n, ctx))
		goto done;
	/* r uniform in [0, 2^(L(n) + 2 L1)) */
	if (!BN_priv_rand(r, BN_num_bits(p->n) + 16 * ESCROW_THRESH_HASH_BYTES,
	    BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY)) {
		ret = ESCROW_ERR_RANDOM;
		goto done;
	}
	BN_set_flags(r, BN_FLG_CONSTTIME);
	if (!BN_mod_exp_mont_consttime(vp, p->v, r, p->n, ctx, NULL) ||
	    !BN_mod_exp_mont_consttime(xp, xt, r, p->n, ctx, NULL))
		goto done;
	vals[0] = p->v;
	vals[1] = xt;
	vals[2] = p->vi[s->index - 1];
	vals[3] = xi2;
	vals[4] = vp;
	vals[5] = xp;
	if (challenge(p, vals, out->c) != 0)
		goto done;
	if (BN_bin2bn(out->c, ESCROW_THRESH_HASH_BYTES, c) == NULL ||
	    !BN_mul(z, si, c, ctx) || !BN_add(z, z, r))
		goto done;
	out->index = s->index;
	out->xi_len = p->nbytes;
	out->z_len = (size_t)BN_num_bytes(z);
	if (out->z_len > sizeof out->z ||
	    thresh_bn_put(xi, out->xi, out->xi_len) != 0 ||
	    thresh_bn_put(z, out->z, out->z_len) != 0)
		goto done;
	ret = ESCROW_OK;
done:
	BN_clear_free(si);
	BN_clear_free(ex);
	BN_clear_free(r);
	BN_clear_free(z);
	BN_free(x);
	BN_free(xt);
	BN_free(xi);
	BN_free(xi2);
	BN_free(vp);
	BN_free(xp);
	BN_free(c);
	BN_CTX_free(ctx);
	if (ret != ESCROW_OK)
		memset(out, 0, sizeof *out);
	return ret;
}

int
escrow_thresh_partial_verify(const struct escrow_thresh_params *p,
    const uint8_t *data, size_t len, const struct escrow_thresh_partial *part)
{
	BN_CTX *ctx = NULL;
	BIGNUM *x = NULL, *xt = NULL, *xi = NULL, *xi2 = NULL, *z = NULL;
	BIGNUM *c = NULL, *a = NULL, *b = NULL, *vp = NULL, *xp = NULL;
	BIGNUM *g = NULL;
	const BIGNUM *vals[6];
	uint8_t c2[ESCROW_THRESH_HASH_BYTES];
	int ret = ESCROW_ERR_NOMEM;

	if (p == NULL || part == NULL)
		return ESCROW_ERR_INVALID_ARG;
	if (part->index < 1 || part->index > p->count)
		return ESCROW_ERR_INVALID_ARG;
	if (part->xi_len != p->nbytes || part->z_len == 0 ||
	    part->z_len > p->nbytes + 2 * ESCROW_THRESH_HASH_BYTES + 1)
		return ESCROW_ERR_FORMAT;
	if ((ctx = BN_CTX_new()) == NULL || (x = BN_new()) == NULL ||
	    (xt = BN_new()) == NULL || (xi = BN_new()) == NULL ||
	    (xi2 = BN_new()) == NULL || (z = BN_new()) == NULL ||
	    (c = BN_new()) == NULL || (a = BN_new()) == NULL ||
	    (b = BN_new()) == NULL || (vp = BN_new()) == NULL ||
	    (xp = BN_new()) == NULL || (g = BN_new()) == NULL)
		goto done;
	ret = ESCROW_ERR_FORMAT;
	if (BN_bin2bn(part->xi, (int)part->xi_len, xi) == NULL ||
	    BN_bin2bn(part->z, (int)part->z_len, z) == NULL ||
	    BN_bin2bn(part->c, ESCROW_THRESH_HASH_BYTES, c) == NULL)
		goto done;
	if (BN_is_zero(xi) || BN_cmp(xi, p->n) >= 0 ||
	    !BN_gcd(g, xi, p->n, ctx) || !BN_is_one(g))
		goto done;
	if ((ret = thresh_message_bn(p, data, len, x)) != 0)
		goto done;
	ret = ESCROW_ERR_CRYPTO;
	if (x_tilde(p, x, xt, ctx) != 0 || !BN_mod_sqr(xi2, xi, p->n, ctx))
		goto done;
	/* v' = v^z v_i^{-c},  x' = x~^z (x_i^2)^{-c} */
	if (!BN_mod_exp(a, p->v, z, p->n, ctx) ||
	    !BN_mod_exp(b, p->vi[part->index - 1], c, p->n, ctx) ||
	    BN_mod_inverse(b, b, p->n, ctx) == NULL ||
	    !BN_mod_mul(vp, a, b, p->n, ctx))
		goto done;
	if (!BN_mod_exp(a, xt, z, p->n, ctx) ||
	    !BN_mod_exp(b, xi2, c, p->n, ctx) ||
	    BN_mod_inverse(b, b, p->n, ctx) == NULL ||
	    !BN_mod_mul(xp, a, b, p->n, ctx))
		goto done;
	vals[0] = p->v;
	vals[1] = xt;
	vals[2] = p->vi[part->index - 1];
	vals[3] = xi2;
	vals[4] = vp;
	vals[5] = xp;
	if (challenge(p, vals, c2) != 0)
		goto done;
	ret = CRYPTO_memcmp(c2, part->c, sizeof c2) == 0 ? ESCROW_OK :
	    ESCROW_ERR_PROOF;
done:
	BN_free(x);
	BN_free(xt);
	BN_free(xi);
	BN_free(xi2);
	BN_free(z);
	BN_free(c);
	BN_free(a);
	BN_free(b);
	BN_free(vp);
	BN_free(xp);
	BN_free(g);
	BN_CTX_free(ctx);
	return ret;
}
