/*
 * p11_load.c - escrow_p11_load(): put a key set into a token in one
 * session, all or nothing.  Per key: choose a strategy, make the private
 * key object (unwrap or create) and the public key object, sign test data
 * in the token and verify it on the host, read back the attributes.  On
 * any failure every object this call made is destroyed; old objects with
 * the same CKA_ID are destroyed (replace) only after all new ones passed.
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
#include "p11_int.h"

struct old_obj {
	CK_OBJECT_HANDLE h;
	size_t key; /* index in the set */
};

struct load {
	struct escrow_p11 *p;
	const struct escrow_p11_key *keys;
	size_t nkeys;
	struct escrow_p11_error *err;
	CK_OBJECT_HANDLE *made; /* token objects made so far */
	size_t nmade;
	struct old_obj *old;    /* existing objects with a set's id */
	size_t nold;
	struct escrow_p11_i_unwrapper plain, transport;
	struct escrow_p11_loaded *res;
	struct escrow_p11_i_tmpl t;      /* reused per object; secret memory */
	int accept_usages;               /* keep a token's extra usages */
	int usages_refused;              /* the last key got extra usages */
};

/* The CKA_ID in hex for messages: as much as fits in buf. */
static void
hex_id(char *buf, size_t cap, const uint8_t *id, size_t len)
{
	if (len > (cap - 1) / 2)
		len = (cap - 1) / 2;
	escrow_hex(id, len, buf, 0);
}

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
			    "DNSSEC algorithm %d is not supported", i + 1,
			    k->algorithm);
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
			hex_id(hex, sizeof hex, k->id, k->id_len);
			return escrow_p11_i_fail(l->err, ESCROW_ERR_INVALID_ARG, "keys %zu "
			    "and %zu have the same CKA_ID %s", j + 1, i + 1, hex);
		}
	}
	return ESCROW_OK;
}

/* Record existing private/public key objects whose CKA_ID is in the set. */
static int
scan_existing(struct load *l, int replace)
{
	static const CK_OBJECT_CLASS classes[] = { CKO_PRIVATE_KEY,
	    CKO_PUBLIC_KEY };
	struct escrow_p11 *p = l->p;
	CK_OBJECT_HANDLE *h = NULL;
	CK_ULONG n = 0, i;
	size_t c, k;
	uint8_t id[256];
	char hex[64];
	int ret = ESCROW_OK;

	for (c = 0; c < 2 && ret == ESCROW_OK; c++) {
		CK_OBJECT_CLASS cls = classes[c];
		CK_ATTRIBUTE t = { CKA_CLASS, &cls, sizeof cls };

		ret = escrow_p11_i_find(p, &t, 1, &h, &n, l->err);
		for (i = 0; i < n && ret == ESCROW_OK; i++) {
			CK_ATTRIBUTE a = { CKA_ID, id, sizeof id };

			if (p->mod->C_GetAttributeValue(p->sess, h[i], &a, 1) !=
			    CKR_OK)
				continue; /* no id, or too long to be ours */
			for (k = 0; k < l->nkeys; k++) {
				if (a.ulValueLen != l->keys[k].id_len ||
				    memcmp(id, l->keys[k].id, a.ulValueLen) != 0)
					continue;
				if (!replace) {
					hex_id(hex, sizeof hex, id, a.ulValueLen);
					ret = escrow_p11_i_fail(l->err,
					    ESCROW_ERR_P11_OBJECT_EXISTS, "token `%s' "
					    "already has a %s with CKA_ID %s (key %zu)",
					    p->label, escrow_p11_class_name(cls), hex,
					    k + 1);
					break;
				}
				l->old[l->nold].h = h[i];
				l->old[l->nold].key = k;
				l->nold++;
				break;
			}
		}
		free(h);
		h = NULL;
	}
	return ret;
}

static int
grow_old(struct load *l)
{
	/* at most every private and public key object of the token */
	CK_OBJECT_HANDLE *h = NULL;
	CK_ULONG n = 0;
	int ret = escrow_p11_i_find(l->p, NULL, 0, &h, &n, l->err);

	free(h);
	if (ret != ESCROW_OK)
		return ret;
	l->old = calloc(n + 1, sizeof *l->old);
	return l->old == NULL ? ESCROW_ERR_NOMEM : ESCROW_OK;
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

/* Which strategy serves this key?  Fills *u for unwrap/transport. */
static int
choose(struct load *l, const struct escrow_p11_key *k, const struct keys_alginfo *a,
    enum escrow_p11_strategy forced, enum escrow_p11_strategy *s,
    struct escrow_p11_i_unwrapper **u)
{
	struct escrow_p11_error probe_err;
	int ret;

	*u = NULL;
	switch (forced) {
	case ESCROW_P11_CREATE:
		*s = forced;
		return ESCROW_OK;
	case ESCROW_P11_UNWRAP:
	case ESCROW_P11_TRANSPORT:
		*s = forced;
		*u = forced == ESCROW_P11_UNWRAP ? &l->plain : &l->transport;
		return escrow_p11_i_unwrapper_probe(*u, a, l->err);
	case ESCROW_P11_AUTO:
		break;
	}
	escrow_p11_i_err_clear(&probe_err);
	ret = ESCROW_ERR_P11_MECHANISM;
	if (k->wrapped != NULL && k->kwrap != NULL) {
		*s = ESCROW_P11_UNWRAP;
		*u = &l->plain;
		ret = escrow_p11_i_unwrapper_probe(*u, a, &probe_err);
		if (ret != ESCROW_OK && l->plain.kek_refused) {
			*s = ESCROW_P11_TRANSPORT;
			*u = &l->transport;
			ret = escrow_p11_i_unwrapper_probe(*u, a, &probe_err);
		}
		if (ret == ESCROW_OK)
			return ESCROW_OK;
		if (ret != ESCROW_ERR_P11_MECHANISM) {
			if (l->err != NULL)
				*l->err = probe_err;
			return ret;
		}
	}
	*u = NULL;
	*s = ESCROW_P11_CREATE;
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

static int
check_attributes(struct load *l, CK_OBJECT_HANDLE h, size_t i)
{
	struct escrow_p11_loaded *r = &l->res[i];
	int ret = escrow_p11_i_readback(l->p, h, l->accept_usages, r->attributes,
	    sizeof r->attributes, r->extra_usages, sizeof r->extra_usages,
	    &l->usages_refused, l->err);

	(void)i;
	return ret;
}

static int
test_signature(struct load *l, CK_OBJECT_HANDLE h, const struct keys_alginfo *a,
    const struct escrow_p11_key *k, size_t i)
{
	uint8_t data[48] = "escrow-p11 test signature ", sig[1024];
	size_t siglen = 0;
	int ret;

	escrow_random(data + 32, 16);
	ret = escrow_p11_i_sign_raw(l->p, h, a, data, sizeof data, sig, sizeof sig,
	    &siglen, &l->res[i].sign_mechanism, l->err);
	if (ret != ESCROW_OK)
		return ret;
	if (!escrow_p11_i_verify_host(a, k->public_key, data, sizeof data, sig, siglen))
		return escrow_p11_i_fail(l->err, ESCROW_ERR_P11_VERIFY, "key %zu: the "
		    "test signature made in token `%s' does not verify with "
		    "the given public key", i + 1, l->p->label);
	return ESCROW_OK;
}

static int
load_one(struct load *l, size_t i, enum escrow_p11_strategy forced)
{
	const struct escrow_p11_key *k = &l->keys[i];
	const struct keys_alginfo *a = escrow_p11_i_alg_find(k->algorithm);
	struct escrow_p11 *p = l->p;
	struct escrow_p11_i_unwrapper *u = NULL;
	enum escrow_p11_strategy s;
	CK_OBJECT_HANDLE hpriv = CK_INVALID_HANDLE, hpub = CK_INVALID_HANDLE;
	struct escrow_p11_i_tmpl *t = &l->t;
	int ret;
	CK_RV rv;

	if ((ret = choose(l, k, a, forced, &s, &u)) != ESCROW_OK)
		return ret;
	escrow_p11_i_tmpl_reset(t);
	ret = escrow_p11_i_tmpl_private_base(p, t, a, k->label, k->id, k->id_len, 1,
	    s == ESCROW_P11_CREATE ? P11_OP_CREATE : P11_OP_UNWRAP);
	if (ret == ESCROW_OK)
		ret = escrow_p11_i_vendor_private(p, t, a, k->public_key,
		    s == ESCROW_P11_CREATE ? P11_OP_CREATE : P11_OP_UNWRAP);
	if (ret == ESCROW_OK && s == ESCROW_P11_CREATE)
		ret = escrow_p11_i_tmpl_private_parts(t, a, k->private_key);
	if (ret == ESCROW_OK && t->overflow)
		ret = ESCROW_ERR_BUFFER_TOO_SMALL;
	if (ret != ESCROW_OK) {
		escrow_p11_i_fail(l->err, ret, "key %zu: cannot build the private key "
		    "template", i + 1);
		goto out;
	}
	if (u != NULL) {
		ret = escrow_p11_i_unwrapper_unwrap(u, k, t, &hpriv, l->err);
	} else {
		rv = create(p, t, &hpriv);
		if (rv != CKR_OK)
			ret = escrow_p11_i_fail_rv(l->err, ESCROW_ERR_P11, "C_CreateObject",
			    rv, "key %zu: token `%s' refused the %s private key",
			    i + 1, p->label, a->name);
	}
	escrow_p11_i_tmpl_reset(t); /* wipes the private components */
	if (ret != ESCROW_OK)
		return ret;
	l->made[l->nmade++] = hpriv;

	escrow_p11_i_tmpl_ulong(t, CKA_CLASS, CKO_PUBLIC_KEY);
	escrow_p11_i_tmpl_ulong(t, CKA_KEY_TYPE, a->ck_key_type);
	escrow_p11_i_tmpl_bool(t, CKA_TOKEN, 1);
	escrow_p11_i_tmpl_bool(t, CKA_PRIVATE, 0);
	escrow_p11_i_tmpl_bool(t, CKA_VERIFY, 1);
	escrow_p11_i_tmpl_bool(t, CKA_ENCRYPT, 0);
	escrow_p11_i_tmpl_bool(t, CKA_WRAP, 0);
	escrow_p11_i_tmpl_bool(t, CKA_DERIVE, 0);
	if (p->modifiable_false_ok[P11_OP_CREATE] != CAP_NO)
		escrow_p11_i_tmpl_bool(t, CKA_MODIFIABLE, 0);
	if (k->label != NULL)
		escrow_p11_i_tmpl_bytes(t, CKA_LABEL, k->label, strlen(k->label));
	escrow_p11_i_tmpl_bytes(t, CKA_ID, k->id, k->id_len);
	ret = escrow_p11_i_tmpl_public_parts(t, a, k->public_key);
	if (ret != ESCROW_OK || t->overflow) {
		ret = escrow_p11_i_fail(l->err, ret != ESCROW_OK ? ret :
		    ESCROW_ERR_BUFFER_TOO_SMALL, "key %zu: cannot read the "
		    "public key", i + 1);
		goto out;
	}
	rv = create(p, t, &hpub);
	if (rv != CKR_OK) {
		ret = escrow_p11_i_fail_rv(l->err, ESCROW_ERR_P11, "C_CreateObject", rv,
		    "key %zu: token `%s' refused the public key object", i + 1,
		    p->label);
		goto out;
	}
	l->made[l->nmade++] = hpub;
	if ((ret = test_signature(l, hpriv, a, k, i)) != ESCROW_OK ||
	    (ret = check_attributes(l, hpriv, i)) != ESCROW_OK)
		goto out;
	l->res[i].strategy = s;
	l->res[i].mechanism = u != NULL ? u->mech : 0;
	l->res[i].private_handle = hpriv;
	l->res[i].public_handle = hpub;
out:
	escrow_p11_i_tmpl_reset(t);
	return ret;
}

/* Say which key of the set failed, if the message does not yet. */
static void
name_key(struct load *l, size_t i)
{
	const char *label = l->keys[i].label;
	char *d;
	char prefix[80];
	size_t dl, room;
	int n;

	if (l->err == NULL || strncmp(l->err->detail, "key ", 4) == 0)
		return;
	d = l->err->detail;
	n = snprintf(prefix, sizeof prefix, "key %zu (%.40s): ", i + 1,
	    label != NULL ? label : "no label");
	if (n <= 0 || (size_t)n >= sizeof prefix)
		return;
	dl = strlen(d);
	room = sizeof l->err->detail - 1 - (size_t)n;
	if (dl > room)
		dl = room;
	memmove(d + n, d, dl);
	memcpy(d, prefix, (size_t)n);
	d[(size_t)n + dl] = '\0';
}

/* Append to the error's detail (truncated at its end). */
static void __attribute__((format(printf, 2, 3)))
detail_add(struct escrow_p11_error *err, const char *fmt, ...)
{
	size_t len = strlen(err->detail);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->detail + len, sizeof err->detail - len, fmt, ap);
	va_end(ap);
}

/*
 * Undo: destroy what this call made, newest first.  What cannot be
 * destroyed is named (handle, class, key, CKA_ID) so that the operator can
 * remove it: made[2i] is key i's private object, made[2i+1] its public one.
 */
static void
rollback(struct load *l)
{
	size_t left = 0, j, k;
	char id[2 * 32 + 1];
	CK_OBJECT_HANDLE h;

	while (l->nmade > 0) {
		j = --l->nmade;
		h = l->made[j];
		if (l->p->mod->C_DestroyObject(l->p->sess, h) == CKR_OK)
			continue;
		if (l->err == NULL)
			continue;
		k = j / 2;
		hex_id(id, sizeof id, l->keys[k].id, l->keys[k].id_len);
		detail_add(l->err, "%s object %lu (%s key of key %zu, CKA_ID %s%s)",
		    left == 0 ? "; these new objects could not be removed, remove them "
		    "by hand:" : ",", (unsigned long)h, j % 2 ? "public" : "private",
		    k + 1, id, l->keys[k].id_len > 32 ? "..." : "");
		left++;
	}
	if (l->err != NULL)
		l->err->objects_left = left;
}

/*
 * Key i came back from unwrap with more usages than asked (NSS softoken
 * does that): auto destroys it and tries `create', which gives the right
 * flags there; without the private key on the host it cannot, and says so
 * as a mechanism failure, which makes the tools unwrap on the host and
 * call again.
 */
static int
retry_create(struct load *l, size_t i, enum escrow_p11_strategy forced)
{
	const struct escrow_p11_key *k = &l->keys[i];
	struct escrow_p11_error why;

	if (forced != ESCROW_P11_AUTO)
		return ESCROW_ERR_P11_ATTRIBUTE;
	while (l->nmade > 2 * i) { /* this key's objects, newest first */
		if (l->p->mod->C_DestroyObject(l->p->sess,
		    l->made[l->nmade - 1]) != CKR_OK)
			return ESCROW_ERR_P11_ATTRIBUTE; /* rollback names it */
		l->nmade--;
	}
	if (l->err != NULL)
		why = *l->err;
	else
		escrow_p11_i_err_clear(&why);
	if (k->private_key == NULL)
		return escrow_p11_i_fail(l->err, ESCROW_ERR_P11_MECHANISM, "key %zu: "
		    "unwrapping gives more usages than asked, so auto needs "
		    "`create', which needs the private key on the host: %s",
		    i + 1, why.detail);
	l->usages_refused = 0;
	return load_one(l, i, ESCROW_P11_CREATE);
}

int
escrow_p11_load(struct escrow_p11 *p, const struct escrow_p11_key *keys,
    size_t nkeys, const struct escrow_p11_load_opts *opts,
    struct escrow_p11_loaded *loaded, struct escrow_p11_error *err)
{
	static const struct escrow_p11_load_opts defaults;
	struct load l;
	size_t i;
	int ret;

	escrow_p11_i_err_clear(err);
	if (opts == NULL)
		opts = &defaults;
	if (p == NULL || keys == NULL || nkeys == 0)
		return escrow_p11_i_fail(err, ESCROW_ERR_INVALID_ARG, "no keys to load");
	memset(&l, 0, sizeof l);
	l.p = p;
	l.keys = keys;
	l.nkeys = nkeys;
	l.err = err;
	escrow_p11_i_unwrapper_init(&l.plain, p, 0);
	escrow_p11_i_unwrapper_init(&l.transport, p, 1);
	if ((ret = check_inputs(&l, opts->strategy)) != ESCROW_OK)
		goto out;
	l.made = calloc(2 * nkeys, sizeof *l.made);
	l.res = calloc(nkeys, sizeof *l.res);
	if (l.made == NULL || l.res == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto out;
	}
	/* one secret buffer for all templates: big enough for RSA-8192 */
	if ((ret = escrow_p11_i_tmpl_init(&l.t, 8192)) != ESCROW_OK)
		goto out;
	if ((ret = grow_old(&l)) != ESCROW_OK ||
	    (ret = scan_existing(&l, opts->replace)) != ESCROW_OK)
		goto out;
	l.accept_usages = opts->accept_usages;
	for (i = 0; i < nkeys; i++) {
		l.usages_refused = 0;
		ret = load_one(&l, i, opts->strategy);
		if (ret != ESCROW_OK && l.usages_refused)
			ret = retry_create(&l, i, opts->strategy);
		if (ret != ESCROW_OK) {
			name_key(&l, i);
			goto out;
		}
		if (opts->progress != NULL)
			opts->progress(i + 1, nkeys, opts->progress_ctx);
	}
	/* every new key is in and proven: only now remove the old ones */
	for (i = 0; i < l.nold; i++) {
		CK_RV rv = p->mod->C_DestroyObject(p->sess, l.old[i].h);

		if (rv != CKR_OK) {
			/* keep the new, verified keys: nothing is lost */
			ret = escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, "C_DestroyObject",
			    rv, "the new keys are loaded and verified, but old "
			    "object %lu (key %zu's CKA_ID) could not be removed",
			    (unsigned long)l.old[i].h, l.old[i].key + 1);
			l.nmade = 0;
			goto out;
		}
		l.res[l.old[i].key].replaced++;
	}
	if (loaded != NULL)
		memcpy(loaded, l.res, nkeys * sizeof *loaded);
	l.nmade = 0;
out:
	if (ret != ESCROW_OK)
		rollback(&l);
	escrow_p11_i_unwrapper_done(&l.plain);
	escrow_p11_i_unwrapper_done(&l.transport);
	escrow_p11_i_tmpl_free(&l.t);
	free(l.made);
	free(l.old);
	free(l.res);
	return ret;
}
