/*
 * bench_p11.c - time loading many RSA-2048 keys into a PKCS#11 token:
 *
 *   bench_p11 lib  MODULE TOKEN PIN KEYDIR COUNT [SESSIONS]
 *                                   escrow_p11_load(), all checks, in one
 *                                   session or up to SESSIONS parallel ones;
 *                                   crash-safe: pending CKA_ID and label,
 *                                   committed when the set is in
 *   bench_p11 bare MODULE TOKEN PIN KEYDIR COUNT   the same PKCS#11 calls in a
 *                                   plain loop, no checks: per key
 *                                   C_UnwrapKey, C_CreateObject, C_SignInit,
 *                                   C_Sign, C_GetAttributeValue under a
 *                                   pending CKA_ID and label; then the
 *                                   commit's C_SetAttributeValue of each
 *                                   object's CKA_ID, then of its label
 *   bench_p11 lib-direct / bare-direct ...   the same without the pending
 *                                   ids and the commit (opts.direct: final
 *                                   CKA_ID and label at once, not crash-safe)
 *
 * Both unwrap RFC 5649 blobs of the four test keys in KEYDIR
 * (rsa2048-N.pem), each under a fresh CKA_ID, and print the seconds the
 * load took (module start and login excluded) on stdout: wall clock, then
 * the CPU time of the process (every thread, the module included).  Used by
 * tests/bench_p11.sh.  Test keys only: nothing here is secret.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/resource.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <p11-kit/p11-kit.h>
#include <p11-kit/pkcs11.h>

#include "escrow.h"
#include "escrow_p11.h"

#define NKEYS 4

struct src {
	EVP_PKEY *priv, *pub;
	uint8_t wrapped[2048];
	size_t wrapped_len;
	uint8_t n[512], e[8];
	size_t nlen, elen;
};

static const uint8_t kwrap[32] = { 0x62, 0x65, 0x6e, 0x63, 0x68 };

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of this process, every thread (the module's work included:
 * it runs in this process), user and system. */
static double
cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* The CPU seconds of the last timed load. */
static double cpu_secs;

static void
die(const char *what)
{
	fprintf(stderr, "bench_p11: %s\n", what);
	exit(1);
}

static void
load_src(struct src *s, const char *dir, int i)
{
	char path[1024];
	PKCS8_PRIV_KEY_INFO *p8;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	BIGNUM *bn = NULL;
	uint8_t *der = NULL, *pd = NULL;
	int derlen, l1 = 0, l2 = 0, pl;
	const unsigned char *q;
	FILE *f;

	snprintf(path, sizeof path, "%s/rsa2048-%d.pem", dir, i + 1);
	if ((f = fopen(path, "r")) == NULL)
		die(path);
	s->priv = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (s->priv == NULL || (p8 = EVP_PKEY2PKCS8(s->priv)) == NULL ||
	    (derlen = i2d_PKCS8_PRIV_KEY_INFO(p8, &der)) <= 0 || c == NULL)
		die("cannot read the test key");
	EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
	if (EVP_EncryptInit_ex(c, EVP_aes_256_wrap_pad(), NULL, kwrap, NULL) != 1 ||
	    EVP_EncryptUpdate(c, s->wrapped, &l1, der, derlen) != 1 ||
	    EVP_EncryptFinal_ex(c, s->wrapped + l1, &l2) != 1)
		die("wrap failed");
	s->wrapped_len = (size_t)(l1 + l2);
	pl = i2d_PUBKEY(s->priv, &pd);
	q = pd;
	if (pl <= 0 || (s->pub = d2i_PUBKEY(NULL, &q, pl)) == NULL)
		die("public key");
	if (!EVP_PKEY_get_bn_param(s->priv, "n", &bn))
		die("n");
	s->nlen = (size_t)BN_bn2bin(bn, s->n);
	BN_free(bn);
	bn = NULL;
	if (!EVP_PKEY_get_bn_param(s->priv, "e", &bn))
		die("e");
	s->elen = (size_t)BN_bn2bin(bn, s->e);
	BN_free(bn);
	OPENSSL_free(pd);
	OPENSSL_free(der);
	PKCS8_PRIV_KEY_INFO_free(p8);
	EVP_CIPHER_CTX_free(c);
}

static void
make_id(uint8_t id[8], size_t i)
{
	memcpy(id, "bnch", 4);
	id[4] = (uint8_t)(i >> 24);
	id[5] = (uint8_t)(i >> 16);
	id[6] = (uint8_t)(i >> 8);
	id[7] = (uint8_t)i;
}

static double
run_lib(const char *module, const char *token, const char *pin,
    struct src *src, size_t count, size_t sessions, int direct)
{
	struct escrow_p11_key *keys = calloc(count, sizeof *keys);
	uint8_t (*ids)[8] = calloc(count, sizeof *ids);
	struct escrow_p11_error err;
	struct escrow_p11 *p = NULL;
	char uri[256];
	double t0, t1;
	struct escrow_p11_load_opts o = { .sessions = 0 };
	size_t i;
	int r;

	if (keys == NULL || ids == NULL)
		die("out of memory");
	snprintf(uri, sizeof uri, "pkcs11:token=%s", token);
	if (escrow_p11_open(&p, module, uri, pin, strlen(pin), &err) != 0)
		die(err.detail);
	for (i = 0; i < count; i++) {
		struct src *s = &src[i % NKEYS];

		make_id(ids[i], i);
		keys[i].algorithm = 8;
		keys[i].label = "bench";
		keys[i].id = ids[i];
		keys[i].id_len = 8;
		keys[i].public_key = s->pub;
		keys[i].wrapped = s->wrapped;
		keys[i].wrapped_len = s->wrapped_len;
		keys[i].kwrap = kwrap;
	}
	memset(&o, 0, sizeof o);
	o.strategy = ESCROW_P11_AUTO;
	o.direct = direct;
	o.sessions = sessions;
	cpu_secs = cpu();
	t0 = now();
	r = escrow_p11_load(p, keys, count, &o, NULL, &err);
	t1 = now();
	cpu_secs = cpu() - cpu_secs;
	if (r != 0) {
		fprintf(stderr, "bench_p11: %s: %s %s: %s\n", escrow_strerror(r),
		    err.function, err.rv_name, err.detail);
		exit(1);
	}
	escrow_p11_close(p);
	free(keys);
	free(ids);
	return t1 - t0;
}

#define CHK(call) do { CK_RV rv_ = (call); if (rv_ != CKR_OK) { \
	fprintf(stderr, "bench_p11: %s: %s\n", #call, escrow_p11_rv_name(rv_)); \
	exit(1); } } while (0)

static double
run_bare(const char *module, const char *token, const char *pin,
    struct src *src, size_t count, int direct)
{
	static const char plabel[] = "escrow-pending 0123456789abcdef";
	CK_FUNCTION_LIST *m = p11_kit_module_load(module, 0);
	CK_SLOT_ID slots[16], slot = 0;
	CK_ULONG ns = 16, i, found = 0;
	CK_SESSION_HANDLE sess;
	CK_OBJECT_CLASS sk = CKO_SECRET_KEY, pk = CKO_PRIVATE_KEY,
	    pubc = CKO_PUBLIC_KEY;
	CK_KEY_TYPE aes = CKK_AES, rsa = CKK_RSA;
	CK_BBOOL t = CK_TRUE, f = CK_FALSE;
	CK_OBJECT_HANDLE kek, hpriv, hpub;
	CK_MECHANISM wrap = { CKM_AES_KEY_WRAP_PAD, NULL, 0 };
	CK_MECHANISM sign = { CKM_SHA256_RSA_PKCS, NULL, 0 };
	uint8_t id[8], sig[512], data[48] = "bench";
	CK_ULONG siglen;
	CK_OBJECT_HANDLE *made = calloc(2 * count, sizeof *made);
	double t0, t1;

	if (m == NULL || made == NULL || p11_kit_module_initialize(m) != CKR_OK)
		die("module");
	CHK(m->C_GetSlotList(CK_TRUE, slots, &ns));
	for (i = 0; i < ns; i++) {
		CK_TOKEN_INFO ti;

		CHK(m->C_GetTokenInfo(slots[i], &ti));
		if (p11_kit_space_strlen(ti.label, 32) == strlen(token) &&
		    memcmp(ti.label, token, strlen(token)) == 0) {
			slot = slots[i];
			found = 1;
		}
	}
	if (!found)
		die("no such token");
	CHK(m->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL,
	    NULL, &sess));
	CHK(m->C_Login(sess, CKU_USER, (CK_UTF8CHAR_PTR)(uintptr_t)pin,
	    strlen(pin)));
	cpu_secs = cpu();
	t0 = now();
	{
		CK_ATTRIBUTE kt[] = {
			{ CKA_CLASS, &sk, sizeof sk }, { CKA_KEY_TYPE, &aes, sizeof aes },
			{ CKA_TOKEN, &f, 1 }, { CKA_PRIVATE, &t, 1 },
			{ CKA_SENSITIVE, &t, 1 }, { CKA_EXTRACTABLE, &f, 1 },
			{ CKA_UNWRAP, &t, 1 }, { CKA_WRAP, &f, 1 },
			{ CKA_ENCRYPT, &f, 1 }, { CKA_DECRYPT, &f, 1 },
			{ CKA_VALUE, (void *)(uintptr_t)kwrap, 32 },
		};
		CHK(m->C_CreateObject(sess, kt, 11, &kek));
	}
	for (i = 0; i < count; i++) {
		struct src *s = &src[i % NKEYS];
		/* pending: a 18-byte id and the pending label, as the library */
		uint8_t pid[18] = "escrow~p01234567";
		void *idv = direct ? (void *)id : (void *)pid;
		CK_ULONG idl = direct ? 8 : sizeof pid;
		void *lv = direct ? (void *)(uintptr_t)"bench" : (void *)(uintptr_t)plabel;
		CK_ULONG ll = direct ? 5 : sizeof plabel - 1;
		CK_ATTRIBUTE pt[] = {
			{ CKA_CLASS, &pk, sizeof pk }, { CKA_KEY_TYPE, &rsa, sizeof rsa },
			{ CKA_TOKEN, &t, 1 }, { CKA_PRIVATE, &t, 1 },
			{ CKA_SENSITIVE, &t, 1 }, { CKA_EXTRACTABLE, &f, 1 },
			{ CKA_SIGN, &t, 1 }, { CKA_DECRYPT, &f, 1 },
			{ CKA_UNWRAP, &f, 1 }, { CKA_DERIVE, &f, 1 },
			{ CKA_SIGN_RECOVER, &f, 1 },
			/* no CKA_MODIFIABLE: SoftHSM 2.6.1 refuses it here,
			 * and the library leaves it out after the first try */
			{ CKA_LABEL, lv, ll }, { CKA_ID, idv, idl },
		};
		CK_ATTRIBUTE ut[] = {
			{ CKA_CLASS, &pubc, sizeof pubc },
			{ CKA_KEY_TYPE, &rsa, sizeof rsa }, { CKA_TOKEN, &t, 1 },
			{ CKA_PRIVATE, &f, 1 }, { CKA_VERIFY, &t, 1 },
			{ CKA_ENCRYPT, &f, 1 }, { CKA_WRAP, &f, 1 },
			{ CKA_DERIVE, &f, 1 },
			{ CKA_LABEL, lv, ll }, { CKA_ID, idv, idl },
			{ CKA_MODULUS, s->n, s->nlen },
			{ CKA_PUBLIC_EXPONENT, s->e, s->elen },
			{ CKA_MODIFIABLE, &f, 1 }, /* direct only (count below) */
		};
		CK_BBOOL v[12];
		CK_ATTRIBUTE rd[] = { { CKA_SIGN, &v[0], 1 },
			{ CKA_DECRYPT, &v[1], 1 }, { CKA_UNWRAP, &v[2], 1 },
			{ CKA_DERIVE, &v[3], 1 }, { CKA_SIGN_RECOVER, &v[4], 1 },
			{ CKA_WRAP, &v[5], 1 }, { CKA_ENCRYPT, &v[6], 1 },
			{ CKA_SENSITIVE, &v[7], 1 }, { CKA_EXTRACTABLE, &v[8], 1 },
			{ CKA_TOKEN, &v[9], 1 }, { CKA_PRIVATE, &v[10], 1 },
			{ CKA_MODIFIABLE, &v[11], 1 } };
		CK_RV rv;

		make_id(id, i);
		pid[16] = (uint8_t)(i >> 8);
		pid[17] = (uint8_t)i;
		CHK(m->C_UnwrapKey(sess, &wrap, kek, s->wrapped, s->wrapped_len,
		    pt, sizeof pt / sizeof pt[0], &hpriv));
		CHK(m->C_CreateObject(sess, ut, sizeof ut / sizeof ut[0] -
		    (direct ? 0 : 1), &hpub));
		CHK(m->C_SignInit(sess, &sign, hpriv));
		siglen = sizeof sig;
		CHK(m->C_Sign(sess, data, sizeof data, sig, &siglen));
		rv = m->C_GetAttributeValue(sess, hpriv, rd, 12);
		if (rv != CKR_OK && rv != CKR_ATTRIBUTE_TYPE_INVALID)
			CHK(rv);
		made[2 * i] = hpriv;
		made[2 * i + 1] = hpub;
	}
	/* the library's commit: every CKA_ID, then every label */
	for (i = 0; !direct && i < 2 * count; i++) {
		CK_ATTRIBUTE a = { CKA_ID, id, 8 };

		make_id(id, i / 2);
		CHK(m->C_SetAttributeValue(sess, made[i], &a, 1));
	}
	for (i = 0; !direct && i < 2 * count; i++) {
		CK_ATTRIBUTE a = { CKA_LABEL, "bench", 5 };

		CHK(m->C_SetAttributeValue(sess, made[i], &a, 1));
	}
	CHK(m->C_DestroyObject(sess, kek));
	t1 = now();
	cpu_secs = cpu() - cpu_secs;
	(void)m->C_Logout(sess);
	(void)m->C_CloseSession(sess);
	(void)p11_kit_module_finalize(m);
	p11_kit_module_release(m);
	free(made);
	return t1 - t0;
}

int
main(int argc, char **argv)
{
	struct src src[NKEYS];
	size_t count;
	double secs;
	int i;

	size_t sessions = 1;

	if (argc != 7 && argc != 8)
		die("usage: bench_p11 lib|lib-direct|bare|bare-direct MODULE TOKEN PIN KEYDIR COUNT [SESSIONS]");
	if (argc == 8)
		sessions = strtoul(argv[7], NULL, 10);
	if (escrow_init() != 0)
		die("escrow_init");
	count = strtoul(argv[6], NULL, 10);
	if (count == 0)
		die("COUNT must be a positive number");
	for (i = 0; i < NKEYS; i++)
		load_src(&src[i], argv[5], i);
	if (strcmp(argv[1], "lib") == 0 || strcmp(argv[1], "lib-direct") == 0)
		secs = run_lib(argv[2], argv[3], argv[4], src, count, sessions,
		    argv[1][3] != '\0');
	else if (strcmp(argv[1], "bare") == 0 || strcmp(argv[1], "bare-direct") == 0)
		secs = run_bare(argv[2], argv[3], argv[4], src, count,
		    argv[1][4] != '\0');
	else
		die("mode must be lib, lib-direct, bare or bare-direct");
	printf("%.3f %.3f\n", secs, cpu_secs);
	for (i = 0; i < NKEYS; i++) {
		EVP_PKEY_free(src[i].priv);
		EVP_PKEY_free(src[i].pub);
	}
	return 0;
}
