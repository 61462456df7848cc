/*
 * dnssec_util.c - the bounded text builder, hex and base64 used by the
 * DNSSEC record code.  Public data only (keys' public halves, digests).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "escrow.h"
#include "dnssec_int.h"

void
escrow_tb_init(struct escrow_tb *tb, char *buf, size_t cap)
{
	tb->buf = buf;
	tb->cap = cap;
	tb->len = 0;
	if (buf != NULL && cap > 0)
		buf[0] = '\0';
}

void
escrow_tb_put(struct escrow_tb *tb, const char *s, size_t n)
{
	if (tb->buf != NULL && tb->len < tb->cap && n < tb->cap - tb->len) {
		memcpy(tb->buf + tb->len, s, n);
		tb->buf[tb->len + n] = '\0';
	}
	tb->len += n;
}

void
escrow_tb_str(struct escrow_tb *tb, const char *s)
{
	escrow_tb_put(tb, s, strlen(s));
}

void
escrow_tb_printf(struct escrow_tb *tb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		tb->len = (size_t)-1 / 2; /* cannot happen with our formats */
		return;
	}
	if (tb->buf != NULL && tb->len < tb->cap &&
	    (size_t)n < tb->cap - tb->len) {
		va_start(ap, fmt);
		vsnprintf(tb->buf + tb->len, tb->cap - tb->len, fmt, ap);
		va_end(ap);
	}
	tb->len += (size_t)n;
}

void
escrow_tb_hex(struct escrow_tb *tb, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < n; i++) {
		char two[2] = { digits[p[i] >> 4], digits[p[i] & 15] };

		escrow_tb_put(tb, two, 2);
	}
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
escrow_tb_base64(struct escrow_tb *tb, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		char q[4] = { b64[p[i] >> 2], b64[(p[i] & 3) << 4 | p[i + 1] >> 4],
		    b64[(p[i + 1] & 15) << 2 | p[i + 2] >> 6], b64[p[i + 2] & 63] };

		escrow_tb_put(tb, q, 4);
	}
	if (n - i == 1) {
		char q[4] = { b64[p[i] >> 2], b64[(p[i] & 3) << 4], '=', '=' };

		escrow_tb_put(tb, q, 4);
	} else if (n - i == 2) {
		char q[4] = { b64[p[i] >> 2], b64[(p[i] & 3) << 4 | p[i + 1] >> 4],
		    b64[(p[i + 1] & 15) << 2], '=' };

		escrow_tb_put(tb, q, 4);
	}
}

void
escrow_tb_xml(struct escrow_tb *tb, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': escrow_tb_str(tb, "&amp;"); break;
		case '<': escrow_tb_str(tb, "&lt;"); break;
		case '>': escrow_tb_str(tb, "&gt;"); break;
		case '"': escrow_tb_str(tb, "&quot;"); break;
		case '\'': escrow_tb_str(tb, "&apos;"); break;
		default: escrow_tb_put(tb, s, 1); break;
		}
	}
}

int
escrow_tb_done(struct escrow_tb *tb)
{
	if (tb->buf == NULL || tb->len >= tb->cap) {
		if (tb->buf != NULL && tb->cap > 0)
			tb->buf[0] = '\0';
		return ESCROW_ERR_BUFFER_TOO_SMALL;
	}
	return ESCROW_OK;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
escrow_dnssec_i_unhex(const char *s, size_t n, uint8_t *out, size_t cap,
    size_t *len)
{
	size_t i, o = 0;
	int hi = -1;

	for (i = 0; i < n; i++) {
		int v;

		if (is_space(s[i]))
			continue;
		v = hexval(s[i]);
		if (v < 0)
			return ESCROW_ERR_FORMAT;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (o >= cap)
			return ESCROW_ERR_TOO_LARGE;
		out[o++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0)
		return ESCROW_ERR_FORMAT;
	*len = o;
	return ESCROW_OK;
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
escrow_dnssec_i_unbase64(const char *s, size_t n, uint8_t *out, size_t cap,
    size_t *len)
{
	uint32_t acc = 0;
	size_t i, o = 0, q = 0, pad = 0;

	for (i = 0; i < n; i++) {
		int v;

		if (is_space(s[i]))
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

size_t
escrow_dnssec_i_digest_len(int digest_type)
{
	switch (digest_type) {
	case 1: return 20;
	case 2: return 32;
	case 4: return 48;
	default: return 0;
	}
}
