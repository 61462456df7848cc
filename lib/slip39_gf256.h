/*
 * slip39_gf256.h - internal: arithmetic in GF(2^8) modulo x^8+x^4+x^3+x+1 (0x11B,
 * the AES field), as SLIP-0039 and Shamir's scheme use it.
 *
 * Every operand may be SECRET: no table, no branch and no memory index
 * depends on the values (shift-and-mask multiply, inverse as x^254).
 */
#ifndef ESCROW_GF256_H
#define ESCROW_GF256_H

#include <stdint.h>

/* a + b (and a - b): xor */
static inline uint8_t
escrow_gf256_add(uint8_t a, uint8_t b)
{
	return (uint8_t)(a ^ b);
}

/* a * b */
uint8_t escrow_gf256_mul(uint8_t a, uint8_t b);

/* a^-1, by square-and-multiply to a^254; 0 maps to 0. */
uint8_t escrow_gf256_inv(uint8_t a);

/* a / b = a * b^-1 (b = 0 gives 0) */
uint8_t escrow_gf256_div(uint8_t a, uint8_t b);

#endif
