/*
 * escrow_ksr.h - IANA Key Signing Requests (KSR) and Signed Key Responses
 * (SKR) of the root zone's KSK management (iana-org/dnssec-keytools):
 * parsing with libxml2 and validation against the RELAX NG schema
 * (ksr/ksr.rng), the request policy checks, the ZSK operator's own
 * signatures, each bundle's DNSKEY RRset and RRSIG signed data as IANA's
 * signer builds them, and writing the SKR.  Also DNSKEY-RRset requests
 * in zone-file form.
 *
 * libescrow-ksr.a, apart from libescrow because it links libxml2.
 * Public data only: nothing here is secret.  The parsers take hostile
 * input; every fallible call returns 0 or a negative enum escrow_err and
 * puts a sentence naming the bad element or line into err (may be NULL).
 */
#ifndef ESCROW_KSR_H
#define ESCROW_KSR_H

#include <stddef.h>
#include <stdint.h>

#include "escrow.h"
#include "escrow_dnssec.h"

#define ESCROW_KSR_ID_MAX 256
#define ESCROW_KSR_KEYS_MAX 8      /* keys per bundle */
#define ESCROW_KSR_SIGS_MAX 8      /* signatures per bundle */
#define ESCROW_KSR_BUNDLES_MAX 32  /* a quarter has 9 */
#define ESCROW_KSR_ALGS_MAX 4
#define ESCROW_KSR_ERR_MAX 512
#define ESCROW_KSR_MAX_INPUT (4u << 20)

struct escrow_ksr_key {
	char id[ESCROW_KSR_ID_MAX];  /* keyIdentifier */
	uint16_t key_tag;            /* as written */
	struct escrow_dnskey dnskey; /* owner = the KSR's domain */
};

struct escrow_ksr_sig {
	char key_id[ESCROW_KSR_ID_MAX];
	uint32_t ttl;
	struct escrow_rrsig rrsig;   /* fields (signer in wire form) */
	uint8_t data[ESCROW_KEYS_SIG_MAX];
	size_t len;
};

struct escrow_ksr_alg {
	uint8_t algorithm;
	int rsa;                     /* 1: RSA size/exponent, 0: ECDSA size */
	unsigned long size, exponent;
};

/* Durations in seconds. */
struct escrow_ksr_policy {
	int64_t publish_safety, retire_safety;
	int64_t max_sig_validity, min_sig_validity;
	int64_t max_overlap, min_overlap;
	struct escrow_ksr_alg algs[ESCROW_KSR_ALGS_MAX];
	size_t nalgs;
};

struct escrow_ksr_bundle {
	char id[ESCROW_KSR_ID_MAX];
	int64_t inception, expiration; /* seconds since the epoch, UTC */
	struct escrow_ksr_key keys[ESCROW_KSR_KEYS_MAX];
	size_t nkeys;
	struct escrow_ksr_sig sigs[ESCROW_KSR_SIGS_MAX];
	size_t nsigs;
};

struct escrow_ksr {
	char id[ESCROW_KSR_ID_MAX];
	char domain[ESCROW_KSR_ID_MAX];  /* as written, "." for the root */
	unsigned long serial;
	int response;                    /* 0: Request (KSR), 1: Response (SKR) */
	struct escrow_ksr_policy zsk, ksk; /* ksk: responses only */
	struct escrow_ksr_bundle bundles[ESCROW_KSR_BUNDLES_MAX];
	size_t nbundles;
};

/*
 * Parse and validate a KSR or SKR document: well-formed XML without a
 * DTD (no entities, no network), valid against the schema, then every
 * value read strictly (dates as xsd:dateTime in UTC, durations as
 * PnDTnHnMnS, base64, numbers in range).  *out is malloc'd (free()).
 * ESCROW_ERR_FORMAT (not XML, or a value we cannot read),
 * ESCROW_ERR_SCHEMA, ESCROW_ERR_TOO_LARGE.
 */
int escrow_ksr_parse(const char *xml, size_t len, struct escrow_ksr **out,
    char *err, size_t errcap) ESCROW_WUR;

/*
 * The checks IANA's signer makes on a request before signing: unique
 * bundle ids; each key's tag, flags (256), protocol and algorithm
 * against the ZSK policy (RSA size and exponent); every bundle's
 * validity between the policy's minimum and maximum; consecutive bundles
 * overlapping by the policy's minimum..maximum; approved algorithms (8,
 * 10, and RSA-2048..4096, exponent 65537); and each Signature in a
 * bundle a valid RRSIG over that bundle's DNSKEY RRset by the key it
 * names (proof of possession; its validity dates are not checked: the
 * ZSK operator signs weeks before the request is answered).
 * ESCROW_ERR_POLICY or ESCROW_ERR_KEY_MISMATCH with err saying which.
 */
int escrow_ksr_check_request(const struct escrow_ksr *ksr, char *err,
    size_t errcap) ESCROW_WUR;

/*
 * The RRset the KSK signs for bundle b: the request's keys plus ksk
 * (TTL forced to ksk->ttl, as IANA's signer does, duplicates dropped),
 * sorted by key tag as the SKR lists them.  keys needs room for
 * ESCROW_KSR_KEYS_MAX + 1.
 */
int escrow_ksr_bundle_rrset(const struct escrow_ksr_bundle *b,
    const struct escrow_dnskey *ksk, struct escrow_dnskey *keys,
    size_t *nkeys) ESCROW_WUR;

/*
 * RRSIG fields and signed data (RFC 4034 3.1.8.1) for bundle b signed by
 * ksk: inception and expiration of the bundle, original TTL ksk->ttl,
 * labels and signer from ksk's owner.  *data malloc'd.
 */
int escrow_ksr_bundle_signed_data(const struct escrow_ksr_bundle *b,
    const struct escrow_dnskey *ksk, struct escrow_rrsig *sig,
    uint8_t **data, size_t *len) ESCROW_WUR;

/*
 * The SKR answering request ksr: ResponsePolicy (ksk_policy, then the
 * request's ZSK policy echoed), then per request bundle its
 * ResponseBundle (same id, inception, expiration; the RRset of
 * escrow_ksr_bundle_rrset with ksk named ksk_id; one Signature with
 * sigs[i] of siglen bytes).  The result is validated against the schema
 * before it is returned.  *xml malloc'd, NUL-terminated.
 */
int escrow_skr_write(const struct escrow_ksr *ksr,
    const struct escrow_ksr_policy *ksk_policy,
    const struct escrow_dnskey *ksk, const char *ksk_id,
    const uint8_t *const *sigs, size_t siglen, char **xml, size_t *xml_len,
    char *err, size_t errcap) ESCROW_WUR;

/* The KSK policy the root's SKRs state (as in skr-root-2017-q2-0.xml). */
void escrow_ksr_default_ksk_policy(struct escrow_ksr_policy *p, int alg,
    unsigned bits);

/* ---- times --------------------------------------------------------------- */

/* xsd:dateTime, "Z", "+00:00" or no zone (taken as UTC). */
int escrow_ksr_parse_datetime(const char *s, int64_t *t) ESCROW_WUR;
/* "2017-04-01T00:00:00+00:00" (26 bytes with the NUL). */
void escrow_ksr_format_datetime(int64_t t, char out[static 32]);
/* xsd:duration without years and months: PnDTnHnMnS, PnW. */
int escrow_ksr_parse_duration(const char *s, int64_t *secs) ESCROW_WUR;
/* As IANA's tools write them: "P21D", "PT0S", "P5DT4M". */
void escrow_ksr_format_duration(int64_t secs, char out[static 48]);

/* ---- zone-file requests -------------------------------------------------- */

/*
 * A DNSKEY RRset in zone-file form, as a KSK operator without KSRs sends
 * it: "<owner> <ttl> [IN] DNSKEY <flags> 3 <alg> <base64...>" lines
 * (base64 may be split by spaces; ';' comments and blank lines skipped)
 * and the signature validity as comment directives
 * "; inception YYYYMMDDHHmmSS" and "; expiration YYYYMMDDHHmmSS", which
 * are required.  It becomes a one-bundle struct escrow_ksr with
 * domain = the owner.  All records must share the owner.
 */
int escrow_ksr_zone_parse(const char *text, size_t len,
    struct escrow_ksr **out, char *err, size_t errcap) ESCROW_WUR;

#endif
