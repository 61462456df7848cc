/*
 * p11open.c - open and log in to the target token, and probe it (see
 * p11open.h).  The PIN is secret: it lives in secret memory from the
 * terminal or file until C_Login has it, and is wiped on every path.
 */
#include <stdio.h>
#include <string.h>

#include "escrow_keys.h"
#include "p11open.h"
#include "secrets.h"

static void
p11_fail(const char *what, int ret, const struct escrow_p11_error *e)
{
	if (e->function[0] != '\0')
		tool_err("%s: %s returned %s: %s", what, e->function, e->rv_name,
		    e->detail[0] != '\0' ? e->detail : escrow_strerror(ret));
	else
		tool_err("%s: %s%s%s", what, escrow_strerror(ret),
		    e->detail[0] != '\0' ? ": " : "", e->detail);
}

static void
list_tokens(struct escrow_p11 *p)
{
	struct escrow_p11_token_desc t[16];
	size_t i, n = escrow_p11_tokens(p, t, 16);

	printf("tokens of the module:\n");
	for (i = 0; i < n && i < 16; i++)
		printf("  %s slot %lu: \"%s\" (%s %s, serial %s)\n",
		    t[i].selected ? "*" : " ", t[i].slot, t[i].label,
		    t[i].manufacturer, t[i].model, t[i].serial);
}

int
tool_p11_open(const struct tool_load_opts *o, int verbose,
    struct escrow_p11 **out)
{
	struct escrow_p11_open_opts oo;
	struct escrow_p11_error e;
	struct escrow_p11 *p = NULL;
	unsigned long flags;
	char words[128];
	char *pin = NULL;
	int tries, rc;

	*out = NULL;
	memset(&oo, 0, sizeof oo);
	oo.init_args = o->init_args;
	rc = escrow_p11_open_nologin(&p, o->module, o->token, &oo, &e);
	if (rc != ESCROW_OK) {
		p11_fail("opening the token", rc, &e);
		return -1;
	}
	if (verbose)
		list_tokens(p);
	flags = escrow_p11_token_flags(p);
	if (verbose)
		printf("PIN state of token \"%s\": %s\n", escrow_p11_token_label(p),
		    escrow_p11_pin_flags_text(flags, words, sizeof words));
	if (flags & ESCROW_P11_TF_PIN_LOCKED) {
		tool_err("token \"%s\": the user PIN is locked; the security "
		    "officer must unlock it before anything can be loaded",
		    escrow_p11_token_label(p));
		goto fail;
	}
	if (!(flags & ESCROW_P11_TF_LOGIN_REQUIRED) && o->pin_source == NULL) {
		*out = p;
		return 0;
	}
	for (tries = 1;; tries++) {
		if (o->pin_source == NULL &&
		    (flags & ESCROW_P11_TF_PROTECTED_PATH)) {
			fprintf(stderr, "%s: enter the PIN on the token's own "
			    "keypad\n", tool_name);
			rc = escrow_p11_login(p, NULL, 0, &e);
		} else {
			if ((pin = tool_pin(o->pin_source, o->token)) == NULL)
				goto fail;
			rc = escrow_p11_login(p, pin, strlen(pin), &e);
			escrow_secret_free(pin);
			pin = NULL;
		}
		if (rc == ESCROW_OK)
			break;
		if (rc != ESCROW_ERR_P11_PIN || strcmp(e.rv_name, "CKR_PIN_INCORRECT") != 0 ||
		    o->pin_source != NULL || tries >= TOOL_PIN_TRIES) {
			p11_fail("logging in", rc, &e);
			if (o->pin_source != NULL && rc == ESCROW_ERR_P11_PIN)
				tool_hint("the PIN came from --pin-source %s: correct "
				    "that file", o->pin_source);
			goto fail;
		}
		flags = escrow_p11_token_flags(p);
		fprintf(stderr, "%s: wrong PIN for token \"%s\" (PIN state: %s); "
		    "try %d of %d\n", tool_name, escrow_p11_token_label(p),
		    escrow_p11_pin_flags_text(flags, words, sizeof words),
		    tries + 1, TOOL_PIN_TRIES);
	}
	*out = p;
	return 0;
fail:
	escrow_secret_free(pin);
	escrow_p11_close(p);
	return -1;
}

int
tool_p11_probe(struct escrow_p11 *p, const int *algs, size_t n,
    const struct tool_load_opts *o, struct tool_buf *transcript)
{
	struct escrow_p11_probe_opts po;
	struct escrow_p11_verdict v;
	struct escrow_p11_error e;
	char line[1024];
	size_t i, j;
	int rc, bad = 0;

	memset(&po, 0, sizeof po);
	po.strategy = (enum escrow_p11_strategy)o->strategy;
	po.accept_usages = o->accept_usages;
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && algs[j] != algs[i]; j++)
			;
		if (j < i)
			continue; /* a type once is enough */
		rc = escrow_p11_probe(p, &algs[i], 1, &po, &v, &e);
		if (rc != ESCROW_OK && v.why.detail[0] == '\0') {
			p11_fail("probing the token", rc, &e);
			return -1;
		}
		escrow_p11_verdict_text(&v, line, sizeof line);
		printf("verdict %s\n", line);
		if (transcript != NULL)
			tool_buf_printf(transcript, "  probe: %s\n", line);
		bad |= !v.ok;
	}
	return bad;
}
