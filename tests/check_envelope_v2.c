/*
 * check_envelope_v2.c - envelope format version 2 (lib/envelope.c,
 * lib/envelope_parse.c): the passphrase flag and the replaced share sets.
 * The version 2 worked example of docs/FORMAT.md byte for byte, both
 * versions read back, the builder's and the parser's refusals, and every
 * bit flip and truncation of the v2 example rejected.  Test keys and
 * secrets only.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escrow.h"
#include "escrow_bytes.h"
#include "escrow_hazmat.h"
#include "escrow_envelope.h"
#include "fixture_envelope.h"
#include "testutil.h"

Suite *check_envelope_v2_suite(void);

START_TEST(test_envelope_v2_worked_example_bytes)
{
	uint8_t *b, want[1024], fp[32];
	char hex[ESCROW_FINGERPRINT_HEX_MAX];
	size_t len, i;
	long wl = tu_unhex(ex_v2_envelope_hex, want, sizeof want);

	b = ex_seal_v2(&len, NULL);
	if (getenv("ESCROW_PRINT_EXAMPLE") != NULL) {
		for (i = 0; i < len; i++)
			printf("%02x%s", b[i], i % 32 == 31 ? "\n" : "");
		printf("\n");
	}
	ck_assert_uint_eq(len, EX2_LEN);
	ck_assert_int_eq(wl, (long)len);
	ck_assert_mem_eq(b, want, len);
	/* version 1 but for the version byte, the identifier and the block */
	ck_assert_uint_eq(b[EX_OFF_VERSION], 2);
	ck_assert_uint_eq(b[EX2_OFF_PASSPHRASE], 1);
	ck_assert_uint_eq(b[EX2_OFF_NREPLACED], 1);
	ck_assert_uint_eq(escrow_get16(b + EX2_OFF_REPLACED), 0x1234);
	ck_assert_int_eq(escrow_envelope_fingerprint(b, len, fp), ESCROW_OK);
	escrow_envelope_fingerprint_hex(fp, hex);
	ck_assert_str_eq(hex, ex_v2_fingerprint_hex);
	free(b);
}
END_TEST

START_TEST(test_envelope_v2_reads_back)
{
	struct escrow_envelope *env = NULL;
	const struct escrow_envelope_replaced *r;
	uint8_t *b, S[32], fp1[32], out[64];
	size_t len, got;

	ex_secret(S);
	b = ex_seal_v2(&len, NULL);
	ck_assert_int_eq(escrow_envelope_parse(b, len, &env), ESCROW_OK);
	ck_assert_uint_eq(escrow_envelope_version(env), 2);
	ck_assert_int_eq(escrow_envelope_passphrase(env), ESCROW_PASSPHRASE_SET);
	ck_assert_uint_eq(escrow_envelope_replaced_count(env), 1);
	r = escrow_envelope_replaced_at(env, 0);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->identifier, 0x1234);
	ck_assert_int_eq(tu_unhex(ex_fingerprint_hex, fp1, 32), 32);
	ck_assert_mem_eq(r->fingerprint, fp1, 32);
	ck_assert_ptr_null(escrow_envelope_replaced_at(env, 1));
	ck_assert_uint_eq(escrow_envelope_shareset(env)->identifier, EX_V2_IDENTIFIER);
	ck_assert_uint_eq(escrow_envelope_key_count(env), 1);
	ck_assert_int_eq(escrow_envelope_verify(env, S), ESCROW_OK);
	ck_assert_int_eq(escrow_envelope_unwrap_key(env, S, 0, out, sizeof out, &got),
	    ESCROW_OK);
	ck_assert_uint_eq(got, 48);
	escrow_wipe(out, sizeof out);
	escrow_envelope_free(env);
	free(b);

	/* version 1: nothing recorded, nothing replaced */
	b = ex_seal(&len);
	ck_assert_int_eq(escrow_envelope_parse(b, len, &env), ESCROW_OK);
	ck_assert_uint_eq(escrow_envelope_version(env), 1);
	ck_assert_int_eq(escrow_envelope_passphrase(env), ESCROW_PASSPHRASE_NOT_RECORDED);
	ck_assert_uint_eq(escrow_envelope_replaced_count(env), 0);
	ck_assert_ptr_null(escrow_envelope_replaced_at(env, 0));
	ck_assert_int_eq(escrow_envelope_verify(env, S), ESCROW_OK);
	escrow_envelope_free(env);
	free(b);
	ck_assert_uint_eq(escrow_envelope_version(NULL), 0);
	ck_assert_int_eq(escrow_envelope_passphrase(NULL), ESCROW_PASSPHRASE_NOT_RECORDED);
}
END_TEST

/* The largest list, and none: sizes as docs/FORMAT.md says, round trips. */
START_TEST(test_envelope_v2_replaced_lists)
{
	struct escrow_envelope_replaced *many;
	struct escrow_envelope *env = NULL;
	struct ex_v2 v2;
	uint8_t *b, S[32];
	size_t len, i;

	ex_secret(S);
	many = calloc(ESCROW_ENVELOPE_MAX_REPLACED, sizeof *many);
	ck_assert_ptr_nonnull(many);
	for (i = 0; i < ESCROW_ENVELOPE_MAX_REPLACED; i++) {
		many[i].identifier = (uint16_t)(0x7fff - i);
		memset(many[i].fingerprint, (int)i, 32);
	}
	ex_v2_ceremony(&v2);
	v2.replaced = many;
	v2.nreplaced = ESCROW_ENVELOPE_MAX_REPLACED;
	v2.passphrase = ESCROW_PASSPHRASE_NONE;
	b = ex_seal_v2(&len, &v2);
	ck_assert_uint_eq(len, EX_LEN + 2 + 34 * ESCROW_ENVELOPE_MAX_REPLACED);
	ck_assert_int_eq(escrow_envelope_parse(b, len, &env), ESCROW_OK);
	ck_assert_int_eq(escrow_envelope_passphrase(env), ESCROW_PASSPHRASE_NONE);
	ck_assert_uint_eq(escrow_envelope_replaced_count(env), ESCROW_ENVELOPE_MAX_REPLACED);
	for (i = 0; i < ESCROW_ENVELOPE_MAX_REPLACED; i++) {
		const struct escrow_envelope_replaced *r = escrow_envelope_replaced_at(env, i);

		ck_assert_uint_eq(r->identifier, 0x7fff - i);
		ck_assert_mem_eq(r->fingerprint, many[i].fingerprint, 32);
	}
	ck_assert_int_eq(escrow_envelope_verify(env, S), ESCROW_OK);
	escrow_envelope_free(env);
	free(b);

	v2.nreplaced = 0;
	v2.replaced = NULL;
	b = ex_seal_v2(&len, &v2);
	ck_assert_uint_eq(len, EX_LEN + 2);
	ck_assert_int_eq(escrow_envelope_parse(b, len, &env), ESCROW_OK);
	ck_assert_uint_eq(escrow_envelope_version(env), 2);
	ck_assert_uint_eq(escrow_envelope_replaced_count(env), 0);
	escrow_envelope_free(env);
	free(b);
	free(many);
}
END_TEST

START_TEST(test_envelope_v2_builder_refuses)
{
	struct escrow_envelope *env = NULL;
	struct escrow_envelope_replaced r[2];
	uint8_t S[32];

	ex_secret(S);
	memset(r, 0, sizeof r);
	ck_assert_int_eq(escrow_envelope_create(&env, EX_TIME, S), ESCROW_OK);
	ck_assert_uint_eq(escrow_envelope_version(env), 1);
	ck_assert_int_eq(escrow_envelope_set_ceremony(NULL, 0, NULL, 0),
	    ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_envelope_set_ceremony(env, 2, NULL, 0),
	    ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_envelope_set_ceremony(env, -1, NULL, 0),
	    ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_envelope_set_ceremony(env, 0, NULL, 1),
	    ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_envelope_set_ceremony(env, 0, r,
	    ESCROW_ENVELOPE_MAX_REPLACED + 1), ESCROW_ERR_TOO_LARGE);
	r[1].identifier = 0x8000;
	ck_assert_int_eq(escrow_envelope_set_ceremony(env, 1, r, 2),
	    ESCROW_ERR_SHARE_PARAMS);
	ck_assert_uint_eq(escrow_envelope_version(env), 1); /* nothing was taken */
	ck_assert_int_eq(escrow_envelope_set_ceremony(env, 1, r, 1), ESCROW_OK);
	ck_assert_uint_eq(escrow_envelope_version(env), 2);
	ck_assert_int_eq(escrow_envelope_passphrase(env), ESCROW_PASSPHRASE_SET);
	ck_assert_int_eq(escrow_envelope_set_ceremony(env, 1, r, 1),
	    ESCROW_ERR_INVALID_ARG); /* once only */
	escrow_envelope_free(env);
}
END_TEST

START_TEST(test_envelope_v2_malformed)
{
	uint8_t *b, *v1;
	size_t len, len1;

	b = ex_seal_v2(&len, NULL);
	ex_expect_parse(b, len, 0, EX2_OFF_PASSPHRASE, (const uint8_t *)"\x02", 1,
	    ESCROW_ERR_FORMAT, "passphrase flag 2");
	ex_expect_parse(b, len, 0, EX2_OFF_PASSPHRASE, (const uint8_t *)"\xff", 1,
	    ESCROW_ERR_FORMAT, "passphrase flag 255");
	ex_expect_parse(b, len, 0, EX2_OFF_REPLACED, (const uint8_t *)"\x80", 1,
	    ESCROW_ERR_FORMAT, "replaced identifier >= 2^15");
	ex_expect_parse(b, len, 0, EX2_OFF_NREPLACED, (const uint8_t *)"\xff", 1,
	    ESCROW_ERR_TRUNCATED, "255 replaced sets past the end");
	ex_expect_parse(b, len, 0, EX2_OFF_NREPLACED, (const uint8_t *)"\x00", 1,
	    ESCROW_ERR_TRUNCATED, "replaced count 0 over an entry");
	ex_expect_parse(b, len, 0, EX_OFF_VERSION, (const uint8_t *)"\x03", 1,
	    ESCROW_ERR_VERSION, "version 3");
	ex_expect_parse(b, len, len - EX2_OFF_NREPLACED, 0, b, 0,
	    ESCROW_ERR_TRUNCATED, "ends before replaced_count");
	ex_expect_parse(b, len, len - EX2_OFF_REPLACED - 10, 0, b, 0,
	    ESCROW_ERR_TRUNCATED, "ends inside a replaced entry");
	/* a v1 envelope called version 2 does not parse */
	v1 = ex_seal(&len1);
	ex_expect_parse(v1, len1, 0, EX_OFF_VERSION, (const uint8_t *)"\x02", 1,
	    ESCROW_ERR_TRUNCATED, "v1 bytes labelled version 2");
	free(v1);
	free(b);
}
END_TEST

/* The MAC covers the new block: every flip is caught, every cut too. */
START_TEST(test_envelope_v2_every_flip_and_cut_rejected)
{
	struct escrow_envelope *env = NULL;
	uint8_t *b, S[32];
	size_t len, bit, cut;
	int parsed, ret;

	ex_secret(S);
	b = ex_seal_v2(&len, NULL);
	ck_assert_int_eq(parse_and_verify(b, len, S, &parsed), ESCROW_OK);
	for (bit = 0; bit < 8 * len; bit++) {
		b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		ret = parse_and_verify(b, len, S, &parsed);
		ck_assert_msg(ret != ESCROW_OK, "flip of bit %zu accepted", bit);
		b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	for (cut = 0; cut < len; cut++) {
		ret = escrow_envelope_parse(b, cut, &env);
		ck_assert_msg(ret == ESCROW_ERR_TRUNCATED, "cut at %zu: %d", cut, ret);
		ck_assert_ptr_null(env);
	}
	free(b);
}
END_TEST

Suite *
check_envelope_v2_suite(void)
{
	const TTest *tests[] = {
		test_envelope_v2_worked_example_bytes,
		test_envelope_v2_reads_back,
		test_envelope_v2_replaced_lists,
		test_envelope_v2_builder_refuses,
		test_envelope_v2_malformed,
		test_envelope_v2_every_flip_and_cut_rejected,
	};

	return TU_SUITE("envelope_v2", tests, 600);
}
