/*
 * sheet_int.h - the small layout engine the sheets share: pages of a
 * PDF in memory or PNG files, a y cursor, measured and wrapped text, QR
 * codes.  Not a public header.
 *
 * Secret: whatever a share sheet draws passes through here; the PDF
 * bytes go to escrow_secret_alloc() memory (struct escrow_doc).
 */
#ifndef ESCROW_SHEET_INT_H
#define ESCROW_SHEET_INT_H

#include <cairo.h>

#include "escrow_print.h"

#define MM (72.0 / 25.4)          /* points per millimetre */
#define SHEET_MARGIN (15 * MM)
#define SHEET_FOOTER 22.0         /* points kept free for the footer */
#define FONT_SANS "DejaVu Sans"
#define FONT_MONO "DejaVu Sans Mono"

enum sheet_mode {
	SHEET_COUNT = 0, /* lay out only, to count pages */
	SHEET_PDF = 1,
	SHEET_PNG = 2,
};

struct sheet {
	enum sheet_mode mode;
	const struct escrow_sheet_out *out;
	struct escrow_doc *doc;
	cairo_surface_t *surf;
	cairo_t *cr;
	double pw, ph;      /* page size, points */
	double left, right; /* text column, points */
	double top, bottom; /* usable area, points (bottom excludes footer) */
	double y;           /* cursor: top of the next thing to draw */
	unsigned page;      /* current page, 1-based */
	unsigned npages;    /* total for "page i of n"; 0 = unknown */
	int auto_break;     /* new page instead of failing when full */
	const char *footer; /* footer text drawn on every page (left) */
	const char *header; /* drawn at the top of continuation pages */
	int err;            /* first error, sticky */
	const char *font_family; /* current font, restored on a new page */
	int font_bold;
	double font_size;
};

int sheet_begin(struct sheet *s, enum sheet_mode mode,
    const struct escrow_sheet_out *out, struct escrow_doc *doc);
/* Finish the current page and start the next. */
int sheet_next_page(struct sheet *s);
/* Finish the last page and the document; the sheet is freed either way. */
int sheet_end(struct sheet *s);
void sheet_abort(struct sheet *s);

/* Make room for h points below the cursor: a new page when auto_break,
 * else ESCROW_ERR_RENDER. */
int sheet_need(struct sheet *s, double h);

void sheet_font(struct sheet *s, const char *family, int bold, double size);
/* Width of a string in the current font. */
double sheet_width(struct sheet *s, const char *text);
/* Draw a string at (x, baseline); fails if it would leave the page. */
int sheet_show(struct sheet *s, double x, double baseline, const char *text);
/*
 * A paragraph in the current font, wrapped at spaces (and inside words
 * longer than the line) to the column from x to s->right, advancing the
 * cursor by `leading` a line.  Continuation lines are indented by
 * `hang` points.
 */
int sheet_para(struct sheet *s, double x, double hang, double leading,
    const char *text);
/* A label and a blank line to write on, from x to x + w. */
int sheet_field(struct sheet *s, double x, double w, double baseline,
    const char *label);

/*
 * A QR code with its 4-module quiet zone, top-left at (x, y), `module`
 * points a module.  version 0 = smallest that fits; ecc 'Q' or 'H'.
 * *side gets the symbol's size with quiet zone, in points.  In SHEET_COUNT
 * mode nothing is encoded if `count_side` > 0 (it is used as the size).
 */
int sheet_qr(struct sheet *s, double x, double y, double module,
    const uint8_t *payload, size_t len, char ecc, int version,
    double *side);
/* Encode only: modules per side (without quiet zone), or an error. */
int sheet_qr_width(const uint8_t *payload, size_t len, char ecc, int version,
    int *width);

#endif
