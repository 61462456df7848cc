/*
 * combine.c - escrow-combine: the restore side.  Subcommands:
 *   verify   combine, check everything, print the records, forget
 *   audit    check one share against the envelope alone
 *   load     restore and load the keys into a PKCS#11 token
 *   export   restore and write the private keys to a file (loudly)
 *   reshare  restore and make a new master secret and share set
 *   inspect  say what a piece of paper or a file is, without secrets
 *
 * Secret: shares, passphrase, master secret, PIN, private keys; all are
 * handled by input.c, restore.c, export.c and tools/ in secret memory.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "ceremony.h"
#include "combine.h"
#include "escrow.h"
#include "escrow_dnssec.h"
#include "escrow_keys.h"
#include "escrow_p11.h"
#include "escrow_paper.h"
#include "load.h"
#include "options.h"
#include "secrets.h"
#include "tool.h"
#include "version.h"

#define MAX_DS_ARGS 64

int cb_export(struct cb_restore *r, const char *format, const char *path);

struct opts {
	const char *cmd;
	const char *envelope;
	const char *trust_anchor;
	const char *ds[MAX_DS_ARGS];
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
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: escrow-combine verify  [--envelope FILE] [--trust-anchor XML | --ds RR ...] [INPUT ...]\n"
"       escrow-combine audit   --envelope FILE [INPUT]\n"
"       escrow-combine load    [--envelope FILE] --module PATH|NAME --token URI [--pin-source FILE]\n"
"                              [--strategy auto|unwrap|transport|create] [--replace]\n"
"                              [--rrsig-out FILE] [INPUT ...]\n"
"       escrow-combine export  [--envelope FILE] --format pem|bind -o FILE\n"
"                              --i-understand-this-writes-a-private-key [INPUT ...]\n"
"       escrow-combine reshare [--envelope FILE] (-m M -N N | --group M/N ...) -o DIR\n"
"                              [--pdf] [--print QUEUE] [INPUT ...]\n"
"       escrow-combine inspect FILE|INPUT ...\n"
"\n"
"INPUT is any mix of scanned pages (PNG, PNM, JPEG, PDF) and text files holding\n"
"shares or the envelope's text form, in any order.  With no share among the INPUTs\n"
"and a terminal, the shares are asked for one by one.\n"
"\n"
"Common options:\n"
"      --envelope FILE         the envelope (.escrow file, its text form, or scans)\n"
"      --passphrase-file FILE  the SLIP-0039 passphrase (otherwise asked; empty\n"
"                              when there is no terminal)\n"
"  -y, --yes                   no questions (no corrections, no waits)\n"
"  -h, --help                  this help\n"
"      --version               the suite's version (given alone)\n"
"verify:\n"
"      --trust-anchor XML      an RFC 9718 trust-anchor file the keys must match\n"
"      --ds RR                 a DS record the keys must match (repeatable)\n"
"load:\n"
"      --module PATH|NAME      PKCS#11 module: a path, or a p11-kit module name\n"
"      --token URI             the token, as a PKCS#11 URI (pkcs11:token=...)\n"
"      --pin-source FILE       the user PIN from FILE (otherwise asked without echo)\n"
"      --strategy S            auto (default), unwrap, transport or create\n"
"      --replace               replace objects with the same CKA_ID\n"
"      --rrsig-out FILE        sign each key's DNSKEY RRset in the token; write\n"
"                              DNSKEY and RRSIG records to FILE\n"
"export:\n"
"      --format pem|bind       PKCS#8 PEM (all keys) or BIND Private-key-format (one key)\n"
"  -o FILE                     a new file, created 0600\n"
"      --i-understand-this-writes-a-private-key   required\n"
"reshare:\n"
"  -m M -N N | --group M/N ... [--group-threshold G]   the new share layout\n"
"  -o DIR                      where the new envelope and records go\n"
"      --new-passphrase-file FILE  passphrase of the new set (otherwise asked twice)\n"
"      --pdf, --print QUEUE, --paper a4|letter, --shares-out DIR   as escrow-keygen\n"
"      --allow-removable-secrets   as escrow-keygen (tests only)\n"
"\n"
"Exit status: 0 success, 1 failure, 2 usage.  See escrow-combine(1).\n");
}

enum {
	OPT_ENVELOPE = 256, OPT_TA, OPT_DS, OPT_FORMAT, OPT_UNDERSTAND, OPT_PASSFILE,
	OPT_NEWPASS,
};

static const struct option longopts[] = {
	{ "envelope", required_argument, NULL, OPT_ENVELOPE },
	{ "trust-anchor", required_argument, NULL, OPT_TA },
	{ "ds", required_argument, NULL, OPT_DS },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "i-understand-this-writes-a-private-key", no_argument, NULL, OPT_UNDERSTAND },
	{ "passphrase-file", required_argument, NULL, OPT_PASSFILE },
	{ "new-passphrase-file", required_argument, NULL, OPT_NEWPASS },
	{ "yes", no_argument, NULL, 'y' },
	{ "help", no_argument, NULL, 'h' },
	TOOL_LAYOUT_LONGOPTS,
	TOOL_OUTPUT_LONGOPTS,
	TOOL_LOAD_LONGOPTS,
	TOOL_LOAD_EXTRA_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

/* Which options each subcommand takes (by option value). */
static int
allowed(const char *cmd, int opt)
{
	static const int common[] = { OPT_ENVELOPE, OPT_PASSFILE, 'y', 'h', 0 };
	static const int verify[] = { OPT_TA, OPT_DS, 0 };
	static const int load[] = { TOOL_OPT_MODULE, TOOL_OPT_TOKEN,
	    TOOL_OPT_PIN_SOURCE, TOOL_OPT_STRATEGY, TOOL_OPT_REPLACE,
	    TOOL_OPT_RRSIG_OUT, 0 };
	static const int export[] = { OPT_FORMAT, 'o', OPT_UNDERSTAND, 0 };
	static const int reshare[] = { 'm', 'N', TOOL_OPT_GROUP,
	    TOOL_OPT_GROUP_THRESHOLD, TOOL_OPT_ITER, 'o', OPT_NEWPASS, TOOL_OPT_PDF,
	    TOOL_OPT_PRINT, TOOL_OPT_PAPER, TOOL_OPT_SHARES_OUT, TOOL_OPT_MODULE,
	    TOOL_OPT_TOKEN, TOOL_OPT_PIN_SOURCE, TOOL_OPT_STRATEGY,
	    TOOL_OPT_ALLOW_REMOVABLE, 0 };
	const int *extra = NULL;
	size_t i;

	for (i = 0; common[i] != 0; i++)
		if (common[i] == opt)
			return strcmp(cmd, "inspect") != 0 || opt == 'h';
	if (strcmp(cmd, "verify") == 0)
		extra = verify;
	else if (strcmp(cmd, "load") == 0)
		extra = load;
	else if (strcmp(cmd, "export") == 0)
		extra = export;
	else if (strcmp(cmd, "reshare") == 0)
		extra = reshare;
	for (i = 0; extra != NULL && extra[i] != 0; i++)
		if (extra[i] == opt)
			return 1;
	return 0;
}

static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const char *cmds[] = { "verify", "audit", "load", "export", "reshare",
	    "inspect", NULL };
	size_t i;
	int c, taken;

	memset(o, 0, sizeof *o);
	o->cer.paper.paper = ESCROW_PAPER_A4;
	tool_layout_init(&o->layout);
	tool_load_init(&o->load);
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? TOOL_EXIT_USAGE : TOOL_EXIT_OK;
	}
	for (i = 0; cmds[i] != NULL; i++)
		if (strcmp(argv[1], cmds[i]) == 0)
			o->cmd = cmds[i];
	if (o->cmd == NULL)
		return tool_bad_usage("unknown command `%s' (verify, audit, load, export, "
		    "reshare or inspect)", argv[1]);
	optind = 2;
	while ((c = getopt_long(argc, argv, "m:N:o:yh", longopts, NULL)) != -1) {
		if (c == '?')
			return tool_bad_usage("bad option");
		if (!allowed(o->cmd, c))
			return tool_bad_usage("`%s' does not take the option %s", o->cmd,
			    argv[optind - 1]);
		taken = tool_shared_option(c, optarg, &o->layout, &o->cer, &o->load);
		if (taken < 0)
			return TOOL_EXIT_USAGE;
		if (taken > 0)
			continue;
		switch (c) {
		case OPT_ENVELOPE: o->envelope = optarg; break;
		case OPT_TA: o->trust_anchor = optarg; break;
		case OPT_DS:
			if (o->nds == MAX_DS_ARGS)
				return tool_bad_usage("at most %d --ds", MAX_DS_ARGS);
			o->ds[o->nds++] = optarg;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "pem") != 0 && strcmp(optarg, "bind") != 0)
				return tool_bad_usage("--format `%s': pem or bind", optarg);
			o->format = optarg;
			break;
		case 'o': o->output = optarg; break;
		case OPT_UNDERSTAND: o->i_understand = 1; break;
		case OPT_PASSFILE: o->passphrase_file = optarg; break;
		case OPT_NEWPASS: o->cer.passphrase_file = optarg; break;
		case 'y': o->yes = 1; break;
		case 'h': usage(stdout); return TOOL_EXIT_OK;
		default: return tool_bad_usage("bad option");
		}
	}
	o->inputs = argv + optind;
	o->ninputs = argc - optind;

	if (strcmp(o->cmd, "inspect") == 0 && o->ninputs == 0)
		return tool_bad_usage("inspect: name at least one file");
	if (strcmp(o->cmd, "audit") == 0 && (o->envelope == NULL || o->ninputs > 1 ||
	    (o->ninputs == 0 && !tool_have_tty())))
		return tool_bad_usage("audit: give --envelope FILE and one share INPUT (or "
		    "type the share at a terminal)");
	if (strcmp(o->cmd, "load") == 0 && (o->load.module == NULL || o->load.token == NULL))
		return tool_bad_usage("load: --module and --token are required");
	if (strcmp(o->cmd, "export") == 0) {
		if (!o->i_understand)
			return tool_bad_usage("export writes a private key in the clear: add "
			    "--i-understand-this-writes-a-private-key if that is what you want");
		if (o->format == NULL || o->output == NULL)
			return tool_bad_usage("export: --format pem|bind and -o FILE are required");
	}
	if (strcmp(o->cmd, "verify") == 0 && o->trust_anchor != NULL && o->nds > 0)
		return tool_bad_usage("verify: --trust-anchor or --ds, not both");
	if (strcmp(o->cmd, "reshare") == 0) {
		if (o->output == NULL)
			return tool_bad_usage("reshare: -o DIR is required");
		o->cer.outdir = o->output; /* where --pdf writes, for its check */
		if (tool_layout_finish(&o->layout, 1) != 0 || tool_load_finish(&o->load) != 0 ||
		    tool_output_finish(&o->cer) != 0)
			return TOOL_EXIT_USAGE;
	}
	return -1;
}

/* Read --envelope and every INPUT. */
static int
gather(const struct opts *o, struct cb_input *in)
{
	int i, bad = 0;

	if (cb_input_init(in) != 0)
		return -1;
	if (o->envelope != NULL && cb_input_envelope_file(in, o->envelope) != 0)
		return -1;
	for (i = 0; i < o->ninputs; i++)
		if (cb_input_file(in, o->inputs[i]) != 0)
			bad++;
	if (bad > 0)
		fprintf(stderr, "%s: %d input%s had problems (named above); going on with "
		    "the rest\n", tool_name, bad, bad == 1 ? "" : "s");
	return 0;
}

static void
print_records(const struct tool_records *r)
{
	size_t i;

	printf("Envelope fingerprint: %s\nRead aloud:           %s\n", r->fp_hex,
	    r->fp_words);
	for (i = 0; i < r->nkeys; i++) {
		char line[1400];

		tool_records_key_summary(r, i, line, sizeof line);
		printf("%s\n  %s\n  %s\n  %s\n", line, r->keys[i].dnskey_text,
		    r->keys[i].ds256_text, r->keys[i].ds384_text);
	}
}

/* Match the keys against DS records or an RFC 9718 trust anchor. */
static int
check_anchors(const struct opts *o, const struct tool_records *r)
{
	struct escrow_ds *ds = NULL;
	struct escrow_ta *ta = NULL;
	uint8_t *xml = NULL;
	size_t i, j, n = 0, len, cnt;
	int ret = -1, rc, *matched = NULL;

	if (o->trust_anchor == NULL && o->nds == 0)
		return 0;
	matched = calloc(r->nkeys, sizeof *matched);
	if (matched == NULL)
		goto oom;
	if (o->trust_anchor != NULL) {
		ta = calloc(1, sizeof *ta);
		if (ta == NULL)
			goto oom;
		xml = tool_read_file(o->trust_anchor, &len, 1u << 20);
		if (xml == NULL)
			goto out;
		rc = escrow_dnssec_ta_parse((const char *)xml, len, ta);
		if (rc != ESCROW_OK) {
			tool_err("trust anchor `%s': %s", o->trust_anchor, escrow_strerror(rc));
			goto out;
		}
		for (j = 0; j < ta->count; j++) {
			int any = 0;

			for (i = 0; i < r->nkeys; i++) {
				if (ta->digests[j].key_tag != r->keys[i].tag ||
				    ta->digests[j].algorithm != r->keys[i].dnskey.algorithm)
					continue;
				any = 1;
				if (escrow_dnssec_ta_check(ta, j, &r->keys[i].dnskey) != ESCROW_OK) {
					tool_err("trust anchor `%s' KeyDigest %s (key tag %u) does "
					    "not match the envelope's key with that tag",
					    o->trust_anchor, ta->digests[j].id, ta->digests[j].key_tag);
					goto out;
				}
				matched[i] = 1;
			}
			if (!any)
				printf("Trust anchor KeyDigest %s (key tag %u): not a key of "
				    "this envelope\n", ta->digests[j].id, ta->digests[j].key_tag);
		}
	}
	ds = calloc(ESCROW_DNSSEC_TA_MAX, sizeof *ds);
	if (ds == NULL)
		goto oom;
	for (n = 0; n < o->nds; n++) {
		rc = escrow_dnssec_ds_parse(o->ds[n], strlen(o->ds[n]), ds,
		    ESCROW_DNSSEC_TA_MAX, &cnt);
		if (rc != ESCROW_OK) {
			tool_err("--ds `%s': %s", o->ds[n], escrow_strerror(rc));
			goto out;
		}
		for (j = 0; j < cnt; j++) {
			int any = 0;

			for (i = 0; i < r->nkeys; i++) {
				if (ds[j].key_tag != r->keys[i].tag ||
				    ds[j].algorithm != r->keys[i].dnskey.algorithm)
					continue;
				any = 1;
				rc = escrow_dnssec_ds_check(&ds[j], &r->keys[i].dnskey);
				if (rc != ESCROW_OK) {
					tool_err("--ds `%s' does not match the envelope's key tag %u: %s",
					    o->ds[n], r->keys[i].tag, escrow_strerror(rc));
					goto out;
				}
				matched[i] = 1;
			}
			if (!any) {
				tool_err("--ds `%s': no key of this envelope has key tag %u and "
				    "algorithm %u", o->ds[n], ds[j].key_tag, ds[j].algorithm);
				goto out;
			}
		}
	}
	for (i = 0; i < r->nkeys; i++)
		if (!matched[i]) {
			tool_err("key tag %u of the envelope is not in the given %s",
			    r->keys[i].tag, o->trust_anchor != NULL ? "trust anchor" :
			    "DS records");
			goto out;
		}
	printf("Every key matches the given %s.\n", o->trust_anchor != NULL ?
	    "trust anchor (RFC 9718)" : "DS records");
	ret = 0;
	goto out;
oom:
	tool_err("out of memory");
out:
	free(matched);
	free(ds);
	free(ta);
	free(xml);
	return ret;
}

static int
cmd_inspect(const struct opts *o)
{
	int i, ret = TOOL_EXIT_OK;

	printf("read by %s\n", tool_version());
	for (i = 0; i < o->ninputs; i++) {
		struct cb_input in;
		size_t k;

		if (cb_input_init(&in) != 0)
			return TOOL_EXIT_FAIL;
		printf("%s:\n", o->inputs[i]);
		if (cb_input_file(&in, o->inputs[i]) != 0)
			ret = TOOL_EXIT_FAIL;
		if (in.chunks != NULL && in.env == NULL) {
			if (cb_input_finish_envelope(&in) != 0)
				printf("  envelope QR codes: %zu read, incomplete (see above)\n",
				    in.nchunks);
		}
		if (in.env != NULL) {
			struct escrow_envelope *env = NULL;
			struct tool_records rec;
			struct escrow_text b = { 0 };
			char when[32];

			if (escrow_envelope_parse(in.env, in.env_len, &env) == ESCROW_OK &&
			    tool_records_build(env, &rec) == 0) {
				tool_time_iso(escrow_envelope_created(env), when);
				tool_describe_set(escrow_envelope_shareset(env), &b);
				printf("  an escrow envelope, version 1, created %s\n  id %s\n  %s"
				    "  %zu share commitments, %zu key%s\n", when, rec.envelope_id,
				    b.p, escrow_envelope_commitment_count(env), rec.nkeys,
				    rec.nkeys == 1 ? "" : "s");
				print_records(&rec);
				tool_records_free(&rec);
			} else {
				ret = TOOL_EXIT_FAIL;
			}
			escrow_text_free(&b);
			escrow_envelope_free(env);
		}
		for (k = 0; k < in.nshares; k++) {
			struct cb_share *s = &in.shares[k];

			if (cb_check_share(s, NULL, 0) != 0) {
				ret = TOOL_EXIT_FAIL;
				continue;
			}
			printf("  a SLIP-0039 share (%s): share set %u, group %u of %u "
			    "(%u group%s needed), member %u (%u needed in its group), "
			    "iteration exponent %u%s; checksum good\n", s->source,
			    s->share.identifier, s->share.group_index + 1u,
			    s->share.group_count, s->share.group_threshold,
			    s->share.group_threshold == 1 ? "" : "s",
			    s->share.member_index + 1u, s->share.member_threshold,
			    s->share.iteration_exponent,
			    s->share.extendable ? ", extendable" : "");
		}
		if (in.env == NULL && in.nshares == 0 && in.chunks == NULL)
			ret = TOOL_EXIT_FAIL;
		cb_input_free(&in);
	}
	return ret;
}

static int
cmd_audit(const struct opts *o)
{
	struct cb_input in;
	struct escrow_envelope *env = NULL;
	struct tool_records rec;
	int ret = TOOL_EXIT_FAIL, have_rec = 0;

	if (gather(o, &in) != 0 || cb_input_finish_envelope(&in) != 0)
		goto out;
	if (in.env == NULL) {
		tool_err("no envelope in `%s'", o->envelope);
		goto out;
	}
	if (escrow_envelope_parse(in.env, in.env_len, &env) != ESCROW_OK ||
	    tool_records_build(env, &rec) != 0) {
		tool_err("the envelope `%s' cannot be read", o->envelope);
		goto out;
	}
	have_rec = 1;
	if (o->ninputs == 0 && cb_prompt_one(&in) != 0)
		goto out;
	if (in.nshares != 1) {
		tool_err("audit checks one share: %s%s%s holds %zu",
		    o->ninputs ? "`" : "", o->ninputs ? o->inputs[0] : "what was typed",
		    o->ninputs ? "'" : "", in.nshares);
		goto out;
	}
	if (cb_check_share(&in.shares[0], env, !o->yes) != 0)
		goto out;
	printf("The share (group %u, member %u of share set %u) belongs to this "
	    "envelope: its commitment matches.\n", in.shares[0].group + 1u,
	    in.shares[0].member + 1u, in.shares[0].share.identifier);
	printf("Compare with the fingerprint printed on your sheet:\n");
	print_records(&rec);
	ret = TOOL_EXIT_OK;
out:
	if (have_rec)
		tool_records_free(&rec);
	escrow_envelope_free(env);
	cb_input_free(&in);
	return ret;
}

static int
cmd_restore(const struct opts *o)
{
	struct cb_input in;
	struct cb_restore r;
	struct escrow_text transcript = { 0 };
	int ret = TOOL_EXIT_FAIL;

	memset(&r, 0, sizeof r);
	if (gather(o, &in) != 0)
		goto out;
	if (cb_restore(&in, o->passphrase_file, !o->yes, &r) != 0)
		goto out;
	if (strcmp(o->cmd, "verify") == 0) {
		if (cb_check_keys(&r) != 0)
			goto out;
		printf("The master secret restores the envelope: its MAC matches, every "
		    "share matches its commitment, every private key matches its public "
		    "key.\n");
		print_records(&r.rec);
		if (check_anchors(o, &r.rec) != 0)
			goto out;
		ret = TOOL_EXIT_OK;
	} else if (strcmp(o->cmd, "load") == 0) {
		if (tool_load(r.env, r.S, NULL, &r.rec, &o->load, &transcript) != 0)
			goto out;
		fwrite(transcript.p, 1, transcript.len, stdout);
		ret = TOOL_EXIT_OK;
	} else if (strcmp(o->cmd, "export") == 0) {
		if (cb_export(&r, o->format, o->output) == 0)
			ret = TOOL_EXIT_OK;
	}
out:
	escrow_text_free(&transcript);
	cb_restore_free(&r);
	cb_input_free(&in);
	return ret;
}

static int
cmd_reshare(const struct opts *o)
{
	struct cb_input in;
	struct cb_restore r;
	struct tool_ceremony c;
	struct tool_ceremony_key *ck = NULL;
	struct escrow_text note = { 0 };
	uint8_t **der = NULL;
	size_t i, n = 0, len;
	int ret = TOOL_EXIT_FAIL, rc;

	memset(&r, 0, sizeof r);
	if (gather(o, &in) != 0 || cb_restore(&in, o->passphrase_file, !o->yes, &r) != 0)
		goto out;
	n = r.rec.nkeys;
	ck = calloc(n, sizeof *ck);
	der = calloc(n, sizeof *der);
	if (ck == NULL || der == NULL) {
		tool_err("out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((rc = escrow_envelope_key(r.env, i, &ck[i].pub)) != ESCROW_OK ||
		    (rc = tool_unwrap_key(r.env, r.S, i, &ck[i].pkey, &der[i],
		    &len)) != ESCROW_OK)
			goto keyfail;
		ck[i].pkcs8 = der[i];
		ck[i].pkcs8_len = len;
	}
	if (r.passphrase != NULL && r.passphrase[0] != '\0' && o->cer.passphrase_file == NULL &&
	    (o->yes || !tool_have_tty()))
		fprintf(stderr, "%s: note: the old share set had a passphrase; the new one "
		    "will have none (give --new-passphrase-file to set one)\n", tool_name);
	tool_text_printf(&note, "Replaces share set %s of envelope %s\n"
	    "  (fingerprint %s): that set and envelope should now be destroyed.\n",
	    r.rec.set_id, r.rec.envelope_id, r.rec.fp_hex);
	c = o->cer;
	c.outdir = o->output;
	c.paper.yes = o->yes;
	c.paper.dir = o->output;
	c.interactive = !o->yes;
	c.set = o->layout.set;
	c.keys = ck;
	c.nkeys = n;
	c.title = "escrow-combine reshare transcript";
	c.note = note.p;
	c.load = o->load.module != NULL ? &o->load : NULL;
	if (tool_ceremony_run(&c) == 0) {
		printf("Replaces share set %s (envelope fingerprint %s).\n", r.rec.set_id,
		    r.rec.fp_hex);
		ret = TOOL_EXIT_OK;
	}
	goto out;
keyfail:
	tool_err("key %zu of the old envelope: %s", i + 1, escrow_strerror(rc));
out:
	for (i = 0; i < n; i++) {
		if (ck != NULL)
			EVP_PKEY_free(ck[i].pkey);
		if (der != NULL)
			escrow_secret_free(der[i]);
	}
	free(ck);
	free(der);
	escrow_text_free(&note);
	cb_restore_free(&r);
	cb_input_free(&in);
	return ret;
}

int
main(int argc, char **argv)
{
	struct opts o;
	int rc;

	tool_name = "escrow-combine";
	if (tool_version_option(argc, argv))
		return TOOL_EXIT_OK;
	rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (tool_harden() != 0)
		return TOOL_EXIT_FAIL;
	if (strcmp(o.cmd, "inspect") == 0)
		return cmd_inspect(&o);
	if (strcmp(o.cmd, "audit") == 0)
		return cmd_audit(&o);
	if (strcmp(o.cmd, "reshare") == 0)
		return cmd_reshare(&o);
	return cmd_restore(&o);
}
