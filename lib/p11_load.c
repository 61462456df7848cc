/*
 * p11_load.c - escrow_p11_load(): put a key set into a token, all or
 * nothing, and crash-safe where the token allows it.  Per key: choose a
 * strategy, make the private key object (unwrap or create) and the public
 * key object, sign test data in the token and verify it on the host, read
 * back the attributes.  The objects carry a pending CKA_ID and CKA_LABEL
 * until every key is in and checked, then the set is committed
 * (p11_pending.c); on any failure every object this call made is
 * destroyed and the token listed again (p11_inventory.c).  Keys may be
 * spread over several sessions on threads (p11_par.c).
 *
 * Secret: K_wrap and private components reach the token through
 * p11_unwrap.c / p11_tmpl.c, which keep them in secret memory.  Nothing
 * secret is held in this file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escrow_text.h"
#include "p11_load_int.h"

static int
check_inputs(struct load *l, enum escrow_p11_strategy s)
{
	char hex[64];
	size_t i, j;

	for (i = 0; i < l->nkeys; i++) {
		const struct escrow_p11_key *k = &l->keys[i];
		const struct keys_alginfo *a = escrow_p11_i_alg_find(k->algorithm);
		int need_blob = s == ESCROW_P11_UNWRAP || s == ESCROW_P11_TRANSPORT;

		if (a == NULL)
			return escrow_p11_i_fail(l->err, ESCROW_ERR_ALGORITHM, "key %zu: "
			    "DNSSEC algorithm %d is not supported (8, 10, 13, "
			    "14, 15, 16 are)", i + 1, k->algorithm);
		if (k->id == NULL || k->id_len == 0 || k->id_len > 255)
			return escrow_p11_i_fail(l->err, ESCROW_ERR_INVALID_ARG, "key %zu: "
			    "CKA_ID must have 1 to 255 bytes", i + 1);
		if (!escrow_p11_i_alg_matches(a, k->public_key))
			return escrow_p11_i_fail(l->err, ESCROW_ERR_ALGORITHM, "key %zu: "
			    "the public key is not a %s key", i + 1, a->name);
		if ((need_blob || s == ESCROW_P11_AUTO) && k->private_key == NULL &&
		    (k->wrapped == NULL || k->wrapped_len < 16 || k->kwrap == NULL))
			return escrow_p11_i_fail(l->err, ESCROW_ERR_INVALID_ARG, "key %zu: "
			    "no wrapped private key and K_wrap", i + 1);
		if (need_blob && (k->wrapped == NULL || k->kwrap == NULL))
			return escrow_p11_i_fail(l->err, ESCROW_ERR_INVALID_ARG, "key %zu: "
			    "%s needs the wrapped key and K_wrap", i + 1,
			    escrow_p11_strategy_name(s));
		if (s == ESCROW_P11_CREATE && (k->private_key == NULL ||
		    !escrow_p11_i_alg_matches(a, k->private_key)))
			return escrow_p11_i_fail(l->err, ESCROW_ERR_INVALID_ARG, "key %zu: "
			    "create needs the %s private key", i + 1, a->name);
		for (j = 0; j < i; j++) {
			if (l->keys[j].id_len != k->id_len ||
			    memcmp(l->keys[j].id, k->id, k->id_len) != 0)
				continue;
			escrow_p11_i_hex(hex, sizeof hex, k->id, k->id_len);
			return escrow_p11_i_fail(l->err, ESCROW_ERR_INVALID_ARG, "keys %zu "
			    "and %zu have the same CKA_ID %s", j + 1, i + 1, hex);
		}
	}
	return ESCROW_OK;
}

/*
 * The objects already in the token under one of the set's CKA_IDs (from
 * the inventory): refused, or noted as old for a replace.  Objects of an
 * interrupted load of this set were dealt with before.
 */
static int
find_old(struct load *l)
{
	struct escrow_p11 *p = l->p;
	char hex[64];
	size_t i, k, *npriv, *npub;
	int ret = ESCROW_OK, same = 1;

	l->nold = 0;
	free(l->old);
	l->old = calloc(l->before.n + 1, sizeof *l->old);
	npriv = calloc(l->nkeys, sizeof *npriv);
	npub = calloc(l->nkeys, sizeof *npub);
	if (l->old == NULL || npriv == NULL || npub == NULL) {
		free(npriv);
		free(npub);
		return ESCROW_ERR_NOMEM;
	}
	for (i = 0; i < l->before.n; i++) {
		const struct p11l_obj *o = &l->before.o[i];

		if (!o->has_id || (o->cls != CKO_PRIVATE_KEY &&
		    o->cls != CKO_PUBLIC_KEY))
			continue;
		for (k = 0; k < l->nkeys; k++) {
			if (o->id_len != l->keys[k].id_len ||
			    memcmp(o->id, l->keys[k].id, o->id_len) != 0)
				continue;
			if (!l->opts->replace && ret == ESCROW_OK) {
				escrow_p11_i_hex(hex, sizeof hex, o->id, o->id_len);
				ret = escrow_p11_i_fail(l->err,
				    ESCROW_ERR_P11_OBJECT_EXISTS, "token `%s' "
				    "already has a %s with CKA_ID %s (key %zu)",
				    p->label, escrow_p11_class_name(o->cls), hex,
				    k + 1);
			}
			if (o->cls == CKO_PRIVATE_KEY)
				npriv[k]++;
			else
				npub[k]++;
			l->old[l->nold].h = o->h;
			l->old[l->nold].key = k;
			l->nold++;
			break;
		}
	}
	/* the same command again after a load that went through (or whose
	 * process died after the commit): exactly this set is there, which
	 * escrow_p11_i_adopt() then checks key by key */
	for (k = 0; k < l->nkeys; k++)
		same &= npriv[k] == 1 && npub[k] == 1;
	l->already = ret != ESCROW_OK && same && l->nold == 2 * l->nkeys;
	free(npriv);
	free(npub);
	return ret;
}

/* C_CreateObject with the MODIFIABLE=false fallback. */
static CK_RV
create(struct escrow_p11 *p, struct escrow_p11_i_tmpl *t, CK_OBJECT_HANDLE *h)
{
	CK_RV rv = p->mod->C_CreateObject(p->sess, t->a, t->n, h);

	if (escrow_p11_i_tmpl_modifiable_retry(p, P11_OP_CREATE, rv, t)) {
		rv = p->mod->C_CreateObject(p->sess, t->a, t->n, h);
		(void)escrow_p11_i_tmpl_modifiable_retry(p, P11_OP_CREATE, rv, t);
	}
	return rv;
}

/*
 * A key the token cannot sign with cannot be proven there, nor used: say
 * which mechanism is missing before any object is made (a token without
 * EdDSA, such as NSS softoken 3.87 or a PKCS#11 2.40 module, would
 * otherwise refuse the key type in C_CreateObject with a code that does
 * not say why).  A token whose list names nothing is tried all the same.
 */
static int
can_sign(struct escrow_p11 *p, const struct keys_alginfo *a,
    struct escrow_p11_error *err)
{
	if (p->nmechs == 0 || escrow_p11_i_has_mech(p, a->ck_sign_mech, 0) ||
	    (a->ck_raw_mech != 0 && escrow_p11_i_has_mech(p, a->ck_raw_mech, 0)))
		return ESCROW_OK;
	if (a->ck_raw_mech != 0)
		return escrow_p11_i_fail(err, ESCROW_ERR_P11_MECHANISM, "token `%s' "
		    "has neither %s nor %s (C_GetMechanismList lists neither): "
		    "it cannot sign with %s keys, so such a key cannot be loaded "
		    "there", p->label, escrow_p11_mech_name(a->ck_sign_mech),
		    escrow_p11_mech_name(a->ck_raw_mech), a->name);
	return escrow_p11_i_fail(err, ESCROW_ERR_P11_MECHANISM, "token `%s' has no "
	    "%s (C_GetMechanismList does not list it): it cannot sign with "
	    "%s keys, so such a key cannot be loaded there", p->label,
	    escrow_p11_mech_name(a->ck_sign_mech), a->name);
}

/* Which strategy serves this key?  Uses (and fills) the main unwrappers. */
static int
choose(struct load *l, struct p11l_worker *w, size_t i)
{
	const struct escrow_p11_key *k = &l->keys[i];
	const struct keys_alginfo *a = escrow_p11_i_alg_find(k->algorithm);
	enum escrow_p11_strategy forced = l->opts->strategy;
	struct escrow_p11_error probe_err;
	int ret;

	l->use_transport[i] = 0;
	if ((ret = can_sign(l->p, a, l->err)) != ESCROW_OK)
		return ret;
	switch (forced) {
	case ESCROW_P11_CREATE:
		l->strategy[i] = forced;
		return ESCROW_OK;
	case ESCROW_P11_UNWRAP:
	case ESCROW_P11_TRANSPORT:
		l->strategy[i] = forced;
		l->use_transport[i] = forced == ESCROW_P11_TRANSPORT;
		return escrow_p11_i_unwrapper_probe(forced == ESCROW_P11_UNWRAP ?
		    &w->plain : &w->transport, a, l->err);
	case ESCROW_P11_AUTO:
		break;
	}
	escrow_p11_i_err_clear(&probe_err);
	ret = ESCROW_ERR_P11_MECHANISM;
	if (k->wrapped != NULL && k->kwrap != NULL) {
		l->strategy[i] = ESCROW_P11_UNWRAP;
		ret = escrow_p11_i_unwrapper_probe(&w->plain, a, &probe_err);
		if (ret != ESCROW_OK && w->plain.kek_refused) {
			l->strategy[i] = ESCROW_P11_TRANSPORT;
			l->use_transport[i] = 1;
			ret = escrow_p11_i_unwrapper_probe(&w->transport, a, &probe_err);
		}
		if (ret == ESCROW_OK)
			return ESCROW_OK;
		if (ret != ESCROW_ERR_P11_MECHANISM) {
			if (l->err != NULL)
				*l->err = probe_err;
			return ret;
		}
	}
	l->use_transport[i] = 0;
	l->strategy[i] = ESCROW_P11_CREATE;
	if (k->private_key != NULL && escrow_p11_i_alg_matches(a, k->private_key))
		return ESCROW_OK;
	if (probe_err.function[0] == '\0')
		return escrow_p11_i_fail(l->err, ESCROW_ERR_P11_MECHANISM, "token `%s' "
		    "cannot unwrap this %s key and no plaintext private key "
		    "was given for `create': %s", l->p->label,
		    escrow_p11_i_kclass_name(a->kclass), probe_err.detail);
	return escrow_p11_i_fail_rv(l->err, ESCROW_ERR_P11_MECHANISM, probe_err.function,
	    probe_err.rv, "token `%s' cannot unwrap this %s key and no "
	    "plaintext private key was given for `create': %s", l->p->label,
	    escrow_p11_i_kclass_name(a->kclass), probe_err.detail);
}

/*
 * A handle this call got back for a new object must be new: a token that
 * merges a new object into an old one with the same class and CKA_ID
 * (NSS softoken does) hands back the old object's handle, and destroying
 * it "as new" or "as old" would lose the old key.
 */
static int
check_new_handle(struct p11l_worker *w, size_t i, CK_OBJECT_HANDLE h, const char *what)
{
	struct load *l = w->l;

	if (!escrow_p11_i_is_old(l, h))
		return ESCROW_OK;
	return escrow_p11_i_fail(&w->err, ESCROW_ERR_P11_OBJECT_EXISTS, "key %zu: "
	    "token `%s' returned handle %lu for the new %s, which is an object "
	    "that was there before with the same CKA_ID: this token merges "
	    "objects with the same CKA_ID, so the old key cannot be kept until "
	    "the new one is proven; nothing old was destroyed (remove the old "
	    "objects by hand, then load without --replace)", i + 1, l->p->label,
	    (unsigned long)h, what);
}

/* The private key object's template: final or pending CKA_ID and label. */
static int
private_template(struct p11l_worker *w, size_t i, const struct keys_alginfo *a,
    enum escrow_p11_i_op op)
{
	struct load *l = w->l;
	const struct escrow_p11_key *k = &l->keys[i];
	uint8_t pid[P11L_PENDING_ID_LEN];
	int ret;

	if (l->pending) {
		escrow_p11_i_pending_id(l, i, pid);
		ret = escrow_p11_i_tmpl_private_base(w->p, &w->t, a, l->plabel, pid,
		    sizeof pid, 1, op);
		/* the commit changes CKA_ID and CKA_LABEL */
		escrow_p11_i_tmpl_drop(&w->t, CKA_MODIFIABLE);
	} else {
		ret = escrow_p11_i_tmpl_private_base(w->p, &w->t, a, k->label, k->id,
		    k->id_len, 1, op);
	}
	if (ret == ESCROW_OK)
		ret = escrow_p11_i_vendor_private(w->p, &w->t, a, k->public_key, op);
	if (ret == ESCROW_OK && op == P11_OP_CREATE)
		ret = escrow_p11_i_tmpl_private_parts(&w->t, a, k->private_key);
	if (ret == ESCROW_OK && w->t.overflow)
		ret = ESCROW_ERR_BUFFER_TOO_SMALL;
	return ret;
}

static int
public_template(struct p11l_worker *w, size_t i, const struct keys_alginfo *a)
{
	struct load *l = w->l;
	const struct escrow_p11_key *k = &l->keys[i];
	struct escrow_p11_i_tmpl *t = &w->t;
	uint8_t pid[P11L_PENDING_ID_LEN];
	int ret;

	escrow_p11_i_tmpl_ulong(t, CKA_CLASS, CKO_PUBLIC_KEY);
	escrow_p11_i_tmpl_ulong(t, CKA_KEY_TYPE, a->ck_key_type);
	escrow_p11_i_tmpl_bool(t, CKA_TOKEN, 1);
	escrow_p11_i_tmpl_bool(t, CKA_PRIVATE, 0);
	escrow_p11_i_tmpl_bool(t, CKA_VERIFY, 1);
	escrow_p11_i_tmpl_bool(t, CKA_ENCRYPT, 0);
	escrow_p11_i_tmpl_bool(t, CKA_WRAP, 0);
	escrow_p11_i_tmpl_bool(t, CKA_DERIVE, 0);
	if (l->pending) {
		escrow_p11_i_pending_id(l, i, pid);
		escrow_p11_i_tmpl_bytes(t, CKA_LABEL, l->plabel, strlen(l->plabel));
		escrow_p11_i_tmpl_bytes(t, CKA_ID, pid, sizeof pid);
	} else {
		if (w->p->modifiable_false_ok[P11_OP_CREATE] != CAP_NO)
			escrow_p11_i_tmpl_bool(t, CKA_MODIFIABLE, 0);
		if (k->label != NULL)
			escrow_p11_i_tmpl_bytes(t, CKA_LABEL, k->label, strlen(k->label));
		escrow_p11_i_tmpl_bytes(t, CKA_ID, k->id, k->id_len);
	}
	ret = escrow_p11_i_tmpl_public_parts(t, a, k->public_key);
	return ret != ESCROW_OK ? ret : t->overflow ? ESCROW_ERR_BUFFER_TOO_SMALL :
	    ESCROW_OK;
}

/* Make key i's two objects and check them (a p11l_step). */
static int
load_one(struct p11l_worker *w, size_t i)
{
	struct load *l = w->l;
	const struct escrow_p11_key *k = &l->keys[i];
	const struct keys_alginfo *a = escrow_p11_i_alg_find(k->algorithm);
	struct escrow_p11 *p = w->p;
	enum escrow_p11_strategy s = l->strategy[i];
	struct escrow_p11_i_unwrapper *u = NULL;
	enum escrow_p11_i_op op = s == ESCROW_P11_CREATE ? P11_OP_CREATE : P11_OP_UNWRAP;
	CK_OBJECT_HANDLE hpriv = CK_INVALID_HANDLE, hpub = CK_INVALID_HANDLE;
	int ret, saved[2];
	CK_RV rv;

	if (s != ESCROW_P11_CREATE)
		u = l->use_transport[i] ? &w->transport : &w->plain;
	/* a pending template leaves MODIFIABLE out on purpose: that says
	 * nothing about whether the token would take MODIFIABLE=false */
	memcpy(saved, p->modifiable_false_ok, sizeof saved);
	escrow_p11_i_tmpl_reset(&w->t);
	ret = private_template(w, i, a, op);
	if (ret != ESCROW_OK) {
		escrow_p11_i_fail(&w->err, ret, "key %zu: cannot build the private key "
		    "template", i + 1);
		goto out;
	}
	if (u != NULL) {
		ret = escrow_p11_i_unwrapper_unwrap(u, k, &w->t, &hpriv, &w->err);
	} else {
		rv = create(p, &w->t, &hpriv);
		if (rv != CKR_OK)
			ret = escrow_p11_i_fail_rv(&w->err, ESCROW_ERR_P11, "C_CreateObject",
			    rv, "key %zu: token `%s' refused the %s private key",
			    i + 1, p->label, a->name);
	}
	if (l->pending)
		memcpy(p->modifiable_false_ok, saved, sizeof saved);
	escrow_p11_i_tmpl_reset(&w->t); /* wipes the private components */
	if (ret != ESCROW_OK || (ret = check_new_handle(w, i, hpriv,
	    "private key")) != ESCROW_OK)
		goto out;
	l->made[2 * i] = hpriv;
	if (l->pending && (ret = escrow_p11_i_check_writable(w, hpriv, op, i)) !=
	    ESCROW_OK)
		goto out;

	memcpy(saved, p->modifiable_false_ok, sizeof saved);
	ret = public_template(w, i, a);
	if (ret != ESCROW_OK) {
		ret = escrow_p11_i_fail(&w->err, ret, "key %zu: cannot read the "
		    "public key", i + 1);
		goto out;
	}
	rv = create(p, &w->t, &hpub);
	if (l->pending)
		memcpy(p->modifiable_false_ok, saved, sizeof saved);
	if (rv != CKR_OK) {
		ret = escrow_p11_i_fail_rv(&w->err, ESCROW_ERR_P11, "C_CreateObject", rv,
		    "key %zu: token `%s' refused the public key object", i + 1,
		    p->label);
		goto out;
	}
	if ((ret = check_new_handle(w, i, hpub, "public key")) != ESCROW_OK)
		goto out;
	l->made[2 * i + 1] = hpub;
	if (l->pending && (ret = escrow_p11_i_check_writable(w, hpub, 2, i)) !=
	    ESCROW_OK)
		goto out;
	if ((ret = escrow_p11_i_check_key(w, i, hpriv)) != ESCROW_OK)
		goto out;
	l->res[i].strategy = s;
	l->res[i].mechanism = u != NULL ? u->mech : 0;
	l->res[i].private_handle = hpriv;
	l->res[i].public_handle = hpub;
out:
	escrow_p11_i_tmpl_reset(&w->t);
	return ret;
}

/*
 * Key i came back from unwrap with more usages than asked (NSS softoken
 * does that): auto destroys its objects and tries `create', which gives
 * the right flags there; without the private key on the host it cannot,
 * and says so as a mechanism failure, which makes the tools unwrap on the
 * host and call again.
 */
static int
load_one_auto(struct p11l_worker *w, size_t i)
{
	struct load *l = w->l;
	const struct escrow_p11_key *k = &l->keys[i];
	struct escrow_p11_error why;
	int ret, j;

	w->usages_refused = 0;
	ret = load_one(w, i);
	if (ret == ESCROW_OK || !w->usages_refused ||
	    l->opts->strategy != ESCROW_P11_AUTO || l->strategy[i] == ESCROW_P11_CREATE)
		return ret;
	for (j = 1; j >= 0; j--) { /* this key's objects, newest first */
		CK_OBJECT_HANDLE *h = &l->made[2 * i + (size_t)j];

		if (*h == CK_INVALID_HANDLE)
			continue;
		if (w->p->mod->C_DestroyObject(w->p->sess, *h) != CKR_OK)
			return ret; /* the rollback names it */
		*h = CK_INVALID_HANDLE;
	}
	why = w->err;
	if (k->private_key == NULL)
		return escrow_p11_i_fail(&w->err, ESCROW_ERR_P11_MECHANISM, "key %zu: "
		    "unwrapping gives more usages than asked, so auto needs "
		    "`create', which needs the private key on the host: %s",
		    i + 1, why.detail);
	l->strategy[i] = ESCROW_P11_CREATE;
	l->use_transport[i] = 0;
	w->usages_refused = 0;
	escrow_p11_i_err_clear(&w->err);
	return load_one(w, i);
}

static int
cmp_handle(const void *a, const void *b)
{
	CK_OBJECT_HANDLE x = *(const CK_OBJECT_HANDLE *)a, y = *(const CK_OBJECT_HANDLE *)b;

	return x < y ? -1 : x > y;
}

static int
distinct_handles(struct load *l)
{
	CK_OBJECT_HANDLE *h = malloc(2 * l->nkeys * sizeof *h);
	size_t i, twice = 0;
	CK_OBJECT_HANDLE which = 0;

	if (h == NULL)
		return ESCROW_ERR_NOMEM;
	memcpy(h, l->made, 2 * l->nkeys * sizeof *h);
	qsort(h, 2 * l->nkeys, sizeof *h, cmp_handle);
	for (i = 1; i < 2 * l->nkeys; i++)
		if (h[i] == h[i - 1]) {
			twice++;
			which = h[i];
		}
	free(h);
	if (twice == 0)
		return ESCROW_OK;
	/* destroy such an object once only */
	for (i = 0; i < 2 * l->nkeys; i++)
		if (l->made[i] == which && twice-- > 0)
			l->made[i] = CK_INVALID_HANDLE;
	return escrow_p11_i_fail(l->err, ESCROW_ERR_P11, "token `%s' returned "
	    "handle %lu for two new objects (it merges objects)", l->p->label,
	    (unsigned long)which);
}

/* Make every key, then commit; ESCROW_OK or an error with l->err set. */
static int
load_all(struct load *l)
{
	struct p11l_worker *w0 = &l->w[0];
	size_t i;
	int ret;

	/* the strategy per key, in the main session: the probes are cached
	 * per key type, so this costs a few calls for the whole set */
	for (i = 0; i < l->nkeys; i++) {
		if ((ret = choose(l, w0, i)) != ESCROW_OK) {
			escrow_p11_i_name_key(l, l->err, i);
			return ret;
		}
	}
	if ((ret = escrow_p11_i_run(l, load_one_auto, 1)) != ESCROW_OK)
		return ret;
	/* the same handle twice would be a merge as well */
	if ((ret = distinct_handles(l)) != ESCROW_OK)
		return ret;
	return escrow_p11_i_commit(l);
}

static void
reset_made(struct load *l)
{
	size_t i;

	for (i = 0; i < 2 * l->nkeys; i++) {
		l->made[i] = CK_INVALID_HANDLE;
		l->final[i] = 0;
	}
}

int
escrow_p11_load(struct escrow_p11 *p, const struct escrow_p11_key *keys,
    size_t nkeys, const struct escrow_p11_load_opts *opts,
    struct escrow_p11_loaded *loaded, struct escrow_p11_error *err)
{
	static const struct escrow_p11_load_opts defaults;
	static struct escrow_p11_load_report no_report;
	struct escrow_p11_load_report dummy;
	struct escrow_p11_error own_err;
	struct load l;
	int ret, resumed = 0;

	escrow_p11_i_err_clear(err);
	if (err == NULL)
		err = &own_err; /* the rollback report needs somewhere to go */
	escrow_p11_i_err_clear(err);
	if (opts == NULL)
		opts = &defaults;
	if (p == NULL || keys == NULL || nkeys == 0)
		return escrow_p11_i_fail(err, ESCROW_ERR_INVALID_ARG, "no keys to load");
	memset(&l, 0, sizeof l);
	l.p = p;
	l.keys = keys;
	l.nkeys = nkeys;
	l.opts = opts;
	l.err = err;
	l.report = opts->report != NULL ? opts->report : &dummy;
	*l.report = no_report;
	l.pending = !opts->direct && nkeys <= P11L_MAX_PENDING_KEYS;
	if (!l.pending)
		snprintf(l.report->crash_note, sizeof l.report->crash_note, "%s",
		    opts->direct ? "asked for a direct load" :
		    "more keys than pending ids can number (65535)");
	if (pthread_mutex_init(&l.lock, NULL) != 0)
		return ESCROW_ERR_NOMEM;
	if ((ret = check_inputs(&l, opts->strategy)) != ESCROW_OK)
		goto out;
	l.made = calloc(2 * nkeys, sizeof *l.made);
	l.final = calloc(2 * nkeys, 1);
	l.res = calloc(nkeys, sizeof *l.res);
	l.strategy = calloc(nkeys, sizeof *l.strategy);
	l.use_transport = calloc(nkeys, sizeof *l.use_transport);
	if (l.made == NULL || l.final == NULL || l.res == NULL ||
	    l.strategy == NULL || l.use_transport == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto out;
	}
	reset_made(&l);
	escrow_p11_i_pending_init(&l);
	if ((ret = escrow_p11_i_workers_start(&l, opts->sessions)) != ESCROW_OK)
		goto out;
	/* what the token holds before anything is made; what an interrupted
	 * load of this set left is finished or removed first */
	if ((ret = escrow_p11_i_inv_take(p, &l.before, err)) != ESCROW_OK)
		goto out;
	l.listed_before = 1;
	if ((ret = escrow_p11_i_recover(&l, &resumed)) != ESCROW_OK)
		goto out;
	if (resumed) {
		ret = escrow_p11_i_adopt(&l);
		goto out;
	}
	if ((ret = find_old(&l)) != ESCROW_OK && l.already) {
		struct escrow_p11_error exists = *err;

		/* exactly this set, proven again: nothing to do; else refused */
		escrow_p11_i_err_clear(err);
		ret = escrow_p11_i_adopt(&l);
		l.report->already_loaded = ret == ESCROW_OK;
		if (ret != ESCROW_OK) {
			*err = exists;
			ret = ESCROW_ERR_P11_OBJECT_EXISTS;
		}
		goto out;
	}
	if (ret != ESCROW_OK)
		goto out;
	ret = load_all(&l);
	if (ret != ESCROW_OK && l.refused) {
		/* the token will not change CKA_ID/LABEL: today's way */
		escrow_p11_i_rollback(&l);
		if (l.err->objects_left > 0)
			goto out_done;
		snprintf(l.report->crash_note, sizeof l.report->crash_note,
		    "token `%s' will not change CKA_ID or CKA_LABEL of a key "
		    "(C_SetAttributeValue returned %s): loaded under the final "
		    "ids at once; a crash during the load can leave part of the "
		    "set", p->label, escrow_p11_rv_name(l.refused_rv));
		escrow_p11_i_err_clear(err);
		reset_made(&l);
		l.pending = 0;
		ret = load_all(&l);
	}
out:
	if (ret != ESCROW_OK)
		escrow_p11_i_rollback(&l);
out_done:
	l.report->crash_safe = ret == ESCROW_OK && l.pending;
	l.report->sessions = l.nw;
	if (ret == ESCROW_OK && loaded != NULL)
		memcpy(loaded, l.res, nkeys * sizeof *loaded);
	escrow_p11_i_workers_stop(&l);
	escrow_p11_i_inv_free(&l.before);
	pthread_mutex_destroy(&l.lock);
	free(l.made);
	free(l.final);
	free(l.old);
	free(l.res);
	free(l.strategy);
	free(l.use_transport);
	return ret;
}
