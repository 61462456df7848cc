/*
 * envelope_parse.c - reading a v1 or v2 envelope: the structural parse (no
 * secret needed, every field checked, nothing trusted), the MAC check
 * and the unwrap of one key.  Layout: docs/FORMAT.md ("The envelope").
 *
 * Secret: S, K_mac and K_wrap derived from it (secret memory, wiped on
 * every path), and the unwrapped PKCS#8 (written only to the caller's
 * buffer).  The serialized envelope and everything parsed from it are
 * public.
 */
#include <stdlib.h>
#include <string.h>

#include "envelope_int.h"
#include "escrow_keywrap.h"
#include "ct.h"

/* A cursor over the input: every read is bounds-checked. */
struct cur {
	const uint8_t *p;
	size_t left;
};

static int
need(const struct cur *c, size_t n)
{
	return c->left >= n ? ESCROW_OK : ESCROW_ERR_TRUNCATED;
}

static const uint8_t *
skip(struct cur *c, size_t n)
{
	const uint8_t *p = c->p;

	c->p += n;
	c->left -= n;
	return p;
}

static int
parse_shareset(struct cur *c, struct escrow_shareset *set)
{
	const uint8_t *p;
	size_t g;
	int ret;

	memset(set, 0, sizeof *set);
	if ((ret = need(c, 6)) != ESCROW_OK)
		return ret;
	p = skip(c, 6);
	set->identifier = escrow_get16(p);
	set->extendable = p[2];
	set->iteration_exponent = p[3];
	set->group_threshold = p[4];
	set->group_count = p[5];
	if (set->group_count == 0 || set->group_count > ESCROW_SHARESET_MAX_GROUPS)
		return ESCROW_ERR_FORMAT;
	if ((ret = need(c, 2 * (size_t)set->group_count)) != ESCROW_OK)
		return ret;
	for (g = 0; g < set->group_count; g++) {
		p = skip(c, 2);
		set->groups[g].threshold = p[0];
		set->groups[g].count = p[1];
	}
	return escrow_envelope_i_shareset_check(set);
}

/* Exactly one commitment per share, in group-major order, all distinct. */
static int
parse_commitments(struct cur *c, struct escrow_envelope *env)
{
	size_t n, i, j, g = 0, m = 0;
	int ret;

	if ((ret = need(c, 2)) != ESCROW_OK)
		return ret;
	n = escrow_get16(skip(c, 2));
	if (n != escrow_envelope_i_share_total(&env->set))
		return ESCROW_ERR_FORMAT;
	for (i = 0; i < n; i++) {
		const uint8_t *p;

		if ((ret = need(c, ENV_COMMIT_LEN)) != ESCROW_OK)
			return ret;
		p = skip(c, ENV_COMMIT_LEN);
		if (p[0] != g || p[1] != m)
			return ESCROW_ERR_FORMAT;
		env->commit[i].group = p[0];
		env->commit[i].member = p[1];
		memcpy(env->commit[i].hash, p + 2, ESCROW_ENVELOPE_HASH_LEN);
		if (++m == env->set.groups[g].count) {
			m = 0;
			g++;
		}
	}
	env->ncommit = n;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (memcmp(env->commit[i].hash, env->commit[j].hash,
			    ESCROW_ENVELOPE_HASH_LEN) == 0)
				return ESCROW_ERR_FORMAT;
	return ESCROW_OK;
}

/* Version 2: the passphrase flag and the replaced share sets. */
static int
parse_ceremony(struct cur *c, struct escrow_envelope *env)
{
	const uint8_t *p;
	size_t n, i;
	int ret;

	if ((ret = need(c, 2)) != ESCROW_OK)
		return ret;
	p = skip(c, 2);
	if (p[0] > 1)
		return ESCROW_ERR_FORMAT;
	env->passphrase = p[0];
	n = p[1];
	if ((ret = need(c, n * ENV_REPLACED_LEN)) != ESCROW_OK)
		return ret;
	for (i = 0; i < n; i++) {
		p = skip(c, ENV_REPLACED_LEN);
		env->replaced[i].identifier = escrow_get16(p);
		if (env->replaced[i].identifier >= 1u << 15)
			return ESCROW_ERR_FORMAT;
		memcpy(env->replaced[i].fingerprint, p + 2, ESCROW_ENVELOPE_HASH_LEN);
	}
	env->nreplaced = n;
	return ESCROW_OK;
}

static int
parse_keys(struct cur *c, struct escrow_envelope *env)
{
	size_t n, i;
	int ret;

	if ((ret = need(c, 2)) != ESCROW_OK)
		return ret;
	n = escrow_get16(skip(c, 2));
	if (n == 0)
		return ESCROW_ERR_FORMAT;
	if (n > ESCROW_ENVELOPE_MAX_KEYS)
		return ESCROW_ERR_TOO_LARGE;
	/* don't allocate for records that cannot be there */
	if (c->left / ENV_MIN_KEY_RECORD < n)
		return ESCROW_ERR_TRUNCATED;
	env->keyoff = calloc(n, sizeof *env->keyoff);
	if (env->keyoff == NULL)
		return ESCROW_ERR_NOMEM;
	env->keyoff_cap = n;
	env->keybuf = (uint8_t *)(uintptr_t)c->p; /* rebased after the copy */
	for (i = 0; i < n; i++) {
		struct escrow_envelope_key k;
		size_t used;

		ret = escrow_envelope_i_key_decode(c->p, c->left, &k, &used);
		if (ret != ESCROW_OK)
			return ret;
		env->keyoff[i] = (size_t)(c->p - env->keybuf);
		skip(c, used);
	}
	env->nkeys = n;
	env->keylen = (size_t)(c->p - env->keybuf);
	return escrow_envelope_i_ids_unique(env);
}

int
escrow_envelope_parse(const uint8_t *bytes, size_t len,
    struct escrow_envelope **envp)
{
	struct escrow_envelope *env = NULL;
	struct cur c = { bytes, len };
	const uint8_t *p;
	size_t keys_at, i;
	unsigned version;
	int ret;

	if (envp == NULL || (bytes == NULL && len > 0))
		return ESCROW_ERR_INVALID_ARG;
	*envp = NULL;
	if (len < ENV_MAGIC_LEN)
		return len == 0 || memcmp(bytes, ENV_MAGIC, len) == 0 ?
		    ESCROW_ERR_TRUNCATED : ESCROW_ERR_FORMAT;
	if (memcmp(bytes, ENV_MAGIC, ENV_MAGIC_LEN) != 0)
		return ESCROW_ERR_FORMAT;
	skip(&c, ENV_MAGIC_LEN);
	if ((ret = need(&c, 1)) != ESCROW_OK)
		return ret;
	version = *skip(&c, 1);
	if (version != ESCROW_ENVELOPE_VERSION_1 && version != ESCROW_ENVELOPE_VERSION_2)
		return ESCROW_ERR_VERSION;

	env = calloc(1, sizeof *env);
	if (env == NULL)
		return ESCROW_ERR_NOMEM;
	env->state = ENV_PARSED;
	env->version = version;
	env->passphrase = ESCROW_PASSPHRASE_NOT_RECORDED;
	if ((ret = need(&c, ESCROW_ENVELOPE_ID_LEN + 8)) != ESCROW_OK)
		goto out;
	memcpy(env->id, skip(&c, ESCROW_ENVELOPE_ID_LEN), ESCROW_ENVELOPE_ID_LEN);
	p = skip(&c, 8);
	for (i = 0; i < 8; i++)
		env->created = env->created << 8 | p[i];
	if ((ret = parse_shareset(&c, &env->set)) != ESCROW_OK)
		goto out;
	env->have_set = 1;
	if ((ret = parse_commitments(&c, env)) != ESCROW_OK)
		goto out;
	if (version == ESCROW_ENVELOPE_VERSION_2 &&
	    (ret = parse_ceremony(&c, env)) != ESCROW_OK)
		goto out;
	if ((ret = parse_keys(&c, env)) != ESCROW_OK)
		goto out;
	if (c.left < ESCROW_ENVELOPE_MAC_LEN) {
		ret = ESCROW_ERR_TRUNCATED;
		goto out;
	}
	if (c.left > ESCROW_ENVELOPE_MAC_LEN) {
		ret = ESCROW_ERR_TRAILING;
		goto out;
	}

	/* all checked: keep one copy, and point the key view into it */
	keys_at = (size_t)(env->keybuf - bytes);
	env->bytes = malloc(len);
	if (env->bytes == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto out;
	}
	memcpy(env->bytes, bytes, len);
	env->len = len;
	env->keybuf = env->bytes + keys_at;
	*envp = env;
	env = NULL;
	ret = ESCROW_OK;
out:
	if (env != NULL)
		env->keybuf = NULL; /* still points into the caller's bytes */
	escrow_envelope_free(env);
	return ret;
}

int
escrow_envelope_verify(struct escrow_envelope *env,
    const uint8_t S[static ESCROW_ENVELOPE_SECRET_LEN])
{
	uint8_t *k = NULL, mac[ESCROW_ENVELOPE_MAC_LEN];
	size_t body;
	int ret, eq;

	if (env == NULL || env->state != ENV_PARSED ||
	    env->len < ESCROW_ENVELOPE_MAC_LEN)
		return ESCROW_ERR_INVALID_ARG;
	k = escrow_secret_alloc(ESCROW_ENVELOPE_KEY_LEN);
	if (k == NULL)
		return ESCROW_ERR_NOMEM;
	ret = escrow_envelope_derive_keys(env->id, S, NULL, k);
	if (ret != ESCROW_OK)
		goto out;
	body = env->len - ESCROW_ENVELOPE_MAC_LEN;
	escrow_envelope_i_hmac(k, env->bytes, body, mac);
	eq = escrow_equal(mac, env->bytes + body, sizeof mac);
	escrow_ct_declassify(&eq, sizeof eq); /* the verdict is public */
	ret = eq ? ESCROW_OK : ESCROW_ERR_MAC;
	if (ret == ESCROW_OK)
		env->verified = 1;
out:
	escrow_wipe(mac, sizeof mac);
	escrow_secret_free(k);
	return ret;
}

int
escrow_envelope_unwrap_key(struct escrow_envelope *env,
    const uint8_t S[static ESCROW_ENVELOPE_SECRET_LEN], size_t i,
    uint8_t *out, size_t outcap, size_t *outlen)
{
	struct escrow_envelope_key key;
	uint8_t *k = NULL;
	int ret;

	if (outlen != NULL)
		*outlen = 0;
	if (env == NULL || out == NULL || outlen == NULL ||
	    env->state != ENV_PARSED || i >= env->nkeys)
		return ESCROW_ERR_INVALID_ARG;
	if (!env->verified && (ret = escrow_envelope_verify(env, S)) != ESCROW_OK)
		return ret;
	if ((ret = escrow_envelope_key(env, i, &key)) != ESCROW_OK)
		return ret;
	k = escrow_secret_alloc(ESCROW_ENVELOPE_KEY_LEN);
	if (k == NULL)
		return ESCROW_ERR_NOMEM;
	ret = escrow_envelope_derive_keys(env->id, S, k, NULL);
	if (ret == ESCROW_OK)
		ret = escrow_keywrap_unwrap(k, ESCROW_ENVELOPE_KEY_LEN,
		    key.wrapped, key.wrapped_len, out, outcap, outlen);
	escrow_secret_free(k);
	return ret;
}
