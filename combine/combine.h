/*
 * combine.h - internal to escrow-combine: the pieces of paper a restore
 * reads (shares and the envelope, from files, scans or the terminal) and
 * the checks that turn them into the master secret.
 *
 * Secret: every share (its words and decoded value), the passphrase and
 * the master secret S; all live in escrow_secret_alloc() memory.
 */
#ifndef ESCROW_COMBINE_H
#define ESCROW_COMBINE_H

#include <stddef.h>
#include <stdint.h>

#include "escrow_envelope.h"
#include "escrow_slip39.h"
#include "records.h"

#define CB_MAX_SHARES 64
#define CB_SOURCE_MAX 320
#define CB_ENVELOPE_MAX (64u << 20)

/* One share as read: SECRET words, public source and metadata. */
struct cb_share {
	uint16_t words[ESCROW_SLIP39_WORDS_MAX]; /* SECRET */
	size_t nwords;
	struct escrow_slip39_share share;        /* SECRET value, set when decoded */
	char source[CB_SOURCE_MAX];              /* "shares.txt line 3" */
	int decoded;       /* checksum and structure good */
	int committed;     /* matches one of the envelope's commitments */
	uint8_t group, member; /* from the commitment (0-based) */
	int duplicate;     /* same share as an earlier one: ignored */
};

struct cb_input {
	struct cb_share *shares; /* secret memory, CB_MAX_SHARES entries */
	size_t nshares;
	uint8_t *env;            /* serialized envelope (public), malloc'd */
	size_t env_len;
	char env_source[CB_SOURCE_MAX];
	struct escrow_chunk_asm *chunks; /* scanned envelope chunks */
	size_t nchunks;
	char chunk_source[CB_SOURCE_MAX];
	int typed_partial;       /* typed lines joined the chunks */
	int problems;            /* inputs that could not be read */
};

int cb_input_init(struct cb_input *in);
void cb_input_free(struct cb_input *in);

/* Read an --envelope FILE (binary, text form, or scans). */
int cb_input_envelope_file(struct cb_input *in, const char *path);

/*
 * Read one INPUT: a scan (PNG, PNM, JPEG, PDF), a binary envelope, the
 * envelope's text form, or a text file of shares; which it is, is worked
 * out from the content.  Problems are printed; returns 0 or -1.
 */
int cb_input_file(struct cb_input *in, const char *path);

/* Add one mnemonic (SECRET text) from source; problems printed. */
int cb_input_add_mnemonic(struct cb_input *in, const char *text, size_t len,
    const char *source);

/* Finish the envelope: assemble scanned chunks if needed.  0 or -1. */
int cb_input_finish_envelope(struct cb_input *in);

/* What the restore found (all secret but the envelope and records). */
struct cb_restore {
	struct escrow_envelope *env;
	uint8_t *S;          /* SECRET, 32 bytes */
	char *passphrase;    /* SECRET */
	struct tool_records rec;
	int have_rec;
};

/*
 * Check every share (checksum, set, commitment: each problem named by its
 * source), offering a one-word correction when exactly one candidate
 * matches a commitment; ask for more shares on the terminal when needed
 * and possible; combine; check the MAC (a wrong passphrase is named as
 * such); find a bad share by trying subsets when more than needed were
 * given.  On success r->S, r->env and r->rec are set.  0 or -1.
 */
int cb_restore(struct cb_input *in, const char *passphrase_file, int interactive,
    struct cb_restore *r);
void cb_restore_free(struct cb_restore *r);

/* Check every key of the restored envelope: unwrap on the host and match
 * the public key.  Prints one line per key.  0 or -1. */
int cb_check_keys(struct cb_restore *r);

/* Interactive share entry on the terminal (prompt.c). */
int cb_prompt_shares(struct cb_input *in, const struct escrow_envelope *env);

/* Type one share at the terminal (for audit); 0 or -1. */
int cb_prompt_one(struct cb_input *in);

/* Which groups still need how many shares: printed on stderr. */
void cb_report_needed(const struct cb_input *in, const struct escrow_shareset *set);

/* Decode and check one share against env (may be NULL); prints problems. */
int cb_check_share(struct cb_share *s, const struct escrow_envelope *env,
    int interactive);

#endif
