/*
 * lib_only.c - linked with every object of libescrow.a and only libsodium,
 * libcrypto and p11-kit (the Makefile's LIB_ONLY): if the library ever
 * needs a paper or printing library again, this program no longer links.
 * It makes two calls and exits 0 when they give what they must.  No
 * secret here.
 */
#include <stdio.h>
#include <string.h>

#include "escrow.h"
#include "escrow_dnssec.h"
#include "escrow_envelope.h"
#include "escrow_keys.h"
#include "escrow_keywrap.h"
#include "escrow_p11.h"
#include "escrow_slip39.h"

int
main(void)
{
	int bad = 0;

	if (escrow_init() != ESCROW_OK) {
		fprintf(stderr, "lib_only: escrow_init failed\n");
		return 1;
	}
	bad |= strcmp(escrow_slip39_word(0), "academic") != 0;
	bad |= escrow_strerror(ESCROW_ERR_FORMAT) == NULL;
	if (bad) {
		fprintf(stderr, "lib_only: a call into libescrow gave a wrong answer\n");
		return 1;
	}
	printf("lib_only: libescrow.a links with libsodium, libcrypto and p11-kit only\n");
	return 0;
}
