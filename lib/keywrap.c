/*
 * keywrap.c - RFC 5649 AES key wrap with padding (AES-KWP, NIST SP 800-38F
 * KWP) through OpenSSL 3's EVP_aes_*_wrap_pad.
 *
 * Secret: the KEK, the plaintext of a wrap and the output of an unwrap.
 * OpenSSL keeps the key schedule in its context and cleanses it when the
 * context is freed; the unwrap goes through a temporary secret buffer
 * that is wiped on every path.
 */
#include <limits.h>
#include <string.h>

#include <openssl/evp.h>

#include "escrow.h"
#include "escrow_keywrap.h"

static const EVP_CIPHER *
kwp_cipher(size_t keklen)
{
	switch (keklen) {
	case 16: return EVP_aes_128_wrap_pad();
	case 24: return EVP_aes_192_wrap_pad();
	case 32: return EVP_aes_256_wrap_pad();
	}
	return NULL;
}

static EVP_CIPHER_CTX *
kwp_ctx(const uint8_t *kek, size_t keklen, int enc)
{
	const EVP_CIPHER *c = kwp_cipher(keklen);
	EVP_CIPHER_CTX *ctx;

	if (c == NULL)
		return NULL;
	ctx = EVP_CIPHER_CTX_new();
	if (ctx == NULL)
		return NULL;
	EVP_CIPHER_CTX_set_flags(ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
	if (EVP_CipherInit_ex(ctx, c, NULL, kek, NULL, enc) != 1) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

int
escrow_keywrap_wrap(const uint8_t *kek, size_t keklen, const uint8_t *in,
    size_t inlen, uint8_t *out, size_t outcap, size_t *outlen)
{
	EVP_CIPHER_CTX *ctx = NULL;
	uint8_t fin[32];
	int n = 0, m = 0, ret;

	if (outlen != NULL)
		*outlen = 0;
	if (kek == NULL || in == NULL || out == NULL || outlen == NULL ||
	    kwp_cipher(keklen) == NULL || inlen == 0 ||
	    inlen > ESCROW_KEYWRAP_MAX_INPUT)
		return ESCROW_ERR_INVALID_ARG;
	if (outcap < ESCROW_KEYWRAP_WRAPPED_LEN(inlen))
		return ESCROW_ERR_BUFFER_TOO_SMALL;
	ret = ESCROW_ERR_CRYPTO;
	ctx = kwp_ctx(kek, keklen, 1);
	if (ctx == NULL)
		goto out;
	if (EVP_EncryptUpdate(ctx, out, &n, in, (int)inlen) != 1 || n < 0 ||
	    (size_t)n != ESCROW_KEYWRAP_WRAPPED_LEN(inlen))
		goto out;
	if (EVP_EncryptFinal_ex(ctx, fin, &m) != 1 || m != 0)
		goto out;
	*outlen = (size_t)n;
	ret = ESCROW_OK;
out:
	if (ret != ESCROW_OK && outcap > 0)
		escrow_wipe(out, outcap);
	escrow_wipe(fin, sizeof fin);
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

int
escrow_keywrap_unwrap(const uint8_t *kek, size_t keklen, const uint8_t *in,
    size_t inlen, uint8_t *out, size_t outcap, size_t *outlen)
{
	EVP_CIPHER_CTX *ctx = NULL;
	uint8_t *tmp = NULL, fin[32];
	int n = 0, m = 0, ret;

	if (outlen != NULL)
		*outlen = 0;
	if (kek == NULL || in == NULL || out == NULL || outlen == NULL ||
	    kwp_cipher(keklen) == NULL)
		return ESCROW_ERR_INVALID_ARG;
	escrow_wipe(out, outcap);
	/* lengths are public: a bad one needs no key */
	if (inlen < 16 || inlen % 8 != 0 ||
	    inlen > ESCROW_KEYWRAP_WRAPPED_LEN(ESCROW_KEYWRAP_MAX_INPUT))
		return ESCROW_ERR_UNWRAP;
	/*
	 * OpenSSL writes the padded plaintext (inlen - 8 bytes) before it
	 * checks the padding: unless the caller's buffer has room for the
	 * whole input, give it a secret buffer of its own.
	 */
	if (outcap < inlen) {
		tmp = escrow_secret_alloc(inlen);
		if (tmp == NULL)
			return ESCROW_ERR_NOMEM;
	}
	ret = ESCROW_ERR_CRYPTO;
	ctx = kwp_ctx(kek, keklen, 0);
	if (ctx == NULL)
		goto out;
	ret = ESCROW_ERR_UNWRAP;
	if (EVP_DecryptUpdate(ctx, tmp != NULL ? tmp : out, &n, in,
	    (int)inlen) != 1 || n <= 0 || (size_t)n > inlen - 8)
		goto out;
	if (EVP_DecryptFinal_ex(ctx, fin, &m) != 1 || m != 0)
		goto out;
	if ((size_t)n > outcap) {
		ret = ESCROW_ERR_BUFFER_TOO_SMALL;
		goto out;
	}
	if (tmp != NULL)
		memcpy(out, tmp, (size_t)n);
	*outlen = (size_t)n;
	ret = ESCROW_OK;
out:
	if (ret != ESCROW_OK)
		escrow_wipe(out, outcap);
	escrow_wipe(fin, sizeof fin);
	escrow_secret_free(tmp);
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}
