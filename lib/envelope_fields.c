/*
 * envelope_fields.c - checks of the envelope's public fields, common to
 * building and parsing: the share set, key records (lengths, UTF-8
 * labels, DNS wire-format owner names), distinct CKA_IDs; and the HMAC.
 *
 * Secret: only the HMAC key (K_mac) passed to escrow_envelope_i_hmac(); its
 * state is wiped.  All the fields checked here are public.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "envelope_int.h"

int
escrow_envelope_i_shareset_check(const struct escrow_shareset *set)
{
	size_t g;

	if (set->identifier >= 0x8000 || set->extendable > 1 ||
	    set->iteration_exponent > 15 || set->group_count == 0 ||
	    set->group_count > ESCROW_SHARESET_MAX_GROUPS ||
	    set->group_threshold == 0 ||
	    set->group_threshold > set->group_count)
		return ESCROW_ERR_FORMAT;
	for (g = 0; g < set->group_count; g++) {
		const struct escrow_shareset_group *gr = &set->groups[g];

		if (gr->count == 0 || gr->count > ESCROW_SHARESET_MAX_MEMBERS ||
		    gr->threshold == 0 || gr->threshold > gr->count)
			return ESCROW_ERR_FORMAT;
	}
	return ESCROW_OK;
}

size_t
escrow_envelope_i_share_total(const struct escrow_shareset *set)
{
	size_t g, n = 0;

	for (g = 0; g < set->group_count && g < ESCROW_SHARESET_MAX_GROUPS; g++)
		n += set->groups[g].count;
	return n;
}

/*
 * Strict UTF-8 (RFC 3629: shortest form, no surrogates, at most
 * U+10FFFF) without control characters (U+0000-U+001F, U+007F-U+009F),
 * since labels end up on terminals and paper.
 */
static int
label_ok(const uint8_t *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t c = s[i], min;
		size_t k, extra;

		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			extra = 1, min = 0x80, c &= 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			extra = 2, min = 0x800, c &= 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			extra = 3, min = 0x10000, c &= 0x07;
		} else {
			return 0;
		}
		if (len - i <= extra)
			return 0;
		for (k = 1; k <= extra; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (s[i + k] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
		    (c >= 0x80 && c <= 0x9f))
			return 0;
		i += extra + 1;
	}
	return 1;
}

/*
 * An uncompressed DNS name in wire format (RFC 1035 3.1): labels of 1..63
 * bytes, ended by the root label, which must be the field's last byte.
 */
static int
owner_ok(const uint8_t *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t l = s[i];

		if (l == 0)
			return i + 1 == len;
		if (l > 63 || len - i - 1 < l)
			return 0;
		i += 1 + l;
	}
	return 0;
}

int
escrow_envelope_i_key_check(const struct escrow_envelope_key *key)
{
	if (key->label == NULL || key->id == NULL || key->owner == NULL ||
	    key->pubkey == NULL)
		return ESCROW_ERR_INVALID_ARG;
	if (key->label_len == 0 || key->label_len > ESCROW_ENVELOPE_MAX_FIELD ||
	    key->id_len == 0 || key->id_len > ESCROW_ENVELOPE_MAX_FIELD ||
	    key->owner_len == 0 || key->owner_len > ESCROW_ENVELOPE_MAX_FIELD ||
	    key->pubkey_len == 0 || key->pubkey_len > ESCROW_ENVELOPE_MAX_PUBKEY)
		return ESCROW_ERR_FORMAT;
	if (!label_ok(key->label, key->label_len))
		return ESCROW_ERR_FORMAT;
	if (!owner_ok(key->owner, key->owner_len))
		return ESCROW_ERR_NAME;
	return ESCROW_OK;
}

/*
 * Reads one length-prefixed field; *p and *avail advance past it.  Every
 * field is at least one byte long.
 */
static int
take(const uint8_t **p, size_t *avail, size_t lenbytes, const uint8_t **field,
    size_t *flen)
{
	size_t n;

	if (*avail < lenbytes)
		return ESCROW_ERR_TRUNCATED;
	n = lenbytes == 1 ? (*p)[0] : escrow_get16(*p);
	*p += lenbytes;
	*avail -= lenbytes;
	if (n == 0)
		return ESCROW_ERR_FORMAT;
	if (*avail < n)
		return ESCROW_ERR_TRUNCATED;
	*field = *p;
	*flen = n;
	*p += n;
	*avail -= n;
	return ESCROW_OK;
}

int
escrow_envelope_i_key_decode(const uint8_t *p, size_t avail,
    struct escrow_envelope_key *key, size_t *used)
{
	const uint8_t *start = p;
	int ret;

	memset(key, 0, sizeof *key);
	if ((ret = take(&p, &avail, 1, &key->label, &key->label_len)) != 0 ||
	    (ret = take(&p, &avail, 1, &key->id, &key->id_len)) != 0 ||
	    (ret = take(&p, &avail, 1, &key->owner, &key->owner_len)) != 0)
		return ret;
	if (avail < 3)
		return ESCROW_ERR_TRUNCATED;
	key->flags = escrow_get16(p);
	key->algorithm = p[2];
	p += 3;
	avail -= 3;
	if ((ret = take(&p, &avail, 2, &key->pubkey, &key->pubkey_len)) != 0 ||
	    (ret = take(&p, &avail, 2, &key->wrapped, &key->wrapped_len)) != 0)
		return ret;
	if ((ret = escrow_envelope_i_key_check(key)) != 0)
		return ret;
	if (key->wrapped_len < 16 || key->wrapped_len % 8 != 0)
		return ESCROW_ERR_FORMAT;
	*used = (size_t)(p - start);
	return ESCROW_OK;
}

struct idref {
	const uint8_t *id;
	size_t len;
};

static int
idref_cmp(const void *a, const void *b)
{
	const struct idref *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->id, y->id, x->len);
}

int
escrow_envelope_i_ids_unique(const struct escrow_envelope *env)
{
	struct idref *ids;
	size_t i;
	int ret = ESCROW_OK;

	if (env->nkeys < 2)
		return ESCROW_OK;
	ids = calloc(env->nkeys, sizeof *ids);
	if (ids == NULL)
		return ESCROW_ERR_NOMEM;
	for (i = 0; i < env->nkeys; i++) {
		/* records were checked when added or parsed: id follows the label */
		const uint8_t *r = env->keybuf + env->keyoff[i];

		ids[i].len = r[1 + r[0]];
		ids[i].id = r + 1 + r[0] + 1;
	}
	qsort(ids, env->nkeys, sizeof *ids, idref_cmp);
	for (i = 1; i < env->nkeys; i++)
		if (idref_cmp(&ids[i - 1], &ids[i]) == 0)
			ret = ESCROW_ERR_FORMAT;
	free(ids);
	return ret;
}

void
escrow_envelope_i_hmac(const uint8_t key[static 32], const uint8_t *data, size_t len,
    uint8_t out[static 32])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, 32);
	crypto_auth_hmacsha256_update(&st, data, len);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof st);
}
