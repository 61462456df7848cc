/*
 * harden.c - library start-up and the process hardening every tool runs
 * first: no core dumps, not ptrace-attachable by other users, umask 077.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <openssl/crypto.h>
#include <sodium.h>

#include "escrow.h"

int
escrow_init(void)
{
	if (sodium_init() < 0)
		return ESCROW_ERR_SODIUM_INIT;
	if (OPENSSL_init_crypto(0, NULL) != 1)
		return ESCROW_ERR_CRYPTO;
	return ESCROW_OK;
}

int
escrow_harden_process(void)
{
	struct rlimit nocore = { 0, 0 };
	int ret;

	umask(077);
	if (setrlimit(RLIMIT_CORE, &nocore) != 0)
		return ESCROW_ERR_HARDEN;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return ESCROW_ERR_HARDEN;
	ret = escrow_init();
	return ret;
}
