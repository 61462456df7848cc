/*
 * ct_check.c - constant-time check, run under valgrind memcheck by
 * `make check`.  Secrets are marked undefined with memcheck client
 * requests; memcheck then reports every conditional jump and every memory
 * index that depends on them, and valgrind's exit code fails the build.
 * Results are marked defined again before they are compared, since a
 * result is allowed to be looked at.
 */
#include <stdio.h>
#include <string.h>

#include <valgrind/memcheck.h>

#include "escrow.h"

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static int
ct_equal(void)
{
	uint8_t a[32], b[32];
	int eq;

	escrow_random(a, sizeof a);
	memcpy(b, a, sizeof b);
	SECRET(a, sizeof a);
	SECRET(b, sizeof b);
	eq = escrow_equal(a, b, sizeof a);
	PUBLIC(&eq, sizeof eq);
	return eq == 1 ? 0 : 1;
}

int
main(void)
{
	int bad = 0;

	if (escrow_init() != ESCROW_OK)
		return 1;
	bad |= ct_equal();
	if (bad != 0) {
		fprintf(stderr, "ct_check: a constant-time routine gave a wrong answer\n");
		return 1;
	}
	printf("ct_check: %s\n", RUNNING_ON_VALGRIND ? "no secret-dependent branch or index" :
	    "passed (not under valgrind: timing not checked)");
	return 0;
}
