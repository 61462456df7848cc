/*
 * envelope_int.h - internal: the in-memory envelope shared by
 * envelope.c (building, accessors), envelope_parse.c (parse, verify,
 * unwrap) and envelope_commit.c (commitments, fingerprints).
 *
 * Secret: `keys` (K_wrap || K_mac) of an envelope being built, in
 * escrow_secret_alloc() memory.  Everything else is public.
 */
#ifndef ESCROW_ENVELOPE_INT_H
#define ESCROW_ENVELOPE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "escrow_bytes.h"
#include "escrow_envelope.h"

#define ENV_MAGIC "ESCROWEV"
#define ENV_MAGIC_LEN 8
/* magic, version, id, created */
#define ENV_FIXED_LEN (ENV_MAGIC_LEN + 1 + ESCROW_ENVELOPE_ID_LEN + 8)
#define ENV_MAX_SHARES (ESCROW_SHARESET_MAX_GROUPS * ESCROW_SHARESET_MAX_MEMBERS)
#define ENV_COMMIT_LEN (2 + ESCROW_ENVELOPE_HASH_LEN)
/* one replaced share set in version 2: u16 identifier, fingerprint */
#define ENV_REPLACED_LEN (2 + ESCROW_ENVELOPE_HASH_LEN)
/* the shortest key record: 1-byte label, id, owner; 1-byte public key */
#define ENV_MIN_KEY_RECORD (1 + 1 + 1 + 1 + 1 + 1 + 2 + 1 + 2 + 1 + 2 + 16)

enum env_state { ENV_BUILDING, ENV_SEALED, ENV_PARSED };

struct escrow_envelope {
	enum env_state state;
	uint8_t id[ESCROW_ENVELOPE_ID_LEN];
	uint64_t created;
	int have_set;
	struct escrow_shareset set;
	size_t ncommit;
	struct escrow_envelope_commitment commit[ENV_MAX_SHARES];
	/* version 2: set_ceremony was called (building) or the byte said so */
	unsigned version;
	int passphrase;       /* enum escrow_envelope_passphrase */
	size_t nreplaced;
	struct escrow_envelope_replaced replaced[ESCROW_ENVELOPE_MAX_REPLACED];

	/*
	 * Key records in their serialized form.  Building: keybuf is owned
	 * (grown with realloc).  Parsed: keybuf points into bytes.
	 */
	uint8_t *keybuf;
	size_t keylen, keycap;
	size_t nkeys, keyoff_cap;
	size_t *keyoff;       /* offset of each record in keybuf */

	uint8_t *keys;        /* building: K_wrap || K_mac (SECRET) */

	uint8_t *bytes;       /* parsed: owned copy of the serialized envelope */
	size_t len;
	int verified;         /* parsed: the MAC has been checked with some S */
};

/* Checks of the share set, common to building and parsing. */
int escrow_envelope_i_shareset_check(const struct escrow_shareset *set) ESCROW_WUR;
size_t escrow_envelope_i_share_total(const struct escrow_shareset *set);

/*
 * Decode and check one key record at p (avail bytes readable).  On
 * success fills *key (pointers into p) and *used.  Errors:
 * ESCROW_ERR_TRUNCATED, ESCROW_ERR_FORMAT, ESCROW_ERR_NAME.
 */
int escrow_envelope_i_key_decode(const uint8_t *p, size_t avail,
    struct escrow_envelope_key *key, size_t *used) ESCROW_WUR;

/* Check the public fields of a key (lengths, UTF-8 label, owner name). */
int escrow_envelope_i_key_check(const struct escrow_envelope_key *key) ESCROW_WUR;

/* ESCROW_OK if every CKA_ID in the key set differs, else ESCROW_ERR_FORMAT. */
int escrow_envelope_i_ids_unique(const struct escrow_envelope *env) ESCROW_WUR;

/* HMAC-SHA256 of data under a 32-byte key (SECRET). */
void escrow_envelope_i_hmac(const uint8_t key[static 32], const uint8_t *data,
    size_t len, uint8_t out[static 32]);

#endif
