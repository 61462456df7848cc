/*
 * escrow_envelope.h - the envelope: the canonical binary record that
 * carries the wrapped private keys, the share-set description, one
 * commitment per share and (version 2) whether the set has a passphrase
 * and which share sets it replaces, closed by an HMAC.  The format is
 * specified byte for byte in docs/FORMAT.md ("The envelope").  Readers
 * take versions 1 and 2; an envelope is written as version 2 when
 * escrow_envelope_set_ceremony() was called, as version 1 otherwise.
 *
 * Secret: the master secret S, K_wrap and K_mac (derived from S), the
 * PKCS#8 plaintexts given to escrow_envelope_add_key() and returned by
 * escrow_envelope_unwrap_key(), and the share word indices given to the
 * commitment functions.  Callers keep those in escrow_secret_alloc()
 * memory.  Everything else here - the serialized envelope, its fields,
 * commitments and fingerprints - is public.
 *
 * Two ways to get a struct escrow_envelope:
 *   building:  create(S) -> set_shareset -> add_share / add_commitment ...
 *              -> add_key ... -> seal -> bytes (then free)
 *   reading:   parse(bytes) -> accessors (no S needed)
 *              -> verify(S) -> unwrap_key(S, i) ... (then free)
 */
#ifndef ESCROW_ENVELOPE_H
#define ESCROW_ENVELOPE_H

#include <stddef.h>
#include <stdint.h>

#include "escrow.h"
#include "escrow_shareset.h"

#define ESCROW_ENVELOPE_VERSION_1 1
#define ESCROW_ENVELOPE_VERSION_2 2     /* adds passphrase and replaced sets */
#define ESCROW_ENVELOPE_VERSION ESCROW_ENVELOPE_VERSION_2  /* the newest */
#define ESCROW_ENVELOPE_MAX_REPLACED 255
#define ESCROW_ENVELOPE_ID_LEN 16
#define ESCROW_ENVELOPE_SECRET_LEN 32   /* S */
#define ESCROW_ENVELOPE_KEY_LEN 32      /* K_wrap, K_mac */
#define ESCROW_ENVELOPE_MAC_LEN 32
#define ESCROW_ENVELOPE_HASH_LEN 32     /* commitments, fingerprint */
#define ESCROW_ENVELOPE_MAX_KEYS 10000
#define ESCROW_ENVELOPE_MAX_FIELD 255   /* label, CKA_ID, owner name */
#define ESCROW_ENVELOPE_MAX_PUBKEY 65535
#define ESCROW_ENVELOPE_MAX_WRAPPED 65528   /* multiple of 8 */
#define ESCROW_ENVELOPE_MAX_PKCS8 (ESCROW_ENVELOPE_MAX_WRAPPED - 8)
#define ESCROW_ENVELOPE_MAX_SHARE_WORDS 255

/* The read-aloud fingerprint: 12 SLIP-0039 words = the first 120 bits. */
#define ESCROW_FINGERPRINT_WORDS 12
#define ESCROW_FINGERPRINT_WORDS_BYTES 15
/* Buffer for the word form: 12 words of at most 8 letters, 11 spaces, NUL. */
#define ESCROW_FINGERPRINT_WORDS_MAX 108
#define ESCROW_FINGERPRINT_HEX_MAX 65

struct escrow_envelope; /* opaque */

/*
 * One key of the key set (all public).  Byte strings are not
 * NUL-terminated.  For escrow_envelope_add_key() the caller fills every
 * field but wrapped/wrapped_len (ignored); escrow_envelope_key() fills all
 * of them with pointers into the envelope, valid until it is freed.
 */
struct escrow_envelope_key {
	const uint8_t *label;   /* UTF-8, 1..255 bytes, no NUL */
	size_t label_len;
	const uint8_t *id;      /* PKCS#11 CKA_ID, 1..255 bytes */
	size_t id_len;
	const uint8_t *owner;   /* DNSSEC owner name, DNS wire format, 1..255 */
	size_t owner_len;
	uint16_t flags;         /* DNSKEY flags, e.g. 257 for a KSK */
	uint8_t algorithm;      /* DNSSEC algorithm number */
	const uint8_t *pubkey;  /* DNSKEY public-key field, 1..65535 bytes */
	size_t pubkey_len;
	const uint8_t *wrapped; /* RFC 5649 AES-256 wrap of the PKCS#8 DER */
	size_t wrapped_len;     /* 16..65528, multiple of 8 */
};

struct escrow_envelope_commitment {
	uint8_t group;   /* group index, 0..group_count-1 */
	uint8_t member;  /* member index, 0..member count-1 */
	uint8_t hash[ESCROW_ENVELOPE_HASH_LEN];
};

/* Whether the share set has a passphrase (escrow_envelope_passphrase()). */
enum escrow_envelope_passphrase {
	ESCROW_PASSPHRASE_NOT_RECORDED = -1, /* a version 1 envelope */
	ESCROW_PASSPHRASE_NONE = 0,          /* the empty passphrase */
	ESCROW_PASSPHRASE_SET = 1,           /* a non-empty one */
};

/* A share set that this envelope's set replaces (version 2; public). */
struct escrow_envelope_replaced {
	uint16_t identifier;                        /* SLIP-0039, < 32768 */
	uint8_t fingerprint[ESCROW_ENVELOPE_HASH_LEN]; /* of that set's envelope */
};

/* ---- building ---------------------------------------------------------- */

/*
 * Start a new envelope: a fresh random id (escrow_random()), creation time
 * `created` (seconds since the epoch, UTC; given by the caller so tests are
 * deterministic), and K_wrap/K_mac derived from S (SECRET, 32 bytes) into
 * secret memory owned by the envelope.  S itself is not kept.
 */
int escrow_envelope_create(struct escrow_envelope **env, uint64_t created,
    const uint8_t S[static ESCROW_ENVELOPE_SECRET_LEN]) ESCROW_WUR;

/*
 * Record the share set.  Checked: identifier < 2^15, extendable 0/1,
 * iteration exponent 0..15, 1 <= group_threshold <= group_count <= 16,
 * 1 <= member threshold <= member count <= 16 per group.  Once only,
 * before any commitment.
 */
int escrow_envelope_set_shareset(struct escrow_envelope *env,
    const struct escrow_shareset *set) ESCROW_WUR;

/*
 * Make it a version 2 envelope: whether the master secret was encrypted
 * with a non-empty passphrase (ESCROW_PASSPHRASE_NONE or _SET; the flag
 * is public, the passphrase is not given here) and the n share sets it
 * replaces, oldest first (n 0..ESCROW_ENVELOPE_MAX_REPLACED, identifiers
 * < 2^15; replaced may be NULL when n is 0).  Once only, before seal.
 * Not called: the envelope is written as version 1.
 */
int escrow_envelope_set_ceremony(struct escrow_envelope *env, int passphrase,
    const struct escrow_envelope_replaced *replaced, size_t n) ESCROW_WUR;

/*
 * Add the commitment of share (group, member), given as its n word
 * indices (SECRET, n = 1..255, each < 1024, checksum words included).
 * Shares may come in any order; seal() needs exactly one per share.
 */
int escrow_envelope_add_share(struct escrow_envelope *env, uint8_t group,
    uint8_t member, const uint16_t *words, size_t n) ESCROW_WUR;

/*
 * Add a key: the public fields from *key (wrapped is ignored) and its
 * private key as PKCS#8 DER (SECRET, 1..ESCROW_ENVELOPE_MAX_PKCS8 bytes),
 * which is wrapped at once under K_wrap; the plaintext is not kept.
 * At most ESCROW_ENVELOPE_MAX_KEYS keys; CKA_IDs must be distinct.
 */
int escrow_envelope_add_key(struct escrow_envelope *env,
    const struct escrow_envelope_key *key,
    const uint8_t *pkcs8, size_t pkcs8_len) ESCROW_WUR;

/*
 * Serialize and MAC.  *out gets a malloc()ed buffer (public; free() it),
 * *out_len its length.  Fails with ESCROW_ERR_INVALID_ARG when the share
 * set, a commitment or every key is missing, or two keys share a CKA_ID.
 * Afterwards K_wrap/K_mac are wiped and the envelope only answers the
 * accessors (id, time, share set, commitments, key count; not
 * escrow_envelope_key(), whose records moved into *out: parse *out to
 * look at them) and free.
 */
int escrow_envelope_seal(struct escrow_envelope *env, uint8_t **out,
    size_t *out_len) ESCROW_WUR;

/* ---- reading ----------------------------------------------------------- */

/*
 * Parse and check the structure of a serialized envelope, version 1 or 2
 * (public; the bytes are copied, so the caller may free them).  Everything
 * but the MAC is checked: magic (ESCROW_ERR_FORMAT), version (ESCROW_ERR_VERSION),
 * truncation (ESCROW_ERR_TRUNCATED), trailing bytes (ESCROW_ERR_TRAILING),
 * counts, limits, order and uniqueness (ESCROW_ERR_FORMAT), owner names
 * (ESCROW_ERR_NAME).  No S needed.
 */
int escrow_envelope_parse(const uint8_t *bytes, size_t len,
    struct escrow_envelope **env) ESCROW_WUR;

/*
 * Check the MAC with K_mac derived from S (SECRET), in constant time:
 * ESCROW_OK or ESCROW_ERR_MAC (wrong S, or altered envelope).
 */
int escrow_envelope_verify(struct escrow_envelope *env,
    const uint8_t S[static ESCROW_ENVELOPE_SECRET_LEN]) ESCROW_WUR;

/*
 * Unwrap key i's PKCS#8 DER with K_wrap derived from S into out (a SECRET
 * buffer of outcap bytes; wrapped_len - 8 always suffices, wrapped_len
 * saves a temporary allocation), *outlen its
 * length.  Verifies the MAC first if that has not succeeded yet on this
 * envelope (ESCROW_ERR_MAC).  ESCROW_ERR_UNWRAP if the blob does not
 * unwrap.
 */
int escrow_envelope_unwrap_key(struct escrow_envelope *env,
    const uint8_t S[static ESCROW_ENVELOPE_SECRET_LEN], size_t i,
    uint8_t *out, size_t outcap, size_t *outlen) ESCROW_WUR;

/*
 * K_wrap = HKDF-SHA256(IKM = S, salt = id, info = "escrow v1 wrap") and
 * K_mac likewise with info "escrow v1 mac" (32 bytes each, SECRET), for
 * the PKCS#11 unwrap path.  Either output may be NULL.
 */
int escrow_envelope_derive_keys(const uint8_t id[static ESCROW_ENVELOPE_ID_LEN],
    const uint8_t S[static ESCROW_ENVELOPE_SECRET_LEN],
    uint8_t *k_wrap, uint8_t *k_mac) ESCROW_WUR;

void escrow_envelope_free(struct escrow_envelope *env);

/* ---- accessors (built or parsed envelopes; all public) ------------------ */

const uint8_t *escrow_envelope_id(const struct escrow_envelope *env);
/* 1 or 2 (a built envelope: what seal writes); 0 for NULL. */
unsigned escrow_envelope_version(const struct escrow_envelope *env);
/* An enum escrow_envelope_passphrase: _NOT_RECORDED for version 1. */
int escrow_envelope_passphrase(const struct escrow_envelope *env);
/* The replaced share sets, oldest first (none in version 1); the entry
 * is NULL if i is out of range. */
size_t escrow_envelope_replaced_count(const struct escrow_envelope *env);
const struct escrow_envelope_replaced *escrow_envelope_replaced_at(
    const struct escrow_envelope *env, size_t i);
uint64_t escrow_envelope_created(const struct escrow_envelope *env);
/* NULL before set_shareset. */
const struct escrow_shareset *escrow_envelope_shareset(const struct escrow_envelope *env);
size_t escrow_envelope_key_count(const struct escrow_envelope *env);
int escrow_envelope_key(const struct escrow_envelope *env, size_t i,
    struct escrow_envelope_key *key) ESCROW_WUR;
size_t escrow_envelope_commitment_count(const struct escrow_envelope *env);
/* In group-major order once parsed or sealed; NULL if i is out of range. */
const struct escrow_envelope_commitment *escrow_envelope_commitment_at(
    const struct escrow_envelope *env, size_t i);
/* The serialized bytes of a parsed envelope (NULL for one being built). */
const uint8_t *escrow_envelope_bytes(const struct escrow_envelope *env, size_t *len);

/* ---- commitments -------------------------------------------------------- */

/*
 * out = SHA-256("escrow v1 share commitment" || id || group || member ||
 * n || n word indices as 16-bit big-endian).  words are SECRET (n 1..255,
 * each < 1024); out is public.
 */
int escrow_envelope_commitment(const uint8_t id[static ESCROW_ENVELOPE_ID_LEN],
    uint8_t group, uint8_t member, const uint16_t *words, size_t n,
    uint8_t out[static ESCROW_ENVELOPE_HASH_LEN]) ESCROW_WUR;

/*
 * Is this share (its n word indices, SECRET) one of the envelope's?
 * ESCROW_OK and its group/member (either pointer may be NULL), or
 * ESCROW_ERR_COMMITMENT.  Every commitment is computed and compared in
 * constant time; the search does not stop early.
 */
int escrow_envelope_find_commitment(const struct escrow_envelope *env,
    const uint16_t *words, size_t n, uint8_t *group, uint8_t *member) ESCROW_WUR;

/* ---- fingerprint -------------------------------------------------------- */

/* SHA-256 of the whole serialized envelope. */
int escrow_envelope_fingerprint(const uint8_t *bytes, size_t len,
    uint8_t out[static ESCROW_ENVELOPE_HASH_LEN]) ESCROW_WUR;

/* Lower-case hex, 64 digits and a NUL. */
void escrow_envelope_fingerprint_hex(const uint8_t fp[static ESCROW_ENVELOPE_HASH_LEN],
    char out[static ESCROW_FINGERPRINT_HEX_MAX]);

/*
 * The read-aloud form: the first 120 bits of fp as 12 SLIP-0039 words of
 * 10 bits each (most significant bit first), lower case, separated by
 * single spaces, NUL-terminated.
 */
void escrow_envelope_fingerprint_words(const uint8_t fp[static ESCROW_ENVELOPE_HASH_LEN],
    char out[static ESCROW_FINGERPRINT_WORDS_MAX]);

/*
 * Parse the word form back to the first 15 bytes of the fingerprint.
 * Case-insensitive; words separated by any run of spaces, tabs, newlines,
 * commas or hyphens; a word may be abbreviated to a prefix of at least 4
 * letters (unique in the SLIP-0039 list).  ESCROW_ERR_WORD_UNKNOWN for a
 * word not in the list, ESCROW_ERR_FORMAT for a count other than 12.
 */
int escrow_envelope_fingerprint_words_parse(const char *text,
    uint8_t out[static ESCROW_FINGERPRINT_WORDS_BYTES]) ESCROW_WUR;

#endif
