/*
 * slip39_gf256.c - GF(2^8) modulo 0x11B without tables, in constant time.
 *
 * All values may be SECRET.  The multiply walks the eight bits of b from
 * the top (Horner): r = r*x, reduced by xor-ing 0x1B under a mask made from
 * r's top bit, then r ^= a under a mask made from the bit of b.  Masks are
 * computed arithmetically, so there is nothing to branch on.
 */
#include "slip39_gf256.h"

/* 0xFF if the low bit of v is 1, else 0 */
static inline uint8_t
bitmask(uint32_t v)
{
	return (uint8_t)(0u - (v & 1u));
}

uint8_t
escrow_gf256_mul(uint8_t a, uint8_t b)
{
	uint32_t r = 0;
	int i;

	for (i = 7; i >= 0; i--) {
		r = ((r << 1) & 0xFFu) ^ (0x1Bu & bitmask(r >> 7));
		r ^= (uint32_t)(a & bitmask((uint32_t)b >> i));
	}
	return (uint8_t)r;
}

uint8_t
escrow_gf256_inv(uint8_t a)
{
	/* a^254 = a^2 * a^4 * a^8 * ... * a^128 */
	uint8_t sq = escrow_gf256_mul(a, a); /* a^2 */
	uint8_t r = sq;
	int i;

	for (i = 0; i < 6; i++) {
		sq = escrow_gf256_mul(sq, sq); /* a^4 .. a^128 */
		r = escrow_gf256_mul(r, sq);
	}
	return r;
}

uint8_t
escrow_gf256_div(uint8_t a, uint8_t b)
{
	return escrow_gf256_mul(a, escrow_gf256_inv(b));
}
