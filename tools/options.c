/*
 * options.c - the command-line options both tools share (see options.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "escrow_p11.h"
#include "escrow_slip39.h"
#include "options.h"
#include "secretdirs.h"
#include "secrets.h"
#include "tool.h"

/* The value of the long option NAME (up to any '='), or -1. */
static int
long_val(const struct option *longopts, const char *name)
{
	size_t n = strcspn(name, "=");
	const struct option *o, *prefix = NULL;

	for (o = longopts; o->name != NULL; o++) {
		if (strncmp(o->name, name, n) != 0)
			continue;
		if (strlen(o->name) == n)
			return o->val;
		if (prefix == NULL)
			prefix = o; /* getopt takes an unambiguous abbreviation */
	}
	return prefix != NULL ? prefix->val : -1;
}

const char *
tool_option_name(const struct option *longopts, int argc, char **argv, int li,
    int c, char *buf, size_t cap)
{
	const char *arg = optind - 1 < argc && optind > 0 ? argv[optind - 1] : "";

	if (li >= 0) {
		snprintf(buf, cap, "--%s", longopts[li].name);
	} else if (strncmp(arg, "--", 2) == 0 && (c == 0 || c >= 256 ||
	    long_val(longopts, arg + 2) == c)) {
		/* a long option getopt did not take: as typed, without =VALUE */
		snprintf(buf, cap, "%.*s", (int)strcspn(arg, "="), arg);
	} else {
		snprintf(buf, cap, "-%c", c > 0 && c < 256 ? c : '?');
	}
	return buf;
}

int
tool_bad_option(const struct option *longopts, int argc, char **argv, int li,
    int c, const char *see)
{
	char name[80];

	tool_option_name(longopts, argc, argv, li, c == '?' || c == ':' ? optopt : c,
	    name, sizeof name);
	if (c == ':')
		fprintf(stderr, "%s: option '%s' needs a value; see %s\n", tool_name, name,
		    see);
	else
		fprintf(stderr, "%s: unknown option '%s'; see %s\n", tool_name, name, see);
	return TOOL_EXIT_USAGE;
}

int
tool_option_once(const struct option *longopts, int argc, char **argv, int li,
    int c, const int *repeatable, unsigned char seen[TOOL_OPT_SEEN])
{
	char name[80];
	size_t i;

	for (i = 0; repeatable[i] != 0; i++)
		if (repeatable[i] == c)
			return 0;
	if (c < 0 || c >= TOOL_OPT_SEEN || !seen[c]++)
		return 0;
	tool_option_name(longopts, argc, argv, li, c, name, sizeof name);
	return tool_bad_usage("%s given twice: give it once", name);
}

void
tool_layout_init(struct tool_layout *l)
{
	memset(l, 0, sizeof *l);
	l->set.iteration_exponent = ESCROW_SLIP39_DEFAULT_ITERATION_EXPONENT;
}

void
tool_load_init(struct tool_load_opts *o)
{
	memset(o, 0, sizeof *o);
	o->strategy = ESCROW_P11_AUTO;
}

int
tool_layout_option(int opt, const char *arg, struct tool_layout *l)
{
	unsigned long v;

	switch (opt) {
	case 'm':
	case 'N':
		if (tool_parse_uint(arg, 1, 16, &v) != 0) {
			tool_bad_usage("-%c `%s': a number from 1 to 16", opt, arg);
			return -1;
		}
		*(opt == 'm' ? &l->m : &l->n) = (int)v;
		return 1;
	case TOOL_OPT_GROUP:
		if (l->ngroups == ESCROW_SHARESET_MAX_GROUPS) {
			tool_bad_usage("--group `%s': at most 16 groups", arg);
			return -1;
		}
		if (tool_parse_group(arg, &l->set.groups[l->ngroups].threshold,
		    &l->set.groups[l->ngroups].count) != 0) {
			tool_bad_usage("--group `%s': write M/N with 1 <= M <= N <= 16", arg);
			return -1;
		}
		l->ngroups++;
		return 1;
	case TOOL_OPT_GROUP_THRESHOLD:
		if (tool_parse_uint(arg, 1, 16, &v) != 0) {
			tool_bad_usage("--group-threshold `%s': a number from 1 to 16", arg);
			return -1;
		}
		l->group_threshold = (int)v;
		return 1;
	case TOOL_OPT_ITER:
		if (tool_parse_uint(arg, 0, 15, &v) != 0) {
			tool_bad_usage("--iteration-exponent `%s': 0 to 15", arg);
			return -1;
		}
		l->set.iteration_exponent = (uint8_t)v;
		return 1;
	}
	return 0;
}

int
tool_layout_finish(struct tool_layout *l, int required)
{
	if ((l->m || l->n) && l->ngroups) {
		tool_bad_usage("use either -m/-N or --group, not both");
		return -1;
	}
	if (l->group_threshold && !l->ngroups) {
		tool_bad_usage("--group-threshold goes with --group");
		return -1;
	}
	if (l->ngroups == 0) {
		if (!l->m || !l->n) {
			if (!required && !l->m && !l->n)
				return 0;
			tool_bad_usage("say how to split: -m M -N N, or --group M/N ...");
			return -1;
		}
		if (l->m > l->n) {
			tool_bad_usage("-m must not exceed -N");
			return -1;
		}
		if (l->m == 1 && l->n > 1) {
			tool_bad_usage("1-of-N is not allowed by SLIP-0039: every share would "
			    "be the secret itself; use -m 1 -N 1, or M >= 2");
			return -1;
		}
		l->set.group_count = 1;
		l->set.group_threshold = 1;
		l->set.groups[0].threshold = (uint8_t)l->m;
		l->set.groups[0].count = (uint8_t)l->n;
	} else {
		l->set.group_count = (uint8_t)l->ngroups;
		l->set.group_threshold = (uint8_t)(l->group_threshold ?
		    l->group_threshold : l->ngroups);
		if (l->set.group_threshold > l->set.group_count) {
			tool_bad_usage("--group-threshold exceeds the number of groups");
			return -1;
		}
	}
	if (escrow_slip39_shareset_check(&l->set) != ESCROW_OK) {
		tool_bad_usage("invalid share layout: every M <= N <= 16, and a group "
		    "with threshold 1 has 1 member");
		return -1;
	}
	return 0;
}

int
tool_output_option(int opt, const char *arg, struct tool_ceremony *c)
{
	switch (opt) {
	case TOOL_OPT_SHARES_OUT:
		c->shares_out = arg;
		return 1;
	case TOOL_OPT_PDF:
		c->paper.pdf = 1;
		return 1;
	case TOOL_OPT_PRINT:
		c->paper.queue = arg;
		return 1;
	case TOOL_OPT_ALLOW_REMOVABLE:
		c->allow_removable_secrets = 1;
		return 1;
	case TOOL_OPT_PAPER:
		if (tool_paper_parse(arg, &c->paper.paper) != 0) {
			tool_bad_usage("--paper `%s': a4 or letter", arg);
			return -1;
		}
		return 1;
	}
	return 0;
}

int
tool_load_option(int opt, const char *arg, struct tool_load_opts *o)
{
	int s;

	switch (opt) {
	case TOOL_OPT_MODULE:
		o->module = arg;
		return 1;
	case TOOL_OPT_TOKEN:
		o->token = arg;
		return 1;
	case TOOL_OPT_PIN_SOURCE:
		o->pin_source = arg;
		return 1;
	case TOOL_OPT_STRATEGY:
		s = escrow_p11_strategy_parse(arg);
		if (s < 0) {
			tool_bad_usage("--strategy `%s': auto, unwrap, transport or create", arg);
			return -1;
		}
		o->strategy = s;
		return 1;
	case TOOL_OPT_REPLACE:
		o->replace = 1;
		return 1;
	case TOOL_OPT_RRSIG_OUT:
		o->rrsig_out = arg;
		return 1;
	case TOOL_OPT_MODULE_INIT_ARGS:
		o->init_args = arg;
		return 1;
	case TOOL_OPT_ACCEPT_USAGES:
		o->accept_usages = 1;
		return 1;
	case TOOL_OPT_SESSIONS:
		if (tool_parse_uint(arg, 1, ESCROW_P11_MAX_SESSIONS, &o->sessions) != 0) {
			tool_bad_usage("--sessions `%s': a number of sessions from 1 to "
			    "%d", arg, ESCROW_P11_MAX_SESSIONS);
			return -1;
		}
		return 1;
	}
	return 0;
}

int
tool_load_finish(const struct tool_load_opts *o)
{
	int uri_module = o->token != NULL && (strstr(o->token, "module-path=") != NULL ||
	    strstr(o->token, "module-name=") != NULL);

	if (o->module != NULL && o->token == NULL) {
		tool_bad_usage("--module goes with --token URI");
		return -1;
	}
	if (o->token != NULL && o->module == NULL && !uri_module) {
		tool_bad_usage("--token needs --module PATH|NAME, or module-path= or "
		    "module-name= in the URI");
		return -1;
	}
	if ((o->pin_source != NULL || o->init_args != NULL ||
	    o->accept_usages || o->sessions != 0) && o->token == NULL) {
		tool_bad_usage("--pin-source, --module-init-args, --accept-token-usages "
		    "and --sessions go with --module and --token");
		return -1;
	}
	if (o->token != NULL && strncmp(o->token, "pkcs11:", 7) != 0) {
		tool_bad_usage("--token `%s' is not a PKCS#11 URI: write it as "
		    "`pkcs11:token=%s' (RFC 7512)", o->token, o->token);
		return -1;
	}
	if ((o->replace || o->rrsig_out != NULL) && o->module == NULL) {
		tool_bad_usage("--replace and --rrsig-out go with --module and --token");
		return -1;
	}
	if (o->token != NULL && tool_token_uri_check(o->token) != 0)
		return -1;
	return 0;
}

int
tool_output_finish(const struct tool_ceremony *c)
{
	if (!c->paper.pdf && c->paper.queue == NULL && c->shares_out == NULL) {
		tool_bad_usage("the shares must go somewhere: give --print QUEUE, --pdf, "
		    "or --shares-out DIR (without them the envelope could never be opened)");
		return -1;
	}
	return tool_secret_dirs_check(c);
}

int
tool_shared_option(int opt, const char *arg, struct tool_layout *l,
    struct tool_ceremony *c, struct tool_load_opts *o)
{
	int taken;

	if ((taken = tool_layout_option(opt, arg, l)) == 0 &&
	    (taken = tool_output_option(opt, arg, c)) == 0)
		taken = tool_load_option(opt, arg, o);
	return taken;
}
