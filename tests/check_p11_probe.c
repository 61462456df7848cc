/*
 * check_p11_probe.c - the probe and the pieces around it, against real
 * SoftHSMv2 (and NSS softoken, which certutil from libnss3-tools sets
 * up): a verdict per algorithm that leaves the token empty, a forced
 * strategy the token lacks named with its call and CKR_, login in steps
 * (a wrong PIN refused with the PIN flags, then the right one taken),
 * URIs with a space, C_Initialize arguments and the CKR_ARGUMENTS_BAD
 * hint, the DigestInfo fallback when the token does not list
 * CKM_SHA256_RSA_PKCS for signing (through the fault-injection module),
 * no wrapping key put into a token without an unwrap mechanism, the
 * attributes read back from a module that stops at the first one it
 * cannot give, and
 * extra usages (NSS) refused, retried by auto, or accepted.
 *
 * Test data only: PINs and keys here protect nothing.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_p11.h"
#include "escrow_keys.h"
#include "testutil.h"

Suite *check_p11_probe_suite(void);

static const int all_algs[] = { ESCROW_ALG_RSASHA256, ESCROW_ALG_RSASHA512,
	ESCROW_ALG_ECDSAP256SHA256, ESCROW_ALG_ECDSAP384SHA384,
	ESCROW_ALG_ED25519, ESCROW_ALG_ED448 };
#define NALGS (sizeof all_algs / sizeof all_algs[0])

START_TEST(test_p11_probe_every_algorithm_leaves_token_empty)
{
	static const char *const sign[NALGS] = { "CKM_SHA256_RSA_PKCS",
	    "CKM_SHA512_RSA_PKCS", "CKM_ECDSA", "CKM_ECDSA", "CKM_EDDSA",
	    "CKM_EDDSA" };
	struct escrow_p11_verdict v[NALGS];
	struct escrow_p11_error e;
	struct p11t_token t;
	struct escrow_p11 *p;
	char line[1024];
	size_t i;

	p11t_token(&t, "probe");
	p = p11t_open(&t);
	ck_assert_int_eq(escrow_p11_probe(p, all_algs, NALGS, NULL, v, &e),
	    ESCROW_OK);
	for (i = 0; i < NALGS; i++) {
		escrow_p11_verdict_text(&v[i], line, sizeof line);
		ck_assert_msg(v[i].ok, "%s", line);
		ck_assert_int_eq(v[i].algorithm, all_algs[i]);
		/* SoftHSM 2.6.1 unwraps RSA and ECDSA keys (0x210A), not EdDSA */
		if (i < 4) {
			ck_assert_int_eq(v[i].strategy, ESCROW_P11_UNWRAP);
			ck_assert_int_eq(v[i].plaintext_on_host, 0);
			ck_assert_str_eq(escrow_p11_mech_name(v[i].unwrap_mechanism),
			    "CKM_AES_KEY_WRAP_PAD");
			ck_assert_ptr_nonnull(strstr(line, "never in plaintext"));
			ck_assert_str_eq(v[i].why_create.detail, "");
		} else {
			ck_assert_int_eq(v[i].strategy, ESCROW_P11_CREATE);
			ck_assert_int_eq(v[i].plaintext_on_host, 1);
			ck_assert_ptr_nonnull(strstr(line, "IN PLAINTEXT ON THIS HOST"));
			/* and why: the token's unwrap of this key type failed */
			ck_assert_str_eq(v[i].why_create.function, "C_UnwrapKey");
			ck_assert_ptr_nonnull(strstr(line, "not unwrapped in the "
			    "token: C_UnwrapKey returned CKR_FUNCTION_FAILED"));
		}
		ck_assert_str_eq(escrow_p11_mech_name(v[i].sign_mechanism), sign[i]);
		ck_assert_ptr_nonnull(strstr(v[i].attributes, "SIGN=1 DECRYPT=0 "
		    "UNWRAP=0 DERIVE=0 SIGN_RECOVER=0"));
		ck_assert_ptr_nonnull(strstr(v[i].attributes, "SENSITIVE=1 "
		    "EXTRACTABLE=0 TOKEN=1 PRIVATE=1"));
		ck_assert_str_eq(v[i].extra_usages, "");
	}
	escrow_p11_close(p);
	ck_assert_uint_eq(p11t_count(&t), 0);
	p11t_token_done(&t);
}
END_TEST

START_TEST(test_p11_probe_forced_strategy_names_call_and_rv)
{
	struct escrow_p11_probe_opts o = { .strategy = ESCROW_P11_UNWRAP };
	int algs[2] = { ESCROW_ALG_ED25519, ESCROW_ALG_ECDSAP256SHA256 };
	struct escrow_p11_verdict v[2];
	struct escrow_p11_error e;
	struct p11t_token t;
	struct escrow_p11 *p;
	char line[1024];

	p11t_token(&t, "forced");
	p = p11t_open(&t);
	ck_assert_int_eq(escrow_p11_probe(p, algs, 2, &o, v, &e),
	    ESCROW_ERR_P11_MECHANISM);
	ck_assert_int_eq(v[0].ok, 0);
	ck_assert_str_eq(v[0].why.function, "C_UnwrapKey");
	ck_assert_str_eq(v[0].why.rv_name, "CKR_FUNCTION_FAILED");
	escrow_p11_verdict_text(&v[0], line, sizeof line);
	ck_assert_msg(strstr(line, "ED25519: CANNOT load (strategy unwrap): "
	    "C_UnwrapKey returned CKR_FUNCTION_FAILED") == line, "%s", line);
	ck_assert_int_eq(v[1].ok, 1); /* the other verdict is still made */
	escrow_p11_close(p);
	ck_assert_uint_eq(p11t_count(&t), 0);
	p11t_token_done(&t);
}
END_TEST

START_TEST(test_p11_login_in_steps_wrong_pin_then_right)
{
	struct escrow_p11 *p = NULL;
	struct escrow_p11_error e;
	struct escrow_p11_token_desc d[4];
	struct p11t_token t;
	char words[128];
	unsigned long f;
	size_t n;

	p11t_token(&t, "login");
	ck_assert_int_eq(escrow_p11_open_nologin(&p, P11T_MODULE, t.uri, NULL,
	    &e), ESCROW_OK);
	n = escrow_p11_tokens(p, d, 4);
	ck_assert_uint_ge(n, 1);
	ck_assert_str_eq(d[0].label, "login");
	ck_assert_int_eq(d[0].selected, 1);
	ck_assert_str_eq(d[0].manufacturer, "SoftHSM project");
	f = escrow_p11_token_flags(p);
	ck_assert(f & ESCROW_P11_TF_LOGIN_REQUIRED);
	ck_assert_int_eq(escrow_p11_login(p, "0000", 4, &e), ESCROW_ERR_P11_PIN);
	ck_assert_str_eq(e.function, "C_Login");
	ck_assert_str_eq(e.rv_name, "CKR_PIN_INCORRECT");
	ck_assert_ptr_nonnull(strstr(e.detail, "PIN state now:"));
	escrow_p11_pin_flags_text(ESCROW_P11_TF_PIN_COUNT_LOW |
	    ESCROW_P11_TF_PIN_FINAL_TRY, words, sizeof words);
	ck_assert_str_eq(words, "count low (a wrong PIN was given), FINAL TRY "
	    "(one more wrong PIN locks it)");
	escrow_p11_pin_flags_text(0, words, sizeof words);
	ck_assert_str_eq(words, "no warning flags");
	/* the session stays usable: the right PIN is taken */
	ck_assert_int_eq(escrow_p11_login(p, P11T_PIN, 4, &e), ESCROW_OK);
	ck_assert_int_eq(escrow_p11_login(p, P11T_PIN, 4, &e), ESCROW_OK);
	escrow_p11_close(p);
	p11t_token_done(&t);
}
END_TEST

START_TEST(test_p11_uri_with_space_refused_with_hint)
{
	struct escrow_p11 *p = NULL;
	struct escrow_p11_error e;

	ck_assert_int_eq(escrow_p11_open_nologin(&p, P11T_MODULE,
	    "pkcs11:token=KSK HSM", NULL, &e), ESCROW_ERR_P11_URI);
	ck_assert_ptr_null(p);
	ck_assert_ptr_nonnull(strstr(e.detail, "unescaped space at character 17"));
	ck_assert_ptr_nonnull(strstr(e.detail, "%20"));
	/* a module named twice, differently */
	ck_assert_int_eq(escrow_p11_open_nologin(&p, "softhsm2",
	    "pkcs11:token=x?module-path=/nonexistent.so", NULL, &e),
	    ESCROW_ERR_P11_URI);
	ck_assert_ptr_nonnull(strstr(e.detail, "module-path=/nonexistent.so"));
}
END_TEST

START_TEST(test_p11_init_args_reach_c_initialize)
{
	struct escrow_p11_open_opts o = { .init_args = "configdir='x'" };
	struct escrow_p11 *p = NULL;
	struct escrow_p11_error e;
	struct p11t_token t;

	p11t_token(&t, "initargs");
	/* SoftHSM requires pReserved == NULL (PKCS#11 2.40 5.4): it answers
	 * the arguments with CKR_ARGUMENTS_BAD, which proves they got there */
	ck_assert_int_eq(escrow_p11_open_nologin(&p, P11T_MODULE, t.uri, &o,
	    &e), ESCROW_ERR_P11_MODULE);
	ck_assert_str_eq(e.function, "C_Initialize");
	ck_assert_str_eq(e.rv_name, "CKR_ARGUMENTS_BAD");
	ck_assert_ptr_nonnull(strstr(e.detail, "with the arguments given"));
	ck_assert_ptr_nonnull(strstr(e.detail, "--module-init-args"));
	ck_assert_ptr_nonnull(strstr(e.detail, "x-init-reserved"));
	/* a registered module takes them from its .module file */
	ck_assert_int_eq(escrow_p11_open_nologin(&p, "softhsm2", t.uri, &o,
	    &e), ESCROW_ERR_P11_MODULE);
	ck_assert_ptr_nonnull(strstr(e.detail, "x-init-reserved"));
	/* without them the same module opens */
	ck_assert_int_eq(escrow_p11_open_nologin(&p, P11T_MODULE, t.uri, NULL,
	    &e), ESCROW_OK);
	escrow_p11_close(p);
	p11t_token_done(&t);
}
END_TEST

/* The fault-injection module next to check_all (the Makefile builds it
 * for check-run); a missing one fails the test rather than skip it. */
static const char *
fi_module(void)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX - 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash;

	ck_assert_int_gt(n, 0);
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	ck_assert_ptr_nonnull(slash);
	*slash = '\0';
	snprintf(path, sizeof path, "%s/fi/libescrow-fi.so", exe);
	ck_assert_msg(access(path, R_OK) == 0, "%s missing: build it with "
	    "`make check-run' (FI_MOD)", path);
	return path;
}

START_TEST(test_p11_rsa_digestinfo_when_sha_rsa_not_listed_for_sign)
{
	struct escrow_p11_load_opts o = { .strategy = ESCROW_P11_CREATE };
	static const uint8_t data[] = "DNSKEY RRset to be signed";
	struct escrow_p11_loaded got;
	struct escrow_p11_error e;
	struct escrow_p11 *p = NULL;
	struct p11t_token t;
	struct p11t_key tk;
	uint8_t sig[512];
	size_t siglen = 0;
	int alg;
	static const uint8_t kw[32] = { 7 };

	for (alg = ESCROW_ALG_RSASHA256; alg <= ESCROW_ALG_RSASHA512; alg += 2) {
		p11t_token(&t, "digestinfo");
		p11t_key_make(&tk, alg, 1, 1, kw);
		/* every C_GetMechanismInfo answers "no such mechanism", as
		 * openCryptoki's swtok does for CKM_SHA256_RSA_PKCS; the list
		 * still names CKM_RSA_PKCS */
		setenv("ESCROW_FI_FUNC", "C_GetMechanismInfo", 1);
		setenv("ESCROW_FI_ALSO", "C_GetMechanismInfo:1+", 1);
		setenv("ESCROW_FI_RV", "CKR_MECHANISM_INVALID", 1);
		ck_assert_int_eq(escrow_p11_open(&p, fi_module(), t.uri, P11T_PIN,
		    4, &e), ESCROW_OK);
		ck_assert_msg(escrow_p11_load(p, &tk.k, 1, &o, &got, &e) == 0,
		    "%s %s: %s", e.function, e.rv_name, e.detail);
		ck_assert_str_eq(escrow_p11_mech_name(got.sign_mechanism),
		    "CKM_RSA_PKCS");
		ck_assert_int_eq(escrow_p11_sign(p, got.private_handle, alg, data,
		    sizeof data, sig, sizeof sig, &siglen, &e), ESCROW_OK);
		/* the same signature as RSASSA-PKCS1-v1_5 with the hash inside */
		ck_assert_int_eq(escrow_keys_verify(tk.pub, alg, data, sizeof data,
		    sig, siglen), ESCROW_OK);
		sig[10] ^= 1;
		ck_assert_int_eq(escrow_keys_verify(tk.pub, alg, data, sizeof data,
		    sig, siglen), ESCROW_ERR_KEY_MISMATCH);
		escrow_p11_close(p);
		unsetenv("ESCROW_FI_FUNC");
		unsetenv("ESCROW_FI_ALSO");
		unsetenv("ESCROW_FI_RV");
		p11t_key_free(&tk);
		p11t_token_done(&t);
	}
}
END_TEST

START_TEST(test_p11_no_wrapping_key_without_unwrap_mechanism)
{
	struct escrow_p11_probe_opts o = { .strategy = ESCROW_P11_UNWRAP };
	int alg = ESCROW_ALG_ECDSAP256SHA256;
	struct escrow_p11_verdict v;
	struct escrow_p11_error e;
	struct escrow_p11 *p = NULL;
	struct p11t_token t;
	char log[300], *text = NULL;
	FILE *f;
	long len;

	p11t_token(&t, "nokwp");
	snprintf(log, sizeof log, "%s/fi.log", t.dir);
	/* the token answers every C_GetMechanismInfo with "no such
	 * mechanism": it has no unwrap mechanism with CKF_UNWRAP */
	setenv("ESCROW_FI_FUNC", "C_GetMechanismInfo", 1);
	setenv("ESCROW_FI_ALSO", "C_GetMechanismInfo:1+", 1);
	setenv("ESCROW_FI_RV", "CKR_MECHANISM_INVALID", 1);
	setenv("ESCROW_FI_LOG", log, 1);
	ck_assert_int_eq(escrow_p11_open(&p, fi_module(), t.uri, P11T_PIN, 4,
	    &e), ESCROW_OK);
	ck_assert_int_eq(escrow_p11_probe(p, &alg, 1, &o, &v, &e),
	    ESCROW_ERR_P11_MECHANISM);
	ck_assert_int_eq(v.ok, 0);
	ck_assert_msg(strstr(v.why.detail, "no wrapping key was put into it") !=
	    NULL, "%s", v.why.detail);
	escrow_p11_close(p);
	unsetenv("ESCROW_FI_FUNC");
	unsetenv("ESCROW_FI_ALSO");
	unsetenv("ESCROW_FI_RV");
	unsetenv("ESCROW_FI_LOG");
	f = fopen(log, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)len + 1);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	/* (call numbers run on when check_all does not fork: the module
	 * stays loaded) */
	ck_assert_msg(strstr(text, "C_GetMechanismInfo ") != NULL &&
	    strstr(text, " FAILED") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "C_CreateObject") == NULL, "an object was "
	    "created in a token without an unwrap mechanism:\n%s", text);
	free(text);
	p11t_token_done(&t);
}
END_TEST

/*
 * The attributes of a new key are read back in one C_GetAttributeValue.
 * A module that stops at the first attribute it cannot give (SoftHSM has
 * no CKA_WRAP or CKA_ENCRYPT on a private key) leaves the later ones, the
 * protection flags among them, untouched: those are asked for again one
 * by one, and the verdict is the same as from SoftHSM itself.
 */
START_TEST(test_p11_readback_module_that_stops_at_unavailable_attribute)
{
	int alg = ESCROW_ALG_RSASHA256;
	struct escrow_p11_verdict plain, stop;
	struct escrow_p11_error e;
	struct escrow_p11 *p = NULL;
	struct p11t_token t;
	char line[1024];
	int r;

	p11t_token(&t, "attrstop");
	p = p11t_open(&t);
	ck_assert_int_eq(escrow_p11_probe(p, &alg, 1, NULL, &plain, &e), ESCROW_OK);
	escrow_p11_close(p);
	ck_assert_msg(strstr(plain.attributes, "WRAP=n/a") != NULL &&
	    strstr(plain.attributes, "EXTRACTABLE=0") != NULL, "%s",
	    plain.attributes);

	setenv("ESCROW_FI_PROFILE", "attr-stop", 1);
	ck_assert_int_eq(escrow_p11_open(&p, fi_module(), t.uri, P11T_PIN, 4,
	    &e), ESCROW_OK);
	r = escrow_p11_probe(p, &alg, 1, NULL, &stop, &e);
	escrow_p11_verdict_text(&stop, line, sizeof line);
	ck_assert_msg(r == ESCROW_OK && stop.ok, "%s (%s)", line, e.detail);
	ck_assert_str_eq(stop.attributes, plain.attributes);
	escrow_p11_close(p);
	unsetenv("ESCROW_FI_PROFILE");
	p11t_token_done(&t);
}
END_TEST

/* ---- NSS softoken: extra usages ---------------------------------------- */

#define NSS_MODULE "/usr/lib/x86_64-linux-gnu/libsoftokn3.so"

struct nss_db {
	char dir[256];
	char args[512];
};

static void
nss_db(struct nss_db *n)
{
	char cmd[800];
	FILE *f;

	snprintf(n->dir, sizeof n->dir, "%s", tu_mkdtemp());
	snprintf(cmd, sizeof cmd, "%s/pw", n->dir);
	f = fopen(cmd, "w");
	ck_assert_ptr_nonnull(f);
	fputs(P11T_PIN "\n", f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "certutil -N -d 'sql:%s' -f '%s/pw' "
	    ">/dev/null 2>&1", n->dir, n->dir);
	ck_assert_int_eq(p11t_run(cmd, NULL), 0);
	snprintf(n->args, sizeof n->args, "configdir='sql:%s' certPrefix='' "
	    "keyPrefix='' secmod='secmod.db' flags=", n->dir);
}

static struct escrow_p11 *
nss_open(const struct nss_db *n)
{
	struct escrow_p11_open_opts o = { .init_args = n->args };
	struct escrow_p11 *p = NULL;
	struct escrow_p11_error e;
	int r;

	r = escrow_p11_open_nologin(&p, NSS_MODULE,
	    "pkcs11:token=NSS%20Certificate%20DB", &o, &e);
	ck_assert_msg(r == ESCROW_OK, "%s %s: %s", e.function, e.rv_name,
	    e.detail);
	ck_assert_int_eq(escrow_p11_login(p, P11T_PIN, 4, &e), ESCROW_OK);
	return p;
}

START_TEST(test_p11_nss_extra_usages_refused_retried_or_accepted)
{
	struct escrow_p11_probe_opts unwrap = { .strategy = ESCROW_P11_UNWRAP };
	struct escrow_p11_probe_opts accept = { .strategy = ESCROW_P11_UNWRAP,
	    .accept_usages = 1 };
	int algs[2] = { ESCROW_ALG_RSASHA256, ESCROW_ALG_ECDSAP256SHA256 };
	struct escrow_p11_verdict v[2];
	struct escrow_p11_error e;
	struct escrow_p11 *p;
	struct nss_db n;
	size_t i;

	nss_db(&n);
	p = nss_open(&n);
	/* forced unwrap: NSS adds usages; refused, each one named */
	ck_assert_int_eq(escrow_p11_probe(p, algs, 2, &unwrap, v, &e),
	    ESCROW_ERR_P11_ATTRIBUTE);
	ck_assert_int_eq(v[0].ok, 0);
	ck_assert_msg(strstr(v[0].why.detail, "more usages than asked: DECRYPT "
	    "UNWRAP SIGN_RECOVER true") != NULL, "%s", v[0].why.detail);
	/* EC unwrap works only with the vendor attribute CKA_NSS_DB */
	ck_assert_int_eq(v[1].ok, 0);
	ck_assert_msg(strstr(v[1].why.detail, "more usages than asked") != NULL,
	    "%s", v[1].why.detail);
	/* accepted: loaded, and the token's choice recorded */
	ck_assert_int_eq(escrow_p11_probe(p, algs, 2, &accept, v, &e), ESCROW_OK);
	ck_assert_str_eq(v[0].extra_usages, "DECRYPT UNWRAP SIGN_RECOVER");
	ck_assert_int_eq(v[0].strategy, ESCROW_P11_UNWRAP);
	ck_assert_uint_gt(strlen(v[1].extra_usages), 0);
	/* auto: unwrap refused, create gives the right flags */
	ck_assert_int_eq(escrow_p11_probe(p, algs, 2, NULL, v, &e), ESCROW_OK);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(v[i].strategy, ESCROW_P11_CREATE);
		ck_assert_str_eq(v[i].extra_usages, "");
		ck_assert_ptr_nonnull(strstr(v[i].attributes, "DECRYPT=0 UNWRAP=0"));
	}
	escrow_p11_close(p);
	tu_rmrf(n.dir);
}
END_TEST

Suite *
check_p11_probe_suite(void)
{
	Suite *s = suite_create("p11_probe");
	TCase *tc = tcase_create("probe");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_p11_probe_every_algorithm_leaves_token_empty);
	tcase_add_test(tc, test_p11_probe_forced_strategy_names_call_and_rv);
	tcase_add_test(tc, test_p11_login_in_steps_wrong_pin_then_right);
	tcase_add_test(tc, test_p11_uri_with_space_refused_with_hint);
	tcase_add_test(tc, test_p11_init_args_reach_c_initialize);
	tcase_add_test(tc, test_p11_rsa_digestinfo_when_sha_rsa_not_listed_for_sign);
	tcase_add_test(tc, test_p11_no_wrapping_key_without_unwrap_mechanism);
	tcase_add_test(tc, test_p11_readback_module_that_stops_at_unavailable_attribute);
	/* NSS softoken comes with libnss3 + certutil (libnss3-tools, in
	 * DEB_PACKAGES): not registered, rather than counted, without them */
	if (access(NSS_MODULE, R_OK) == 0 && access("/usr/bin/certutil", X_OK) == 0)
		tcase_add_test(tc, test_p11_nss_extra_usages_refused_retried_or_accepted);
	suite_add_tcase(s, tc);
	return s;
}
