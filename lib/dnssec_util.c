/*
 * dnssec_util.c - hex decoding for the DNSSEC record code (base64 and
 * encoding are escrow_text.h's).  Public data only (keys' public halves,
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
