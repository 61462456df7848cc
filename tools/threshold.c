/*
 * threshold.c - shared by escrow-keygen --threshold and escrow-combine
 * partial / assemble / audit: parameters, shares from text or scans,
 * requests and their signed data, sheets.  The partial-signature file is
 * in threshold_partial.c.
 *
 * Secret: a threshold share while it is read (file bytes, scanned
 * payloads, the assembled record): escrow_secret_alloc() memory, or
 * wiped before it is freed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "escrow_paper.h"
#include "threshold.h"

int
tt_params_load(const char *path, struct escrow_thresh_params **p)
{
	size_t len;
	uint8_t *text = tool_read_file(path, &len, TT_PARAMS_MAX);
	unsigned line = 0;
	int rc;

	*p = NULL;
	if (text == NULL)
		return -1;
	rc = escrow_thresh_params_parse((const char *)text, len, p, &line);
	free(text);
	if (rc != ESCROW_OK) {
		if (line > 0)
			tool_err("public parameters `%s', line %u: %s", path, line,
			    escrow_strerror(rc));
		else
			tool_err("public parameters `%s': %s", path, escrow_strerror(rc));
		tool_hint("give the parameters file escrow-keygen --threshold wrote "
		    "(K<owner>+<alg>+<tag>-threshold-params.txt), unchanged");
		return -1;
	}
	return 0;
}

int
tt_params_dnskey(const struct escrow_thresh_params *p, struct escrow_dnskey *k)
{
	uint8_t pub[ESCROW_KEYS_PUBKEY_MAX];
	size_t len;
	int rc;

	if ((rc = escrow_thresh_params_dnskey_pub(p, pub, sizeof pub, &len)) != 0 ||
	    (rc = escrow_dnssec_dnskey_init(k, escrow_thresh_params_owner(p),
	    ESCROW_DNSSEC_FLAGS_KSK, escrow_thresh_params_alg(p), pub, len)) != 0) {
		tool_err("the parameters' public key: %s", escrow_strerror(rc));
		return -1;
	}
	return 0;
}

void
tt_params_fpr_hex(const struct escrow_thresh_params *p, char out[65])
{
	uint8_t f[ESCROW_THRESH_FPR_BYTES];

	escrow_thresh_params_fingerprint(p, f);
	escrow_hex(f, sizeof f, out, 0);
}

/* The whole file into secret memory (a share's text form). */
static uint8_t *
read_secret(const char *path, size_t *len, size_t max)
{
	uint8_t *buf = escrow_secret_alloc(max + 1);
	int fd;
	ssize_t got;

	*len = 0;
	if (buf == NULL) {
		tool_err("out of secure memory");
		return NULL;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		tool_err("cannot open `%s': %s", path, strerror(errno));
		escrow_secret_free(buf);
		return NULL;
	}
	while ((got = read(fd, buf + *len, max - *len)) > 0)
		*len += (size_t)got;
	close(fd);
	if (got < 0 || *len == max) {
		tool_err("cannot read `%s' (or larger than %zu bytes)", path, max);
		escrow_secret_free(buf);
		return NULL;
	}
	buf[*len] = '\0';
	return buf;
}

/* Bytes from a sheet's QR chunks (scans) or its typed form. */
static int
record_from_file(const char *path, const char *what, uint8_t **rec,
    size_t *rec_len)
{
	struct escrow_scan_result res;
	struct escrow_chunk_asm *a = NULL;
	uint8_t *text, *env = NULL;
	unsigned missing[8], bad_line = 0;
	size_t len, i, nmissing = 0, env_len = 0, nbad = 0;
	int rc;

	*rec = NULL;
	{
		char head[16];
		FILE *f = fopen(path, "rb");
		size_t got;

		if (f == NULL) {
			tool_err("cannot open `%s': %s", path, strerror(errno));
			return -1;
		}
		got = fread(head, 1, 15, f);
		fclose(f);
		if (got != 15 || memcmp(head, "ESCROW-ENVELOPE", 15) != 0)
			goto scan;
	}
	if ((text = read_secret(path, &len, 1u << 20)) == NULL)
		return -1;
	{
		rc = escrow_textform_decode((const char *)text, len, &env, &env_len,
		    &bad_line);
		escrow_secret_free(text);
		if (rc != ESCROW_OK) {
			tool_err("%s `%s', typed form line %u: %s", what, path,
			    bad_line, escrow_strerror(rc));
			tool_hint("compare that line with the printed sheet and type "
			    "it again");
			return -1;
		}
		goto got;
	}
scan:
	memset(&res, 0, sizeof res);
	rc = escrow_scan_file(path, NULL, &res);
	if (rc != ESCROW_OK) {
		escrow_scan_result_free(&res);
		tool_err("%s `%s': neither its typed form nor a scan with QR codes "
		    "(%s)", what, path, escrow_strerror(rc));
		return -1;
	}
	if ((a = escrow_chunk_asm_new(NULL)) == NULL) {
		escrow_scan_result_free(&res);
		tool_err("out of memory");
		return -1;
	}
	for (i = 0; i < res.count; i++) {
		/* a bad or foreign chunk is skipped; missing ones are named below */
		if (escrow_payload_classify(res.items[i].data, res.items[i].len) ==
		    ESCROW_PAYLOAD_CHUNK &&
		    escrow_chunk_asm_add(a, res.items[i].data, res.items[i].len) !=
		    ESCROW_OK)
			nbad++;
	}
	escrow_scan_result_free(&res);
	rc = escrow_chunk_asm_finish(a, &env, &env_len, missing, 8, &nmissing);
	escrow_chunk_asm_free(a);
	if (rc != ESCROW_OK) {
		tool_err("%s `%s': %s%s (%zu unreadable or foreign QR codes)", what,
		    path, escrow_strerror(rc), rc == ESCROW_ERR_CHUNK_MISSING ?
		    " (scan every page again)" : "", nbad);
		return -1;
	}
got:
	*rec = escrow_secret_alloc(env_len);
	if (*rec == NULL) {
		escrow_wipe(env, env_len);
		free(env);
		tool_err("out of secure memory");
		return -1;
	}
	memcpy(*rec, env, env_len);
	*rec_len = env_len;
	escrow_wipe(env, env_len);
	free(env);
	return 0;
}

int
tt_share_read(const char *path, struct escrow_thresh_share **s)
{
	uint8_t *rec = NULL;
	size_t len = 0;
	int rc;

	*s = NULL;
	if (record_from_file(path, "threshold share", &rec, &len) != 0)
		return -1;
	rc = escrow_thresh_share_from_record(rec, len, s);
	escrow_secret_free(rec);
	if (rc != ESCROW_OK) {
		tool_err("threshold share `%s': %s", path, escrow_strerror(rc));
		tool_hint("is this a threshold share sheet (not an envelope or a "
		    "SLIP-0039 share)?");
		return -1;
	}
	return 0;
}

int
tt_partial_read(const char *path, struct tt_partial *p)
{
	char err[256];
	uint8_t *rec = NULL;
	size_t len = 0;
	int rc;

	{
		char head[sizeof TT_PARTIAL_HEADER];
		FILE *f = fopen(path, "rb");
		size_t got;

		if (f == NULL) {
			tool_err("cannot open `%s': %s", path, strerror(errno));
			return -1;
		}
		got = fread(head, 1, sizeof head - 1, f);
		fclose(f);
		if (got == sizeof head - 1 &&
		    memcmp(head, TT_PARTIAL_HEADER, sizeof head - 1) == 0) {
			uint8_t *t = tool_read_file(path, &len, 1u << 20);

			if (t == NULL)
				return -1;
			rc = tt_partial_parse((const char *)t, len, p, err, sizeof err);
			free(t);
			goto parsed;
		}
	}
	if (record_from_file(path, "partial signature", &rec, &len) != 0)
		return -1;
	rc = tt_partial_parse((const char *)rec, len, p, err, sizeof err);
	escrow_secret_free(rec);
parsed:
	if (rc != 0) {
		tool_err("partial signature `%s': %s", path, err);
		return -1;
	}
	return 0;
}

int
tt_request_load(const char *path, struct tt_request *r)
{
	char err[ESCROW_KSR_ERR_MAX];
	size_t len;
	uint8_t *text;
	int rc;

	memset(r, 0, sizeof *r);
	r->path = path;
	if ((text = tool_read_file(path, &len, ESCROW_KSR_MAX_INPUT)) == NULL)
		return -1;
	SHA256(text, len, r->sha);
	{
		const char *c = (const char *)text;

		while (*c == ' ' || *c == '\n' || *c == '\t' || *c == '\r')
			c++;
		r->zone = *c != '<';
	}
	if (r->zone)
		rc = escrow_ksr_zone_parse((const char *)text, len, &r->ksr, err,
		    sizeof err);
	else
		rc = escrow_ksr_parse((const char *)text, len, &r->ksr, err,
		    sizeof err);
	free(text);
	if (rc != ESCROW_OK) {
		tool_err("request `%s': %s (%s)", path, err, escrow_strerror(rc));
		return -1;
	}
	return 0;
}

void
tt_request_free(struct tt_request *r)
{
	free(r->ksr);
	r->ksr = NULL;
}

int
tt_request_check(const struct tt_request *r, FILE *show)
{
	const struct escrow_ksr *k = r->ksr;
	char err[ESCROW_KSR_ERR_MAX], t1[32], t2[32], d[48];
	size_t i, j;
	int rc;

	if (!r->zone && (rc = escrow_ksr_check_request(k, err, sizeof err)) != 0) {
		tool_err("request `%s' refused: %s", r->path, err);
		tool_hint("ask the ZSK operator for a corrected request; nothing "
		    "was signed");
		return -1;
	}
	if (show == NULL)
		return 0;
	if (r->zone) {
		fprintf(show, "Zone-file request for `%s': one DNSKEY RRset.\n",
		    k->domain);
	} else {
		fprintf(show, "KSR %s for `%s', serial %lu: %zu bundles.\n", k->id,
		    k->domain, k->serial, k->nbundles);
		escrow_ksr_format_datetime(k->bundles[0].inception, t1);
		escrow_ksr_format_datetime(k->bundles[k->nbundles - 1].expiration, t2);
		fprintf(show, "Period: %s .. %s\n", t1, t2);
		escrow_ksr_format_duration(k->zsk.min_sig_validity, d);
		fprintf(show, "ZSK policy: signature validity %s", d);
		escrow_ksr_format_duration(k->zsk.max_sig_validity, d);
		fprintf(show, "..%s, overlap ", d);
		escrow_ksr_format_duration(k->zsk.min_overlap, d);
		fprintf(show, "%s", d);
		escrow_ksr_format_duration(k->zsk.max_overlap, d);
		fprintf(show, "..%s; algorithms", d);
		for (i = 0; i < k->zsk.nalgs; i++)
			fprintf(show, " %u (RSA-%lu)", k->zsk.algs[i].algorithm,
			    k->zsk.algs[i].size);
		fprintf(show, "\nEvery ZSK operator signature in it verifies.\n");
	}
	for (i = 0; i < k->nbundles; i++) {
		const struct escrow_ksr_bundle *b = &k->bundles[i];

		escrow_ksr_format_datetime(b->inception, t1);
		escrow_ksr_format_datetime(b->expiration, t2);
		fprintf(show, "  %2zu  %.8s  %s .. %s  ZSK", i + 1, b->id, t1, t2);
		for (j = 0; j < b->nkeys; j++)
			fprintf(show, " %u", b->keys[j].key_tag);
		fputc('\n', show);
	}
	return 0;
}

int
tt_bundle_data(const struct tt_request *r, size_t i,
    const struct escrow_dnskey *k, struct escrow_rrsig *sig, uint8_t **data,
    size_t *len)
{
	int rc = escrow_ksr_bundle_signed_data(&r->ksr->bundles[i], k, sig, data,
	    len);

	if (rc != ESCROW_OK) {
		tool_err("bundle %zu of `%s': %s", i + 1, r->path,
		    escrow_strerror(rc));
		return -1;
	}
	return 0;
}

int
tt_sheet_emit(const struct tt_sheet *s, const char *name,
    enum escrow_paper_size paper, int pdf, const char *dir, const char *queue,
    struct escrow_text *transcript)
{
	struct escrow_envelope_sheet es;
	struct escrow_sheet_out out = { paper, NULL, 0 };
	struct escrow_doc doc = { 0 };
	char path[4096], detail[512];
	int rc, ret = -1;

	memset(&es, 0, sizeof es);
	es.env = s->bytes;
	es.env_len = s->len;
	es.fingerprint_hex = s->fpr_hex;
	es.title = s->title;
	es.intro = s->intro;
	es.footer = s->footer;
	es.text_heading = s->heading;
	if ((rc = escrow_sheet_envelope(&es, &out, &doc)) != ESCROW_OK) {
		tool_err("rendering %s: %s", name, escrow_strerror(rc));
		goto out;
	}
	if (pdf) {
		snprintf(path, sizeof path, "%s/%s", dir, name);
		if ((rc = escrow_doc_write(&doc, path)) != ESCROW_OK) {
			tool_err("cannot write `%s': %s", path, escrow_strerror(rc));
			goto out;
		}
		tool_text_printf(transcript, "  wrote %s (%u page%s)\n", path,
		    doc.pages, doc.pages == 1 ? "" : "s");
	}
	if (queue != NULL) {
		detail[0] = '\0';
		rc = escrow_print_pdf(queue, doc.data, doc.len, paper, 0, detail,
		    sizeof detail);
		if (rc != ESCROW_OK) {
			tool_err("printing %s on `%s': %s", name, queue,
			    detail[0] != '\0' ? detail : escrow_strerror(rc));
			goto out;
		}
		tool_text_printf(transcript, "  printed %s on %s; job purged\n", name,
		    queue);
	}
	ret = 0;
out:
	if (doc.data != NULL)
		escrow_wipe(doc.data, doc.len);
	escrow_doc_free(&doc);
	return ret;
}
