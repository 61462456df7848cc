/*
 * escrow_thresh.h - threshold RSA signatures after Shoup, "Practical
 * Threshold Signatures" (EUROCRYPT 2000), Protocol 1 with a trusted
 * dealer: dealing, partial signatures with proofs of correctness, proof
 * checking and combining into an ordinary RSA PKCS#1 v1.5 signature
 * (DNSSEC algorithms 8 and 10).  Formats: docs/FORMAT.md, "Threshold".
 *
 * Secret: struct escrow_thresh_share (the share s_i of the private
 * exponent) and, during dealing, p, q, m = p'q', d and the polynomial.
 * They live in escrow_secret_alloc() memory or in BN_secure_new()
 * BIGNUMs that are cleared when freed; every exponentiation by a secret
 * exponent is constant time (BN_mod_exp_mont_consttime).  The other
 * arithmetic on secrets (the polynomial over Z_m, 2 Delta s_i, s_i c + r,
 * reading s_i into a BIGNUM) is OpenSSL's ordinary BIGNUM code, whose
 * time depends on the operands' word lengths, not on their bits: it is
 * not constant time in the strict sense.  Everything else here -
 * the public parameters, partial signatures, proofs - is public.
 */
#ifndef ESCROW_THRESH_H
#define ESCROW_THRESH_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "escrow.h"

#define ESCROW_THRESH_MAX_PLAYERS 64   /* Delta = N! stays small enough */
#define ESCROW_THRESH_MOD_MAX 512      /* bytes of n: RSA-4096 */
#define ESCROW_THRESH_HASH_BYTES 32    /* L1 = 256: H' is SHA-256 */
/* z < 2^(L(n) + 2 L1) + 2^L1 m: at most L(n)/8 + 2 L1/8 + 1 bytes */
#define ESCROW_THRESH_Z_MAX (ESCROW_THRESH_MOD_MAX + 2 * ESCROW_THRESH_HASH_BYTES + 1)
#define ESCROW_THRESH_FPR_BYTES 32     /* SHA-256 of the parameters file */
#define ESCROW_THRESH_PUBLIC_EXPONENT 65537u

/* Public parameters: (n, e, v, v_1..v_N), threshold M, count N. */
struct escrow_thresh_params;
/* One custodian's share: index i, s_i, and the parameters' fingerprint. */
struct escrow_thresh_share;

/* One partial signature on one message representative, with its proof. */
struct escrow_thresh_partial {
	unsigned index;                       /* i, 1..N */
	uint8_t xi[ESCROW_THRESH_MOD_MAX];    /* x_i, big-endian, len = |n| */
	size_t xi_len;
	uint8_t c[ESCROW_THRESH_HASH_BYTES];  /* proof challenge */
	uint8_t z[ESCROW_THRESH_Z_MAX];       /* proof response, big-endian */
	size_t z_len;
};

/*
 * Progress while looking for safe primes: stage 0 while searching for p,
 * 1 for q; count as OpenSSL's BN_GENCB gives it.  Return nonzero to stop
 * (dealing then fails with ESCROW_ERR_INVALID_ARG).  May be NULL.
 */
typedef int (*escrow_thresh_progress_fn)(void *arg, int stage, int count);

/*
 * Deal a new key: safe primes p = 2p'+1, q = 2q'+1 of bits/2 bits each
 * (bits: 2048, 3072, 4096; tests may use any multiple of 128 from 512),
 * e = 65537, d = e^-1 mod p'q', a random polynomial of degree threshold-1
 * with f(0) = d, s_i = f(i) mod m, v a random square, v_i = v^{s_i}.
 * alg 8 or 10 (the hash of the message representative).  owner is the
 * DNS owner name in text, kept in the parameters.  On success *params
 * and shares[0..count-1] are set (free with the functions below); p, q,
 * m, d and the polynomial are wiped before returning.
 */
int escrow_thresh_deal(int alg, unsigned bits, unsigned threshold,
    unsigned count, const char *owner, escrow_thresh_progress_fn progress,
    void *arg, struct escrow_thresh_params **params,
    struct escrow_thresh_share **shares) ESCROW_WUR;

void escrow_thresh_params_free(struct escrow_thresh_params *p);
void escrow_thresh_share_free(struct escrow_thresh_share *s);

/* ---- public parameters ---------------------------------------------------- */

unsigned escrow_thresh_params_threshold(const struct escrow_thresh_params *p);
unsigned escrow_thresh_params_count(const struct escrow_thresh_params *p);
int escrow_thresh_params_alg(const struct escrow_thresh_params *p);
unsigned escrow_thresh_params_bits(const struct escrow_thresh_params *p);
const char *escrow_thresh_params_owner(const struct escrow_thresh_params *p);
/* SHA-256 of the canonical text of the parameters. */
void escrow_thresh_params_fingerprint(const struct escrow_thresh_params *p,
    uint8_t fpr[static ESCROW_THRESH_FPR_BYTES]);
/* The public key (n, e) as an OpenSSL key, for ordinary verification. */
int escrow_thresh_params_public_key(const struct escrow_thresh_params *p,
    EVP_PKEY **out) ESCROW_WUR;
/* DNSKEY public-key field (RFC 3110) of (n, e); cap >= 516. */
int escrow_thresh_params_dnskey_pub(const struct escrow_thresh_params *p,
    uint8_t *out, size_t cap, size_t *len) ESCROW_WUR;

/*
 * The parameters as canonical text (docs/FORMAT.md "Threshold public
 * parameters"); *text malloc'd, NUL-terminated.
 */
int escrow_thresh_params_text(const struct escrow_thresh_params *p,
    char **text, size_t *len) ESCROW_WUR;
/*
 * Parse parameters text.  Strict: the text must be exactly the canonical
 * form (it is re-encoded and compared), every value in range (v and v_i
 * in 1..n-1, 1 <= M <= N <= 64, e = 65537 > N, n of 512..4096 bits).
 * ESCROW_ERR_FORMAT names no line; *bad_line (optional) gets it, 1-based.
 */
int escrow_thresh_params_parse(const char *text, size_t len,
    struct escrow_thresh_params **out, unsigned *bad_line) ESCROW_WUR;

/* ---- shares (SECRET) ------------------------------------------------------ */

unsigned escrow_thresh_share_index(const struct escrow_thresh_share *s);
/* The fingerprint of the parameters the share was dealt with. */
const uint8_t *escrow_thresh_share_params_fpr(const struct escrow_thresh_share *s);

/*
 * Binary record of a share (docs/FORMAT.md "Threshold share record"),
 * written into out (cap >= escrow_thresh_share_record_len()); out should
 * be escrow_secret_alloc() memory: it holds the share.
 */
size_t escrow_thresh_share_record_len(const struct escrow_thresh_share *s);
int escrow_thresh_share_record(const struct escrow_thresh_share *s,
    uint8_t *out, size_t cap, size_t *len) ESCROW_WUR;
/* Read a record back.  ESCROW_ERR_FORMAT / TRUNCATED / TRAILING / VERSION. */
int escrow_thresh_share_from_record(const uint8_t *rec, size_t len,
    struct escrow_thresh_share **out) ESCROW_WUR;

/*
 * Does the share belong to these parameters?  Same fingerprint, index in
 * 1..N and v^{s_i} = v_i.  0, ESCROW_ERR_SET_MISMATCH (another key's
 * share) or ESCROW_ERR_COMMITMENT (right key, but s_i does not match v_i:
 * a damaged or forged share).
 */
int escrow_thresh_share_check(const struct escrow_thresh_params *p,
    const struct escrow_thresh_share *s) ESCROW_WUR;

/* ---- signing -------------------------------------------------------------- */

/*
 * The message representative of DNSSEC algorithm alg (8: SHA-256, 10:
 * SHA-512) for data: EMSA-PKCS1-v1_5 (RFC 8017 9.2) of |n| bytes.
 */
int escrow_thresh_encode_message(const struct escrow_thresh_params *p,
    const uint8_t *data, size_t len, uint8_t *x, size_t cap, size_t *xlen)
    ESCROW_WUR;

/*
 * A partial signature x_i = x^{2 Delta s_i} mod n on data (hashed and
 * encoded here) with Shoup's proof of correctness.  The share must have
 * been checked against p (escrow_thresh_share_check).
 */
int escrow_thresh_partial_sign(const struct escrow_thresh_params *p,
    const struct escrow_thresh_share *s, const uint8_t *data, size_t len,
    struct escrow_thresh_partial *out) ESCROW_WUR;

/*
 * Check a partial's proof against the parameters and the data.  0 or
 * ESCROW_ERR_PROOF (the proof fails: a changed value, a partial on
 * other data or from another key, or made with a wrong share);
 * ESCROW_ERR_FORMAT for values out of range; ESCROW_ERR_INVALID_ARG for
 * an index outside 1..N.
 */
int escrow_thresh_partial_verify(const struct escrow_thresh_params *p,
    const uint8_t *data, size_t len,
    const struct escrow_thresh_partial *part) ESCROW_WUR;

/*
 * Combine partials (already verified; distinct indices) into the RSA
 * signature of data: w = prod x_j^{2 lambda_{0,j}}, y = w^a x^b with
 * 4 Delta^2 a + e b = 1; y^e = x is checked.  With fewer than M
 * partials: ESCROW_ERR_TOO_FEW_SHARES and *missing (optional) gets how
 * many more are needed.  Duplicate index: ESCROW_ERR_DUPLICATE_SHARE.
 * sig gets |n| bytes.  Any M partials are used (the first M given).
 */
int escrow_thresh_combine(const struct escrow_thresh_params *p,
    const uint8_t *data, size_t len,
    const struct escrow_thresh_partial *parts, size_t nparts, uint8_t *sig,
    size_t cap, size_t *siglen, unsigned *missing) ESCROW_WUR;

/* ---- integer Lagrange coefficients (exposed for known-answer tests) ------ */

/*
 * lambda^S_{i,j} = Delta * prod_{j' in S\{j}} (i - j') / (j - j'), with
 * Delta = l!; S has k distinct members in 1..l, j in S.  Fits in int64
 * for the sizes tests use; larger values: ESCROW_ERR_TOO_LARGE.
 */
int escrow_thresh_lambda(const unsigned *set, size_t k, unsigned l,
    long i, unsigned j, int64_t *lambda) ESCROW_WUR;

#endif
