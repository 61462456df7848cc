/*
 * p11open.h - opening the PKCS#11 token both tools load into: the module
 * (with --module-init-args), the token URI, the PIN (asked again on
 * CKR_PIN_INCORRECT, up to three tries, with the token's PIN flags shown),
 * and the probe that predicts, before any share is asked for or key
 * generated, whether each key type can go in.
 *
 * Secret: the PIN (secret memory, wiped as soon as C_Login has it).
 */
#ifndef ESCROW_TOOL_P11OPEN_H
#define ESCROW_TOOL_P11OPEN_H

#include <stddef.h>

#include "escrow_p11.h"
#include "load.h"
#include "tool.h"

/* How many times a wrong PIN typed at the terminal is asked again. */
#define TOOL_PIN_TRIES 3

/*
 * Open o->module / o->token and log in.  With --pin-source a wrong PIN
 * fails at once (the message names the PIN source); at a terminal it is
 * asked again, up to TOOL_PIN_TRIES times, showing the token's PIN flags
 * (count low, final try, locked).  verbose: also print the tokens the
 * module has.  Prints what went wrong.  0 or -1.
 */
int tool_p11_open(const struct tool_load_opts *o, int verbose,
    struct escrow_p11 **out);

/*
 * Probe every algorithm of algs (duplicates probed once) and print one
 * verdict line each on stdout (and into transcript, if not NULL).
 * 0: every key type loads; 1: some cannot (each named, with the reason);
 * -1: the probe itself failed (printed).
 */
int tool_p11_probe(struct escrow_p11 *p, const int *algs, size_t n,
    const struct tool_load_opts *o, struct tool_buf *transcript);

#endif
