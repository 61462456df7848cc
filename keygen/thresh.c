/*
 * thresh.c - escrow-keygen --threshold: deal a threshold RSA key (Shoup)
 * on the kiosk.  Writes the public records as for an escrowed key (BIND
 * .key file, PEM, DS, RFC 9718 trust anchor), the public parameters file
 * and sheet, a public-record sheet, and one threshold share sheet per
 * custodian (QR chunks and a typed form with line checks).
 *
 * Secret: the shares (escrow_secret_alloc(); their records while they
 * are printed or written with --shares-out).  p, q, m and d never leave
 * escrow_thresh_deal(), which wipes them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diskspace.h"
#include "escrow_paper.h"
#include "keygen_thresh.h"
#include "options.h"
#include "sheets_out.h"
#include "records.h"
#include "threshold.h"
#include "tool.h"

struct kt_opts {
	unsigned long alg, bits, m, n;
	const char *owner, *outdir, *queue, *shares_out;
	int pdf, yes;
	enum escrow_paper_size paper;
};

int
kg_thresh_wanted(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--threshold") == 0)
			return 1;
	return 0;
}

static int
progress(void *arg, int stage, int count)
{
	int *last = arg;

	if (isatty(STDERR_FILENO) && (count % 64 == 0 || stage != *last)) {
		fprintf(stderr, "\rdealing: looking for safe prime %c (%d candidates)",
		    stage == 0 ? 'p' : 'q', count);
		*last = stage;
	}
	return 0;
}

static int
parse(int argc, char **argv, struct kt_opts *o)
{
	enum { O_THRESH = 256, O_PDF, O_PRINT, O_PAPER, O_SHARES };
	static const struct option lo[] = {
		{ "threshold", no_argument, NULL, O_THRESH },
		{ "algorithm", required_argument, NULL, 'a' },
		{ "bits", required_argument, NULL, 'b' },
		{ "name", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "pdf", no_argument, NULL, O_PDF },
		{ "print", required_argument, NULL, O_PRINT },
		{ "paper", required_argument, NULL, O_PAPER },
		{ "shares-out", required_argument, NULL, O_SHARES },
		{ "yes", no_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof *o);
	o->alg = 8;
	o->bits = 2048;
	optind = 1;
	while ((c = getopt_long(argc, argv, "a:b:m:N:n:o:y", lo, NULL)) != -1) {
		switch (c) {
		case O_THRESH: break;
		case 'a':
			if (tool_parse_uint(optarg, 8, 10, &o->alg) != 0 ||
			    o->alg == 9)
				return tool_bad_usage("--threshold -a `%s': 8 "
				    "(RSASHA256) or 10 (RSASHA512)", optarg);
			break;
		case 'b':
			if (tool_parse_uint(optarg, 2048, 4096, &o->bits) != 0 ||
			    o->bits % 1024 != 0)
				return tool_bad_usage("--threshold -b `%s': 2048, 3072 "
				    "or 4096", optarg);
			break;
		case 'm':
			if (tool_parse_uint(optarg, 1, ESCROW_THRESH_MAX_PLAYERS,
			    &o->m) != 0)
				return tool_bad_usage("-m `%s': 1..%d", optarg,
				    ESCROW_THRESH_MAX_PLAYERS);
			break;
		case 'N':
			if (tool_parse_uint(optarg, 1, ESCROW_THRESH_MAX_PLAYERS,
			    &o->n) != 0)
				return tool_bad_usage("-N `%s': 1..%d", optarg,
				    ESCROW_THRESH_MAX_PLAYERS);
			break;
		case 'n': o->owner = optarg; break;
		case 'o': o->outdir = optarg; break;
		case O_PDF: o->pdf = 1; break;
		case O_PRINT: o->queue = optarg; break;
		case O_PAPER:
			if (tool_paper_parse(optarg, &o->paper) != 0)
				return tool_bad_usage("--paper `%s': a4 or letter", optarg);
			break;
		case O_SHARES: o->shares_out = optarg; break;
		case 'y': o->yes = 1; break;
		default:
			return tool_bad_usage("--threshold takes -a -b -m -N -n -o, "
			    "--pdf, --print, --paper, --shares-out, --yes");
		}
	}
	if (optind != argc)
		return tool_bad_usage("unexpected argument `%s'", argv[optind]);
	if (o->owner == NULL || o->outdir == NULL || o->m == 0 || o->n == 0)
		return tool_bad_usage("--threshold needs -n OWNER -m M -N N -o DIR");
	if (o->m > o->n)
		return tool_bad_usage("-m %lu is more than -N %lu", o->m, o->n);
	if (!o->pdf && o->queue == NULL && o->shares_out == NULL)
		return tool_bad_usage("the shares must go somewhere: --pdf, --print "
		    "QUEUE or --shares-out DIR");
	return -1;
}

/* The public records, as tool_records_write() writes them for an envelope. */
static int
records(const struct kt_opts *o, const struct escrow_thresh_params *p,
    struct tool_records *r, struct tool_keyrec *k, const char *fpr,
    struct tool_written *w, struct escrow_text *tr)
{
	int rc;

	memset(r, 0, sizeof *r);
	memset(k, 0, sizeof *k);
	if (tt_params_dnskey(p, &k->dnskey) != 0)
		return -1;
	k->tag = escrow_dnssec_keytag(&k->dnskey);
	snprintf(k->owner, sizeof k->owner, "%s", o->owner);
	if ((rc = escrow_dnssec_keyfile_name(&k->dnskey, k->keyfile,
	    sizeof k->keyfile)) != 0 ||
	    (rc = escrow_dnssec_ds_make(&k->dnskey, ESCROW_DNSSEC_DIGEST_SHA256,
	    &k->ds256)) != 0 ||
	    (rc = escrow_dnssec_ds_make(&k->dnskey, ESCROW_DNSSEC_DIGEST_SHA384,
	    &k->ds384)) != 0 ||
	    (rc = escrow_dnssec_dnskey_text(&k->dnskey, k->dnskey_text,
	    sizeof k->dnskey_text)) != 0 ||
	    (rc = escrow_dnssec_ds_text(&k->ds256, k->ds256_text,
	    sizeof k->ds256_text)) != 0 ||
	    (rc = escrow_dnssec_ds_text(&k->ds384, k->ds384_text,
	    sizeof k->ds384_text)) != 0) {
		tool_err("public records: %s", escrow_strerror(rc));
		return -1;
	}
	r->keys = k;
	r->nkeys = 1;
	snprintf(r->envelope_id, sizeof r->envelope_id, "%.32s", fpr);
	snprintf(r->fp_hex, sizeof r->fp_hex, "%s", fpr);
	snprintf(r->base, sizeof r->base, "%.*s", (int)(strlen(k->keyfile) - 4),
	    k->keyfile);
	return tool_records_write(r, o->outdir, (uint64_t)time(NULL), w, tr);
}

/* The public-record sheet: DNSKEY, DS, key tag, parameters fingerprint. */
static int
public_sheet(const struct kt_opts *o, const struct tool_keyrec *k,
    const char *fpr, struct tool_written *w, struct escrow_text *tr)
{
	const char *dnskey[1] = { k->dnskey_text };
	const char *ds[2] = { k->ds256_text, k->ds384_text };
	char tagline[200], title[160];
	const char *tags[1] = { tagline };
	struct escrow_public_sheet ps;
	struct escrow_sheet_out out = { o->paper, NULL, 0 };
	struct escrow_doc doc = { 0 };
	char path[4096], detail[512];
	int rc, ret = -1;

	snprintf(tagline, sizeof tagline, "%s KSK alg %lu tag %u (threshold "
	    "key: %lu of %lu custodians sign)", o->owner, o->alg, k->tag, o->m,
	    o->n);
	snprintf(title, sizeof title, "Threshold key - public record");
	memset(&ps, 0, sizeof ps);
	ps.dnskey = dnskey;
	ps.ndnskey = 1;
	ps.ds = ds;
	ps.nds = 2;
	ps.keytags = tags;
	ps.nkeytags = 1;
	ps.fingerprint_hex = fpr;
	ps.fingerprint_words = "(parameters fingerprint, SHA-256)";
	ps.title = title;
	if ((rc = escrow_sheet_public(&ps, &out, &doc)) != ESCROW_OK) {
		tool_err("rendering the public-record sheet: %s", escrow_strerror(rc));
		goto out;
	}
	if (o->pdf) {
		snprintf(path, sizeof path, "%s/public.pdf", o->outdir);
		if ((rc = escrow_doc_write(&doc, path)) != ESCROW_OK) {
			tool_err("cannot write `%s': %s", path, escrow_strerror(rc));
			goto out;
		}
		if (tool_written_add(w, o->outdir, "public.pdf") != 0)
			goto out;
		tool_text_printf(tr, "  wrote %s\n", path);
	}
	if (o->queue != NULL) {
		detail[0] = '\0';
		rc = escrow_print_pdf(o->queue, doc.data, doc.len, o->paper, 0, detail,
		    sizeof detail);
		if (rc != ESCROW_OK) {
			tool_err("printing public.pdf on `%s': %s", o->queue,
			    detail[0] != '\0' ? detail : escrow_strerror(rc));
			goto out;
		}
		tool_text_printf(tr, "  printed public.pdf on %s\n", o->queue);
	}
	ret = 0;
out:
	escrow_doc_free(&doc);
	return ret;
}

static int
share_out(const struct kt_opts *o, const struct escrow_thresh_params *p,
    struct escrow_thresh_share *s, uint16_t tag, const char *fpr,
    struct tool_written *w, struct escrow_text *tr)
{
	unsigned i = escrow_thresh_share_index(s);
	size_t cap = escrow_thresh_share_record_len(s), len;
	uint8_t *rec = escrow_secret_alloc(cap);
	char name[64], title[160], *text = NULL;
	struct tt_sheet sh;
	size_t tlen = 0;
	int ret = -1;

	if (rec == NULL || escrow_thresh_share_record(s, rec, cap, &len) != 0) {
		tool_err("out of secure memory");
		goto out;
	}
	if (o->shares_out != NULL) {
		if (escrow_textform_encode(rec, len, &text, &tlen) != ESCROW_OK) {
			tool_err("share %u: typed form", i);
			goto out;
		}
		snprintf(name, sizeof name, "thresh-share-%u.txt", i);
		if (tool_write_tracked(w, o->shares_out, name, text, tlen, 0600) != 0)
			goto out;
		tool_text_printf(tr, "  wrote %s/%s (threshold share %u, mode 0600, "
		    "asked for with --shares-out)\n", o->shares_out, name, i);
	}
	if (o->pdf || o->queue != NULL) {
		snprintf(title, sizeof title, "Threshold share %u of %u - key tag %u "
		    "(any %u sign)", i, escrow_thresh_params_count(p), tag,
		    escrow_thresh_params_threshold(p));
		memset(&sh, 0, sizeof sh);
		sh.bytes = rec;
		sh.len = len;
		sh.title = title;
		sh.fpr_hex = fpr;
		sh.intro = "SECRET. Custodian's share of the private exponent of a "
		    "threshold RSA key. With it, escrow-combine partial signs a "
		    "request; escrow-combine audit checks it against the public "
		    "parameters (same fingerprint). Never copy it, never send it.";
		sh.footer = "SECRET threshold share - keep sealed; compare the "
		    "fingerprint with the public parameters";
		sh.heading = "Typeable copy of the share";
		snprintf(name, sizeof name, "thresh-share-%u.pdf", i);
		if (tt_sheet_emit(&sh, name, o->paper, o->pdf, o->outdir, o->queue,
		    tr) != 0)
			goto out;
		if (o->pdf && tool_written_add(w, o->outdir, name) != 0)
			goto out;
	}
	ret = 0;
out:
	if (text != NULL)
		escrow_wipe(text, tlen);
	free(text);
	escrow_secret_free(rec);
	return ret;
}

/*
 * Before the dealing (minutes of safe-prime search) and any sheet: room
 * for the public records, the parameters (n, e, v and every v_i in hex),
 * the transcript, the sheets and the share files.
 */
static int
thresh_space(const struct kt_opts *o)
{
	struct tool_space s;
	struct tool_space_keys k;
	uint64_t nb = o->bits / 8, params = 512 + (3 + o->n) * (2 * nb + 16);
	uint64_t share = 512 + 2 * nb;
	char what[64];

	memset(&k, 0, sizeof k);
	k.nkeys = 1;
	k.pub = 4 + (size_t)nb;
	k.owner = strlen(o->owner) + 1;
	tool_space_init(&s);
	tool_space_records(&s, o->outdir, &k);
	tool_space_add(&s, o->outdir, params, 1, "the public parameters");
	tool_space_add(&s, o->outdir, 4096 + o->n * 512, 1, "the transcript");
	if (o->pdf) {
		snprintf(what, sizeof what, "%lu PDF sheets", o->n + 2);
		tool_space_add(&s, o->outdir, tool_space_envelope_pdf((size_t)params, o->paper) +
		    tool_space_public_pdf(1) + o->n * tool_space_envelope_pdf((size_t)share,
		    o->paper), o->n + 2, what);
	}
	if (o->shares_out != NULL) {
		snprintf(what, sizeof what, "%lu share files", o->n);
		tool_space_add(&s, o->shares_out, o->n * share, o->n, what);
	}
	return tool_space_check(&s);
}

int
kg_thresh_main(int argc, char **argv)
{
	struct kt_opts o;
	struct escrow_thresh_params *p = NULL;
	struct escrow_thresh_share *sh[ESCROW_THRESH_MAX_PLAYERS] = { NULL };
	struct tool_records r;
	struct tool_keyrec k;
	struct tool_written w = { 0 };
	struct escrow_text tr = { 0 };
	struct tt_sheet ps;
	char fpr[65], name[ESCROW_DNSSEC_NAME_TEXT_MAX + 64], *ptext = NULL;
	size_t plen = 0;
	unsigned i;
	int rc, last = -1, status = TOOL_EXIT_FAIL;

	if ((rc = parse(argc, argv, &o)) >= 0)
		return rc;
	if (tool_harden() != 0 || thresh_space(&o) != 0)
		return TOOL_EXIT_FAIL;
	if (tool_prepare_dir(o.outdir) != 0 ||
	    (o.shares_out != NULL && tool_prepare_dir(o.shares_out) != 0))
		return TOOL_EXIT_FAIL;
	fprintf(stderr, "dealing a %lu-of-%lu RSA-%lu key for `%s' (safe primes "
	    "take a while)\n", o.m, o.n, o.bits, o.owner);
	rc = escrow_thresh_deal((int)o.alg, (unsigned)o.bits, (unsigned)o.m,
	    (unsigned)o.n, o.owner, progress, &last, &p, sh);
	if (isatty(STDERR_FILENO))
		fputc('\n', stderr);
	if (rc != ESCROW_OK) {
		tool_err("dealing: %s", escrow_strerror(rc));
		goto out;
	}
	tt_params_fpr_hex(p, fpr);
	tool_text_printf(&tr, "escrow-keygen --threshold transcript\n"
	    "%lu of %lu custodians sign; RSA-%lu, algorithm %lu, owner %s\n"
	    "public parameters fingerprint (SHA-256): %s\n", o.m, o.n, o.bits,
	    o.alg, o.owner, fpr);
	if (records(&o, p, &r, &k, fpr, &w, &tr) != 0)
		goto out;
	tool_text_printf(&tr, "key tag %u\n%s\n", k.tag, k.dnskey_text);
	if (escrow_thresh_params_text(p, &ptext, &plen) != ESCROW_OK) {
		tool_err("out of memory");
		goto out;
	}
	snprintf(name, sizeof name, "%s-threshold-params.txt", r.base);
	if (tool_write_tracked(&w, o.outdir, name, ptext, plen, 0644) != 0)
		goto out;
	tool_text_printf(&tr, "  wrote %s/%s (public parameters)\n", o.outdir, name);
	if (o.pdf || o.queue != NULL) {
		memset(&ps, 0, sizeof ps);
		ps.bytes = (const uint8_t *)ptext;
		ps.len = plen;
		ps.title = "Threshold key - public parameters";
		ps.intro = "n, e, v and each custodian's verification key v_i. "
		    "Public: anyone assembling signatures needs them.";
		ps.footer = "Public parameters - not secret";
		ps.heading = "Typeable copy of the parameters";
		ps.fpr_hex = fpr;
		if (tt_sheet_emit(&ps, "threshold-params.pdf", o.paper, o.pdf,
		    o.outdir, o.queue, &tr) != 0)
			goto out;
		if (o.pdf && tool_written_add(&w, o.outdir, "threshold-params.pdf") != 0)
			goto out;
	}
	if ((o.pdf || o.queue != NULL) && public_sheet(&o, &k, fpr, &w, &tr) != 0)
		goto out;
	for (i = 0; i < o.n; i++)
		if (share_out(&o, p, sh[i], k.tag, fpr, &w, &tr) != 0)
			goto out;
	snprintf(name, sizeof name, "%s-transcript.txt", r.base);
	if (tool_write_tracked(&w, o.outdir, name, tr.p, tr.len, 0644) != 0)
		goto out;
	printf("Threshold key %s, key tag %u: %lu of %lu custodians sign.\n",
	    k.keyfile, k.tag, o.m, o.n);
	printf("Public parameters fingerprint: %s\n", fpr);
	printf("%s\n%s\n%s\n", k.dnskey_text, k.ds256_text, k.ds384_text);
	status = TOOL_EXIT_OK;
out:
	if (status != TOOL_EXIT_OK)
		tool_written_rollback(&w);
	tool_written_free(&w);
	for (i = 0; i < o.n && i < ESCROW_THRESH_MAX_PLAYERS; i++)
		escrow_thresh_share_free(sh[i]);
	escrow_thresh_params_free(p);
	free(ptext);
	escrow_text_free(&tr);
	return status;
}
