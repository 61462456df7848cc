/*
 * chunk_shape.c - how many data chunks an envelope makes, and freeing a
 * list of chunk payloads: what the data chunks (chunk.c) and the parity
 * chunks (chunk_parity.c) both need, kept below both so that neither
 * calls the other back.  Public data only.
 */
#include <stdlib.h>

#include "escrow.h"
#include "escrow_paper.h"

size_t
escrow_chunk_count(size_t env_len)
{
	size_t n;

	if (env_len == 0 || env_len > ESCROW_CHUNK_MAX_ENVELOPE)
		return 0;
	n = (env_len + ESCROW_CHUNK_DATA_BYTES - 1) / ESCROW_CHUNK_DATA_BYTES;
	return n;
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
