/*
 * fixture_envelope.c - what the envelope suites share: the worked example
 * of docs/FORMAT.md (its key, shares, secret and sealed bytes) and fresh
 * PKCS#8 test keys.  Test keys and secrets only.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/x509.h>

#include "escrow.h"
#include "escrow_hazmat.h"
#include "escrow_envelope.h"
#include "escrow_keywrap.h"
#include "fixture_envelope.h"
#include "testutil.h"

/* RFC 8032 section 7.1 TEST 1 key, as DNSSEC algorithm 15 (RFC 8080). */
const char ex_seed_hex[] =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const char ex_pub_hex[] =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
/* PKCS#8 PrivateKeyInfo prefix for Ed25519 (RFC 8410 section 7). */
const char ex_p8_prefix_hex[] = "302e020100300506032b657004220420";
const uint8_t ex_owner[] = "\007example\003com"; /* + root label */

/* The sealed example: see docs/FORMAT.md ("Worked example: an envelope"). */
const char ex_envelope_hex[] =
    "455343524f57455601dd95a4aca58678542e063c5ed5b61201000000006955b9"
    "0012340101010102030003000035bdb1a98e8f1bb41c6b01eb50d8d72b03cb07"
    "e1c285ca4f47cf22ce27a9d0ac0001b774d66c07d79da7796ebb414868d76b98"
    "7f18956d8ba770d2d7dcd95be769a60002f3cd67eceb8427ebf22589e1da1f06"
    "dbfa26b06301d4c0e925d5035dc20db61500010f6578616d706c652e636f6d20"
    "4b534b0201020d076578616d706c6503636f6d0001010f0020d75a980182b10a"
    "b7d54bfed3c964073a0ee172f3daa62325af021a68f707511a00383f084f0651"
    "8a07b09f9202b3ae0be32af2db67d523e05454d2b352f5959fd481fca784f7ad"
    "7eb5193523b70718a5ffee2615482b249df5335b932fa05b98c219bcd74552e6"
    "d3fd51c97efe4e4e9901ae9ea97d18d17c0072";
const char ex_fingerprint_hex[] =
    "e7c0ecc7c1b30595ba922f08e05432cc68ef03bfd53236bdabc987e3af7e6b65";
const char ex_fingerprint_words[] = "tracks advocate sister upstairs "
    "quantity body founder pencil darkness civil airline arcade";

/* Its version 2 addendum (docs/FORMAT.md), from seal_example(). */
const char ex_v2_envelope_hex[] =
    "455343524f57455602dd95a4aca58678542e063c5ed5b61201000000006955b9"
    "0005670101010102030003000035bdb1a98e8f1bb41c6b01eb50d8d72b03cb07"
    "e1c285ca4f47cf22ce27a9d0ac0001b774d66c07d79da7796ebb414868d76b98"
    "7f18956d8ba770d2d7dcd95be769a60002f3cd67eceb8427ebf22589e1da1f06"
    "dbfa26b06301d4c0e925d5035dc20db61501011234e7c0ecc7c1b30595ba922f"
    "08e05432cc68ef03bfd53236bdabc987e3af7e6b6500010f6578616d706c652e"
    "636f6d204b534b0201020d076578616d706c6503636f6d0001010f0020d75a98"
    "0182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a00383f"
    "084f06518a07b09f9202b3ae0be32af2db67d523e05454d2b352f5959fd481fc"
    "a784f7ad7eb5193523b70718a5ffee2615482b249df53384bff10e147f770987"
    "c9410caabf44eef995e892f1726b69571a6536f2179252";
const char ex_v2_fingerprint_hex[] =
    "da96f8934dc284a96a47eefac9df7402c2e7d8286dfd5c1e4561d83fba21e924";

void
ex_secret(uint8_t S[32])
{
	size_t i;

	for (i = 0; i < 32; i++)
		S[i] = (uint8_t)i;
}

/* Stand-in share words (the envelope treats shares as opaque words). */
void
ex_share(unsigned group, unsigned member, uint16_t w[EX_WORDS])
{
	size_t i;

	for (i = 0; i < EX_WORDS; i++)
		w[i] = (uint16_t)((group * 331u + member * 97u + i * 31u) % 1024);
}

void
ex_shareset(struct escrow_shareset *set)
{
	memset(set, 0, sizeof *set);
	set->identifier = 0x1234;
	set->extendable = 1;
	set->iteration_exponent = 1;
	set->group_threshold = 1;
	set->group_count = 1;
	set->groups[0].threshold = 2;
	set->groups[0].count = 3;
}

void
ex_key(struct escrow_envelope_key *k, uint8_t pub[32])
{
	ck_assert_int_eq(tu_unhex(ex_pub_hex, pub, 32), 32);
	memset(k, 0, sizeof *k);
	k->label = (const uint8_t *)"example.com KSK";
	k->label_len = 15;
	k->id = (const uint8_t *)"\x01\x02";
	k->id_len = 2;
	k->owner = ex_owner;
	k->owner_len = sizeof ex_owner; /* its NUL is the root label */
	k->flags = 257;
	k->algorithm = 15;
	k->pubkey = pub;
	k->pubkey_len = 32;
}

/* The example's PKCS#8 (48 bytes) into a secret buffer. */
uint8_t *
ex_pkcs8(void)
{
	uint8_t *p8 = escrow_secret_alloc(48);

	ck_assert_ptr_nonnull(p8);
	ck_assert_int_eq(tu_unhex(ex_p8_prefix_hex, p8, 16), 16);
	ck_assert_int_eq(tu_unhex(ex_seed_hex, p8 + 16, 32), 32);
	return p8;
}

/*
 * Seals the worked example (v2 NULL: version 1), or its version 2
 * addendum: the same, with the set's identifier, passphrase flag and
 * replaced sets of *v2.  Returns the malloc'd bytes.
 */
static uint8_t *
seal_example(size_t *len, const struct ex_v2 *v2)
{
	struct escrow_envelope *env = NULL;
	struct escrow_shareset set;
	struct escrow_envelope_key k;
	uint8_t seed[32], *S = escrow_secret_alloc(32), *p8 = ex_pkcs8();
	uint8_t pub[32], *out = NULL;
	uint16_t w[EX_WORDS];
	int m;

	ck_assert_ptr_nonnull(S);
	ex_secret(S);
	memset(seed, 0x42, sizeof seed);
	escrow_random_set_test_seed(seed);
	ck_assert_int_eq(escrow_envelope_create(&env, EX_TIME, S), ESCROW_OK);
	escrow_random_set_test_seed(NULL);
	ex_shareset(&set);
	if (v2 != NULL)
		set.identifier = v2->identifier;
	ck_assert_int_eq(escrow_envelope_set_shareset(env, &set), ESCROW_OK);
	if (v2 != NULL)
		ck_assert_int_eq(escrow_envelope_set_ceremony(env, v2->passphrase,
		    v2->replaced, v2->nreplaced), ESCROW_OK);
	for (m = 2; m >= 0; m--) { /* any order: seal sorts them */
		ex_share(0, (unsigned)m, w);
		ck_assert_int_eq(escrow_envelope_add_share(env, 0, (uint8_t)m,
		    w, EX_WORDS), ESCROW_OK);
	}
	ex_key(&k, pub);
	ck_assert_int_eq(escrow_envelope_add_key(env, &k, p8, 48), ESCROW_OK);
	ck_assert_int_eq(escrow_envelope_seal(env, &out, len), ESCROW_OK);
	ck_assert_ptr_nonnull(out);
	escrow_envelope_free(env);
	escrow_secret_free(S);
	escrow_secret_free(p8);
	return out;
}

uint8_t *
ex_seal(size_t *len)
{
	return seal_example(len, NULL);
}

void
ex_v2_ceremony(struct ex_v2 *v2)
{
	memset(v2, 0, sizeof *v2);
	v2->identifier = EX_V2_IDENTIFIER;
	v2->passphrase = ESCROW_PASSPHRASE_SET;
	v2->nreplaced = 1;
	v2->replaced = v2->one;
	v2->one[0].identifier = 0x1234; /* the version 1 example's set */
	ck_assert_int_eq(tu_unhex(ex_fingerprint_hex, v2->one[0].fingerprint, 32), 32);
}

uint8_t *
ex_seal_v2(size_t *len, const struct ex_v2 *v2)
{
	struct ex_v2 dflt;

	if (v2 == NULL) {
		ex_v2_ceremony(&dflt);
		v2 = &dflt;
	}
	return seal_example(len, v2);
}

/* parse, then verify; *parsed says whether parse accepted it. */
int
parse_and_verify(const uint8_t *b, size_t len, const uint8_t S[32], int *parsed)
{
	struct escrow_envelope *env = NULL;
	int ret = escrow_envelope_parse(b, len, &env);

	*parsed = ret == ESCROW_OK;
	if (ret == ESCROW_OK)
		ret = escrow_envelope_verify(env, S);
	escrow_envelope_free(env);
	return ret;
}



void
ex_expect_parse(const uint8_t *orig, size_t len, size_t cut, size_t off,
    const uint8_t *with, size_t wlen, int want, const char *what)
{
	struct escrow_envelope *env = NULL;
	uint8_t *b = malloc(len);
	int ret;

	ck_assert_ptr_nonnull(b);
	memcpy(b, orig, len);
	memcpy(b + off, with, wlen);
	ret = escrow_envelope_parse(b, len - cut, &env);
	ck_assert_msg(ret == want, "%s: got %d (%s), want %d", what, ret,
	    escrow_strerror(ret), want);
	ck_assert_ptr_null(env);
	free(b);
}

/* A fresh key of the given OpenSSL type as PKCS#8 DER in secret memory. */
uint8_t *
make_pkcs8(const char *type, const char *param, size_t *len)
{
	EVP_PKEY *pk = param != NULL ? EVP_PKEY_Q_keygen(NULL, NULL, type, param) :
	    EVP_PKEY_Q_keygen(NULL, NULL, type);
	PKCS8_PRIV_KEY_INFO *p8;
	uint8_t *buf, *q;
	int n;

	ck_assert_ptr_nonnull(pk);
	p8 = EVP_PKEY2PKCS8(pk);
	ck_assert_ptr_nonnull(p8);
	n = i2d_PKCS8_PRIV_KEY_INFO(p8, NULL);
	ck_assert_int_gt(n, 0);
	buf = escrow_secret_alloc((size_t)n);
	ck_assert_ptr_nonnull(buf);
	q = buf;
	ck_assert_int_eq(i2d_PKCS8_PRIV_KEY_INFO(p8, &q), n);
	PKCS8_PRIV_KEY_INFO_free(p8);
	EVP_PKEY_free(pk);
	*len = (size_t)n;
	return buf;
}

