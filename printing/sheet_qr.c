/*
 * sheet_qr.c - QR codes on the sheets with libqrencode: alphanumeric mode
 * when the payload allows (base32 chunks, upper-case mnemonics), byte
 * mode otherwise; each horizontal run of dark modules is one rectangle
 * and the whole symbol is filled once, so no seams show between modules;
 * a 4-module quiet zone is kept white.
 *
 * Secret: the payload of a share QR (the mnemonic) and the module matrix
 * made from it; the matrix is wiped before it is freed.  libqrencode's
 * internal copies (QRinput) are freed without a wipe: beyond our reach.
 */
#include <errno.h>
#include <string.h>

#include <qrencode.h>

#include "escrow.h"
#include "escrow_print.h"
#include "sheet_int.h"

#define QUIET 4

static int
is_alnum_mode(const uint8_t *p, size_t len)
{
	static const char set[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] == '\0' || strchr(set, p[i]) == NULL)
			return 0;
	return 1;
}

static int
encode(const uint8_t *payload, size_t len, char ecc, int version, QRcode **out)
{
	QRinput *in;
	QRecLevel lvl;

	*out = NULL;
	if (payload == NULL || len == 0 || len > 7000 || version < 0 ||
	    version > 40)
		return ESCROW_ERR_INVALID_ARG;
	if (ecc == 'Q')
		lvl = QR_ECLEVEL_Q;
	else if (ecc == 'H')
		lvl = QR_ECLEVEL_H;
	else
		return ESCROW_ERR_INVALID_ARG;
	in = QRinput_new2(version, lvl);
	if (in == NULL)
		return ESCROW_ERR_NOMEM;
	/* one segment, no ECI header: zbar returns the bytes as they are */
	if (QRinput_append(in, is_alnum_mode(payload, len) ? QR_MODE_AN :
	    QR_MODE_8, (int)len, payload) != 0) {
		QRinput_free(in);
		return ESCROW_ERR_RENDER;
	}
	*out = QRcode_encodeInput(in);
	QRinput_free(in);
	if (*out == NULL)
		return errno == ERANGE ? ESCROW_ERR_TOO_LARGE : ESCROW_ERR_RENDER;
	if (version > 0 && (*out)->version != version) {
		QRcode_free(*out);
		*out = NULL;
		return ESCROW_ERR_TOO_LARGE;
	}
	return ESCROW_OK;
}

static void
release(QRcode *qr)
{
	if (qr == NULL)
		return;
	escrow_wipe(qr->data, (size_t)qr->width * (size_t)qr->width);
	QRcode_free(qr);
}

int
sheet_qr_width(const uint8_t *payload, size_t len, char ecc, int version,
    int *width)
{
	QRcode *qr;
	int ret = encode(payload, len, ecc, version, &qr);

	if (ret == ESCROW_OK)
		*width = qr->width;
	release(qr);
	return ret;
}

/* Dark runs of each row as rectangles, one fill. */
static void
draw_modules(cairo_t *cr, const QRcode *qr, double x, double y, double m)
{
	int r, c, start;
	int w = qr->width;

	for (r = 0; r < w; r++) {
		for (c = 0; c < w; c++) {
			if (!(qr->data[r * w + c] & 1))
				continue;
			start = c;
			while (c < w && (qr->data[r * w + c] & 1))
				c++;
			cairo_rectangle(cr, x + (start + QUIET) * m,
			    y + (r + QUIET) * m, (c - start) * m, m);
		}
	}
	cairo_fill(cr);
}

int
sheet_qr(struct sheet *s, double x, double y, double module,
    const uint8_t *payload, size_t len, char ecc, int version, double *side)
{
	QRcode *qr = NULL;
	double full;
	int ret;

	if (s->err != ESCROW_OK)
		return s->err;
	if (module < 0.5 * MM - 1e-9) /* smaller modules do not survive paper */
		return s->err = ESCROW_ERR_INVALID_ARG;
	ret = encode(payload, len, ecc, version, &qr);
	if (ret != ESCROW_OK)
		return s->err = ret;
	full = (qr->width + 2 * QUIET) * module;
	if (x < s->left - 0.01 || x + full > s->right + 0.01 ||
	    y < s->top - 0.01 || y + full > s->bottom + 0.01) {
		release(qr);
		return s->err = ESCROW_ERR_RENDER;
	}
	cairo_save(s->cr);
	cairo_set_source_rgb(s->cr, 1, 1, 1);
	cairo_rectangle(s->cr, x, y, full, full);
	cairo_fill(s->cr);
	cairo_set_source_rgb(s->cr, 0, 0, 0);
	cairo_set_antialias(s->cr, CAIRO_ANTIALIAS_NONE);
	draw_modules(s->cr, qr, x, y, module);
	cairo_restore(s->cr);
	release(qr);
	if (side != NULL)
		*side = full;
	return ESCROW_OK;
}

int
escrow_sheet_qr_png(const uint8_t *payload, size_t len, char ecc,
    unsigned module_px, const char *path)
{
	cairo_surface_t *surf = NULL;
	cairo_t *cr = NULL;
	QRcode *qr = NULL;
	int ret, side;

	if (path == NULL || module_px == 0 || module_px > 64)
		return ESCROW_ERR_INVALID_ARG;
	ret = encode(payload, len, ecc, 0, &qr);
	if (ret != ESCROW_OK)
		return ret;
	side = (qr->width + 2 * QUIET) * (int)module_px;
	surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side);
	cr = cairo_create(surf);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	draw_modules(cr, qr, 0, 0, module_px);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		ret = ESCROW_ERR_RENDER;
	else if (cairo_surface_write_to_png(surf, path) != CAIRO_STATUS_SUCCESS)
		ret = ESCROW_ERR_IO;
	cairo_destroy(cr);
	cairo_surface_destroy(surf);
	release(qr);
	return ret;
}
