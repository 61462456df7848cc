/*
 * ksr_write.c - the Signed Key Response, laid out as IANA's kskm writes
 * it (src/kskm/skr/output.py: four-space indents, keys sorted by key tag,
 * times as "+00:00"), then read back and validated against the schema
 * before anyone sees it.  Public data only.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "ksr_int.h"

struct sb {
	char *buf;
	size_t len, cap;
	int fail;
};

static void
sb_printf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->fail)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->fail = 1;
			return;
		}
		if ((size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		{
			size_t nc = b->cap * 2 + (size_t)n + 1;
			char *nb = realloc(b->buf, nc);

			if (nb == NULL) {
				b->fail = 1;
				return;
			}
			b->buf = nb;
			b->cap = nc;
		}
	}
}

/* XML-escaped copy of s in a static-size buffer (ids are < 256 bytes). */
static const char *
esc(const char *s, char out[static 6 * ESCROW_KSR_ID_MAX])
{
	size_t n = 0;

	for (; *s && n + 7 < 6 * ESCROW_KSR_ID_MAX; s++) {
		const char *r = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" :
		    *s == '>' ? "&gt;" : *s == '"' ? "&quot;" : *s == '\'' ?
		    "&apos;" : NULL;

		if (r != NULL) {
			memcpy(out + n, r, strlen(r));
			n += strlen(r);
		} else {
			out[n++] = *s;
		}
	}
	out[n] = '\0';
	return out;
}

static void
sb_b64(struct sb *b, const uint8_t *p, size_t n)
{
	char *t = malloc(4 * ((n + 2) / 3) + 1);

	if (t == NULL) {
		b->fail = 1;
		return;
	}
	EVP_EncodeBlock((unsigned char *)t, p, (int)n);
	sb_printf(b, "%s", t);
	free(t);
}

static void
policy(struct sb *b, const char *name, const struct escrow_ksr_policy *p)
{
	char d[6][48];
	size_t i;

	escrow_ksr_format_duration(p->publish_safety, d[0]);
	escrow_ksr_format_duration(p->retire_safety, d[1]);
	escrow_ksr_format_duration(p->max_sig_validity, d[2]);
	escrow_ksr_format_duration(p->min_sig_validity, d[3]);
	escrow_ksr_format_duration(p->max_overlap, d[4]);
	escrow_ksr_format_duration(p->min_overlap, d[5]);
	sb_printf(b, "            <%s>\n"
	    "                <PublishSafety>%s</PublishSafety>\n"
	    "                <RetireSafety>%s</RetireSafety>\n"
	    "                <MaxSignatureValidity>%s</MaxSignatureValidity>\n"
	    "                <MinSignatureValidity>%s</MinSignatureValidity>\n"
	    "                <MaxValidityOverlap>%s</MaxValidityOverlap>\n"
	    "                <MinValidityOverlap>%s</MinValidityOverlap>\n",
	    name, d[0], d[1], d[2], d[3], d[4], d[5]);
	for (i = 0; i < p->nalgs; i++) {
		sb_printf(b, "                <SignatureAlgorithm algorithm=\"%u\">\n",
		    p->algs[i].algorithm);
		if (p->algs[i].rsa)
			sb_printf(b, "                    <RSA size=\"%lu\" "
			    "exponent=\"%lu\"/>\n", p->algs[i].size,
			    p->algs[i].exponent);
		else
			sb_printf(b, "                    <ECDSA size=\"%lu\"/>\n",
			    p->algs[i].size);
		sb_printf(b, "                </SignatureAlgorithm>\n");
	}
	sb_printf(b, "            </%s>\n", name);
}

/* keyIdentifier of a key in the RRset: the request's, or ksk_id. */
static const char *
key_id(const struct escrow_ksr_bundle *bu, const struct escrow_dnskey *k,
    const char *ksk_id)
{
	size_t i;

	for (i = 0; i < bu->nkeys; i++)
		if (bu->keys[i].dnskey.pubkey_len == k->pubkey_len &&
		    memcmp(bu->keys[i].dnskey.pubkey, k->pubkey, k->pubkey_len) == 0)
			return bu->keys[i].id;
	return ksk_id;
}

void
escrow_ksr_default_ksk_policy(struct escrow_ksr_policy *p, int alg,
    unsigned bits)
{
	memset(p, 0, sizeof *p);
	p->publish_safety = 0;
	p->retire_safety = 28 * 86400;
	p->max_sig_validity = 21 * 86400;
	p->min_sig_validity = 21 * 86400;
	p->max_overlap = 16 * 86400;
	p->min_overlap = 9 * 86400;
	p->nalgs = 1;
	p->algs[0].algorithm = (uint8_t)alg;
	p->algs[0].rsa = 1;
	p->algs[0].size = bits;
	p->algs[0].exponent = 65537;
}

int
escrow_skr_write(const struct escrow_ksr *k,
    const struct escrow_ksr_policy *ksk_policy,
    const struct escrow_dnskey *ksk, const char *ksk_id,
    const uint8_t *const *sigs, size_t siglen, char **xml, size_t *xml_len,
    char *err, size_t errcap)
{
	struct sb b = { NULL, 0, 0, 0 };
	struct escrow_ksr *back = NULL;
	char e1[6 * ESCROW_KSR_ID_MAX], e2[6 * ESCROW_KSR_ID_MAX], t1[32], t2[32];
	char signer[ESCROW_DNSSEC_NAME_TEXT_MAX];
	size_t i, j;
	int ret;

	*xml = NULL;
	if ((b.buf = malloc(b.cap = 65536)) == NULL)
		return ESCROW_ERR_NOMEM;
	b.buf[0] = '\0';
	sb_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<KSR id=\"%s\" domain=\"%s\" serial=\"%lu\">\n    <Response>\n"
	    "        <ResponsePolicy>\n", esc(k->id, e1), esc(k->domain, e2),
	    k->serial);
	policy(&b, "KSK", ksk_policy);
	policy(&b, "ZSK", &k->zsk);
	sb_printf(&b, "        </ResponsePolicy>\n");
	for (i = 0; i < k->nbundles; i++) {
		const struct escrow_ksr_bundle *bu = &k->bundles[i];
		struct escrow_dnskey keys[ESCROW_KSR_KEYS_MAX + 1];
		struct escrow_rrsig sig;
		size_t n;

		if ((ret = escrow_ksr_bundle_rrset(bu, ksk, keys, &n)) != 0 ||
		    (ret = escrow_dnssec_rrsig_init(&sig, ksk,
		    (uint32_t)bu->inception, (uint32_t)bu->expiration)) != 0 ||
		    (ret = escrow_dnssec_name_to_text(sig.signer, sig.signer_len,
		    signer, sizeof signer)) != 0)
			goto done;
		escrow_ksr_format_datetime(bu->inception, t1);
		escrow_ksr_format_datetime(bu->expiration, t2);
		sb_printf(&b, "        <ResponseBundle id=\"%s\">\n"
		    "            <Inception>%s</Inception>\n"
		    "            <Expiration>%s</Expiration>\n", esc(bu->id, e1),
		    t1, t2);
		for (j = 0; j < n; j++) {
			sb_printf(&b, "            <Key keyIdentifier=\"%s\" "
			    "keyTag=\"%u\">\n                <TTL>%u</TTL>\n"
			    "                <Flags>%u</Flags>\n"
			    "                <Protocol>%u</Protocol>\n"
			    "                <Algorithm>%u</Algorithm>\n"
			    "                <PublicKey>",
			    esc(key_id(bu, &keys[j], ksk_id), e1),
			    escrow_dnssec_keytag(&keys[j]), keys[j].ttl,
			    keys[j].flags, keys[j].protocol, keys[j].algorithm);
			sb_b64(&b, keys[j].pubkey, keys[j].pubkey_len);
			sb_printf(&b, "</PublicKey>\n            </Key>\n");
		}
		sb_printf(&b, "            <Signature keyIdentifier=\"%s\">\n"
		    "                <TTL>%u</TTL>\n"
		    "                <TypeCovered>DNSKEY</TypeCovered>\n"
		    "                <Algorithm>%u</Algorithm>\n"
		    "                <Labels>%u</Labels>\n"
		    "                <OriginalTTL>%u</OriginalTTL>\n"
		    "                <SignatureExpiration>%s</SignatureExpiration>\n"
		    "                <SignatureInception>%s</SignatureInception>\n"
		    "                <KeyTag>%u</KeyTag>\n"
		    "                <SignersName>%s</SignersName>\n"
		    "                <SignatureData>", esc(ksk_id, e1), ksk->ttl,
		    sig.algorithm, sig.labels, sig.original_ttl, t2, t1,
		    sig.key_tag, esc(signer, e2));
		sb_b64(&b, sigs[i], siglen);
		sb_printf(&b, "</SignatureData>\n            </Signature>\n"
		    "        </ResponseBundle>\n");
	}
	sb_printf(&b, "    </Response>\n</KSR>\n");
	if (b.fail) {
		ret = ESCROW_ERR_NOMEM;
		goto done;
	}
	/* what we hand out must read back, schema and all */
	if ((ret = escrow_ksr_parse(b.buf, b.len, &back, err, errcap)) != 0)
		goto done;
	if (back->nbundles != k->nbundles || !back->response) {
		ksr_err(err, errcap, "the SKR written does not read back the same");
		ret = ESCROW_ERR_FORMAT;
		goto done;
	}
	*xml = b.buf;
	b.buf = NULL;
	if (xml_len != NULL)
		*xml_len = b.len;
	ret = ESCROW_OK;
done:
	free(back);
	free(b.buf);
	return ret;
}
