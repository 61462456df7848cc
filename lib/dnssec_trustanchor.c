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
