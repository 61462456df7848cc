/*
 * check_scan.c - printing/scan*.c: the PNM parser's must-fail cases, QR
 * codes rendered to PNG (real libqrencode) and scanned back byte for byte
 * (real zbar, in process), the clean-ups, the payload classifier, and the
 * limits on image files (PNG bombs, long PDFs).
 *
 * Test data only: random envelopes and made-up mnemonics.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <zlib.h>

#include <cairo.h>
#include <sodium.h>

#include "escrow.h"
#include "escrow_paper.h"
#include "escrow_print.h"
#include "chunk_int.h"
#include "testutil.h"
#include "slip39_wordlist.h"

Suite *check_scan_suite(void);

/* A made-up 33-word mnemonic from the word list (upper case if asked). */
static void
fake_mnemonic(char *out, size_t cap, unsigned seed, int upper)
{
	size_t o = 0, k;
	int i;

	for (i = 0; i < 33; i++) {
		const char *w = escrow_wordlist[(seed * 131u + (unsigned)i * 97u) % 1024];

		for (k = 0; w[k] != '\0' && o + 2 < cap; k++)
			out[o++] = upper ? (char)(w[k] - 'a' + 'A') : w[k];
		if (i < 32 && o + 2 < cap)
			out[o++] = ' ';
	}
	out[o] = '\0';
}


/* ---- PNM ------------------------------------------------------------------ */

START_TEST(test_paper_pnm_must_fail)
{
	static const struct {
		const char *data;
		size_t len;
	} bad[] = {
		{ "", 0 },
		{ "P4\n1 1\n\x80", 8 },              /* bitmap: not supported */
		{ "P2\n1 1\n255\n0\n", 13 },         /* ASCII grey: not supported */
		{ "P5", 2 },
		{ "P5\n", 3 },
		{ "P5\n1 1\n", 7 },                  /* no maxval */
		{ "P5\n1 1\n255", 10 },              /* no data separator */
		{ "P5\n1 1\n255\n", 11 },            /* no data */
		{ "P5\n2 2\n255\n\0\0\0", 14 },      /* short data */
		{ "P5\n1 1\n255\n\0\0", 13 },        /* trailing data */
		{ "P5\n0 1\n255\n", 11 },            /* zero width */
		{ "P5\n1 0\n255\n", 11 },            /* zero height */
		{ "P5\n1 1\n0\n\0", 10 },            /* maxval 0 */
		{ "P5\n1 1\n65535\n\0\0", 15 },      /* 16-bit */
		{ "P5\n1 1\n256\n\0", 12 },
		{ "P5\n1 1\n100\n\xc8", 12 },        /* sample above maxval */
		{ "P5\n-1 1\n255\n\0", 13 },
		{ "P5\n40000 1\n255\n", 16 },        /* too wide */
		{ "P5\n99999999999 1\n255\n", 22 },  /* overflow */
		{ "P5 1 1 255 ", 11 },
		{ "P51 1 255\n\0", 11 },             /* no space after magic */
		{ "P6\n1 1\n255\n\0\0", 13 },        /* short colour data */
		{ "P5\n1x1\n255\n\0", 12 },
	};
	uint8_t *pix = (uint8_t *)1;
	unsigned w, h;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(escrow_pnm_parse((const uint8_t *)bad[i].data,
		    bad[i].len, &pix, &w, &h) == ESCROW_ERR_IMAGE,
		    "case %zu accepted", i);
		ck_assert_ptr_null(pix);
	}
	/* and what must pass: comments, P6 to grey, maxval scaling */
	ck_assert_int_eq(escrow_pnm_parse((const uint8_t *)
	    "P5 # c\n# more\n2 1 # x\n15\n\x0f\x00", 27, &pix, &w, &h), ESCROW_OK);
	ck_assert(w == 2 && h == 1 && pix[0] == 255 && pix[1] == 0);
	free(pix);
	ck_assert_int_eq(escrow_pnm_parse((const uint8_t *)
	    "P6\n1 1\n255\n\xff\xff\xff", 14, &pix, &w, &h), ESCROW_OK);
	ck_assert(w == 1 && h == 1 && pix[0] == 255);
	free(pix);
	/* mutations of a valid image: accepted or refused, never a crash,
	 * and an accepted one always has exactly w * h pixels' worth */
	for (i = 0; i < 5000; i++) {
		uint8_t img[64] = "P5\n# x\n4 3\n200\n";
		size_t hl = strlen((const char *)img), n = hl + 12, k;
		uint32_t r[3];
		int ret;

		for (k = hl; k < n; k++)
			img[k] = (uint8_t)(k * 13 % 200);
		escrow_random(r, sizeof r);
		img[r[0] % n] = (uint8_t)r[1];
		if (r[2] % 3 == 0)
			n = r[2] % n;
		ret = escrow_pnm_parse(img, n, &pix, &w, &h);
		ck_assert(ret == ESCROW_OK || ret == ESCROW_ERR_IMAGE);
		if (ret == ESCROW_OK) {
			ck_assert_uint_le((size_t)w * h, n);
			free(pix);
		}
	}
}
END_TEST

/* ---- QR render and scan --------------------------------------------------- */

static void
scan_one(const char *path, const uint8_t *want, size_t wlen)
{
	struct escrow_scan_result r;

	ck_assert_int_eq(escrow_scan_file(path, NULL, &r), ESCROW_OK);
	ck_assert_uint_eq(r.count, 1);
	ck_assert_uint_eq(r.items[0].page, 1);
	ck_assert_uint_eq(r.items[0].len, wlen);
	ck_assert(memcmp(r.items[0].data, want, wlen) == 0);
	ck_assert_uint_eq(r.items[0].data[wlen], 0);
	ck_assert_uint_eq(r.first_failed_page, 0);
	escrow_scan_result_free(&r);
}

/* The PNG as a binary PGM (P5), to read it back through the PNM path. */
static void
png_to_pgm(const char *png, const char *pgm)
{
	cairo_surface_t *s = cairo_image_surface_create_from_png(png);
	int w, h, st, x, y;
	unsigned char *d;
	FILE *f;

	ck_assert_int_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	w = cairo_image_surface_get_width(s);
	h = cairo_image_surface_get_height(s);
	st = cairo_image_surface_get_stride(s);
	d = cairo_image_surface_get_data(s);
	f = fopen(pgm, "wb");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "P5\n# from %s\n%d %d\n255\n", png, w, h);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			fputc(d[y * st + 4 * x + 1], f); /* green = grey here */
	fclose(f);
	cairo_surface_destroy(s);
}

START_TEST(test_paper_qr_png_scan_exact)
{
	const char *dir = tu_mkdtemp();
	char png[4200], pgm[4200], mn[400];
	uint8_t *env = tu_random_bytes(300), bin[200];
	struct escrow_chunks c;
	size_t i;

	snprintf(png, sizeof png, "%s/q.png", dir);
	snprintf(pgm, sizeof pgm, "%s/q.pgm", dir);
	/* a share: upper-case words, alphanumeric mode */
	fake_mnemonic(mn, sizeof mn, 7, 1);
	ck_assert_int_eq(escrow_sheet_qr_png((const uint8_t *)mn, strlen(mn), 'Q',
	    4, png), ESCROW_OK);
	scan_one(png, (const uint8_t *)mn, strlen(mn));
	png_to_pgm(png, pgm);
	scan_one(pgm, (const uint8_t *)mn, strlen(mn));
	{
		struct escrow_scan_result r;

		ck_assert_int_eq(escrow_scan_file(png, NULL, &r), ESCROW_OK);
		ck_assert_int_eq(escrow_payload_classify(r.items[0].data,
		    r.items[0].len), ESCROW_PAYLOAD_SHARE);
		escrow_scan_result_free(&r);
	}
	/* envelope chunks */
	ck_assert_int_eq(escrow_chunk_split(env, 300, &c), ESCROW_OK);
	for (i = 0; i < c.count; i++) {
		ck_assert_int_eq(escrow_sheet_qr_png((const uint8_t *)c.payload[i],
		    strlen(c.payload[i]), 'Q', 3, png), ESCROW_OK);
		scan_one(png, (const uint8_t *)c.payload[i], strlen(c.payload[i]));
	}
	escrow_chunks_free(&c);
	/* raw bytes, every value incl. NUL and 0x80-0xff: binary mode keeps
	 * them exact (zbar would otherwise re-encode them as text) */
	for (i = 0; i < sizeof bin; i++)
		bin[i] = (uint8_t)(255 - i);
	bin[0] = 0;
	ck_assert_int_eq(escrow_sheet_qr_png(bin, sizeof bin, 'H', 3, png),
	    ESCROW_OK);
	scan_one(png, bin, sizeof bin);
	/* must fail: no file, not an image, an image with no QR code */
	{
		struct escrow_scan_result r;
		FILE *f;

		ck_assert_int_eq(escrow_scan_file("/nonexistent/x.png", NULL, &r),
		    ESCROW_ERR_IO);
		escrow_scan_result_free(&r);
		f = fopen(pgm, "wb");
		fputs("hello, world", f);
		fclose(f);
		ck_assert_int_eq(escrow_scan_file(pgm, NULL, &r), ESCROW_ERR_IMAGE);
		escrow_scan_result_free(&r);
		f = fopen(pgm, "wb");
		fprintf(f, "P5\n64 64\n255\n");
		for (i = 0; i < 64 * 64; i++)
			fputc(255, f);
		fclose(f);
		ck_assert_int_eq(escrow_scan_file(pgm, NULL, &r), ESCROW_ERR_NO_SYMBOL);
		ck_assert_uint_eq(r.npages, 1);
		ck_assert_uint_eq(r.first_failed_page, 1);
		escrow_scan_result_free(&r);
		f = fopen(pgm, "wb");
		fputs("\x89PNG\r\n\x1a\n broken", f);
		fclose(f);
		ck_assert_int_eq(escrow_scan_file(pgm, NULL, &r), ESCROW_ERR_IMAGE);
		escrow_scan_result_free(&r);
		f = fopen(pgm, "wb");
		fputs("\xff\xd8\xff\xe0 broken jpeg", f);
		fclose(f);
		ck_assert_int_eq(escrow_scan_file(pgm, NULL, &r), ESCROW_ERR_IMAGE);
		escrow_scan_result_free(&r);
		f = fopen(pgm, "wb");
		fputs("%PDF-1.5 broken", f);
		fclose(f);
		ck_assert_int_eq(escrow_scan_file(pgm, NULL, &r), ESCROW_ERR_IMAGE);
		escrow_scan_result_free(&r);
	}
	/* module size below one pixel's worth is refused, not drawn */
	ck_assert_int_eq(escrow_sheet_qr_png(bin, sizeof bin, 'L', 3, png),
	    ESCROW_ERR_INVALID_ARG);
	free(env);
	tu_rmrf(dir);
}
END_TEST

/* Salt-and-pepper noise that defeats a plain scan; the 3x3 median
 * clean-up rescues it, and the page says so. */
START_TEST(test_paper_scan_cleanup_rescues_noise)
{
	const char *dir = tu_mkdtemp();
	char png[4200], mn[400];
	cairo_surface_t *s;
	struct escrow_scan_result r;
	struct escrow_scan_opts plain = { 0, 0, 1 };
	uint8_t *g;
	int w, h, st, x, y;

	snprintf(png, sizeof png, "%s/q.png", dir);
	fake_mnemonic(mn, sizeof mn, 3, 1);
	ck_assert_int_eq(escrow_sheet_qr_png((const uint8_t *)mn, strlen(mn), 'Q',
	    6, png), ESCROW_OK);
	s = cairo_image_surface_create_from_png(png);
	w = cairo_image_surface_get_width(s);
	h = cairo_image_surface_get_height(s);
	st = cairo_image_surface_get_stride(s);
	g = malloc((size_t)w * (size_t)h);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			uint8_t rnd;

			g[y * w + x] = cairo_image_surface_get_data(s)[y * st + 4 * x];
			escrow_random(&rnd, 1);
			if (rnd < 40)
				g[y * w + x] = (uint8_t)(rnd & 1 ? 0 : 255);
		}
	cairo_surface_destroy(s);
	memset(&r, 0, sizeof r);
	ck_assert_int_eq(escrow_scan_gray(g, (unsigned)w, (unsigned)h, (size_t)w, 1,
	    &plain, &r), ESCROW_OK);
	ck_assert_uint_eq(r.count, 0);
	ck_assert_uint_eq(r.first_failed_page, 1);
	escrow_scan_result_free(&r);
	ck_assert_int_eq(escrow_scan_gray(g, (unsigned)w, (unsigned)h, (size_t)w, 1,
	    NULL, &r), ESCROW_OK);
	ck_assert_uint_eq(r.count, 1);
	ck_assert(r.items[0].len == strlen(mn) &&
	    memcmp(r.items[0].data, mn, strlen(mn)) == 0);
	ck_assert_uint_ne(r.pages[0].cleanup, 0);
	ck_assert_uint_eq(r.first_failed_page, 0);
	escrow_scan_result_free(&r);
	free(g);
	tu_rmrf(dir);
}
END_TEST

START_TEST(test_paper_classify_payloads)
{
	char mn[400];

	fake_mnemonic(mn, sizeof mn, 1, 1);
	ck_assert_int_eq(escrow_payload_classify((const uint8_t *)mn, strlen(mn)),
	    ESCROW_PAYLOAD_SHARE);
	fake_mnemonic(mn, sizeof mn, 1, 0); /* lower case too */
	ck_assert_int_eq(escrow_payload_classify((const uint8_t *)mn, strlen(mn)),
	    ESCROW_PAYLOAD_SHARE);
	mn[strlen(mn) - 1] = 'Q'; /* last word no longer in the list */
	ck_assert_int_eq(escrow_payload_classify((const uint8_t *)mn, strlen(mn)),
	    ESCROW_PAYLOAD_UNKNOWN);
	ck_assert_int_eq(escrow_payload_classify((const uint8_t *)"ACADEMIC ACID",
	    13), ESCROW_PAYLOAD_UNKNOWN); /* too few words */
	ck_assert_int_eq(escrow_payload_classify((const uint8_t *)"ESCROW-E1:AB",
	    12), ESCROW_PAYLOAD_CHUNK);
	ck_assert_int_eq(escrow_payload_classify((const uint8_t *)"", 0),
	    ESCROW_PAYLOAD_UNKNOWN);
	ck_assert_int_eq(escrow_payload_classify((const uint8_t *)"http://x", 8),
	    ESCROW_PAYLOAD_UNKNOWN);
}
END_TEST

/* A share QR (module 8 px, as at 300 dpi) with a crease across its lower
 * finder patterns, light and dark, 2 to 6 px: the plain scan fails, the
 * crease clean-up reads it. */
START_TEST(test_scan_crease_cleanup_reads_creased_symbol)
{
	static const struct {
		uint8_t shade;  /* 255 light crease, 0 dark */
		int px;         /* its width */
	} creases[] = { { 255, 2 }, { 255, 3 }, { 255, 6 }, { 0, 2 }, { 0, 3 },
	    { 0, 6 } };
	const char *dir = tu_mkdtemp();
	char png[4200], mn[400];
	cairo_surface_t *s;
	struct escrow_scan_result r;
	struct escrow_scan_opts plain = { 0, 0, 1 };
	uint8_t *g;
	int w, h, st, x, y, plain_failed = 0;
	size_t c;

	snprintf(png, sizeof png, "%s/q.png", dir);
	fake_mnemonic(mn, sizeof mn, 5, 1);
	ck_assert_int_eq(escrow_sheet_qr_png((const uint8_t *)mn, strlen(mn), 'Q',
	    8, png), ESCROW_OK);
	s = cairo_image_surface_create_from_png(png);
	w = cairo_image_surface_get_width(s);
	h = cairo_image_surface_get_height(s);
	st = cairo_image_surface_get_stride(s);
	g = malloc((size_t)w * (size_t)h);
	ck_assert_ptr_nonnull(g);
	for (c = 0; c < sizeof creases / sizeof creases[0]; c++) {
		/* through the middle of the lower finder patterns */
		int y0 = h - (4 + 4) * 8 + 3;

		for (y = 0; y < h; y++)
			for (x = 0; x < w; x++)
				g[y * w + x] = cairo_image_surface_get_data(s)[y * st + 4 * x];
		for (y = y0; y < y0 + creases[c].px; y++)
			memset(g + (size_t)y * (size_t)w, creases[c].shade, (size_t)w);
		memset(&r, 0, sizeof r);
		ck_assert_int_eq(escrow_scan_gray(g, (unsigned)w, (unsigned)h,
		    (size_t)w, 1, &plain, &r), ESCROW_OK);
		plain_failed += r.count == 0;
		escrow_scan_result_free(&r);
		ck_assert_int_eq(escrow_scan_gray(g, (unsigned)w, (unsigned)h,
		    (size_t)w, 1, NULL, &r), ESCROW_OK);
		ck_assert_msg(r.count == 1 && r.items[0].len == strlen(mn) &&
		    memcmp(r.items[0].data, mn, strlen(mn)) == 0,
		    "a %s crease of %d px was not read through",
		    creases[c].shade ? "light" : "dark", creases[c].px);
		escrow_scan_result_free(&r);
	}
	/* the damage must matter, or this test proves nothing */
	ck_assert_int_gt(plain_failed, 0);
	cairo_surface_destroy(s);
	free(g);
	tu_rmrf(dir);
}
END_TEST

/* ---- limits on image files ------------------------------------------------ */

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Append one PNG chunk (length, type, data, CRC) to f. */
static void
png_chunk(FILE *f, const char *type, const uint8_t *data, size_t n)
{
	uint8_t b[4];
	uLong crc = crc32(0L, (const Bytef *)type, 4);

	crc = crc32(crc, data, (uInt)n);
	put32(b, (uint32_t)n);
	ck_assert_uint_eq(fwrite(b, 1, 4, f), 4);
	ck_assert_uint_eq(fwrite(type, 1, 4, f), 4);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	put32(b, (uint32_t)crc);
	ck_assert_uint_eq(fwrite(b, 1, 4, f), 4);
}

/* A valid w x h 8-bit grey PNG, all white: a decompression bomb of a few
 * hundred KB for 20000 x 20000. */
static void
write_white_png(const char *path, uint32_t w, uint32_t h)
{
	uint8_t ihdr[13], *row, *out;
	size_t cap = 1u << 20;
	z_stream z;
	FILE *f = fopen(path, "wb");
	uint32_t y;

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite("\x89PNG\r\n\x1a\n", 1, 8, f), 8);
	put32(ihdr, w);
	put32(ihdr + 4, h);
	ihdr[8] = 8;  /* bit depth */
	ihdr[9] = 0;  /* grey */
	ihdr[10] = ihdr[11] = ihdr[12] = 0;
	png_chunk(f, "IHDR", ihdr, 13);
	row = malloc((size_t)w + 1);
	out = malloc(cap);
	ck_assert(row != NULL && out != NULL);
	memset(row, 255, (size_t)w + 1);
	row[0] = 0; /* filter: none */
	memset(&z, 0, sizeof z);
	ck_assert_int_eq(deflateInit(&z, 9), Z_OK);
	for (y = 0; y <= h; y++) {
		z.next_in = row;
		z.avail_in = y < h ? w + 1 : 0;
		do {
			z.next_out = out;
			z.avail_out = (uInt)cap;
			ck_assert_int_ne(deflate(&z, y < h ? Z_NO_FLUSH : Z_FINISH),
			    Z_STREAM_ERROR);
			if (cap - z.avail_out > 0)
				png_chunk(f, "IDAT", out, cap - z.avail_out);
		} while (z.avail_out == 0);
	}
	deflateEnd(&z);
	png_chunk(f, "IEND", (const uint8_t *)"", 0);
	ck_assert_int_eq(fclose(f), 0);
	free(row);
	free(out);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static long
maxrss_kb(void)
{
	struct rusage ru;

	ck_assert_int_eq(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_maxrss;
}

START_TEST(test_scan_png_bomb_refused_before_decoding)
{
	const char *dir = tu_mkdtemp();
	struct escrow_scan_result r;
	char path[4200];
	long rss0;
	double t0, t;
	int rc;

	snprintf(path, sizeof path, "%s/bomb.png", dir);
	write_white_png(path, 20000, 20000);
	rss0 = maxrss_kb();
	t0 = now_s();
	rc = escrow_scan_file(path, NULL, &r);
	t = now_s() - t0;
	ck_assert_int_eq(rc, ESCROW_ERR_TOO_LARGE);
	escrow_scan_result_free(&r);
	ck_assert_msg(t < 1.0, "a 20000x20000 PNG took %.2f s to refuse", t);
	ck_assert_msg(maxrss_kb() - rss0 < 100 * 1024,
	    "refusing a 20000x20000 PNG grew the peak memory by %ld KB",
	    maxrss_kb() - rss0);
	tu_rmrf(dir);
}
END_TEST

struct progress_log {
	unsigned calls, last, pages;
};

static void
progress_count(void *arg, unsigned page, unsigned pages)
{
	struct progress_log *l = arg;

	ck_assert_uint_eq(page, l->last + 1);
	l->calls++;
	l->last = page;
	l->pages = pages;
}

/* A PDF of n blank A4 pages. */
static void
write_blank_pdf(const char *path, unsigned n)
{
	cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
	cairo_t *cr = cairo_create(s);
	unsigned i;

	for (i = 0; i < n; i++)
		cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	ck_assert_int_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
}

START_TEST(test_scan_pdf_page_limit_and_progress)
{
	static const struct {
		unsigned pages;
		int rc;         /* what scanning it returns */
		unsigned calls; /* progress reports */
	} cases[] = {
		{ 1000, ESCROW_ERR_TOO_LARGE, 0 },
		{ ESCROW_SCAN_PDF_MAX_PAGES + 1, ESCROW_ERR_TOO_LARGE, 0 },
		{ 3, ESCROW_ERR_NO_SYMBOL, 3 },
	};
	const struct escrow_scan_opts lowres = { 0, 50, 1 };
	const char *dir = tu_mkdtemp();
	struct escrow_scan_result r;
	char path[4200];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct progress_log log = { 0, 0, 0 };
		double t0;

		snprintf(path, sizeof path, "%s/p%zu.pdf", dir, i);
		write_blank_pdf(path, cases[i].pages);
		t0 = now_s();
		ck_assert_int_eq(escrow_scan_file_progress(path, &lowres,
		    progress_count, &log, &r), cases[i].rc);
		ck_assert_uint_eq(r.file_pages, cases[i].pages);
		ck_assert_uint_eq(log.calls, cases[i].calls);
		if (cases[i].calls > 0)
			ck_assert_uint_eq(log.pages, cases[i].pages);
		if (cases[i].rc == ESCROW_ERR_TOO_LARGE)
			ck_assert_msg(now_s() - t0 < 2.0, "refusing %u pages took "
			    "%.2f s", cases[i].pages, now_s() - t0);
		escrow_scan_result_free(&r);
	}
	tu_rmrf(dir);
}
END_TEST

Suite *
check_scan_suite(void)
{
	const TTest *tests[] = {
		test_paper_pnm_must_fail,
		test_paper_qr_png_scan_exact,
		test_paper_scan_cleanup_rescues_noise,
		test_paper_classify_payloads,
		test_scan_crease_cleanup_reads_creased_symbol,
		test_scan_png_bomb_refused_before_decoding,
		test_scan_pdf_page_limit_and_progress,
	};

	return TU_SUITE("scan", tests, 300);
}
