/*
 * check_p11_set.c - key sets in one session (all present, progress
 * reported, a failure at key 15 of 20 leaves none), and replacing keys
 * that share a CKA_ID, against real SoftHSM.
 *
 * Test data only: PINs, K_wrap values and keys here protect nothing.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_p11.h"
#include "p11_load_int.h"

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

/* The token's objects with this id: private/public count, labels. */
static void
id_objects(struct escrow_p11 *p, const struct p11t_key *tk, size_t *n,
    int *modifiable, int *label_ok)
{
	struct escrow_p11_object_info info[4];
	size_t i;

	ck_assert_int_eq(escrow_p11_list(p, tk->id, sizeof tk->id, info, 4, n,
	    NULL), 0);
	*label_ok = 1;
	*modifiable = 0;
	for (i = 0; i < *n && i < 4; i++) {
		*label_ok &= strcmp(info[i].label, tk->label) == 0;
		*modifiable |= info[i].modifiable == 1;
	}
}

/*
 * Several sessions on threads give the same result as one: the same
 * objects under the same ids and labels, each key signing, the same
 * strategies; and a failure at key 15 still leaves nothing.
 */
START_TEST(test_p11_set_parallel_same_as_one_session)
{
	struct escrow_p11_loaded res1[NSET], res4[NSET];
	struct escrow_p11_key keys[NSET];
	struct p11t_key tk[NSET];
	struct progress pr = { 0, 0, 0, 1 };
	struct escrow_p11_load_report rep;
	struct escrow_p11_load_opts o1 = { .report = &rep };
	struct escrow_p11_load_opts o4 = { .sessions = 4, .progress = on_progress,
		.progress_ctx = &pr, .report = &rep };
	struct escrow_p11_error e;
	struct p11t_token t;
	struct escrow_p11 *p;
	size_t i, n1[NSET], n4;
	int m1[NSET], m4, l1[NSET], l4, r;

	make_set(tk, keys);
	/* one session */
	p11t_token(&t, "one");
	p = p11t_open(&t);
	r = escrow_p11_load(p, keys, NSET, &o1, res1, &e);
	ck_assert_msg(r == 0, "%s: %s", escrow_strerror(r), e.detail);
	ck_assert_uint_eq(rep.sessions, 1);
	for (i = 0; i < NSET; i++)
		id_objects(p, &tk[i], &n1[i], &m1[i], &l1[i]);
	escrow_p11_close(p);
	ck_assert_uint_eq(p11t_count(&t), 2 * NSET);
	p11t_token_done(&t);

	/* four sessions on threads: the same */
	p11t_token(&t, "four");
	p = p11t_open(&t);
	r = escrow_p11_load(p, keys, NSET, &o4, res4, &e);
	ck_assert_msg(r == 0, "%s: %s", escrow_strerror(r), e.detail);
	ck_assert_uint_eq(rep.sessions, 4);
	ck_assert_int_eq(rep.crash_safe, 1);
	ck_assert_uint_eq(pr.calls, NSET);
	ck_assert(pr.monotonic);
	for (i = 0; i < NSET; i++) {
		id_objects(p, &tk[i], &n4, &m4, &l4);
		ck_assert_uint_eq(n1[i], 2);
		ck_assert_uint_eq(n4, 2);
		ck_assert(l1[i] && l4);
		ck_assert_int_eq(m1[i], m4);
		ck_assert_int_eq(res1[i].strategy, res4[i].strategy);
		ck_assert_uint_eq(res1[i].mechanism, res4[i].mechanism);
		if (keys[i].algorithm == 8 || keys[i].algorithm == 15)
			ck_assert(signs_for(p, &tk[i], keys[i].algorithm));
	}
	escrow_p11_close(p);
	ck_assert_uint_eq(p11t_count(&t), 2 * NSET);
	p11t_token_done(&t);

	/* all or nothing with four sessions: a damaged blob at key 15 */
	p11t_token(&t, "four15");
	p = p11t_open(&t);
	tk[14].wrapped[3] ^= 0x80;
	ck_assert_int_eq(escrow_p11_load(p, keys, NSET, &o4, NULL, &e),
	    ESCROW_ERR_UNWRAP);
	ck_assert_msg(strncmp(e.detail, "key 15 ", 7) == 0, "%s", e.detail);
	ck_assert_int_eq(e.listed, 1);
	ck_assert_uint_eq(e.objects_left, 0);
	escrow_p11_close(p);
	ck_assert_uint_eq(p11t_count(&t), 0);
	for (i = 0; i < NSET; i++)
		p11t_key_free(&tk[i]);
	p11t_token_done(&t);
}
END_TEST

/* The pending label and id a load of this set uses (p11_pending.c). */
static void
pending_of(struct escrow_p11_key *keys, size_t n, char plabel[40],
    uint8_t tag_id0[P11L_PENDING_ID_LEN])
{
	struct escrow_p11_load_report rep;
	struct load l;

	memset(&l, 0, sizeof l);
	l.keys = keys;
	l.nkeys = n;
	l.report = &rep;
	l.pending = 1;
	escrow_p11_i_pending_init(&l);
	ck_assert(l.pending);
	memcpy(plabel, l.plabel, 40);
	escrow_p11_i_pending_id(&l, 0, tag_id0);
}

static void
set_attr(const struct p11t_token *t, struct escrow_p11 *p, const struct p11t_key *tk,
    unsigned long cls, CK_ATTRIBUTE_TYPE type, const void *v, size_t len)
{
	struct escrow_p11_object_info info[4];
	size_t n, i;
	int done = 0;

	(void)t;
	ck_assert_int_eq(escrow_p11_list(p, tk->id, sizeof tk->id, info, 4, &n,
	    NULL), 0);
	for (i = 0; i < n; i++) {
		CK_ATTRIBUTE a = { type, (void *)(uintptr_t)v, len };

		if (info[i].object_class != cls)
			continue;
		ck_assert_uint_eq(p->mod->C_SetAttributeValue(p->sess,
		    info[i].handle, &a, 1), CKR_OK);
		done = 1;
	}
	ck_assert(done);
}

/*
 * What an interrupted load leaves, made by hand from a finished one, and
 * what the next load of the same set does with it: a commit that had not
 * set every final id is undone (its objects removed, the set loaded
 * afresh); one that had (labels still pending) is finished and the keys
 * checked; a plain rerun finds the whole set there and checks it.
 */
START_TEST(test_p11_set_interrupted_load_recovered)
{
	struct escrow_p11_loaded res[NSET];
	struct escrow_p11_key keys[NSET];
	struct p11t_key tk[NSET];
	struct escrow_p11_load_report rep;
	struct escrow_p11_load_opts o = { .report = &rep };
	struct escrow_p11_error e;
	struct p11t_token t;
	struct escrow_p11 *p;
	char plabel[40];
	uint8_t pid[P11L_PENDING_ID_LEN];
	size_t i, n;
	int m, lab, r;

	p11t_token(&t, "crash");
	make_set(tk, keys);
	pending_of(keys, NSET, plabel, pid);
	p = p11t_open(&t);
	r = escrow_p11_load(p, keys, NSET, &o, res, &e);
	ck_assert_msg(r == 0, "%s: %s", escrow_strerror(r), e.detail);
	ck_assert_int_eq(rep.crash_safe, 1);
	ck_assert_uint_eq(rep.pending_removed, 0);
	/* committed: final ids and labels (modifiable: the commit changed them) */
	for (i = 0; i < NSET; i++) {
		id_objects(p, &tk[i], &n, &m, &lab);
		ck_assert_uint_eq(n, 2);
		ck_assert(lab);
		ck_assert_int_eq(m, 1);
	}

	/* the same load again: the set is there, checked, nothing made */
	r = escrow_p11_load(p, keys, NSET, &o, res, &e);
	ck_assert_msg(r == 0, "%s: %s", escrow_strerror(r), e.detail);
	ck_assert_int_eq(rep.already_loaded, 1);

	/* killed while setting labels: some still pending -> finished */
	for (i = 0; i < NSET; i += 3)
		set_attr(&t, p, &tk[i], CKO_PRIVATE_KEY, CKA_LABEL, plabel, strlen(plabel));
	r = escrow_p11_load(p, keys, NSET, &o, res, &e);
	ck_assert_msg(r == 0, "%s: %s", escrow_strerror(r), e.detail);
	ck_assert_int_eq(rep.resumed, 1);
	ck_assert_uint_eq(rep.pending_removed, 0);
	for (i = 0; i < NSET; i++) {
		ck_assert_int_eq(res[i].resumed, 1);
		id_objects(p, &tk[i], &n, &m, &lab);
		ck_assert_uint_eq(n, 2);
		ck_assert(lab);
	}

	/* killed while setting ids: every label pending, key 1's private
	 * object still under its pending id -> removed, loaded afresh */
	for (i = 0; i < NSET; i++) {
		set_attr(&t, p, &tk[i], CKO_PRIVATE_KEY, CKA_LABEL, plabel, strlen(plabel));
		set_attr(&t, p, &tk[i], CKO_PUBLIC_KEY, CKA_LABEL, plabel, strlen(plabel));
	}
	set_attr(&t, p, &tk[0], CKO_PRIVATE_KEY, CKA_ID, pid, sizeof pid);
	r = escrow_p11_load(p, keys, NSET, &o, res, &e);
	ck_assert_msg(r == 0, "%s: %s", escrow_strerror(r), e.detail);
	ck_assert_uint_eq(rep.pending_removed, 2 * NSET);
	ck_assert_int_eq(rep.resumed, 0);
	for (i = 0; i < NSET; i++) {
		ck_assert_int_eq(res[i].resumed, 0);
		id_objects(p, &tk[i], &n, &m, &lab);
		ck_assert_uint_eq(n, 2);
		ck_assert(lab);
		if (keys[i].algorithm == 8 || keys[i].algorithm == 15)
			ck_assert(signs_for(p, &tk[i], keys[i].algorithm));
	}
	escrow_p11_close(p);
	{
		char *out = NULL;
		char cmd[400];

		snprintf(cmd, sizeof cmd, "pkcs11-tool --module %s --token-label crash "
		    "--login --pin 1234 --list-objects 2>&1", P11T_MODULE);
		p11t_run(cmd, &out);
		ck_assert_msg(p11t_count(&t) == 2 * NSET, "%s", out);
		free(out);
	}
	for (i = 0; i < NSET; i++)
		p11t_key_free(&tk[i]);
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
	tcase_add_test(tc, test_p11_set_parallel_same_as_one_session);
	tcase_add_test(tc, test_p11_set_interrupted_load_recovered);
	suite_add_tcase(s, tc);
	return s;
}
