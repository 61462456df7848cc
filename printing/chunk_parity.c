/*
 * chunk_parity.c - Reed-Solomon erasure parity across an envelope's QR
 * chunks with Intel ISA-L: k data blocks of ESCROW_CHUNK_DATA_BYTES (the
 * last one zero-padded) and p parity blocks, any k of the k + p rebuild
 * the data.  The code is systematic with a Cauchy parity matrix over
 * GF(2^8), polynomial x^8+x^4+x^3+x^2+1 (0x11D): parity block r (0-based)
 * is, byte by byte, the sum over data blocks j of inv((k + r) XOR j) *
 * data_j.  That is ISA-L's gf_gen_cauchy1_matrix; docs/FORMAT.md ("Parity
 * chunks") specifies it without reference to ISA-L.
 *
 * Public data only: the envelope is encrypted.
 */
#include <stdlib.h>
#include <string.h>

#include <isa-l/erasure_code.h>
#include <sodium.h>

#include "escrow_bytes.h"
#include "escrow.h"
#include "escrow_paper.h"
#include "chunk_int.h"

/* The (k + p) x k generator matrix: identity on top, Cauchy rows below. */
static unsigned char *
generator(unsigned k, unsigned nparity)
{
	unsigned char *g = malloc((size_t)(k + nparity) * k);

	if (g != NULL)
		gf_gen_cauchy1_matrix(g, (int)(k + nparity), (int)k);
	return g;
}

int
escrow_parity_encode(unsigned k, unsigned nparity, size_t len,
    uint8_t *const *data, uint8_t *const *parity)
{
	unsigned char *g, *tbl;

	if (k == 0 || nparity == 0 || k + nparity > 255 || len == 0 ||
	    len > 65536)
		return ESCROW_ERR_INVALID_ARG;
	g = generator(k, nparity);
	tbl = malloc((size_t)32 * k * nparity);
	if (g == NULL || tbl == NULL) {
		free(g);
		free(tbl);
		return ESCROW_ERR_NOMEM;
	}
	ec_init_tables((int)k, (int)nparity, g + (size_t)k * k, tbl);
	ec_encode_data((int)len, (int)k, (int)nparity, tbl,
	    (unsigned char **)(uintptr_t)data, (unsigned char **)(uintptr_t)parity);
	free(g);
	free(tbl);
	return ESCROW_OK;
}

int
escrow_parity_recover(unsigned k, unsigned nparity, size_t len,
    uint8_t *const *blocks, const uint8_t *present)
{
	unsigned char *g = NULL, *sub = NULL, *inv = NULL, *rows = NULL,
	    *tbl = NULL;
	unsigned char **src = NULL, **dst = NULL;
	unsigned i, n = 0, nmiss = 0;
	int ret = ESCROW_OK;

	if (k == 0 || k + nparity > 255 || len == 0 || len > 65536)
		return ESCROW_ERR_INVALID_ARG;
	for (i = 0; i < k; i++)
		nmiss += !present[i];
	if (nmiss == 0)
		return ESCROW_OK;
	g = generator(k, nparity);
	sub = malloc((size_t)k * k);
	inv = malloc((size_t)k * k);
	rows = malloc((size_t)nmiss * k);
	tbl = malloc((size_t)32 * k * nmiss);
	src = calloc(k, sizeof *src);
	dst = calloc(nmiss, sizeof *dst);
	if (g == NULL || sub == NULL || inv == NULL || rows == NULL ||
	    tbl == NULL || src == NULL || dst == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto out;
	}
	/* the first k blocks present, and their rows of the generator */
	for (i = 0; i < k + nparity && n < k; i++)
		if (present[i]) {
			memcpy(sub + (size_t)n * k, g + (size_t)i * k, k);
			src[n++] = blocks[i];
		}
	if (n < k) {
		ret = ESCROW_ERR_CHUNK_MISSING;
		goto out;
	}
	/* any k rows of [I; Cauchy] are invertible: the code is MDS */
	if (gf_invert_matrix(sub, inv, (int)k) != 0) {
		ret = ESCROW_ERR_FORMAT;
		goto out;
	}
	/* data block j = row j of the inverse times the blocks present */
	for (i = 0, n = 0; i < k; i++)
		if (!present[i]) {
			memcpy(rows + (size_t)n * k, inv + (size_t)i * k, k);
			dst[n++] = blocks[i];
		}
	ec_init_tables((int)k, (int)nmiss, rows, tbl);
	ec_encode_data((int)len, (int)k, (int)nmiss, tbl, src, dst);
out:
	free(g);
	free(sub);
	free(inv);
	free(rows);
	free(tbl);
	free(src);
	free(dst);
	return ret;
}

/* ---- parity chunk payloads ------------------------------------------------ */

#define TAG_LEN (sizeof ESCROW_PARITY_TAG - 1)
#define BODY_LEN (ESCROW_PARITY_HDR_LEN + ESCROW_CHUNK_DATA_BYTES + 4)

unsigned
escrow_chunk_parity_count(size_t env_len)
{
	size_t k = escrow_chunk_count(env_len);

	if (k == 0)
		return 0;
	return k < ESCROW_CHUNKS_PER_PAGE ? (unsigned)k : ESCROW_CHUNKS_PER_PAGE;
}

int
escrow_chunk_parity_split(const uint8_t *env, size_t env_len,
    struct escrow_chunks *out)
{
	uint8_t hash[32], body[BODY_LEN], **data = NULL, **par = NULL;
	size_t k, i, plen;
	unsigned p, r;
	int ret;

	if (out == NULL)
		return ESCROW_ERR_INVALID_ARG;
	out->payload = NULL;
	out->count = 0;
	if (env == NULL || env_len == 0)
		return ESCROW_ERR_INVALID_ARG;
	k = escrow_chunk_count(env_len);
	p = escrow_chunk_parity_count(env_len);
	if (k == 0 || k + p > ESCROW_CHUNK_MAX_COUNT)
		return ESCROW_ERR_TOO_LARGE;
	data = calloc(k, sizeof *data);
	par = calloc(p, sizeof *par);
	out->payload = calloc(p, sizeof *out->payload);
	ret = (data == NULL || par == NULL || out->payload == NULL) ?
	    ESCROW_ERR_NOMEM : ESCROW_OK;
	for (i = 0; i < k && ret == ESCROW_OK; i++) {
		size_t n = env_len - i * ESCROW_CHUNK_DATA_BYTES;

		data[i] = calloc(1, ESCROW_CHUNK_DATA_BYTES);
		if (data[i] == NULL) {
			ret = ESCROW_ERR_NOMEM;
			break;
		}
		memcpy(data[i], env + i * ESCROW_CHUNK_DATA_BYTES,
		    n < ESCROW_CHUNK_DATA_BYTES ? n : ESCROW_CHUNK_DATA_BYTES);
	}
	for (r = 0; r < p && ret == ESCROW_OK; r++)
		if ((par[r] = malloc(ESCROW_CHUNK_DATA_BYTES)) == NULL)
			ret = ESCROW_ERR_NOMEM;
	if (ret == ESCROW_OK)
		ret = escrow_parity_encode((unsigned)k, p, ESCROW_CHUNK_DATA_BYTES,
		    data, par);
	if (ret == ESCROW_OK)
		out->count = p;
	crypto_hash_sha256(hash, env, env_len);
	for (r = 0; r < p && ret == ESCROW_OK; r++) {
		memcpy(body, hash, 8);
		body[8] = (uint8_t)(r + 1);
		body[9] = (uint8_t)p;
		body[10] = (uint8_t)k;
		escrow_put32(body + 11, (uint32_t)env_len);
		memcpy(body + ESCROW_PARITY_HDR_LEN, par[r], ESCROW_CHUNK_DATA_BYTES);
		escrow_put32(body + BODY_LEN - 4, escrow_crc32(body, BODY_LEN - 4));
		plen = TAG_LEN + escrow_base32_len(BODY_LEN) + 1;
		out->payload[r] = malloc(plen);
		if (out->payload[r] == NULL) {
			ret = ESCROW_ERR_NOMEM;
			break;
		}
		memcpy(out->payload[r], ESCROW_PARITY_TAG, TAG_LEN);
		ret = escrow_base32_encode(body, BODY_LEN, out->payload[r] + TAG_LEN,
		    plen - TAG_LEN);
	}
	if (data != NULL)
		for (i = 0; i < k; i++)
			free(data[i]);
	if (par != NULL)
		for (r = 0; r < p; r++)
			free(par[r]);
	free(data);
	free(par);
	if (ret != ESCROW_OK) {
		if (out->payload != NULL && out->count == 0)
			out->count = p;
		escrow_chunks_free(out);
	}
	return ret;
}

int
escrow_chunk_parity_parse(const uint8_t *payload, size_t len, uint8_t id[8],
    unsigned *index, unsigned *nparity, unsigned *count, size_t *env_len,
    uint8_t data[ESCROW_CHUNK_DATA_BYTES])
{
	uint8_t body[BODY_LEN + 8];
	size_t blen = 0, elen;
	unsigned r, p, k;

	if (payload == NULL || len < TAG_LEN ||
	    memcmp(payload, ESCROW_PARITY_TAG, TAG_LEN) != 0 ||
	    len - TAG_LEN != escrow_base32_len(BODY_LEN))
		return ESCROW_ERR_FORMAT;
	if (escrow_base32_decode((const char *)payload + TAG_LEN, len - TAG_LEN,
	    body, sizeof body, &blen) != ESCROW_OK || blen != BODY_LEN)
		return ESCROW_ERR_FORMAT;
	if (escrow_get32(body + BODY_LEN - 4) != escrow_crc32(body, BODY_LEN - 4))
		return ESCROW_ERR_CHECKSUM;
	r = body[8];
	p = body[9];
	k = body[10];
	elen = escrow_get32(body + 11);
	/* the header must agree with itself and with the layout rule */
	if (r == 0 || r > p || escrow_chunk_count(elen) != k || k == 0 ||
	    p != escrow_chunk_parity_count(elen) || k + p > ESCROW_CHUNK_MAX_COUNT)
		return ESCROW_ERR_FORMAT;
	if (id != NULL)
		memcpy(id, body, 8);
	if (index != NULL)
		*index = r;
	if (nparity != NULL)
		*nparity = p;
	if (count != NULL)
		*count = k;
	if (env_len != NULL)
		*env_len = elen;
	if (data != NULL)
		memcpy(data, body + ESCROW_PARITY_HDR_LEN, ESCROW_CHUNK_DATA_BYTES);
	return ESCROW_OK;
}
