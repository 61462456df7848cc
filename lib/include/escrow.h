/*
 * escrow.h - public core of libescrow: error codes, secret memory and
 * process hardening.  Every tool includes this first.
 *
 * Secrets handled through this header: whatever the caller puts in memory
 * from escrow_secret_alloc().  The library never prints and never exits;
 * every fallible call returns 0 or a negative enum escrow_err.
 */
#ifndef ESCROW_H
#define ESCROW_H

#include <stddef.h>
#include <stdint.h>

#define ESCROW_WUR __attribute__((warn_unused_result))

/*
 * Error codes.  Keep the numbers stable: they appear in transcripts.
 * Add new codes at the end of their block and give each a sentence in
 * lib/err.c.
 */
enum escrow_err {
	ESCROW_OK = 0,

	/* general */
	ESCROW_ERR_NOMEM = -1,
	ESCROW_ERR_INVALID_ARG = -2,
	ESCROW_ERR_RANDOM = -3,
	ESCROW_ERR_CRYPTO = -4,
	ESCROW_ERR_IO = -5,
	ESCROW_ERR_EXISTS = -6,
	ESCROW_ERR_SODIUM_INIT = -7,
	ESCROW_ERR_HARDEN = -8,
	ESCROW_ERR_UNSUPPORTED = -9,
	ESCROW_ERR_BUFFER_TOO_SMALL = -10,

	/* SLIP-0039 mnemonics and shares */
	ESCROW_ERR_WORD_UNKNOWN = -20,
	ESCROW_ERR_MNEMONIC_LENGTH = -21,
	ESCROW_ERR_CHECKSUM = -22,
	ESCROW_ERR_PADDING = -23,
	ESCROW_ERR_SHARE_PARAMS = -24,
	ESCROW_ERR_SET_MISMATCH = -25,
	ESCROW_ERR_DUPLICATE_SHARE = -26,
	ESCROW_ERR_TOO_FEW_SHARES = -27,
	ESCROW_ERR_TOO_FEW_GROUPS = -28,
	ESCROW_ERR_TOO_MANY_GROUPS = -29,
	ESCROW_ERR_GROUP_MISMATCH = -30,
	ESCROW_ERR_DIGEST = -31,
	ESCROW_ERR_SECRET_LENGTH = -32,
	ESCROW_ERR_PASSPHRASE = -33,
	ESCROW_ERR_TOO_MANY_SHARES = -34,

	/* envelope, keys and records */
	ESCROW_ERR_FORMAT = -50,
	ESCROW_ERR_TRUNCATED = -51,
	ESCROW_ERR_TRAILING = -52,
	ESCROW_ERR_VERSION = -53,
	ESCROW_ERR_MAC = -54,
	ESCROW_ERR_UNWRAP = -55,
	ESCROW_ERR_COMMITMENT = -56,
	ESCROW_ERR_KEY_MISMATCH = -57,
	ESCROW_ERR_ALGORITHM = -58,
	ESCROW_ERR_TOO_LARGE = -59,
	ESCROW_ERR_KEY_PARSE = -60,
	ESCROW_ERR_NAME = -61,
	ESCROW_ERR_DIGEST_MISMATCH = -62,

	/* paper: rendering, printing, scanning, typed text */
	ESCROW_ERR_NO_SYMBOL = -80,
	ESCROW_ERR_CHUNK_FOREIGN = -81,
	ESCROW_ERR_CHUNK_MISSING = -82,
	ESCROW_ERR_LINE_CHECKSUM = -83,
	ESCROW_ERR_IMAGE = -84,
	ESCROW_ERR_RENDER = -85,
	ESCROW_ERR_PRINT = -86,
	ESCROW_ERR_CHUNK_CONFLICT = -87,

	/* PKCS#11 */
	ESCROW_ERR_P11 = -100,
	ESCROW_ERR_P11_MODULE = -101,
	ESCROW_ERR_P11_TOKEN = -102,
	ESCROW_ERR_P11_PIN = -103,
	ESCROW_ERR_P11_MECHANISM = -104,
	ESCROW_ERR_P11_OBJECT_EXISTS = -105,
	ESCROW_ERR_P11_VERIFY = -106,
	ESCROW_ERR_P11_URI = -107,
	ESCROW_ERR_P11_ATTRIBUTE = -108,

	/* threshold signing and key signing requests */
	ESCROW_ERR_PROOF = -120,
	ESCROW_ERR_POLICY = -121,
	ESCROW_ERR_SCHEMA = -122,
};

/* A sentence for an error code; never NULL. */
const char *escrow_strerror(int err);

/*
 * Library start-up: sodium_init() and OpenSSL's own start.  Safe to call
 * more than once.
 */
int escrow_init(void) ESCROW_WUR;

/*
 * For the tools, at the very start of main(): escrow_init(), umask 077,
 * core dumps off (RLIMIT_CORE 0 and PR_SET_DUMPABLE 0).
 */
int escrow_harden_process(void) ESCROW_WUR;

/*
 * Secret memory: sodium_malloc() (guard pages, canary, mlock) zeroed on
 * allocation; escrow_secret_free() wipes and frees, and takes NULL.
 */
void *escrow_secret_alloc(size_t len) ESCROW_WUR;
void escrow_secret_free(void *p);

/*
 * How many escrow_secret_alloc() calls so far got memory that could not be
 * locked (mlock failed, usually over RLIMIT_MEMLOCK, `ulimit -l'): such
 * memory may be written to swap.  libsodium does not report this; the
 * tools ask here and warn.
 */
size_t escrow_secret_unlocked_count(void);

/* Wipe memory the compiler may not elide (sodium_memzero). */
void escrow_wipe(void *p, size_t len);

/* Constant-time equality of two buffers of the same length: 1 if equal. */
int escrow_equal(const void *a, const void *b, size_t len) ESCROW_WUR;

/* Random bytes from the OS CSPRNG (libsodium randombytes_buf). */
void escrow_random(void *buf, size_t len);

#endif
