/*
 * check_shamir.c - Shamir over GF(2^8): the draft-mcgrew-tss known answer,
 * the Botan RTSS generation vectors (shares computed from their RNG bytes,
 * then interpolated back), and SLIP-0039 SplitSecret/RecoverSecret with the
 * digest at x = 254.  Test data only.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#include "escrow.h"
#include "slip39_gf256.h"
#include "slip39_shamir.h"
#include "testutil.h"

Suite *check_shamir_suite(void);

static uint8_t
hexbyte(struct json_object *o, const char *key)
{
	struct json_object *v;
	uint8_t b[1];

	ck_assert(json_object_object_get_ex(o, key, &v));
	ck_assert_int_eq(tu_unhex(json_object_get_string(v), b, 1), 1);
	return b[0];
}

START_TEST(test_shamir_mcgrew_kat)
{
	struct json_object *j = tu_load_json(tu_vector_path("shamir-gf256/kat.json"));
	struct json_object *k, *v, *shares;
	uint8_t secret[16], y[2][16], out[16], xs[2];
	const uint8_t *ys[2] = { y[0], y[1] };
	long len = 0;
	size_t i;

	ck_assert(json_object_object_get_ex(j, "mcgrew_tss_03_section9", &k));
	ck_assert(json_object_object_get_ex(k, "secret", &v));
	len = tu_unhex(json_object_get_string(v), secret, sizeof secret);
	ck_assert_int_eq(len, 5);
	ck_assert(json_object_object_get_ex(k, "shares", &shares));
	ck_assert_uint_eq(json_object_array_length(shares), 2);
	for (i = 0; i < 2; i++) {
		struct json_object *s = json_object_array_get_idx(shares, i), *f;

		ck_assert(json_object_object_get_ex(s, "index", &f));
		xs[i] = (uint8_t)json_object_get_int(f);
		ck_assert(json_object_object_get_ex(s, "share", &f));
		ck_assert_int_eq(tu_unhex(json_object_get_string(f), y[i], 16), len);
	}
	ck_assert_int_eq(escrow_shamir_interpolate(0, xs, ys, 2, (size_t)len, out), ESCROW_OK);
	ck_assert_mem_eq(out, secret, (size_t)len);
	ck_assert_mem_eq(out, "test", 5);
	/* and through the points themselves */
	ck_assert_int_eq(escrow_shamir_interpolate(2, xs, ys, 2, (size_t)len, out), ESCROW_OK);
	ck_assert_mem_eq(out, y[1], (size_t)len);
	(void)hexbyte;
	json_object_put(j);
}
END_TEST

/* ---- Botan RTSS generation vectors ---- */

struct botan {
	uint8_t input[64], rng[512], shares[32][128];
	size_t input_len, rng_len, share_len[32];
	int m, n, nshares;
	char hash[16];
};

static char *
value_of(char *line, const char *key)
{
	size_t k = strlen(key);

	if (strncmp(line, key, k) != 0 || strncmp(line + k, " = ", 3) != 0)
		return NULL;
	line[strcspn(line, "\r\n")] = '\0';
	return line + k + 3;
}

static void
botan_check(const struct botan *b)
{
	uint8_t secret[128], hashed[SHA256_DIGEST_LENGTH];
	uint8_t y[32][128], xs[32], out[128];
	const uint8_t *ys[32];
	size_t slen = b->input_len, k, used = 0;
	int x, i;

	memcpy(secret, b->input, b->input_len);
	if (strcmp(b->hash, "SHA-256") == 0) {
		SHA256(b->input, b->input_len, hashed);
		memcpy(secret + slen, hashed, SHA256_DIGEST_LENGTH);
		slen += SHA256_DIGEST_LENGTH;
	} else if (strcmp(b->hash, "SHA-1") == 0) {
		SHA1(b->input, b->input_len, hashed);
		memcpy(secret + slen, hashed, SHA_DIGEST_LENGTH);
		slen += SHA_DIGEST_LENGTH;
	} else
		ck_assert_str_eq(b->hash, "None");
	ck_assert_int_eq(b->nshares, b->n);
	/* f_k(x) = s_k + A1 x + ... + A_{M-1} x^{M-1}, A from the RNG bytes */
	for (x = 1; x <= b->n; x++)
		for (k = 0; k < slen; k++) {
			const uint8_t *a = b->rng + k * (size_t)(b->m - 1);
			uint8_t acc = 0;

			for (i = b->m - 2; i >= 0; i--)
				acc = escrow_gf256_mul(acc, (uint8_t)x) ^ a[i];
			y[x - 1][k] = escrow_gf256_mul(acc, (uint8_t)x) ^ secret[k];
		}
	used = slen * (size_t)(b->m - 1);
	ck_assert_uint_le(used, b->rng_len);
	for (x = 1; x <= b->n; x++) {
		const uint8_t *sh = b->shares[x - 1];

		ck_assert_uint_eq(b->share_len[x - 1], 20 + 1 + slen);
		ck_assert_uint_eq(sh[17], b->m);
		ck_assert_uint_eq(sh[20], x);
		ck_assert_mem_eq(sh + 21, y[x - 1], slen);
	}
	/* back again: any M of the shares give the secret at x = 0 */
	for (i = 0; i < b->m; i++) {
		xs[i] = (uint8_t)(b->n - i);
		ys[i] = b->shares[b->n - i - 1] + 21;
	}
	ck_assert_int_eq(escrow_shamir_interpolate(0, xs, ys, (size_t)b->m, slen, out), ESCROW_OK);
	ck_assert_mem_eq(out, secret, slen);
}

START_TEST(test_shamir_botan_generation)
{
	FILE *f = fopen(tu_vector_path("shamir-gf256/botan_tss_generation.vec"), "r");
	char line[4096], *v;
	struct botan *b = calloc(1, sizeof *b);
	int checked = 0;

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(b);
	while (fgets(line, sizeof line, f) != NULL) {
		if ((v = value_of(line, "Input")) != NULL) {
			memset(b, 0, sizeof *b);
			b->input_len = (size_t)tu_unhex(v, b->input, sizeof b->input);
		} else if ((v = value_of(line, "M")) != NULL)
			b->m = (int)strtol(v, NULL, 10);
		else if ((v = value_of(line, "N")) != NULL)
			b->n = (int)strtol(v, NULL, 10);
		else if ((v = value_of(line, "Hash")) != NULL)
			snprintf(b->hash, sizeof b->hash, "%s", v);
		else if ((v = value_of(line, "RNG")) != NULL) {
			long r = tu_unhex(v, b->rng, sizeof b->rng);

			ck_assert_int_gt(r, 0);
			b->rng_len = (size_t)r;
		} else if ((v = value_of(line, "Shares")) != NULL) {
			char *tok = v, *comma;

			while (tok != NULL && b->nshares < 32) {
				long r;

				comma = strchr(tok, ',');
				if (comma != NULL)
					*comma = '\0';
				r = tu_unhex(tok, b->shares[b->nshares], 128);
				ck_assert_int_gt(r, 0);
				b->share_len[b->nshares++] = (size_t)r;
				tok = comma != NULL ? comma + 1 : NULL;
			}
			botan_check(b);
			checked++;
		}
	}
	fclose(f);
	free(b);
	ck_assert_int_eq(checked, 6);
}
END_TEST

/* ---- SLIP-0039 SplitSecret / RecoverSecret ---- */

static void
pick(unsigned n, unsigned t, uint8_t *idx)
{
	uint8_t all[16];
	unsigned i;

	for (i = 0; i < n; i++)
		all[i] = (uint8_t)i;
	for (i = 0; i < t; i++) { /* partial Fisher-Yates */
		uint8_t r;
		unsigned j, tmp;

		escrow_random(&r, 1);
		j = i + r % (n - i);
		tmp = all[i];
		all[i] = all[j];
		all[j] = (uint8_t)tmp;
		idx[i] = all[i];
	}
}

START_TEST(test_shamir_split_recover_any_subset)
{
	uint8_t secret[32], shares[16 * 32], out[32], xs[16], idx[16];
	const uint8_t *ys[16];
	unsigned round;

	for (round = 0; round < 60; round++) {
		uint8_t r[3];
		unsigned n, t, i;
		size_t len;

		escrow_random(r, sizeof r);
		n = 1 + r[0] % 16;
		t = 1 + r[1] % n;
		len = 16 + 2 * (r[2] % 9);
		escrow_random(secret, len);
		ck_assert_int_eq(escrow_shamir_split(t, n, secret, len, shares,
		    escrow_shamir_rng_default, NULL), ESCROW_OK);
		pick(n, t, idx);
		for (i = 0; i < t; i++) {
			xs[i] = idx[i];
			ys[i] = shares + (size_t)idx[i] * len;
		}
		ck_assert_int_eq(escrow_shamir_recover(t, xs, ys, t, len, out), ESCROW_OK);
		ck_assert_mem_eq(out, secret, len);
		if (t >= 2) {
			/* t - 1 shares do not determine it; a changed share is caught */
			uint8_t bad[32];

			memcpy(bad, ys[0], len);
			bad[r[2] % len] ^= (uint8_t)(1u << (r[0] % 8));
			ys[0] = bad;
			ck_assert_int_eq(escrow_shamir_recover(t, xs, ys, t, len, out),
			    ESCROW_ERR_DIGEST);
			for (i = 0; i < len; i++)
				ck_assert_uint_eq(out[i], 0);
		}
	}
}
END_TEST

START_TEST(test_shamir_threshold_one_and_args)
{
	uint8_t secret[16] = "0123456789abcdef", shares[3 * 16], out[16];
	uint8_t xs[2] = { 1, 1 };
	const uint8_t *ys[2] = { shares, shares + 16 };

	ck_assert_int_eq(escrow_shamir_split(1, 3, secret, 16, shares,
	    escrow_shamir_rng_default, NULL), ESCROW_OK);
	ck_assert_mem_eq(shares, secret, 16);
	ck_assert_mem_eq(shares + 32, secret, 16);
	ck_assert_int_eq(escrow_shamir_split(0, 3, secret, 16, shares,
	    escrow_shamir_rng_default, NULL), ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_shamir_split(4, 3, secret, 16, shares,
	    escrow_shamir_rng_default, NULL), ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_shamir_split(2, 17, secret, 16, shares,
	    escrow_shamir_rng_default, NULL), ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_shamir_split(2, 3, secret, 15, shares,
	    escrow_shamir_rng_default, NULL), ESCROW_ERR_INVALID_ARG);
	/* duplicate x coordinates cannot be interpolated */
	ck_assert_int_eq(escrow_shamir_interpolate(0, xs, ys, 2, 16, out),
	    ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_shamir_recover(2, xs, ys, 1, 16, out),
	    ESCROW_ERR_INVALID_ARG);
}
END_TEST

Suite *
check_shamir_suite(void)
{
	Suite *s = suite_create("shamir");
	TCase *tc = tcase_create("shamir");

	tcase_add_test(tc, test_shamir_mcgrew_kat);
	tcase_add_test(tc, test_shamir_botan_generation);
	tcase_add_test(tc, test_shamir_split_recover_any_subset);
	tcase_add_test(tc, test_shamir_threshold_one_and_args);
	suite_add_tcase(s, tc);
	return s;
}
