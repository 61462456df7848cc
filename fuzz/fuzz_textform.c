/*
 * fuzz_textform.c - the typed text form of an envelope: decode, and if
 * it decodes, encode again and check the round trip.  Nothing here is
 * secret.
 */
#include "escrow.h"
#include "escrow_paper.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *env = NULL, *env2 = NULL;
	size_t env_len, env2_len, text_len;
	unsigned bad_line;
	char *text = NULL;

	if (escrow_init() != ESCROW_OK)
		abort();
	if (escrow_textform_decode((const char *)data, size, &env, &env_len,
	    &bad_line) != ESCROW_OK)
		return 0;
	if (escrow_textform_encode(env, env_len, &text, &text_len) != ESCROW_OK)
		abort();
	if (escrow_textform_decode(text, text_len, &env2, &env2_len, &bad_line) !=
	    ESCROW_OK || env2_len != env_len || memcmp(env, env2, env_len) != 0)
		abort(); /* what we write we must read back */
	free(env);
	free(env2);
	free(text);
	return 0;
}
