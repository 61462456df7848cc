/*
 * p11_check.c - what every part of a load uses to check a key in the token
 * and to word its messages: the public object compared with the envelope,
 * a test signature made in the token and verified on the host, the
 * attributes read back; the CKA_ID in hex, detail lines, a key's name.
 * Kept below p11_load.c, p11_pending.c, p11_par.c and p11_inventory.c so
 * that none of those calls another back.  No secrets (public keys, test
 * data, handles).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escrow_text.h"
#include "p11_load_int.h"

/* The CKA_ID in hex for messages: as much as fits in buf. */
void
escrow_p11_i_hex(char *buf, size_t cap, const uint8_t *id, size_t len)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < len && 2 * i + 3 <= cap; i++)
		snprintf(buf + 2 * i, cap - 2 * i, "%02x", id[i]);
}

void
escrow_p11_i_detail_add(struct escrow_p11_error *err, const char *fmt, ...)
{
	size_t len;
	va_list ap;

	if (err == NULL)
		return;
	len = strlen(err->detail);
	va_start(ap, fmt);
	vsnprintf(err->detail + len, sizeof err->detail - len, fmt, ap);
	va_end(ap);
}

/* Does public object h hold key i's public key (same values as the
 * template a load would make)? */
int
escrow_p11_i_public_matches(struct p11l_worker *w, size_t i, CK_OBJECT_HANDLE h)
{
	const struct escrow_p11_key *k = &w->l->keys[i];
	struct escrow_p11_i_tmpl *t = &w->t;
	uint8_t buf[1100];
	CK_ULONG j;
	int same = 1;

	escrow_p11_i_tmpl_reset(t);
	if (escrow_p11_i_tmpl_public_parts(t, escrow_p11_i_alg_find(k->algorithm),
	    k->public_key) != ESCROW_OK || t->overflow)
		same = 0;
	for (j = 0; same && j < t->n; j++) {
		CK_ATTRIBUTE a = { t->a[j].type, buf, sizeof buf };

		same = w->p->mod->C_GetAttributeValue(w->p->sess, h, &a, 1) == CKR_OK &&
		    a.ulValueLen == t->a[j].ulValueLen &&
		    memcmp(buf, t->a[j].pValue, a.ulValueLen) == 0;
	}
	escrow_p11_i_tmpl_reset(t);
	return same;
}

static int
check_attributes(struct p11l_worker *w, CK_OBJECT_HANDLE h, size_t i)
{
	struct escrow_p11_loaded *r = &w->l->res[i];

	return escrow_p11_i_readback(w->p, h, w->l->opts->accept_usages,
	    r->attributes, sizeof r->attributes, r->extra_usages,
	    sizeof r->extra_usages, &w->usages_refused, &w->err);
}

static int
sign_and_verify(struct p11l_worker *w, CK_OBJECT_HANDLE h, const struct keys_alginfo *a,
    const struct escrow_p11_key *k, size_t i)
{
	uint8_t data[48] = "escrow-p11 test signature ", sig[1024];
	size_t siglen = 0;
	int ret;

	escrow_random(data + 32, 16);
	ret = escrow_p11_i_sign_raw(w->p, h, a, data, sizeof data, sig, sizeof sig,
	    &siglen, &w->l->res[i].sign_mechanism, &w->err);
	if (ret != ESCROW_OK)
		return ret;
	if (!escrow_p11_i_verify_host(a, k->public_key, data, sizeof data, sig, siglen))
		return escrow_p11_i_fail(&w->err, ESCROW_ERR_P11_VERIFY, "key %zu: the "
		    "test signature made in token `%s' does not verify with "
		    "the given public key", i + 1, w->p->label);
	return ESCROW_OK;
}

/* The test signature and the attributes read back. */
int
escrow_p11_i_check_key(struct p11l_worker *w, size_t i, CK_OBJECT_HANDLE hpriv)
{
	const struct escrow_p11_key *k = &w->l->keys[i];
	int ret = sign_and_verify(w, hpriv, escrow_p11_i_alg_find(k->algorithm), k, i);

	return ret != ESCROW_OK ? ret : check_attributes(w, hpriv, i);
}


void
escrow_p11_i_name_key(const struct load *l, struct escrow_p11_error *err, size_t i)
{
	const char *label = l->keys[i].label;
	char *d;
	char prefix[80];
	size_t dl, room;
	int n;

	if (err == NULL || strncmp(err->detail, "key ", 4) == 0)
		return;
	d = err->detail;
	n = snprintf(prefix, sizeof prefix, "key %zu (%.40s): ", i + 1,
	    label != NULL ? label : "no label");
	if (n <= 0 || (size_t)n >= sizeof prefix)
		return;
	dl = strlen(d);
	room = sizeof err->detail - 1 - (size_t)n;
	if (dl > room)
		dl = room;
	memmove(d + n, d, dl);
	memcpy(d, prefix, (size_t)n);
	d[(size_t)n + dl] = '\0';
}
