/*
 * input.h - internal to escrow-combine: the pieces of paper a restore
 * reads (shares and the envelope, from files, scans or the terminal), as
 * read, before any check.
 *
 * Secret: every share (its words and decoded value); the share array
 * lives in escrow_secret_alloc() memory.
 */
#ifndef ESCROW_COMBINE_INPUT_H
#define ESCROW_COMBINE_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "escrow_envelope.h"
#include "escrow_slip39.h"

#define CB_MAX_SHARES 64
#define CB_SOURCE_MAX 320
#define CB_ENVELOPE_MAX (64u << 20)
/* the largest text input (typed envelope of 1 MB, share files), read into
 * secret memory since shares are secret */
#define CB_TEXT_MAX (4u << 20)

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

/* The same, naming the file's role in messages ("--envelope (the envelope)"). */
int cb_input_file_as(struct cb_input *in, const char *path, const char *role);

/* Add one mnemonic (SECRET text) from source; problems printed. */
int cb_input_add_mnemonic(struct cb_input *in, const char *text, size_t len,
    const char *source);

/*
 * cb_input_init, then read the --envelope FILE (may be NULL) and every
 * INPUT; an INPUT with problems is named and skipped.  -1 only when the
 * envelope file cannot be read or memory runs out.
 */
int cb_input_gather(struct cb_input *in, const char *envelope, char **inputs, int n);

/* Finish the envelope: assemble scanned chunks if needed.  0 or -1. */
int cb_input_finish_envelope(struct cb_input *in);

#endif
