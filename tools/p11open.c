/*
 * p11open.c - open the target token with its module's initialisation
 * arguments, describe it, and probe it (see p11open.h).  The PIN is the
 * caller's (secret memory, wiped there); nothing secret is kept here.
 */
#include <stdio.h>
#include <string.h>

#include "escrow_keys.h"
#include "p11open.h"

void
tool_p11_fail(const char *what, int ret, const struct escrow_p11_error *e)
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
tool_p11_open_pin(const struct tool_load_opts *o, const char *pin,
    struct escrow_p11 **out, struct escrow_p11_error *e)
{
	struct escrow_p11_open_opts oo;
	struct escrow_p11 *p = NULL;
	int rc;

	*out = NULL;
	memset(&oo, 0, sizeof oo);
	oo.init_args = o->init_args;
	rc = escrow_p11_open_nologin(&p, o->module, o->token, &oo, e);
	if (rc == ESCROW_OK && (rc = escrow_p11_login(p, pin, pin != NULL ?
	    strlen(pin) : 0, e)) != ESCROW_OK) {
		escrow_p11_close(p);
		p = NULL;
	}
	*out = p;
	return rc;
}

void
tool_p11_describe(struct escrow_p11 *p)
{
	char words[128];

	list_tokens(p);
	printf("PIN state of token \"%s\": %s\n", escrow_p11_token_label(p),
	    escrow_p11_pin_flags_text(escrow_p11_token_flags(p), words,
	    sizeof words));
}

int
tool_p11_probe(struct escrow_p11 *p, const int *algs, size_t n,
    const struct tool_load_opts *o, struct escrow_text *transcript)
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
			tool_p11_fail("probing the token", rc, &e);
			return -1;
		}
		escrow_p11_verdict_text(&v, line, sizeof line);
		printf("verdict %s\n", line);
		if (transcript != NULL)
			tool_text_printf(transcript, "  probe: %s\n", line);
		bad |= !v.ok;
	}
	return bad;
}
