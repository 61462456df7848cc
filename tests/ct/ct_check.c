/*
 * ct_check.c - constant-time check, run under valgrind memcheck by
 * `make check`.  Secrets are marked undefined with memcheck client
 * requests; memcheck then reports every conditional jump and every memory
 * index that depends on them, and valgrind's exit code fails the build.
 * Results are marked defined again before they are compared, since a
 * result is allowed to be looked at.
 *
 * Covered, on the way from shares to key: GF(2^8), Shamir, SLIP-0039
 * split/encode/decode/combine (from decoded shares and from mnemonic
 * text, typed prefixes included), the words encoder, the RS1024 checksum,
 * the Feistel cipher with a secret passphrase, HKDF with secret input
 * keying material, the envelope's K_wrap/K_mac derivation, share
 * commitments, sealing (RFC 5649 wrap, HMAC), MAC check and unwrap.
 * All values in this file are test values, made up per run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/memcheck.h>

#include "escrow.h"
#include "escrow_envelope.h"
#include "escrow_keywrap.h"
#include "escrow_slip39.h"
#include "escrow_text.h"
#include "slip39_gf256.h"
#include "slip39_shamir.h"
#include "slip39_int.h"

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static int
ct_equal(void)
{
	uint8_t a[32], b[32];
	int eq;

	escrow_random(a, sizeof a);
	memcpy(b, a, sizeof b);
	SECRET(a, sizeof a);
	SECRET(b, sizeof b);
	eq = escrow_equal(a, b, sizeof a);
	PUBLIC(&eq, sizeof eq);
	return eq == 1 ? 0 : 1;
}

/* hex of secret bytes (escrow_text.h): every byte value, both cases */
static int
ct_hex(void)
{
	uint8_t in[256];
	char out[513], want[3];
	size_t i;
	int bad = 0, upper;

	for (i = 0; i < 256; i++)
		in[i] = (uint8_t)i;
	for (upper = 0; upper <= 1; upper++) {
		SECRET(in, sizeof in);
		escrow_hex(in, sizeof in, out, upper);
		PUBLIC(in, sizeof in);
		PUBLIC(out, sizeof out);
		for (i = 0; i < 256; i++) {
			snprintf(want, sizeof want, upper ? "%02X" : "%02x", (unsigned)i);
			bad |= memcmp(out + 2 * i, want, 2) != 0;
		}
	}
	return bad;
}

/* ---- GF(2^8), Shamir, SLIP-0039 ---- */

/* the random source of split: escrow_random, then marked secret */
static void
secret_rng(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	escrow_random(buf, len);
	SECRET(buf, len);
}

static int
ct_gf256(void)
{
	uint8_t a[2], p, i, q;
	int bad = 0;

	escrow_random(a, sizeof a);
	a[0] |= 1;
	SECRET(a, sizeof a);
	p = escrow_gf256_mul(a[0], a[1]);
	i = escrow_gf256_inv(a[0]);
	q = escrow_gf256_div(p, a[0]);
	p = escrow_gf256_mul(a[0], i);
	PUBLIC(&p, 1);
	PUBLIC(&q, 1);
	PUBLIC(a, sizeof a);
	bad |= p != 1;
	bad |= q != a[1];
	return bad;
}

static int
ct_shamir(void)
{
	uint8_t secret[32], copy[32], shares[5 * 32], out[32], xs[3] = { 4, 0, 2 };
	const uint8_t *ys[3] = { shares + 4 * 32, shares, shares + 2 * 32 };
	int bad = 0;

	escrow_random(secret, sizeof secret);
	memcpy(copy, secret, sizeof copy);
	SECRET(secret, sizeof secret);
	if (escrow_shamir_split(3, 5, secret, 32, shares, secret_rng, NULL) != ESCROW_OK)
		return 1;
	if (escrow_shamir_recover(3, xs, ys, 3, 32, out) != ESCROW_OK)
		return 1;
	PUBLIC(out, sizeof out);
	bad |= memcmp(out, copy, sizeof out) != 0;
	return bad;
}

/*
 * split (2 of 3 groups: 2 of 3, 1 of 1, 3 of 4), encode every share to
 * text, decode the text back, combine; the master secret, the random
 * values and the mnemonic texts are secret throughout.
 */
static int
ct_slip39(void)
{
	struct escrow_slip39_split_opts opts = { secret_rng, NULL, 1, -1 };
	struct escrow_shareset set;
	struct escrow_slip39_share *sh = escrow_secret_alloc(8 * sizeof *sh);
	struct escrow_slip39_share *dec = escrow_secret_alloc(4 * sizeof *dec);
	char *mn = escrow_secret_alloc(8 * ESCROW_SLIP39_MNEMONIC_MAX);
	uint8_t *secret = escrow_secret_alloc(32), *copy = escrow_secret_alloc(32);
	uint8_t *out = escrow_secret_alloc(32);
	static const int pick[4] = { 7, 3, 5, 4 }; /* groups 2 and 1 */
	struct escrow_slip39_diag diag;
	size_t n = 0, len = 0, i;
	uint16_t words[ESCROW_SLIP39_WORDS_MAX];
	int bad = 1, idx;
	char w[ESCROW_SLIP39_WORD_MAX + 1];

	if (sh == NULL || dec == NULL || mn == NULL || secret == NULL ||
	    copy == NULL || out == NULL)
		goto out;
	memset(&set, 0, sizeof set);
	set.group_threshold = 2;
	set.group_count = 3;
	set.groups[0].threshold = 2;
	set.groups[0].count = 3;
	set.groups[1].threshold = 1;
	set.groups[1].count = 1;
	set.groups[2].threshold = 3;
	set.groups[2].count = 4;
	set.iteration_exponent = 0; /* keep valgrind quick */
	escrow_random(secret, 32);
	memcpy(copy, secret, 32);
	SECRET(secret, 32);
	if (escrow_slip39_split_opts(secret, 32, "ct", &set, sh, 8, &n, &opts) != ESCROW_OK ||
	    n != 8)
		goto out;
	for (i = 0; i < n; i++)
		if (escrow_slip39_share_encode(&sh[i], i % 2 ? ESCROW_SLIP39_UPPER : 0,
		    mn + i * ESCROW_SLIP39_MNEMONIC_MAX, ESCROW_SLIP39_MNEMONIC_MAX) != ESCROW_OK)
			goto out;
	for (i = 0; i < 4; i++)
		if (escrow_slip39_share_decode(mn + (size_t)pick[i] * ESCROW_SLIP39_MNEMONIC_MAX,
		    &dec[i], &diag) != ESCROW_OK)
			goto out;
	if (escrow_slip39_combine_shares(dec, 4, "ct", out, 32, &len, &diag) != ESCROW_OK ||
	    len != 32)
		goto out;
	PUBLIC(out, 32);
	if (memcmp(out, copy, 32) != 0)
		goto out;
	/* a wrong word: located, but only positions become public */
	if (escrow_slip39_share_words(&sh[0], words, ESCROW_SLIP39_WORDS_MAX, &n) != ESCROW_OK)
		goto out;
	words[9] ^= 0x155;
	if (escrow_slip39_checksum_valid(words, n) ||
	    escrow_slip39_checksum_locate(words, n, diag.positions,
	    ESCROW_SLIP39_WORDS_MAX, &diag.npositions) != ESCROW_OK)
		goto out;
	for (i = 0; i < diag.npositions && diag.positions[i] != 9; i++)
		;
	if (i == diag.npositions)
		goto out;
	/* word by secret index, and index by secret text */
	idx = 777;
	SECRET(&idx, sizeof idx);
	escrow_slip39_word_ct((unsigned)idx, w);
	SECRET(w, 5);
	idx = escrow_slip39_word_lookup(w);
	PUBLIC(&idx, sizeof idx);
	PUBLIC(w, sizeof w);
	if (idx != 777 || strcmp(w, escrow_slip39_word(777)) != 0)
		goto out;
	bad = 0;
out:
	escrow_secret_free(sh);
	escrow_secret_free(dec);
	escrow_secret_free(mn);
	escrow_secret_free(secret);
	escrow_secret_free(copy);
	escrow_secret_free(out);
	return bad;
}

/* ---- the Feistel cipher, HKDF, the envelope ---- */

/* SLIP-0039 encryption and decryption, secret master secret and passphrase */
static int
ct_cipher(void)
{
	uint8_t *ms = escrow_secret_alloc(32), *ems = escrow_secret_alloc(32);
	uint8_t *back = escrow_secret_alloc(32), copy[32];
	char *pass = escrow_secret_alloc(16);
	int bad = 1;

	if (ms == NULL || ems == NULL || back == NULL || pass == NULL)
		goto out;
	escrow_random(ms, 32);
	memcpy(copy, ms, sizeof copy);
	memcpy(pass, "secret words", 13);
	SECRET(ms, 32);
	SECRET(pass, 12); /* the terminating NUL is public: the length is */
	if (escrow_slip39_encrypt(ms, 32, pass, 0, 4242, 1, ems) != ESCROW_OK ||
	    escrow_slip39_decrypt(ems, 32, pass, 0, 4242, 1, back) != ESCROW_OK)
		goto out;
	PUBLIC(back, 32);
	bad = memcmp(back, copy, 32) != 0;
out:
	escrow_secret_free(ms);
	escrow_secret_free(ems);
	escrow_secret_free(back);
	escrow_secret_free(pass);
	return bad;
}

/* HKDF-SHA256 and the envelope's key derivation from a secret S */
static int
ct_hkdf(void)
{
	static const uint8_t salt[16] = { 1, 2, 3 }, info[] = "escrow v1 wrap";
	uint8_t *S = escrow_secret_alloc(32), *okm = escrow_secret_alloc(64);
	uint8_t *kw = escrow_secret_alloc(32), *km = escrow_secret_alloc(32);
	int bad = 1;

	if (S == NULL || okm == NULL || kw == NULL || km == NULL)
		goto out;
	escrow_random(S, 32);
	SECRET(S, 32);
	if (escrow_kdf_hkdf_sha256(S, 32, salt, sizeof salt, info, sizeof info - 1,
	    okm, 64) != ESCROW_OK ||
	    escrow_envelope_derive_keys(salt, S, kw, km) != ESCROW_OK)
		goto out;
	/* the first 32 bytes of okm are K_wrap: compared in constant time */
	bad = escrow_equal(okm, kw, 32);
	PUBLIC(&bad, sizeof bad);
	bad = bad != 1;
out:
	escrow_secret_free(S);
	escrow_secret_free(okm);
	escrow_secret_free(kw);
	escrow_secret_free(km);
	return bad;
}

/*
 * An envelope made from a secret S and a secret PKCS#8 blob, with share
 * commitments over secret word indices; then parsed, its MAC checked, the
 * key unwrapped and a share found by its commitment, all with S secret.
 */
static int
ct_envelope(void)
{
	struct escrow_shareset set;
	struct escrow_envelope_key key;
	struct escrow_envelope *env = NULL, *back = NULL;
	uint8_t *S = escrow_secret_alloc(32), *pk8 = escrow_secret_alloc(120);
	uint8_t *out = escrow_secret_alloc(128), copy[120], pub[64];
	uint16_t *words = escrow_secret_alloc(3 * 33 * sizeof *words);
	static const uint8_t owner[1] = { 0 }, id[4] = { 1, 2, 3, 4 };
	uint8_t *bytes = NULL, group = 9, member = 9;
	size_t len = 0, outlen = 0, i;
	int bad = 1;

	if (S == NULL || pk8 == NULL || out == NULL || words == NULL)
		goto out;
	escrow_random(S, 32);
	escrow_random(pk8, 120);
	escrow_random(pub, sizeof pub);
	memcpy(copy, pk8, sizeof copy);
	for (i = 0; i < 3 * 33; i++)
		words[i] = (uint16_t)(escrow_gf256_mul((uint8_t)i, 7) * 4u + (i & 3));
	SECRET(S, 32);
	SECRET(pk8, 120);
	SECRET(words, 3 * 33 * sizeof *words);
	memset(&set, 0, sizeof set);
	set.identifier = 77;
	set.group_threshold = 1;
	set.group_count = 1;
	set.groups[0].threshold = 2;
	set.groups[0].count = 3;
	memset(&key, 0, sizeof key);
	key.label = (const uint8_t *)"ct";
	key.label_len = 2;
	key.id = id;
	key.id_len = sizeof id;
	key.owner = owner;
	key.owner_len = sizeof owner;
	key.flags = 257;
	key.algorithm = 13;
	key.pubkey = pub;
	key.pubkey_len = sizeof pub;
	if (escrow_envelope_create(&env, 1700000000, S) != ESCROW_OK ||
	    escrow_envelope_set_shareset(env, &set) != ESCROW_OK)
		goto out;
	for (i = 0; i < 3; i++)
		if (escrow_envelope_add_share(env, 0, (uint8_t)i, words + 33 * i, 33) !=
		    ESCROW_OK)
			goto out;
	if (escrow_envelope_add_key(env, &key, pk8, 120) != ESCROW_OK ||
	    escrow_envelope_seal(env, &bytes, &len) != ESCROW_OK)
		goto out;
	/* the serialized envelope is public by design */
	PUBLIC(bytes, len);
	if (escrow_envelope_parse(bytes, len, &back) != ESCROW_OK ||
	    escrow_envelope_verify(back, S) != ESCROW_OK ||
	    escrow_envelope_unwrap_key(back, S, 0, out, 128, &outlen) != ESCROW_OK ||
	    escrow_envelope_find_commitment(back, words + 33, 33, &group, &member) !=
	    ESCROW_OK)
		goto out;
	PUBLIC(out, 128);
	PUBLIC(&outlen, sizeof outlen);
	bad = outlen != 120 || memcmp(out, copy, 120) != 0 || group != 0 || member != 1;
out:
	escrow_envelope_free(env);
	escrow_envelope_free(back);
	free(bytes);
	escrow_secret_free(S);
	escrow_secret_free(pk8);
	escrow_secret_free(out);
	escrow_secret_free(words);
	return bad;
}

/* mnemonic text (typed: lower case, 4-letter prefixes) to the secret */
static int
ct_mnemonic_text(void)
{
	struct escrow_slip39_split_opts opts = { secret_rng, NULL, 1, -1 };
	struct escrow_shareset set;
	struct escrow_slip39_share *sh = escrow_secret_alloc(3 * sizeof *sh);
	struct escrow_slip39_diag diag;
	char *mn = escrow_secret_alloc(3 * ESCROW_SLIP39_MNEMONIC_MAX);
	uint8_t *secret = escrow_secret_alloc(16), *out = escrow_secret_alloc(32);
	uint16_t *words = escrow_secret_alloc(ESCROW_SLIP39_WORDS_MAX * sizeof *words);
	const char *list[2];
	uint8_t copy[16];
	size_t n = 0, len = 0, i, j, k;
	int bad = 1;

	if (sh == NULL || mn == NULL || secret == NULL || out == NULL || words == NULL)
		goto out;
	memset(&set, 0, sizeof set);
	set.group_threshold = 1;
	set.group_count = 1;
	set.groups[0].threshold = 2;
	set.groups[0].count = 3;
	escrow_random(secret, 16);
	memcpy(copy, secret, sizeof copy);
	SECRET(secret, 16);
	if (escrow_slip39_split_opts(secret, 16, "", &set, sh, 3, &n, &opts) != ESCROW_OK)
		goto out;
	for (i = 0; i < 2; i++) {
		char *m = mn + i * ESCROW_SLIP39_MNEMONIC_MAX;

		if (escrow_slip39_share_words(&sh[i], words, ESCROW_SLIP39_WORDS_MAX,
		    &n) != ESCROW_OK ||
		    escrow_slip39_words_encode(words, n, 0, m,
		    ESCROW_SLIP39_MNEMONIC_MAX) != ESCROW_OK)
			goto out;
		/* the second share typed as 4-letter prefixes, in upper case
		 * (the test edits the text in the clear, then marks it secret) */
		PUBLIC(m, ESCROW_SLIP39_MNEMONIC_MAX);
		if (i == 1) {
			for (j = k = 0; m[j] != '\0'; j++) {
				size_t w = 0;

				while (m[j] != ' ' && m[j] != '\0') {
					if (w++ < 4)
						m[k++] = (char)(m[j] - 'a' + 'A');
					j++;
				}
				m[k++] = m[j];
				if (m[j] == '\0')
					break;
			}
		}
		list[i] = m;
	}
	/* the text's length and spaces are public; the letters are not */
	SECRET(mn, 2 * ESCROW_SLIP39_MNEMONIC_MAX);
	for (i = 0; i < 2 * ESCROW_SLIP39_MNEMONIC_MAX; i++) {
		char c = mn[i];

		PUBLIC(&c, 1);
		if (c == ' ' || c == '\0')
			PUBLIC(&mn[i], 1);
	}
	if (escrow_slip39_combine(list, 2, "", out, 32, &len, &diag) != ESCROW_OK ||
	    len != 16)
		goto out;
	PUBLIC(out, 16);
	bad = memcmp(out, copy, 16) != 0;
out:
	escrow_secret_free(sh);
	escrow_secret_free(mn);
	escrow_secret_free(secret);
	escrow_secret_free(out);
	escrow_secret_free(words);
	return bad;
}

int
main(void)
{
	int bad = 0;

	if (escrow_init() != ESCROW_OK)
		return 1;
	bad |= ct_equal();
	bad |= ct_gf256() << 1;
	bad |= ct_shamir() << 2;
	bad |= ct_slip39() << 3;
	bad |= ct_cipher() << 4;
	bad |= ct_hkdf() << 5;
	bad |= ct_envelope() << 6;
	bad |= ct_mnemonic_text() << 7;
	bad |= ct_hex() << 8;
	if (bad != 0) {
		fprintf(stderr, "ct_check: a constant-time routine gave a wrong answer (%d)\n", bad);
		return 1;
	}
	printf("ct_check: %s\n", RUNNING_ON_VALGRIND ? "no secret-dependent branch or index" :
	    "passed (not under valgrind: timing not checked)");
	return 0;
}
