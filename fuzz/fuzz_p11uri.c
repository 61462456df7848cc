/*
 * fuzz_p11uri.c - PKCS#11 URIs (RFC 7512) as the operator types them:
 * escrow_p11_open() parses and vets the URI and words its error before it
 * loads any module; the module path given here does not exist, so every
 * input ends at the module load at the latest.  Also the strategy names.
 * Nothing here is secret.
 */
#include "escrow.h"
#include "escrow_p11.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct escrow_p11_error err;
	struct escrow_p11 *p = NULL;
	char *uri;

	if (escrow_init() != ESCROW_OK)
		abort();
	uri = fuzz_cstr(data, size);
	if (escrow_p11_open(&p, "/nonexistent/escrow-fuzz-module.so", uri, "1234", 4,
	    &err) == ESCROW_OK)
		abort(); /* no such module */
	if (strlen(err.detail) >= sizeof err.detail || err.rv_name == NULL)
		abort();
	(void)escrow_p11_strategy_parse(uri);
	free(uri);
	return 0;
}
