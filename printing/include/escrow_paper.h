/*
 * escrow_paper.h - the envelope on paper and back: QR chunks, the
 * typeable text form, and scanning QR codes from image files.
 *
 * printing/ (libescrow-print.a) is the library of the printed medium in
 * both directions: this header (encoding for paper, and reading scans of
 * the sheets back) and escrow_print.h (drawing the sheets, CUPS).  It is
 * the only part of the suite that links cairo, poppler, zbar, libqrencode,
 * libjpeg and libcups; it sits on libescrow's public API.
 *
 * Formats are specified in docs/FORMAT.md ("Paper").
 *
 * Secret values: payloads returned by the scanner (a share QR holds a
 * SLIP-0039 mnemonic) live in escrow_secret_alloc() memory and are wiped
 * by escrow_scan_result_free().  The envelope, its chunks and its text
 * form are public (the private key inside is encrypted).
 */
#ifndef ESCROW_PAPER_H
#define ESCROW_PAPER_H

#include <stddef.h>
#include <stdint.h>

#include "escrow.h"

/* ---- QR chunks of an envelope ------------------------------------------ */

/* Every chunk payload starts with this tag (QR alphanumeric characters). */
#define ESCROW_CHUNK_TAG "ESCROW-E1:"
/* Envelope bytes carried per chunk (the last one may carry fewer). */
#define ESCROW_CHUNK_DATA_BYTES 112
/* At most this many chunks per envelope (chunk numbers are 1..255). */
#define ESCROW_CHUNK_MAX_COUNT 255
/* Largest envelope that fits in chunks. */
#define ESCROW_CHUNK_MAX_ENVELOPE (ESCROW_CHUNK_DATA_BYTES * ESCROW_CHUNK_MAX_COUNT)
/* QR symbol parameters every chunk is encoded with. */
#define ESCROW_CHUNK_QR_VERSION 10 /* 57 x 57 modules */
#define ESCROW_CHUNK_QR_ECC 'Q'

/* The chunks of one envelope: NUL-terminated upper-case strings. */
struct escrow_chunks {
	char **payload; /* payload[i] is chunk number i + 1 */
	size_t count;
};

/* Number of chunks an envelope of env_len bytes takes (0 if too large). */
size_t escrow_chunk_count(size_t env_len);

/*
 * Split an envelope into chunk payloads.  out is filled on success and
 * must be released with escrow_chunks_free() (also safe after a failure).
 * Errors: ESCROW_ERR_INVALID_ARG (empty), ESCROW_ERR_TOO_LARGE, NOMEM.
 */
int escrow_chunk_split(const uint8_t *env, size_t env_len,
    struct escrow_chunks *out) ESCROW_WUR;
void escrow_chunks_free(struct escrow_chunks *c);

/*
 * Decode one chunk payload (tag, base32, CRC-32).  Outputs are optional
 * (NULL to skip): the 8-byte envelope id (first 8 bytes of the envelope's
 * SHA-256), the chunk number (1-based), the chunk count, the envelope
 * length.  Errors: ESCROW_ERR_FORMAT (not a chunk), ESCROW_ERR_CHECKSUM.
 */
int escrow_chunk_parse(const uint8_t *payload, size_t len, uint8_t id[8],
    unsigned *number, unsigned *count, size_t *env_len) ESCROW_WUR;

/*
 * Assembling scanned chunks, in any order, duplicates allowed.  When
 * expect_sha256 is given (the fingerprint printed on a share sheet), a
 * chunk of any other envelope is foreign; otherwise the first chunk
 * accepted decides which envelope is being assembled.
 */
struct escrow_chunk_asm;

struct escrow_chunk_asm *escrow_chunk_asm_new(const uint8_t expect_sha256[32])
    ESCROW_WUR;
/*
 * Add one payload.  ESCROW_OK (also for an identical duplicate),
 * ESCROW_ERR_FORMAT / ESCROW_ERR_CHECKSUM (not a valid chunk),
 * ESCROW_ERR_CHUNK_FOREIGN (another envelope's chunk; ignored),
 * ESCROW_ERR_CHUNK_CONFLICT (same number, different content).  The
 * assembler stays usable after any of these.
 */
int escrow_chunk_asm_add(struct escrow_chunk_asm *a, const uint8_t *payload,
    size_t len) ESCROW_WUR;
/*
 * Put the envelope together.  On ESCROW_ERR_CHUNK_MISSING, missing[] gets
 * the missing chunk numbers (up to missing_cap of them) and *nmissing how
 * many there are in all.  ESCROW_ERR_NO_SYMBOL if nothing was added;
 * ESCROW_ERR_DIGEST_MISMATCH if the whole does not hash to its id.  On
 * success *env is malloc'd (free() it) and *env_len set.
 */
int escrow_chunk_asm_finish(struct escrow_chunk_asm *a, uint8_t **env,
    size_t *env_len, unsigned *missing, size_t missing_cap,
    size_t *nmissing) ESCROW_WUR;
void escrow_chunk_asm_free(struct escrow_chunk_asm *a);

/* One-shot: every payload added, then finished (same errors as above). */
int escrow_chunk_assemble(const uint8_t *const *payloads, const size_t *lens,
    size_t n, uint8_t **env, size_t *env_len, unsigned *missing,
    size_t missing_cap, size_t *nmissing) ESCROW_WUR;

/* ---- base32 (RFC 4648 alphabet, upper case, no padding) ----------------- */

/* Characters needed for len bytes (without the NUL). */
size_t escrow_base32_len(size_t len);
/* Encode; out must hold escrow_base32_len(len) + 1 bytes. */
int escrow_base32_encode(const uint8_t *in, size_t len, char *out,
    size_t out_cap) ESCROW_WUR;
/*
 * Decode exactly n characters (upper or lower case, no padding, no
 * spaces); unused trailing bits must be zero.  *out_len gets the byte
 * count.  ESCROW_ERR_FORMAT on a bad character or length.
 */
int escrow_base32_decode(const char *in, size_t n, uint8_t *out,
    size_t out_cap, size_t *out_len) ESCROW_WUR;

/* ---- typeable text form -------------------------------------------------- */

/* Envelope bytes per text line (32 base32 characters in 8 groups of 4). */
#define ESCROW_TEXT_LINE_BYTES 20

/*
 * The text form of an envelope: a header line, numbered data lines each
 * ending in a 4-character line check, and a final SHA-256 line.  *text is
 * malloc'd, NUL-terminated, lines end in '\n'.
 */
int escrow_textform_encode(const uint8_t *env, size_t env_len, char **text,
    size_t *text_len) ESCROW_WUR;

/*
 * Parse typed text.  Tolerant of case, spaces, tabs, blank lines, CRLF and
 * a ':' or '.' after a line number; strict on content.  On failure
 * *bad_line (optional) gets the line of the form at fault: data lines are
 * numbered from 1, the SHA256 line is (number of data lines + 1), 0 is the
 * header or the text as a whole.  Errors: ESCROW_ERR_LINE_CHECKSUM (a
 * typing error on *bad_line: a wrong, missing, extra or foreign
 * character), ESCROW_ERR_CHUNK_MISSING (data line *bad_line left out),
 * ESCROW_ERR_FORMAT (a header or line that cannot be read, lines out of
 * order), ESCROW_ERR_DIGEST_MISMATCH (the SHA256 line disagrees),
 * ESCROW_ERR_TRUNCATED (no header, or no SHA256 line), ESCROW_ERR_TRAILING
 * (text after the SHA256 line).  On success *env is malloc'd.
 */
int escrow_textform_decode(const char *text, size_t text_len, uint8_t **env,
    size_t *env_len, unsigned *bad_line) ESCROW_WUR;

/* ---- scanning ------------------------------------------------------------ */

enum escrow_payload_kind {
	ESCROW_PAYLOAD_UNKNOWN = 0,
	ESCROW_PAYLOAD_SHARE = 1, /* SLIP-0039 words, upper case, spaces */
	ESCROW_PAYLOAD_CHUNK = 2, /* starts with ESCROW_CHUNK_TAG */
};

/* Which kind a payload is (by shape only: a share is not checksummed). */
enum escrow_payload_kind escrow_payload_classify(const uint8_t *p, size_t len);

struct escrow_scan_payload {
	unsigned page;  /* 1-based page (image files have one page) */
	uint8_t *data;  /* SECRET: escrow_secret_alloc, NUL after data[len] */
	size_t len;     /* exact byte length from zbar */
};

struct escrow_scan_page {
	unsigned page;     /* 1-based */
	unsigned symbols;  /* distinct payloads found on it */
	unsigned cleanup;  /* 0 = nothing found after a clean-up, else the
			      ESCROW_SCAN_CLEAN_* that found the last new
			      payload on this page */
};

#define ESCROW_SCAN_CLEAN_MEDIAN 1
#define ESCROW_SCAN_CLEAN_DOWNSCALE 2
#define ESCROW_SCAN_CLEAN_THRESHOLD 3

struct escrow_scan_result {
	struct escrow_scan_payload *items;
	size_t count;
	struct escrow_scan_page *pages;
	size_t npages;
	unsigned first_failed_page; /* 0 = every page gave what was expected */
};

struct escrow_scan_opts {
	unsigned expect_per_page; /* 0 = at least one symbol per page */
	unsigned pdf_dpi;         /* 0 = 300 */
	int no_cleanup;           /* 1 = skip the clean-up retries */
};

/*
 * Scan every QR code in an image file: PNG, PNM (P5/P6), JPEG, or a
 * (multi-page) PDF, by content, not by name.  opts may be NULL.  The
 * result must be released with escrow_scan_result_free() whatever the
 * return value.  Returns ESCROW_OK when at least one payload was found
 * (pages that gave fewer than expected are listed in pages[] and
 * first_failed_page), ESCROW_ERR_NO_SYMBOL when none was,
 * ESCROW_ERR_IMAGE / ESCROW_ERR_IO when the file cannot be read.
 */
int escrow_scan_file(const char *path, const struct escrow_scan_opts *opts,
    struct escrow_scan_result *res) ESCROW_WUR;

/*
 * Scan an 8-bit grey image in memory (row stride in bytes) as page `page`
 * and append to res (initialise res to all zero before the first call).
 */
int escrow_scan_gray(const uint8_t *pix, unsigned width, unsigned height,
    size_t stride, unsigned page, const struct escrow_scan_opts *opts,
    struct escrow_scan_result *res) ESCROW_WUR;

void escrow_scan_result_free(struct escrow_scan_result *res);

/*
 * Parse a PNM image (P5 grey or P6 colour, maxval 1..255) into 8-bit grey.
 * Strict: any malformed header, a size over 30000 x 30000 or short data is
 * ESCROW_ERR_IMAGE.  *pix is malloc'd (width * height bytes).
 */
int escrow_pnm_parse(const uint8_t *buf, size_t len, uint8_t **pix,
    unsigned *width, unsigned *height) ESCROW_WUR;

#endif
