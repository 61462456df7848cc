/*
 * version.h - the suite's version, from the one file VERSION at the top of
 * the tree (no build date, no host name: two builds of one tree print the
 * same).  No secrets.
 */
#ifndef ESCROW_TOOL_VERSION_H
#define ESCROW_TOOL_VERSION_H

/* "escrow 0.9.0": what --version prints, the first line of every
 * transcript, and what `escrow-combine inspect` names. */
const char *tool_version(void);

/* With argv[1] "--version": prints tool_version() on stdout and returns 1;
 * otherwise 0. */
int tool_version_option(int argc, char **argv);

#endif
