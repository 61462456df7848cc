/*
 * check_textform.c - printing/textform.c: the typeable text form of an
 * envelope, round trips, tolerance of case and spacing, every typing error
 * located to its line, hostile input.
 *
 * Test data only: random envelopes.
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

Suite *check_textform_suite(void);


/* ---- text form ------------------------------------------------------------ */

START_TEST(test_paper_text_round_trip)
{
	size_t sizes[] = { 1, 19, 20, 21, 1300, 3000 };
	size_t s;

	for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		uint8_t *env = tu_random_bytes(sizes[s]), *out = NULL;
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
	uint8_t *env = tu_random_bytes(101), *out = NULL;
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
	uint8_t *env = tu_random_bytes(1300), *out = NULL;
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
		uint8_t *big = tu_random_bytes(1300 + 2001 * 20);
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
	/* typos in the header: BYTES that disagrees with LINES, BYTES that
	 * agrees with LINES (it blamed the last data line before the header
	 * had a check), LINES, the check itself: all name the header (0) */
	{
		static const struct {
			const char *from, *to;
		} typos[] = { { "BYTES 1300", "BYTES 1200" },
		    { "BYTES 1300", "BYTES 1290" }, { "LINES 65", "LINES 66" } };
		size_t k;

		for (k = 0; k < sizeof typos / sizeof typos[0]; k++) {
			t = strdup(text);
			p = strstr(t, typos[k].from);
			ck_assert_ptr_nonnull(p);
			memcpy(p, typos[k].to, strlen(typos[k].to));
			bad = 99;
			ck_assert_int_eq(escrow_textform_decode(t, strlen(t), &out, &len,
			    &bad), ESCROW_ERR_LINE_CHECKSUM);
			ck_assert_uint_eq(bad, 0);
			free(t);
		}
		/* the check mistyped */
		t = strdup(text);
		p = strchr(t, '\n');
		p[-1] = p[-1] == 'A' ? 'B' : 'A';
		ck_assert_int_eq(escrow_textform_decode(t, strlen(t), &out, &len,
		    &bad), ESCROW_ERR_LINE_CHECKSUM);
		ck_assert_uint_eq(bad, 0);
		/* a header without a check (printed before it existed) reads */
		memmove(p - 6, p, strlen(p) + 1);
		ck_assert_int_eq(escrow_textform_decode(t, strlen(t), &out, &len,
		    &bad), ESCROW_OK);
		ck_assert(len == 1300 && memcmp(out, env, 1300) == 0);
		free(out);
		free(t);
	}
	free(text);
	free(env);
}
END_TEST

START_TEST(test_paper_text_hostile_input)
{
	uint8_t *env = tu_random_bytes(300), *out = NULL;
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
	ck_assert_int_eq(r, ESCROW_ERR_FORMAT); /* over 1 MiB */
	free(t);
	free(text);
	free(env);
}
END_TEST

/* Every line with a typing error is listed, not only the first. */
START_TEST(test_textform_every_bad_line_listed)
{
	static const struct {
		unsigned lines[4]; /* lines given a typo (0 ends) */
		size_t n;
	} cases[] = { { { 0 }, 0 }, { { 1, 0 }, 1 }, { { 2, 9, 0 }, 2 },
	    { { 1, 5, 10, 0 }, 3 } };
	uint8_t *env = tu_random_bytes(200);
	char *text = NULL;
	size_t tl, ci;

	ck_assert_int_eq(escrow_textform_encode(env, 200, &text, &tl), ESCROW_OK);
	for (ci = 0; ci < sizeof cases / sizeof cases[0]; ci++) {
		char *t = strdup(text), *p;
		unsigned bad[8];
		size_t nb = 99, k;

		ck_assert_ptr_nonnull(t);
		for (k = 0; cases[ci].lines[k] != 0; k++) {
			char num[16];

			snprintf(num, sizeof num, "\n%03u ", cases[ci].lines[k]);
			p = strstr(t, num);
			ck_assert_ptr_nonnull(p);
			/* the first data character: a letter that is not there */
			p[6] = p[6] == 'A' ? 'B' : 'A';
		}
		ck_assert_int_eq(escrow_textform_bad_lines(t, tl, bad, 8, &nb),
		    ESCROW_OK);
		ck_assert_uint_eq(nb, cases[ci].n);
		for (k = 0; k < nb; k++)
			ck_assert_uint_eq(bad[k], cases[ci].lines[k]);
		free(t);
	}
	ck_assert_int_eq(escrow_textform_bad_lines("ESCROW-ENVELOPE V1 BYTES 9",
	    26, NULL, 0, &tl), ESCROW_ERR_FORMAT);
	free(text);
	free(env);
}
END_TEST

Suite *
check_textform_suite(void)
{
	const TTest *tests[] = {
		test_paper_text_round_trip,
		test_paper_text_tolerant_of_case_and_spacing,
		test_paper_text_typing_error_located,
		test_paper_text_hostile_input,
		test_textform_every_bad_line_listed,
	};

	return TU_SUITE("textform", tests, 300);
}
