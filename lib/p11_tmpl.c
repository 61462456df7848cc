/*
 * p11_tmpl.c - PKCS#11 attribute templates built from OpenSSL keys; the
 * facts per DNSSEC algorithm (key type, curve OID, mechanisms) come from
 * the one table in lib/keys.c.
 *
 * Secret: the private components escrow_p11_i_tmpl_private_parts() copies (RSA
 * d, p, q, dP, dQ, qInv; EC scalars; EdDSA seeds).  Template values live
 * in one escrow_secret_alloc() buffer, wiped when the template is freed;
 * OpenSSL BIGNUMs that carry them are BN_secure_new() and cleared.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>

#include "escrow_keys.h"
#include "p11_int.h"

const struct keys_alginfo *
escrow_p11_i_alg_find(int algorithm)
{
	return escrow_keys_i_info(algorithm);
}

const char *
escrow_p11_i_kclass_name(enum keys_class k)
{
	static const char *names[KEYS_CLASS_COUNT] = { "RSA", "ECDSA P-256",
	    "ECDSA P-384", "Ed25519", "Ed448" };

	return (unsigned)k < KEYS_CLASS_COUNT ? names[k] : "?";
}

int
escrow_p11_i_alg_matches(const struct keys_alginfo *a, EVP_PKEY *pkey)
{
	return pkey != NULL && escrow_keys_check_alg(pkey, a->alg) == ESCROW_OK;
}

int
escrow_p11_i_tmpl_init(struct escrow_p11_i_tmpl *t, size_t cap)
{
	memset(t, 0, sizeof *t);
	t->buf = escrow_secret_alloc(cap);
	if (t->buf == NULL)
		return ESCROW_ERR_NOMEM;
	t->cap = cap;
	return ESCROW_OK;
}

void
escrow_p11_i_tmpl_free(struct escrow_p11_i_tmpl *t)
{
	escrow_secret_free(t->buf); /* wipes */
	memset(t, 0, sizeof *t);
}

void
escrow_p11_i_tmpl_reset(struct escrow_p11_i_tmpl *t)
{
	escrow_wipe(t->buf, t->used);
	t->used = 0;
	t->n = 0;
	t->overflow = 0;
}

/* Reserve len bytes in the buffer for a new attribute; NULL on overflow. */
static void *
add(struct escrow_p11_i_tmpl *t, CK_ATTRIBUTE_TYPE type, size_t len)
{
	void *v;

	if (t->overflow || t->n >= P11_TMPL_MAX || t->cap - t->used < len) {
		t->overflow = 1;
		return NULL;
	}
	v = t->buf + t->used;
	t->used += (len + 7) & ~(size_t)7; /* keep CK_ULONGs aligned */
	if (t->used > t->cap)
		t->used = t->cap;
	t->a[t->n].type = type;
	t->a[t->n].pValue = v;
	t->a[t->n].ulValueLen = len;
	t->n++;
	return v;
}

void
escrow_p11_i_tmpl_bytes(struct escrow_p11_i_tmpl *t, CK_ATTRIBUTE_TYPE type, const void *v,
    size_t len)
{
	void *d = add(t, type, len);

	if (d != NULL && len > 0)
		memcpy(d, v, len);
}

void
escrow_p11_i_tmpl_bool(struct escrow_p11_i_tmpl *t, CK_ATTRIBUTE_TYPE type, int v)
{
	CK_BBOOL b = v ? CK_TRUE : CK_FALSE;

	escrow_p11_i_tmpl_bytes(t, type, &b, sizeof b);
}

void
escrow_p11_i_tmpl_ulong(struct escrow_p11_i_tmpl *t, CK_ATTRIBUTE_TYPE type, CK_ULONG v)
{
	escrow_p11_i_tmpl_bytes(t, type, &v, sizeof v);
}

void
escrow_p11_i_tmpl_drop(struct escrow_p11_i_tmpl *t, CK_ATTRIBUTE_TYPE type)
{
	CK_ULONG i;

	for (i = 0; i < t->n; i++) {
		if (t->a[i].type != type)
			continue;
		memmove(&t->a[i], &t->a[i + 1], (t->n - i - 1) * sizeof t->a[0]);
		t->n--;
		return;
	}
}

/* Copy a BIGNUM parameter of pkey (big-endian, pad bytes if pad > 0). */
static int
bn_attr(struct escrow_p11_i_tmpl *t, CK_ATTRIBUTE_TYPE type, EVP_PKEY *pkey,
    const char *param, int pad)
{
	BIGNUM *bn = BN_secure_new();
	int len, ret = ESCROW_ERR_KEY_PARSE;
	uint8_t *d;

	if (bn == NULL)
		return ESCROW_ERR_NOMEM;
	if (!EVP_PKEY_get_bn_param(pkey, param, &bn))
		goto out;
	len = pad > 0 ? pad : BN_num_bytes(bn);
	if (len <= 0 || (pad > 0 && BN_num_bytes(bn) > pad))
		goto out;
	d = add(t, type, (size_t)len);
	if (d == NULL) {
		ret = ESCROW_ERR_BUFFER_TOO_SMALL;
		goto out;
	}
	if (BN_bn2binpad(bn, d, len) != len)
		goto out;
	ret = ESCROW_OK;
out:
	BN_clear_free(bn);
	return ret;
}

static int
field_bytes(const struct keys_alginfo *a)
{
	return (int)a->field;
}

int
escrow_p11_i_tmpl_public_parts(struct escrow_p11_i_tmpl *t, const struct keys_alginfo *a,
    EVP_PKEY *pub)
{
	uint8_t pt[2 + 133];
	size_t len = 0;
	int ret;

	if (a->kclass == KEYS_CLASS_RSA) {
		ret = bn_attr(t, CKA_MODULUS, pub, OSSL_PKEY_PARAM_RSA_N, 0);
		if (ret == ESCROW_OK)
			ret = bn_attr(t, CKA_PUBLIC_EXPONENT, pub,
			    OSSL_PKEY_PARAM_RSA_E, 0);
		return ret;
	}
	escrow_p11_i_tmpl_bytes(t, CKA_EC_PARAMS, a->curve_oid, a->curve_oid_len);
	if (a->ck_key_type == CKK_EC) {
		if (!EVP_PKEY_get_octet_string_param(pub,
		    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pt + 2, sizeof pt - 2,
		    &len) || len != (size_t)(1 + 2 * field_bytes(a)))
			return ESCROW_ERR_KEY_PARSE;
	} else {
		len = sizeof pt - 2;
		if (!EVP_PKEY_get_raw_public_key(pub, pt + 2, &len))
			return ESCROW_ERR_KEY_PARSE;
	}
	/* CKA_EC_POINT is a DER OCTET STRING; every length here is < 128 */
	pt[0] = 0x04;
	pt[1] = (uint8_t)len;
	escrow_p11_i_tmpl_bytes(t, CKA_EC_POINT, pt, len + 2);
	return t->overflow ? ESCROW_ERR_BUFFER_TOO_SMALL : ESCROW_OK;
}

int
escrow_p11_i_tmpl_private_parts(struct escrow_p11_i_tmpl *t, const struct keys_alginfo *a,
    EVP_PKEY *priv)
{
	static const struct {
		CK_ATTRIBUTE_TYPE type;
		const char *param;
	} rsa[] = {
		{ CKA_MODULUS, OSSL_PKEY_PARAM_RSA_N },
		{ CKA_PUBLIC_EXPONENT, OSSL_PKEY_PARAM_RSA_E },
		{ CKA_PRIVATE_EXPONENT, OSSL_PKEY_PARAM_RSA_D },
		{ CKA_PRIME_1, OSSL_PKEY_PARAM_RSA_FACTOR1 },
		{ CKA_PRIME_2, OSSL_PKEY_PARAM_RSA_FACTOR2 },
		{ CKA_EXPONENT_1, OSSL_PKEY_PARAM_RSA_EXPONENT1 },
		{ CKA_EXPONENT_2, OSSL_PKEY_PARAM_RSA_EXPONENT2 },
		{ CKA_COEFFICIENT, OSSL_PKEY_PARAM_RSA_COEFFICIENT1 },
	};
	size_t i, len;
	uint8_t *d;
	int ret = ESCROW_OK;

	if (a->kclass == KEYS_CLASS_RSA) {
		for (i = 0; i < sizeof rsa / sizeof rsa[0] && ret == ESCROW_OK;
		    i++)
			ret = bn_attr(t, rsa[i].type, priv, rsa[i].param, 0);
		return ret;
	}
	escrow_p11_i_tmpl_bytes(t, CKA_EC_PARAMS, a->curve_oid, a->curve_oid_len);
	if (a->ck_key_type == CKK_EC)
		return bn_attr(t, CKA_VALUE, priv, OSSL_PKEY_PARAM_PRIV_KEY,
		    field_bytes(a));
	/* EdDSA: CKA_VALUE is the seed (RFC 8032 private key) */
	len = a->field;
	d = add(t, CKA_VALUE, len);
	if (d == NULL)
		return ESCROW_ERR_BUFFER_TOO_SMALL;
	if (!EVP_PKEY_get_raw_private_key(priv, d, &len))
		return ESCROW_ERR_KEY_PARSE;
	return ESCROW_OK;
}

static int
has_attr(const struct escrow_p11_i_tmpl *t, CK_ATTRIBUTE_TYPE type)
{
	CK_ULONG i;

	for (i = 0; i < t->n; i++)
		if (t->a[i].type == type)
			return 1;
	return 0;
}

/*
 * MODIFIABLE=false is wanted but optional.  Call after every create or
 * unwrap with its result; 1 means: MODIFIABLE was dropped, call again (and
 * call this once more with the new result).  The token's answer is cached.
 */
int
escrow_p11_i_tmpl_modifiable_retry(struct escrow_p11 *p, enum escrow_p11_i_op op, CK_RV rv,
    struct escrow_p11_i_tmpl *t)
{
	int has = has_attr(t, CKA_MODIFIABLE);

	if (has && rv == CKR_OK) {
		p->modifiable_false_ok[op] = CAP_YES;
		return 0;
	}
	if (!has && rv == CKR_OK && p->modifiable_false_ok[op] == CAP_UNKNOWN) {
		p->modifiable_false_ok[op] = CAP_NO;
		return 0;
	}
	if (!has || p->modifiable_false_ok[op] == CAP_YES)
		return 0;
	if (rv != CKR_ATTRIBUTE_TYPE_INVALID && rv != CKR_ATTRIBUTE_READ_ONLY &&
	    rv != CKR_TEMPLATE_INCONSISTENT &&
	    rv != CKR_ATTRIBUTE_VALUE_INVALID)
		return 0;
	escrow_p11_i_tmpl_drop(t, CKA_MODIFIABLE);
	return 1;
}

int
escrow_p11_i_tmpl_private_base(struct escrow_p11 *p, struct escrow_p11_i_tmpl *t,
    const struct keys_alginfo *a, const char *label, const uint8_t *id,
    size_t id_len, int token, enum escrow_p11_i_op op)
{
	escrow_p11_i_tmpl_ulong(t, CKA_CLASS, CKO_PRIVATE_KEY);
	escrow_p11_i_tmpl_ulong(t, CKA_KEY_TYPE, a->ck_key_type);
	escrow_p11_i_tmpl_bool(t, CKA_TOKEN, token);
	escrow_p11_i_tmpl_bool(t, CKA_PRIVATE, 1);
	escrow_p11_i_tmpl_bool(t, CKA_SENSITIVE, 1);
	escrow_p11_i_tmpl_bool(t, CKA_EXTRACTABLE, 0);
	escrow_p11_i_tmpl_bool(t, CKA_SIGN, 1);
	escrow_p11_i_tmpl_bool(t, CKA_DECRYPT, 0);
	escrow_p11_i_tmpl_bool(t, CKA_UNWRAP, 0);
	escrow_p11_i_tmpl_bool(t, CKA_DERIVE, 0);
	escrow_p11_i_tmpl_bool(t, CKA_SIGN_RECOVER, 0);
	if (p->modifiable_false_ok[op] != CAP_NO)
		escrow_p11_i_tmpl_bool(t, CKA_MODIFIABLE, 0);
	if (label != NULL)
		escrow_p11_i_tmpl_bytes(t, CKA_LABEL, label, strlen(label));
	if (id != NULL)
		escrow_p11_i_tmpl_bytes(t, CKA_ID, id, id_len);
	return t->overflow ? ESCROW_ERR_BUFFER_TOO_SMALL : ESCROW_OK;
}
