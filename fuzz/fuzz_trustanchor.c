/*
 * fuzz_trustanchor.c - RFC 9718 trust-anchor XML: parse, then check every
 * KeyDigest that carries its own public key against itself.  Nothing here
 * is secret.
 */
#include "escrow.h"
#include "escrow_dnssec.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct escrow_ta *ta = malloc(sizeof *ta);

	if (ta == NULL || escrow_init() != ESCROW_OK)
		abort();
	if (escrow_dnssec_ta_parse((const char *)data, size, ta) == ESCROW_OK)
		for (size_t i = 0; i < ta->count; i++)
			(void)escrow_dnssec_ta_check(ta, i, NULL);
	free(ta);
	return 0;
}
