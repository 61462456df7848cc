/*
 * prompt.h - internal to escrow-combine: typing shares at the terminal.
 *
 * Secret: every typed word; kept only in the input's secret share array.
 */
#ifndef ESCROW_COMBINE_PROMPT_H
#define ESCROW_COMBINE_PROMPT_H

#include "escrow_envelope.h"
#include "input.h"

/* Ask for shares until the envelope's set can be restored.  0 or -1. */
int cb_prompt_shares(struct cb_input *in, const struct escrow_envelope *env);

/* Type one share at the terminal (for audit; env, when given, names a
 * share of another set as soon as its first words are in); 0 or -1. */
int cb_prompt_one(struct cb_input *in, const struct escrow_envelope *env);

#endif
