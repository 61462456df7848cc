/*
 * check_thresh.c - threshold RSA (Shoup): circl's known answers for the
 * Lagrange coefficients and the polynomial, dealing, share checks, the
 * parameters text, round trips over every M-subset for 2-of-3, 3-of-5
 * and 5-of-9, refusals (too few partials, changed byte, other key's
 * partial, wrong share), and the final signature checked by OpenSSL EVP.
 * Keys are dealt once per test case (unchecked fixture) with small safe
 * primes; test keys only, no secrets of value.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "escrow.h"
#include "escrow_thresh.h"
#include "thresh_int.h"

Suite *check_thresh_suite(void);

struct dealt {
	unsigned k, l;
	struct escrow_thresh_params *p;
	struct escrow_thresh_share *s[ESCROW_THRESH_MAX_PLAYERS];
};

static struct dealt keys[4] = {
	{ 2, 3, NULL, { NULL } },
	{ 3, 5, NULL, { NULL } },
	{ 5, 9, NULL, { NULL } },
	{ 2, 3, NULL, { NULL } }, /* "another key", same shape as keys[0] */
};

static const uint8_t msg[] = "the DNSKEY RRset of the root, as signed data";

static void
deal_all(void)
{
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		ck_assert_int_eq(escrow_thresh_deal(i == 2 ? 10 : 8, 1024,
		    keys[i].k, keys[i].l, ".", NULL, NULL, &keys[i].p,
		    keys[i].s), ESCROW_OK);
}

static void
free_all(void)
{
	size_t i, j;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		for (j = 0; j < keys[i].l; j++)
			escrow_thresh_share_free(keys[i].s[j]);
		escrow_thresh_params_free(keys[i].p);
	}
}

/* An ordinary RSA PKCS#1 v1.5 check of sig by OpenSSL, not by this library. */
static int
evp_verifies(const struct escrow_thresh_params *p, const uint8_t *data,
    size_t len, const uint8_t *sig, size_t siglen)
{
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok;

	ck_assert_ptr_nonnull(md);
	ck_assert_int_eq(escrow_thresh_params_public_key(p, &key), ESCROW_OK);
	ck_assert_int_eq(EVP_DigestVerifyInit(md, NULL,
	    escrow_thresh_params_alg(p) == 10 ? EVP_sha512() : EVP_sha256(),
	    NULL, key), 1);
	ok = EVP_DigestVerify(md, sig, siglen, data, len) == 1;
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	return ok;
}

START_TEST(test_thresh_lambda_circl_kat)
{
	/* circl tss/rsa TestComputeLambda: S = {1..5}, l = 5, i = 0, j = 3 */
	unsigned set[] = { 1, 2, 3, 4, 5 };
	int64_t lam = 0;

	ck_assert_int_eq(escrow_thresh_lambda(set, 5, 5, 0, 3, &lam), ESCROW_OK);
	ck_assert_int_eq(lam, 1200);
	/* Delta f(0) = sum lambda_{0,j} f(j) for f = 7 + 2X + X^2 */
	{
		int64_t sum = 0;
		unsigned j;

		for (j = 1; j <= 5; j++) {
			ck_assert_int_eq(escrow_thresh_lambda(set, 5, 5, 0, j,
			    &lam), ESCROW_OK);
			sum += lam * (int64_t)(7 + 2 * j + j * j);
		}
		ck_assert_int_eq(sum, 120 * 7);
	}
	/* j outside S, duplicates, indices out of range */
	ck_assert_int_eq(escrow_thresh_lambda(set, 4, 5, 0, 5, &lam),
	    ESCROW_ERR_INVALID_ARG);
	set[1] = 1;
	ck_assert_int_eq(escrow_thresh_lambda(set, 5, 5, 0, 3, &lam),
	    ESCROW_ERR_DUPLICATE_SHARE);
	set[1] = 6;
	ck_assert_int_eq(escrow_thresh_lambda(set, 5, 5, 0, 3, &lam),
	    ESCROW_ERR_INVALID_ARG);
}
END_TEST

static BIGNUM *
bn_of(unsigned long v)
{
	BIGNUM *b = BN_new();

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(BN_set_word(b, v), 1);
	return b;
}

START_TEST(test_thresh_polynomial_circl_kat)
{
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *coef[5], *m, *out = BN_new();
	unsigned i;

	ck_assert_ptr_nonnull(ctx);
	/* circl TestComputePolynomial: a = {1,2,3,4,5}, x = 3, m = 11 -> 8;
	 * our layout keeps a_0 last */
	coef[0] = bn_of(2);
	coef[1] = bn_of(3);
	coef[2] = bn_of(4);
	coef[3] = bn_of(5);
	coef[4] = bn_of(1);
	m = bn_of(11);
	ck_assert_int_eq(thresh_poly_eval(coef, 5, 3, m, out, ctx), ESCROW_OK);
	ck_assert_int_eq(BN_get_word(out), 8);
	for (i = 0; i < 5; i++)
		BN_free(coef[i]);
	BN_free(m);
	/* circl TestDeal: m = 55, a = {37, 33}: s1 = 15, s2 = 48, s3 = 26 */
	coef[0] = bn_of(33);
	coef[1] = bn_of(37);
	m = bn_of(55);
	ck_assert_int_eq(thresh_poly_eval(coef, 2, 1, m, out, ctx), ESCROW_OK);
	ck_assert_int_eq(BN_get_word(out), 15);
	ck_assert_int_eq(thresh_poly_eval(coef, 2, 2, m, out, ctx), ESCROW_OK);
	ck_assert_int_eq(BN_get_word(out), 48);
	ck_assert_int_eq(thresh_poly_eval(coef, 2, 3, m, out, ctx), ESCROW_OK);
	ck_assert_int_eq(BN_get_word(out), 26);
	BN_free(coef[0]);
	BN_free(coef[1]);
	BN_free(m);
	BN_free(out);
	BN_CTX_free(ctx);
}
END_TEST

/* Every k-subset of 1..l, in lexicographic order, through the callback. */
static unsigned
each_subset(const struct dealt *d, const struct escrow_thresh_partial *all)
{
	unsigned idx[ESCROW_THRESH_MAX_PLAYERS], done = 0, i;
	struct escrow_thresh_partial pick[ESCROW_THRESH_MAX_PLAYERS];
	uint8_t sig[ESCROW_THRESH_MOD_MAX];
	size_t siglen;
	unsigned missing;

	for (i = 0; i < d->k; i++)
		idx[i] = i;
	for (;;) {
		for (i = 0; i < d->k; i++)
			pick[i] = all[idx[i]];
		ck_assert_int_eq(escrow_thresh_combine(d->p, msg, sizeof msg,
		    pick, d->k, sig, sizeof sig, &siglen, &missing), ESCROW_OK);
		ck_assert_msg(evp_verifies(d->p, msg, sizeof msg, sig, siglen),
		    "subset %u of %u-of-%u does not verify", done, d->k, d->l);
		done++;
		/* next subset */
		i = d->k;
		while (i-- > 0 && idx[i] == d->l - d->k + i)
			;
		if (i == (unsigned)-1)
			break;
		idx[i]++;
		for (i++; i < d->k; i++)
			idx[i] = idx[i - 1] + 1;
	}
	return done;
}

START_TEST(test_thresh_roundtrip_every_subset)
{
	static const unsigned expect[] = { 3, 10, 126 };
	const struct dealt *d = &keys[_i];
	struct escrow_thresh_partial all[ESCROW_THRESH_MAX_PLAYERS];
	unsigned j;

	for (j = 0; j < d->l; j++) {
		ck_assert_int_eq(escrow_thresh_share_check(d->p, d->s[j]),
		    ESCROW_OK);
		ck_assert_int_eq(escrow_thresh_partial_sign(d->p, d->s[j], msg,
		    sizeof msg, &all[j]), ESCROW_OK);
		ck_assert_int_eq(all[j].index, j + 1);
		ck_assert_int_eq(escrow_thresh_partial_verify(d->p, msg,
		    sizeof msg, &all[j]), ESCROW_OK);
	}
	ck_assert_uint_eq(each_subset(d, all), expect[_i]);
}
END_TEST

START_TEST(test_thresh_too_few_partials_refused)
{
	const struct dealt *d = &keys[2]; /* 5 of 9 */
	struct escrow_thresh_partial part[3];
	uint8_t sig[ESCROW_THRESH_MOD_MAX];
	size_t siglen;
	unsigned missing = 0, j;

	for (j = 0; j < 3; j++)
		ck_assert_int_eq(escrow_thresh_partial_sign(d->p, d->s[j], msg,
		    sizeof msg, &part[j]), ESCROW_OK);
	ck_assert_int_eq(escrow_thresh_combine(d->p, msg, sizeof msg, part, 3,
	    sig, sizeof sig, &siglen, &missing), ESCROW_ERR_TOO_FEW_SHARES);
	ck_assert_uint_eq(missing, 2);
	ck_assert_int_eq(escrow_thresh_combine(d->p, msg, sizeof msg, part, 0,
	    sig, sizeof sig, &siglen, &missing), ESCROW_ERR_TOO_FEW_SHARES);
	ck_assert_uint_eq(missing, 5);
	/* the same custodian twice does not count twice */
	part[1] = part[0];
	{
		const struct dealt *t = &keys[0];
		struct escrow_thresh_partial two[2];

		ck_assert_int_eq(escrow_thresh_partial_sign(t->p, t->s[0], msg,
		    sizeof msg, &two[0]), ESCROW_OK);
		two[1] = two[0];
		ck_assert_int_eq(escrow_thresh_combine(t->p, msg, sizeof msg,
		    two, 2, sig, sizeof sig, &siglen, &missing),
		    ESCROW_ERR_DUPLICATE_SHARE);
	}
}
END_TEST

START_TEST(test_thresh_bad_partials_caught_by_proof)
{
	const struct dealt *d = &keys[0], *other = &keys[3];
	struct escrow_thresh_partial good, bad;
	struct escrow_thresh_share *wrong;
	uint8_t rec[1024];
	size_t reclen, pos;

	ck_assert_int_eq(escrow_thresh_partial_sign(d->p, d->s[1], msg,
	    sizeof msg, &good), ESCROW_OK);
	ck_assert_int_eq(escrow_thresh_partial_verify(d->p, msg, sizeof msg,
	    &good), ESCROW_OK);
	/* one changed byte anywhere: in x_i, in c, in z */
	for (pos = 0; pos < good.xi_len; pos += 37) {
		bad = good;
		bad.xi[pos] ^= 0x01;
		ck_assert_int_ne(escrow_thresh_partial_verify(d->p, msg,
		    sizeof msg, &bad), ESCROW_OK);
	}
	bad = good;
	bad.c[5] ^= 0x80;
	ck_assert_int_eq(escrow_thresh_partial_verify(d->p, msg, sizeof msg,
	    &bad), ESCROW_ERR_PROOF);
	bad = good;
	bad.z[bad.z_len - 1] ^= 0x01;
	ck_assert_int_eq(escrow_thresh_partial_verify(d->p, msg, sizeof msg,
	    &bad), ESCROW_ERR_PROOF);
	/* claimed by another custodian */
	bad = good;
	bad.index = 3;
	ck_assert_int_eq(escrow_thresh_partial_verify(d->p, msg, sizeof msg,
	    &bad), ESCROW_ERR_PROOF);
	/* on other data */
	ck_assert_int_eq(escrow_thresh_partial_verify(d->p, msg, sizeof msg - 1,
	    &good), ESCROW_ERR_PROOF);
	/* from another key's parameters */
	ck_assert_int_eq(escrow_thresh_partial_sign(other->p, other->s[1], msg,
	    sizeof msg, &bad), ESCROW_OK);
	ck_assert_int_ne(escrow_thresh_partial_verify(d->p, msg, sizeof msg,
	    &bad), ESCROW_OK);
	/* made with a wrong share: s_2 + 1, and another key's s_2 */
	ck_assert_int_eq(escrow_thresh_share_record(d->s[1], rec, sizeof rec,
	    &reclen), ESCROW_OK);
	rec[reclen - 1] ^= 0x01;
	ck_assert_int_eq(escrow_thresh_share_from_record(rec, reclen, &wrong),
	    ESCROW_OK);
	ck_assert_int_eq(escrow_thresh_share_check(d->p, wrong),
	    ESCROW_ERR_COMMITMENT);
	ck_assert_int_eq(escrow_thresh_partial_sign(d->p, wrong, msg,
	    sizeof msg, &bad), ESCROW_OK);
	ck_assert_int_eq(escrow_thresh_partial_verify(d->p, msg, sizeof msg,
	    &bad), ESCROW_ERR_PROOF);
	escrow_thresh_share_free(wrong);
	ck_assert_int_eq(escrow_thresh_share_check(d->p, other->s[1]),
	    ESCROW_ERR_SET_MISMATCH);
	escrow_wipe(rec, sizeof rec);
	/* out of range */
	bad = good;
	bad.index = 0;
	ck_assert_int_eq(escrow_thresh_partial_verify(d->p, msg, sizeof msg,
	    &bad), ESCROW_ERR_INVALID_ARG);
	bad = good;
	memset(bad.xi, 0xff, bad.xi_len);
	ck_assert_int_eq(escrow_thresh_partial_verify(d->p, msg, sizeof msg,
	    &bad), ESCROW_ERR_FORMAT);
}
END_TEST

START_TEST(test_thresh_combine_catches_unverified_bad_partial)
{
	const struct dealt *d = &keys[0];
	struct escrow_thresh_partial part[2];
	uint8_t sig[ESCROW_THRESH_MOD_MAX];
	size_t siglen;

	ck_assert_int_eq(escrow_thresh_partial_sign(d->p, d->s[0], msg,
	    sizeof msg, &part[0]), ESCROW_OK);
	ck_assert_int_eq(escrow_thresh_partial_sign(d->p, d->s[2], msg,
	    sizeof msg, &part[1]), ESCROW_OK);
	part[1].xi[10] ^= 0x04;
	ck_assert_int_eq(escrow_thresh_combine(d->p, msg, sizeof msg, part, 2,
	    sig, sizeof sig, &siglen, NULL), ESCROW_ERR_PROOF);
}
END_TEST

START_TEST(test_thresh_params_text_roundtrip_and_strict)
{
	const struct dealt *d = &keys[1];
	struct escrow_thresh_params *q = NULL;
	uint8_t f1[32], f2[32];
	char *text = NULL, *copy;
	size_t len;
	unsigned line = 0;

	ck_assert_int_eq(escrow_thresh_params_text(d->p, &text, &len), ESCROW_OK);
	ck_assert_int_eq(escrow_thresh_params_parse(text, len, &q, &line),
	    ESCROW_OK);
	escrow_thresh_params_fingerprint(d->p, f1);
	escrow_thresh_params_fingerprint(q, f2);
	ck_assert_mem_eq(f1, f2, 32);
	ck_assert_uint_eq(escrow_thresh_params_threshold(q), 3);
	ck_assert_uint_eq(escrow_thresh_params_count(q), 5);
	ck_assert_uint_eq(escrow_thresh_params_bits(q), 1024);
	ck_assert_int_eq(escrow_thresh_share_check(q, d->s[4]), ESCROW_OK);
	escrow_thresh_params_free(q);
	/* lower-case hex is not the canonical text */
	copy = malloc(len + 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, len + 1);
	{
		char *c = strstr(copy, "\nn ") + 3;

		while (*c < 'A' || *c > 'F')
			c++;
		*c = (char)(*c - 'A' + 'a');
	}
	ck_assert_int_eq(escrow_thresh_params_parse(copy, len, &q, &line),
	    ESCROW_ERR_FORMAT);
	ck_assert_uint_eq(line, 8);
	/* a missing v5 line is named */
	memcpy(copy, text, len + 1);
	ck_assert_int_eq(escrow_thresh_params_parse(copy,
	    (size_t)(strstr(copy, "\nv5 ") - copy) + 1, &q, &line),
	    ESCROW_ERR_FORMAT);
	ck_assert_uint_eq(line, 14);
	/* trailing text */
	ck_assert_int_eq(escrow_thresh_params_parse(text, len - 1, &q, &line),
	    ESCROW_ERR_FORMAT);
	free(copy);
	free(text);
}
END_TEST

START_TEST(test_thresh_share_record_roundtrip)
{
	const struct dealt *d = &keys[2];
	struct escrow_thresh_share *s = NULL;
	uint8_t *rec = escrow_secret_alloc(1024);
	size_t len;

	ck_assert_ptr_nonnull(rec);
	ck_assert_int_eq(escrow_thresh_share_record(d->s[6], rec, 1024, &len),
	    ESCROW_OK);
	ck_assert_uint_eq(len, escrow_thresh_share_record_len(d->s[6]));
	ck_assert_int_eq(escrow_thresh_share_from_record(rec, len, &s),
	    ESCROW_OK);
	ck_assert_uint_eq(escrow_thresh_share_index(s), 7);
	ck_assert_int_eq(escrow_thresh_share_check(d->p, s), ESCROW_OK);
	escrow_thresh_share_free(s);
	ck_assert_int_eq(escrow_thresh_share_from_record(rec, len - 1, &s),
	    ESCROW_ERR_TRUNCATED);
	ck_assert_int_eq(escrow_thresh_share_from_record(rec, len + 1, &s),
	    ESCROW_ERR_TRAILING);
	rec[3] = 2;
	ck_assert_int_eq(escrow_thresh_share_from_record(rec, len, &s),
	    ESCROW_ERR_VERSION);
	rec[3] = 1;
	rec[4] = 10; /* index 10 of 9 */
	ck_assert_int_eq(escrow_thresh_share_from_record(rec, len, &s),
	    ESCROW_ERR_FORMAT);
	escrow_secret_free(rec);
}
END_TEST

START_TEST(test_thresh_deal_refuses_bad_arguments)
{
	struct escrow_thresh_params *p = NULL;
	struct escrow_thresh_share *s[65];

	ck_assert_int_eq(escrow_thresh_deal(8, 1024, 3, 2, ".", NULL, NULL, &p,
	    s), ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_thresh_deal(8, 1024, 0, 2, ".", NULL, NULL, &p,
	    s), ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_thresh_deal(8, 1024, 2, 65, ".", NULL, NULL, &p,
	    s), ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_thresh_deal(13, 1024, 2, 3, ".", NULL, NULL, &p,
	    s), ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_thresh_deal(10, 512, 2, 3, ".", NULL, NULL, &p,
	    s), ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_thresh_deal(8, 1000, 2, 3, ".", NULL, NULL, &p,
	    s), ESCROW_ERR_INVALID_ARG);
	ck_assert_ptr_null(p);
}
END_TEST

static int
stop_at_once(void *arg, int stage, int count)
{
	(void)stage;
	(void)count;
	++*(int *)arg;
	return 1;
}

START_TEST(test_thresh_deal_progress_can_stop)
{
	struct escrow_thresh_params *p = NULL;
	struct escrow_thresh_share *s[3];
	int calls = 0;

	ck_assert_int_eq(escrow_thresh_deal(8, 1024, 2, 3, ".", stop_at_once,
	    &calls, &p, s), ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(calls, 1);
	ck_assert_ptr_null(p);
}
END_TEST

Suite *
check_thresh_suite(void)
{
	Suite *s = suite_create("thresh");
	TCase *kat = tcase_create("kat");
	TCase *tc = tcase_create("dealt");

	tcase_add_test(kat, test_thresh_lambda_circl_kat);
	tcase_add_test(kat, test_thresh_polynomial_circl_kat);
	tcase_add_test(kat, test_thresh_deal_refuses_bad_arguments);
	tcase_add_test(kat, test_thresh_deal_progress_can_stop);
	suite_add_tcase(s, kat);

	tcase_add_unchecked_fixture(tc, deal_all, free_all);
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_thresh_roundtrip_every_subset, 0, 3);
	tcase_add_test(tc, test_thresh_too_few_partials_refused);
	tcase_add_test(tc, test_thresh_bad_partials_caught_by_proof);
	tcase_add_test(tc, test_thresh_combine_catches_unverified_bad_partial);
	tcase_add_test(tc, test_thresh_params_text_roundtrip_and_strict);
	tcase_add_test(tc, test_thresh_share_record_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}
