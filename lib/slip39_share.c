/*
 * slip39_share.c - one SLIP-0039 share: its word indices, its mnemonic
 * text and back, with the checks one share allows.
 *
 * SECRET: the share value and every word index that carries it (words 4..
 * and the checksum).  Bits are moved between the value and the words at
 * fixed, public positions, so no branch or index depends on them.  Public:
 * the metadata in the first four words (identifier, ext, e, group index,
 * group threshold, group count, member index, member threshold), made
 * public explicitly before it is looked at, and the verdicts of the
 * checksum and padding checks.
 */
#include <string.h>

#include "escrow_slip39.h"
#include "ct.h"
#include "slip39_int.h"

#define META ESCROW_SLIP39_METADATA_WORDS
#define CSUM ESCROW_SLIP39_CHECKSUM_WORDS

size_t
escrow_slip39_share_word_count(size_t secret_len)
{
	if (secret_len < ESCROW_SLIP39_SECRET_MIN ||
	    secret_len > ESCROW_SLIP39_SECRET_MAX || secret_len % 2 != 0)
		return 0;
	return META + (secret_len * 8 + 9) / 10 + CSUM;
}

/* value length in bytes for a share of n words, or 0 if no such length */
static size_t
value_len_of(size_t n, unsigned *pad)
{
	size_t bits, len;

	if (n < ESCROW_SLIP39_WORDS_MIN || n > ESCROW_SLIP39_WORDS_MAX)
		return 0;
	bits = (n - META - CSUM) * 10;
	if (bits % 16 > 8)
		return 0;
	len = (bits - bits % 16) / 8;
	*pad = (unsigned)(bits % 16);
	return len;
}

static int
meta_valid(const struct escrow_slip39_share *s)
{
	return s->identifier < (1u << 15) && s->extendable <= 1 &&
	    s->iteration_exponent <= 15 && s->group_index <= 15 &&
	    s->group_threshold >= 1 && s->group_count <= 16 &&
	    s->group_threshold <= s->group_count && s->member_index <= 15 &&
	    s->member_threshold >= 1 && s->member_threshold <= 16 &&
	    s->value_len >= ESCROW_SLIP39_SECRET_MIN &&
	    s->value_len <= ESCROW_SLIP39_SECRET_MAX && s->value_len % 2 == 0;
}

int
escrow_slip39_share_words(const struct escrow_slip39_share *s,
    uint16_t *words, size_t cap, size_t *n)
{
	size_t nw, nv, j, len;
	unsigned pad, b;

	if (s == NULL || words == NULL || n == NULL || !meta_valid(s))
		return ESCROW_ERR_INVALID_ARG;
	len = s->value_len;
	nw = escrow_slip39_share_word_count(len);
	if (cap < nw)
		return ESCROW_ERR_BUFFER_TOO_SMALL;
	nv = nw - META - CSUM;
	pad = (unsigned)(nv * 10 - len * 8);
	words[0] = (uint16_t)(s->identifier >> 5);
	words[1] = (uint16_t)((s->identifier & 31u) << 5 |
	    (unsigned)s->extendable << 4 | s->iteration_exponent);
	words[2] = (uint16_t)(s->group_index << 6 |
	    (unsigned)(s->group_threshold - 1) << 2 | (s->group_count - 1u) >> 2);
	words[3] = (uint16_t)(((s->group_count - 1u) & 3u) << 8 |
	    (unsigned)s->member_index << 4 | (s->member_threshold - 1u));
	for (j = 0; j < nv; j++) {
		uint32_t v = 0;

		for (b = 0; b < 10; b++) {
			size_t q = j * 10 + b; /* bit in the padded value */
			uint32_t bit = 0;

			if (q >= pad) {
				size_t i = q - pad;

				bit = (uint32_t)(s->value[i / 8] >> (7 - i % 8)) & 1u;
			}
			v = v << 1 | bit;
		}
		words[META + j] = (uint16_t)v;
	}
	escrow_rs1024_create(s->extendable, words, META + nv, words + META + nv);
	*n = nw;
	return ESCROW_OK;
}

int
escrow_slip39_share_from_words(const uint16_t *words, size_t n,
    struct escrow_slip39_share *out, struct escrow_slip39_diag *diag)
{
	uint16_t meta[META];
	unsigned pad = 0;
	size_t len, i;
	uint32_t padbits;
	int ret;

	escrow_slip39_diag_reset(diag);
	if (diag != NULL)
		diag->share = 0;
	if (words == NULL || out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	memset(out, 0, sizeof *out);
	len = value_len_of(n, &pad);
	if (len == 0) {
		if (diag != NULL)
			diag->have = (int)n;
		return ESCROW_ERR_MNEMONIC_LENGTH;
	}
	if (!escrow_slip39_checksum_valid(words, n)) {
		if (diag != NULL) {
			size_t np = 0;

			if (escrow_slip39_checksum_locate(words, n,
			    diag->positions, ESCROW_SLIP39_WORDS_MAX, &np) == ESCROW_OK)
				diag->npositions = np;
		}
		return ESCROW_ERR_CHECKSUM;
	}
	memcpy(meta, words, sizeof meta);
	escrow_ct_declassify(meta, sizeof meta);
	out->identifier = (uint16_t)(meta[0] << 5 | meta[1] >> 5);
	out->extendable = (uint8_t)((meta[1] >> 4) & 1u);
	out->iteration_exponent = (uint8_t)(meta[1] & 15u);
	out->group_index = (uint8_t)(meta[2] >> 6);
	out->group_threshold = (uint8_t)(((meta[2] >> 2) & 15u) + 1);
	out->group_count = (uint8_t)(((meta[2] & 3u) << 2 | meta[3] >> 8) + 1);
	out->member_index = (uint8_t)((meta[3] >> 4) & 15u);
	out->member_threshold = (uint8_t)((meta[3] & 15u) + 1);
	out->value_len = (uint8_t)len;
	if (out->group_threshold > out->group_count) {
		ret = ESCROW_ERR_SHARE_PARAMS;
		goto out;
	}
	padbits = (uint32_t)words[META] >> (10 - pad);
	padbits = escrow_ct_nonzero(padbits);
	escrow_ct_declassify(&padbits, sizeof padbits);
	if (padbits != 0) {
		ret = ESCROW_ERR_PADDING;
		goto out;
	}
	for (i = 0; i < len * 8; i++) {
		size_t q = i + pad;
		uint32_t bit = ((uint32_t)words[META + q / 10] >> (9 - q % 10)) & 1u;

		out->value[i / 8] = (uint8_t)(out->value[i / 8] | bit << (7 - i % 8));
	}
	ret = ESCROW_OK;
out:
	if (ret != ESCROW_OK)
		escrow_wipe(out, sizeof *out);
	return ret;
}

int
escrow_slip39_share_decode(const char *mnemonic,
    struct escrow_slip39_share *out, struct escrow_slip39_diag *diag)
{
	uint16_t *words;
	size_t n = 0;
	int ret;

	escrow_slip39_diag_reset(diag);
	if (mnemonic == NULL || out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	words = escrow_secret_alloc(ESCROW_SLIP39_WORDS_MAX * sizeof *words);
	if (words == NULL)
		return ESCROW_ERR_NOMEM;
	ret = escrow_slip39_mnemonic_parse(mnemonic, words,
	    ESCROW_SLIP39_WORDS_MAX, &n, diag);
	if (ret == ESCROW_OK)
		ret = escrow_slip39_share_from_words(words, n, out, diag);
	escrow_secret_free(words);
	return ret;
}

int
escrow_slip39_share_encode(const struct escrow_slip39_share *s,
    unsigned flags, char *out, size_t cap)
{
	uint16_t *words;
	size_t n = 0;
	int ret;

	if (s == NULL || out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	words = escrow_secret_alloc(ESCROW_SLIP39_WORDS_MAX * sizeof *words);
	if (words == NULL)
		return ESCROW_ERR_NOMEM;
	ret = escrow_slip39_share_words(s, words, ESCROW_SLIP39_WORDS_MAX, &n);
	if (ret == ESCROW_OK)
		ret = escrow_slip39_words_encode(words, n, flags, out, cap);
	escrow_secret_free(words);
	return ret;
}

void
escrow_slip39_shareset_from_share(const struct escrow_slip39_share *s,
    struct escrow_shareset *set)
{
	memset(set, 0, sizeof *set);
	set->identifier = s->identifier;
	set->extendable = s->extendable;
	set->iteration_exponent = s->iteration_exponent;
	set->group_threshold = s->group_threshold;
	set->group_count = s->group_count;
	if (s->group_index < ESCROW_SHARESET_MAX_GROUPS)
		set->groups[s->group_index].threshold = s->member_threshold;
}
