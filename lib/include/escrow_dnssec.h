/*
 * escrow_dnssec.h - DNSSEC records for a key: owner names, DNSKEY RDATA
 * and text, key tags (RFC 4034 App. B), DS (SHA-256, SHA-384), BIND-style
 * .key files, RFC 9718 trust-anchor XML (write and parse), DS text
 * parsing, digest-matches-key checks, and the RRSIG signed data of a
 * DNSKEY RRset (RFC 4034 3.1.8.1, 6.2, 6.3).
 *
 * Public data only: nothing here is secret.  Every fallible call returns
 * 0 or a negative enum escrow_err; text outputs are NUL-terminated and
 * give ESCROW_ERR_BUFFER_TOO_SMALL when cap is too small.  The parsers
 * take hostile input.
 */
#ifndef ESCROW_DNSSEC_H
#define ESCROW_DNSSEC_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "escrow.h"
#include "escrow_keys.h"

#define ESCROW_DNSSEC_NAME_MAX 255       /* wire form, RFC 1035 */
#define ESCROW_DNSSEC_NAME_TEXT_MAX 1024 /* presentation form + NUL */
#define ESCROW_DNSSEC_TTL_DEFAULT 172800u /* as the root zone's DNSKEY */
#define ESCROW_DNSSEC_FLAGS_KSK 257       /* ZONE | SEP */
#define ESCROW_DNSSEC_FLAGS_ZSK 256       /* ZONE */
#define ESCROW_DNSSEC_PROTOCOL 3
#define ESCROW_DNSSEC_DIGEST_SHA256 2
#define ESCROW_DNSSEC_DIGEST_SHA384 4
#define ESCROW_DNSSEC_DIGEST_MAX 48
#define ESCROW_DNSSEC_TYPE_DNSKEY 48
/* Enough for any one DNSKEY / DS / RRSIG line, key file or KeyDigest. */
#define ESCROW_DNSSEC_TEXT_MAX 4096
/* Most KeyDigest elements (and DS lines) one parse keeps. */
#define ESCROW_DNSSEC_TA_MAX 16

/* ---- owner names --------------------------------------------------------- */

/*
 * Presentation format to wire format.  "example.com" is taken as
 * absolute; "." and "" are the root.  Escapes: \DDD (decimal) and \X for a
 * non-digit X.  Refused (ESCROW_ERR_NAME): empty labels ("a..b"), labels
 * over 63 bytes, names over 255 bytes, '@', control characters and
 * spaces.  Case is kept; see escrow_dnssec_name_canonical().
 */
int escrow_dnssec_name_from_text(const char *text,
    uint8_t wire[static ESCROW_DNSSEC_NAME_MAX], size_t *len) ESCROW_WUR;

/*
 * Wire format to presentation format with the trailing dot ("." for the
 * root); bytes other than letters, digits, '-' and '_' are escaped as \.
 * and \DDD.  The wire name is validated (ESCROW_ERR_NAME).
 */
int escrow_dnssec_name_to_text(const uint8_t *wire, size_t len, char *out,
    size_t cap) ESCROW_WUR;

/* Lower-case a valid wire name in place (RFC 4034 6.2). */
int escrow_dnssec_name_canonical(uint8_t *wire, size_t len) ESCROW_WUR;

/* Number of labels, not counting the root, nor a leading "*" (RFC 4034 3.1.3). */
int escrow_dnssec_name_labels(const uint8_t *wire, size_t len,
    unsigned *labels) ESCROW_WUR;

/* ---- DNSKEY ------------------------------------------------------------- */

struct escrow_dnskey {
	uint8_t owner[ESCROW_DNSSEC_NAME_MAX]; /* wire form, as given */
	size_t owner_len;
	uint32_t ttl;       /* ESCROW_DNSSEC_TTL_DEFAULT unless changed */
	uint16_t flags;     /* ESCROW_DNSSEC_FLAGS_KSK unless changed */
	uint8_t protocol;   /* always 3 */
	uint8_t algorithm;
	uint8_t pubkey[ESCROW_KEYS_PUBKEY_MAX];
	size_t pubkey_len;
};

/*
 * Fill a DNSKEY from an owner name (text), flags (0 means 257), an
 * algorithm and a DNSKEY public-key field.  TTL = 172800.
 */
int escrow_dnssec_dnskey_init(struct escrow_dnskey *k, const char *owner,
    uint16_t flags, int alg, const uint8_t *pub, size_t publen) ESCROW_WUR;

/* The same, with the public-key field taken from an EVP_PKEY. */
int escrow_dnssec_dnskey_from_key(struct escrow_dnskey *k, const char *owner,
    uint16_t flags, int alg, const EVP_PKEY *key) ESCROW_WUR;

/* DNSKEY RDATA: flags(2) protocol(1) algorithm(1) public key. */
int escrow_dnssec_dnskey_rdata(const struct escrow_dnskey *k, uint8_t *out,
    size_t cap, size_t *len) ESCROW_WUR;

/*
 * Key tag, RFC 4034 Appendix B (general algorithm; alg 1 is not supported).
 * 0 for an invalid DNSKEY (0 is also a possible tag: validate first).
 */
uint16_t escrow_dnssec_keytag(const struct escrow_dnskey *k);
uint16_t escrow_dnssec_keytag_rdata(const uint8_t *rdata, size_t len);

/* "<owner> <ttl> IN DNSKEY <flags> 3 <alg> <base64>" (one line, no newline). */
int escrow_dnssec_dnskey_text(const struct escrow_dnskey *k, char *out,
    size_t cap) ESCROW_WUR;

/* ---- DS ------------------------------------------------------------------ */

struct escrow_ds {
	uint8_t owner[ESCROW_DNSSEC_NAME_MAX]; /* wire form */
	size_t owner_len;
	uint32_t ttl;
	uint16_t key_tag;
	uint8_t algorithm;
	uint8_t digest_type;
	uint8_t digest[ESCROW_DNSSEC_DIGEST_MAX];
	size_t digest_len;
};

/*
 * DS of a DNSKEY with digest type 2 (SHA-256) or 4 (SHA-384), over the
 * canonical (lower-case) owner wire name || DNSKEY RDATA.  Other digest
 * types: ESCROW_ERR_UNSUPPORTED.  ttl is copied from the DNSKEY.
 */
int escrow_dnssec_ds_make(const struct escrow_dnskey *k, int digest_type,
    struct escrow_ds *ds) ESCROW_WUR;

/* "<owner> <ttl> IN DS <tag> <alg> <dt> <HEX>" (upper-case hex, no newline). */
int escrow_dnssec_ds_text(const struct escrow_ds *ds, char *out, size_t cap)
    ESCROW_WUR;

/*
 * Parse DS records from text, one per line, as BIND, ldns and
 * ldns-key2ds print them: "<owner> [<ttl>] [IN] DS <tag> <alg> <dt>
 * <hex...>" with any whitespace (the hex may be split by spaces, as
 * BIND does), TTL and class in either order; blank lines and ';'
 * comments are skipped; parentheses are not supported.  Digest types 1
 * (SHA-1), 2 and 4 are accepted with their lengths (20, 32, 48 bytes),
 * other types with 1..48 bytes.  A missing TTL is stored as 0.
 * At most max records; more gives ESCROW_ERR_TOO_LARGE.  No record at
 * all: ESCROW_ERR_FORMAT.
 */
int escrow_dnssec_ds_parse(const char *text, size_t len, struct escrow_ds *out,
    size_t max, size_t *count) ESCROW_WUR;

/*
 * Does the DS belong to this DNSKEY?  Owner (case-insensitive), key tag,
 * algorithm and digest must all agree: 0, or ESCROW_ERR_DIGEST_MISMATCH.
 * Digest type 1 is refused (ESCROW_ERR_UNSUPPORTED).
 */
int escrow_dnssec_ds_check(const struct escrow_ds *ds,
    const struct escrow_dnskey *k) ESCROW_WUR;

/* ---- BIND-style public key file ----------------------------------------- */

/*
 * "K<owner>+<alg %03u>+<tag %05u>.key" with the owner lower-cased and
 * absolute, as dnssec-keygen and ldns-keygen name their files:
 * "Kexample.com.+013+12345.key", and "K.+008+20326.key" for the root.
 * Bytes other than letters, digits, '-' and '_' in a label become %XX.
 */
int escrow_dnssec_keyfile_name(const struct escrow_dnskey *k, char *out,
    size_t cap) ESCROW_WUR;

/*
 * The file's contents: a comment line
 * "; This is a key-signing key, keyid 20326, for ." (or zone-signing) then
 * the DNSKEY RR line, each ending in a newline.
 */
int escrow_dnssec_keyfile_text(const struct escrow_dnskey *k, char *out,
    size_t cap) ESCROW_WUR;

/* ---- RFC 9718 trust anchors --------------------------------------------- */

struct escrow_ta_digest {
	char id[64];          /* KeyDigest id attribute */
	char valid_from[64];  /* xsd:dateTime as written */
	char valid_until[64]; /* "" if absent */
	uint16_t key_tag;
	uint8_t algorithm;
	uint8_t digest_type;
	uint8_t digest[ESCROW_DNSSEC_DIGEST_MAX];
	size_t digest_len;
	int has_pubkey;       /* PublicKey and Flags present (RFC 9718 publickeyinfo) */
	uint8_t pubkey[ESCROW_KEYS_PUBKEY_MAX];
	size_t pubkey_len;
	uint16_t flags;
};

struct escrow_ta {
	char id[64];       /* TrustAnchor id attribute */
	char source[256];  /* TrustAnchor source attribute */
	uint8_t zone[ESCROW_DNSSEC_NAME_MAX]; /* Zone, wire form */
	size_t zone_len;
	size_t count;
	struct escrow_ta_digest digests[ESCROW_DNSSEC_TA_MAX];
};

/*
 * One KeyDigest element for a DNSKEY:
 *   <KeyDigest id="ID" validFrom="VALID_FROM">
 *     <KeyTag/> <Algorithm/> <DigestType/> <Digest/> [<PublicKey/> <Flags/>]
 *   </KeyDigest>
 * indented by two spaces, ending in a newline.  id and valid_from are
 * written as given (XML-escaped); valid_from should be an xsd:dateTime
 * such as "2026-11-28T00:00:00+00:00".  with_pubkey adds PublicKey and
 * Flags.  Digest is upper-case hex.
 */
int escrow_dnssec_ta_keydigest(const struct escrow_dnskey *k, int digest_type,
    const char *id, const char *valid_from, int with_pubkey, char *out,
    size_t cap) ESCROW_WUR;

/*
 * A whole trust-anchor document for a key set: the XML declaration,
 * <TrustAnchor id="TA_ID" source="SOURCE">, <Zone> (the keys' common owner;
 * keys with differing owners give ESCROW_ERR_INVALID_ARG), then one
 * KeyDigest per key with id "<id_prefix><key tag>" (id_prefix NULL: "K").
 * *len (may be NULL) gets the length; too small: ESCROW_ERR_BUFFER_TOO_SMALL
 * with *len the size needed without the NUL.
 */
int escrow_dnssec_ta_document(const struct escrow_dnskey *keys, size_t n,
    int digest_type, const char *ta_id, const char *source,
    const char *id_prefix, const char *valid_from, int with_pubkey,
    char *out, size_t cap, size_t *len) ESCROW_WUR;

/*
 * Parse an RFC 9718 trust-anchor document (a small strict parser: XML
 * declaration, comments and whitespace allowed; no DOCTYPE, no CDATA, no
 * namespaces; the five predefined entities and character references in
 * attributes).  Elements in the schema's order; whitespace inside Digest
 * and PublicKey is ignored.  Unknown elements, missing mandatory ones,
 * bad numbers or hex: ESCROW_ERR_FORMAT.  More than ESCROW_DNSSEC_TA_MAX
 * KeyDigests: ESCROW_ERR_TOO_LARGE.  Inputs over 1 MiB: ESCROW_ERR_TOO_LARGE.
 */
int escrow_dnssec_ta_parse(const char *xml, size_t len, struct escrow_ta *ta)
    ESCROW_WUR;

/*
 * Does a KeyDigest belong to this DNSKEY?  Key tag, algorithm and digest
 * (over the given zone's name and the DNSKEY) must agree, and if the
 * KeyDigest carries PublicKey/Flags, they must equal the DNSKEY's, and its
 * own digest must match its own PublicKey (RFC 9718 section 4.1.2: a
 * KeyDigest whose Digest is not a DS of its publickeyinfo MUST NOT be
 * used as a trust anchor).
 * k NULL: check the KeyDigest against its own PublicKey and Flags (it
 * must have them, else ESCROW_ERR_INVALID_ARG).
 * 0, or ESCROW_ERR_DIGEST_MISMATCH (ESCROW_ERR_UNSUPPORTED for a digest
 * type other than 2 and 4).
 */
int escrow_dnssec_ta_check(const struct escrow_ta *ta, size_t index,
    const struct escrow_dnskey *k) ESCROW_WUR;

/*
 * Is KeyDigest index within its validFrom .. validUntil at time now
 * (seconds since the epoch)?  RFC 9718 section 4.1.1: relying parties
 * SHOULD NOT use a KeyDigest outside that range (and section 2.2: the two
 * attributes give the times it can be used as a trust anchor).  *state:
 * -1 not yet valid, 0 valid, 1 expired (validUntil has passed).  A date
 * that is not an xsd:dateTime: ESCROW_ERR_FORMAT.
 */
int escrow_dnssec_ta_validity(const struct escrow_ta *ta, size_t index,
    int64_t now, int *state) ESCROW_WUR;

/* ---- RRSIG over a DNSKEY RRset ------------------------------------------ */

struct escrow_rrsig {
	uint16_t type_covered;   /* 48 (DNSKEY) */
	uint8_t algorithm;
	uint8_t labels;
	uint32_t original_ttl;
	uint32_t expiration;     /* seconds since the epoch (mod 2^32) */
	uint32_t inception;
	uint16_t key_tag;
	uint8_t signer[ESCROW_DNSSEC_NAME_MAX]; /* wire form, canonical */
	size_t signer_len;
};

/*
 * RRSIG fields for signing the DNSKEY RRset of k's owner with k:
 * type 48, k's algorithm and key tag, labels of the owner, original TTL =
 * k->ttl, signer = canonical owner.
 */
int escrow_dnssec_rrsig_init(struct escrow_rrsig *sig,
    const struct escrow_dnskey *k, uint32_t inception, uint32_t expiration)
    ESCROW_WUR;

/*
 * The data to sign (RFC 4034 3.1.8.1): RRSIG RDATA without the signature,
 * then each DNSKEY RR of the set in canonical form (owner lower-cased,
 * type, class IN, original TTL, RDLENGTH, RDATA), sorted by RDATA
 * (RFC 4034 6.3), duplicates removed.  All keys must share the owner
 * (ESCROW_ERR_INVALID_ARG).  Too small: ESCROW_ERR_BUFFER_TOO_SMALL and
 * *len the size needed.
 */
int escrow_dnssec_rrsig_signed_data(const struct escrow_rrsig *sig,
    const struct escrow_dnskey *keys, size_t n, uint8_t *out, size_t cap,
    size_t *len) ESCROW_WUR;

/*
 * "<owner> <ttl> IN RRSIG DNSKEY <alg> <labels> <origttl> <expiration>
 * <inception> <tag> <signer> <base64 signature>" with the times as
 * YYYYMMDDHHmmSS (UTC); owner is the signer name.
 */
int escrow_dnssec_rrsig_text(const struct escrow_rrsig *sig,
    const uint8_t *signature, size_t siglen, char *out, size_t cap)
    ESCROW_WUR;

#endif
