/*
 * prompt.c - typing shares at the terminal: every word is checked as it
 * is entered (the whole word or its first four letters), every share when
 * it is complete, and the tool says how many more are needed.  The typed
 * text is secret and lives in secret memory.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "prompt.h"
#include "shares.h"
#include "tool.h"

#define LINE_MAX_TYPED 1024

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

/* Read one share's words; 1 done, 0 operator stopped, -1 error. */
static int
read_share(struct cb_share *s, size_t want, unsigned number)
{
	char *line = NULL, prompt[96];
	char word[ESCROW_SLIP39_WORD_MAX + 8];
	size_t i, start, n;
	int idx, ret = -1;

	line = escrow_secret_alloc(LINE_MAX_TYPED);
	if (line == NULL)
		return -1;
	s->nwords = 0;
	fprintf(stderr, "Share %u: type its %zu words, several per line if you like "
	    "(the first four letters of each are enough).\n"
	    "An empty line before the first word stops.\n", number, want);
	while (s->nwords < want) {
		snprintf(prompt, sizeof prompt, "  share %u, word %zu> ", number,
		    s->nwords + 1);
		if (tool_prompt_line(prompt, line, LINE_MAX_TYPED) != 0)
			goto out;
		if (line[0] == '\0' && s->nwords == 0) {
			ret = 0;
			goto out;
		}
		for (i = 0; line[i] != '\0' && s->nwords < want;) {
			while (isspace((unsigned char)line[i]))
				i++;
			start = i;
			while (line[i] != '\0' && !isspace((unsigned char)line[i]))
				i++;
			n = i - start;
			if (n == 0 || numeric(line + start, n))
				continue;
			idx = -1;
			if (n < sizeof word) {
				memcpy(word, line + start, n);
				word[n] = '\0';
				idx = escrow_slip39_word_lookup(word);
			}
			escrow_wipe(word, sizeof word);
			if (idx < 0) {
				fprintf(stderr, "  word %zu is not a SLIP-0039 word (type the "
				    "whole word or at least its first four letters); type again "
				    "from word %zu\n", s->nwords + 1, s->nwords + 1);
				break;
			}
			s->words[s->nwords++] = (uint16_t)idx;
		}
		escrow_wipe(line, LINE_MAX_TYPED);
	}
	ret = 1;
out:
	escrow_secret_free(line);
	return ret;
}

int
cb_prompt_shares(struct cb_input *in, const struct escrow_envelope *env)
{
	const struct escrow_shareset *set = escrow_envelope_shareset(env);
	unsigned typed = 0;
	int rc;

	for (;;) {
		struct cb_share *s;
		size_t dup;

		if (cb_shares_enough(in, set))
			return 0;
		if (in->nshares == CB_MAX_SHARES) {
			tool_err("too many shares typed");
			return -1;
		}
		s = &in->shares[in->nshares];
		memset(s, 0, sizeof *s);
		rc = read_share(s, ESCROW_SLIP39_WORDS_MAX, ++typed);
		if (rc <= 0) {
			escrow_wipe(s, sizeof *s);
			return rc == 0 ? 0 : -1;
		}
		snprintf(s->source, sizeof s->source, "typed share %u", typed);
		if (cb_check_share(s, env, 1) != 0) {
			fprintf(stderr, "  that share was not accepted: type it again\n");
			escrow_wipe(s, sizeof *s);
			continue;
		}
		for (dup = 0; dup < in->nshares; dup++)
			if (in->shares[dup].committed && in->shares[dup].group == s->group &&
			    in->shares[dup].member == s->member)
				break;
		if (dup < in->nshares) {
			fprintf(stderr, "  that share (group %u, member %u) is already here\n",
			    s->group + 1u, s->member + 1u);
			escrow_wipe(s, sizeof *s);
			continue;
		}
		in->nshares++;
		fprintf(stderr, "  accepted: group %u, member %u\n", s->group + 1u,
		    s->member + 1u);
		cb_report_needed(in, set);
	}
}

int
cb_prompt_one(struct cb_input *in)
{
	struct cb_share *s;
	int rc;

	if (in->nshares == CB_MAX_SHARES || !tool_have_tty())
		return -1;
	s = &in->shares[in->nshares];
	memset(s, 0, sizeof *s);
	rc = read_share(s, ESCROW_SLIP39_WORDS_MAX, 1);
	if (rc <= 0) {
		escrow_wipe(s, sizeof *s);
		return -1;
	}
	snprintf(s->source, sizeof s->source, "the typed share");
	in->nshares++;
	return 0;
}
