/*
 * records.h - the public records of an envelope's keys, as both tools
 * show and write them: DNSKEY and DS lines, key tags, BIND key files,
 * PEM public keys, the RFC 9718 trust-anchor document, and the
 * fingerprint.  Everything here is public.
 */
#ifndef ESCROW_TOOL_RECORDS_H
#define ESCROW_TOOL_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "escrow_dnssec.h"
#include "escrow_envelope.h"

struct tool_keyrec {
	struct escrow_dnskey dnskey;
	uint16_t tag;
	char owner[ESCROW_DNSSEC_NAME_TEXT_MAX]; /* presentation form */
	char label[ESCROW_ENVELOPE_MAX_FIELD + 1];
	uint8_t id[ESCROW_ENVELOPE_MAX_FIELD];
	size_t id_len;
	/* K<owner>+aaa+ttttt.key, or K<owner>+aaa+ttttt-<i>.key when keys of
	 * the set share owner, algorithm and tag (i: the key's number) */
	char keyfile[ESCROW_DNSSEC_NAME_TEXT_MAX + 32];
	unsigned tag_shared;  /* 0, or how many keys of the set share its name */
	struct escrow_ds ds256, ds384;
	char dnskey_text[ESCROW_DNSSEC_TEXT_MAX];
	char ds256_text[ESCROW_DNSSEC_TEXT_MAX];
	char ds384_text[ESCROW_DNSSEC_TEXT_MAX];
};

struct tool_records {
	struct tool_keyrec *keys;
	size_t nkeys;
	size_t tag_collisions; /* keys whose BIND name another key shares */
	uint8_t fingerprint[ESCROW_ENVELOPE_HASH_LEN];
	char fp_hex[ESCROW_FINGERPRINT_HEX_MAX];
	char fp_words[ESCROW_FINGERPRINT_WORDS_MAX];
	char set_id[16];    /* the SLIP-0039 identifier, decimal */
	char envelope_id[ESCROW_ENVELOPE_ID_LEN * 2 + 1];
	char base[ESCROW_DNSSEC_NAME_TEXT_MAX + 32]; /* file base name */
};

/*
 * Build the records of every key of a parsed envelope (bytes is its
 * serialized form, for the fingerprint).  Prints the reason on failure.
 */
int tool_records_build(const struct escrow_envelope *env,
    struct tool_records *r);
void tool_records_free(struct tool_records *r);

/*
 * Make n strings unique, the way key files are: every string that others
 * share gets "-<i>" appended, i its place (1-based).  String i is at
 * first + i * stride, in a buffer of cap bytes.  0, or -1 (said why).
 */
int tool_unique_names(char *first, size_t stride, size_t n, size_t cap);

/* "tag 20326 (RSASHA256, K.+008+20326)" style one-line summary of key i. */
void tool_records_key_summary(const struct tool_records *r, size_t i,
    char *out, size_t cap);

/*
 * Write the public files into dir: <base>.ds, K*.key and K*.pem per key,
 * <base>-trust-anchor.xml.  Appends every path written to *written (so a
 * failure can remove them) and each file name to the transcript.
 * 0 or -1 (reason printed).
 */
struct escrow_text;
struct tool_written;
int tool_records_write(const struct tool_records *r, const char *dir,
    uint64_t created, struct tool_written *written, struct escrow_text *transcript);

/* The files a run has written, to remove them all after a failure. */
struct tool_written {
	char **paths;
	size_t n, cap;
};
int tool_written_add(struct tool_written *w, const char *dir, const char *name);
void tool_written_rollback(struct tool_written *w);
void tool_written_free(struct tool_written *w);

/* Write a new file and remember it; see tool_write_new(). */
int tool_write_tracked(struct tool_written *w, const char *dir,
    const char *name, const void *data, size_t len, int mode);

/* The time as "2026-11-28T07:14:45+00:00". */
void tool_time_iso(uint64_t t, char out[32]);

#endif
