/*
 * dnssec_trustanchor.c - RFC 9718 trust-anchor XML for a key set: KeyDigest
 * elements (with the optional PublicKey and Flags), whole TrustAnchor
 * documents, and the check that a KeyDigest belongs to a DNSKEY.  The
 * parser is in trustanchor_parse.c.  Public data only.
 */
#include <stdio.h>
#include <string.h>

#include "escrow_dnssec.h"
#include "dnssec_int.h"

static void
keydigest(struct escrow_text *tb, const struct escrow_dnskey *k,
    const struct escrow_ds *ds, const char *id, const char *id_tag,
    const char *valid_from, int with_pubkey)
{
	escrow_text_str(tb, "  <KeyDigest id=\"");
	escrow_text_xml(tb, id);
	escrow_text_str(tb, id_tag);
	escrow_text_str(tb, "\" validFrom=\"");
	escrow_text_xml(tb, valid_from);
	escrow_text_printf(tb, "\">\n    <KeyTag>%u</KeyTag>\n"
	    "    <Algorithm>%u</Algorithm>\n    <DigestType>%u</DigestType>\n"
	    "    <Digest>", ds->key_tag, ds->algorithm, ds->digest_type);
	escrow_text_hex(tb, ds->digest, ds->digest_len, 1);
	escrow_text_str(tb, "</Digest>\n");
	if (with_pubkey) {
		escrow_text_str(tb, "    <PublicKey>");
		escrow_text_base64(tb, k->pubkey, k->pubkey_len);
		escrow_text_printf(tb, "</PublicKey>\n    <Flags>%u</Flags>\n",
		    k->flags);
	}
	escrow_text_str(tb, "  </KeyDigest>\n");
}

int
escrow_dnssec_ta_keydigest(const struct escrow_dnskey *k, int digest_type,
    const char *id, const char *valid_from, int with_pubkey, char *out,
    size_t cap)
{
	struct escrow_ds ds;
	struct escrow_text tb;
	int ret;

	if (k == NULL || id == NULL || valid_from == NULL || out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	ret = escrow_dnssec_ds_make(k, digest_type, &ds);
	if (ret != ESCROW_OK)
		return ret;
	escrow_text_init_fixed(&tb, out, cap);
	keydigest(&tb, k, &ds, id, "", valid_from, with_pubkey);
	return escrow_text_done(&tb);
}

int
escrow_dnssec_ta_document(const struct escrow_dnskey *keys, size_t n,
    int digest_type, const char *ta_id, const char *source,
    const char *id_prefix, const char *valid_from, int with_pubkey,
    char *out, size_t cap, size_t *len)
{
	char zone[ESCROW_DNSSEC_NAME_TEXT_MAX];
	struct escrow_text tb;
	size_t i;
	int ret;

	if (keys == NULL || n == 0 || ta_id == NULL || source == NULL ||
	    valid_from == NULL || out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	if (id_prefix == NULL)
		id_prefix = "K";
	ret = escrow_dnssec_name_to_text(keys[0].owner, keys[0].owner_len,
	    zone, sizeof zone);
	if (ret != ESCROW_OK)
		return ret;
	escrow_text_init_fixed(&tb, out, cap);
	escrow_text_str(&tb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<TrustAnchor id=\"");
	escrow_text_xml(&tb, ta_id);
	escrow_text_str(&tb, "\" source=\"");
	escrow_text_xml(&tb, source);
	escrow_text_str(&tb, "\">\n  <Zone>");
	escrow_text_xml(&tb, zone);
	escrow_text_str(&tb, "</Zone>\n");
	for (i = 0; i < n; i++) {
		struct escrow_ds ds;
		char tag[8];

		if (!escrow_dnssec_i_name_eq(keys[i].owner, keys[i].owner_len,
		    keys[0].owner, keys[0].owner_len))
			return ESCROW_ERR_INVALID_ARG;
		ret = escrow_dnssec_ds_make(&keys[i], digest_type, &ds);
		if (ret != ESCROW_OK)
			return ret;
		/* the key tag as decimal: ids stay short and unique per set */
		snprintf(tag, sizeof tag, "%u", (unsigned)ds.key_tag);
		keydigest(&tb, &keys[i], &ds, id_prefix, tag, valid_from,
		    with_pubkey);
	}
	escrow_text_str(&tb, "</TrustAnchor>\n");
	if (len != NULL)
		*len = tb.len;
	return escrow_text_done(&tb);
}

int
escrow_dnssec_ta_check(const struct escrow_ta *ta, size_t index,
    const struct escrow_dnskey *k)
{
	const struct escrow_ta_digest *d;
	struct escrow_dnskey own;
	struct escrow_ds ds;
	int ret;

	if (ta == NULL || index >= ta->count || index >= ESCROW_DNSSEC_TA_MAX)
		return ESCROW_ERR_INVALID_ARG;
	d = &ta->digests[index];
	if (k == NULL) {
		/* check the KeyDigest against its own PublicKey and Flags */
		if (!d->has_pubkey)
			return ESCROW_ERR_INVALID_ARG;
		memset(&own, 0, sizeof own);
		memcpy(own.owner, ta->zone, ta->zone_len);
		own.owner_len = ta->zone_len;
		own.ttl = ESCROW_DNSSEC_TTL_DEFAULT;
		own.flags = d->flags;
		own.protocol = ESCROW_DNSSEC_PROTOCOL;
		own.algorithm = d->algorithm;
		memcpy(own.pubkey, d->pubkey, d->pubkey_len);
		own.pubkey_len = d->pubkey_len;
		k = &own;
	}
	if (escrow_dnssec_i_digest_len(d->digest_type) == 0 ||
	    d->digest_type == 1)
		return ESCROW_ERR_UNSUPPORTED;
	if (!escrow_dnssec_i_name_eq(ta->zone, ta->zone_len, k->owner,
	    k->owner_len))
		return ESCROW_ERR_DIGEST_MISMATCH;
	ret = escrow_dnssec_ds_make(k, d->digest_type, &ds);
	if (ret != ESCROW_OK)
		return ret;
	if (d->key_tag != ds.key_tag || d->algorithm != ds.algorithm ||
	    d->digest_len != ds.digest_len ||
	    memcmp(d->digest, ds.digest, ds.digest_len) != 0)
		return ESCROW_ERR_DIGEST_MISMATCH;
	if (d->has_pubkey && (d->flags != k->flags ||
	    d->pubkey_len != k->pubkey_len ||
	    memcmp(d->pubkey, k->pubkey, k->pubkey_len) != 0))
		return ESCROW_ERR_DIGEST_MISMATCH;
	return ESCROW_OK;
}

/* days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int
digits(const char **p, unsigned n, unsigned *out)
{
	unsigned v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + (unsigned)((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

/*
 * xsd:dateTime as RFC 9718 files write it, YYYY-MM-DDThh:mm:ss with an
 * optional fraction and an optional zone (Z or +hh:mm / -hh:mm; none:
 * UTC), to seconds since the epoch.
 */
static int
xsd_datetime(const char *s, int64_t *out)
{
	unsigned y, mo, d, h, mi, sec, zh = 0, zm = 0;
	int sign = 0;
	const char *p = s;

	if (digits(&p, 4, &y) != 0 || *p++ != '-' || digits(&p, 2, &mo) != 0 ||
	    *p++ != '-' || digits(&p, 2, &d) != 0 || *p++ != 'T' ||
	    digits(&p, 2, &h) != 0 || *p++ != ':' || digits(&p, 2, &mi) != 0 ||
	    *p++ != ':' || digits(&p, 2, &sec) != 0)
		return ESCROW_ERR_FORMAT;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		if (digits(&p, 2, &zh) != 0 || *p++ != ':' || digits(&p, 2, &zm) != 0 ||
		    zh > 14 || zm > 59)
			return ESCROW_ERR_FORMAT;
	}
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 ||
	    mi > 59 || sec > 60)
		return ESCROW_ERR_FORMAT;
	*out = days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + mi * 60 + sec -
	    sign * ((int64_t)zh * 3600 + zm * 60);
	return ESCROW_OK;
}

int
escrow_dnssec_ta_validity(const struct escrow_ta *ta, size_t index,
    int64_t now, int *state)
{
	const struct escrow_ta_digest *d;
	int64_t from, until;
	int ret;

	if (ta == NULL || state == NULL || index >= ta->count ||
	    index >= ESCROW_DNSSEC_TA_MAX)
		return ESCROW_ERR_INVALID_ARG;
	d = &ta->digests[index];
	if ((ret = xsd_datetime(d->valid_from, &from)) != ESCROW_OK)
		return ret;
	until = INT64_MAX;
	if (d->valid_until[0] != '\0' &&
	    (ret = xsd_datetime(d->valid_until, &until)) != ESCROW_OK)
		return ret;
	*state = now < from ? -1 : now >= until ? 1 : 0;
	return ESCROW_OK;
}
