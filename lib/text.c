/*
 * text.c - the text buffer and hex encoder of escrow_text.h.  A buffer
 * flagged ESCROW_TEXT_SECRET holds secrets: it grows by copying into new
 * secret memory and wiping the old.  escrow_hex() may encode secrets: it
 * computes each digit without a branch or a table index on the data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escrow.h"
#include "escrow_text.h"

#define TEXT_FIXED 0x100u /* internal: the caller's buffer, never grown */

void
escrow_text_init(struct escrow_text *t, unsigned flags)
{
	memset(t, 0, sizeof *t);
	t->flags = flags & ESCROW_TEXT_SECRET;
}

void
escrow_text_init_fixed(struct escrow_text *t, char *buf, size_t cap)
{
	memset(t, 0, sizeof *t);
	t->flags = TEXT_FIXED;
	t->p = buf;
	t->cap = buf == NULL ? 0 : cap;
	if (t->cap > 0)
		buf[0] = '\0';
}

/* Room for n more bytes and the NUL; 0 if there is (or was made). */
static int
room(struct escrow_text *t, size_t n)
{
	size_t cap;
	char *np;

	if (t->err != 0 || t->len > t->cap || n >= t->cap - t->len) {
		if ((t->flags & TEXT_FIXED) || t->err != 0)
			return -1;
		if (n > ((size_t)-1 >> 2) - t->len) {
			t->err = ESCROW_ERR_NOMEM;
			return -1;
		}
		cap = (t->len + n + 1) * 2;
		if (cap < 256)
			cap = 256;
		if (t->flags & ESCROW_TEXT_SECRET) {
			np = escrow_secret_alloc(cap);
			if (np != NULL && t->p != NULL)
				memcpy(np, t->p, t->len + 1);
		} else {
			np = realloc(t->p, cap);
		}
		if (np == NULL) {
			t->err = ESCROW_ERR_NOMEM;
			return -1;
		}
		if (t->flags & ESCROW_TEXT_SECRET)
			escrow_secret_free(t->p);
		if (t->p == NULL)
			np[0] = '\0';
		t->p = np;
		t->cap = cap;
	}
	return 0;
}

void
escrow_text_put(struct escrow_text *t, const char *s, size_t n)
{
	if (room(t, n) == 0) {
		memcpy(t->p + t->len, s, n);
		t->p[t->len + n] = '\0';
	}
	if (t->err == 0)
		t->len += n;
}

void
escrow_text_str(struct escrow_text *t, const char *s)
{
	escrow_text_put(t, s, strlen(s));
}

void
escrow_text_vprintf(struct escrow_text *t, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0) {
		t->err = t->err != 0 ? t->err : ESCROW_ERR_INVALID_ARG;
		return;
	}
	if (room(t, (size_t)n) == 0)
		vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
	if (t->err == 0)
		t->len += (size_t)n;
}

void
escrow_text_printf(struct escrow_text *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	escrow_text_vprintf(t, fmt, ap);
	va_end(ap);
}

/* One hex digit of v (0..15), without a branch or a table on v. */
static char
hex_digit(unsigned v, int upper)
{
	/* '0' + v, plus the distance to 'a' (or 'A') when v > 9 */
	unsigned over = (9u - v) >> 8 & 1u; /* 1 when v > 9 */

	return (char)('0' + v + over * ((upper ? 'A' : 'a') - '0' - 10));
}

void
escrow_hex(const uint8_t *in, size_t len, char *out, int upper)
{
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hex_digit(in[i] >> 4, upper);
		out[2 * i + 1] = hex_digit(in[i] & 15u, upper);
	}
	out[2 * len] = '\0';
}

void
escrow_text_hex(struct escrow_text *t, const uint8_t *p, size_t n, int upper)
{
	char two[3];
	size_t i;

	for (i = 0; i < n; i++) {
		escrow_hex(p + i, 1, two, upper);
		escrow_text_put(t, two, 2);
	}
	escrow_wipe(two, sizeof two);
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
escrow_text_base64(struct escrow_text *t, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		char q[4] = { b64[p[i] >> 2], b64[(p[i] & 3) << 4 | p[i + 1] >> 4],
		    b64[(p[i + 1] & 15) << 2 | p[i + 2] >> 6], b64[p[i + 2] & 63] };

		escrow_text_put(t, q, 4);
	}
	if (n - i == 1) {
		char q[4] = { b64[p[i] >> 2], b64[(p[i] & 3) << 4], '=', '=' };

		escrow_text_put(t, q, 4);
	} else if (n - i == 2) {
		char q[4] = { b64[p[i] >> 2], b64[(p[i] & 3) << 4 | p[i + 1] >> 4],
		    b64[(p[i + 1] & 15) << 2], '=' };

		escrow_text_put(t, q, 4);
	}
}

static int
b64val(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(b64, c);
	return p != NULL ? (int)(p - b64) : -1;
}

int
escrow_text_unbase64(const char *s, size_t n, uint8_t *out, size_t cap,
    size_t *len)
{
	uint32_t acc = 0;
	size_t i, o = 0, q = 0, pad = 0;

	for (i = 0; i < n; i++) {
		int v;

		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			continue;
		if (s[i] == '=') {
			pad++;
			q++;
			if (pad > 2 || q % 4 == 1 || q % 4 == 2)
				return ESCROW_ERR_FORMAT;
			continue;
		}
		if (pad > 0)
			return ESCROW_ERR_FORMAT;
		v = b64val(s[i]);
		if (v < 0)
			return ESCROW_ERR_FORMAT;
		acc = acc << 6 | (uint32_t)v;
		q++;
		if (q % 4 == 0) {
			if (o + 3 > cap)
				return ESCROW_ERR_TOO_LARGE;
			out[o++] = (uint8_t)(acc >> 16);
			out[o++] = (uint8_t)(acc >> 8);
			out[o++] = (uint8_t)acc;
			acc = 0;
		}
	}
	if (q % 4 != 0)
		return ESCROW_ERR_FORMAT;
	if (pad > 0) {
		/* the last quantum: 4 - pad characters carried data */
		size_t keep = 3 - pad, k;
		uint32_t bits = acc << (6 * pad);

		if ((pad == 1 && (bits & 0xff) != 0) ||
		    (pad == 2 && (bits & 0xffff) != 0))
			return ESCROW_ERR_FORMAT;
		if (o + keep > cap)
			return ESCROW_ERR_TOO_LARGE;
		for (k = 0; k < keep; k++)
			out[o++] = (uint8_t)(bits >> (16 - 8 * k));
	}
	*len = o;
	return ESCROW_OK;
}

void
escrow_text_xml(struct escrow_text *t, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': escrow_text_str(t, "&amp;"); break;
		case '<': escrow_text_str(t, "&lt;"); break;
		case '>': escrow_text_str(t, "&gt;"); break;
		case '"': escrow_text_str(t, "&quot;"); break;
		case '\'': escrow_text_str(t, "&apos;"); break;
		default: escrow_text_put(t, s, 1); break;
		}
	}
}

int
escrow_text_done(const struct escrow_text *t)
{
	if (t->err != 0)
		return t->err;
	if (t->p == NULL || t->len >= t->cap) {
		if (!(t->flags & TEXT_FIXED))
			return t->p == NULL && t->len == 0 ? ESCROW_OK : ESCROW_ERR_NOMEM;
		if (t->p != NULL && t->cap > 0)
			t->p[0] = '\0';
		return ESCROW_ERR_BUFFER_TOO_SMALL;
	}
	return ESCROW_OK;
}

void
escrow_text_free(struct escrow_text *t)
{
	if (t->flags & TEXT_FIXED)
		return;
	if (t->flags & ESCROW_TEXT_SECRET)
		escrow_secret_free(t->p);
	else
		free(t->p);
	t->p = NULL;
	t->len = t->cap = 0;
	t->err = 0;
}
