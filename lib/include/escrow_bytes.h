/*
 * escrow_bytes.h - big-endian (network order) integers in byte buffers,
 * as every format of the suite writes them (envelope, RFC 5649 AIV, RRSIG
 * signed data, QR chunk headers, PNG chunk lengths).  No branch on the
 * value, so they serve secret lengths as well.
 */
#ifndef ESCROW_BYTES_H
#define ESCROW_BYTES_H

#include <stdint.h>

static inline void
escrow_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
escrow_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint16_t
escrow_get16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint32_t
escrow_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

#endif
