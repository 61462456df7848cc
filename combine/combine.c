/*
 * combine.c - escrow-combine: the restore side.  The table below names
 * every subcommand with its function, the options it takes, its usage and
 * a one-line summary; this file parses the command line for the one asked
 * for, prints help from the table, and runs it.  The subcommands live in
 * verify.c (verify, audit, inspect), load.c, export.c, reshare.c and
 * probe.c.
 *
 * Secret: nothing here; shares, passphrase, master secret, PIN and private
 * keys are handled by the subcommands in secret memory.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "escrow_paper.h"
#include "options.h"
#include "tool.h"
#include "version.h"

/* The options every restoring subcommand takes. */
#define COMMON CB_OPT_ENVELOPE, CB_OPT_PASSFILE, 'y'

static const int verify_opts[] = { COMMON, CB_OPT_TA, CB_OPT_DS, 0 };
static const int audit_opts[] = { COMMON, CB_OPT_PARAMS, 0 };
static const int partial_opts[] = { CB_OPT_SHARE, CB_OPT_PARAMS, CB_OPT_REQUEST,
	'o', TOOL_OPT_PDF, 'y', 0 };
static const int assemble_opts[] = { CB_OPT_PARAMS, CB_OPT_REQUEST, 'o', 0 };
#define P11_OPTS TOOL_OPT_MODULE, TOOL_OPT_TOKEN, TOOL_OPT_PIN_SOURCE, \
	TOOL_OPT_STRATEGY, TOOL_OPT_MODULE_INIT_ARGS, TOOL_OPT_ACCEPT_USAGES
static const int load_opts[] = { COMMON, P11_OPTS, TOOL_OPT_REPLACE,
	TOOL_OPT_RRSIG_OUT, TOOL_OPT_SESSIONS, 0 };
static const int probe_opts[] = { CB_OPT_ENVELOPE, P11_OPTS, 'a', 0 };
static const int export_opts[] = { COMMON, CB_OPT_FORMAT, 'o', CB_OPT_UNDERSTAND, 0 };
static const int reshare_opts[] = { COMMON, 'm', 'N', TOOL_OPT_GROUP,
	TOOL_OPT_GROUP_THRESHOLD, TOOL_OPT_ITER, 'o', CB_OPT_NEWPASS, TOOL_OPT_PDF,
	TOOL_OPT_PRINT, TOOL_OPT_PAPER, TOOL_OPT_SHARES_OUT, P11_OPTS,
	TOOL_OPT_SESSIONS, TOOL_OPT_ALLOW_REMOVABLE, 0 };
static const int inspect_opts[] = { 0 };

static int check_verify(struct cb_opts *o);
static int check_audit(struct cb_opts *o);
static int check_load(struct cb_opts *o);
static int check_export(struct cb_opts *o);
static int check_reshare(struct cb_opts *o);
static int check_inspect(struct cb_opts *o);
static int run_audit(const struct cb_opts *o);

#define SYN_INDENT "                              "

#define P11_HELP \
"      --module PATH|NAME      PKCS#11 module: a path, or a p11-kit module name\n" \
"                              (omit it when the URI has module-path=/module-name=)\n" \
"      --token URI             the token, as a PKCS#11 URI (pkcs11:token=...; a\n" \
"                              space is %20)\n" \
"      --pin-source FILE       the user PIN from FILE (otherwise asked without echo)\n" \
"      --strategy S            auto (default), unwrap, transport or create\n" \
"      --module-init-args S    C_Initialize arguments (pReserved): NSS softoken,\n" \
"                              YubiHSM 2\n" \
"      --accept-token-usages   keep keys a token made with more usages than SIGN\n"

static const struct cb_cmd commands[] = {
	{ "verify", cb_cmd_verify, check_verify, verify_opts,
	  "[--envelope FILE] [--trust-anchor XML | --ds RR ...] [INPUT ...]\n",
"      --trust-anchor XML      an RFC 9718 trust-anchor file the keys must match\n"
"      --ds RR                 a DS record the keys must match (repeatable)\n",
	  "combine the shares, check everything, print the records, forget" },
	{ "audit", run_audit, check_audit, audit_opts,
	  "--envelope FILE [INPUT] | ENVELOPE [INPUT] | --params PARAMS SHEET|FILE\n",
"      --params PARAMS         a threshold key's public parameters: check one\n"
"                              threshold share sheet (v^s_i = v_i)\n",
	  "check one share against the envelope alone (a custodian's yearly check)" },
	{ "load", cb_cmd_load, check_load, load_opts,
	  "[--envelope FILE] --module PATH|NAME --token URI [--pin-source FILE]\n"
	  SYN_INDENT "[--strategy auto|unwrap|transport|create] [--replace]\n"
	  SYN_INDENT "[--rrsig-out FILE] [--sessions N] [INPUT ...]\n",
P11_HELP
"      --sessions N            load over N sessions on parallel threads (1-32;\n"
"                              default 1): for a network HSM, where every call\n"
"                              is a round trip\n"
"      --replace               replace objects with the same CKA_ID\n"
"      --rrsig-out FILE        sign each key's DNSKEY RRset in the token; write\n"
"                              DNSKEY and RRSIG records to FILE\n",
	  "restore the keys into a PKCS#11 token, proven by a signature made in it" },
	{ "export", cb_cmd_export, check_export, export_opts,
	  "[--envelope FILE] --format pem|bind -o FILE\n"
	  SYN_INDENT "--i-understand-this-writes-a-private-key [INPUT ...]\n",
"      --format pem|bind       PKCS#8 PEM (all keys) or BIND Private-key-format (one key)\n"
"  -o FILE                     a new file, created 0600\n"
"      --i-understand-this-writes-a-private-key   required\n",
	  "restore and write the private keys to a file, in the clear" },
	{ "reshare", cb_cmd_reshare, check_reshare, reshare_opts,
	  "[--envelope FILE] (-m M -N N | --group M/N ...) -o DIR\n"
	  SYN_INDENT "[--pdf] [--print QUEUE] [INPUT ...]\n",
"  -m M -N N | --group M/N ... [--group-threshold G]   the new share layout\n"
"  -o DIR                      where the new envelope and records go\n"
"      --new-passphrase-file FILE  passphrase of the new set (otherwise asked twice)\n"
"      --pdf, --print QUEUE, --paper a4|letter, --shares-out DIR   as escrow-keygen\n"
"      --module, --token, --pin-source, --strategy, --module-init-args,\n"
"      --accept-token-usages, --sessions   also load the keys, as load\n"
"      --allow-removable-secrets   as escrow-keygen (tests only)\n",
	  "restore, then make a new master secret, share set and envelope" },
	{ "probe", cb_cmd_probe, cb_check_probe, probe_opts,
	  "[--module PATH|NAME] --token URI [--pin-source FILE]\n"
	  SYN_INDENT "[--module-init-args S] [--strategy S] [--accept-token-usages]\n"
	  SYN_INDENT "(--envelope FILE | -a ALG ...)\n",
"  -a, --algorithm ALG         a key type to try: 8, 10, 13, 14, 15, 16 or their\n"
"                              names (RSASHA256, ...); repeatable\n"
"      --envelope FILE         try the key types of this envelope\n"
P11_HELP,
	  "before a ceremony, try each key type in the token with a throwaway key" },
	{ "inspect", cb_cmd_inspect, check_inspect, inspect_opts,
	  "FILE|INPUT ...\n", "",
	  "say what a piece of paper or a file is, without secrets" },
	{ "partial", cb_cmd_partial, cb_check_partial, partial_opts,
	  "--share SHEET|FILE --params PARAMS --request KSR.xml|ZONE\n"
	  SYN_INDENT "-o PARTIAL [--pdf] [--yes]\n",
"      --share SHEET|FILE      a threshold share: scans of its sheet, or its typed form\n"
"      --params PARAMS         the key's public parameters file\n"
"      --request FILE          an IANA KSR (XML) or a zone-file DNSKEY RRset\n"
"  -o PARTIAL                  the partial-signature file (public), new\n"
"      --pdf                   also PARTIAL.pdf, a printable sheet of it\n",
	  "threshold key: one custodian signs a request with their share alone" },
	{ "assemble", cb_cmd_assemble, cb_check_assemble, assemble_opts,
	  "--params PARAMS --request KSR.xml|ZONE PARTIAL ... -o SKR.xml|ZONE\n",
"      --params, --request     as for partial\n"
"  -o OUT                      the SKR (for a KSR) or DNSKEY and RRSIG records\n",
	  "threshold key: combine any M partials into checked RSA signatures" },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const struct option longopts[] = {
	{ "envelope", required_argument, NULL, CB_OPT_ENVELOPE },
	{ "trust-anchor", required_argument, NULL, CB_OPT_TA },
	{ "ds", required_argument, NULL, CB_OPT_DS },
	{ "format", required_argument, NULL, CB_OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "i-understand-this-writes-a-private-key", no_argument, NULL, CB_OPT_UNDERSTAND },
	{ "passphrase-file", required_argument, NULL, CB_OPT_PASSFILE },
	{ "new-passphrase-file", required_argument, NULL, CB_OPT_NEWPASS },
	{ "share", required_argument, NULL, CB_OPT_SHARE },
	{ "params", required_argument, NULL, CB_OPT_PARAMS },
	{ "request", required_argument, NULL, CB_OPT_REQUEST },
	{ "yes", no_argument, NULL, 'y' },
	{ "help", no_argument, NULL, 'h' },
	{ "algorithm", required_argument, NULL, 'a' },
	TOOL_LAYOUT_LONGOPTS,
	TOOL_OUTPUT_LONGOPTS,
	TOOL_LOAD_LONGOPTS,
	TOOL_LOAD_EXTRA_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

static const char inputs_help[] =
"INPUT is any mix of scanned pages (PNG, PNM, JPEG, PDF) and text files holding\n"
"shares or the envelope's text form, in any order.  With no share among the INPUTs\n"
"and a terminal, the shares are asked for one by one.\n";

static const char common_help[] =
"      --envelope FILE         the envelope (.escrow file, its text form, or scans)\n"
"      --passphrase-file FILE  the SLIP-0039 passphrase (otherwise asked; empty\n"
"                              when there is no terminal)\n"
"  -y, --yes                   no questions (no corrections, no waits)\n";

static const char exit_help[] =
"Exit status: 0 success, 1 failure, 2 usage.  See escrow-combine(1).\n";

static int
takes(const struct cb_cmd *c, int opt)
{
	size_t i;

	for (i = 0; c->options[i] != 0; i++)
		if (c->options[i] == opt)
			return 1;
	return 0;
}

static void
synopsis(FILE *f, const char *lead, const struct cb_cmd *c)
{
	fprintf(f, "%sescrow-combine %-7s %s", lead, c->name, c->synopsis);
}

/* The whole help: every subcommand. */
static void
usage(FILE *f)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		synopsis(f, i == 0 ? "usage: " : "       ", &commands[i]);
	fprintf(f, "       escrow-combine SUBCOMMAND --help   (that subcommand's help)\n\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n%s\nCommon options:\n%s  -h, --help                  this help\n"
	    "      --version               the suite's version (given alone)\n",
	    inputs_help, common_help);
	for (i = 0; i < NCOMMANDS; i++)
		if (commands[i].help[0] != '\0')
			fprintf(f, "%s:\n%s", commands[i].name, commands[i].help);
	fprintf(f, "\n%s", exit_help);
}

/* One subcommand's help only. */
static void
usage_cmd(FILE *f, const struct cb_cmd *c)
{
	synopsis(f, "usage: ", c);
	fprintf(f, "\n%c%s.\n\n", c->summary[0] - 'a' + 'A', c->summary + 1);
	/* the restoring subcommands (probe takes --envelope, but no share) */
	if (takes(c, CB_OPT_PASSFILE))
		fprintf(f, "%s\n", inputs_help);
	fprintf(f, "Options:\n%s%s  -h, --help                  this help\n\n%s",
	    takes(c, CB_OPT_PASSFILE) ? common_help : "", c->help, exit_help);
}

/* Returns -1 to go on, or an exit status. */
static int
parse_args(int argc, char **argv, struct cb_opts *o)
{
	static const int repeatable[] = { CB_OPT_DS, TOOL_OPT_GROUP, TOOL_OPT_PDF, 'y',
	    'a', 0 };
	unsigned char seen[TOOL_OPT_SEEN] = { 0 };
	char name[64], see[64];
	size_t i;
	int c, li, taken;

	memset(o, 0, sizeof *o);
	o->cer.paper.paper = ESCROW_PAPER_A4;
	tool_layout_init(&o->layout);
	tool_load_init(&o->load);
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc >= 3 && strcmp(argv[1], "help") == 0)
			for (i = 0; i < NCOMMANDS; i++)
				if (strcmp(argv[2], commands[i].name) == 0) {
					usage_cmd(stdout, &commands[i]);
					return TOOL_EXIT_OK;
				}
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? TOOL_EXIT_USAGE : TOOL_EXIT_OK;
	}
	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			o->cmd = &commands[i];
	if (o->cmd == NULL) {
		fprintf(stderr, "%s: unknown %s '%s'; see %s --help\n", tool_name,
		    argv[1][0] == '-' ? "option" : "subcommand", argv[1], tool_name);
		return TOOL_EXIT_USAGE;
	}
	snprintf(see, sizeof see, "%s %s --help", tool_name, o->cmd->name);
	tool_help_command = o->cmd->name;
	optind = 2;
	opterr = 0;
	for (li = -1; (c = getopt_long(argc, argv, ":a:m:N:o:yh", longopts, &li)) != -1;
	    li = -1) {
		if (c == '?' || c == ':')
			return tool_bad_option(longopts, argc, argv, li, c, see);
		if (c == 'h') {
			usage_cmd(stdout, o->cmd);
			return TOOL_EXIT_OK;
		}
		if (!takes(o->cmd, c)) {
			fprintf(stderr, "%s: %s does not take the option '%s'; see %s %s "
			    "--help\n", tool_name, o->cmd->name,
			    tool_option_name(longopts, argc, argv, li, c, name, sizeof name),
			    tool_name, o->cmd->name);
			return TOOL_EXIT_USAGE;
		}
		if ((taken = tool_option_once(longopts, argc, argv, li, c, repeatable,
		    seen)) != 0)
			return taken;
		taken = tool_shared_option(c, optarg, &o->layout, &o->cer, &o->load);
		if (taken < 0)
			return TOOL_EXIT_USAGE;
		if (taken > 0)
			continue;
		switch (c) {
		case CB_OPT_ENVELOPE: o->envelope = optarg; break;
		case CB_OPT_TA: o->trust_anchor = optarg; break;
		case CB_OPT_DS:
			if (o->nds == CB_MAX_DS_ARGS)
				return tool_bad_usage("at most %d --ds", CB_MAX_DS_ARGS);
			o->ds[o->nds++] = optarg;
			break;
		case CB_OPT_FORMAT:
			if (strcmp(optarg, "pem") != 0 && strcmp(optarg, "bind") != 0)
				return tool_bad_usage("--format `%s': pem or bind", optarg);
			o->format = optarg;
			break;
		case 'o': o->output = optarg; break;
		case CB_OPT_UNDERSTAND: o->i_understand = 1; break;
		case CB_OPT_PASSFILE: o->passphrase_file = optarg; break;
		case CB_OPT_NEWPASS: o->cer.passphrase_file = optarg; break;
		case CB_OPT_SHARE: o->share = optarg; break;
		case CB_OPT_PARAMS: o->params = optarg; break;
		case CB_OPT_REQUEST: o->request = optarg; break;
		case 'y': o->yes = 1; break;
		case 'a':
			if (o->nalgs == CB_MAX_DS_ARGS)
				return tool_bad_usage("at most %d -a", CB_MAX_DS_ARGS);
			o->algs[o->nalgs++] = optarg;
			break;
		default:
			return tool_bad_option(longopts, argc, argv, li, c, see);
		}
	}
	o->inputs = argv + optind;
	o->ninputs = argc - optind;
	if (o->cmd->check != NULL && (c = o->cmd->check(o)) != 0)
		return c;
	return -1;
}

/* Every restoring subcommand: a named envelope file must exist. */
static int
check_envelope(const struct cb_opts *o)
{
	struct stat st;

	if (o->envelope != NULL && stat(o->envelope, &st) != 0)
		return tool_bad_usage("--envelope `%s' (the envelope): %s", o->envelope,
		    strerror(errno));
	return 0;
}

static int
check_verify(struct cb_opts *o)
{
	if (o->trust_anchor != NULL && o->nds > 0)
		return tool_bad_usage("verify: --trust-anchor or --ds, not both");
	return check_envelope(o);
}

static int
check_audit(struct cb_opts *o)
{
	if (o->params != NULL) {
		if (o->envelope != NULL || o->ninputs != 1)
			return tool_bad_usage("audit --params PARAMS: one threshold "
			    "share SHEET or FILE, and no --envelope");
		return 0;
	}
	if ((o->envelope == NULL && o->ninputs == 0) ||
	    o->ninputs > (o->envelope != NULL ? 1 : 2) ||
	    (o->envelope != NULL && o->ninputs == 0 && !tool_have_tty()))
		return tool_bad_usage("audit: give the envelope (--envelope FILE, or as an "
		    "INPUT) and one share INPUT (or type the share at a terminal)");
	return check_envelope(o);
}

static int
check_load(struct cb_opts *o)
{
	if (o->load.token == NULL)
		return tool_bad_usage("load: --token URI (and --module, unless the URI "
		    "names it) is required");
	if (tool_load_finish(&o->load) != 0)
		return TOOL_EXIT_USAGE;
	return check_envelope(o);
}

static int
check_export(struct cb_opts *o)
{
	if (!o->i_understand)
		return tool_bad_usage("export writes a private key in the clear: add "
		    "--i-understand-this-writes-a-private-key if that is what you want");
	if (o->format == NULL || o->output == NULL)
		return tool_bad_usage("export: --format pem|bind and -o FILE are required");
	return check_envelope(o);
}

static int
check_reshare(struct cb_opts *o)
{
	if (o->output == NULL)
		return tool_bad_usage("reshare: -o DIR is required");
	o->cer.outdir = o->output; /* where --pdf writes, for its media check */
	if (tool_layout_finish(&o->layout, 1) != 0 || tool_load_finish(&o->load) != 0 ||
	    tool_output_finish(&o->cer) != 0)
		return TOOL_EXIT_USAGE;
	return check_envelope(o);
}

static int
check_inspect(struct cb_opts *o)
{
	if (o->ninputs == 0)
		return tool_bad_usage("inspect: name at least one file");
	return 0;
}

static int
run_audit(const struct cb_opts *o)
{
	return o->params != NULL ? cb_cmd_thresh_audit(o) : cb_cmd_audit(o);
}

int
main(int argc, char **argv)
{
	struct cb_opts o;
	int rc;

	tool_name = "escrow-combine";
	if (tool_version_option(argc, argv))
		return TOOL_EXIT_OK;
	rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (tool_harden() != 0)
		return TOOL_EXIT_FAIL;
	tool_catch_signals(1);
	rc = o.cmd->run(&o);
	if (tool_interrupted()) {
		tool_err("stopped by %s; what was typed is wiped from memory",
		    tool_signal_name());
		return 128 + tool_interrupted();
	}
	return rc;
}
