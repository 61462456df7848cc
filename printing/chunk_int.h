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

#endif
