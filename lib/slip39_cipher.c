/*
 * slip39_cipher.c - the SLIP-0039 encryption of the master secret: a
 * 4-round Feistel network whose round function is PBKDF2-HMAC-SHA256
 * (OpenSSL), with 2500 << e iterations per round.
 *
 * SECRET: the master secret, the EMS, the passphrase and every
 * intermediate half; they live in escrow_secret_alloc() memory and are
 * wiped on every path.  Public: the length, e, the identifier and ext
 * (which select the salt prefix), and the passphrase length.
 */
#include <string.h>

#include <openssl/evp.h>

#include "ct.h"
#include "slip39_int.h"

#define PASS_MAX 1024
#define HALF_MAX (ESCROW_SLIP39_SECRET_MAX / 2)
#define PREFIX_LEN 8 /* "shamir" || id */

struct work {
	uint8_t l[HALF_MAX], r[HALF_MAX], f[HALF_MAX];
	uint8_t salt[PREFIX_LEN + HALF_MAX];
	uint8_t pass[1 + PASS_MAX];
};

/* printable ASCII only (32..126), checked without branching on letters */
static int
pass_check(const char *p, size_t *len)
{
	uint32_t bad = 0, end;
	size_t i;

	for (i = 0; i <= PASS_MAX; i++) {
		uint32_t c = (uint8_t)p[i];

		end = escrow_ct_eq(c, 0);
		escrow_ct_declassify(&end, sizeof end);
		if (end)
			break;
		bad |= ~escrow_ct_in(c, 32, 126);
	}
	escrow_ct_declassify(&bad, sizeof bad);
	if (i > PASS_MAX || bad)
		return ESCROW_ERR_PASSPHRASE;
	*len = i;
	return ESCROW_OK;
}

static int
feistel(const uint8_t *in, size_t len, const char *passphrase, unsigned e,
    uint16_t id, int ext, uint8_t *out, int decrypt)
{
	struct work *w = NULL;
	size_t half = len / 2, plen = 0, prefix = ext ? 0 : PREFIX_LEN, k;
	int ret, round;

	if (passphrase == NULL)
		passphrase = "";
	if (in == NULL || out == NULL || len < 2 || len % 2 != 0 ||
	    half > HALF_MAX || e > 15)
		return ESCROW_ERR_INVALID_ARG;
	ret = pass_check(passphrase, &plen);
	if (ret != ESCROW_OK)
		return ret;
	w = escrow_secret_alloc(sizeof *w);
	if (w == NULL)
		return ESCROW_ERR_NOMEM;
	memcpy(w->l, in, half);
	memcpy(w->r, in + half, half);
	memcpy(w->pass + 1, passphrase, plen);
	memcpy(w->salt, "shamir", 6);
	w->salt[6] = (uint8_t)(id >> 8);
	w->salt[7] = (uint8_t)id;
	for (round = 0; round < ESCROW_SLIP39_ROUNDS; round++) {
		w->pass[0] = (uint8_t)(decrypt ? ESCROW_SLIP39_ROUNDS - 1 - round : round);
		memcpy(w->salt + PREFIX_LEN, w->r, half);
		if (PKCS5_PBKDF2_HMAC((const char *)w->pass, (int)(plen + 1),
		    w->salt + (PREFIX_LEN - prefix), (int)(prefix + half),
		    (int)((ESCROW_SLIP39_BASE_ITERATIONS / ESCROW_SLIP39_ROUNDS) << e),
		    EVP_sha256(), (int)half, w->f) != 1) {
			ret = ESCROW_ERR_CRYPTO;
			goto out;
		}
		/* (L, R) = (R, L xor F(i, R)) */
		for (k = 0; k < half; k++) {
			uint8_t t = w->r[k];

			w->r[k] = (uint8_t)(w->l[k] ^ w->f[k]);
			w->l[k] = t;
		}
	}
	memcpy(out, w->r, half);
	memcpy(out + half, w->l, half);
	ret = ESCROW_OK;
out:
	escrow_secret_free(w);
	return ret;
}

int
escrow_slip39_encrypt(const uint8_t *ms, size_t len, const char *passphrase,
    unsigned e, uint16_t id, int ext, uint8_t *ems)
{
	return feistel(ms, len, passphrase, e, id, ext, ems, 0);
}

int
escrow_slip39_decrypt(const uint8_t *ems, size_t len, const char *passphrase,
    unsigned e, uint16_t id, int ext, uint8_t *ms)
{
	return feistel(ems, len, passphrase, e, id, ext, ms, 1);
}
