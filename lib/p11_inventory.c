/*
 * p11_inventory.c - what the token holds, before a load and after a
 * failure: every object's handle, class, CKA_TOKEN, CKA_ID and CKA_LABEL.
 * A failed load destroys what it made (rollback), then lists the token
 * again and names exactly what differs from the list from before, so that
 * "nothing was left" is said only after looking.
 *
 * Only public attributes are read here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p11_load_int.h"

static void
read_obj(struct escrow_p11 *p, CK_OBJECT_HANDLE h, struct p11l_obj *o)
{
	CK_OBJECT_CLASS cls = (CK_OBJECT_CLASS)-1;
	CK_BBOOL tok = CK_FALSE;
	CK_ATTRIBUTE a[] = {
		{ CKA_CLASS, &cls, sizeof cls },
		{ CKA_TOKEN, &tok, sizeof tok },
		{ CKA_ID, o->id, sizeof o->id },
		{ CKA_LABEL, o->label, sizeof o->label - 1 },
	};
	CK_RV rv;

	memset(o, 0, sizeof *o);
	o->h = h;
	o->cls = (CK_OBJECT_CLASS)-1;
	rv = p->mod->C_GetAttributeValue(p->sess, h, a, 4);
	if (rv != CKR_OK && rv != CKR_ATTRIBUTE_TYPE_INVALID &&
	    rv != CKR_ATTRIBUTE_SENSITIVE && rv != CKR_BUFFER_TOO_SMALL) {
		/* unreadable: counted as an object of unknown kind */
		o->token = 1;
		return;
	}
	if (a[0].ulValueLen == sizeof cls)
		o->cls = cls;
	o->token = a[1].ulValueLen == sizeof tok ? tok == CK_TRUE : 1;
	if (a[2].ulValueLen != CK_UNAVAILABLE_INFORMATION &&
	    a[2].ulValueLen <= sizeof o->id) {
		o->has_id = 1;
		o->id_len = (uint8_t)a[2].ulValueLen;
	}
	if (a[3].ulValueLen != CK_UNAVAILABLE_INFORMATION &&
	    a[3].ulValueLen < sizeof o->label) {
		o->has_label = 1;
		o->label[a[3].ulValueLen] = '\0';
	} else {
		o->label[0] = '\0';
	}
}

int
escrow_p11_i_inv_take(struct escrow_p11 *p, struct p11l_inv *inv,
    struct escrow_p11_error *err)
{
	CK_OBJECT_HANDLE *h = NULL;
	CK_ULONG n = 0, i;
	int ret;

	inv->o = NULL;
	inv->n = 0;
	if ((ret = escrow_p11_i_find(p, NULL, 0, &h, &n, err)) != ESCROW_OK)
		return ret;
	inv->o = calloc(n + 1, sizeof *inv->o);
	if (inv->o == NULL) {
		free(h);
		return ESCROW_ERR_NOMEM;
	}
	for (i = 0; i < n; i++)
		read_obj(p, h[i], &inv->o[i]);
	inv->n = n;
	free(h);
	return ESCROW_OK;
}

void
escrow_p11_i_inv_free(struct p11l_inv *inv)
{
	free(inv->o);
	inv->o = NULL;
	inv->n = 0;
}

static int
same_obj(const struct p11l_obj *a, const struct p11l_obj *b)
{
	return a->h == b->h && a->cls == b->cls && a->has_id == b->has_id &&
	    a->id_len == b->id_len && memcmp(a->id, b->id, a->id_len) == 0;
}

static const struct p11l_obj *
find_in(const struct p11l_inv *inv, const struct p11l_obj *o)
{
	size_t i;

	for (i = 0; i < inv->n; i++)
		if (same_obj(&inv->o[i], o))
			return &inv->o[i];
	return NULL;
}

/* "object 12 (private key, CKA_ID 01ab..)" */
static void
name_obj(struct load *l, const struct p11l_obj *o, const char *sep)
{
	char hex[2 * 24 + 1];

	escrow_p11_i_hex(hex, sizeof hex, o->id, o->id_len);
	escrow_p11_i_detail_add(l->err, "%sobject %lu (%s, CKA_ID %s%s%s%s%s)", sep,
	    (unsigned long)o->h, escrow_p11_class_name(o->cls),
	    o->has_id ? hex : "none", o->id_len > 24 ? ".." : "",
	    o->has_label && o->label[0] != '\0' ? ", label `" : "",
	    o->has_label && strcmp(o->label, l->plabel) != 0 ? o->label :
	    o->has_label && o->label[0] != '\0' ? "pending" : "",
	    o->has_label && o->label[0] != '\0' ? "'" : "");
}

static size_t
destroy_made(struct load *l)
{
	struct escrow_p11 *p = l->p;
	size_t pass, j, failed = 0;

	/* objects under a final id first: while one with a pending id is
	 * left, the next run knows the set was not committed */
	for (pass = 0; pass < 2; pass++)
		for (j = 2 * l->nkeys; j-- > 0;) {
			if (l->made[j] == CK_INVALID_HANDLE ||
			    (l->final[j] != 0) != (pass == 0))
				continue;
			if (p->mod->C_DestroyObject(p->sess, l->made[j]) == CKR_OK)
				l->made[j] = CK_INVALID_HANDLE;
			else
				failed++;
		}
	return failed;
}

/* In a session of its own: the failed one may be stuck in an operation
 * (a C_Sign that failed leaves the signing operation active). */
static int
list_fresh(struct escrow_p11 *p, struct p11l_inv *inv, struct escrow_p11_error *err)
{
	struct escrow_p11 fresh = *p;
	int ret;

	if (p->mod->C_OpenSession(p->slot, CKF_SERIAL_SESSION, NULL, NULL,
	    &fresh.sess) != CKR_OK)
		return escrow_p11_i_inv_take(p, inv, err);
	ret = escrow_p11_i_inv_take(&fresh, inv, err);
	(void)p->mod->C_CloseSession(fresh.sess);
	return ret;
}

void
escrow_p11_i_rollback(struct load *l)
{
	struct p11l_inv after = { NULL, 0 };
	struct escrow_p11_error lerr;
	size_t failed = 0, left = 0, gone = 0, i, j;

	if (l->made == NULL)
		return; /* refused before anything was looked at */
	if (!l->committed)
		failed = destroy_made(l);
	if (failed > 0)
		escrow_p11_i_detail_add(l->err, "; %zu new objects could not be "
		    "removed", failed);
	l->err->objects_left = failed;
	l->err->listed = 0;
	if (!l->listed_before)
		return;
	escrow_p11_i_err_clear(&lerr);
	if (list_fresh(l->p, &after, &lerr) != ESCROW_OK) {
		escrow_p11_i_detail_add(l->err, "; could not list token `%s' again "
		    "(%s returned %s): check it by hand for objects this run made",
		    l->p->label, lerr.function, lerr.rv_name);
		for (j = 0; j < 2 * l->nkeys; j++)
			if (l->made[j] != CK_INVALID_HANDLE)
				escrow_p11_i_detail_add(l->err, " %lu", (unsigned long)l->made[j]);
		return;
	}
	for (i = 0; i < after.n; i++) {
		if (!after.o[i].token || find_in(&l->before, &after.o[i]) != NULL)
			continue;
		if (l->committed)
			continue; /* the new set, which stands (named before) */
		name_obj(l, &after.o[i], left == 0 ? "; listed again, the token "
		    "holds what this run made: " : ", ");
		left++;
	}
	for (i = 0; i < l->before.n; i++)
		if (l->before.o[i].token && find_in(&after, &l->before.o[i]) == NULL)
			gone++;
	if (gone > 0)
		escrow_p11_i_detail_add(l->err, "; %zu objects that were there before "
		    "are gone", gone);
	l->err->objects_left = left;
	l->err->listed = 1;
	escrow_p11_i_inv_free(&after);
}

void
escrow_p11_i_describe_ids(struct load *l)
{
	struct p11l_inv now = { NULL, 0 };
	struct escrow_p11_error lerr;
	char hex[2 * 16 + 1];
	size_t i, j, shown = 0, both = 0;

	escrow_p11_i_err_clear(&lerr);
	if (list_fresh(l->p, &now, &lerr) != ESCROW_OK) {
		escrow_p11_i_detail_add(l->err, "could not list the token to say "
		    "which old objects are left");
		return;
	}
	for (i = 0; i < l->nkeys; i++) {
		size_t nold = 0, nnew = 0;

		for (j = 0; j < now.n; j++) {
			const struct p11l_obj *o = &now.o[j];

			if (!o->has_id || o->id_len != l->keys[i].id_len ||
			    memcmp(o->id, l->keys[i].id, o->id_len) != 0)
				continue;
			if (escrow_p11_i_is_old(l, o->h))
				nold++;
			else if (o->h == l->made[2 * i] || o->h == l->made[2 * i + 1])
				nnew++;
		}
		if (nold == 0)
			continue;
		both++;
		if (shown++ < 4) {
			escrow_p11_i_hex(hex, sizeof hex, l->keys[i].id, l->keys[i].id_len);
			escrow_p11_i_detail_add(l->err, "%skey %zu (CKA_ID %s%s): %zu new "
			    "and %zu old objects", shown == 1 ? "the token holds, " :
			    ", ", i + 1, hex, l->keys[i].id_len > 16 ? ".." : "",
			    nnew, nold);
		}
	}
	if (both > 4)
		escrow_p11_i_detail_add(l->err, ", and %zu more keys the same", both - 4);
	if (both > 0)
		escrow_p11_i_detail_add(l->err, "; the new keys are the checked ones "
		    "(pending label `%s'): run the same load with --replace again "
		    "to remove the old objects", l->plabel[0] ? l->plabel : "none");
	escrow_p11_i_inv_free(&now);
}

int
escrow_p11_i_is_old(const struct load *l, CK_OBJECT_HANDLE h)
{
	size_t i;

	for (i = 0; i < l->before.n; i++)
		if (l->before.o[i].h == h)
			return 1;
	return 0;
}
