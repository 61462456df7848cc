/*
 * escrow_keys.h - DNSSEC signing keys with OpenSSL 3 (EVP only):
 * generate, import, PKCS#8 in and out, the DNSKEY public-key field in both
 * directions, key/public-key matching, DNSSEC-style sign and verify, and
 * the public key as PEM.
 *
 * Secret: every EVP_PKEY holding a private key, and the PKCS#8 DER that
 * escrow_keys_pkcs8_write() produces (write it into escrow_secret_alloc()
 * memory).  Public: algorithms, DNSKEY public-key fields, signatures, PEM
 * public keys.
 *
 * Algorithm numbers are the DNSSEC ones (IANA "DNS Security Algorithm
 * Numbers"); only those listed in enum escrow_alg are supported.  Every
 * call returns 0 or a negative enum escrow_err.
 */
#ifndef ESCROW_KEYS_H
#define ESCROW_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "escrow.h"

enum escrow_alg {
	ESCROW_ALG_RSASHA256 = 8,
	ESCROW_ALG_RSASHA512 = 10,
	ESCROW_ALG_ECDSAP256SHA256 = 13,
	ESCROW_ALG_ECDSAP384SHA384 = 14,
	ESCROW_ALG_ED25519 = 15,
	ESCROW_ALG_ED448 = 16,
};

/* Largest DNSKEY public-key field: RSA-4096 per RFC 3110 (1 + 3 + 512). */
#define ESCROW_KEYS_PUBKEY_MAX 516
/* Largest DNSSEC signature: RSA-4096. */
#define ESCROW_KEYS_SIG_MAX 512
/* Default RSA size when the caller passes bits = 0. */
#define ESCROW_KEYS_RSA_DEFAULT_BITS 2048

/* 1 if alg is one of enum escrow_alg, else 0. */
int escrow_keys_alg_supported(int alg);

/* Mnemonic ("RSASHA256", "ECDSAP256SHA256", "ED25519", ...); NULL if unknown. */
const char *escrow_keys_alg_name(int alg);

/*
 * Generate a new key pair.  RSA (8, 10): bits 2048, 3072 or 4096 (0 means
 * 2048), public exponent 65537.  Others: bits must be 0 (or the curve's
 * own size: 256, 384, 255/256 for Ed25519, 448/456 for Ed448).
 * Anything else: ESCROW_ERR_ALGORITHM.  Free with EVP_PKEY_free().
 */
int escrow_keys_generate(int alg, unsigned bits, EVP_PKEY **out) ESCROW_WUR;

/*
 * Import a private key: PEM (PKCS#8 "PRIVATE KEY", traditional "RSA
 * PRIVATE KEY" / "EC PRIVATE KEY") or DER PKCS#8.  Encrypted PEM is refused
 * (ESCROW_ERR_UNSUPPORTED).  *alg on entry: the wanted DNSSEC algorithm, or
 * 0 to infer it (RSA -> 8, P-256 -> 13, P-384 -> 14, Ed25519 -> 15,
 * Ed448 -> 16); on success it holds the algorithm.  A key that does not
 * fit (wrong type, RSA size not 2048/3072/4096, exponent not 65537, wrong
 * curve) gives ESCROW_ERR_ALGORITHM; unparseable data ESCROW_ERR_KEY_PARSE.
 * data is secret; the caller wipes it.
 */
int escrow_keys_import(const uint8_t *data, size_t len, int *alg,
    EVP_PKEY **out) ESCROW_WUR;

/* Does key fit DNSSEC algorithm alg?  0 or ESCROW_ERR_ALGORITHM. */
int escrow_keys_check_alg(const EVP_PKEY *key, int alg) ESCROW_WUR;

/* Infer the DNSSEC algorithm of a key (RSA -> 8).  0 or ESCROW_ERR_ALGORITHM. */
int escrow_keys_infer_alg(const EVP_PKEY *key, int *alg) ESCROW_WUR;

/*
 * PKCS#8 DER (PrivateKeyInfo, unencrypted) of a private key.  First call
 * escrow_keys_pkcs8_len() for the size, allocate it with
 * escrow_secret_alloc(), then escrow_keys_pkcs8_write(): the DER is
 * encoded straight into out.  cap too small: ESCROW_ERR_BUFFER_TOO_SMALL.
 */
int escrow_keys_pkcs8_len(const EVP_PKEY *key, size_t *len) ESCROW_WUR;
int escrow_keys_pkcs8_write(const EVP_PKEY *key, uint8_t *out, size_t cap,
    size_t *len) ESCROW_WUR;

/*
 * Parse PKCS#8 DER back into a key, which must fit alg (0: infer, as in
 * escrow_keys_import; the algorithm found is not returned here - use
 * escrow_keys_infer_alg).  Trailing bytes are refused.
 */
int escrow_keys_pkcs8_read(const uint8_t *der, size_t len, int alg,
    EVP_PKEY **out) ESCROW_WUR;

/*
 * The DNSKEY public-key field: RFC 3110 for RSA (exponent length in one
 * byte, or 0 then two bytes; exponent; modulus), RFC 6605 for ECDSA (x||y,
 * 64 or 96 bytes), RFC 8080 for EdDSA (32 or 57 bytes).  out needs at most
 * ESCROW_KEYS_PUBKEY_MAX bytes.
 */
int escrow_keys_dnskey_pub(const EVP_PKEY *key, int alg, uint8_t *out,
    size_t cap, size_t *len) ESCROW_WUR;

/*
 * The reverse: a public EVP_PKEY from an algorithm and a DNSKEY public-key
 * field, for verifying.  Bad field: ESCROW_ERR_KEY_PARSE (or
 * ESCROW_ERR_ALGORITHM for an RSA size or exponent we do not accept).
 */
int escrow_keys_from_dnskey_pub(int alg, const uint8_t *pub, size_t len,
    EVP_PKEY **out) ESCROW_WUR;

/*
 * Does the (private or public) key have exactly this DNSKEY public-key
 * field?  0 or ESCROW_ERR_KEY_MISMATCH.  For a private key this also
 * checks the key pair is consistent (EVP_PKEY_pairwise_check where the
 * key type has one).
 */
int escrow_keys_match(const EVP_PKEY *key, int alg, const uint8_t *pub,
    size_t len) ESCROW_WUR;

/*
 * DNSSEC signature of data (the whole to-be-signed byte string; the hash is
 * done here): RSA PKCS#1 v1.5 with SHA-256 (8) or SHA-512 (10); ECDSA with
 * SHA-256 (13) / SHA-384 (14) as raw r||s, 64 / 96 bytes (RFC 6605);
 * Ed25519 / Ed448 pure (RFC 8080).  sig needs at most ESCROW_KEYS_SIG_MAX.
 */
int escrow_keys_sign(EVP_PKEY *key, int alg, const uint8_t *data,
    size_t len, uint8_t *sig, size_t cap, size_t *siglen) ESCROW_WUR;

/*
 * Verify a DNSSEC signature in the same encodings (raw r||s for ECDSA).
 * 0 if valid, ESCROW_ERR_KEY_MISMATCH if the signature does not verify,
 * other codes for bad arguments.
 */
int escrow_keys_verify(EVP_PKEY *key, int alg, const uint8_t *data,
    size_t len, const uint8_t *sig, size_t siglen) ESCROW_WUR;

/* The same, with the key given as its DNSKEY public-key field. */
int escrow_keys_verify_dnskey(int alg, const uint8_t *pub, size_t publen,
    const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen)
    ESCROW_WUR;

/*
 * The public key as PEM (SubjectPublicKeyInfo, "-----BEGIN PUBLIC KEY-----"),
 * NUL-terminated.  *len (may be NULL) gets the length without the NUL; if
 * cap is too small, ESCROW_ERR_BUFFER_TOO_SMALL and *len the size needed
 * (without the NUL).  2048 bytes always suffice.
 */
#define ESCROW_KEYS_PEM_MAX 2048
int escrow_keys_public_pem(const EVP_PKEY *key, char *out, size_t cap,
    size_t *len) ESCROW_WUR;

#endif
