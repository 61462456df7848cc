/*
 * secrets.h - the tools' handling of the ceremony's secrets: passphrase
 * and PIN input, extra entropy, the master secret, and a set of shares
 * kept in secret memory.
 */
#ifndef ESCROW_TOOL_SECRETS_H
#define ESCROW_TOOL_SECRETS_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "escrow_slip39.h"

#define TOOL_PASSPHRASE_MAX 1024
#define TOOL_PIN_MAX 256

/*
 * The SLIP-0039 passphrase: from file (first line), else asked twice on
 * the terminal when interactive, else empty.  Printable ASCII only.
 * Returns secret memory (free with escrow_secret_free), NULL on failure.
 */
char *tool_passphrase(const char *file, int interactive, int twice);

/* The same, the prompts naming whose passphrase it is (role: "the NEW
 * share set", "the OLD share set"), or as above when role is NULL. */
char *tool_passphrase_for(const char *file, int interactive, int twice,
    const char *role);

/* A PIN from a file or a no-echo prompt; NULL on failure (reason printed). */
char *tool_pin(const char *file, const char *token);

/*
 * Fill S (32 bytes, secret) from the CSPRNG; with extra_entropy, read lines
 * of dice rolls or hex typed at the terminal until an empty line and mix
 * them in with a keyed hash (the CSPRNG output is the key, so typed input
 * can never weaken S).
 */
int tool_master_secret(uint8_t S[32], int extra_entropy);

/* Shares of one split, in secret memory. */
struct tool_shares {
	struct escrow_slip39_share *s; /* secret memory */
	size_t n;
};
void tool_shares_free(struct tool_shares *sh);

/*
 * Split S with set (thresholds and counts in; identifier out) and
 * passphrase, into sh.  Prints the reason on failure.
 */
int tool_split(const uint8_t S[32], const char *passphrase,
    struct escrow_shareset *set, struct tool_shares *sh);

/*
 * Unwrap key i of env on this host with S (SECRET), parse it and check it
 * against the envelope's public key.  *pkey (SECRET; may be NULL to only
 * check) is for the caller to EVP_PKEY_free(); with der != NULL the PKCS#8
 * DER comes back too, in secret memory (escrow_secret_free).  Returns 0 or
 * an escrow error code; prints nothing.
 */
struct escrow_envelope;
int tool_unwrap_key(struct escrow_envelope *env, const uint8_t *S, size_t i,
    EVP_PKEY **pkey, uint8_t **der, size_t *der_len);

/*
 * Refuse a --token URI that carries a PIN (pin-value=, pin-source= in its
 * query): it would sit in argv.  Says why; 0 or -1.
 */
int tool_token_uri_check(const char *uri);

/* Parse "M/N" into threshold and count. */
int tool_parse_group(const char *s, uint8_t *threshold, uint8_t *count);

#endif
