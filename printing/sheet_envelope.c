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

#define CHUNK_MODULE_MAX (0.75 * MM)
#define CHUNK_COLS 3
#define CHUNK_ROWS (ESCROW_CHUNKS_PER_PAGE / CHUNK_COLS)
#define LABEL_H 11.0      /* the line under each QR code */
#define TEXT_SIZE 10.0
#define TEXT_LEAD 13.0
#define RULE_EVERY 5

/*
 * One QR code per cell, CHUNK_COLS a row, each row between two fold lines
 * (symbol, quiet zone and label): the module is the largest that lets a
 * row fit in the narrowest band of the page.  Data chunk n goes on page
 * escrow_chunk_page(n), the parity chunks on the page after the data.
 */
static int
chunk_grid(struct sheet *s, const struct escrow_envelope_sheet *e,
    const struct escrow_chunks *ch, const struct escrow_chunks *par)
{
	char label[96];
	double colw = (s->right - s->left) / CHUNK_COLS, side, rowh, x, module;
	int width = 0, ret;
	size_t i, n = ch->count + par->count, col = 0;
	unsigned page, prev_page = 0;

	ret = sheet_qr_width((const uint8_t *)par->payload[0],
	    strlen(par->payload[0]), ESCROW_CHUNK_QR_ECC, ESCROW_CHUNK_QR_VERSION,
	    &width);
	if (ret != ESCROW_OK)
		return s->err = ret;
	module = (sheet_min_band(s) - LABEL_H) / (width + 8);
	if (module > CHUNK_MODULE_MAX)
		module = CHUNK_MODULE_MAX;
	side = (width + 8) * module;
	rowh = side + LABEL_H;
	if (side > colw)
		return s->err = ESCROW_ERR_RENDER;
	for (i = 0; i < n && ret == ESCROW_OK; i++) {
		const char *pl = i < ch->count ? ch->payload[i] :
		    par->payload[i - ch->count];

		page = escrow_chunk_page(e->env_len, i < ch->count ?
		    (unsigned)i + 1 : 0);
		if (prev_page != 0 && (page != prev_page || col == CHUNK_COLS)) {
			s->y += rowh;
			col = 0;
		}
		while (ret == ESCROW_OK && s->page < page)
			ret = sheet_next_page(s);
		if (ret == ESCROW_OK && col == 0)
			ret = sheet_need_unfolded(s, rowh);
		/* the page rule is what a restore names: the layout keeps it */
		if (ret == ESCROW_OK && s->page != page)
			ret = s->err = ESCROW_ERR_RENDER;
		if (ret != ESCROW_OK)
			break;
		prev_page = page;
		x = s->left + (double)col * colw + (colw - side) / 2;
		ret = sheet_qr(s, x, s->y, module, (const uint8_t *)pl, strlen(pl),
		    ESCROW_CHUNK_QR_ECC, ESCROW_CHUNK_QR_VERSION, NULL);
		if (i < ch->count) {
			unsigned lo, hi;

			escrow_chunk_lines(e->env_len, (unsigned)i + 1, &lo, &hi);
			snprintf(label, sizeof label, "chunk %zu of %zu - lines %u-%u",
			    i + 1, ch->count, lo, hi);
		} else {
			snprintf(label, sizeof label, "parity %zu of %zu",
			    i - ch->count + 1, par->count);
		}
		sheet_font(s, FONT_SANS, 0, 7.5);
		if (ret == ESCROW_OK)
			ret = sheet_show(s, x + (side - sheet_width(s, label)) / 2,
			    s->y + side + 7, label);
		col++;
	}
	s->y += rowh + 8;
	return ret;
}

/* Lines of the text form, never wrapped (a wrapped line would not parse),
 * a thin rule after every RULE_EVERY data lines, and the SHA256 line
 * never alone on a page. */
static int
text_lines(struct sheet *s, const char *text, const char *heading)
{
	cairo_font_extents_t fe;
	char line[256];
	const char *p = text, *nl;
	size_t n, k = 0;
	int ret;

	sheet_font(s, FONT_SANS, 1, 11);
	ret = sheet_need(s, 60);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left, 0, 15, heading != NULL ? heading :
		    "Typeable copy of the envelope");
	sheet_font(s, FONT_SANS, 0, 8.5);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left, 0, 11, "Needed only for what no QR "
		    "code above gives. Type the first line, then every line as "
		    "printed (or only the lines named under the QR codes that "
		    "cannot be read), and the SHA256 line; case and spaces do not "
		    "matter. The last group of each numbered line is a check: a "
		    "typing error is reported with its line number.");
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
		/* the last data line goes with the SHA256 line after it */
		nl = nl ? nl + 1 : p + n;
		ret = sheet_need(s, (*nl != '\0' && strncmp(nl, "SHA256", 6) == 0) ?
		    2 * TEXT_LEAD : TEXT_LEAD);
		if (ret == ESCROW_OK) {
			double w, colw = s->right - s->left;

			sheet_font(s, FONT_MONO, 0, TEXT_SIZE);
			w = sheet_width(s, line);
			if (w <= colw) {
				ret = sheet_show(s, s->left, s->y + fe.ascent, line);
			} else if (w <= colw / 0.9) {
				/* the SHA256 line (86 characters) is narrowed a
				 * little rather than set smaller */
				cairo_save(s->cr);
				cairo_translate(s->cr, s->left, s->y + fe.ascent);
				cairo_scale(s->cr, colw / w, 1);
				cairo_move_to(s->cr, 0, 0);
				cairo_show_text(s->cr, line);
				cairo_restore(s->cr);
			} else {
				ret = s->err = ESCROW_ERR_RENDER;
			}
		}
		s->y += TEXT_LEAD;
		if (k > 0 && k % RULE_EVERY == 0 && *nl != '\0' &&
		    strncmp(nl, "SHA256", 6) != 0) {
			cairo_save(s->cr);
			cairo_set_line_width(s->cr, 0.3);
			cairo_move_to(s->cr, s->left, s->y - 2);
			cairo_line_to(s->cr, s->right, s->y - 2);
			cairo_stroke(s->cr);
			cairo_restore(s->cr);
		}
		k++;
		p = nl;
	}
	return ret;
}

static const char restore_summary[] =
    "How to restore (escrow v1, specified in docs/FORMAT.md of the escrow "
    "source). 1. Bring together enough share sheets (the number is on each). "
    "2. Give escrow-combine their QR codes or their words: each share is a "
    "SLIP-0039 mnemonic. 3. Scan these envelope pages; any one page, or any "
    "parity-many QR codes, may be missing: the parity codes replace them. "
    "For a code that cannot be read, type only the lines printed under it, "
    "with the first line of the typed copy. 4. Run escrow-combine verify, "
    "then load. Without escrow: combine the shares with any SLIP-0039 "
    "implementation and follow docs/FORMAT.md to decrypt the keys.";

static int
layout(const struct escrow_envelope_sheet *e, enum sheet_mode mode,
    const struct escrow_sheet_out *out, unsigned npages,
    struct escrow_doc *doc)
{
	struct escrow_chunks ch = { NULL, 0 }, par = { NULL, 0 };
	char header[200], fp[160], about[ESCROW_SHEET_ABOUT_MAX], foot2[320], fmt[160];
	char *text = NULL;
	struct sheet s;
	unsigned version;
	int ret;

	ret = escrow_chunk_split(e->env, e->env_len, &ch);
	if (ret == ESCROW_OK)
		ret = escrow_chunk_parity_split(e->env, e->env_len, &par);
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
	s.footer = e->footer != NULL ? e->footer :
	    "Encrypted envelope - useless without the shares; keep with the records";
	escrow_sheet_about(e->env, e->env_len, about, sizeof about);
	/* the envelope's own format version (byte 8): the hand restore's
	 * step 6 walks versions 1 and 2 differently */
	version = e->env_len > 8 ? e->env[8] : 0;
	if (e->intro != NULL) /* another record laid out as an envelope is */
		snprintf(foot2, sizeof foot2, "escrow v1 - format: docs/FORMAT.md "
		    "(escrow source)");
	else
		snprintf(foot2, sizeof foot2, "escrow v1 envelope v%u - format: "
		    "docs/FORMAT.md (escrow source) - %s", version, about);
	s.footer2 = foot2;
	sheet_font(&s, FONT_SANS, 1, 16);
	ret = sheet_para(&s, s.left, 0, 21, e->title ? e->title :
	    "Key escrow envelope");
	sheet_font(&s, FONT_SANS, 1, 9);
	if (ret == ESCROW_OK && e->intro == NULL) {
		snprintf(fmt, sizeof fmt, "Envelope format version %u (escrow v1, "
		    "docs/FORMAT.md) - shares are SLIP-0039", version);
		ret = sheet_para(&s, s.left, 0, 12, fmt);
	}
	sheet_font(&s, FONT_SANS, 0, 9);
	if (ret == ESCROW_OK && e->intro == NULL)
		ret = sheet_para(&s, s.left, 0, 12, about);
	if (ret == ESCROW_OK)
		ret = sheet_para(&s, s.left, 0, 12, e->intro != NULL ? e->intro :
		    "The private keys, encrypted under the master secret that the "
		    "share sheets split. Scan the QR codes in any order.");
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
			ret = chunk_grid(&s, e, &ch, &par);
		if (ret == ESCROW_OK)
			ret = text_lines(&s, text, e->text_heading);
		s.y += 10;
		sheet_font(&s, FONT_SANS, 0, 8.5);
		if (ret == ESCROW_OK && e->intro == NULL)
			ret = sheet_need(&s, 6 * 11);
		if (ret == ESCROW_OK && e->intro == NULL)
			ret = sheet_para(&s, s.left, 0, 11, restore_summary);
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
	escrow_chunks_free(&par);
	/* a threshold share is laid out here too: leave no copy behind */
	if (text != NULL)
		escrow_wipe(text, strlen(text));
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
	struct escrow_envelope_sheet e = { NULL, env_len, "", NULL, NULL, NULL, NULL };
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
