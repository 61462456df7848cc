/*
 * scan_pnm.c - a strict reader for binary PNM images (P5 grey, P6 colour,
 * maxval 1..255) as pdftoppm and scanners write them, to 8-bit grey.
 * Anything malformed is refused: short or trailing data, sizes out of
 * range, samples above maxval, 16-bit samples.
 *
 * Secret: the pixels (a scanned share sheet); the output buffer is wiped
 * before it is freed on a late failure.
 */
#include <stdlib.h>
#include <string.h>

#include "escrow.h"
#include "escrow_paper.h"
#include "scan_int.h"

static void
wipe_free(void *p, size_t n)
{
	if (p != NULL) {
		escrow_wipe(p, n);
		free(p);
	}
}

/* Skip whitespace and comments; at least one whitespace char if `need`. */
static int
pnm_space(const uint8_t *b, size_t len, size_t *i, int need)
{
	size_t start = *i;

	while (*i < len) {
		if (b[*i] == '#') {
			while (*i < len && b[*i] != '\n')
				(*i)++;
		} else if (b[*i] == ' ' || b[*i] == '\t' || b[*i] == '\n' ||
		    b[*i] == '\r' || b[*i] == '\v' || b[*i] == '\f') {
			(*i)++;
		} else {
			break;
		}
	}
	return !need || *i > start;
}

static int
pnm_uint(const uint8_t *b, size_t len, size_t *i, unsigned *v)
{
	unsigned long x = 0;
	size_t start = *i;

	while (*i < len && b[*i] >= '0' && b[*i] <= '9') {
		x = x * 10 + (unsigned long)(b[*i] - '0');
		if (x > 1000000ul)
			return 0;
		(*i)++;
	}
	if (*i == start)
		return 0;
	*v = (unsigned)x;
	return 1;
}

int
escrow_pnm_parse(const uint8_t *buf, size_t len, uint8_t **pix,
    unsigned *width, unsigned *height)
{
	unsigned w, h, maxval, ch;
	size_t i = 2, n, k;
	uint8_t *out;
	int c;

	if (pix == NULL || width == NULL || height == NULL)
		return ESCROW_ERR_INVALID_ARG;
	*pix = NULL;
	if (buf == NULL || len < 3 || buf[0] != 'P' || (buf[1] != '5' && buf[1] != '6'))
		return ESCROW_ERR_IMAGE;
	ch = buf[1] == '6' ? 3 : 1;
	if (!pnm_space(buf, len, &i, 1) || !pnm_uint(buf, len, &i, &w) ||
	    !pnm_space(buf, len, &i, 1) || !pnm_uint(buf, len, &i, &h) ||
	    !pnm_space(buf, len, &i, 1) || !pnm_uint(buf, len, &i, &maxval))
		return ESCROW_ERR_IMAGE;
	/* exactly one whitespace byte separates the header from the data */
	if (i >= len || !(buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' ||
	    buf[i] == '\r'))
		return ESCROW_ERR_IMAGE;
	i++;
	if (w == 0 || h == 0 || w > ESCROW_SCAN_MAX_SIDE || h > ESCROW_SCAN_MAX_SIDE ||
	    (size_t)w * h > ESCROW_SCAN_MAX_PIXELS || maxval == 0 || maxval > 255)
		return ESCROW_ERR_IMAGE;
	n = (size_t)w * h;
	if (len - i != n * ch) /* short data, or bytes after the image */
		return ESCROW_ERR_IMAGE;
	out = malloc(n);
	if (out == NULL)
		return ESCROW_ERR_NOMEM;
	for (k = 0; k < n; k++) {
		const uint8_t *p = buf + i + k * ch;

		if (ch == 1) {
			c = p[0];
		} else {
			/* ITU-R BT.601 luma, integer */
			c = (299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000;
		}
		if ((unsigned)c > maxval) {
			wipe_free(out, n);
			return ESCROW_ERR_IMAGE;
		}
		out[k] = (uint8_t)((unsigned)c * 255u / maxval);
	}
	*pix = out;
	*width = w;
	*height = h;
	return ESCROW_OK;
}
