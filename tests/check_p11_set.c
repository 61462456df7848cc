/*
 * check_p11_set.c - key sets in one session (all present, progress
 * reported, a failure at key 15 of 20 leaves none), and replacing keys
 * that share a CKA_ID, against real SoftHSM.
 *
 * Test data only: PINs, K_wrap values and keys here protect nothing.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_p11.h"

Suite *check_p11_set_suite(void);

static const uint8_t kw1[32] = { 0x4b, 0x57, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
static const uint8_t kw2[32] = { 0x4b, 0x57, 9, 9, 9 };

#define NSET 20

struct progress {
	size_t calls, last, total;
	int monotonic;
};

static void
on_progress(size_t done, size_t total, void *ctx)
{
	struct progress *pr = ctx;

	if (done != pr->last + 1)
		pr->monotonic = 0;
	pr->calls++;
	pr->last = done;
	pr->total = total;
}

/* 20 keys of every algorithm, two K_wraps, RSA reusing the stored keys. */
static void
make_set(struct p11t_key *tk, struct escrow_p11_key *keys)
{
	static const int algs[] = { 8, 13, 15, 10, 14, 16 };
	size_t i;

	for (i = 0; i < NSET; i++) {
		p11t_key_make(&tk[i], algs[(i + 1) % 6], (int)(i % 4) + 1,
		    (uint8_t)(i + 1), i < 10 ? kw1 : kw2);
		keys[i] = tk[i].k;
	}
}

START_TEST(test_p11_set_loads_in_one_session)
{
	struct escrow_p11_loaded res[NSET];
	struct escrow_p11_key keys[NSET];
	struct p11t_key tk[NSET];
	struct progress pr = { 0, 0, 0, 1 };
	struct escrow_p11_load_opts o = { .progress = on_progress, .progress_ctx = &pr };
	struct escrow_p11_object_info info[2];
	struct escrow_p11_error e;
	struct p11t_token t;
	struct escrow_p11 *p;
	size_t i, n;
	int r;

	p11t_token(&t, "set");
	make_set(tk, keys);
	p = p11t_open(&t);
	r = escrow_p11_load(p, keys, NSET, &o, res, &e);
	ck_assert_msg(r == 0, "%s: %s %s: %s", escrow_strerror(r), e.function,
	    e.rv_name, e.detail);
	ck_assert_uint_eq(pr.calls, NSET);
	ck_assert_uint_eq(pr.total, NSET);
	ck_assert(pr.monotonic);
	for (i = 0; i < NSET; i++) {
		int ed = keys[i].algorithm >= 15;

		ck_assert_int_eq(res[i].strategy, ed ? ESCROW_P11_CREATE :
		    ESCROW_P11_UNWRAP);
		ck_assert_int_eq(escrow_p11_list(p, tk[i].id, sizeof tk[i].id,
		    info, 2, &n, NULL), 0);
		ck_assert_uint_eq(n, 2);
	}
	escrow_p11_close(p);
	ck_assert_uint_eq(p11t_count(&t), 2 * NSET);
	for (i = 0; i < NSET; i++)
		p11t_key_free(&tk[i]);
	p11t_token_done(&t);
}
END_TEST

START_TEST(test_p11_set_failure_at_15_leaves_none)
{
	struct escrow_p11_key keys[NSET];
	struct p11t_key tk[NSET];
	struct progress pr = { 0, 0, 0, 1 };
	struct escrow_p11_load_opts o = { .progress = on_progress, .progress_ctx = &pr };
	struct escrow_p11_error e;
	struct p11t_token t;
	struct escrow_p11 *p;
	size_t i;

	p11t_token(&t, "set15");
	make_set(tk, keys);
	/* key 15 (index 14, an RSASHA512 key) gets a damaged blob */
	tk[14].wrapped[3] ^= 0x80;
	p = p11t_open(&t);
	ck_assert_int_eq(escrow_p11_load(p, keys, NSET, &o, NULL, &e),
	    ESCROW_ERR_UNWRAP);
	ck_assert_str_eq(e.function, "C_UnwrapKey");
	ck_assert_msg(strncmp(e.detail, "key 15 ", 7) == 0, "%s", e.detail);
	ck_assert_uint_eq(pr.calls, 14);
	escrow_p11_close(p);
	ck_assert_uint_eq(p11t_count(&t), 0);
	for (i = 0; i < NSET; i++)
		p11t_key_free(&tk[i]);
	p11t_token_done(&t);
}
END_TEST

/* Does the token's key with this id sign for `pub'? */
static int
signs_for(struct escrow_p11 *p, const struct p11t_key *tk, int alg)
{
	uint8_t sig[512], msg[] = "replace";
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned long h = 0;
	size_t siglen = 0;
	int ok;

	ck_assert_int_eq(escrow_p11_find_private(p, tk->id, sizeof tk->id, &h,
	    NULL), 0);
	ck_assert_int_eq(escrow_p11_sign(p, h, alg, msg, sizeof msg, sig,
	    sizeof sig, &siglen, NULL), 0);
	ck_assert_int_eq(EVP_DigestVerifyInit(ctx, NULL, alg == 8 ?
	    EVP_sha256() : NULL, NULL, tk->pub), 1);
	ok = EVP_DigestVerify(ctx, sig, siglen, msg, sizeof msg) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

START_TEST(test_p11_replace)
{
	struct escrow_p11_load_opts o = { .replace = 1 };
	struct escrow_p11_object_info info[4];
	struct escrow_p11_loaded res;
	struct escrow_p11_error e;
	struct p11t_token t;
	struct p11t_key a, b, c;
	struct escrow_p11 *p;
	size_t n = 0;

	p11t_token(&t, "replace");
	p11t_key_make(&a, 8, 1, 9, kw1);
	p11t_key_make(&b, 8, 2, 9, kw2);  /* same id, another key */
	p11t_key_make(&c, 15, 1, 9, kw1); /* same id, another algorithm */
	p = p11t_open(&t);
	ck_assert_int_eq(escrow_p11_load(p, &a.k, 1, NULL, NULL, &e), 0);
	ck_assert(signs_for(p, &a, 8));

	/* without the flag: refused, the old key untouched */
	ck_assert_int_eq(escrow_p11_load(p, &b.k, 1, NULL, NULL, &e),
	    ESCROW_ERR_P11_OBJECT_EXISTS);
	ck_assert(signs_for(p, &a, 8));

	/* a failing replacement leaves the old key alone, too */
	b.wrapped[5] ^= 1;
	ck_assert_int_eq(escrow_p11_load(p, &b.k, 1, &o, NULL, &e),
	    ESCROW_ERR_UNWRAP);
	b.wrapped[5] ^= 1;
	ck_assert_int_eq(escrow_p11_list(p, a.id, sizeof a.id, info, 4, &n,
	    NULL), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert(signs_for(p, &a, 8));

	/* with the flag: the new key is in, the old objects are gone */
	ck_assert_int_eq(escrow_p11_load(p, &b.k, 1, &o, &res, &e), 0);
	ck_assert_uint_eq(res.replaced, 2);
	ck_assert_int_eq(escrow_p11_list(p, a.id, sizeof a.id, info, 4, &n,
	    NULL), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert(signs_for(p, &b, 8));
	ck_assert(!signs_for(p, &a, 8));

	ck_assert_int_eq(escrow_p11_load(p, &c.k, 1, &o, &res, &e), 0);
	ck_assert_uint_eq(res.replaced, 2);
	ck_assert(signs_for(p, &c, 15));
	escrow_p11_close(p);
	ck_assert_uint_eq(p11t_count(&t), 2);
	p11t_key_free(&a);
	p11t_key_free(&b);
	p11t_key_free(&c);
	p11t_token_done(&t);
}
END_TEST

Suite *
check_p11_set_suite(void)
{
	Suite *s = suite_create("p11_set");
	TCase *tc = tcase_create("set");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_p11_set_loads_in_one_session);
	tcase_add_test(tc, test_p11_set_failure_at_15_leaves_none);
	tcase_add_test(tc, test_p11_replace);
	suite_add_tcase(s, tc);
	return s;
}
