/*
 * keys_int.h - helpers shared by keys.c, keys_dnskey.c and keys_sign.c.
 * No secrets pass through these declarations except the EVP_PKEYs.
 */
#ifndef ESCROW_KEYS_INT_H
#define ESCROW_KEYS_INT_H

#include <openssl/types.h>

enum keys_family { KEYS_RSA, KEYS_EC, KEYS_EDDSA };

/* Key classes: algorithms that share a kind of key (8 and 10 are both RSA);
 * the PKCS#11 code keeps one capability per class. */
enum keys_class {
	KEYS_CLASS_RSA = 0,
	KEYS_CLASS_P256,
	KEYS_CLASS_P384,
	KEYS_CLASS_ED25519,
	KEYS_CLASS_ED448,
	KEYS_CLASS_COUNT
};

struct keys_alginfo {
	int alg;
	const char *name;       /* DNSSEC mnemonic */
	enum keys_family family;
	const char *ossl_type;  /* OpenSSL key type name */
	const char *group;      /* EC curve (OpenSSL name), or NULL */
	const char *nist;       /* EC curve (NIST name), or NULL */
	size_t field;           /* ECDSA coordinate / EdDSA key size */
	const char *digest;     /* hash for RSA / ECDSA, NULL for EdDSA */
	enum keys_class kclass;
	/* PKCS#11 (lib/p11_*.c reads these, never algorithm numbers) */
	unsigned long ck_key_type;  /* CKK_RSA, CKK_EC, CKK_EC_EDWARDS */
	unsigned long ck_sign_mech; /* the signature mechanism: RSA with the
	                             * hash in the token; ECDSA over the hash
	                             * made on the host; EdDSA */
	unsigned long ck_raw_mech;  /* RSA: CKM_RSA_PKCS over a DigestInfo made
	                             * on the host, when ck_sign_mech is missing;
	                             * 0 for the others */
	int eddsa_params;           /* 1: CKM_EDDSA needs CK_EDDSA_PARAMS
	                             * (Ed448, PKCS#11 3.0 section 2.3.14) */
	const unsigned char *curve_oid; /* DER OID: CKA_EC_PARAMS; NULL for RSA */
	size_t curve_oid_len;
	const unsigned char *digestinfo; /* RSA: DER DigestInfo prefix of the
	                             * hash (RFC 8017 section 9.2 note 1) */
	size_t digestinfo_len;
};

/* The table entry for a DNSSEC algorithm, or NULL. */
const struct keys_alginfo *escrow_keys_i_info(int alg);

/* 1 if the key carries its private half, else 0. */
int escrow_keys_i_has_private(const EVP_PKEY *key, const struct keys_alginfo *ai);

#endif
