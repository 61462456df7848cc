/*
 * fuzz_keyimport.c - private keys from outside: what --import-key reads
 * (PEM PKCS#8, traditional RSA/EC PEM, DER PKCS#8) through
 * escrow_keys_import(), and the PKCS#8 DER an envelope unwraps through
 * escrow_keys_pkcs8_read().  A key taken must survive PKCS#8 DER out and
 * back and still match its own DNSKEY public key.  The inputs are made-up
 * or throwaway keys (fuzz/corpus/keyimport), secret to no one.
 */
#include <openssl/evp.h>

#include "escrow.h"
#include "escrow_keys.h"
#include "fuzz.h"

static void
round_trip(EVP_PKEY *k, int alg)
{
	uint8_t pub[ESCROW_KEYS_PUBKEY_MAX], *der;
	size_t publen, len, got;
	EVP_PKEY *back = NULL;

	if (escrow_keys_dnskey_pub(k, alg, pub, sizeof pub, &publen) != ESCROW_OK ||
	    escrow_keys_pkcs8_len(k, &len) != ESCROW_OK)
		abort(); /* a key we took we must be able to write */
	der = escrow_secret_alloc(len);
	if (der == NULL)
		abort();
	if (escrow_keys_pkcs8_write(k, der, len, &got) != ESCROW_OK ||
	    escrow_keys_pkcs8_read(der, got, alg, &back) != ESCROW_OK ||
	    escrow_keys_match(back, alg, pub, publen) != ESCROW_OK)
		abort(); /* and read back what we wrote */
	EVP_PKEY_free(back);
	escrow_secret_free(der);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	EVP_PKEY *k = NULL;
	int alg = 0;

	if (escrow_init() != ESCROW_OK)
		abort();
	if (escrow_keys_import(data, size, &alg, &k) == ESCROW_OK) {
		round_trip(k, alg);
		EVP_PKEY_free(k);
		k = NULL;
	}
	if (escrow_keys_pkcs8_read(data, size, 0, &k) == ESCROW_OK) {
		if (escrow_keys_infer_alg(k, &alg) != ESCROW_OK)
			abort(); /* pkcs8_read with alg 0 takes only keys that fit one */
		round_trip(k, alg);
		EVP_PKEY_free(k);
	}
	return 0;
}
