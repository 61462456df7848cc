/*
 * ksr_check.c - what a KSK holder checks in a request before signing it
 * (after IANA's kskm: KSR-BUNDLE-UNIQUE, -KEYS, -POP, KSR-POLICY-ALG,
 * -SIG-VALIDITY, -SIG-OVERLAP), and each bundle's DNSKEY RRset and RRSIG
 * signed data as IANA's signer builds them.  Public data only.
 */
#include <stdlib.h>
#include <string.h>

#include "escrow_keys.h"
#include "ksr_int.h"

/* RSA modulus bits and exponent of an RFC 3110 public-key field. */
static int
rsa_shape(const uint8_t *pub, size_t len, unsigned long *bits,
    unsigned long *exp)
{
	size_t elen, off, i;
	unsigned long e = 0;

	if (len < 1)
		return ESCROW_ERR_FORMAT;
	if (pub[0] != 0) {
		elen = pub[0];
		off = 1;
	} else {
		if (len < 3)
			return ESCROW_ERR_FORMAT;
		elen = (size_t)pub[1] << 8 | pub[2];
		off = 3;
	}
	if (elen == 0 || elen > 4 || off + elen >= len || pub[off + elen] == 0)
		return ESCROW_ERR_FORMAT;
	for (i = 0; i < elen; i++)
		e = e << 8 | pub[off + i];
	*exp = e;
	*bits = (unsigned long)(len - off - elen) * 8;
	for (i = 0x80; i > 0 && !(pub[off + elen] & i); i >>= 1)
		(*bits)--;
	return ESCROW_OK;
}

static const struct escrow_ksr_key *
find_key(const struct escrow_ksr_bundle *b, const char *id)
{
	size_t i;

	for (i = 0; i < b->nkeys; i++)
		if (strcmp(b->keys[i].id, id) == 0)
			return &b->keys[i];
	return NULL;
}

static int
check_key(const struct escrow_ksr *k, const struct escrow_ksr_bundle *b,
    const struct escrow_ksr_key *key, char *err, size_t cap)
{
	unsigned long bits = 0, exp = 0;
	size_t a;
	uint16_t tag = escrow_dnssec_keytag(&key->dnskey);

	if (tag != key->key_tag) {
		ksr_err(err, cap, "bundle %s: key %s says key tag %u, its DNSKEY "
		    "has %u", b->id, key->id, key->key_tag, tag);
		return ESCROW_ERR_POLICY;
	}
	if (key->dnskey.flags != ESCROW_DNSSEC_FLAGS_ZSK) {
		ksr_err(err, cap, "bundle %s: key %u has flags %u; a ZSK has 256",
		    b->id, tag, key->dnskey.flags);
		return ESCROW_ERR_POLICY;
	}
	for (a = 0; a < k->zsk.nalgs; a++) {
		const struct escrow_ksr_alg *p = &k->zsk.algs[a];

		if (p->algorithm != key->dnskey.algorithm)
			continue;
		if (!p->rsa)
			return ESCROW_OK;
		if (rsa_shape(key->dnskey.pubkey, key->dnskey.pubkey_len, &bits,
		    &exp) == 0 && bits == p->size && exp == p->exponent)
			return ESCROW_OK;
	}
	ksr_err(err, cap, "bundle %s: key %u (algorithm %u, RSA-%lu, exponent "
	    "%lu) matches no algorithm of the request's ZSK policy", b->id, tag,
	    key->dnskey.algorithm, bits, exp);
	return ESCROW_ERR_POLICY;
}

/* The ZSK operator's proof of possession: sig over the bundle's own keys. */
static int
check_pop(const struct escrow_ksr *k, const struct escrow_ksr_bundle *b,
    const struct escrow_ksr_sig *s, char *err, size_t cap)
{
	const struct escrow_ksr_key *key = find_key(b, s->key_id);
	struct escrow_dnskey keys[ESCROW_KSR_KEYS_MAX];
	uint8_t domain[ESCROW_DNSSEC_NAME_MAX], *data = NULL;
	size_t i, len = 0, dlen;
	int ret;

	if (key == NULL) {
		ksr_err(err, cap, "bundle %s: a signature names key `%s', which "
		    "is not in the bundle", b->id, s->key_id);
		return ESCROW_ERR_POLICY;
	}
	if (s->rrsig.key_tag != key->key_tag ||
	    s->rrsig.algorithm != key->dnskey.algorithm ||
	    escrow_dnssec_name_from_text(k->domain, domain, &dlen) != 0 ||
	    escrow_dnssec_name_canonical(domain, dlen) != 0 ||
	    dlen != s->rrsig.signer_len ||
	    memcmp(domain, s->rrsig.signer, dlen) != 0) {
		ksr_err(err, cap, "bundle %s: the signature by key %u has key tag "
		    "%u, algorithm %u or a signer other than `%s'", b->id,
		    key->key_tag, s->rrsig.key_tag, s->rrsig.algorithm, k->domain);
		return ESCROW_ERR_POLICY;
	}
	for (i = 0; i < b->nkeys; i++)
		keys[i] = b->keys[i].dnskey;
	ret = escrow_dnssec_rrsig_signed_data(&s->rrsig, keys, b->nkeys, NULL, 0,
	    &len);
	if (ret != ESCROW_ERR_BUFFER_TOO_SMALL)
		return ret != 0 ? ret : ESCROW_ERR_CRYPTO;
	if ((data = malloc(len)) == NULL)
		return ESCROW_ERR_NOMEM;
	ret = escrow_dnssec_rrsig_signed_data(&s->rrsig, keys, b->nkeys, data,
	    len, &len);
	if (ret == 0)
		ret = escrow_keys_verify_dnskey(key->dnskey.algorithm,
		    key->dnskey.pubkey, key->dnskey.pubkey_len, data, len, s->data,
		    s->len);
	free(data);
	if (ret != 0) {
		ksr_err(err, cap, "bundle %s: the ZSK operator's signature by key "
		    "%u does not verify over the bundle's keys (%s)", b->id,
		    key->key_tag, escrow_strerror(ret));
		return ESCROW_ERR_KEY_MISMATCH;
	}
	return ESCROW_OK;
}

int
escrow_ksr_check_request(const struct escrow_ksr *k, char *err, size_t cap)
{
	char d1[48], d2[48];
	size_t i, j, a;
	int ret;

	if (k == NULL)
		return ESCROW_ERR_INVALID_ARG;
	if (k->response) {
		ksr_err(err, cap, "this is a response (SKR), not a request");
		return ESCROW_ERR_POLICY;
	}
	if (k->nbundles == 0) {
		ksr_err(err, cap, "the request has no bundles");
		return ESCROW_ERR_POLICY;
	}
	for (a = 0; a < k->zsk.nalgs; a++) {
		const struct escrow_ksr_alg *p = &k->zsk.algs[a];

		if ((p->algorithm != 8 && p->algorithm != 10) || !p->rsa ||
		    (p->size != 2048 && p->size != 3072 && p->size != 4096) ||
		    p->exponent != 65537) {
			ksr_err(err, cap, "the ZSK policy asks for algorithm %u "
			    "(size %lu, exponent %lu); approved are RSA/SHA-256 (8) "
			    "and RSA/SHA-512 (10), 2048-4096 bits, exponent 65537",
			    p->algorithm, p->size, p->exponent);
			return ESCROW_ERR_POLICY;
		}
	}
	for (i = 0; i < k->nbundles; i++) {
		const struct escrow_ksr_bundle *b = &k->bundles[i];
		int64_t validity = b->expiration - b->inception;

		for (j = 0; j < i; j++)
			if (strcmp(k->bundles[j].id, b->id) == 0) {
				ksr_err(err, cap, "bundle id %s appears twice", b->id);
				return ESCROW_ERR_POLICY;
			}
		if (validity < k->zsk.min_sig_validity ||
		    validity > k->zsk.max_sig_validity) {
			escrow_ksr_format_duration(k->zsk.min_sig_validity, d1);
			escrow_ksr_format_duration(k->zsk.max_sig_validity, d2);
			ksr_err(err, cap, "bundle %s: validity of %lld s is outside "
			    "the policy's %s..%s", b->id, (long long)validity, d1, d2);
			return ESCROW_ERR_POLICY;
		}
		if (i > 0) {
			const struct escrow_ksr_bundle *prev = &k->bundles[i - 1];
			int64_t overlap = prev->expiration - b->inception;

			if (b->inception < prev->inception ||
			    overlap < k->zsk.min_overlap ||
			    overlap > k->zsk.max_overlap) {
				escrow_ksr_format_duration(k->zsk.min_overlap, d1);
				escrow_ksr_format_duration(k->zsk.max_overlap, d2);
				ksr_err(err, cap, "bundle %s overlaps the one before by "
				    "%lld s; the policy wants %s..%s", b->id,
				    (long long)overlap, d1, d2);
				return ESCROW_ERR_POLICY;
			}
		}
		for (j = 0; j < b->nkeys; j++) {
			size_t s, found = 0;

			if ((ret = check_key(k, b, &b->keys[j], err, cap)) != 0)
				return ret;
			for (s = 0; s < b->nsigs; s++)
				found += strcmp(b->sigs[s].key_id, b->keys[j].id) == 0;
			if (!found) {
				ksr_err(err, cap, "bundle %s: key %u has not signed the "
				    "bundle (no proof of possession)", b->id,
				    b->keys[j].key_tag);
				return ESCROW_ERR_POLICY;
			}
		}
		for (j = 0; j < b->nsigs; j++)
			if ((ret = check_pop(k, b, &b->sigs[j], err, cap)) != 0)
				return ret;
	}
	return ESCROW_OK;
}

static int
tag_cmp(const void *a, const void *b)
{
	uint16_t x = escrow_dnssec_keytag(a), y = escrow_dnssec_keytag(b);

	return (x > y) - (x < y);
}

int
escrow_ksr_bundle_rrset(const struct escrow_ksr_bundle *b,
    const struct escrow_dnskey *ksk, struct escrow_dnskey *keys, size_t *nkeys)
{
	size_t i, j, n = 0;

	for (i = 0; i <= b->nkeys; i++) {
		const struct escrow_dnskey *k = i < b->nkeys ? &b->keys[i].dnskey : ksk;
		int dup = 0;

		for (j = 0; j < n; j++)
			dup |= keys[j].pubkey_len == k->pubkey_len &&
			    memcmp(keys[j].pubkey, k->pubkey, k->pubkey_len) == 0;
		if (dup)
			continue;
		keys[n] = *k;
		keys[n].ttl = ksk->ttl;
		n++;
	}
	qsort(keys, n, sizeof *keys, tag_cmp);
	*nkeys = n;
	return ESCROW_OK;
}

int
escrow_ksr_bundle_signed_data(const struct escrow_ksr_bundle *b,
    const struct escrow_dnskey *ksk, struct escrow_rrsig *sig, uint8_t **data,
    size_t *len)
{
	struct escrow_dnskey keys[ESCROW_KSR_KEYS_MAX + 1];
	size_t n = 0;
	int ret;

	*data = NULL;
	if ((ret = escrow_ksr_bundle_rrset(b, ksk, keys, &n)) != 0 ||
	    (ret = escrow_dnssec_rrsig_init(sig, ksk, (uint32_t)b->inception,
	    (uint32_t)b->expiration)) != 0)
		return ret;
	ret = escrow_dnssec_rrsig_signed_data(sig, keys, n, NULL, 0, len);
	if (ret != ESCROW_ERR_BUFFER_TOO_SMALL)
		return ret != 0 ? ret : ESCROW_ERR_CRYPTO;
	if ((*data = malloc(*len)) == NULL)
		return ESCROW_ERR_NOMEM;
	if ((ret = escrow_dnssec_rrsig_signed_data(sig, keys, n, *data, *len,
	    len)) != 0) {
		free(*data);
		*data = NULL;
	}
	return ret;
}
