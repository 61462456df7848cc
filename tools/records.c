/*
 * records.c - the public records of an envelope's keys (see records.h).
 * Only public data passes through here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "escrow_keys.h"
#include "records.h"
#include "tool.h"

void
tool_time_iso(uint64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, 32, "%Y-%m-%dT%H:%M:%S+00:00", &tm) == 0)
		snprintf(out, 32, "%llu", (unsigned long long)t);
}

static int
build_one(const struct escrow_envelope *env, size_t i, struct tool_keyrec *k)
{
	struct escrow_envelope_key ek;
	char name[ESCROW_DNSSEC_NAME_TEXT_MAX];
	int ret;

	if ((ret = escrow_envelope_key(env, i, &ek)) != ESCROW_OK)
		goto fail;
	if ((ret = escrow_dnssec_name_to_text(ek.owner, ek.owner_len, name,
	    sizeof name)) != ESCROW_OK)
		goto fail;
	if ((ret = escrow_dnssec_dnskey_init(&k->dnskey, name, ek.flags,
	    ek.algorithm, ek.pubkey, ek.pubkey_len)) != ESCROW_OK)
		goto fail;
	memcpy(k->owner, name, sizeof k->owner);
	memcpy(k->label, ek.label, ek.label_len);
	k->label[ek.label_len] = '\0';
	memcpy(k->id, ek.id, ek.id_len);
	k->id_len = ek.id_len;
	k->tag = escrow_dnssec_keytag(&k->dnskey);
	if ((ret = escrow_dnssec_keyfile_name(&k->dnskey, k->keyfile,
	    sizeof k->keyfile)) != ESCROW_OK ||
	    (ret = escrow_dnssec_ds_make(&k->dnskey, ESCROW_DNSSEC_DIGEST_SHA256,
	    &k->ds256)) != ESCROW_OK ||
	    (ret = escrow_dnssec_ds_make(&k->dnskey, ESCROW_DNSSEC_DIGEST_SHA384,
	    &k->ds384)) != ESCROW_OK ||
	    (ret = escrow_dnssec_dnskey_text(&k->dnskey, k->dnskey_text,
	    sizeof k->dnskey_text)) != ESCROW_OK ||
	    (ret = escrow_dnssec_ds_text(&k->ds256, k->ds256_text,
	    sizeof k->ds256_text)) != ESCROW_OK ||
	    (ret = escrow_dnssec_ds_text(&k->ds384, k->ds384_text,
	    sizeof k->ds384_text)) != ESCROW_OK)
		goto fail;
	return 0;
fail:
	tool_err("key %zu of the envelope: %s", i + 1, escrow_strerror(ret));
	return -1;
}

/* key records in order of BIND file name, then of their place in the set */
static int
by_keyfile(const void *a, const void *b)
{
	const struct tool_keyrec *x = *(struct tool_keyrec *const *)a;
	const struct tool_keyrec *y = *(struct tool_keyrec *const *)b;
	int c = strcmp(x->keyfile, y->keyfile);

	return c != 0 ? c : (x > y) - (x < y);
}

/*
 * Two keys of one set share owner, algorithm and 16-bit key tag about once
 * in 2^16 / n keys (300 keys: one set in two), and would share the BIND name
 * K<owner>+<alg>+<tag>.  A key whose BIND name is unique in its set keeps
 * it; every key of a colliding group gets K<owner>+<alg>+<tag>-<i>, i its
 * number in the envelope (1-based), so that no file of the set can be taken
 * for another's by a tool that looks keys up by tag (docs/FORMAT.md).
 * Sorting makes this O(n log n) for the 10,000 keys an envelope may hold.
 */
static int
unique_names(struct tool_records *r)
{
	struct tool_keyrec **order, *key;
	size_t i, j, k, base_len;

	if (r->nkeys < 2)
		return 0;
	order = malloc(r->nkeys * sizeof *order);
	if (order == NULL) {
		tool_err("out of memory for %zu key records", r->nkeys);
		return -1;
	}
	for (i = 0; i < r->nkeys; i++)
		order[i] = &r->keys[i];
	qsort(order, r->nkeys, sizeof *order, by_keyfile);
	for (i = 0; i < r->nkeys; i = j) {
		for (j = i + 1; j < r->nkeys &&
		    strcmp(order[i]->keyfile, order[j]->keyfile) == 0; j++)
			;
		if (j - i == 1)
			continue;
		r->tag_collisions += j - i;
		for (k = i; k < j; k++) {
			key = order[k];
			key->tag_shared = (unsigned)(j - i);
			base_len = strlen(key->keyfile) - 4;
			snprintf(key->keyfile + base_len, sizeof key->keyfile - base_len,
			    "-%zu.key", (size_t)(key - r->keys) + 1);
		}
	}
	free(order);
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int c = strcmp(x, y);

	return c != 0 ? c : (x > y) - (x < y);
}

int
tool_unique_names(char *first, size_t stride, size_t n, size_t cap)
{
	char **order;
	size_t i, j, k, len;

	if (n < 2)
		return 0;
	order = malloc(n * sizeof *order);
	if (order == NULL) {
		tool_err("out of memory for %zu names", n);
		return -1;
	}
	for (i = 0; i < n; i++)
		order[i] = first + i * stride;
	qsort(order, n, sizeof *order, by_name);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(order[i], order[j]) == 0; j++)
			;
		for (k = i; j - i > 1 && k < j; k++) {
			len = strlen(order[k]);
			snprintf(order[k] + len, cap - len, "-%zu",
			    (size_t)(order[k] - first) / stride + 1);
		}
	}
	free(order);
	return 0;
}

int
tool_records_build(const struct escrow_envelope *env, struct tool_records *r)
{
	const uint8_t *bytes;
	const struct escrow_shareset *set;
	size_t len, i, n;
	int ret;

	memset(r, 0, sizeof *r);
	bytes = escrow_envelope_bytes(env, &len);
	if (bytes == NULL) {
		tool_err("internal error: the envelope has no serialized form");
		return -1;
	}
	if ((ret = escrow_envelope_fingerprint(bytes, len, r->fingerprint)) != ESCROW_OK) {
		tool_err("fingerprint: %s", escrow_strerror(ret));
		return -1;
	}
	escrow_envelope_fingerprint_hex(r->fingerprint, r->fp_hex);
	escrow_envelope_fingerprint_words(r->fingerprint, r->fp_words);
	escrow_hex(escrow_envelope_id(env), ESCROW_ENVELOPE_ID_LEN, r->envelope_id, 0);
	set = escrow_envelope_shareset(env);
	snprintf(r->set_id, sizeof r->set_id, "%u", set != NULL ? set->identifier : 0u);

	n = escrow_envelope_key_count(env);
	r->keys = calloc(n == 0 ? 1 : n, sizeof *r->keys);
	if (r->keys == NULL) {
		tool_err("out of memory for %zu key records", n);
		return -1;
	}
	r->nkeys = n;
	for (i = 0; i < n; i++)
		if (build_one(env, i, &r->keys[i]) != 0)
			goto fail;
	if (unique_names(r) != 0)
		goto fail;
	if (n == 1) {
		/* K<owner>+<alg>+<tag>, as the .key file without ".key" */
		snprintf(r->base, sizeof r->base, "%.*s",
		    (int)(strlen(r->keys[0].keyfile) - 4), r->keys[0].keyfile);
	} else {
		snprintf(r->base, sizeof r->base, "keyset-%.8s", r->fp_hex);
	}
	return 0;
fail:
	tool_records_free(r);
	return -1;
}

void
tool_records_free(struct tool_records *r)
{
	free(r->keys);
	r->keys = NULL;
	r->nkeys = 0;
}

void
tool_records_key_summary(const struct tool_records *r, size_t i, char *out,
    size_t cap)
{
	const struct tool_keyrec *k = &r->keys[i];
	const char *alg = escrow_keys_alg_name(k->dnskey.algorithm);

	snprintf(out, cap, "%s key tag %u, algorithm %u (%s), flags %u, label \"%s\"",
	    k->owner, k->tag, k->dnskey.algorithm, alg != NULL ? alg : "?",
	    k->dnskey.flags, k->label);
}

int
tool_written_add(struct tool_written *w, const char *dir, const char *name)
{
	char **np;
	size_t len = strlen(dir) + strlen(name) + 2;

	/* doubling: a 10,000-key set writes 20,000 files */
	if (w->n == w->cap) {
		np = realloc(w->paths, (w->cap ? 2 * w->cap : 16) * sizeof *np);
		if (np == NULL)
			return -1;
		w->paths = np;
		w->cap = w->cap ? 2 * w->cap : 16;
	}
	w->paths[w->n] = malloc(len);
	if (w->paths[w->n] == NULL)
		return -1;
	snprintf(w->paths[w->n], len, "%s/%s", dir, name);
	w->n++;
	return 0;
}

void
tool_written_rollback(struct tool_written *w)
{
	size_t i;

	for (i = w->n; i > 0; i--)
		if (unlink(w->paths[i - 1]) == 0)
			fprintf(stderr, "%s: removed `%s'\n", tool_name, w->paths[i - 1]);
	tool_written_free(w);
}

void
tool_written_free(struct tool_written *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->paths[i]);
	free(w->paths);
	w->paths = NULL;
	w->n = w->cap = 0;
}

int
tool_write_tracked(struct tool_written *w, const char *dir, const char *name,
    const void *data, size_t len, int mode)
{
	if (tool_write_new(dir, name, data, len, mode) != 0)
		return -1;
	if (tool_written_add(w, dir, name) != 0) {
		tool_err("out of memory");
		return -1;
	}
	return 0;
}

static int
write_pem(const struct tool_keyrec *k, const char *dir, struct tool_written *w,
    struct escrow_text *transcript)
{
	EVP_PKEY *pub = NULL;
	char pem[ESCROW_KEYS_PEM_MAX], name[sizeof k->keyfile];
	size_t len;
	int ret;

	ret = escrow_keys_from_dnskey_pub(k->dnskey.algorithm, k->dnskey.pubkey,
	    k->dnskey.pubkey_len, &pub);
	if (ret == ESCROW_OK)
		ret = escrow_keys_public_pem(pub, pem, sizeof pem, &len);
	EVP_PKEY_free(pub);
	if (ret != ESCROW_OK) {
		tool_err("public key of %s: %s", k->keyfile, escrow_strerror(ret));
		return -1;
	}
	snprintf(name, sizeof name, "%.*s.pem", (int)(strlen(k->keyfile) - 4),
	    k->keyfile);
	if (tool_write_tracked(w, dir, name, pem, len, 0644) != 0)
		return -1;
	tool_text_printf(transcript, "  wrote %s/%s (public key, PEM)\n", dir, name);
	return 0;
}

int
tool_records_write(const struct tool_records *r, const char *dir,
    uint64_t created,
    struct tool_written *w, struct escrow_text *transcript)
{
	struct escrow_text ds = { 0 };
	struct escrow_dnskey *dk = NULL;
	char text[ESCROW_DNSSEC_TEXT_MAX], name[ESCROW_DNSSEC_NAME_TEXT_MAX + 64];
	char when[32], *xml = NULL;
	size_t i, xml_len = 0;
	int ret = -1, rc;

	for (i = 0; i < r->nkeys; i++) {
		const struct tool_keyrec *k = &r->keys[i];

		rc = escrow_dnssec_keyfile_text(&k->dnskey, text, sizeof text);
		if (rc != ESCROW_OK) {
			tool_err("key file %s: %s", k->keyfile, escrow_strerror(rc));
			goto out;
		}
		if (tool_write_tracked(w, dir, k->keyfile, text, strlen(text), 0644) != 0)
			goto out;
		tool_text_printf(transcript, "  wrote %s/%s (DNSKEY, BIND key file)\n",
		    dir, k->keyfile);
		if (write_pem(k, dir, w, transcript) != 0)
			goto out;
		tool_text_printf(&ds, "%s\n%s\n", k->ds256_text, k->ds384_text);
	}
	snprintf(name, sizeof name, "%s.ds", r->base);
	if (tool_write_tracked(w, dir, name, ds.p, ds.len, 0644) != 0)
		goto out;
	tool_text_printf(transcript, "  wrote %s/%s (DS records, SHA-256 and SHA-384)\n",
	    dir, name);

	/* RFC 9718 trust anchor, only when every key has the same owner */
	dk = calloc(r->nkeys, sizeof *dk);
	if (dk == NULL) {
		tool_err("out of memory");
		goto out;
	}
	for (i = 0; i < r->nkeys; i++) {
		dk[i] = r->keys[i].dnskey;
		if (strcasecmp(r->keys[i].owner, r->keys[0].owner) != 0)
			break;
	}
	if (i < r->nkeys) {
		tool_text_printf(transcript, "  no trust-anchor file: the keys have different owner names\n");
		ret = 0;
		goto out;
	}
	tool_time_iso(created, when);
	/* a first guess at the size, then exactly what it says it needs */
	xml_len = 4096 + r->nkeys * 2048;
	for (;;) {
		xml = malloc(xml_len + 1);
		if (xml == NULL) {
			tool_err("out of memory");
			goto out;
		}
		rc = escrow_dnssec_ta_document(dk, r->nkeys, ESCROW_DNSSEC_DIGEST_SHA256,
		    r->envelope_id, "escrow-keygen", NULL, when, 1, xml, xml_len + 1,
		    &xml_len);
		if (rc != ESCROW_ERR_BUFFER_TOO_SMALL)
			break;
		free(xml);
		xml = NULL;
	}
	if (rc != ESCROW_OK) {
		tool_err("trust anchor: %s", escrow_strerror(rc));
		goto out;
	}
	snprintf(name, sizeof name, "%s-trust-anchor.xml", r->base);
	if (tool_write_tracked(w, dir, name, xml, xml_len, 0644) != 0)
		goto out;
	tool_text_printf(transcript, "  wrote %s/%s (RFC 9718 trust anchor)\n", dir, name);
	ret = 0;
out:
	free(xml);
	free(dk);
	escrow_text_free(&ds);
	return ret;
}
