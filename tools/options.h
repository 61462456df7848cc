/*
 * options.h - command-line options both tools share: the share layout
 * (-m/-N, --group, --group-threshold, --iteration-exponent), the
 * ceremony's outputs (--shares-out, --pdf, --print, --paper), and the
 * PKCS#11 load (--module, --token, --pin-source, --strategy, --replace,
 * --rrsig-out, --sessions).  Public data only.
 */
#ifndef ESCROW_TOOL_OPTIONS_H
#define ESCROW_TOOL_OPTIONS_H

#include <getopt.h>
#include <stddef.h>

#include "ceremony.h"
#include "load.h"

/* getopt_long values of the shared long options */
enum {
	TOOL_OPT_GROUP = 1000, TOOL_OPT_GROUP_THRESHOLD, TOOL_OPT_ITER,
	TOOL_OPT_SHARES_OUT, TOOL_OPT_PDF, TOOL_OPT_PRINT, TOOL_OPT_PAPER,
	TOOL_OPT_MODULE, TOOL_OPT_TOKEN, TOOL_OPT_PIN_SOURCE, TOOL_OPT_STRATEGY,
	TOOL_OPT_REPLACE, TOOL_OPT_RRSIG_OUT, TOOL_OPT_MODULE_INIT_ARGS,
	TOOL_OPT_ACCEPT_USAGES, TOOL_OPT_ALLOW_REMOVABLE, TOOL_OPT_SESSIONS,
};

/* The struct option lines for them, to put in a tool's table. */
#define TOOL_LAYOUT_LONGOPTS \
	{ "group", required_argument, NULL, TOOL_OPT_GROUP }, \
	{ "group-threshold", required_argument, NULL, TOOL_OPT_GROUP_THRESHOLD }, \
	{ "iteration-exponent", required_argument, NULL, TOOL_OPT_ITER }
#define TOOL_OUTPUT_LONGOPTS \
	{ "shares-out", required_argument, NULL, TOOL_OPT_SHARES_OUT }, \
	{ "pdf", no_argument, NULL, TOOL_OPT_PDF }, \
	{ "print", required_argument, NULL, TOOL_OPT_PRINT }, \
	{ "paper", required_argument, NULL, TOOL_OPT_PAPER }, \
	{ "allow-removable-secrets", no_argument, NULL, TOOL_OPT_ALLOW_REMOVABLE }
#define TOOL_LOAD_LONGOPTS \
	{ "module", required_argument, NULL, TOOL_OPT_MODULE }, \
	{ "token", required_argument, NULL, TOOL_OPT_TOKEN }, \
	{ "pin-source", required_argument, NULL, TOOL_OPT_PIN_SOURCE }, \
	{ "strategy", required_argument, NULL, TOOL_OPT_STRATEGY }, \
	{ "module-init-args", required_argument, NULL, TOOL_OPT_MODULE_INIT_ARGS }, \
	{ "accept-token-usages", no_argument, NULL, TOOL_OPT_ACCEPT_USAGES }, \
	{ "sessions", required_argument, NULL, TOOL_OPT_SESSIONS }
/* escrow-combine load only */
#define TOOL_LOAD_EXTRA_LONGOPTS \
	{ "replace", no_argument, NULL, TOOL_OPT_REPLACE }, \
	{ "rrsig-out", required_argument, NULL, TOOL_OPT_RRSIG_OUT }

/* The share layout as given on the command line. */
struct tool_layout {
	int m, n, ngroups, group_threshold;
	struct escrow_shareset set;
};


/*
 * The option getopt_long() just returned (c, with li its long index or
 * -1), as the user wrote it: "--name" or "-c", into buf.
 */
const char *tool_option_name(const struct option *longopts, int argc, char **argv,
    int li, int c, char *buf, size_t cap);

/*
 * For getopt_long()'s '?' or ':' (the option string starts with ':' and
 * opterr is 0): "tool: unknown option '--x'; see SEE" (or "option '--x'
 * needs a value"); returns exit code 2.
 */
int tool_bad_option(const struct option *longopts, int argc, char **argv, int li,
    int c, const char *see);

/*
 * A single-value option given a second time is a usage error (the
 * message is printed, 2 returned); repeatable lists the option values
 * that may repeat (0-terminated); seen is zeroed by the caller.  0 when
 * the option may be taken.
 */
#define TOOL_OPT_SEEN 1100
int tool_option_once(const struct option *longopts, int argc, char **argv, int li,
    int c, const int *repeatable, unsigned char seen[TOOL_OPT_SEEN]);

/*
 * Take one option if it is one of these groups': 1 taken, 0 not one of
 * them, -1 bad value (the message is printed).
 */
int tool_layout_option(int opt, const char *arg, struct tool_layout *l);
int tool_output_option(int opt, const char *arg, struct tool_ceremony *c);
int tool_load_option(int opt, const char *arg, struct tool_load_opts *o);

/* All three in turn: 1 taken, 0 not a shared option, -1 bad value. */
int tool_shared_option(int opt, const char *arg, struct tool_layout *l,
    struct tool_ceremony *c, struct tool_load_opts *o);

/* Defaults before parsing. */
void tool_layout_init(struct tool_layout *l);
void tool_load_init(struct tool_load_opts *o);

/*
 * Check the layout and fill l->set (thresholds, counts, iteration
 * exponent).  required: a layout must have been given.  0, or -1 with the
 * message printed.
 */
int tool_layout_finish(struct tool_layout *l, int required);

/* At least one of --print, --pdf, --shares-out; --pdf (into c->outdir)
 * and --shares-out not on a removable or network medium unless
 * --allow-removable-secrets (secretdirs.h).  0 or -1. */
int tool_output_finish(const struct tool_ceremony *c);

/* --token needs --module unless the URI names it (module-path=,
 * module-name=); --pin-source and --module-init-args need a token.  0 or -1. */
int tool_load_finish(const struct tool_load_opts *o);

#endif
