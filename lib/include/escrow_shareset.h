/*
 * escrow_shareset.h - the description of a SLIP-0039 share set, as split
 * produces it and as the envelope records it.  Public data: no secrets.
 */
#ifndef ESCROW_SHARESET_H
#define ESCROW_SHARESET_H

#include <stdint.h>

#define ESCROW_SHARESET_MAX_GROUPS 16
#define ESCROW_SHARESET_MAX_MEMBERS 16

struct escrow_shareset_group {
	uint8_t threshold; /* members needed, 1..count */
	uint8_t count;     /* members in the group, 1..16 */
};

struct escrow_shareset {
	uint16_t identifier;         /* SLIP-0039 15-bit identifier */
	uint8_t extendable;          /* SLIP-0039 extendable flag, 0 or 1 */
	uint8_t iteration_exponent;  /* 0..15 */
	uint8_t group_threshold;     /* groups needed, 1..group_count */
	uint8_t group_count;         /* 1..16 */
	struct escrow_shareset_group groups[ESCROW_SHARESET_MAX_GROUPS];
};

#endif
