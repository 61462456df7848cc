/*
 * check_p11.c - PKCS#11 loading against a real SoftHSMv2 token: every
 * DNSSEC algorithm with every strategy SoftHSM supports for it, the
 * choice `auto' makes, the attributes read back (by the library and by
 * pkcs11-tool), signing, lookup by URI.  Also the helpers that the other
 * check_p11_*.c suites share (check_p11.h).
 *
 * Test data only: PINs, K_wrap values and keys here protect nothing.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "check_p11.h"
#include "testutil.h"

Suite *check_p11_suite(void);

/* ---- helpers (check_p11.h) --------------------------------------------- */

int
p11t_run(const char *cmd, char **out)
{
	FILE *f = popen(cmd, "r");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;
	int st;

	ck_assert_msg(f != NULL, "popen %s", cmd);
	do {
		if (n + 4097 > cap) {
			cap = (n + 4097) * 2;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		got = fread(buf + n, 1, 4096, f);
		n += got;
	} while (got > 0);
	buf[n] = '\0';
	st = pclose(f);
	if (out != NULL)
		*out = buf;
	else
		free(buf);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void
p11t_token(struct p11t_token *t, const char *label)
{
	char path[300], cmd[512];
	FILE *f;

	/*
	 * SoftHSM rewrites object files in place (truncate, write), which
	 * ext4 flushes on close: 0.2 s per key here.  A tmpfs token is the
	 * same SoftHSM code path and keeps `make check' fast; P11T_TMPDIR
	 * overrides.
	 */
	const char *base = getenv("P11T_TMPDIR");

	if (base == NULL && access("/dev/shm", W_OK) == 0)
		base = "/dev/shm";
	if (base != NULL) {
		snprintf(t->dir, sizeof t->dir, "%s/escrow-p11-XXXXXX", base);
		ck_assert_msg(mkdtemp(t->dir) != NULL, "mkdtemp %s", t->dir);
	} else {
		snprintf(t->dir, sizeof t->dir, "%s", tu_mkdtemp());
	}
	snprintf(t->label, sizeof t->label, "%s", label);
	snprintf(t->uri, sizeof t->uri, "pkcs11:token=%s", label);
	snprintf(path, sizeof path, "%s/tokens", t->dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/softhsm2.conf", t->dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "directories.tokendir = %s/tokens\nobjectstore.backend = "
	    "file\nlog.level = ERROR\n", t->dir);
	fclose(f);
	ck_assert_int_eq(setenv("SOFTHSM2_CONF", path, 1), 0);
	snprintf(cmd, sizeof cmd, "softhsm2-util --init-token --free --label "
	    "'%s' --pin " P11T_PIN " --so-pin 12345678 >/dev/null 2>&1", label);
	ck_assert_int_eq(p11t_run(cmd, NULL), 0);
}

void
p11t_token_done(struct p11t_token *t)
{
	tu_rmrf(t->dir);
}

struct escrow_p11 *
p11t_open(const struct p11t_token *t)
{
	struct escrow_p11 *p = NULL;
	struct escrow_p11_error e;
	int r = escrow_p11_open(&p, P11T_MODULE, t->uri, P11T_PIN, 4, &e);

	ck_assert_msg(r == ESCROW_OK, "open: %s: %s %s: %s", escrow_strerror(r),
	    e.function, e.rv_name, e.detail);
	return p;
}

size_t
p11t_count(const struct p11t_token *t)
{
	struct escrow_p11 *p = p11t_open(t);
	struct escrow_p11_object_info info[4];
	size_t n = 0;

	ck_assert_int_eq(escrow_p11_list(p, NULL, 0, info, 4, &n, NULL), 0);
	escrow_p11_close(p);
	return n;
}

EVP_PKEY *
p11t_keygen(int algorithm, int rsa_index)
{
	EVP_PKEY *k = NULL;
	char name[32];
	FILE *f;

	switch (algorithm) {
	case 8:
	case 10:
		snprintf(name, sizeof name, "p11/rsa2048-%d.pem", rsa_index);
		f = fopen(tu_vector_path(name), "r");
		ck_assert_ptr_nonnull(f);
		k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
		fclose(f);
		break;
	case 13: k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"); break;
	case 14: k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384"); break;
	case 15: k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"); break;
	case 16: k = EVP_PKEY_Q_keygen(NULL, NULL, "ED448"); break;
	default: break;
	}
	ck_assert_ptr_nonnull(k);
	return k;
}

EVP_PKEY *
p11t_public(EVP_PKEY *priv)
{
	unsigned char *der = NULL;
	const unsigned char *q;
	EVP_PKEY *pub;
	int len = i2d_PUBKEY(priv, &der);

	ck_assert_int_gt(len, 0);
	q = der;
	pub = d2i_PUBKEY(NULL, &q, len);
	ck_assert_ptr_nonnull(pub);
	OPENSSL_free(der);
	return pub;
}

void
p11t_key_make(struct p11t_key *tk, int algorithm, int rsa_index,
    uint8_t id_byte, const uint8_t kwrap[32])
{
	PKCS8_PRIV_KEY_INFO *p8;
	EVP_CIPHER_CTX *c;
	uint8_t *der = NULL;
	int derlen, l1 = 0, l2 = 0;

	memset(tk, 0, sizeof *tk);
	tk->priv = p11t_keygen(algorithm, rsa_index);
	tk->pub = p11t_public(tk->priv);
	memset(tk->id, 0xa0, sizeof tk->id);
	tk->id[sizeof tk->id - 1] = id_byte;
	snprintf(tk->label, sizeof tk->label, "escrow test %u", id_byte);
	memcpy(tk->kwrap, kwrap, 32);
	p8 = EVP_PKEY2PKCS8(tk->priv);
	ck_assert_ptr_nonnull(p8);
	derlen = i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
	ck_assert_int_gt(derlen, 0);
	c = EVP_CIPHER_CTX_new();
	ck_assert_ptr_nonnull(c);
	EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
	ck_assert_int_eq(EVP_EncryptInit_ex(c, EVP_aes_256_wrap_pad(), NULL,
	    kwrap, NULL), 1);
	ck_assert_int_le(derlen + 16, (int)sizeof tk->wrapped);
	ck_assert_int_eq(EVP_EncryptUpdate(c, tk->wrapped, &l1, der, derlen), 1);
	ck_assert_int_eq(EVP_EncryptFinal_ex(c, tk->wrapped + l1, &l2), 1);
	EVP_CIPHER_CTX_free(c);
	OPENSSL_clear_free(der, (size_t)derlen);
	PKCS8_PRIV_KEY_INFO_free(p8);
	tk->k.algorithm = algorithm;
	tk->k.label = tk->label;
	tk->k.id = tk->id;
	tk->k.id_len = sizeof tk->id;
	tk->k.public_key = tk->pub;
	tk->k.wrapped = tk->wrapped;
	tk->k.wrapped_len = (size_t)(l1 + l2);
	tk->k.kwrap = tk->kwrap;
	tk->k.private_key = tk->priv;
}

void
p11t_key_free(struct p11t_key *tk)
{
	EVP_PKEY_free(tk->priv);
	EVP_PKEY_free(tk->pub);
	memset(tk, 0, sizeof *tk);
}

/* ---- tests ------------------------------------------------------------- */

static const uint8_t kw1[32] = { 0x4b, 0x57, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

START_TEST(test_p11_rv_names)
{
	ck_assert_str_eq(escrow_p11_rv_name(0x70), "CKR_MECHANISM_INVALID");
	ck_assert_str_eq(escrow_p11_rv_name(0xa0), "CKR_PIN_INCORRECT");
	ck_assert_str_eq(escrow_p11_rv_name(0), "CKR_OK");
	ck_assert_str_eq(escrow_p11_rv_name(0x80000171UL),
	    "CKR_VENDOR_DEFINED+0x171");
	ck_assert_str_eq(escrow_p11_rv_name(0x7777), "CKR_0x7777");
	ck_assert_int_eq(escrow_p11_strategy_parse("transport"),
	    ESCROW_P11_TRANSPORT);
	ck_assert_int_eq(escrow_p11_strategy_parse("bogus"), -1);
	ck_assert_str_eq(escrow_p11_class_name(3), "private key");
}
END_TEST

/* The known answer the library trusts a mechanism by is RFC 5649's own
 * example; check it against OpenSSL so a typo cannot pass unnoticed. */
START_TEST(test_p11_kat_vector_is_rfc5649)
{
	uint8_t kek[24], key[20], want[32], out[48];
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int l1 = 0, l2 = 0;

	ck_assert_int_eq(tu_unhex("5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8",
	    kek, sizeof kek), 24);
	ck_assert_int_eq(tu_unhex("c37b7e6492584340bed122078089411550"
	    "68f738", key, sizeof key), 20);
	ck_assert_int_eq(tu_unhex("138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1"
	    "ae6a5f54f373fa543b6a", want, sizeof want), 32);
	EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
	ck_assert_int_eq(EVP_EncryptInit_ex(c, EVP_aes_192_wrap_pad(), NULL,
	    kek, NULL), 1);
	ck_assert_int_eq(EVP_EncryptUpdate(c, out, &l1, key, 20), 1);
	ck_assert_int_eq(EVP_EncryptFinal_ex(c, out + l1, &l2), 1);
	ck_assert_int_eq(l1 + l2, 32);
	ck_assert_mem_eq(out, want, 32);
	EVP_CIPHER_CTX_free(c);
}
END_TEST

struct alg_case {
	int algorithm;
	enum escrow_p11_strategy forced, expect;
	unsigned long mech; /* unwrap mechanism expected, 0 for create */
};

/* What SoftHSM 2.6.1 does: unwrap (0x210A) for RSA and ECDSA; Ed25519
 * and Ed448 fail its unwrap, so `auto' falls back to create. */
static const struct alg_case alg_cases[] = {
	{ 8, ESCROW_P11_AUTO, ESCROW_P11_UNWRAP, 0x210A },
	{ 8, ESCROW_P11_UNWRAP, ESCROW_P11_UNWRAP, 0x210A },
	{ 8, ESCROW_P11_TRANSPORT, ESCROW_P11_TRANSPORT, 0x210A },
	{ 8, ESCROW_P11_CREATE, ESCROW_P11_CREATE, 0 },
	{ 10, ESCROW_P11_AUTO, ESCROW_P11_UNWRAP, 0x210A },
	{ 10, ESCROW_P11_CREATE, ESCROW_P11_CREATE, 0 },
	{ 13, ESCROW_P11_AUTO, ESCROW_P11_UNWRAP, 0x210A },
	{ 13, ESCROW_P11_TRANSPORT, ESCROW_P11_TRANSPORT, 0x210A },
	{ 13, ESCROW_P11_UNWRAP, ESCROW_P11_UNWRAP, 0x210A },
	{ 13, ESCROW_P11_CREATE, ESCROW_P11_CREATE, 0 },
	{ 14, ESCROW_P11_AUTO, ESCROW_P11_UNWRAP, 0x210A },
	{ 14, ESCROW_P11_UNWRAP, ESCROW_P11_UNWRAP, 0x210A },
	{ 14, ESCROW_P11_CREATE, ESCROW_P11_CREATE, 0 },
	{ 15, ESCROW_P11_AUTO, ESCROW_P11_CREATE, 0 },
	{ 15, ESCROW_P11_CREATE, ESCROW_P11_CREATE, 0 },
	{ 16, ESCROW_P11_AUTO, ESCROW_P11_CREATE, 0 },
	{ 16, ESCROW_P11_CREATE, ESCROW_P11_CREATE, 0 },
};

/* pkcs11-tool's view of the token must show the key, sensitive. */
static void
check_with_pkcs11_tool(const struct p11t_token *t, const struct p11t_key *tk)
{
	char cmd[512], idhex[64], *out = NULL, *priv;
	size_t i;

	for (i = 0; i < sizeof tk->id; i++)
		snprintf(idhex + 2 * i, sizeof idhex - 2 * i, "%02x", tk->id[i]);
	snprintf(cmd, sizeof cmd, "pkcs11-tool --module " P11T_MODULE
	    " --token-label '%s' --list-objects --login --pin " P11T_PIN
	    " 2>&1", t->label);
	ck_assert_int_eq(p11t_run(cmd, &out), 0);
	priv = strstr(out, "Private Key Object");
	ck_assert_msg(priv != NULL, "pkcs11-tool shows no private key:\n%s", out);
	ck_assert_msg(strstr(priv, tk->label) != NULL, "no label:\n%s", out);
	ck_assert_msg(strstr(priv, idhex) != NULL, "no id %s:\n%s", idhex, out);
	/* sign only: no decrypt, unwrap or derive */
	ck_assert_msg(strstr(priv, "Usage:      sign\n") != NULL,
	    "usage is not `sign' alone:\n%s", out);
	ck_assert_msg(strstr(priv, "Access:     sensitive") != NULL,
	    "not sensitive:\n%s", out);
	ck_assert_msg(strstr(out, "Public Key Object") != NULL,
	    "no public key object:\n%s", out);
	free(out);
}

START_TEST(test_p11_load_each_algorithm_and_strategy)
{
	const struct alg_case *c = &alg_cases[_i];
	struct escrow_p11_load_opts opts = { .strategy = c->forced };
	struct escrow_p11_object_info info[4];
	struct escrow_p11_loaded res;
	struct escrow_p11_error e;
	struct p11t_token t;
	struct p11t_key tk;
	struct escrow_p11 *p;
	uint8_t sig[1024], msg[] = "DNSKEY RRset";
	unsigned long h = 0;
	size_t n = 0, siglen = 0, i;
	int r;

	p11t_token(&t, "alg");
	p11t_key_make(&tk, c->algorithm, 1, 1, kw1);
	p = p11t_open(&t);
	r = escrow_p11_load(p, &tk.k, 1, &opts, &res, &e);
	ck_assert_msg(r == ESCROW_OK, "alg %d %s: %s: %s %s: %s", c->algorithm,
	    escrow_p11_strategy_name(c->forced), escrow_strerror(r), e.function,
	    e.rv_name, e.detail);
	ck_assert_str_eq(escrow_p11_strategy_name(res.strategy),
	    escrow_p11_strategy_name(c->expect));
	ck_assert_uint_eq(res.mechanism, c->mech);
	ck_assert_uint_eq(res.replaced, 0);

	/* read back: one private (sensitive, not extractable), one public */
	ck_assert_int_eq(escrow_p11_list(p, tk.id, sizeof tk.id, info, 4, &n,
	    NULL), 0);
	ck_assert_uint_eq(n, 2);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(info[i].label, tk.label);
		ck_assert_int_eq(info[i].token, 1);
		if (info[i].object_class == 3) { /* CKO_PRIVATE_KEY */
			ck_assert_uint_eq(info[i].handle, res.private_handle);
			ck_assert_int_eq(info[i].sensitive, 1);
			ck_assert_int_eq(info[i].extractable, 0);
			/* SoftHSM 2.6.1 refuses MODIFIABLE=false in
			 * C_UnwrapKey (CKR_ATTRIBUTE_READ_ONLY) but takes
			 * it in C_CreateObject */
			ck_assert_int_eq(info[i].modifiable,
			    res.strategy == ESCROW_P11_CREATE ? 0 : 1);
		} else {
			ck_assert_uint_eq(info[i].object_class, 2);
			ck_assert_uint_eq(info[i].handle, res.public_handle);
			ck_assert_int_eq(info[i].modifiable, 0);
		}
	}

	/* DNSSEC-form signature, made in the token, checked by OpenSSL */
	ck_assert_int_eq(escrow_p11_find_private(p, tk.id, sizeof tk.id, &h,
	    NULL), 0);
	ck_assert_uint_eq(h, res.private_handle);
	ck_assert_int_eq(escrow_p11_sign(p, h, c->algorithm, msg, sizeof msg,
	    sig, sizeof sig, &siglen, &e), 0);
	switch (c->algorithm) {
	case 8: case 10: ck_assert_uint_eq(siglen, 256); break;
	case 13: ck_assert_uint_eq(siglen, 64); break;
	case 14: ck_assert_uint_eq(siglen, 96); break;
	case 15: ck_assert_uint_eq(siglen, 64); break;
	case 16: ck_assert_uint_eq(siglen, 114); break;
	}
	ck_assert_int_eq(escrow_p11_sign(p, h, c->algorithm, msg, sizeof msg,
	    sig, 10, &siglen, &e), ESCROW_ERR_BUFFER_TOO_SMALL);
	escrow_p11_close(p);
	check_with_pkcs11_tool(&t, &tk);
	p11t_key_free(&tk);
	p11t_token_done(&t);
}
END_TEST

START_TEST(test_p11_open_by_registered_name_and_find_uri)
{
	struct escrow_p11 *p = NULL;
	struct escrow_p11_error e;
	struct p11t_token t;
	struct p11t_key tk;
	unsigned long h = 0, h2 = 0;
	char uri[160];
	int r;

	p11t_token(&t, "byname");
	p11t_key_make(&tk, 13, 1, 7, kw1);
	r = escrow_p11_open(&p, "softhsm2", t.uri, P11T_PIN, 4, &e);
	ck_assert_msg(r == ESCROW_OK, "%s: %s", escrow_strerror(r), e.detail);
	ck_assert_str_eq(escrow_p11_token_label(p), "byname");
	ck_assert_int_eq(escrow_p11_load(p, &tk.k, 1, NULL, NULL, &e), 0);
	snprintf(uri, sizeof uri, "pkcs11:token=byname;id=%%a0%%a0%%a0%%a0%%a0"
	    "%%a0%%a0%%a0%%a0%%a0%%a0%%a0%%a0%%a0%%a0%%07;type=private");
	ck_assert_int_eq(escrow_p11_find_uri(p, uri, &h, &e), 0);
	ck_assert_int_eq(escrow_p11_find_private(p, tk.id, sizeof tk.id, &h2,
	    &e), 0);
	ck_assert_uint_eq(h, h2);
	ck_assert_int_eq(escrow_p11_find_uri(p, "pkcs11:token=other;id=%07",
	    &h, &e), ESCROW_ERR_P11_TOKEN);
	ck_assert_int_eq(escrow_p11_find_uri(p, "pkcs11:id=%07", &h, &e),
	    ESCROW_ERR_P11_ATTRIBUTE);
	ck_assert_int_eq(escrow_p11_find_uri(p, "pkcs11:token", &h, &e),
	    ESCROW_ERR_P11_URI);
	escrow_p11_close(p);

	/* the module may also come from the URI itself */
	snprintf(uri, sizeof uri, "%s?module-path=" P11T_MODULE, t.uri);
	ck_assert_int_eq(escrow_p11_open(&p, NULL, uri, P11T_PIN, 4, &e), 0);
	escrow_p11_close(p);
	p11t_key_free(&tk);
	p11t_token_done(&t);
}
END_TEST

Suite *
check_p11_suite(void)
{
	Suite *s = suite_create("p11");
	TCase *tc = tcase_create("load");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_p11_rv_names);
	tcase_add_test(tc, test_p11_kat_vector_is_rfc5649);
	tcase_add_loop_test(tc, test_p11_load_each_algorithm_and_strategy, 0,
	    (int)(sizeof alg_cases / sizeof alg_cases[0]));
	tcase_add_test(tc, test_p11_open_by_registered_name_and_find_uri);
	suite_add_tcase(s, tc);
	return s;
}
