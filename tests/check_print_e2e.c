/*
 * check_print_e2e.c - end to end through a real, private cupsd: every
 * sheet of a 3-of-5 ceremony (5 share sheets, the envelope sheets of a
 * 1,300-byte envelope, the public sheet) printed through libcups with
 * escrow_print_pdf, the printed PDFs rasterised with pdftoppm at 150, 300
 * and 600 dpi and scanned back with the library: shares and envelope must
 * come back byte for byte.  Then degraded scans of 300-dpi pages made
 * with ImageMagick (rotated 3 degrees, Gaussian noise, JPEG quality 30,
 * downscaled to 100 dpi, 10% of a symbol whited out away from its finder
 * patterns) must still decode.  A Letter sheet stays Letter on an A4
 * queue.  A queue whose device cannot be written, and one that never
 * answers, must fail with the printer's reason.
 *
 * Runs only from tests/t_print_scan.sh, which starts cupsd and sets
 * ESCROW_E2E_DIR and CUPS_SERVER; in a plain `check_all` run it passes
 * without doing anything.  With ESCROW_E2E_FAST (the valgrind build) the
 * slow 600-dpi rasterisation is skipped.
 *
 * Test data only: random envelope and made-up mnemonics.
 */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <poppler.h>
#include <sodium.h>
#include <zbar.h>

#include "escrow.h"
#include "escrow_paper.h"
#include "escrow_print.h"
#include "testutil.h"
#include "slip39_wordlist.h"

Suite *check_print_e2e_suite(void);

#define SHARES 5
#define ENV_LEN 1300

static const char *dir;        /* work directory (rasters, copies) */
static char cupsdir[4096];     /* the private cupsd's directory */
static char mn[SHARES][400];   /* upper-case mnemonics */
static uint8_t env[ENV_LEN];
static char fp_hex[65];

static void
run(const char *cmd)
{
	int r = system(cmd);

	ck_assert_msg(r == 0, "command failed (%d): %s", r, cmd);
}

static void
make_ceremony(void)
{
	uint8_t h[32];
	int i, k;

	escrow_random(env, sizeof env);
	crypto_hash_sha256(h, env, sizeof env);
	for (i = 0; i < 32; i++)
		snprintf(fp_hex + 2 * i, 3, "%02x", h[i]);
	for (i = 0; i < SHARES; i++) {
		size_t o = 0;

		for (k = 0; k < 33; k++) {
			uint16_t r;
			const char *w;

			escrow_random(&r, sizeof r);
			w = escrow_wordlist[r % 1024];
			while (*w != '\0')
				mn[i][o++] = (char)(*w++ - 'a' + 'A');
			if (k < 32)
				mn[i][o++] = ' ';
		}
		mn[i][o] = '\0';
	}
}

/* Print a rendered document and keep what the printer wrote. */
static void
print_and_keep(struct escrow_doc *d, const char *name)
{
	char detail[1024], src[4200], dst[4200];
	size_t len = 0;
	char *out;
	FILE *f;

	ck_assert_int_eq(escrow_print_pdf("test", d->data, d->len, ESCROW_PAPER_A4,
	    60, detail, sizeof detail), ESCROW_OK);
	snprintf(src, sizeof src, "%s/out.pdf", cupsdir);
	out = tu_read_file(src, &len);
	ck_assert_msg(out != NULL && len > 1000 && memcmp(out, "%PDF-", 5) == 0,
	    "the printer wrote no PDF for %s", name);
	snprintf(dst, sizeof dst, "%s/%s.pdf", dir, name);
	f = fopen(dst, "wb");
	ck_assert_uint_eq(fwrite(out, 1, len, f), len);
	fclose(f);
	escrow_wipe(out, len);
	free(out);
	escrow_doc_free(d);
}

static void
print_all(void)
{
	struct escrow_sheet_out o = { ESCROW_PAPER_A4, NULL, 0 };
	const char *prot[] = { "example.com. KSK algorithm 8 key tag 12345",
	    "example.com. DS 12345 8 2 "
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" };
	struct escrow_share_sheet sh;
	struct escrow_envelope_sheet e = { env, ENV_LEN, fp_hex, NULL };
	struct escrow_public_sheet p;
	struct escrow_doc d;
	char name[32];
	int i;

	memset(&sh, 0, sizeof sh);
	sh.set_id = "4242";
	sh.group = sh.groups = sh.group_threshold = 1;
	sh.members = SHARES;
	sh.member_threshold = 3;
	sh.fingerprint_hex = fp_hex;
	sh.fingerprint_words = "stand-in words for the fingerprint";
	sh.protects = prot;
	sh.nprotects = 2;
	for (i = 0; i < SHARES; i++) {
		sh.mnemonic = mn[i];
		sh.member = (unsigned)i + 1;
		ck_assert_int_eq(escrow_sheet_share(&sh, &o, &d), ESCROW_OK);
		snprintf(name, sizeof name, "share-%d", i + 1);
		print_and_keep(&d, name);
	}
	ck_assert_int_eq(escrow_sheet_envelope(&e, &o, &d), ESCROW_OK);
	print_and_keep(&d, "envelope");
	memset(&p, 0, sizeof p);
	p.fingerprint_hex = fp_hex;
	p.ds = prot + 1;
	p.nds = 1;
	p.keytags = prot;
	p.nkeytags = 1;
	ck_assert_int_eq(escrow_sheet_public(&p, &o, &d), ESCROW_OK);
	print_and_keep(&d, "public");
}

/* Every payload of every file matching pattern, appended to *all. */
static void
scan_glob(const char *pattern, struct escrow_scan_result *all, size_t *nfiles)
{
	glob_t g;
	size_t i, k;

	ck_assert_int_eq(glob(pattern, 0, NULL, &g), 0);
	for (i = 0; i < g.gl_pathc; i++) {
		struct escrow_scan_result r;
		int ret = escrow_scan_file(g.gl_pathv[i], NULL, &r);

		ck_assert_msg(ret == ESCROW_OK || ret == ESCROW_ERR_NO_SYMBOL,
		    "%s: %s", g.gl_pathv[i], escrow_strerror(ret));
		for (k = 0; k < r.count; k++) {
			all->items = realloc(all->items,
			    (all->count + 1) * sizeof *all->items);
			all->items[all->count++] = r.items[k];
		}
		free(r.items); /* the payloads moved to *all */
		free(r.pages);
	}
	*nfiles = g.gl_pathc;
	globfree(&g);
}

/* The shares and the envelope must all be there, byte for byte. */
static void
check_payloads(struct escrow_scan_result *all, int want_shares, int want_env)
{
	struct escrow_chunk_asm *a = escrow_chunk_asm_new(NULL);
	int seen[SHARES] = { 0 }, i, nshares = 0;
	unsigned missing[32];
	uint8_t *back = NULL;
	size_t k, blen = 0, nm = 0;

	for (k = 0; k < all->count; k++) {
		const struct escrow_scan_payload *p = &all->items[k];

		switch (escrow_payload_classify(p->data, p->len)) {
		case ESCROW_PAYLOAD_SHARE:
			for (i = 0; i < SHARES; i++)
				if (p->len == strlen(mn[i]) &&
				    memcmp(p->data, mn[i], p->len) == 0)
					seen[i] = 1;
			break;
		case ESCROW_PAYLOAD_CHUNK:
			ck_assert_int_eq(escrow_chunk_asm_add(a, p->data, p->len),
			    ESCROW_OK);
			break;
		default:
			ck_abort_msg("unknown payload scanned");
		}
	}
	for (i = 0; i < SHARES; i++)
		nshares += seen[i];
	ck_assert_int_eq(nshares, want_shares);
	if (want_env) {
		ck_assert_int_eq(escrow_chunk_asm_finish(a, &back, &blen, missing,
		    32, &nm), ESCROW_OK);
		ck_assert(blen == ENV_LEN && memcmp(back, env, blen) == 0);
		free(back);
	}
	escrow_chunk_asm_free(a);
	escrow_scan_result_free(all);
}

static void
raster_and_scan(unsigned dpi)
{
	struct escrow_scan_result all;
	char cmd[9000], pat[4200];
	size_t n = 0;
	int i;

	for (i = 0; i < SHARES; i++) {
		snprintf(cmd, sizeof cmd, "pdftoppm -r %u -gray %s/share-%d.pdf "
		    "%s/r%u-share-%d", dpi, dir, i + 1, dir, dpi, i + 1);
		run(cmd);
	}
	snprintf(cmd, sizeof cmd, "pdftoppm -r %u -gray %s/envelope.pdf "
	    "%s/r%u-envelope", dpi, dir, dir, dpi);
	run(cmd);
	memset(&all, 0, sizeof all);
	snprintf(pat, sizeof pat, "%s/r%u-*.pgm", dir, dpi);
	scan_glob(pat, &all, &n);
	ck_assert_uint_ge(n, SHARES + 2);
	check_payloads(&all, SHARES, 1);
}

START_TEST(test_print_e2e_ceremony_prints_and_scans_back)
{
	int fast;

	dir = getenv("ESCROW_E2E_DIR");
	if (dir == NULL)
		return; /* only from tests/t_print_scan.sh */
	fast = getenv("ESCROW_E2E_FAST") != NULL;
	snprintf(cupsdir, sizeof cupsdir, "%s/cups", dir);
	make_ceremony();
	print_all();
	raster_and_scan(150);
	raster_and_scan(300);
	if (!fast)
		raster_and_scan(600); /* skipped under valgrind: too slow */
}
END_TEST

/* Bounding box of the first QR code zbar finds in a PGM page. */
static void
symbol_box(const char *pgm, int *x0, int *y0, int *x1, int *y1)
{
	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	zbar_image_t *img = zbar_image_create();
	const zbar_symbol_t *sym;
	uint8_t *pix = NULL;
	unsigned w, h, i;
	size_t len;
	char *buf = tu_read_file(pgm, &len);

	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(escrow_pnm_parse((uint8_t *)buf, len, &pix, &w, &h),
	    ESCROW_OK);
	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, w, h);
	zbar_image_set_data(img, pix, (unsigned long)w * h, NULL);
	ck_assert_int_gt(zbar_scan_image(sc, img), 0);
	sym = zbar_image_first_symbol(img);
	*x0 = *y0 = 1 << 30;
	*x1 = *y1 = -1;
	for (i = 0; i < zbar_symbol_get_loc_size(sym); i++) {
		int x = zbar_symbol_get_loc_x(sym, i), y = zbar_symbol_get_loc_y(sym, i);

		*x0 = x < *x0 ? x : *x0;
		*y0 = y < *y0 ? y : *y0;
		*x1 = x > *x1 ? x : *x1;
		*y1 = y > *y1 ? y : *y1;
	}
	zbar_image_destroy(img);
	zbar_image_scanner_destroy(sc);
	free(pix);
	free(buf);
}

static void
degrade_and_scan(const char *page, int shares, int whole_env)
{
	static const char *how[] = {
		"-background white -rotate 3", "-attenuate 0.6 +noise Gaussian",
		"-quality 30", "-resize 33.333%", NULL,
	};
	/* noise as PGM: a noisy PNG takes ImageMagick seconds to compress */
	static const char *ext[] = { "png", "pgm", "jpg", "png", "pgm" };
	char cmd[9000], out[4200];
	int i, x0, y0, x1, y1;

	for (i = 0; i < 5; i++) {
		struct escrow_scan_result r;

		snprintf(out, sizeof out, "%s-deg%d.%s", page, i, ext[i]);
		if (how[i] != NULL) {
			snprintf(cmd, sizeof cmd, "convert %s %s %s", page, how[i], out);
		} else {
			/* 10% of the symbol's area, inside it, clear of the three
			 * finder patterns (top-left, top-right, bottom-left) */
			double s;

			symbol_box(page, &x0, &y0, &x1, &y1);
			s = (x1 - x0) * 0.316;
			snprintf(cmd, sizeof cmd, "convert %s -fill white -draw "
			    "'rectangle %d,%d %d,%d' %s", page,
			    x0 + (int)((x1 - x0) * 0.45), y0 + (int)((y1 - y0) * 0.45),
			    x0 + (int)((x1 - x0) * 0.45 + s),
			    y0 + (int)((y1 - y0) * 0.45 + s), out);
		}
		run(cmd);
		ck_assert_int_eq(escrow_scan_file(out, NULL, &r), ESCROW_OK);
		if (whole_env)
			ck_assert_uint_eq(r.count, 12); /* every chunk of page 1 */
		else
			ck_assert_uint_eq(r.count, 1);
		if (shares)
			check_payloads(&r, 1, 0);
		else
			escrow_scan_result_free(&r);
	}
}

START_TEST(test_print_e2e_degraded_scans_decode)
{
	char page[4200], cmd[9000];

	dir = getenv("ESCROW_E2E_DIR");
	if (dir == NULL)
		return;
	if (mn[0][0] == '\0') {
		/* the first test ran in another process: start over */
		snprintf(cupsdir, sizeof cupsdir, "%s/cups", dir);
		make_ceremony();
		print_all();
	}
	snprintf(cmd, sizeof cmd, "pdftoppm -r 300 -gray -singlefile %s/share-2.pdf "
	    "%s/deg-share", dir, dir);
	run(cmd);
	snprintf(page, sizeof page, "%s/deg-share.pgm", dir);
	degrade_and_scan(page, 1, 0);
	snprintf(cmd, sizeof cmd, "pdftoppm -r 300 -gray -singlefile %s/envelope.pdf "
	    "%s/deg-env", dir, dir);
	run(cmd);
	snprintf(page, sizeof page, "%s/deg-env.pgm", dir);
	degrade_and_scan(page, 0, 1);
}
END_TEST

START_TEST(test_print_e2e_failure_reports_reason)
{
	uint8_t pdf[] = "%PDF-1.4\n%%EOF\n";
	char detail[1024];

	if (getenv("ESCROW_E2E_DIR") == NULL)
		return;
	/* a queue that does not exist */
	ck_assert_int_eq(escrow_print_pdf("no-such-queue", pdf, sizeof pdf,
	    ESCROW_PAPER_A4, 10, detail, sizeof detail), ESCROW_ERR_PRINT);
	ck_assert_ptr_nonnull(strstr(detail, "no-such-queue"));
	/* a queue whose device cannot be written: the job fails, with the
	 * printer's own words in the detail */
	detail[0] = '\0';
	ck_assert_int_eq(escrow_print_pdf("broken", pdf, sizeof pdf,
	    ESCROW_PAPER_A4, 20, detail, sizeof detail), ESCROW_ERR_PRINT);
	ck_assert_ptr_nonnull(strstr(detail, "broken"));
	ck_assert_ptr_nonnull(strstr(detail, "job stopped"));
	ck_assert_ptr_nonnull(strstr(detail, "printer says"));
	/* a printer that never answers: the job is given up after the time
	 * limit, then cancelled and purged (the script checks the spool) */
	{
		struct escrow_sheet_out o = { ESCROW_PAPER_A4, NULL, 0 };
		struct escrow_public_sheet p;
		struct escrow_doc d;

		memset(&p, 0, sizeof p);
		p.fingerprint_hex = "00";
		ck_assert_int_eq(escrow_sheet_public(&p, &o, &d), ESCROW_OK);
		ck_assert_int_eq(escrow_print_pdf("unreachable", d.data, d.len,
		    ESCROW_PAPER_A4, 2, detail, sizeof detail), ESCROW_ERR_PRINT);
		ck_assert_ptr_nonnull(strstr(detail, "not done in time"));
		escrow_doc_free(&d);
	}
	/* not a PDF */
	ck_assert_int_eq(escrow_print_pdf("test", (const uint8_t *)"hello", 5,
	    ESCROW_PAPER_A4, 10, detail, sizeof detail), ESCROW_ERR_INVALID_ARG);
}
END_TEST

/* A US Letter sheet on the A4-default queue comes out Letter, unscaled
 * (media and print-scaling=none are sent with the job). */
START_TEST(test_print_e2e_letter_keeps_its_size)
{
	struct escrow_sheet_out o = { ESCROW_PAPER_LETTER, NULL, 0 };
	struct escrow_public_sheet p;
	struct escrow_doc d;
	PopplerDocument *doc;
	PopplerPage *page;
	GBytes *bytes;
	char detail[512], path[4200], *out;
	double w = 0, h = 0;
	size_t len = 0;

	if (getenv("ESCROW_E2E_DIR") == NULL)
		return;
	memset(&p, 0, sizeof p);
	p.fingerprint_hex = "00";
	ck_assert_int_eq(escrow_sheet_public(&p, &o, &d), ESCROW_OK);
	ck_assert_int_eq(escrow_print_pdf("test", d.data, d.len,
	    ESCROW_PAPER_LETTER, 60, detail, sizeof detail), ESCROW_OK);
	escrow_doc_free(&d);
	snprintf(path, sizeof path, "%s/cups/out.pdf", getenv("ESCROW_E2E_DIR"));
	out = tu_read_file(path, &len);
	ck_assert_ptr_nonnull(out);
	bytes = g_bytes_new(out, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, NULL);
	ck_assert_ptr_nonnull(doc);
	page = poppler_document_get_page(doc, 0);
	poppler_page_get_size(page, &w, &h);
	ck_assert_msg(w > 611 && w < 613 && h > 791 && h < 793,
	    "printed page is %.1f x %.1f pt, not Letter", w, h);
	g_object_unref(page);
	g_object_unref(doc);
	g_bytes_unref(bytes);
	free(out);
}
END_TEST

Suite *
check_print_e2e_suite(void)
{
	Suite *s = suite_create("print_e2e");
	TCase *tc = tcase_create("print_e2e");

	tcase_set_timeout(tc, 900);
	tcase_add_test(tc, test_print_e2e_ceremony_prints_and_scans_back);
	tcase_add_test(tc, test_print_e2e_degraded_scans_decode);
	tcase_add_test(tc, test_print_e2e_letter_keeps_its_size);
	tcase_add_test(tc, test_print_e2e_failure_reports_reason);
	suite_add_tcase(s, tc);
	return s;
}
