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
};

/*
 * Load every key of env into the token.  privs: the private keys when the
 * caller has them already (keygen), or NULL to unwrap them from the
 * envelope on the host only when the token cannot unwrap (combine).
 * Appends what was done to transcript; prints progress and errors.
 * 0 or -1.
 */
int tool_load(struct escrow_envelope *env, const uint8_t S[32],
    EVP_PKEY **privs, const struct tool_records *r,
    const struct tool_load_opts *o, struct escrow_text *transcript);

#endif
