/*
 * main.c - runs every Check suite.  The list comes from suites.h, which
 * the Makefile generates from the tests/check_NAME.c files; each of them
 * defines `Suite *check_NAME_suite(void)`.
 *
 * Usage: check_all [SUITE ...]   (no argument: all suites)
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escrow.h"

#define X(name) Suite *check_##name##_suite(void);
#include "suites.h"
#undef X

struct entry {
	const char *name;
	Suite *(*make)(void);
};

static const struct entry suites[] = {
#define X(name) { #name, check_##name##_suite },
#include "suites.h"
#undef X
	{ NULL, NULL }
};

static int
wanted(const char *name, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return 1;
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

int
main(int argc, char **argv)
{
	SRunner *sr = NULL;
	const struct entry *e;
	int failed;

	if (escrow_init() != ESCROW_OK) {
		fprintf(stderr, "check_all: escrow_init failed\n");
		return 1;
	}
	for (e = suites; e->name != NULL; e++) {
		if (!wanted(e->name, argc, argv))
			continue;
		if (sr == NULL)
			sr = srunner_create(e->make());
		else
			srunner_add_suite(sr, e->make());
	}
	if (sr == NULL) {
		fprintf(stderr, "check_all: no such suite\n");
		return 2;
	}
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
