/*
 * escrow_slip39.h - SLIP-0039 Shamir shares: split a master secret into
 * mnemonic shares (one or more groups), decode, check, encode and combine
 * them, with the diagnostics a restore ceremony needs.
 *
 * Secret values (the caller keeps them in escrow_secret_alloc() memory):
 * master secrets, passphrases, struct escrow_slip39_share (its value),
 * mnemonic strings and word-index arrays of shares.  Public values: the
 * share-set description (struct escrow_shareset), share metadata
 * (identifier, flags, indices, thresholds) and struct escrow_slip39_diag.
 *
 * Conventions: group and member indices are the SLIP-0039 x values, 0-based
 * (a tool shows them +1); thresholds and counts are the real values
 * (1..16), not the encoded ones.  Word positions are 0-based.  Every secret
 * argument is handled in constant time (no branch or memory index depends
 * on it); docs/FORMAT.md ("Shares") says how escrow uses SLIP-0039.
 */
#ifndef ESCROW_SLIP39_H
#define ESCROW_SLIP39_H

#include <stddef.h>
#include <stdint.h>

#include "escrow.h"
#include "escrow_shareset.h"

#define ESCROW_SLIP39_SECRET_MIN 16  /* bytes; the length must also be even */
#define ESCROW_SLIP39_SECRET_MAX 32  /* bytes; escrow's master secret is 32 */
#define ESCROW_SLIP39_WORDS_MIN 20   /* words in a share of a 16-byte secret */
#define ESCROW_SLIP39_WORDS_MAX 33   /* words in a share of a 32-byte secret */
#define ESCROW_SLIP39_WORD_MAX 8     /* letters in the longest word */
/* bytes for a mnemonic string: words, single spaces, NUL */
#define ESCROW_SLIP39_MNEMONIC_MAX \
	(ESCROW_SLIP39_WORDS_MAX * (ESCROW_SLIP39_WORD_MAX + 1))
/* longest mnemonic input accepted (extra whitespace included) */
#define ESCROW_SLIP39_INPUT_MAX 4096
#define ESCROW_SLIP39_MAX_SHARES \
	(ESCROW_SHARESET_MAX_GROUPS * ESCROW_SHARESET_MAX_MEMBERS)
#define ESCROW_SLIP39_DEFAULT_ITERATION_EXPONENT 1

/* flags for escrow_slip39_share_encode() */
#define ESCROW_SLIP39_UPPER 1u /* upper-case words (QR alphanumeric mode) */

/* A decoded share.  value is SECRET; the rest is public metadata. */
struct escrow_slip39_share {
	uint16_t identifier;         /* 15 bits */
	uint8_t extendable;          /* 0 or 1 */
	uint8_t iteration_exponent;  /* 0..15 */
	uint8_t group_index;         /* 0..15 (x value) */
	uint8_t group_threshold;     /* 1..16 */
	uint8_t group_count;         /* 1..16 */
	uint8_t member_index;        /* 0..15 (x value) */
	uint8_t member_threshold;    /* 1..16 */
	uint8_t value_len;           /* bytes, 16..32, even */
	uint8_t value[ESCROW_SLIP39_SECRET_MAX]; /* SECRET */
};

/* Which field two shares disagree on (diag.field). */
enum escrow_slip39_field {
	ESCROW_SLIP39_FIELD_NONE = 0,
	ESCROW_SLIP39_FIELD_IDENTIFIER,
	ESCROW_SLIP39_FIELD_EXTENDABLE,
	ESCROW_SLIP39_FIELD_ITERATION_EXPONENT,
	ESCROW_SLIP39_FIELD_GROUP_THRESHOLD,
	ESCROW_SLIP39_FIELD_GROUP_COUNT,
	ESCROW_SLIP39_FIELD_LENGTH,
	ESCROW_SLIP39_FIELD_MEMBER_THRESHOLD,
};

/*
 * What went wrong, filled by the decode and combine calls on failure (and
 * reset to "nothing" on entry).  Public.  -1 means "not applicable".
 *   ESCROW_ERR_WORD_UNKNOWN    share, word
 *   ESCROW_ERR_MNEMONIC_LENGTH share, have (words given)
 *   ESCROW_ERR_CHECKSUM        share, npositions/positions: every word
 *                              position where replacing that one word by some
 *                              other word would make the checksum valid (the
 *                              error is probably there; none: 2+ errors)
 *   ESCROW_ERR_PADDING         share
 *   ESCROW_ERR_SHARE_PARAMS    share (group threshold > group count)
 *   ESCROW_ERR_SET_MISMATCH    share, other, field
 *   ESCROW_ERR_GROUP_MISMATCH  share, other, group, field
 *   ESCROW_ERR_DUPLICATE_SHARE share, other, group (same member index)
 *   ESCROW_ERR_TOO_FEW_GROUPS  need, have (distinct groups)
 *   ESCROW_ERR_TOO_MANY_GROUPS need, have
 *   ESCROW_ERR_TOO_FEW_SHARES  group, need, have
 *   ESCROW_ERR_TOO_MANY_SHARES group, need, have
 *   ESCROW_ERR_DIGEST          group (-1: the group level failed)
 */
struct escrow_slip39_diag {
	int share;   /* position of the offending share in the input */
	int other;   /* position of the share it conflicts with */
	int word;    /* word position within that share */
	int group;   /* group index (0-based) */
	int need;
	int have;
	int field;   /* enum escrow_slip39_field */
	size_t npositions;
	int positions[ESCROW_SLIP39_WORDS_MAX];
};

/* ---- words ---------------------------------------------------------- */

/*
 * The word for a PUBLIC index (0..1023), or NULL.  Not for share words:
 * use escrow_slip39_word_ct() for those.
 */
const char *escrow_slip39_word(unsigned idx);

/*
 * The word for a SECRET index, by a constant-time scan of the whole list,
 * into out (NUL-terminated, lower case).  Indices above 1023 give "".
 */
void escrow_slip39_word_ct(unsigned idx, char out[static ESCROW_SLIP39_WORD_MAX + 1]);

/*
 * Index of a typed word (SECRET), or -1.  Case-insensitive; surrounding
 * whitespace is ignored; two words give -1.  Accepted: the whole word, or
 * any prefix of 4 or more of its letters (SLIP-0039 words are unique in
 * their first four letters).  Shorter prefixes are refused even when only
 * one word matches them, so that a truncated word is never silently taken
 * for another (use escrow_slip39_word_complete() to offer completions).
 * Constant time in the letters.
 */
int escrow_slip39_word_lookup(const char *typed) ESCROW_WUR;

/*
 * For interactive typing: the words that start with prefix (SECRET, 1..8
 * letters, case-insensitive) are *count words from index *first (the list
 * is sorted; *count may be 0).  Constant time in the letters.  0, or
 * ESCROW_ERR_INVALID_ARG for an empty or longer prefix.
 */
int escrow_slip39_word_complete(const char *prefix, unsigned *first,
    unsigned *count) ESCROW_WUR;

/* ---- one share -------------------------------------------------------- */

/* Words in a share of a secret of len bytes (20 for 16, 33 for 32), or 0. */
size_t escrow_slip39_share_word_count(size_t secret_len);

/*
 * Split a mnemonic (SECRET) into word indices (SECRET) without looking at
 * the checksum: whitespace of any kind and amount between words, upper or
 * lower case, words or their 4+ letter prefixes.  cap >= 33 is enough.
 * Errors: WORD_UNKNOWN (diag.word), MNEMONIC_LENGTH (more than cap words or
 * none), INVALID_ARG (longer than ESCROW_SLIP39_INPUT_MAX).
 */
int escrow_slip39_mnemonic_parse(const char *mnemonic, uint16_t *words,
    size_t cap, size_t *n, struct escrow_slip39_diag *diag) ESCROW_WUR;

/*
 * Decode a mnemonic (SECRET) into a share (out, SECRET), with every check
 * one share allows: word count, words, RS1024 checksum (diag.positions on
 * failure), padding, group threshold <= group count.  diag.share is 0.
 */
int escrow_slip39_share_decode(const char *mnemonic,
    struct escrow_slip39_share *out, struct escrow_slip39_diag *diag) ESCROW_WUR;

/* The same, from word indices (SECRET). */
int escrow_slip39_share_from_words(const uint16_t *words, size_t n,
    struct escrow_slip39_share *out, struct escrow_slip39_diag *diag) ESCROW_WUR;

/* A share (SECRET) as word indices (SECRET), checksum included. */
int escrow_slip39_share_words(const struct escrow_slip39_share *s,
    uint16_t *words, size_t cap, size_t *n) ESCROW_WUR;

/*
 * A share (SECRET) as a mnemonic string (out, SECRET: keep it in secret
 * memory): words separated by single spaces, NUL-terminated.
 * cap >= ESCROW_SLIP39_MNEMONIC_MAX is always enough.  flags: 0 or
 * ESCROW_SLIP39_UPPER.
 */
int escrow_slip39_share_encode(const struct escrow_slip39_share *s,
    unsigned flags, char *out, size_t cap) ESCROW_WUR;

/* Word indices (SECRET) as a mnemonic string (SECRET), as above. */
int escrow_slip39_words_encode(const uint16_t *words, size_t n,
    unsigned flags, char *out, size_t cap) ESCROW_WUR;

/* 1 if the RS1024 checksum of these words (SECRET) is valid, else 0. */
int escrow_slip39_checksum_valid(const uint16_t *words, size_t n) ESCROW_WUR;

/*
 * Where might the error be in words (SECRET) whose checksum fails?  Writes
 * the positions p (0-based, ascending) at which some single-word
 * substitution makes the checksum valid; the substitutions themselves are
 * not revealed (SLIP-0039 forbids auto-correction).  *npos is 0 when the
 * checksum is valid or no single substitution helps.
 */
int escrow_slip39_checksum_locate(const uint16_t *words, size_t n,
    int *positions, size_t cap, size_t *npos) ESCROW_WUR;

/*
 * The share-set description as far as one share tells it: identifier,
 * extendable, iteration exponent, group threshold and count, and for the
 * share's own group its member threshold.  Member counts, and the
 * thresholds of other groups, are not on a share: they are set to 0.
 */
void escrow_slip39_shareset_from_share(const struct escrow_slip39_share *s,
    struct escrow_shareset *set);

/* ---- split and combine ------------------------------------------------ */

/*
 * Check a share-set layout for splitting: 1 <= group_threshold <=
 * group_count <= 16, 1 <= threshold <= count <= 16 in each group, a group
 * of threshold 1 has count 1, iteration exponent <= 15.  0 or
 * ESCROW_ERR_SHARE_PARAMS.
 */
int escrow_slip39_shareset_check(const struct escrow_shareset *set) ESCROW_WUR;

/*
 * Split secret (SECRET, len bytes: 16..32, even) into shares.
 * passphrase (SECRET): printable ASCII, NULL or "" for none.
 * set: in: group_threshold, group_count, groups[].threshold/count,
 * iteration_exponent (1 is the default for new sets); out: a random
 * identifier and extendable = 1.
 * shares (out, SECRET, caller's secret memory): group-major order (group 0
 * members 0..N0-1, then group 1...), cap entries; *n gets the count.
 * Errors: SECRET_LENGTH, SHARE_PARAMS, PASSPHRASE, BUFFER_TOO_SMALL,
 * NOMEM, CRYPTO.
 */
int escrow_slip39_split(const uint8_t *secret, size_t len,
    const char *passphrase, struct escrow_shareset *set,
    struct escrow_slip39_share *shares, size_t cap, size_t *n) ESCROW_WUR;

/*
 * Combine mnemonics (SECRET) into the master secret (secret_out, SECRET,
 * cap >= 32 is enough; *len gets its length).  Exactly group_threshold
 * groups, each with exactly its member threshold of shares, as SLIP-0039
 * requires.  A wrong passphrase cannot be detected: it gives a different
 * secret.  On failure diag names the offending share(s) (their positions
 * in mnemonics[]), see struct escrow_slip39_diag.
 */
int escrow_slip39_combine(const char *const *mnemonics, size_t n,
    const char *passphrase, uint8_t *secret_out, size_t cap, size_t *len,
    struct escrow_slip39_diag *diag) ESCROW_WUR;

/* The same from decoded shares (SECRET). */
int escrow_slip39_combine_shares(const struct escrow_slip39_share *shares,
    size_t n, const char *passphrase, uint8_t *secret_out, size_t cap,
    size_t *len, struct escrow_slip39_diag *diag) ESCROW_WUR;

#endif
