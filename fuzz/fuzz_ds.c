/*
 * fuzz_ds.c - DS records as BIND and ldns print them: parse, print each
 * record back and parse that again; the second parse must agree with the
 * first.  Nothing here is secret.
 */
#include "escrow.h"
#include "escrow_dnssec.h"
#include "fuzz.h"

#define MAX_DS 8

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct escrow_ds ds[MAX_DS], again;
	size_t n, m;
	char text[1024];

	if (escrow_init() != ESCROW_OK)
		abort();
	if (escrow_dnssec_ds_parse((const char *)data, size, ds, MAX_DS, &n) != ESCROW_OK)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (escrow_dnssec_ds_text(&ds[i], text, sizeof text) != ESCROW_OK)
			continue;
		if (escrow_dnssec_ds_parse(text, strlen(text), &again, 1, &m) != ESCROW_OK ||
		    m != 1 || again.key_tag != ds[i].key_tag ||
		    again.digest_len != ds[i].digest_len ||
		    memcmp(again.digest, ds[i].digest, ds[i].digest_len) != 0)
			abort(); /* what we print we must read back */
	}
	return 0;
}
