/*
 * slip39_shamir.c - Shamir's secret sharing over GF(2^8) as SLIP-0039 defines it:
 * SplitSecret and RecoverSecret, with the digest share at x = 254.
 *
 * SECRET: the secret, the share values, the digest share D (with its
 * random part R) and the random shares.  They live in escrow_secret_alloc()
 * memory and are wiped on every path.  Public: t, n, len and the x
 * coordinates, which are all that the code branches or indexes on; the
 * Lagrange coefficients are computed from the x coordinates alone.
 */
#include <string.h>

#include <sodium.h>

#include "slip39_gf256.h"
#include "slip39_shamir.h"
#include "ct.h"

void
escrow_shamir_rng_default(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	escrow_random(buf, len);
}

int
escrow_shamir_interpolate(uint8_t x, const uint8_t *xs,
    const uint8_t *const *ys, size_t m, size_t len, uint8_t *out)
{
	uint8_t coef[ESCROW_SHAMIR_MAX_SHARES + 2];
	size_t i, j, k;

	if (m == 0 || m > sizeof coef || len == 0)
		return ESCROW_ERR_INVALID_ARG;
	for (i = 0; i < m; i++)
		for (j = i + 1; j < m; j++)
			if (xs[i] == xs[j])
				return ESCROW_ERR_INVALID_ARG;
	/* Lagrange basis at x: prod_{j != i} (x - x_j) / (x_i - x_j) */
	for (i = 0; i < m; i++) {
		uint8_t num = 1, den = 1;

		for (j = 0; j < m; j++) {
			if (j == i)
				continue;
			num = escrow_gf256_mul(num, escrow_gf256_add(x, xs[j]));
			den = escrow_gf256_mul(den, escrow_gf256_add(xs[i], xs[j]));
		}
		coef[i] = escrow_gf256_div(num, den);
	}
	for (k = 0; k < len; k++) {
		uint8_t acc = 0;

		for (i = 0; i < m; i++)
			acc ^= escrow_gf256_mul(ys[i][k], coef[i]);
		out[k] = acc;
	}
	return ESCROW_OK;
}

/* D = HMAC-SHA256(key = R, msg = S)[0:4] || R, R = D[4:] already filled */
static void
digest_fill(uint8_t *d, const uint8_t *secret, size_t len)
{
	crypto_auth_hmacsha256_state st;
	uint8_t mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&st, d + ESCROW_SHAMIR_DIGEST_LEN,
	    len - ESCROW_SHAMIR_DIGEST_LEN);
	crypto_auth_hmacsha256_update(&st, secret, len);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(d, mac, ESCROW_SHAMIR_DIGEST_LEN);
	sodium_memzero(&st, sizeof st);
	sodium_memzero(mac, sizeof mac);
}

int
escrow_shamir_split(unsigned t, unsigned n, const uint8_t *secret,
    size_t len, uint8_t *out, escrow_rng_fn rng, void *rng_ctx)
{
	uint8_t xs[ESCROW_SHAMIR_MAX_SHARES];
	const uint8_t *ys[ESCROW_SHAMIR_MAX_SHARES];
	uint8_t *d = NULL;
	unsigned i;
	int ret;

	if (t < 1 || t > n || n > ESCROW_SHAMIR_MAX_SHARES || len < 16 ||
	    len > ESCROW_SHAMIR_MAX_LEN || rng == NULL)
		return ESCROW_ERR_INVALID_ARG;
	if (t == 1) {
		for (i = 0; i < n; i++)
			memcpy(out + (size_t)i * len, secret, len);
		return ESCROW_OK;
	}
	d = escrow_secret_alloc(len);
	if (d == NULL)
		return ESCROW_ERR_NOMEM;
	rng(rng_ctx, d + ESCROW_SHAMIR_DIGEST_LEN, len - ESCROW_SHAMIR_DIGEST_LEN);
	digest_fill(d, secret, len);
	/* shares 0..t-3 are random; the polynomial goes through them, D, S */
	for (i = 0; i + 2 < t; i++) {
		rng(rng_ctx, out + (size_t)i * len, len);
		xs[i] = (uint8_t)i;
		ys[i] = out + (size_t)i * len;
	}
	xs[t - 2] = ESCROW_SHAMIR_DIGEST_INDEX;
	ys[t - 2] = d;
	xs[t - 1] = ESCROW_SHAMIR_SECRET_INDEX;
	ys[t - 1] = secret;
	for (i = t - 2; i < n; i++) {
		ret = escrow_shamir_interpolate((uint8_t)i, xs, ys, t, len,
		    out + (size_t)i * len);
		if (ret != ESCROW_OK)
			goto out;
	}
	ret = ESCROW_OK;
out:
	if (ret != ESCROW_OK)
		escrow_wipe(out, (size_t)n * len);
	escrow_secret_free(d);
	return ret;
}

int
escrow_shamir_recover(unsigned t, const uint8_t *xs,
    const uint8_t *const *ys, size_t m, size_t len, uint8_t *out)
{
	uint8_t *d = NULL, *check = NULL;
	int ret, ok;

	if (t < 1 || m != t || len < ESCROW_SHAMIR_DIGEST_LEN + 1 ||
	    len > ESCROW_SHAMIR_MAX_LEN)
		return ESCROW_ERR_INVALID_ARG;
	if (t == 1) {
		memcpy(out, ys[0], len);
		return ESCROW_OK;
	}
	d = escrow_secret_alloc(len);
	check = escrow_secret_alloc(len);
	if (d == NULL || check == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto out;
	}
	ret = escrow_shamir_interpolate(ESCROW_SHAMIR_SECRET_INDEX, xs, ys, m,
	    len, out);
	if (ret != ESCROW_OK)
		goto out;
	ret = escrow_shamir_interpolate(ESCROW_SHAMIR_DIGEST_INDEX, xs, ys, m,
	    len, d);
	if (ret != ESCROW_OK)
		goto out;
	memcpy(check + ESCROW_SHAMIR_DIGEST_LEN, d + ESCROW_SHAMIR_DIGEST_LEN,
	    len - ESCROW_SHAMIR_DIGEST_LEN);
	digest_fill(check, out, len);
	ok = escrow_equal(check, d, ESCROW_SHAMIR_DIGEST_LEN);
	escrow_ct_declassify(&ok, sizeof ok);
	ret = ok ? ESCROW_OK : ESCROW_ERR_DIGEST;
out:
	if (ret != ESCROW_OK)
		escrow_wipe(out, len);
	escrow_secret_free(d);
	escrow_secret_free(check);
	return ret;
}
