/*
 * slip39.c - SLIP-0039 split and combine: the two-level scheme (groups of
 * members), the share-set checks of the spec, and the diagnostics that
 * name the share at fault.
 *
 * SECRET: the master secret, the passphrase, the EMS, the group shares,
 * the member share values and the random values; all of them live in
 * escrow_secret_alloc() memory (or the caller's) and are wiped on every
 * path.  Public: the share-set layout and every share's metadata, which
 * the checks branch on freely.
 */
#include <string.h>

#include "escrow_slip39.h"
#include "slip39_shamir.h"
#include "slip39_int.h"

#define MAXG ESCROW_SHARESET_MAX_GROUPS
#define MAXM ESCROW_SHARESET_MAX_MEMBERS
#define LMAX ESCROW_SLIP39_SECRET_MAX

int
escrow_slip39_shareset_check(const struct escrow_shareset *set)
{
	unsigned g;

	if (set == NULL)
		return ESCROW_ERR_INVALID_ARG;
	if (set->group_count < 1 || set->group_count > MAXG ||
	    set->group_threshold < 1 ||
	    set->group_threshold > set->group_count ||
	    set->iteration_exponent > 15)
		return ESCROW_ERR_SHARE_PARAMS;
	for (g = 0; g < set->group_count; g++) {
		const struct escrow_shareset_group *gr = &set->groups[g];

		if (gr->count < 1 || gr->count > MAXM || gr->threshold < 1 ||
		    gr->threshold > gr->count ||
		    (gr->threshold == 1 && gr->count != 1))
			return ESCROW_ERR_SHARE_PARAMS;
	}
	return ESCROW_OK;
}

static int
secret_len_ok(size_t len)
{
	return len >= ESCROW_SLIP39_SECRET_MIN && len <= LMAX && len % 2 == 0;
}

int
escrow_slip39_split_opts(const uint8_t *secret, size_t len,
    const char *passphrase, struct escrow_shareset *set,
    struct escrow_slip39_share *shares, size_t cap, size_t *n,
    const struct escrow_slip39_split_opts *opts)
{
	escrow_rng_fn rng = escrow_shamir_rng_default;
	void *ctx = NULL;
	uint8_t *ems = NULL, *groups = NULL, *members = NULL;
	size_t total = 0, k = 0;
	uint16_t id;
	unsigned g, m;
	int ret, ext = 1;

	if (secret == NULL || set == NULL || shares == NULL || n == NULL)
		return ESCROW_ERR_INVALID_ARG;
	*n = 0;
	if (!secret_len_ok(len))
		return ESCROW_ERR_SECRET_LENGTH;
	ret = escrow_slip39_shareset_check(set);
	if (ret != ESCROW_OK)
		return ret;
	for (g = 0; g < set->group_count; g++)
		total += set->groups[g].count;
	if (total > cap)
		return ESCROW_ERR_BUFFER_TOO_SMALL;
	if (opts != NULL) {
		if (opts->rng != NULL) {
			rng = opts->rng;
			ctx = opts->rng_ctx;
		}
		ext = opts->extendable != 0;
	}
	if (opts != NULL && opts->identifier >= 0)
		id = (uint16_t)(opts->identifier & 0x7fff);
	else {
		escrow_random(&id, sizeof id); /* public */
		id &= 0x7fff;
	}
	ems = escrow_secret_alloc(LMAX);
	groups = escrow_secret_alloc((size_t)MAXG * LMAX);
	members = escrow_secret_alloc((size_t)MAXM * LMAX);
	if (ems == NULL || groups == NULL || members == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto out;
	}
	ret = escrow_slip39_encrypt(secret, len, passphrase,
	    set->iteration_exponent, id, ext, ems);
	if (ret != ESCROW_OK)
		goto out;
	ret = escrow_shamir_split(set->group_threshold, set->group_count, ems,
	    len, groups, rng, ctx);
	if (ret != ESCROW_OK)
		goto out;
	for (g = 0; g < set->group_count; g++) {
		const struct escrow_shareset_group *gr = &set->groups[g];

		ret = escrow_shamir_split(gr->threshold, gr->count,
		    groups + (size_t)g * len, len, members, rng, ctx);
		if (ret != ESCROW_OK)
			goto out;
		for (m = 0; m < gr->count; m++, k++) {
			struct escrow_slip39_share *s = &shares[k];

			memset(s, 0, sizeof *s);
			s->identifier = id;
			s->extendable = (uint8_t)ext;
			s->iteration_exponent = set->iteration_exponent;
			s->group_index = (uint8_t)g;
			s->group_threshold = set->group_threshold;
			s->group_count = set->group_count;
			s->member_index = (uint8_t)m;
			s->member_threshold = gr->threshold;
			s->value_len = (uint8_t)len;
			memcpy(s->value, members + (size_t)m * len, len);
		}
	}
	set->identifier = id;
	set->extendable = (uint8_t)ext;
	*n = total;
	ret = ESCROW_OK;
out:
	if (ret != ESCROW_OK)
		escrow_wipe(shares, total * sizeof *shares);
	escrow_secret_free(ems);
	escrow_secret_free(groups);
	escrow_secret_free(members);
	return ret;
}

int
escrow_slip39_split(const uint8_t *secret, size_t len,
    const char *passphrase, struct escrow_shareset *set,
    struct escrow_slip39_share *shares, size_t cap, size_t *n)
{
	return escrow_slip39_split_opts(secret, len, passphrase, set, shares,
	    cap, n, NULL);
}

/* the first set-level field on which a and b differ */
static int
set_diff(const struct escrow_slip39_share *a,
    const struct escrow_slip39_share *b)
{
	if (a->identifier != b->identifier)
		return ESCROW_SLIP39_FIELD_IDENTIFIER;
	if (a->extendable != b->extendable)
		return ESCROW_SLIP39_FIELD_EXTENDABLE;
	if (a->iteration_exponent != b->iteration_exponent)
		return ESCROW_SLIP39_FIELD_ITERATION_EXPONENT;
	if (a->group_threshold != b->group_threshold)
		return ESCROW_SLIP39_FIELD_GROUP_THRESHOLD;
	if (a->group_count != b->group_count)
		return ESCROW_SLIP39_FIELD_GROUP_COUNT;
	if (a->value_len != b->value_len)
		return ESCROW_SLIP39_FIELD_LENGTH;
	return ESCROW_SLIP39_FIELD_NONE;
}

/*
 * Name the share that does not belong: the first one that differs from
 * share 0, unless share 0 is the odd one out (all others agree).
 */
static int
check_set(const struct escrow_slip39_share *s, size_t n,
    struct escrow_slip39_diag *diag)
{
	size_t i, j;
	int f;

	for (i = 1; i < n; i++) {
		f = set_diff(&s[0], &s[i]);
		if (f == ESCROW_SLIP39_FIELD_NONE)
			continue;
		diag->share = (int)i;
		diag->other = 0;
		diag->field = f;
		if (n >= 3) {
			int zero_odd = 1;

			for (j = 1; j < n && zero_odd; j++)
				if (set_diff(&s[i], &s[j]) != ESCROW_SLIP39_FIELD_NONE)
					zero_odd = 0;
			if (zero_odd) {
				diag->share = 0;
				diag->other = (int)i;
			}
		}
		return ESCROW_ERR_SET_MISMATCH;
	}
	return ESCROW_OK;
}

static int
valid_share(const struct escrow_slip39_share *s)
{
	return s->identifier < (1u << 15) && s->extendable <= 1 &&
	    s->iteration_exponent <= 15 && s->group_index < s->group_count &&
	    s->group_threshold >= 1 && s->group_threshold <= s->group_count &&
	    s->group_count <= MAXG && s->member_index <= 15 &&
	    s->member_threshold >= 1 && s->member_threshold <= MAXM &&
	    secret_len_ok(s->value_len);
}

struct group_seen {
	int first;     /* position of its first share, -1: none */
	unsigned count;
	uint8_t xs[MAXM];
	const uint8_t *ys[MAXM];
};

int
escrow_slip39_combine_shares(const struct escrow_slip39_share *shares,
    size_t n, const char *passphrase, uint8_t *secret_out, size_t cap,
    size_t *len, struct escrow_slip39_diag *diag)
{
	struct escrow_slip39_diag dummy;
	struct group_seen seen[MAXG];
	uint8_t gx[MAXG];
	const uint8_t *gy[MAXG];
	uint8_t *gsec = NULL, *ems = NULL;
	size_t i, j, vlen;
	unsigned g, ngroups = 0, gt;
	int ret;

	if (diag == NULL)
		diag = &dummy;
	escrow_slip39_diag_reset(diag);
	if (shares == NULL || secret_out == NULL || len == NULL || n == 0)
		return ESCROW_ERR_INVALID_ARG;
	*len = 0;
	if (n > ESCROW_SLIP39_MAX_SHARES)
		return ESCROW_ERR_TOO_MANY_SHARES;
	for (i = 0; i < n; i++)
		if (!valid_share(&shares[i])) {
			diag->share = (int)i;
			return ESCROW_ERR_SHARE_PARAMS;
		}
	ret = check_set(shares, n, diag);
	if (ret != ESCROW_OK)
		return ret;
	vlen = shares[0].value_len;
	gt = shares[0].group_threshold;
	if (cap < vlen)
		return ESCROW_ERR_BUFFER_TOO_SMALL;
	for (g = 0; g < MAXG; g++) {
		seen[g].first = -1;
		seen[g].count = 0;
	}
	for (i = 0; i < n; i++) {
		const struct escrow_slip39_share *s = &shares[i];
		struct group_seen *gs = &seen[s->group_index];

		if (gs->first < 0) {
			gs->first = (int)i;
			ngroups++;
		}
		diag->group = s->group_index;
		for (j = 0; j < i; j++) {
			if (shares[j].group_index != s->group_index)
				continue;
			if (shares[j].member_index == s->member_index) {
				diag->share = (int)i;
				diag->other = (int)j;
				return ESCROW_ERR_DUPLICATE_SHARE;
			}
		}
		if (shares[gs->first].member_threshold != s->member_threshold) {
			diag->share = (int)i;
			diag->other = gs->first;
			diag->field = ESCROW_SLIP39_FIELD_MEMBER_THRESHOLD;
			return ESCROW_ERR_GROUP_MISMATCH;
		}
		if (gs->count < MAXM) {
			gs->xs[gs->count] = s->member_index;
			gs->ys[gs->count] = s->value;
		}
		gs->count++;
	}
	diag->group = -1;
	if (ngroups != gt) {
		diag->need = (int)gt;
		diag->have = (int)ngroups;
		return ngroups < gt ? ESCROW_ERR_TOO_FEW_GROUPS :
		    ESCROW_ERR_TOO_MANY_GROUPS;
	}
	for (g = 0; g < MAXG; g++) {
		unsigned t;

		if (seen[g].first < 0)
			continue;
		t = shares[seen[g].first].member_threshold;
		if (seen[g].count != t) {
			diag->group = (int)g;
			diag->need = (int)t;
			diag->have = (int)seen[g].count;
			return seen[g].count < t ? ESCROW_ERR_TOO_FEW_SHARES :
			    ESCROW_ERR_TOO_MANY_SHARES;
		}
	}
	gsec = escrow_secret_alloc((size_t)MAXG * LMAX);
	ems = escrow_secret_alloc(LMAX);
	if (gsec == NULL || ems == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto out;
	}
	ngroups = 0;
	for (g = 0; g < MAXG; g++) {
		if (seen[g].first < 0)
			continue;
		gx[ngroups] = (uint8_t)g;
		gy[ngroups] = gsec + (size_t)ngroups * vlen;
		ret = escrow_shamir_recover(seen[g].count, seen[g].xs, seen[g].ys,
		    seen[g].count, vlen, gsec + (size_t)ngroups * vlen);
		if (ret != ESCROW_OK) {
			diag->group = (int)g;
			goto out;
		}
		ngroups++;
	}
	ret = escrow_shamir_recover(gt, gx, gy, ngroups, vlen, ems);
	if (ret != ESCROW_OK)
		goto out;
	ret = escrow_slip39_decrypt(ems, vlen, passphrase,
	    shares[0].iteration_exponent, shares[0].identifier,
	    shares[0].extendable, secret_out);
	if (ret != ESCROW_OK)
		goto out;
	*len = vlen;
out:
	if (ret != ESCROW_OK)
		escrow_wipe(secret_out, cap);
	escrow_secret_free(gsec);
	escrow_secret_free(ems);
	return ret;
}

int
escrow_slip39_combine(const char *const *mnemonics, size_t n,
    const char *passphrase, uint8_t *secret_out, size_t cap, size_t *len,
    struct escrow_slip39_diag *diag)
{
	struct escrow_slip39_share *shares = NULL;
	size_t i;
	int ret;

	escrow_slip39_diag_reset(diag);
	if (mnemonics == NULL || secret_out == NULL || len == NULL || n == 0)
		return ESCROW_ERR_INVALID_ARG;
	*len = 0;
	if (n > ESCROW_SLIP39_MAX_SHARES)
		return ESCROW_ERR_TOO_MANY_SHARES;
	shares = escrow_secret_alloc(n * sizeof *shares);
	if (shares == NULL)
		return ESCROW_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		ret = escrow_slip39_share_decode(mnemonics[i], &shares[i], diag);
		if (ret != ESCROW_OK) {
			if (diag != NULL)
				diag->share = (int)i;
			goto out;
		}
	}
	ret = escrow_slip39_combine_shares(shares, n, passphrase, secret_out,
	    cap, len, diag);
out:
	escrow_secret_free(shares);
	return ret;
}
