/*
 * chunk_base32.c - base32 (RFC 4648 alphabet, upper case, no padding)
 * and CRC-32 (IEEE 802.3, as zlib and PNG), used by the QR chunks and the
 * text form.  Public data only: the envelope and its chunks are not
 * secret, so no effort is made to be constant time here.
 */
#include <string.h>

#include "escrow.h"
#include "escrow_paper.h"
#include "chunk_int.h"

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

size_t
escrow_base32_len(size_t len)
{
	return (len / 5) * 8 + (len % 5 * 8 + 4) / 5;
}

int
escrow_base32_encode(const uint8_t *in, size_t len, char *out, size_t out_cap)
{
	size_t i, o = 0, need;
	uint32_t acc = 0;
	unsigned bits = 0;

	if ((in == NULL && len > 0) || out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	if (len > (SIZE_MAX - 8) / 2)
		return ESCROW_ERR_TOO_LARGE;
	need = escrow_base32_len(len) + 1;
	if (out_cap < need)
		return ESCROW_ERR_BUFFER_TOO_SMALL;
	for (i = 0; i < len; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = b32_alphabet[(acc >> bits) & 31];
		}
	}
	if (bits > 0)
		out[o++] = b32_alphabet[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	return ESCROW_OK;
}

int
escrow_base32_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

int
escrow_base32_decode(const char *in, size_t n, uint8_t *out, size_t out_cap,
    size_t *out_len)
{
	size_t i, o = 0, rem = n % 8;
	uint32_t acc = 0;
	unsigned bits = 0;

	if ((in == NULL && n > 0) || out_len == NULL)
		return ESCROW_ERR_INVALID_ARG;
	/* lengths 1, 3 and 6 mod 8 cannot come from whole bytes */
	if (rem == 1 || rem == 3 || rem == 6)
		return ESCROW_ERR_FORMAT;
	if (n / 8 * 5 + rem * 5 / 8 > out_cap)
		return ESCROW_ERR_BUFFER_TOO_SMALL;
	if (out == NULL && n > 0)
		return ESCROW_ERR_INVALID_ARG;
	for (i = 0; i < n; i++) {
		int v = escrow_base32_value((unsigned char)in[i]);

		if (v < 0)
			return ESCROW_ERR_FORMAT;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	/* the leftover bits are padding and must be zero (canonical form) */
	if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
		return ESCROW_ERR_FORMAT;
	*out_len = o;
	return ESCROW_OK;
}

uint32_t
escrow_crc32(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < len; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return crc ^ 0xffffffffu;
}
