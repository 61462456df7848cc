/*
 * p11open.h - the PKCS#11 pieces both tools share beyond loading: opening
 * a module with its initialisation arguments (--module-init-args) and the
 * token named by URI, and the probe that predicts, before any share is
 * asked for or key generated, whether each key type can go in.
 *
 * Secret: the PIN passed to tool_p11_open_pin (the caller owns and wipes
 * it).  Everything printed is public.
 */
#ifndef ESCROW_TOOL_P11OPEN_H
#define ESCROW_TOOL_P11OPEN_H

#include <stddef.h>

#include "escrow_p11.h"
#include "load.h"
#include "tool.h"

/* "WHAT: C_Fn returned CKR_...: detail" (or the library's words) on stderr. */
void tool_p11_fail(const char *what, int ret, const struct escrow_p11_error *e);

/*
 * Open o->module (with o->init_args) and o->token and log in with pin
 * (SECRET, may be NULL for a token without login).  Library codes; on
 * failure *out is NULL and e says why (a refused PIN: ESCROW_ERR_P11_PIN,
 * its detail naming the token's PIN state).
 */
int tool_p11_open_pin(const struct tool_load_opts *o, const char *pin,
    struct escrow_p11 **out, struct escrow_p11_error *e);

/* The module's tokens (the chosen one marked) and the PIN state, on stdout. */
void tool_p11_describe(struct escrow_p11 *p);

/*
 * Probe every algorithm of algs (duplicates probed once) and print one
 * verdict line each on stdout (and into transcript, if not NULL).
 * 0: every key type loads; 1: some cannot (each named, with the reason);
 * -1: the probe itself failed (printed).
 */
int tool_p11_probe(struct escrow_p11 *p, const int *algs, size_t n,
    const struct tool_load_opts *o, struct escrow_text *transcript);

#endif
