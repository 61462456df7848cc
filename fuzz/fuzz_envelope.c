/*
 * fuzz_envelope.c - the binary envelope (versions 1 and 2) as read from
 * paper: parse, walk every accessor (version 2's replaced sets too), fingerprint it, and try the MAC and an unwrap with a
 * fixed (wrong) master secret.  Nothing here is secret.
 */
#include "escrow.h"
#include "escrow_envelope.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t S[ESCROW_ENVELOPE_SECRET_LEN] = { 1, 2, 3 };
	uint8_t fp[ESCROW_ENVELOPE_HASH_LEN], out[4096];
	struct escrow_envelope *env = NULL;
	struct escrow_envelope_key k;
	size_t i, len;

	if (escrow_init() != ESCROW_OK)
		abort();
	(void)escrow_envelope_fingerprint(data, size, fp);
	if (escrow_envelope_parse(data, size, &env) != ESCROW_OK) {
		escrow_envelope_free(env);
		return 0;
	}
	(void)escrow_envelope_id(env);
	(void)escrow_envelope_created(env);
	(void)escrow_envelope_shareset(env);
	(void)escrow_envelope_version(env);
	(void)escrow_envelope_passphrase(env);
	for (i = 0; i < escrow_envelope_replaced_count(env); i++)
		(void)escrow_envelope_replaced_at(env, i)->identifier;
	for (i = 0; i < escrow_envelope_key_count(env); i++)
		(void)escrow_envelope_key(env, i, &k);
	for (i = 0; i < escrow_envelope_commitment_count(env); i++)
		(void)escrow_envelope_commitment_at(env, i);
	(void)escrow_envelope_bytes(env, &len);
	(void)escrow_envelope_verify(env, S);
	if (escrow_envelope_key_count(env) > 0)
		(void)escrow_envelope_unwrap_key(env, S, 0, out, sizeof out, &len);
	escrow_envelope_free(env);
	return 0;
}
