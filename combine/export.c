/*
 * export.c - escrow-combine export: write the private keys to a new 0600
 * file, as PKCS#8 PEM or in BIND's Private-key-format v1.3.  Only with
 * the long flag; every buffer holding key material is secret memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "cmd.h"
#include "diskspace.h"
#include "input.h"
#include "restore.h"
#include "escrow_keys.h"
#include "secrets.h"
#include "tool.h"

/* Append to the secret output; -1 when memory ran out. */
static int
sbuf_add(struct escrow_text *b, const char *s, size_t n)
{
	escrow_text_put(b, s, n);
	return escrow_text_done(b) == ESCROW_OK ? 0 : -1;
}

/* "Name: base64(bytes)\n" with the bytes and their base64 secret. */
static int
bind_field(struct escrow_text *b, const char *name, const uint8_t *v, size_t n)
{
	char *enc;
	size_t cap = 4 * ((n + 2) / 3) + 1;
	int ret;

	enc = escrow_secret_alloc(cap);
	if (enc == NULL)
		return -1;
	EVP_EncodeBlock((unsigned char *)enc, v, (int)n);
	ret = sbuf_add(b, name, strlen(name)) || sbuf_add(b, ": ", 2) ||
	    sbuf_add(b, enc, strlen(enc)) || sbuf_add(b, "\n", 1);
	escrow_secret_free(enc);
	return ret ? -1 : 0;
}

static int
bind_bn(struct escrow_text *b, EVP_PKEY *k, const char *param, const char *name,
    size_t pad)
{
	BIGNUM *bn = NULL;
	uint8_t *v;
	size_t n;
	int ret = -1;

	if (EVP_PKEY_get_bn_param(k, param, &bn) != 1)
		return -1;
	n = (size_t)BN_num_bytes(bn);
	if (pad > n)
		n = pad;
	v = escrow_secret_alloc(n);
	if (v != NULL && BN_bn2binpad(bn, v, (int)n) == (int)n)
		ret = bind_field(b, name, v, n);
	escrow_secret_free(v);
	BN_clear_free(bn);
	return ret;
}

static int
bind_key(struct escrow_text *b, EVP_PKEY *k, int alg)
{
	static const struct { const char *param, *name; } rsa[] = {
		{ OSSL_PKEY_PARAM_RSA_N, "Modulus" },
		{ OSSL_PKEY_PARAM_RSA_E, "PublicExponent" },
		{ OSSL_PKEY_PARAM_RSA_D, "PrivateExponent" },
		{ OSSL_PKEY_PARAM_RSA_FACTOR1, "Prime1" },
		{ OSSL_PKEY_PARAM_RSA_FACTOR2, "Prime2" },
		{ OSSL_PKEY_PARAM_RSA_EXPONENT1, "Exponent1" },
		{ OSSL_PKEY_PARAM_RSA_EXPONENT2, "Exponent2" },
		{ OSSL_PKEY_PARAM_RSA_COEFFICIENT1, "Coefficient" },
	};
	char head[128];
	uint8_t *raw = NULL;
	size_t i, n = 0;
	int ret = -1;

	snprintf(head, sizeof head, "Private-key-format: v1.3\nAlgorithm: %d (%s)\n",
	    alg, escrow_keys_alg_name(alg));
	if (sbuf_add(b, head, strlen(head)) != 0)
		return -1;
	switch (alg) {
	case ESCROW_ALG_RSASHA256:
	case ESCROW_ALG_RSASHA512:
		for (i = 0; i < sizeof rsa / sizeof rsa[0]; i++)
			if (bind_bn(b, k, rsa[i].param, rsa[i].name, 0) != 0)
				return -1;
		return 0;
	case ESCROW_ALG_ECDSAP256SHA256:
		return bind_bn(b, k, OSSL_PKEY_PARAM_PRIV_KEY, "PrivateKey", 32);
	case ESCROW_ALG_ECDSAP384SHA384:
		return bind_bn(b, k, OSSL_PKEY_PARAM_PRIV_KEY, "PrivateKey", 48);
	default:
		if (EVP_PKEY_get_raw_private_key(k, NULL, &n) != 1)
			return -1;
		raw = escrow_secret_alloc(n);
		if (raw != NULL && EVP_PKEY_get_raw_private_key(k, raw, &n) == 1)
			ret = bind_field(b, "PrivateKey", raw, n);
		escrow_secret_free(raw);
		return ret;
	}
}

/* PKCS#8 PEM through a memory BIO, copied out into secret memory. */
static int
pem_key(struct escrow_text *b, EVP_PKEY *k)
{
	BIO *bio = BIO_new(BIO_s_secmem());
	char *data;
	long n;
	int ret = -1;

	if (bio == NULL)
		bio = BIO_new(BIO_s_mem());
	if (bio == NULL)
		return -1;
	if (PEM_write_bio_PKCS8PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL) == 1) {
		n = BIO_get_mem_data(bio, &data);
		if (n > 0)
			ret = sbuf_add(b, data, (size_t)n);
	}
	BIO_free(bio); /* secure-heap BIOs are cleansed on free */
	return ret;
}

/* Write every key of the restored envelope to path, in format. */
static int
cb_export(struct cb_restore *r, const char *format, const char *path)
{
	struct escrow_text out;
	struct escrow_envelope_key ek;
	size_t i;
	int rc = ESCROW_OK, ret = -1, bind = strcmp(format, "bind") == 0;
	char comment[ESCROW_DNSSEC_NAME_TEXT_MAX + 128];

	escrow_text_init(&out, ESCROW_TEXT_SECRET);
	for (i = 0; i < r->rec.nkeys; i++) {
		EVP_PKEY *k = NULL;

		if ((rc = escrow_envelope_key(r->env, i, &ek)) == ESCROW_OK)
			rc = tool_unwrap_key(r->env, r->S, i, &k, NULL, NULL);
		if (rc == ESCROW_OK && !bind) {
			snprintf(comment, sizeof comment, "# %s key tag %u algorithm %u\n",
			    r->rec.keys[i].owner, r->rec.keys[i].tag, ek.algorithm);
			if (sbuf_add(&out, comment, strlen(comment)) != 0 || pem_key(&out, k) != 0)
				rc = ESCROW_ERR_CRYPTO;
		} else if (rc == ESCROW_OK && bind_key(&out, k, ek.algorithm) != 0) {
			rc = ESCROW_ERR_CRYPTO;
		}
		EVP_PKEY_free(k);
		if (rc != ESCROW_OK)
			goto fail;
	}
	if (tool_write_new(NULL, path, out.p, out.len, 0600) != 0)
		goto out;
	fprintf(stderr,
	    "%s: WROTE %zu PRIVATE KEY%s IN THE CLEAR to `%s' (mode 0600).\n"
	    "  Whoever reads that file can sign as this key. Keep it offline and\n"
	    "  destroy it (shred) as soon as it is no longer needed.\n",
	    tool_name, r->rec.nkeys, r->rec.nkeys == 1 ? "" : "S", path);
	ret = 0;
	goto out;
fail:
	tool_err("key %zu: %s", i + 1, escrow_strerror(rc));
out:
	escrow_text_free(&out);
	return ret;
}

/*
 * Once the envelope is read, before any share: the format holds its keys,
 * -o is new, and its file system has room for them.
 */
static int
out_ready(const struct cb_restore *r, void *ctx)
{
	const struct cb_opts *o = ctx;
	struct tool_space s;
	struct tool_space_keys k;
	struct stat st;

	if (strcmp(o->format, "bind") == 0 && r->rec.nkeys != 1) {
		tool_err("the BIND format holds one key and this envelope has %zu",
		    r->rec.nkeys);
		tool_hint("use --format pem, which holds them all");
		return -1;
	}
	if (lstat(o->output, &st) == 0) {
		tool_err("-o `%s' exists: export writes a new file", o->output);
		tool_hint("name a new file, or move that one away; nothing was asked yet");
		return -1;
	}
	/* base64 of the PKCS#8 (shorter than its wrap), comments, headers */
	tool_space_keys_of(r->env, &r->rec, &k);
	tool_space_init(&s);
	tool_space_add_file(&s, o->output, 2 * k.records + k.nkeys * (256 + k.owner),
	    "the private keys");
	return tool_space_check(&s);
}

int
cb_cmd_export(const struct cb_opts *o)
{
	struct cb_input in;
	struct cb_restore r;
	struct cb_restore_opts ro = { o->passphrase_file, !o->yes, NULL, out_ready,
	    (void *)(uintptr_t)o };
	int ret = TOOL_EXIT_FAIL;

	memset(&r, 0, sizeof r);
	if (cb_input_gather(&in, o->envelope, o->inputs, o->ninputs) == 0 &&
	    cb_restore(&in, &ro, &r) == 0 &&
	    cb_export(&r, o->format, o->output) == 0)
		ret = TOOL_EXIT_OK;
	cb_restore_free(&r);
	cb_input_free(&in);
	return ret;
}
