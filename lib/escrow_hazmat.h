/*
 * escrow_hazmat.h - the second tier of the API, as dsprenkels/sss keeps
 * one: calls that only tests and fuzz targets make, because used anywhere
 * else they undo a guarantee of the public API.  It lives beside the
 * library's sources, not in lib/include/, so the tools cannot include it
 * (their include path has only the public headers).
 *
 * Secret values: the commitment hash below is derived from a share.
 */
#ifndef ESCROW_HAZMAT_H
#define ESCROW_HAZMAT_H

#include <stdint.h>

#include "escrow.h"
#include "escrow_envelope.h"

/*
 * Test builds only (lib/mem.c compiled with ESCROW_TEST_HOOKS into
 * libescrow-test.a; the installed tools link libescrow.a, which has no
 * such symbol): replace the random source with a deterministic one (a
 * ChaCha20 stream keyed by seed), so that a worked example can be
 * reproduced byte for byte.  NULL restores the CSPRNG.
 */
void escrow_random_set_test_seed(const uint8_t seed[32]);

/*
 * Add share (group, member)'s commitment already computed
 * (escrow_envelope_commitment), instead of from the share's words as
 * escrow_envelope_add_share() does: lets a test seal an envelope whose
 * commitments match no share.
 */
int escrow_envelope_add_commitment(struct escrow_envelope *env, uint8_t group,
    uint8_t member, const uint8_t hash[static ESCROW_ENVELOPE_HASH_LEN]) ESCROW_WUR;

#endif
