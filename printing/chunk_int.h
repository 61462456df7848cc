/*
 * chunk_int.h - helpers shared by the paper code inside printing/
 * (chunks, text form, scanning).  Not a public header.
 */
#ifndef ESCROW_CHUNK_INT_H
#define ESCROW_CHUNK_INT_H

#include <stddef.h>
#include <stdint.h>

/* Value of one base32 character (either case), or -1. */
int escrow_base32_value(int c);

/* CRC-32/IEEE (reflected 0xEDB88320, init and xorout 0xFFFFFFFF). */
uint32_t escrow_crc32(const uint8_t *p, size_t len);

/* Is every word in p (upper or lower case, single spaces) a SLIP-0039
 * word?  Used by the classifier. */
int escrow_paper_is_wordlist_text(const uint8_t *p, size_t len);

/*
 * The text-form parser (textform.c).  partial = 0 is
 * escrow_textform_decode; partial = 1 accepts the header and any data
 * lines in increasing order, the SHA256 line optional: *env gets the
 * envelope's length in bytes (zero where no line was given), *have one
 * byte a line (1 = given), hash and *have_hash the SHA256 line if given.
 */
int escrow_textform_i_parse(const char *text, size_t text_len, int partial,
    uint8_t **env, size_t *env_len, uint8_t **have, uint8_t hash[32],
    int *have_hash, unsigned *bad_line);

/* Reed-Solomon erasure parity across chunks (chunk_parity.c), over
 * GF(2^8) with x^8+x^4+x^3+x^2+1, Cauchy rows inv((k + r) XOR j). */
#define ESCROW_PARITY_HDR_LEN (8 + 1 + 1 + 1 + 4)
/* Parity r (0-based) of k data blocks of len bytes each. */
int escrow_parity_encode(unsigned k, unsigned nparity, size_t len,
    uint8_t *const *data, uint8_t *const *parity);
/*
 * Rebuild the missing data blocks.  blocks[0..k) data, [k..k+p) parity;
 * present[i] says which are there; missing data blocks are written in
 * place.  ESCROW_ERR_CHUNK_MISSING when fewer than k blocks are present.
 */
int escrow_parity_recover(unsigned k, unsigned nparity, size_t len,
    uint8_t *const *blocks, const uint8_t *present);

#endif
