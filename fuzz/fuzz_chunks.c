/*
 * fuzz_chunks.c - QR chunk assembly: the input is a list of scanned
 * payloads, one a line; each is classified and parsed alone, then all of
 * them go through the assembler in order, with and without an expected
 * fingerprint (the first 32 bytes of the input).  Nothing here is secret.
 */
#include "escrow.h"
#include "escrow_paper.h"
#include "fuzz.h"

#define MAX_MISSING 8

static void
assemble(const uint8_t *expect, const uint8_t *data, size_t size)
{
	struct escrow_chunk_asm *a = escrow_chunk_asm_new(expect);
	unsigned missing[MAX_MISSING], number, count;
	uint8_t *env = NULL, id[8];
	size_t env_len, nmissing, elen;
	const uint8_t *p = data, *end = data + size, *nl;

	if (a == NULL)
		abort();
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		(void)escrow_payload_classify(p, (size_t)(nl - p));
		(void)escrow_chunk_parse(p, (size_t)(nl - p), id, &number, &count, &elen);
		(void)escrow_chunk_asm_add(a, p, (size_t)(nl - p));
		p = nl + 1;
	}
	if (escrow_chunk_asm_finish(a, &env, &env_len, missing, MAX_MISSING,
	    &nmissing) == ESCROW_OK)
		free(env);
	escrow_chunk_asm_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (escrow_init() != ESCROW_OK)
		abort();
	assemble(NULL, data, size);
	if (size >= 32)
		assemble(data, data + 32, size - 32);
	return 0;
}
