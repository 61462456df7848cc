/*
 * p11_pending.c - crash-safe loads.  Every object a load makes carries a
 * pending CKA_ID ("escrow~p" || set tag || key index) and a pending
 * CKA_LABEL ("escrow-pending " || set tag in hex) until the whole set is
 * in and checked.  The commit then, in this order:
 *   1. sets every object's final CKA_ID (old and new now share the ids;
 *      the new ones still carry the pending label);
 *   2. destroys the old objects of a replace;
 *   3. sets every object's final CKA_LABEL.
 * A crash before the last id of step 1 leaves the old set complete and
 * pending objects (at least one with a pending id); from then on the new
 * set is complete and what is left is old objects or pending labels.  The
 * next load of the same set tells the two apart from the objects alone
 * (escrow_p11_i_recover) and removes, or finishes, what was left.  The set
 * tag is the first 8 bytes of SHA-256 over every key's algorithm, CKA_ID
 * and public key, so it names this key set whichever envelope or share
 * set it came from.  docs/pkcs11.md has the whole argument.
 *
 * Nothing secret here: ids, labels and public keys only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "escrow_bytes.h"
#include "p11_load_int.h"

void
escrow_p11_i_pending_init(struct load *l)
{
	static const char dom[] = "escrow p11 pending set v2";
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	struct escrow_p11_i_tmpl t;
	uint8_t md[EVP_MAX_MD_SIZE], n[4];
	unsigned int mdlen = 0;
	size_t i;
	CK_ULONG j;
	int ok, have_t;

	n[0] = (uint8_t)(l->nkeys >> 24);
	n[1] = (uint8_t)(l->nkeys >> 16);
	n[2] = (uint8_t)(l->nkeys >> 8);
	n[3] = (uint8_t)l->nkeys;
	have_t = escrow_p11_i_tmpl_init(&t, 8192) == ESCROW_OK;
	ok = have_t && c != NULL && EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(c, dom, sizeof dom) == 1 &&
	    EVP_DigestUpdate(c, n, sizeof n) == 1;
	/* each key: algorithm, CKA_ID, and its public key as the public
	 * object's attributes (CKA_MODULUS and CKA_PUBLIC_EXPONENT, or
	 * CKA_EC_PARAMS and CKA_EC_POINT), each type, length and value;
	 * cheaper than a DER encoding through OpenSSL 3's encoders */
	for (i = 0; ok && i < l->nkeys; i++) {
		const struct escrow_p11_key *k = &l->keys[i];
		uint8_t hd[2] = { (uint8_t)k->algorithm, (uint8_t)k->id_len };

		escrow_p11_i_tmpl_reset(&t);
		ok = EVP_DigestUpdate(c, hd, 2) == 1 &&
		    EVP_DigestUpdate(c, k->id, k->id_len) == 1 &&
		    escrow_p11_i_tmpl_public_parts(&t, escrow_p11_i_alg_find(k->algorithm),
		    k->public_key) == ESCROW_OK && !t.overflow;
		for (j = 0; ok && j < t.n; j++) {
			uint8_t tl[8];

			escrow_put32(tl, (uint32_t)t.a[j].type);
			escrow_put32(tl + 4, (uint32_t)t.a[j].ulValueLen);
			ok = EVP_DigestUpdate(c, tl, sizeof tl) == 1 &&
			    EVP_DigestUpdate(c, t.a[j].pValue, t.a[j].ulValueLen) == 1;
		}
	}
	if (have_t)
		escrow_p11_i_tmpl_free(&t);
	ok = ok && EVP_DigestFinal_ex(c, md, &mdlen) == 1 && mdlen >= 8;
	EVP_MD_CTX_free(c);
	if (!ok) {
		/* cannot name the set: load the old way */
		l->pending = 0;
		snprintf(l->report->crash_note, sizeof l->report->crash_note,
		    "cannot compute the key set's tag (OpenSSL)");
		return;
	}
	memcpy(l->tag, md, 8);
	memcpy(l->plabel, ESCROW_P11_PENDING_LABEL,
	    sizeof ESCROW_P11_PENDING_LABEL - 1);
	escrow_p11_i_hex(l->plabel + 15, sizeof l->plabel - 15, l->tag, 8);
}

void
escrow_p11_i_pending_id(const struct load *l, size_t i, uint8_t out[P11L_PENDING_ID_LEN])
{
	memcpy(out, P11L_PENDING_MAGIC, P11L_PENDING_MAGIC_LEN);
	memcpy(out + P11L_PENDING_MAGIC_LEN, l->tag, 8);
	out[P11L_PENDING_ID_LEN - 2] = (uint8_t)(i >> 8);
	out[P11L_PENDING_ID_LEN - 1] = (uint8_t)i;
}

/* Key index of a pending id of this set, or -1. */
static long
pending_index(const struct load *l, const struct p11l_obj *o)
{
	size_t i;

	if (!o->has_id || o->id_len != P11L_PENDING_ID_LEN ||
	    memcmp(o->id, P11L_PENDING_MAGIC, P11L_PENDING_MAGIC_LEN) != 0 ||
	    memcmp(o->id + P11L_PENDING_MAGIC_LEN, l->tag, 8) != 0)
		return -1;
	i = (size_t)o->id[P11L_PENDING_ID_LEN - 2] << 8 | o->id[P11L_PENDING_ID_LEN - 1];
	return i < l->nkeys ? (long)i : -1;
}

/* Key index of a final id of this set, or -1. */
static long
final_index(const struct load *l, const struct p11l_obj *o)
{
	size_t i;

	if (!o->has_id)
		return -1;
	for (i = 0; i < l->nkeys; i++)
		if (o->id_len == l->keys[i].id_len &&
		    memcmp(o->id, l->keys[i].id, o->id_len) == 0)
			return (long)i;
	return -1;
}

static int
is_pending_labelled(const struct load *l, const struct p11l_obj *o)
{
	return (o->has_label && strcmp(o->label, l->plabel) == 0) ||
	    pending_index(l, o) >= 0;
}

static int
set_label(struct escrow_p11 *p, CK_OBJECT_HANDLE h, const char *label)
{
	CK_ATTRIBUTE a = { CKA_LABEL, (void *)(uintptr_t)(label != NULL ? label : ""),
		label != NULL ? strlen(label) : 0 };

	return (int)p->mod->C_SetAttributeValue(p->sess, h, &a, 1);
}

static CK_RV
set_id(struct escrow_p11 *p, CK_OBJECT_HANDLE h, const uint8_t *id, size_t len)
{
	CK_ATTRIBUTE a = { CKA_ID, (void *)(uintptr_t)id, len };

	return p->mod->C_SetAttributeValue(p->sess, h, &a, 1);
}

/* Remove every object an interrupted load left: final ids first, so that
 * a crash here too leaves one with a pending id for the next run. */
static int
recover_remove(struct load *l, const size_t *idx, size_t n)
{
	struct escrow_p11 *p = l->p;
	size_t pass, j;
	CK_RV rv;

	for (pass = 0; pass < 2; pass++)
		for (j = 0; j < n; j++) {
			const struct p11l_obj *o = &l->before.o[idx[j]];

			if ((pending_index(l, o) >= 0) != (pass == 1))
				continue;
			rv = p->mod->C_DestroyObject(p->sess, o->h);
			if (rv != CKR_OK)
				return escrow_p11_i_fail_rv(l->err, ESCROW_ERR_P11,
				    "C_DestroyObject", rv, "token `%s' holds %zu "
				    "objects an interrupted load of this key set "
				    "left (label `%s'); object %lu could not be "
				    "removed", p->label, n, l->plabel,
				    (unsigned long)o->h);
			l->report->pending_removed++;
		}
	return ESCROW_OK;
}

/* The interrupted load had finished its ids: finish steps 2 and 3. */
static int
recover_finish(struct load *l, const size_t *idx, size_t n, int destroy_old)
{
	struct escrow_p11 *p = l->p;
	size_t i, j;
	CK_RV rv;

	for (i = 0; destroy_old && i < l->before.n; i++) {
		const struct p11l_obj *o = &l->before.o[i];

		if ((o->cls != CKO_PRIVATE_KEY && o->cls != CKO_PUBLIC_KEY) ||
		    final_index(l, o) < 0 || is_pending_labelled(l, o))
			continue;
		rv = p->mod->C_DestroyObject(p->sess, o->h);
		if (rv != CKR_OK)
			return escrow_p11_i_fail_rv(l->err, ESCROW_ERR_P11,
			    "C_DestroyObject", rv, "an interrupted replace of this "
			    "key set had loaded and checked every new key; old "
			    "object %lu could not be removed", (unsigned long)o->h);
	}
	for (j = 0; j < n; j++) {
		const struct p11l_obj *o = &l->before.o[idx[j]];
		long k = final_index(l, o);

		rv = (CK_RV)set_label(p, o->h, l->keys[k].label);
		if (rv != CKR_OK)
			return escrow_p11_i_fail_rv(l->err, ESCROW_ERR_P11,
			    "C_SetAttributeValue", rv, "an interrupted load of "
			    "this key set had every key in and checked; the label "
			    "of object %lu could not be set", (unsigned long)o->h);
	}
	return ESCROW_OK;
}

int
escrow_p11_i_recover(struct load *l, int *resumed)
{
	size_t *idx = NULL, *npriv = NULL, *npub = NULL;
	size_t i, n = 0, npend = 0, nother = 0;
	int ret = ESCROW_OK, complete = 1, over = 0;

	*resumed = 0;
	if (l->plabel[0] == '\0')
		return ESCROW_OK;
	idx = calloc(l->before.n + 1, sizeof *idx);
	npriv = calloc(l->nkeys, sizeof *npriv);
	npub = calloc(l->nkeys, sizeof *npub);
	if (idx == NULL || npriv == NULL || npub == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < l->before.n; i++) {
		const struct p11l_obj *o = &l->before.o[i];
		long k;

		if (!o->token || !is_pending_labelled(l, o))
			continue;
		idx[n++] = i;
		if (pending_index(l, o) >= 0) {
			npend++;
		} else if ((k = final_index(l, o)) < 0 || (o->cls != CKO_PRIVATE_KEY &&
		    o->cls != CKO_PUBLIC_KEY)) {
			nother++;
		} else if (o->cls == CKO_PRIVATE_KEY) {
			over |= ++npriv[k] > 1;
		} else {
			over |= ++npub[k] > 1;
		}
	}
	if (n == 0)
		goto out;
	for (i = 0; i < l->nkeys; i++)
		complete &= npriv[i] == 1 && npub[i] == 1;
	if (npend > 0 || nother > 0 || over) {
		/* the commit had not set every final id: the old set (if any)
		 * is complete and the pending objects go */
		ret = recover_remove(l, idx, n);
	} else {
		/* every id was final: the new set was complete and checked;
		 * with all 2N still labelled, old objects may be left */
		ret = recover_finish(l, idx, n, complete);
		if (ret == ESCROW_OK)
			*resumed = l->report->resumed = 1;
	}
	if (ret == ESCROW_OK) {
		escrow_p11_i_inv_free(&l->before);
		ret = escrow_p11_i_inv_take(l->p, &l->before, l->err);
	}
out:
	free(idx);
	free(npriv);
	free(npub);
	return ret;
}

static int
refusal(CK_RV rv)
{
	return rv == CKR_ATTRIBUTE_READ_ONLY || rv == CKR_ACTION_PROHIBITED ||
	    rv == CKR_ATTRIBUTE_TYPE_INVALID || rv == CKR_ATTRIBUTE_VALUE_INVALID ||
	    rv == CKR_TEMPLATE_INCONSISTENT || rv == CKR_FUNCTION_NOT_SUPPORTED;
}

int
escrow_p11_i_check_writable(struct p11l_worker *w, CK_OBJECT_HANDLE h, int kind, size_t i)
{
	struct load *l = w->l;
	uint8_t pid[P11L_PENDING_ID_LEN];
	CK_ATTRIBUTE a[2];
	int checked;
	CK_RV rv;

	pthread_mutex_lock(&l->lock);
	checked = l->writable_checked[kind];
	pthread_mutex_unlock(&l->lock);
	if (checked)
		return ESCROW_OK;
	/* the values it has: changes nothing, but a token that will not
	 * change them says so now, before the rest of the set is made */
	escrow_p11_i_pending_id(l, i, pid);
	a[0].type = CKA_ID;
	a[0].pValue = pid;
	a[0].ulValueLen = sizeof pid;
	a[1].type = CKA_LABEL;
	a[1].pValue = l->plabel;
	a[1].ulValueLen = strlen(l->plabel);
	rv = w->p->mod->C_SetAttributeValue(w->p->sess, h, a, 2);
	if (rv == CKR_OK) {
		pthread_mutex_lock(&l->lock);
		l->writable_checked[kind] = 1;
		pthread_mutex_unlock(&l->lock);
		return ESCROW_OK;
	}
	if (refusal(rv)) {
		pthread_mutex_lock(&l->lock);
		l->refused = 1;
		l->refused_rv = rv;
		pthread_mutex_unlock(&l->lock);
	}
	return escrow_p11_i_fail_rv(&w->err, ESCROW_ERR_P11, "C_SetAttributeValue", rv,
	    "key %zu: token `%s' will not set the CKA_ID and CKA_LABEL of a "
	    "new %s", i + 1, w->p->label, kind == 2 ? "public key" : "private key");
}

/* Step 1 for key i (a p11l_step). */
static int
flip_id(struct p11l_worker *w, size_t i)
{
	struct load *l = w->l;
	const struct escrow_p11_key *k = &l->keys[i];
	size_t j;
	CK_RV rv;

	for (j = 2 * i; j < 2 * i + 2; j++) {
		rv = set_id(w->p, l->made[j], k->id, k->id_len);
		if (rv != CKR_OK)
			return escrow_p11_i_fail_rv(&w->err, ESCROW_ERR_P11,
			    "C_SetAttributeValue", rv, "key %zu: cannot set the "
			    "final CKA_ID of new object %lu", i + 1,
			    (unsigned long)l->made[j]);
		l->final[j] = 1;
	}
	return ESCROW_OK;
}

/* Step 3 for key i. */
static int
flip_label(struct p11l_worker *w, size_t i)
{
	struct load *l = w->l;
	size_t j;
	CK_RV rv;

	for (j = 2 * i; j < 2 * i + 2; j++) {
		rv = (CK_RV)set_label(w->p, l->made[j], l->keys[i].label);
		if (rv != CKR_OK)
			return escrow_p11_i_fail_rv(&w->err, ESCROW_ERR_P11,
			    "C_SetAttributeValue", rv, "key %zu: cannot set the "
			    "final CKA_LABEL of new object %lu", i + 1,
			    (unsigned long)l->made[j]);
	}
	return ESCROW_OK;
}

/* After step 1: every old object must still be itself (not merged into a
 * new one, nor a new one into it). */
static int
old_still_there(struct load *l)
{
	struct escrow_p11 *p = l->p;
	char label[65];
	size_t i;
	CK_RV rv;

	for (i = 0; i < l->nold; i++) {
		CK_ATTRIBUTE a = { CKA_LABEL, label, sizeof label - 1 };

		memset(label, 0, sizeof label);
		rv = p->mod->C_GetAttributeValue(p->sess, l->old[i].h, &a, 1);
		if (rv == CKR_BUFFER_TOO_SMALL || (rv == CKR_OK &&
		    strcmp(label, l->plabel) != 0))
			continue;
		return escrow_p11_i_fail_rv(l->err, ESCROW_ERR_P11, rv != CKR_OK ?
		    "C_GetAttributeValue" : "", rv, "old object %lu (key %zu's "
		    "CKA_ID) %s after the new objects got the same CKA_ID: the "
		    "token merges objects with the same CKA_ID; nothing old was "
		    "destroyed", (unsigned long)l->old[i].h, l->old[i].key + 1,
		    rv != CKR_OK ? "cannot be read" : "turned into a new one");
	}
	return ESCROW_OK;
}

static int
destroy_old(struct load *l)
{
	struct escrow_p11 *p = l->p;
	size_t i;
	CK_RV rv;

	for (i = 0; i < l->nold; i++) {
		rv = p->mod->C_DestroyObject(p->sess, l->old[i].h);
		if (rv != CKR_OK) {
			l->report->old_left = l->nold - i;
			escrow_p11_i_fail_rv(l->err, ESCROW_ERR_P11, "C_DestroyObject",
			    rv, "the new keys are loaded and checked, but old "
			    "object %lu (key %zu's CKA_ID) could not be removed; ",
			    (unsigned long)l->old[i].h, l->old[i].key + 1);
			escrow_p11_i_describe_ids(l);
			return ESCROW_ERR_P11;
		}
		l->res[l->old[i].key].replaced++;
	}
	return ESCROW_OK;
}

int
escrow_p11_i_commit(struct load *l)
{
	int ret;

	if (!l->pending) {
		l->committed = 1;
		return destroy_old(l);
	}
	if ((ret = escrow_p11_i_run(l, flip_id, 0)) != ESCROW_OK)
		return ret;
	if (l->nold > 0 && (ret = old_still_there(l)) != ESCROW_OK) {
		l->committed = 1; /* leave both: which is which is unclear */
		return ret;
	}
	if (l->nold > 0) {
		/* from here on the new set stands */
		l->committed = 1;
		if ((ret = destroy_old(l)) != ESCROW_OK)
			return ret;
	}
	ret = escrow_p11_i_run(l, flip_label, 0);
	if (ret != ESCROW_OK && l->committed)
		escrow_p11_i_detail_add(l->err, "; the new keys are in and checked "
		    "(the old ones removed): run the same load again to set the "
		    "remaining labels (`%s')", l->plabel);
	return ret;
}

int
escrow_p11_i_adopt(struct load *l)
{
	struct p11l_worker *w = &l->w[0];
	size_t i, j;
	int ret;

	for (i = 0; i < l->nkeys; i++) {
		CK_OBJECT_HANDLE priv = CK_INVALID_HANDLE, pub = CK_INVALID_HANDLE;
		size_t np = 0, nq = 0;

		for (j = 0; j < l->before.n; j++) {
			const struct p11l_obj *o = &l->before.o[j];

			if (final_index(l, o) != (long)i)
				continue;
			if (o->cls == CKO_PRIVATE_KEY && np++ == 0)
				priv = o->h;
			else if (o->cls == CKO_PUBLIC_KEY && nq++ == 0)
				pub = o->h;
		}
		if (np != 1 || nq != 1)
			return escrow_p11_i_fail(l->err, ESCROW_ERR_P11, "key %zu: after "
			    "finishing an interrupted load the token has %zu "
			    "private and %zu public objects with its CKA_ID "
			    "(want one of each)", i + 1, np, nq);
		if (!escrow_p11_i_public_matches(w, i, pub))
			return escrow_p11_i_fail(l->err, ESCROW_ERR_P11_VERIFY, "key %zu: "
			    "public key object %lu under its CKA_ID holds another "
			    "key", i + 1, (unsigned long)pub);
		if ((ret = escrow_p11_i_check_key(w, i, priv)) != ESCROW_OK) {
			*l->err = w->err;
			return ret;
		}
		l->res[i].private_handle = priv;
		l->res[i].public_handle = pub;
		l->res[i].resumed = 1;
	}
	return ESCROW_OK;
}
