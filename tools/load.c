/*
 * load.c - load an envelope's keys into a PKCS#11 token (see load.h):
 * the checks before any human step (paths, PIN source, the token and the
 * login), the load itself with a retry at the terminal, and the RRSIG
 * file.  K_wrap, the PIN and any host-side private key are secret and
 * wiped or freed on every path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "escrow_keys.h"
#include "escrow_p11.h"
#include "load.h"
#include "p11open.h"
#include "tool.h"
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
			tool_p11_fail("signing the DNSKEY RRset in the token", rc, &e);
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
	if (tool_write_new(NULL, o->rrsig_out, zone.p, zone.len, 0644) != 0) {
		tool_hint("the keys ARE in the token (loaded and checked); only the "
		    "--rrsig-out file `%s' is missing: free its place and sign again "
		    "from the token, or rerun the load with --replace", o->rrsig_out);
		goto out;
	}
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

/* The token's name for messages: token= of the URI, else the URI. */
static void
token_name(const char *uri, char *out, size_t cap)
{
	const char *t = strstr(uri, "token=");
	size_t n;

	if (t == NULL || (t != uri + 7 && t[-1] != ';' && t[-1] != ':')) {
		snprintf(out, cap, "%s", uri);
		return;
	}
	t += 6;
	n = strcspn(t, ";?");
	snprintf(out, cap, "\"%.*s\"", (int)n, t);
}

int
tool_load_preflight(const struct tool_load_opts *o)
{
	struct stat st;
	char dir[4096];
	const char *slash;
	int bad = 0;

	if (o->token != NULL && tool_token_uri_check(o->token) != 0)
		bad = 1;
	if (o->module != NULL && strchr(o->module, '/') != NULL &&
	    (stat(o->module, &st) != 0 || !S_ISREG(st.st_mode))) {
		int err = stat(o->module, &st) != 0 ? errno : 0;

		tool_err("--module `%s' (the PKCS#11 module): %s", o->module,
		    err != 0 ? strerror(err) : "not a file");
		tool_hint("give the module's path (for instance "
		    "/usr/lib/softhsm/libsofthsm2.so) or a p11-kit module name");
		bad = 1;
	}
	if (o->pin_source != NULL) {
		if (stat(o->pin_source, &st) != 0) {
			tool_err("--pin-source `%s' (the PIN source): %s", o->pin_source,
			    strerror(errno));
			tool_hint("name the file that holds the user PIN, or leave "
			    "--pin-source out to type the PIN");
			bad = 1;
		} else if (!S_ISREG(st.st_mode) || st.st_size == 0 ||
		    access(o->pin_source, R_OK) != 0) {
			tool_err("--pin-source `%s' (the PIN source): %s", o->pin_source,
			    !S_ISREG(st.st_mode) ? "not a file" : st.st_size == 0 ?
			    "empty (an empty PIN would cost a try on the token's counter)" :
			    strerror(errno));
			tool_hint("put the user PIN on the file's first line, or leave "
			    "--pin-source out to type the PIN");
			bad = 1;
		}
	}
	if (o->rrsig_out != NULL) {
		slash = strrchr(o->rrsig_out, '/');
		snprintf(dir, sizeof dir, "%.*s", slash == NULL ? 1 :
		    slash == o->rrsig_out ? 1 : (int)(slash - o->rrsig_out),
		    slash == NULL ? "." : o->rrsig_out);
		if (lstat(o->rrsig_out, &st) == 0) {
			tool_err("--rrsig-out `%s' already exists: refusing to overwrite it",
			    o->rrsig_out);
			tool_hint("name a new file, or move the old one away");
			bad = 1;
		} else if (access(dir, W_OK | X_OK) != 0) {
			tool_err("--rrsig-out `%s': cannot write in `%s': %s", o->rrsig_out,
			    dir, strerror(errno));
			tool_hint("name a file in a directory you can write to");
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

void
tool_token_close(struct tool_token *t)
{
	escrow_p11_close(t->p);
	escrow_secret_free(t->pin);
	t->p = NULL;
	t->pin = NULL;
}

#define PIN_TRIES 3

int
tool_token_open(struct tool_token *t, const struct tool_load_opts *o,
    int interactive)
{
	struct escrow_p11_error e;
	char name[300];
	int rc, try;

	memset(t, 0, sizeof *t);
	t->o = o;
	t->interactive = interactive;
	token_name(o->token, name, sizeof name);
	for (try = 1; try <= PIN_TRIES; try++) {
		t->pin = tool_pin(o->pin_source, name);
		if (t->pin == NULL)
			goto fail;
		if (t->pin[0] == '\0' && o->pin_source != NULL) {
			tool_err("--pin-source `%s' (the PIN source): its first line is "
			    "empty", o->pin_source);
			tool_hint("put the user PIN on the file's first line");
			goto fail;
		}
		memset(&e, 0, sizeof e);
		rc = tool_p11_open_pin(o, t->pin, &t->p, &e); /* with init args */
		if (rc == ESCROW_OK) {
			fprintf(stderr, "%s: token \"%s\" opened and logged in (module %s)\n",
			    tool_name, escrow_p11_token_label(t->p),
			    o->module != NULL ? o->module : "from the URI");
			return 0;
		}
		tool_p11_fail("opening the token", rc, &e);
		escrow_secret_free(t->pin);
		t->pin = NULL;
		if (rc != ESCROW_ERR_P11_PIN || o->pin_source != NULL || !interactive ||
		    strcmp(e.rv_name, "CKR_PIN_INCORRECT") != 0) {
			if (rc == ESCROW_ERR_P11_PIN && o->pin_source != NULL)
				tool_hint("the PIN in --pin-source `%s' was refused; correct it "
				    "(each wrong PIN counts against the token's limit)",
				    o->pin_source);
			else if (rc == ESCROW_ERR_P11_URI)
				tool_hint("write the token as a PKCS#11 URI, for instance "
				    "--token 'pkcs11:token=KSK'");
			goto fail;
		}
		if (try < PIN_TRIES)
			fprintf(stderr, "%s: wrong PIN for token %s: try %d of %d (each wrong "
			    "PIN counts against the token's limit)\n", tool_name, name,
			    try + 1, PIN_TRIES);
	}
	tool_hint("%d wrong PINs: nothing was done; find the right PIN and run again "
	    "(the token may lock after a few more)", PIN_TRIES);
fail:
	tool_token_close(t);
	return -1;
}

int
tool_token_check_ids(struct tool_token *t, const struct tool_token_id *ids,
    size_t n)
{
	struct escrow_p11_object_info info[4];
	struct escrow_p11_error e;
	size_t i, k, count, clash = 0, pairs = 0, pending = 0;
	int rc;

	for (i = 0; i < n; i++) {
		char hexid[2 * ESCROW_ENVELOPE_MAX_FIELD + 1];
		size_t mine = 0;

		memset(&e, 0, sizeof e);
		rc = escrow_p11_list(t->p, ids[i].id, ids[i].id_len, info, 4, &count, &e);
		if (rc != ESCROW_OK) {
			tool_p11_fail("listing the token's objects", rc, &e);
			return -1;
		}
		/* objects of an interrupted load are the load's to finish or
		 * remove (it says which): not a clash */
		for (k = 0; k < count && k < 4; k++)
			mine += strncmp(info[k].label, ESCROW_P11_PENDING_LABEL,
			    sizeof ESCROW_P11_PENDING_LABEL - 1) == 0;
		pending += mine;
		pairs += count == 2;
		if (count == 0 || mine == count)
			continue;
		escrow_hex(ids[i].id, ids[i].id_len > ESCROW_ENVELOPE_MAX_FIELD ?
		    ESCROW_ENVELOPE_MAX_FIELD : ids[i].id_len, hexid, 0);
		if (clash++ < 10)
			fprintf(stderr, "%s: the token already holds %zu object%s with the "
			    "CKA_ID %s of key tag %u (\"%s\")%s\n", tool_name, count,
			    count == 1 ? "" : "s", hexid, ids[i].tag, info[0].label,
			    t->o->replace ? ": --replace will replace them" : "");
	}
	if (pending > 0)
		fprintf(stderr, "%s: the token holds %zu object%s of an interrupted "
		    "load: the load finishes or removes them first, and says which\n",
		    tool_name, pending, pending == 1 ? "" : "s");
	if (clash == 0 || t->o->replace)
		return 0;
	if (pairs == n) {
		/* a whole key pair under every CKA_ID: most likely this very set
		 * (a load that finished, or was stopped after its commit); the
		 * load proves each pair against the envelope by a signature and
		 * leaves them, or refuses without changing anything */
		fprintf(stderr, "%s: every key of this envelope has a key pair in the "
		    "token already: the load will check that they are this "
		    "envelope's keys and leave them (it changes nothing otherwise)\n",
		    tool_name);
		return 0;
	}
	tool_err("%zu key%s of this envelope already exist%s in the token: nothing "
	    "was done", clash, clash == 1 ? "" : "s", clash == 1 ? "s" : "");
	tool_hint("add --replace to replace them (the old objects are destroyed only "
	    "after the new ones are loaded and checked), or use another token");
	return -1;
}

int
tool_token_probe(struct tool_token *t, const int *algs, size_t n)
{
	int rc = tool_p11_probe(t->p, algs, n, t->o, NULL);

	fflush(stdout); /* the verdicts before what follows on stderr */
	if (rc > 0) {
		tool_err("the token cannot take every key type (marked CANNOT above): "
		    "nothing was asked for or loaded");
		tool_hint("fix the token (or choose another, or --strategy) and run again; "
		    "`escrow-combine probe' checks a token without a ceremony");
	}
	return rc == 0 ? 0 : -1;
}

int
tool_token_check_records(struct tool_token *t, const struct tool_records *r)
{
	struct tool_token_id *ids = calloc(r->nkeys ? r->nkeys : 1, sizeof *ids);
	size_t i;
	int ret;

	if (ids == NULL) {
		tool_err("out of memory");
		return -1;
	}
	int *algs = calloc(r->nkeys ? r->nkeys : 1, sizeof *algs);

	if (algs == NULL) {
		free(ids);
		tool_err("out of memory");
		return -1;
	}
	for (i = 0; i < r->nkeys; i++) {
		ids[i].id = r->keys[i].id;
		ids[i].id_len = r->keys[i].id_len;
		ids[i].tag = r->keys[i].tag;
		algs[i] = r->keys[i].dnskey.algorithm;
	}
	/* the throwaway test load of each key type, then the IDs */
	ret = tool_token_probe(t, algs, r->nkeys);
	if (ret == 0)
		ret = tool_token_check_ids(t, ids, r->nkeys);
	free(algs);
	free(ids);
	return ret;
}

/* One load attempt in t's session: 0 done, -1 failed (the token as it
 * was), 1 the keys are in but what came after them failed. */
static int
load_once(struct tool_token *t, struct escrow_envelope *env, const uint8_t S[32],
    EVP_PKEY **privs, const struct tool_records *r, struct escrow_text *transcript)
{
	const struct tool_load_opts *o = t->o;
	struct escrow_p11 *p = t->p;
	struct escrow_p11_key *keys = NULL;
	struct escrow_p11_loaded *loaded = NULL;
	struct escrow_p11_load_opts lo;
	struct escrow_p11_load_report rep;
	struct escrow_p11_error e;
	struct escrow_envelope_key ek;
	EVP_PKEY **pubs = NULL, **host = NULL;
	uint8_t *kwrap = NULL;
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

	memset(&lo, 0, sizeof lo);
	lo.strategy = (enum escrow_p11_strategy)o->strategy;
	lo.replace = o->replace;
	lo.accept_usages = o->accept_usages;
	lo.sessions = o->sessions;
	lo.progress = progress;
	lo.report = &rep;
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
	if (rep.pending_removed > 0)
		fprintf(stderr, "%s: removed %zu objects that an interrupted load of this "
		    "key set had left in the token\n", tool_name, rep.pending_removed);
	if (rep.already_loaded)
		fprintf(stderr, "%s: the token already holds this whole key set (every "
		    "key checked again): nothing was loaded\n", tool_name);
	if (rep.resumed)
		fprintf(stderr, "%s: an interrupted load of this key set had every key in "
		    "the token and checked; finished it\n", tool_name);
	if (!rep.crash_safe && rep.crash_note[0] != '\0' && rc == ESCROW_OK)
		fprintf(stderr, "%s: warning: not crash-safe: %s\n", tool_name,
		    rep.crash_note);
	if (rc != ESCROW_OK) {
		tool_p11_fail("loading the keys", rc, &e);
		if (rep.old_left > 0)
			tool_hint("the token holds the new keys, loaded and checked, and old "
			    "objects (named above): run the same command again to remove them");
		else if (e.objects_left > 0)
			tool_hint("%zu objects this run made are still in the token (named "
			    "above): remove them before trying again", e.objects_left);
		else if (e.listed)
			tool_hint("nothing was left in the token: listed again after the "
			    "failure, it holds the objects it held before%s",
			    rc == ESCROW_ERR_P11_OBJECT_EXISTS ?
			    " (the objects already there were not touched)" : "");
		else
			tool_hint("the token could not be listed again after the failure: "
			    "check it by hand for objects this run made");
		goto out;
	}
	tool_text_printf(transcript, "Loaded into token \"%s\" (module %s)%s:\n",
	    escrow_p11_token_label(p), o->module != NULL ? o->module : "(from URI)",
	    rep.already_loaded ? ", which already held this key set" :
	    rep.resumed ? ", finishing an interrupted load of the same key set" :
	    rep.crash_safe ? ", crash-safe (pending objects, committed once all were checked)" :
	    "");
	if (rep.sessions > 1)
		tool_text_printf(transcript, "  over %zu sessions on parallel threads\n",
		    rep.sessions);
	for (i = 0; i < n; i++) {
		char hexid[2 * ESCROW_ENVELOPE_MAX_FIELD + 1];

		escrow_hex(r->keys[i].id, r->keys[i].id_len, hexid, 0);
		tool_text_printf(transcript,
		    "  key tag %u, label \"%s\", id %s: %s%s%s, test signature made in the "
		    "token verified (%s), CKA_SENSITIVE true, CKA_EXTRACTABLE false%s\n"
		    "    token set: %s%s%s\n",
		    r->keys[i].tag, r->keys[i].label, hexid,
		    rep.already_loaded ? "already in the token" :
		    loaded[i].resumed ? "loaded by the interrupted run" :
		    escrow_p11_strategy_name(loaded[i].strategy),
		    loaded[i].mechanism != 0 ? " with mechanism " : "",
		    loaded[i].mechanism != 0 ? escrow_p11_mech_name(loaded[i].mechanism) : "",
		    escrow_p11_mech_name(loaded[i].sign_mechanism),
		    loaded[i].replaced != 0 ? ", replaced the old objects" : "",
		    loaded[i].attributes,
		    loaded[i].extra_usages[0] != '\0' ? "; usages beyond SIGN accepted "
		    "(--accept-token-usages): " : "", loaded[i].extra_usages);
	}
	/* from here on the keys are in: a failure is not retried */
	ret = 1;
	if (o->rrsig_out != NULL && write_rrsigs(p, r, loaded, o, transcript) != 0)
		goto out;
	ret = 0;
out:
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

int
tool_load(struct tool_token *t, struct escrow_envelope *env, const uint8_t S[32],
    EVP_PKEY **privs, const struct tool_records *r, struct escrow_text *transcript)
{
	struct escrow_p11_error e;
	size_t mark;
	int rc;

	for (;;) {
		mark = transcript->len;
		rc = t->p != NULL ? load_once(t, env, S, privs, r, transcript) : -1;
		if (rc >= 0) {
			/* what was loaded is shown, not only written to the transcript */
			fwrite(transcript->p + mark, 1, transcript->len - mark, stdout);
			fflush(stdout);
			return rc == 0 ? 0 : -1;
		}
		transcript->len = mark;
		if (transcript->p != NULL)
			transcript->p[mark] = '\0';
		if (!t->interactive || !tool_have_tty() || tool_interrupted())
			return -1;
		if (tool_choose("The shares are still in memory.  Fix what is named above, "
		    "then: try the load again (y), or give up (n)?", "yn", 'y') != 'y')
			return -1;
		/* a fresh session: the old one may be what failed */
		escrow_p11_close(t->p);
		t->p = NULL;
		memset(&e, 0, sizeof e);
		rc = tool_p11_open_pin(t->o, t->pin, &t->p, &e);
		if (rc != ESCROW_OK) {
			t->p = NULL;
			tool_p11_fail("opening the token again", rc, &e);
		}
	}
}
