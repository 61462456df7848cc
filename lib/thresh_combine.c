/*
 * thresh_combine.c - combining M partial signatures into the ordinary RSA
 * signature (Shoup, Protocol 1): integer Lagrange coefficients scaled by
 * Delta = N!, w = prod x_j^{2 lambda_{0,j}}, then y = w^a x^b with
 * 4 Delta^2 a + e b = 1 from the extended Euclidean algorithm.
 *
 * Nothing here is secret: partials, their indices and the result are
 * public, so plain (not constant-time) BIGNUM arithmetic is used.
 */
#include <string.h>

#include <openssl/bn.h>

#include "thresh_int.h"

/* lambda = Delta prod_{j' in S, j' != j} (i - j') / (j - j') as a BIGNUM. */
static int
lambda_bn(const unsigned *set, size_t k, unsigned l, long i, unsigned j,
    BIGNUM *lambda, BN_CTX *ctx)
{
	BIGNUM *num = BN_new(), *den = BN_new(), *t = BN_new(), *rem = BN_new();
	size_t a;
	int found = 0, ret = ESCROW_ERR_CRYPTO;

	if (num == NULL || den == NULL || t == NULL || rem == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto done;
	}
	if (thresh_delta(l, num) != 0 || !BN_one(den))
		goto done;
	for (a = 0; a < k; a++) {
		long diff;

		if (set[a] == j) {
			found = 1;
			continue;
		}
		diff = i - (long)set[a];
		if (!BN_set_word(t, (BN_ULONG)(diff < 0 ? -diff : diff)))
			goto done;
		BN_set_negative(t, diff < 0);
		if (!BN_mul(num, num, t, ctx))
			goto done;
		diff = (long)j - (long)set[a];
		if (diff == 0) {
			ret = ESCROW_ERR_DUPLICATE_SHARE;
			goto done;
		}
		if (!BN_set_word(t, (BN_ULONG)(diff < 0 ? -diff : diff)))
			goto done;
		BN_set_negative(t, diff < 0);
		if (!BN_mul(den, den, t, ctx))
			goto done;
	}
	if (!found) {
		ret = ESCROW_ERR_INVALID_ARG;
		goto done;
	}
	if (!BN_div(lambda, rem, num, den, ctx))
		goto done;
	/* Delta makes it an integer (Shoup, Protocol 1): check, never assume */
	ret = BN_is_zero(rem) ? ESCROW_OK : ESCROW_ERR_CRYPTO;
done:
	BN_free(num);
	BN_free(den);
	BN_free(t);
	BN_free(rem);
	return ret;
}

static int
check_set(const unsigned *set, size_t k, unsigned l)
{
	size_t a, b;

	if (k < 1 || l < 1 || l > ESCROW_THRESH_MAX_PLAYERS)
		return ESCROW_ERR_INVALID_ARG;
	for (a = 0; a < k; a++) {
		if (set[a] < 1 || set[a] > l)
			return ESCROW_ERR_INVALID_ARG;
		for (b = 0; b < a; b++)
			if (set[a] == set[b])
				return ESCROW_ERR_DUPLICATE_SHARE;
	}
	return ESCROW_OK;
}

int
escrow_thresh_lambda(const unsigned *set, size_t k, unsigned l, long i,
    unsigned j, int64_t *lambda)
{
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *r = BN_new();
	int ret;

	if (ctx == NULL || r == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto done;
	}
	if ((ret = check_set(set, k, l)) != 0)
		goto done;
	if ((ret = lambda_bn(set, k, l, i, j, r, ctx)) != 0)
		goto done;
	if (BN_num_bits(r) > 62) {
		ret = ESCROW_ERR_TOO_LARGE;
		goto done;
	}
	*lambda = (int64_t)BN_get_word(r);
	if (BN_is_negative(r))
		*lambda = -*lambda;
	ret = ESCROW_OK;
done:
	BN_free(r);
	BN_CTX_free(ctx);
	return ret;
}

int
escrow_thresh_combine(const struct escrow_thresh_params *p,
    const uint8_t *data, size_t len,
    const struct escrow_thresh_partial *parts, size_t nparts, uint8_t *sig,
    size_t cap, size_t *siglen, unsigned *missing)
{
	unsigned set[ESCROW_THRESH_MAX_PLAYERS];
	BN_CTX *ctx = NULL;
	BIGNUM *x = NULL, *w = NULL, *t = NULL, *lam = NULL, *xj = NULL;
	BIGNUM *ep = NULL, *a = NULL, *b = NULL, *y = NULL;
	size_t k, i;
	int ret;

	if (missing != NULL)
		*missing = 0;
	if (p == NULL || (parts == NULL && nparts > 0) || sig == NULL)
		return ESCROW_ERR_INVALID_ARG;
	k = p->threshold;
	if (nparts < k) {
		if (missing != NULL)
			*missing = (unsigned)(k - nparts);
		return ESCROW_ERR_TOO_FEW_SHARES;
	}
	if (cap < p->nbytes)
		return ESCROW_ERR_BUFFER_TOO_SMALL;
	for (i = 0; i < k; i++)
		set[i] = parts[i].index;
	if ((ret = check_set(set, k, p->count)) != 0)
		return ret;
	ret = ESCROW_ERR_NOMEM;
	if ((ctx = BN_CTX_new()) == NULL || (x = BN_new()) == NULL ||
	    (w = BN_new()) == NULL || (t = BN_new()) == NULL ||
	    (lam = BN_new()) == NULL || (xj = BN_new()) == NULL ||
	    (ep = BN_new()) == NULL || (a = BN_new()) == NULL ||
	    (b = BN_new()) == NULL || (y = BN_new()) == NULL)
		goto done;
	if ((ret = thresh_message_bn(p, data, len, x)) != 0)
		goto done;
	ret = ESCROW_ERR_CRYPTO;
	/* w = prod_{j in S} x_j^{2 lambda_{0,j}} */
	if (!BN_one(w))
		goto done;
	for (i = 0; i < k; i++) {
		if (parts[i].xi_len != p->nbytes ||
		    BN_bin2bn(parts[i].xi, (int)parts[i].xi_len, xj) == NULL) {
			ret = ESCROW_ERR_FORMAT;
			goto done;
		}
		if ((ret = lambda_bn(set, k, p->count, 0, set[i], lam, ctx)) != 0)
			goto done;
		ret = ESCROW_ERR_CRYPTO;
		if (!BN_lshift1(lam, lam) ||
		    thresh_exp_signed(t, xj, lam, p->n, ctx) != 0 ||
		    !BN_mod_mul(w, w, t, p->n, ctx))
			goto done;
	}
	/* e' = 4 Delta^2; b = e^-1 mod e', a = (1 - e b) / e' */
	if (thresh_delta(p->count, ep) != 0 || !BN_sqr(ep, ep, ctx) ||
	    !BN_lshift(ep, ep, 2) || BN_mod_inverse(b, p->e, ep, ctx) == NULL ||
	    !BN_mul(t, p->e, b, ctx) || !BN_sub(t, BN_value_one(), t) ||
	    !BN_div(a, lam, t, ep, ctx) || !BN_is_zero(lam))
		goto done;
	/* y = w^a x^b */
	if (thresh_exp_signed(t, w, a, p->n, ctx) != 0 ||
	    thresh_exp_signed(y, x, b, p->n, ctx) != 0 ||
	    !BN_mod_mul(y, y, t, p->n, ctx))
		goto done;
	/* y^e must be x: otherwise a partial was wrong after all */
	if (!BN_mod_exp(t, y, p->e, p->n, ctx))
		goto done;
	if (BN_cmp(t, x) != 0) {
		ret = ESCROW_ERR_PROOF;
		goto done;
	}
	if (thresh_bn_put(y, sig, p->nbytes) != 0)
		goto done;
	*siglen = p->nbytes;
	ret = ESCROW_OK;
done:
	BN_free(x);
	BN_free(w);
	BN_free(t);
	BN_free(lam);
	BN_free(xj);
	BN_free(ep);
	BN_free(a);
	BN_free(b);
	BN_free(y);
	BN_CTX_free(ctx);
	return ret;
}
