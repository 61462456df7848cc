/*
 * thresh_int.h - internal: the structures behind escrow_thresh.h and the
 * BIGNUM helpers its files share.
 *
 * Secret: struct escrow_thresh_share (s[] is the share s_i), allocated
 * with escrow_secret_alloc().  BIGNUMs made from it are BN_secure_new(),
 * flagged BN_FLG_CONSTTIME and cleared when freed.
 */
#ifndef ESCROW_THRESH_INT_H
#define ESCROW_THRESH_INT_H

#include <openssl/bn.h>

#include "escrow_thresh.h"

#define THRESH_OWNER_MAX 1024

struct escrow_thresh_params {
	int alg;
	unsigned threshold, count;
	char owner[THRESH_OWNER_MAX];
	BIGNUM *n, *e, *v;
	BIGNUM *vi[ESCROW_THRESH_MAX_PLAYERS]; /* vi[i-1] = v_i */
	size_t nbytes;                         /* |n| in bytes */
	uint8_t fpr[ESCROW_THRESH_FPR_BYTES];  /* of the canonical text */
};

struct escrow_thresh_share {
	unsigned index, threshold, count;
	uint8_t fpr[ESCROW_THRESH_FPR_BYTES];
	size_t s_len;
	uint8_t s[ESCROW_THRESH_MOD_MAX];      /* SECRET: s_i, big-endian */
};

/* New empty parameters (all BIGNUMs allocated). */
struct escrow_thresh_params *thresh_params_new(void);
/* Compute nbytes and the fingerprint after the values are set. */
int thresh_params_finish(struct escrow_thresh_params *p) ESCROW_WUR;

/* s_i as a secret BIGNUM (BN_secure_new, BN_FLG_CONSTTIME); NULL on error. */
BIGNUM *thresh_share_bn(const struct escrow_thresh_share *s);

/*
 * f(x) mod m for f = a_0 + a_1 X + ... + a_{k-1} X^{k-1}, given as
 * coef[0..k-2] = a_1..a_{k-1} and coef[k-1] = a_0 (the dealer keeps d
 * there).  out gets BN_FLG_CONSTTIME.
 */
int thresh_poly_eval(BIGNUM *const *coef, unsigned k, unsigned x,
    const BIGNUM *m, BIGNUM *out, BN_CTX *ctx) ESCROW_WUR;

/* Delta = count! */
int thresh_delta(unsigned count, BIGNUM *delta) ESCROW_WUR;

/* Big-endian, left-padded to len bytes. */
int thresh_bn_put(const BIGNUM *a, uint8_t *out, size_t len) ESCROW_WUR;

/* r = a^|k| mod n, using a^-1 when k is negative (public values only). */
int thresh_exp_signed(BIGNUM *r, const BIGNUM *a, const BIGNUM *k,
    const BIGNUM *n, BN_CTX *ctx) ESCROW_WUR;

/* The message representative x of data as a BIGNUM. */
int thresh_message_bn(const struct escrow_thresh_params *p,
    const uint8_t *data, size_t len, BIGNUM *x) ESCROW_WUR;

#endif
