/*
 * check_dnssec_parse.c - the restore-side readers of public records: DS
 * text lines and RFC 9718 trust-anchor XML, with valid documents (RFC
 * 9718's own example, IANA's root-anchors.xml), generated documents read
 * back, malformed input refused, and thousands of mutated inputs that must
 * not crash (run under ASan and valgrind by make check-asan/-valgrind).
 * Public test data only.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <valgrind/valgrind.h>

#include "escrow.h"
#include "escrow_dnssec.h"
#include "escrow_keys.h"
#include "dnssec_int.h"
#include "testutil.h"

Suite *check_dnssec_parse_suite(void);

static size_t
hex(const char *s, uint8_t *out, size_t cap)
{
	size_t len = 0;

	ck_assert_int_eq(escrow_dnssec_i_unhex(s, strlen(s), out, cap, &len),
	    ESCROW_OK);
	return len;
}


/* ---- DS parser ----------------------------------------------------------- */

START_TEST(test_dnssec_ds_parse_variants)
{
	static const char *good[] = {
		"example.com. 3600 IN DS 60485 5 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A",
		"example.com.\t3600\tIN\tDS\t60485 5 2 d4b7d520e7bb5f0f67674a0cceb1e3e0614b93c4f9e99b8383f6a1e4469da50a\n",
		"example.com IN 3600 ds 60485 5 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0 614B93C4F9E99B8383F6A1E4469DA50A ; comment",
		"example.com. DS 60485 5 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A\r\n",
		"; a comment line\n\n  example.com.   in   DS 60485 5 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A",
	};
	static const char *bad[] = {
		"", "\n\n ; nothing\n", "example.com.",
		"example.com. 3600 IN DS 60485 5 2",
		"example.com. 3600 IN DNSKEY 257 3 8 AwEAAQ==",
		"example.com. 3600 CH DS 60485 5 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A",
		"example.com. 3600 IN DS 65536 5 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A",
		"example.com. 3600 IN DS 60485 256 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A",
		"example.com. 3600 IN DS 60485 5 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA5",
		"example.com. 3600 IN DS 60485 5 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A00",
		"example.com. 3600 IN DS 60485 5 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50G",
		"example.com. 3600 IN DS 60485 5 2 ( D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A )",
		"example..com. 3600 IN DS 60485 5 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A",
		"example.com. 3600 3600 IN DS 60485 5 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A",
		"example.com. 99999999999 IN DS 60485 5 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A",
		"example.com. 3600 IN DS -1 5 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A",
	};
	struct escrow_ds ds[3];
	size_t i, n;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		n = 0;
		ck_assert_msg(escrow_dnssec_ds_parse(good[i], strlen(good[i]),
		    ds, 3, &n) == ESCROW_OK && n == 1, "refused: %s", good[i]);
		ck_assert_uint_eq(ds[0].key_tag, 60485);
		ck_assert_uint_eq(ds[0].algorithm, 5);
		ck_assert_uint_eq(ds[0].digest_type, 2);
		ck_assert_uint_eq(ds[0].digest_len, 32);
		ck_assert_uint_eq(ds[0].digest[0], 0xd4);
		ck_assert_uint_eq(ds[0].digest[31], 0x0a);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(escrow_dnssec_ds_parse(bad[i], strlen(bad[i]), ds,
		    3, &n) != ESCROW_OK, "accepted: %s", bad[i]);
	/* several lines; too many */
	{
		char text[1024];

		snprintf(text, sizeof text, "%s\n%s\n%s\n%s\n", good[0], good[1],
		    good[2], good[3]);
		ck_assert_int_eq(escrow_dnssec_ds_parse(text, strlen(text), ds,
		    3, &n), ESCROW_ERR_TOO_LARGE);
		ck_assert_int_eq(escrow_dnssec_ds_parse(text, strlen(text) -
		    strlen(good[3]) - 2, ds, 3, &n), ESCROW_OK);
		ck_assert_uint_eq(n, 3);
	}
	/* embedded NUL */
	ck_assert_int_ne(escrow_dnssec_ds_parse("exa\0mple. DS 1 8 2 00", 21,
	    ds, 3, &n), ESCROW_OK);
}
END_TEST

/* Deterministic mutations of a valid input: the parsers must not crash. */
static uint32_t
xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void
mutate_and_parse(const char *orig, size_t len, int xml)
{
	static const char alphabet[] = "<>/=\"'&;#x0123456789abcdefABCDEF \n\t.-!?[]()\\\xff";
	char *buf = malloc(len + 16);
	uint32_t seed = 0x12345678;
	size_t i, rounds = RUNNING_ON_VALGRIND ? 300 : 3000;

	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < rounds; i++) {
		size_t n = len, k, edits = 1 + xorshift(&seed) % 4;
		struct escrow_ta ta;
		struct escrow_ds ds[4];
		size_t cnt;

		memcpy(buf, orig, len);
		for (k = 0; k < edits; k++) {
			size_t pos = xorshift(&seed) % n;

			switch (xorshift(&seed) % 3) {
			case 0:
				buf[pos] = alphabet[xorshift(&seed) %
				    (sizeof alphabet - 1)];
				break;
			case 1:
				n = pos; /* truncate */
				break;
			default:
				memmove(buf + pos, buf + pos + 1, n - pos - 1);
				n--;
				break;
			}
			if (n == 0)
				break;
		}
		/* whatever the verdict, an accepted input must be sane */
		if (xml) {
			if (escrow_dnssec_ta_parse(buf, n, &ta) == ESCROW_OK)
				ck_assert(ta.count >= 1 &&
				    ta.count <= ESCROW_DNSSEC_TA_MAX);
		} else {
			if (escrow_dnssec_ds_parse(buf, n, ds, 4, &cnt) ==
			    ESCROW_OK)
				ck_assert(cnt >= 1 && cnt <= 4);
		}
	}
	free(buf);
}

START_TEST(test_dnssec_parsers_survive_mutations)
{
	static const char ds[] = "example.com. 3600 IN DS 60485 5 2 "
	    "D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A\n"
	    ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n";
	size_t len = 0;
	char *xml = tu_read_file(tu_vector_path("dnssec/rfc9718-example.xml"),
	    &len);

	ck_assert_ptr_nonnull(xml);
	mutate_and_parse(xml, len, 1);
	mutate_and_parse(ds, sizeof ds - 1, 0);
	free(xml);
}
END_TEST

/* ---- trust anchors ------------------------------------------------------- */

START_TEST(test_dnssec_ta_rfc9718_example)
{
	struct escrow_ta ta;
	struct escrow_dnskey k;
	size_t len = 0;
	char *xml = tu_read_file(tu_vector_path("dnssec/rfc9718-example.xml"),
	    &len);
	uint8_t want[32];

	ck_assert_ptr_nonnull(xml);
	ck_assert_int_eq(escrow_dnssec_ta_parse(xml, len, &ta), ESCROW_OK);
	ck_assert_str_eq(ta.id, "E9724F53-1851-4F86-85E5-F1392102940B");
	ck_assert_str_eq(ta.source,
	    "http://data.iana.org/root-anchors/root-anchors.xml");
	ck_assert_uint_eq(ta.zone_len, 1);
	ck_assert_uint_eq(ta.count, 2);
	ck_assert_str_eq(ta.digests[0].id, "Kjqmt7v");
	ck_assert_str_eq(ta.digests[0].valid_until, "2019-01-11T00:00:00+00:00");
	ck_assert_uint_eq(ta.digests[0].key_tag, 19036);
	ck_assert_int_eq(ta.digests[0].has_pubkey, 0);
	ck_assert_str_eq(ta.digests[1].id, "Klajeyz");
	ck_assert_str_eq(ta.digests[1].valid_from, "2017-02-02T00:00:00+00:00");
	ck_assert_str_eq(ta.digests[1].valid_until, "");
	ck_assert_uint_eq(ta.digests[1].key_tag, 20326);
	ck_assert_uint_eq(ta.digests[1].algorithm, 8);
	ck_assert_uint_eq(ta.digests[1].digest_type, 2);
	hex("E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
	    want, sizeof want);
	ck_assert_mem_eq(ta.digests[1].digest, want, 32);
	ck_assert_int_eq(ta.digests[1].has_pubkey, 1);
	ck_assert_uint_eq(ta.digests[1].pubkey_len, 260);
	ck_assert_uint_eq(ta.digests[1].flags, 257);
	/* RFC 9718 4.1.2: the digest must match its own public key */
	ck_assert_int_eq(escrow_dnssec_ta_check(&ta, 1, NULL), ESCROW_OK);
	ck_assert_int_eq(escrow_dnssec_ta_check(&ta, 0, NULL),
	    ESCROW_ERR_INVALID_ARG);
	/* and against the DNSKEY built from it */
	ck_assert_int_eq(escrow_dnssec_dnskey_init(&k, ".", 257, 8,
	    ta.digests[1].pubkey, ta.digests[1].pubkey_len), ESCROW_OK);
	ck_assert_int_eq(escrow_dnssec_ta_check(&ta, 1, &k), ESCROW_OK);
	ck_assert_int_eq(escrow_dnssec_ta_check(&ta, 0, &k),
	    ESCROW_ERR_DIGEST_MISMATCH);
	k.flags = 256;
	ck_assert_int_eq(escrow_dnssec_ta_check(&ta, 1, &k),
	    ESCROW_ERR_DIGEST_MISMATCH);
	/* a PublicKey that does not match its Digest */
	ta.digests[1].pubkey[100] ^= 1;
	ck_assert_int_eq(escrow_dnssec_ta_check(&ta, 1, NULL),
	    ESCROW_ERR_DIGEST_MISMATCH);
	free(xml);
	/* RFC 9718 4.1.1: KSK-2010 was valid until 2019-01-11T00:00:00+00:00
	 * (1547164800), KSK-2017 from 2017-02-02T00:00:00+00:00 (1485993600) */
	{
		int state = 9;

		ck_assert_int_eq(escrow_dnssec_ta_validity(&ta, 0, 1547164799, &state),
		    ESCROW_OK);
		ck_assert_int_eq(state, 0);
		ck_assert_int_eq(escrow_dnssec_ta_validity(&ta, 0, 1547164800, &state),
		    ESCROW_OK);
		ck_assert_int_eq(state, 1);
		ck_assert_int_eq(escrow_dnssec_ta_validity(&ta, 1, 1485993599, &state),
		    ESCROW_OK);
		ck_assert_int_eq(state, -1);
		ck_assert_int_eq(escrow_dnssec_ta_validity(&ta, 1, 1485993600, &state),
		    ESCROW_OK);
		ck_assert_int_eq(state, 0);
		ck_assert_int_eq(escrow_dnssec_ta_validity(&ta, 1, INT64_C(32503680000),
		    &state), ESCROW_OK);
		ck_assert_int_eq(state, 0);
		/* a zone offset: 2019-01-11T01:00:00+01:00 is the same instant */
		snprintf(ta.digests[0].valid_until, sizeof ta.digests[0].valid_until,
		    "2019-01-11T01:00:00+01:00");
		ck_assert_int_eq(escrow_dnssec_ta_validity(&ta, 0, 1547164800, &state),
		    ESCROW_OK);
		ck_assert_int_eq(state, 1);
		snprintf(ta.digests[0].valid_until, sizeof ta.digests[0].valid_until,
		    "2019-01-11");
		ck_assert_int_eq(escrow_dnssec_ta_validity(&ta, 0, 0, &state),
		    ESCROW_ERR_FORMAT);
	}

	xml = tu_read_file(tu_vector_path("dnssec/root-anchors-2024.xml"), &len);
	ck_assert_ptr_nonnull(xml);
	ck_assert_int_eq(escrow_dnssec_ta_parse(xml, len, &ta), ESCROW_OK);
	ck_assert_uint_eq(ta.count, 3);
	ck_assert_uint_eq(ta.digests[2].key_tag, 38696);
	ck_assert_int_eq(escrow_dnssec_ta_check(&ta, 1, NULL), ESCROW_OK);
	ck_assert_int_eq(escrow_dnssec_ta_check(&ta, 2, NULL), ESCROW_OK);
	free(xml);
}
END_TEST

START_TEST(test_dnssec_ta_document_round_trip)
{
	struct escrow_dnskey keys[3];
	struct escrow_ta ta;
	EVP_PKEY *key;
	char xml[16384], kd[ESCROW_DNSSEC_TEXT_MAX];
	size_t i, len = 0;
	static const int algs[3] = { 13, 15, 8 };

	for (i = 0; i < 3; i++) {
		key = NULL;
		ck_assert_int_eq(escrow_keys_generate(algs[i], 0, &key),
		    ESCROW_OK);
		ck_assert_int_eq(escrow_dnssec_dnskey_from_key(&keys[i],
		    "Example.NET", 0, algs[i], key), ESCROW_OK);
		EVP_PKEY_free(key);
	}
	ck_assert_int_eq(escrow_dnssec_ta_document(keys, 3, 2, "id&<1>",
	    "file:///x?a=1&b=\"2\"", NULL, "2026-11-28T00:00:00+00:00", 1, xml,
	    sizeof xml, &len), ESCROW_OK);
	ck_assert_uint_eq(len, strlen(xml));
	ck_assert(strstr(xml, "<Zone>Example.NET.</Zone>") != NULL);
	ck_assert(strstr(xml, "id=\"id&amp;&lt;1&gt;\"") != NULL);
	ck_assert_int_eq(escrow_dnssec_ta_parse(xml, len, &ta), ESCROW_OK);
	ck_assert_str_eq(ta.id, "id&<1>");
	ck_assert_str_eq(ta.source, "file:///x?a=1&b=\"2\"");
	ck_assert_uint_eq(ta.count, 3);
	for (i = 0; i < 3; i++) {
		char id[16];

		snprintf(id, sizeof id, "K%u", escrow_dnssec_keytag(&keys[i]));
		ck_assert_str_eq(ta.digests[i].id, id);
		ck_assert_int_eq(ta.digests[i].has_pubkey, 1);
		ck_assert_int_eq(escrow_dnssec_ta_check(&ta, i, &keys[i]),
		    ESCROW_OK);
		ck_assert_int_eq(escrow_dnssec_ta_check(&ta, i,
		    &keys[(i + 1) % 3]), ESCROW_ERR_DIGEST_MISMATCH);
	}
	/* SHA-384 without public keys */
	ck_assert_int_eq(escrow_dnssec_ta_document(keys, 3, 4, "x", "y", "T",
	    "2026-11-28T00:00:00+00:00", 0, xml, sizeof xml, &len), ESCROW_OK);
	ck_assert_int_eq(escrow_dnssec_ta_parse(xml, len, &ta), ESCROW_OK);
	ck_assert_int_eq(ta.digests[0].has_pubkey, 0);
	ck_assert_uint_eq(ta.digests[0].digest_len, 48);
	ck_assert_int_eq(escrow_dnssec_ta_check(&ta, 0, &keys[0]), ESCROW_OK);
	/* too small a buffer says how much is needed */
	ck_assert_int_eq(escrow_dnssec_ta_document(keys, 3, 4, "x", "y", "T",
	    "2026", 0, xml, 100, &len), ESCROW_ERR_BUFFER_TOO_SMALL);
	ck_assert_uint_gt(len, 100);
	/* one element */
	ck_assert_int_eq(escrow_dnssec_ta_keydigest(&keys[0], 2, "Kone",
	    "2026-11-28T00:00:00+00:00", 1, kd, sizeof kd), ESCROW_OK);
	ck_assert(strncmp(kd, "  <KeyDigest id=\"Kone\" validFrom=\"2026-11-28T00:00:00+00:00\">\n"
	    "    <KeyTag>", 74) == 0);
	ck_assert(strstr(kd, "<Flags>257</Flags>\n  </KeyDigest>\n") != NULL);
	/* keys of different zones cannot share a document */
	ck_assert_int_eq(escrow_dnssec_dnskey_init(&keys[1], "other.net", 0, 13,
	    keys[0].pubkey, keys[0].pubkey_len), ESCROW_OK);
	ck_assert_int_eq(escrow_dnssec_ta_document(keys, 2, 2, "x", "y", NULL,
	    "T", 0, xml, sizeof xml, &len), ESCROW_ERR_INVALID_ARG);
}
END_TEST

START_TEST(test_dnssec_ta_malformed_rejected)
{
	static const char head[] = "<TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone>";
	static const char kd[] = "<KeyDigest id=\"k\" validFrom=\"2017-02-02T00:00:00+00:00\">"
	    "<KeyTag>20326</KeyTag><Algorithm>8</Algorithm><DigestType>2</DigestType>"
	    "<Digest>E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D</Digest>"
	    "</KeyDigest>";
	static const char *bad[] = {
		"",
		"<TrustAnchor/>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone></TrustAnchor>",
		"<TrustAnchor id=\"a\"><Zone>.</Zone>%s</TrustAnchor>",
		"<TrustAnchor source=\"b\"><Zone>.</Zone>%s</TrustAnchor>",
		"<TrustAnchor id=\"a\" id=\"a\" source=\"b\"><Zone>.</Zone>%s</TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\" x=\"1\"><Zone>.</Zone>%s</TrustAnchor>",
		"<TrustAnchor id=\"a\"source=\"b\"><Zone>.</Zone>%s</TrustAnchor>",
		"<TrustAnchor id=a source=\"b\"><Zone>.</Zone>%s</TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>..</Zone>%s</TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\">%s</TrustAnchor>",
		"<!DOCTYPE x [<!ENTITY e \"x\">]><TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone>%s</TrustAnchor>",
		"<?php ?><TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone>%s</TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone><![CDATA[.]]></Zone>%s</TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>&e;</Zone>%s</TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>&#0;</Zone>%s</TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone>%s",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone>%s</TrustAnchor><x/>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone>%s</TrustAnchor>trailing",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone>%s</trustanchor>",
		"<ns:TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone>%s</ns:TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone><!-- unterminated %s</TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>.<x/></Zone>%s</TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone><KeyDigest id=\"k\" validFrom=\"v\"></KeyDigest></TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone><KeyDigest id=\"k\"><KeyTag>1</KeyTag><Algorithm>8</Algorithm><DigestType>2</DigestType><Digest>00</Digest></KeyDigest></TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone><KeyDigest id=\"k\" validFrom=\"v\"><KeyTag>65536</KeyTag><Algorithm>8</Algorithm><DigestType>2</DigestType><Digest>E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D</Digest></KeyDigest></TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone><KeyDigest id=\"k\" validFrom=\"v\"><KeyTag>-1</KeyTag><Algorithm>8</Algorithm><DigestType>2</DigestType><Digest>E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D</Digest></KeyDigest></TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone><KeyDigest id=\"k\" validFrom=\"v\"><Algorithm>8</Algorithm><KeyTag>1</KeyTag><DigestType>2</DigestType><Digest>E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D</Digest></KeyDigest></TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone><KeyDigest id=\"k\" validFrom=\"v\"><KeyTag>1</KeyTag><Algorithm>8</Algorithm><DigestType>2</DigestType><Digest>E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC</Digest></KeyDigest></TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone><KeyDigest id=\"k\" validFrom=\"v\"><KeyTag>1</KeyTag><Algorithm>8</Algorithm><DigestType>2</DigestType><Digest>X06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D</Digest></KeyDigest></TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone><KeyDigest id=\"k\" validFrom=\"v\"><KeyTag>1</KeyTag><Algorithm>8</Algorithm><DigestType>2</DigestType><Digest>E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D</Digest><PublicKey>AwEAAQ==</PublicKey></KeyDigest></TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone><KeyDigest id=\"k\" validFrom=\"v\"><KeyTag>1</KeyTag><Algorithm>8</Algorithm><DigestType>2</DigestType><Digest>E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D</Digest><PublicKey>AwEAAQ=</PublicKey><Flags>257</Flags></KeyDigest></TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone><KeyDigest id=\"k\" validFrom=\"v\"><KeyTag>1</KeyTag><Algorithm>8</Algorithm><DigestType>2</DigestType><Digest>E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D</Digest><Flags>257</Flags><PublicKey>AwEAAQ==</PublicKey></KeyDigest></TrustAnchor>",
		"<TrustAnchor id=\"a\" source=\"b\"><Zone>.</Zone><KeyDigest id=\"k\" validFrom=\"v\"><KeyTag>1</KeyTag><Algorithm>8</Algorithm><DigestType>2</DigestType><Digest>E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D</Digest><Extra/></KeyDigest></TrustAnchor>",
	};
	char doc[8192];
	struct escrow_ta ta;
	size_t i;

	/* the template itself is valid */
	snprintf(doc, sizeof doc, "%s%s</TrustAnchor>", head, kd);
	ck_assert_int_eq(escrow_dnssec_ta_parse(doc, strlen(doc), &ta), ESCROW_OK);
	ck_assert_uint_eq(ta.count, 1);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		/* bad[i] is either literal or has one %s for the KeyDigest */
		const char *pct = strstr(bad[i], "%s");

		if (pct != NULL)
			snprintf(doc, sizeof doc, "%.*s%s%s", (int)(pct - bad[i]),
			    bad[i], kd, pct + 2);
		else
			snprintf(doc, sizeof doc, "%s", bad[i]);
		ck_assert_msg(escrow_dnssec_ta_parse(doc, strlen(doc), &ta) !=
		    ESCROW_OK, "accepted #%zu: %s", i, doc);
		ck_assert_uint_eq(ta.count, 0);
	}
	/* 17 KeyDigests: more than the parser keeps */
	{
		size_t n = 0;

		n += (size_t)snprintf(doc, sizeof doc, "%s", head);
		for (i = 0; i < 17 && n + sizeof kd < sizeof doc; i++)
			n += (size_t)snprintf(doc + n, sizeof doc - n, "%s", kd);
		ck_assert_uint_eq(i, 17);
		snprintf(doc + n, sizeof doc - n, "</TrustAnchor>");
		ck_assert_int_eq(escrow_dnssec_ta_parse(doc, strlen(doc), &ta),
		    ESCROW_ERR_TOO_LARGE);
	}
	/* a NUL byte inside */
	snprintf(doc, sizeof doc, "%s%s</TrustAnchor>", head, kd);
	doc[10] = '\0';
	ck_assert_int_eq(escrow_dnssec_ta_parse(doc, strlen(doc + 11) + 11, &ta),
	    ESCROW_ERR_FORMAT);
}
END_TEST

Suite *
check_dnssec_parse_suite(void)
{
	Suite *s = suite_create("dnssec_parse");
	TCase *tc = tcase_create("parsers");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_dnssec_ds_parse_variants);
	tcase_add_test(tc, test_dnssec_parsers_survive_mutations);
	tcase_add_test(tc, test_dnssec_ta_rfc9718_example);
	tcase_add_test(tc, test_dnssec_ta_document_round_trip);
	tcase_add_test(tc, test_dnssec_ta_malformed_rejected);
	suite_add_tcase(s, tc);
	return s;
}
