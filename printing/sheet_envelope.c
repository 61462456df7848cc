/*
 * sheet_envelope.c - the envelope sheets: the envelope as QR chunks,
 * rows of three (ESCROW_CHUNK_QR_VERSION at ECC Q, 0.75 mm modules), then
 * as typeable text (docs/FORMAT.md, "Paper"); the fingerprint and "page i of
 * n" on every page.  The page count is found by laying the sheets out
 * once without drawing, so the count and the print always agree.
 *
 * Public data only: the envelope is encrypted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escrow.h"
#include "escrow_paper.h"
#include "escrow_print.h"
#include "sheet_int.h"

#define CHUNK_MODULE (0.75 * MM)
#define CHUNK_COLS 3
#define TEXT_SIZE 9.0
#define TEXT_LEAD 11.5

static int
chunk_grid(struct sheet *s, const struct escrow_chunks *ch)
{
	char label[64];
	double colw = (s->right - s->left) / CHUNK_COLS, side, rowh, x;
	int width = 0, ret;
	size_t i;

	ret = sheet_qr_width((const uint8_t *)ch->payload[0],
	    strlen(ch->payload[0]), ESCROW_CHUNK_QR_ECC, ESCROW_CHUNK_QR_VERSION,
	    &width);
	if (ret != ESCROW_OK)
		return s->err = ret;
	side = (width + 8) * CHUNK_MODULE;
	rowh = side + 14;
	if (side > colw)
		return s->err = ESCROW_ERR_RENDER;
	for (i = 0; i < ch->count && ret == ESCROW_OK; i++) {
		if (i % CHUNK_COLS == 0) {
			if (i > 0)
				s->y += rowh;
			ret = sheet_need(s, rowh);
			if (ret != ESCROW_OK)
				break;
		}
		x = s->left + (double)(i % CHUNK_COLS) * colw + (colw - side) / 2;
		ret = sheet_qr(s, x, s->y, CHUNK_MODULE,
		    (const uint8_t *)ch->payload[i], strlen(ch->payload[i]),
		    ESCROW_CHUNK_QR_ECC, ESCROW_CHUNK_QR_VERSION, NULL);
		snprintf(label, sizeof label, "chunk %zu of %zu", i + 1, ch->count);
		sheet_font(s, FONT_SANS, 0, 8);
		if (ret == ESCROW_OK)
			ret = sheet_show(s, x + (side - sheet_width(s, label)) / 2,
			    s->y + side + 8, label);
	}
	s->y += rowh + 8;
	return ret;
}

static int
text_lines(struct sheet *s, const char *text)
{
	cairo_font_extents_t fe;
	char line[256];
	const char *p = text, *nl;
	size_t n;
	int ret;

	sheet_font(s, FONT_SANS, 1, 11);
	ret = sheet_need(s, 60);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left, 0, 15, "Typeable copy of the envelope");
	sheet_font(s, FONT_SANS, 0, 8.5);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left, 0, 11, "Only needed if no QR code "
		    "above can be read. Type every line as printed; case and "
		    "spaces do not matter. The last group of each numbered line "
		    "is a check: a typing error is reported with its line number.");
	s->y += 6;
	sheet_font(s, FONT_MONO, 0, TEXT_SIZE);
	cairo_font_extents(s->cr, &fe);
	while (ret == ESCROW_OK && *p != '\0') {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (n >= sizeof line)
			return s->err = ESCROW_ERR_RENDER;
		memcpy(line, p, n);
		line[n] = '\0';
		ret = sheet_need(s, TEXT_LEAD);
		if (ret == ESCROW_OK) {
			sheet_font(s, FONT_MONO, 0, TEXT_SIZE);
			/* never wrapped: a wrapped line would not parse */
			ret = sheet_show(s, s->left, s->y + fe.ascent, line);
		}
		s->y += TEXT_LEAD;
		p += n + (nl != NULL);
	}
	return ret;
}

static int
layout(const struct escrow_envelope_sheet *e, enum sheet_mode mode,
    const struct escrow_sheet_out *out, unsigned npages,
    struct escrow_doc *doc)
{
	struct escrow_chunks ch = { NULL, 0 };
	char header[200], fp[160], *text = NULL;
	struct sheet s;
	int ret;

	ret = escrow_chunk_split(e->env, e->env_len, &ch);
	if (ret == ESCROW_OK)
		ret = escrow_textform_encode(e->env, e->env_len, &text, NULL);
	if (ret != ESCROW_OK)
		goto out;
	ret = sheet_begin(&s, mode, out, doc);
	if (ret != ESCROW_OK)
		goto out;
	snprintf(header, sizeof header, "%s (continued)",
	    e->title ? e->title : "Key escrow envelope");
	snprintf(fp, sizeof fp, "Fingerprint (SHA-256): %s", e->fingerprint_hex);
	s.header = header;
	s.npages = npages;
	s.auto_break = 1;
	s.footer = "Encrypted envelope - useless without the shares; keep with the records";
	sheet_font(&s, FONT_SANS, 1, 16);
	ret = sheet_para(&s, s.left, 0, 21, e->title ? e->title :
	    "Key escrow envelope");
	sheet_font(&s, FONT_SANS, 0, 9);
	if (ret == ESCROW_OK)
		ret = sheet_para(&s, s.left, 0, 12, "The private key, encrypted "
		    "under the master secret that the share sheets split. Scan the "
		    "QR codes in any order.");
	sheet_font(&s, FONT_MONO, 0, 8);
	if (ret == ESCROW_OK)
		ret = sheet_para(&s, s.left, 0, 11, fp);
	s.y += 8;
	/* the fingerprint heads every continuation page too */
	{
		char h2[400];

		snprintf(h2, sizeof h2, "%s  -  SHA-256 %s", header,
		    e->fingerprint_hex);
		s.header = h2;
		if (ret == ESCROW_OK)
			ret = chunk_grid(&s, &ch);
		if (ret == ESCROW_OK)
			ret = text_lines(&s, text);
		if (ret != ESCROW_OK) {
			sheet_abort(&s);
			escrow_doc_free(doc);
			if (s.err == ESCROW_OK)
				s.err = ret;
			ret = s.err;
			goto out;
		}
		ret = sheet_end(&s);
	}
out:
	escrow_chunks_free(&ch);
	free(text);
	return ret;
}

static int
count_pages(const struct escrow_envelope_sheet *e, enum escrow_paper_size paper,
    unsigned *pages)
{
	struct escrow_sheet_out o = { paper, NULL, 0 };
	struct escrow_doc d;
	int ret;

	memset(&d, 0, sizeof d);
	ret = layout(e, SHEET_COUNT, &o, 0, &d);
	*pages = ret == ESCROW_OK ? d.pages : 0;
	escrow_doc_free(&d);
	return ret;
}

int
escrow_sheet_envelope_pages(size_t env_len, enum escrow_paper_size paper,
    unsigned *pages)
{
	struct escrow_envelope_sheet e = { NULL, env_len, "", NULL };
	uint8_t *zero;
	int ret;

	if (pages == NULL)
		return ESCROW_ERR_INVALID_ARG;
	*pages = 0;
	if (env_len == 0)
		return ESCROW_ERR_INVALID_ARG;
	/* at most 12 chunks a page: anything past this is surely too big */
	if (escrow_chunk_count(env_len) == 0 ||
	    escrow_chunk_count(env_len) > 12 * ESCROW_SHEET_ENVELOPE_MAX_PAGES)
		return ESCROW_ERR_TOO_LARGE;
	zero = calloc(1, env_len);
	if (zero == NULL)
		return ESCROW_ERR_NOMEM;
	e.env = zero;
	e.fingerprint_hex =
	    "0000000000000000000000000000000000000000000000000000000000000000";
	ret = count_pages(&e, paper, pages);
	free(zero);
	if (ret == ESCROW_OK && *pages > ESCROW_SHEET_ENVELOPE_MAX_PAGES)
		ret = ESCROW_ERR_TOO_LARGE;
	return ret;
}

int
escrow_sheet_envelope(const struct escrow_envelope_sheet *e,
    const struct escrow_sheet_out *out, struct escrow_doc *doc)
{
	unsigned pages = 0;
	int ret;

	if (e == NULL || e->env == NULL || e->env_len == 0 ||
	    e->fingerprint_hex == NULL || out == NULL || doc == NULL)
		return ESCROW_ERR_INVALID_ARG;
	memset(doc, 0, sizeof *doc);
	if (escrow_chunk_count(e->env_len) == 0 ||
	    escrow_chunk_count(e->env_len) > 12 * ESCROW_SHEET_ENVELOPE_MAX_PAGES)
		return ESCROW_ERR_TOO_LARGE;
	ret = count_pages(e, out->paper, &pages);
	if (ret != ESCROW_OK)
		return ret;
	if (pages > ESCROW_SHEET_ENVELOPE_MAX_PAGES)
		return ESCROW_ERR_TOO_LARGE;
	return layout(e, out->png_prefix ? SHEET_PNG : SHEET_PDF, out, pages, doc);
}
