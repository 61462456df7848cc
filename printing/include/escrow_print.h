/*
 * escrow_print.h - the paper sheets (share, envelope, public record)
 * rendered with cairo to PDF in memory or to PNG files, and printing a PDF
 * from memory through libcups.
 *
 * Secret values: the mnemonic of a share sheet, and therefore every byte
 * of a rendered share sheet (struct escrow_doc lives in
 * escrow_secret_alloc() memory).  Everything else given here is public.
 * cairo, pixman, FreeType and libqrencode keep short-lived copies of what
 * they draw in their own heap memory; we cannot wipe those (see
 * docs/FORMAT.md, "Secrets and what is beyond our control").
 */
#ifndef ESCROW_PRINT_H
#define ESCROW_PRINT_H

#include <stddef.h>
#include <stdint.h>

#include "escrow.h"

enum escrow_paper_size {
	ESCROW_PAPER_A4 = 0,     /* 210 x 297 mm */
	ESCROW_PAPER_LETTER = 1, /* 8.5 x 11 in */
};

/* The envelope sheets of larger envelopes are refused (the shares still
 * print): more paper than this is not a backup anyone will type back. */
#define ESCROW_SHEET_ENVELOPE_MAX_PAGES 20

/* A rendered PDF in memory: SECRET memory (escrow_secret_alloc). */
struct escrow_doc {
	uint8_t *data;
	size_t len;
	size_t cap;
	unsigned pages;
};

/* Wipes and frees; takes a zeroed or already freed doc. */
void escrow_doc_free(struct escrow_doc *doc);

/*
 * Write a rendered document to a new file (mode 0600, O_EXCL|O_NOFOLLOW):
 * only for an explicit --pdf.  ESCROW_ERR_EXISTS if the file exists.
 */
int escrow_doc_write(const struct escrow_doc *doc, const char *path)
    ESCROW_WUR;

/*
 * Where a sheet goes.  With png_prefix NULL the sheet is a PDF in
 * memory (doc); otherwise each page is written to "<png_prefix>-<n>.png"
 * (n from 1) at png_dpi (0 = 150) and doc only counts pages.
 */
struct escrow_sheet_out {
	enum escrow_paper_size paper;
	const char *png_prefix;
	unsigned png_dpi;
};

struct escrow_share_sheet {
	const char *mnemonic;          /* SECRET: words separated by spaces */
	const char *set_id;            /* e.g. "7945" (SLIP-0039 identifier) */
	unsigned group, groups, group_threshold;    /* 1-based group number */
	unsigned member, members, member_threshold; /* 1-based member number */
	const char *fingerprint_hex;   /* SHA-256 of the envelope, hex */
	const char *fingerprint_words; /* the same, as words */
	const char *const *protects;   /* lines: key tags and DS digests */
	size_t nprotects;
	const char *title;             /* NULL = "Key escrow share" */
	const char *about;             /* escrow_sheet_about(); NULL = none */
};

/*
 * The line every sheet prints about what it belongs to, read from the
 * envelope: "owner example.com., key tags 12345, 23456, made 2026-12-01
 * UTC" (at most 4 tags, then "and N more").  Always fills out (with "?"
 * for what cannot be read: ESCROW_ERR_FORMAT).
 */
#define ESCROW_SHEET_ABOUT_MAX 160
int escrow_sheet_about(const uint8_t *env, size_t env_len, char *out,
    size_t cap);

/* One share sheet (one page).  ESCROW_ERR_RENDER when something does
 * not fit (never drawn off the page), ESCROW_ERR_INVALID_ARG. */
int escrow_sheet_share(const struct escrow_share_sheet *s,
    const struct escrow_sheet_out *out, struct escrow_doc *doc) ESCROW_WUR;

struct escrow_envelope_sheet {
	const uint8_t *env;            /* the envelope (public) */
	size_t env_len;
	const char *fingerprint_hex;   /* printed on every page */
	const char *title;             /* NULL = "Key escrow envelope" */
	/*
	 * For other records laid out the same way (a threshold share, public
	 * parameters, a partial signature): the line under the title, the
	 * footer, the heading of the typed copy; NULL = the envelope's words.
	 */
	const char *intro;
	const char *footer;
	const char *text_heading;
};

/*
 * How many pages the envelope sheets of an env_len-byte envelope take
 * (with the default title).  ESCROW_ERR_TOO_LARGE (with *pages still set
 * when countable) above ESCROW_SHEET_ENVELOPE_MAX_PAGES.
 */
int escrow_sheet_envelope_pages(size_t env_len, enum escrow_paper_size paper,
    unsigned *pages) ESCROW_WUR;

/* The envelope as QR chunks (12 a page) then as typeable text; "page i of
 * n" and the fingerprint on every page.  ESCROW_ERR_TOO_LARGE above the
 * page limit. */
int escrow_sheet_envelope(const struct escrow_envelope_sheet *s,
    const struct escrow_sheet_out *out, struct escrow_doc *doc) ESCROW_WUR;

struct escrow_public_sheet {
	const char *const *dnskey;     /* DNSKEY RR lines (long lines wrap) */
	size_t ndnskey;
	const char *const *ds;         /* DS RR lines */
	size_t nds;
	const char *const *keytags;    /* e.g. "example. alg 8 tag 12345" */
	size_t nkeytags;
	const char *fingerprint_hex;
	const char *fingerprint_words;
	const char *title;             /* NULL = "Key escrow public record" */
	const char *about;             /* escrow_sheet_about(); NULL = none */
};

/* The public-record sheet; continues on more pages when needed. */
int escrow_sheet_public(const struct escrow_public_sheet *s,
    const struct escrow_sheet_out *out, struct escrow_doc *doc) ESCROW_WUR;

/*
 * One QR code alone as a PNG file (previews, tests): payload in QR
 * alphanumeric mode when it only holds those characters, else byte mode;
 * ECC level 'Q' or 'H'; module_px pixels a module, 4-module quiet zone.
 */
int escrow_sheet_qr_png(const uint8_t *payload, size_t len, char ecc,
    unsigned module_px, const char *path) ESCROW_WUR;

/*
 * Before anything is typed or printed: does the CUPS queue (NULL = the
 * default destination) exist, accept jobs and is it not stopped?
 * ESCROW_OK, or ESCROW_ERR_PRINT with the reason (the printer's own words
 * where it gives them) in detail (may be NULL).
 */
int escrow_print_queue_check(const char *queue, char *detail,
    size_t detail_cap) ESCROW_WUR;

/*
 * Print one PDF from memory as one job on a CUPS queue (NULL = the
 * default destination) of the server CUPS_SERVER names (or the system
 * default), with print-scaling=none and the given paper, and wait until
 * the job completes (at most timeout_s seconds, 0 = 120).  Afterwards the
 * job is cancelled and purged so nothing stays in the spool.  On failure
 * ESCROW_ERR_PRINT and a sentence with the printer's own reason in detail
 * (may be NULL).  The library never prints to a terminal.
 */
int escrow_print_pdf(const char *queue, const uint8_t *pdf, size_t len,
    enum escrow_paper_size paper, unsigned timeout_s, char *detail,
    size_t detail_cap) ESCROW_WUR;

#endif
