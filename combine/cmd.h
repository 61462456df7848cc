/*
 * cmd.h - internal to escrow-combine: the parsed command line and the
 * subcommand table (as wireguard-tools' wg.c and git's builtin table
 * have).  combine.c parses the options each entry allows, runs its
 * check, then its function; every subcommand function is declared here.
 *
 * Public data only: paths, URIs and layouts.  PINs and passphrases are
 * read from the files named here (or the terminal) by the subcommands.
 */
#ifndef ESCROW_COMBINE_CMD_H
#define ESCROW_COMBINE_CMD_H

#include <stddef.h>

#include "ceremony.h"
#include "load.h"
#include "options.h"
#include "records.h"

#define CB_MAX_DS_ARGS 64

struct cb_cmd;

/* The command line, as parsed for one subcommand. */
struct cb_opts {
	const struct cb_cmd *cmd;
	const char *envelope;
	const char *trust_anchor;
	const char *ds[CB_MAX_DS_ARGS];
	size_t nds;
	struct tool_load_opts load;
	const char *format;
	const char *output;
	int i_understand;
	const char *passphrase_file;
	struct tool_layout layout;   /* reshare */
	struct tool_ceremony cer;    /* reshare: outputs, new passphrase */
	int yes;
	char **inputs;
	int ninputs;
	const char *algs[CB_MAX_DS_ARGS]; /* probe: -a ALG as given */
	size_t nalgs;
};

/* One subcommand: one line of the table in combine.c. */
struct cb_cmd {
	const char *name;
	int (*run)(const struct cb_opts *o);      /* an exit status */
	/* after parsing: 0, or an exit status (usage errors say why); may be NULL */
	int (*check)(struct cb_opts *o);
	const int *options;   /* option values it takes besides -h, 0-terminated */
	const char *synopsis; /* after "escrow-combine NAME "; continuation lines
	                         start with spaces and line up under it */
	const char *help;     /* its own options, one per line, or "" */
	const char *summary;  /* one line, for the list of subcommands */
};

/* Option values (getopt_long) of escrow-combine's own long options. */
enum {
	CB_OPT_ENVELOPE = 256, CB_OPT_TA, CB_OPT_DS, CB_OPT_FORMAT, CB_OPT_UNDERSTAND,
	CB_OPT_PASSFILE, CB_OPT_NEWPASS,
};

/* The subcommands (verify.c, load.c, export.c, reshare.c, probe.c). */
int cb_cmd_verify(const struct cb_opts *o);
int cb_cmd_audit(const struct cb_opts *o);
int cb_cmd_inspect(const struct cb_opts *o);
int cb_cmd_load(const struct cb_opts *o);
int cb_cmd_export(const struct cb_opts *o);
int cb_cmd_reshare(const struct cb_opts *o);
int cb_cmd_probe(const struct cb_opts *o);
/* probe's own check of its command line (probe.c). */
int cb_check_probe(struct cb_opts *o);

/* An envelope's fingerprint, words and every key's records, on stdout. */
void cb_print_records(const struct tool_records *r);

#endif
