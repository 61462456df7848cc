/*
 * slip39_int.h - internal: pieces of the SLIP-0039 implementation
 * shared by lib/slip39*.c and lib/rs1024.c, and the test hooks used by
 * tests/ct/ct_check.c and tests/check_slip39.c.
 *
 * SECRET: word indices of shares, master secrets, EMS, passphrases.
 * Public: the extendable flag, identifiers, counts and lengths.
 */
#ifndef ESCROW_SLIP39_INT_H
#define ESCROW_SLIP39_INT_H

#include <stddef.h>
#include <stdint.h>

#include "escrow_slip39.h"
#include "slip39_shamir.h"

#define ESCROW_SLIP39_RADIX_BITS 10
#define ESCROW_SLIP39_CHECKSUM_WORDS 3
#define ESCROW_SLIP39_METADATA_WORDS 4 /* id, ext, e, GI, Gt, g, I, t */
#define ESCROW_SLIP39_BASE_ITERATIONS 10000u
#define ESCROW_SLIP39_ROUNDS 4

/* ---- rs1024.c ---- */

/* polymod over the customization string for ext, then words (SECRET) */
uint32_t escrow_rs1024_polymod(int ext, const uint16_t *words, size_t n);

/* the three checksum words for data words (SECRET) */
void escrow_rs1024_create(int ext, const uint16_t *data, size_t n,
    uint16_t out[ESCROW_SLIP39_CHECKSUM_WORDS]);

/* ---- slip39_cipher.c ---- */

/*
 * The SLIP-0039 Feistel cipher.  in and out (len bytes, even, <= 32) are
 * SECRET and may be the same buffer; passphrase SECRET, checked printable.
 */
int escrow_slip39_encrypt(const uint8_t *ms, size_t len, const char *passphrase,
    unsigned e, uint16_t id, int ext, uint8_t *ems) ESCROW_WUR;
int escrow_slip39_decrypt(const uint8_t *ems, size_t len, const char *passphrase,
    unsigned e, uint16_t id, int ext, uint8_t *ms) ESCROW_WUR;

/* ---- slip39.c: split with a chosen random source (tests) ---- */

struct escrow_slip39_split_opts {
	escrow_rng_fn rng;   /* NULL: escrow_random */
	void *rng_ctx;
	int extendable;      /* 0 or 1 */
	int identifier;      /* -1: random */
};

int escrow_slip39_split_opts(const uint8_t *secret, size_t len,
    const char *passphrase, struct escrow_shareset *set,
    struct escrow_slip39_share *shares, size_t cap, size_t *n,
    const struct escrow_slip39_split_opts *opts) ESCROW_WUR;

/* ---- diagnostics ---- */

void escrow_slip39_diag_reset(struct escrow_slip39_diag *diag);

#endif
