/*
 * shares.c - check each share alone against the envelope (checksum, set,
 * commitment), offer the one-word correction that the envelope's
 * commitments single out, and count what a restore has and still needs
 * (see shares.h), and name a share of another set: of a set the
 * envelope replaced (void), or of another ceremony.  Share words are
 * secret: copies are in secret memory and wiped.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "records.h"
#include "shares.h"
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

/* Does w (SECRET) pass the checksum and match one of env's commitments? */
static int
fits(const uint16_t *w, size_t n, const struct escrow_envelope *env)
{
	return escrow_slip39_checksum_valid(w, n) &&
	    escrow_envelope_find_commitment(env, w, n, NULL, NULL) == ESCROW_OK;
}

/*
 * A share whose checksum fails: look for the single-word change (at the
 * positions the checksum points to), else the swap of two words, that
 * makes the checksum valid AND matches one of the envelope's commitments.
 * Only an unambiguous candidate is offered, and only used when the
 * operator agrees.
 */
static int
try_correct(struct cb_share *s, const struct escrow_envelope *env,
    const struct escrow_slip39_diag *d, int interactive)
{
	uint16_t *w = NULL, t;
	size_t i, j, found = 0, swaps = 0, pos = 0, pos2 = 0;
	unsigned cand = 0, v;
	char was[ESCROW_SLIP39_WORD_MAX + 1], now[ESCROW_SLIP39_WORD_MAX + 1];
	char question[400];
	int ret = -1;

	if (env == NULL)
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
			if (fits(w, s->nwords, env)) {
				found++;
				pos = p;
				cand = v;
			}
		}
		w[p] = orig;
	}
	/* two words typed in each other's place */
	for (i = 0; found == 0 && i < s->nwords; i++)
		for (j = i + 1; j < s->nwords; j++) {
			if (w[i] == w[j])
				continue;
			t = w[i];
			w[i] = w[j];
			w[j] = t;
			if (fits(w, s->nwords, env)) {
				swaps++;
				pos = i;
				pos2 = j;
			}
			w[j] = w[i];
			w[i] = t;
		}
	if (found + swaps != 1)
		goto out;
	if (!interactive || !tool_have_tty()) {
		if (found)
			tool_hint("exactly one correction matches the envelope: word %zu; run "
			    "on a terminal to review and accept it, or correct that word",
			    pos + 1);
		else
			tool_hint("exactly one correction matches the envelope: words %zu and "
			    "%zu swapped; run on a terminal to review and accept it, or put "
			    "them in order", pos + 1, pos2 + 1);
		goto out;
	}
	escrow_slip39_word_ct(s->words[pos], was);
	escrow_slip39_word_ct(found ? cand : s->words[pos2], now);
	if (found)
		snprintf(question, sizeof question,
		    "Share from %.200s: change word %zu from `%s' to `%s'?", s->source,
		    pos + 1, was, now);
	else
		snprintf(question, sizeof question,
		    "Share from %.200s: words %zu and %zu look swapped: make word %zu `%s' "
		    "and word %zu `%s'?", s->source, pos + 1, pos2 + 1, pos + 1, now,
		    pos2 + 1, was);
	escrow_wipe(was, sizeof was);
	escrow_wipe(now, sizeof now);
	if (tool_confirm(question)) {
		if (found) {
			s->words[pos] = (uint16_t)cand;
			fprintf(stderr, "%s: share from %s: word %zu corrected\n", tool_name,
			    s->source, pos + 1);
		} else {
			t = s->words[pos];
			s->words[pos] = s->words[pos2];
			s->words[pos2] = t;
			fprintf(stderr, "%s: share from %s: words %zu and %zu put in order\n",
			    tool_name, s->source, pos + 1, pos2 + 1);
		}
		ret = 0;
	}
	escrow_wipe(question, sizeof question);
out:
	t = 0;
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
		char who[sizeof s->source + 16];

		snprintf(who, sizeof who, "share from %s", s->source);
		cb_report_other_set(env, s->share.identifier, who, 0);
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

void
cb_report_other_set(const struct escrow_envelope *env, unsigned id, const char *who,
    int typing)
{
	const struct escrow_shareset *set = escrow_envelope_shareset(env);
	const struct escrow_envelope_replaced *next = NULL;
	uint8_t fp[ESCROW_ENVELOPE_HASH_LEN];
	char hex[ESCROW_FINGERPRINT_HEX_MAX], when[32];
	const uint8_t *bytes;
	size_t i, n = escrow_envelope_replaced_count(env), len;

	/* the newest entry first; the one after it replaced it */
	for (i = n; i-- > 0;)
		if (escrow_envelope_replaced_at(env, i)->identifier == id)
			break;
	if (i == SIZE_MAX) { /* none */
		tool_err("%s belongs to share set %u, but the envelope's share set is %u", who,
		    id, set->identifier);
		tool_hint("that sheet is from another ceremony%s: leave it out%s",
		    n > 0 ? " (this envelope names the share sets it replaced, and that "
		    "one is not among them)" : ", or from a share set that was replaced",
		    typing ? " (check the set number printed on the sheet), and type "
		    "another custodian's share" : "");
		return;
	}
	tool_time_iso(escrow_envelope_created(env), when);
	if (i + 1 < n)
		next = escrow_envelope_replaced_at(env, i + 1);
	if (next == NULL) {
		/* this envelope replaced it */
		bytes = escrow_envelope_bytes(env, &len);
		if (escrow_envelope_fingerprint(bytes, len, fp) != ESCROW_OK)
			memset(fp, 0, sizeof fp);
		escrow_envelope_fingerprint_hex(fp, hex);
		tool_err("%s is a share of REPLACED share set %u: it was replaced on %.10s "
		    "by this envelope (fingerprint %s), whose share set is %u", who, id,
		    when, hex, set->identifier);
	} else {
		escrow_envelope_fingerprint_hex(next->fingerprint, hex);
		tool_err("%s is a share of REPLACED share set %u: it was replaced by envelope "
		    "%s (share set %u), which this envelope's share set %u replaced in turn "
		    "on %.10s", who, id, hex, next->identifier, set->identifier, when);
	}
	tool_hint("the share is void (it cannot restore this envelope): destroy that "
	    "sheet, as the reshare transcript asks, and %s a share of the current share "
	    "set %u", typing ? "type" : "bring", set->identifier);
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

int
cb_shares_enough(const struct cb_input *in, const struct escrow_shareset *set)
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

void
cb_mark_duplicates(struct cb_input *in)
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

