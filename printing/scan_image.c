/*
 * scan_image.c - image files to 8-bit grey pages for the scanner: PNG
 * (cairo), PNM P5/P6 (our own strict parser), JPEG (libjpeg) and PDF
 * (poppler-glib rendered with cairo, ~300 dpi), told apart by content.
 *
 * Secret: the pixels (a scanned share sheet shows its QR code and words);
 * our buffers are wiped before they are freed.  The file bytes we read are
 * wiped too.  cairo, libjpeg and poppler keep their own working copies,
 * which we cannot reach.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>
#include <jpeglib.h>
#include <poppler.h>

#include "escrow_bytes.h"
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

static int
read_file(const char *path, uint8_t **buf, size_t *len)
{
	struct stat st;
	uint8_t *b = NULL;
	size_t off = 0;
	ssize_t r;
	int fd, ret = ESCROW_OK;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ESCROW_ERR_IO;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		ret = ESCROW_ERR_IO;
		goto out;
	}
	if (st.st_size <= 0 || (unsigned long long)st.st_size > ESCROW_SCAN_MAX_FILE) {
		ret = ESCROW_ERR_IMAGE;
		goto out;
	}
	b = malloc((size_t)st.st_size);
	if (b == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto out;
	}
	while (off < (size_t)st.st_size) {
		r = read(fd, b + off, (size_t)st.st_size - off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			ret = ESCROW_ERR_IO;
			goto out;
		}
		off += (size_t)r;
	}
	*buf = b;
	*len = off;
	b = NULL;
out:
	wipe_free(b, off);
	close(fd);
	return ret;
}

/* One page in memory: scan, then a forced retry if a chunk went missing
 * next to one found here. */
static int
scan_single(const uint8_t *pix, unsigned w, unsigned h,
    const struct escrow_scan_opts *opts, struct escrow_scan_result *res)
{
	unsigned pages[4];
	size_t n = 0;
	int ret;

	ret = escrow_scan_gray(pix, w, h, w, 1, opts, res);
	if (ret == ESCROW_OK && !(opts != NULL && opts->no_cleanup) &&
	    escrow_scan_retry_pages(res, pages, 4, &n) == ESCROW_OK && n > 0)
		ret = escrow_scan_page(pix, w, h, w, 1, opts, res, 1);
	return ret;
}

/* ---- cairo surfaces ------------------------------------------------------- */

/* Grey copy of an ARGB32/RGB24 image surface (white behind alpha). */
static int
surface_gray(cairo_surface_t *s, uint8_t **pix, unsigned *w, unsigned *h)
{
	int sw, sh, stride, x, y;
	const uint8_t *data;
	uint8_t *out;

	cairo_surface_flush(s);
	sw = cairo_image_surface_get_width(s);
	sh = cairo_image_surface_get_height(s);
	stride = cairo_image_surface_get_stride(s);
	data = cairo_image_surface_get_data(s);
	if (data == NULL || sw <= 0 || sh <= 0 ||
	    (size_t)sw * (size_t)sh > ESCROW_SCAN_MAX_PIXELS)
		return ESCROW_ERR_IMAGE;
	out = malloc((size_t)sw * (size_t)sh);
	if (out == NULL)
		return ESCROW_ERR_NOMEM;
	for (y = 0; y < sh; y++)
		for (x = 0; x < sw; x++) {
			uint32_t px;

			memcpy(&px, data + (size_t)y * (size_t)stride + 4 * (size_t)x, 4);
			out[(size_t)y * (size_t)sw + (size_t)x] = (uint8_t)((299 *
			    ((px >> 16) & 255) + 587 * ((px >> 8) & 255) +
			    114 * (px & 255) + 500) / 1000);
		}
	*pix = out;
	*w = (unsigned)sw;
	*h = (unsigned)sh;
	return ESCROW_OK;
}

/* Flatten any surface onto a white RGB24 surface of the same size. */
static cairo_surface_t *
on_white(cairo_surface_t *src, int w, int h, double scale,
    void (*paint)(cairo_t *, void *), void *arg)
{
	cairo_surface_t *dst;
	cairo_t *cr;

	dst = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	if (cairo_surface_status(dst) != CAIRO_STATUS_SUCCESS)
		return dst;
	cr = cairo_create(dst);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, scale, scale);
	if (src != NULL) {
		cairo_set_source_surface(cr, src, 0, 0);
		cairo_paint(cr);
	} else {
		paint(cr, arg);
	}
	cairo_destroy(cr);
	return dst;
}

struct png_reader {
	const uint8_t *buf;
	size_t len, off;
};

static cairo_status_t
png_read(void *closure, unsigned char *data, unsigned int length)
{
	struct png_reader *r = closure;

	if (length > r->len - r->off)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->buf + r->off, length);
	r->off += length;
	return CAIRO_STATUS_SUCCESS;
}

/*
 * Every chunk of a PNG must fit in the file (length, type, data, CRC).
 * libpng, given a chunk that claims more, may allocate and clear that much
 * before it finds out (found by fuzz/fuzz_image: 446 bytes, 30+ s).
 */
static int
png_chunks_fit(const uint8_t *buf, size_t len)
{
	size_t off = 8, n;

	while (off < len) {
		if (len - off < 12)
			return 0;
		n = escrow_get32(buf + off);
		if (n > len - off - 12)
			return 0;
		if (memcmp(buf + off + 4, "IEND", 4) == 0)
			return 1;
		off += 12 + n;
	}
	return 0;
}

/*
 * The size IHDR declares, checked before cairo decodes anything: libpng
 * would decode the whole image (a 439-byte-per-megapixel bomb) and we
 * would make a second full-size surface before the pixel limit bit.
 */
static int
png_size_ok(const uint8_t *buf, size_t len)
{
	uint32_t w, h;

	/* signature, then the first chunk must be IHDR (13 bytes) */
	if (len < 8 + 8 + 13 + 4 || escrow_get32(buf + 8) != 13 ||
	    memcmp(buf + 12, "IHDR", 4) != 0)
		return 0;
	w = escrow_get32(buf + 16);
	h = escrow_get32(buf + 20);
	return w > 0 && h > 0 && w <= ESCROW_SCAN_MAX_SIDE &&
	    h <= ESCROW_SCAN_MAX_SIDE &&
	    (uint64_t)w * h <= ESCROW_SCAN_MAX_PNG_PIXELS;
}

static int
scan_png(const uint8_t *buf, size_t len, const struct escrow_scan_opts *opts,
    struct escrow_scan_result *res)
{
	struct png_reader r = { buf, len, 0 };
	cairo_surface_t *s, *flat = NULL;
	uint8_t *pix = NULL;
	unsigned w = 0, h = 0;
	int ret, sw, sh;

	if (!png_chunks_fit(buf, len))
		return ESCROW_ERR_IMAGE;
	if (!png_size_ok(buf, len))
		return ESCROW_ERR_TOO_LARGE;
	s = cairo_image_surface_create_from_png_stream(png_read, &r);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		ret = ESCROW_ERR_IMAGE;
		goto out;
	}
	sw = cairo_image_surface_get_width(s);
	sh = cairo_image_surface_get_height(s);
	flat = on_white(s, sw, sh, 1.0, NULL, NULL);
	if (cairo_surface_status(flat) != CAIRO_STATUS_SUCCESS) {
		ret = ESCROW_ERR_IMAGE;
		goto out;
	}
	ret = surface_gray(flat, &pix, &w, &h);
	if (ret == ESCROW_OK)
		ret = scan_single(pix, w, h, opts, res);
out:
	wipe_free(pix, (size_t)w * h);
	if (flat != NULL) {
		cairo_surface_flush(flat);
		if (cairo_image_surface_get_data(flat) != NULL)
			escrow_wipe(cairo_image_surface_get_data(flat),
			    (size_t)cairo_image_surface_get_stride(flat) *
			    (size_t)cairo_image_surface_get_height(flat));
		cairo_surface_destroy(flat);
	}
	/* the decoded PNG itself: a share scan is secret (issue 14) */
	if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS &&
	    cairo_image_surface_get_data(s) != NULL)
		escrow_wipe(cairo_image_surface_get_data(s),
		    (size_t)cairo_image_surface_get_stride(s) *
		    (size_t)cairo_image_surface_get_height(s));
	cairo_surface_destroy(s);
	return ret;
}

/* ---- JPEG ----------------------------------------------------------------- */

struct jpeg_fail {
	struct jpeg_error_mgr mgr;
	jmp_buf jb;
};

static void
jpeg_fail_exit(j_common_ptr cinfo)
{
	struct jpeg_fail *f = (struct jpeg_fail *)cinfo->err;

	longjmp(f->jb, 1);
}

static void
jpeg_quiet(j_common_ptr cinfo, int level)
{
	(void)cinfo;
	(void)level; /* the library never prints */
}

static int
scan_jpeg(const uint8_t *buf, size_t len, const struct escrow_scan_opts *opts,
    struct escrow_scan_result *res)
{
	struct jpeg_decompress_struct ci;
	struct jpeg_fail fail;
	uint8_t *volatile pix = NULL;
	volatile size_t n = 0;
	volatile int ret = ESCROW_OK;
	unsigned w, h;

	memset(&ci, 0, sizeof ci);
	ci.err = jpeg_std_error(&fail.mgr);
	fail.mgr.error_exit = jpeg_fail_exit;
	fail.mgr.emit_message = jpeg_quiet;
	if (setjmp(fail.jb) != 0) {
		ret = ESCROW_ERR_IMAGE;
		goto out;
	}
	jpeg_create_decompress(&ci);
	jpeg_mem_src(&ci, buf, (unsigned long)len);
	if (jpeg_read_header(&ci, TRUE) != JPEG_HEADER_OK) {
		ret = ESCROW_ERR_IMAGE;
		goto out;
	}
	if (ci.jpeg_color_space == JCS_CMYK || ci.jpeg_color_space == JCS_YCCK) {
		ret = ESCROW_ERR_IMAGE;
		goto out;
	}
	ci.out_color_space = JCS_GRAYSCALE;
	if (ci.image_width == 0 || ci.image_height == 0 ||
	    ci.image_width > ESCROW_SCAN_MAX_SIDE ||
	    ci.image_height > ESCROW_SCAN_MAX_SIDE ||
	    (size_t)ci.image_width * ci.image_height > ESCROW_SCAN_MAX_PIXELS) {
		ret = ESCROW_ERR_IMAGE;
		goto out;
	}
	jpeg_start_decompress(&ci);
	w = ci.output_width;
	h = ci.output_height;
	if (ci.output_components != 1) {
		ret = ESCROW_ERR_IMAGE;
		goto out;
	}
	n = (size_t)w * h;
	pix = malloc(n);
	if (pix == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto out;
	}
	while (ci.output_scanline < h) {
		JSAMPROW row = pix + (size_t)ci.output_scanline * w;

		jpeg_read_scanlines(&ci, &row, 1);
	}
	jpeg_finish_decompress(&ci);
	ret = scan_single(pix, w, h, opts, res);
out:
	jpeg_destroy_decompress(&ci);
	wipe_free(pix, n);
	return ret;
}

/* ---- PDF ------------------------------------------------------------------ */

static void
paint_page(cairo_t *cr, void *page)
{
	poppler_page_render_for_printing(page, cr);
}

/* Page i (0-based) rendered at dpi and scanned; force = a retry. */
static int
pdf_page(PopplerDocument *doc, int i, double dpi,
    const struct escrow_scan_opts *opts, struct escrow_scan_result *res,
    int force)
{
	PopplerPage *page = poppler_document_get_page(doc, i);
	cairo_surface_t *s = NULL;
	uint8_t *pix = NULL;
	double pw = 0, ph = 0;
	unsigned w = 0, h = 0;
	int ret;

	if (page == NULL)
		return ESCROW_ERR_IMAGE;
	poppler_page_get_size(page, &pw, &ph);
	if (pw <= 0 || ph <= 0 || pw * dpi / 72 > ESCROW_SCAN_MAX_SIDE ||
	    ph * dpi / 72 > ESCROW_SCAN_MAX_SIDE ||
	    (pw * dpi / 72) * (ph * dpi / 72) > ESCROW_SCAN_MAX_PIXELS) {
		g_object_unref(page);
		return ESCROW_ERR_IMAGE;
	}
	s = on_white(NULL, (int)(pw * dpi / 72 + 0.5), (int)(ph * dpi / 72 + 0.5),
	    dpi / 72, paint_page, page);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		ret = ESCROW_ERR_IMAGE;
	else
		ret = surface_gray(s, &pix, &w, &h);
	if (ret == ESCROW_OK)
		ret = escrow_scan_page(pix, w, h, w, (unsigned)i + 1, opts, res,
		    force);
	wipe_free(pix, (size_t)w * h);
	if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS)
		escrow_wipe(cairo_image_surface_get_data(s),
		    (size_t)cairo_image_surface_get_stride(s) *
		    (size_t)cairo_image_surface_get_height(s));
	cairo_surface_destroy(s);
	g_object_unref(page);
	return ret;
}

static int
scan_pdf(const uint8_t *buf, size_t len, const struct escrow_scan_opts *opts,
    escrow_scan_progress_fn *prog, void *prog_arg,
    struct escrow_scan_result *res)
{
	PopplerDocument *doc = NULL;
	GBytes *bytes = NULL;
	GError *gerr = NULL;
	double dpi = (opts != NULL && opts->pdf_dpi > 0) ? opts->pdf_dpi : 300;
	unsigned retry[64];
	size_t nretry = 0, k;
	int i, npages, ret = ESCROW_OK;

	if (len > INT32_MAX || dpi > 1200)
		return ESCROW_ERR_IMAGE;
	bytes = g_bytes_new_static(buf, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	if (doc == NULL) {
		ret = ESCROW_ERR_IMAGE;
		goto out;
	}
	npages = poppler_document_get_n_pages(doc);
	if (npages > 0)
		res->file_pages = (unsigned)npages;
	if (npages <= 0) {
		ret = ESCROW_ERR_IMAGE;
		goto out;
	}
	if (npages > ESCROW_SCAN_PDF_MAX_PAGES) {
		ret = ESCROW_ERR_TOO_LARGE;
		goto out;
	}
	for (i = 0; i < npages && ret == ESCROW_OK; i++) {
		if (prog != NULL)
			prog(prog_arg, (unsigned)i + 1, (unsigned)npages);
		ret = pdf_page(doc, i, dpi, opts, res, 0);
	}
	/* a chunk missing next to ones found: those pages once more, with
	 * every clean-up */
	if (ret == ESCROW_OK && !(opts != NULL && opts->no_cleanup))
		ret = escrow_scan_retry_pages(res, retry, 64, &nretry);
	for (k = 0; k < nretry && ret == ESCROW_OK; k++)
		ret = pdf_page(doc, (int)retry[k] - 1, dpi, opts, res, 1);
out:
	if (gerr != NULL)
		g_error_free(gerr);
	if (doc != NULL)
		g_object_unref(doc);
	if (bytes != NULL)
		g_bytes_unref(bytes);
	return ret;
}

/* ---- entry ---------------------------------------------------------------- */

int
escrow_scan_file(const char *path, const struct escrow_scan_opts *opts,
    struct escrow_scan_result *res)
{
	return escrow_scan_file_progress(path, opts, NULL, NULL, res);
}

int
escrow_scan_file_progress(const char *path,
    const struct escrow_scan_opts *opts, escrow_scan_progress_fn *fn,
    void *arg, struct escrow_scan_result *res)
{
	uint8_t *buf = NULL, *pix = NULL;
	size_t len = 0;
	unsigned w = 0, h = 0;
	int ret;

	if (res == NULL)
		return ESCROW_ERR_INVALID_ARG;
	memset(res, 0, sizeof *res);
	if (path == NULL)
		return ESCROW_ERR_INVALID_ARG;
	ret = read_file(path, &buf, &len);
	if (ret != ESCROW_OK)
		return ret;
	res->file_pages = 1;
	if (len >= 8 && memcmp(buf, "\x89PNG\r\n\x1a\n", 8) == 0) {
		ret = scan_png(buf, len, opts, res);
	} else if (len >= 3 && buf[0] == 0xff && buf[1] == 0xd8 && buf[2] == 0xff) {
		ret = scan_jpeg(buf, len, opts, res);
	} else if (len >= 5 && memcmp(buf, "%PDF-", 5) == 0) {
		ret = scan_pdf(buf, len, opts, fn, arg, res);
	} else if (len >= 2 && buf[0] == 'P' && (buf[1] == '5' || buf[1] == '6')) {
		ret = escrow_pnm_parse(buf, len, &pix, &w, &h);
		if (ret == ESCROW_OK)
			ret = scan_single(pix, w, h, opts, res);
	} else {
		ret = ESCROW_ERR_IMAGE;
	}
	wipe_free(pix, (size_t)w * h);
	wipe_free(buf, len);
	escrow_scan_recount(res, opts);
	if (ret == ESCROW_OK && res->count == 0)
		ret = ESCROW_ERR_NO_SYMBOL;
	return ret;
}
