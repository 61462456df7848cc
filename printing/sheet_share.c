/*
 * sheet_share.c - the share sheet a custodian keeps: who and which share,
 * the mnemonic words numbered in a grid, the mnemonic as a QR code, the
 * envelope fingerprint, what the share protects, instructions, and blank
 * fields for the tamper-evident bag, date and signatures.  One page; if
 * anything does not fit, ESCROW_ERR_RENDER and no document.
 *
 * Secret: the mnemonic (and so the whole rendered sheet).  The upper-case
 * copy for the QR code and each word drawn live in secret memory and are
 * wiped; the PDF goes to secret memory (escrow_doc).
 */
#include <stdio.h>
#include <string.h>

#include "escrow.h"
#include "escrow_print.h"
#include "sheet_int.h"

#define SHARE_MODULE (0.85 * MM)
#define GRID_COLS 4
#define MAX_WORDS 64

static const char instructions[] =
    "One share of the secret that protects a signing key: alone it reveals "
    "nothing; with enough other shares it restores the key. Keep it sealed "
    "in its tamper-evident bag, in a place only you control; never copy, "
    "photograph or type it except at a restore ceremony. At each audit check "
    "the bag serial and that this fingerprint matches the envelope sheets', "
    "and fill in a row below. If the QR code cannot be read at a restore, "
    "type the words instead.";

static int
valid(const struct escrow_share_sheet *sh)
{
	return sh != NULL && sh->mnemonic != NULL && sh->set_id != NULL &&
	    strlen(sh->set_id) <= 64 && /* printed whole, never truncated */
	    sh->fingerprint_hex != NULL && sh->fingerprint_words != NULL &&
	    (sh->protects != NULL || sh->nprotects == 0) &&
	    sh->groups >= 1 && sh->groups <= 16 && sh->group >= 1 &&
	    sh->group <= sh->groups && sh->group_threshold >= 1 &&
	    sh->group_threshold <= sh->groups && sh->members >= 1 &&
	    sh->members <= 16 && sh->member >= 1 && sh->member <= sh->members &&
	    sh->member_threshold >= 1 && sh->member_threshold <= sh->members;
}

/* The words as upper case (for the QR code), single spaces; secret. */
static char *
upper_words(const char *m, size_t *len, size_t *nwords)
{
	size_t n = strlen(m), i, o = 0;
	char *u = escrow_secret_alloc(n + 1);

	*nwords = 0;
	if (u == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		char c = m[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (o > 0 && u[o - 1] != ' ')
				u[o++] = ' ';
			continue;
		}
		if (o == 0 || u[o - 1] == ' ')
			(*nwords)++;
		u[o++] = (char)((c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c);
	}
	if (o > 0 && u[o - 1] == ' ')
		o--;
	u[o] = '\0';
	*len = o;
	return u;
}

/* The numbered word grid, column by column, in lower case. */
static int
draw_words(struct sheet *s, const char *upper, size_t nwords, double x,
    double y, double colw, double *height)
{
	cairo_font_extents_t fe;
	char *cell = escrow_secret_alloc(32);
	size_t rows = (nwords + GRID_COLS - 1) / GRID_COLS, i = 0, k;
	const char *p = upper;
	double lead = 15;
	int ret = ESCROW_OK;

	if (cell == NULL)
		return ESCROW_ERR_NOMEM;
	sheet_font(s, FONT_MONO, 0, 11);
	cairo_font_extents(s->cr, &fe);
	while (*p != '\0' && ret == ESCROW_OK) {
		size_t wl = 0;
		int off;

		while (p[wl] != '\0' && p[wl] != ' ')
			wl++;
		if (wl > 12) {
			ret = ESCROW_ERR_RENDER;
			break;
		}
		off = snprintf(cell, 32, "%2zu ", i + 1);
		if (off < 0 || off > 8) {
			ret = ESCROW_ERR_RENDER;
			break;
		}
		for (k = 0; k < wl; k++)
			cell[(size_t)off + k] = (char)((p[k] >= 'A' && p[k] <= 'Z') ?
			    p[k] - 'A' + 'a' : p[k]);
		cell[(size_t)off + wl] = '\0';
		if (y + (double)(i % rows) * lead + lead > s->bottom ||
		    sheet_width(s, cell) > colw - 4) {
			ret = ESCROW_ERR_RENDER;
			break;
		}
		ret = sheet_show(s, x + (double)(i / rows) * colw,
		    y + (double)(i % rows) * lead + fe.ascent, cell);
		p += wl;
		while (*p == ' ')
			p++;
		i++;
	}
	escrow_wipe(cell, 32);
	escrow_secret_free(cell);
	*height = (double)rows * lead;
	return ret;
}

/*
 * The share QR code: level H where it fits above the first fold line
 * beside the title, else Q; the largest module of those tried.  *side 0
 * if nothing fits.
 */
static int
choose_qr(struct sheet *s, const char *up, size_t ulen, double y, char *ecc,
    double *module, double *side)
{
	static const double mods[] = { 0.85 * MM, 0.75 * MM, 0.65 * MM };
	static const char levels[] = { 'H', 'Q' };
	double room = s->fold[0] - SHEET_FOLD_GAP - y;
	size_t l, m;
	int width, ret;

	*side = 0;
	for (l = 0; l < sizeof levels; l++) {
		ret = sheet_qr_width((const uint8_t *)up, ulen, levels[l], 0, &width);
		if (ret != ESCROW_OK)
			return ret;
		for (m = 0; m < sizeof mods / sizeof mods[0]; m++) {
			double sd = (width + 8) * mods[m];

			if (sd <= room && sd <= 0.42 * (s->right - s->left)) {
				*ecc = levels[l];
				*module = mods[m];
				*side = sd;
				return ESCROW_OK;
			}
		}
	}
	return ESCROW_ERR_RENDER;
}

/* The audit log: a table to fill in at each audit, as many rows as fit. */
static int
audit_table(struct sheet *s)
{
	static const char *const cols[] = { "Date", "Bag serial intact",
	    "Fingerprint checked", "Auditor", "Initials" };
	static const double frac[] = { 0.16, 0.24, 0.24, 0.22, 0.14 };
	double rowh = 16, x, w = s->right - s->left, y0;
	size_t c, r, rows;
	int ret;

	sheet_font(s, FONT_SANS, 1, 10);
	ret = sheet_need(s, 14 + 3 * rowh);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left, 0, 14, "Audit log");
	if (ret != ESCROW_OK)
		return ret;
	rows = (size_t)((s->bottom - s->y) / rowh);
	if (rows > 9)
		rows = 9;
	y0 = s->y;
	sheet_font(s, FONT_SANS, 0, 8);
	cairo_save(s->cr);
	cairo_set_line_width(s->cr, 0.5);
	for (r = 0; r <= rows; r++) {
		cairo_move_to(s->cr, s->left, y0 + (double)r * rowh);
		cairo_line_to(s->cr, s->right, y0 + (double)r * rowh);
	}
	for (c = 0, x = s->left; c <= sizeof frac / sizeof frac[0]; c++) {
		cairo_move_to(s->cr, x, y0);
		cairo_line_to(s->cr, x, y0 + (double)rows * rowh);
		if (c < sizeof frac / sizeof frac[0])
			x += frac[c] * w;
	}
	cairo_stroke(s->cr);
	cairo_restore(s->cr);
	for (c = 0, x = s->left; c < sizeof cols / sizeof cols[0] &&
	    ret == ESCROW_OK; c++) {
		ret = sheet_show(s, x + 3, y0 + 11, cols[c]);
		x += frac[c] * w;
	}
	s->y = y0 + (double)rows * rowh + 4;
	return ret;
}

static int
render(const struct escrow_share_sheet *sh, struct sheet *s)
{
	char line[256], *up = NULL, ecc = 'Q';
	size_t ulen = 0, nwords = 0, i;
	double qx, qy, qside = 0, module = 0, gridh = 0, y0, colw, x, right;
	int ret;

	up = upper_words(sh->mnemonic, &ulen, &nwords);
	if (up == NULL)
		return ESCROW_ERR_NOMEM;
	if (nwords == 0 || nwords > MAX_WORDS) {
		ret = ESCROW_ERR_INVALID_ARG;
		goto out;
	}
	/* SECRET first, then what the sheet is */
	sheet_font(s, FONT_SANS, 1, 14);
	ret = sheet_para(s, s->left, 0, 18, "SECRET - one share of a key escrow");
	sheet_font(s, FONT_SANS, 0, 9);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left, 0, 12, "Format escrow v1, a SLIP-0039 "
		    "share (specified in docs/FORMAT.md of the escrow source)");
	s->y += 4;
	if (ret != ESCROW_OK)
		goto out;

	/* the QR code at the top right, above the first fold line */
	qy = s->y;
	ret = choose_qr(s, up, ulen, qy, &ecc, &module, &qside);
	if (ret != ESCROW_OK)
		goto out;
	qx = s->right - qside;
	right = s->right;
	s->right = qx - 8; /* the left column, beside the QR code */
	sheet_font(s, FONT_SANS, 1, 18);
	ret = sheet_para(s, s->left, 0, 24, sh->title ? sh->title :
	    "Key escrow share");
	sheet_font(s, FONT_SANS, 0, 10);
	snprintf(line, sizeof line, "Share set %s:  group %u of %u,  member %u of %u",
	    sh->set_id, sh->group, sh->groups, sh->member, sh->members);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left, 0, 13, line);
	if (sh->groups == 1)
		snprintf(line, sizeof line, "To restore: %u of the %u shares of "
		    "this set are needed.", sh->member_threshold, sh->members);
	else
		snprintf(line, sizeof line, "To restore: %u of the %u members of "
		    "this group, from %u of the %u groups, are needed.",
		    sh->member_threshold, sh->members, sh->group_threshold,
		    sh->groups);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left, 0, 13, line);
	sheet_font(s, FONT_SANS, 0, 8);
	if (ret == ESCROW_OK && sh->about != NULL)
		ret = sheet_para(s, s->left, 0, 11, sh->about);
	s->y += 6;
	sheet_font(s, FONT_SANS, 0, 10);
	if (ret == ESCROW_OK)
		ret = sheet_field(s, s->left, s->right - s->left, s->y + 11,
		    "Custodian name:");
	s->y += 22;
	if (ret != ESCROW_OK) {
		s->right = right;
		goto out;
	}
	y0 = s->y;
	colw = (s->right - s->left) / GRID_COLS;
	s->right = right;
	if (colw < 60) {
		ret = ESCROW_ERR_RENDER;
		goto out;
	}
	sheet_font(s, FONT_SANS, 1, 10);
	ret = sheet_show(s, s->left, y0 + 9, "Recovery words (in this order):");
	if (ret == ESCROW_OK)
		ret = draw_words(s, up, nwords, s->left, y0 + 16, colw, &gridh);
	if (ret == ESCROW_OK)
		ret = sheet_qr(s, qx, qy, module, (const uint8_t *)up, ulen, ecc,
		    0, NULL);
	if (ret != ESCROW_OK)
		goto out;
	sheet_font(s, FONT_SANS, 0, 7.5);
	snprintf(line, sizeof line, "SLIP-0039 share, QR level %c", ecc);
	ret = sheet_show(s, qx + (qside - sheet_width(s, line)) / 2,
	    qy + qside + 8, line);
	s->y = y0 + 16 + gridh;
	if (s->y < qy + qside + 12)
		s->y = qy + qside + 12;
	s->y += 8;

	sheet_font(s, FONT_SANS, 1, 10);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left, 0, 14, "Envelope fingerprint (SHA-256):");
	sheet_font(s, FONT_MONO, 0, 9);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left + 10, 0, 12, sh->fingerprint_hex);
	sheet_font(s, FONT_SANS, 0, 9);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left + 10, 0, 12, sh->fingerprint_words);
	s->y += 4;
	if (ret == ESCROW_OK && sh->nprotects > 0) {
		sheet_font(s, FONT_SANS, 1, 10);
		ret = sheet_para(s, s->left, 0, 14, "This share protects:");
		sheet_font(s, FONT_MONO, 0, 8);
		for (i = 0; i < sh->nprotects && ret == ESCROW_OK; i++)
			ret = sheet_para(s, s->left + 10, 20, 10.5,
			    sh->protects[i] ? sh->protects[i] : "");
		s->y += 4;
	}
	sheet_font(s, FONT_SANS, 1, 10);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left, 0, 14, "Instructions");
	sheet_font(s, FONT_SANS, 0, 8.5);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left, 0, 10.5, instructions);
	s->y += 8;
	sheet_font(s, FONT_SANS, 0, 10);
	x = (s->right - s->left) / 2;
	if (ret == ESCROW_OK)
		ret = sheet_need(s, 2 * 22);
	if (ret == ESCROW_OK)
		ret = sheet_field(s, s->left, x, s->y + 12, "Tamper bag serial:");
	if (ret == ESCROW_OK)
		ret = sheet_field(s, s->left + x, x, s->y + 12, "Date:");
	s->y += 22;
	if (ret == ESCROW_OK)
		ret = sheet_field(s, s->left, x, s->y + 12, "Custodian signature:");
	if (ret == ESCROW_OK)
		ret = sheet_field(s, s->left + x, x, s->y + 12, "Witness signature:");
	s->y += 22;
	if (ret == ESCROW_OK)
		ret = audit_table(s);
out:
	escrow_secret_free(up);
	if (ret != ESCROW_OK && s->err == ESCROW_OK)
		s->err = ret;
	return ret;
}

int
escrow_sheet_share(const struct escrow_share_sheet *sh,
    const struct escrow_sheet_out *out, struct escrow_doc *doc)
{
	struct sheet s;
	char footer[160], footer2[320];
	int ret;

	if (!valid(sh) || out == NULL || doc == NULL)
		return ESCROW_ERR_INVALID_ARG;
	ret = sheet_begin(&s, out->png_prefix ? SHEET_PNG : SHEET_PDF, out, doc);
	if (ret != ESCROW_OK)
		return ret;
	snprintf(footer, sizeof footer, "SECRET - share set %s, group %u of %u, "
	    "member %u of %u", sh->set_id, sh->group, sh->groups, sh->member,
	    sh->members);
	s.footer = footer;
	snprintf(footer2, sizeof footer2, "escrow v1 SLIP-0039 share - format: "
	    "docs/FORMAT.md (escrow source)%s%.160s", sh->about ? " - " : "",
	    sh->about ? sh->about : "");
	s.footer2 = footer2;
	s.npages = 1;
	s.auto_break = 0;
	ret = render(sh, &s);
	if (ret != ESCROW_OK) {
		sheet_abort(&s);
		escrow_doc_free(doc);
		return ret;
	}
	return sheet_end(&s);
}
