/*
 * ct_check.c - constant-time check, run under valgrind memcheck by
 * `make check`.  Secrets are marked undefined with memcheck client
 * requests; memcheck then reports every conditional jump and every memory
 * index that depends on them, and valgrind's exit code fails the build.
 * Results are marked defined again before they are compared, since a
 * result is allowed to be looked at.
 */
#include <stdio.h>
#include <string.h>

#include <valgrind/memcheck.h>

#include "escrow.h"
#include "escrow_slip39.h"
#include "gf256.h"
#include "shamir.h"
#include "slip39_internal.h"

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static int
ct_equal(void)
{
	uint8_t a[32], b[32];
	int eq;

	escrow_random(a, sizeof a);
	memcpy(b, a, sizeof b);
	SECRET(a, sizeof a);
	SECRET(b, sizeof b);
	eq = escrow_equal(a, b, sizeof a);
	PUBLIC(&eq, sizeof eq);
	return eq == 1 ? 0 : 1;
}

/* ---- GF(2^8), Shamir, SLIP-0039 ---- */

/* the random source of split: escrow_random, then marked secret */
static void
secret_rng(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	escrow_random(buf, len);
	SECRET(buf, len);
}

static int
ct_gf256(void)
{
	uint8_t a[2], p, i, q;
	int bad = 0;

	escrow_random(a, sizeof a);
	a[0] |= 1;
	SECRET(a, sizeof a);
	p = escrow_gf256_mul(a[0], a[1]);
	i = escrow_gf256_inv(a[0]);
	q = escrow_gf256_div(p, a[0]);
	p = escrow_gf256_mul(a[0], i);
	PUBLIC(&p, 1);
	PUBLIC(&q, 1);
	PUBLIC(a, sizeof a);
	bad |= p != 1;
	bad |= q != a[1];
	return bad;
}

static int
ct_shamir(void)
{
	uint8_t secret[32], copy[32], shares[5 * 32], out[32], xs[3] = { 4, 0, 2 };
	const uint8_t *ys[3] = { shares + 4 * 32, shares, shares + 2 * 32 };
	int bad = 0;

	escrow_random(secret, sizeof secret);
	memcpy(copy, secret, sizeof copy);
	SECRET(secret, sizeof secret);
	if (escrow_shamir_split(3, 5, secret, 32, shares, secret_rng, NULL) != ESCROW_OK)
		return 1;
	if (escrow_shamir_recover(3, xs, ys, 3, 32, out) != ESCROW_OK)
		return 1;
	PUBLIC(out, sizeof out);
	bad |= memcmp(out, copy, sizeof out) != 0;
	return bad;
}

/*
 * split (2 of 3 groups: 2 of 3, 1 of 1, 3 of 4), encode every share to
 * text, decode the text back, combine; the master secret, the random
 * values and the mnemonic texts are secret throughout.
 */
static int
ct_slip39(void)
{
	struct escrow_slip39_split_opts opts = { secret_rng, NULL, 1, -1 };
	struct escrow_shareset set;
	struct escrow_slip39_share *sh = escrow_secret_alloc(8 * sizeof *sh);
	struct escrow_slip39_share *dec = escrow_secret_alloc(4 * sizeof *dec);
	char *mn = escrow_secret_alloc(8 * ESCROW_SLIP39_MNEMONIC_MAX);
	uint8_t *secret = escrow_secret_alloc(32), *copy = escrow_secret_alloc(32);
	uint8_t *out = escrow_secret_alloc(32);
	static const int pick[4] = { 7, 3, 5, 4 }; /* groups 2 and 1 */
	struct escrow_slip39_diag diag;
	size_t n = 0, len = 0, i;
	uint16_t words[ESCROW_SLIP39_WORDS_MAX];
	int bad = 1, idx;
	char w[ESCROW_SLIP39_WORD_MAX + 1];

	if (sh == NULL || dec == NULL || mn == NULL || secret == NULL ||
	    copy == NULL || out == NULL)
		goto out;
	memset(&set, 0, sizeof set);
	set.group_threshold = 2;
	set.group_count = 3;
	set.groups[0].threshold = 2;
	set.groups[0].count = 3;
	set.groups[1].threshold = 1;
	set.groups[1].count = 1;
	set.groups[2].threshold = 3;
	set.groups[2].count = 4;
	set.iteration_exponent = 0; /* keep valgrind quick */
	escrow_random(secret, 32);
	memcpy(copy, secret, 32);
	SECRET(secret, 32);
	if (escrow_slip39_split_opts(secret, 32, "ct", &set, sh, 8, &n, &opts) != ESCROW_OK ||
	    n != 8)
		goto out;
	for (i = 0; i < n; i++)
		if (escrow_slip39_share_encode(&sh[i], i % 2 ? ESCROW_SLIP39_UPPER : 0,
		    mn + i * ESCROW_SLIP39_MNEMONIC_MAX, ESCROW_SLIP39_MNEMONIC_MAX) != ESCROW_OK)
			goto out;
	for (i = 0; i < 4; i++)
		if (escrow_slip39_share_decode(mn + (size_t)pick[i] * ESCROW_SLIP39_MNEMONIC_MAX,
		    &dec[i], &diag) != ESCROW_OK)
			goto out;
	if (escrow_slip39_combine_shares(dec, 4, "ct", out, 32, &len, &diag) != ESCROW_OK ||
	    len != 32)
		goto out;
	PUBLIC(out, 32);
	if (memcmp(out, copy, 32) != 0)
		goto out;
	/* a wrong word: located, but only positions become public */
	if (escrow_slip39_share_words(&sh[0], words, ESCROW_SLIP39_WORDS_MAX, &n) != ESCROW_OK)
		goto out;
	words[9] ^= 0x155;
	if (escrow_slip39_checksum_valid(words, n) ||
	    escrow_slip39_checksum_locate(words, n, diag.positions,
	    ESCROW_SLIP39_WORDS_MAX, &diag.npositions) != ESCROW_OK)
		goto out;
	for (i = 0; i < diag.npositions && diag.positions[i] != 9; i++)
		;
	if (i == diag.npositions)
		goto out;
	/* word by secret index, and index by secret text */
	idx = 777;
	SECRET(&idx, sizeof idx);
	escrow_slip39_word_ct((unsigned)idx, w);
	SECRET(w, 5);
	idx = escrow_slip39_word_lookup(w);
	PUBLIC(&idx, sizeof idx);
	PUBLIC(w, sizeof w);
	if (idx != 777 || strcmp(w, escrow_slip39_word(777)) != 0)
		goto out;
	bad = 0;
out:
	escrow_secret_free(sh);
	escrow_secret_free(dec);
	escrow_secret_free(mn);
	escrow_secret_free(secret);
	escrow_secret_free(copy);
	escrow_secret_free(out);
	return bad;
}

int
main(void)
{
	int bad = 0;

	if (escrow_init() != ESCROW_OK)
		return 1;
	bad |= ct_equal();
	bad |= ct_gf256() << 1;
	bad |= ct_shamir() << 2;
	bad |= ct_slip39() << 3;
	if (bad != 0) {
		fprintf(stderr, "ct_check: a constant-time routine gave a wrong answer (%d)\n", bad);
		return 1;
	}
	printf("ct_check: %s\n", RUNNING_ON_VALGRIND ? "no secret-dependent branch or index" :
	    "passed (not under valgrind: timing not checked)");
	return 0;
}
