/*
 * slip39_shamir.h - internal: Shamir's secret sharing over GF(2^8), byte by byte,
 * as SLIP-0039 uses it (secret at x = 255, digest at x = 254).
 *
 * SECRET: the secret, every share value (ys), the digest share and the
 * random values.  Public: thresholds, counts and x coordinates.
 */
#ifndef ESCROW_SHAMIR_H
#define ESCROW_SHAMIR_H

#include <stddef.h>
#include <stdint.h>

#include "escrow.h"

#define ESCROW_SHAMIR_SECRET_INDEX 255
#define ESCROW_SHAMIR_DIGEST_INDEX 254
#define ESCROW_SHAMIR_DIGEST_LEN 4
#define ESCROW_SHAMIR_MAX_SHARES 16
#define ESCROW_SHAMIR_MAX_LEN 64

/* A source of random bytes (escrow_random, or a test's). */
typedef void (*escrow_rng_fn)(void *ctx, uint8_t *buf, size_t len);

/* escrow_rng_fn over escrow_random(); ctx unused */
void escrow_shamir_rng_default(void *ctx, uint8_t *buf, size_t len);

/*
 * out = f(x) where f is the polynomial through (xs[i], ys[i]), i < m, each
 * ys[i] len bytes.  xs must be distinct (else ESCROW_ERR_INVALID_ARG).
 */
int escrow_shamir_interpolate(uint8_t x, const uint8_t *xs,
    const uint8_t *const *ys, size_t m, size_t len, uint8_t *out) ESCROW_WUR;

/*
 * SLIP-0039 SplitSecret(T, N, S): out holds n rows of len bytes, row i being
 * the share at x = i.  1 <= t <= n <= 16, 16 <= len <= 64.
 */
int escrow_shamir_split(unsigned t, unsigned n, const uint8_t *secret,
    size_t len, uint8_t *out, escrow_rng_fn rng, void *rng_ctx) ESCROW_WUR;

/*
 * SLIP-0039 RecoverSecret(T, shares): out (len bytes) = f(255), after
 * checking the digest at f(254) when t >= 2 (ESCROW_ERR_DIGEST, out wiped).
 * m must be t (the caller checks counts).
 */
int escrow_shamir_recover(unsigned t, const uint8_t *xs,
    const uint8_t *const *ys, size_t m, size_t len, uint8_t *out) ESCROW_WUR;

#endif
