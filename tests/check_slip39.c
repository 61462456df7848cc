/*
 * check_slip39.c - SLIP-0039: the official vectors (each invalid one
 * rejected for the reason its description names), the word list, word
 * lookup and prefixes, encode/decode round trips, checksum location, and
 * property tests over random secrets and group layouts.  Test data only.
 */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escrow.h"
#include "escrow_hazmat.h"
#include "escrow_slip39.h"
#include "slip39_int.h"
#include "testutil.h"

Suite *check_slip39_suite(void);

/* ---- vectors ---- */

/* expected error for each invalid vector (1-based number), 0 = valid */
static int
expected_error(int num)
{
	switch (num) {
	case 2: case 21: return ESCROW_ERR_CHECKSUM;
	case 3: case 22: return ESCROW_ERR_PADDING;
	case 5: case 24: return ESCROW_ERR_TOO_FEW_SHARES;
	case 6: case 25: return ESCROW_ERR_SET_MISMATCH;
	case 7: case 26: return ESCROW_ERR_SET_MISMATCH;
	case 8: case 27: return ESCROW_ERR_SET_MISMATCH;
	case 9: case 28: return ESCROW_ERR_SET_MISMATCH;
	case 10: case 29: return ESCROW_ERR_SHARE_PARAMS;
	case 11: case 30: return ESCROW_ERR_DUPLICATE_SHARE;
	case 12: case 31: return ESCROW_ERR_GROUP_MISMATCH;
	case 13: case 32: return ESCROW_ERR_DIGEST;
	case 14: case 33: return ESCROW_ERR_TOO_FEW_GROUPS;
	case 15: case 34: return ESCROW_ERR_TOO_FEW_GROUPS;
	case 16: case 35: return ESCROW_ERR_TOO_FEW_SHARES;
	case 39: return ESCROW_ERR_MNEMONIC_LENGTH;
	case 40: return ESCROW_ERR_MNEMONIC_LENGTH;
	default: return 0;
	}
}

/* the field named by the mismatch vectors */
static int
expected_field(int num)
{
	switch (num) {
	case 6: case 25: return ESCROW_SLIP39_FIELD_IDENTIFIER;
	case 7: case 26: return ESCROW_SLIP39_FIELD_ITERATION_EXPONENT;
	case 8: case 27: return ESCROW_SLIP39_FIELD_GROUP_THRESHOLD;
	case 9: case 28: return ESCROW_SLIP39_FIELD_GROUP_COUNT;
	case 12: case 31: return ESCROW_SLIP39_FIELD_MEMBER_THRESHOLD;
	default: return ESCROW_SLIP39_FIELD_NONE;
	}
}

START_TEST(test_slip39_official_vectors)
{
	struct json_object *j = tu_load_json(tu_vector_path("slip39/vectors.json"));
	size_t i, n = json_object_array_length(j), valid = 0;
	uint8_t *out = escrow_secret_alloc(64), want[64];

	ck_assert_uint_eq(n, 45);
	for (i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(j, i);
		const char *desc = json_object_get_string(json_object_array_get_idx(v, 0));
		struct json_object *mn = json_object_array_get_idx(v, 1);
		const char *ms = json_object_get_string(json_object_array_get_idx(v, 2));
		const char *list[8];
		size_t k, m = json_object_array_length(mn), len = 0;
		struct escrow_slip39_diag diag;
		int num = (int)i + 1, ret, want_err = expected_error(num);

		ck_assert_uint_le(m, 8);
		for (k = 0; k < m; k++)
			list[k] = json_object_get_string(json_object_array_get_idx(mn, k));
		ret = escrow_slip39_combine(list, m, "TREZOR", out, 64, &len, &diag);
		if (ms[0] != '\0') {
			long wl = tu_unhex(ms, want, sizeof want);

			ck_assert_msg(want_err == 0, "vector %d is valid", num);
			ck_assert_msg(ret == ESCROW_OK, "vector %d (%s): %s", num, desc,
			    escrow_strerror(ret));
			ck_assert_int_eq((long)len, wl);
			ck_assert_msg(memcmp(out, want, len) == 0, "vector %d: wrong secret", num);
			valid++;
			continue;
		}
		ck_assert_msg(ret == want_err, "vector %d (%s): got %d (%s), want %d",
		    num, desc, ret, escrow_strerror(ret), want_err);
		if (expected_field(num) != ESCROW_SLIP39_FIELD_NONE)
			ck_assert_int_eq(diag.field, expected_field(num));
		if (ret == ESCROW_ERR_CHECKSUM || ret == ESCROW_ERR_PADDING)
			ck_assert_int_eq(diag.share, 0);
		if (ret == ESCROW_ERR_DUPLICATE_SHARE || ret == ESCROW_ERR_SET_MISMATCH ||
		    ret == ESCROW_ERR_GROUP_MISMATCH) {
			ck_assert_int_ge(diag.share, 0);
			ck_assert_int_ge(diag.other, 0);
			ck_assert_int_ne(diag.share, diag.other);
		}
		if (ret == ESCROW_ERR_TOO_FEW_SHARES) {
			ck_assert_int_ge(diag.group, 0);
			ck_assert_int_lt(diag.have, diag.need);
		}
		if (ret == ESCROW_ERR_TOO_FEW_GROUPS)
			ck_assert_int_lt(diag.have, diag.need);
		ck_assert_uint_eq(len, 0);
	}
	ck_assert_uint_eq(valid, 15);
	escrow_secret_free(out);
	json_object_put(j);
}
END_TEST

/* ---- words ---- */

START_TEST(test_slip39_wordlist_matches_file)
{
	char *txt = tu_read_file(tu_vector_path("slip39/wordlist.txt"), NULL);
	char *line, *nl, ct[ESCROW_SLIP39_WORD_MAX + 1];
	unsigned i = 0;

	ck_assert_ptr_nonnull(txt);
	for (line = txt; *line != '\0'; line = nl + 1, i++) {
		nl = strchr(line, '\n');
		ck_assert_ptr_nonnull(nl);
		*nl = '\0';
		ck_assert_uint_lt(i, 1024);
		ck_assert_str_eq(escrow_slip39_word(i), line);
		escrow_slip39_word_ct(i, ct);
		ck_assert_str_eq(ct, line);
		ck_assert_int_eq(escrow_slip39_word_lookup(line), (int)i);
	}
	ck_assert_uint_eq(i, 1024);
	ck_assert_ptr_null(escrow_slip39_word(1024));
	escrow_slip39_word_ct(1024, ct);
	ck_assert_str_eq(ct, "");
	free(txt);
}
END_TEST

START_TEST(test_slip39_word_lookup_prefixes)
{
	unsigned first = 99, count = 99, i, n = 0;

	ck_assert_int_eq(escrow_slip39_word_lookup("academic"), 0);
	ck_assert_int_eq(escrow_slip39_word_lookup("ACADEMIC"), 0);
	ck_assert_int_eq(escrow_slip39_word_lookup("AcAd"), 0);
	ck_assert_int_eq(escrow_slip39_word_lookup("acade"), 0);
	ck_assert_int_eq(escrow_slip39_word_lookup("acid"), 1);
	ck_assert_int_eq(escrow_slip39_word_lookup("acne"), 2);
	ck_assert_int_eq(escrow_slip39_word_lookup("zero"), 1023);
	ck_assert_str_eq(escrow_slip39_word(1023), "zero");
	/* must fail: short prefixes, a wrong letter, too long, junk */
	ck_assert_int_eq(escrow_slip39_word_lookup("aca"), -1);
	ck_assert_int_eq(escrow_slip39_word_lookup("academix"), -1);
	ck_assert_int_eq(escrow_slip39_word_lookup("academics"), -1);
	ck_assert_int_eq(escrow_slip39_word_lookup("acadxmic"), -1);
	ck_assert_int_eq(escrow_slip39_word_lookup("zzzz"), -1);
	ck_assert_int_eq(escrow_slip39_word_lookup("ac1d"), -1);
	ck_assert_int_eq(escrow_slip39_word_lookup(""), -1);
	ck_assert_int_eq(escrow_slip39_word_lookup("acid acne"), -1);
	/* completion for interactive typing */
	for (i = 0; i < 1024; i++)
		n += strncmp(escrow_slip39_word(i), "ac", 2) == 0;
	ck_assert_int_eq(escrow_slip39_word_complete("aC", &first, &count), ESCROW_OK);
	ck_assert_uint_eq(first, 0);
	ck_assert_uint_eq(count, n);
	ck_assert_uint_gt(n, 2);
	ck_assert_int_eq(escrow_slip39_word_complete("zer", &first, &count), ESCROW_OK);
	ck_assert_uint_eq(first, 1023);
	ck_assert_uint_eq(count, 1);
	ck_assert_int_eq(escrow_slip39_word_complete("zz", &first, &count), ESCROW_OK);
	ck_assert_uint_eq(count, 0);
	ck_assert_int_eq(escrow_slip39_word_complete("", &first, &count),
	    ESCROW_ERR_INVALID_ARG);
}
END_TEST

/* ---- helpers for split / combine ---- */

struct set {
	struct escrow_shareset layout;
	struct escrow_slip39_share *shares;  /* secret memory */
	size_t n;
	uint8_t secret[32];
	size_t len;
	char pass[16];
};

static unsigned
rnd(unsigned n)
{
	uint32_t r;

	escrow_random(&r, sizeof r);
	return r % n;
}

static void
random_layout(struct escrow_shareset *l, unsigned maxg, unsigned maxn)
{
	unsigned g;

	memset(l, 0, sizeof *l);
	l->group_count = (uint8_t)(1 + rnd(maxg));
	l->group_threshold = (uint8_t)(1 + rnd(l->group_count));
	for (g = 0; g < l->group_count; g++) {
		l->groups[g].count = (uint8_t)(1 + rnd(maxn));
		l->groups[g].threshold = (uint8_t)(1 + rnd(l->groups[g].count));
		if (l->groups[g].threshold == 1)
			l->groups[g].count = 1;
	}
}

static void
make_set(struct set *s, unsigned maxg, unsigned maxn)
{
	struct escrow_shareset in;
	size_t i;

	memset(s, 0, sizeof *s);
	random_layout(&s->layout, maxg, maxn);
	in = s->layout;
	s->len = 16 + 2 * rnd(9);
	escrow_random(s->secret, s->len);
	for (i = 0; i < rnd(6); i++)
		s->pass[i] = (char)(32 + rnd(95));
	s->shares = escrow_secret_alloc(ESCROW_SLIP39_MAX_SHARES * sizeof *s->shares);
	ck_assert_ptr_nonnull(s->shares);
	ck_assert_int_eq(escrow_slip39_split(s->secret, s->len, s->pass, &s->layout,
	    s->shares, ESCROW_SLIP39_MAX_SHARES, &s->n), ESCROW_OK);
	/* split filled in the identifier and ext, and kept the rest */
	ck_assert_uint_lt(s->layout.identifier, 1u << 15);
	ck_assert_uint_eq(s->layout.extendable, 1);
	in.identifier = s->layout.identifier;
	in.extendable = 1;
	ck_assert(memcmp(&in, &s->layout, sizeof in) == 0);
}

/* a qualifying subset in random order: positions into s->shares */
static size_t
qualifying(const struct set *s, size_t *pick)
{
	unsigned gorder[16], g, i, m = 0;
	size_t first[16], k = 0;

	for (g = 0, k = 0; g < s->layout.group_count; g++) {
		gorder[g] = g;
		first[g] = k;
		k += s->layout.groups[g].count;
	}
	for (g = 0; g + 1 < s->layout.group_count; g++) {
		unsigned j = g + rnd(s->layout.group_count - g), t = gorder[g];

		gorder[g] = gorder[j];
		gorder[j] = t;
	}
	for (g = 0; g < s->layout.group_threshold; g++) {
		unsigned grp = gorder[g], cnt = s->layout.groups[grp].count;
		unsigned morder[16];

		for (i = 0; i < cnt; i++)
			morder[i] = i;
		for (i = 0; i + 1 < cnt; i++) {
			unsigned j = i + rnd(cnt - i), t = morder[i];

			morder[i] = morder[j];
			morder[j] = t;
		}
		for (i = 0; i < s->layout.groups[grp].threshold; i++)
			pick[m++] = first[grp] + morder[i];
	}
	for (i = 0; i + 1 < m; i++) { /* any order */
		unsigned j = i + rnd(m - i);
		size_t t = pick[i];

		pick[i] = pick[j];
		pick[j] = t;
	}
	return m;
}

/* combine the picked shares as mnemonics; returns the error */
static int
combine_picked(const struct set *s, const size_t *pick, size_t m,
    const char *pass, uint8_t *out, size_t *len, struct escrow_slip39_diag *d)
{
	char *buf = escrow_secret_alloc(m * ESCROW_SLIP39_MNEMONIC_MAX + 1);
	const char *list[ESCROW_SLIP39_MAX_SHARES + 1];
	size_t i;
	int ret;

	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < m; i++) {
		char *mn = buf + i * ESCROW_SLIP39_MNEMONIC_MAX;

		ck_assert_int_eq(escrow_slip39_share_encode(&s->shares[pick[i]],
		    (unsigned)(i % 2 ? ESCROW_SLIP39_UPPER : 0), mn,
		    ESCROW_SLIP39_MNEMONIC_MAX), ESCROW_OK);
		list[i] = mn;
	}
	ret = escrow_slip39_combine(list, m, pass, out, 32, len, d);
	escrow_secret_free(buf);
	return ret;
}

static void
free_set(struct set *s)
{
	escrow_secret_free(s->shares);
	s->shares = NULL;
}

START_TEST(test_slip39_split_combine_properties)
{
	uint8_t *out = escrow_secret_alloc(32);
	struct escrow_slip39_diag d;
	size_t pick[ESCROW_SLIP39_MAX_SHARES + 1], m, len, i;
	struct set s, other;
	unsigned round;
	int ret;

	ck_assert_ptr_nonnull(out);
	for (round = 0; round < 8; round++) {
		make_set(&s, 4, 5);
		m = qualifying(&s, pick);
		ck_assert_int_eq(combine_picked(&s, pick, m, s.pass, out, &len, &d), ESCROW_OK);
		ck_assert_uint_eq(len, s.len);
		ck_assert_mem_eq(out, s.secret, s.len);

		/* one share fewer */
		if (m > 1) {
			size_t drop = rnd((unsigned)m), gone = pick[drop];
			const struct escrow_slip39_share *sh = &s.shares[gone];

			pick[drop] = pick[m - 1];
			ret = combine_picked(&s, pick, m - 1, s.pass, out, &len, &d);
			if (sh->member_threshold == 1) {
				ck_assert_int_eq(ret, ESCROW_ERR_TOO_FEW_GROUPS);
				ck_assert_int_eq(d.need, sh->group_threshold);
				ck_assert_int_eq(d.have, sh->group_threshold - 1);
			} else {
				ck_assert_int_eq(ret, ESCROW_ERR_TOO_FEW_SHARES);
				ck_assert_int_eq(d.group, sh->group_index);
				ck_assert_int_eq(d.need, sh->member_threshold);
				ck_assert_int_eq(d.have, sh->member_threshold - 1);
			}
			ck_assert_uint_eq(len, 0);
			pick[m - 1] = pick[drop];
			pick[drop] = gone;
		}

		/* a duplicate, named with its twin */
		pick[m] = pick[rnd((unsigned)m)];
		ret = combine_picked(&s, pick, m + 1, s.pass, out, &len, &d);
		ck_assert_int_eq(ret, ESCROW_ERR_DUPLICATE_SHARE);
		ck_assert_int_eq((int)m, d.share);
		ck_assert_uint_eq(pick[d.other], pick[m]);

		/* a share of another split, named */
		make_set(&other, 4, 5);
		if (m >= 2) {
			struct escrow_slip39_share keep;
			size_t pos = rnd((unsigned)m);

			keep = s.shares[pick[pos]];
			s.shares[pick[pos]] = other.shares[0];
			ret = combine_picked(&s, pick, m, s.pass, out, &len, &d);
			s.shares[pick[pos]] = keep;
			ck_assert_int_eq(ret, ESCROW_ERR_SET_MISMATCH);
			ck_assert(d.share == (int)pos || d.other == (int)pos);
			if (m >= 3)
				ck_assert_int_eq(d.share, (int)pos);
			ck_assert_int_ne(d.field, ESCROW_SLIP39_FIELD_NONE);
		}
		free_set(&other);

		/* the decoded-share entry point agrees */
		{
			struct escrow_slip39_share *list =
			    escrow_secret_alloc(m * sizeof *list);

			for (i = 0; i < m; i++)
				list[i] = s.shares[pick[i]];
			ck_assert_int_eq(escrow_slip39_combine_shares(list, m, s.pass,
			    out, 32, &len, &d), ESCROW_OK);
			ck_assert_mem_eq(out, s.secret, s.len);
			if (round < 3) {
				/* wrong passphrase: undetectable, another secret */
				ck_assert_int_eq(escrow_slip39_combine_shares(list, m,
				    "not the passphrase", out, 32, &len, &d), ESCROW_OK);
				ck_assert_uint_eq(len, s.len);
				ck_assert(memcmp(out, s.secret, s.len) != 0);
			}
			/* an altered share value: digest (t >= 2) or other secret */
			list[0].value[0] ^= 1;
			ret = escrow_slip39_combine_shares(list, m, s.pass, out, 32,
			    &len, &d);
			if (ret == ESCROW_OK)
				ck_assert(memcmp(out, s.secret, s.len) != 0);
			else
				ck_assert_int_eq(ret, ESCROW_ERR_DIGEST);
			escrow_secret_free(list);
		}
		free_set(&s);
	}
	escrow_secret_free(out);
}
END_TEST

START_TEST(test_slip39_too_many)
{
	uint8_t *out = escrow_secret_alloc(32);
	struct escrow_slip39_diag d;
	struct set s;
	size_t pick[8], len;
	uint8_t secret[16] = { 1, 2, 3 };

	/* 2 of 3 groups: (2 of 3), (1 of 1), (3 of 4) */
	memset(&s, 0, sizeof s);
	s.layout.group_threshold = 2;
	s.layout.group_count = 3;
	s.layout.groups[0].threshold = 2;
	s.layout.groups[0].count = 3;
	s.layout.groups[1].threshold = 1;
	s.layout.groups[1].count = 1;
	s.layout.groups[2].threshold = 3;
	s.layout.groups[2].count = 4;
	memcpy(s.secret, secret, 16);
	s.len = 16;
	s.shares = escrow_secret_alloc(16 * sizeof *s.shares);
	ck_assert_int_eq(escrow_slip39_split(secret, 16, NULL, &s.layout,
	    s.shares, 16, &s.n), ESCROW_OK);
	ck_assert_uint_eq(s.n, 8);
	ck_assert_uint_eq(s.shares[3].group_index, 1);
	ck_assert_uint_eq(s.shares[7].member_index, 3);
	/* groups 0 and 1: fine */
	pick[0] = 3; pick[1] = 2; pick[2] = 0;
	ck_assert_int_eq(combine_picked(&s, pick, 3, "", out, &len, &d), ESCROW_OK);
	ck_assert_mem_eq(out, secret, 16);
	/* one member too many in group 0 */
	pick[3] = 1;
	ck_assert_int_eq(combine_picked(&s, pick, 4, "", out, &len, &d),
	    ESCROW_ERR_TOO_MANY_SHARES);
	ck_assert_int_eq(d.group, 0);
	ck_assert_int_eq(d.need, 2);
	ck_assert_int_eq(d.have, 3);
	/* a third group */
	pick[3] = 4;
	ck_assert_int_eq(combine_picked(&s, pick, 4, "", out, &len, &d),
	    ESCROW_ERR_TOO_MANY_GROUPS);
	ck_assert_int_eq(d.need, 2);
	ck_assert_int_eq(d.have, 3);
	/* groups 1 and 2 (3 of 4) */
	pick[0] = 7; pick[1] = 3; pick[2] = 5; pick[3] = 4;
	ck_assert_int_eq(combine_picked(&s, pick, 4, "", out, &len, &d), ESCROW_OK);
	ck_assert_mem_eq(out, secret, 16);
	free_set(&s);
	escrow_secret_free(out);
}
END_TEST

START_TEST(test_slip39_encode_decode_roundtrip)
{
	char *a = escrow_secret_alloc(ESCROW_SLIP39_MNEMONIC_MAX);
	char *b = escrow_secret_alloc(ESCROW_SLIP39_MNEMONIC_MAX);
	char *messy = escrow_secret_alloc(4 * ESCROW_SLIP39_MNEMONIC_MAX);
	struct escrow_slip39_share *d = escrow_secret_alloc(sizeof *d);
	struct escrow_slip39_diag diag;
	struct escrow_shareset from;
	uint16_t words[ESCROW_SLIP39_WORDS_MAX];
	struct set s;
	size_t i, k, nw;

	ck_assert_uint_eq(escrow_slip39_share_word_count(16), 20);
	ck_assert_uint_eq(escrow_slip39_share_word_count(32), 33);
	ck_assert_uint_eq(escrow_slip39_share_word_count(18), 22);
	ck_assert_uint_eq(escrow_slip39_share_word_count(15), 0);
	ck_assert_uint_eq(escrow_slip39_share_word_count(34), 0);
	for (k = 0; k < 4; k++) {
		make_set(&s, 3, 4);
		for (i = 0; i < s.n; i++) {
			const struct escrow_slip39_share *sh = &s.shares[i];
			size_t w, pos = 0, nwords;
			char *p;

			ck_assert_int_eq(escrow_slip39_share_encode(sh, 0, a,
			    ESCROW_SLIP39_MNEMONIC_MAX), ESCROW_OK);
			nwords = escrow_slip39_share_word_count(s.len);
			/* single spaces, lower case, nwords words */
			for (p = a, w = 1; *p != '\0'; p++) {
				ck_assert(*p == ' ' || (*p >= 'a' && *p <= 'z'));
				w += *p == ' ';
			}
			ck_assert_uint_eq(w, nwords);
			ck_assert_int_eq(escrow_slip39_share_decode(a, d, &diag), ESCROW_OK);
			ck_assert(memcmp(d, sh, sizeof *d) == 0);
			ck_assert_int_eq(escrow_slip39_share_encode(d, 0, b,
			    ESCROW_SLIP39_MNEMONIC_MAX), ESCROW_OK);
			ck_assert_str_eq(a, b);
			/* the words agree with the text */
			ck_assert_int_eq(escrow_slip39_share_words(sh, words,
			    ESCROW_SLIP39_WORDS_MAX, &nw), ESCROW_OK);
			ck_assert_uint_eq(nw, nwords);
			ck_assert(escrow_slip39_checksum_valid(words, nw));
			ck_assert_int_eq(escrow_slip39_words_encode(words, nw, 0, b,
			    ESCROW_SLIP39_MNEMONIC_MAX), ESCROW_OK);
			ck_assert_str_eq(a, b);
			ck_assert_str_eq(escrow_slip39_word(words[nw - 1]),
			    strrchr(a, ' ') + 1);
			/* upper case decodes the same */
			ck_assert_int_eq(escrow_slip39_share_encode(sh,
			    ESCROW_SLIP39_UPPER, b, ESCROW_SLIP39_MNEMONIC_MAX), ESCROW_OK);
			for (p = b; *p != '\0'; p++)
				ck_assert(*p == ' ' || (*p >= 'A' && *p <= 'Z'));
			ck_assert_int_eq(strlen(a), strlen(b));
			memset(d, 0, sizeof *d);
			ck_assert_int_eq(escrow_slip39_share_decode(b, d, &diag), ESCROW_OK);
			ck_assert(memcmp(d, sh, sizeof *d) == 0);
			/* 4-letter prefixes, odd case, tabs, newlines, extra spaces */
			messy[pos++] = ' ';
			for (w = 0; w < nw; w++) {
				const char *word = escrow_slip39_word(words[w]);
				size_t l = w % 3 == 0 ? 4 : strlen(word), c;

				for (c = 0; c < l; c++)
					messy[pos++] = (char)((w + c) % 2 ?
					    toupper((unsigned char)word[c]) : word[c]);
				messy[pos++] = w % 5 == 0 ? '\t' : w % 7 == 0 ? '\n' : ' ';
				if (w % 4 == 0)
					messy[pos++] = ' ';
			}
			messy[pos++] = '\r';
			messy[pos] = '\0';
			memset(d, 0, sizeof *d);
			ck_assert_int_eq(escrow_slip39_share_decode(messy, d, &diag), ESCROW_OK);
			ck_assert(memcmp(d, sh, sizeof *d) == 0);
			/* the set as far as one share tells */
			escrow_slip39_shareset_from_share(d, &from);
			ck_assert_uint_eq(from.identifier, s.layout.identifier);
			ck_assert_uint_eq(from.extendable, 1);
			ck_assert_uint_eq(from.iteration_exponent, s.layout.iteration_exponent);
			ck_assert_uint_eq(from.group_threshold, s.layout.group_threshold);
			ck_assert_uint_eq(from.group_count, s.layout.group_count);
			ck_assert_uint_eq(from.groups[d->group_index].threshold,
			    s.layout.groups[d->group_index].threshold);
			ck_assert_uint_eq(from.groups[d->group_index].count, 0);
		}
		free_set(&s);
	}
	ck_assert_int_eq(escrow_slip39_share_encode(d, 0, a, 10), ESCROW_ERR_BUFFER_TOO_SMALL);
	escrow_secret_free(a);
	escrow_secret_free(b);
	escrow_secret_free(messy);
	escrow_secret_free(d);
}
END_TEST

START_TEST(test_slip39_checksum_locates_wrong_word)
{
	static const size_t where[] = { 0, 1, 2, 3, 4, 11, 29, 30, 32 };
	struct escrow_slip39_share *sh = escrow_secret_alloc(sizeof *sh);
	char *mn = escrow_secret_alloc(ESCROW_SLIP39_MNEMONIC_MAX);
	uint16_t words[ESCROW_SLIP39_WORDS_MAX], bad[ESCROW_SLIP39_WORDS_MAX];
	struct escrow_slip39_diag d;
	int pos[ESCROW_SLIP39_WORDS_MAX];
	size_t n, np, i, k;
	struct set s;

	make_set(&s, 1, 3);
	*sh = s.shares[0];
	sh->value_len = 32;
	ck_assert_int_eq(escrow_slip39_share_words(sh, words, ESCROW_SLIP39_WORDS_MAX, &n), ESCROW_OK);
	ck_assert_uint_eq(n, 33);
	ck_assert_int_eq(escrow_slip39_checksum_locate(words, n, pos, 33, &np), ESCROW_OK);
	ck_assert_uint_eq(np, 0);
	for (i = 0; i < sizeof where / sizeof where[0]; i++) {
		int seen = 0;

		memcpy(bad, words, sizeof bad);
		bad[where[i]] = (uint16_t)((bad[where[i]] + 1 + rnd(1023)) % 1024);
		if (where[i] == 1) /* a wrong ext bit changes the customization */
			bad[1] = words[1] ^ 0x10;
		ck_assert(!escrow_slip39_checksum_valid(bad, n));
		ck_assert_int_eq(escrow_slip39_checksum_locate(bad, n, pos, 33, &np), ESCROW_OK);
		ck_assert_uint_ge(np, 1);
		for (k = 0; k < np; k++)
			seen |= pos[k] == (int)where[i];
		ck_assert_msg(seen, "wrong word at %zu not located", where[i]);
		/* the same through the text decoder */
		ck_assert_int_eq(escrow_slip39_words_encode(bad, n, 0, mn,
		    ESCROW_SLIP39_MNEMONIC_MAX), ESCROW_OK);
		ck_assert_int_eq(escrow_slip39_share_decode(mn, sh, &d), ESCROW_ERR_CHECKSUM);
		ck_assert_int_eq(d.share, 0);
		ck_assert_uint_eq(d.npositions, np);
		ck_assert_mem_eq(d.positions, pos, np * sizeof pos[0]);
	}
	/* two wrong words are still caught (RS1024 detects up to 3) */
	memcpy(bad, words, sizeof bad);
	bad[5] ^= 1;
	bad[20] ^= 0x200;
	ck_assert(!escrow_slip39_checksum_valid(bad, n));
	ck_assert_int_eq(escrow_slip39_checksum_locate(bad, n, pos, 33, &np), ESCROW_OK);
	free_set(&s);
	escrow_secret_free(sh);
	escrow_secret_free(mn);
}
END_TEST

START_TEST(test_slip39_flipped_word_names_share)
{
	uint8_t *out = escrow_secret_alloc(32);
	char *mn[3];
	const char *list[3];
	struct escrow_slip39_diag d;
	struct set s;
	size_t len, i;
	char *sp;

	make_set(&s, 1, 1);
	/* a fixed 2-of-3 set */
	memset(&s.layout, 0, sizeof s.layout);
	s.layout.group_threshold = s.layout.group_count = 1;
	s.layout.groups[0].threshold = 2;
	s.layout.groups[0].count = 3;
	ck_assert_int_eq(escrow_slip39_split(s.secret, s.len, "", &s.layout,
	    s.shares, 16, &s.n), ESCROW_OK);
	for (i = 0; i < 3; i++) {
		mn[i] = escrow_secret_alloc(ESCROW_SLIP39_MNEMONIC_MAX + 16);
		ck_assert_int_eq(escrow_slip39_share_encode(&s.shares[i], 0, mn[i],
		    ESCROW_SLIP39_MNEMONIC_MAX), ESCROW_OK);
		list[i] = mn[i];
	}
	/* replace the 6th word of the second share by "academic" */
	sp = mn[1];
	for (i = 0; i < 5; i++)
		sp = strchr(sp, ' ') + 1;
	{
		char rebuilt[ESCROW_SLIP39_MNEMONIC_MAX + 16];
		const char *rest = strchr(sp, ' ');

		ck_assert(strncmp(sp, "academic ", 9) != 0);
		snprintf(rebuilt, sizeof rebuilt, "%.*sacademic%s",
		    (int)(sp - mn[1]), mn[1], rest);
		ck_assert_uint_lt(strlen(rebuilt), ESCROW_SLIP39_MNEMONIC_MAX + 16);
		memcpy(mn[1], rebuilt, strlen(rebuilt) + 1);
		escrow_wipe(rebuilt, sizeof rebuilt);
	}
	ck_assert_int_eq(escrow_slip39_combine(list + 1, 2, "", out, 32, &len, &d),
	    ESCROW_ERR_CHECKSUM);
	ck_assert_int_eq(d.share, 0);
	ck_assert_int_eq(escrow_slip39_combine(list, 2, "", out, 32, &len, &d),
	    ESCROW_ERR_CHECKSUM);
	ck_assert_int_eq(d.share, 1);
	ck_assert_uint_ge(d.npositions, 1);
	for (i = 0; i < d.npositions && d.positions[i] != 5; i++)
		;
	ck_assert_uint_lt(i, d.npositions);
	/* an unknown word is named by share and position */
	memcpy(strrchr(mn[2], ' ') + 1, "xyzzy", 6);
	ck_assert_int_eq(escrow_slip39_combine(list, 3, "", out, 32, &len, &d),
	    ESCROW_ERR_CHECKSUM);
	list[1] = mn[0];
	ck_assert_int_eq(escrow_slip39_combine(list + 1, 2, "", out, 32, &len, &d),
	    ESCROW_ERR_WORD_UNKNOWN);
	ck_assert_int_eq(d.share, 1);
	ck_assert_int_eq(d.word, (int)escrow_slip39_share_word_count(s.len) - 1);
	for (i = 0; i < 3; i++)
		escrow_secret_free(mn[i]);
	free_set(&s);
	escrow_secret_free(out);
}
END_TEST

START_TEST(test_slip39_decode_rejects)
{
	struct escrow_slip39_share *sh = escrow_secret_alloc(sizeof *sh);
	struct escrow_slip39_diag d;
	uint16_t w[40];
	size_t n;
	char buf[512];
	int i;

	ck_assert_int_eq(escrow_slip39_share_decode("", sh, &d), ESCROW_ERR_MNEMONIC_LENGTH);
	ck_assert_int_eq(escrow_slip39_share_decode(" \t\n", sh, &d), ESCROW_ERR_MNEMONIC_LENGTH);
	ck_assert_int_eq(escrow_slip39_share_decode("academic acid", sh, &d),
	    ESCROW_ERR_MNEMONIC_LENGTH);
	ck_assert_int_eq(d.have, 2);
	/* 34 words: more than a 32-byte secret needs */
	buf[0] = '\0';
	for (i = 0; i < 34; i++)
		strncat(buf, "acid ", sizeof buf - strlen(buf) - 1);
	ck_assert_int_eq(escrow_slip39_share_decode(buf, sh, &d), ESCROW_ERR_MNEMONIC_LENGTH);
	ck_assert_int_eq(escrow_slip39_mnemonic_parse(buf, w, 40, &n, &d), ESCROW_ERR_MNEMONIC_LENGTH);
	ck_assert_int_eq(escrow_slip39_mnemonic_parse("acid acne zero", w, 40, &n, &d), ESCROW_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(w[0], 1);
	ck_assert_uint_eq(w[2], 1023);
	ck_assert_int_eq(escrow_slip39_mnemonic_parse("acid acne, zero", w, 40, &n, &d),
	    ESCROW_ERR_WORD_UNKNOWN);
	ck_assert_int_eq(d.word, 1);
	ck_assert_int_eq(escrow_slip39_mnemonic_parse("acid ac zero", w, 40, &n, &d),
	    ESCROW_ERR_WORD_UNKNOWN);
	ck_assert_int_eq(d.word, 1);
	escrow_secret_free(sh);
}
END_TEST

START_TEST(test_slip39_split_rejects)
{
	struct escrow_slip39_share *sh = escrow_secret_alloc(16 * sizeof *sh);
	struct escrow_shareset l;
	uint8_t secret[34] = { 0 };
	size_t n;

	memset(&l, 0, sizeof l);
	l.group_threshold = l.group_count = 1;
	l.groups[0].threshold = 2;
	l.groups[0].count = 3;
	ck_assert_int_eq(escrow_slip39_shareset_check(&l), ESCROW_OK);
	ck_assert_int_eq(escrow_slip39_split(secret, 14, "", &l, sh, 16, &n), ESCROW_ERR_SECRET_LENGTH);
	ck_assert_int_eq(escrow_slip39_split(secret, 17, "", &l, sh, 16, &n), ESCROW_ERR_SECRET_LENGTH);
	ck_assert_int_eq(escrow_slip39_split(secret, 34, "", &l, sh, 16, &n), ESCROW_ERR_SECRET_LENGTH);
	ck_assert_int_eq(escrow_slip39_split(secret, 16, "caf\xc3\xa9", &l, sh, 16, &n), ESCROW_ERR_PASSPHRASE);
	ck_assert_int_eq(escrow_slip39_split(secret, 16, "tab\there", &l, sh, 16, &n), ESCROW_ERR_PASSPHRASE);
	ck_assert_int_eq(escrow_slip39_split(secret, 16, "", &l, sh, 2, &n), ESCROW_ERR_BUFFER_TOO_SMALL);
	l.groups[0].threshold = 1; /* T = 1 implies N = 1 */
	ck_assert_int_eq(escrow_slip39_split(secret, 16, "", &l, sh, 16, &n), ESCROW_ERR_SHARE_PARAMS);
	l.groups[0].threshold = 4;
	ck_assert_int_eq(escrow_slip39_split(secret, 16, "", &l, sh, 16, &n), ESCROW_ERR_SHARE_PARAMS);
	l.groups[0].threshold = 2;
	l.group_threshold = 2; /* more than the groups */
	ck_assert_int_eq(escrow_slip39_split(secret, 16, "", &l, sh, 16, &n), ESCROW_ERR_SHARE_PARAMS);
	l.group_threshold = 1;
	l.group_count = 17;
	ck_assert_int_eq(escrow_slip39_shareset_check(&l), ESCROW_ERR_SHARE_PARAMS);
	l.group_count = 1;
	l.groups[0].count = 17;
	ck_assert_int_eq(escrow_slip39_shareset_check(&l), ESCROW_ERR_SHARE_PARAMS);
	l.groups[0].count = 3;
	l.iteration_exponent = 16;
	ck_assert_int_eq(escrow_slip39_shareset_check(&l), ESCROW_ERR_SHARE_PARAMS);
	escrow_secret_free(sh);
}
END_TEST

/* 16 groups of 16, the default exponent, ext = 0 through the test hook */
START_TEST(test_slip39_limits_and_ext0)
{
	struct escrow_slip39_share *sh = escrow_secret_alloc(256 * sizeof *sh);
	struct escrow_slip39_split_opts o = { NULL, NULL, 0, 0x1234 };
	uint8_t *out = escrow_secret_alloc(32), secret[32], a[32], b[32];
	struct escrow_slip39_diag d;
	struct escrow_shareset l;
	size_t n, len, i, k = 0;
	struct escrow_slip39_share *pick = escrow_secret_alloc(64 * sizeof *pick);
	unsigned g;

	escrow_random(secret, sizeof secret);
	memset(&l, 0, sizeof l);
	l.group_threshold = 3;
	l.group_count = 16;
	l.iteration_exponent = ESCROW_SLIP39_DEFAULT_ITERATION_EXPONENT;
	for (g = 0; g < 16; g++) {
		l.groups[g].count = 16;
		l.groups[g].threshold = (uint8_t)(g + 1 == 1 ? 2 : g + 1);
	}
	ck_assert_int_eq(escrow_slip39_split_opts(secret, 32, "pass", &l, sh, 256, &n, &o), ESCROW_OK);
	ck_assert_uint_eq(n, 256);
	ck_assert_uint_eq(l.identifier, 0x1234);
	ck_assert_uint_eq(l.extendable, 0);
	ck_assert_uint_eq(sh[255].group_index, 15);
	ck_assert_uint_eq(sh[255].member_index, 15);
	ck_assert_uint_eq(sh[255].member_threshold, 16);
	ck_assert_uint_eq(sh[0].iteration_exponent, 1);
	/* groups 15, 0 and 3 (16 + 2 + 4 members), in reverse order */
	for (i = 0; i < 16; i++)
		pick[k++] = sh[15 * 16 + 15 - i];
	pick[k++] = sh[1];
	pick[k++] = sh[0];
	for (i = 0; i < 4; i++)
		pick[k++] = sh[3 * 16 + 12 - i];
	ck_assert_int_eq(escrow_slip39_combine_shares(pick, k, "pass", out, 32, &len, &d), ESCROW_OK);
	ck_assert_mem_eq(out, secret, 32);
	/* with ext = 0 the identifier salts the cipher; with ext = 1 it does not */
	ck_assert_int_eq(escrow_slip39_encrypt(secret, 32, "", 0, 1, 0, a), ESCROW_OK);
	ck_assert_int_eq(escrow_slip39_encrypt(secret, 32, "", 0, 2, 0, b), ESCROW_OK);
	ck_assert(memcmp(a, b, 32) != 0);
	ck_assert_int_eq(escrow_slip39_decrypt(a, 32, "", 0, 1, 0, b), ESCROW_OK);
	ck_assert_mem_eq(b, secret, 32);
	ck_assert_int_eq(escrow_slip39_encrypt(secret, 32, "", 0, 1, 1, a), ESCROW_OK);
	ck_assert_int_eq(escrow_slip39_encrypt(secret, 32, "", 0, 2, 1, b), ESCROW_OK);
	ck_assert_mem_eq(a, b, 32);
	escrow_secret_free(sh);
	escrow_secret_free(pick);
	escrow_secret_free(out);
}
END_TEST

/* the worked example of docs/FORMAT.md ("Worked example: shares") */
static const char *const example[3] = {
	"cleanup penalty academic acid armed glance froth vitamins senior romp often window sack lily review discuss photo cause flexible gesture ultimate include estimate fatal wavy flash starting critical isolate pleasure thank percent true",
	"cleanup penalty academic agency acquire focus election blue unkind hunting demand overall exclude election ancient rich script chubby fraction spirit destroy pacific ting unusual perfect vegan lungs force year solution diet intimate wisdom",
	"cleanup penalty academic always alto mixed glasses dining lobe story space freshman shaft sheriff shadow frost square coal frozen graduate wrote curious angry crowd facility obtain hairy petition inmate busy revenue numerous level",
};

START_TEST(test_slip39_format_doc_example)
{
	static const struct escrow_slip39_split_opts o = { NULL, NULL, 1, 0x1234 };
	uint8_t seed[32] = "escrow FORMAT-slip39 example", want[32], *out;
	struct escrow_slip39_share *sh = escrow_secret_alloc(3 * sizeof *sh);
	char *mn = escrow_secret_alloc(ESCROW_SLIP39_MNEMONIC_MAX);
	struct escrow_slip39_diag d;
	struct escrow_shareset l;
	const char *two[2];
	size_t i, n, len;

	out = escrow_secret_alloc(32);
	for (i = 0; i < 32; i++)
		want[i] = (uint8_t)i;
	for (i = 0; i < 3; i++) {
		two[0] = example[i];
		two[1] = example[(i + 1) % 3];
		ck_assert_int_eq(escrow_slip39_combine(two, 2, "", out, 32, &len, &d), ESCROW_OK);
		ck_assert_mem_eq(out, want, 32);
		ck_assert_int_eq(escrow_slip39_combine(two, 1, "", out, 32, &len, &d),
		    ESCROW_ERR_TOO_FEW_SHARES);
	}
	/* and it is what split makes from the same random stream */
	memset(&l, 0, sizeof l);
	l.group_threshold = l.group_count = 1;
	l.groups[0].threshold = 2;
	l.groups[0].count = 3;
	l.iteration_exponent = 1;
	escrow_random_set_test_seed(seed);
	ck_assert_int_eq(escrow_slip39_split_opts(want, 32, "", &l, sh, 3, &n, &o), ESCROW_OK);
	escrow_random_set_test_seed(NULL);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(escrow_slip39_share_encode(&sh[i], 0, mn,
		    ESCROW_SLIP39_MNEMONIC_MAX), ESCROW_OK);
		ck_assert_str_eq(mn, example[i]);
	}
	escrow_secret_free(sh);
	escrow_secret_free(mn);
	escrow_secret_free(out);
}
END_TEST

Suite *
check_slip39_suite(void)
{
	Suite *s = suite_create("slip39");
	TCase *tc = tcase_create("slip39");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_slip39_official_vectors);
	tcase_add_test(tc, test_slip39_wordlist_matches_file);
	tcase_add_test(tc, test_slip39_word_lookup_prefixes);
	tcase_add_test(tc, test_slip39_split_combine_properties);
	tcase_add_test(tc, test_slip39_too_many);
	tcase_add_test(tc, test_slip39_encode_decode_roundtrip);
	tcase_add_test(tc, test_slip39_checksum_locates_wrong_word);
	tcase_add_test(tc, test_slip39_flipped_word_names_share);
	tcase_add_test(tc, test_slip39_decode_rejects);
	tcase_add_test(tc, test_slip39_split_rejects);
	tcase_add_test(tc, test_slip39_limits_and_ext0);
	tcase_add_test(tc, test_slip39_format_doc_example);
	suite_add_tcase(s, tc);
	return s;
}
