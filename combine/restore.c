/*
 * restore.c - from the pieces read to the master secret: check each
 * share alone against the envelope, combine a qualifying subset, and
 * prove the result with the envelope's MAC.  Shares, the passphrase and
 * S are secret and live in secret memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "combine.h"
#include "escrow_keys.h"
#include "secrets.h"
#include "tool.h"

static void
list_positions(const struct escrow_slip39_diag *d, char *out, size_t cap)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < d->npositions && n + 8 < cap; i++)
		n += (size_t)snprintf(out + n, cap - n, "%s%d",
		    i == 0 ? "" : (i + 1 == d->npositions ? " or " : ", "),
		    d->positions[i] + 1);
}

/*
 * A share whose checksum fails: look for the single-word change that
 * makes the checksum valid AND matches one of the envelope's
 * commitments.  Only an unambiguous candidate is offered, and only used
 * when the operator agrees.
 */
static int
try_correct(struct cb_share *s, const struct escrow_envelope *env,
    const struct escrow_slip39_diag *d, int interactive)
{
	uint16_t *w = NULL;
	size_t i, found = 0, pos = 0;
	unsigned cand = 0, v;
	char was[ESCROW_SLIP39_WORD_MAX + 1], now[ESCROW_SLIP39_WORD_MAX + 1];
	char question[400];
	int ret = -1;

	if (env == NULL || d->npositions == 0)
		return -1;
	w = escrow_secret_alloc(sizeof s->words);
	if (w == NULL)
		return -1;
	memcpy(w, s->words, sizeof s->words);
	for (i = 0; i < d->npositions; i++) {
		size_t p = (size_t)d->positions[i];
		uint16_t orig = w[p];

		for (v = 0; v < 1024; v++) {
			if (v == orig)
				continue;
			w[p] = (uint16_t)v;
			if (escrow_slip39_checksum_valid(w, s->nwords) &&
			    escrow_envelope_find_commitment(env, w, s->nwords, NULL,
			    NULL) == ESCROW_OK) {
				found++;
				pos = p;
				cand = v;
			}
		}
		w[p] = orig;
	}
	if (found != 1)
		goto out;
	escrow_slip39_word_ct(s->words[pos], was);
	escrow_slip39_word_ct(cand, now);
	if (!interactive || !tool_have_tty()) {
		tool_hint("exactly one correction matches the envelope: word %zu; run "
		    "on a terminal to review and accept it, or correct that word", pos + 1);
		goto out;
	}
	snprintf(question, sizeof question,
	    "Share from %.200s: change word %zu from `%s' to `%s'?", s->source,
	    pos + 1, was, now);
	if (tool_confirm(question)) {
		s->words[pos] = (uint16_t)cand;
		fprintf(stderr, "%s: share from %s: word %zu corrected\n", tool_name,
		    s->source, pos + 1);
		ret = 0;
	}
	escrow_wipe(was, sizeof was);
	escrow_wipe(now, sizeof now);
out:
	escrow_secret_free(w);
	return ret;
}

int
cb_check_share(struct cb_share *s, const struct escrow_envelope *env,
    int interactive)
{
	struct escrow_slip39_diag d;
	const struct escrow_shareset *set = env != NULL ? escrow_envelope_shareset(env) : NULL;
	char pos[128];
	int rc;

	s->decoded = s->committed = 0;
	rc = escrow_slip39_share_from_words(s->words, s->nwords, &s->share, &d);
	if (rc == ESCROW_ERR_CHECKSUM) {
		list_positions(&d, pos, sizeof pos);
		if (d.npositions > 0)
			tool_err("share from %s: the checksum is wrong; the mistake is "
			    "probably in word %s", s->source, pos);
		else
			tool_err("share from %s: the checksum is wrong in more than one word",
			    s->source);
		if (try_correct(s, env, &d, interactive) != 0) {
			tool_hint("compare the share with its sheet word by word");
			return -1;
		}
		rc = escrow_slip39_share_from_words(s->words, s->nwords, &s->share, &d);
	}
	if (rc != ESCROW_OK) {
		tool_err("share from %s: %s", s->source, escrow_strerror(rc));
		return -1;
	}
	s->decoded = 1;
	if (set == NULL)
		return 0;
	if (s->share.identifier != set->identifier) {
		tool_err("share from %s belongs to share set %u, but the envelope's share "
		    "set is %u", s->source, s->share.identifier, set->identifier);
		tool_hint("that sheet is from another ceremony: leave it out");
		return -1;
	}
	rc = escrow_envelope_find_commitment(env, s->words, s->nwords, &s->group,
	    &s->member);
	if (rc != ESCROW_OK || s->group != s->share.group_index ||
	    s->member != s->share.member_index) {
		tool_err("share from %s (group %u, member %u) does not match the "
		    "envelope's commitment for it", s->source, s->share.group_index + 1u,
		    s->share.member_index + 1u);
		tool_hint("the share is damaged or altered, or the envelope is not the one "
		    "this share was made with (compare the fingerprints)");
		return -1;
	}
	s->committed = 1;
	return 0;
}

/* Good, distinct shares per group. */
static void
count_groups(const struct cb_input *in, unsigned have[ESCROW_SHARESET_MAX_GROUPS])
{
	size_t i;

	memset(have, 0, ESCROW_SHARESET_MAX_GROUPS * sizeof have[0]);
	for (i = 0; i < in->nshares; i++)
		if (in->shares[i].committed && !in->shares[i].duplicate)
			have[in->shares[i].group]++;
}

static int
enough(const struct cb_input *in, const struct escrow_shareset *set)
{
	unsigned have[ESCROW_SHARESET_MAX_GROUPS], g, complete = 0;

	count_groups(in, have);
	for (g = 0; g < set->group_count; g++)
		if (have[g] >= set->groups[g].threshold)
			complete++;
	return complete >= set->group_threshold;
}

void
cb_report_needed(const struct cb_input *in, const struct escrow_shareset *set)
{
	unsigned have[ESCROW_SHARESET_MAX_GROUPS], g, complete = 0;

	count_groups(in, have);
	for (g = 0; g < set->group_count; g++)
		if (have[g] >= set->groups[g].threshold)
			complete++;
	if (set->group_count == 1) {
		fprintf(stderr, "%s: %u of the %u shares needed %s\n", tool_name,
		    have[0] < set->groups[0].threshold ? have[0] : set->groups[0].threshold,
		    set->groups[0].threshold,
		    have[0] >= set->groups[0].threshold ? "are here" :
		    "are here: more are needed");
		return;
	}
	fprintf(stderr, "%s: %u of the %u groups needed are complete:\n", tool_name,
	    complete, set->group_threshold);
	for (g = 0; g < set->group_count; g++)
		fprintf(stderr, "  group %u: %u of %u shares needed%s\n", g + 1,
		    have[g] < set->groups[g].threshold ? have[g] : set->groups[g].threshold,
		    set->groups[g].threshold,
		    have[g] >= set->groups[g].threshold ? " (complete)" : "");
}

static void
mark_duplicates(struct cb_input *in)
{
	size_t i, j;

	for (i = 0; i < in->nshares; i++)
		for (j = 0; j < i; j++)
			if (in->shares[i].committed && in->shares[j].committed &&
			    !in->shares[j].duplicate &&
			    in->shares[i].group == in->shares[j].group &&
			    in->shares[i].member == in->shares[j].member) {
				in->shares[i].duplicate = 1;
				fprintf(stderr, "%s: share from %s is the same as the one from "
				    "%s: used once\n", tool_name, in->shares[i].source,
				    in->shares[j].source);
				break;
			}
}

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

int
cb_restore(struct cb_input *in, const char *passphrase_file, int interactive,
    struct cb_restore *r)
{
	const struct escrow_shareset *set;
	struct escrow_slip39_share *chosen = NULL;
	size_t i, index[ESCROW_SLIP39_MAX_SHARES];
	int rc, combined, bad = 0;

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
	fprintf(stderr, "%s: envelope from %s\n  fingerprint %s\n  words: %s\n", tool_name,
	    in->env_source, r->rec.fp_hex, r->rec.fp_words);

	for (i = 0; i < in->nshares; i++)
		if (cb_check_share(&in->shares[i], r->env, interactive) != 0)
			bad++;
	mark_duplicates(in);
	if (!enough(in, set) && interactive && tool_have_tty()) {
		cb_report_needed(in, set);
		if (cb_prompt_shares(in, r->env) != 0)
			return -1;
	}
	if (!enough(in, set)) {
		cb_report_needed(in, set);
		tool_err("not enough good shares to restore%s",
		    bad ? " (the bad ones are named above)" : "");
		tool_hint("bring more custodians' sheets");
		return -1;
	}

	r->passphrase = tool_passphrase(passphrase_file, interactive, 0);
	r->S = escrow_secret_alloc(32);
	chosen = escrow_secret_alloc(ESCROW_SLIP39_MAX_SHARES * sizeof *chosen);
	if (r->passphrase == NULL || r->S == NULL || chosen == NULL) {
		escrow_secret_free(chosen);
		return -1;
	}
	rc = combine_check(in, r, set, -1, chosen, index, &combined);
	if (rc == ESCROW_ERR_MAC || (rc != ESCROW_OK && combined == 0)) {
		/* more shares than needed: is one of them the culprit? */
		for (i = 0; i < in->nshares && rc != ESCROW_OK; i++) {
			int rc2 = combine_check(in, r, set, (long)i, chosen, index, &combined);

			if (rc2 == ESCROW_OK) {
				tool_err("share from %s is bad: the others restore the envelope "
				    "without it", in->shares[i].source);
				rc = ESCROW_OK;
			}
		}
	}
	escrow_secret_free(chosen);
	if (rc == ESCROW_ERR_MAC) {
		tool_err("the envelope's MAC does not match, although every share matches "
		    "the envelope's commitments");
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
