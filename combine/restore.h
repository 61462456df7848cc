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
 * given.  On success r->S, r->env and r->rec are set.  0 or -1.
 */
int cb_restore(struct cb_input *in, const char *passphrase_file, int interactive,
    struct cb_restore *r);
void cb_restore_free(struct cb_restore *r);

/* Check every key of the restored envelope: unwrap on the host and match
 * the public key.  Prints one line per key.  0 or -1. */
int cb_check_keys(struct cb_restore *r);

#endif
