/*
 * load.h - loading an envelope's keys into a PKCS#11 token, shared by
 * escrow-keygen (load at generation) and escrow-combine load.
 *
 * Secret: S (the master secret), the PIN, K_wrap and private keys; all
 * stay in secret memory or OpenSSL key objects freed here.
 */
#ifndef ESCROW_TOOL_LOAD_H
#define ESCROW_TOOL_LOAD_H

#include <stdint.h>

#include <openssl/evp.h>

#include "escrow_envelope.h"
#include "records.h"
#include "tool.h"

struct tool_load_opts {
	const char *module;     /* path or p11-kit module name */
	const char *token;      /* PKCS#11 URI of the token */
	const char *pin_source; /* file with the PIN, or NULL: prompt */
	int strategy;           /* enum escrow_p11_strategy */
	int replace;            /* --replace */
	const char *rrsig_out;  /* write DNSKEY + RRSIG zone text here, or NULL */
	const char *init_args;  /* --module-init-args: C_Initialize pReserved */
	int accept_usages;      /* --accept-token-usages */
	unsigned long sessions; /* --sessions N: parallel sessions (0: one) */
};

/*
 * An open, logged-in token, opened before any human step (typing shares,
 * entropy, printing) and kept until the load.  The PIN is kept, in secret
 * memory, only to open the session again for a retry.
 */
struct tool_token {
	struct escrow_p11 *p;
	char *pin;                      /* SECRET */
	const struct tool_load_opts *o;
	int interactive;                /* may ask again on the terminal */
};

/*
 * Check what can be checked without the token, before anything else:
 * --pin-source is a readable, non-empty file; --rrsig-out does not exist
 * and its directory is writable; a module given as a path exists.  Each
 * problem is named with its option and what to do.  0 or -1.
 */
int tool_load_preflight(const struct tool_load_opts *o);

/*
 * Open the module, find the token and log in: with --pin-source once;
 * from the terminal up to three times when the PIN is wrong.  Say which
 * token was opened.  0 or -1 (reason printed; t is then closed).
 */
int tool_token_open(struct tool_token *t, const struct tool_load_opts *o,
    int interactive);

/* Log out, close, wipe the PIN; takes a closed or zeroed token. */
void tool_token_close(struct tool_token *t);

/* One key's CKA_ID, and its key tag for messages. */
struct tool_token_id {
	const uint8_t *id;
	size_t id_len;
	unsigned tag;
};

/*
 * Before the load: refuse keys whose CKA_ID the token already holds,
 * unless --replace was given (then say which will be replaced).  0 or -1.
 */
int tool_token_check_ids(struct tool_token *t, const struct tool_token_id *ids,
    size_t n);

/*
 * The probe (escrow_p11_probe): a throwaway test load of each key type,
 * one verdict line each on stdout.  0 when every type loads, -1 (said
 * why) otherwise.
 */
int tool_token_probe(struct tool_token *t, const int *algs, size_t n);

/* For the keys of an envelope's records: the probe, then the CKA_IDs. */
int tool_token_check_records(struct tool_token *t, const struct tool_records *r);

/*
 * Load every key of env into the token.  privs: the private keys when the
 * caller has them already (keygen), or NULL to unwrap them from the
 * envelope on the host only when the token cannot unwrap (combine).
 * Appends what was done to transcript; prints progress, errors and what
 * was loaded.  On a failure at a terminal (interactive), says what to fix
 * and offers to try again, with a fresh session, while S stays in memory.
 * 0 or -1.
 */
int tool_load(struct tool_token *t, struct escrow_envelope *env,
    const uint8_t S[32], EVP_PKEY **privs, const struct tool_records *r,
    struct escrow_text *transcript);

#endif
