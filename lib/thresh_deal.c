/*
 * thresh_deal.c - the trusted dealer of Shoup's Protocol 1: safe primes,
 * d = e^-1 mod m, the sharing polynomial over Z_m, the shares s_i = f(i)
 * and the verification keys v, v_i = v^{s_i} mod n.
 *
 * Secret: p, q, p', q', m, d, the polynomial's coefficients and every
 * s_i.  All are BN_secure_new() BIGNUMs with BN_FLG_CONSTTIME, cleared by
 * BN_clear_free() on every path; the shares handed out are copied into
 * escrow_secret_alloc() memory.  n, e, v and v_i are public.
 */
#include <string.h>

#include <openssl/bn.h>

#include "thresh_int.h"

struct gencb_arg {
	escrow_thresh_progress_fn fn;
	void *arg;
	int stage;
};

static int
gencb(int a, int b, BN_GENCB *cb)
{
	struct gencb_arg *g = BN_GENCB_get_arg(cb);

	(void)a;
	if (g->fn == NULL)
		return 1;
	return g->fn(g->arg, g->stage, b) == 0;
}

static BIGNUM *
secret_bn(void)
{
	BIGNUM *b = BN_secure_new();

	if (b != NULL)
		BN_set_flags(b, BN_FLG_CONSTTIME);
	return b;
}

#define NSECRET 8

int
escrow_thresh_deal(int alg, unsigned bits, unsigned threshold,
    unsigned count, const char *owner, escrow_thresh_progress_fn progress,
    void *arg, struct escrow_thresh_params **params,
    struct escrow_thresh_share **shares)
{
	struct escrow_thresh_params *pp = NULL;
	struct gencb_arg ga = { progress, arg, 0 };
	BN_GENCB *cb = NULL;
	BN_CTX *ctx = NULL;
	BIGNUM *sec[NSECRET] = { NULL };
	BIGNUM *p, *q, *pq, *qq, *m, *d, *si, *t;
	/* coef[0..k-2] = a_1..a_{k-1}; coef[k-1] points at d while evaluating */
	BIGNUM *coef[ESCROW_THRESH_MAX_PLAYERS] = { NULL };
	unsigned i, made = 0;
	int ret = ESCROW_ERR_CRYPTO;

	if (params == NULL || shares == NULL || owner == NULL)
		return ESCROW_ERR_INVALID_ARG;
	*params = NULL;
	if ((alg != 8 && alg != 10) || bits < 512 || bits > 4096 ||
	    bits % 128 != 0 || threshold < 1 || threshold > count ||
	    count > ESCROW_THRESH_MAX_PLAYERS ||
	    strlen(owner) >= THRESH_OWNER_MAX)
		return ESCROW_ERR_INVALID_ARG;
	/* EMSA-PKCS1-v1_5 needs |n| >= digest info + 11 bytes */
	if (alg == 10 && bits < 768)
		return ESCROW_ERR_INVALID_ARG;
	for (i = 0; i < count; i++)
		shares[i] = NULL;

	if ((pp = thresh_params_new()) == NULL ||
	    (ctx = BN_CTX_secure_new()) == NULL || (cb = BN_GENCB_new()) == NULL)
		goto nomem;
	for (i = 0; i < NSECRET; i++)
		if ((sec[i] = secret_bn()) == NULL)
			goto nomem;
	p = sec[0], q = sec[1], pq = sec[2], qq = sec[3], m = sec[4];
	d = sec[5], si = sec[6], t = sec[7];
	for (i = 0; i + 1 < threshold; i++)
		if ((coef[i] = secret_bn()) == NULL)
			goto nomem;
	BN_GENCB_set(cb, gencb, &ga);

	pp->alg = alg;
	pp->threshold = threshold;
	pp->count = count;
	memcpy(pp->owner, owner, strlen(owner) + 1);
	if (!BN_set_word(pp->e, ESCROW_THRESH_PUBLIC_EXPONENT))
		goto done;

	/* p, q safe primes with p != q and |pq| = bits exactly */
	for (;;) {
		ga.stage = 0;
		if (!BN_generate_prime_ex(p, (int)bits / 2, 1, NULL, NULL, cb)) {
			ret = ESCROW_ERR_INVALID_ARG; /* stopped, or failed */
			goto done;
		}
		ga.stage = 1;
		if (!BN_generate_prime_ex(q, (int)bits / 2, 1, NULL, NULL, cb)) {
			ret = ESCROW_ERR_INVALID_ARG;
			goto done;
		}
		if (BN_cmp(p, q) == 0)
			continue;
		if (!BN_mul(pp->n, p, q, ctx))
			goto done;
		if (BN_num_bits(pp->n) == (int)bits)
			break;
	}
	/* p' = (p-1)/2, q' = (q-1)/2, m = p'q' */
	if (!BN_rshift1(pq, p) || !BN_rshift1(qq, q) || !BN_mul(m, pq, qq, ctx))
		goto done;
	/* e must be invertible mod m: p', q' are primes > e for these sizes */
	if (BN_mod_inverse(d, pp->e, m, ctx) == NULL)
		goto done;
	BN_set_flags(d, BN_FLG_CONSTTIME);

	/* a_1..a_{k-1} uniform in [0, m) */
	for (i = 0; i + 1 < threshold; i++)
		if (!BN_priv_rand_range(coef[i], m))
			goto random;

	/* v = r^2 mod n for r in Z_n^* (r public once v is out: it need not be kept) */
	do {
		if (!BN_rand_range(t, pp->n))
			goto random;
		if (!BN_gcd(si, t, pp->n, ctx))
			goto done;
	} while (BN_is_zero(t) || !BN_is_one(si));
	if (!BN_mod_sqr(pp->v, t, pp->n, ctx))
		goto done;

	for (i = 1; i <= count; i++) {
		struct escrow_thresh_share *sh;

		coef[threshold - 1] = d; /* borrowed for f(0) = d */
		ret = thresh_poly_eval(coef, threshold, i, m, si, ctx);
		coef[threshold - 1] = NULL;
		if (ret != 0)
			goto done;
		ret = ESCROW_ERR_CRYPTO;
		if (!BN_mod_exp_mont_consttime(pp->vi[i - 1], pp->v, si, pp->n,
		    ctx, NULL))
			goto done;
		sh = escrow_secret_alloc(sizeof *sh);
		if (sh == NULL)
			goto nomem;
		shares[i - 1] = sh;
		made = i;
		sh->index = i;
		sh->threshold = threshold;
		sh->count = count;
		sh->s_len = (size_t)BN_num_bytes(m);
		if (thresh_bn_put(si, sh->s, sh->s_len) != 0)
			goto done;
	}
	if ((ret = thresh_params_finish(pp)) != 0)
		goto done;
	for (i = 0; i < count; i++)
		memcpy(shares[i]->fpr, pp->fpr, sizeof pp->fpr);
	*params = pp;
	pp = NULL;
	ret = ESCROW_OK;
	goto done;
random:
	ret = ESCROW_ERR_RANDOM;
	goto done;
nomem:
	ret = ESCROW_ERR_NOMEM;
done:
	for (i = 0; i < NSECRET; i++)
		BN_clear_free(sec[i]);
	for (i = 0; i < ESCROW_THRESH_MAX_PLAYERS; i++)
		BN_clear_free(coef[i]);
	BN_CTX_free(ctx);
	BN_GENCB_free(cb);
	if (ret != ESCROW_OK) {
		for (i = 0; i < made; i++) {
			escrow_thresh_share_free(shares[i]);
			shares[i] = NULL;
		}
		escrow_thresh_params_free(pp);
	}
	return ret;
}

int
thresh_poly_eval(BIGNUM *const *coef, unsigned k, unsigned x,
    const BIGNUM *m, BIGNUM *out, BN_CTX *ctx)
{
	unsigned j;

	/* Horner from the top: f(x) = (...(a_{k-1} x + a_{k-2}) x + ...) x + a_0 */
	BN_zero(out);
	BN_set_flags(out, BN_FLG_CONSTTIME);
	for (j = k; j-- > 0;) {
		const BIGNUM *a = j == 0 ? coef[k - 1] : coef[j - 1];

		if (!BN_mul_word(out, x) || !BN_mod_add(out, out, a, m, ctx))
			return ESCROW_ERR_CRYPTO;
	}
	return ESCROW_OK;
}

void
escrow_thresh_share_free(struct escrow_thresh_share *s)
{
	escrow_secret_free(s);
}
