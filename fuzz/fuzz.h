/*
 * fuzz.h - shared by the libFuzzer targets in fuzz/: the entry point's
 * prototype and a NUL-terminated copy of the input.  Fuzz inputs are not
 * secret (they are made up by the fuzzer).
 */
#ifndef ESCROW_FUZZ_H
#define ESCROW_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a C string (it may hold NULs: the string stops there). */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
