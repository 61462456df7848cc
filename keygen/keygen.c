/*
 * keygen.c - escrow-keygen: the generation ceremony.  Generates (or
 * imports) the keys, a fresh master secret S, the SLIP-0039 shares of S,
 * the envelope that holds the keys wrapped under S, the public records
 * and a transcript; optionally loads the keys into an HSM and puts the
 * sheets on paper; then forgets every secret.
 *
 * Secret: S, the passphrase, the shares, the private keys (EVP_PKEY and
 * their PKCS#8 DER), the PIN.  They never reach a file or the terminal,
 * except the shares with --shares-out or --pdf, which the operator asked
 * for.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "escrow.h"
#include "escrow_dnssec.h"
#include "escrow_envelope.h"
#include "escrow_keys.h"
#include "escrow_p11.h"
#include "escrow_slip39.h"
#include "ceremony.h"
#include "diskspace.h"
#include "keygen_thresh.h"
#include "load.h"
#include "options.h"
#include "tool.h"
#include "version.h"

#define IMPORT_MAX (1u << 20)
#define CKA_ID_LEN 16

struct opts {
	int alg;
	int alg_given;
	unsigned bits;
	const char *owner;
	unsigned long flags;
	const char *label;
	unsigned long nkeys;
	const char *import;
	int yes;
	struct tool_layout layout;
	struct tool_ceremony cer;   /* outputs, passphrase, entropy */
	struct tool_load_opts load;
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: escrow-keygen [-a ALG] [-b BITS] -n OWNER [--flags N] [-l LABEL] [--keys K]\n"
"                     [--import-key FILE] (-m M -N N | --group M/N ... --group-threshold G)\n"
"                     [--passphrase-file FILE] [--entropy] -o DIR [--shares-out DIR] [--yes]\n"
"                     [--pdf] [--print QUEUE] [--paper a4|letter] [--allow-removable-secrets]\n"
"                     [--module PATH|NAME --token URI [--pin-source FILE] [--strategy S]]\n"
"       escrow-keygen --threshold [-a 8|10] [-b 2048|3072|4096] -n OWNER -m M -N N -o DIR\n"
"                     (--pdf | --print QUEUE | --shares-out DIR) [--paper a4|letter] [--yes]\n"
"\n"
"Generate a DNSSEC signing key outside any HSM, encrypt it under a fresh master\n"
"secret, split that secret into SLIP-0039 shares, and write the envelope and the\n"
"public records into DIR.\n"
"\n"
"  -a, --algorithm ALG     8 RSASHA256 (default), 10 RSASHA512, 13 ECDSAP256SHA256,\n"
"                          14 ECDSAP384SHA384, 15 ED25519, 16 ED448 (number or name)\n"
"  -b, --bits BITS         RSA modulus size: 2048 (default), 3072 or 4096\n"
"  -n, --owner OWNER       DNSSEC owner name (required; `-n .' for the root)\n"
"      --flags N           DNSKEY flags (default 257, a key-signing key)\n"
"  -l, --label LABEL       PKCS#11 label (default K<owner>+<alg>+<tag>; with --keys,\n"
"                          LABEL-1, LABEL-2, ...)\n"
"      --keys K            generate a key set of K keys (1..10000, default 1)\n"
"      --import-key FILE   escrow an existing private key (PEM or DER PKCS#8, or\n"
"                          traditional RSA/EC PEM) instead of generating one\n"
"  -m M -N N               M of N shares needed (one group)\n"
"      --group M/N         a group of N custodians of whom M are needed (repeat)\n"
"      --group-threshold G groups needed (with --group; default: all groups)\n"
"      --iteration-exponent E  SLIP-0039 passphrase stretching (default 1)\n"
"      --passphrase-file FILE  SLIP-0039 passphrase from FILE (first line);\n"
"                          otherwise asked twice on a terminal, empty when none\n"
"      --entropy           mix in extra entropy typed at the terminal (dice or hex)\n"
"  -o, --output DIR        where the envelope and public records go (made 0700)\n"
"      --shares-out DIR    also write each share to DIR/share-G-M.txt (0600):\n"
"                          for tests and demos only, shares belong on paper\n"
"      --pdf               write every sheet as PDF into DIR (share-G-M.pdf,\n"
"                          envelope.pdf, public.pdf): share sheets hold secrets\n"
"      --allow-removable-secrets  let --pdf and --shares-out write to a removable\n"
"                          or network medium (refused otherwise; for tests only)\n"
"      --print QUEUE       print every sheet on the CUPS queue (CUPS_SERVER is honoured)\n"
"      --paper SIZE        a4 (default) or letter\n"
"      --module PATH|NAME  PKCS#11 module (path, or a p11-kit module name) to load\n"
"                          the new keys into\n"
"      --token URI         the token, as a PKCS#11 URI (pkcs11:token=...)\n"
"      --pin-source FILE   the user PIN from FILE (otherwise asked without echo)\n"
"      --strategy S        auto (default), unwrap, transport or create\n"
"      --module-init-args S  C_Initialize arguments (pReserved): NSS softoken,\n"
"                          YubiHSM 2\n"
"      --accept-token-usages  keep keys a token made with more usages than SIGN\n"
"      --sessions N        load over N sessions on parallel threads (1-32; default\n"
"                          1): for a network HSM, where every call is a round trip\n"
"  -y, --yes               do not ask for confirmations or wait between sheets\n"
"  -h, --help              this help\n"
"      --version           the suite's version (given alone)\n"
"      --threshold         deal a threshold RSA key (Shoup) instead: N custodians\n"
"                          each get a share of the private exponent, any M of them\n"
"                          sign (escrow-combine partial/assemble); the key is never\n"
"                          rebuilt.  Writes the public records, the public\n"
"                          parameters (DIR/K...-threshold-params.txt, and a sheet)\n"
"                          and one threshold share sheet per custodian\n"
"\n"
"Exit status: 0 success, 1 failure (nothing is left half-written), 2 usage.\n"
"See escrow-keygen(1).\n");
}

static int
parse_alg(const char *s, int *alg)
{
	static const struct { const char *name; int alg; } names[] = {
		{ "RSASHA256", 8 }, { "RSASHA512", 10 }, { "ECDSAP256SHA256", 13 },
		{ "ECDSAP384SHA384", 14 }, { "ED25519", 15 }, { "ED448", 16 },
	};
	unsigned long v;
	size_t i;

	if (tool_parse_uint(s, 0, 255, &v) == 0) {
		if (!escrow_keys_alg_supported((int)v))
			return -1;
		*alg = (int)v;
		return 0;
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(s, names[i].name) == 0) {
			*alg = names[i].alg;
			return 0;
		}
	return -1;
}

enum {
	OPT_FLAGS = 256, OPT_KEYS, OPT_IMPORT, OPT_PASSFILE, OPT_ENTROPY,
};

static const struct option longopts[] = {
	{ "algorithm", required_argument, NULL, 'a' },
	{ "bits", required_argument, NULL, 'b' },
	{ "owner", required_argument, NULL, 'n' },
	{ "flags", required_argument, NULL, OPT_FLAGS },
	{ "label", required_argument, NULL, 'l' },
	{ "keys", required_argument, NULL, OPT_KEYS },
	{ "import-key", required_argument, NULL, OPT_IMPORT },
	{ "passphrase-file", required_argument, NULL, OPT_PASSFILE },
	{ "entropy", no_argument, NULL, OPT_ENTROPY },
	{ "output", required_argument, NULL, 'o' },
	{ "yes", no_argument, NULL, 'y' },
	{ "help", no_argument, NULL, 'h' },
	TOOL_LAYOUT_LONGOPTS,
	TOOL_OUTPUT_LONGOPTS,
	TOOL_LOAD_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

/* Returns -1 to go on, or an exit status. */
static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const int repeatable[] = { TOOL_OPT_GROUP, TOOL_OPT_PDF, OPT_ENTROPY, 'y',
	    'h', 0 };
	unsigned char seen[TOOL_OPT_SEEN] = { 0 };
	unsigned long v;
	int c, li, taken;

	memset(o, 0, sizeof *o);
	o->alg = ESCROW_ALG_RSASHA256;
	o->owner = NULL;
	o->flags = ESCROW_DNSSEC_FLAGS_KSK;
	o->nkeys = 1;
	o->cer.paper.paper = ESCROW_PAPER_A4;
	tool_layout_init(&o->layout);
	tool_load_init(&o->load);
	opterr = 0;
	for (li = -1; (c = getopt_long(argc, argv, ":a:b:n:l:m:N:o:yh", longopts, &li)) != -1;
	    li = -1) {
		if (c == '?' || c == ':')
			return tool_bad_option(longopts, argc, argv, li, c, "escrow-keygen --help");
		if ((taken = tool_option_once(longopts, argc, argv, li, c, repeatable,
		    seen)) != 0)
			return taken;
		taken = tool_shared_option(c, optarg, &o->layout, &o->cer, &o->load);
		if (taken < 0)
			return TOOL_EXIT_USAGE;
		if (taken > 0)
			continue;
		switch (c) {
		case 'a':
			if (parse_alg(optarg, &o->alg) != 0)
				return tool_bad_usage("unsupported algorithm `%s' (8, 10, 13, 14, "
				    "15 or 16)", optarg);
			o->alg_given = 1;
			break;
		case 'b':
			if (tool_parse_uint(optarg, 1, 65536, &v) != 0 ||
			    (v != 2048 && v != 3072 && v != 4096))
				return tool_bad_usage("-b `%s': RSA sizes are 2048, 3072 and 4096", optarg);
			o->bits = (unsigned)v;
			break;
		case 'n': o->owner = optarg; break;
		case OPT_FLAGS:
			if (tool_parse_uint(optarg, 0, 65535, &o->flags) != 0)
				return tool_bad_usage("--flags `%s': a number from 0 to 65535", optarg);
			break;
		case 'l': o->label = optarg; break;
		case OPT_KEYS:
			if (tool_parse_uint(optarg, 1, ESCROW_ENVELOPE_MAX_KEYS, &o->nkeys) != 0)
				return tool_bad_usage("--keys `%s': a number from 1 to 10000", optarg);
			break;
		case OPT_IMPORT: o->import = optarg; break;
		case OPT_PASSFILE: o->cer.passphrase_file = optarg; break;
		case OPT_ENTROPY: o->cer.entropy = 1; break;
		case 'o': o->cer.outdir = optarg; break;
		case 'y': o->yes = 1; break;
		case 'h': usage(stdout); return TOOL_EXIT_OK;
		default:
			return tool_bad_option(longopts, argc, argv, li, c, "escrow-keygen --help");
		}
	}
	if (optind < argc)
		return tool_bad_usage("unexpected argument `%s'", argv[optind]);
	if (o->owner == NULL)
		return tool_bad_usage("-n OWNER is required: the DNS name the key signs for "
		    "(`-n example.com.'; `-n .' for the root)");
	if (o->cer.outdir == NULL)
		return tool_bad_usage("-o DIR is required: where the envelope and records go");
	if (tool_layout_finish(&o->layout, 1) != 0 || tool_load_finish(&o->load) != 0 ||
	    tool_output_finish(&o->cer) != 0)
		return TOOL_EXIT_USAGE;
	if (o->import != NULL && o->nkeys != 1)
		return tool_bad_usage("--import-key escrows one key: drop --keys");
	if (o->import != NULL && o->bits != 0)
		return tool_bad_usage("--import-key takes the key's own size: drop -b");
	if (o->bits != 0 && o->alg != ESCROW_ALG_RSASHA256 && o->alg != ESCROW_ALG_RSASHA512)
		return tool_bad_usage("-b applies to RSA (algorithms 8 and 10) only");
	return -1;
}

/* One key: generated or imported, with its PKCS#8 DER in secret memory. */
struct newkey {
	EVP_PKEY *pkey;
	uint8_t *pkcs8;
	size_t pkcs8_len;
	struct escrow_dnskey dnskey;
	char label[ESCROW_ENVELOPE_MAX_FIELD + 1];
	uint8_t id[CKA_ID_LEN];
};

static int
make_key(const struct opts *o, size_t i, struct newkey *k)
{
	uint8_t pub[ESCROW_KEYS_PUBKEY_MAX], rdata[4 + ESCROW_KEYS_PUBKEY_MAX];
	uint8_t digest[SHA256_DIGEST_LENGTH], *data = NULL;
	char keyfile[ESCROW_DNSSEC_NAME_TEXT_MAX + 32];
	size_t publen, rlen, dlen = 0;
	/* an imported key says its own algorithm unless -a was given */
	int alg = o->import != NULL && !o->alg_given ? 0 : o->alg, rc;

	if (o->import != NULL) {
		data = tool_read_file_secret(o->import, &dlen, IMPORT_MAX);
		if (data == NULL)
			return -1;
		rc = escrow_keys_import(data, dlen, &alg, &k->pkey);
		escrow_secret_free(data);
		if (rc != ESCROW_OK) {
			tool_err("`%s': %s", o->import, escrow_strerror(rc));
			if (rc == ESCROW_ERR_ALGORITHM)
				tool_hint("escrow takes RSA 2048/3072/4096 with exponent 65537 "
				    "(algorithms 8, 10), P-256 (13), P-384 (14), Ed25519 (15) and "
				    "Ed448 (16)%s", o->alg_given ? "; check -a" : "");
			return -1;
		}
	} else {
		rc = escrow_keys_generate(alg, o->bits, &k->pkey);
		if (rc != ESCROW_OK) {
			tool_err("generating key %zu: %s", i + 1, escrow_strerror(rc));
			return -1;
		}
	}
	if ((rc = escrow_keys_pkcs8_len(k->pkey, &k->pkcs8_len)) != ESCROW_OK)
		goto fail;
	k->pkcs8 = escrow_secret_alloc(k->pkcs8_len);
	if (k->pkcs8 == NULL) {
		rc = ESCROW_ERR_NOMEM;
		goto fail;
	}
	if ((rc = escrow_keys_pkcs8_write(k->pkey, k->pkcs8, k->pkcs8_len,
	    &k->pkcs8_len)) != ESCROW_OK ||
	    (rc = escrow_keys_dnskey_pub(k->pkey, alg, pub, sizeof pub, &publen)) != ESCROW_OK ||
	    (rc = escrow_dnssec_dnskey_init(&k->dnskey, o->owner, (uint16_t)o->flags,
	    alg, pub, publen)) != ESCROW_OK ||
	    (rc = escrow_dnssec_dnskey_rdata(&k->dnskey, rdata, sizeof rdata, &rlen)) != ESCROW_OK ||
	    (rc = escrow_dnssec_keyfile_name(&k->dnskey, keyfile, sizeof keyfile)) != ESCROW_OK)
		goto fail;
	/* CKA_ID: the first 16 bytes of SHA-256 of the DNSKEY RDATA, stable
	 * for the key, so a second load of the same key finds the first */
	SHA256(rdata, rlen, digest);
	memcpy(k->id, digest, CKA_ID_LEN);
	if (o->label == NULL)
		snprintf(k->label, sizeof k->label, "%.*s", (int)(strlen(keyfile) - 4), keyfile);
	else if (o->nkeys == 1)
		snprintf(k->label, sizeof k->label, "%s", o->label);
	else
		snprintf(k->label, sizeof k->label, "%s-%zu", o->label, i + 1);
	return 0;
fail:
	if (rc == ESCROW_ERR_NAME)
		tool_err("owner name `%s': %s", o->owner, escrow_strerror(rc));
	else
		tool_err("key %zu: %s", i + 1, escrow_strerror(rc));
	return -1;
}

/* "RSASHA256 (8), 2048 bits" and the like. */
static void
describe_key(const struct opts *o, struct escrow_text *b)
{
	if (o->import != NULL) {
		tool_text_printf(b, "imported from `%s'", o->import);
		if (o->alg_given)
			tool_text_printf(b, " as %s (%d)", escrow_keys_alg_name(o->alg), o->alg);
		return;
	}
	tool_text_printf(b, "%s (%d)", escrow_keys_alg_name(o->alg), o->alg);
	if (o->alg == ESCROW_ALG_RSASHA256 || o->alg == ESCROW_ALG_RSASHA512)
		tool_text_printf(b, ", %u bits", o->bits != 0 ? o->bits : 2048u);
}

/* Everything this run will do, before it does any of it. */
static int
confirm_summary(const struct opts *o)
{
	struct escrow_text b = { 0 };
	int ok;

	tool_text_printf(&b, "About to generate:\n  %s", o->nkeys == 1 ? "key:      " :
	    "keys:     ");
	if (o->nkeys > 1)
		tool_text_printf(&b, "%lu keys, each ", o->nkeys);
	describe_key(o, &b);
	tool_text_printf(&b, "; owner \"%s\"%s, flags %lu%s\n  shares:   ", o->owner,
	    strcmp(o->owner, ".") == 0 ? " (the root)" : "", o->flags,
	    o->flags == ESCROW_DNSSEC_FLAGS_KSK ? " (KSK)" : "");
	if (o->layout.set.group_count == 1) {
		tool_text_printf(&b, "%u of %u needed", o->layout.set.groups[0].threshold,
		    o->layout.set.groups[0].count);
	} else {
		unsigned g;

		tool_text_printf(&b, "%u of %u groups needed:", o->layout.set.group_threshold,
		    o->layout.set.group_count);
		for (g = 0; g < o->layout.set.group_count; g++)
			tool_text_printf(&b, "%s group %u: %u of %u", g == 0 ? "" : ";", g + 1,
			    o->layout.set.groups[g].threshold, o->layout.set.groups[g].count);
	}
	tool_text_printf(&b, " (SLIP-0039, iteration exponent %u)\n",
	    o->layout.set.iteration_exponent);
	tool_text_printf(&b, "  outputs:  envelope and public records in %s", o->cer.outdir);
	if (o->cer.paper.queue != NULL)
		tool_text_printf(&b, "; sheets printed on `%s'", o->cer.paper.queue);
	if (o->cer.paper.pdf)
		tool_text_printf(&b, "; sheets as PDF in %s (share sheets hold secrets)",
		    o->cer.outdir);
	if (o->cer.shares_out != NULL)
		tool_text_printf(&b, "; shares as files in %s (tests and demos only)",
		    o->cer.shares_out);
	tool_text_printf(&b, "\n  HSM:      ");
	if (o->load.token != NULL)
		tool_text_printf(&b, "load into token %s (module %s), strategy %s\n",
		    o->load.token, o->load.module != NULL ? o->load.module : "named in the URI",
		    escrow_p11_strategy_name((enum escrow_p11_strategy)o->load.strategy));
	else
		tool_text_printf(&b, "none (load later with escrow-combine load)\n");
	tool_text_printf(&b, "  then:     %s%s\n", o->cer.entropy ? "typed entropy, then " : "",
	    o->cer.passphrase_file != NULL ? "the passphrase from --passphrase-file" :
	    "the passphrase (asked twice; Enter for none)");
	fwrite(b.p, 1, b.len, stderr);
	escrow_text_free(&b);
	ok = tool_choose("Continue?", "yn", 'y') == 'y';
	if (!ok)
		tool_err("%s: nothing was done", tool_interrupted() ? "stopped by a signal" :
		    "stopped by the operator");
	return ok ? 0 : -1;
}

/*
 * Room for what the run writes, from the key type and count (an imported
 * key: the largest type), before any key is made.
 */
static int
space_ready(const struct opts *o, size_t olen)
{
	struct tool_ceremony c = o->cer;
	struct tool_space_keys k;
	size_t pkcs8, label, otext = strlen(o->owner) + 1;

	tool_space_key_bounds(o->import != NULL && !o->alg_given ? 0 : o->alg,
	    o->import != NULL ? 4096 : o->bits, &pkcs8, &k.pub);
	label = o->label != NULL ? strlen(o->label) + 6 : otext + 13;
	if (label > ESCROW_ENVELOPE_MAX_FIELD)
		label = ESCROW_ENVELOPE_MAX_FIELD;
	c.set = o->layout.set;
	k.nkeys = o->nkeys;
	k.owner = otext;
	k.records = o->nkeys * tool_space_key_record(label, CKA_ID_LEN, olen, k.pub, pkcs8);
	return tool_ceremony_space(&c, &k);
}

/* Before anything is generated, typed or printed: every public check. */
static int
preflight(const struct opts *o, size_t olen)
{
	int bad = 0;

	bad |= tool_check_dir(o->cer.outdir, "-o") != 0;
	if (o->cer.shares_out != NULL)
		bad |= tool_check_dir(o->cer.shares_out, "--shares-out") != 0;
	if (o->cer.passphrase_file != NULL)
		bad |= tool_check_secret_file(o->cer.passphrase_file,
		    "--passphrase-file", "the passphrase file", 0) != 0;
	if (o->import != NULL)
		bad |= tool_check_secret_file(o->import, "--import-key",
		    "the key to escrow", 1) != 0;
	bad |= tool_load_preflight(&o->load) != 0;
	bad |= tool_paper_preflight(&o->cer.paper) != 0;
	/* the room last: the paths it looks at are known good by now */
	if (!bad)
		bad |= space_ready(o, olen) != 0;
	return bad ? -1 : 0;
}

/* The exit status after a stop signal: 128 + its number, as a shell's. */
static int
stopped(void)
{
	return 128 + tool_interrupted();
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct tool_ceremony c;
	struct tool_ceremony_key *ck = NULL;
	struct tool_token tok;
	struct tool_token_id *ids = NULL;
	struct newkey *keys = NULL;
	uint8_t owner[ESCROW_DNSSEC_NAME_MAX];
	size_t i, olen, made = 0;
	int rc, status = TOOL_EXIT_FAIL, interactive;

	tool_name = "escrow-keygen";
	memset(&tok, 0, sizeof tok);
	if (tool_version_option(argc, argv))
		return TOOL_EXIT_OK;
	if (kg_thresh_wanted(argc, argv))
		return kg_thresh_main(argc, argv);
	rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (tool_harden() != 0)
		return TOOL_EXIT_FAIL;
	tool_catch_signals(0);
	interactive = !o.yes && tool_have_tty();
	if (escrow_dnssec_name_from_text(o.owner, owner, &olen) != ESCROW_OK) {
		tool_err("owner name `%s': %s", o.owner, escrow_strerror(ESCROW_ERR_NAME));
		tool_hint("write a DNS name such as `example.com.' or `.' for the root");
		return TOOL_EXIT_USAGE;
	}
	if (preflight(&o, olen) != 0)
		return TOOL_EXIT_FAIL;
	if (interactive && confirm_summary(&o) != 0)
		return tool_interrupted() ? stopped() : TOOL_EXIT_FAIL;
	/* the token and the login, before anything is generated or printed */
	if (o.load.token != NULL && tool_token_open(&tok, &o.load, !o.yes) != 0)
		goto out;
	/* and a throwaway test load of the key type (an imported key's type is
	 * known once it is read, below) */
	if (tok.p != NULL && o.import == NULL && tool_token_probe(&tok, &o.alg, 1) != 0)
		goto out;
	keys = calloc(o.nkeys, sizeof *keys);
	ck = calloc(o.nkeys, sizeof *ck);
	ids = calloc(o.nkeys, sizeof *ids);
	if (keys == NULL || ck == NULL || ids == NULL) {
		tool_err("out of memory for %lu keys", o.nkeys);
		goto out;
	}
	for (made = 0; made < o.nkeys; made++) {
		if (tool_interrupted())
			goto out;
		if (o.nkeys > 1 && isatty(STDERR_FILENO))
			fprintf(stderr, "\rgenerating keys: %zu/%lu", made + 1, o.nkeys);
		if (make_key(&o, made, &keys[made]) != 0)
			goto out;
		ck[made].pub.label = (const uint8_t *)keys[made].label;
		ck[made].pub.label_len = strlen(keys[made].label);
		ck[made].pub.id = keys[made].id;
		ck[made].pub.id_len = CKA_ID_LEN;
		ck[made].pub.owner = owner;
		ck[made].pub.owner_len = olen;
		ck[made].pub.flags = keys[made].dnskey.flags;
		ck[made].pub.algorithm = keys[made].dnskey.algorithm;
		ck[made].pub.pubkey = keys[made].dnskey.pubkey;
		ck[made].pub.pubkey_len = keys[made].dnskey.pubkey_len;
		ck[made].pkcs8 = keys[made].pkcs8;
		ck[made].pkcs8_len = keys[made].pkcs8_len;
		ck[made].pkey = keys[made].pkey;
		ids[made].id = keys[made].id;
		ids[made].id_len = CKA_ID_LEN;
		ids[made].tag = escrow_dnssec_keytag(&keys[made].dnskey);
	}
	if (o.nkeys > 1 && isatty(STDERR_FILENO))
		fputc('\n', stderr);
	/* default labels are the BIND names: unique in the set, as the files */
	if (o.label == NULL && tool_unique_names(keys[0].label, sizeof keys[0],
	    made, sizeof keys[0].label) != 0)
		goto out;
	for (i = 0; i < made; i++)
		ck[i].pub.label_len = strlen(keys[i].label);
	if (tok.p != NULL && o.import != NULL) {
		int alg = keys[0].dnskey.algorithm;

		if (tool_token_probe(&tok, &alg, 1) != 0)
			goto out;
	}
	if (tok.p != NULL && tool_token_check_ids(&tok, ids, o.nkeys) != 0)
		goto out;

	c = o.cer;
	c.paper.yes = o.yes;
	c.paper.dir = c.outdir;
	c.interactive = !o.yes;
	c.set = o.layout.set;
	c.keys = ck;
	c.nkeys = o.nkeys;
	c.title = "escrow-keygen transcript";
	c.token = tok.p != NULL ? &tok : NULL;
	if (tool_ceremony_run(&c) == 0)
		status = TOOL_EXIT_OK;
out:
	tool_token_close(&tok);
	for (i = 0; keys != NULL && i < made + (made < o.nkeys); i++) {
		EVP_PKEY_free(keys[i].pkey);
		escrow_secret_free(keys[i].pkcs8);
	}
	free(keys);
	free(ck);
	free(ids);
	if (tool_interrupted()) {
		if (keys == NULL || made < o.nkeys)
			tool_err("stopped by %s: nothing was written", tool_signal_name());
		return stopped();
	}
	return status;
}
