/*
 * keywrap.c - RFC 5649 AES key wrap with padding (AES-KWP, NIST SP 800-38F
 * KWP): the RFC 3394 wrapping process written out here over single AES
 * blocks from OpenSSL's EVP AES-ECB.
 *
 * Why not OpenSSL's EVP_aes_*_wrap_pad: in OpenSSL 3.0 it runs on the
 * table-driven AES_encrypt/AES_decrypt even where the CPU has AES-NI, so
 * its memory accesses depend on the KEK and the key being wrapped
 * (tests/ct/ct_check.c found it).  EVP AES-ECB uses AES-NI (or the
 * constant-time vector-permute code) when it can.
 *
 * Secret: the KEK, the plaintext of a wrap, the output of an unwrap and
 * every intermediate block; the integrity check and the padding check
 * are done without branching on them, and only their verdict and the
 * plaintext length (public in the envelope anyway) are looked at.
 * OpenSSL keeps the key schedule in its context and cleanses it when the
 * context is freed; our buffers are wiped on every path.
 */
#include <limits.h>
#include <string.h>

#include <openssl/evp.h>

#include "escrow_bytes.h"
#include "escrow.h"
#include "escrow_keywrap.h"
#include "ct.h"

/* RFC 5649 section 3: the alternative initial value's constant half */
static const uint8_t aiv_magic[4] = { 0xA6, 0x59, 0x59, 0xA6 };

static const EVP_CIPHER *
ecb_cipher(size_t keklen)
{
	switch (keklen) {
	case 16: return EVP_aes_128_ecb();
	case 24: return EVP_aes_192_ecb();
	case 32: return EVP_aes_256_ecb();
	}
	return NULL;
}

static EVP_CIPHER_CTX *
ecb_ctx(const uint8_t *kek, size_t keklen, int enc)
{
	const EVP_CIPHER *c = ecb_cipher(keklen);
	EVP_CIPHER_CTX *ctx;

	if (c == NULL)
		return NULL;
	ctx = EVP_CIPHER_CTX_new();
	if (ctx == NULL)
		return NULL;
	if (EVP_CipherInit_ex(ctx, c, NULL, kek, NULL, enc) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* One AES block in place (b: 16 bytes, SECRET). */
static int
block(EVP_CIPHER_CTX *ctx, uint8_t b[16])
{
	uint8_t o[16];
	int n = 0, ok;

	ok = EVP_CipherUpdate(ctx, o, &n, b, 16) == 1 && n == 16;
	memcpy(b, o, 16);
	escrow_wipe(o, sizeof o);
	return ok;
}

/* a[0..8) ^= t, big-endian (t is public) */
static void
xor_t(uint8_t a[8], uint64_t t)
{
	int i;

	for (i = 7; i >= 0; i--, t >>= 8)
		a[i] ^= (uint8_t)t;
}

/*
 * all-ones if a < b (both < 2^62), else 0.  The empty asm statements hide
 * the operands and the result from the optimiser, which would otherwise
 * turn the mask back into a branch, or fold the secret into the address
 * of a public index.
 */
static uint64_t
lt_mask(uint64_t a, uint64_t b)
{
	uint64_t m;

	__asm__("" : "+r"(a), "+r"(b));
	m = 0 - ((a - b) >> 63);
	__asm__("" : "+r"(m));
	return m;
}

int
escrow_keywrap_wrap(const uint8_t *kek, size_t keklen, const uint8_t *in,
    size_t inlen, uint8_t *out, size_t outcap, size_t *outlen)
{
	EVP_CIPHER_CTX *ctx = NULL;
	uint8_t b[16], *out0 = out, *work = NULL;
	size_t n, i, j, wlen;
	int ret;

	if (outlen != NULL)
		*outlen = 0;
	if (kek == NULL || in == NULL || out == NULL || outlen == NULL ||
	    ecb_cipher(keklen) == NULL || inlen == 0 ||
	    inlen > ESCROW_KEYWRAP_MAX_INPUT)
		return ESCROW_ERR_INVALID_ARG;
	wlen = ESCROW_KEYWRAP_WRAPPED_LEN(inlen);
	if (outcap < wlen)
		return ESCROW_ERR_BUFFER_TOO_SMALL;
	/*
	 * The plaintext is wrapped in place in secret memory, and only the
	 * finished ciphertext is copied to out: out is often ordinary heap
	 * (the envelope's key records), which the plaintext must never touch.
	 */
	work = escrow_secret_alloc(wlen);
	if (work == NULL)
		return ESCROW_ERR_NOMEM;
	out = work;
	ret = ESCROW_ERR_CRYPTO;
	ctx = ecb_ctx(kek, keklen, 1);
	if (ctx == NULL)
		goto out;
	/* work = AIV || P || zero padding, then wrapped in place */
	memcpy(out, aiv_magic, 4);
	escrow_put32(out + 4, (uint32_t)inlen);
	memcpy(out + 8, in, inlen);
	memset(out + 8 + inlen, 0, wlen - 8 - inlen);
	n = (wlen - 8) / 8;
	if (n == 1) {
		memcpy(b, out, 16);
		if (!block(ctx, b))
			goto out;
		memcpy(out, b, 16);
	} else {
		for (j = 0; j < 6; j++)
			for (i = 1; i <= n; i++) {
				memcpy(b, out, 8);
				memcpy(b + 8, out + 8 * i, 8);
				if (!block(ctx, b))
					goto out;
				xor_t(b, (uint64_t)n * j + i);
				memcpy(out, b, 8);
				memcpy(out + 8 * i, b + 8, 8);
			}
	}
	memcpy(out0, work, wlen);
	*outlen = wlen;
	ret = ESCROW_OK;
out:
	if (ret != ESCROW_OK && outcap > 0)
		escrow_wipe(out0, outcap);
	escrow_secret_free(work);
	escrow_wipe(b, sizeof b);
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

int
escrow_keywrap_unwrap(const uint8_t *kek, size_t keklen, const uint8_t *in,
    size_t inlen, uint8_t *out, size_t outcap, size_t *outlen)
{
	EVP_CIPHER_CTX *ctx = NULL;
	uint8_t *r = NULL, a[8], b[16];
	uint64_t mli, bad, idx;
	size_t n, i, j, k;
	int ret;

	if (outlen != NULL)
		*outlen = 0;
	if (kek == NULL || in == NULL || out == NULL || outlen == NULL ||
	    ecb_cipher(keklen) == NULL)
		return ESCROW_ERR_INVALID_ARG;
	escrow_wipe(out, outcap);
	/* lengths are public: a bad one needs no key */
	if (inlen < 16 || inlen % 8 != 0 ||
	    inlen > ESCROW_KEYWRAP_WRAPPED_LEN(ESCROW_KEYWRAP_MAX_INPUT))
		return ESCROW_ERR_UNWRAP;
	n = (inlen - 8) / 8;
	r = escrow_secret_alloc(inlen - 8); /* the padded plaintext */
	if (r == NULL)
		return ESCROW_ERR_NOMEM;
	ret = ESCROW_ERR_CRYPTO;
	ctx = ecb_ctx(kek, keklen, 0);
	if (ctx == NULL)
		goto out;
	if (n == 1) {
		memcpy(b, in, 16);
		if (!block(ctx, b))
			goto out;
		memcpy(a, b, 8);
		memcpy(r, b + 8, 8);
	} else {
		memcpy(a, in, 8);
		memcpy(r, in + 8, inlen - 8);
		for (j = 6; j-- > 0;)
			for (i = n; i >= 1; i--) {
				memcpy(b, a, 8);
				xor_t(b, (uint64_t)n * j + i);
				memcpy(b + 8, r + 8 * (i - 1), 8);
				if (!block(ctx, b))
					goto out;
				memcpy(a, b, 8);
				memcpy(r + 8 * (i - 1), b + 8, 8);
			}
	}
	/*
	 * RFC 5649 section 3 checks, without a branch on the plaintext: the
	 * constant half of the AIV, 8(n-1) < MLI <= 8n, zero padding.
	 */
	bad = 0;
	for (k = 0; k < 4; k++)
		bad |= (uint64_t)(a[k] ^ aiv_magic[k]);
	mli = ((uint64_t)a[4] << 24) | ((uint64_t)a[5] << 16) |
	    ((uint64_t)a[6] << 8) | a[7];
	bad |= lt_mask(mli, 8 * (uint64_t)(n - 1) + 1); /* mli <= 8(n-1) */
	bad |= lt_mask(8 * (uint64_t)n, mli);           /* mli > 8n */
	for (k = 0; k < 8; k++) {
		idx = 8 * (uint64_t)(n - 1) + k;
		/* a padding byte (idx >= mli) must be zero */
		bad |= ~lt_mask(idx, mli) & r[idx];
	}
	bad = (bad | (0 - bad)) >> 63; /* 1 if anything was wrong */
	escrow_ct_declassify(&bad, sizeof bad);
	ret = ESCROW_ERR_UNWRAP;
	if (bad != 0)
		goto out;
	/* the length is public once the wrap is known to be intact */
	escrow_ct_declassify(&mli, sizeof mli);
	if (mli > outcap) {
		ret = ESCROW_ERR_BUFFER_TOO_SMALL;
		goto out;
	}
	memcpy(out, r, (size_t)mli);
	*outlen = (size_t)mli;
	ret = ESCROW_OK;
out:
	if (ret != ESCROW_OK)
		escrow_wipe(out, outcap);
	escrow_wipe(a, sizeof a);
	escrow_wipe(b, sizeof b);
	escrow_secret_free(r);
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}
