/*
 * sheet_public.c - the public-record sheet: the envelope fingerprint, the
 * key tags, DNSKEY and DS records.  Long records (an RSA-4096 DNSKEY is
 * ~700 characters of base64) wrap inside the column; the sheet goes on to
 * more pages when needed, each with the fingerprint and "page i of n".
 *
 * Public data only.
 */
#include <stdio.h>
#include <string.h>

#include "escrow.h"
#include "escrow_print.h"
#include "sheet_int.h"

static int
section(struct sheet *s, const char *title, const char *const *lines, size_t n)
{
	size_t i;
	int ret;

	if (n == 0)
		return ESCROW_OK;
	if (lines == NULL)
		return s->err = ESCROW_ERR_INVALID_ARG;
	s->y += 6;
	ret = sheet_need(s, 40);
	sheet_font(s, FONT_SANS, 1, 11);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left, 0, 15, title);
	for (i = 0; i < n && ret == ESCROW_OK; i++) {
		sheet_font(s, FONT_MONO, 0, 8);
		ret = sheet_para(s, s->left + 8, 16, 10.5, lines[i] ? lines[i] : "");
		s->y += 3;
	}
	return ret;
}

static int
layout(const struct escrow_public_sheet *p, enum sheet_mode mode,
    const struct escrow_sheet_out *out, unsigned npages, struct escrow_doc *doc)
{
	char header[400];
	struct sheet s;
	int ret;

	ret = sheet_begin(&s, mode, out, doc);
	if (ret != ESCROW_OK)
		return ret;
	snprintf(header, sizeof header, "%s (continued)  -  SHA-256 %s",
	    p->title ? p->title : "Key escrow public record", p->fingerprint_hex);
	s.header = header;
	s.npages = npages;
	s.auto_break = 1;
	s.footer = "Public record - may be published";
	sheet_font(&s, FONT_SANS, 1, 16);
	ret = sheet_para(&s, s.left, 0, 21, p->title ? p->title :
	    "Key escrow public record");
	sheet_font(&s, FONT_SANS, 0, 9);
	if (ret == ESCROW_OK)
		ret = sheet_para(&s, s.left, 0, 12, "The public half of the escrowed "
		    "keys, for checking a restored key against what was published.");
	s.y += 6;
	sheet_font(&s, FONT_SANS, 1, 11);
	if (ret == ESCROW_OK)
		ret = sheet_para(&s, s.left, 0, 15, "Envelope fingerprint (SHA-256)");
	sheet_font(&s, FONT_MONO, 0, 9);
	if (ret == ESCROW_OK)
		ret = sheet_para(&s, s.left + 8, 0, 12, p->fingerprint_hex);
	sheet_font(&s, FONT_SANS, 0, 9);
	if (ret == ESCROW_OK && p->fingerprint_words != NULL)
		ret = sheet_para(&s, s.left + 8, 0, 12, p->fingerprint_words);
	if (ret == ESCROW_OK)
		ret = section(&s, "Key tags", p->keytags, p->nkeytags);
	if (ret == ESCROW_OK)
		ret = section(&s, "DS records", p->ds, p->nds);
	if (ret == ESCROW_OK)
		ret = section(&s, "DNSKEY records", p->dnskey, p->ndnskey);
	if (ret != ESCROW_OK) {
		ret = s.err != ESCROW_OK ? s.err : ret;
		sheet_abort(&s);
		escrow_doc_free(doc);
		return ret;
	}
	return sheet_end(&s);
}

int
escrow_sheet_public(const struct escrow_public_sheet *p,
    const struct escrow_sheet_out *out, struct escrow_doc *doc)
{
	struct escrow_sheet_out count_out;
	struct escrow_doc d;
	unsigned pages;
	int ret;

	if (p == NULL || p->fingerprint_hex == NULL || out == NULL || doc == NULL ||
	    (p->dnskey == NULL && p->ndnskey > 0) || (p->ds == NULL && p->nds > 0) ||
	    (p->keytags == NULL && p->nkeytags > 0))
		return ESCROW_ERR_INVALID_ARG;
	memset(&d, 0, sizeof d);
	count_out = *out;
	count_out.png_prefix = NULL;
	ret = layout(p, SHEET_COUNT, &count_out, 0, &d);
	pages = d.pages;
	escrow_doc_free(&d);
	if (ret != ESCROW_OK)
		return ret;
	if (pages > 100)
		return ESCROW_ERR_TOO_LARGE;
	return layout(p, out->png_prefix ? SHEET_PNG : SHEET_PDF, out, pages, doc);
}
