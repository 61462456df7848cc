/*
 * envelope_commit.c - share commitments (one share checked alone against
 * the envelope) and the envelope fingerprint in hex and as read-aloud
 * SLIP-0039 words.
 *
 * Secret: the share word indices (hashed with a wiped libsodium state;
 * the search over commitments neither branches on nor stops at a match
 * except through the final answer).  Commitments and fingerprints are
 * public.
 */
#include <ctype.h>
#include <string.h>

#include <sodium.h>

#include "envelope_int.h"
#include "escrow_text.h"
#include "ct.h"
#include "slip39_wordlist.h"

static const char commit_tag[] = "escrow v1 share commitment";

int
escrow_envelope_commitment(const uint8_t id[static ESCROW_ENVELOPE_ID_LEN],
    uint8_t group, uint8_t member, const uint16_t *words, size_t n,
    uint8_t out[static ESCROW_ENVELOPE_HASH_LEN])
{
	crypto_hash_sha256_state st;
	uint8_t b[3];
	unsigned bad = 0;
	size_t i;

	if (words == NULL || n == 0 || n > ESCROW_ENVELOPE_MAX_SHARE_WORDS)
		return ESCROW_ERR_INVALID_ARG;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)commit_tag,
	    sizeof commit_tag - 1);
	crypto_hash_sha256_update(&st, id, ESCROW_ENVELOPE_ID_LEN);
	b[0] = group;
	b[1] = member;
	b[2] = (uint8_t)n;
	crypto_hash_sha256_update(&st, b, 3);
	for (i = 0; i < n; i++) {
		bad |= words[i] >> 10;
		escrow_put16(b, words[i]);
		crypto_hash_sha256_update(&st, b, 2);
	}
	crypto_hash_sha256_final(&st, out);
	sodium_memzero(&st, sizeof st);
	sodium_memzero(b, sizeof b);
	/* public by design: the commitment, and whether every index was < 1024 */
	escrow_ct_declassify(out, ESCROW_ENVELOPE_HASH_LEN);
	escrow_ct_declassify(&bad, sizeof bad);
	if (bad != 0) {
		sodium_memzero(out, ESCROW_ENVELOPE_HASH_LEN);
		return ESCROW_ERR_WORD_UNKNOWN;
	}
	return ESCROW_OK;
}

int
escrow_envelope_find_commitment(const struct escrow_envelope *env,
    const uint16_t *words, size_t n, uint8_t *group, uint8_t *member)
{
	uint8_t h[ESCROW_ENVELOPE_HASH_LEN], g = 0, m = 0, found = 0;
	size_t i;
	int ret = ESCROW_OK;

	if (env == NULL)
		return ESCROW_ERR_INVALID_ARG;
	for (i = 0; i < env->ncommit && ret == ESCROW_OK; i++) {
		const struct escrow_envelope_commitment *c = &env->commit[i];
		uint8_t mask;

		ret = escrow_envelope_commitment(env->id, c->group, c->member,
		    words, n, h);
		mask = (uint8_t)-(uint8_t)escrow_equal(h, c->hash, sizeof h);
		g |= c->group & mask;
		m |= c->member & mask;
		found |= mask;
	}
	sodium_memzero(h, sizeof h);
	if (ret != ESCROW_OK)
		return ret;
	/* the answer (which share this is, if any) is public */
	escrow_ct_declassify(&found, sizeof found);
	escrow_ct_declassify(&g, sizeof g);
	escrow_ct_declassify(&m, sizeof m);
	if (found == 0)
		return ESCROW_ERR_COMMITMENT;
	if (group != NULL)
		*group = g;
	if (member != NULL)
		*member = m;
	return ESCROW_OK;
}

int
escrow_envelope_fingerprint(const uint8_t *bytes, size_t len,
    uint8_t out[static ESCROW_ENVELOPE_HASH_LEN])
{
	if (bytes == NULL && len > 0)
		return ESCROW_ERR_INVALID_ARG;
	crypto_hash_sha256(out, bytes != NULL ? bytes : (const uint8_t *)"", len);
	return ESCROW_OK;
}

void
escrow_envelope_fingerprint_hex(const uint8_t fp[static ESCROW_ENVELOPE_HASH_LEN],
    char out[static ESCROW_FINGERPRINT_HEX_MAX])
{
	escrow_hex(fp, ESCROW_ENVELOPE_HASH_LEN, out, 0);
}

/* The 10 bits of word i (0..11), most significant bit first. */
static unsigned
word_at(const uint8_t *fp, size_t i)
{
	size_t bit = 10 * i, byte = bit / 8;
	uint32_t v = (uint32_t)fp[byte] << 16 | (uint32_t)fp[byte + 1] << 8 |
	    fp[byte + 2];

	return (v >> (14 - bit % 8)) & 0x3ff;
}

void
escrow_envelope_fingerprint_words(const uint8_t fp[static ESCROW_ENVELOPE_HASH_LEN],
    char out[static ESCROW_FINGERPRINT_WORDS_MAX])
{
	size_t i, o = 0, k;

	for (i = 0; i < ESCROW_FINGERPRINT_WORDS; i++) {
		const char *w = escrow_wordlist[word_at(fp, i)];

		if (i > 0)
			out[o++] = ' ';
		for (k = 0; k < ESCROW_WORDLIST_WORD_MAX && w[k] != '\0'; k++)
			out[o++] = w[k];
	}
	out[o] = '\0';
}

/* Index of a whole word, or of a unique prefix of 4+ letters; -1 if none. */
static int
word_lookup(const char *w, size_t len)
{
	int i, hit = -1;

	for (i = 0; i < ESCROW_WORDLIST_SIZE; i++) {
		const char *e = escrow_wordlist[i];
		size_t elen = strlen(e);

		if (len > elen || memcmp(e, w, len) != 0)
			continue;
		if (len == elen)
			return i;
		if (len >= 4) {
			if (hit >= 0)
				return -1;
			hit = i;
		}
	}
	return hit;
}

static int
is_sep(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' ||
	    c == '-';
}

int
escrow_envelope_fingerprint_words_parse(const char *text,
    uint8_t out[static ESCROW_FINGERPRINT_WORDS_BYTES])
{
	uint8_t acc[ESCROW_FINGERPRINT_WORDS_BYTES + 1] = { 0 };
	size_t count = 0, i;

	if (text == NULL)
		return ESCROW_ERR_INVALID_ARG;
	for (;;) {
		char w[ESCROW_WORDLIST_WORD_MAX + 1];
		size_t len = 0;
		int idx;

		while (*text != '\0' && is_sep((unsigned char)*text))
			text++;
		if (*text == '\0')
			break;
		while (*text != '\0' && !is_sep((unsigned char)*text)) {
			if (len < ESCROW_WORDLIST_WORD_MAX)
				w[len] = (char)tolower((unsigned char)*text);
			len++;
			text++;
		}
		if (len > ESCROW_WORDLIST_WORD_MAX)
			return ESCROW_ERR_WORD_UNKNOWN;
		idx = word_lookup(w, len);
		if (idx < 0)
			return ESCROW_ERR_WORD_UNKNOWN;
		if (count == ESCROW_FINGERPRINT_WORDS)
			return ESCROW_ERR_FORMAT;
		/* place the 10 bits at bit 10*count */
		for (i = 0; i < 10; i++) {
			size_t bit = 10 * count + i;

			if ((unsigned)idx & (0x200u >> i))
				acc[bit / 8] |= (uint8_t)(0x80u >> (bit % 8));
		}
		count++;
	}
	if (count != ESCROW_FINGERPRINT_WORDS)
		return ESCROW_ERR_FORMAT;
	memcpy(out, acc, ESCROW_FINGERPRINT_WORDS_BYTES);
	return ESCROW_OK;
}
