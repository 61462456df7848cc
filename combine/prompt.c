/*
 * prompt.c - typing shares at the terminal.  Every word is checked as it
 * is entered (the whole word or its first four letters, shown expanded);
 * an unknown word is asked for again alone, at its position, and `back'
 * goes back one word.  Once the identifier words are in, a share of
 * another set is named at once, and so is a share already given.  Every
 * share is checked when complete (a one-word fix or a swap of two words
 * that the envelope's commitments single out is offered), and once it is
 * accepted the screen is cleared: only "share 2 of 3 accepted: group 1,
 * member 3" stays.  End of input (Ctrl-D) asks before accepted shares are
 * dropped.
 *
 * Secret: every typed line and word; they live in secret memory (the
 * input's share array and the line buffer) and are wiped.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "prompt.h"
#include "shares.h"
#include "tool.h"

#define LINE_MAX_TYPED 1024

/* What reading one share ended with. */
enum { READ_DONE, READ_STOP, READ_EOF, READ_FOREIGN, READ_ERROR };

static int
numeric(const char *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)t[i]) && t[i] != '.' && t[i] != ')' &&
		    t[i] != ':')
			return 0;
	return 1;
}

/* One share being typed: slots that are filled or not yet. */
struct typing {
	struct cb_share *s;              /* words land in s->words (SECRET) */
	unsigned char have[ESCROW_SLIP39_WORDS_MAX];
	size_t want;
	const struct escrow_envelope *env; /* may be NULL (audit without one) */
	const struct cb_input *in;         /* the shares already accepted */
	int checked_id, checked_member;
};

static size_t
first_empty(const struct typing *t)
{
	size_t i;

	for (i = 0; i < t->want; i++)
		if (!t->have[i])
			return i;
	return t->want;
}

/*
 * The first two words carry the set's identifier and iteration exponent;
 * the third and fourth the group and member.  Check them against the
 * envelope as soon as they are in.  0 fine, -1 the share is not of this
 * envelope's set (or is here already); said why.
 */
static int
early_checks(struct typing *t)
{
	const struct escrow_shareset *set;
	uint32_t bits;
	unsigned id, e, gi, gt, gc, mi, mt;
	size_t k;

	if (t->env == NULL)
		return 0;
	set = escrow_envelope_shareset(t->env);
	if (!t->checked_id && t->have[0] && t->have[1]) {
		t->checked_id = 1;
		bits = ((uint32_t)t->s->words[0] << 10) | t->s->words[1];
		id = bits >> 5;
		e = bits & 15u;
		if (id != set->identifier) {
			cb_report_other_set(t->env, id, "the share being typed", 1);
			return -1;
		}
		if (e != set->iteration_exponent) {
			tool_err("the share being typed says iteration exponent %u, the "
			    "envelope's share set %u", e, set->iteration_exponent);
			tool_hint("check words 1 and 2 against the sheet");
			return -1;
		}
	}
	if (!t->checked_member && t->have[2] && t->have[3]) {
		t->checked_member = 1;
		bits = ((uint32_t)t->s->words[2] << 10) | t->s->words[3];
		gi = bits >> 16;
		gt = ((bits >> 12) & 15u) + 1;
		gc = ((bits >> 8) & 15u) + 1;
		mi = (bits >> 4) & 15u;
		mt = (bits & 15u) + 1;
		if (gc != set->group_count || gt != set->group_threshold ||
		    gi >= set->group_count || mt != set->groups[gi].threshold ||
		    mi >= set->groups[gi].count) {
			tool_err("words 3 and 4 describe group %u, member %u, which this "
			    "envelope's share set does not have", gi + 1, mi + 1);
			tool_hint("check words 3 and 4 against the sheet (type `back' to go "
			    "back to them)");
			t->checked_member = 0;
			return 0; /* a typing mistake: let the checksum name it */
		}
		for (k = 0; k < t->in->nshares; k++)
			if (t->in->shares[k].committed && t->in->shares[k].group == gi &&
			    t->in->shares[k].member == mi) {
				tool_err("that share (group %u, member %u) is already here, from %s",
				    gi + 1, mi + 1, t->in->shares[k].source);
				tool_hint("type another custodian's share");
				return -1;
			}
	}
	return 0;
}

/* Read one share's words; one of READ_*. */
static int
read_share(struct typing *t, unsigned number)
{
	char *line = NULL, prompt[96], shown[400];
	char word[ESCROW_SLIP39_WORD_MAX + 8], full[ESCROW_SLIP39_WORD_MAX + 1];
	size_t i, start, n, pos, nshown;
	int idx, ret = READ_ERROR, retype = 0;

	line = escrow_secret_alloc(LINE_MAX_TYPED);
	if (line == NULL) {
		tool_err("out of secure memory (raise `ulimit -l')");
		return READ_ERROR;
	}
	memset(t->have, 0, sizeof t->have);
	t->checked_id = t->checked_member = 0;
	t->s->nwords = 0;
	fprintf(stderr, "Share %u: type its %zu words, several per line if you like "
	    "(the first four letters of each are enough).\n"
	    "`back' goes back one word; an empty line before the first word stops.\n",
	    number, t->want);
	pos = 0;
	while ((pos = first_empty(t)) < t->want) {
		snprintf(prompt, sizeof prompt, "  share %u, word %zu%s> ", number, pos + 1,
		    retype ? " (again)" : "");
		if (tool_prompt_line(prompt, line, LINE_MAX_TYPED) != 0) {
			ret = tool_interrupted() ? READ_ERROR : READ_EOF;
			goto out;
		}
		retype = 0;
		if (line[0] == '\0' && pos == 0) {
			ret = READ_STOP;
			goto out;
		}
		nshown = 0;
		shown[0] = '\0';
		for (i = 0; line[i] != '\0';) {
			while (isspace((unsigned char)line[i]))
				i++;
			start = i;
			while (line[i] != '\0' && !isspace((unsigned char)line[i]))
				i++;
			n = i - start;
			if (n == 0 || numeric(line + start, n))
				continue;
			if (n == 4 && strncasecmp(line + start, "back", 4) == 0) {
				if (pos == 0) {
					fprintf(stderr, "  (there is no word before word 1)\n");
					continue;
				}
				pos--;
				t->have[pos] = 0;
				t->s->words[pos] = 0;
				if (pos < 4)
					t->checked_member = 0;
				if (pos < 2)
					t->checked_id = 0;
				fprintf(stderr, "  back to word %zu\n", pos + 1);
				continue;
			}
			if (pos >= t->want) {
				fprintf(stderr, "  (a share has %zu words: the rest of the line is "
				    "left out)\n", t->want);
				break;
			}
			idx = -1;
			if (n < sizeof word) {
				memcpy(word, line + start, n);
				word[n] = '\0';
				idx = escrow_slip39_word_lookup(word);
			}
			escrow_wipe(word, sizeof word);
			if (idx < 0) {
				fprintf(stderr, "  word %zu is not a SLIP-0039 word (type the whole "
				    "word or at least its first four letters): type word %zu again, "
				    "alone\n", pos + 1, pos + 1);
				t->have[pos] = 0;
				retype = 1;
				pos++;
				continue;
			}
			t->s->words[pos] = (uint16_t)idx;
			t->have[pos] = 1;
			escrow_slip39_word_ct((unsigned)idx, full);
			if (strlen(full) != n && nshown + 32 < sizeof shown)
				nshown += (size_t)snprintf(shown + nshown, sizeof shown - nshown,
				    " %zu=%s", pos + 1, full);
			escrow_wipe(full, sizeof full);
			pos++;
		}
		escrow_wipe(line, LINE_MAX_TYPED);
		if (nshown > 0)
			fprintf(stderr, "  read as:%s\n", shown);
		escrow_wipe(shown, sizeof shown);
		if (first_empty(t) < t->want && !t->have[first_empty(t)] &&
		    first_empty(t) + 1 < t->want && t->have[first_empty(t) + 1])
			retype = 1;
		if (early_checks(t) != 0) {
			ret = READ_FOREIGN;
			goto out;
		}
	}
	t->s->nwords = t->want;
	ret = READ_DONE;
out:
	escrow_secret_free(line);
	return ret;
}

/* Wipe the screen and its scrollback, then say what is in so far. */
static void
redraw(const struct cb_input *in, const struct escrow_shareset *set)
{
	size_t i;
	unsigned k = 0;

	tool_clear_screen();
	for (i = 0; i < in->nshares; i++) {
		const struct cb_share *s = &in->shares[i];

		if (!s->committed || s->duplicate)
			continue;
		k++;
		if (set != NULL && set->group_count == 1)
			fprintf(stderr, "share %u of %u accepted: group %u, member %u (%s)\n", k,
			    set->groups[0].threshold, s->group + 1u, s->member + 1u, s->source);
		else
			fprintf(stderr, "share %u accepted: group %u, member %u (%s)\n", k,
			    s->group + 1u, s->member + 1u, s->source);
	}
}

/* Ctrl-D or an empty first line: stop?  1 stop, 0 go on typing. */
static int
want_to_stop(const struct cb_input *in, unsigned accepted)
{
	char q[200];

	(void)in;
	if (accepted == 0)
		return 1;
	snprintf(q, sizeof q, "Stop typing shares?  The %u share%s accepted so far would "
	    "be wiped and the restore would end", accepted, accepted == 1 ? "" : "s");
	return tool_confirm(q);
}

static unsigned
accepted_count(const struct cb_input *in)
{
	size_t i;
	unsigned k = 0;

	for (i = 0; i < in->nshares; i++)
		k += in->shares[i].committed && !in->shares[i].duplicate;
	return k;
}

int
cb_prompt_shares(struct cb_input *in, const struct escrow_envelope *env)
{
	const struct escrow_shareset *set = escrow_envelope_shareset(env);
	struct typing t;
	unsigned typed = 0;
	int rc;

	memset(&t, 0, sizeof t);
	t.want = ESCROW_SLIP39_WORDS_MAX;
	t.env = env;
	t.in = in;
	for (;;) {
		struct cb_share *s;
		unsigned accepted = accepted_count(in);

		if (cb_shares_enough(in, set))
			return 0;
		if (in->nshares == CB_MAX_SHARES) {
			tool_err("too many shares typed");
			return -1;
		}
		s = &in->shares[in->nshares];
		memset(s, 0, sizeof *s);
		t.s = s;
		rc = read_share(&t, accepted + 1);
		if (rc != READ_DONE)
			escrow_wipe(s, sizeof *s);
		if (rc == READ_ERROR)
			return -1;
		if (rc == READ_STOP || rc == READ_EOF) {
			if (tool_interrupted() || want_to_stop(in, accepted))
				return 0;
			continue;
		}
		if (rc == READ_FOREIGN)
			continue;
		snprintf(s->source, sizeof s->source, "typed share %u", ++typed);
		if (cb_check_share(s, env, 1) != 0) {
			fprintf(stderr, "  that share was not accepted (see above): type it "
			    "again, or another custodian's\n");
			escrow_wipe(s, sizeof *s);
			continue;
		}
		in->nshares++;
		redraw(in, set);
		cb_report_needed(in, set);
	}
}

int
cb_prompt_one(struct cb_input *in, const struct escrow_envelope *env)
{
	struct cb_share *s;
	struct typing t;
	int rc;

	if (in->nshares == CB_MAX_SHARES || !tool_have_tty())
		return -1;
	s = &in->shares[in->nshares];
	memset(s, 0, sizeof *s);
	memset(&t, 0, sizeof t);
	t.want = ESCROW_SLIP39_WORDS_MAX;
	t.env = env;
	t.in = in;
	t.s = s;
	rc = read_share(&t, 1);
	if (rc != READ_DONE) {
		escrow_wipe(s, sizeof *s);
		return -1;
	}
	snprintf(s->source, sizeof s->source, "the typed share");
	in->nshares++;
	return 0;
}
