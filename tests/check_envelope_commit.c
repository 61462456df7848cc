/*
 * check_envelope_commit.c - what is derived from the master secret and the
 * shares (lib/envelope_commit.c): K_wrap and K_mac reproduced with
 * OpenSSL's HMAC, share commitments, and the fingerprint in its forms.
 * Test keys and secrets only.
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

Suite *check_envelope_commit_suite(void);

/* HKDF-SHA256 written out with OpenSSL's HMAC (RFC 5869 section 2). */
static void
hkdf_by_hand(const uint8_t id[16], const uint8_t S[32], const char *info,
    uint8_t out[32])
{
	uint8_t prk[32], msg[64];
	unsigned n = 0;
	size_t il = strlen(info);

	ck_assert_ptr_nonnull(HMAC(EVP_sha256(), id, 16, S, 32, prk, &n));
	ck_assert_uint_eq(n, 32);
	memcpy(msg, info, il);
	msg[il] = 0x01;
	ck_assert_ptr_nonnull(HMAC(EVP_sha256(), prk, 32, msg, il + 1, out, &n));
	ck_assert_uint_eq(n, 32);
}

START_TEST(test_envelope_derivation_matches_hmac_by_hand)
{
	uint8_t id[16], S[32], kw[32], km[32], want[32], *b, mac[32];
	size_t i, len;
	unsigned n = 0;

	for (i = 0; i < 16; i++)
		id[i] = (uint8_t)(0xa0 + i);
	ex_secret(S);
	ck_assert_int_eq(escrow_envelope_derive_keys(id, S, kw, km), ESCROW_OK);
	hkdf_by_hand(id, S, "escrow v1 wrap", want);
	ck_assert_mem_eq(kw, want, 32);
	hkdf_by_hand(id, S, "escrow v1 mac", want);
	ck_assert_mem_eq(km, want, 32);
	ck_assert_mem_ne(kw, km, 32);
	/* either output alone */
	memset(kw, 0, 32);
	ck_assert_int_eq(escrow_envelope_derive_keys(id, S, kw, NULL), ESCROW_OK);
	hkdf_by_hand(id, S, "escrow v1 wrap", want);
	ck_assert_mem_eq(kw, want, 32);

	/* the example's MAC, recomputed independently */
	b = ex_seal(&len);
	hkdf_by_hand(b + EX_OFF_ID, S, "escrow v1 mac", km);
	ck_assert_ptr_nonnull(HMAC(EVP_sha256(), km, 32, b, len - 32, mac, &n));
	ck_assert_mem_eq(mac, b + len - 32, 32);
	/* and its wrapped key, unwrapped directly with K_wrap */
	{
		uint8_t *p8 = ex_pkcs8(), *out = escrow_secret_alloc(64);
		size_t got = 0;

		hkdf_by_hand(b + EX_OFF_ID, S, "escrow v1 wrap", kw);
		ck_assert_int_eq(escrow_keywrap_unwrap(kw, 32, b + EX_OFF_WLEN + 2,
		    56, out, 64, &got), ESCROW_OK);
		ck_assert_uint_eq(got, 48);
		ck_assert_mem_eq(out, p8, 48);
		escrow_secret_free(p8);
		escrow_secret_free(out);
	}
	free(b);
}
END_TEST

/* ---- commitments --------------------------------------------------------- */

START_TEST(test_envelope_commitment_definition)
{
	uint8_t id[16], h[32], want[32], msg[256];
	uint16_t w[EX_WORDS];
	size_t i, o = 0;
	unsigned n = 0;

	for (i = 0; i < 16; i++)
		id[i] = (uint8_t)i;
	ex_share(1, 2, w);
	ck_assert_int_eq(escrow_envelope_commitment(id, 1, 2, w, EX_WORDS, h), ESCROW_OK);
	/* SHA-256 of the documented preimage, built by hand */
	memcpy(msg, "escrow v1 share commitment", 26);
	o = 26;
	memcpy(msg + o, id, 16);
	o += 16;
	msg[o++] = 1;
	msg[o++] = 2;
	msg[o++] = EX_WORDS;
	for (i = 0; i < EX_WORDS; i++) {
		msg[o++] = (uint8_t)(w[i] >> 8);
		msg[o++] = (uint8_t)w[i];
	}
	ck_assert_int_eq(EVP_Digest(msg, o, want, &n, EVP_sha256(), NULL), 1);
	ck_assert_mem_eq(h, want, 32);
	/* every input matters */
	ck_assert_int_eq(escrow_envelope_commitment(id, 1, 3, w, EX_WORDS, want), ESCROW_OK);
	ck_assert_mem_ne(h, want, 32);
	ck_assert_int_eq(escrow_envelope_commitment(id, 0, 2, w, EX_WORDS, want), ESCROW_OK);
	ck_assert_mem_ne(h, want, 32);
	ck_assert_int_eq(escrow_envelope_commitment(id, 1, 2, w, EX_WORDS - 1, want), ESCROW_OK);
	ck_assert_mem_ne(h, want, 32);
	id[15] ^= 1;
	ck_assert_int_eq(escrow_envelope_commitment(id, 1, 2, w, EX_WORDS, want), ESCROW_OK);
	ck_assert_mem_ne(h, want, 32);
	/* bad input */
	w[5] = 1024;
	ck_assert_int_eq(escrow_envelope_commitment(id, 1, 2, w, EX_WORDS, want),
	    ESCROW_ERR_WORD_UNKNOWN);
	ck_assert_int_eq(escrow_envelope_commitment(id, 1, 2, w, 0, want),
	    ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_envelope_commitment(id, 1, 2, w, 256, want),
	    ESCROW_ERR_INVALID_ARG);
}
END_TEST

START_TEST(test_envelope_find_commitment)
{
	struct escrow_envelope *env = NULL, *other = NULL;
	uint8_t *b, *b2, S[32], g = 9, m = 9;
	uint16_t *w = escrow_secret_alloc(EX_WORDS * sizeof *w);
	size_t len, len2, i, k;

	ck_assert_ptr_nonnull(w);
	ex_secret(S);
	b = ex_seal(&len);
	ck_assert_int_eq(escrow_envelope_parse(b, len, &env), ESCROW_OK);
	for (k = 0; k < 3; k++) {
		ex_share(0, (unsigned)k, w);
		g = m = 9;
		ck_assert_int_eq(escrow_envelope_find_commitment(env, w, EX_WORDS,
		    &g, &m), ESCROW_OK);
		ck_assert_uint_eq(g, 0);
		ck_assert_uint_eq(m, k);
		/* one word changed, in every position */
		for (i = 0; i < EX_WORDS; i++) {
			w[i] ^= 1;
			ck_assert_int_eq(escrow_envelope_find_commitment(env, w,
			    EX_WORDS, &g, &m), ESCROW_ERR_COMMITMENT);
			w[i] ^= 1;
		}
		/* a word missing */
		ck_assert_int_eq(escrow_envelope_find_commitment(env, w,
		    EX_WORDS - 1, NULL, NULL), ESCROW_ERR_COMMITMENT);
	}
	/* a share of another set is not there */
	ex_share(1, 0, w);
	ck_assert_int_eq(escrow_envelope_find_commitment(env, w, EX_WORDS, NULL,
	    NULL), ESCROW_ERR_COMMITMENT);
	/* another envelope (fresh id) with other shares */
	{
		struct escrow_envelope *e2 = NULL;
		struct escrow_shareset set;
		struct escrow_envelope_key key;
		uint8_t pub[32], *p8 = ex_pkcs8();

		ck_assert_int_eq(escrow_envelope_create(&e2, EX_TIME, S), ESCROW_OK);
		ex_shareset(&set);
		ck_assert_int_eq(escrow_envelope_set_shareset(e2, &set), ESCROW_OK);
		for (k = 0; k < 3; k++) {
			ex_share(0, (unsigned)k + 3, w);
			ck_assert_int_eq(escrow_envelope_add_share(e2, 0, (uint8_t)k,
			    w, EX_WORDS), ESCROW_OK);
		}
		ex_key(&key, pub);
		ck_assert_int_eq(escrow_envelope_add_key(e2, &key, p8, 48), ESCROW_OK);
		ck_assert_int_eq(escrow_envelope_seal(e2, &b2, &len2), ESCROW_OK);
		escrow_envelope_free(e2);
		escrow_secret_free(p8);
		ck_assert_int_eq(escrow_envelope_parse(b2, len2, &other), ESCROW_OK);
		ck_assert_mem_ne(escrow_envelope_id(other), escrow_envelope_id(env), 16);
		free(b2);
	}
	ex_share(0, 0, w);
	ck_assert_int_eq(escrow_envelope_find_commitment(other, w, EX_WORDS, NULL,
	    NULL), ESCROW_ERR_COMMITMENT);
	ex_share(0, 3, w);
	ck_assert_int_eq(escrow_envelope_find_commitment(other, w, EX_WORDS, &g,
	    &m), ESCROW_OK);
	ck_assert_uint_eq(m, 0);
	ck_assert_int_eq(escrow_envelope_find_commitment(env, w, EX_WORDS, NULL,
	    NULL), ESCROW_ERR_COMMITMENT);
	escrow_envelope_free(env);
	escrow_envelope_free(other);
	escrow_secret_free(w);
	free(b);
}
END_TEST

/* ---- fingerprint ------------------------------------------------------- */

START_TEST(test_envelope_fingerprint_forms)
{
	uint8_t *b, fp[32], want[32], pref[15], zero[32] = { 0 }, ones[32];
	char hex[ESCROW_FINGERPRINT_HEX_MAX], words[ESCROW_FINGERPRINT_WORDS_MAX];
	char buf[200];
	size_t len, i;
	unsigned n = 0;

	b = ex_seal(&len);
	ck_assert_int_eq(escrow_envelope_fingerprint(b, len, fp), ESCROW_OK);
	ck_assert_int_eq(EVP_Digest(b, len, want, &n, EVP_sha256(), NULL), 1);
	ck_assert_mem_eq(fp, want, 32);
	escrow_envelope_fingerprint_hex(fp, hex);
	ck_assert_uint_eq(strlen(hex), 64);
	ck_assert_int_eq(tu_unhex(hex, want, 32), 32);
	ck_assert_mem_eq(fp, want, 32);
	escrow_envelope_fingerprint_words(fp, words);
	if (getenv("ESCROW_PRINT_EXAMPLE") != NULL)
		printf("fingerprint %s\nwords %s\n", hex, words);
	ck_assert_int_eq(escrow_envelope_fingerprint_words_parse(words, pref), ESCROW_OK);
	ck_assert_mem_eq(pref, fp, 15);
	/* upper case, four-letter abbreviations, other separators */
	for (i = 0; words[i] != '\0'; i++)
		buf[i] = words[i] == ' ' ? '\n' : (char)(words[i] - 'a' + 'A');
	buf[i] = '\0';
	ck_assert_int_eq(escrow_envelope_fingerprint_words_parse(buf, pref), ESCROW_OK);
	ck_assert_mem_eq(pref, fp, 15);
	{
		/* keep the first four letters of each word */
		size_t o = 0, k = 0;

		for (i = 0; words[i] != '\0'; i++) {
			if (words[i] == ' ') {
				buf[o++] = '-';
				k = 0;
			} else if (k++ < 4) {
				buf[o++] = words[i];
			}
		}
		buf[o] = '\0';
		ck_assert_int_eq(escrow_envelope_fingerprint_words_parse(buf, pref),
		    ESCROW_OK);
		ck_assert_mem_eq(pref, fp, 15);
	}
	/* all-zero and all-one fingerprints hit the list's ends */
	escrow_envelope_fingerprint_words(zero, words);
	ck_assert_str_eq(words, "academic academic academic academic academic "
	    "academic academic academic academic academic academic academic");
	memset(ones, 0xff, sizeof ones);
	escrow_envelope_fingerprint_words(ones, words);
	ck_assert_int_eq(escrow_envelope_fingerprint_words_parse(words, pref), ESCROW_OK);
	ck_assert_mem_eq(pref, ones, 15);
	/* must fail: 11 words, 13 words, an unknown word, a short prefix */
	ck_assert_int_eq(escrow_envelope_fingerprint_words_parse("academic", pref),
	    ESCROW_ERR_FORMAT);
	snprintf(buf, sizeof buf, "%s academic", words);
	ck_assert_int_eq(escrow_envelope_fingerprint_words_parse(buf, pref),
	    ESCROW_ERR_FORMAT);
	ck_assert_int_eq(escrow_envelope_fingerprint_words_parse(
	    "academic acid acne acquire acrobat activity actress adapt adequate "
	    "adjust admit xylophone", pref), ESCROW_ERR_WORD_UNKNOWN);
	ck_assert_int_eq(escrow_envelope_fingerprint_words_parse(
	    "academic acid acne acquire acrobat activity actress adapt adequate "
	    "adjust admit aca", pref), ESCROW_ERR_WORD_UNKNOWN);
	ck_assert_int_eq(escrow_envelope_fingerprint_words_parse(
	    "academic acid acne acquire acrobat activity actress adapt adequate "
	    "adjust admit academics", pref), ESCROW_ERR_WORD_UNKNOWN);
	ck_assert_int_eq(escrow_envelope_fingerprint_words_parse("", pref),
	    ESCROW_ERR_FORMAT);
	/* a changed envelope has another fingerprint */
	b[len - 1] ^= 1;
	ck_assert_int_eq(escrow_envelope_fingerprint(b, len, want), ESCROW_OK);
	ck_assert_mem_ne(fp, want, 32);
	free(b);
}
END_TEST

Suite *
check_envelope_commit_suite(void)
{
	const TTest *tests[] = {
		test_envelope_derivation_matches_hmac_by_hand,
		test_envelope_commitment_definition,
		test_envelope_find_commitment,
		test_envelope_fingerprint_forms,
	};

	return TU_SUITE("envelope_commit", tests, 600);
}
