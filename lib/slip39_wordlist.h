/*
 * slip39_wordlist.h - internal: the SLIP-0039 word list (public data).
 */
#ifndef ESCROW_WORDLIST_H
#define ESCROW_WORDLIST_H

#define ESCROW_WORDLIST_SIZE 1024
#define ESCROW_WORDLIST_WORD_MAX 8 /* letters in the longest word */

/* NUL-padded to 9 bytes each, sorted. */
extern const char escrow_wordlist[ESCROW_WORDLIST_SIZE][ESCROW_WORDLIST_WORD_MAX + 1];

#endif
