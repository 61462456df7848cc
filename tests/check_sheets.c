/*
 * check_sheets.c - the sheets' layout: the largest cases (RSA-4096-sized
 * records, 16 groups of 16, the longest words) on A4 and US Letter render
 * without overflow; too much text fails with ESCROW_ERR_RENDER instead of
 * running off the page; the envelope page count and its 20-page limit;
 * the text a sheet carries (read back from the PDF with poppler); the
 * envelope sheets scanned back from their own PDF; PNG previews saved in
 * the build directory; --pdf files written 0600 and never over a file.
 *
 * Test data only: random envelopes, made-up mnemonics and DNS records.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <poppler.h>
#include <sodium.h>

#include "escrow.h"
#include "escrow_paper.h"
#include "escrow_print.h"
#include "testutil.h"
#include "slip39_wordlist.h"

Suite *check_sheets_suite(void);
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

/*
 * For the AddressSanitizer build: fontconfig (under cairo's font
 * selection) keeps its configuration and pattern caches until exit on
 * purpose; LeakSanitizer would report them in every test that draws
 * text.  Only fontconfig's own allocations are suppressed.
 */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

const char *
__lsan_default_options(void)
{
	return "print_suppressions=0";
}

static const char fp_hex[] =
    "3f2a9c0d11e4b7a85c6d2e9f0a1b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
static const char fp_words[] = "acid bread crow dust eagle fern glow harp "
    "icon jade kite lamp moss nest oath pact";

/* 33 of the longest words (8 letters). */
static void
long_mnemonic(char *out, size_t cap)
{
	size_t o = 0, i, k, n = 0;

	for (i = 0; i < ESCROW_WORDLIST_SIZE && n < 33; i++) {
		const char *w = escrow_wordlist[i];

		if (strlen(w) != 8)
			continue;
		for (k = 0; k < 8 && o + 2 < cap; k++)
			out[o++] = w[k];
		if (++n < 33)
			out[o++] = ' ';
	}
	out[o] = '\0';
}

/* A made-up RSA-4096 DNSKEY line: ~700 characters of base64. */
static char *
dnskey_line(int tag)
{
	uint8_t key[520];
	char b64[800], *line = malloc(1000);

	escrow_random(key, sizeof key);
	sodium_bin2base64(b64, sizeof b64, key, sizeof key,
	    sodium_base64_VARIANT_ORIGINAL);
	snprintf(line, 1000, "example.com. 3600 IN DNSKEY 257 3 8 %s ; KSK tag %d",
	    b64, tag);
	return line;
}

static char *
text_of(const struct escrow_doc *d)
{
	GBytes *b = g_bytes_new(d->data, d->len);
	PopplerDocument *doc = poppler_document_new_from_bytes(b, NULL, NULL);
	GString *all = g_string_new("");
	char *out;
	int i;

	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(poppler_document_get_n_pages(doc), (int)d->pages);
	for (i = 0; i < poppler_document_get_n_pages(doc); i++) {
		PopplerPage *p = poppler_document_get_page(doc, i);
		char *t = poppler_page_get_text(p);

		g_string_append(all, t);
		g_string_append_c(all, '\n');
		g_free(t);
		g_object_unref(p);
	}
	out = strdup(all->str);
	g_string_free(all, TRUE);
	g_object_unref(doc);
	g_bytes_unref(b);
	return out;
}

static const char *
preview(const char *name)
{
	static char p[4096];

	mkdir(ESCROW_BUILD "/preview", 0755);
	snprintf(p, sizeof p, "%s/preview/%s", ESCROW_BUILD, name);
	return p;
}

START_TEST(test_sheets_share_largest_fits_both_papers)
{
	char mn[400], ds[4][200], *text;
	const char *prot[8];
	struct escrow_share_sheet sh;
	struct escrow_sheet_out out = { ESCROW_PAPER_A4, NULL, 0 };
	struct escrow_doc d;
	int paper, i;

	long_mnemonic(mn, sizeof mn);
	for (i = 0; i < 4; i++) {
		snprintf(ds[i], sizeof ds[i], "example.com. DS %d 8 4 %s%s", 10000 + i,
		    fp_hex, "0123456789abcdef0123456789abcdef");
		prot[2 * i] = ds[i];
		prot[2 * i + 1] = "example.com. KSK algorithm 8 RSASHA256 4096 bits";
	}
	memset(&sh, 0, sizeof sh);
	sh.mnemonic = mn;
	sh.set_id = "32767";
	sh.group = sh.groups = sh.group_threshold = 16;
	sh.member = sh.members = sh.member_threshold = 16;
	sh.fingerprint_hex = fp_hex;
	sh.fingerprint_words = fp_words;
	sh.protects = prot;
	sh.nprotects = 8;
	for (paper = 0; paper < 2; paper++) {
		out.paper = (enum escrow_paper_size)paper;
		out.png_prefix = NULL;
		ck_assert_int_eq(escrow_sheet_share(&sh, &out, &d), ESCROW_OK);
		ck_assert_uint_eq(d.pages, 1);
		ck_assert(d.len > 1000 && memcmp(d.data, "%PDF-", 5) == 0);
		text = text_of(&d);
		ck_assert_ptr_nonnull(strstr(text, "group 16 of 16"));
		ck_assert_ptr_nonnull(strstr(text, "member 16 of 16"));
		ck_assert_ptr_nonnull(strstr(text, fp_hex));
		ck_assert_ptr_nonnull(strstr(text, "Custodian name"));
		ck_assert_ptr_nonnull(strstr(text, "Tamper bag serial"));
		free(text);
		escrow_doc_free(&d);
		ck_assert_ptr_null(d.data);
		out.png_prefix = preview(paper ? "share-letter" : "share-a4");
		out.png_dpi = 100;
		ck_assert_int_eq(escrow_sheet_share(&sh, &out, &d), ESCROW_OK);
		escrow_doc_free(&d);
	}
}
END_TEST

START_TEST(test_sheets_share_overflow_is_an_error)
{
	char mn[400];
	const char *prot[200];
	struct escrow_share_sheet sh;
	struct escrow_sheet_out out = { ESCROW_PAPER_LETTER, NULL, 0 };
	struct escrow_doc d;
	int i;

	long_mnemonic(mn, sizeof mn);
	for (i = 0; i < 200; i++)
		prot[i] = "example.com. DS 12345 8 2 0123456789ABCDEF";
	memset(&sh, 0, sizeof sh);
	sh.mnemonic = mn;
	sh.set_id = "1";
	sh.group = sh.groups = sh.group_threshold = 1;
	sh.member = 3;
	sh.members = 5;
	sh.member_threshold = 3;
	sh.fingerprint_hex = fp_hex;
	sh.fingerprint_words = fp_words;
	sh.protects = prot;
	sh.nprotects = 200; /* cannot fit on one page */
	ck_assert_int_eq(escrow_sheet_share(&sh, &out, &d), ESCROW_ERR_RENDER);
	ck_assert_ptr_null(d.data);
	sh.nprotects = 2;
	ck_assert_int_eq(escrow_sheet_share(&sh, &out, &d), ESCROW_OK);
	escrow_doc_free(&d);
	/* must fail: member beyond count, threshold beyond count, no words */
	sh.member = 6;
	ck_assert_int_eq(escrow_sheet_share(&sh, &out, &d), ESCROW_ERR_INVALID_ARG);
	sh.member = 5;
	sh.member_threshold = 6;
	ck_assert_int_eq(escrow_sheet_share(&sh, &out, &d), ESCROW_ERR_INVALID_ARG);
	sh.member_threshold = 3;
	sh.mnemonic = "   ";
	ck_assert_int_eq(escrow_sheet_share(&sh, &out, &d), ESCROW_ERR_INVALID_ARG);
}
END_TEST

START_TEST(test_sheets_envelope_pages_and_scan_back)
{
	size_t sizes[] = { 1300, 3000 };
	struct escrow_sheet_out out = { ESCROW_PAPER_A4, NULL, 0 };
	struct escrow_envelope_sheet e;
	struct escrow_doc d;
	char dir[4096];
	size_t s, i;
	int paper;

	snprintf(dir, sizeof dir, "%s", tu_mkdtemp());
	for (s = 0; s < 2; s++) {
		uint8_t *env = malloc(sizes[s]);

		escrow_random(env, sizes[s]);
		e.env = env;
		e.env_len = sizes[s];
		e.fingerprint_hex = fp_hex;
		e.title = NULL;
		for (paper = 0; paper < 2; paper++) {
			struct escrow_scan_result r;
			struct escrow_scan_opts so = { 0, 150, 0 };
			struct escrow_chunk_asm *a;
			unsigned pages = 0, missing[8];
			uint8_t *back = NULL;
			size_t blen = 0, nm = 0;
			char *text, path[4200];
			FILE *f;

			out.paper = (enum escrow_paper_size)paper;
			out.png_prefix = NULL;
			ck_assert_int_eq(escrow_sheet_envelope_pages(sizes[s],
			    out.paper, &pages), ESCROW_OK);
			ck_assert_int_eq(escrow_sheet_envelope(&e, &out, &d), ESCROW_OK);
			ck_assert_uint_eq(d.pages, pages);
			text = text_of(&d);
			/* the fingerprint and "page i of n" on every page */
			for (i = 1; i <= pages; i++) {
				char pg[32];

				snprintf(pg, sizeof pg, "page %zu of %u", i, pages);
				ck_assert_ptr_nonnull(strstr(text, pg));
			}
			{
				size_t count = 0;
				const char *p = text;

				while ((p = strstr(p, fp_hex)) != NULL) {
					count++;
					p++;
				}
				ck_assert_uint_ge(count, pages);
			}
			ck_assert_ptr_nonnull(strstr(text, "ESCROW-ENVELOPE V1 BYTES"));
			free(text);
			/* scan the PDF itself back (150 dpi keeps this quick) */
			snprintf(path, sizeof path, "%s/env-%zu-%d.pdf", dir, s,
			    paper);
			f = fopen(path, "wb");
			ck_assert_uint_eq(fwrite(d.data, 1, d.len, f), d.len);
			fclose(f);
			ck_assert_int_eq(escrow_scan_file(path, &so, &r), ESCROW_OK);
			ck_assert_uint_eq(r.npages, pages);
			ck_assert_uint_eq(r.pages[0].symbols, 12); /* 4 rows of 3 */
			a = escrow_chunk_asm_new(NULL);
			for (i = 0; i < r.count; i++)
				ck_assert_int_eq(escrow_chunk_asm_add(a, r.items[i].data,
				    r.items[i].len), ESCROW_OK);
			ck_assert_int_eq(escrow_chunk_asm_finish(a, &back, &blen,
			    missing, 8, &nm), ESCROW_OK);
			ck_assert(blen == sizes[s] && memcmp(back, env, blen) == 0);
			free(back);
			escrow_chunk_asm_free(a);
			escrow_scan_result_free(&r);
			escrow_doc_free(&d);
			if (s == 1) {
				out.png_prefix = preview(paper ? "envelope-letter" :
				    "envelope-a4");
				out.png_dpi = 100;
				ck_assert_int_eq(escrow_sheet_envelope(&e, &out, &d),
				    ESCROW_OK);
				escrow_doc_free(&d);
			}
		}
		free(env);
	}
	tu_rmrf(dir);
}
END_TEST

START_TEST(test_sheets_envelope_page_limit)
{
	struct escrow_sheet_out out = { ESCROW_PAPER_LETTER, NULL, 0 };
	struct escrow_envelope_sheet e;
	struct escrow_doc d;
	unsigned pages = 0, prev = 0;
	size_t n, big = 0;
	uint8_t *env;

	/* pages grow with the envelope; somewhere they pass the limit */
	for (n = 500; n <= ESCROW_CHUNK_MAX_ENVELOPE; n += 500) {
		int r = escrow_sheet_envelope_pages(n, out.paper, &pages);

		if (r == ESCROW_ERR_TOO_LARGE) {
			big = n;
			break;
		}
		ck_assert_int_eq(r, ESCROW_OK);
		ck_assert_uint_ge(pages, prev);
		ck_assert_uint_le(pages, ESCROW_SHEET_ENVELOPE_MAX_PAGES);
		prev = pages;
	}
	ck_assert_uint_gt(big, 3000);
	env = calloc(1, big);
	e.env = env;
	e.env_len = big;
	e.fingerprint_hex = fp_hex;
	e.title = NULL;
	ck_assert_int_eq(escrow_sheet_envelope(&e, &out, &d), ESCROW_ERR_TOO_LARGE);
	ck_assert_ptr_null(d.data);
	ck_assert_int_eq(escrow_sheet_envelope_pages(ESCROW_CHUNK_MAX_ENVELOPE + 1,
	    out.paper, &pages), ESCROW_ERR_TOO_LARGE);
	ck_assert_int_eq(escrow_sheet_envelope_pages(0, out.paper, &pages),
	    ESCROW_ERR_INVALID_ARG);
	free(env);
}
END_TEST

START_TEST(test_sheets_public_long_records_wrap)
{
	struct escrow_sheet_out out = { ESCROW_PAPER_A4, NULL, 0 };
	struct escrow_public_sheet p;
	struct escrow_doc d;
	const char *dnskey[6], *ds[12], *tags[6];
	char dsbuf[12][200], tagbuf[6][80], unbroken[2000], *text;
	int i, paper;

	for (i = 0; i < 6; i++) {
		dnskey[i] = dnskey_line(20000 + i);
		snprintf(tagbuf[i], sizeof tagbuf[i], "example.com. algorithm 8, "
		    "key tag %d (KSK, RSA 4096)", 20000 + i);
		tags[i] = tagbuf[i];
	}
	for (i = 0; i < 12; i++) {
		snprintf(dsbuf[i], sizeof dsbuf[i], "example.com. 3600 IN DS %d 8 %d "
		    "%s%s", 20000 + i / 2, i % 2 ? 4 : 2, fp_hex,
		    i % 2 ? "0123456789ABCDEF0123456789ABCDEF" : "");
		ds[i] = dsbuf[i];
	}
	/* one record with no space at all must still wrap */
	memset(unbroken, 'A', sizeof unbroken - 1);
	unbroken[sizeof unbroken - 1] = '\0';
	free((void *)(uintptr_t)dnskey[5]); /* strdup'd above */
	dnskey[5] = unbroken;
	memset(&p, 0, sizeof p);
	p.dnskey = dnskey;
	p.ndnskey = 6;
	p.ds = ds;
	p.nds = 12;
	p.keytags = tags;
	p.nkeytags = 6;
	p.fingerprint_hex = fp_hex;
	p.fingerprint_words = fp_words;
	for (paper = 0; paper < 2; paper++) {
		out.paper = (enum escrow_paper_size)paper;
		out.png_prefix = NULL;
		ck_assert_int_eq(escrow_sheet_public(&p, &out, &d), ESCROW_OK);
		ck_assert_uint_ge(d.pages, 2);
		text = text_of(&d);
		ck_assert_ptr_nonnull(strstr(text, "key tag 20005"));
		ck_assert_ptr_nonnull(strstr(text, "DNSKEY 257 3 8"));
		free(text);
		escrow_doc_free(&d);
		out.png_prefix = preview(paper ? "public-letter" : "public-a4");
		out.png_dpi = 100;
		ck_assert_int_eq(escrow_sheet_public(&p, &out, &d), ESCROW_OK);
		escrow_doc_free(&d);
	}
	for (i = 0; i < 5; i++)
		free((void *)(uintptr_t)dnskey[i]);
}
END_TEST

START_TEST(test_sheets_doc_write_exclusive_0600)
{
	struct escrow_sheet_out out = { ESCROW_PAPER_A4, NULL, 0 };
	struct escrow_public_sheet p;
	struct escrow_doc d;
	const char *dir = tu_mkdtemp();
	char path[4200];
	struct stat st;
	size_t len = 0;
	char *back;

	memset(&p, 0, sizeof p);
	p.fingerprint_hex = fp_hex;
	ck_assert_int_eq(escrow_sheet_public(&p, &out, &d), ESCROW_OK);
	snprintf(path, sizeof path, "%s/public.pdf", dir);
	ck_assert_int_eq(escrow_doc_write(&d, path), ESCROW_OK);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	back = tu_read_file(path, &len);
	ck_assert(len == d.len && memcmp(back, d.data, len) == 0);
	free(back);
	ck_assert_int_eq(escrow_doc_write(&d, path), ESCROW_ERR_EXISTS);
	escrow_doc_free(&d);
	escrow_doc_free(&d); /* twice is fine */
	tu_rmrf(dir);
}
END_TEST

Suite *
check_sheets_suite(void)
{
	Suite *s = suite_create("sheets");
	TCase *tc = tcase_create("sheets");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_sheets_share_largest_fits_both_papers);
	tcase_add_test(tc, test_sheets_share_overflow_is_an_error);
	tcase_add_test(tc, test_sheets_envelope_pages_and_scan_back);
	tcase_add_test(tc, test_sheets_envelope_page_limit);
	tcase_add_test(tc, test_sheets_public_long_records_wrap);
	tcase_add_test(tc, test_sheets_doc_write_exclusive_0600);
	suite_add_tcase(s, tc);
	return s;
}
