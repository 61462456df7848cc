/*
 * check_envelope.c - the v1 envelope: round trip with real PKCS#8 keys,
 * the envelope worked example of docs/FORMAT.md byte for byte, every
 * single-bit flip and every truncation, precise errors for malformed
 * records, commitments, fingerprints, the key derivation reproduced with
 * OpenSSL's HMAC, and the limits.  Test keys and secrets only.
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
#include "testutil.h"

Suite *check_envelope_suite(void);

/* ---- the worked example (docs/FORMAT.md, envelope) --------------------- */

#define EX_TIME UINT64_C(1767225600) /* 2026-01-01T00:00:00Z */
#define EX_WORDS 33

/* RFC 8032 section 7.1 TEST 1 key, as DNSSEC algorithm 15 (RFC 8080). */
static const char ex_seed_hex[] =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
static const char ex_pub_hex[] =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
/* PKCS#8 PrivateKeyInfo prefix for Ed25519 (RFC 8410 section 7). */
static const char ex_p8_prefix_hex[] = "302e020100300506032b657004220420";
static const uint8_t ex_owner[] = "\007example\003com"; /* + root label */

/* The sealed example: see docs/FORMAT.md ("Worked example: an envelope"). */
static const char ex_envelope_hex[] =
    "455343524f57455601dd95a4aca58678542e063c5ed5b61201000000006955b9"
    "0012340101010102030003000035bdb1a98e8f1bb41c6b01eb50d8d72b03cb07"
    "e1c285ca4f47cf22ce27a9d0ac0001b774d66c07d79da7796ebb414868d76b98"
    "7f18956d8ba770d2d7dcd95be769a60002f3cd67eceb8427ebf22589e1da1f06"
    "dbfa26b06301d4c0e925d5035dc20db61500010f6578616d706c652e636f6d20"
    "4b534b0201020d076578616d706c6503636f6d0001010f0020d75a980182b10a"
    "b7d54bfed3c964073a0ee172f3daa62325af021a68f707511a00383f084f0651"
    "8a07b09f9202b3ae0be32af2db67d523e05454d2b352f5959fd481fca784f7ad"
    "7eb5193523b70718a5ffee2615482b249df5335b932fa05b98c219bcd74552e6"
    "d3fd51c97efe4e4e9901ae9ea97d18d17c0072";
static const char ex_fingerprint_hex[] =
    "e7c0ecc7c1b30595ba922f08e05432cc68ef03bfd53236bdabc987e3af7e6b65";
static const char ex_fingerprint_words[] = "tracks advocate sister upstairs "
    "quantity body founder pencil darkness civil airline arcade";

static void
ex_secret(uint8_t S[32])
{
	size_t i;

	for (i = 0; i < 32; i++)
		S[i] = (uint8_t)i;
}

/* Stand-in share words (the envelope treats shares as opaque words). */
static void
ex_share(unsigned group, unsigned member, uint16_t w[EX_WORDS])
{
	size_t i;

	for (i = 0; i < EX_WORDS; i++)
		w[i] = (uint16_t)((group * 331u + member * 97u + i * 31u) % 1024);
}

static void
ex_shareset(struct escrow_shareset *set)
{
	memset(set, 0, sizeof *set);
	set->identifier = 0x1234;
	set->extendable = 1;
	set->iteration_exponent = 1;
	set->group_threshold = 1;
	set->group_count = 1;
	set->groups[0].threshold = 2;
	set->groups[0].count = 3;
}

static void
ex_key(struct escrow_envelope_key *k, uint8_t pub[32])
{
	ck_assert_int_eq(tu_unhex(ex_pub_hex, pub, 32), 32);
	memset(k, 0, sizeof *k);
	k->label = (const uint8_t *)"example.com KSK";
	k->label_len = 15;
	k->id = (const uint8_t *)"\x01\x02";
	k->id_len = 2;
	k->owner = ex_owner;
	k->owner_len = sizeof ex_owner; /* its NUL is the root label */
	k->flags = 257;
	k->algorithm = 15;
	k->pubkey = pub;
	k->pubkey_len = 32;
}

/* The example's PKCS#8 (48 bytes) into a secret buffer. */
static uint8_t *
ex_pkcs8(void)
{
	uint8_t *p8 = escrow_secret_alloc(48);

	ck_assert_ptr_nonnull(p8);
	ck_assert_int_eq(tu_unhex(ex_p8_prefix_hex, p8, 16), 16);
	ck_assert_int_eq(tu_unhex(ex_seed_hex, p8 + 16, 32), 32);
	return p8;
}

/* Seals the worked example; returns the malloc'd bytes. */
static uint8_t *
ex_seal(size_t *len)
{
	struct escrow_envelope *env = NULL;
	struct escrow_shareset set;
	struct escrow_envelope_key k;
	uint8_t seed[32], *S = escrow_secret_alloc(32), *p8 = ex_pkcs8();
	uint8_t pub[32], *out = NULL;
	uint16_t w[EX_WORDS];
	int m;

	ck_assert_ptr_nonnull(S);
	ex_secret(S);
	memset(seed, 0x42, sizeof seed);
	escrow_random_set_test_seed(seed);
	ck_assert_int_eq(escrow_envelope_create(&env, EX_TIME, S), ESCROW_OK);
	escrow_random_set_test_seed(NULL);
	ex_shareset(&set);
	ck_assert_int_eq(escrow_envelope_set_shareset(env, &set), ESCROW_OK);
	for (m = 2; m >= 0; m--) { /* any order: seal sorts them */
		ex_share(0, (unsigned)m, w);
		ck_assert_int_eq(escrow_envelope_add_share(env, 0, (uint8_t)m,
		    w, EX_WORDS), ESCROW_OK);
	}
	ex_key(&k, pub);
	ck_assert_int_eq(escrow_envelope_add_key(env, &k, p8, 48), ESCROW_OK);
	ck_assert_int_eq(escrow_envelope_seal(env, &out, len), ESCROW_OK);
	ck_assert_ptr_nonnull(out);
	escrow_envelope_free(env);
	escrow_secret_free(S);
	escrow_secret_free(p8);
	return out;
}

/* parse, then verify; *parsed says whether parse accepted it. */
static int
parse_and_verify(const uint8_t *b, size_t len, const uint8_t S[32], int *parsed)
{
	struct escrow_envelope *env = NULL;
	int ret = escrow_envelope_parse(b, len, &env);

	*parsed = ret == ESCROW_OK;
	if (ret == ESCROW_OK)
		ret = escrow_envelope_verify(env, S);
	escrow_envelope_free(env);
	return ret;
}

/* Byte offsets of the example's fields, from the documented layout. */
enum {
	EX_OFF_VERSION = 8, EX_OFF_ID = 9, EX_OFF_TIME = 25, EX_OFF_SET = 33,
	EX_OFF_GROUPS = 39, EX_OFF_NCOMMIT = 41, EX_OFF_COMMIT = 43,
	EX_OFF_NKEYS = 43 + 3 * 34, EX_OFF_KEY = EX_OFF_NKEYS + 2,
	EX_OFF_LABEL = EX_OFF_KEY + 1, EX_OFF_IDLEN = EX_OFF_LABEL + 15,
	EX_OFF_OWNER = EX_OFF_IDLEN + 1 + 2 + 1,
	EX_OFF_FLAGS = EX_OFF_OWNER + 13,
	EX_OFF_PUBLEN = EX_OFF_FLAGS + 3,
	EX_OFF_WLEN = EX_OFF_PUBLEN + 2 + 32,
	EX_OFF_MAC = EX_OFF_WLEN + 2 + 56,
	EX_LEN = EX_OFF_MAC + 32
};

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
	struct escrow_envelope *env = NULL;
	uint8_t *b = malloc(len);
	int ret;

	ck_assert_ptr_nonnull(b);
	memcpy(b, orig, len);
	memcpy(b + off, with, wlen);
	ret = escrow_envelope_parse(b, len, &env);
	ck_assert_msg(ret == want, "%s: got %d (%s), want %d", what, ret,
	    escrow_strerror(ret), want);
	ck_assert_ptr_null(env);
	free(b);
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
	expect_parse(b, len, EX_OFF_VERSION, (const uint8_t *)"\x02", 1,
	    ESCROW_ERR_VERSION, "version 2");
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

/* ---- round trip with real keys ------------------------------------------ */

/* A fresh key of the given OpenSSL type as PKCS#8 DER in secret memory. */
static uint8_t *
make_pkcs8(const char *type, const char *param, size_t *len)
{
	EVP_PKEY *pk = param != NULL ? EVP_PKEY_Q_keygen(NULL, NULL, type, param) :
	    EVP_PKEY_Q_keygen(NULL, NULL, type);
	PKCS8_PRIV_KEY_INFO *p8;
	uint8_t *buf, *q;
	int n;

	ck_assert_ptr_nonnull(pk);
	p8 = EVP_PKEY2PKCS8(pk);
	ck_assert_ptr_nonnull(p8);
	n = i2d_PKCS8_PRIV_KEY_INFO(p8, NULL);
	ck_assert_int_gt(n, 0);
	buf = escrow_secret_alloc((size_t)n);
	ck_assert_ptr_nonnull(buf);
	q = buf;
	ck_assert_int_eq(i2d_PKCS8_PRIV_KEY_INFO(p8, &q), n);
	PKCS8_PRIV_KEY_INFO_free(p8);
	EVP_PKEY_free(pk);
	*len = (size_t)n;
	return buf;
}

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
	Suite *s = suite_create("envelope");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_envelope_worked_example_bytes);
	tcase_add_test(tc, test_envelope_example_reads_back);
	tcase_add_test(tc, test_envelope_every_bit_flip_rejected);
	tcase_add_test(tc, test_envelope_every_truncation_rejected);
	tcase_add_test(tc, test_envelope_malformed_precise_errors);
	tcase_add_test(tc, test_envelope_wrong_secret_is_mac_error);
	tcase_add_test(tc, test_envelope_derivation_matches_hmac_by_hand);
	tcase_add_test(tc, test_envelope_roundtrip_several_keys);
	tcase_add_test(tc, test_envelope_commitment_definition);
	tcase_add_test(tc, test_envelope_find_commitment);
	tcase_add_test(tc, test_envelope_fingerprint_forms);
	tcase_add_test(tc, test_envelope_builder_refuses_bad_input);
	tcase_add_test(tc, test_envelope_ten_thousand_keys);
	tcase_add_test(tc, test_envelope_null_and_garbage);
	suite_add_tcase(s, tc);
	return s;
}
