/*
 * escrow_keywrap.h - RFC 5649 AES key wrap with padding, and HKDF-SHA256
 * (RFC 5869), both through OpenSSL 3.
 *
 * Secret: every KEK, every unwrapped output, HKDF's input keying material
 * and output.  Callers pass secret buffers (escrow_secret_alloc()) for
 * those; the library wipes every temporary it makes.  Wrapped blobs,
 * salts and info strings are public.
 */
#ifndef ESCROW_KEYWRAP_H
#define ESCROW_KEYWRAP_H

#include <stddef.h>
#include <stdint.h>

#include "escrow.h"

/* Largest plaintext escrow_keywrap_wrap() accepts (16 MiB). */
#define ESCROW_KEYWRAP_MAX_INPUT (1u << 24)

/* Length of the RFC 5649 wrapping of len bytes: len rounded up to 8, + 8. */
#define ESCROW_KEYWRAP_WRAPPED_LEN(len) ((((size_t)(len) + 7) / 8) * 8 + 8)

/*
 * RFC 5649 wrap of in[0..inlen) (1..ESCROW_KEYWRAP_MAX_INPUT bytes, SECRET)
 * under kek (16, 24 or 32 bytes, SECRET).  The output (public) goes to out,
 * which must hold ESCROW_KEYWRAP_WRAPPED_LEN(inlen) bytes; *outlen gets
 * that length.
 */
int escrow_keywrap_wrap(const uint8_t *kek, size_t keklen,
    const uint8_t *in, size_t inlen,
    uint8_t *out, size_t outcap, size_t *outlen) ESCROW_WUR;

/*
 * RFC 5649 unwrap of in[0..inlen) (public) under kek (16/24/32 bytes,
 * SECRET).  The plaintext (SECRET) goes to out (a secret buffer of outcap
 * bytes; inlen - 8 always suffices, and outcap >= inlen saves a temporary
 * secret allocation); *outlen gets its length.  Any
 * integrity failure (bad length, wrong KEK, bad AIV, bad padding) gives
 * ESCROW_ERR_UNWRAP and leaves out zeroed; too small a buffer gives
 * ESCROW_ERR_BUFFER_TOO_SMALL.
 */
int escrow_keywrap_unwrap(const uint8_t *kek, size_t keklen,
    const uint8_t *in, size_t inlen,
    uint8_t *out, size_t outcap, size_t *outlen) ESCROW_WUR;

/*
 * HKDF-SHA256 (RFC 5869 extract then expand): okm[0..okmlen) from ikm
 * (SECRET), salt and info (public; either may be empty, pointer may then
 * be NULL).  okmlen 1..255*32.  okm is SECRET.
 */
int escrow_kdf_hkdf_sha256(const uint8_t *ikm, size_t ikmlen,
    const uint8_t *salt, size_t saltlen,
    const uint8_t *info, size_t infolen,
    uint8_t *okm, size_t okmlen) ESCROW_WUR;

#endif
