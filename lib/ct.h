/*
 * ct.h - internal: constant-time helpers for SLIP-0039, the envelope and key wrap
 * (gf256, shamir, rs1024, slip39_*), and the declassify hook.
 *
 * The masks below turn a comparison into 0 or all-ones without a branch,
 * so that SECRET values can be selected and compared.
 * escrow_ct_declassify() marks a value derived from secrets as public (a
 * checksum verdict, the metadata words of a share): a no-op, except under
 * valgrind where it tells memcheck, so tests/ct/ct_check.c accepts the
 * branches that follow it and still flags every other one.
 */
#ifndef ESCROW_CT_H
#define ESCROW_CT_H

#include <stddef.h>
#include <stdint.h>

#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define ESCROW_CT_HAVE_VALGRIND 1
#endif
#endif

static inline void
escrow_ct_declassify(const void *p, size_t len)
{
#ifdef ESCROW_CT_HAVE_VALGRIND
	(void)VALGRIND_MAKE_MEM_DEFINED(p, len);
#else
	(void)p;
	(void)len;
#endif
}

/* all-ones if x != 0, else 0 */
static inline uint32_t
escrow_ct_nonzero(uint32_t x)
{
	return 0u - ((x | (0u - x)) >> 31);
}

/* all-ones if a == b, else 0 */
static inline uint32_t
escrow_ct_eq(uint32_t a, uint32_t b)
{
	return ~escrow_ct_nonzero(a ^ b);
}

/* all-ones if a < b (both below 2^31), else 0 */
static inline uint32_t
escrow_ct_lt(uint32_t a, uint32_t b)
{
	return 0u - ((a - b) >> 31);
}

/* all-ones if lo <= x <= hi (all below 2^31) */
static inline uint32_t
escrow_ct_in(uint32_t x, uint32_t lo, uint32_t hi)
{
	return ~escrow_ct_lt(x, lo) & ~escrow_ct_lt(hi, x);
}

/* mask ? a : b */
static inline uint32_t
escrow_ct_select(uint32_t mask, uint32_t a, uint32_t b)
{
	return (a & mask) | (b & ~mask);
}

#endif
