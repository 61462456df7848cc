/*
 * thresh_params.c - the public parameters of a threshold key (canonical
 * text, strict parser, fingerprint, public key) and the binary record of
 * one custodian's share, with its check against the parameters.
 *
 * Secret: share records and s_i (escrow_secret_alloc() memory; the BIGNUM
 * made from s_i is BN_secure_new() and cleared).  Parameters are public.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/sha.h>

#include "escrow_bytes.h"
#include "thresh_int.h"

#define PARAMS_HEADER "escrow threshold parameters v1"
#define SHARE_MAGIC "ETS"
#define SHARE_VERSION 1
#define SHARE_HEAD (3 + 1 + 3 + ESCROW_THRESH_FPR_BYTES + 2)

struct escrow_thresh_params *
thresh_params_new(void)
{
	struct escrow_thresh_params *p = calloc(1, sizeof *p);
	unsigned i;

	if (p == NULL)
		return NULL;
	p->n = BN_new();
	p->e = BN_new();
	p->v = BN_new();
	if (p->n == NULL || p->e == NULL || p->v == NULL)
		goto fail;
	for (i = 0; i < ESCROW_THRESH_MAX_PLAYERS; i++)
		if ((p->vi[i] = BN_new()) == NULL)
			goto fail;
	return p;
fail:
	escrow_thresh_params_free(p);
	return NULL;
}

void
escrow_thresh_params_free(struct escrow_thresh_params *p)
{
	unsigned i;

	if (p == NULL)
		return;
	BN_free(p->n);
	BN_free(p->e);
	BN_free(p->v);
	for (i = 0; i < ESCROW_THRESH_MAX_PLAYERS; i++)
		BN_free(p->vi[i]);
	free(p);
}

int
thresh_bn_put(const BIGNUM *a, uint8_t *out, size_t len)
{
	if (BN_is_negative(a) || len > 0x7fffffff ||
	    BN_bn2binpad(a, out, (int)len) != (int)len)
		return ESCROW_ERR_CRYPTO;
	return ESCROW_OK;
}

int
thresh_delta(unsigned count, BIGNUM *delta)
{
	unsigned i;

	if (!BN_one(delta))
		return ESCROW_ERR_CRYPTO;
	for (i = 2; i <= count; i++)
		if (!BN_mul_word(delta, i))
			return ESCROW_ERR_CRYPTO;
	return ESCROW_OK;
}

int
thresh_exp_signed(BIGNUM *r, const BIGNUM *a, const BIGNUM *k,
    const BIGNUM *n, BN_CTX *ctx)
{
	BIGNUM *base = BN_new(), *ak = BN_dup(k);
	int ret = ESCROW_ERR_CRYPTO;

	if (base == NULL || ak == NULL)
		goto done;
	if (BN_is_negative(k)) {
		BN_set_negative(ak, 0);
		if (BN_mod_inverse(base, a, n, ctx) == NULL)
			goto done;
	} else if (BN_copy(base, a) == NULL) {
		goto done;
	}
	if (!BN_mod_exp(r, base, ak, n, ctx))
		goto done;
	ret = ESCROW_OK;
done:
	BN_free(base);
	BN_free(ak);
	return ret;
}

/* ---- canonical text ------------------------------------------------------ */

static int
put_hex(char **buf, size_t *len, size_t *cap, const char *key,
    const BIGNUM *v, size_t nbytes)
{
	uint8_t bin[ESCROW_THRESH_MOD_MAX];
	size_t need = strlen(key) + 1 + 2 * nbytes + 2, i;
	static const char hexd[] = "0123456789ABCDEF";

	if (*len + need > *cap) {
		char *nb = realloc(*buf, *len + need + 4096);

		if (nb == NULL)
			return ESCROW_ERR_NOMEM;
		*buf = nb;
		*cap = *len + need + 4096;
	}
	if (thresh_bn_put(v, bin, nbytes) != 0)
		return ESCROW_ERR_CRYPTO;
	*len += (size_t)snprintf(*buf + *len, *cap - *len, "%s ", key);
	for (i = 0; i < nbytes; i++) {
		(*buf)[(*len)++] = hexd[bin[i] >> 4];
		(*buf)[(*len)++] = hexd[bin[i] & 15];
	}
	(*buf)[(*len)++] = '\n';
	(*buf)[*len] = '\0';
	return ESCROW_OK;
}

int
escrow_thresh_params_text(const struct escrow_thresh_params *p, char **text,
    size_t *len)
{
	size_t cap = 8192, n = 0;
	char *buf, key[16];
	unsigned i;
	int ret;

	if (p == NULL || text == NULL)
		return ESCROW_ERR_INVALID_ARG;
	*text = NULL;
	if ((buf = malloc(cap)) == NULL)
		return ESCROW_ERR_NOMEM;
	n = (size_t)snprintf(buf, cap,
	    PARAMS_HEADER "\nalgorithm %d\nowner %s\nthreshold %u\n"
	    "custodians %u\nbits %d\ne %lu\n", p->alg, p->owner, p->threshold,
	    p->count, BN_num_bits(p->n), (unsigned long)BN_get_word(p->e));
	if (n >= cap) {
		free(buf);
		return ESCROW_ERR_TOO_LARGE;
	}
	ret = put_hex(&buf, &n, &cap, "n", p->n, p->nbytes);
	if (ret == 0)
		ret = put_hex(&buf, &n, &cap, "v", p->v, p->nbytes);
	for (i = 0; ret == 0 && i < p->count; i++) {
		snprintf(key, sizeof key, "v%u", i + 1);
		ret = put_hex(&buf, &n, &cap, key, p->vi[i], p->nbytes);
	}
	if (ret != 0) {
		free(buf);
		return ret;
	}
	*text = buf;
	if (len != NULL)
		*len = n;
	return ESCROW_OK;
}

int
thresh_params_finish(struct escrow_thresh_params *p)
{
	char *text = NULL;
	size_t len = 0;
	int ret;

	p->nbytes = (size_t)BN_num_bytes(p->n);
	if ((ret = escrow_thresh_params_text(p, &text, &len)) != 0)
		return ret;
	SHA256((const unsigned char *)text, len, p->fpr);
	free(text);
	return ESCROW_OK;
}

/* One "key value" line of the text; value copied into val (NUL-terminated). */
static int
get_line(const char **s, const char *end, const char *key, char *val,
    size_t cap)
{
	const char *nl = memchr(*s, '\n', (size_t)(end - *s));
	size_t kl = strlen(key), vl;

	if (nl == NULL || (size_t)(nl - *s) <= kl + 1 ||
	    memcmp(*s, key, kl) != 0 || (*s)[kl] != ' ')
		return ESCROW_ERR_FORMAT;
	vl = (size_t)(nl - *s) - kl - 1;
	if (vl + 1 > cap)
		return ESCROW_ERR_FORMAT;
	memcpy(val, *s + kl + 1, vl);
	val[vl] = '\0';
	*s = nl + 1;
	return ESCROW_OK;
}

static int
get_uint(const char *val, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	const char *c;

	if (*val == '\0' || (val[0] == '0' && val[1] != '\0'))
		return ESCROW_ERR_FORMAT;
	for (c = val; *c; c++) {
		if (*c < '0' || *c > '9')
			return ESCROW_ERR_FORMAT;
		v = v * 10 + (unsigned long)(*c - '0');
		if (v > max)
			return ESCROW_ERR_FORMAT;
	}
	*out = v;
	return ESCROW_OK;
}

static int
get_bn(const char *val, BIGNUM *b)
{
	const char *c;

	for (c = val; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'F')))
			return ESCROW_ERR_FORMAT;
	if (c == val || c - val > 2 * ESCROW_THRESH_MOD_MAX)
		return ESCROW_ERR_FORMAT;
	return BN_hex2bn(&b, val) > 0 ? ESCROW_OK : ESCROW_ERR_FORMAT;
}

int
escrow_thresh_params_parse(const char *text, size_t len,
    struct escrow_thresh_params **out, unsigned *bad_line)
{
	struct escrow_thresh_params *p = NULL;
	const char *s = text, *end = text + len;
	char val[2 * ESCROW_THRESH_MOD_MAX + 8], key[16];
	char *canon = NULL;
	size_t clen = 0;
	unsigned long u, bits;
	unsigned line = 1, i;
	int ret = ESCROW_ERR_FORMAT;

	if (text == NULL || out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	*out = NULL;
	if (bad_line != NULL)
		*bad_line = 0;
	if (len > 1 << 20)
		return ESCROW_ERR_TOO_LARGE;
	if ((p = thresh_params_new()) == NULL)
		return ESCROW_ERR_NOMEM;
	if (len < sizeof PARAMS_HEADER ||
	    memcmp(s, PARAMS_HEADER "\n", sizeof PARAMS_HEADER) != 0)
		goto done;
	s += sizeof PARAMS_HEADER;
	line++;
	if (get_line(&s, end, "algorithm", val, sizeof val) != 0 ||
	    get_uint(val, 255, &u) != 0 || (u != 8 && u != 10))
		goto done;
	p->alg = (int)u;
	line++;
	if (get_line(&s, end, "owner", val, THRESH_OWNER_MAX) != 0)
		goto done;
	memcpy(p->owner, val, strlen(val) + 1);
	line++;
	if (get_line(&s, end, "threshold", val, sizeof val) != 0 ||
	    get_uint(val, ESCROW_THRESH_MAX_PLAYERS, &u) != 0 || u < 1)
		goto done;
	p->threshold = (unsigned)u;
	line++;
	if (get_line(&s, end, "custodians", val, sizeof val) != 0 ||
	    get_uint(val, ESCROW_THRESH_MAX_PLAYERS, &u) != 0 ||
	    u < p->threshold)
		goto done;
	p->count = (unsigned)u;
	line++;
	if (get_line(&s, end, "bits", val, sizeof val) != 0 ||
	    get_uint(val, 4096, &bits) != 0 || bits < 512)
		goto done;
	line++;
	if (get_line(&s, end, "e", val, sizeof val) != 0 ||
	    get_uint(val, ESCROW_THRESH_PUBLIC_EXPONENT, &u) != 0 ||
	    u != ESCROW_THRESH_PUBLIC_EXPONENT ||
	    !BN_set_word(p->e, u))
		goto done;
	line++;
	if (get_line(&s, end, "n", val, sizeof val) != 0 ||
	    get_bn(val, p->n) != 0 || BN_num_bits(p->n) != (int)bits ||
	    !BN_is_odd(p->n))
		goto done;
	line++;
	if (get_line(&s, end, "v", val, sizeof val) != 0 ||
	    get_bn(val, p->v) != 0 || BN_is_zero(p->v) ||
	    BN_cmp(p->v, p->n) >= 0)
		goto done;
	for (i = 0; i < p->count; i++) {
		line++;
		snprintf(key, sizeof key, "v%u", i + 1);
		if (get_line(&s, end, key, val, sizeof val) != 0 ||
		    get_bn(val, p->vi[i]) != 0 || BN_is_zero(p->vi[i]) ||
		    BN_cmp(p->vi[i], p->n) >= 0)
			goto done;
	}
	line = 0;
	if (s != end) {
		ret = ESCROW_ERR_TRAILING;
		goto done;
	}
	if ((ret = thresh_params_finish(p)) != 0)
		goto done;
	/* canonical form only: one text for one key, one fingerprint */
	if ((ret = escrow_thresh_params_text(p, &canon, &clen)) != 0)
		goto done;
	if (clen != len || memcmp(canon, text, len) != 0) {
		ret = ESCROW_ERR_FORMAT;
		goto done;
	}
	*out = p;
	p = NULL;
	ret = ESCROW_OK;
done:
	if (ret != ESCROW_OK && bad_line != NULL)
		*bad_line = line;
	free(canon);
	escrow_thresh_params_free(p);
	return ret;
}

/* ---- accessors ------------------------------------------------------------ */

unsigned
escrow_thresh_params_threshold(const struct escrow_thresh_params *p)
{
	return p->threshold;
}

unsigned
escrow_thresh_params_count(const struct escrow_thresh_params *p)
{
	return p->count;
}

int
escrow_thresh_params_alg(const struct escrow_thresh_params *p)
{
	return p->alg;
}

unsigned
escrow_thresh_params_bits(const struct escrow_thresh_params *p)
{
	return (unsigned)BN_num_bits(p->n);
}

const char *
escrow_thresh_params_owner(const struct escrow_thresh_params *p)
{
	return p->owner;
}

void
escrow_thresh_params_fingerprint(const struct escrow_thresh_params *p,
    uint8_t fpr[static ESCROW_THRESH_FPR_BYTES])
{
	memcpy(fpr, p->fpr, ESCROW_THRESH_FPR_BYTES);
}

int
escrow_thresh_params_dnskey_pub(const struct escrow_thresh_params *p,
    uint8_t *out, size_t cap, size_t *len)
{
	if (cap < 4 + p->nbytes)
		return ESCROW_ERR_BUFFER_TOO_SMALL;
	out[0] = 3;
	out[1] = 0x01;
	out[2] = 0x00;
	out[3] = 0x01;
	if (thresh_bn_put(p->n, out + 4, p->nbytes) != 0)
		return ESCROW_ERR_CRYPTO;
	*len = 4 + p->nbytes;
	return ESCROW_OK;
}

int
escrow_thresh_params_public_key(const struct escrow_thresh_params *p,
    EVP_PKEY **out)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	int ret = ESCROW_ERR_CRYPTO;

	*out = NULL;
	if (bld == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, p->n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, p->e) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		goto done;
	ret = ESCROW_OK;
done:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return ret;
}

/* ---- share records (SECRET) ----------------------------------------------- */

unsigned
escrow_thresh_share_index(const struct escrow_thresh_share *s)
{
	return s->index;
}

const uint8_t *
escrow_thresh_share_params_fpr(const struct escrow_thresh_share *s)
{
	return s->fpr;
}

size_t
escrow_thresh_share_record_len(const struct escrow_thresh_share *s)
{
	return SHARE_HEAD + s->s_len;
}

int
escrow_thresh_share_record(const struct escrow_thresh_share *s, uint8_t *out,
    size_t cap, size_t *len)
{
	size_t need = SHARE_HEAD + s->s_len;

	if (cap < need)
		return ESCROW_ERR_BUFFER_TOO_SMALL;
	memcpy(out, SHARE_MAGIC, 3);
	out[3] = SHARE_VERSION;
	out[4] = (uint8_t)s->index;
	out[5] = (uint8_t)s->threshold;
	out[6] = (uint8_t)s->count;
	memcpy(out + 7, s->fpr, ESCROW_THRESH_FPR_BYTES);
	escrow_put16(out + 7 + ESCROW_THRESH_FPR_BYTES, (uint16_t)s->s_len);
	memcpy(out + SHARE_HEAD, s->s, s->s_len);
	*len = need;
	return ESCROW_OK;
}

int
escrow_thresh_share_from_record(const uint8_t *rec, size_t len,
    struct escrow_thresh_share **out)
{
	struct escrow_thresh_share *s;
	size_t slen;

	*out = NULL;
	if (len < SHARE_HEAD)
		return ESCROW_ERR_TRUNCATED;
	if (memcmp(rec, SHARE_MAGIC, 3) != 0)
		return ESCROW_ERR_FORMAT;
	if (rec[3] != SHARE_VERSION)
		return ESCROW_ERR_VERSION;
	slen = escrow_get16(rec + 7 + ESCROW_THRESH_FPR_BYTES);
	if (rec[4] < 1 || rec[5] < 1 || rec[5] > rec[6] ||
	    rec[6] > ESCROW_THRESH_MAX_PLAYERS || rec[4] > rec[6] ||
	    slen < 32 || slen > ESCROW_THRESH_MOD_MAX)
		return ESCROW_ERR_FORMAT;
	if (len < SHARE_HEAD + slen)
		return ESCROW_ERR_TRUNCATED;
	if (len > SHARE_HEAD + slen)
		return ESCROW_ERR_TRAILING;
	if ((s = escrow_secret_alloc(sizeof *s)) == NULL)
		return ESCROW_ERR_NOMEM;
	s->index = rec[4];
	s->threshold = rec[5];
	s->count = rec[6];
	memcpy(s->fpr, rec + 7, ESCROW_THRESH_FPR_BYTES);
	s->s_len = slen;
	memcpy(s->s, rec + SHARE_HEAD, slen);
	*out = s;
	return ESCROW_OK;
}

BIGNUM *
thresh_share_bn(const struct escrow_thresh_share *s)
{
	BIGNUM *b = BN_secure_new();

	if (b == NULL)
		return NULL;
	BN_set_flags(b, BN_FLG_CONSTTIME);
	if (BN_bin2bn(s->s, (int)s->s_len, b) == NULL) {
		BN_clear_free(b);
		return NULL;
	}
	return b;
}

int
escrow_thresh_share_check(const struct escrow_thresh_params *p,
    const struct escrow_thresh_share *s)
{
	BN_CTX *ctx = NULL;
	BIGNUM *si = NULL, *t = NULL;
	int ret = ESCROW_ERR_CRYPTO;

	if (p == NULL || s == NULL)
		return ESCROW_ERR_INVALID_ARG;
	if (!escrow_equal(s->fpr, p->fpr, sizeof p->fpr) ||
	    s->threshold != p->threshold || s->count != p->count ||
	    s->index < 1 || s->index > p->count)
		return ESCROW_ERR_SET_MISMATCH;
	if ((ctx = BN_CTX_secure_new()) == NULL || (t = BN_new()) == NULL ||
	    (si = thresh_share_bn(s)) == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto done;
	}
	if (!BN_mod_exp_mont_consttime(t, p->v, si, p->n, ctx, NULL))
		goto done;
	ret = BN_cmp(t, p->vi[s->index - 1]) == 0 ? ESCROW_OK :
	    ESCROW_ERR_COMMITMENT;
done:
	BN_clear_free(si);
	BN_free(t);
	BN_CTX_free(ctx);
	return ret;
}
