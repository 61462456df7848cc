/*
 * check_text.c - lib/text.c: the text buffer in its three modes (fixed,
 * growing, secret) and the hex encoder.  No secrets (test values).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escrow.h"
#include "escrow_text.h"

Suite *check_text_suite(void);

START_TEST(test_text_fixed_counts_what_does_not_fit)
{
	char buf[8];
	struct escrow_text t;

	escrow_text_init_fixed(&t, buf, sizeof buf);
	escrow_text_str(&t, "abc");
	escrow_text_printf(&t, "%d", 1234);
	ck_assert_str_eq(buf, "abc1234");
	ck_assert_int_eq(escrow_text_done(&t), ESCROW_OK);
	escrow_text_put(&t, "x", 1); /* 9 bytes with the NUL: one too many */
	ck_assert_uint_eq(t.len, 8);
	ck_assert_int_eq(escrow_text_done(&t), ESCROW_ERR_BUFFER_TOO_SMALL);
	ck_assert_str_eq(buf, "");
	escrow_text_str(&t, "y"); /* nothing more is written, all is counted */
	ck_assert_uint_eq(t.len, 9);
	escrow_text_free(&t); /* a fixed buffer is the caller's: left alone */
	ck_assert_ptr_eq(t.p, buf);
}
END_TEST

START_TEST(test_text_growing_public_and_secret)
{
	unsigned flags[] = { 0, ESCROW_TEXT_SECRET };
	size_t f, i;

	for (f = 0; f < 2; f++) {
		struct escrow_text t;
		char want[16];

		escrow_text_init(&t, flags[f]);
		ck_assert_int_eq(escrow_text_done(&t), ESCROW_OK);
		for (i = 0; i < 5000; i++)
			escrow_text_printf(&t, "%05zu,", i);
		ck_assert_int_eq(escrow_text_done(&t), ESCROW_OK);
		ck_assert_uint_eq(t.len, 5000 * 6);
		ck_assert_uint_eq(strlen(t.p), t.len);
		snprintf(want, sizeof want, "%05d,", 4321);
		ck_assert_int_eq(memcmp(t.p + 4321 * 6, want, 6), 0);
		escrow_text_free(&t);
		ck_assert_ptr_null(t.p);
		ck_assert_uint_eq(t.len, 0);
	}
	{
		struct escrow_text z = { 0 }; /* { 0 } is a growing public buffer */

		escrow_text_xml(&z, "a<b&'c'>\"");
		ck_assert_str_eq(z.p, "a&lt;b&amp;&apos;c&apos;&gt;&quot;");
		escrow_text_free(&z);
	}
}
END_TEST

START_TEST(test_text_hex_and_base64_known_answers)
{
	/* RFC 4648 section 10 */
	static const struct { const char *in, *b64, *hex; } v[] = {
		{ "", "", "" }, { "f", "Zg==", "66" }, { "fo", "Zm8=", "666F" },
		{ "foo", "Zm9v", "666F6F" }, { "foob", "Zm9vYg==", "666F6F62" },
		{ "fooba", "Zm9vYmE=", "666F6F6261" },
		{ "foobar", "Zm9vYmFy", "666F6F626172" },
	};
	uint8_t all[256];
	char hex[513], want[3];
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct escrow_text t = { 0 };
		size_t n = strlen(v[i].in);

		escrow_text_base64(&t, (const uint8_t *)v[i].in, n);
		ck_assert_str_eq(t.p != NULL ? t.p : "", v[i].b64);
		escrow_text_free(&t);
		escrow_text_hex(&t, (const uint8_t *)v[i].in, n, 1);
		ck_assert_str_eq(t.p != NULL ? t.p : "", v[i].hex);
		escrow_text_free(&t);
	}
	for (i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	escrow_hex(all, 256, hex, 0);
	for (i = 0; i < 256; i++) {
		snprintf(want, sizeof want, "%02x", (unsigned)i);
		ck_assert_int_eq(memcmp(hex + 2 * i, want, 2), 0);
	}
	ck_assert_uint_eq(strlen(hex), 512);
}
END_TEST

Suite *
check_text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("text");

	tcase_add_test(tc, test_text_fixed_counts_what_does_not_fit);
	tcase_add_test(tc, test_text_growing_public_and_secret);
	tcase_add_test(tc, test_text_hex_and_base64_known_answers);
	suite_add_tcase(s, tc);
	return s;
}
