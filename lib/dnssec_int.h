/*
 * dnssec_int.h - helpers shared by the dnssec*.c and trustanchor*.c files:
 * base64 and hex decoding, name checks.  Public data only.
 */
#ifndef ESCROW_DNSSEC_INT_H
#define ESCROW_DNSSEC_INT_H

#include <stddef.h>
#include <stdint.h>

#include "escrow_text.h" /* the records are built in fixed escrow_text buffers */

/*
 * Decode hex ignoring ASCII whitespace (base64: escrow_text_unbase64()).
 * Returns 0, ESCROW_ERR_FORMAT, or ESCROW_ERR_TOO_LARGE when it would
 * exceed cap.
 */
int escrow_dnssec_i_unhex(const char *s, size_t n, uint8_t *out, size_t cap,
    size_t *len);

/* Valid uncompressed wire name of exactly len bytes? */
int escrow_dnssec_i_name_valid(const uint8_t *wire, size_t len);
/* Case-insensitive equality of two valid wire names. */
int escrow_dnssec_i_name_eq(const uint8_t *a, size_t alen, const uint8_t *b,
    size_t blen);
/* Digest length for a DS digest type (1, 2, 4), else 0. */
size_t escrow_dnssec_i_digest_len(int digest_type);

#endif
