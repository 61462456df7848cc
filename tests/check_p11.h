/*
 * check_p11.h - helpers shared by the PKCS#11 suites (check_p11*.c): a
 * throwaway SoftHSM token per test, test keys, RFC 5649 wrapping on the
 * host.  Test data only; the PINs and keys here protect nothing.
 */
#ifndef ESCROW_CHECK_P11_H
#define ESCROW_CHECK_P11_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "escrow_p11.h"

#define P11T_MODULE "/usr/lib/softhsm/libsofthsm2.so"
#define P11T_PIN "1234"

struct p11t_token {
	char dir[256];
	char label[33];
	char uri[96];
};

/* A fresh token directory with one initialised token (SOFTHSM2_CONF). */
void p11t_token(struct p11t_token *t, const char *label);
void p11t_token_done(struct p11t_token *t);
/* Open the token (asserts success). */
struct escrow_p11 *p11t_open(const struct p11t_token *t);
/* How many objects the token holds, counted in a fresh session. */
size_t p11t_count(const struct p11t_token *t);

/* A test key for a DNSSEC algorithm (RSA-2048 from tests/vectors/p11,
 * rsa_index 1..4; others freshly generated). */
EVP_PKEY *p11t_keygen(int algorithm, int rsa_index);
/* The public half alone. */
EVP_PKEY *p11t_public(EVP_PKEY *priv);

/* One key for escrow_p11_load; frees with p11t_key_free. */
struct p11t_key {
	struct escrow_p11_key k;
	uint8_t id[16];
	char label[32];
	uint8_t kwrap[32];
	uint8_t wrapped[2048];
	EVP_PKEY *priv, *pub;
};
void p11t_key_make(struct p11t_key *tk, int algorithm, int rsa_index,
    uint8_t id_byte, const uint8_t kwrap[32]);
void p11t_key_free(struct p11t_key *tk);

/* Run a command, capture stdout (malloc'd); returns the exit status. */
int p11t_run(const char *cmd, char **out);

#endif
