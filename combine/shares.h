/*
 * shares.h - internal to escrow-combine: checking shares as read against
 * the envelope (checksum, set, commitment, a one-word correction), and
 * counting what a restore has and still needs.  Used by prompt.c (each
 * share as it is typed) and restore.c (every share given).
 *
 * Secret: the shares' words and values, in the caller's secret memory.
 */
#ifndef ESCROW_COMBINE_SHARES_H
#define ESCROW_COMBINE_SHARES_H

#include "escrow_envelope.h"
#include "input.h"

/*
 * Decode and check one share against env (NULL: checksum and structure
 * only); offers a one-word correction when exactly one candidate matches
 * a commitment and interactive is set.  Prints problems; 0 or -1.
 */
int cb_check_share(struct cb_share *s, const struct escrow_envelope *env,
    int interactive);

/*
 * A share of set `id`, not the envelope's: say whether the envelope's set
 * replaced it (directly or through earlier reshares: the share is void,
 * destroy it) or it is from another ceremony.  who names it ("share from
 * X"); typing: it is being typed at the terminal.  Prints on stderr.
 */
void cb_report_other_set(const struct escrow_envelope *env, unsigned id,
    const char *who, int typing);

/* Are there enough good, distinct shares to restore? */
int cb_shares_enough(const struct cb_input *in, const struct escrow_shareset *set);

/* Which groups still need how many shares: printed on stderr. */
void cb_report_needed(const struct cb_input *in, const struct escrow_shareset *set);

/* Mark shares given twice (the later copies are ignored), saying so. */
void cb_mark_duplicates(struct cb_input *in);

#endif
