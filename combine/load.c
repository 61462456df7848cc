/*
 * load.c - escrow-combine load: restore the master secret and load every
 * key of the envelope into a PKCS#11 token (tools/load.c), proven by a
 * signature made in the token.
 *
 * Secret: the shares, the passphrase, the master secret and the PIN; all
 * in secret memory (input.c, restore.c, tools/).
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "input.h"
#include "load.h"
#include "restore.h"
#include "tool.h"

int
cb_cmd_load(const struct cb_opts *o)
{
	struct cb_input in;
	struct cb_restore r;
	struct escrow_text transcript = { 0 };
	int ret = TOOL_EXIT_FAIL;

	memset(&r, 0, sizeof r);
	if (cb_input_gather(&in, o->envelope, o->inputs, o->ninputs) != 0 ||
	    cb_restore(&in, o->passphrase_file, !o->yes, &r) != 0)
		goto out;
	if (tool_load(r.env, r.S, NULL, &r.rec, &o->load, &transcript) != 0)
		goto out;
	fwrite(transcript.p, 1, transcript.len, stdout);
	ret = TOOL_EXIT_OK;
out:
	escrow_text_free(&transcript);
	cb_restore_free(&r);
	cb_input_free(&in);
	return ret;
}
