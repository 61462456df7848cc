/*
 * dnssec.c - DNSKEY and DS records of a key: RDATA, key tag (RFC 4034
 * App. B), DS digests (RFC 4034 5.1.4, RFC 4509, RFC 6605), presentation
 * lines, and the BIND-style public .key file.  Public data only.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "escrow_bytes.h"
#include "escrow_dnssec.h"
#include "dnssec_int.h"

int
escrow_dnssec_dnskey_init(struct escrow_dnskey *k, const char *owner,
    uint16_t flags, int alg, const uint8_t *pub, size_t publen)
{
	int ret;

	if (k == NULL || owner == NULL || pub == NULL)
		return ESCROW_ERR_INVALID_ARG;
	memset(k, 0, sizeof *k);
	if (alg < 1 || alg > 255)
		return ESCROW_ERR_ALGORITHM;
	if (publen == 0 || publen > sizeof k->pubkey)
		return ESCROW_ERR_TOO_LARGE;
	ret = escrow_dnssec_name_from_text(owner, k->owner, &k->owner_len);
	if (ret != ESCROW_OK)
		return ret;
	k->ttl = ESCROW_DNSSEC_TTL_DEFAULT;
	k->flags = flags != 0 ? flags : ESCROW_DNSSEC_FLAGS_KSK;
	k->protocol = ESCROW_DNSSEC_PROTOCOL;
	k->algorithm = (uint8_t)alg;
	memcpy(k->pubkey, pub, publen);
	k->pubkey_len = publen;
	return ESCROW_OK;
}

int
escrow_dnssec_dnskey_from_key(struct escrow_dnskey *k, const char *owner,
    uint16_t flags, int alg, const EVP_PKEY *key)
{
	uint8_t pub[ESCROW_KEYS_PUBKEY_MAX];
	size_t len = 0;
	int ret;

	if (k == NULL)
		return ESCROW_ERR_INVALID_ARG;
	memset(k, 0, sizeof *k);
	ret = escrow_keys_dnskey_pub(key, alg, pub, sizeof pub, &len);
	if (ret != ESCROW_OK)
		return ret;
	return escrow_dnssec_dnskey_init(k, owner, flags, alg, pub, len);
}

static int
dnskey_ok(const struct escrow_dnskey *k)
{
	return k != NULL && escrow_dnssec_i_name_valid(k->owner, k->owner_len) &&
	    k->pubkey_len > 0 && k->pubkey_len <= sizeof k->pubkey;
}

int
escrow_dnssec_dnskey_rdata(const struct escrow_dnskey *k, uint8_t *out,
    size_t cap, size_t *len)
{
	if (!dnskey_ok(k) || out == NULL || len == NULL)
		return ESCROW_ERR_INVALID_ARG;
	if (cap < 4 + k->pubkey_len)
		return ESCROW_ERR_BUFFER_TOO_SMALL;
	escrow_put16(out, k->flags);
	out[2] = k->protocol;
	out[3] = k->algorithm;
	memcpy(out + 4, k->pubkey, k->pubkey_len);
	*len = 4 + k->pubkey_len;
	return ESCROW_OK;
}

uint16_t
escrow_dnssec_keytag_rdata(const uint8_t *rdata, size_t len)
{
	uint32_t ac = 0;
	size_t i;

	if (rdata == NULL)
		return 0;
	for (i = 0; i < len; i++)
		ac += (i & 1) ? rdata[i] : (uint32_t)rdata[i] << 8;
	ac += (ac >> 16) & 0xffff;
	return (uint16_t)(ac & 0xffff);
}

uint16_t
escrow_dnssec_keytag(const struct escrow_dnskey *k)
{
	uint8_t rdata[4 + ESCROW_KEYS_PUBKEY_MAX];
	size_t len = 0;

	if (escrow_dnssec_dnskey_rdata(k, rdata, sizeof rdata, &len) != ESCROW_OK)
		return 0;
	return escrow_dnssec_keytag_rdata(rdata, len);
}

int
escrow_dnssec_dnskey_text(const struct escrow_dnskey *k, char *out, size_t cap)
{
	char owner[ESCROW_DNSSEC_NAME_TEXT_MAX];
	struct escrow_text tb;
	int ret;

	if (!dnskey_ok(k) || out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	ret = escrow_dnssec_name_to_text(k->owner, k->owner_len, owner,
	    sizeof owner);
	if (ret != ESCROW_OK)
		return ret;
	escrow_text_init_fixed(&tb, out, cap);
	escrow_text_printf(&tb, "%s %u IN DNSKEY %u %u %u ", owner,
	    (unsigned)k->ttl, k->flags, k->protocol, k->algorithm);
	escrow_text_base64(&tb, k->pubkey, k->pubkey_len);
	return escrow_text_done(&tb);
}

int
escrow_dnssec_ds_make(const struct escrow_dnskey *k, int digest_type,
    struct escrow_ds *ds)
{
	uint8_t rdata[4 + ESCROW_KEYS_PUBKEY_MAX];
	uint8_t name[ESCROW_DNSSEC_NAME_MAX];
	const EVP_MD *md;
	EVP_MD_CTX *ctx = NULL;
	unsigned int dlen = 0;
	size_t rlen = 0;
	int ret;

	if (!dnskey_ok(k) || ds == NULL)
		return ESCROW_ERR_INVALID_ARG;
	memset(ds, 0, sizeof *ds);
	if (digest_type == ESCROW_DNSSEC_DIGEST_SHA256)
		md = EVP_sha256();
	else if (digest_type == ESCROW_DNSSEC_DIGEST_SHA384)
		md = EVP_sha384();
	else
		return ESCROW_ERR_UNSUPPORTED;
	ret = escrow_dnssec_dnskey_rdata(k, rdata, sizeof rdata, &rlen);
	if (ret != ESCROW_OK)
		return ret;
	memcpy(name, k->owner, k->owner_len);
	ret = escrow_dnssec_name_canonical(name, k->owner_len);
	if (ret != ESCROW_OK)
		return ret;
	ctx = EVP_MD_CTX_new();
	ret = ESCROW_ERR_CRYPTO;
	if (ctx == NULL || EVP_DigestInit_ex(ctx, md, NULL) != 1 ||
	    EVP_DigestUpdate(ctx, name, k->owner_len) != 1 ||
	    EVP_DigestUpdate(ctx, rdata, rlen) != 1 ||
	    EVP_DigestFinal_ex(ctx, ds->digest, &dlen) != 1 ||
	    dlen != escrow_dnssec_i_digest_len(digest_type))
		goto out;
	memcpy(ds->owner, k->owner, k->owner_len);
	ds->owner_len = k->owner_len;
	ds->ttl = k->ttl;
	ds->key_tag = escrow_dnssec_keytag_rdata(rdata, rlen);
	ds->algorithm = k->algorithm;
	ds->digest_type = (uint8_t)digest_type;
	ds->digest_len = dlen;
	ret = ESCROW_OK;
out:
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ret;
}

int
escrow_dnssec_ds_text(const struct escrow_ds *ds, char *out, size_t cap)
{
	char owner[ESCROW_DNSSEC_NAME_TEXT_MAX];
	struct escrow_text tb;
	int ret;

	if (ds == NULL || out == NULL || ds->digest_len == 0 ||
	    ds->digest_len > sizeof ds->digest)
		return ESCROW_ERR_INVALID_ARG;
	ret = escrow_dnssec_name_to_text(ds->owner, ds->owner_len, owner,
	    sizeof owner);
	if (ret != ESCROW_OK)
		return ret;
	escrow_text_init_fixed(&tb, out, cap);
	escrow_text_printf(&tb, "%s %u IN DS %u %u %u ", owner,
	    (unsigned)ds->ttl, ds->key_tag, ds->algorithm, ds->digest_type);
	escrow_text_hex(&tb, ds->digest, ds->digest_len, 1);
	return escrow_text_done(&tb);
}

int
escrow_dnssec_ds_check(const struct escrow_ds *ds, const struct escrow_dnskey *k)
{
	struct escrow_ds mine;
	int ret;

	if (ds == NULL || !dnskey_ok(k))
		return ESCROW_ERR_INVALID_ARG;
	if (escrow_dnssec_i_digest_len(ds->digest_type) == 0 ||
	    ds->digest_type == 1)
		return ESCROW_ERR_UNSUPPORTED;
	ret = escrow_dnssec_ds_make(k, ds->digest_type, &mine);
	if (ret != ESCROW_OK)
		return ret;
	if (!escrow_dnssec_i_name_eq(ds->owner, ds->owner_len, k->owner,
	    k->owner_len) || ds->key_tag != mine.key_tag ||
	    ds->algorithm != mine.algorithm ||
	    ds->digest_len != mine.digest_len ||
	    memcmp(ds->digest, mine.digest, mine.digest_len) != 0)
		return ESCROW_ERR_DIGEST_MISMATCH;
	return ESCROW_OK;
}

int
escrow_dnssec_keyfile_name(const struct escrow_dnskey *k, char *out, size_t cap)
{
	struct escrow_text tb;
	size_t i = 0;

	if (!dnskey_ok(k) || out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	escrow_text_init_fixed(&tb, out, cap);
	escrow_text_str(&tb, "K");
	if (k->owner_len == 1)
		escrow_text_str(&tb, ".");
	while (k->owner[i] != 0) {
		size_t l = k->owner[i], j;

		for (j = 1; j <= l; j++) {
			uint8_t c = k->owner[i + j];

			if (c >= 'A' && c <= 'Z')
				c = (uint8_t)(c + 32);
			/* as BIND's file names: anything unusual as %XX */
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			    c == '-' || c == '_')
				escrow_text_put(&tb, (const char *)&c, 1);
			else
				escrow_text_printf(&tb, "%%%02X", c);
		}
		escrow_text_str(&tb, ".");
		i += l + 1;
	}
	escrow_text_printf(&tb, "+%03u+%05u.key", k->algorithm,
	    escrow_dnssec_keytag(k));
	return escrow_text_done(&tb);
}

int
escrow_dnssec_keyfile_text(const struct escrow_dnskey *k, char *out, size_t cap)
{
	char owner[ESCROW_DNSSEC_NAME_TEXT_MAX];
	char rr[ESCROW_DNSSEC_TEXT_MAX];
	struct escrow_text tb;
	int ret;

	if (!dnskey_ok(k) || out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	ret = escrow_dnssec_name_to_text(k->owner, k->owner_len, owner,
	    sizeof owner);
	if (ret == ESCROW_OK)
		ret = escrow_dnssec_dnskey_text(k, rr, sizeof rr);
	if (ret != ESCROW_OK)
		return ret;
	escrow_text_init_fixed(&tb, out, cap);
	escrow_text_printf(&tb, "; This is a %s key, keyid %u, for %s\n",
	    (k->flags & 1) ? "key-signing" : "zone-signing",
	    escrow_dnssec_keytag(k), owner);
	escrow_text_str(&tb, rr);
	escrow_text_str(&tb, "\n");
	return escrow_text_done(&tb);
}
