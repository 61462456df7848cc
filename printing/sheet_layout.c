/*
 * sheet_layout.c - pages and text for the sheets: PDF into secret memory
 * (cairo_pdf_surface_create_for_stream, so a share sheet never touches a
 * file), PNG pages for previews, and text that is measured with
 * cairo_text_extents and wrapped, never drawn off the page.
 *
 * Secret: the PDF bytes of a share sheet (escrow_doc, secret memory,
 * wiped when it grows and when freed).  cairo's own buffers are beyond
 * our reach.
 */
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>

#include "escrow.h"
#include "escrow_print.h"
#include "sheet_int.h"

/* ---- the document in memory ---------------------------------------------- */

void
escrow_doc_free(struct escrow_doc *doc)
{
	if (doc == NULL)
		return;
	escrow_secret_free(doc->data);
	memset(doc, 0, sizeof *doc);
}

static cairo_status_t
doc_write(void *closure, const unsigned char *data, unsigned int length)
{
	struct escrow_doc *doc = closure;
	uint8_t *nb;
	size_t ncap;

	if (length > SIZE_MAX / 2 - doc->len)
		return CAIRO_STATUS_WRITE_ERROR;
	if (doc->len + length > doc->cap) {
		ncap = doc->cap ? doc->cap * 2 : 65536;
		while (ncap < doc->len + length)
			ncap *= 2;
		nb = escrow_secret_alloc(ncap);
		if (nb == NULL)
			return CAIRO_STATUS_NO_MEMORY;
		if (doc->len > 0)
			memcpy(nb, doc->data, doc->len);
		escrow_secret_free(doc->data); /* wipes the old copy */
		doc->data = nb;
		doc->cap = ncap;
	}
	memcpy(doc->data + doc->len, data, length);
	doc->len += length;
	return CAIRO_STATUS_SUCCESS;
}

int
escrow_doc_write(const struct escrow_doc *doc, const char *path)
{
	size_t off = 0;
	ssize_t w;
	int fd, ret = ESCROW_OK;

	if (doc == NULL || doc->data == NULL || path == NULL)
		return ESCROW_ERR_INVALID_ARG;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? ESCROW_ERR_EXISTS : ESCROW_ERR_IO;
	while (off < doc->len) {
		w = write(fd, doc->data + off, doc->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			ret = ESCROW_ERR_IO;
			break;
		}
		off += (size_t)w;
	}
	if (close(fd) != 0 && ret == ESCROW_OK)
		ret = ESCROW_ERR_IO;
	if (ret != ESCROW_OK)
		unlink(path);
	return ret;
}

/* ---- pages ----------------------------------------------------------------- */

static double
png_scale(const struct sheet *s)
{
	unsigned dpi = s->out->png_dpi ? s->out->png_dpi : 150;

	return dpi / 72.0;
}

static int
open_page_surface(struct sheet *s)
{
	double k;

	if (s->mode != SHEET_PNG)
		return ESCROW_OK;
	k = png_scale(s);
	s->surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
	    (int)(s->pw * k + 0.5), (int)(s->ph * k + 0.5));
	s->cr = cairo_create(s->surf);
	if (cairo_status(s->cr) != CAIRO_STATUS_SUCCESS)
		return ESCROW_ERR_RENDER;
	cairo_scale(s->cr, k, k);
	return ESCROW_OK;
}

static void
start_page(struct sheet *s)
{
	cairo_save(s->cr);
	cairo_set_source_rgb(s->cr, 1, 1, 1);
	cairo_paint(s->cr);
	cairo_restore(s->cr);
	cairo_set_source_rgb(s->cr, 0, 0, 0);
	s->y = s->top;
}

int
sheet_begin(struct sheet *s, enum sheet_mode mode,
    const struct escrow_sheet_out *out, struct escrow_doc *doc)
{
	int ret;

	memset(s, 0, sizeof *s);
	if (out == NULL || doc == NULL ||
	    (out->paper != ESCROW_PAPER_A4 && out->paper != ESCROW_PAPER_LETTER))
		return ESCROW_ERR_INVALID_ARG;
	memset(doc, 0, sizeof *doc);
	s->mode = mode;
	s->out = out;
	s->doc = doc;
	if (out->paper == ESCROW_PAPER_A4) {
		s->pw = 210 * MM;
		s->ph = 297 * MM;
	} else {
		s->pw = 8.5 * 72;
		s->ph = 11 * 72;
	}
	s->left = SHEET_MARGIN;
	s->right = s->pw - SHEET_MARGIN;
	s->top = SHEET_MARGIN;
	s->bottom = s->ph - SHEET_MARGIN - SHEET_FOOTER;
	s->page = 1;
	if (mode == SHEET_PDF) {
		s->surf = cairo_pdf_surface_create_for_stream(doc_write, doc,
		    s->pw, s->ph);
		s->cr = cairo_create(s->surf);
	} else if (mode == SHEET_COUNT) {
		/* text is measured the same way; nothing is kept */
		s->surf = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
		s->cr = cairo_create(s->surf);
	} else {
		if (out->png_prefix == NULL)
			return ESCROW_ERR_INVALID_ARG;
		ret = open_page_surface(s);
		if (ret != ESCROW_OK) {
			sheet_abort(s);
			return ret;
		}
	}
	if (cairo_status(s->cr) != CAIRO_STATUS_SUCCESS) {
		sheet_abort(s);
		return ESCROW_ERR_RENDER;
	}
	start_page(s);
	return ESCROW_OK;
}

static void
draw_footer(struct sheet *s)
{
	char pg[48];
	double base = s->ph - SHEET_MARGIN - 4;

	if (s->npages > 0)
		snprintf(pg, sizeof pg, "page %u of %u", s->page, s->npages);
	else
		snprintf(pg, sizeof pg, "page %u", s->page);
	const char *fam = s->font_family;
	int bold = s->font_bold;
	double size = s->font_size;

	cairo_save(s->cr);
	cairo_set_line_width(s->cr, 0.5);
	cairo_move_to(s->cr, s->left, s->ph - SHEET_MARGIN - SHEET_FOOTER + 6);
	cairo_line_to(s->cr, s->right, s->ph - SHEET_MARGIN - SHEET_FOOTER + 6);
	cairo_stroke(s->cr);
	sheet_font(s, FONT_SANS, 0, 8);
	if (s->footer != NULL &&
	    sheet_width(s, s->footer) + sheet_width(s, pg) + 12 <= s->right - s->left) {
		cairo_move_to(s->cr, s->left, base);
		cairo_show_text(s->cr, s->footer);
	} else if (s->footer != NULL && s->err == ESCROW_OK) {
		s->err = ESCROW_ERR_RENDER;
	}
	cairo_move_to(s->cr, s->right - sheet_width(s, pg), base);
	cairo_show_text(s->cr, pg);
	cairo_restore(s->cr);
	s->font_family = fam;
	s->font_bold = bold;
	s->font_size = size;
}

static int
finish_page(struct sheet *s)
{
	char path[4096];
	int n;

	draw_footer(s);
	if (s->mode == SHEET_PDF) {
		cairo_show_page(s->cr);
	} else if (s->mode == SHEET_PNG) {
		n = snprintf(path, sizeof path, "%s-%u.png", s->out->png_prefix,
		    s->page);
		if (n < 0 || (size_t)n >= sizeof path)
			return ESCROW_ERR_INVALID_ARG;
		cairo_surface_flush(s->surf);
		if (cairo_surface_write_to_png(s->surf, path) != CAIRO_STATUS_SUCCESS)
			return ESCROW_ERR_IO;
		cairo_destroy(s->cr);
		cairo_surface_destroy(s->surf);
		s->cr = NULL;
		s->surf = NULL;
	}
	return ESCROW_OK;
}

int
sheet_next_page(struct sheet *s)
{
	int ret;

	if (s->err != ESCROW_OK)
		return s->err;
	ret = finish_page(s);
	if (ret == ESCROW_OK) {
		s->page++;
		ret = open_page_surface(s);
	}
	if (ret != ESCROW_OK) {
		s->err = ret;
		return ret;
	}
	start_page(s);
	if (s->header != NULL) {
		const char *fam = s->font_family;
		int bold = s->font_bold;
		double size = s->font_size;

		sheet_font(s, FONT_SANS, 1, 9);
		ret = sheet_para(s, s->left, 0, 12, s->header);
		s->y += 6;
		if (fam != NULL)
			sheet_font(s, fam, bold, size);
	} else if (s->font_family != NULL) {
		sheet_font(s, s->font_family, s->font_bold, s->font_size);
	}
	return ret;
}

void
sheet_abort(struct sheet *s)
{
	if (s->cr != NULL)
		cairo_destroy(s->cr);
	if (s->surf != NULL) {
		cairo_surface_finish(s->surf);
		cairo_surface_destroy(s->surf);
	}
	s->cr = NULL;
	s->surf = NULL;
}

int
sheet_end(struct sheet *s)
{
	int ret = s->err;

	if (ret == ESCROW_OK)
		ret = finish_page(s);
	if (ret == ESCROW_OK && s->err != ESCROW_OK)
		ret = s->err;
	if (s->cr != NULL && ret == ESCROW_OK &&
	    cairo_status(s->cr) != CAIRO_STATUS_SUCCESS)
		ret = ESCROW_ERR_RENDER;
	if (s->surf != NULL) {
		cairo_surface_finish(s->surf);
		if (ret == ESCROW_OK &&
		    cairo_surface_status(s->surf) != CAIRO_STATUS_SUCCESS)
			ret = ESCROW_ERR_RENDER;
	}
	sheet_abort(s);
	s->doc->pages = s->page;
	if (ret != ESCROW_OK)
		escrow_doc_free(s->doc);
	return ret;
}

int
sheet_need(struct sheet *s, double h)
{
	if (s->err != ESCROW_OK)
		return s->err;
	if (s->y + h <= s->bottom)
		return ESCROW_OK;
	if (!s->auto_break || h > s->bottom - s->top - 40) {
		s->err = ESCROW_ERR_RENDER;
		return s->err;
	}
	return sheet_next_page(s);
}

/* ---- text ------------------------------------------------------------------ */

void
sheet_font(struct sheet *s, const char *family, int bold, double size)
{
	cairo_select_font_face(s->cr, family, CAIRO_FONT_SLANT_NORMAL,
	    bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(s->cr, size);
	s->font_family = family;
	s->font_bold = bold;
	s->font_size = size;
}

double
sheet_width(struct sheet *s, const char *text)
{
	cairo_text_extents_t e;

	cairo_text_extents(s->cr, text, &e);
	/* the wider of the ink and the advance: neither may leave the page */
	return e.x_advance > e.x_bearing + e.width ? e.x_advance :
	    e.x_bearing + e.width;
}

int
sheet_show(struct sheet *s, double x, double baseline, const char *text)
{
	cairo_font_extents_t fe;

	if (s->err != ESCROW_OK)
		return s->err;
	cairo_font_extents(s->cr, &fe);
	if (x < 0 || x + sheet_width(s, text) > s->right + 0.01 ||
	    baseline - fe.ascent < s->top - 0.01 ||
	    baseline + fe.descent > s->ph - SHEET_MARGIN + 0.01) {
		s->err = ESCROW_ERR_RENDER;
		return s->err;
	}
	cairo_move_to(s->cr, x, baseline);
	cairo_show_text(s->cr, text);
	return ESCROW_OK;
}

/* Length of the longest prefix of text[0..n) that fits in w (at least one
 * character, at a UTF-8 boundary), preferring to end before a space. */
static size_t
fit(struct sheet *s, const char *text, size_t n, double w, char *buf)
{
	size_t lo = 1, hi = n, mid, best = 1, i;

	/* at least one whole UTF-8 character */
	while (best < n && ((unsigned char)text[best] & 0xc0) == 0x80)
		best++;
	lo = best;
	while (lo <= hi) {
		mid = (lo + hi) / 2;
		memcpy(buf, text, mid);
		buf[mid] = '\0';
		if (sheet_width(s, buf) <= w) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	/* never split a UTF-8 sequence, never go below one byte */
	while (best > 1 && best < n && ((unsigned char)text[best] & 0xc0) == 0x80)
		best--;
	if (best < n) {
		size_t word = 0, pieces;

		/* break at the last space when there is one */
		for (i = best; i > 0; i--)
			if (text[i] == ' ')
				return i;
		/* inside a word longer than the line (a digest, base64): cut it
		 * in equal pieces rather than leave a stub on the last line */
		while (word < n && text[word] != ' ')
			word++;
		pieces = (word + best - 1) / best;
		best = (word + pieces - 1) / pieces;
		while (best > 1 && ((unsigned char)text[best] & 0xc0) == 0x80)
			best--;
	}
	return best;
}

int
sheet_para(struct sheet *s, double x, double hang, double leading,
    const char *text)
{
	cairo_font_extents_t fe;
	size_t n, k, len;
	char *buf;
	int ret = ESCROW_OK, first = 1;

	if (s->err != ESCROW_OK)
		return s->err;
	len = strlen(text);
	buf = malloc(len + 1);
	if (buf == NULL)
		return s->err = ESCROW_ERR_NOMEM;
	cairo_font_extents(s->cr, &fe);
	while (ret == ESCROW_OK && (len > 0 || first)) {
		double lx = first ? x : x + hang;

		if (lx >= s->right - 10) {
			ret = s->err = ESCROW_ERR_RENDER;
			break;
		}
		k = len > 0 ? fit(s, text, len, s->right - lx, buf) : 0;
		memcpy(buf, text, k);
		buf[k] = '\0';
		ret = sheet_need(s, leading);
		if (ret != ESCROW_OK)
			break;
		ret = sheet_show(s, lx, s->y + fe.ascent, buf);
		s->y += leading;
		n = k;
		while (n < len && text[n] == ' ')
			n++;
		text += n;
		len -= n;
		first = 0;
	}
	free(buf);
	return ret;
}

int
sheet_field(struct sheet *s, double x, double w, double baseline,
    const char *label)
{
	double lw;
	int ret;

	ret = sheet_show(s, x, baseline, label);
	if (ret != ESCROW_OK)
		return ret;
	lw = sheet_width(s, label) + 4;
	if (x + w > s->right + 0.01 || lw + 20 > w)
		return s->err = ESCROW_ERR_RENDER;
	cairo_save(s->cr);
	cairo_set_line_width(s->cr, 0.6);
	cairo_move_to(s->cr, x + lw, baseline + 2);
	cairo_line_to(s->cr, x + w - 6, baseline + 2);
	cairo_stroke(s->cr);
	cairo_restore(s->cr);
	return ESCROW_OK;
}
