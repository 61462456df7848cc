/*
 * dnssec_dsparse.c - reads DS records in presentation format, as BIND,
 * ldns and ldns-key2ds print them, for the restore side.  The input is
 * hostile: every index is bounded by the input length.  Public data only.
 */
#include <string.h>

#include "escrow_dnssec.h"
#include "dnssec_int.h"

#define MAX_TOKENS 40

struct tok {
	const char *p;
	size_t n;
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int
tok_is(const struct tok *t, const char *word)
{
	size_t i, n = strlen(word);

	if (t->n != n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = t->p[i];

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		if (c != word[i])
			return 0;
	}
	return 1;
}

/* Decimal, digits only, at most max. */
static int
tok_num(const struct tok *t, unsigned long max, unsigned long *v)
{
	unsigned long x = 0;
	size_t i;

	if (t->n == 0 || t->n > 10)
		return ESCROW_ERR_FORMAT;
	for (i = 0; i < t->n; i++) {
		if (t->p[i] < '0' || t->p[i] > '9')
			return ESCROW_ERR_FORMAT;
		x = x * 10 + (unsigned long)(t->p[i] - '0');
	}
	if (x > max)
		return ESCROW_ERR_FORMAT;
	*v = x;
	return ESCROW_OK;
}

static int
parse_line(const struct tok *t, size_t nt, struct escrow_ds *ds)
{
	char owner[ESCROW_DNSSEC_NAME_TEXT_MAX];
	char hex[2 * ESCROW_DNSSEC_DIGEST_MAX + 1];
	unsigned long v;
	size_t i = 1, h = 0, want;
	int ret, have_ttl = 0, have_class = 0;

	memset(ds, 0, sizeof *ds);
	if (t[0].n >= sizeof owner)
		return ESCROW_ERR_NAME;
	memcpy(owner, t[0].p, t[0].n);
	owner[t[0].n] = '\0';
	ret = escrow_dnssec_name_from_text(owner, ds->owner, &ds->owner_len);
	if (ret != ESCROW_OK)
		return ret;
	/* [ttl] [class] or [class] [ttl] */
	while (i < nt && !tok_is(&t[i], "DS")) {
		if (!have_ttl && tok_num(&t[i], 0x7fffffffUL, &v) == ESCROW_OK) {
			ds->ttl = (uint32_t)v;
			have_ttl = 1;
		} else if (!have_class && tok_is(&t[i], "IN")) {
			have_class = 1;
		} else {
			return ESCROW_ERR_FORMAT;
		}
		i++;
	}
	if (i + 5 > nt)
		return ESCROW_ERR_FORMAT;
	i++; /* DS */
	if (tok_num(&t[i++], 65535, &v) != ESCROW_OK)
		return ESCROW_ERR_FORMAT;
	ds->key_tag = (uint16_t)v;
	if (tok_num(&t[i++], 255, &v) != ESCROW_OK)
		return ESCROW_ERR_FORMAT;
	ds->algorithm = (uint8_t)v;
	if (tok_num(&t[i++], 255, &v) != ESCROW_OK)
		return ESCROW_ERR_FORMAT;
	ds->digest_type = (uint8_t)v;
	for (; i < nt; i++) {
		if (t[i].n > sizeof hex - 1 - h)
			return ESCROW_ERR_FORMAT;
		memcpy(hex + h, t[i].p, t[i].n);
		h += t[i].n;
	}
	ret = escrow_dnssec_i_unhex(hex, h, ds->digest, sizeof ds->digest,
	    &ds->digest_len);
	if (ret != ESCROW_OK)
		return ESCROW_ERR_FORMAT;
	want = escrow_dnssec_i_digest_len(ds->digest_type);
	if (ds->digest_len == 0 || (want != 0 && ds->digest_len != want))
		return ESCROW_ERR_FORMAT;
	return ESCROW_OK;
}

int
escrow_dnssec_ds_parse(const char *text, size_t len, struct escrow_ds *out,
    size_t max, size_t *count)
{
	struct tok t[MAX_TOKENS];
	size_t pos = 0, n = 0;
	int ret;

	if (text == NULL || out == NULL || count == NULL)
		return ESCROW_ERR_INVALID_ARG;
	*count = 0;
	while (pos < len) {
		size_t nt = 0, k;
		int comment = 0;

		/* tokenise one line */
		while (pos < len && text[pos] != '\n') {
			char c = text[pos];

			if (comment || is_blank(c)) {
				pos++;
				continue;
			}
			if (c == ';') {
				comment = 1;
				pos++;
				continue;
			}
			if (c == '(' || c == ')' || c == '"' || c == '\0' ||
			    (unsigned char)c < ' ' || (unsigned char)c >= 0x7f)
				return ESCROW_ERR_FORMAT;
			if (nt == MAX_TOKENS)
				return ESCROW_ERR_FORMAT;
			t[nt].p = text + pos;
			while (pos < len && !is_blank(text[pos]) &&
			    text[pos] != '\n' && text[pos] != ';') {
				/* a backslash quotes the next character: "\;"
				 * in an owner name is a character, not a
				 * comment (escrow_dnssec_name_to_text writes
				 * it so) */
				if (text[pos] == '\\' && pos + 1 < len &&
				    text[pos + 1] != '\n' && !is_blank(text[pos + 1]))
					pos++;
				pos++;
			}
			t[nt].n = (size_t)(text + pos - t[nt].p);
			for (k = 0; k < t[nt].n; k++)
				if ((unsigned char)t[nt].p[k] < ' ' ||
				    (unsigned char)t[nt].p[k] >= 0x7f)
					return ESCROW_ERR_FORMAT;
			nt++;
		}
		pos++; /* the newline */
		if (nt == 0)
			continue;
		if (n == max)
			return ESCROW_ERR_TOO_LARGE;
		ret = parse_line(t, nt, &out[n]);
		if (ret != ESCROW_OK)
			return ret;
		n++;
	}
	if (n == 0)
		return ESCROW_ERR_FORMAT;
	*count = n;
	return ESCROW_OK;
}
