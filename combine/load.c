/*
 * load.c - escrow-combine load: restore the master secret and load every
 * key of the envelope into a PKCS#11 token (tools/load.c), proven by a
 * signature made in the token.  Everything that can be checked before
 * the shares are read or typed is: the paths, the PIN source, the module,
 * the token and the login, then (once the envelope is read) the CKA_IDs
 * already in the token and the room for --rrsig-out.
 *
 * Secret: the shares, the passphrase, the master secret and the PIN; all
 * in secret memory (input.c, restore.c, tools/).
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "diskspace.h"
#include "escrow_keys.h"
#include "input.h"
#include "load.h"
#include "restore.h"
#include "tool.h"

struct ready_ctx {
	struct tool_token *tok;
	const struct cb_opts *o;
};

/*
 * Once the envelope is read, before any share: its keys' IDs in the
 * token, and room for --rrsig-out (a DNSKEY and an RRSIG per key).
 */
static int
ids_ready(const struct cb_restore *r, void *ctx)
{
	const struct ready_ctx *rc = ctx;
	struct tool_space s;
	struct tool_space_keys k;

	if (tool_token_check_records(rc->tok, &r->rec) != 0)
		return -1;
	if (rc->o->load.rrsig_out == NULL)
		return 0;
	tool_space_keys_of(r->env, &r->rec, &k);
	tool_space_init(&s);
	tool_space_add_file(&s, rc->o->load.rrsig_out, 512 + k.nkeys * (1024 + 3 * k.owner +
	    2 * (uint64_t)k.pub + 2 * ESCROW_KEYS_SIG_MAX), "the DNSKEY and RRSIG records");
	return tool_space_check(&s);
}

int
cb_cmd_load(const struct cb_opts *o)
{
	struct cb_input in;
	struct cb_restore r;
	struct tool_token tok;
	struct ready_ctx ctx = { &tok, o };
	struct cb_restore_opts ro = { o->passphrase_file, !o->yes, NULL, ids_ready, &ctx };
	struct escrow_text transcript = { 0 };
	int ret = TOOL_EXIT_FAIL;

	memset(&r, 0, sizeof r);
	memset(&in, 0, sizeof in);
	memset(&tok, 0, sizeof tok);
	if (tool_load_preflight(&o->load) != 0 ||
	    tool_token_open(&tok, &o->load, !o->yes) != 0)
		goto out;
	if (cb_input_gather(&in, o->envelope, o->inputs, o->ninputs) != 0 ||
	    cb_restore(&in, &ro, &r) != 0)
		goto out;
	if (tool_load(&tok, r.env, r.S, NULL, &r.rec, &transcript) != 0)
		goto out;
	ret = TOOL_EXIT_OK;
out:
	tool_token_close(&tok);
	escrow_text_free(&transcript);
	cb_restore_free(&r);
	cb_input_free(&in);
	return ret;
}
