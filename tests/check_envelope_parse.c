/*
 * check_envelope_parse.c - the strict envelope parser (lib/envelope_parse.c):
 * every single-bit flip and every truncation of the worked example, a
 * precise error for each malformed field, and a wrong secret as a MAC
 * error.  Test keys and secrets only.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/x509.h>

#include "escrow.h"
#include "escrow_hazmat.h"
#include "escrow_envelope.h"
#include "escrow_keywrap.h"
#include "fixture_envelope.h"
#include "testutil.h"

Suite *check_envelope_parse_suite(void);

START_TEST(test_envelope_every_bit_flip_rejected)
{
	uint8_t *b, S[32];
	size_t len, bit, by_parse = 0, by_mac = 0;
	int parsed, ret;

	ex_secret(S);
	b = ex_seal(&len);
	ck_assert_int_eq(parse_and_verify(b, len, S, &parsed), ESCROW_OK);
	for (bit = 0; bit < 8 * len; bit++) {
		b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		ret = parse_and_verify(b, len, S, &parsed);
		ck_assert_msg(ret != ESCROW_OK, "flip of bit %zu accepted", bit);
		if (parsed) {
			ck_assert_int_eq(ret, ESCROW_ERR_MAC);
			by_mac++;
		} else {
			by_parse++;
		}
		b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	ck_assert_uint_gt(by_parse, 0);
	ck_assert_uint_gt(by_mac, 0);
	ck_assert_int_eq(parse_and_verify(b, len, S, &parsed), ESCROW_OK);
	free(b);
}
END_TEST

START_TEST(test_envelope_every_truncation_rejected)
{
	struct escrow_envelope *env = NULL;
	uint8_t *b, *c, S[32];
	size_t len, cut;
	int parsed;

	ex_secret(S);
	b = ex_seal(&len);
	for (cut = 0; cut < len; cut++) {
		/* an exact-size copy, so ASan sees any read past the end */
		c = malloc(cut + 1);
		ck_assert_ptr_nonnull(c);
		memcpy(c, b, cut);
		ck_assert_msg(escrow_envelope_parse(cut ? c : NULL, cut, &env) ==
		    ESCROW_ERR_TRUNCATED, "cut at %zu", cut);
		ck_assert_ptr_null(env);
		free(c);
	}
	/* one trailing byte */
	c = malloc(len + 1);
	ck_assert_ptr_nonnull(c);
	memcpy(c, b, len);
	c[len] = 0;
	ck_assert_int_eq(escrow_envelope_parse(c, len + 1, &env), ESCROW_ERR_TRAILING);
	ck_assert_int_eq(parse_and_verify(c, len, S, &parsed), ESCROW_OK);
	free(c);
	free(b);
}
END_TEST

/* Edit a field of the example and expect a precise error from parse. */
static void
expect_parse(const uint8_t *orig, size_t len, size_t off, const uint8_t *with,
    size_t wlen, int want, const char *what)
{
	ex_expect_parse(orig, len, 0, off, with, wlen, want, what);
}

START_TEST(test_envelope_malformed_precise_errors)
{
	uint8_t *b, S[32], tmp[40];
	size_t len;
	int parsed;

	ex_secret(S);
	b = ex_seal(&len);
	ck_assert_uint_eq(len, EX_LEN);
	expect_parse(b, len, 0, (const uint8_t *)"X", 1, ESCROW_ERR_FORMAT, "magic");
	expect_parse(b, len, EX_OFF_VERSION, (const uint8_t *)"\x03", 1,
	    ESCROW_ERR_VERSION, "version 3");
	expect_parse(b, len, EX_OFF_VERSION, (const uint8_t *)"\x00", 1,
	    ESCROW_ERR_VERSION, "version 0");
	expect_parse(b, len, EX_OFF_SET, (const uint8_t *)"\x80", 1,
	    ESCROW_ERR_FORMAT, "identifier >= 2^15");
	expect_parse(b, len, EX_OFF_SET + 2, (const uint8_t *)"\x02", 1,
	    ESCROW_ERR_FORMAT, "extendable 2");
	expect_parse(b, len, EX_OFF_SET + 3, (const uint8_t *)"\x10", 1,
	    ESCROW_ERR_FORMAT, "iteration exponent 16");
	expect_parse(b, len, EX_OFF_SET + 4, (const uint8_t *)"\x02", 1,
	    ESCROW_ERR_FORMAT, "group threshold > count");
	expect_parse(b, len, EX_OFF_SET + 4, (const uint8_t *)"\x00", 1,
	    ESCROW_ERR_FORMAT, "group threshold 0");
	expect_parse(b, len, EX_OFF_SET + 5, (const uint8_t *)"\x00", 1,
	    ESCROW_ERR_FORMAT, "group count 0");
	expect_parse(b, len, EX_OFF_SET + 5, (const uint8_t *)"\x11", 1,
	    ESCROW_ERR_FORMAT, "group count 17");
	expect_parse(b, len, EX_OFF_GROUPS, (const uint8_t *)"\x04", 1,
	    ESCROW_ERR_FORMAT, "member threshold > count");
	expect_parse(b, len, EX_OFF_GROUPS + 1, (const uint8_t *)"\x11", 1,
	    ESCROW_ERR_FORMAT, "member count 17");
	expect_parse(b, len, EX_OFF_NCOMMIT, (const uint8_t *)"\x00\x02", 2,
	    ESCROW_ERR_FORMAT, "a commitment missing");
	expect_parse(b, len, EX_OFF_NCOMMIT, (const uint8_t *)"\x00\x00", 2,
	    ESCROW_ERR_FORMAT, "no commitment");
	expect_parse(b, len, EX_OFF_COMMIT + 1, (const uint8_t *)"\x01", 1,
	    ESCROW_ERR_FORMAT, "members out of order");
	expect_parse(b, len, EX_OFF_COMMIT, (const uint8_t *)"\x01", 1,
	    ESCROW_ERR_FORMAT, "group index out of range");
	expect_parse(b, len, EX_OFF_COMMIT + 34 + 1, (const uint8_t *)"\x00", 1,
	    ESCROW_ERR_FORMAT, "duplicate position");
	memcpy(tmp, b + EX_OFF_COMMIT + 2, 32);
	expect_parse(b, len, EX_OFF_COMMIT + 2 * 34 + 2, tmp, 32,
	    ESCROW_ERR_FORMAT, "duplicate commitment hash");
	expect_parse(b, len, EX_OFF_NKEYS, (const uint8_t *)"\x00\x00", 2,
	    ESCROW_ERR_FORMAT, "zero keys");
	expect_parse(b, len, EX_OFF_NKEYS, (const uint8_t *)"\x27\x11", 2,
	    ESCROW_ERR_TOO_LARGE, "10001 keys");
	expect_parse(b, len, EX_OFF_NKEYS, (const uint8_t *)"\x00\x02", 2,
	    ESCROW_ERR_TRUNCATED, "a key missing");
	expect_parse(b, len, EX_OFF_KEY, (const uint8_t *)"\x00", 1,
	    ESCROW_ERR_FORMAT, "empty label");
	expect_parse(b, len, EX_OFF_LABEL + 3, (const uint8_t *)"\xc0", 1,
	    ESCROW_ERR_FORMAT, "label not UTF-8");
	expect_parse(b, len, EX_OFF_LABEL + 3, (const uint8_t *)"\n", 1,
	    ESCROW_ERR_FORMAT, "control character in label");
	expect_parse(b, len, EX_OFF_IDLEN, (const uint8_t *)"\x00", 1,
	    ESCROW_ERR_FORMAT, "empty CKA_ID");
	expect_parse(b, len, EX_OFF_OWNER, (const uint8_t *)"\x08", 1,
	    ESCROW_ERR_NAME, "owner label overruns");
	expect_parse(b, len, EX_OFF_OWNER, (const uint8_t *)"\xc0", 1,
	    ESCROW_ERR_NAME, "owner compression pointer");
	expect_parse(b, len, EX_OFF_OWNER + 12, (const uint8_t *)"\x01", 1,
	    ESCROW_ERR_NAME, "owner without root label");
	expect_parse(b, len, EX_OFF_PUBLEN, (const uint8_t *)"\x00\x00", 2,
	    ESCROW_ERR_FORMAT, "empty public key");
	expect_parse(b, len, EX_OFF_PUBLEN, (const uint8_t *)"\xff\xff", 2,
	    ESCROW_ERR_TRUNCATED, "public key past the end");
	expect_parse(b, len, EX_OFF_WLEN, (const uint8_t *)"\x00\x08", 2,
	    ESCROW_ERR_FORMAT, "wrapped key of 8 bytes");
	expect_parse(b, len, EX_OFF_WLEN, (const uint8_t *)"\x00\x30", 2,
	    ESCROW_ERR_TRAILING, "wrapped key shorter by a semiblock");
	expect_parse(b, len, EX_OFF_WLEN, (const uint8_t *)"\x00\x37", 2,
	    ESCROW_ERR_FORMAT, "wrapped key not a multiple of 8");
	/* the time and the id are free values: the MAC catches changes */
	{
		struct escrow_envelope *env = NULL;

		b[EX_OFF_TIME] ^= 0x80;
		ck_assert_int_eq(escrow_envelope_parse(b, len, &env), ESCROW_OK);
		ck_assert_uint_eq(escrow_envelope_created(env),
		    EX_TIME ^ (UINT64_C(1) << 63));
		ck_assert_int_eq(escrow_envelope_verify(env, S), ESCROW_ERR_MAC);
		escrow_envelope_free(env);
		b[EX_OFF_TIME] ^= 0x80;
	}
	ck_assert_int_eq(parse_and_verify(b, len, S, &parsed), ESCROW_OK);
	ck_assert_int_eq(escrow_envelope_parse(b, 7, &(struct escrow_envelope *){ NULL }),
	    ESCROW_ERR_TRUNCATED);
	ck_assert_int_eq(escrow_envelope_parse((const uint8_t *)"ESCROWXX", 8,
	    &(struct escrow_envelope *){ NULL }), ESCROW_ERR_FORMAT);
	ck_assert_int_eq(escrow_envelope_parse((const uint8_t *)"ESCROWEX", 3,
	    &(struct escrow_envelope *){ NULL }), ESCROW_ERR_TRUNCATED);
	ck_assert_int_eq(escrow_envelope_parse((const uint8_t *)"XSC", 3,
	    &(struct escrow_envelope *){ NULL }), ESCROW_ERR_FORMAT);
	free(b);
}
END_TEST

START_TEST(test_envelope_wrong_secret_is_mac_error)
{
	uint8_t *b, S[32];
	size_t len, i;
	int parsed;

	ex_secret(S);
	b = ex_seal(&len);
	for (i = 0; i < 32; i++) {
		S[i] ^= 0x01;
		ck_assert_int_eq(parse_and_verify(b, len, S, &parsed), ESCROW_ERR_MAC);
		ck_assert(parsed);
		S[i] ^= 0x01;
	}
	ck_assert_int_eq(parse_and_verify(b, len, S, &parsed), ESCROW_OK);
	free(b);
}
END_TEST

Suite *
check_envelope_parse_suite(void)
{
	const TTest *tests[] = {
		test_envelope_every_bit_flip_rejected,
		test_envelope_every_truncation_rejected,
		test_envelope_malformed_precise_errors,
		test_envelope_wrong_secret_is_mac_error,
	};

	return TU_SUITE("envelope_parse", tests, 600);
}
