/*
 * ksr_zone.c - a signing request in zone-file form, for KSK operators
 * without KSRs: the DNSKEY RRset to sign as zone-file lines plus the
 * signature validity as "; inception" / "; expiration" directives.  It
 * becomes a one-bundle request (struct escrow_ksr).  Public data only;
 * the input is hostile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escrow_text.h"
#include "ksr_int.h"

#define ZONE_LINE_MAX 8192

/* YYYYMMDDHHmmSS (RFC 4034 3.2) to seconds. */
static int
rrsig_time(const char *s, int64_t *t)
{
	char iso[32];

	if (strlen(s) != 14 || strspn(s, "0123456789") != 14)
		return ESCROW_ERR_FORMAT;
	snprintf(iso, sizeof iso, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s", s, s + 4,
	    s + 6, s + 8, s + 10, s + 12);
	return escrow_ksr_parse_datetime(iso, t);
}

static size_t
tokens(char *line, char **tok, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (*p && n < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == ';')
			break;
		tok[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static int
num_tok(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	*v = strtoul(s, &end, 10);
	return *end != '\0' || *v > max ? -1 : 0;
}

static int
zone_record(struct escrow_ksr *k, char **tok, size_t nt, unsigned lineno,
    char *err, size_t cap)
{
	struct escrow_ksr_bundle *b = &k->bundles[0];
	struct escrow_ksr_key *key;
	unsigned long ttl, flags, proto, alg;
	uint8_t pub[ESCROW_KEYS_PUBKEY_MAX];
	char b64[4 * ESCROW_KEYS_PUBKEY_MAX];
	size_t i = 1, publen, bl = 0;

	if (nt < 7 || num_tok(tok[i++], 0x7fffffff, &ttl) != 0)
		goto bad;
	if (strcmp(tok[i], "IN") == 0)
		i++;
	if (i + 4 > nt || strcmp(tok[i++], "DNSKEY") != 0 ||
	    num_tok(tok[i++], 65535, &flags) != 0 ||
	    num_tok(tok[i++], 255, &proto) != 0 || proto != 3 ||
	    num_tok(tok[i++], 255, &alg) != 0 || alg == 0)
		goto bad;
	for (; i < nt; i++) {
		size_t tl = strlen(tok[i]);

		if (bl + tl + 1 > sizeof b64)
			goto bad;
		memcpy(b64 + bl, tok[i], tl);
		bl += tl;
	}
	b64[bl] = '\0';
	if (bl == 0 || escrow_text_unbase64(b64, bl, pub, sizeof pub,
	    &publen) != 0)
		goto bad;
	if (k->domain[0] == '\0') {
		if (strlen(tok[0]) >= sizeof k->domain)
			goto bad;
		memcpy(k->domain, tok[0], strlen(tok[0]) + 1);
	} else if (strcasecmp(k->domain, tok[0]) != 0) {
		ksr_err(err, cap, "line %u: owner `%s' differs from `%s': one "
		    "RRset has one owner", lineno, tok[0], k->domain);
		return ESCROW_ERR_FORMAT;
	}
	if (b->nkeys == ESCROW_KSR_KEYS_MAX) {
		ksr_err(err, cap, "line %u: more than %d DNSKEY records", lineno,
		    ESCROW_KSR_KEYS_MAX);
		return ESCROW_ERR_TOO_LARGE;
	}
	key = &b->keys[b->nkeys];
	if (escrow_dnssec_dnskey_init(&key->dnskey, k->domain, 256, (int)alg,
	    pub, publen) != 0)
		goto bad;
	key->dnskey.flags = (uint16_t)flags;
	key->dnskey.ttl = (uint32_t)ttl;
	key->key_tag = escrow_dnssec_keytag(&key->dnskey);
	snprintf(key->id, sizeof key->id, "K%05u", key->key_tag);
	b->nkeys++;
	return ESCROW_OK;
bad:
	ksr_err(err, cap, "line %u: not a DNSKEY record \"<owner> <ttl> [IN] "
	    "DNSKEY <flags> 3 <algorithm> <base64>\"", lineno);
	return ESCROW_ERR_FORMAT;
}

int
escrow_ksr_zone_parse(const char *text, size_t len, struct escrow_ksr **out,
    char *err, size_t cap)
{
	struct escrow_ksr *k;
	char line[ZONE_LINE_MAX], *tok[64];
	const char *p = text, *end = text + len;
	unsigned lineno = 0;
	int have_inc = 0, have_exp = 0, ret = ESCROW_ERR_FORMAT;

	*out = NULL;
	if (len > ESCROW_KSR_MAX_INPUT)
		return ESCROW_ERR_TOO_LARGE;
	if ((k = calloc(1, sizeof *k)) == NULL)
		return ESCROW_ERR_NOMEM;
	k->nbundles = 1;
	snprintf(k->id, sizeof k->id, "zone-file request");
	snprintf(k->bundles[0].id, sizeof k->bundles[0].id, "zone");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = (size_t)((nl != NULL ? nl : end) - p);
		size_t nt;

		lineno++;
		if (ll >= sizeof line) {
			ksr_err(err, cap, "line %u is longer than %d bytes", lineno,
			    ZONE_LINE_MAX);
			goto done;
		}
		if (memchr(p, '\0', ll) != NULL) {
			ksr_err(err, cap, "line %u holds a NUL byte", lineno);
			goto done;
		}
		memcpy(line, p, ll);
		line[ll] = '\0';
		if (ll > 0 && line[ll - 1] == '\r')
			line[ll - 1] = '\0';
		p += ll + (nl != NULL);
		{
			char *c = line + strspn(line, " \t");

			if (*c == ';') {
				char *w[3];
				size_t nw = tokens(c + 1, w, 3);

				if (nw == 2 && strcmp(w[0], "inception") == 0) {
					if (rrsig_time(w[1], &k->bundles[0].inception) != 0)
						goto badtime;
					have_inc = 1;
				} else if (nw == 2 && strcmp(w[0], "expiration") == 0) {
					if (rrsig_time(w[1], &k->bundles[0].expiration) != 0)
						goto badtime;
					have_exp = 1;
				}
				continue;
			}
		}
		nt = tokens(line, tok, 64);
		if (nt == 0)
			continue;
		if ((ret = zone_record(k, tok, nt, lineno, err, cap)) != 0)
			goto done;
		ret = ESCROW_ERR_FORMAT;
	}
	if (k->bundles[0].nkeys == 0) {
		ksr_err(err, cap, "no DNSKEY record");
		goto done;
	}
	if (!have_inc || !have_exp ||
	    k->bundles[0].expiration <= k->bundles[0].inception) {
		ksr_err(err, cap, "needs \"; inception YYYYMMDDHHmmSS\" and \"; "
		    "expiration YYYYMMDDHHmmSS\" lines, the expiration later");
		goto done;
	}
	*out = k;
	k = NULL;
	ret = ESCROW_OK;
	goto done;
badtime:
	ksr_err(err, cap, "line %u: a time is YYYYMMDDHHmmSS (UTC)", lineno);
done:
	free(k);
	return ret;
}
