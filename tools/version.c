/*
 * version.c - see version.h.  ESCROW_VERSION comes from the Makefile, which
 * reads it from the file VERSION.  No secrets.
 */
#include <stdio.h>
#include <string.h>

#include "version.h"

#ifndef ESCROW_VERSION
#error "ESCROW_VERSION is set by the Makefile from the file VERSION"
#endif

const char *
tool_version(void)
{
	return "escrow " ESCROW_VERSION;
}

int
tool_version_option(int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[1], "--version") != 0)
		return 0;
	printf("%s\n", tool_version());
	return 1;
}
