/*
 * p11_verdict.c - escrow_p11_probe(): before a ceremony asks for a share
 * or generates a key, find out whether the target token can take each key
 * type, by doing what escrow_p11_load() will do with a throwaway key:
 * the same strategy choice, the same templates, a signature in the token
 * checked on the host, every attribute read back; then the objects are
 * destroyed.  One verdict per key type says how it went and, for a key
 * that cannot go in, which call returned which CKR_.
 *
 * Secret here: nothing of value.  The throwaway key and its random K_wrap
 * are treated as secrets all the same (secret memory, wiped), so that the
 * probe exercises exactly the paths real keys take.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "escrow_keys.h"
#include "escrow_keywrap.h"
#include "p11_int.h"

/* Largest PKCS#8 DER of a supported key: RSA-4096 is about 2.4 kB. */
#define P8_MAX 4096

struct throwaway {
	EVP_PKEY *priv, *pub;
	uint8_t *kwrap;               /* secret memory, 32 bytes */
	uint8_t wrapped[P8_MAX + 16];
	size_t wrapped_len;
	uint8_t id[16];
	struct escrow_p11_key key;
};

static void
throwaway_free(struct throwaway *t)
{
	EVP_PKEY_free(t->priv);
	EVP_PKEY_free(t->pub);
	escrow_secret_free(t->kwrap);
	memset(t, 0, sizeof *t);
}

/* A fresh key of this algorithm, its public half from its DNSKEY field,
 * and its PKCS#8 wrapped under a random K_wrap, as an envelope holds it. */
static int
throwaway_make(struct throwaway *t, int alg, struct escrow_p11_error *err)
{
	uint8_t pub[ESCROW_KEYS_PUBKEY_MAX], *der = NULL;
	size_t publen = 0, derlen = 0;
	int ret;

	memset(t, 0, sizeof *t);
	t->kwrap = escrow_secret_alloc(32);
	der = escrow_secret_alloc(P8_MAX);
	if (t->kwrap == NULL || der == NULL) {
		escrow_secret_free(der);
		return ESCROW_ERR_NOMEM;
	}
	escrow_random(t->kwrap, 32);
	memcpy(t->id, "escrow-probe", 12);
	escrow_random(t->id + 12, 4);
	if ((ret = escrow_keys_generate(alg, 0, &t->priv)) != ESCROW_OK ||
	    (ret = escrow_keys_dnskey_pub(t->priv, alg, pub, sizeof pub,
	    &publen)) != ESCROW_OK ||
	    (ret = escrow_keys_from_dnskey_pub(alg, pub, publen,
	    &t->pub)) != ESCROW_OK ||
	    (ret = escrow_keys_pkcs8_write(t->priv, der, P8_MAX,
	    &derlen)) != ESCROW_OK ||
	    (ret = escrow_keywrap_wrap(t->kwrap, 32, der, derlen, t->wrapped,
	    sizeof t->wrapped, &t->wrapped_len)) != ESCROW_OK)
		ret = escrow_p11_i_fail(err, ret, "cannot make a throwaway %s key "
		    "on this host: %s", escrow_keys_alg_name(alg),
		    escrow_strerror(ret));
	escrow_secret_free(der);
	t->key.algorithm = alg;
	t->key.label = "escrow probe (throwaway)";
	t->key.id = t->id;
	t->key.id_len = sizeof t->id;
	t->key.public_key = t->pub;
	t->key.wrapped = t->wrapped;
	t->key.wrapped_len = t->wrapped_len;
	t->key.kwrap = t->kwrap;
	t->key.private_key = t->priv;
	return ret;
}

static int
probe_one(struct escrow_p11 *p, int alg, const struct escrow_p11_probe_opts *o,
    struct escrow_p11_verdict *v, struct escrow_p11_error *err)
{
	struct escrow_p11_load_opts lo;
	struct escrow_p11_loaded got;
	struct throwaway t;
	CK_RV r1, r2;
	int ret;

	memset(v, 0, sizeof *v);
	escrow_p11_i_err_clear(&v->why);
	v->algorithm = alg;
	v->strategy = o->strategy;
	if (escrow_p11_i_alg_find(alg) == NULL) {
		ret = escrow_p11_i_fail(&v->why, ESCROW_ERR_ALGORITHM, "DNSSEC "
		    "algorithm %d is not supported", alg);
		return ret;
	}
	if ((ret = throwaway_make(&t, alg, err)) != ESCROW_OK) {
		throwaway_free(&t);
		return ret;
	}
	memset(&lo, 0, sizeof lo);
	memset(&got, 0, sizeof got);
	lo.strategy = o->strategy;
	lo.accept_usages = o->accept_usages;
	ret = escrow_p11_load(p, &t.key, 1, &lo, &got, &v->why);
	if (ret == ESCROW_OK) {
		v->ok = 1;
		v->strategy = got.strategy;
		v->plaintext_on_host = got.strategy == ESCROW_P11_CREATE;
		v->unwrap_mechanism = got.mechanism;
		v->sign_mechanism = got.sign_mechanism;
		memcpy(v->attributes, got.attributes, sizeof v->attributes);
		memcpy(v->extra_usages, got.extra_usages, sizeof v->extra_usages);
		r1 = p->mod->C_DestroyObject(p->sess, got.private_handle);
		r2 = p->mod->C_DestroyObject(p->sess, got.public_handle);
		if (r1 != CKR_OK || r2 != CKR_OK)
			ret = escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, "C_DestroyObject",
			    r1 != CKR_OK ? r1 : r2, "the probe's throwaway %s key "
			    "(label \"%s\", objects %lu and %lu) could not be removed "
			    "from token `%s': remove it by hand",
			    escrow_keys_alg_name(alg), t.key.label,
			    got.private_handle, got.public_handle, p->label);
	}
	throwaway_free(&t);
	return ret;
}

int
escrow_p11_probe(struct escrow_p11 *p, const int *algorithms, size_t n,
    const struct escrow_p11_probe_opts *opts, struct escrow_p11_verdict *out,
    struct escrow_p11_error *err)
{
	static const struct escrow_p11_probe_opts defaults;
	size_t i;
	int ret, first = ESCROW_OK;

	escrow_p11_i_err_clear(err);
	if (p == NULL || algorithms == NULL || out == NULL || n == 0)
		return escrow_p11_i_fail(err, ESCROW_ERR_INVALID_ARG, "nothing to probe");
	if (opts == NULL)
		opts = &defaults;
	for (i = 0; i < n; i++) {
		ret = probe_one(p, algorithms[i], opts, &out[i], err);
		if (ret != ESCROW_OK && out[i].why.detail[0] == '\0')
			return ret; /* the probe itself failed: err says */
		if (ret != ESCROW_OK && first == ESCROW_OK)
			first = ret;
	}
	return first;
}

const char *
escrow_p11_verdict_text(const struct escrow_p11_verdict *v, char *buf,
    size_t cap)
{
	const char *name = escrow_keys_alg_name(v->algorithm);
	char alg[32];

	if (name == NULL) {
		snprintf(alg, sizeof alg, "algorithm %d", v->algorithm);
		name = alg;
	}
	if (!v->ok) {
		if (v->why.function[0] != '\0')
			snprintf(buf, cap, "%s: CANNOT load (strategy %s): %s returned "
			    "%s: %s", name, escrow_p11_strategy_name(v->strategy),
			    v->why.function, v->why.rv_name, v->why.detail);
		else
			snprintf(buf, cap, "%s: CANNOT load (strategy %s): %s", name,
			    escrow_p11_strategy_name(v->strategy), v->why.detail);
		return buf;
	}
	snprintf(buf, cap, "%s: loads by %s%s%s%s, the private key %s; signs "
	    "with %s; token set %s%s%s", name,
	    escrow_p11_strategy_name(v->strategy),
	    v->unwrap_mechanism != 0 ? " (" : "",
	    v->unwrap_mechanism != 0 ? escrow_p11_mech_name(v->unwrap_mechanism) : "",
	    v->unwrap_mechanism != 0 ? ")" : "",
	    v->plaintext_on_host ? "IS IN PLAINTEXT ON THIS HOST while it is "
	    "created in the token" : "is never in plaintext on this host",
	    escrow_p11_mech_name(v->sign_mechanism), v->attributes,
	    v->extra_usages[0] != '\0' ? "; extra usages accepted: " : "",
	    v->extra_usages);
	return buf;
}
