/*
 * scan.c - QR codes from grey images with libzbar in binary mode (exact
 * bytes, zbar_symbol_get_data_length), with clean-up retries (3x3 median,
 * 50% downscale, 50% threshold) for pages that give fewer symbols than
 * expected; and the classifier that tells a share from an envelope chunk.
 *
 * Secret: every payload (a share QR holds a SLIP-0039 mnemonic), and the
 * page images (they show the share QR).  Payloads are copied into
 * escrow_secret_alloc() memory and zbar's copy is wiped before its image
 * is destroyed; our pixel buffers are wiped before they are freed.  What
 * zbar's QR decoder keeps internally (its codeword buffers) we cannot
 * reach: see docs/FORMAT.md ("Secrets and what is beyond our control").
 */
#include <stdlib.h>
#include <string.h>

#include <zbar.h>

#include "escrow.h"
#include "escrow_paper.h"
#include "chunk_int.h"
#include "scan_int.h"
#include "escrow_slip39.h"

/* ---- classifier ---------------------------------------------------------- */

static int
known_word(const char *w, size_t n)
{
	char buf[ESCROW_SLIP39_WORD_MAX + 1];
	size_t i;
	int lo = 0, hi = 1023, mid, c;

	if (n == 0 || n > ESCROW_SLIP39_WORD_MAX)
		return 0;
	for (i = 0; i < n; i++)
		buf[i] = (char)((w[i] >= 'A' && w[i] <= 'Z') ? w[i] - 'A' + 'a' : w[i]);
	buf[n] = '\0';
	while (lo <= hi) {
		mid = (lo + hi) / 2;
		c = strcmp(buf, escrow_slip39_word((unsigned)mid));
		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return 0;
}

int
escrow_paper_is_wordlist_text(const uint8_t *p, size_t len)
{
	size_t i = 0, start, words = 0;

	while (i < len) {
		start = i;
		while (i < len && p[i] != ' ')
			i++;
		if (!known_word((const char *)p + start, i - start))
			return 0;
		words++;
		if (i < len) {
			i++; /* exactly one space between words */
			if (i == len)
				return 0;
		}
	}
	return words > 0;
}

enum escrow_payload_kind
escrow_payload_classify(const uint8_t *p, size_t len)
{
	size_t tl = sizeof ESCROW_CHUNK_TAG - 1;

	if (p == NULL || len == 0)
		return ESCROW_PAYLOAD_UNKNOWN;
	if (len > tl && memcmp(p, ESCROW_CHUNK_TAG, tl) == 0)
		return ESCROW_PAYLOAD_CHUNK;
	/* SLIP-0039 mnemonics have 20 or more words */
	if (len <= 33 * 9 * 2 && escrow_paper_is_wordlist_text(p, len)) {
		size_t i, words = 1;

		for (i = 0; i < len; i++)
			words += p[i] == ' ';
		if (words >= 20)
			return ESCROW_PAYLOAD_SHARE;
	}
	return ESCROW_PAYLOAD_UNKNOWN;
}

/* ---- results ------------------------------------------------------------- */

void
escrow_scan_result_free(struct escrow_scan_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < res->count; i++)
		escrow_secret_free(res->items[i].data);
	free(res->items);
	free(res->pages);
	memset(res, 0, sizeof *res);
}

/* Add a payload unless the same bytes are already on this page. */
static int
add_payload(struct escrow_scan_result *res, unsigned page, const char *data,
    size_t len, unsigned *added)
{
	struct escrow_scan_payload *items;
	uint8_t *copy;
	size_t i;

	for (i = 0; i < res->count; i++)
		if (res->items[i].page == page && res->items[i].len == len &&
		    memcmp(res->items[i].data, data, len) == 0)
			return ESCROW_OK;
	copy = escrow_secret_alloc(len + 1);
	if (copy == NULL)
		return ESCROW_ERR_NOMEM;
	memcpy(copy, data, len);
	copy[len] = '\0';
	items = realloc(res->items, (res->count + 1) * sizeof *items);
	if (items == NULL) {
		escrow_secret_free(copy);
		return ESCROW_ERR_NOMEM;
	}
	res->items = items;
	items[res->count].page = page;
	items[res->count].data = copy;
	items[res->count].len = len;
	res->count++;
	(*added)++;
	return ESCROW_OK;
}

/* ---- zbar ---------------------------------------------------------------- */

/* Scan one grey image; every QR payload found is added to res. */
static int
zbar_pass(const uint8_t *pix, unsigned w, unsigned h, unsigned page,
    struct escrow_scan_result *res, unsigned *added)
{
	zbar_image_scanner_t *sc = NULL;
	zbar_image_t *img = NULL;
	const zbar_symbol_t *sym;
	int ret = ESCROW_OK, n;

	sc = zbar_image_scanner_create();
	img = zbar_image_create();
	if (sc == NULL || img == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto out;
	}
	/* QR only, exact bytes: no charset guessing */
	if (zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0) != 0 ||
	    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1) != 0 ||
	    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1) != 0) {
		ret = ESCROW_ERR_UNSUPPORTED;
		goto out;
	}
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, w, h);
	zbar_image_set_data(img, pix, (unsigned long)w * h, NULL);
	n = zbar_scan_image(sc, img);
	if (n < 0) {
		ret = ESCROW_ERR_IMAGE;
		goto out;
	}
	for (sym = zbar_image_first_symbol(img); sym != NULL;
	    sym = zbar_symbol_next(sym)) {
		const char *d = zbar_symbol_get_data(sym);
		unsigned len = zbar_symbol_get_data_length(sym);

		if (zbar_symbol_get_type(sym) != ZBAR_QRCODE || d == NULL)
			continue;
		if (ret == ESCROW_OK)
			ret = add_payload(res, page, d, len, added);
		/* zbar's buffer is ours to wipe: it is heap memory the
		 * symbol owns, handed out const only by convention */
		escrow_wipe((void *)(uintptr_t)d, len);
	}
out:
	if (img != NULL) {
		zbar_image_set_data(img, NULL, 0, NULL);
		zbar_image_destroy(img);
	}
	if (sc != NULL)
		zbar_image_scanner_destroy(sc);
	return ret;
}

/* ---- clean-ups ------------------------------------------------------------ */

#define SORT2(a, b) do { uint8_t lo_ = (a) < (b) ? (a) : (b); \
	(b) = (a) < (b) ? (b) : (a); (a) = lo_; } while (0)

/* Median of 9 with a fixed exchange network (Paeth / Devillard). */
static uint8_t
median9(uint8_t *p)
{
	SORT2(p[1], p[2]); SORT2(p[4], p[5]); SORT2(p[7], p[8]);
	SORT2(p[0], p[1]); SORT2(p[3], p[4]); SORT2(p[6], p[7]);
	SORT2(p[1], p[2]); SORT2(p[4], p[5]); SORT2(p[7], p[8]);
	SORT2(p[0], p[3]); SORT2(p[5], p[8]); SORT2(p[4], p[7]);
	SORT2(p[3], p[6]); SORT2(p[1], p[4]); SORT2(p[2], p[5]);
	SORT2(p[4], p[7]); SORT2(p[4], p[2]); SORT2(p[6], p[4]);
	SORT2(p[4], p[2]);
	return p[4];
}

static void
clean_median(const uint8_t *src, uint8_t *dst, unsigned w, unsigned h)
{
	unsigned x, y;
	int dx, dy;
	uint8_t v[9];

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			int k = 0;

			if (y > 0 && x > 0 && y + 1 < h && x + 1 < w) {
				const uint8_t *c = src + (size_t)y * w + x;

				v[0] = c[-(long)w - 1]; v[1] = c[-(long)w]; v[2] = c[-(long)w + 1];
				v[3] = c[-1]; v[4] = c[0]; v[5] = c[1];
				v[6] = c[w - 1]; v[7] = c[w]; v[8] = c[w + 1];
				dst[(size_t)y * w + x] = median9(v);
				continue;
			}
			/* the border: neighbours clamped to the image */
			for (dy = -1; dy <= 1; dy++)
				for (dx = -1; dx <= 1; dx++) {
					long yy = (long)y + dy, xx = (long)x + dx;

					if (yy < 0)
						yy = 0;
					if (yy >= (long)h)
						yy = (long)h - 1;
					if (xx < 0)
						xx = 0;
					if (xx >= (long)w)
						xx = (long)w - 1;
					v[k++] = src[(size_t)yy * w + (size_t)xx];
				}
			dst[(size_t)y * w + x] = median9(v);
		}
}

static void
clean_downscale(const uint8_t *src, uint8_t *dst, unsigned w, unsigned h)
{
	unsigned x, y, w2 = w / 2, h2 = h / 2;

	for (y = 0; y < h2; y++)
		for (x = 0; x < w2; x++) {
			const uint8_t *p = src + (size_t)(2 * y) * w + 2 * x;

			dst[(size_t)y * w2 + x] =
			    (uint8_t)((p[0] + p[1] + p[w] + p[w + 1] + 2) / 4);
		}
}

static void
clean_threshold(const uint8_t *src, uint8_t *dst, unsigned w, unsigned h)
{
	size_t i, n = (size_t)w * h;

	for (i = 0; i < n; i++)
		dst[i] = src[i] < 128 ? 0 : 255;
}

static void
wipe_free(uint8_t *p, size_t n)
{
	if (p != NULL) {
		escrow_wipe(p, n);
		free(p);
	}
}

static int
add_page(struct escrow_scan_result *res, unsigned page, unsigned symbols,
    unsigned cleanup, unsigned expect)
{
	struct escrow_scan_page *pages;
	size_t i;

	/* a page scanned again (a retry) updates its entry */
	for (i = 0; i < res->npages; i++)
		if (res->pages[i].page == page) {
			res->pages[i].symbols += symbols;
			if (cleanup != 0)
				res->pages[i].cleanup = cleanup;
			return ESCROW_OK;
		}
	pages = realloc(res->pages, (res->npages + 1) * sizeof *pages);
	if (pages == NULL)
		return ESCROW_ERR_NOMEM;
	res->pages = pages;
	pages[res->npages].page = page;
	pages[res->npages].symbols = symbols;
	pages[res->npages].cleanup = cleanup;
	res->npages++;
	if (symbols < expect && res->first_failed_page == 0)
		res->first_failed_page = page;
	return ESCROW_OK;
}

/*
 * Chunk numbers seen, for the envelope of the first chunk in res: bit n
 * of seen[] for chunk n, and on `page` only in on_page[].  Returns the
 * chunk count (0 if no chunk).
 */
static unsigned
chunks_seen(const struct escrow_scan_result *res, unsigned page,
    uint8_t seen[32], uint8_t on_page[32])
{
	uint8_t id0[8], id[8];
	unsigned num, count = 0, cnt;
	size_t i;

	memset(seen, 0, 32);
	memset(on_page, 0, 32);
	for (i = 0; i < res->count; i++) {
		if (escrow_chunk_parse(res->items[i].data, res->items[i].len, id,
		    &num, &cnt, NULL) != ESCROW_OK)
			continue;
		if (count == 0) {
			memcpy(id0, id, 8);
			count = cnt;
		} else if (memcmp(id, id0, 8) != 0 || cnt != count) {
			continue;
		}
		seen[num / 8] |= (uint8_t)(1u << (num % 8));
		if (res->items[i].page == page)
			on_page[num / 8] |= (uint8_t)(1u << (num % 8));
	}
	return count;
}

#define BIT(a, n) (((a)[(n) / 8] >> ((n) % 8)) & 1)

/* A gap among the chunk numbers found on this page: one was missed. */
static int
page_has_gap(const struct escrow_scan_result *res, unsigned page)
{
	uint8_t seen[32], on[32];
	unsigned n, count = chunks_seen(res, page, seen, on), lo = 0, hi = 0;

	for (n = 1; n <= count; n++)
		if (BIT(on, n)) {
			if (lo == 0)
				lo = n;
			hi = n;
		}
	for (n = lo; n != 0 && n <= hi; n++)
		if (!BIT(on, n))
			return 1;
	return 0;
}

int
escrow_scan_retry_pages(const struct escrow_scan_result *res, unsigned *pages,
    size_t cap, size_t *n)
{
	uint8_t seen[32], on[32];
	unsigned count, m, nb;
	size_t i, k;

	*n = 0;
	count = chunks_seen(res, 0, seen, on);
	for (m = 1; m <= count; m++) {
		if (BIT(seen, m))
			continue;
		/* a missing chunk: retry the pages its neighbours are on */
		for (i = 0; i < res->count; i++) {
			unsigned num, cnt;

			if (escrow_chunk_parse(res->items[i].data, res->items[i].len,
			    NULL, &num, &cnt, NULL) != ESCROW_OK || cnt != count)
				continue;
			nb = res->items[i].page;
			if (num + 1 != m && num != m + 1)
				continue;
			for (k = 0; k < *n && pages[k] != nb; k++)
				;
			if (k == *n && *n < cap)
				pages[(*n)++] = nb;
		}
	}
	return ESCROW_OK;
}

void
escrow_scan_recount(struct escrow_scan_result *res,
    const struct escrow_scan_opts *opts)
{
	unsigned expect = (opts != NULL && opts->expect_per_page > 0) ?
	    opts->expect_per_page : 1;
	size_t i;

	res->first_failed_page = 0;
	for (i = 0; i < res->npages; i++)
		if (res->pages[i].symbols < expect &&
		    (res->first_failed_page == 0 ||
		    res->pages[i].page < res->first_failed_page))
			res->first_failed_page = res->pages[i].page;
}

int
escrow_scan_gray(const uint8_t *pix, unsigned width, unsigned height,
    size_t stride, unsigned page, const struct escrow_scan_opts *opts,
    struct escrow_scan_result *res)
{
	return escrow_scan_page(pix, width, height, stride, page, opts, res, 0);
}

int
escrow_scan_page(const uint8_t *pix, unsigned width, unsigned height,
    size_t stride, unsigned page, const struct escrow_scan_opts *opts,
    struct escrow_scan_result *res, int force)
{
	uint8_t *img = NULL, *tmp = NULL;
	size_t n, y;
	static const unsigned order[3] = { ESCROW_SCAN_CLEAN_DOWNSCALE,
	    ESCROW_SCAN_CLEAN_MEDIAN, ESCROW_SCAN_CLEAN_THRESHOLD };
	unsigned found = 0, expect, cleanup = 0, c, before, k;
	int ret;

	if (pix == NULL || res == NULL || width == 0 || height == 0 ||
	    stride < width)
		return ESCROW_ERR_INVALID_ARG;
	if ((size_t)width * height > ESCROW_SCAN_MAX_PIXELS)
		return ESCROW_ERR_IMAGE;
	expect = (opts != NULL && opts->expect_per_page > 0) ?
	    opts->expect_per_page : 1;
	n = (size_t)width * height;
	img = malloc(n);
	tmp = malloc(n);
	if (img == NULL || tmp == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto out;
	}
	for (y = 0; y < height; y++)
		memcpy(img + y * width, pix + y * stride, width);
	if (!force)
		ret = zbar_pass(img, width, height, page, res, &found);
	else
		ret = ESCROW_OK;
	/*
	 * Forced (a retry), too few symbols, or a gap in the chunk numbers:
	 * the clean-ups are tried in turn, each on the original image, the
	 * cheapest and (on sharp high-resolution pages) most effective first:
	 * the 50% downscale, then the 3x3 median, then the 50% threshold.
	 */
	for (k = 0; ret == ESCROW_OK && k < 3 &&
	    (force || found < expect || page_has_gap(res, page)) &&
	    !(opts != NULL && opts->no_cleanup); k++) {
		unsigned w = width, h = height;

		c = order[k];
		if (c == ESCROW_SCAN_CLEAN_MEDIAN) {
			clean_median(img, tmp, w, h);
		} else if (c == ESCROW_SCAN_CLEAN_DOWNSCALE) {
			if (w < 64 || h < 64)
				continue;
			clean_downscale(img, tmp, w, h);
			w /= 2;
			h /= 2;
		} else {
			clean_threshold(img, tmp, w, h);
		}
		before = found;
		ret = zbar_pass(tmp, w, h, page, res, &found);
		if (found > before)
			cleanup = c; /* the last clean-up that added a symbol */
	}
	if (ret == ESCROW_OK)
		ret = add_page(res, page, found, cleanup, expect);
out:
	wipe_free(img, n);
	wipe_free(tmp, n);
	return ret;
}
