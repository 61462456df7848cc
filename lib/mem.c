/*
 * mem.c - secret memory, constant-time comparison, and the random source.
 *
 * Secret: everything passed through here.  The count of secret
 * allocations that could not be locked is state kept between calls; so is
 * the test seed, which exists only in test builds (ESCROW_TEST_HOOKS:
 * libescrow-test.a, see escrow_hazmat.h).
 */
#include <string.h>

#include <sodium.h>

#include "escrow.h"

/*
 * How many secret allocations could not be locked in memory.  libsodium's
 * sodium_malloc() ignores a failed mlock (over RLIMIT_MEMLOCK, which is
 * 64 KB or 0 for many unprivileged users); the tools ask this counter and
 * warn once, since the library never prints.
 */
static size_t unlocked_count;

#ifdef ESCROW_TEST_HOOKS
#include "escrow_hazmat.h"

/* Deterministic random source for tests (escrow_hazmat.h). */
static int test_seeded;
static uint8_t test_state[32];
#endif

void *
escrow_secret_alloc(size_t len)
{
	void *p;

	if (len == 0)
		len = 1;
	p = sodium_malloc(len);
	if (p == NULL)
		return NULL;
	sodium_memzero(p, len);
	/* locking pages already locked by sodium_malloc() costs no limit;
	 * failing here means sodium's own mlock failed as well */
	if (sodium_mlock(p, len) != 0)
		unlocked_count++;
	return p;
}

size_t
escrow_secret_unlocked_count(void)
{
	return unlocked_count;
}

void
escrow_secret_free(void *p)
{
	sodium_free(p); /* wipes, checks the canary, takes NULL */
}

void
escrow_wipe(void *p, size_t len)
{
	if (p != NULL)
		sodium_memzero(p, len);
}

int
escrow_equal(const void *a, const void *b, size_t len)
{
	return sodium_memcmp(a, b, len) == 0;
}

void
escrow_random(void *buf, size_t len)
{
#ifdef ESCROW_TEST_HOOKS
	uint8_t next[32];
	static const uint8_t step[] = "escrow test random step";

	if (test_seeded) {
		/* output from the current state, then ratchet it forward */
		randombytes_buf_deterministic(buf, len, test_state);
		crypto_generichash(next, sizeof next, step, sizeof step - 1,
		    test_state, sizeof test_state);
		memcpy(test_state, next, sizeof next);
		sodium_memzero(next, sizeof next);
		return;
	}
#endif
	randombytes_buf(buf, len);
}

#ifdef ESCROW_TEST_HOOKS
void
escrow_random_set_test_seed(const uint8_t seed[32])
{
	if (seed == NULL) {
		test_seeded = 0;
		sodium_memzero(test_state, sizeof test_state);
		return;
	}
	memcpy(test_state, seed, sizeof test_state);
	test_seeded = 1;
}
#endif
