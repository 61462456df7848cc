/*
 * ceremony.h - the second half of a generation ceremony, shared by
 * escrow-keygen and escrow-combine reshare: given the keys, make a fresh
 * master secret and its shares, seal the envelope and read it back, write
 * the envelope and public records, put the shares on paper (or in files
 * when asked), optionally load the HSM, and write the transcript.
 *
 * Secret: the master secret, the passphrase, the shares, the PKCS#8 DER
 * and EVP_PKEYs of the keys.  Nothing secret is written unless the
 * operator asked (--shares-out, --pdf).
 */
#ifndef ESCROW_TOOL_CEREMONY_H
#define ESCROW_TOOL_CEREMONY_H

#include <stdint.h>

#include <openssl/evp.h>

#include "escrow_envelope.h"
#include "load.h"
#include "sheets_out.h"

struct tool_ceremony_key {
	struct escrow_envelope_key pub; /* public fields (wrapped ignored) */
	const uint8_t *pkcs8;           /* SECRET */
	size_t pkcs8_len;
	EVP_PKEY *pkey;                 /* SECRET, for loading an HSM; may be NULL */
};

struct tool_ceremony {
	const char *outdir;
	const char *shares_out;          /* NULL: shares only on paper */
	int allow_removable_secrets;     /* --allow-removable-secrets (tests) */
	struct tool_paper_opts paper;    /* pdf / queue / yes / size */
	const char *passphrase_file;
	int interactive;                 /* may ask on the terminal */
	int entropy;                     /* --entropy */
	struct escrow_shareset set;      /* thresholds in, identifier out */
	const struct tool_ceremony_key *keys;
	size_t nkeys;
	const char *title;               /* first transcript line */
	const char *note;                /* extra transcript lines, or NULL */
	const char *passphrase_role;     /* "the NEW share set" in prompts, or NULL */
	int name_by_set;                 /* reshare: "<base>-set<id>.escrow", so the
	                                  * new envelope's name differs */
	const struct escrow_envelope_replaced *replaced; /* reshare: the sets the
	                                  * new one replaces, oldest first */
	size_t nreplaced;
	struct tool_token *token;        /* opened and logged in before the
	                                  * ceremony, or NULL: no HSM */
};

/* Run it.  0 success, -1 failure (reason printed, files removed unless
 * the escrow was already complete).  A stop signal (tool_catch_signals)
 * before the escrow is complete rolls back as a refusal does, and says
 * so. */
int tool_ceremony_run(struct tool_ceremony *c);

/*
 * Refuse (saying which) when a file the ceremony would write exists:
 * the envelope, records, transcript, PDFs and share files of c's layout
 * named after r.  0 or -1.
 */
int tool_ceremony_check_names(const struct tool_ceremony *c,
    const struct tool_records *r);

/* "Share set 123 ...: 3 of 5 shares needed" */
void tool_describe_set(const struct escrow_shareset *set, struct escrow_text *b);

/* What the envelope records of its ceremony: "Passphrase: yes|none|not
 * recorded (...)" and the share sets it replaces, one line each. */
void tool_describe_ceremony(const struct escrow_envelope *env, struct escrow_text *b);

#endif
