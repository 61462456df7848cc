/*
 * envelope.c - building an envelope (create, share set, commitments,
 * version 2's ceremony block, keys, seal), the key derivation from S
 * (the same for versions 1 and 2), and the accessors.  The byte
 * layout is in docs/FORMAT.md ("The envelope").
 *
 * Secret: S (only during create and derive_keys), K_wrap and K_mac (kept
 * in env->keys, secret memory, wiped at seal and free), and the PKCS#8
 * plaintexts given to add_key (wrapped at once in secret memory by
 * keywrap.c; only the ciphertext reaches the key records).  The key
 * records, commitments and the sealed bytes are public.
 */
#include <stdlib.h>
#include <string.h>

#include "envelope_int.h"
#include "escrow_hazmat.h"
#include "escrow_keywrap.h"

static const char info_wrap[] = "escrow v1 wrap";
static const char info_mac[] = "escrow v1 mac";

int
escrow_envelope_derive_keys(const uint8_t id[static ESCROW_ENVELOPE_ID_LEN],
    const uint8_t S[static ESCROW_ENVELOPE_SECRET_LEN], uint8_t *k_wrap,
    uint8_t *k_mac)
{
	int ret = ESCROW_OK;

	if (k_wrap != NULL)
		ret = escrow_kdf_hkdf_sha256(S, ESCROW_ENVELOPE_SECRET_LEN, id,
		    ESCROW_ENVELOPE_ID_LEN, (const uint8_t *)info_wrap,
		    sizeof info_wrap - 1, k_wrap, ESCROW_ENVELOPE_KEY_LEN);
	if (ret == ESCROW_OK && k_mac != NULL)
		ret = escrow_kdf_hkdf_sha256(S, ESCROW_ENVELOPE_SECRET_LEN, id,
		    ESCROW_ENVELOPE_ID_LEN, (const uint8_t *)info_mac,
		    sizeof info_mac - 1, k_mac, ESCROW_ENVELOPE_KEY_LEN);
	if (ret != ESCROW_OK) {
		escrow_wipe(k_wrap, k_wrap != NULL ? ESCROW_ENVELOPE_KEY_LEN : 0);
		escrow_wipe(k_mac, k_mac != NULL ? ESCROW_ENVELOPE_KEY_LEN : 0);
	}
	return ret;
}

int
escrow_envelope_create(struct escrow_envelope **envp, uint64_t created,
    const uint8_t S[static ESCROW_ENVELOPE_SECRET_LEN])
{
	struct escrow_envelope *env;
	int ret;

	if (envp == NULL)
		return ESCROW_ERR_INVALID_ARG;
	*envp = NULL;
	env = calloc(1, sizeof *env);
	if (env == NULL)
		return ESCROW_ERR_NOMEM;
	env->state = ENV_BUILDING;
	env->version = ESCROW_ENVELOPE_VERSION_1;
	env->passphrase = ESCROW_PASSPHRASE_NOT_RECORDED;
	env->created = created;
	env->keys = escrow_secret_alloc(2 * ESCROW_ENVELOPE_KEY_LEN);
	if (env->keys == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto out;
	}
	escrow_random(env->id, sizeof env->id);
	ret = escrow_envelope_derive_keys(env->id, S, env->keys,
	    env->keys + ESCROW_ENVELOPE_KEY_LEN);
	if (ret != ESCROW_OK)
		goto out;
	*envp = env;
	env = NULL;
out:
	escrow_envelope_free(env);
	return ret;
}

void
escrow_envelope_free(struct escrow_envelope *env)
{
	if (env == NULL)
		return;
	escrow_secret_free(env->keys);
	if (env->state != ENV_PARSED)
		free(env->keybuf);
	free(env->keyoff);
	free(env->bytes);
	free(env);
}

int
escrow_envelope_set_shareset(struct escrow_envelope *env,
    const struct escrow_shareset *set)
{
	if (env == NULL || set == NULL || env->state != ENV_BUILDING ||
	    env->have_set)
		return ESCROW_ERR_INVALID_ARG;
	if (escrow_envelope_i_shareset_check(set) != ESCROW_OK)
		return ESCROW_ERR_SHARE_PARAMS;
	env->set = *set;
	/* canonical: nothing beyond group_count */
	memset(&env->set.groups[set->group_count], 0,
	    sizeof env->set.groups[0] *
	    (ESCROW_SHARESET_MAX_GROUPS - set->group_count));
	env->have_set = 1;
	return ESCROW_OK;
}

int
escrow_envelope_set_ceremony(struct escrow_envelope *env, int passphrase,
    const struct escrow_envelope_replaced *replaced, size_t n)
{
	size_t i;

	if (env == NULL || env->state != ENV_BUILDING ||
	    env->version != ESCROW_ENVELOPE_VERSION_1 || (replaced == NULL && n > 0) ||
	    (passphrase != ESCROW_PASSPHRASE_NONE && passphrase != ESCROW_PASSPHRASE_SET))
		return ESCROW_ERR_INVALID_ARG;
	if (n > ESCROW_ENVELOPE_MAX_REPLACED)
		return ESCROW_ERR_TOO_LARGE;
	for (i = 0; i < n; i++)
		if (replaced[i].identifier >= 1u << 15)
			return ESCROW_ERR_SHARE_PARAMS;
	if (n > 0)
		memcpy(env->replaced, replaced, n * sizeof *replaced);
	env->nreplaced = n;
	env->passphrase = passphrase;
	env->version = ESCROW_ENVELOPE_VERSION_2;
	return ESCROW_OK;
}

int
escrow_envelope_add_commitment(struct escrow_envelope *env, uint8_t group,
    uint8_t member, const uint8_t hash[static ESCROW_ENVELOPE_HASH_LEN])
{
	size_t i;

	if (env == NULL || env->state != ENV_BUILDING || !env->have_set)
		return ESCROW_ERR_INVALID_ARG;
	if (group >= env->set.group_count ||
	    member >= env->set.groups[group].count)
		return ESCROW_ERR_SHARE_PARAMS;
	for (i = 0; i < env->ncommit; i++)
		if ((env->commit[i].group == group &&
		    env->commit[i].member == member) ||
		    memcmp(env->commit[i].hash, hash, ESCROW_ENVELOPE_HASH_LEN) == 0)
			return ESCROW_ERR_DUPLICATE_SHARE;
	if (env->ncommit >= ENV_MAX_SHARES)
		return ESCROW_ERR_DUPLICATE_SHARE; /* unreachable: all positions taken */
	env->commit[env->ncommit].group = group;
	env->commit[env->ncommit].member = member;
	memcpy(env->commit[env->ncommit].hash, hash, ESCROW_ENVELOPE_HASH_LEN);
	env->ncommit++;
	return ESCROW_OK;
}

int
escrow_envelope_add_share(struct escrow_envelope *env, uint8_t group,
    uint8_t member, const uint16_t *words, size_t n)
{
	uint8_t h[ESCROW_ENVELOPE_HASH_LEN];
	int ret;

	if (env == NULL)
		return ESCROW_ERR_INVALID_ARG;
	ret = escrow_envelope_commitment(env->id, group, member, words, n, h);
	if (ret == ESCROW_OK)
		ret = escrow_envelope_add_commitment(env, group, member, h);
	escrow_wipe(h, sizeof h);
	return ret;
}

/* Make room for `more` bytes of key records and one more offset. */
static int
grow(struct escrow_envelope *env, size_t more)
{
	if (env->nkeys == env->keyoff_cap) {
		size_t cap = env->keyoff_cap ? env->keyoff_cap * 2 : 16;
		size_t *p;

		if (cap > ESCROW_ENVELOPE_MAX_KEYS)
			cap = ESCROW_ENVELOPE_MAX_KEYS;
		p = realloc(env->keyoff, cap * sizeof *p);
		if (p == NULL)
			return ESCROW_ERR_NOMEM;
		env->keyoff = p;
		env->keyoff_cap = cap;
	}
	if (env->keycap - env->keylen < more) {
		size_t cap = env->keycap ? env->keycap : 4096;
		uint8_t *p;

		while (cap - env->keylen < more) {
			if (cap > SIZE_MAX / 2)
				return ESCROW_ERR_NOMEM;
			cap *= 2;
		}
		p = realloc(env->keybuf, cap);
		if (p == NULL)
			return ESCROW_ERR_NOMEM;
		env->keybuf = p;
		env->keycap = cap;
	}
	return ESCROW_OK;
}

int
escrow_envelope_add_key(struct escrow_envelope *env,
    const struct escrow_envelope_key *key, const uint8_t *pkcs8,
    size_t pkcs8_len)
{
	size_t wlen, rlen, got = 0;
	uint8_t *r;
	int ret;

	if (env == NULL || key == NULL || pkcs8 == NULL ||
	    env->state != ENV_BUILDING)
		return ESCROW_ERR_INVALID_ARG;
	if (pkcs8_len == 0 || pkcs8_len > ESCROW_ENVELOPE_MAX_PKCS8)
		return ESCROW_ERR_TOO_LARGE;
	if (env->nkeys >= ESCROW_ENVELOPE_MAX_KEYS)
		return ESCROW_ERR_TOO_LARGE;
	if ((ret = escrow_envelope_i_key_check(key)) != ESCROW_OK)
		return ret;
	wlen = ESCROW_KEYWRAP_WRAPPED_LEN(pkcs8_len);
	rlen = 3 + key->label_len + key->id_len + key->owner_len + 3 +
	    2 + key->pubkey_len + 2 + wlen;
	if ((ret = grow(env, rlen)) != ESCROW_OK)
		return ret;

	r = env->keybuf + env->keylen;
	*r++ = (uint8_t)key->label_len;
	memcpy(r, key->label, key->label_len);
	r += key->label_len;
	*r++ = (uint8_t)key->id_len;
	memcpy(r, key->id, key->id_len);
	r += key->id_len;
	*r++ = (uint8_t)key->owner_len;
	memcpy(r, key->owner, key->owner_len);
	r += key->owner_len;
	escrow_put16(r, key->flags);
	r[2] = key->algorithm;
	r += 3;
	escrow_put16(r, (uint16_t)key->pubkey_len);
	memcpy(r + 2, key->pubkey, key->pubkey_len);
	r += 2 + key->pubkey_len;
	escrow_put16(r, (uint16_t)wlen);
	r += 2;
	ret = escrow_keywrap_wrap(env->keys, ESCROW_ENVELOPE_KEY_LEN, pkcs8,
	    pkcs8_len, r, wlen, &got);
	if (ret != ESCROW_OK)
		return ret;
	if (got != wlen)
		return ESCROW_ERR_CRYPTO;
	env->keyoff[env->nkeys++] = env->keylen;
	env->keylen += rlen;
	return ESCROW_OK;
}

static int
commit_cmp(const void *a, const void *b)
{
	const struct escrow_envelope_commitment *x = a, *y = b;
	int kx = x->group << 8 | x->member, ky = y->group << 8 | y->member;

	return (kx > ky) - (kx < ky);
}

/* Length of everything before the key records. */
static size_t
header_len(const struct escrow_envelope *env)
{
	size_t v2 = env->version == ESCROW_ENVELOPE_VERSION_2 ?
	    2 + ENV_REPLACED_LEN * env->nreplaced : 0;

	return ENV_FIXED_LEN + 6 + 2 * (size_t)env->set.group_count + 2 +
	    ENV_COMMIT_LEN * env->ncommit + v2 + 2;
}

static void
write_header(const struct escrow_envelope *env, uint8_t *p)
{
	size_t g, i;
	uint64_t t = env->created;

	memcpy(p, ENV_MAGIC, ENV_MAGIC_LEN);
	p += ENV_MAGIC_LEN;
	*p++ = (uint8_t)env->version;
	memcpy(p, env->id, ESCROW_ENVELOPE_ID_LEN);
	p += ESCROW_ENVELOPE_ID_LEN;
	for (i = 0; i < 8; i++)
		*p++ = (uint8_t)(t >> (56 - 8 * i));
	escrow_put16(p, env->set.identifier);
	p[2] = env->set.extendable;
	p[3] = env->set.iteration_exponent;
	p[4] = env->set.group_threshold;
	p[5] = env->set.group_count;
	p += 6;
	for (g = 0; g < env->set.group_count; g++) {
		*p++ = env->set.groups[g].threshold;
		*p++ = env->set.groups[g].count;
	}
	escrow_put16(p, (uint16_t)env->ncommit);
	p += 2;
	for (i = 0; i < env->ncommit; i++) {
		*p++ = env->commit[i].group;
		*p++ = env->commit[i].member;
		memcpy(p, env->commit[i].hash, ESCROW_ENVELOPE_HASH_LEN);
		p += ESCROW_ENVELOPE_HASH_LEN;
	}
	if (env->version == ESCROW_ENVELOPE_VERSION_2) {
		*p++ = (uint8_t)env->passphrase;
		*p++ = (uint8_t)env->nreplaced;
		for (i = 0; i < env->nreplaced; i++) {
			escrow_put16(p, env->replaced[i].identifier);
			memcpy(p + 2, env->replaced[i].fingerprint, ESCROW_ENVELOPE_HASH_LEN);
			p += ENV_REPLACED_LEN;
		}
	}
	escrow_put16(p, (uint16_t)env->nkeys);
}

int
escrow_envelope_seal(struct escrow_envelope *env, uint8_t **out,
    size_t *out_len)
{
	size_t hlen, total;
	uint8_t *buf;
	int ret;

	if (out != NULL)
		*out = NULL;
	if (out_len != NULL)
		*out_len = 0;
	if (env == NULL || out == NULL || out_len == NULL ||
	    env->state != ENV_BUILDING || !env->have_set || env->nkeys == 0 ||
	    env->ncommit != escrow_envelope_i_share_total(&env->set))
		return ESCROW_ERR_INVALID_ARG;
	if ((ret = escrow_envelope_i_ids_unique(env)) != ESCROW_OK)
		return ret == ESCROW_ERR_FORMAT ? ESCROW_ERR_INVALID_ARG : ret;
	qsort(env->commit, env->ncommit, sizeof env->commit[0], commit_cmp);

	/*
	 * The key records become the tail of the output in place (realloc,
	 * then memmove), so a large key set is never held twice.
	 */
	hlen = header_len(env);
	if (env->keylen > SIZE_MAX - hlen - ESCROW_ENVELOPE_MAC_LEN)
		return ESCROW_ERR_TOO_LARGE;
	total = hlen + env->keylen + ESCROW_ENVELOPE_MAC_LEN;
	buf = realloc(env->keybuf, total);
	if (buf == NULL)
		return ESCROW_ERR_NOMEM;
	memmove(buf + hlen, buf, env->keylen);
	write_header(env, buf);
	escrow_envelope_i_hmac(env->keys + ESCROW_ENVELOPE_KEY_LEN, buf,
	    total - ESCROW_ENVELOPE_MAC_LEN, buf + total - ESCROW_ENVELOPE_MAC_LEN);

	env->keybuf = NULL;
	env->keylen = env->keycap = 0;
	escrow_secret_free(env->keys);
	env->keys = NULL;
	env->state = ENV_SEALED;
	*out = buf;
	*out_len = total;
	return ESCROW_OK;
}

/* ---- accessors ---------------------------------------------------------- */

const uint8_t *
escrow_envelope_id(const struct escrow_envelope *env)
{
	return env != NULL ? env->id : NULL;
}

unsigned
escrow_envelope_version(const struct escrow_envelope *env)
{
	return env != NULL ? env->version : 0;
}

int
escrow_envelope_passphrase(const struct escrow_envelope *env)
{
	return env != NULL ? env->passphrase : ESCROW_PASSPHRASE_NOT_RECORDED;
}

size_t
escrow_envelope_replaced_count(const struct escrow_envelope *env)
{
	return env != NULL ? env->nreplaced : 0;
}

const struct escrow_envelope_replaced *
escrow_envelope_replaced_at(const struct escrow_envelope *env, size_t i)
{
	if (env == NULL || i >= env->nreplaced)
		return NULL;
	return &env->replaced[i];
}

uint64_t
escrow_envelope_created(const struct escrow_envelope *env)
{
	return env != NULL ? env->created : 0;
}

const struct escrow_shareset *
escrow_envelope_shareset(const struct escrow_envelope *env)
{
	return env != NULL && env->have_set ? &env->set : NULL;
}

size_t
escrow_envelope_key_count(const struct escrow_envelope *env)
{
	return env != NULL ? env->nkeys : 0;
}

int
escrow_envelope_key(const struct escrow_envelope *env, size_t i,
    struct escrow_envelope_key *key)
{
	size_t used;

	if (env == NULL || key == NULL || env->keybuf == NULL || i >= env->nkeys)
		return ESCROW_ERR_INVALID_ARG;
	return escrow_envelope_i_key_decode(env->keybuf + env->keyoff[i],
	    env->keylen - env->keyoff[i], key, &used);
}

size_t
escrow_envelope_commitment_count(const struct escrow_envelope *env)
{
	return env != NULL ? env->ncommit : 0;
}

const struct escrow_envelope_commitment *
escrow_envelope_commitment_at(const struct escrow_envelope *env, size_t i)
{
	if (env == NULL || i >= env->ncommit)
		return NULL;
	return &env->commit[i];
}

const uint8_t *
escrow_envelope_bytes(const struct escrow_envelope *env, size_t *len)
{
	if (len != NULL)
		*len = env != NULL && env->state == ENV_PARSED ? env->len : 0;
	return env != NULL && env->state == ENV_PARSED ? env->bytes : NULL;
}
