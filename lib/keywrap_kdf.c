/*
 * keywrap_kdf.c - HKDF-SHA256 (RFC 5869) through OpenSSL 3's EVP_KDF "HKDF".
 *
 * Secret: the input keying material and the output.  OpenSSL copies the
 * key into its context and clears it when the context is freed.
 */
#include <stdint.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "escrow.h"
#include "escrow_keywrap.h"

int
escrow_kdf_hkdf_sha256(const uint8_t *ikm, size_t ikmlen,
    const uint8_t *salt, size_t saltlen, const uint8_t *info, size_t infolen,
    uint8_t *okm, size_t okmlen)
{
	static const uint8_t empty[1];
	EVP_KDF *kdf = NULL;
	EVP_KDF_CTX *ctx = NULL;
	OSSL_PARAM params[5], *p = params;
	char digest[] = "SHA256";
	int ret = ESCROW_ERR_CRYPTO;

	if (ikm == NULL || okm == NULL || okmlen == 0 || okmlen > 255 * 32 ||
	    (salt == NULL && saltlen != 0) || (info == NULL && infolen != 0))
		return ESCROW_ERR_INVALID_ARG;
	kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (kdf == NULL)
		goto out;
	ctx = EVP_KDF_CTX_new(kdf);
	if (ctx == NULL)
		goto out;
	/* OSSL_PARAM takes non-const pointers; HKDF only reads these */
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
	    (void *)(uintptr_t)(ikmlen > 0 ? ikm : empty), ikmlen);
	/* an absent salt is HashLen zero bytes, the same as an empty one */
	if (saltlen > 0)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
		    (void *)(uintptr_t)salt, saltlen);
	if (infolen > 0)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
		    (void *)(uintptr_t)info, infolen);
	*p = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, okm, okmlen, params) != 1) {
		escrow_wipe(okm, okmlen);
		goto out;
	}
	ret = ESCROW_OK;
out:
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return ret;
}
