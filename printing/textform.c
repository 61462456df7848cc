/*
 * textform.c - the typeable text form of an envelope: a header line,
 * numbered lines of base32 in groups of 4 with a 4-character check on
 * every line, and a final SHA-256 line.  Format: docs/FORMAT.md
 * ("The typeable text form").  The parser reads hostile input (it is
 * fuzzed): it never trusts a length it has not checked.
 *
 * Public data only (the envelope is encrypted).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "escrow_bytes.h"
#include "escrow.h"
#include "escrow_paper.h"
#include "chunk_int.h"

#define HEADER_WORD "ESCROW-ENVELOPE"
#define FOOTER_WORD "SHA256"
#define CHECK_CHARS 4
#define LINE_CHARS 32            /* base32 characters of a full line */
#define MAX_TEXT_ENVELOPE (1u << 20)
#define MAX_LINE 4096            /* longer lines are not typed by anyone */

/* The 4-character check of data line `number` holding `len` bytes:
 * the first 20 bits of SHA-256(number as 2 bytes big endian || bytes). */
static void
line_check(unsigned number, const uint8_t *p, size_t len, char out[CHECK_CHARS + 1])
{
	crypto_hash_sha256_state st;
	uint8_t h[32], nb[2];
	char b32[8];

	escrow_put16(nb, (uint16_t)number);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, nb, 2);
	crypto_hash_sha256_update(&st, p, len);
	crypto_hash_sha256_final(&st, h);
	/* 3 bytes give 5 characters; the first 4 are the first 20 bits */
	if (escrow_base32_encode(h, 3, b32, sizeof b32) != ESCROW_OK)
		b32[0] = '\0';
	memcpy(out, b32, CHECK_CHARS);
	out[CHECK_CHARS] = '\0';
}

static unsigned
digits(unsigned n)
{
	unsigned d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

int
escrow_textform_encode(const uint8_t *env, size_t env_len, char **text,
    size_t *text_len)
{
	uint8_t hash[32];
	char *buf = NULL, b32[LINE_CHARS + 8], chk[CHECK_CHARS + 1];
	size_t lines, cap, off = 0, l, dlen, k, n;
	unsigned width;
	int w, ret = ESCROW_OK;

	if (text == NULL || env == NULL || env_len == 0)
		return ESCROW_ERR_INVALID_ARG;
	*text = NULL;
	if (text_len != NULL)
		*text_len = 0;
	if (env_len > MAX_TEXT_ENVELOPE)
		return ESCROW_ERR_TOO_LARGE;
	lines = (env_len + ESCROW_TEXT_LINE_BYTES - 1) / ESCROW_TEXT_LINE_BYTES;
	width = digits((unsigned)lines) < 3 ? 3 : digits((unsigned)lines);
	cap = 64 + lines * (width + 2 + LINE_CHARS / 4 * 5 + 2 + CHECK_CHARS + 1)
	    + 8 + 16 * 5 + 2;
	buf = malloc(cap);
	if (buf == NULL)
		return ESCROW_ERR_NOMEM;
	w = snprintf(buf, cap, "%s V1 BYTES %zu LINES %zu\n", HEADER_WORD,
	    env_len, lines);
	if (w < 0 || (size_t)w >= cap) {
		ret = ESCROW_ERR_BUFFER_TOO_SMALL;
		goto out;
	}
	off = (size_t)w;
	for (l = 0; l < lines; l++) {
		const uint8_t *p = env + l * ESCROW_TEXT_LINE_BYTES;

		dlen = env_len - l * ESCROW_TEXT_LINE_BYTES;
		if (dlen > ESCROW_TEXT_LINE_BYTES)
			dlen = ESCROW_TEXT_LINE_BYTES;
		ret = escrow_base32_encode(p, dlen, b32, sizeof b32);
		if (ret != ESCROW_OK)
			goto out;
		line_check((unsigned)(l + 1), p, dlen, chk);
		w = snprintf(buf + off, cap - off, "%0*zu ", (int)width, l + 1);
		if (w < 0 || (size_t)w >= cap - off) {
			ret = ESCROW_ERR_BUFFER_TOO_SMALL;
			goto out;
		}
		off += (size_t)w;
		n = strlen(b32);
		for (k = 0; k < n; k++) {
			if (k % 4 == 0)
				buf[off++] = ' ';
			buf[off++] = b32[k];
		}
		w = snprintf(buf + off, cap - off, "  %s\n", chk);
		if (w < 0 || (size_t)w >= cap - off) {
			ret = ESCROW_ERR_BUFFER_TOO_SMALL;
			goto out;
		}
		off += (size_t)w;
	}
	crypto_hash_sha256(hash, env, env_len);
	w = snprintf(buf + off, cap - off, "%s", FOOTER_WORD);
	if (w < 0 || (size_t)w >= cap - off) {
		ret = ESCROW_ERR_BUFFER_TOO_SMALL;
		goto out;
	}
	off += (size_t)w;
	for (k = 0; k < 32; k += 2) {
		w = snprintf(buf + off, cap - off, " %02X%02X", hash[k], hash[k + 1]);
		if (w < 0 || (size_t)w >= cap - off) {
			ret = ESCROW_ERR_BUFFER_TOO_SMALL;
			goto out;
		}
		off += (size_t)w;
	}
	if (off + 2 > cap) {
		ret = ESCROW_ERR_BUFFER_TOO_SMALL;
		goto out;
	}
	buf[off++] = '\n';
	buf[off] = '\0';
	*text = buf;
	buf = NULL;
	if (text_len != NULL)
		*text_len = off;
out:
	free(buf);
	return ret;
}

/* ---- parsing -------------------------------------------------------------- */

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int
upper(int c)
{
	return (c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c;
}

/* Does the line (no spaces skipped yet) start with word, any case, followed
 * by a space or the end?  *rest gets what follows. */
static int
starts_word(const char *s, size_t n, const char *word, size_t *rest)
{
	size_t i, wl = strlen(word);

	if (n < wl)
		return 0;
	for (i = 0; i < wl; i++)
		if (upper((unsigned char)s[i]) != word[i])
			return 0;
	if (n > wl && !is_space((unsigned char)s[wl]))
		return 0;
	*rest = wl;
	return 1;
}

/* Next whitespace-separated token of s[*i..n). */
static int
token(const char *s, size_t n, size_t *i, const char **tok, size_t *tlen)
{
	while (*i < n && is_space((unsigned char)s[*i]))
		(*i)++;
	if (*i >= n)
		return 0;
	*tok = s + *i;
	while (*i < n && !is_space((unsigned char)s[*i]))
		(*i)++;
	*tlen = (size_t)(s + *i - *tok);
	return 1;
}

/* A decimal number of 1..7 digits. */
static int
number(const char *t, size_t n, size_t *v)
{
	size_t i, x = 0;

	if (n == 0 || n > 7)
		return 0;
	for (i = 0; i < n; i++) {
		if (t[i] < '0' || t[i] > '9')
			return 0;
		x = x * 10 + (size_t)(t[i] - '0');
	}
	*v = x;
	return 1;
}

static int
token_is(const char *t, size_t n, const char *word)
{
	size_t i;

	if (n != strlen(word))
		return 0;
	for (i = 0; i < n; i++)
		if (upper((unsigned char)t[i]) != word[i])
			return 0;
	return 1;
}

static int
parse_header(const char *s, size_t n, size_t *bytes, size_t *lines)
{
	const char *t;
	size_t tl, i = 0;

	if (!token(s, n, &i, &t, &tl) || !token_is(t, tl, HEADER_WORD) ||
	    !token(s, n, &i, &t, &tl) || !token_is(t, tl, "V1") ||
	    !token(s, n, &i, &t, &tl) || !token_is(t, tl, "BYTES") ||
	    !token(s, n, &i, &t, &tl) || !number(t, tl, bytes) ||
	    !token(s, n, &i, &t, &tl) || !token_is(t, tl, "LINES") ||
	    !token(s, n, &i, &t, &tl) || !number(t, tl, lines) ||
	    token(s, n, &i, &t, &tl))
		return 0;
	if (*bytes == 0 || *bytes > MAX_TEXT_ENVELOPE ||
	    *lines != (*bytes + ESCROW_TEXT_LINE_BYTES - 1) / ESCROW_TEXT_LINE_BYTES)
		return 0;
	return 1;
}

static int
hexval(int c)
{
	c = upper(c);
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The SHA-256 line: 64 hex digits, spaces anywhere. */
static int
parse_footer(const char *s, size_t n, uint8_t hash[32])
{
	size_t i, k = 0;
	int v;

	for (i = 0; i < n; i++) {
		if (is_space((unsigned char)s[i]))
			continue;
		v = hexval((unsigned char)s[i]);
		if (v < 0 || k >= 64)
			return 0;
		if (k % 2 == 0)
			hash[k / 2] = (uint8_t)(v << 4);
		else
			hash[k / 2] |= (uint8_t)v;
		k++;
	}
	return k == 64;
}

/*
 * One data line after its number: base32 characters (spaces anywhere),
 * the last 4 being the check.  Any fault is a typing error on the line.
 */
static int
parse_data(const char *s, size_t n, unsigned lineno, size_t dlen, uint8_t *out)
{
	char chars[LINE_CHARS + CHECK_CHARS], chk[CHECK_CHARS + 1];
	size_t i, k = 0, want = escrow_base32_len(dlen), got = 0;

	for (i = 0; i < n; i++) {
		if (is_space((unsigned char)s[i]))
			continue;
		if (escrow_base32_value((unsigned char)s[i]) < 0 ||
		    k >= want + CHECK_CHARS)
			return ESCROW_ERR_LINE_CHECKSUM;
		chars[k++] = (char)upper((unsigned char)s[i]);
	}
	if (k != want + CHECK_CHARS)
		return ESCROW_ERR_LINE_CHECKSUM;
	if (escrow_base32_decode(chars, want, out, dlen, &got) != ESCROW_OK ||
	    got != dlen)
		return ESCROW_ERR_LINE_CHECKSUM;
	line_check(lineno, out, dlen, chk);
	if (memcmp(chk, chars + want, CHECK_CHARS) != 0)
		return ESCROW_ERR_LINE_CHECKSUM;
	return ESCROW_OK;
}

int
escrow_textform_decode(const char *text, size_t text_len, uint8_t **env,
    size_t *env_len, unsigned *bad_line)
{
	uint8_t *buf = NULL, hash[32], want[32];
	size_t pos = 0, bytes = 0, lines = 0, next = 1, rest, i, n, v, dlen;
	int have_header = 0, have_footer = 0, ret = ESCROW_OK;
	unsigned bad = 0;

	if (bad_line != NULL)
		*bad_line = 0;
	if (env == NULL || env_len == NULL || (text == NULL && text_len > 0))
		return ESCROW_ERR_INVALID_ARG;
	*env = NULL;
	*env_len = 0;
	while (pos < text_len) {
		const char *s = text + pos;
		const char *t;
		size_t tl;

		n = 0;
		while (pos + n < text_len && text[pos + n] != '\n')
			n++;
		pos += n + (pos + n < text_len);
		i = 0;
		while (i < n && is_space((unsigned char)s[i]))
			i++;
		if (i == n)
			continue; /* blank line */
		s += i;
		n -= i;
		if (n > MAX_LINE) {
			bad = have_header ? (unsigned)next : 0;
			ret = ESCROW_ERR_FORMAT;
			goto out;
		}
		if (have_footer) { /* nothing may follow the SHA-256 line */
			bad = (unsigned)lines + 1;
			ret = ESCROW_ERR_TRAILING;
			goto out;
		}
		if (!have_header) {
			if (!parse_header(s, n, &bytes, &lines)) {
				ret = ESCROW_ERR_FORMAT;
				goto out;
			}
			buf = malloc(bytes);
			if (buf == NULL) {
				ret = ESCROW_ERR_NOMEM;
				goto out;
			}
			have_header = 1;
			continue;
		}
		if (starts_word(s, n, FOOTER_WORD, &rest)) {
			if (next <= lines) {
				bad = (unsigned)next;
				ret = ESCROW_ERR_CHUNK_MISSING;
				goto out;
			}
			if (!parse_footer(s + rest, n - rest, want)) {
				bad = (unsigned)lines + 1;
				ret = ESCROW_ERR_FORMAT;
				goto out;
			}
			have_footer = 1;
			continue;
		}
		/* a data line: its number, optionally followed by ':' or '.' */
		i = 0;
		if (!token(s, n, &i, &t, &tl)) {
			ret = ESCROW_ERR_FORMAT;
			goto out;
		}
		rest = 0;
		while (rest < tl && t[rest] >= '0' && t[rest] <= '9')
			rest++;
		if (!number(t, rest, &v) || (rest + 1 < tl) ||
		    (rest + 1 == tl && t[rest] != ':' && t[rest] != '.')) {
			bad = (unsigned)next;
			ret = ESCROW_ERR_FORMAT;
			goto out;
		}
		if (v != next) {
			/* a skipped line is missing; a repeated one is out of order */
			bad = (unsigned)next;
			ret = (v > next && v <= lines) ? ESCROW_ERR_CHUNK_MISSING :
			    ESCROW_ERR_FORMAT;
			goto out;
		}
		if (next > lines) {
			/* numbered past the header's LINES: there is no room
			 * for it in buf (its check proves nothing: anyone can
			 * compute one) */
			bad = (unsigned)next;
			ret = ESCROW_ERR_TRAILING;
			goto out;
		}
		dlen = bytes - (next - 1) * ESCROW_TEXT_LINE_BYTES;
		if (dlen > ESCROW_TEXT_LINE_BYTES)
			dlen = ESCROW_TEXT_LINE_BYTES;
		ret = parse_data(s + i, n - i, (unsigned)next, dlen,
		    buf + (next - 1) * ESCROW_TEXT_LINE_BYTES);
		if (ret != ESCROW_OK) {
			bad = (unsigned)next;
			goto out;
		}
		next++;
	}
	if (!have_header) {
		ret = ESCROW_ERR_TRUNCATED;
		goto out;
	}
	if (next <= lines) {
		bad = (unsigned)next;
		ret = ESCROW_ERR_CHUNK_MISSING;
		goto out;
	}
	if (!have_footer) {
		bad = (unsigned)lines + 1;
		ret = ESCROW_ERR_TRUNCATED;
		goto out;
	}
	crypto_hash_sha256(hash, buf, bytes);
	if (memcmp(hash, want, 32) != 0) {
		bad = (unsigned)lines + 1;
		ret = ESCROW_ERR_DIGEST_MISMATCH;
		goto out;
	}
	*env = buf;
	*env_len = bytes;
	buf = NULL;
out:
	free(buf);
	if (bad_line != NULL)
		*bad_line = bad;
	return ret;
}
