/*
 * keys_int.h - helpers shared by keys.c, keys_dnskey.c and keys_sign.c.
 * No secrets pass through these declarations except the EVP_PKEYs.
 */
#ifndef ESCROW_KEYS_INT_H
#define ESCROW_KEYS_INT_H

#include <openssl/types.h>

enum keys_family { KEYS_RSA, KEYS_EC, KEYS_EDDSA };

struct keys_alginfo {
	int alg;
	const char *name;       /* DNSSEC mnemonic */
	enum keys_family family;
	const char *ossl_type;  /* OpenSSL key type name */
	const char *group;      /* EC curve (OpenSSL name), or NULL */
	const char *nist;       /* EC curve (NIST name), or NULL */
	size_t field;           /* ECDSA coordinate / EdDSA key size */
	const char *digest;     /* hash for RSA / ECDSA, NULL for EdDSA */
};

/* The table entry for a DNSSEC algorithm, or NULL. */
const struct keys_alginfo *escrow_keys_i_info(int alg);

/* 1 if the key carries its private half, else 0. */
int escrow_keys_i_has_private(const EVP_PKEY *key, const struct keys_alginfo *ai);

#endif
