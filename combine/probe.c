/*
 * probe.c - `escrow-combine probe': before a ceremony, find out whether
 * the target token can take the envelope's keys (or keys of the
 * algorithms named), without any share: open the module, list its
 * tokens, log in (a wrong PIN is asked again, up to three times, with the
 * token's PIN flags shown), list the mechanisms, and for each key type
 * load a freshly generated throwaway key the way `load' would, sign with
 * it in the token, read every attribute back and destroy it.  One verdict
 * line per key type.  Exit 0 when every key type loads, 1 when some
 * cannot, 2 for a usage error.
 *
 * Secret: only the PIN (tools/load.c keeps it in secret memory).  The
 * envelope is public and only its key list is read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "input.h"
#include "escrow_envelope.h"
#include "escrow_keys.h"
#include "escrow_p11.h"
#include "load.h"
#include "options.h"
#include "p11open.h"
#include "tool.h"

#define PROBE_MAX_ALGS CB_MAX_DS_ARGS

static int
parse_alg(const char *s)
{
	static const int all[] = { ESCROW_ALG_RSASHA256, ESCROW_ALG_RSASHA512,
	    ESCROW_ALG_ECDSAP256SHA256, ESCROW_ALG_ECDSAP384SHA384,
	    ESCROW_ALG_ED25519, ESCROW_ALG_ED448 };
	unsigned long n;
	size_t i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		if (strcasecmp(s, escrow_keys_alg_name(all[i])) == 0)
			return all[i];
	if (tool_parse_uint(s, 1, 255, &n) == 0 && escrow_keys_alg_supported((int)n))
		return (int)n;
	return -1;
}

/* The algorithms of the envelope's keys.  0 or -1 (printed). */
static int
envelope_algs(const char *path, int *algs, size_t *n)
{
	struct cb_input in;
	struct escrow_envelope *env = NULL;
	struct escrow_envelope_key k;
	size_t i, count;
	int ret = -1, rc;

	if (cb_input_init(&in) != 0)
		return -1;
	if (cb_input_envelope_file(&in, path) != 0 ||
	    cb_input_finish_envelope(&in) != 0)
		goto out;
	if (in.env == NULL) {
		tool_err("%s: no envelope found in it", path);
		goto out;
	}
	if ((rc = escrow_envelope_parse(in.env, in.env_len, &env)) != ESCROW_OK) {
		tool_err("%s: %s", path, escrow_strerror(rc));
		goto out;
	}
	count = escrow_envelope_key_count(env);
	for (i = 0; i < count && *n < PROBE_MAX_ALGS; i++) {
		if ((rc = escrow_envelope_key(env, i, &k)) != ESCROW_OK) {
			tool_err("%s: key %zu: %s", path, i + 1, escrow_strerror(rc));
			goto out;
		}
		algs[(*n)++] = k.algorithm;
	}
	ret = 0;
out:
	escrow_envelope_free(env);
	cb_input_free(&in);
	return ret;
}

static void
list_mechanisms(struct escrow_p11 *p)
{
	const unsigned long *m;
	size_t i, n = escrow_p11_mechanisms(p, &m);

	printf("mechanisms (%zu):", n);
	for (i = 0; i < n; i++)
		printf("%s%s", i % 4 == 0 ? "\n  " : " ", escrow_p11_mech_name(m[i]));
	printf("\n");
}

int
cb_check_probe(struct cb_opts *o)
{
	size_t i;

	for (i = 0; i < o->nalgs; i++)
		if (parse_alg(o->algs[i]) < 0)
			return tool_bad_usage("probe: -a `%s': not a supported DNSSEC "
			    "algorithm (8, 10, 13, 14, 15, 16 or their names)",
			    o->algs[i]);
	if (o->ninputs > 0)
		return tool_bad_usage("probe: unexpected argument `%s'", o->inputs[0]);
	if (o->load.token == NULL)
		return tool_bad_usage("probe: --token URI (and --module, unless the URI "
		    "names it) is required");
	if (tool_load_finish(&o->load) != 0)
		return TOOL_EXIT_USAGE;
	if ((o->envelope != NULL) == (o->nalgs > 0))
		return tool_bad_usage("probe: give --envelope FILE or -a ALG (not both)");
	return 0;
}

int
cb_cmd_probe(const struct cb_opts *o)
{
	struct tool_token tok;
	int algs[PROBE_MAX_ALGS], rc;
	size_t i, n = 0;

	for (i = 0; i < o->nalgs; i++)
		algs[n++] = parse_alg(o->algs[i]);
	if (o->envelope != NULL && envelope_algs(o->envelope, algs, &n) != 0)
		return TOOL_EXIT_FAIL;
	if (tool_load_preflight(&o->load) != 0)
		return TOOL_EXIT_FAIL;
	/* a wrong PIN typed at the terminal is asked again (three tries),
	 * with the token's PIN state in each refusal */
	if (tool_token_open(&tok, &o->load, tool_have_tty()) != 0)
		return TOOL_EXIT_FAIL;
	tool_p11_describe(tok.p);
	list_mechanisms(tok.p);
	rc = tool_p11_probe(tok.p, algs, n, &o->load, NULL);
	if (rc == 0)
		printf("every key type can be loaded into token \"%s\"\n",
		    escrow_p11_token_label(tok.p));
	tool_token_close(&tok);
	if (rc < 0)
		return TOOL_EXIT_FAIL;
	if (rc > 0) {
		tool_hint("the key types marked CANNOT would fail at `load': fix the "
		    "token (or choose another) before any share is asked for");
		return TOOL_EXIT_FAIL;
	}
	return TOOL_EXIT_OK;
}
