/*
 * dnssec_name.c - DNS owner names: presentation text to wire form and
 * back, validation, canonical (lower-case) form, label counts.  Public
 * data only.
 */
#include <string.h>

#include "escrow_dnssec.h"
#include "dnssec_int.h"

static uint8_t
lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

int
escrow_dnssec_i_name_valid(const uint8_t *wire, size_t len)
{
	size_t i = 0;

	if (wire == NULL || len == 0 || len > ESCROW_DNSSEC_NAME_MAX)
		return 0;
	while (i < len) {
		uint8_t l = wire[i];

		if (l == 0)
			return i + 1 == len;
		if (l > 63 || (size_t)l + 1 > len - i)
			return 0;
		i += (size_t)l + 1;
	}
	return 0;
}

int
escrow_dnssec_i_name_eq(const uint8_t *a, size_t alen, const uint8_t *b,
    size_t blen)
{
	size_t i;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	/* label lengths are below 'A', so lower() leaves them alone */
	return 1;
}

/* Characters that must be escaped to appear in a label. */
static int
special(int c)
{
	return c <= ' ' || c >= 0x7f || c == '@' || c == '(' || c == ')' ||
	    c == ';' || c == '"' || c == '$';
}

int
escrow_dnssec_name_from_text(const char *text,
    uint8_t wire[static ESCROW_DNSSEC_NAME_MAX], size_t *len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t out = 0, label_at = 0;

	if (text == NULL || len == NULL)
		return ESCROW_ERR_INVALID_ARG;
	if (p[0] == '\0' || (p[0] == '.' && p[1] == '\0')) {
		wire[0] = 0;
		*len = 1;
		return ESCROW_OK;
	}
	/* wire[label_at] is the length byte of the label being read */
	wire[0] = 0;
	out = 1;
	while (*p != '\0') {
		unsigned c = *p++;

		if (c == '.') {
			if (out == label_at + 1)
				return ESCROW_ERR_NAME; /* empty label */
			if (out >= ESCROW_DNSSEC_NAME_MAX)
				return ESCROW_ERR_NAME;
			label_at = out;
			wire[out++] = 0;
			continue;
		}
		if (c == '\\') {
			if (p[0] >= '0' && p[0] <= '9') {
				if (!(p[1] >= '0' && p[1] <= '9') ||
				    !(p[2] >= '0' && p[2] <= '9'))
					return ESCROW_ERR_NAME;
				c = (unsigned)(p[0] - '0') * 100 +
				    (unsigned)(p[1] - '0') * 10 +
				    (unsigned)(p[2] - '0');
				if (c > 255)
					return ESCROW_ERR_NAME;
				p += 3;
			} else if (p[0] > ' ' && p[0] < 0x7f) {
				c = *p++;
			} else {
				return ESCROW_ERR_NAME;
			}
		} else if (special((int)c)) {
			return ESCROW_ERR_NAME;
		}
		if (wire[label_at] == 63 || out >= ESCROW_DNSSEC_NAME_MAX - 1)
			return ESCROW_ERR_NAME;
		wire[label_at]++;
		wire[out++] = (uint8_t)c;
	}
	if (out == label_at + 1) {
		/* the text ended with a dot: the root label is already there */
		*len = out;
		return ESCROW_OK;
	}
	if (out >= ESCROW_DNSSEC_NAME_MAX)
		return ESCROW_ERR_NAME;
	wire[out++] = 0;
	*len = out;
	return ESCROW_OK;
}

int
escrow_dnssec_name_to_text(const uint8_t *wire, size_t len, char *out,
    size_t cap)
{
	struct escrow_text tb;
	size_t i = 0;

	if (out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	if (!escrow_dnssec_i_name_valid(wire, len))
		return ESCROW_ERR_NAME;
	escrow_text_init_fixed(&tb, out, cap);
	if (len == 1)
		escrow_text_str(&tb, ".");
	while (wire[i] != 0) {
		size_t l = wire[i], j;

		for (j = 1; j <= l; j++) {
			uint8_t c = wire[i + j];

			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
			    c == '*' || c == '/' || c == '+' || c == '=')
				escrow_text_put(&tb, (const char *)&c, 1);
			else if (c > ' ' && c < 0x7f)
				escrow_text_printf(&tb, "\\%c", c);
			else
				escrow_text_printf(&tb, "\\%03u", c);
		}
		escrow_text_str(&tb, ".");
		i += l + 1;
	}
	return escrow_text_done(&tb);
}

int
escrow_dnssec_name_canonical(uint8_t *wire, size_t len)
{
	size_t i = 0;

	if (!escrow_dnssec_i_name_valid(wire, len))
		return ESCROW_ERR_NAME;
	while (wire[i] != 0) {
		size_t l = wire[i], j;

		for (j = 1; j <= l; j++)
			wire[i + j] = lower(wire[i + j]);
		i += l + 1;
	}
	return ESCROW_OK;
}

int
escrow_dnssec_name_labels(const uint8_t *wire, size_t len, unsigned *labels)
{
	size_t i = 0;
	unsigned n = 0;

	if (labels == NULL)
		return ESCROW_ERR_INVALID_ARG;
	if (!escrow_dnssec_i_name_valid(wire, len))
		return ESCROW_ERR_NAME;
	if (wire[0] == 1 && wire[1] == '*')
		i = 2;
	while (wire[i] != 0) {
		n++;
		i += (size_t)wire[i] + 1;
	}
	*labels = n;
	return ESCROW_OK;
}
