/*
 * diskspace.h - a full disk is found before any human step: what a run
 * will write is estimated per directory (generously: every file rounded
 * up by a block, the PDF sheets by a measured per-page size with room to
 * spare), and compared with what statvfs says is free there, once per
 * file system.  Used by escrow-keygen (and --threshold), reshare,
 * export, load --rrsig-out and partial.
 *
 * Public data only: sizes and paths.
 */
#ifndef ESCROW_TOOL_DISKSPACE_H
#define ESCROW_TOOL_DISKSPACE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "escrow_envelope.h"
#include "escrow_print.h"
#include "escrow_shareset.h"
#include "records.h"

#define TOOL_SPACE_DIRS 4

struct tool_space {
	size_t n;
	struct {
		char dir[PATH_MAX];
		uint64_t bytes, files;
		char what[200];
	} d[TOOL_SPACE_DIRS];
};

void tool_space_init(struct tool_space *s);

/* `files' files of `bytes' bytes in all into dir, described by what
 * ("the envelope", "5 PDF sheets"). */
void tool_space_add(struct tool_space *s, const char *dir, uint64_t bytes,
    uint64_t files, const char *what);

/* One file of `bytes' bytes at path (its directory counts). */
void tool_space_add_file(struct tool_space *s, const char *path, uint64_t bytes,
    const char *what);

/*
 * statvfs each file system once (a directory not made yet: its nearest
 * existing parent) and refuse, naming the directory, what is free, what
 * the run needs and for what, when the bytes or the inodes do not fit.
 * 0, or -1 with the message printed.
 */
int tool_space_check(const struct tool_space *s);

/* The public sizes of the keys a ceremony seals. */
struct tool_space_keys {
	size_t nkeys;
	uint64_t records;   /* the envelope's key records, in bytes */
	size_t pub;         /* the largest DNSKEY public-key field */
	size_t owner;       /* the longest owner name, as text */
};

/* The sizes of a parsed envelope's keys (rec: its records). */
void tool_space_keys_of(const struct escrow_envelope *env,
    const struct tool_records *rec, struct tool_space_keys *k);

/* Upper bounds of a new key's PKCS#8 DER and DNSKEY public key (bits 0:
 * the default; alg 0: unknown, the largest escrow makes). */
void tool_space_key_bounds(int alg, unsigned bits, size_t *pkcs8, size_t *pub);

/* One key record of docs/FORMAT.md: 10 + label + id + owner + pubkey +
 * wrapped (the RFC 5649 wrap of pkcs8 bytes). */
uint64_t tool_space_key_record(size_t label, size_t id, size_t owner, size_t pub,
    size_t pkcs8);

/* A version 2 envelope's size (docs/FORMAT.md "Limits and sizes"). */
uint64_t tool_space_envelope(const struct escrow_shareset *set, size_t nreplaced,
    uint64_t records);

/* A byte string laid out as envelope sheets (the envelope, a partial
 * signature): their PDF's size, 0 when too large for paper. */
uint64_t tool_space_envelope_pdf(size_t len, enum escrow_paper_size paper);

/* The public-record sheet of nkeys keys, as PDF. */
uint64_t tool_space_public_pdf(size_t nkeys);

/* The public records of k's keys into dir (per key a .key and a .pem,
 * the .ds and the trust anchor). */
void tool_space_records(struct tool_space *s, const char *dir,
    const struct tool_space_keys *k);

struct tool_ceremony;

/* What a generation ceremony (keygen, reshare) will write, checked. */
int tool_ceremony_space(const struct tool_ceremony *c, const struct tool_space_keys *k);

#endif
