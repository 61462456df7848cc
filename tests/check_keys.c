/*
 * check_keys.c - DNSSEC keys with OpenSSL 3: generation for every
 * algorithm, import of keys made by the openssl command line (PKCS#8 PEM
 * and DER, traditional RSA and EC PEM; encrypted and unfit keys refused),
 * PKCS#8 round trips into secret memory, DNSKEY public-key fields, key
 * matching, signatures and PEM public keys.  Test keys only.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <valgrind/valgrind.h>

#include "escrow.h"
#include "escrow_keys.h"
#include "testutil.h"

Suite *check_keys_suite(void);

struct genalg {
	int alg;
	unsigned bits;
	size_t publen;
	size_t siglen;
};

static const struct genalg genalgs[] = {
	{ 8, 2048, 260, 256 }, { 10, 2048, 260, 256 }, { 8, 3072, 388, 384 },
	{ 13, 0, 64, 64 }, { 14, 0, 96, 96 }, { 15, 0, 32, 64 },
	{ 16, 0, 57, 114 },
};

/* Generate, then everything a key must do. */
START_TEST(test_keys_generate_sign_verify_roundtrip)
{
	const struct genalg *g = &genalgs[_i];
	static const uint8_t msg[] = "the DNSKEY RRset to be signed";
	EVP_PKEY *key = NULL, *other = NULL, *back = NULL, *pub = NULL;
	uint8_t field[ESCROW_KEYS_PUBKEY_MAX], field2[ESCROW_KEYS_PUBKEY_MAX];
	uint8_t sig[ESCROW_KEYS_SIG_MAX], *der = NULL;
	size_t flen = 0, f2len = 0, slen = 0, dlen = 0, need = 0;
	char pem[ESCROW_KEYS_PEM_MAX];
	int alg = 0;

	if (g->bits > 2048 && RUNNING_ON_VALGRIND)
		return; /* slow under valgrind; the plain run covers it */
	ck_assert_int_eq(escrow_keys_generate(g->alg, g->bits, &key), ESCROW_OK);
	ck_assert_int_eq(escrow_keys_check_alg(key, g->alg), ESCROW_OK);
	ck_assert_int_eq(escrow_keys_infer_alg(key, &alg), ESCROW_OK);
	ck_assert_int_eq(alg, g->alg == 10 ? 8 : g->alg);

	/* DNSKEY field, and a public key rebuilt from it */
	ck_assert_int_eq(escrow_keys_dnskey_pub(key, g->alg, field, sizeof field,
	    &flen), ESCROW_OK);
	ck_assert_uint_eq(flen, g->publen);
	if (g->alg == 8 || g->alg == 10)
		ck_assert_mem_eq(field, "\x03\x01\x00\x01", 4); /* RFC 3110 */
	ck_assert_int_eq(escrow_keys_from_dnskey_pub(g->alg, field, flen, &pub),
	    ESCROW_OK);
	ck_assert_int_eq(escrow_keys_dnskey_pub(pub, g->alg, field2,
	    sizeof field2, &f2len), ESCROW_OK);
	ck_assert_uint_eq(f2len, flen);
	ck_assert_mem_eq(field2, field, flen);
	ck_assert_int_eq(escrow_keys_dnskey_pub(key, g->alg, field2, flen - 1,
	    &f2len), ESCROW_ERR_BUFFER_TOO_SMALL);

	/* sign, verify, flipped byte, wrong data */
	ck_assert_int_eq(escrow_keys_sign(key, g->alg, msg, sizeof msg, sig,
	    sizeof sig, &slen), ESCROW_OK);
	ck_assert_uint_eq(slen, g->siglen);
	ck_assert_int_eq(escrow_keys_verify(pub, g->alg, msg, sizeof msg, sig,
	    slen), ESCROW_OK);
	ck_assert_int_eq(escrow_keys_verify_dnskey(g->alg, field, flen, msg,
	    sizeof msg, sig, slen), ESCROW_OK);
	ck_assert_int_eq(escrow_keys_verify(key, g->alg, msg, sizeof msg - 1,
	    sig, slen), ESCROW_ERR_KEY_MISMATCH);
	sig[slen - 5] ^= 0x20;
	ck_assert_int_eq(escrow_keys_verify(pub, g->alg, msg, sizeof msg, sig,
	    slen), ESCROW_ERR_KEY_MISMATCH);
	ck_assert_int_eq(escrow_keys_verify(pub, g->alg, msg, sizeof msg, sig,
	    slen - 1), ESCROW_ERR_KEY_MISMATCH);
	/* a public key cannot sign */
	ck_assert_int_ne(escrow_keys_sign(pub, g->alg, msg, sizeof msg, sig,
	    sizeof sig, &slen), ESCROW_OK);

	/* PKCS#8 into secret memory and back */
	ck_assert_int_eq(escrow_keys_pkcs8_len(key, &need), ESCROW_OK);
	der = escrow_secret_alloc(need);
	ck_assert_ptr_nonnull(der);
	ck_assert_int_eq(escrow_keys_pkcs8_write(key, der, need - 1, &dlen),
	    ESCROW_ERR_BUFFER_TOO_SMALL);
	ck_assert_int_eq(escrow_keys_pkcs8_write(key, der, need, &dlen),
	    ESCROW_OK);
	ck_assert_uint_eq(dlen, need);
	ck_assert_uint_eq(der[0], 0x30); /* SEQUENCE */
	ck_assert_int_eq(escrow_keys_pkcs8_read(der, dlen, g->alg, &back),
	    ESCROW_OK);
	ck_assert_int_eq(escrow_keys_match(back, g->alg, field, flen), ESCROW_OK);
	ck_assert_int_eq(escrow_keys_pkcs8_read(der, dlen - 1, g->alg, &other),
	    ESCROW_ERR_KEY_PARSE);
	ck_assert_ptr_null(other);
	/* the public key has no PKCS#8 */
	ck_assert_int_eq(escrow_keys_pkcs8_len(pub, &need),
	    ESCROW_ERR_INVALID_ARG);

	/* match: right key, another key, damaged field */
	ck_assert_int_eq(escrow_keys_match(key, g->alg, field, flen), ESCROW_OK);
	ck_assert_int_eq(escrow_keys_match(pub, g->alg, field, flen), ESCROW_OK);
	ck_assert_int_eq(escrow_keys_generate(g->alg, g->bits, &other),
	    ESCROW_OK);
	ck_assert_int_eq(escrow_keys_match(other, g->alg, field, flen),
	    ESCROW_ERR_KEY_MISMATCH);
	field[flen - 1] ^= 1;
	ck_assert_int_eq(escrow_keys_match(key, g->alg, field, flen),
	    ESCROW_ERR_KEY_MISMATCH);
	ck_assert_int_eq(escrow_keys_match(key, g->alg, field, flen - 1),
	    ESCROW_ERR_KEY_MISMATCH);

	/* PEM public key */
	ck_assert_int_eq(escrow_keys_public_pem(key, pem, sizeof pem, &need),
	    ESCROW_OK);
	ck_assert(strncmp(pem, "-----BEGIN PUBLIC KEY-----\n", 27) == 0);
	ck_assert(strstr(pem, "PRIVATE") == NULL);
	ck_assert_uint_eq(strlen(pem), need);
	ck_assert_int_eq(escrow_keys_public_pem(key, pem, 10, &need),
	    ESCROW_ERR_BUFFER_TOO_SMALL);
	ck_assert_uint_gt(need, 10);

	escrow_secret_free(der);
	EVP_PKEY_free(key);
	EVP_PKEY_free(other);
	EVP_PKEY_free(back);
	EVP_PKEY_free(pub);
}
END_TEST

START_TEST(test_keys_generate_rsa4096)
{
	EVP_PKEY *key = NULL;
	uint8_t field[ESCROW_KEYS_PUBKEY_MAX], sig[ESCROW_KEYS_SIG_MAX];
	size_t flen = 0, slen = 0;

	if (RUNNING_ON_VALGRIND)
		return; /* minutes under valgrind; covered by the plain run */
	ck_assert_int_eq(escrow_keys_generate(ESCROW_ALG_RSASHA256, 4096, &key),
	    ESCROW_OK);
	ck_assert_int_eq(escrow_keys_dnskey_pub(key, 8, field, sizeof field,
	    &flen), ESCROW_OK);
	ck_assert_uint_eq(flen, ESCROW_KEYS_PUBKEY_MAX);
	ck_assert_int_eq(escrow_keys_sign(key, 8, field, flen, sig, sizeof sig,
	    &slen), ESCROW_OK);
	ck_assert_uint_eq(slen, ESCROW_KEYS_SIG_MAX);
	ck_assert_int_eq(escrow_keys_verify_dnskey(8, field, flen, field, flen,
	    sig, slen), ESCROW_OK);
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(test_keys_refuse_unsupported)
{
	static const struct { int alg; unsigned bits; } bad[] = {
		{ 8, 1024 }, { 8, 2047 }, { 10, 8192 }, { 8, 1 }, { 5, 2048 },
		{ 7, 2048 }, { 0, 0 }, { 12, 0 }, { 17, 0 }, { 13, 384 },
		{ 14, 256 }, { 15, 448 }, { 16, 256 },
	};
	EVP_PKEY *key = (EVP_PKEY *)1;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(escrow_keys_generate(bad[i].alg, bad[i].bits, &key)
		    == ESCROW_ERR_ALGORITHM, "alg %d bits %u", bad[i].alg,
		    bad[i].bits);
		ck_assert_ptr_null(key);
	}
	ck_assert_int_eq(escrow_keys_alg_supported(13), 1);
	ck_assert_int_eq(escrow_keys_alg_supported(5), 0);
	ck_assert_str_eq(escrow_keys_alg_name(14), "ECDSAP384SHA384");
	ck_assert_ptr_null(escrow_keys_alg_name(3));
	/* matching sizes for EC and EdDSA are accepted */
	ck_assert_int_eq(escrow_keys_generate(13, 256, &key), ESCROW_OK);
	EVP_PKEY_free(key);
	ck_assert_int_eq(escrow_keys_generate(15, 256, &key), ESCROW_OK);
	/* an Ed25519 key is no ECDSA or Ed448 key */
	ck_assert_int_eq(escrow_keys_check_alg(key, 13), ESCROW_ERR_ALGORITHM);
	ck_assert_int_eq(escrow_keys_check_alg(key, 16), ESCROW_ERR_ALGORITHM);
	EVP_PKEY_free(key);
}
END_TEST

/* ---- import of keys made by the openssl command line ----------------- */

static void
sh(const char *dir, const char *cmd)
{
	char full[2048];

	snprintf(full, sizeof full, "cd '%s' && %s >/dev/null 2>&1", dir, cmd);
	ck_assert_msg(system(full) == 0, "failed: %s", cmd);
}

static int
import_file(const char *dir, const char *name, int *alg, EVP_PKEY **key)
{
	char path[1024];
	size_t len = 0;
	char *data;
	int ret;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	data = tu_read_file(path, &len);
	ck_assert_msg(data != NULL, "cannot read %s", path);
	*key = NULL;
	ret = escrow_keys_import((const uint8_t *)data, len, alg, key);
	free(data);
	return ret;
}

/* Our PKCS#8 DER must equal what `openssl pkcs8 -topk8 -nocrypt` writes. */
static void
same_pkcs8(const char *dir, const char *der_name, EVP_PKEY *key)
{
	char path[1024];
	size_t len = 0, need = 0, dlen = 0;
	char *want;
	uint8_t *der;

	snprintf(path, sizeof path, "%s/%s", dir, der_name);
	want = tu_read_file(path, &len);
	ck_assert_ptr_nonnull(want);
	ck_assert_int_eq(escrow_keys_pkcs8_len(key, &need), ESCROW_OK);
	der = escrow_secret_alloc(need);
	ck_assert_ptr_nonnull(der);
	ck_assert_int_eq(escrow_keys_pkcs8_write(key, der, need, &dlen),
	    ESCROW_OK);
	ck_assert_uint_eq(dlen, len);
	ck_assert_mem_eq(der, want, len);
	escrow_secret_free(der);
	free(want);
}

START_TEST(test_keys_import_openssl_formats)
{
	const char *dir = tu_mkdtemp();
	static const struct {
		const char *file;
		int want_alg;    /* on entry */
		int expect_ret;
		int got_alg;     /* when inferred */
	} cases[] = {
		{ "rsa.p8.pem", 0, ESCROW_OK, 8 },
		{ "rsa.p8.pem", 10, ESCROW_OK, 10 },
		{ "rsa.p8.der", 0, ESCROW_OK, 8 },
		{ "rsa.trad.pem", 0, ESCROW_OK, 8 },
		{ "rsa.trad.der", 0, ESCROW_OK, 8 },
		{ "rsa.trad.pem", 13, ESCROW_ERR_ALGORITHM, 0 },
		{ "p256.trad.pem", 0, ESCROW_OK, 13 },
		{ "p256.trad.pem", 14, ESCROW_ERR_ALGORITHM, 0 },
		{ "p256.p8.der", 13, ESCROW_OK, 13 },
		{ "p384.trad.pem", 0, ESCROW_OK, 14 },
		{ "p384.trad.pem", 13, ESCROW_ERR_ALGORITHM, 0 },
		{ "ed25519.pem", 0, ESCROW_OK, 15 },
		{ "ed25519.pem", 16, ESCROW_ERR_ALGORITHM, 0 },
		{ "ed448.der", 0, ESCROW_OK, 16 },
		{ "rsa1024.pem", 0, ESCROW_ERR_ALGORITHM, 0 },
		{ "rsa1024.pem", 8, ESCROW_ERR_ALGORITHM, 0 },
		{ "rsa_e3.pem", 8, ESCROW_ERR_ALGORITHM, 0 },
		{ "p521.pem", 0, ESCROW_ERR_ALGORITHM, 0 },
		{ "secp256k1.pem", 13, ESCROW_ERR_ALGORITHM, 0 },
		{ "rsapss.pem", 8, ESCROW_ERR_ALGORITHM, 0 },
		{ "rsa.enc.pem", 0, ESCROW_ERR_UNSUPPORTED, 0 },
		{ "rsa.enc.der", 0, ESCROW_ERR_UNSUPPORTED, 0 },
		{ "rsa.trad.enc.pem", 0, ESCROW_ERR_UNSUPPORTED, 0 },
		{ "rsa.pub.pem", 0, ESCROW_ERR_KEY_PARSE, 0 },
		{ "garbage", 0, ESCROW_ERR_KEY_PARSE, 0 },
	};
	EVP_PKEY *key = NULL, *pub = NULL;
	size_t i;

	sh(dir, "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.p8.pem");
	sh(dir, "openssl pkcs8 -topk8 -nocrypt -in rsa.p8.pem -outform DER -out rsa.p8.der");
	sh(dir, "openssl rsa -in rsa.p8.pem -traditional -outform DER -out rsa.trad.der");
	sh(dir, "openssl rsa -in rsa.p8.pem -traditional -out rsa.trad.pem");
	sh(dir, "openssl ecparam -name prime256v1 -genkey -noout -out p256.trad.pem");
	sh(dir, "openssl pkcs8 -topk8 -nocrypt -in p256.trad.pem -outform DER -out p256.p8.der");
	sh(dir, "openssl ecparam -name secp384r1 -genkey -noout -out p384.trad.pem");
	sh(dir, "openssl pkcs8 -topk8 -nocrypt -in p384.trad.pem -outform DER -out p384.p8.der");
	sh(dir, "openssl genpkey -algorithm ED25519 -out ed25519.pem");
	sh(dir, "openssl pkcs8 -topk8 -nocrypt -in ed25519.pem -outform DER -out ed25519.der");
	sh(dir, "openssl genpkey -algorithm ED448 -outform DER -out ed448.der");
	sh(dir, "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.pem");
	sh(dir, "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_keygen_pubexp:3 -out rsa_e3.pem");
	sh(dir, "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out p521.pem");
	sh(dir, "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out secp256k1.pem");
	sh(dir, "openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out rsapss.pem");
	sh(dir, "openssl pkey -in rsa.p8.pem -aes256 -passout pass:secret -out rsa.enc.pem");
	sh(dir, "openssl pkcs8 -topk8 -in rsa.p8.pem -outform DER -passout pass:secret -out rsa.enc.der");
	sh(dir, "openssl rsa -in rsa.p8.pem -traditional -aes256 -passout pass:secret -out rsa.trad.enc.pem");
	sh(dir, "openssl pkey -in rsa.p8.pem -pubout -out rsa.pub.pem");
	sh(dir, "head -c 300 /dev/urandom > garbage");

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int alg = cases[i].want_alg, ret;

		ret = import_file(dir, cases[i].file, &alg, &key);
		ck_assert_msg(ret == cases[i].expect_ret,
		    "%s as %d: got %d (%s), want %d", cases[i].file,
		    cases[i].want_alg, ret, escrow_strerror(ret),
		    cases[i].expect_ret);
		if (ret == ESCROW_OK) {
			ck_assert_int_eq(alg, cases[i].got_alg);
			ck_assert_ptr_nonnull(key);
		} else {
			ck_assert_ptr_null(key);
		}
		EVP_PKEY_free(key);
		key = NULL;
	}

	/* the three RSA encodings are the same key, and PKCS#8 matches openssl */
	{
		static const char *files[] = { "rsa.p8.pem", "rsa.p8.der",
		    "rsa.trad.pem" };
		uint8_t f0[ESCROW_KEYS_PUBKEY_MAX], f1[ESCROW_KEYS_PUBKEY_MAX];
		size_t l0 = 0, l1 = 0;

		for (i = 0; i < 3; i++) {
			int alg = 8;

			ck_assert_int_eq(import_file(dir, files[i], &alg, &key),
			    ESCROW_OK);
			ck_assert_int_eq(escrow_keys_dnskey_pub(key, 8,
			    i == 0 ? f0 : f1, sizeof f0, i == 0 ? &l0 : &l1),
			    ESCROW_OK);
			if (i > 0) {
				ck_assert_uint_eq(l0, l1);
				ck_assert_mem_eq(f0, f1, l0);
			}
			same_pkcs8(dir, "rsa.p8.der", key);
			EVP_PKEY_free(key);
		}
	}
	{
		static const struct { const char *pem, *der; int alg; } eq[] = {
			{ "p256.trad.pem", "p256.p8.der", 13 },
			{ "p384.trad.pem", "p384.p8.der", 14 },
			{ "ed25519.pem", "ed25519.der", 15 },
		};

		for (i = 0; i < 3; i++) {
			int alg = eq[i].alg;

			ck_assert_int_eq(import_file(dir, eq[i].pem, &alg, &key),
			    ESCROW_OK);
			same_pkcs8(dir, eq[i].der, key);
			EVP_PKEY_free(key);
		}
	}
	/* pkcs8_read takes only PKCS#8 DER */
	{
		char path[1024];
		size_t len = 0;
		char *data;

		snprintf(path, sizeof path, "%s/rsa.p8.pem", dir);
		data = tu_read_file(path, &len);
		ck_assert_ptr_nonnull(data);
		ck_assert_int_eq(escrow_keys_pkcs8_read((uint8_t *)data, len, 8,
		    &key), ESCROW_ERR_KEY_PARSE);
		free(data);
		snprintf(path, sizeof path, "%s/p256.p8.der", dir);
		data = tu_read_file(path, &len);
		ck_assert_ptr_nonnull(data);
		ck_assert_int_eq(escrow_keys_pkcs8_read((uint8_t *)data, len, 14,
		    &key), ESCROW_ERR_ALGORITHM);
		ck_assert_int_eq(escrow_keys_pkcs8_read((uint8_t *)data, len, 0,
		    &key), ESCROW_OK);
		EVP_PKEY_free(key);
		data = realloc(data, len + 1);
		ck_assert_ptr_nonnull(data);
		data[len] = 0;
		ck_assert_int_eq(escrow_keys_pkcs8_read((uint8_t *)data, len + 1,
		    13, &key), ESCROW_ERR_TRAILING);
		free(data);
	}
	(void)pub;
	tu_rmrf(dir);
}
END_TEST

START_TEST(test_keys_dnskey_field_rejects)
{
	uint8_t f[ESCROW_KEYS_PUBKEY_MAX];
	EVP_PKEY *key = NULL;

	memset(f, 0x11, sizeof f);
	/* wrong lengths */
	ck_assert_int_eq(escrow_keys_from_dnskey_pub(13, f, 63, &key),
	    ESCROW_ERR_KEY_PARSE);
	ck_assert_int_eq(escrow_keys_from_dnskey_pub(14, f, 64, &key),
	    ESCROW_ERR_KEY_PARSE);
	ck_assert_int_eq(escrow_keys_from_dnskey_pub(15, f, 31, &key),
	    ESCROW_ERR_KEY_PARSE);
	ck_assert_int_eq(escrow_keys_from_dnskey_pub(16, f, 56, &key),
	    ESCROW_ERR_KEY_PARSE);
	/* a point not on P-256 */
	ck_assert_int_eq(escrow_keys_from_dnskey_pub(13, f, 64, &key),
	    ESCROW_ERR_KEY_PARSE);
	ck_assert_ptr_null(key);
	/* RSA: empty, exponent running past the end, 1024-bit, e = 3 */
	ck_assert_int_eq(escrow_keys_from_dnskey_pub(8, f, 0, &key),
	    ESCROW_ERR_KEY_PARSE);
	f[0] = 200;
	ck_assert_int_eq(escrow_keys_from_dnskey_pub(8, f, 100, &key),
	    ESCROW_ERR_KEY_PARSE);
	f[0] = 3;
	f[1] = 1;
	f[2] = 0;
	f[3] = 1;
	f[4] = 0xc1;
	ck_assert_int_eq(escrow_keys_from_dnskey_pub(8, f, 4 + 128, &key),
	    ESCROW_ERR_ALGORITHM);
	ck_assert_int_eq(escrow_keys_from_dnskey_pub(8, f, 4 + 256, &key),
	    ESCROW_OK);
	EVP_PKEY_free(key);
	f[0] = 1;
	f[1] = 3;
	f[2] = 0xc1;
	ck_assert_int_eq(escrow_keys_from_dnskey_pub(8, f, 2 + 256, &key),
	    ESCROW_ERR_ALGORITHM);
	/* two-byte exponent length form: 0, 0x0003, exponent */
	f[0] = 0;
	f[1] = 0;
	f[2] = 3;
	f[3] = 1;
	f[4] = 0;
	f[5] = 1;
	f[6] = 0xc1;
	ck_assert_int_eq(escrow_keys_from_dnskey_pub(8, f, 6 + 256, &key),
	    ESCROW_OK);
	EVP_PKEY_free(key);
	ck_assert_int_eq(escrow_keys_from_dnskey_pub(5, f, 6 + 256, &key),
	    ESCROW_ERR_ALGORITHM);
	ck_assert_int_eq(escrow_keys_from_dnskey_pub(8, f,
	    ESCROW_KEYS_PUBKEY_MAX + 1, &key), ESCROW_ERR_KEY_PARSE);
}
END_TEST

Suite *
check_keys_suite(void)
{
	Suite *s = suite_create("keys");
	TCase *tc = tcase_create("keys");

	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_keys_generate_sign_verify_roundtrip, 0,
	    (int)(sizeof genalgs / sizeof genalgs[0]));
	tcase_add_test(tc, test_keys_generate_rsa4096);
	tcase_add_test(tc, test_keys_refuse_unsupported);
	tcase_add_test(tc, test_keys_import_openssl_formats);
	tcase_add_test(tc, test_keys_dnskey_field_rejects);
	suite_add_tcase(s, tc);
	return s;
}
