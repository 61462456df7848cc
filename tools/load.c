/*
 * load.c - load an envelope's keys into a PKCS#11 token (see load.h).
 * K_wrap, the PIN and any host-side private key are secret and wiped or
 * freed on every path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "escrow_keys.h"
#include "escrow_p11.h"
#include "load.h"
#include "secrets.h"

static void
progress(size_t done, size_t total, void *ctx)
{
	int width = 40, fill;

	(void)ctx;
	if (total < 2 || !isatty(STDERR_FILENO))
		return;
	fill = (int)((done * (size_t)width) / total);
	fprintf(stderr, "\rloading keys [%.*s%*s] %zu/%zu", fill,
	    "########################################", width - fill, "", done,
	    total);
	if (done == total)
		fputc('\n', stderr);
}

static void
load_fail(const char *what, int ret, const struct escrow_p11_error *e)
{
	if (e->function[0] != '\0')
		tool_err("%s: %s returned %s: %s", what, e->function, e->rv_name,
		    e->detail[0] != '\0' ? e->detail : escrow_strerror(ret));
	else
		tool_err("%s: %s%s%s", what, escrow_strerror(ret),
		    e->detail[0] != '\0' ? ": " : "", e->detail);
}

/* Unwrap every key on the host (only when the token cannot unwrap). */
static int
host_private_keys(struct escrow_envelope *env, const uint8_t S[32],
    EVP_PKEY **privs, size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		if ((rc = tool_unwrap_key(env, S, i, &privs[i], NULL, NULL)) != ESCROW_OK) {
			tool_err("key %zu: unwrapping on the host: %s", i + 1,
			    escrow_strerror(rc));
			return -1;
		}
	return 0;
}

static int
write_rrsigs(struct escrow_p11 *p, const struct tool_records *r,
    const struct escrow_p11_loaded *loaded, const struct tool_load_opts *o,
    struct escrow_text *transcript)
{
	struct escrow_text zone = { 0 };
	struct escrow_dnskey *set = NULL;
	struct escrow_rrsig sig;
	struct escrow_p11_error e;
	uint8_t *data = NULL, signature[ESCROW_KEYS_SIG_MAX];
	char text[ESCROW_DNSSEC_TEXT_MAX];
	size_t i, j, n, len, siglen;
	uint32_t now = (uint32_t)time(NULL);
	int ret = -1, rc;

	set = calloc(r->nkeys, sizeof *set);
	if (set == NULL)
		goto oom;
	for (i = 0; i < r->nkeys; i++)
		tool_text_printf(&zone, "%s\n", r->keys[i].dnskey_text);
	for (i = 0; i < r->nkeys; i++) {
		/* the DNSKEY RRset of this key's owner */
		for (j = 0, n = 0; j < r->nkeys; j++)
			if (strcasecmp(r->keys[j].owner, r->keys[i].owner) == 0)
				set[n++] = r->keys[j].dnskey;
		/* valid from an hour ago for 30 days: a test signature */
		rc = escrow_dnssec_rrsig_init(&sig, &r->keys[i].dnskey, now - 3600,
		    now + 30u * 86400u);
		if (rc == ESCROW_OK)
			rc = escrow_dnssec_rrsig_signed_data(&sig, set, n, NULL, 0, &len);
		if (rc != ESCROW_OK && rc != ESCROW_ERR_BUFFER_TOO_SMALL)
			goto dnssec_fail;
		free(data);
		data = malloc(len);
		if (data == NULL)
			goto oom;
		rc = escrow_dnssec_rrsig_signed_data(&sig, set, n, data, len, &len);
		if (rc != ESCROW_OK)
			goto dnssec_fail;
		memset(&e, 0, sizeof e);
		rc = escrow_p11_sign(p, loaded[i].private_handle,
		    r->keys[i].dnskey.algorithm, data, len, signature,
		    sizeof signature, &siglen, &e);
		if (rc != ESCROW_OK) {
			load_fail("signing the DNSKEY RRset in the token", rc, &e);
			goto out;
		}
		rc = escrow_keys_verify_dnskey(r->keys[i].dnskey.algorithm,
		    r->keys[i].dnskey.pubkey, r->keys[i].dnskey.pubkey_len, data,
		    len, signature, siglen);
		if (rc != ESCROW_OK) {
			tool_err("the RRSIG made in the token for key tag %u does not verify",
			    r->keys[i].tag);
			goto out;
		}
		rc = escrow_dnssec_rrsig_text(&sig, signature, siglen, text, sizeof text);
		if (rc != ESCROW_OK)
			goto dnssec_fail;
		tool_text_printf(&zone, "%s\n", text);
	}
	if (tool_write_new(NULL, o->rrsig_out,
	    zone.p, zone.len, 0644) != 0)
		goto out;
	tool_text_printf(transcript, "  wrote %s (DNSKEY RRset and RRSIGs made in the token)\n",
	    o->rrsig_out);
	ret = 0;
	goto out;
dnssec_fail:
	tool_err("RRSIG for key tag %u: %s", r->keys[i].tag, escrow_strerror(rc));
	goto out;
oom:
	tool_err("out of memory");
out:
	free(data);
	free(set);
	escrow_text_free(&zone);
	return ret;
}

int
tool_load(struct escrow_envelope *env, const uint8_t S[32], EVP_PKEY **privs,
    const struct tool_records *r, const struct tool_load_opts *o,
    struct escrow_text *transcript)
{
	struct escrow_p11 *p = NULL;
	struct escrow_p11_key *keys = NULL;
	struct escrow_p11_loaded *loaded = NULL;
	struct escrow_p11_load_opts lo;
	struct escrow_p11_error e;
	struct escrow_envelope_key ek;
	EVP_PKEY **pubs = NULL, **host = NULL;
	uint8_t *kwrap = NULL;
	char *pin = NULL;
	size_t i, n = r->nkeys;
	int ret = -1, rc;

	kwrap = escrow_secret_alloc(ESCROW_ENVELOPE_KEY_LEN);
	keys = calloc(n, sizeof *keys);
	loaded = calloc(n, sizeof *loaded);
	pubs = calloc(n, sizeof *pubs);
	host = calloc(n, sizeof *host);
	if (kwrap == NULL || keys == NULL || loaded == NULL || pubs == NULL ||
	    host == NULL) {
		tool_err("out of memory for %zu keys", n);
		goto out;
	}
	rc = escrow_envelope_derive_keys(escrow_envelope_id(env), S, kwrap, NULL);
	if (rc != ESCROW_OK) {
		tool_err("deriving K_wrap: %s", escrow_strerror(rc));
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct tool_keyrec *k = &r->keys[i];

		if ((rc = escrow_envelope_key(env, i, &ek)) != ESCROW_OK ||
		    (rc = escrow_keys_from_dnskey_pub(k->dnskey.algorithm,
		    k->dnskey.pubkey, k->dnskey.pubkey_len, &pubs[i])) != ESCROW_OK) {
			tool_err("key %zu: %s", i + 1, escrow_strerror(rc));
			goto out;
		}
		keys[i].algorithm = k->dnskey.algorithm;
		keys[i].label = k->label;
		keys[i].id = k->id;
		keys[i].id_len = k->id_len;
		keys[i].public_key = pubs[i];
		keys[i].wrapped = ek.wrapped;
		keys[i].wrapped_len = ek.wrapped_len;
		keys[i].kwrap = kwrap;
		keys[i].private_key = privs != NULL ? privs[i] : NULL;
	}
	/* create needs the key on the host; unwrap it only then */
	if (privs == NULL && o->strategy == ESCROW_P11_CREATE) {
		if (host_private_keys(env, S, host, n) != 0)
			goto out;
		for (i = 0; i < n; i++)
			keys[i].private_key = host[i];
	}

	pin = tool_pin(o->pin_source, o->token);
	if (pin == NULL)
		goto out;
	memset(&e, 0, sizeof e);
	rc = escrow_p11_open(&p, o->module, o->token, pin, strlen(pin), &e);
	escrow_secret_free(pin);
	pin = NULL;
	if (rc != ESCROW_OK) {
		load_fail("opening the token", rc, &e);
		goto out;
	}

	memset(&lo, 0, sizeof lo);
	lo.strategy = (enum escrow_p11_strategy)o->strategy;
	lo.replace = o->replace;
	lo.progress = progress;
	memset(&e, 0, sizeof e);
	rc = escrow_p11_load(p, keys, n, &lo, loaded, &e);
	if (rc == ESCROW_ERR_P11_MECHANISM && privs == NULL &&
	    o->strategy == ESCROW_P11_AUTO && keys[0].private_key == NULL) {
		/* the token cannot unwrap these keys: create them from the host */
		fprintf(stderr, "%s: the token cannot unwrap these keys; unwrapping on this "
		    "host and creating them in the token instead\n", tool_name);
		if (host_private_keys(env, S, host, n) != 0)
			goto out;
		for (i = 0; i < n; i++)
			keys[i].private_key = host[i];
		memset(&e, 0, sizeof e);
		rc = escrow_p11_load(p, keys, n, &lo, loaded, &e);
	}
	if (rc != ESCROW_OK) {
		load_fail("loading the keys", rc, &e);
		if (e.objects_left > 0)
			tool_hint("%zu objects this run made are still in the token (named "
			    "above): remove them before trying again", e.objects_left);
		else
			tool_hint("nothing was left in the token: every object this run made was destroyed");
		goto out;
	}
	tool_text_printf(transcript, "Loaded into token \"%s\" (module %s):\n",
	    escrow_p11_token_label(p), o->module != NULL ? o->module : "(from URI)");
	for (i = 0; i < n; i++) {
		char hexid[2 * ESCROW_ENVELOPE_MAX_FIELD + 1];

		escrow_hex(r->keys[i].id, r->keys[i].id_len, hexid, 0);
		tool_text_printf(transcript,
		    "  key tag %u, label \"%s\", id %s: %s%s%s, test signature made in the "
		    "token verified, CKA_SENSITIVE true, CKA_EXTRACTABLE false%s\n",
		    r->keys[i].tag, r->keys[i].label, hexid,
		    escrow_p11_strategy_name(loaded[i].strategy),
		    loaded[i].mechanism != 0 ? " with mechanism " : "",
		    loaded[i].mechanism != 0 ? (loaded[i].mechanism == 0x210aUL ?
		    "CKM_AES_KEY_WRAP_PAD" : loaded[i].mechanism == 0x210bUL ?
		    "CKM_AES_KEY_WRAP_KWP" : "vendor-defined") : "",
		    loaded[i].replaced != 0 ? ", replaced the old objects" : "");
	}
	if (o->rrsig_out != NULL && write_rrsigs(p, r, loaded, o, transcript) != 0)
		goto out;
	ret = 0;
out:
	escrow_p11_close(p);
	escrow_secret_free(pin);
	escrow_secret_free(kwrap);
	for (i = 0; pubs != NULL && i < n; i++)
		EVP_PKEY_free(pubs[i]);
	for (i = 0; host != NULL && i < n; i++)
		EVP_PKEY_free(host[i]);
	free(pubs);
	free(host);
	free(keys);
	free(loaded);
	return ret;
}
