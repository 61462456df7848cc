/*
 * ksr_read.c - from a schema-valid KSR/SKR document to struct escrow_ksr:
 * every value read strictly (numbers in range, UTC dates, durations,
 * base64, owner names).  Public data only; the document is hostile even
 * after schema validation (the schema does not bound lengths or counts).
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "escrow_text.h"
#include "ksr_int.h"

struct rd {
	char *err;
	size_t cap;
	const char *where; /* bundle id, for messages */
};

static xmlNodePtr
el(xmlNodePtr n)
{
	while (n != NULL && n->type != XML_ELEMENT_NODE)
		n = n->next;
	return n;
}

#define FIRST(n) el((n)->children)
#define NEXT(n) el((n)->next)

static int
is(xmlNodePtr n, const char *name)
{
	return n != NULL && xmlStrcmp(n->name, (const xmlChar *)name) == 0;
}

/* Text content, surrounding whitespace trimmed. */
static int
text(struct rd *r, xmlNodePtr n, char *out, size_t cap)
{
	xmlChar *c = xmlNodeGetContent(n);
	const char *s, *e;
	size_t len;

	if (c == NULL)
		return ESCROW_ERR_NOMEM;
	s = (const char *)c;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
	    e[-1] == '\r'))
		e--;
	len = (size_t)(e - s);
	if (len + 1 > cap) {
		ksr_err(r->err, r->cap, "%s: <%s> is too long (%zu bytes)",
		    r->where, (const char *)n->name, len);
		xmlFree(c);
		return ESCROW_ERR_TOO_LARGE;
	}
	memcpy(out, s, len);
	out[len] = '\0';
	xmlFree(c);
	return ESCROW_OK;
}

static int
attr(struct rd *r, xmlNodePtr n, const char *name, char *out, size_t cap)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	size_t len;

	if (v == NULL) {
		ksr_err(r->err, r->cap, "%s: <%s> has no %s", r->where,
		    (const char *)n->name, name);
		return ESCROW_ERR_FORMAT;
	}
	len = strlen((const char *)v);
	if (len + 1 > cap) {
		ksr_err(r->err, r->cap, "%s: <%s %s> is too long", r->where,
		    (const char *)n->name, name);
		xmlFree(v);
		return ESCROW_ERR_TOO_LARGE;
	}
	memcpy(out, v, len + 1);
	xmlFree(v);
	return ESCROW_OK;
}

static int
num_str(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (*s == '+')
		s++;
	if (*s == '\0')
		return ESCROW_ERR_FORMAT;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return ESCROW_ERR_FORMAT;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return ESCROW_ERR_FORMAT;
	}
	*out = v;
	return ESCROW_OK;
}

static int
num(struct rd *r, xmlNodePtr n, unsigned long max, unsigned long *out)
{
	char buf[32];
	int ret;

	if ((ret = text(r, n, buf, sizeof buf)) != 0)
		return ret;
	if (num_str(buf, max, out) != 0) {
		ksr_err(r->err, r->cap, "%s: <%s> is not a number up to %lu: `%s'",
		    r->where, (const char *)n->name, max, buf);
		return ESCROW_ERR_FORMAT;
	}
	return ESCROW_OK;
}

static int
when(struct rd *r, xmlNodePtr n, int64_t *t)
{
	char buf[64];
	int ret;

	if ((ret = text(r, n, buf, sizeof buf)) != 0)
		return ret;
	if (escrow_ksr_parse_datetime(buf, t) != 0) {
		ksr_err(r->err, r->cap, "%s: <%s> is not a UTC date and time: `%s'",
		    r->where, (const char *)n->name, buf);
		return ESCROW_ERR_FORMAT;
	}
	return ESCROW_OK;
}

static int
b64(struct rd *r, xmlNodePtr n, uint8_t *out, size_t cap, size_t *len)
{
	char *buf = malloc(4 * cap);
	int ret;

	if (buf == NULL)
		return ESCROW_ERR_NOMEM;
	if ((ret = text(r, n, buf, 4 * cap)) == 0 &&
	    (ret = escrow_text_unbase64(buf, strlen(buf), out, cap, len)) != 0)
		ksr_err(r->err, r->cap, "%s: <%s> is not base64 of at most %zu bytes",
		    r->where, (const char *)n->name, cap);
	free(buf);
	return ret;
}

static int
read_policy(struct rd *r, xmlNodePtr n, struct escrow_ksr_policy *p)
{
	int64_t *d[6] = { &p->publish_safety, &p->retire_safety,
		&p->max_sig_validity, &p->min_sig_validity, &p->max_overlap,
		&p->min_overlap };
	char buf[64];
	int i, ret;

	memset(p, 0, sizeof *p);
	n = FIRST(n);
	for (i = 0; i < 6; i++, n = NEXT(n)) {
		if (n == NULL)
			return ESCROW_ERR_SCHEMA;
		if ((ret = text(r, n, buf, sizeof buf)) != 0)
			return ret;
		if (escrow_ksr_parse_duration(buf, d[i]) != 0) {
			ksr_err(r->err, r->cap, "policy: <%s> is not a duration "
			    "of days, hours, minutes, seconds: `%s'",
			    (const char *)n->name, buf);
			return ESCROW_ERR_FORMAT;
		}
	}
	for (; is(n, "SignatureAlgorithm"); n = NEXT(n)) {
		struct escrow_ksr_alg *a;
		xmlNodePtr k = FIRST(n);
		unsigned long v;

		if (p->nalgs == ESCROW_KSR_ALGS_MAX) {
			ksr_err(r->err, r->cap, "policy: more than %d algorithms",
			    ESCROW_KSR_ALGS_MAX);
			return ESCROW_ERR_TOO_LARGE;
		}
		a = &p->algs[p->nalgs++];
		if ((ret = attr(r, n, "algorithm", buf, sizeof buf)) != 0)
			return ret;
		if (num_str(buf, 255, &v) != 0)
			return ESCROW_ERR_FORMAT;
		a->algorithm = (uint8_t)v;
		a->rsa = is(k, "RSA");
		if ((ret = attr(r, k, "size", buf, sizeof buf)) != 0 ||
		    num_str(buf, 1u << 20, &a->size) != 0)
			return ret != 0 ? ret : ESCROW_ERR_FORMAT;
		if (a->rsa && ((ret = attr(r, k, "exponent", buf, sizeof buf)) != 0 ||
		    num_str(buf, 0xffffffffUL, &a->exponent) != 0))
			return ret != 0 ? ret : ESCROW_ERR_FORMAT;
	}
	return ESCROW_OK;
}

static int
read_key(struct rd *r, xmlNodePtr n, const char *domain,
    struct escrow_ksr_key *k)
{
	uint8_t pub[ESCROW_KEYS_PUBKEY_MAX];
	unsigned long ttl, flags, proto, alg, tag;
	char buf[32];
	size_t publen;
	int ret;

	if ((ret = attr(r, n, "keyIdentifier", k->id, sizeof k->id)) != 0 ||
	    (ret = attr(r, n, "keyTag", buf, sizeof buf)) != 0)
		return ret;
	if (num_str(buf, 65535, &tag) != 0)
		return ESCROW_ERR_FORMAT;
	k->key_tag = (uint16_t)tag;
	n = FIRST(n);
	if ((ret = num(r, n, 0x7fffffff, &ttl)) != 0 ||
	    (ret = num(r, n = NEXT(n), 65535, &flags)) != 0 ||
	    (ret = num(r, n = NEXT(n), 255, &proto)) != 0 ||
	    (ret = num(r, n = NEXT(n), 255, &alg)) != 0 ||
	    (ret = b64(r, n = NEXT(n), pub, sizeof pub, &publen)) != 0)
		return ret;
	if (proto != 3 || alg == 0 || publen == 0) {
		ksr_err(r->err, r->cap, "%s: key %s: protocol %lu, algorithm %lu",
		    r->where, k->id, proto, alg);
		return ESCROW_ERR_FORMAT;
	}
	if ((ret = escrow_dnssec_dnskey_init(&k->dnskey, domain, 256,
	    (int)alg, pub, publen)) != 0) {
		ksr_err(r->err, r->cap, "%s: key %s cannot be a DNSKEY of `%s'",
		    r->where, k->id, domain);
		return ret;
	}
	k->dnskey.flags = (uint16_t)flags;
	k->dnskey.ttl = (uint32_t)ttl;
	return ESCROW_OK;
}

static int
read_sig(struct rd *r, xmlNodePtr n, struct escrow_ksr_sig *s)
{
	unsigned long ttl, alg, labels, ottl, tag;
	int64_t exp, inc;
	char type[16], signer[ESCROW_DNSSEC_NAME_TEXT_MAX];
	int ret;

	if ((ret = attr(r, n, "keyIdentifier", s->key_id, sizeof s->key_id)) != 0)
		return ret;
	n = FIRST(n);
	if ((ret = num(r, n, 0x7fffffff, &ttl)) != 0 ||
	    (ret = text(r, n = NEXT(n), type, sizeof type)) != 0 ||
	    (ret = num(r, n = NEXT(n), 255, &alg)) != 0 ||
	    (ret = num(r, n = NEXT(n), 255, &labels)) != 0 ||
	    (ret = num(r, n = NEXT(n), 0x7fffffff, &ottl)) != 0 ||
	    (ret = when(r, n = NEXT(n), &exp)) != 0 ||
	    (ret = when(r, n = NEXT(n), &inc)) != 0 ||
	    (ret = num(r, n = NEXT(n), 65535, &tag)) != 0 ||
	    (ret = text(r, n = NEXT(n), signer, sizeof signer)) != 0 ||
	    (ret = b64(r, n = NEXT(n), s->data, sizeof s->data, &s->len)) != 0)
		return ret;
	if (strcmp(type, "DNSKEY") != 0) {
		ksr_err(r->err, r->cap, "%s: a signature covers `%s', not DNSKEY",
		    r->where, type);
		return ESCROW_ERR_FORMAT;
	}
	if (escrow_dnssec_name_from_text(signer, s->rrsig.signer,
	    &s->rrsig.signer_len) != 0 ||
	    escrow_dnssec_name_canonical(s->rrsig.signer, s->rrsig.signer_len) != 0) {
		ksr_err(r->err, r->cap, "%s: signer `%s' is not a domain name",
		    r->where, signer);
		return ESCROW_ERR_FORMAT;
	}
	s->ttl = (uint32_t)ttl;
	s->rrsig.type_covered = ESCROW_DNSSEC_TYPE_DNSKEY;
	s->rrsig.algorithm = (uint8_t)alg;
	s->rrsig.labels = (uint8_t)labels;
	s->rrsig.original_ttl = (uint32_t)ottl;
	s->rrsig.expiration = (uint32_t)exp;
	s->rrsig.inception = (uint32_t)inc;
	s->rrsig.key_tag = (uint16_t)tag;
	return ESCROW_OK;
}

static int
read_bundle(struct rd *r, xmlNodePtr n, const char *domain,
    struct escrow_ksr_bundle *b)
{
	int ret;

	if ((ret = attr(r, n, "id", b->id, sizeof b->id)) != 0)
		return ret;
	r->where = b->id;
	n = FIRST(n);
	if ((ret = when(r, n, &b->inception)) != 0 ||
	    (ret = when(r, n = NEXT(n), &b->expiration)) != 0)
		return ret;
	for (n = NEXT(n); is(n, "Signer"); n = NEXT(n))
		; /* IANA's signer ignores them too */
	for (; is(n, "Key"); n = NEXT(n)) {
		if (b->nkeys == ESCROW_KSR_KEYS_MAX) {
			ksr_err(r->err, r->cap, "bundle %s: more than %d keys",
			    b->id, ESCROW_KSR_KEYS_MAX);
			return ESCROW_ERR_TOO_LARGE;
		}
		if ((ret = read_key(r, n, domain, &b->keys[b->nkeys++])) != 0)
			return ret;
	}
	for (; is(n, "Signature"); n = NEXT(n)) {
		if (b->nsigs == ESCROW_KSR_SIGS_MAX) {
			ksr_err(r->err, r->cap, "bundle %s: more than %d signatures",
			    b->id, ESCROW_KSR_SIGS_MAX);
			return ESCROW_ERR_TOO_LARGE;
		}
		if ((ret = read_sig(r, n, &b->sigs[b->nsigs++])) != 0)
			return ret;
	}
	return ESCROW_OK;
}

int
escrow_ksr_parse(const char *xml, size_t len, struct escrow_ksr **out,
    char *err, size_t errcap)
{
	struct rd r = { err, errcap, "KSR" };
	struct escrow_ksr *k = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root, n;
	char buf[32];
	uint8_t wire[ESCROW_DNSSEC_NAME_MAX];
	size_t wlen;
	int ret;

	if (xml == NULL || out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	*out = NULL;
	ksr_err(err, errcap, "no error");
	if ((ret = ksr_xml_read(xml, len, &doc, err, errcap)) != 0)
		return ret;
	if ((ret = ksr_schema_validate(doc, err, errcap)) != 0)
		goto done;
	if ((k = calloc(1, sizeof *k)) == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto done;
	}
	root = xmlDocGetRootElement(doc);
	if ((ret = attr(&r, root, "id", k->id, sizeof k->id)) != 0 ||
	    (ret = attr(&r, root, "domain", k->domain, sizeof k->domain)) != 0 ||
	    (ret = attr(&r, root, "serial", buf, sizeof buf)) != 0)
		goto done;
	if (num_str(buf, 0xffffffffUL, &k->serial) != 0 ||
	    escrow_dnssec_name_from_text(k->domain, wire, &wlen) != 0) {
		ksr_err(err, errcap, "KSR: serial `%s' or domain `%s' unreadable",
		    buf, k->domain);
		ret = ESCROW_ERR_FORMAT;
		goto done;
	}
	n = FIRST(root);
	k->response = is(n, "Response");
	n = FIRST(n); /* RequestPolicy / ResponsePolicy */
	{
		xmlNodePtr p = FIRST(n);

		if (k->response) {
			if ((ret = read_policy(&r, p, &k->ksk)) != 0)
				goto done;
			p = NEXT(p);
		}
		if ((ret = read_policy(&r, p, &k->zsk)) != 0)
			goto done;
	}
	for (n = NEXT(n); n != NULL; n = NEXT(n)) {
		if (k->nbundles == ESCROW_KSR_BUNDLES_MAX) {
			ksr_err(err, errcap, "more than %d bundles",
			    ESCROW_KSR_BUNDLES_MAX);
			ret = ESCROW_ERR_TOO_LARGE;
			goto done;
		}
		if ((ret = read_bundle(&r, n, k->domain,
		    &k->bundles[k->nbundles++])) != 0)
			goto done;
	}
	*out = k;
	k = NULL;
	ret = ESCROW_OK;
done:
	free(k);
	xmlFreeDoc(doc);
	return ret;
}
