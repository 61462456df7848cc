/*
 * sheets_out.c - render a ceremony's sheets and send them out, to CUPS or
 * as PDF files (see sheets_out.h).  Share mnemonics and rendered share
 * sheets are secret and live only in secret memory; a share sheet reaches
 * a file only with --pdf.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "escrow_slip39.h"
#include "sheets_out.h"
#include "tool.h"

/* Lines naming what a share protects; long key sets are summarised. */
#define PROTECT_LINES 6

int
tool_paper_preflight(const struct tool_paper_opts *o)
{
	char why[700];

	if (o->queue == NULL)
		return 0;
	if (escrow_print_queue_check(o->queue, why, sizeof why) == ESCROW_OK)
		return 0;
	tool_err("--print `%s': %s", o->queue, why);
	tool_hint("fix the printer (lpstat -p shows the queues) or name another "
	    "queue; nothing was made or asked yet");
	return -1;
}

int
tool_paper_parse(const char *s, enum escrow_paper_size *out)
{
	if (strcasecmp(s, "a4") == 0)
		*out = ESCROW_PAPER_A4;
	else if (strcasecmp(s, "letter") == 0)
		*out = ESCROW_PAPER_LETTER;
	else
		return -1;
	return 0;
}

/* Print a rendered document on the queue, saying so. */
static int
print_doc(const struct escrow_doc *doc, const char *name,
    const struct tool_paper_opts *o, struct escrow_text *transcript)
{
	char detail[512];
	int rc;

	if (isatty(STDERR_FILENO))
		fprintf(stderr, "%s: printing %s (%u page%s) on `%s' ...\n", tool_name,
		    name, doc->pages, doc->pages == 1 ? "" : "s", o->queue);
	detail[0] = '\0';
	rc = escrow_print_pdf(o->queue, doc->data, doc->len, o->paper, 0,
	    detail, sizeof detail);
	if (rc != ESCROW_OK) {
		tool_err("printing %s on `%s': %s", name, o->queue,
		    detail[0] != '\0' ? detail : escrow_strerror(rc));
		tool_hint("fix the printer and run the ceremony again; "
		    "destroy any sheet already printed");
		return -1;
	}
	tool_text_printf(transcript, "  printed %s on %s; job purged from the spool\n",
	    name, o->queue);
	return 0;
}

/* Write a rendered document as DIR/NAME (tracked) and/or print it. */
static int
emit(struct escrow_doc *doc, const char *name, const struct tool_paper_opts *o,
    struct tool_written *w, struct escrow_text *transcript)
{
	char path[4096];

	if (o->pdf) {
		snprintf(path, sizeof path, "%s/%s", o->dir, name);
		/* as every other file: O_EXCL, mode 0600, fsync'd, errno said
		 * (a full disk as such) */
		if (tool_write_tracked(w, o->dir, name, doc->data, doc->len, 0600) != 0)
			return -1;
		tool_text_printf(transcript, "  wrote %s (%u page%s)\n", path,
		    doc->pages, doc->pages == 1 ? "" : "s");
	}
	if (o->queue != NULL && print_doc(doc, name, o, transcript) != 0)
		return -1;
	if (tool_interrupted())
		return -1;
	return 0;
}

static int
share_sheets(const struct tool_records *r, const struct escrow_shareset *set,
    const struct tool_shares *sh, const struct tool_paper_opts *o,
    const char *about, struct tool_written *w, struct escrow_text *transcript)
{
	const char *lines[PROTECT_LINES + 2];
	char *text = NULL, name[64], question[400];
	char (*buf)[160] = NULL;
	struct escrow_share_sheet s;
	struct escrow_doc doc = { 0 };
	size_t i, nl;
	int ret = -1, rc;

	text = escrow_secret_alloc(ESCROW_SLIP39_MNEMONIC_MAX);
	buf = calloc(PROTECT_LINES + 2, sizeof *buf);
	if (text == NULL || buf == NULL) {
		tool_err("out of memory");
		goto out;
	}
	for (nl = 0; nl < r->nkeys && nl < PROTECT_LINES; nl++) {
		const struct tool_keyrec *k = &r->keys[nl];

		snprintf(buf[nl], sizeof buf[nl], "%.60s tag %u alg %u DS SHA-256 %.64s",
		    k->owner, k->tag, k->dnskey.algorithm, k->ds256_text +
		    strlen(k->ds256_text) - 64);
		lines[nl] = buf[nl];
	}
	if (r->nkeys > PROTECT_LINES) {
		snprintf(buf[nl], sizeof buf[nl],
		    "... and %zu more keys: see the public-record sheet",
		    r->nkeys - PROTECT_LINES);
		lines[nl] = buf[nl];
		nl++;
	}
	/* whether a passphrase is needed too (never the passphrase itself) */
	snprintf(buf[nl], sizeof buf[nl], "%s", o->passphrase ?
	    "Passphrase: YES - this share set needs its SLIP-0039 passphrase too" :
	    "Passphrase: none - the shares alone open the envelope");
	lines[nl] = buf[nl];
	nl++;
	for (i = 0; i < sh->n; i++) {
		const struct escrow_slip39_share *x = &sh->s[i];

		rc = escrow_slip39_share_encode(x, ESCROW_SLIP39_UPPER, text,
		    ESCROW_SLIP39_MNEMONIC_MAX);
		if (rc != ESCROW_OK) {
			tool_err("share %zu: %s", i + 1, escrow_strerror(rc));
			goto out;
		}
		memset(&s, 0, sizeof s);
		s.mnemonic = text;
		s.set_id = r->set_id;
		s.group = x->group_index + 1u;
		s.groups = set->group_count;
		s.group_threshold = set->group_threshold;
		s.member = x->member_index + 1u;
		s.members = set->groups[x->group_index].count;
		s.member_threshold = x->member_threshold;
		s.fingerprint_hex = r->fp_hex;
		s.fingerprint_words = r->fp_words;
		s.protects = lines;
		s.nprotects = nl;
		s.about = about;
		struct escrow_sheet_out out = { o->paper, NULL, 0 };
		rc = escrow_sheet_share(&s, &out, &doc);
		escrow_wipe(text, ESCROW_SLIP39_MNEMONIC_MAX);
		if (rc != ESCROW_OK) {
			tool_err("rendering the sheet of share %u-%u: %s", s.group,
			    s.member, escrow_strerror(rc));
			goto out;
		}
		snprintf(name, sizeof name, "share-%u-%u.pdf", s.group, s.member);
		if (emit(&doc, name, o, w, transcript) != 0)
			goto out;
		while (o->queue != NULL && !o->yes && tool_have_tty()) {
			int a;

			snprintf(question, sizeof question,
			    "Share sheet group %u member %u printed (%zu of %zu). Has its "
			    "custodian taken it and sealed it? (Enter: yes, go on; r: print it "
			    "again; q: stop the ceremony)", s.group, s.member, i + 1, sh->n);
			a = tool_choose(question, "yrq", 'y');
			if (a == 'r') {
				if (print_doc(&doc, name, o, transcript) != 0)
					goto out;
				continue;
			}
			if (a == 'q' && !tool_confirm("Stop? The ceremony is then undone: every "
			    "sheet printed so far must be destroyed"))
				continue;
			if (a != 'y') {
				tool_err("stopped %s after share %u-%u", tool_interrupted() ?
				    "by a signal" : "by the operator", s.group, s.member);
				goto out;
			}
			break;
		}
		escrow_doc_free(&doc);
		if (tool_interrupted())
			goto out;
	}
	ret = 0;
out:
	escrow_doc_free(&doc);
	escrow_secret_free(text);
	free(buf);
	return ret;
}

static int
public_sheet(const struct tool_records *r, const struct tool_paper_opts *o,
    const char *about, struct tool_written *w, struct escrow_text *transcript)
{
	struct escrow_public_sheet s;
	struct escrow_doc doc = { 0 };
	const char **dnskey = NULL, **ds = NULL, **tags = NULL;
	char (*tagbuf)[200] = NULL;
	size_t i;
	int ret = -1, rc;

	dnskey = calloc(r->nkeys, sizeof *dnskey);
	ds = calloc(2 * r->nkeys, sizeof *ds);
	tags = calloc(r->nkeys, sizeof *tags);
	tagbuf = calloc(r->nkeys, sizeof *tagbuf);
	if (dnskey == NULL || ds == NULL || tags == NULL || tagbuf == NULL) {
		tool_err("out of memory");
		goto out;
	}
	for (i = 0; i < r->nkeys; i++) {
		dnskey[i] = r->keys[i].dnskey_text;
		ds[2 * i] = r->keys[i].ds256_text;
		ds[2 * i + 1] = r->keys[i].ds384_text;
		tool_records_key_summary(r, i, tagbuf[i], sizeof tagbuf[i]);
		tags[i] = tagbuf[i];
	}
	memset(&s, 0, sizeof s);
	s.dnskey = dnskey;
	s.ndnskey = r->nkeys;
	s.ds = ds;
	s.nds = 2 * r->nkeys;
	s.keytags = tags;
	s.nkeytags = r->nkeys;
	s.fingerprint_hex = r->fp_hex;
	s.fingerprint_words = r->fp_words;
	s.about = about;
	struct escrow_sheet_out out = { o->paper, NULL, 0 };
	rc = escrow_sheet_public(&s, &out, &doc);
	if (rc == ESCROW_ERR_TOO_LARGE) {
		/* thousands of keys: the records live in the files, as the
		 * envelope does when it is too large for its sheets */
		fprintf(stderr,
		    "%s: the public records of %zu keys would take more pages than a "
		    "public-record sheet may have: no public-record sheet.\n"
		    "  -> the DS records, key files and trust anchor are in the output "
		    "directory; the share sheets still print.\n",
		    tool_name, r->nkeys);
		tool_text_printf(transcript, "  public-record sheet skipped: %zu keys are "
		    "too many for it; the records are in the files above\n", r->nkeys);
		ret = 0;
		goto out;
	}
	if (rc != ESCROW_OK) {
		tool_err("rendering the public-record sheet: %s", escrow_strerror(rc));
		goto out;
	}
	ret = emit(&doc, "public.pdf", o, w, transcript);
out:
	escrow_doc_free(&doc);
	free(dnskey);
	free(ds);
	free(tags);
	free(tagbuf);
	return ret;
}

int
tool_paper_output(const struct tool_records *r, const uint8_t *env,
    size_t env_len, const struct escrow_shareset *set,
    const struct tool_shares *sh, const struct tool_paper_opts *o,
    struct tool_written *w, struct escrow_text *transcript)
{
	struct escrow_envelope_sheet es;
	struct escrow_doc doc = { 0 };
	char about[ESCROW_SHEET_ABOUT_MAX];
	unsigned pages = 0;
	int rc, ret = -1;

	rc = escrow_sheet_envelope_pages(env_len, o->paper, &pages);
	if (rc == ESCROW_ERR_TOO_LARGE) {
		/* pages is 0 when the envelope is too large even to count */
		char count[64];

		if (pages == 0)
			snprintf(count, sizeof count, "more than %u pages of paper, the "
			    "limit", ESCROW_SHEET_ENVELOPE_MAX_PAGES);
		else
			snprintf(count, sizeof count, "%u pages of paper, more than the "
			    "%u-page limit", pages, ESCROW_SHEET_ENVELOPE_MAX_PAGES);
		fprintf(stderr,
		    "%s: the envelope (%zu bytes) would take %s: no envelope sheets.\n"
		    "  -> keep the envelope file on durable media (several copies); "
		    "the share sheets still print.\n", tool_name, env_len, count);
		tool_text_printf(transcript,
		    "  envelope sheets skipped: they would take %s; the envelope file "
		    "must be kept on durable media\n", count);
	} else if (rc != ESCROW_OK) {
		tool_err("envelope sheets: %s", escrow_strerror(rc));
		return -1;
	} else {
		memset(&es, 0, sizeof es);
		es.env = env;
		es.env_len = env_len;
		es.fingerprint_hex = r->fp_hex;
		struct escrow_sheet_out out = { o->paper, NULL, 0 };
		rc = escrow_sheet_envelope(&es, &out, &doc);
		if (rc != ESCROW_OK) {
			tool_err("rendering the envelope sheets: %s", escrow_strerror(rc));
			goto out;
		}
		if (emit(&doc, "envelope.pdf", o, w, transcript) != 0)
			goto out;
		escrow_doc_free(&doc);
	}
	/* owner, key tags and date, printed on every sheet */
	(void)escrow_sheet_about(env, env_len, about, sizeof about);
	if (public_sheet(r, o, about, w, transcript) != 0)
		goto out;
	if (share_sheets(r, set, sh, o, about, w, transcript) != 0)
		goto out;
	ret = 0;
out:
	escrow_doc_free(&doc);
	return ret;
}
