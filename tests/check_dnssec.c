/*
 * check_dnssec.c - DNSSEC records: names, DNSKEY, key tags, DS, key files,
 * RFC signature vectors, and RRSIGs checked by ldns-verify-zone.  The DS
 * and trust-anchor readers are tested in check_dnssec_parse.c.  Known answers come from
 * tests/vectors/dnssec/ (see SOURCE.txt); ldns-key2ds is the independent
 * reference for generated keys.  Test keys only; no secrets of value.
 */
#define _GNU_SOURCE /* timegm */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <valgrind/valgrind.h>

#include "escrow.h"
#include "escrow_dnssec.h"
#include "escrow_keys.h"
#include "dnssec_int.h"
#include "testutil.h"

Suite *check_dnssec_suite(void);

static size_t
b64(const char *s, uint8_t *out, size_t cap)
{
	size_t len = 0;

	ck_assert_int_eq(escrow_text_unbase64(s, strlen(s), out, cap, &len),
	    ESCROW_OK);
	return len;
}

static size_t
hex(const char *s, uint8_t *out, size_t cap)
{
	size_t len = 0;

	ck_assert_int_eq(escrow_dnssec_i_unhex(s, strlen(s), out, cap, &len),
	    ESCROW_OK);
	return len;
}

/* Run a command, return its stdout+stderr (malloc'd) and exit status. */
static char *
run(const char *cmd, int *status)
{
	char *buf = NULL;
	size_t cap = 0, n = 0;
	FILE *p = popen(cmd, "r");

	ck_assert_msg(p != NULL, "popen %s", cmd);
	for (;;) {
		size_t got;

		if (n + 1024 + 1 > cap) {
			cap = (n + 1024 + 1) * 2;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		got = fread(buf + n, 1, 1024, p);
		if (got == 0)
			break;
		n += got;
	}
	buf[n] = '\0';
	*status = pclose(p);
	return buf;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

/* ---- names ------------------------------------------------------------- */

START_TEST(test_dnssec_name_text_and_wire)
{
	static const struct {
		const char *text, *wire_hex, *back;
	} ok[] = {
		{ "example.com", "076578616d706c6503636f6d00", "example.com." },
		{ "example.com.", "076578616d706c6503636f6d00", "example.com." },
		{ "Example.COM.", "074578616d706c6503434f4d00", "Example.COM." },
		{ ".", "00", "." },
		{ "", "00", "." },
		{ "a\\.b.example.", "03612e62076578616d706c6500", "a\\.b.example." },
		{ "\\065\\032x.", "03412078" "00", "A\\032x." },
		{ "*.example.", "012a076578616d706c6500", "*.example." },
	};
	static const char *bad[] = { "a..b", ".a", "..", "a b", "@", "a\\",
	    "a\\25", "a\\256", "a;b", "a(b", "\"a\"", "a\tb",
	    "a\\\x01", "ab\x7f" };
	uint8_t wire[ESCROW_DNSSEC_NAME_MAX], want[ESCROW_DNSSEC_NAME_MAX];
	char text[ESCROW_DNSSEC_NAME_TEXT_MAX], longname[600];
	size_t i, len = 0, wl;
	unsigned labels = 0;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		ck_assert_msg(escrow_dnssec_name_from_text(ok[i].text, wire,
		    &len) == ESCROW_OK, "%s", ok[i].text);
		wl = hex(ok[i].wire_hex, want, sizeof want);
		ck_assert_uint_eq(len, wl);
		ck_assert_mem_eq(wire, want, wl);
		ck_assert_int_eq(escrow_dnssec_name_to_text(wire, len, text,
		    sizeof text), ESCROW_OK);
		ck_assert_str_eq(text, ok[i].back);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(escrow_dnssec_name_from_text(bad[i], wire, &len) ==
		    ESCROW_ERR_NAME, "accepted %s", bad[i]);

	/* a 63-byte label is fine, 64 is not */
	memset(longname, 'a', 63);
	strcpy(longname + 63, ".com");
	ck_assert_int_eq(escrow_dnssec_name_from_text(longname, wire, &len),
	    ESCROW_OK);
	memset(longname, 'a', 64);
	strcpy(longname + 64, ".com");
	ck_assert_int_eq(escrow_dnssec_name_from_text(longname, wire, &len),
	    ESCROW_ERR_NAME);
	/* 255 bytes of wire is the limit: 4 x 63-byte labels is 257 */
	for (i = 0; i < 4; i++) {
		memset(longname + 64 * i, 'b', 63);
		longname[64 * i + 63] = '.';
	}
	longname[64 * 4] = '\0';
	ck_assert_int_eq(escrow_dnssec_name_from_text(longname, wire, &len),
	    ESCROW_ERR_NAME);
	longname[64 * 3 + 61] = '.';
	longname[64 * 3 + 62] = '\0'; /* 3x63 + 61: 64*3 + 62 + 1 = 255 */
	ck_assert_int_eq(escrow_dnssec_name_from_text(longname, wire, &len),
	    ESCROW_OK);
	ck_assert_uint_eq(len, 255);

	/* canonical form and label counts */
	ck_assert_int_eq(escrow_dnssec_name_from_text("WWW.Example.COM", wire,
	    &len), ESCROW_OK);
	ck_assert_int_eq(escrow_dnssec_name_canonical(wire, len), ESCROW_OK);
	ck_assert_int_eq(escrow_dnssec_name_to_text(wire, len, text,
	    sizeof text), ESCROW_OK);
	ck_assert_str_eq(text, "www.example.com.");
	ck_assert_int_eq(escrow_dnssec_name_labels(wire, len, &labels), ESCROW_OK);
	ck_assert_uint_eq(labels, 3);
	ck_assert_int_eq(escrow_dnssec_name_from_text(".", wire, &len), ESCROW_OK);
	ck_assert_int_eq(escrow_dnssec_name_labels(wire, len, &labels), ESCROW_OK);
	ck_assert_uint_eq(labels, 0);

	/* invalid wire is refused */
	want[0] = 5;
	want[1] = 'a';
	ck_assert_int_eq(escrow_dnssec_name_to_text(want, 2, text, sizeof text),
	    ESCROW_ERR_NAME);
	ck_assert_int_eq(escrow_dnssec_name_to_text(wire, len, text, 1),
	    ESCROW_ERR_BUFFER_TOO_SMALL);
}
END_TEST

/* ---- known answers --------------------------------------------------------- */

static void
load_dnskey(struct json_object *v, struct escrow_dnskey *k)
{
	struct json_object *f;
	uint8_t pub[ESCROW_KEYS_PUBKEY_MAX];
	size_t publen;

	ck_assert(json_object_object_get_ex(v, "pubkey", &f));
	publen = b64(json_object_get_string(f), pub, sizeof pub);
	ck_assert(json_object_object_get_ex(v, "owner", &f));
	{
		const char *owner = json_object_get_string(f);
		struct json_object *fl, *al, *tt;

		ck_assert(json_object_object_get_ex(v, "flags", &fl));
		ck_assert(json_object_object_get_ex(v, "algorithm", &al));
		ck_assert(json_object_object_get_ex(v, "ttl", &tt));
		ck_assert_int_eq(escrow_dnssec_dnskey_init(k, owner,
		    (uint16_t)json_object_get_int(fl), json_object_get_int(al),
		    pub, publen), ESCROW_OK);
		k->ttl = (uint32_t)json_object_get_int(tt);
	}
}

START_TEST(test_dnssec_known_answers)
{
	struct json_object *all = tu_load_json(tu_vector_path(
	    "dnssec/known_answers.json")), *arr, *v, *f, *dsa;
	size_t i, j, checked = 0;

	ck_assert(json_object_object_get_ex(all, "dnskeys", &arr));
	for (i = 0; i < json_object_array_length(arr); i++) {
		struct escrow_dnskey k;
		const char *src;

		v = json_object_array_get_idx(arr, i);
		ck_assert(json_object_object_get_ex(v, "source", &f));
		src = json_object_get_string(f);
		load_dnskey(v, &k);
		ck_assert(json_object_object_get_ex(v, "keytag", &f));
		ck_assert_msg(escrow_dnssec_keytag(&k) == json_object_get_int(f),
		    "%s: key tag %u", src, escrow_dnssec_keytag(&k));
		ck_assert(json_object_object_get_ex(v, "ds", &dsa));
		for (j = 0; j < json_object_array_length(dsa); j++) {
			struct json_object *d = json_object_array_get_idx(dsa, j);
			struct escrow_ds ds, parsed;
			uint8_t want[ESCROW_DNSSEC_DIGEST_MAX];
			char line[ESCROW_DNSSEC_TEXT_MAX];
			size_t wl, n = 0;
			int type;

			ck_assert(json_object_object_get_ex(d, "type", &f));
			type = json_object_get_int(f);
			ck_assert(json_object_object_get_ex(d, "digest", &f));
			wl = hex(json_object_get_string(f), want, sizeof want);
			if (type == 1) {
				/* SHA-1 is not made here; the check refuses it */
				memset(&ds, 0, sizeof ds);
				memcpy(ds.owner, k.owner, k.owner_len);
				ds.owner_len = k.owner_len;
				ds.key_tag = escrow_dnssec_keytag(&k);
				ds.algorithm = k.algorithm;
				ds.digest_type = 1;
				memcpy(ds.digest, want, wl);
				ds.digest_len = wl;
				ck_assert_int_eq(escrow_dnssec_ds_check(&ds, &k),
				    ESCROW_ERR_UNSUPPORTED);
				continue;
			}
			ck_assert_int_eq(escrow_dnssec_ds_make(&k, type, &ds),
			    ESCROW_OK);
			ck_assert_uint_eq(ds.digest_len, wl);
			ck_assert_msg(memcmp(ds.digest, want, wl) == 0,
			    "%s: DS digest type %d differs", src, type);
			ck_assert_int_eq(escrow_dnssec_ds_check(&ds, &k), ESCROW_OK);
			/* text and back */
			ck_assert_int_eq(escrow_dnssec_ds_text(&ds, line,
			    sizeof line), ESCROW_OK);
			ck_assert_int_eq(escrow_dnssec_ds_parse(line, strlen(line),
			    &parsed, 1, &n), ESCROW_OK);
			ck_assert_int_eq(escrow_dnssec_ds_check(&parsed, &k),
			    ESCROW_OK);
			/* one flipped bit: mismatch */
			parsed.digest[3] ^= 0x10;
			ck_assert_int_eq(escrow_dnssec_ds_check(&parsed, &k),
			    ESCROW_ERR_DIGEST_MISMATCH);
			checked++;
		}
	}
	ck_assert_uint_ge(checked, 8);
	json_object_put(all);
}
END_TEST

/* RRSIG-style signed data for one RR, as the RFC examples sign it. */
static size_t
example_signed_data(struct json_object *v, uint8_t *out, size_t cap)
{
	struct json_object *f;
	uint8_t owner[ESCROW_DNSSEC_NAME_MAX], signer[ESCROW_DNSSEC_NAME_MAX];
	uint8_t rdata[64];
	size_t olen = 0, slen = 0, rlen, pos = 0, i;
	const char *times[2] = { "expiration", "inception" };
	uint32_t t[2];

	ck_assert(json_object_object_get_ex(v, "owner", &f));
	ck_assert_int_eq(escrow_dnssec_name_from_text(json_object_get_string(f),
	    owner, &olen), ESCROW_OK);
	ck_assert(json_object_object_get_ex(v, "signer", &f));
	ck_assert_int_eq(escrow_dnssec_name_from_text(json_object_get_string(f),
	    signer, &slen), ESCROW_OK);
	ck_assert(json_object_object_get_ex(v, "rdata", &f));
	rlen = hex(json_object_get_string(f), rdata, sizeof rdata);
	for (i = 0; i < 2; i++) {
		const char *s;

		ck_assert(json_object_object_get_ex(v, times[i], &f));
		s = json_object_get_string(f);
		if (strlen(s) == 14) {
			struct tm tm;

			memset(&tm, 0, sizeof tm);
			ck_assert_ptr_nonnull(strptime(s, "%Y%m%d%H%M%S", &tm));
			t[i] = (uint32_t)timegm(&tm);
		} else {
			t[i] = (uint32_t)strtoul(s, NULL, 10);
		}
	}
	ck_assert_uint_le(18 + slen + olen + 10 + rlen, cap);
	ck_assert(json_object_object_get_ex(v, "type", &f));
	out[pos++] = 0;
	out[pos++] = (uint8_t)json_object_get_int(f);
	ck_assert(json_object_object_get_ex(v, "algorithm", &f));
	out[pos++] = (uint8_t)json_object_get_int(f);
	ck_assert(json_object_object_get_ex(v, "labels", &f));
	out[pos++] = (uint8_t)json_object_get_int(f);
	ck_assert(json_object_object_get_ex(v, "ttl", &f));
	out[pos++] = 0;
	out[pos++] = 0;
	out[pos++] = (uint8_t)(json_object_get_int(f) >> 8);
	out[pos++] = (uint8_t)json_object_get_int(f);
	for (i = 0; i < 2; i++) {
		out[pos++] = (uint8_t)(t[i] >> 24);
		out[pos++] = (uint8_t)(t[i] >> 16);
		out[pos++] = (uint8_t)(t[i] >> 8);
		out[pos++] = (uint8_t)t[i];
	}
	ck_assert(json_object_object_get_ex(v, "keytag", &f));
	out[pos++] = (uint8_t)(json_object_get_int(f) >> 8);
	out[pos++] = (uint8_t)json_object_get_int(f);
	memcpy(out + pos, signer, slen);
	pos += slen;
	memcpy(out + pos, owner, olen);
	pos += olen;
	ck_assert(json_object_object_get_ex(v, "type", &f));
	out[pos++] = 0;
	out[pos++] = (uint8_t)json_object_get_int(f);
	out[pos++] = 0;
	out[pos++] = 1;
	ck_assert(json_object_object_get_ex(v, "ttl", &f));
	out[pos++] = 0;
	out[pos++] = 0;
	out[pos++] = (uint8_t)(json_object_get_int(f) >> 8);
	out[pos++] = (uint8_t)json_object_get_int(f);
	out[pos++] = (uint8_t)(rlen >> 8);
	out[pos++] = (uint8_t)rlen;
	memcpy(out + pos, rdata, rlen);
	return pos + rlen;
}

START_TEST(test_dnssec_rfc_signatures_verify)
{
	struct json_object *all = tu_load_json(tu_vector_path(
	    "dnssec/known_answers.json")), *arr, *v, *f;
	size_t i;

	ck_assert(json_object_object_get_ex(all, "signatures", &arr));
	for (i = 0; i < json_object_array_length(arr); i++) {
		uint8_t data[1024], pub[ESCROW_KEYS_PUBKEY_MAX];
		uint8_t sig[ESCROW_KEYS_SIG_MAX];
		size_t dlen, plen, slen;
		int alg;

		v = json_object_array_get_idx(arr, i);
		dlen = example_signed_data(v, data, sizeof data);
		ck_assert(json_object_object_get_ex(v, "algorithm", &f));
		alg = json_object_get_int(f);
		ck_assert(json_object_object_get_ex(v, "pubkey", &f));
		plen = b64(json_object_get_string(f), pub, sizeof pub);
		ck_assert(json_object_object_get_ex(v, "signature", &f));
		slen = b64(json_object_get_string(f), sig, sizeof sig);
		ck_assert_msg(escrow_keys_verify_dnskey(alg, pub, plen, data,
		    dlen, sig, slen) == ESCROW_OK, "signature %zu", i);
		data[dlen - 1] ^= 1;
		ck_assert_int_eq(escrow_keys_verify_dnskey(alg, pub, plen, data,
		    dlen, sig, slen), ESCROW_ERR_KEY_MISMATCH);
	}
	json_object_put(all);
}
END_TEST

START_TEST(test_dnssec_root_ksk_records)
{
	struct json_object *all = tu_load_json(tu_vector_path(
	    "dnssec/known_answers.json")), *arr;
	struct escrow_dnskey k;
	char buf[ESCROW_DNSSEC_TEXT_MAX];
	size_t i;

	ck_assert(json_object_object_get_ex(all, "dnskeys", &arr));
	for (i = 0; i < json_object_array_length(arr); i++) {
		load_dnskey(json_object_array_get_idx(arr, i), &k);
		if (escrow_dnssec_keytag(&k) == 20326)
			break;
	}
	ck_assert_uint_lt(i, json_object_array_length(arr));
	k.ttl = ESCROW_DNSSEC_TTL_DEFAULT;
	ck_assert_int_eq(escrow_dnssec_keyfile_name(&k, buf, sizeof buf),
	    ESCROW_OK);
	ck_assert_str_eq(buf, "K.+008+20326.key");
	ck_assert_int_eq(escrow_dnssec_dnskey_text(&k, buf, sizeof buf),
	    ESCROW_OK);
	ck_assert(strncmp(buf, ". 172800 IN DNSKEY 257 3 8 AwEAAaz/tAm8yTn4", 41)
	    == 0);
	ck_assert_int_eq(escrow_dnssec_keyfile_text(&k, buf, sizeof buf),
	    ESCROW_OK);
	ck_assert(strncmp(buf, "; This is a key-signing key, keyid 20326, for .\n"
	    ". 172800 IN DNSKEY 257 3 8 ", 74) == 0);
	ck_assert_int_eq(escrow_dnssec_keyfile_text(&k, buf, 100),
	    ESCROW_ERR_BUFFER_TOO_SMALL);
	ck_assert_str_eq(buf, "");
	json_object_put(all);
}
END_TEST

/* ---- generated keys against ldns-key2ds -------------------------------- */

struct genalg {
	int alg;
	unsigned bits;
};

static const struct genalg genalgs[] = {
	{ 8, 2048 }, { 10, 2048 }, { 13, 0 }, { 14, 0 }, { 15, 0 }, { 16, 0 },
};

/* Write the .key file, run ldns-key2ds, compare tag and digest exactly. */
static void
check_with_ldns(const struct escrow_dnskey *k, const char *dir)
{
	static const int types[] = { 2, 4 };
	char name[256], path[512], cmd[1024], text[ESCROW_DNSSEC_TEXT_MAX];
	size_t t;

	ck_assert_int_eq(escrow_dnssec_keyfile_name(k, name, sizeof name),
	    ESCROW_OK);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	ck_assert_int_eq(escrow_dnssec_keyfile_text(k, text, sizeof text),
	    ESCROW_OK);
	write_file(path, text);
	for (t = 0; t < 2; t++) {
		struct escrow_ds mine, theirs[4];
		size_t n = 0;
		char *out;
		int status;

		snprintf(cmd, sizeof cmd, "ldns-key2ds -f -n -%d '%s' 2>&1",
		    types[t], path);
		out = run(cmd, &status);
		ck_assert_msg(status == 0, "%s: %s", cmd, out);
		ck_assert_msg(escrow_dnssec_ds_parse(out, strlen(out), theirs, 4,
		    &n) == ESCROW_OK && n == 1, "cannot read: %s", out);
		ck_assert_int_eq(escrow_dnssec_ds_make(k, types[t], &mine),
		    ESCROW_OK);
		ck_assert_msg(theirs[0].key_tag == mine.key_tag,
		    "%s: tag %u vs %u", name, theirs[0].key_tag, mine.key_tag);
		ck_assert_uint_eq(theirs[0].algorithm, mine.algorithm);
		ck_assert_uint_eq(theirs[0].digest_type, types[t]);
		ck_assert_uint_eq(theirs[0].digest_len, mine.digest_len);
		ck_assert_msg(memcmp(theirs[0].digest, mine.digest,
		    mine.digest_len) == 0, "%s: digest differs: %s", name, out);
		ck_assert(escrow_dnssec_i_name_eq(theirs[0].owner,
		    theirs[0].owner_len, k->owner, k->owner_len));
		ck_assert_int_eq(escrow_dnssec_ds_check(&theirs[0], k), ESCROW_OK);
		free(out);
	}
}

START_TEST(test_dnssec_generated_keys_match_ldns)
{
	const struct genalg *g = &genalgs[_i];
	const char *dir = tu_mkdtemp();
	static const char *owners[] = { "example.com", ".", "Sub.Example.ORG." };
	EVP_PKEY *key = NULL;
	size_t o;

	if (RUNNING_ON_VALGRIND && g->alg == ESCROW_ALG_RSASHA512) {
		tu_rmrf(dir);
		return; /* RSA keygen is slow under valgrind; 8 covers the code */
	}
	ck_assert_int_eq(escrow_keys_generate(g->alg, g->bits, &key), ESCROW_OK);
	for (o = 0; o < 3; o++) {
		struct escrow_dnskey k;
		char name[256];

		ck_assert_int_eq(escrow_dnssec_dnskey_from_key(&k, owners[o], 0,
		    g->alg, key), ESCROW_OK);
		ck_assert_uint_eq(k.flags, 257);
		check_with_ldns(&k, dir);
		ck_assert_int_eq(escrow_dnssec_keyfile_name(&k, name,
		    sizeof name), ESCROW_OK);
		if (o == 1)
			ck_assert(strncmp(name, "K.+0", 4) == 0);
		if (o == 2)
			ck_assert(strncmp(name, "Ksub.example.org.+0", 19) == 0);
	}
	EVP_PKEY_free(key);
	tu_rmrf(dir);
}
END_TEST

START_TEST(test_dnssec_rsa4096_matches_ldns)
{
	const char *dir;
	struct escrow_dnskey k;
	EVP_PKEY *key = NULL;

	if (RUNNING_ON_VALGRIND)
		return; /* RSA-4096 generation takes minutes under valgrind */
	dir = tu_mkdtemp();
	ck_assert_int_eq(escrow_keys_generate(ESCROW_ALG_RSASHA512, 4096, &key),
	    ESCROW_OK);
	ck_assert_int_eq(escrow_dnssec_dnskey_from_key(&k, "example.net", 256,
	    ESCROW_ALG_RSASHA512, key), ESCROW_OK);
	ck_assert_uint_eq(k.pubkey_len, 516);
	check_with_ldns(&k, dir);
	EVP_PKEY_free(key);
	tu_rmrf(dir);
}
END_TEST


/* ---- RRSIG over the DNSKEY RRset, checked by ldns-verify-zone ---------- */

START_TEST(test_dnssec_rrsig_ldns_verify_zone)
{
	const struct genalg *g = &genalgs[_i];
	const char *dir = tu_mkdtemp();
	struct escrow_dnskey keys[2];
	struct escrow_rrsig rs;
	EVP_PKEY *ksk = NULL, *zsk = NULL;
	uint8_t data[4096], sig[ESCROW_KEYS_SIG_MAX];
	size_t dlen = 0, slen = 0, i;
	char zone[16384], line[ESCROW_DNSSEC_TEXT_MAX], path[512], cmd[1024];
	uint32_t now = (uint32_t)time(NULL);
	char *out;
	int status, pass;

	if (RUNNING_ON_VALGRIND && g->alg == ESCROW_ALG_RSASHA512) {
		tu_rmrf(dir);
		return; /* as above */
	}
	ck_assert_int_eq(escrow_keys_generate(g->alg, g->bits, &ksk), ESCROW_OK);
	ck_assert_int_eq(escrow_keys_generate(g->alg, g->bits, &zsk), ESCROW_OK);
	/* mixed case on purpose: the signed data must be canonical */
	ck_assert_int_eq(escrow_dnssec_dnskey_from_key(&keys[0], "Example.COM",
	    257, g->alg, ksk), ESCROW_OK);
	ck_assert_int_eq(escrow_dnssec_dnskey_from_key(&keys[1], "example.com.",
	    256, g->alg, zsk), ESCROW_OK);
	keys[0].ttl = keys[1].ttl = 3600;
	ck_assert_int_eq(escrow_dnssec_rrsig_init(&rs, &keys[0], now - 3600,
	    now + 30 * 86400), ESCROW_OK);
	ck_assert_uint_eq(rs.labels, 2);
	ck_assert_int_eq(escrow_dnssec_rrsig_signed_data(&rs, keys, 2, NULL, 0,
	    &dlen), ESCROW_ERR_BUFFER_TOO_SMALL);
	ck_assert_uint_le(dlen, sizeof data);
	ck_assert_int_eq(escrow_dnssec_rrsig_signed_data(&rs, keys, 2, data,
	    sizeof data, &dlen), ESCROW_OK);
	ck_assert_int_eq(escrow_keys_sign(ksk, g->alg, data, dlen, sig,
	    sizeof sig, &slen), ESCROW_OK);
	ck_assert_int_eq(escrow_keys_verify_dnskey(g->alg, keys[0].pubkey,
	    keys[0].pubkey_len, data, dlen, sig, slen), ESCROW_OK);
	snprintf(path, sizeof path, "%s/zone", dir);
	snprintf(cmd, sizeof cmd, "ldns-verify-zone -V 3 '%s' 2>&1", path);
	for (pass = 0; pass < 2; pass++) {
		size_t n = 0;

		n += (size_t)snprintf(zone, sizeof zone, "example.com. 3600 IN SOA "
		    "ns.example.com. h.example.com. 1 3600 600 86400 300\n");
		for (i = 0; i < 2; i++) {
			ck_assert_int_eq(escrow_dnssec_dnskey_text(&keys[i], line,
			    sizeof line), ESCROW_OK);
			n += (size_t)snprintf(zone + n, sizeof zone - n, "%s\n",
			    line);
		}
		if (pass == 1)
			sig[slen / 2] ^= 0x01; /* must be rejected */
		ck_assert_int_eq(escrow_dnssec_rrsig_text(&rs, sig, slen, line,
		    sizeof line), ESCROW_OK);
		snprintf(zone + n, sizeof zone - n, "%s\n", line);
		write_file(path, zone);
		out = run(cmd, &status);
		/* the SOA is unsigned on purpose: proves the checker ran */
		ck_assert_msg(strstr(out, "no signatures for example.com.\tSOA")
		    != NULL, "unexpected ldns-verify-zone output: %s", out);
		if (pass == 0)
			ck_assert_msg(strstr(out, "DNSKEY") == NULL,
			    "DNSKEY RRset not verified: %s\n%s", out, zone);
		else
			ck_assert_msg(strstr(out, "Bogus DNSSEC signature for "
			    "example.com.\tDNSKEY") != NULL,
			    "flipped signature accepted: %s", out);
		free(out);
	}
	EVP_PKEY_free(ksk);
	EVP_PKEY_free(zsk);
	tu_rmrf(dir);
}
END_TEST

START_TEST(test_dnssec_rrsig_signed_data_layout)
{
	struct escrow_dnskey keys[3];
	struct escrow_rrsig rs;
	uint8_t a[2] = { 0x01, 0x02 }, b[3] = { 0x01, 0x02, 0x00 };
	uint8_t data[512];
	size_t len = 0;

	ck_assert_int_eq(escrow_dnssec_dnskey_init(&keys[0], "A.", 257, 15, b,
	    3), ESCROW_OK);
	ck_assert_int_eq(escrow_dnssec_dnskey_init(&keys[1], "a", 257, 15, a,
	    2), ESCROW_OK);
	keys[2] = keys[1]; /* duplicate: dropped */
	ck_assert_int_eq(escrow_dnssec_rrsig_init(&rs, &keys[1], 1, 2),
	    ESCROW_OK);
	ck_assert_int_eq(escrow_dnssec_rrsig_signed_data(&rs, keys, 3, data,
	    sizeof data, &len), ESCROW_OK);
	/* 18 + signer(3) + 2 RRs of (3 + 10 + rdata) */
	ck_assert_uint_eq(len, 18 + 3 + (13 + 6) + (13 + 7));
	ck_assert_uint_eq(data[0], 0);
	ck_assert_uint_eq(data[1], 48);
	ck_assert_uint_eq(data[2], 15);
	ck_assert_uint_eq(data[3], 1);
	ck_assert_mem_eq(data + 18, "\x01" "a" "\x00", 3);
	/* the shorter RDATA sorts first; owners are lower-case */
	ck_assert_mem_eq(data + 21, "\x01" "a" "\x00" "\x00\x30" "\x00\x01", 7);
	ck_assert_uint_eq(data[21 + 12], 6);
	ck_assert_mem_eq(data + 21 + 13, "\x01\x01\x03\x0f\x01\x02", 6);
	ck_assert_mem_eq(data + 21 + 19, "\x01" "a", 2);
	ck_assert_uint_eq(data[21 + 19 + 12], 7);
	/* owners must agree */
	ck_assert_int_eq(escrow_dnssec_dnskey_init(&keys[2], "b", 257, 15, a,
	    2), ESCROW_OK);
	ck_assert_int_eq(escrow_dnssec_rrsig_signed_data(&rs, keys, 3, data,
	    sizeof data, &len), ESCROW_ERR_INVALID_ARG);
	/* text form of the times; tag 0x0101 + 0x030f + 0x0102 = 1298 */
	{
		char line[512];
		uint8_t s[4] = { 1, 2, 3, 4 };

		rs.expiration = 1284026679;
		rs.inception = 1281607479;
		ck_assert_int_eq(escrow_dnssec_rrsig_text(&rs, s, 4, line,
		    sizeof line), ESCROW_OK);
		ck_assert_str_eq(line, "a. 172800 IN RRSIG DNSKEY 15 1 172800 "
		    "20100909100439 20100812100439 1298 a. AQIDBA==");
	}
}
END_TEST

Suite *
check_dnssec_suite(void)
{
	Suite *s = suite_create("dnssec");
	TCase *tc = tcase_create("records");
	TCase *tg = tcase_create("generated");

	tcase_add_test(tc, test_dnssec_name_text_and_wire);
	tcase_add_test(tc, test_dnssec_known_answers);
	tcase_add_test(tc, test_dnssec_rfc_signatures_verify);
	tcase_add_test(tc, test_dnssec_root_ksk_records);
	tcase_add_test(tc, test_dnssec_rrsig_signed_data_layout);
	suite_add_tcase(s, tc);
	tcase_set_timeout(tg, 600);
	tcase_add_loop_test(tg, test_dnssec_generated_keys_match_ldns, 0,
	    (int)(sizeof genalgs / sizeof genalgs[0]));
	tcase_add_loop_test(tg, test_dnssec_rrsig_ldns_verify_zone, 0,
	    (int)(sizeof genalgs / sizeof genalgs[0]));
	tcase_add_test(tg, test_dnssec_rsa4096_matches_ldns);
	suite_add_tcase(s, tg);
	return s;
}