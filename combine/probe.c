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
 * Secret: only the PIN (tools/p11open.c keeps it in secret memory).  The
 * envelope is public and only its key list is read.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "combine.h"
#include "escrow_envelope.h"
#include "escrow_keys.h"
#include "escrow_p11.h"
#include "load.h"
#include "options.h"
#include "p11open.h"
#include "tool.h"

#define PROBE_MAX_ALGS 64

static const char probe_usage_text[] =
"usage: escrow-combine probe --module PATH|NAME --token URI [--pin-source FILE]\n"
"                            [--module-init-args STRING] [--strategy S]\n"
"                            [--accept-token-usages] (--envelope FILE | -a ALG ...)\n"
"\n"
"Tries, with a throwaway key of each type and no share, what `load' will do:\n"
"lists the module's tokens, logs in, lists the mechanisms, loads the key with\n"
"the strategy auto would choose, signs in the token, reads every attribute\n"
"back and destroys it.  One verdict line per key type; exit 0 when every key\n"
"type can be loaded, 1 when some cannot, 2 on a usage error.\n"
"\n"
"  -a, --algorithm ALG         a DNSSEC algorithm (8, RSASHA256, 13,\n"
"                              ECDSAP256SHA256, ...); repeat for more\n"
"      --envelope FILE         probe the key types of this envelope\n"
"      --module PATH|NAME      the PKCS#11 module (omit if the URI has\n"
"                              module-path= or module-name=)\n"
"      --token URI             the token (RFC 7512; a space is %20)\n"
"      --pin-source FILE       read the PIN from FILE (otherwise asked)\n"
"      --module-init-args S    C_Initialize pReserved (NSS softoken, YubiHSM 2)\n"
"      --strategy S            auto (default), unwrap, transport or create\n"
"      --accept-token-usages   keep keys a token made with more usages than\n"
"                              SIGN (recorded) instead of refusing them\n"
"  -h, --help                  this help\n";

void
cb_probe_usage(FILE *f)
{
	fputs(probe_usage_text, f);
}

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
cb_probe_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		TOOL_LOAD_LONGOPTS,
		{ "algorithm", required_argument, NULL, 'a' },
		{ "envelope", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tool_load_opts lo;
	struct escrow_p11 *p = NULL;
	const char *envelope = NULL;
	int algs[PROBE_MAX_ALGS], c, a, rc;
	size_t n = 0;

	tool_load_init(&lo);
	optind = 1;
	while ((c = getopt_long(argc, argv, "a:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if ((a = parse_alg(optarg)) < 0)
				return tool_bad_usage("probe: -a `%s': not a supported "
				    "DNSSEC algorithm (8, 10, 13, 14, 15, 16 or their "
				    "names)", optarg);
			if (n >= PROBE_MAX_ALGS)
				return tool_bad_usage("probe: too many -a");
			algs[n++] = a;
			break;
		case 'e':
			envelope = optarg;
			break;
		case 'h':
			cb_probe_usage(stdout);
			return TOOL_EXIT_OK;
		default:
			rc = tool_load_option(c, optarg, &lo);
			if (rc < 0)
				return TOOL_EXIT_USAGE;
			if (rc == 0)
				return tool_bad_usage("probe: unknown option");
		}
	}
	if (optind < argc)
		return tool_bad_usage("probe: unexpected argument `%s'", argv[optind]);
	if (lo.token == NULL)
		return tool_bad_usage("probe: --token URI (and --module, unless the URI "
		    "names it) is required");
	if (tool_load_finish(&lo) != 0)
		return TOOL_EXIT_USAGE;
	if ((envelope != NULL) == (n > 0))
		return tool_bad_usage("probe: give --envelope FILE or -a ALG (not both)");
	if (tool_harden() != 0)
		return TOOL_EXIT_FAIL;
	if (envelope != NULL && envelope_algs(envelope, algs, &n) != 0)
		return TOOL_EXIT_FAIL;
	if (tool_p11_open(&lo, 1, &p) != 0)
		return TOOL_EXIT_FAIL;
	list_mechanisms(p);
	rc = tool_p11_probe(p, algs, n, &lo, NULL);
	escrow_p11_close(p);
	if (rc < 0)
		return TOOL_EXIT_FAIL;
	if (rc > 0) {
		tool_hint("the key types marked CANNOT would fail at `load': fix the "
		    "token (or choose another) before any share is asked for");
		return TOOL_EXIT_FAIL;
	}
	printf("every key type can be loaded into token \"%s\"\n",
	    lo.token);
	return TOOL_EXIT_OK;
}
