/*
 * check_p11_fail.c - PKCS#11 failures against real SoftHSM: each must
 * return the right code, name the PKCS#11 function and CKR_ code where
 * one failed, and leave the token exactly as it was (objects counted
 * before and after, in a fresh session).
 *
 * Test data only: PINs, K_wrap values and keys here protect nothing.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_p11.h"

Suite *check_p11_fail_suite(void);

static const uint8_t kw1[32] = { 0x4b, 0x57, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
static const uint8_t kw2[32] = { 0x4b, 0x57, 9, 9, 9 };

START_TEST(test_p11_wrong_pin)
{
	struct escrow_p11 *p = NULL;
	struct escrow_p11_error e;
	struct p11t_token t;

	p11t_token(&t, "pin");
	ck_assert_int_eq(escrow_p11_open(&p, P11T_MODULE, t.uri, "9999", 4, &e),
	    ESCROW_ERR_P11_PIN);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(e.function, "C_Login");
	ck_assert_str_eq(e.rv_name, "CKR_PIN_INCORRECT");
	ck_assert_int_eq(escrow_p11_open(&p, P11T_MODULE, t.uri, NULL, 0, &e),
	    ESCROW_ERR_P11_PIN);
	ck_assert_uint_eq(p11t_count(&t), 0);
	p11t_token_done(&t);
}
END_TEST

START_TEST(test_p11_unknown_token_lists_tokens)
{
	struct escrow_p11 *p = NULL;
	struct escrow_p11_error e;
	struct p11t_token t;

	p11t_token(&t, "present");
	ck_assert_int_eq(escrow_p11_open(&p, P11T_MODULE, "pkcs11:token=absent",
	    P11T_PIN, 4, &e), ESCROW_ERR_P11_TOKEN);
	ck_assert_ptr_null(p);
	ck_assert_msg(strstr(e.detail, "`present'") != NULL, "%s", e.detail);
	ck_assert_int_eq(escrow_p11_open(&p, P11T_MODULE,
	    "pkcs11:token=present;serial=0000", P11T_PIN, 4, &e),
	    ESCROW_ERR_P11_TOKEN);
	p11t_token_done(&t);
}
END_TEST

START_TEST(test_p11_invalid_uri_and_module)
{
	static const char *bad[] = { "http://example.com/", "pkcs11:token=%zz",
	    "pkcs11:tokn=x", "" };
	struct escrow_p11 *p = NULL;
	struct escrow_p11_error e;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(escrow_p11_open(&p, P11T_MODULE, bad[i], P11T_PIN, 4,
		    &e) == ESCROW_ERR_P11_URI, "accepted `%s'", bad[i]);
		ck_assert_ptr_null(p);
	}
	ck_assert_int_eq(escrow_p11_open(&p, "/nonexistent/libnone.so",
	    "pkcs11:", P11T_PIN, 4, &e), ESCROW_ERR_P11_MODULE);
	ck_assert_int_eq(escrow_p11_open(&p, "no-such-module", "pkcs11:",
	    P11T_PIN, 4, &e), ESCROW_ERR_P11_MODULE);
	ck_assert_int_eq(escrow_p11_open(&p, NULL, "pkcs11:", P11T_PIN, 4, &e),
	    ESCROW_ERR_P11_MODULE);
}
END_TEST

/* Load one key that must fail with `want'; nothing may stay behind. */
static void
load_must_fail(struct p11t_key *tk, enum escrow_p11_strategy s, int want,
    const char *want_fn, size_t before_extra)
{
	struct escrow_p11_load_opts opts = { .strategy = s };
	struct escrow_p11_error e;
	struct p11t_token t;
	struct escrow_p11 *p;
	int r;

	p11t_token(&t, "fail");
	if (before_extra > 0) {
		struct p11t_key other;

		p11t_key_make(&other, 13, 1, 200, kw1);
		p = p11t_open(&t);
		ck_assert_int_eq(escrow_p11_load(p, &other.k, 1, NULL, NULL, &e), 0);
		escrow_p11_close(p);
		p11t_key_free(&other);
	}
	ck_assert_uint_eq(p11t_count(&t), before_extra);
	p = p11t_open(&t);
	r = escrow_p11_load(p, &tk->k, 1, &opts, NULL, &e);
	ck_assert_msg(r == want, "got %s (%s %s: %s), want %s",
	    escrow_strerror(r), e.function, e.rv_name, e.detail,
	    escrow_strerror(want));
	if (want_fn != NULL)
		ck_assert_str_eq(e.function, want_fn);
	ck_assert_int_ne(e.detail[0], '\0');
	escrow_p11_close(p);
	ck_assert_uint_eq(p11t_count(&t), before_extra);
	p11t_token_done(&t);
}

START_TEST(test_p11_forced_unwrap_ed25519_refused)
{
	struct p11t_key tk;

	p11t_key_make(&tk, 15, 1, 1, kw1);
	load_must_fail(&tk, ESCROW_P11_UNWRAP, ESCROW_ERR_P11_MECHANISM,
	    "C_UnwrapKey", 0);
	load_must_fail(&tk, ESCROW_P11_TRANSPORT, ESCROW_ERR_P11_MECHANISM,
	    "C_UnwrapKey", 0);
	p11t_key_free(&tk);
	p11t_key_make(&tk, 16, 1, 1, kw1);
	load_must_fail(&tk, ESCROW_P11_UNWRAP, ESCROW_ERR_P11_MECHANISM,
	    "C_UnwrapKey", 0);
	/* auto without the plaintext key has nothing to fall back to */
	tk.k.private_key = NULL;
	load_must_fail(&tk, ESCROW_P11_AUTO, ESCROW_ERR_P11_MECHANISM, NULL, 0);
	p11t_key_free(&tk);
}
END_TEST

START_TEST(test_p11_tampered_blob)
{
	struct p11t_key tk;

	p11t_key_make(&tk, 8, 2, 1, kw1);
	tk.wrapped[tk.k.wrapped_len / 2] ^= 0x01;
	load_must_fail(&tk, ESCROW_P11_AUTO, ESCROW_ERR_UNWRAP, "C_UnwrapKey",
	    0);
	load_must_fail(&tk, ESCROW_P11_TRANSPORT, ESCROW_ERR_UNWRAP,
	    "C_UnwrapKey", 1 * 2);
	p11t_key_free(&tk);
}
END_TEST

START_TEST(test_p11_wrong_kwrap)
{
	struct p11t_key tk;

	p11t_key_make(&tk, 13, 1, 1, kw1);
	memcpy(tk.kwrap, kw2, 32);
	load_must_fail(&tk, ESCROW_P11_UNWRAP, ESCROW_ERR_UNWRAP, "C_UnwrapKey",
	    0);
	p11t_key_free(&tk);
}
END_TEST

START_TEST(test_p11_public_key_mismatch)
{
	struct p11t_key tk;
	EVP_PKEY *other;

	for (int alg = 8; alg <= 16; alg++) {
		if (alg == 9 || alg == 11 || alg == 12)
			continue;
		p11t_key_make(&tk, alg, 1, 1, kw1);
		other = p11t_keygen(alg, 3);
		EVP_PKEY_free(tk.pub);
		tk.pub = p11t_public(other);
		tk.k.public_key = tk.pub;
		EVP_PKEY_free(other);
		load_must_fail(&tk, ESCROW_P11_AUTO, ESCROW_ERR_P11_VERIFY, NULL,
		    alg == 8 ? 2 : 0);
		if (alg == 8)
			load_must_fail(&tk, ESCROW_P11_CREATE,
			    ESCROW_ERR_P11_VERIFY, NULL, 0);
		p11t_key_free(&tk);
	}
}
END_TEST

START_TEST(test_p11_existing_id_refused)
{
	struct escrow_p11_error e;
	struct p11t_token t;
	struct p11t_key a, b;
	struct escrow_p11 *p;

	p11t_token(&t, "exists");
	p11t_key_make(&a, 13, 1, 5, kw1);
	p11t_key_make(&b, 14, 1, 5, kw1);
	p = p11t_open(&t);
	ck_assert_int_eq(escrow_p11_load(p, &a.k, 1, NULL, NULL, &e), 0);
	ck_assert_int_eq(escrow_p11_load(p, &b.k, 1, NULL, NULL, &e),
	    ESCROW_ERR_P11_OBJECT_EXISTS);
	ck_assert_msg(strstr(e.detail, "a0a0") != NULL, "%s", e.detail);
	/* the same id twice in one set */
	{
		struct escrow_p11_key two[2] = { b.k, b.k };

		ck_assert_int_eq(escrow_p11_load(p, two, 2, NULL, NULL, &e),
		    ESCROW_ERR_INVALID_ARG);
	}
	escrow_p11_close(p);
	ck_assert_uint_eq(p11t_count(&t), 2);
	p11t_key_free(&a);
	p11t_key_free(&b);
	p11t_token_done(&t);
}
END_TEST

START_TEST(test_p11_bad_inputs)
{
	struct escrow_p11_error e;
	struct p11t_token t;
	struct p11t_key tk;
	struct escrow_p11 *p;

	p11t_token(&t, "inputs");
	p11t_key_make(&tk, 13, 1, 1, kw1);
	p = p11t_open(&t);
	tk.k.algorithm = 14; /* a P-256 key called P-384 */
	ck_assert_int_eq(escrow_p11_load(p, &tk.k, 1, NULL, NULL, &e),
	    ESCROW_ERR_ALGORITHM);
	tk.k.algorithm = 7;
	ck_assert_int_eq(escrow_p11_load(p, &tk.k, 1, NULL, NULL, &e),
	    ESCROW_ERR_ALGORITHM);
	tk.k.algorithm = 13;
	tk.k.id_len = 0;
	ck_assert_int_eq(escrow_p11_load(p, &tk.k, 1, NULL, NULL, &e),
	    ESCROW_ERR_INVALID_ARG);
	tk.k.id_len = sizeof tk.id;
	tk.k.private_key = NULL;
	{
		struct escrow_p11_load_opts o = { .strategy = ESCROW_P11_CREATE };

		ck_assert_int_eq(escrow_p11_load(p, &tk.k, 1, &o, NULL, &e),
		    ESCROW_ERR_INVALID_ARG);
	}
	ck_assert_int_eq(escrow_p11_sign(p, 1, 99, (const uint8_t *)"x", 1,
	    (uint8_t *)e.detail, 64, &(size_t){ 0 }, &e), ESCROW_ERR_ALGORITHM);
	escrow_p11_close(p);
	ck_assert_uint_eq(p11t_count(&t), 0);
	p11t_key_free(&tk);
	p11t_token_done(&t);
}
END_TEST

Suite *
check_p11_fail_suite(void)
{
	Suite *s = suite_create("p11_fail");
	TCase *tc = tcase_create("fail");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_p11_wrong_pin);
	tcase_add_test(tc, test_p11_unknown_token_lists_tokens);
	tcase_add_test(tc, test_p11_invalid_uri_and_module);
	tcase_add_test(tc, test_p11_forced_unwrap_ed25519_refused);
	tcase_add_test(tc, test_p11_tampered_blob);
	tcase_add_test(tc, test_p11_wrong_kwrap);
	tcase_add_test(tc, test_p11_public_key_mismatch);
	tcase_add_test(tc, test_p11_existing_id_refused);
	tcase_add_test(tc, test_p11_bad_inputs);
	suite_add_tcase(s, tc);
	return s;
}
