/*
 * secrets.c - passphrases, PINs, entropy and shares for the tools.  Every
 * buffer here is secret memory and is wiped on every path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "escrow_envelope.h"
#include "escrow_keys.h"
#include "secrets.h"
#include "tool.h"

int
tool_token_uri_check(const char *uri)
{
	const char *q = uri != NULL ? strchr(uri, '?') : NULL;
	size_t i;

	/* RFC 7512 query attributes pin-value and pin-source: a PIN in the
	 * URI sits in argv, which every user of the machine can read */
	for (; q != NULL && *q != '\0'; q++) {
		if (*q != '?' && *q != '&')
			continue;
		for (i = 1; q[i] == ' '; i++)
			;
		if (strncasecmp(q + i, "pin-value", 9) == 0 ||
		    strncasecmp(q + i, "pin-source", 10) == 0) {
			tool_err("--token: the URI carries a PIN (pin-value= or pin-source=); "
			    "refusing it: a command line is visible to every user of the "
			    "machine (ps, /proc) and this tool would not use it");
			tool_hint("remove it from the URI (and change the PIN if it was "
			    "exposed), and give --pin-source FILE (mode 0600) or type the "
			    "PIN at the prompt");
			return -1;
		}
	}
	return 0;
}

static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < 32 || *s > 126)
			return 0;
	return 1;
}

char *
tool_passphrase(const char *file, int interactive, int twice)
{
	return tool_passphrase_for(file, interactive, twice, NULL);
}

char *
tool_passphrase_for(const char *file, int interactive, int twice, const char *role)
{
	char *p = NULL, *again = NULL, prompt[160];

	if (file != NULL) {
		p = tool_read_secret_file(file, "the passphrase file", TOOL_PASSPHRASE_MAX);
		if (p == NULL)
			return NULL;
	} else if (interactive && tool_have_tty()) {
		tool_secret_check();
		if (role != NULL)
			snprintf(prompt, sizeof prompt, "SLIP-0039 passphrase for %s (Enter "
			    "for none): ", role);
		else
			snprintf(prompt, sizeof prompt, "SLIP-0039 passphrase (Enter for "
			    "none): ");
		p = tool_prompt_secret(prompt, TOOL_PASSPHRASE_MAX);
		if (p == NULL) {
			if (!tool_interrupted())
				tool_err("no passphrase read from the terminal");
			return NULL;
		}
		if (twice) {
			snprintf(prompt, sizeof prompt, "The same passphrase%s%s again: ",
			    role != NULL ? " for " : "", role != NULL ? role : "");
			again = tool_prompt_secret(prompt, TOOL_PASSPHRASE_MAX);
			if (again == NULL || strlen(p) != strlen(again) ||
			    !escrow_equal(p, again, strlen(p))) {
				tool_err("the two passphrases differ");
				tool_hint("run again and type the same passphrase twice");
				escrow_secret_free(again);
				escrow_secret_free(p);
				return NULL;
			}
			escrow_secret_free(again);
		}
	} else {
		p = escrow_secret_alloc(1);
		if (p == NULL) {
			tool_err("out of secure memory");
			return NULL;
		}
		p[0] = '\0';
	}
	if (!printable(p)) {
		tool_err("the passphrase%s%s%s has characters outside printable ASCII",
		    file != NULL ? " in `" : "", file != NULL ? file : "",
		    file != NULL ? "'" : "");
		tool_hint("SLIP-0039 passphrases use ASCII 32..126 only");
		escrow_secret_free(p);
		return NULL;
	}
	return p;
}

char *
tool_pin(const char *file, const char *token)
{
	char prompt[512];
	char *pin;

	if (file != NULL)
		return tool_read_secret_file(file, "the PIN file", TOOL_PIN_MAX);
	if (!tool_have_tty()) {
		tool_err("no PIN: give --pin-source FILE or run on a terminal");
		return NULL;
	}
	tool_secret_check();
	/* a URI as its path part only: a query (?pin-value=...) is not
	 * shown, should one ever get past tool_token_uri_check() */
	snprintf(prompt, sizeof prompt, "User PIN for token %.*s: ",
	    (int)strcspn(token, "?"), token);
	pin = tool_prompt_secret(prompt, TOOL_PIN_MAX);
	if (pin == NULL)
		tool_err("no PIN read from the terminal");
	return pin;
}

int
tool_master_secret(uint8_t S[32], int extra_entropy)
{
	crypto_generichash_state *st = NULL;
	uint8_t *key = NULL;
	char *line = NULL;
	const char *allowed;
	size_t typed = 0, n;
	int ret = -1, kind;

	if (!extra_entropy) {
		escrow_random(S, 32);
		return 0;
	}
	if (!tool_have_tty()) {
		tool_err("--entropy needs a terminal to type on");
		return -1;
	}
	key = escrow_secret_alloc(32);
	line = escrow_secret_alloc(1024);
	st = escrow_secret_alloc(sizeof *st);
	if (key == NULL || line == NULL || st == NULL) {
		tool_err("out of secure memory");
		goto out;
	}
	escrow_random(key, 32);
	crypto_generichash_init(st, key, 32, 32);
	crypto_generichash_update(st, (const uint8_t *)"escrow v1 entropy", 17);
	kind = tool_choose("Extra entropy: dice rolls (d, each 1-6) or hex digits (h, "
	    "0-9 a-f)?", "dh", 'd');
	if (kind == 0)
		goto out;
	allowed = kind == 'd' ? "123456" : "0123456789abcdefABCDEF";
	fprintf(stderr, "Type %s, any number of lines; an empty line ends.  Each is shown "
	    "as `*'; anything else is refused with a beep.\n"
	    "What you type is mixed with the system's random numbers, never used alone.\n",
	    kind == 'd' ? "dice rolls (1 to 6)" : "hex digits (0-9, a-f)");
	for (;;) {
		if (tool_prompt_masked("entropy> ", line, 1024, allowed, &n) != 0) {
			if (tool_interrupted())
				goto out;
			break;
		}
		if (line[0] == '\0')
			break;
		typed += n;
		crypto_generichash_update(st, (const uint8_t *)line, strlen(line) + 1);
		fprintf(stderr, "  %zu %s so far (about %u bits)\n", typed,
		    kind == 'd' ? "dice rolls" : "hex digits", (unsigned)(kind == 'd' ?
		    typed * 2585u / 1000u : typed * 4u));
	}
	crypto_generichash_final(st, S, 32);
	fprintf(stderr, "%zu %s (about %u bits) of extra entropy mixed in.\n", typed,
	    kind == 'd' ? "dice rolls" : "hex digits", (unsigned)(kind == 'd' ?
	    typed * 2585u / 1000u : typed * 4u));
	ret = 0;
out:
	escrow_secret_free(st);
	escrow_secret_free(line);
	escrow_secret_free(key);
	return ret;
}

void
tool_shares_free(struct tool_shares *sh)
{
	escrow_secret_free(sh->s);
	sh->s = NULL;
	sh->n = 0;
}

int
tool_split(const uint8_t S[32], const char *passphrase,
    struct escrow_shareset *set, struct tool_shares *sh)
{
	int ret;

	sh->s = escrow_secret_alloc(ESCROW_SLIP39_MAX_SHARES * sizeof *sh->s);
	if (sh->s == NULL) {
		tool_err("out of secure memory for the shares");
		return -1;
	}
	ret = escrow_slip39_split(S, 32, passphrase, set, sh->s,
	    ESCROW_SLIP39_MAX_SHARES, &sh->n);
	if (ret != ESCROW_OK) {
		tool_err("splitting the master secret: %s", escrow_strerror(ret));
		tool_shares_free(sh);
		return -1;
	}
	return 0;
}

int
tool_unwrap_key(struct escrow_envelope *env, const uint8_t *S, size_t i,
    EVP_PKEY **pkey, uint8_t **der, size_t *der_len)
{
	struct escrow_envelope_key ek;
	EVP_PKEY *k = NULL;
	uint8_t *buf;
	size_t len = 0;
	int rc;

	if ((rc = escrow_envelope_key(env, i, &ek)) != ESCROW_OK)
		return rc;
	buf = escrow_secret_alloc(ek.wrapped_len);
	if (buf == NULL)
		return ESCROW_ERR_NOMEM;
	rc = escrow_envelope_unwrap_key(env, S, i, buf, ek.wrapped_len, &len);
	if (rc == ESCROW_OK)
		rc = escrow_keys_pkcs8_read(buf, len, ek.algorithm, &k);
	if (rc == ESCROW_OK)
		rc = escrow_keys_match(k, ek.algorithm, ek.pubkey, ek.pubkey_len);
	if (rc == ESCROW_OK && pkey != NULL) {
		*pkey = k;
		k = NULL;
	}
	if (rc == ESCROW_OK && der != NULL) {
		*der = buf;
		*der_len = len;
		buf = NULL;
	}
	EVP_PKEY_free(k);
	escrow_secret_free(buf);
	return rc;
}

int
tool_parse_group(const char *s, uint8_t *threshold, uint8_t *count)
{
	unsigned long m, n;
	char buf[16], *slash;

	if (strlen(s) >= sizeof buf)
		return -1;
	memcpy(buf, s, strlen(s) + 1);
	slash = strchr(buf, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	if (tool_parse_uint(buf, 1, 16, &m) != 0 ||
	    tool_parse_uint(slash + 1, 1, 16, &n) != 0 || m > n)
		return -1;
	*threshold = (uint8_t)m;
	*count = (uint8_t)n;
	return 0;
}
