/*
 * dnssec_rrsig.c - the RRSIG over a DNSKEY RRset: its fields, the signed
 * data (RFC 4034 3.1.8.1 with the canonical form and order of 6.2 and
 * 6.3), and its presentation line.  Public data only: the signature itself
 * is made elsewhere (escrow_keys_sign, or inside an HSM).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escrow_bytes.h"
#include "escrow_dnssec.h"
#include "dnssec_int.h"

int
escrow_dnssec_rrsig_init(struct escrow_rrsig *sig, const struct escrow_dnskey *k,
    uint32_t inception, uint32_t expiration)
{
	unsigned labels = 0;
	int ret;

	if (sig == NULL || k == NULL)
		return ESCROW_ERR_INVALID_ARG;
	memset(sig, 0, sizeof *sig);
	ret = escrow_dnssec_name_labels(k->owner, k->owner_len, &labels);
	if (ret != ESCROW_OK)
		return ret;
	sig->type_covered = ESCROW_DNSSEC_TYPE_DNSKEY;
	sig->algorithm = k->algorithm;
	sig->labels = (uint8_t)labels;
	sig->original_ttl = k->ttl;
	sig->expiration = expiration;
	sig->inception = inception;
	sig->key_tag = escrow_dnssec_keytag(k);
	memcpy(sig->signer, k->owner, k->owner_len);
	sig->signer_len = k->owner_len;
	return escrow_dnssec_name_canonical(sig->signer, sig->signer_len);
}

struct rr {
	uint8_t rdata[4 + ESCROW_KEYS_PUBKEY_MAX];
	size_t len;
};

/* RFC 4034 6.3: RDATA as left-justified octet strings, shorter first. */
static int
rr_cmp(const void *a, const void *b)
{
	const struct rr *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->rdata, y->rdata, n);

	if (c != 0)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

int
escrow_dnssec_rrsig_signed_data(const struct escrow_rrsig *sig,
    const struct escrow_dnskey *keys, size_t n, uint8_t *out, size_t cap,
    size_t *len)
{
	uint8_t owner[ESCROW_DNSSEC_NAME_MAX];
	struct rr *rrs = NULL;
	size_t i, need, pos, owner_len;
	int ret;

	if (sig == NULL || keys == NULL || n == 0 || n > 64 || len == NULL ||
	    !escrow_dnssec_i_name_valid(sig->signer, sig->signer_len))
		return ESCROW_ERR_INVALID_ARG;
	owner_len = keys[0].owner_len;
	if (!escrow_dnssec_i_name_valid(keys[0].owner, owner_len))
		return ESCROW_ERR_INVALID_ARG;
	memcpy(owner, keys[0].owner, owner_len);
	ret = escrow_dnssec_name_canonical(owner, owner_len);
	if (ret != ESCROW_OK)
		return ret;
	rrs = calloc(n, sizeof *rrs);
	if (rrs == NULL)
		return ESCROW_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		if (!escrow_dnssec_i_name_eq(keys[i].owner, keys[i].owner_len,
		    owner, owner_len)) {
			ret = ESCROW_ERR_INVALID_ARG;
			goto out;
		}
		ret = escrow_dnssec_dnskey_rdata(&keys[i], rrs[i].rdata,
		    sizeof rrs[i].rdata, &rrs[i].len);
		if (ret != ESCROW_OK)
			goto out;
	}
	qsort(rrs, n, sizeof *rrs, rr_cmp);
	need = 18 + sig->signer_len;
	for (i = 0; i < n; i++)
		if (i == 0 || rr_cmp(&rrs[i - 1], &rrs[i]) != 0)
			need += owner_len + 10 + rrs[i].len;
	*len = need;
	if (out == NULL || need > cap) {
		ret = ESCROW_ERR_BUFFER_TOO_SMALL;
		goto out;
	}
	escrow_put16(out, sig->type_covered);
	out[2] = sig->algorithm;
	out[3] = sig->labels;
	escrow_put32(out + 4, sig->original_ttl);
	escrow_put32(out + 8, sig->expiration);
	escrow_put32(out + 12, sig->inception);
	escrow_put16(out + 16, sig->key_tag);
	memcpy(out + 18, sig->signer, sig->signer_len);
	pos = 18 + sig->signer_len;
	for (i = 0; i < n; i++) {
		if (i > 0 && rr_cmp(&rrs[i - 1], &rrs[i]) == 0)
			continue; /* duplicates are not part of an RRset */
		memcpy(out + pos, owner, owner_len);
		pos += owner_len;
		escrow_put16(out + pos, ESCROW_DNSSEC_TYPE_DNSKEY);
		escrow_put16(out + pos + 2, 1); /* class IN */
		escrow_put32(out + pos + 4, sig->original_ttl);
		escrow_put16(out + pos + 8, (unsigned)rrs[i].len);
		memcpy(out + pos + 10, rrs[i].rdata, rrs[i].len);
		pos += 10 + rrs[i].len;
	}
	ret = ESCROW_OK;
out:
	free(rrs);
	return ret;
}

static void
put_time(struct escrow_text *tb, uint32_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL) {
		escrow_text_printf(tb, "%u", (unsigned)t);
		return;
	}
	escrow_text_printf(tb, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int
escrow_dnssec_rrsig_text(const struct escrow_rrsig *sig,
    const uint8_t *signature, size_t siglen, char *out, size_t cap)
{
	char signer[ESCROW_DNSSEC_NAME_TEXT_MAX];
	struct escrow_text tb;
	int ret;

	if (sig == NULL || signature == NULL || siglen == 0 || out == NULL ||
	    sig->type_covered != ESCROW_DNSSEC_TYPE_DNSKEY)
		return ESCROW_ERR_INVALID_ARG;
	ret = escrow_dnssec_name_to_text(sig->signer, sig->signer_len, signer,
	    sizeof signer);
	if (ret != ESCROW_OK)
		return ret;
	escrow_text_init_fixed(&tb, out, cap);
	escrow_text_printf(&tb, "%s %u IN RRSIG DNSKEY %u %u %u ", signer,
	    (unsigned)sig->original_ttl, sig->algorithm, sig->labels,
	    (unsigned)sig->original_ttl);
	put_time(&tb, sig->expiration);
	escrow_text_str(&tb, " ");
	put_time(&tb, sig->inception);
	escrow_text_printf(&tb, " %u %s ", sig->key_tag, signer);
	escrow_text_base64(&tb, signature, siglen);
	return escrow_text_done(&tb);
}
