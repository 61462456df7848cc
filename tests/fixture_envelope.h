/*
 * fixture_envelope.h - the envelope suites' shared worked example and test
 * keys (tests/fixture_envelope.c).  Test keys and secrets only.
 */
#ifndef ESCROW_FIXTURE_ENVELOPE_H
#define ESCROW_FIXTURE_ENVELOPE_H

#include <stddef.h>
#include <stdint.h>

#include "escrow_envelope.h"

#define EX_TIME UINT64_C(1767225600) /* 2026-01-01T00:00:00Z */
#define EX_WORDS 33

extern const char ex_seed_hex[], ex_pub_hex[], ex_p8_prefix_hex[];
extern const uint8_t ex_owner[13]; /* 12 bytes of labels and the root label */
extern const char ex_envelope_hex[], ex_fingerprint_hex[], ex_fingerprint_words[];

/* S of the example: bytes 0, 1, ..., 31. */
void ex_secret(uint8_t S[32]);
/* Stand-in share words (the envelope treats shares as opaque words). */
void ex_share(unsigned group, unsigned member, uint16_t w[EX_WORDS]);
void ex_shareset(struct escrow_shareset *set);
void ex_key(struct escrow_envelope_key *k, uint8_t pub[32]);
/* The example's PKCS#8 (48 bytes) in secret memory. */
uint8_t *ex_pkcs8(void);
/* Seals the worked example; returns the malloc'd bytes. */
uint8_t *ex_seal(size_t *len);
/*
 * The version 2 addendum of the worked example (docs/FORMAT.md): the same
 * inputs, share set 0x0567 with a passphrase, replacing set 0x1234 of the
 * version 1 example (whose fingerprint it records).
 */
#define EX_V2_IDENTIFIER 0x0567
struct ex_v2 {
	uint16_t identifier;
	int passphrase;
	const struct escrow_envelope_replaced *replaced;
	size_t nreplaced;
	struct escrow_envelope_replaced one[1];
};
extern const char ex_v2_envelope_hex[], ex_v2_fingerprint_hex[];
void ex_v2_ceremony(struct ex_v2 *v2);
/* Seals the version 2 example (v2 NULL) or a variant of it. */
uint8_t *ex_seal_v2(size_t *len, const struct ex_v2 *v2);
/* parse, then verify; *parsed says whether parse accepted it. */
int parse_and_verify(const uint8_t *b, size_t len, const uint8_t S[32], int *parsed);
/* A copy of orig with wlen bytes at off replaced by with, its last cut
 * bytes left out: parse must refuse it with want (what names the case). */
void ex_expect_parse(const uint8_t *orig, size_t len, size_t cut, size_t off,
    const uint8_t *with, size_t wlen, int want, const char *what);
/* A fresh key of the given OpenSSL type as PKCS#8 DER in secret memory. */
uint8_t *make_pkcs8(const char *type, const char *param, size_t *len);

/* Byte offsets of the example's fields, from the documented layout. */
enum {
	EX_OFF_VERSION = 8, EX_OFF_ID = 9, EX_OFF_TIME = 25, EX_OFF_SET = 33,
	EX_OFF_GROUPS = 39, EX_OFF_NCOMMIT = 41, EX_OFF_COMMIT = 43,
	EX_OFF_NKEYS = 43 + 3 * 34, EX_OFF_KEY = EX_OFF_NKEYS + 2,
	EX_OFF_LABEL = EX_OFF_KEY + 1, EX_OFF_IDLEN = EX_OFF_LABEL + 15,
	EX_OFF_OWNER = EX_OFF_IDLEN + 1 + 2 + 1,
	EX_OFF_FLAGS = EX_OFF_OWNER + 13,
	EX_OFF_PUBLEN = EX_OFF_FLAGS + 3,
	EX_OFF_WLEN = EX_OFF_PUBLEN + 2 + 32,
	EX_OFF_MAC = EX_OFF_WLEN + 2 + 56,
	EX_LEN = EX_OFF_MAC + 32
};
/* Version 2: the ceremony block sits where v1's key_count is. */
enum {
	EX2_OFF_PASSPHRASE = EX_OFF_NKEYS, EX2_OFF_NREPLACED = EX_OFF_NKEYS + 1,
	EX2_OFF_REPLACED = EX_OFF_NKEYS + 2, EX2_OFF_NKEYS = EX2_OFF_REPLACED + 34,
	EX2_LEN = EX_LEN + 2 + 34
};

#endif
