/*
 * check_envelope.c - building and sealing the v1 envelope (lib/envelope.c):
 * the worked example of docs/FORMAT.md byte for byte and read back, round
 * trips with real PKCS#8 keys, must-fail builder input and the limits.
 * Parsing is in check_envelope_parse.c, commitments, key derivation and
 * fingerprints in check_envelope_commit.c.  Test keys and secrets only.
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

Suite *check_envelope_suite(void);

START_TEST(test_envelope_worked_example_bytes)
{
	uint8_t *b, want[1024], seed[32], pub[32], fp[32];
	char hex[ESCROW_FINGERPRINT_HEX_MAX], words[ESCROW_FINGERPRINT_WORDS_MAX];
	size_t len, n = sizeof pub, i;
	long wl = tu_unhex(ex_envelope_hex, want, sizeof want);
	EVP_PKEY *pk;

	/* the RFC 8032 seed really gives that public key */
	ck_assert_int_eq(tu_unhex(ex_seed_hex, seed, 32), 32);
	pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
	ck_assert_ptr_nonnull(pk);
	ck_assert_int_eq(EVP_PKEY_get_raw_public_key(pk, pub, &n), 1);
	ck_assert_int_eq(tu_unhex(ex_pub_hex, seed, 32), 32);
	ck_assert_mem_eq(pub, seed, 32);
	EVP_PKEY_free(pk);

	b = ex_seal(&len);
	if (getenv("ESCROW_PRINT_EXAMPLE") != NULL) {
		for (i = 0; i < len; i++)
			printf("%02x%s", b[i], i % 32 == 31 ? "\n" : "");
		printf("\n");
	}
	ck_assert_uint_eq(len, EX_LEN);
	ck_assert_int_gt(wl, 0);
	ck_assert_uint_eq(len, (size_t)wl);
	ck_assert_mem_eq(b, want, len);
	/* sealing again gives the same bytes */
	free(b);
	b = ex_seal(&len);
	ck_assert_mem_eq(b, want, len);
	ck_assert_int_eq(escrow_envelope_fingerprint(b, len, fp), ESCROW_OK);
	escrow_envelope_fingerprint_hex(fp, hex);
	ck_assert_str_eq(hex, ex_fingerprint_hex);
	escrow_envelope_fingerprint_words(fp, words);
	ck_assert_str_eq(words, ex_fingerprint_words);
	free(b);
}
END_TEST

START_TEST(test_envelope_example_reads_back)
{
	struct escrow_envelope *env = NULL;
	struct escrow_envelope_key k;
	const struct escrow_shareset *set;
	const struct escrow_envelope_commitment *c;
	uint8_t *b, S[32], *p8 = ex_pkcs8(), *out = escrow_secret_alloc(64);
	uint8_t pub[32], h[32];
	uint16_t w[EX_WORDS];
	size_t len, n, i;

	ck_assert_ptr_nonnull(out);
	ex_secret(S);
	b = ex_seal(&len);
	ck_assert_int_eq(escrow_envelope_parse(b, len, &env), ESCROW_OK);
	free(b); /* parse keeps its own copy */
	ck_assert_uint_eq(escrow_envelope_created(env), EX_TIME);
	set = escrow_envelope_shareset(env);
	ck_assert_ptr_nonnull(set);
	ck_assert_uint_eq(set->identifier, 0x1234);
	ck_assert_uint_eq(set->extendable, 1);
	ck_assert_uint_eq(set->iteration_exponent, 1);
	ck_assert_uint_eq(set->group_count, 1);
	ck_assert_uint_eq(set->groups[0].threshold, 2);
	ck_assert_uint_eq(set->groups[0].count, 3);
	ck_assert_uint_eq(set->groups[1].count, 0);
	ck_assert_uint_eq(escrow_envelope_commitment_count(env), 3);
	for (i = 0; i < 3; i++) {
		c = escrow_envelope_commitment_at(env, i);
		ck_assert_ptr_nonnull(c);
		ck_assert_uint_eq(c->group, 0);
		ck_assert_uint_eq(c->member, i);
		ex_share(0, (unsigned)i, w);
		ck_assert_int_eq(escrow_envelope_commitment(
		    escrow_envelope_id(env), 0, (uint8_t)i, w, EX_WORDS, h), ESCROW_OK);
		ck_assert_mem_eq(h, c->hash, 32);
	}
	ck_assert_ptr_null(escrow_envelope_commitment_at(env, 3));

	ck_assert_uint_eq(escrow_envelope_key_count(env), 1);
	ck_assert_int_eq(escrow_envelope_key(env, 0, &k), ESCROW_OK);
	ck_assert_int_eq(escrow_envelope_key(env, 1, &k), ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_envelope_key(env, 0, &k), ESCROW_OK);
	ck_assert_uint_eq(k.label_len, 15);
	ck_assert_mem_eq(k.label, "example.com KSK", 15);
	ck_assert_uint_eq(k.id_len, 2);
	ck_assert_mem_eq(k.id, "\x01\x02", 2);
	ck_assert_uint_eq(k.owner_len, sizeof ex_owner);
	ck_assert_mem_eq(k.owner, ex_owner, sizeof ex_owner);
	ck_assert_uint_eq(k.flags, 257);
	ck_assert_uint_eq(k.algorithm, 15);
	ck_assert_int_eq(tu_unhex(ex_pub_hex, pub, 32), 32);
	ck_assert_uint_eq(k.pubkey_len, 32);
	ck_assert_mem_eq(k.pubkey, pub, 32);
	ck_assert_uint_eq(k.wrapped_len, 56);

	/* unwrap verifies the MAC first; a wrong S is refused there */
	S[0] ^= 1;
	ck_assert_int_eq(escrow_envelope_unwrap_key(env, S, 0, out, 64, &n),
	    ESCROW_ERR_MAC);
	S[0] ^= 1;
	ck_assert_int_eq(escrow_envelope_unwrap_key(env, S, 0, out, 47, &n),
	    ESCROW_ERR_BUFFER_TOO_SMALL);
	ck_assert_int_eq(escrow_envelope_unwrap_key(env, S, 0, out, 64, &n),
	    ESCROW_OK);
	ck_assert_uint_eq(n, 48);
	ck_assert_mem_eq(out, p8, 48);
	ck_assert_int_eq(escrow_envelope_unwrap_key(env, S, 1, out, 64, &n),
	    ESCROW_ERR_INVALID_ARG);
	/* after a good verify, a wrong S still cannot unwrap */
	S[31] ^= 1;
	ck_assert_int_eq(escrow_envelope_unwrap_key(env, S, 0, out, 64, &n),
	    ESCROW_ERR_UNWRAP);
	escrow_envelope_free(env);
	escrow_secret_free(p8);
	escrow_secret_free(out);
}
END_TEST

#define RT_KEYS 4

START_TEST(test_envelope_roundtrip_several_keys)
{
	static const struct { const char *type, *param; uint8_t alg; size_t publen; } kt[RT_KEYS] = {
		{ "EC", "P-256", 13, 64 }, { "EC", "P-384", 14, 96 },
		{ "ED25519", NULL, 15, 32 }, { "RSA", NULL, 8, 260 },
	};
	static const uint8_t owner[] = "\002se";
	struct escrow_envelope *env = NULL, *rd = NULL;
	struct escrow_shareset set;
	struct escrow_envelope_key k, got;
	uint8_t *S = escrow_secret_alloc(32), *p8[RT_KEYS], *out, *bytes = NULL;
	uint8_t pub[RT_KEYS][300], id[RT_KEYS][20];
	char label[RT_KEYS][40];
	uint16_t w[20];
	size_t p8len[RT_KEYS], len, n, i, g, m;

	ck_assert_ptr_nonnull(S);
	escrow_random(S, 32);
	ck_assert_int_eq(escrow_envelope_create(&env, 1700000000, S), ESCROW_OK);
	memset(&set, 0, sizeof set);
	set.identifier = 0x7fff;
	set.group_threshold = 2;
	set.group_count = 3;
	set.iteration_exponent = 0;
	set.groups[0].threshold = 1; set.groups[0].count = 1;
	set.groups[1].threshold = 2; set.groups[1].count = 3;
	set.groups[2].threshold = 3; set.groups[2].count = 5;
	ck_assert_int_eq(escrow_envelope_set_shareset(env, &set), ESCROW_OK);
	for (g = 0; g < 3; g++)
		for (m = 0; m < set.groups[g].count; m++) {
			for (i = 0; i < 20; i++)
				w[i] = (uint16_t)((g * 100 + m * 10 + i) % 1024);
			ck_assert_int_eq(escrow_envelope_add_share(env, (uint8_t)g,
			    (uint8_t)m, w, 20), ESCROW_OK);
		}
	for (i = 0; i < RT_KEYS; i++) {
		if (strcmp(kt[i].type, "RSA") == 0) {
			EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
			PKCS8_PRIV_KEY_INFO *pi = EVP_PKEY2PKCS8(pk);
			uint8_t *q;
			int nn = i2d_PKCS8_PRIV_KEY_INFO(pi, NULL);

			ck_assert_int_gt(nn, 0);
			p8[i] = escrow_secret_alloc((size_t)nn);
			q = p8[i];
			ck_assert_int_eq(i2d_PKCS8_PRIV_KEY_INFO(pi, &q), nn);
			p8len[i] = (size_t)nn;
			PKCS8_PRIV_KEY_INFO_free(pi);
			EVP_PKEY_free(pk);
		} else {
			p8[i] = make_pkcs8(kt[i].type, kt[i].param, &p8len[i]);
		}
		escrow_random(pub[i], kt[i].publen); /* stand-in public keys */
		escrow_random(id[i], sizeof id[i]);
		snprintf(label[i], sizeof label[i], "key %zu \xc3\xa9t\xc3\xa9", i);
		memset(&k, 0, sizeof k);
		k.label = (const uint8_t *)label[i];
		k.label_len = strlen(label[i]);
		k.id = id[i];
		k.id_len = 1 + i * 5;
		k.owner = owner;
		k.owner_len = sizeof owner;
		k.flags = (uint16_t)(i == 0 ? 257 : 256);
		k.algorithm = kt[i].alg;
		k.pubkey = pub[i];
		k.pubkey_len = kt[i].publen;
		ck_assert_int_eq(escrow_envelope_add_key(env, &k, p8[i], p8len[i]),
		    ESCROW_OK);
		/* the builder shows what it holds */
		ck_assert_int_eq(escrow_envelope_key(env, i, &got), ESCROW_OK);
		ck_assert_uint_eq(got.wrapped_len, ESCROW_KEYWRAP_WRAPPED_LEN(p8len[i]));
	}
	ck_assert_uint_eq(escrow_envelope_key_count(env), RT_KEYS);
	ck_assert_int_eq(escrow_envelope_seal(env, &bytes, &len), ESCROW_OK);
	/* sealed: no more changes, no more key view, the rest remains */
	ck_assert_int_eq(escrow_envelope_add_key(env, &k, p8[0], p8len[0]),
	    ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_envelope_seal(env, &out, &n), ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_envelope_key(env, 0, &got), ESCROW_ERR_INVALID_ARG);
	ck_assert_uint_eq(escrow_envelope_commitment_count(env), 9);

	ck_assert_int_eq(escrow_envelope_parse(bytes, len, &rd), ESCROW_OK);
	ck_assert_mem_eq(escrow_envelope_id(rd), escrow_envelope_id(env), 16);
	ck_assert_uint_eq(escrow_envelope_created(rd), 1700000000);
	ck_assert_mem_eq(escrow_envelope_shareset(rd), &set, sizeof set);
	ck_assert_uint_eq(escrow_envelope_commitment_count(rd), 9);
	for (i = 0; i < 9; i++)
		ck_assert_mem_eq(escrow_envelope_commitment_at(rd, i),
		    escrow_envelope_commitment_at(env, i),
		    sizeof(struct escrow_envelope_commitment));
	ck_assert_uint_eq(escrow_envelope_commitment_at(rd, 8)->group, 2);
	ck_assert_uint_eq(escrow_envelope_commitment_at(rd, 8)->member, 4);
	{
		size_t blen;

		ck_assert_ptr_nonnull(escrow_envelope_bytes(rd, &blen));
		ck_assert_uint_eq(blen, len);
		ck_assert_ptr_null(escrow_envelope_bytes(env, &blen));
	}
	ck_assert_int_eq(escrow_envelope_verify(rd, S), ESCROW_OK);
	ck_assert_uint_eq(escrow_envelope_key_count(rd), RT_KEYS);
	out = escrow_secret_alloc(4096);
	ck_assert_ptr_nonnull(out);
	for (i = 0; i < RT_KEYS; i++) {
		ck_assert_int_eq(escrow_envelope_key(rd, i, &got), ESCROW_OK);
		ck_assert_uint_eq(got.label_len, strlen(label[i]));
		ck_assert_mem_eq(got.label, label[i], got.label_len);
		ck_assert_uint_eq(got.id_len, 1 + i * 5);
		ck_assert_mem_eq(got.id, id[i], got.id_len);
		ck_assert_uint_eq(got.owner_len, sizeof owner);
		ck_assert_mem_eq(got.owner, owner, sizeof owner);
		ck_assert_uint_eq(got.flags, i == 0 ? 257 : 256);
		ck_assert_uint_eq(got.algorithm, kt[i].alg);
		ck_assert_uint_eq(got.pubkey_len, kt[i].publen);
		ck_assert_mem_eq(got.pubkey, pub[i], kt[i].publen);
		ck_assert_int_eq(escrow_envelope_unwrap_key(rd, S, i, out, 4096, &n),
		    ESCROW_OK);
		ck_assert_uint_eq(n, p8len[i]);
		ck_assert_mem_eq(out, p8[i], n);
		/* it is a key OpenSSL reads back */
		{
			const uint8_t *q = out;
			PKCS8_PRIV_KEY_INFO *pi = d2i_PKCS8_PRIV_KEY_INFO(NULL, &q, (long)n);
			EVP_PKEY *pk;

			ck_assert_ptr_nonnull(pi);
			pk = EVP_PKCS82PKEY(pi);
			ck_assert_ptr_nonnull(pk);
			EVP_PKEY_free(pk);
			PKCS8_PRIV_KEY_INFO_free(pi);
		}
		escrow_secret_free(p8[i]);
	}
	escrow_secret_free(out);
	escrow_secret_free(S);
	escrow_envelope_free(rd);
	escrow_envelope_free(env);
	free(bytes);
}
END_TEST

/* ---- building: must-fail cases and limits -------------------------------- */

START_TEST(test_envelope_builder_refuses_bad_input)
{
	struct escrow_envelope *env = NULL;
	struct escrow_shareset set;
	struct escrow_envelope_key k;
	uint8_t S[32], pub[32], h[32] = { 1 }, *p8 = ex_pkcs8(), *out = NULL;
	uint16_t w[EX_WORDS];
	size_t len = 0;

	ex_secret(S);
	ck_assert_int_eq(escrow_envelope_create(&env, 0, S), ESCROW_OK);
	ex_key(&k, pub);
	/* nothing can be committed before the share set */
	ex_share(0, 0, w);
	ck_assert_int_eq(escrow_envelope_add_share(env, 0, 0, w, EX_WORDS),
	    ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_envelope_seal(env, &out, &len), ESCROW_ERR_INVALID_ARG);
	ex_shareset(&set);
	set.groups[0].threshold = 4;
	ck_assert_int_eq(escrow_envelope_set_shareset(env, &set), ESCROW_ERR_SHARE_PARAMS);
	ex_shareset(&set);
	set.identifier = 0x8000;
	ck_assert_int_eq(escrow_envelope_set_shareset(env, &set), ESCROW_ERR_SHARE_PARAMS);
	ex_shareset(&set);
	set.group_count = 0;
	ck_assert_int_eq(escrow_envelope_set_shareset(env, &set), ESCROW_ERR_SHARE_PARAMS);
	ex_shareset(&set);
	ck_assert_int_eq(escrow_envelope_set_shareset(env, &set), ESCROW_OK);
	ck_assert_int_eq(escrow_envelope_set_shareset(env, &set), ESCROW_ERR_INVALID_ARG);
	/* commitments: range, duplicates */
	ck_assert_int_eq(escrow_envelope_add_share(env, 1, 0, w, EX_WORDS),
	    ESCROW_ERR_SHARE_PARAMS);
	ck_assert_int_eq(escrow_envelope_add_share(env, 0, 3, w, EX_WORDS),
	    ESCROW_ERR_SHARE_PARAMS);
	ck_assert_int_eq(escrow_envelope_add_share(env, 0, 0, w, EX_WORDS), ESCROW_OK);
	ck_assert_int_eq(escrow_envelope_add_share(env, 0, 1, w, EX_WORDS), ESCROW_OK);
	ck_assert_int_eq(escrow_envelope_add_share(env, 0, 0, w, EX_WORDS),
	    ESCROW_ERR_DUPLICATE_SHARE);
	ck_assert_int_eq(escrow_envelope_add_commitment(env, 0, 2, h), ESCROW_OK);
	ck_assert_int_eq(escrow_envelope_add_commitment(env, 0, 2, h),
	    ESCROW_ERR_DUPLICATE_SHARE);
	/* keys: every field's limits */
	ck_assert_int_eq(escrow_envelope_seal(env, &out, &len), ESCROW_ERR_INVALID_ARG);
	k.label_len = 0;
	ck_assert_int_eq(escrow_envelope_add_key(env, &k, p8, 48), ESCROW_ERR_FORMAT);
	k.label_len = 256;
	ck_assert_int_eq(escrow_envelope_add_key(env, &k, p8, 48), ESCROW_ERR_FORMAT);
	ex_key(&k, pub);
	k.label = (const uint8_t *)"\xed\xa0\x80"; /* a UTF-16 surrogate */
	k.label_len = 3;
	ck_assert_int_eq(escrow_envelope_add_key(env, &k, p8, 48), ESCROW_ERR_FORMAT);
	k.label = (const uint8_t *)"\xe0\x80\xaf"; /* overlong '/' */
	ck_assert_int_eq(escrow_envelope_add_key(env, &k, p8, 48), ESCROW_ERR_FORMAT);
	k.label = (const uint8_t *)"\xf0\x9f\x94\x91"; /* U+1F511 is fine */
	k.label_len = 4;
	k.owner = (const uint8_t *)"\007example"; /* no root label */
	k.owner_len = 8;
	ck_assert_int_eq(escrow_envelope_add_key(env, &k, p8, 48), ESCROW_ERR_NAME);
	k.owner = (const uint8_t *)"";
	k.owner_len = 1; /* the root itself */
	k.pubkey_len = 0;
	ck_assert_int_eq(escrow_envelope_add_key(env, &k, p8, 48), ESCROW_ERR_FORMAT);
	k.pubkey_len = 32;
	k.id_len = 0;
	ck_assert_int_eq(escrow_envelope_add_key(env, &k, p8, 48), ESCROW_ERR_FORMAT);
	k.id_len = 2;
	ck_assert_int_eq(escrow_envelope_add_key(env, &k, p8, 0), ESCROW_ERR_TOO_LARGE);
	ck_assert_int_eq(escrow_envelope_add_key(env, &k, p8,
	    ESCROW_ENVELOPE_MAX_PKCS8 + 1), ESCROW_ERR_TOO_LARGE);
	ck_assert_int_eq(escrow_envelope_add_key(env, &k, p8, 48), ESCROW_OK);
	/* the same CKA_ID twice is refused at seal */
	ck_assert_int_eq(escrow_envelope_add_key(env, &k, p8, 48), ESCROW_OK);
	ck_assert_int_eq(escrow_envelope_seal(env, &out, &len), ESCROW_ERR_INVALID_ARG);
	ck_assert_ptr_null(out);
	escrow_envelope_free(env);
	escrow_secret_free(p8);
}
END_TEST

/* 10,000 keys is the limit, both ways; shows memory stays bounded. */
START_TEST(test_envelope_ten_thousand_keys)
{
	struct escrow_envelope *env = NULL, *rd = NULL;
	struct escrow_shareset set;
	struct escrow_envelope_key k, got;
	uint8_t S[32], pub[64], id[4], *p8 = escrow_secret_alloc(100);
	uint8_t *b = NULL, *out = escrow_secret_alloc(100), h[32];
	size_t len, i, n;

	ck_assert_ptr_nonnull(p8);
	ck_assert_ptr_nonnull(out);
	escrow_random(S, sizeof S);
	escrow_random(pub, sizeof pub);
	ck_assert_int_eq(escrow_envelope_create(&env, 1, S), ESCROW_OK);
	memset(&set, 0, sizeof set);
	set.group_threshold = set.group_count = 1;
	set.groups[0].threshold = set.groups[0].count = 1;
	ck_assert_int_eq(escrow_envelope_set_shareset(env, &set), ESCROW_OK);
	escrow_random(h, sizeof h);
	ck_assert_int_eq(escrow_envelope_add_commitment(env, 0, 0, h), ESCROW_OK);
	memset(&k, 0, sizeof k);
	k.label = (const uint8_t *)"bulk";
	k.label_len = 4;
	k.id = id;
	k.id_len = sizeof id;
	k.owner = (const uint8_t *)"";
	k.owner_len = 1;
	k.algorithm = 13;
	k.pubkey = pub;
	k.pubkey_len = sizeof pub;
	for (i = 0; i < ESCROW_ENVELOPE_MAX_KEYS; i++) {
		id[0] = (uint8_t)(i >> 24);
		id[1] = (uint8_t)(i >> 16);
		id[2] = (uint8_t)(i >> 8);
		id[3] = (uint8_t)i;
		memcpy(p8, id, 4);
		ck_assert_int_eq(escrow_envelope_add_key(env, &k, p8, 100), ESCROW_OK);
	}
	ck_assert_int_eq(escrow_envelope_add_key(env, &k, p8, 100), ESCROW_ERR_TOO_LARGE);
	ck_assert_int_eq(escrow_envelope_seal(env, &b, &len), ESCROW_OK);
	ck_assert_int_eq(escrow_envelope_parse(b, len, &rd), ESCROW_OK);
	ck_assert_int_eq(escrow_envelope_verify(rd, S), ESCROW_OK);
	ck_assert_uint_eq(escrow_envelope_key_count(rd), ESCROW_ENVELOPE_MAX_KEYS);
	for (i = 0; i < ESCROW_ENVELOPE_MAX_KEYS; i += 999) {
		ck_assert_int_eq(escrow_envelope_key(rd, i, &got), ESCROW_OK);
		ck_assert_uint_eq(got.id[3], (uint8_t)i);
		ck_assert_int_eq(escrow_envelope_unwrap_key(rd, S, i, out, 100, &n),
		    ESCROW_OK);
		ck_assert_uint_eq(n, 100);
		ck_assert_mem_eq(out, got.id, 4);
	}
	escrow_envelope_free(rd);
	rd = NULL;
	/* the same CKA_ID twice in a parsed key set is refused */
	{
		size_t first = len - 32 - 2 * (1 + 4 + 1 + 4 + 1 + 1 + 3 + 2 + 64 + 2 + 112);
		size_t second = first + (1 + 4 + 1 + 4 + 1 + 1 + 3 + 2 + 64 + 2 + 112);

		ck_assert_int_eq(b[first + 5], 4); /* the id length of key 9998 */
		memcpy(b + second + 6, b + first + 6, 4);
		ck_assert_int_eq(escrow_envelope_parse(b, len, &rd), ESCROW_ERR_FORMAT);
		ck_assert_ptr_null(rd);
	}
	escrow_envelope_free(env);
	escrow_secret_free(p8);
	escrow_secret_free(out);
	free(b);
}
END_TEST

START_TEST(test_envelope_null_and_garbage)
{
	struct escrow_envelope *env = NULL;
	uint8_t junk[4096], S[32] = { 0 };
	size_t i, n;

	ck_assert_int_eq(escrow_envelope_parse(NULL, 0, &env), ESCROW_ERR_TRUNCATED);
	ck_assert_int_eq(escrow_envelope_parse(NULL, 5, &env), ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_envelope_parse(junk, 0, NULL), ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_envelope_verify(NULL, S), ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_envelope_unwrap_key(NULL, S, 0, junk, 1, &n),
	    ESCROW_ERR_INVALID_ARG);
	ck_assert_uint_eq(escrow_envelope_key_count(NULL), 0);
	ck_assert_ptr_null(escrow_envelope_shareset(NULL));
	escrow_envelope_free(NULL);
	/* random garbage behind a valid magic and version never parses */
	for (i = 0; i < 200; i++) {
		size_t len = 9 + i * 17 % (sizeof junk - 9);

		escrow_random(junk, sizeof junk);
		memcpy(junk, "ESCROWEV\x01", 9);
		ck_assert_int_ne(escrow_envelope_parse(junk, len, &env), ESCROW_OK);
		ck_assert_ptr_null(env);
	}
}
END_TEST

Suite *
check_envelope_suite(void)
{
	const TTest *tests[] = {
		test_envelope_worked_example_bytes,
		test_envelope_example_reads_back,
		test_envelope_roundtrip_several_keys,
		test_envelope_builder_refuses_bad_input,
		test_envelope_ten_thousand_keys,
		test_envelope_null_and_garbage,
	};

	return TU_SUITE("envelope", tests, 600);
}
