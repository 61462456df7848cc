/*
 * secretdirs.h - refuses --pdf and --shares-out into a directory on a
 * removable or network file system (see media.h): share sheets and
 * share files are secrets and must not leave the machine on a stick or
 * over a network.  --allow-removable-secrets (for tests) lets them.
 * Public data only.
 */
#ifndef ESCROW_TOOL_SECRETDIRS_H
#define ESCROW_TOOL_SECRETDIRS_H

struct tool_ceremony;

/* 0, or -1 with the usage message printed (exit status 2). */
int tool_secret_dirs_check(const struct tool_ceremony *c)
    __attribute__((warn_unused_result));

#endif
