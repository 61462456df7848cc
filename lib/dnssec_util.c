/*
 * dnssec_util.c - hex and base64 decoding for the DNSSEC record code
 * (encoding is escrow_text.h's).  Public data only (keys' public halves,
 * digests).
 */
#include <string.h>

#include "escrow.h"
#include "dnssec_int.h"

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

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

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
