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
#define GRID_COLS 3
#define MAX_WORDS 64

static const char instructions[] =
    "This sheet is one share of a secret that protects a signing key. "
    "On its own it reveals nothing; together with enough other shares it "
    "restores the key. Keep it sealed in its tamper-evident bag, in a place "
    "only you control. Never copy, photograph or type it except during a "
    "restore ceremony. At each audit, check the bag serial, and that the "
    "fingerprint on this sheet matches the one on the envelope sheets.";

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
	double lead = 17;
	int ret = ESCROW_OK;

	if (cell == NULL)
		return ESCROW_ERR_NOMEM;
	sheet_font(s, FONT_MONO, 0, 12);
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

static int
render(const struct escrow_share_sheet *sh, struct sheet *s)
{
	char line[256], *up = NULL;
	size_t ulen = 0, nwords = 0, i;
	double qx, qside = 0, gridh = 0, y0, colw, x;
	int ret;

	up = upper_words(sh->mnemonic, &ulen, &nwords);
	if (up == NULL)
		return ESCROW_ERR_NOMEM;
	if (nwords == 0 || nwords > MAX_WORDS) {
		ret = ESCROW_ERR_INVALID_ARG;
		goto out;
	}
	sheet_font(s, FONT_SANS, 1, 18);
	ret = sheet_para(s, s->left, 0, 24, sh->title ? sh->title :
	    "Key escrow share");
	sheet_font(s, FONT_SANS, 0, 11);
	snprintf(line, sizeof line, "Share set %s:  group %u of %u,  member %u of %u",
	    sh->set_id, sh->group, sh->groups, sh->member, sh->members);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left, 0, 15, line);
	if (sh->groups == 1)
		snprintf(line, sizeof line, "To restore: %u of the %u shares of "
		    "this set are needed.", sh->member_threshold, sh->members);
	else
		snprintf(line, sizeof line, "To restore: %u of the %u members of "
		    "this group, from %u of the %u groups, are needed.",
		    sh->member_threshold, sh->members, sh->group_threshold,
		    sh->groups);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left, 0, 15, line);
	s->y += 10;
	if (ret == ESCROW_OK)
		ret = sheet_need(s, 20);
	if (ret == ESCROW_OK)
		ret = sheet_field(s, s->left, s->right - s->left, s->y + 11,
		    "Custodian name:");
	s->y += 26;
	if (ret != ESCROW_OK)
		goto out;

	/* the words on the left, the QR code on the right */
	y0 = s->y;
	{
		int width = 0;

		ret = sheet_qr_width((const uint8_t *)up, ulen, 'Q', 0, &width);
		if (ret != ESCROW_OK)
			goto out;
		qside = (width + 8) * SHARE_MODULE;
	}
	qx = s->right - qside;
	colw = (qx - 8 - s->left) / GRID_COLS;
	if (colw < 60) {
		ret = ESCROW_ERR_RENDER;
		goto out;
	}
	sheet_font(s, FONT_SANS, 1, 10);
	ret = sheet_show(s, s->left, y0 + 9, "Recovery words (in this order):");
	if (ret == ESCROW_OK)
		ret = draw_words(s, up, nwords, s->left, y0 + 16, colw, &gridh);
	if (ret == ESCROW_OK)
		ret = sheet_qr(s, qx, y0, SHARE_MODULE, (const uint8_t *)up, ulen,
		    'Q', 0, NULL);
	if (ret != ESCROW_OK)
		goto out;
	s->y = y0 + (16 + gridh > qside ? 16 + gridh : qside) + 10;

	sheet_font(s, FONT_SANS, 1, 10);
	ret = sheet_para(s, s->left, 0, 14, "Envelope fingerprint (SHA-256):");
	sheet_font(s, FONT_MONO, 0, 9);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left + 10, 0, 12, sh->fingerprint_hex);
	sheet_font(s, FONT_SANS, 0, 9);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left + 10, 0, 12, sh->fingerprint_words);
	s->y += 6;
	if (ret == ESCROW_OK && sh->nprotects > 0) {
		sheet_font(s, FONT_SANS, 1, 10);
		ret = sheet_para(s, s->left, 0, 14, "This share protects:");
		sheet_font(s, FONT_MONO, 0, 8);
		for (i = 0; i < sh->nprotects && ret == ESCROW_OK; i++)
			ret = sheet_para(s, s->left + 10, 20, 10.5,
			    sh->protects[i] ? sh->protects[i] : "");
		s->y += 6;
	}
	sheet_font(s, FONT_SANS, 1, 10);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left, 0, 14, "Instructions");
	sheet_font(s, FONT_SANS, 0, 9);
	if (ret == ESCROW_OK)
		ret = sheet_para(s, s->left, 0, 12, instructions);
	s->y += 10;
	sheet_font(s, FONT_SANS, 0, 10);
	x = (s->right - s->left) / 2;
	if (ret == ESCROW_OK)
		ret = sheet_need(s, 3 * 26);
	if (ret == ESCROW_OK)
		ret = sheet_field(s, s->left, x, s->y + 12, "Tamper bag serial:");
	if (ret == ESCROW_OK)
		ret = sheet_field(s, s->left + x, x, s->y + 12, "Date:");
	s->y += 26;
	if (ret == ESCROW_OK)
		ret = sheet_field(s, s->left, x, s->y + 12, "Custodian signature:");
	if (ret == ESCROW_OK)
		ret = sheet_field(s, s->left + x, x, s->y + 12, "Witness signature:");
	s->y += 26;
	if (ret == ESCROW_OK)
		ret = sheet_field(s, s->left, x, s->y + 12, "Audit date / initials:");
	if (ret == ESCROW_OK)
		ret = sheet_field(s, s->left + x, x, s->y + 12, "Audit date / initials:");
	s->y += 26;
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
	char footer[160];
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
