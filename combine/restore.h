/*
 * restore.h - internal to escrow-combine: from the pieces read to the
 * master secret, proven by the envelope's MAC.
 *
 * Secret: the passphrase and the master secret S, in secret memory.
 */
#ifndef ESCROW_COMBINE_RESTORE_H
#define ESCROW_COMBINE_RESTORE_H

#include <stdint.h>

#include "escrow_envelope.h"
#include "input.h"
#include "records.h"

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
 * given.  A wrong passphrase typed at the terminal is asked again while
 * the shares stay in memory.  ready (may be NULL) is called once the
 * envelope is read and before any share is checked or asked for: the
 * caller's checks that need the envelope (the token's CKA_IDs); nonzero
 * stops.  On success r->S, r->env and r->rec are set.  0 or -1.
 */
struct cb_restore_opts {
	const char *passphrase_file; /* or NULL: asked at the terminal */
	int interactive;             /* may ask (shares, corrections, passphrase) */
	const char *role;            /* "the OLD share set" in the prompt, or NULL */
	int (*ready)(const struct cb_restore *r, void *ctx); /* or NULL */
	void *ctx;
};
int cb_restore(struct cb_input *in, const struct cb_restore_opts *ro,
    struct cb_restore *r);
void cb_restore_free(struct cb_restore *r);

/* Check every key of the restored envelope: unwrap on the host and match
 * the public key.  Prints one line per key.  0 or -1. */
int cb_check_keys(struct cb_restore *r);

#endif
