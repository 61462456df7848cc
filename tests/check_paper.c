/*
 * check_paper.c - the envelope on paper and back, without printing: base32,
 * CRC-32, QR chunks split and assembled in every order (foreign, missing,
 * conflicting, corrupt chunks), the typeable text form and its typing
 * errors located to their line, the PNM parser's must-fail cases, the
 * payload classifier, and QR codes rendered to PNG (real libqrencode)
 * and scanned back byte for byte (real zbar, in process).
 *
 * Test data only: random envelopes and made-up mnemonics.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <sodium.h>

#include "escrow.h"
#include "escrow_paper.h"
#include "escrow_print.h"
#include "chunk_int.h"
#include "testutil.h"
#include "slip39_wordlist.h"

Suite *check_paper_suite(void);

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

static uint8_t *
random_env(size_t n)
{
	uint8_t *e = malloc(n);

	ck_assert_ptr_nonnull(e);
	escrow_random(e, n);
	return e;
}

/* ---- base32 and CRC ------------------------------------------------------- */

START_TEST(test_paper_base32_rfc4648_vectors)
{
	static const char *in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *out[] = { "", "MY", "MZXQ", "MZXW6", "MZXW6YQ",
	    "MZXW6YTB", "MZXW6YTBOI" };
	char buf[32];
	uint8_t dec[16];
	size_t i, n;

	for (i = 0; i < 7; i++) {
		ck_assert_int_eq(escrow_base32_encode((const uint8_t *)in[i],
		    strlen(in[i]), buf, sizeof buf), ESCROW_OK);
		ck_assert_str_eq(buf, out[i]);
		ck_assert_uint_eq(escrow_base32_len(strlen(in[i])), strlen(out[i]));
		ck_assert_int_eq(escrow_base32_decode(out[i], strlen(out[i]), dec,
		    sizeof dec, &n), ESCROW_OK);
		ck_assert_uint_eq(n, strlen(in[i]));
		ck_assert(memcmp(dec, in[i], n) == 0);
	}
	/* lower case is read too */
	ck_assert_int_eq(escrow_base32_decode("mzxw6ytboi", 10, dec, sizeof dec,
	    &n), ESCROW_OK);
	ck_assert(n == 6 && memcmp(dec, "foobar", 6) == 0);
	/* must fail: bad characters, impossible lengths, non-zero pad bits,
	 * padding, short buffers */
	ck_assert_int_eq(escrow_base32_decode("MZXW0", 5, dec, sizeof dec, &n),
	    ESCROW_ERR_FORMAT);
	ck_assert_int_eq(escrow_base32_decode("MZ1", 3, dec, sizeof dec, &n),
	    ESCROW_ERR_FORMAT);
	ck_assert_int_eq(escrow_base32_decode("M", 1, dec, sizeof dec, &n),
	    ESCROW_ERR_FORMAT);
	ck_assert_int_eq(escrow_base32_decode("MZ", 2, dec, sizeof dec, &n),
	    ESCROW_ERR_FORMAT); /* non-zero padding bits: not canonical */
	ck_assert_int_eq(escrow_base32_decode("MY", 2, dec, 0, &n),
	    ESCROW_ERR_BUFFER_TOO_SMALL);
	ck_assert_int_eq(escrow_base32_decode("M7", 2, dec, sizeof dec, &n),
	    ESCROW_ERR_FORMAT);
	ck_assert_int_eq(escrow_base32_decode("MY======", 8, dec, sizeof dec, &n),
	    ESCROW_ERR_FORMAT);
	ck_assert_int_eq(escrow_base32_encode((const uint8_t *)"f", 1, buf, 2),
	    ESCROW_ERR_BUFFER_TOO_SMALL);
}
END_TEST

START_TEST(test_paper_crc32_check_value)
{
	ck_assert_uint_eq(escrow_crc32((const uint8_t *)"123456789", 9),
	    0xCBF43926u);
	ck_assert_uint_eq(escrow_crc32(NULL, 0), 0);
}
END_TEST

/* ---- chunks --------------------------------------------------------------- */

static int
assemble(struct escrow_chunks *c, const size_t *order, size_t n, uint8_t **env,
    size_t *len, unsigned *missing, size_t *nmissing)
{
	const uint8_t *p[600];
	size_t l[600], i;

	ck_assert(n <= 600);
	for (i = 0; i < n; i++) {
		p[i] = (const uint8_t *)c->payload[order[i]];
		l[i] = strlen(c->payload[order[i]]);
	}
	return escrow_chunk_assemble(p, l, n, env, len, missing, 64, nmissing);
}

START_TEST(test_paper_chunk_every_order)
{
	size_t sizes[] = { 1, 111, 112, 113, 224, 1300, 3000 };
	size_t s, i, j, t, order[600];
	struct escrow_chunks c;

	for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		uint8_t *env = random_env(sizes[s]), *out = NULL;
		size_t len = 0, nm = 9;
		unsigned missing[64];

		ck_assert_int_eq(escrow_chunk_split(env, sizes[s], &c), ESCROW_OK);
		ck_assert_uint_eq(c.count, escrow_chunk_count(sizes[s]));
		ck_assert_uint_eq(c.count, (sizes[s] + 111) / 112);
		for (i = 0; i < c.count; i++) {
			/* every payload is QR alphanumeric and fits version 10-Q */
			ck_assert_uint_le(strlen(c.payload[i]), 221);
			ck_assert(strspn(c.payload[i],
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ1234567-:") ==
			    strlen(c.payload[i]));
			ck_assert_int_eq(escrow_payload_classify(
			    (const uint8_t *)c.payload[i], strlen(c.payload[i])),
			    ESCROW_PAYLOAD_CHUNK);
		}
		/* forward, backward, and shuffles with duplicates */
		for (t = 0; t < 12; t++) {
			size_t n = c.count;

			for (i = 0; i < c.count; i++)
				order[i] = t == 1 ? c.count - 1 - i : i;
			if (t >= 2) {
				for (i = c.count; i > 1; i--) {
					uint32_t r;

					escrow_random(&r, sizeof r);
					j = r % i;
					size_t tmp = order[i - 1];
					order[i - 1] = order[j];
					order[j] = tmp;
				}
				/* a few scanned twice */
				for (i = 0; i < 3 && n < 600; i++)
					order[n++] = order[i];
			}
			ck_assert_int_eq(assemble(&c, order, n, &out, &len, missing,
			    &nm), ESCROW_OK);
			ck_assert_uint_eq(len, sizes[s]);
			ck_assert(memcmp(out, env, len) == 0);
			ck_assert_uint_eq(nm, 0);
			free(out);
		}
		escrow_chunks_free(&c);
		free(env);
	}
	/* every order of a 4-chunk envelope */
	{
		uint8_t *env = random_env(400), *out;
		size_t a, b, d, e, len, nm;
		unsigned missing[4];

		ck_assert_int_eq(escrow_chunk_split(env, 400, &c), ESCROW_OK);
		ck_assert_uint_eq(c.count, 4);
		for (a = 0; a < 4; a++)
			for (b = 0; b < 4; b++)
				for (d = 0; d < 4; d++)
					for (e = 0; e < 4; e++) {
						size_t o[4] = { a, b, d, e };

						if (a == b || a == d || a == e || b == d ||
						    b == e || d == e)
							continue;
						ck_assert_int_eq(assemble(&c, o, 4, &out,
						    &len, missing, &nm), ESCROW_OK);
						ck_assert(len == 400 &&
						    memcmp(out, env, 400) == 0);
						free(out);
					}
		escrow_chunks_free(&c);
		free(env);
	}
}
END_TEST

START_TEST(test_paper_chunk_missing_listed)
{
	uint8_t *env = random_env(1300), *out = NULL;
	struct escrow_chunks c;
	size_t order[12], n = 0, i, len = 0, nm = 0;
	unsigned missing[64];

	ck_assert_int_eq(escrow_chunk_split(env, 1300, &c), ESCROW_OK);
	ck_assert_uint_eq(c.count, 12);
	for (i = 0; i < 12; i++)
		if (i != 2 && i != 6 && i != 11)
			order[n++] = i;
	ck_assert_int_eq(assemble(&c, order, n, &out, &len, missing, &nm),
	    ESCROW_ERR_CHUNK_MISSING);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(nm, 3);
	ck_assert_uint_eq(missing[0], 3);
	ck_assert_uint_eq(missing[1], 7);
	ck_assert_uint_eq(missing[2], 12);
	/* nothing at all */
	ck_assert_int_eq(assemble(&c, order, 0, &out, &len, missing, &nm),
	    ESCROW_ERR_NO_SYMBOL);
	escrow_chunks_free(&c);
	free(env);
}
END_TEST

START_TEST(test_paper_chunk_foreign_rejected)
{
	uint8_t *a = random_env(1300), *b = random_env(1300), *out = NULL;
	uint8_t sha[32];
	struct escrow_chunks ca, cb;
	struct escrow_chunk_asm *as;
	size_t i, len = 0, nm;
	unsigned missing[16];
	int r;

	ck_assert_int_eq(escrow_chunk_split(a, 1300, &ca), ESCROW_OK);
	ck_assert_int_eq(escrow_chunk_split(b, 1300, &cb), ESCROW_OK);
	/* first chunk decides; a chunk of B among A's is foreign */
	as = escrow_chunk_asm_new(NULL);
	ck_assert_ptr_nonnull(as);
	for (i = 0; i < ca.count; i++) {
		ck_assert_int_eq(escrow_chunk_asm_add(as, (const uint8_t *)ca.payload[i],
		    strlen(ca.payload[i])), ESCROW_OK);
		if (i == 4)
			ck_assert_int_eq(escrow_chunk_asm_add(as,
			    (const uint8_t *)cb.payload[5], strlen(cb.payload[5])),
			    ESCROW_ERR_CHUNK_FOREIGN);
	}
	ck_assert_int_eq(escrow_chunk_asm_finish(as, &out, &len, missing, 16, &nm),
	    ESCROW_OK);
	ck_assert(len == 1300 && memcmp(out, a, len) == 0);
	free(out);
	escrow_chunk_asm_free(as);
	/* with the fingerprint given, B's chunk is foreign even when first */
	crypto_hash_sha256(sha, a, 1300);
	as = escrow_chunk_asm_new(sha);
	ck_assert_int_eq(escrow_chunk_asm_add(as, (const uint8_t *)cb.payload[0],
	    strlen(cb.payload[0])), ESCROW_ERR_CHUNK_FOREIGN);
	for (i = ca.count; i-- > 0;)
		ck_assert_int_eq(escrow_chunk_asm_add(as,
		    (const uint8_t *)ca.payload[i], strlen(ca.payload[i])), ESCROW_OK);
	ck_assert_int_eq(escrow_chunk_asm_finish(as, &out, &len, missing, 16, &nm),
	    ESCROW_OK);
	ck_assert(memcmp(out, a, len) == 0);
	free(out);
	escrow_chunk_asm_free(as);
	/* the one-shot form reports it */
	{
		const uint8_t *p[3] = { (const uint8_t *)ca.payload[0],
		    (const uint8_t *)cb.payload[1], (const uint8_t *)ca.payload[1] };
		size_t l[3] = { strlen(ca.payload[0]), strlen(cb.payload[1]),
		    strlen(ca.payload[1]) };

		r = escrow_chunk_assemble(p, l, 3, &out, &len, missing, 16, &nm);
		ck_assert_int_eq(r, ESCROW_ERR_CHUNK_FOREIGN);
		ck_assert_ptr_null(out);
	}
	escrow_chunks_free(&ca);
	escrow_chunks_free(&cb);
	free(a);
	free(b);
}
END_TEST

/* Re-encode chunk `p` with one data byte changed and a valid CRC. */
static char *
forge(const char *p)
{
	size_t tl = strlen(ESCROW_CHUNK_TAG), blen, cap;
	uint8_t body[200];
	uint32_t crc;
	char *out;

	ck_assert_int_eq(escrow_base32_decode(p + tl, strlen(p) - tl, body,
	    sizeof body, &blen), ESCROW_OK);
	body[20] ^= 0x55; /* a data byte (header is 14 bytes) */
	crc = escrow_crc32(body, blen - 4);
	body[blen - 4] = (uint8_t)(crc >> 24);
	body[blen - 3] = (uint8_t)(crc >> 16);
	body[blen - 2] = (uint8_t)(crc >> 8);
	body[blen - 1] = (uint8_t)crc;
	cap = tl + escrow_base32_len(blen) + 1;
	out = malloc(cap);
	ck_assert_ptr_nonnull(out);
	memcpy(out, ESCROW_CHUNK_TAG, tl);
	ck_assert_int_eq(escrow_base32_encode(body, blen, out + tl, cap - tl),
	    ESCROW_OK);
	return out;
}

START_TEST(test_paper_chunk_conflict_and_corruption)
{
	uint8_t *env = random_env(1300), *out = NULL;
	struct escrow_chunks c;
	struct escrow_chunk_asm *as;
	size_t i, len, nm;
	unsigned missing[16];
	char *bad, *flip;

	ck_assert_int_eq(escrow_chunk_split(env, 1300, &c), ESCROW_OK);
	bad = forge(c.payload[4]);
	ck_assert_int_eq(escrow_chunk_parse((const uint8_t *)bad, strlen(bad),
	    NULL, NULL, NULL, NULL), ESCROW_OK);
	as = escrow_chunk_asm_new(NULL);
	for (i = 0; i < c.count; i++)
		ck_assert_int_eq(escrow_chunk_asm_add(as, (const uint8_t *)c.payload[i],
		    strlen(c.payload[i])), ESCROW_OK);
	/* identical duplicate fine, different content for chunk 5 is not */
	ck_assert_int_eq(escrow_chunk_asm_add(as, (const uint8_t *)c.payload[4],
	    strlen(c.payload[4])), ESCROW_OK);
	ck_assert_int_eq(escrow_chunk_asm_add(as, (const uint8_t *)bad,
	    strlen(bad)), ESCROW_ERR_CHUNK_CONFLICT);
	/* a single flipped character fails the CRC (or the base32) */
	flip = strdup(c.payload[3]);
	flip[40] = flip[40] == 'A' ? 'B' : 'A';
	ck_assert_int_lt(escrow_chunk_asm_add(as, (const uint8_t *)flip,
	    strlen(flip)), 0);
	ck_assert_int_eq(escrow_chunk_parse((const uint8_t *)flip, strlen(flip),
	    NULL, NULL, NULL, NULL), ESCROW_ERR_CHECKSUM);
	ck_assert_int_eq(escrow_chunk_asm_finish(as, &out, &len, missing, 16, &nm),
	    ESCROW_OK);
	ck_assert(memcmp(out, env, 1300) == 0);
	free(out);
	escrow_chunk_asm_free(as);
	/* a forged chunk assembled instead of the real one: the whole-envelope
	 * hash catches it */
	as = escrow_chunk_asm_new(NULL);
	for (i = 0; i < c.count; i++) {
		const char *p = i == 4 ? bad : c.payload[i];

		ck_assert_int_eq(escrow_chunk_asm_add(as, (const uint8_t *)p,
		    strlen(p)), ESCROW_OK);
	}
	ck_assert_int_eq(escrow_chunk_asm_finish(as, &out, &len, missing, 16, &nm),
	    ESCROW_ERR_DIGEST_MISMATCH);
	escrow_chunk_asm_free(as);
	/* not chunks at all */
	ck_assert_int_eq(escrow_chunk_parse((const uint8_t *)"ESCROW-E1:", 10,
	    NULL, NULL, NULL, NULL), ESCROW_ERR_FORMAT);
	ck_assert_int_eq(escrow_chunk_parse((const uint8_t *)"HELLO", 5,
	    NULL, NULL, NULL, NULL), ESCROW_ERR_FORMAT);
	escrow_chunks_free(&c);
	ck_assert_int_eq(escrow_chunk_split(env, 0, &c), ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_chunk_split(env, ESCROW_CHUNK_MAX_ENVELOPE + 1, &c),
	    ESCROW_ERR_TOO_LARGE);
	free(flip);
	free(bad);
	free(env);
}
END_TEST

START_TEST(test_paper_chunk_hostile_payloads)
{
	uint8_t buf[400];
	size_t i, n;
	int r;

	for (i = 0; i < 3000; i++) {
		uint32_t x;

		escrow_random(&x, sizeof x);
		n = x % sizeof buf;
		escrow_random(buf, n);
		if (i % 2 == 0 && n > 10)
			memcpy(buf, ESCROW_CHUNK_TAG, 10);
		if (i % 4 == 0) /* valid alphabet, random content */
			for (size_t k = 10; k < n; k++)
				buf[k] = (uint8_t)"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[buf[k] % 32];
		r = escrow_chunk_parse(buf, n, NULL, NULL, NULL, NULL);
		ck_assert(r == ESCROW_ERR_FORMAT || r == ESCROW_ERR_CHECKSUM);
		(void)escrow_payload_classify(buf, n);
	}
}
END_TEST

/* ---- text form ------------------------------------------------------------ */

START_TEST(test_paper_text_round_trip)
{
	size_t sizes[] = { 1, 19, 20, 21, 1300, 3000 };
	size_t s;

	for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		uint8_t *env = random_env(sizes[s]), *out = NULL;
		char *text = NULL;
		size_t tl = 0, len = 0;
		unsigned bad = 99;

		ck_assert_int_eq(escrow_textform_encode(env, sizes[s], &text, &tl),
		    ESCROW_OK);
		ck_assert_uint_eq(tl, strlen(text));
		ck_assert_int_eq(escrow_textform_decode(text, tl, &out, &len, &bad),
		    ESCROW_OK);
		ck_assert_uint_eq(bad, 0);
		ck_assert(len == sizes[s] && memcmp(out, env, len) == 0);
		free(out);
		free(text);
		free(env);
	}
}
END_TEST

/* Lower case, extra and missing spaces, tabs, CRLF, blank lines and a
 * colon after the number all read the same. */
START_TEST(test_paper_text_tolerant_of_case_and_spacing)
{
	uint8_t *env = random_env(101), *out = NULL;
	char *text = NULL, *messy;
	size_t tl, i, o = 0, len;
	unsigned bad;
	int col = 0;

	ck_assert_int_eq(escrow_textform_encode(env, 101, &text, &tl), ESCROW_OK);
	messy = malloc(tl * 3 + 16);
	messy[o++] = '\n';
	for (i = 0; i < tl; i++) {
		char c = text[i];

		if (c == '\n') {
			messy[o++] = '\r';
			messy[o++] = '\n';
			messy[o++] = '\n';
			col = 0;
			continue;
		}
		if (c >= 'A' && c <= 'Z' && i % 2 == 0)
			c = (char)(c - 'A' + 'a');
		/* data lines: "001:" then the groups re-spaced at random */
		if (text[i - col] >= '0' && text[i - col] <= '9' && col >= 3) {
			if (col == 3) {
				messy[o++] = ':';
				messy[o++] = '\t';
			} else if (c != ' ') {
				messy[o++] = c;
				if (i % 5 == 0)
					messy[o++] = ' ';
				if (i % 11 == 0)
					messy[o++] = '\t';
			}
			col++;
			continue;
		}
		messy[o++] = c;
		if (c == ' ' && i % 2 == 0)
			messy[o++] = ' ';
		col++;
	}
	ck_assert_int_eq(escrow_textform_decode(messy, o, &out, &len, &bad),
	    ESCROW_OK);
	ck_assert(len == 101 && memcmp(out, env, 101) == 0);
	free(out);
	free(messy);
	free(text);
	free(env);
}
END_TEST

/* Replace the first character of group g on data line `line`. */
static char *
typo(const char *text, unsigned line, int group, char with)
{
	char *t = strdup(text), *p = t;
	unsigned l;
	int g;

	for (l = 0; l < line; l++)
		p = strchr(p, '\n') + 1; /* line 0 is the header */
	p = strchr(p, ' ');     /* after the number */
	for (g = 0; g < group; g++) {
		while (*p == ' ')
			p++;
		p = strchr(p, ' ');
	}
	while (*p == ' ')
		p++;
	*p = (*p == with) ? (with == 'A' ? 'B' : 'A') : with;
	return t;
}

START_TEST(test_paper_text_typing_error_located)
{
	uint8_t *env = random_env(1300), *out = NULL;
	char *text = NULL, *t, *p, *q;
	size_t tl, len;
	unsigned bad = 0;
	int line;

	ck_assert_int_eq(escrow_textform_encode(env, 1300, &text, &tl), ESCROW_OK);
	/* one wrong character on line 17, 1, 65 (the last) */
	for (line = 1; line <= 65; line += 16) {
		t = typo(text, (unsigned)line, 3, 'Q');
		ck_assert_int_eq(escrow_textform_decode(t, strlen(t), &out, &len,
		    &bad), ESCROW_ERR_LINE_CHECKSUM);
		ck_assert_uint_eq(bad, (unsigned)line);
		ck_assert_ptr_null(out);
		free(t);
	}
	/* a mistyped check group */
	t = typo(text, 17, 8, 'Q');
	ck_assert_int_eq(escrow_textform_decode(t, strlen(t), &out, &len, &bad),
	    ESCROW_ERR_LINE_CHECKSUM);
	ck_assert_uint_eq(bad, 17);
	free(t);
	/* a character outside the alphabet (zero for O) */
	t = typo(text, 30, 2, '0');
	ck_assert_int_eq(escrow_textform_decode(t, strlen(t), &out, &len, &bad),
	    ESCROW_ERR_LINE_CHECKSUM);
	ck_assert_uint_eq(bad, 30);
	free(t);
	/* a dropped character */
	t = strdup(text);
	p = strstr(t, "\n040 ") + 6;
	memmove(p, p + 1, strlen(p + 1) + 1);
	ck_assert_int_eq(escrow_textform_decode(t, strlen(t), &out, &len, &bad),
	    ESCROW_ERR_LINE_CHECKSUM);
	ck_assert_uint_eq(bad, 40);
	free(t);
	/* a line left out */
	t = strdup(text);
	p = strstr(t, "\n012 ") + 1;
	q = strchr(p, '\n') + 1;
	memmove(p, q, strlen(q) + 1);
	ck_assert_int_eq(escrow_textform_decode(t, strlen(t), &out, &len, &bad),
	    ESCROW_ERR_CHUNK_MISSING);
	ck_assert_uint_eq(bad, 12);
	free(t);
	/* two lines swapped: each check binds its line number */
	t = strdup(text);
	p = strstr(t, "\n020 ") + 1;
	q = strstr(t, "\n021 ") + 1;
	{
		/* same numbers, contents exchanged (full lines: same length) */
		char tmp[128];
		size_t n = (size_t)(strchr(p, '\n') - p) - 3;

		memcpy(tmp, p + 3, n);
		memcpy(p + 3, q + 3, n);
		memcpy(q + 3, tmp, n);
	}
	ck_assert_int_eq(escrow_textform_decode(t, strlen(t), &out, &len, &bad),
	    ESCROW_ERR_LINE_CHECKSUM);
	ck_assert_uint_eq(bad, 20);
	free(t);
	/* the final SHA-256 line wrong */
	t = strdup(text);
	p = strstr(t, "SHA256 ") + 7;
	*p = *p == 'F' ? '0' : 'F';
	ck_assert_int_eq(escrow_textform_decode(t, strlen(t), &out, &len, &bad),
	    ESCROW_ERR_DIGEST_MISMATCH);
	ck_assert_uint_eq(bad, 66);
	free(t);
	/* cut short: no SHA-256 line, no header, trailing rubbish */
	t = strdup(text);
	*strstr(t, "SHA256") = '\0';
	ck_assert_int_eq(escrow_textform_decode(t, strlen(t), &out, &len, &bad),
	    ESCROW_ERR_TRUNCATED);
	free(t);
	ck_assert_int_eq(escrow_textform_decode("", 0, &out, &len, &bad),
	    ESCROW_ERR_TRUNCATED);
	ck_assert_int_eq(escrow_textform_decode(strchr(text, '\n') + 1,
	    strlen(strchr(text, '\n') + 1), &out, &len, &bad), ESCROW_ERR_FORMAT);
	t = malloc(tl + 8);
	memcpy(t, text, tl);
	memcpy(t + tl, "001 AB\n", 8);
	ck_assert_int_eq(escrow_textform_decode(t, tl + 7, &out, &len, &bad),
	    ESCROW_ERR_TRAILING);
	free(t);
	/* lines numbered past the header's LINES, with valid line checks
	 * (taken from the text of a longer envelope): refused at the first
	 * one, naming it, never written past the buffer */
	{
		uint8_t *big = random_env(1300 + 2001 * 20);
		char *bt = NULL, *from, *to;
		size_t btl, head, extra;

		memcpy(big, env, 1300);
		ck_assert_int_eq(escrow_textform_encode(big, 1300 + 2001 * 20,
		    &bt, &btl), ESCROW_OK);
		from = strstr(bt, "\n0066 ") + 1; /* 2066 lines: 4 digits */
		for (extra = 1; extra <= 2000; extra += 1999) {
			char num[16];

			snprintf(num, sizeof num, "\n%04zu ", 65 + extra + 1);
			to = strstr(bt, num) + 1;
			head = (size_t)(strstr(text, "SHA256") - text);
			t = malloc(tl + (size_t)(to - from) + 1);
			memcpy(t, text, head);
			memcpy(t + head, from, (size_t)(to - from));
			memcpy(t + head + (size_t)(to - from), text + head,
			    tl - head + 1);
			ck_assert_int_eq(escrow_textform_decode(t, strlen(t), &out,
			    &len, &bad), ESCROW_ERR_TRAILING);
			ck_assert_uint_eq(bad, 66);
			ck_assert_ptr_null(out);
			free(t);
		}
		free(bt);
		free(big);
	}
	/* a header that lies about the size */
	t = strdup(text);
	p = strstr(t, "BYTES 1300");
	memcpy(p, "BYTES 1200", 10);
	ck_assert_int_eq(escrow_textform_decode(t, strlen(t), &out, &len, &bad),
	    ESCROW_ERR_FORMAT);
	free(t);
	free(text);
	free(env);
}
END_TEST

START_TEST(test_paper_text_hostile_input)
{
	uint8_t *env = random_env(300), *out = NULL;
	char *text = NULL, *t;
	size_t tl, len, i;
	unsigned bad;
	int r;

	ck_assert_int_eq(escrow_textform_encode(env, 300, &text, &tl), ESCROW_OK);
	t = malloc(tl + 1);
	for (i = 0; i < 4000; i++) {
		uint32_t x[3];
		size_t n = tl, k;

		memcpy(t, text, tl);
		escrow_random(x, sizeof x);
		for (k = 0; k < 1 + x[0] % 4; k++) {
			uint32_t y[2];

			escrow_random(y, sizeof y);
			t[y[0] % tl] = (char)(y[1] & 0xff);
		}
		if (x[1] % 5 == 0)
			n = x[2] % tl; /* truncated anywhere */
		r = escrow_textform_decode(t, n, &out, &len, &bad);
		if (r == ESCROW_OK) {
			/* only harmless changes (case, spaces) may pass */
			ck_assert(len == 300 && memcmp(out, env, 300) == 0);
			free(out);
		} else {
			ck_assert_ptr_null(out);
			ck_assert_int_lt(r, 0);
		}
	}
	/* pure noise, and a header asking for a huge envelope */
	for (i = 0; i < 500; i++) {
		char noise[512];

		escrow_random(noise, sizeof noise);
		ck_assert_int_lt(escrow_textform_decode(noise, i, &out, &len, &bad), 0);
	}
	r = escrow_textform_decode("ESCROW-ENVELOPE V1 BYTES 9999999 LINES 500000\n",
	    46, &out, &len, &bad);
	ck_assert_int_eq(r, ESCROW_ERR_FORMAT);
	free(t);
	free(text);
	free(env);
}
END_TEST

/* ---- known answers from an independent implementation -------------------- */

START_TEST(test_paper_known_answers_match_reference)
{
	struct json_object *j = tu_load_json(tu_vector_path("paper/paper_kat.json"));
	struct json_object *cases, *c, *v;
	size_t i, k, n;

	ck_assert(json_object_object_get_ex(j, "cases", &cases));
	ck_assert_uint_ge(json_object_array_length(cases), 2);
	for (i = 0; i < json_object_array_length(cases); i++) {
		struct escrow_chunks ch;
		uint8_t env[512], *back = NULL;
		char *text = NULL;
		size_t tl, blen;
		unsigned bad;
		long len;

		c = json_object_array_get_idx(cases, i);
		ck_assert(json_object_object_get_ex(c, "envelope_hex", &v));
		len = tu_unhex(json_object_get_string(v), env, sizeof env);
		ck_assert_int_gt(len, 0);
		ck_assert_int_eq(escrow_chunk_split(env, (size_t)len, &ch), ESCROW_OK);
		ck_assert(json_object_object_get_ex(c, "chunks", &v));
		n = json_object_array_length(v);
		ck_assert_uint_eq(ch.count, n);
		for (k = 0; k < n; k++)
			ck_assert_str_eq(ch.payload[k],
			    json_object_get_string(json_object_array_get_idx(v, k)));
		escrow_chunks_free(&ch);
		ck_assert_int_eq(escrow_textform_encode(env, (size_t)len, &text, &tl),
		    ESCROW_OK);
		ck_assert(json_object_object_get_ex(c, "text", &v));
		ck_assert_str_eq(text, json_object_get_string(v));
		ck_assert_int_eq(escrow_textform_decode(json_object_get_string(v),
		    strlen(json_object_get_string(v)), &back, &blen, &bad), ESCROW_OK);
		ck_assert(blen == (size_t)len && memcmp(back, env, blen) == 0);
		free(back);
		free(text);
	}
	json_object_put(j);
}
END_TEST

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
	uint8_t *env = random_env(300), bin[200];
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

Suite *
check_paper_suite(void)
{
	Suite *s = suite_create("paper");
	TCase *tc = tcase_create("paper");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_paper_base32_rfc4648_vectors);
	tcase_add_test(tc, test_paper_crc32_check_value);
	tcase_add_test(tc, test_paper_known_answers_match_reference);
	tcase_add_test(tc, test_paper_chunk_every_order);
	tcase_add_test(tc, test_paper_chunk_missing_listed);
	tcase_add_test(tc, test_paper_chunk_foreign_rejected);
	tcase_add_test(tc, test_paper_chunk_conflict_and_corruption);
	tcase_add_test(tc, test_paper_chunk_hostile_payloads);
	tcase_add_test(tc, test_paper_text_round_trip);
	tcase_add_test(tc, test_paper_text_tolerant_of_case_and_spacing);
	tcase_add_test(tc, test_paper_text_typing_error_located);
	tcase_add_test(tc, test_paper_text_hostile_input);
	tcase_add_test(tc, test_paper_pnm_must_fail);
	tcase_add_test(tc, test_paper_qr_png_scan_exact);
	tcase_add_test(tc, test_paper_scan_cleanup_rescues_noise);
	tcase_add_test(tc, test_paper_classify_payloads);
	suite_add_tcase(s, tc);
	return s;
}
