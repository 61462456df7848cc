/*
 * escrow_text.h - the one text buffer of the suite, and the one hex
 * encoder.  A buffer is either fixed (the caller's array: the library
 * writes records into those) or growing (malloc'd, or with
 * ESCROW_TEXT_SECRET in escrow_secret_alloc() memory, wiped when it grows
 * and when it is freed: for text built from secrets, such as an exported
 * private key).
 *
 * Secret values: the contents of an ESCROW_TEXT_SECRET buffer, and the
 * bytes given to escrow_hex() (it runs in constant time, so it may encode
 * secrets).  Other buffers hold public text.
 */
#ifndef ESCROW_TEXT_H
#define ESCROW_TEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "escrow.h"

#define ESCROW_TEXT_SECRET 1u /* secret memory, wiped on growth and free */

struct escrow_text {
	char *p;        /* NUL-terminated text (NULL until something is put) */
	size_t len;     /* its length; a fixed buffer counts on past cap */
	size_t cap;     /* bytes at p */
	unsigned flags; /* ESCROW_TEXT_SECRET, or internal bits */
	int err;        /* the first failure: 0, ESCROW_ERR_NOMEM */
};

/* A growing public buffer may also start as { 0 }. */
void escrow_text_init(struct escrow_text *t, unsigned flags);
/* The caller's buf of cap bytes; text that does not fit is counted, not
 * written, and escrow_text_done() then reports it. */
void escrow_text_init_fixed(struct escrow_text *t, char *buf, size_t cap);

void escrow_text_put(struct escrow_text *t, const char *s, size_t n);
void escrow_text_str(struct escrow_text *t, const char *s);
void escrow_text_printf(struct escrow_text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void escrow_text_vprintf(struct escrow_text *t, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Hex of n bytes (constant time), upper case if upper. */
void escrow_text_hex(struct escrow_text *t, const uint8_t *p, size_t n, int upper);
/* Base64 (RFC 4648, with padding) of n public bytes. */
void escrow_text_base64(struct escrow_text *t, const uint8_t *p, size_t n);
/*
 * Decode base64 (RFC 4648) of n chars at s into out (cap bytes), ignoring
 * ASCII whitespace, strict otherwise: '=' padding required, nothing after
 * it, zero trailing bits.  *len is the bytes written.  ESCROW_OK,
 * ESCROW_ERR_FORMAT, or ESCROW_ERR_TOO_LARGE (more than cap bytes).
 * Public data (DNSKEY fields, KSR contents).
 */
int escrow_text_unbase64(const char *s, size_t n, uint8_t *out, size_t cap,
    size_t *len) ESCROW_WUR;
/* Text with &, <, >, " and ' escaped for XML. */
void escrow_text_xml(struct escrow_text *t, const char *s);

/* ESCROW_OK, ESCROW_ERR_NOMEM, or for a fixed buffer that was too small
 * ESCROW_ERR_BUFFER_TOO_SMALL (the buffer then holds ""). */
int escrow_text_done(const struct escrow_text *t) ESCROW_WUR;
/* Frees (and wipes, if secret) a growing buffer; a fixed one is left. */
void escrow_text_free(struct escrow_text *t);

/* Hex of len bytes into out (2 * len + 1 bytes), in constant time. */
void escrow_hex(const uint8_t *in, size_t len, char *out, int upper);

#endif
