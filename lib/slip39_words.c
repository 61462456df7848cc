/*
 * slip39_words.c - SLIP-0039 words: typed text to word indices and word
 * indices to text, in constant time.
 *
 * SECRET: the typed mnemonic, the word indices and the text written.
 * Nothing here indexes the word list by a secret or branches on a letter:
 * a typed word is compared with every word of the list (masks decide the
 * match), a word is fetched by scanning the whole list, and words are
 * split at whitespace and written into the output string at positions
 * computed with masks, never used as addresses.  Made public on purpose:
 * where the input ends (its length), the number of words, and which word
 * position (if any) matched no word.
 */
#include <endian.h>
#include <string.h>

#include "escrow_slip39.h"
#include "ct.h"
#include "slip39_int.h"
#include "slip39_wordlist.h"

#define NWORDS ESCROW_WORDLIST_SIZE
#define WMAX ESCROW_SLIP39_WORD_MAX

/* a word (NUL padded) is read as one little-endian 64-bit value */
_Static_assert(ESCROW_WORDLIST_WORD_MAX == 8 && WMAX == 8,
    "words are packed into 64 bits");
_Static_assert(sizeof escrow_wordlist[0] >= 8, "word entries hold 8 bytes");

/* all-ones (64-bit) from a 32-bit mask */
static inline uint64_t
wide(uint32_t m)
{
	return (uint64_t)m << 32 | m;
}

/* word w as 8 bytes, first letter lowest, NUL padded (w public) */
static uint64_t
packed(unsigned w)
{
	uint64_t v;

	memcpy(&v, escrow_wordlist[w], sizeof v);
	return le64toh(v);
}

/* the low len bytes of a 64-bit word, len <= 8 (SECRET) */
static uint64_t
byte_mask(uint32_t len)
{
	uint64_t m = 0;
	uint32_t p;

	for (p = 0; p < WMAX; p++)
		m |= wide(escrow_ct_lt(p, len)) & ((uint64_t)0xff << (8 * p));
	return m;
}

/* length of a NUL-terminated string, made public byte by byte */
static int
public_strlen(const char *s, size_t max, size_t *len)
{
	size_t i;

	for (i = 0; i <= max; i++) {
		uint32_t end = escrow_ct_eq((uint8_t)s[i], 0);

		escrow_ct_declassify(&end, sizeof end);
		if (end) {
			*len = i;
			return ESCROW_OK;
		}
	}
	return ESCROW_ERR_INVALID_ARG;
}

/* lower case of c if it is an ASCII capital (SECRET) */
static uint32_t
lower(uint32_t c)
{
	return c | (escrow_ct_in(c, 'A', 'Z') & 0x20u);
}

static uint32_t
is_space(uint32_t c)
{
	return escrow_ct_eq(c, ' ') | escrow_ct_in(c, '\t', '\r');
}

/*
 * Index of a token (SECRET, packed lower-case letters and their count) in
 * the list; *found all-ones on a match.  The token matches a word when it
 * has 4..8 letters and they begin the word.
 */
static uint32_t
lookup(uint64_t tok, uint32_t len, uint32_t *found)
{
	uint64_t lm = byte_mask(len);
	uint32_t ok_len = escrow_ct_in(len, 4, WMAX), idx = 0, any = 0;
	unsigned w;

	for (w = 0; w < NWORDS; w++) {
		uint64_t d = (tok ^ packed(w)) & lm;
		uint32_t m = ~escrow_ct_nonzero((uint32_t)d | (uint32_t)(d >> 32)) & ok_len;

		idx |= m & w;
		any |= m;
	}
	*found = any;
	return idx;
}

void
escrow_slip39_diag_reset(struct escrow_slip39_diag *diag)
{
	if (diag == NULL)
		return;
	memset(diag, 0, sizeof *diag);
	diag->share = diag->other = diag->word = diag->group = -1;
	diag->need = diag->have = -1;
	diag->field = ESCROW_SLIP39_FIELD_NONE;
}

int
escrow_slip39_mnemonic_parse(const char *mnemonic, uint16_t *words,
    size_t cap, size_t *n, struct escrow_slip39_diag *diag)
{
	uint64_t tok[ESCROW_SLIP39_WORDS_MAX];
	uint32_t tlen[ESCROW_SLIP39_WORDS_MAX];
	uint32_t nw = 0, pos = 0, inword = 0, found;
	size_t len, i, k, slots;
	int ret;

	escrow_slip39_diag_reset(diag);
	if (diag != NULL)
		diag->share = 0;
	if (mnemonic == NULL || words == NULL || n == NULL)
		return ESCROW_ERR_INVALID_ARG;
	*n = 0;
	ret = public_strlen(mnemonic, ESCROW_SLIP39_INPUT_MAX, &len);
	if (ret != ESCROW_OK)
		return ret;
	slots = cap < ESCROW_SLIP39_WORDS_MAX ? cap : ESCROW_SLIP39_WORDS_MAX;
	memset(tok, 0, sizeof tok);
	memset(tlen, 0, sizeof tlen);
	for (i = 0; i < len; i++) {
		uint32_t c = (uint8_t)mnemonic[i];
		uint32_t inw = ~is_space(c), begin = inw & ~inword, cur;
		uint64_t piece;

		nw += begin & 1u;
		pos &= ~begin;
		cur = nw - 1;
		piece = (uint64_t)lower(c) << (8 * (pos & 7u));
		piece &= wide(escrow_ct_lt(pos, WMAX));
		for (k = 0; k < slots; k++) {
			uint32_t m = inw & escrow_ct_eq((uint32_t)k, cur);

			tok[k] |= piece & wide(m);
			tlen[k] = escrow_ct_select(m, pos + 1, tlen[k]);
		}
		pos += inw & 1u;
		pos = escrow_ct_select(escrow_ct_lt(pos, 64), pos, 64);
		inword = inw;
	}
	escrow_ct_declassify(&nw, sizeof nw);
	if (nw == 0 || nw > slots) {
		if (diag != NULL)
			diag->have = (int)nw;
		ret = ESCROW_ERR_MNEMONIC_LENGTH;
		goto out;
	}
	for (k = 0; k < nw; k++) {
		words[k] = (uint16_t)lookup(tok[k], tlen[k], &found);
		escrow_ct_declassify(&found, sizeof found);
		if (!found) {
			if (diag != NULL)
				diag->word = (int)k;
			ret = ESCROW_ERR_WORD_UNKNOWN;
			goto out;
		}
	}
	*n = nw;
	ret = ESCROW_OK;
out:
	if (ret != ESCROW_OK)
		escrow_wipe(words, cap * sizeof *words);
	escrow_wipe(tok, sizeof tok);
	escrow_wipe(tlen, sizeof tlen);
	escrow_wipe(&pos, sizeof pos);
	return ret;
}

int
escrow_slip39_word_lookup(const char *typed)
{
	uint16_t w[1];
	size_t n;
	int idx;

	if (escrow_slip39_mnemonic_parse(typed, w, 1, &n, NULL) != ESCROW_OK)
		return -1;
	idx = w[0];
	escrow_wipe(w, sizeof w);
	return idx;
}

int
escrow_slip39_word_complete(const char *prefix, unsigned *first,
    unsigned *count)
{
	uint64_t pk = 0, lm;
	uint32_t cnt = 0, fst = 0;
	size_t len, i;
	unsigned w;

	if (prefix == NULL || first == NULL || count == NULL ||
	    public_strlen(prefix, WMAX, &len) != ESCROW_OK || len == 0)
		return ESCROW_ERR_INVALID_ARG;
	for (i = 0; i < len; i++)
		pk |= (uint64_t)lower((uint8_t)prefix[i]) << (8 * i);
	lm = byte_mask((uint32_t)len);
	for (w = 0; w < NWORDS; w++) {
		uint64_t d = (pk ^ packed(w)) & lm;
		uint32_t m = ~escrow_ct_nonzero((uint32_t)d | (uint32_t)(d >> 32));

		fst = escrow_ct_select(m & escrow_ct_eq(cnt, 0), w, fst);
		cnt += m & 1u;
	}
	*first = fst;
	*count = cnt;
	escrow_wipe(&pk, sizeof pk);
	return ESCROW_OK;
}

const char *
escrow_slip39_word(unsigned idx)
{
	return idx < NWORDS ? escrow_wordlist[idx] : NULL;
}

/* word idx (SECRET) packed, by a scan of the whole list */
static uint64_t
fetch(uint32_t idx)
{
	uint64_t v = 0;
	unsigned w;

	for (w = 0; w < NWORDS; w++)
		v |= packed(w) & wide(escrow_ct_eq(w, idx));
	return v;
}

void
escrow_slip39_word_ct(unsigned idx, char out[static ESCROW_SLIP39_WORD_MAX + 1])
{
	uint64_t v = fetch(idx);
	int p;

	for (p = 0; p < WMAX; p++)
		out[p] = (char)(v >> (8 * p));
	out[WMAX] = '\0';
	escrow_wipe(&v, sizeof v);
}

int
escrow_slip39_words_encode(const uint16_t *words, size_t n, unsigned flags,
    char *out, size_t cap)
{
	size_t k, j, total = n * (WMAX + 1);
	uint32_t off = 0;

	if (words == NULL || out == NULL || n == 0 ||
	    n > ESCROW_SLIP39_WORDS_MAX)
		return ESCROW_ERR_INVALID_ARG;
	if (cap < total)
		return ESCROW_ERR_BUFFER_TOO_SMALL;
	memset(out, 0, total);
	for (k = 0; k < n; k++) {
		uint64_t v = fetch(words[k]);
		uint32_t wl = 0, p;

		for (p = 0; p < WMAX; p++)
			wl += escrow_ct_nonzero((uint32_t)(v >> (8 * p)) & 0xffu) & 1u;
		/* letters at off.., then a space (or the NUL) at off + wl */
		for (p = 0; p <= WMAX; p++) {
			uint32_t ch = p < WMAX ? (uint32_t)(v >> (8 * p)) & 0xffu : 0;
			uint32_t here = off + p, in = escrow_ct_lt(p, wl);
			uint32_t sep = escrow_ct_eq(p, wl);

			ch = escrow_ct_select(sep, k + 1 < n ? ' ' : 0, ch);
			in |= sep;
			for (j = 0; j < total; j++) {
				uint32_t m = in & escrow_ct_eq((uint32_t)j, here);

				out[j] = (char)escrow_ct_select(m, ch, (uint8_t)out[j]);
			}
		}
		off += wl + 1;
		escrow_wipe(&v, sizeof v);
	}
	if (flags & ESCROW_SLIP39_UPPER)
		for (j = 0; j < total; j++) {
			uint32_t c = (uint8_t)out[j];

			out[j] = (char)(c ^ (escrow_ct_in(c, 'a', 'z') & 0x20u));
		}
	escrow_wipe(&off, sizeof off);
	return ESCROW_OK;
}
