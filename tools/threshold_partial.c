/*
 * threshold_partial.c - the partial-signature file (docs/FORMAT.md,
 * "Partial signatures"): one custodian's x_i and proof (c, z) for every
 * bundle of one request, as text with one value per line.  Public data:
 * nothing here is secret.  The parser takes hostile input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "threshold.h"

static void
put_hex(struct escrow_text *b, const char *key, const uint8_t *p, size_t n)
{
	char *h = malloc(2 * n + 1);

	if (h == NULL) {
		tool_text_printf(b, "%s\n", key); /* fails the parse later */
		return;
	}
	escrow_hex(p, n, h, 0);
	tool_text_printf(b, "%s %s\n", key, h);
	free(h);
}

int
tt_partial_text(const struct tt_partial *p, struct escrow_text *out)
{
	size_t i;

	tool_text_printf(out, TT_PARTIAL_HEADER "\n");
	put_hex(out, "params", p->params_fpr, sizeof p->params_fpr);
	tool_text_printf(out, "custodian %u\n", p->index);
	put_hex(out, "request", p->request_sha, sizeof p->request_sha);
	tool_text_printf(out, "bundles %zu\n", p->n);
	for (i = 0; i < p->n; i++) {
		const char *c;

		for (c = p->b[i].id; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				return -1;
		tool_text_printf(out, "bundle %s\n", p->b[i].id);
		put_hex(out, "data", p->b[i].data_sha, 32);
		put_hex(out, "xi", p->b[i].p.xi, p->b[i].p.xi_len);
		put_hex(out, "c", p->b[i].p.c, sizeof p->b[i].p.c);
		put_hex(out, "z", p->b[i].p.z, p->b[i].p.z_len);
	}
	return out->p != NULL ? 0 : -1;
}

struct cur {
	const char *s, *end;
	unsigned line;
	char *err;
	size_t cap;
};

/* The next line, which must be "KEY VALUE"; *val points into the text. */
static int
field(struct cur *c, const char *key, const char **val, size_t *vlen)
{
	const char *nl;
	size_t kl = strlen(key);

	c->line++;
	nl = memchr(c->s, '\n', (size_t)(c->end - c->s));
	if (nl == NULL || (size_t)(nl - c->s) < kl + 2 ||
	    memcmp(c->s, key, kl) != 0 || c->s[kl] != ' ') {
		snprintf(c->err, c->cap, "line %u: expected `%s ...'", c->line, key);
		return -1;
	}
	*val = c->s + kl + 1;
	*vlen = (size_t)(nl - *val);
	c->s = nl + 1;
	return 0;
}

static int
hexval(char h)
{
	if (h >= '0' && h <= '9')
		return h - '0';
	if (h >= 'a' && h <= 'f')
		return h - 'a' + 10;
	return -1;
}

static int
hexfield(struct cur *c, const char *key, uint8_t *out, size_t min, size_t max,
    size_t *len)
{
	const char *v;
	size_t n, i;

	if (field(c, key, &v, &n) != 0)
		return -1;
	if (n % 2 != 0 || n / 2 < min || n / 2 > max) {
		snprintf(c->err, c->cap, "line %u: `%s' needs %zu..%zu bytes of "
		    "lower-case hex", c->line, key, min, max);
		return -1;
	}
	for (i = 0; i < n / 2; i++) {
		int hi = hexval(v[2 * i]), lo = hexval(v[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			snprintf(c->err, c->cap, "line %u: `%s' is not lower-case hex",
			    c->line, key);
			return -1;
		}
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	if (len != NULL)
		*len = n / 2;
	return 0;
}

static int
numfield(struct cur *c, const char *key, unsigned long max, unsigned long *out)
{
	char buf[16];
	const char *v;
	size_t n;

	if (field(c, key, &v, &n) != 0)
		return -1;
	if (n == 0 || n >= sizeof buf)
		goto bad;
	memcpy(buf, v, n);
	buf[n] = '\0';
	if (tool_parse_uint(buf, 0, max, out) == 0)
		return 0;
bad:
	snprintf(c->err, c->cap, "line %u: `%s' needs a number up to %lu",
	    c->line, key, max);
	return -1;
}

int
tt_partial_parse(const char *text, size_t len, struct tt_partial *p, char *err,
    size_t cap)
{
	struct cur c = { text, text + len, 1, err, cap };
	unsigned long v;
	size_t i, hl = strlen(TT_PARTIAL_HEADER);

	memset(p, 0, sizeof *p);
	if (len < hl + 1 || memcmp(text, TT_PARTIAL_HEADER "\n", hl + 1) != 0) {
		snprintf(err, cap, "line 1: not `" TT_PARTIAL_HEADER "'");
		return -1;
	}
	c.s += hl + 1;
	if (hexfield(&c, "params", p->params_fpr, 32, 32, NULL) != 0 ||
	    numfield(&c, "custodian", ESCROW_THRESH_MAX_PLAYERS, &v) != 0)
		return -1;
	p->index = (unsigned)v;
	if (hexfield(&c, "request", p->request_sha, 32, 32, NULL) != 0 ||
	    numfield(&c, "bundles", ESCROW_KSR_BUNDLES_MAX, &v) != 0)
		return -1;
	p->n = v;
	for (i = 0; i < p->n; i++) {
		const char *id;
		size_t idl, k;

		if (field(&c, "bundle", &id, &idl) != 0)
			return -1;
		if (idl >= sizeof p->b[i].id) {
			snprintf(err, cap, "line %u: bundle id too long", c.line);
			return -1;
		}
		for (k = 0; k < idl; k++)
			if ((unsigned char)id[k] < 0x20 || id[k] == 0x7f) {
				snprintf(err, cap, "line %u: control character in the "
				    "bundle id", c.line);
				return -1;
			}
		memcpy(p->b[i].id, id, idl);
		p->b[i].id[idl] = '\0';
		if (hexfield(&c, "data", p->b[i].data_sha, 32, 32, NULL) != 0 ||
		    hexfield(&c, "xi", p->b[i].p.xi, 64, ESCROW_THRESH_MOD_MAX,
		    &p->b[i].p.xi_len) != 0 ||
		    hexfield(&c, "c", p->b[i].p.c, ESCROW_THRESH_HASH_BYTES,
		    ESCROW_THRESH_HASH_BYTES, NULL) != 0 ||
		    hexfield(&c, "z", p->b[i].p.z, 1, ESCROW_THRESH_Z_MAX,
		    &p->b[i].p.z_len) != 0)
			return -1;
		p->b[i].p.index = p->index;
	}
	if (c.s != c.end) {
		snprintf(err, cap, "line %u: text after the last bundle", c.line + 1);
		return -1;
	}
	if (p->index < 1) {
		snprintf(err, cap, "line 3: custodian 0 does not exist");
		return -1;
	}
	return 0;
}
