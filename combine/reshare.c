/*
 * reshare.c - escrow-combine reshare: restore the master secret of an
 * envelope, then run a new generation ceremony (tools/ceremony.c) for the
 * same keys: a fresh master secret, a new share set and a new envelope.
 *
 * Secret: the old and new shares, passphrases and master secrets, and the
 * private keys; all in secret memory or OpenSSL key objects freed here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "ceremony.h"
#include "cmd.h"
#include "diskspace.h"
#include "input.h"
#include "load.h"
#include "restore.h"
#include "secrets.h"
#include "tool.h"

/* How many share sets the new envelope names as replaced: the old
 * envelope's and the old set, at most ESCROW_ENVELOPE_MAX_REPLACED. */
static size_t
replaced_count(const struct escrow_envelope *old)
{
	size_t n = escrow_envelope_replaced_count(old) + 1;

	return n > ESCROW_ENVELOPE_MAX_REPLACED ? ESCROW_ENVELOPE_MAX_REPLACED : n;
}

/* Once the old envelope is read, before any share: the names the new
 * envelope's files will take (its keys' files are named as the old ones),
 * and the room for them. */
static int
names_ready(const struct cb_restore *r, void *ctx)
{
	const struct tool_ceremony *c = ctx;
	struct tool_token *t = c->token;
	struct tool_ceremony room = *c;
	struct tool_space_keys k;

	if (t != NULL && tool_token_check_records(t, &r->rec) != 0)
		return -1;
	if (tool_ceremony_check_names(c, &r->rec) != 0)
		return -1;
	/* and the room for what the new ceremony writes: the same keys */
	tool_space_keys_of(r->env, &r->rec, &k);
	room.nreplaced = replaced_count(r->env);
	return tool_ceremony_space(&room, &k);
}

/*
 * The sets the new one replaces: the old envelope's list (version 2) and
 * the old set itself, oldest first; past ESCROW_ENVELOPE_MAX_REPLACED the
 * oldest are left out, and the transcript says so.  0 or -1.
 */
static int
replaced_list(const struct cb_restore *r, struct escrow_envelope_replaced **out,
    size_t *n, struct escrow_text *note)
{
	struct escrow_envelope_replaced *rep;
	size_t old = escrow_envelope_replaced_count(r->env), keep = replaced_count(r->env);
	size_t drop = old + 1 - keep, i, j = 0;

	rep = calloc(keep, sizeof *rep);
	if (rep == NULL) {
		tool_err("out of memory");
		return -1;
	}
	for (i = drop; i < old; i++)
		rep[j++] = *escrow_envelope_replaced_at(r->env, i);
	rep[j].identifier = escrow_envelope_shareset(r->env)->identifier;
	memcpy(rep[j].fingerprint, r->rec.fingerprint, sizeof rep[j].fingerprint);
	if (drop > 0) {
		fprintf(stderr, "%s: note: the new envelope records the newest %d replaced "
		    "share sets; the oldest %zu are left out (their shares will be called "
		    "foreign, not replaced)\n", tool_name, ESCROW_ENVELOPE_MAX_REPLACED, drop);
		tool_text_printf(note, "  The new envelope records the newest %d replaced "
		    "share sets; the oldest %zu were left out.\n",
		    ESCROW_ENVELOPE_MAX_REPLACED, drop);
	}
	*out = rep;
	*n = j + 1;
	return 0;
}

int
cb_cmd_reshare(const struct cb_opts *o)
{
	struct cb_input in;
	struct cb_restore r;
	struct tool_ceremony c;
	struct tool_ceremony_key *ck = NULL;
	struct escrow_text note = { 0 };
	struct escrow_envelope_replaced *rep = NULL;
	uint8_t **der = NULL;
	size_t i, n = 0, len, nrep = 0;
	struct tool_token tok;
	struct cb_restore_opts ro = { o->passphrase_file, !o->yes, "the OLD share set",
	    names_ready, &c };
	int ret = TOOL_EXIT_FAIL, rc;

	memset(&r, 0, sizeof r);
	memset(&in, 0, sizeof in);
	memset(&tok, 0, sizeof tok);
	c = o->cer;
	c.outdir = o->output;
	c.paper.yes = o->yes;
	c.paper.dir = o->output;
	c.interactive = !o->yes;
	c.set = o->layout.set;
	c.title = "escrow-combine reshare transcript";
	c.name_by_set = 1;
	c.passphrase_role = "the NEW share set";
	/* everything public first: outputs, PIN source, token and login */
	if (tool_check_dir(o->output, "-o") != 0 ||
	    (o->cer.shares_out != NULL && tool_check_dir(o->cer.shares_out,
	    "--shares-out") != 0) ||
	    (o->cer.passphrase_file != NULL && tool_check_secret_file(
	    o->cer.passphrase_file, "--new-passphrase-file", "the new set's passphrase",
	    0) != 0) ||
	    tool_load_preflight(&o->load) != 0 ||
	    tool_paper_preflight(&o->cer.paper) != 0)
		goto out;
	if (o->load.token != NULL && tool_token_open(&tok, &o->load, !o->yes) != 0)
		goto out;
	c.token = tok.p != NULL ? &tok : NULL;
	if (cb_input_gather(&in, o->envelope, o->inputs, o->ninputs) != 0 ||
	    cb_restore(&in, &ro, &r) != 0)
		goto out;
	n = r.rec.nkeys;
	ck = calloc(n, sizeof *ck);
	der = calloc(n, sizeof *der);
	if (ck == NULL || der == NULL) {
		tool_err("out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((rc = escrow_envelope_key(r.env, i, &ck[i].pub)) != ESCROW_OK ||
		    (rc = tool_unwrap_key(r.env, r.S, i, &ck[i].pkey, &der[i],
		    &len)) != ESCROW_OK)
			goto keyfail;
		ck[i].pkcs8 = der[i];
		ck[i].pkcs8_len = len;
	}
	if (r.passphrase != NULL && r.passphrase[0] != '\0' && o->cer.passphrase_file == NULL &&
	    (o->yes || !tool_have_tty()))
		fprintf(stderr, "%s: note: the old share set had a passphrase; the new one "
		    "will have none (give --new-passphrase-file to set one)\n", tool_name);
	tool_text_printf(&note, "Replaces share set %s of envelope %s\n"
	    "  (fingerprint %s): that set and envelope should now be destroyed.\n",
	    r.rec.set_id, r.rec.envelope_id, r.rec.fp_hex);
	if (replaced_list(&r, &rep, &nrep, &note) != 0)
		goto out;
	c.replaced = rep;
	c.nreplaced = nrep;
	c.keys = ck;
	c.nkeys = n;
	c.note = note.p;
	if (tool_ceremony_run(&c) == 0) {
		printf("Replaces share set %s (envelope fingerprint %s).\n", r.rec.set_id,
		    r.rec.fp_hex);
		ret = TOOL_EXIT_OK;
	}
	goto out;
keyfail:
	tool_err("key %zu of the old envelope: %s", i + 1, escrow_strerror(rc));
out:
	for (i = 0; i < n; i++) {
		if (ck != NULL)
			EVP_PKEY_free(ck[i].pkey);
		if (der != NULL)
			escrow_secret_free(der[i]);
	}
	tool_token_close(&tok);
	free(ck);
	free(der);
	free(rep);
	escrow_text_free(&note);
	cb_restore_free(&r);
	cb_input_free(&in);
	return ret;
}
