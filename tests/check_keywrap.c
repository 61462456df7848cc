/*
 * check_keywrap.c - RFC 5649 key wrap (RFC 5649 section 6, Bouncy Castle
 * KATs, Wycheproof AES-KWP valid and invalid) and HKDF-SHA256 (RFC 5869
 * appendix A.1-A.3).  Test data only.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "escrow.h"
#include "escrow_keywrap.h"
#include "testutil.h"

Suite *check_keywrap_suite(void);

#define BUF 1024

static const char *
jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s", key);
	return json_object_get_string(v);
}

/* Wrap and unwrap one known answer, then check a flipped bit is refused. */
static void
kat(const char *what, const char *kekhex, const char *plainhex,
    const char *wraphex)
{
	uint8_t kek[32], plain[BUF], wrapped[BUF], got[BUF];
	long keklen, plen, wlen;
	size_t n = 0;

	keklen = tu_unhex(kekhex, kek, sizeof kek);
	plen = tu_unhex(plainhex, plain, sizeof plain);
	wlen = tu_unhex(wraphex, wrapped, sizeof wrapped);
	ck_assert_msg(keklen > 0 && plen > 0 && wlen > 0, "%s: bad hex", what);

	ck_assert_int_eq(escrow_keywrap_wrap(kek, (size_t)keklen, plain,
	    (size_t)plen, got, sizeof got, &n), ESCROW_OK);
	ck_assert_msg(n == (size_t)wlen && memcmp(got, wrapped, n) == 0,
	    "%s: wrap differs", what);
	ck_assert_uint_eq(ESCROW_KEYWRAP_WRAPPED_LEN(plen), (size_t)wlen);

	ck_assert_int_eq(escrow_keywrap_unwrap(kek, (size_t)keklen, wrapped,
	    (size_t)wlen, got, sizeof got, &n), ESCROW_OK);
	ck_assert_msg(n == (size_t)plen && memcmp(got, plain, n) == 0,
	    "%s: unwrap differs", what);

	wrapped[wlen / 2] ^= 0x01;
	ck_assert_int_eq(escrow_keywrap_unwrap(kek, (size_t)keklen, wrapped,
	    (size_t)wlen, got, sizeof got, &n), ESCROW_ERR_UNWRAP);
	ck_assert_uint_eq(n, 0);
}

START_TEST(test_keywrap_rfc5649_vectors)
{
	struct json_object *j = tu_load_json(tu_vector_path("keywrap/rfc3394_rfc5649_vectors.json"));
	struct json_object *arr;
	const char *lists[] = { "rfc5649", "bc_kwp_extra" };
	size_t l, i, count = 0;

	for (l = 0; l < 2; l++) {
		ck_assert(json_object_object_get_ex(j, lists[l], &arr));
		for (i = 0; i < json_object_array_length(arr); i++) {
			struct json_object *v = json_object_array_get_idx(arr, i);

			kat(lists[l], jstr(v, "kek"), jstr(v, "key_data"),
			    jstr(v, "wrapped"));
			count++;
		}
	}
	ck_assert_uint_eq(count, 11);
	json_object_put(j);
}
END_TEST

/* RFC 3394 (unpadded, IV A6A6...) blobs carry the wrong AIV for RFC 5649. */
START_TEST(test_keywrap_rejects_rfc3394_blobs)
{
	struct json_object *j = tu_load_json(tu_vector_path("keywrap/rfc3394_rfc5649_vectors.json"));
	struct json_object *arr;
	size_t i;

	ck_assert(json_object_object_get_ex(j, "rfc3394", &arr));
	ck_assert_uint_eq(json_object_array_length(arr), 6);
	for (i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *v = json_object_array_get_idx(arr, i);
		uint8_t kek[32], wrapped[BUF], got[BUF];
		long kl = tu_unhex(jstr(v, "kek"), kek, sizeof kek);
		long wl = tu_unhex(jstr(v, "wrapped"), wrapped, sizeof wrapped);
		size_t n = 99;

		ck_assert(kl > 0 && wl > 0);
		ck_assert_int_eq(escrow_keywrap_unwrap(kek, (size_t)kl, wrapped,
		    (size_t)wl, got, sizeof got, &n), ESCROW_ERR_UNWRAP);
		ck_assert_uint_eq(n, 0);
	}
	json_object_put(j);
}
END_TEST

static void
wycheproof(const char *file, int kwp, size_t want_tests)
{
	struct json_object *j = tu_load_json(tu_vector_path(file));
	struct json_object *groups, *tests;
	size_t g, t, seen = 0, valid = 0, invalid = 0;

	ck_assert(json_object_object_get_ex(j, "testGroups", &groups));
	for (g = 0; g < json_object_array_length(groups); g++) {
		ck_assert(json_object_object_get_ex(
		    json_object_array_get_idx(groups, g), "tests", &tests));
		for (t = 0; t < json_object_array_length(tests); t++) {
			struct json_object *v = json_object_array_get_idx(tests, t);
			const char *result = jstr(v, "result");
			uint8_t key[32], msg[BUF], ct[BUF], got[BUF];
			long kl = tu_unhex(jstr(v, "key"), key, sizeof key);
			long ml = tu_unhex(jstr(v, "msg"), msg, sizeof msg);
			long cl = tu_unhex(jstr(v, "ct"), ct, sizeof ct);
			int tc = json_object_get_int(json_object_object_get(v, "tcId"));
			size_t n = 0;
			int rc;

			ck_assert_msg(kl > 0 && ml >= 0 && cl >= 0, "tc %d hex", tc);
			seen++;
			rc = escrow_keywrap_unwrap(key, (size_t)kl, ct, (size_t)cl,
			    got, sizeof got, &n);
			if (kwp && strcmp(result, "valid") == 0) {
				valid++;
				ck_assert_msg(rc == ESCROW_OK, "tc %d: unwrap %d", tc, rc);
				ck_assert_msg(n == (size_t)ml &&
				    memcmp(got, msg, n) == 0, "tc %d: unwrap differs", tc);
				ck_assert_int_eq(escrow_keywrap_wrap(key, (size_t)kl,
				    msg, (size_t)ml, got, sizeof got, &n), ESCROW_OK);
				ck_assert_msg(n == (size_t)cl &&
				    memcmp(got, ct, n) == 0, "tc %d: wrap differs", tc);
			} else if (kwp) {
				/* invalid (there are no "acceptable" KWP cases) */
				ck_assert_str_eq(result, "invalid");
				invalid++;
				ck_assert_msg(rc == ESCROW_ERR_UNWRAP,
				    "tc %d accepted: %d", tc, rc);
				ck_assert_uint_eq(n, 0);
			} else {
				/* RFC 3394 blobs, valid or not, are not RFC 5649 */
				ck_assert_msg(rc == ESCROW_ERR_UNWRAP,
				    "KW tc %d accepted as KWP", tc);
			}
		}
	}
	ck_assert_uint_eq(seen, want_tests);
	if (kwp) {
		ck_assert_uint_eq(valid, 77);
		ck_assert_uint_eq(invalid, 177);
	}
	json_object_put(j);
}

START_TEST(test_keywrap_wycheproof_kwp)
{
	wycheproof("keywrap/wycheproof_aes_kwp_test.json", 1, 254);
}
END_TEST

START_TEST(test_keywrap_wycheproof_kw_not_kwp)
{
	wycheproof("keywrap/wycheproof_aes_wrap_test.json", 0, 165);
}
END_TEST

START_TEST(test_keywrap_bad_arguments)
{
	uint8_t kek[32] = { 1 }, in[64] = { 2 }, out[80], back[64];
	size_t n = 0;

	/* KEK lengths other than 16/24/32 */
	ck_assert_int_eq(escrow_keywrap_wrap(kek, 31, in, 16, out, sizeof out, &n),
	    ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_keywrap_unwrap(kek, 0, in, 24, out, sizeof out, &n),
	    ESCROW_ERR_INVALID_ARG);
	/* empty plaintext, short output */
	ck_assert_int_eq(escrow_keywrap_wrap(kek, 32, in, 0, out, sizeof out, &n),
	    ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_keywrap_wrap(kek, 32, in, 17, out, 31, &n),
	    ESCROW_ERR_BUFFER_TOO_SMALL);
	/* 17 bytes wrap to 32; exact-size buffers are enough */
	ck_assert_int_eq(escrow_keywrap_wrap(kek, 32, in, 17, out,
	    ESCROW_KEYWRAP_WRAPPED_LEN(17), &n), ESCROW_OK);
	ck_assert_uint_eq(n, 32);
	ck_assert_int_eq(escrow_keywrap_unwrap(kek, 32, out, 32, back, 16, &n),
	    ESCROW_ERR_BUFFER_TOO_SMALL);
	ck_assert_int_eq(escrow_keywrap_unwrap(kek, 32, out, 32, back, 17, &n),
	    ESCROW_OK);
	ck_assert_mem_eq(back, in, 17);
	/* wrapped lengths that cannot be RFC 5649 */
	ck_assert_int_eq(escrow_keywrap_unwrap(kek, 32, out, 8, back, sizeof back, &n),
	    ESCROW_ERR_UNWRAP);
	ck_assert_int_eq(escrow_keywrap_unwrap(kek, 32, out, 31, back, sizeof back, &n),
	    ESCROW_ERR_UNWRAP);
	ck_assert_int_eq(escrow_keywrap_unwrap(kek, 32, out, 0, back, sizeof back, &n),
	    ESCROW_ERR_UNWRAP);
	/* the wrong KEK */
	kek[0] ^= 0x80;
	ck_assert_int_eq(escrow_keywrap_unwrap(kek, 32, out, 32, back, sizeof back, &n),
	    ESCROW_ERR_UNWRAP);
}
END_TEST

START_TEST(test_keywrap_roundtrip_all_lengths)
{
	uint8_t kek[32], in[300], out[320], back[320];
	size_t len, n, m;

	escrow_random(kek, sizeof kek);
	escrow_random(in, sizeof in);
	for (len = 1; len <= sizeof in; len++) {
		ck_assert_int_eq(escrow_keywrap_wrap(kek, 32, in, len, out,
		    sizeof out, &n), ESCROW_OK);
		ck_assert_uint_eq(n, ESCROW_KEYWRAP_WRAPPED_LEN(len));
		ck_assert_int_eq(escrow_keywrap_unwrap(kek, 32, out, n, back,
		    sizeof back, &m), ESCROW_OK);
		ck_assert_uint_eq(m, len);
		ck_assert_mem_eq(back, in, len);
		/* the same blob cut short by one semiblock is refused */
		if (n > 16)
			ck_assert_int_eq(escrow_keywrap_unwrap(kek, 32, out, n - 8,
			    back, sizeof back, &m), ESCROW_ERR_UNWRAP);
	}
}
END_TEST

/* RFC 5869 appendix A.1-A.3 (the SHA-256 cases). */
START_TEST(test_kdf_hkdf_rfc5869)
{
	static const struct {
		const char *ikm, *salt, *info, *okm;
	} tc[] = {
		{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
		  "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9",
		  "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
		  "34007208d5b887185865" },
		{ "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		  "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
		  "404142434445464748494a4b4c4d4e4f",
		  "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
		  "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
		  "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
		  "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
		  "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
		  "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
		  "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
		  "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
		  "cc30c58179ec3e87c14c01d5c1f3434f1d87" },
		{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
		  "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
		  "9d201395faa4b61a96c8" },
	};
	size_t i;

	for (i = 0; i < sizeof tc / sizeof tc[0]; i++) {
		uint8_t ikm[128], salt[128], info[128], okm[128], got[128];
		long il = tu_unhex(tc[i].ikm, ikm, sizeof ikm);
		long sl = tu_unhex(tc[i].salt, salt, sizeof salt);
		long nl = tu_unhex(tc[i].info, info, sizeof info);
		long ol = tu_unhex(tc[i].okm, okm, sizeof okm);

		ck_assert(il > 0 && sl >= 0 && nl >= 0 && ol > 0);
		ck_assert_int_eq(escrow_kdf_hkdf_sha256(ikm, (size_t)il,
		    sl > 0 ? salt : NULL, (size_t)sl, nl > 0 ? info : NULL,
		    (size_t)nl, got, (size_t)ol), ESCROW_OK);
		ck_assert_msg(memcmp(got, okm, (size_t)ol) == 0, "case %zu", i + 1);
		/* a different info must give a different key */
		info[0] ^= 1;
		ck_assert_int_eq(escrow_kdf_hkdf_sha256(ikm, (size_t)il, salt,
		    (size_t)sl, info, nl > 0 ? (size_t)nl : 1, got, (size_t)ol),
		    ESCROW_OK);
		ck_assert(memcmp(got, okm, (size_t)ol) != 0);
	}
	{
		uint8_t k[32] = { 0 }, o[32];

		ck_assert_int_eq(escrow_kdf_hkdf_sha256(k, 32, NULL, 0, NULL, 0,
		    o, 0), ESCROW_ERR_INVALID_ARG);
		ck_assert_int_eq(escrow_kdf_hkdf_sha256(k, 32, NULL, 3, NULL, 0,
		    o, 32), ESCROW_ERR_INVALID_ARG);
	}
}
END_TEST

Suite *
check_keywrap_suite(void)
{
	Suite *s = suite_create("keywrap");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_keywrap_rfc5649_vectors);
	tcase_add_test(tc, test_keywrap_rejects_rfc3394_blobs);
	tcase_add_test(tc, test_keywrap_wycheproof_kwp);
	tcase_add_test(tc, test_keywrap_wycheproof_kw_not_kwp);
	tcase_add_test(tc, test_keywrap_bad_arguments);
	tcase_add_test(tc, test_keywrap_roundtrip_all_lengths);
	tcase_add_test(tc, test_kdf_hkdf_rfc5869);
	suite_add_tcase(s, tc);
	return s;
}
