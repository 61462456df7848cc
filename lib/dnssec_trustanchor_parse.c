/*
 * dnssec_trustanchor_parse.c - a small strict reader for RFC 9718 trust-anchor
 * XML (the IANA root-anchors.xml format).  It accepts exactly the schema
 * of RFC 9718 section 2.1, plus an XML declaration, comments, whitespace
 * and the predefined entities; anything else (DOCTYPE, CDATA, processing
 * instructions, unknown elements or attributes, namespaces) is refused.
 * Input is hostile: every read is bounded by the input length.  libxml2
 * was not used: the format is tiny and a hand parser keeps the kiosk's
 * attack surface and dependencies small.  Public data only.
 */
#include <string.h>

#include "escrow_dnssec.h"
#include "dnssec_int.h"

#define TA_INPUT_MAX (1024 * 1024)
#define TA_TEXT_MAX 8192

struct xp {
	const char *p;
	const char *end;
};

struct attr {
	const char *name;
	char *buf;
	size_t cap;
	int required;
	int seen;
};

static int
at(const struct xp *x, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(x->end - x->p) >= n && memcmp(x->p, s, n) == 0;
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
skip_ws(struct xp *x)
{
	while (x->p < x->end && is_ws(*x->p))
		x->p++;
}

/* Skip "<!-- ... -->" at the cursor. */
static int
skip_comment(struct xp *x)
{
	x->p += 4;
	while (x->p < x->end) {
		if (at(x, "-->")) {
			x->p += 3;
			return ESCROW_OK;
		}
		x->p++;
	}
	return ESCROW_ERR_FORMAT;
}

/* Whitespace and comments between elements. */
static int
skip_misc(struct xp *x)
{
	for (;;) {
		skip_ws(x);
		if (!at(x, "<!--"))
			return ESCROW_OK;
		if (skip_comment(x) != ESCROW_OK)
			return ESCROW_ERR_FORMAT;
	}
}

static int
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
	    c == ':';
}

/* Does the name at the cursor equal want?  Advances past it if so. */
static int
take_name(struct xp *x, const char *want)
{
	size_t n = strlen(want);

	if (!at(x, want))
		return 0;
	if (x->p + n < x->end && name_char(x->p[n]))
		return 0;
	x->p += n;
	return 1;
}

/* At '&': decode one predefined entity or ASCII character reference. */
static int
entity(struct xp *x, char *out)
{
	static const struct { const char *name; char c; } ents[] = {
		{ "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' },
		{ "&quot;", '"' }, { "&apos;", '\'' },
	};
	unsigned long v = 0;
	size_t i, digits = 0;
	int hex;

	for (i = 0; i < sizeof ents / sizeof ents[0]; i++) {
		if (at(x, ents[i].name)) {
			x->p += strlen(ents[i].name);
			*out = ents[i].c;
			return ESCROW_OK;
		}
	}
	if (!at(x, "&#"))
		return ESCROW_ERR_FORMAT;
	x->p += 2;
	hex = x->p < x->end && *x->p == 'x';
	if (hex)
		x->p++;
	while (x->p < x->end && *x->p != ';') {
		char c = *x->p;
		int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (hex && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (hex && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return ESCROW_ERR_FORMAT;
		if (++digits > 6)
			return ESCROW_ERR_FORMAT;
		v = v * (hex ? 16 : 10) + (unsigned long)d;
		x->p++;
	}
	if (x->p >= x->end || digits == 0)
		return ESCROW_ERR_FORMAT;
	x->p++; /* ';' */
	if (!(v == 9 || v == 10 || v == 13 || (v >= 0x20 && v < 0x7f)))
		return ESCROW_ERR_FORMAT; /* ASCII only: nothing else is needed */
	*out = (char)v;
	return ESCROW_OK;
}

static int
append(char *buf, size_t cap, size_t *len, char c)
{
	if (*len + 1 >= cap)
		return ESCROW_ERR_TOO_LARGE;
	buf[(*len)++] = c;
	buf[*len] = '\0';
	return ESCROW_OK;
}

static int
attribute(struct xp *x, struct attr *attrs, size_t nattrs)
{
	struct attr *a = NULL;
	size_t i, len = 0;
	char quote;
	int ret;

	for (i = 0; i < nattrs; i++) {
		if (take_name(x, attrs[i].name)) {
			a = &attrs[i];
			break;
		}
	}
	if (a == NULL || a->seen)
		return ESCROW_ERR_FORMAT;
	a->seen = 1;
	skip_ws(x);
	if (x->p >= x->end || *x->p != '=')
		return ESCROW_ERR_FORMAT;
	x->p++;
	skip_ws(x);
	if (x->p >= x->end || (*x->p != '"' && *x->p != '\''))
		return ESCROW_ERR_FORMAT;
	quote = *x->p++;
	a->buf[0] = '\0';
	while (x->p < x->end && *x->p != quote) {
		char c = *x->p;

		if (c == '<' || ((unsigned char)c < ' ' && !is_ws(c)))
			return ESCROW_ERR_FORMAT;
		if (c == '&') {
			ret = entity(x, &c);
			if (ret != ESCROW_OK)
				return ret;
		} else {
			x->p++;
		}
		ret = append(a->buf, a->cap, &len, c);
		if (ret != ESCROW_OK)
			return ret;
	}
	if (x->p >= x->end)
		return ESCROW_ERR_FORMAT;
	x->p++;
	return ESCROW_OK;
}

/* "<name attrs...>" or "<name .../>" (then *empty = 1). */
static int
open_tag(struct xp *x, const char *name, struct attr *attrs, size_t nattrs,
    int *empty)
{
	size_t i;
	int ret;

	*empty = 0;
	ret = skip_misc(x);
	if (ret != ESCROW_OK)
		return ret;
	if (!at(x, "<"))
		return ESCROW_ERR_FORMAT;
	x->p++;
	if (!take_name(x, name))
		return ESCROW_ERR_FORMAT;
	for (;;) {
		const char *before = x->p;

		skip_ws(x);
		if (at(x, ">")) {
			x->p++;
			break;
		}
		if (at(x, "/>")) {
			x->p += 2;
			*empty = 1;
			break;
		}
		if (x->p == before)
			return ESCROW_ERR_FORMAT; /* attributes need a space */
		ret = attribute(x, attrs, nattrs);
		if (ret != ESCROW_OK)
			return ret;
	}
	for (i = 0; i < nattrs; i++)
		if (attrs[i].required && !attrs[i].seen)
			return ESCROW_ERR_FORMAT;
	return ESCROW_OK;
}

static int
close_tag(struct xp *x, const char *name)
{
	int ret = skip_misc(x);

	if (ret != ESCROW_OK)
		return ret;
	if (!at(x, "</"))
		return ESCROW_ERR_FORMAT;
	x->p += 2;
	if (!take_name(x, name))
		return ESCROW_ERR_FORMAT;
	skip_ws(x);
	if (!at(x, ">"))
		return ESCROW_ERR_FORMAT;
	x->p++;
	return ESCROW_OK;
}

/* A text-only element; its content, whitespace-trimmed, into buf. */
static int
leaf(struct xp *x, const char *name, char *buf, size_t cap, size_t *len)
{
	size_t n = 0, s = 0;
	int empty, ret;

	buf[0] = '\0';
	ret = open_tag(x, name, NULL, 0, &empty);
	if (ret != ESCROW_OK)
		return ret;
	if (!empty) {
		while (x->p < x->end && !at(x, "</")) {
			char c = *x->p;

			if (at(x, "<!--")) {
				ret = skip_comment(x);
				if (ret != ESCROW_OK)
					return ret;
				continue;
			}
			if (c == '<' || ((unsigned char)c < ' ' && !is_ws(c)))
				return ESCROW_ERR_FORMAT;
			if (c == '&') {
				ret = entity(x, &c);
				if (ret != ESCROW_OK)
					return ret;
			} else {
				x->p++;
			}
			ret = append(buf, cap, &n, c);
			if (ret != ESCROW_OK)
				return ret;
		}
		ret = close_tag(x, name);
		if (ret != ESCROW_OK)
			return ret;
	}
	while (n > 0 && is_ws(buf[n - 1]))
		buf[--n] = '\0';
	while (s < n && is_ws(buf[s]))
		s++;
	memmove(buf, buf + s, n - s + 1);
	*len = n - s;
	return ESCROW_OK;
}

static int
leaf_num(struct xp *x, const char *name, unsigned long max, unsigned long *v)
{
	char buf[64];
	size_t len = 0, i;
	unsigned long r = 0;
	int ret = leaf(x, name, buf, sizeof buf, &len);

	if (ret != ESCROW_OK)
		return ret == ESCROW_ERR_TOO_LARGE ? ESCROW_ERR_FORMAT : ret;
	if (len == 0 || len > 10)
		return ESCROW_ERR_FORMAT;
	for (i = 0; i < len; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return ESCROW_ERR_FORMAT;
		r = r * 10 + (unsigned long)(buf[i] - '0');
	}
	if (r > max)
		return ESCROW_ERR_FORMAT;
	*v = r;
	return ESCROW_OK;
}

static int
key_digest(struct xp *x, struct escrow_ta_digest *d, char *text)
{
	struct attr attrs[] = {
		{ "id", d->id, sizeof d->id, 1, 0 },
		{ "validFrom", d->valid_from, sizeof d->valid_from, 1, 0 },
		{ "validUntil", d->valid_until, sizeof d->valid_until, 0, 0 },
	};
	unsigned long v;
	size_t len = 0, want;
	int empty, ret;

	ret = open_tag(x, "KeyDigest", attrs, 3, &empty);
	if (ret != ESCROW_OK)
		return ret;
	if (empty)
		return ESCROW_ERR_FORMAT;
	if ((ret = leaf_num(x, "KeyTag", 65535, &v)) != ESCROW_OK)
		return ret;
	d->key_tag = (uint16_t)v;
	if ((ret = leaf_num(x, "Algorithm", 255, &v)) != ESCROW_OK)
		return ret;
	d->algorithm = (uint8_t)v;
	if ((ret = leaf_num(x, "DigestType", 255, &v)) != ESCROW_OK)
		return ret;
	d->digest_type = (uint8_t)v;
	if ((ret = leaf(x, "Digest", text, TA_TEXT_MAX, &len)) != ESCROW_OK)
		return ret;
	if (escrow_dnssec_i_unhex(text, len, d->digest, sizeof d->digest,
	    &d->digest_len) != ESCROW_OK)
		return ESCROW_ERR_FORMAT;
	want = escrow_dnssec_i_digest_len(d->digest_type);
	if (d->digest_len == 0 || (want != 0 && d->digest_len != want))
		return ESCROW_ERR_FORMAT;
	if ((ret = skip_misc(x)) != ESCROW_OK)
		return ret;
	if (!at(x, "</")) {
		if ((ret = leaf(x, "PublicKey", text, TA_TEXT_MAX, &len)) !=
		    ESCROW_OK)
			return ret;
		if (escrow_text_unbase64(text, len, d->pubkey,
		    sizeof d->pubkey, &d->pubkey_len) != ESCROW_OK ||
		    d->pubkey_len == 0)
			return ESCROW_ERR_FORMAT;
		if ((ret = leaf_num(x, "Flags", 65535, &v)) != ESCROW_OK)
			return ret;
		d->flags = (uint16_t)v;
		d->has_pubkey = 1;
	}
	return close_tag(x, "KeyDigest");
}

static int
parse(struct xp *x, struct escrow_ta *ta, char *text)
{
	struct attr attrs[] = {
		{ "id", ta->id, sizeof ta->id, 1, 0 },
		{ "source", ta->source, sizeof ta->source, 1, 0 },
	};
	size_t len = 0;
	int empty, ret;

	if (at(x, "\xef\xbb\xbf"))
		x->p += 3;
	if (at(x, "<?xml") && x->p + 5 < x->end && is_ws(x->p[5])) {
		while (x->p < x->end && !at(x, "?>"))
			x->p++;
		if (x->p >= x->end)
			return ESCROW_ERR_FORMAT;
		x->p += 2;
	}
	ret = open_tag(x, "TrustAnchor", attrs, 2, &empty);
	if (ret != ESCROW_OK)
		return ret;
	if (empty)
		return ESCROW_ERR_FORMAT;
	ret = leaf(x, "Zone", text, TA_TEXT_MAX, &len);
	if (ret != ESCROW_OK)
		return ret;
	if (len >= ESCROW_DNSSEC_NAME_TEXT_MAX)
		return ESCROW_ERR_NAME;
	ret = escrow_dnssec_name_from_text(text, ta->zone, &ta->zone_len);
	if (ret != ESCROW_OK)
		return ret;
	for (;;) {
		if ((ret = skip_misc(x)) != ESCROW_OK)
			return ret;
		if (at(x, "</"))
			break;
		if (ta->count == ESCROW_DNSSEC_TA_MAX)
			return ESCROW_ERR_TOO_LARGE;
		ret = key_digest(x, &ta->digests[ta->count], text);
		if (ret != ESCROW_OK)
			return ret;
		ta->count++;
	}
	if (ta->count == 0)
		return ESCROW_ERR_FORMAT;
	if ((ret = close_tag(x, "TrustAnchor")) != ESCROW_OK)
		return ret;
	if ((ret = skip_misc(x)) != ESCROW_OK)
		return ret;
	return x->p == x->end ? ESCROW_OK : ESCROW_ERR_TRAILING;
}

int
escrow_dnssec_ta_parse(const char *xml, size_t len, struct escrow_ta *ta)
{
	char text[TA_TEXT_MAX];
	struct xp x;
	int ret;

	if (xml == NULL || ta == NULL)
		return ESCROW_ERR_INVALID_ARG;
	memset(ta, 0, sizeof *ta);
	if (len > TA_INPUT_MAX)
		return ESCROW_ERR_TOO_LARGE;
	if (memchr(xml, '\0', len) != NULL)
		return ESCROW_ERR_FORMAT;
	x.p = xml;
	x.end = xml + len;
	ret = parse(&x, ta, text);
	if (ret != ESCROW_OK)
		memset(ta, 0, sizeof *ta);
	return ret;
}
