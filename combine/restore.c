/*
 * restore.c - from the pieces read to the master secret: have each share
 * checked (shares.c), ask for more at the terminal (prompt.c), combine a
 * qualifying subset, and prove the result with the envelope's MAC.  Shares, the passphrase and
 * S are secret and live in secret memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "prompt.h"
#include "restore.h"
#include "shares.h"
#include "escrow_keys.h"
#include "secrets.h"
#include "tool.h"

#define PASSPHRASE_TRIES 10

/*
 * Pick a qualifying subset: the first group_threshold complete groups,
 * the first threshold members of each, skipping share `skip` (-1: none).
 * Returns the count picked, 0 if it does not qualify.
 */
static size_t
pick(const struct cb_input *in, const struct escrow_shareset *set, long skip,
    struct escrow_slip39_share *out, size_t *index)
{
	unsigned have[ESCROW_SHARESET_MAX_GROUPS] = { 0 }, taken[ESCROW_SHARESET_MAX_GROUPS] = { 0 };
	unsigned g, groups = 0;
	size_t i, n = 0;
	int use[ESCROW_SHARESET_MAX_GROUPS] = { 0 };

	for (i = 0; i < in->nshares; i++)
		if (in->shares[i].committed && !in->shares[i].duplicate && (long)i != skip)
			have[in->shares[i].group]++;
	for (g = 0; g < set->group_count && groups < set->group_threshold; g++)
		if (have[g] >= set->groups[g].threshold) {
			use[g] = 1;
			groups++;
		}
	if (groups < set->group_threshold)
		return 0;
	for (i = 0; i < in->nshares; i++) {
		const struct cb_share *s = &in->shares[i];

		if (!s->committed || s->duplicate || (long)i == skip || !use[s->group] ||
		    taken[s->group] == set->groups[s->group].threshold)
			continue;
		taken[s->group]++;
		index[n] = i;
		out[n++] = s->share;
	}
	return n;
}

static int
combine_check(const struct cb_input *in, struct cb_restore *r,
    const struct escrow_shareset *set, long skip,
    struct escrow_slip39_share *chosen, size_t *index, int *combined)
{
	struct escrow_slip39_diag d;
	size_t n, len;
	int rc;

	*combined = 0;
	n = pick(in, set, skip, chosen, index);
	if (n == 0)
		return ESCROW_ERR_TOO_FEW_SHARES;
	rc = escrow_slip39_combine_shares(chosen, n, r->passphrase, r->S, 32, &len, &d);
	if (rc != ESCROW_OK) {
		if (d.share >= 0 && (size_t)d.share < n)
			tool_err("combining: share from %s: %s",
			    in->shares[index[d.share]].source, escrow_strerror(rc));
		else
			tool_err("combining: %s", escrow_strerror(rc));
		return rc;
	}
	*combined = 1;
	if (len != 32)
		return ESCROW_ERR_SECRET_LENGTH;
	return escrow_envelope_verify(r->env, r->S);
}

/* What the envelope says of the passphrase, in one line. */
static const char *
passphrase_line(const struct escrow_envelope *env)
{
	switch (escrow_envelope_passphrase(env)) {
	case ESCROW_PASSPHRASE_SET:
		return "passphrase: yes (the envelope records that its share set has one)";
	case ESCROW_PASSPHRASE_NONE:
		return "passphrase: none (recorded in the envelope)";
	default:
		return "passphrase: not recorded (a version 1 envelope)";
	}
}

int
cb_restore(struct cb_input *in, const struct cb_restore_opts *ro,
    struct cb_restore *r)
{
	const char *passphrase_file = ro->passphrase_file;
	int interactive = ro->interactive;
	const struct escrow_shareset *set;
	struct escrow_slip39_share *chosen = NULL;
	size_t i, index[ESCROW_SLIP39_MAX_SHARES];
	int rc, combined, bad = 0, try;

	memset(r, 0, sizeof *r);
	if (cb_input_finish_envelope(in) != 0)
		return -1;
	if (in->env == NULL) {
		tool_err("no envelope: give --envelope FILE, scans of the envelope sheets, "
		    "or its typed text form");
		return -1;
	}
	rc = escrow_envelope_parse(in->env, in->env_len, &r->env);
	if (rc != ESCROW_OK) {
		tool_err("the envelope from %s: %s", in->env_source, escrow_strerror(rc));
		return -1;
	}
	set = escrow_envelope_shareset(r->env);
	if (tool_records_build(r->env, &r->rec) != 0)
		return -1;
	r->have_rec = 1;
	fprintf(stderr, "%s: envelope from %s\n  fingerprint %s\n  words: %s\n  %s\n",
	    tool_name, in->env_source, r->rec.fp_hex, r->rec.fp_words,
	    passphrase_line(r->env));
	/* the caller's checks that need the envelope, before any share */
	if (ro->ready != NULL && ro->ready(r, ro->ctx) != 0)
		return -1;

	for (i = 0; i < in->nshares; i++)
		if (cb_check_share(&in->shares[i], r->env, interactive) != 0)
			bad++;
	cb_mark_duplicates(in);
	if (!cb_shares_enough(in, set) && interactive && tool_have_tty()) {
		cb_report_needed(in, set);
		if (cb_prompt_shares(in, r->env) != 0)
			return -1;
	}
	if (!cb_shares_enough(in, set)) {
		cb_report_needed(in, set);
		if (in->nshares == 0 && in->problems == 0 && (!interactive || !tool_have_tty())) {
			tool_err("no share among the inputs, and %s", interactive ?
			    "no terminal to type them on" : "--yes asks for none at the "
			    "terminal");
			tool_hint("name the shares' scans or text files as INPUTs, or run at a "
			    "terminal without --yes to type them");
		} else {
			tool_err("not enough good shares to restore%s",
			    bad || in->problems ? " (the bad ones are named above)" : "");
			tool_hint("bring more custodians' sheets");
		}
		return -1;
	}

	r->S = escrow_secret_alloc(32);
	chosen = escrow_secret_alloc(ESCROW_SLIP39_MAX_SHARES * sizeof *chosen);
	if (r->S == NULL || chosen == NULL) {
		tool_err("out of secure memory (raise `ulimit -l')");
		escrow_secret_free(chosen);
		return -1;
	}
	for (try = 1;; try++) {
		r->passphrase = tool_passphrase_for(passphrase_file, interactive, 0, ro->role);
		if (r->passphrase == NULL) {
			escrow_secret_free(chosen);
			return -1;
		}
		rc = combine_check(in, r, set, -1, chosen, index, &combined);
		if (rc == ESCROW_ERR_MAC || (rc != ESCROW_OK && combined == 0)) {
			/* more shares than needed: is one of them the culprit? */
			for (i = 0; i < in->nshares && rc != ESCROW_OK; i++) {
				int rc2 = combine_check(in, r, set, (long)i, chosen, index,
				    &combined);

				if (rc2 == ESCROW_OK) {
					tool_err("share from %s is bad: the others restore the "
					    "envelope without it", in->shares[i].source);
					rc = ESCROW_OK;
				}
			}
		}
		if (rc != ESCROW_ERR_MAC || passphrase_file != NULL || !interactive ||
		    !tool_have_tty() || tool_interrupted() || try == PASSPHRASE_TRIES)
			break;
		tool_err("the envelope's MAC does not match: the passphrase is wrong "
		    "(every share matches its commitment)");
		fprintf(stderr, "The shares are still in memory: type the passphrase again "
		    "(try %d of %d; Enter alone for none).\n", try + 1, PASSPHRASE_TRIES);
		escrow_secret_free(r->passphrase);
		r->passphrase = NULL;
	}
	escrow_secret_free(chosen);
	if (rc == ESCROW_ERR_MAC) {
		tool_err("the envelope's MAC does not match, although every share matches "
		    "the envelope's commitments");
		if (passphrase_file != NULL)
			tool_hint("the passphrase is wrong: the one in --passphrase-file `%s' "
			    "(or the envelope was altered: compare its fingerprint with the one "
			    "on the share sheets)", passphrase_file);
		else
			tool_hint("the passphrase is wrong (or the envelope was altered: compare "
			    "its fingerprint with the one on the share sheets)");
		return -1;
	}
	if (rc != ESCROW_OK) {
		tool_err("restoring the master secret: %s", escrow_strerror(rc));
		return -1;
	}
	fprintf(stderr, "%s: master secret restored; the envelope's MAC matches\n",
	    tool_name);
	return 0;
}

void
cb_restore_free(struct cb_restore *r)
{
	if (r->have_rec)
		tool_records_free(&r->rec);
	escrow_envelope_free(r->env);
	escrow_secret_free(r->S);
	escrow_secret_free(r->passphrase);
	memset(r, 0, sizeof *r);
}

int
cb_check_keys(struct cb_restore *r)
{
	size_t i;
	int rc;

	for (i = 0; i < r->rec.nkeys; i++)
		if ((rc = tool_unwrap_key(r->env, r->S, i, NULL, NULL, NULL)) != ESCROW_OK) {
			tool_err("key %zu (tag %u): %s", i + 1, r->rec.keys[i].tag,
			    escrow_strerror(rc));
			return -1;
		}
	return 0;
}
