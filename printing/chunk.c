/*
 * chunk.c - the envelope split into QR chunk payloads, and put back
 * together from scanned payloads in any order.  Format: see
 * docs/FORMAT.md ("QR chunks of the envelope").
 *
 * Public data only: the envelope is encrypted and authenticated; the
 * chunks carry it in the clear.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "escrow_bytes.h"
#include "escrow.h"
#include "escrow_paper.h"
#include "chunk_int.h"

#define ID_LEN 8
#define HDR_LEN (ID_LEN + 1 + 1 + 4)  /* id, number, count, envelope length */
#define CRC_LEN 4
#define BODY_MAX (HDR_LEN + ESCROW_CHUNK_DATA_BYTES + CRC_LEN)
#define TAG_LEN (sizeof ESCROW_CHUNK_TAG - 1)

struct slot {
	int present;
	size_t len;
	uint8_t data[ESCROW_CHUNK_DATA_BYTES];
};

struct escrow_chunk_asm {
	int have_expect;     /* expect_id set by the caller */
	int have_id;         /* id/count/len fixed by the first chunk */
	uint8_t expect_sha[32];
	uint8_t id[ID_LEN];
	unsigned count;
	size_t env_len;
	struct slot slots[ESCROW_CHUNK_MAX_COUNT];
};

size_t
escrow_chunk_count(size_t env_len)
{
	size_t n;

	if (env_len == 0 || env_len > ESCROW_CHUNK_MAX_ENVELOPE)
		return 0;
	n = (env_len + ESCROW_CHUNK_DATA_BYTES - 1) / ESCROW_CHUNK_DATA_BYTES;
	return n;
}

static size_t
chunk_data_len(size_t env_len, unsigned number, unsigned count)
{
	if (number < count)
		return ESCROW_CHUNK_DATA_BYTES;
	return env_len - (size_t)(count - 1) * ESCROW_CHUNK_DATA_BYTES;
}

void
escrow_chunks_free(struct escrow_chunks *c)
{
	size_t i;

	if (c == NULL)
		return;
	if (c->payload != NULL)
		for (i = 0; i < c->count; i++)
			free(c->payload[i]);
	free(c->payload);
	c->payload = NULL;
	c->count = 0;
}

int
escrow_chunk_split(const uint8_t *env, size_t env_len, struct escrow_chunks *out)
{
	uint8_t hash[32], body[BODY_MAX];
	size_t count, i, dlen, blen, plen;
	uint32_t crc;
	int ret = ESCROW_OK;

	if (out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	out->payload = NULL;
	out->count = 0;
	if (env == NULL || env_len == 0)
		return ESCROW_ERR_INVALID_ARG;
	count = escrow_chunk_count(env_len);
	if (count == 0)
		return ESCROW_ERR_TOO_LARGE;
	crypto_hash_sha256(hash, env, env_len);
	out->payload = calloc(count, sizeof *out->payload);
	if (out->payload == NULL)
		return ESCROW_ERR_NOMEM;
	out->count = count;
	for (i = 0; i < count; i++) {
		dlen = chunk_data_len(env_len, (unsigned)(i + 1), (unsigned)count);
		memcpy(body, hash, ID_LEN);
		body[ID_LEN] = (uint8_t)(i + 1);
		body[ID_LEN + 1] = (uint8_t)count;
		escrow_put32(body + ID_LEN + 2, (uint32_t)env_len);
		memcpy(body + HDR_LEN, env + i * ESCROW_CHUNK_DATA_BYTES, dlen);
		crc = escrow_crc32(body, HDR_LEN + dlen);
		escrow_put32(body + HDR_LEN + dlen, crc);
		blen = HDR_LEN + dlen + CRC_LEN;
		plen = TAG_LEN + escrow_base32_len(blen) + 1;
		out->payload[i] = malloc(plen);
		if (out->payload[i] == NULL) {
			ret = ESCROW_ERR_NOMEM;
			goto out;
		}
		memcpy(out->payload[i], ESCROW_CHUNK_TAG, TAG_LEN);
		ret = escrow_base32_encode(body, blen, out->payload[i] + TAG_LEN,
		    plen - TAG_LEN);
		if (ret != ESCROW_OK)
			goto out;
	}
out:
	if (ret != ESCROW_OK)
		escrow_chunks_free(out);
	return ret;
}

/* Parse and check one payload; data (optional) gets the chunk's bytes. */
static int
parse(const uint8_t *payload, size_t len, uint8_t id[ID_LEN],
    unsigned *number, unsigned *count, size_t *env_len, uint8_t *data,
    size_t *dlen_out)
{
	uint8_t body[BODY_MAX];
	size_t blen = 0, elen, dlen;
	unsigned num, cnt;
	uint32_t crc;
	int ret;

	if (payload == NULL || len < TAG_LEN ||
	    memcmp(payload, ESCROW_CHUNK_TAG, TAG_LEN) != 0)
		return ESCROW_ERR_FORMAT;
	if (len - TAG_LEN > escrow_base32_len(BODY_MAX))
		return ESCROW_ERR_FORMAT;
	ret = escrow_base32_decode((const char *)payload + TAG_LEN,
	    len - TAG_LEN, body, sizeof body, &blen);
	if (ret != ESCROW_OK)
		return ESCROW_ERR_FORMAT;
	if (blen < HDR_LEN + 1 + CRC_LEN)
		return ESCROW_ERR_FORMAT;
	crc = escrow_get32(body + blen - 4);
	if (crc != escrow_crc32(body, blen - CRC_LEN))
		return ESCROW_ERR_CHECKSUM;
	num = body[ID_LEN];
	cnt = body[ID_LEN + 1];
	elen = escrow_get32(body + ID_LEN + 2);
	dlen = blen - HDR_LEN - CRC_LEN;
	/* the header must agree with itself: count, number and length */
	if (num == 0 || cnt == 0 || num > cnt || escrow_chunk_count(elen) != cnt ||
	    chunk_data_len(elen, num, cnt) != dlen)
		return ESCROW_ERR_FORMAT;
	if (id != NULL)
		memcpy(id, body, ID_LEN);
	if (number != NULL)
		*number = num;
	if (count != NULL)
		*count = cnt;
	if (env_len != NULL)
		*env_len = elen;
	if (data != NULL)
		memcpy(data, body + HDR_LEN, dlen);
	if (dlen_out != NULL)
		*dlen_out = dlen;
	return ESCROW_OK;
}

int
escrow_chunk_parse(const uint8_t *payload, size_t len, uint8_t id[8],
    unsigned *number, unsigned *count, size_t *env_len)
{
	return parse(payload, len, id, number, count, env_len, NULL, NULL);
}

struct escrow_chunk_asm *
escrow_chunk_asm_new(const uint8_t expect_sha256[32])
{
	struct escrow_chunk_asm *a = calloc(1, sizeof *a);

	if (a != NULL && expect_sha256 != NULL) {
		a->have_expect = 1;
		memcpy(a->expect_sha, expect_sha256, 32);
	}
	return a;
}

void
escrow_chunk_asm_free(struct escrow_chunk_asm *a)
{
	free(a);
}

int
escrow_chunk_asm_add(struct escrow_chunk_asm *a, const uint8_t *payload,
    size_t len)
{
	uint8_t id[ID_LEN], data[ESCROW_CHUNK_DATA_BYTES];
	unsigned num, cnt;
	size_t elen, dlen;
	struct slot *s;
	int ret;

	if (a == NULL)
		return ESCROW_ERR_INVALID_ARG;
	ret = parse(payload, len, id, &num, &cnt, &elen, data, &dlen);
	if (ret != ESCROW_OK)
		return ret;
	if (a->have_expect && memcmp(id, a->expect_sha, ID_LEN) != 0)
		return ESCROW_ERR_CHUNK_FOREIGN;
	if (!a->have_id) {
		memcpy(a->id, id, ID_LEN);
		a->count = cnt;
		a->env_len = elen;
		a->have_id = 1;
	} else if (memcmp(id, a->id, ID_LEN) != 0) {
		return ESCROW_ERR_CHUNK_FOREIGN;
	} else if (cnt != a->count || elen != a->env_len) {
		/* same id but another shape: a forged or corrupted chunk */
		return ESCROW_ERR_CHUNK_CONFLICT;
	}
	s = &a->slots[num - 1];
	if (s->present) {
		if (s->len != dlen || memcmp(s->data, data, dlen) != 0)
			return ESCROW_ERR_CHUNK_CONFLICT;
		return ESCROW_OK;
	}
	memcpy(s->data, data, dlen);
	s->len = dlen;
	s->present = 1;
	return ESCROW_OK;
}

int
escrow_chunk_asm_finish(struct escrow_chunk_asm *a, uint8_t **env,
    size_t *env_len, unsigned *missing, size_t missing_cap, size_t *nmissing)
{
	uint8_t *buf = NULL, hash[32];
	size_t miss = 0, off = 0;
	unsigned i;
	int ret = ESCROW_OK;

	if (nmissing != NULL)
		*nmissing = 0;
	if (a == NULL || env == NULL || env_len == NULL)
		return ESCROW_ERR_INVALID_ARG;
	*env = NULL;
	*env_len = 0;
	if (!a->have_id)
		return ESCROW_ERR_NO_SYMBOL;
	for (i = 0; i < a->count; i++) {
		if (a->slots[i].present)
			continue;
		if (missing != NULL && miss < missing_cap)
			missing[miss] = i + 1;
		miss++;
	}
	if (nmissing != NULL)
		*nmissing = miss;
	if (miss > 0)
		return ESCROW_ERR_CHUNK_MISSING;
	buf = malloc(a->env_len);
	if (buf == NULL)
		return ESCROW_ERR_NOMEM;
	for (i = 0; i < a->count; i++) {
		memcpy(buf + off, a->slots[i].data, a->slots[i].len);
		off += a->slots[i].len;
	}
	crypto_hash_sha256(hash, buf, a->env_len);
	if (memcmp(hash, a->id, ID_LEN) != 0 ||
	    (a->have_expect && memcmp(hash, a->expect_sha, 32) != 0)) {
		ret = ESCROW_ERR_DIGEST_MISMATCH;
		free(buf);
		return ret;
	}
	*env = buf;
	*env_len = a->env_len;
	return ESCROW_OK;
}

int
escrow_chunk_assemble(const uint8_t *const *payloads, const size_t *lens,
    size_t n, uint8_t **env, size_t *env_len, unsigned *missing,
    size_t missing_cap, size_t *nmissing)
{
	struct escrow_chunk_asm *a;
	size_t i;
	int ret = ESCROW_OK, r;

	if (env == NULL || env_len == NULL ||
	    ((payloads == NULL || lens == NULL) && n > 0))
		return ESCROW_ERR_INVALID_ARG;
	*env = NULL;
	*env_len = 0;
	if (nmissing != NULL)
		*nmissing = 0;
	a = escrow_chunk_asm_new(NULL);
	if (a == NULL)
		return ESCROW_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		r = escrow_chunk_asm_add(a, payloads[i], lens[i]);
		/* a conflict or a foreign chunk outranks a missing one */
		if (r != ESCROW_OK && ret == ESCROW_OK)
			ret = r;
	}
	if (ret == ESCROW_OK)
		ret = escrow_chunk_asm_finish(a, env, env_len, missing,
		    missing_cap, nmissing);
	escrow_chunk_asm_free(a);
	return ret;
}
