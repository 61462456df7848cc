/*
 * check_chunk.c - printing/chunk*.c: base32, CRC-32, the envelope split into
 * QR chunks and assembled in every order (foreign, missing, conflicting,
 * corrupt chunks), and the chunks and text form against known answers of
 * an independent implementation.
 *
 * Test data only: random envelopes.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <sodium.h>

#include "escrow.h"
#include "escrow_paper.h"
#include "escrow_print.h"
#include "chunk_int.h"
#include "testutil.h"
#include "slip39_wordlist.h"

Suite *check_chunk_suite(void);


/* ---- base32 and CRC ------------------------------------------------------- */

START_TEST(test_paper_base32_rfc4648_vectors)
{
	static const char *in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *out[] = { "", "MY", "MZXQ", "MZXW6", "MZXW6YQ",
	    "MZXW6YTB", "MZXW6YTBOI" };
	char buf[32];
	uint8_t dec[16];
	size_t i, n;

	for (i = 0; i < 7; i++) {
		ck_assert_int_eq(escrow_base32_encode((const uint8_t *)in[i],
		    strlen(in[i]), buf, sizeof buf), ESCROW_OK);
		ck_assert_str_eq(buf, out[i]);
		ck_assert_uint_eq(escrow_base32_len(strlen(in[i])), strlen(out[i]));
		ck_assert_int_eq(escrow_base32_decode(out[i], strlen(out[i]), dec,
		    sizeof dec, &n), ESCROW_OK);
		ck_assert_uint_eq(n, strlen(in[i]));
		ck_assert(memcmp(dec, in[i], n) == 0);
	}
	/* lower case is read too */
	ck_assert_int_eq(escrow_base32_decode("mzxw6ytboi", 10, dec, sizeof dec,
	    &n), ESCROW_OK);
	ck_assert(n == 6 && memcmp(dec, "foobar", 6) == 0);
	/* must fail: bad characters, impossible lengths, non-zero pad bits,
	 * padding, short buffers */
	ck_assert_int_eq(escrow_base32_decode("MZXW0", 5, dec, sizeof dec, &n),
	    ESCROW_ERR_FORMAT);
	ck_assert_int_eq(escrow_base32_decode("MZ1", 3, dec, sizeof dec, &n),
	    ESCROW_ERR_FORMAT);
	ck_assert_int_eq(escrow_base32_decode("M", 1, dec, sizeof dec, &n),
	    ESCROW_ERR_FORMAT);
	ck_assert_int_eq(escrow_base32_decode("MZ", 2, dec, sizeof dec, &n),
	    ESCROW_ERR_FORMAT); /* non-zero padding bits: not canonical */
	ck_assert_int_eq(escrow_base32_decode("MY", 2, dec, 0, &n),
	    ESCROW_ERR_BUFFER_TOO_SMALL);
	ck_assert_int_eq(escrow_base32_decode("M7", 2, dec, sizeof dec, &n),
	    ESCROW_ERR_FORMAT);
	ck_assert_int_eq(escrow_base32_decode("MY======", 8, dec, sizeof dec, &n),
	    ESCROW_ERR_FORMAT);
	ck_assert_int_eq(escrow_base32_encode((const uint8_t *)"f", 1, buf, 2),
	    ESCROW_ERR_BUFFER_TOO_SMALL);
}
END_TEST

START_TEST(test_paper_crc32_check_value)
{
	ck_assert_uint_eq(escrow_crc32((const uint8_t *)"123456789", 9),
	    0xCBF43926u);
	ck_assert_uint_eq(escrow_crc32(NULL, 0), 0);
}
END_TEST

/* ---- chunks --------------------------------------------------------------- */

static int
assemble(struct escrow_chunks *c, const size_t *order, size_t n, uint8_t **env,
    size_t *len, unsigned *missing, size_t *nmissing)
{
	const uint8_t *p[600];
	size_t l[600], i;

	ck_assert(n <= 600);
	for (i = 0; i < n; i++) {
		p[i] = (const uint8_t *)c->payload[order[i]];
		l[i] = strlen(c->payload[order[i]]);
	}
	return escrow_chunk_assemble(p, l, n, env, len, missing, 64, nmissing);
}

START_TEST(test_paper_chunk_every_order)
{
	size_t sizes[] = { 1, 111, 112, 113, 224, 1300, 3000 };
	size_t s, i, j, t, order[600];
	struct escrow_chunks c;

	for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		uint8_t *env = tu_random_bytes(sizes[s]), *out = NULL;
		size_t len = 0, nm = 9;
		unsigned missing[64];

		ck_assert_int_eq(escrow_chunk_split(env, sizes[s], &c), ESCROW_OK);
		ck_assert_uint_eq(c.count, escrow_chunk_count(sizes[s]));
		ck_assert_uint_eq(c.count, (sizes[s] + 111) / 112);
		for (i = 0; i < c.count; i++) {
			/* every payload is QR alphanumeric and fits version 10-Q */
			ck_assert_uint_le(strlen(c.payload[i]), 221);
			ck_assert(strspn(c.payload[i],
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ1234567-:") ==
			    strlen(c.payload[i]));
			ck_assert_int_eq(escrow_payload_classify(
			    (const uint8_t *)c.payload[i], strlen(c.payload[i])),
			    ESCROW_PAYLOAD_CHUNK);
		}
		/* forward, backward, and shuffles with duplicates */
		for (t = 0; t < 12; t++) {
			size_t n = c.count;

			for (i = 0; i < c.count; i++)
				order[i] = t == 1 ? c.count - 1 - i : i;
			if (t >= 2) {
				for (i = c.count; i > 1; i--) {
					uint32_t r;

					escrow_random(&r, sizeof r);
					j = r % i;
					size_t tmp = order[i - 1];
					order[i - 1] = order[j];
					order[j] = tmp;
				}
				/* a few scanned twice */
				for (i = 0; i < 3 && n < 600; i++)
					order[n++] = order[i];
			}
			ck_assert_int_eq(assemble(&c, order, n, &out, &len, missing,
			    &nm), ESCROW_OK);
			ck_assert_uint_eq(len, sizes[s]);
			ck_assert(memcmp(out, env, len) == 0);
			ck_assert_uint_eq(nm, 0);
			free(out);
		}
		escrow_chunks_free(&c);
		free(env);
	}
	/* every order of a 4-chunk envelope */
	{
		uint8_t *env = tu_random_bytes(400), *out;
		size_t a, b, d, e, len, nm;
		unsigned missing[4];

		ck_assert_int_eq(escrow_chunk_split(env, 400, &c), ESCROW_OK);
		ck_assert_uint_eq(c.count, 4);
		for (a = 0; a < 4; a++)
			for (b = 0; b < 4; b++)
				for (d = 0; d < 4; d++)
					for (e = 0; e < 4; e++) {
						size_t o[4] = { a, b, d, e };

						if (a == b || a == d || a == e || b == d ||
						    b == e || d == e)
							continue;
						ck_assert_int_eq(assemble(&c, o, 4, &out,
						    &len, missing, &nm), ESCROW_OK);
						ck_assert(len == 400 &&
						    memcmp(out, env, 400) == 0);
						free(out);
					}
		escrow_chunks_free(&c);
		free(env);
	}
}
END_TEST

START_TEST(test_paper_chunk_missing_listed)
{
	uint8_t *env = tu_random_bytes(1300), *out = NULL;
	struct escrow_chunks c;
	size_t order[12], n = 0, i, len = 0, nm = 0;
	unsigned missing[64];

	ck_assert_int_eq(escrow_chunk_split(env, 1300, &c), ESCROW_OK);
	ck_assert_uint_eq(c.count, 12);
	for (i = 0; i < 12; i++)
		if (i != 2 && i != 6 && i != 11)
			order[n++] = i;
	ck_assert_int_eq(assemble(&c, order, n, &out, &len, missing, &nm),
	    ESCROW_ERR_CHUNK_MISSING);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(nm, 3);
	ck_assert_uint_eq(missing[0], 3);
	ck_assert_uint_eq(missing[1], 7);
	ck_assert_uint_eq(missing[2], 12);
	/* nothing at all */
	ck_assert_int_eq(assemble(&c, order, 0, &out, &len, missing, &nm),
	    ESCROW_ERR_NO_SYMBOL);
	escrow_chunks_free(&c);
	free(env);
}
END_TEST

START_TEST(test_paper_chunk_foreign_rejected)
{
	uint8_t *a = tu_random_bytes(1300), *b = tu_random_bytes(1300), *out = NULL;
	uint8_t sha[32];
	struct escrow_chunks ca, cb;
	struct escrow_chunk_asm *as;
	size_t i, len = 0, nm;
	unsigned missing[16];
	int r;

	ck_assert_int_eq(escrow_chunk_split(a, 1300, &ca), ESCROW_OK);
	ck_assert_int_eq(escrow_chunk_split(b, 1300, &cb), ESCROW_OK);
	/* first chunk decides; a chunk of B among A's is foreign */
	as = escrow_chunk_asm_new(NULL);
	ck_assert_ptr_nonnull(as);
	for (i = 0; i < ca.count; i++) {
		ck_assert_int_eq(escrow_chunk_asm_add(as, (const uint8_t *)ca.payload[i],
		    strlen(ca.payload[i])), ESCROW_OK);
		if (i == 4)
			ck_assert_int_eq(escrow_chunk_asm_add(as,
			    (const uint8_t *)cb.payload[5], strlen(cb.payload[5])),
			    ESCROW_ERR_CHUNK_FOREIGN);
	}
	ck_assert_int_eq(escrow_chunk_asm_finish(as, &out, &len, missing, 16, &nm),
	    ESCROW_OK);
	ck_assert(len == 1300 && memcmp(out, a, len) == 0);
	free(out);
	escrow_chunk_asm_free(as);
	/* with the fingerprint given, B's chunk is foreign even when first */
	crypto_hash_sha256(sha, a, 1300);
	as = escrow_chunk_asm_new(sha);
	ck_assert_int_eq(escrow_chunk_asm_add(as, (const uint8_t *)cb.payload[0],
	    strlen(cb.payload[0])), ESCROW_ERR_CHUNK_FOREIGN);
	for (i = ca.count; i-- > 0;)
		ck_assert_int_eq(escrow_chunk_asm_add(as,
		    (const uint8_t *)ca.payload[i], strlen(ca.payload[i])), ESCROW_OK);
	ck_assert_int_eq(escrow_chunk_asm_finish(as, &out, &len, missing, 16, &nm),
	    ESCROW_OK);
	ck_assert(memcmp(out, a, len) == 0);
	free(out);
	escrow_chunk_asm_free(as);
	/* the one-shot form reports it */
	{
		const uint8_t *p[3] = { (const uint8_t *)ca.payload[0],
		    (const uint8_t *)cb.payload[1], (const uint8_t *)ca.payload[1] };
		size_t l[3] = { strlen(ca.payload[0]), strlen(cb.payload[1]),
		    strlen(ca.payload[1]) };

		r = escrow_chunk_assemble(p, l, 3, &out, &len, missing, 16, &nm);
		ck_assert_int_eq(r, ESCROW_ERR_CHUNK_FOREIGN);
		ck_assert_ptr_null(out);
	}
	escrow_chunks_free(&ca);
	escrow_chunks_free(&cb);
	free(a);
	free(b);
}
END_TEST

/* Re-encode chunk `p` with one data byte changed and a valid CRC. */
static char *
forge(const char *p)
{
	size_t tl = strlen(ESCROW_CHUNK_TAG), blen, cap;
	uint8_t body[200];
	uint32_t crc;
	char *out;

	ck_assert_int_eq(escrow_base32_decode(p + tl, strlen(p) - tl, body,
	    sizeof body, &blen), ESCROW_OK);
	body[20] ^= 0x55; /* a data byte (header is 14 bytes) */
	crc = escrow_crc32(body, blen - 4);
	body[blen - 4] = (uint8_t)(crc >> 24);
	body[blen - 3] = (uint8_t)(crc >> 16);
	body[blen - 2] = (uint8_t)(crc >> 8);
	body[blen - 1] = (uint8_t)crc;
	cap = tl + escrow_base32_len(blen) + 1;
	out = malloc(cap);
	ck_assert_ptr_nonnull(out);
	memcpy(out, ESCROW_CHUNK_TAG, tl);
	ck_assert_int_eq(escrow_base32_encode(body, blen, out + tl, cap - tl),
	    ESCROW_OK);
	return out;
}

START_TEST(test_paper_chunk_conflict_and_corruption)
{
	uint8_t *env = tu_random_bytes(1300), *out = NULL;
	struct escrow_chunks c;
	struct escrow_chunk_asm *as;
	size_t i, len, nm;
	unsigned missing[16];
	char *bad, *flip;

	ck_assert_int_eq(escrow_chunk_split(env, 1300, &c), ESCROW_OK);
	bad = forge(c.payload[4]);
	ck_assert_int_eq(escrow_chunk_parse((const uint8_t *)bad, strlen(bad),
	    NULL, NULL, NULL, NULL), ESCROW_OK);
	as = escrow_chunk_asm_new(NULL);
	for (i = 0; i < c.count; i++)
		ck_assert_int_eq(escrow_chunk_asm_add(as, (const uint8_t *)c.payload[i],
		    strlen(c.payload[i])), ESCROW_OK);
	/* identical duplicate fine, different content for chunk 5 is not */
	ck_assert_int_eq(escrow_chunk_asm_add(as, (const uint8_t *)c.payload[4],
	    strlen(c.payload[4])), ESCROW_OK);
	ck_assert_int_eq(escrow_chunk_asm_add(as, (const uint8_t *)bad,
	    strlen(bad)), ESCROW_ERR_CHUNK_CONFLICT);
	/* a single flipped character fails the CRC (or the base32) */
	flip = strdup(c.payload[3]);
	flip[40] = flip[40] == 'A' ? 'B' : 'A';
	ck_assert_int_lt(escrow_chunk_asm_add(as, (const uint8_t *)flip,
	    strlen(flip)), 0);
	ck_assert_int_eq(escrow_chunk_parse((const uint8_t *)flip, strlen(flip),
	    NULL, NULL, NULL, NULL), ESCROW_ERR_CHECKSUM);
	ck_assert_int_eq(escrow_chunk_asm_finish(as, &out, &len, missing, 16, &nm),
	    ESCROW_OK);
	ck_assert(memcmp(out, env, 1300) == 0);
	free(out);
	escrow_chunk_asm_free(as);
	/* a forged chunk assembled instead of the real one: the whole-envelope
	 * hash catches it */
	as = escrow_chunk_asm_new(NULL);
	for (i = 0; i < c.count; i++) {
		const char *p = i == 4 ? bad : c.payload[i];

		ck_assert_int_eq(escrow_chunk_asm_add(as, (const uint8_t *)p,
		    strlen(p)), ESCROW_OK);
	}
	ck_assert_int_eq(escrow_chunk_asm_finish(as, &out, &len, missing, 16, &nm),
	    ESCROW_ERR_DIGEST_MISMATCH);
	escrow_chunk_asm_free(as);
	/* not chunks at all */
	ck_assert_int_eq(escrow_chunk_parse((const uint8_t *)"ESCROW-E1:", 10,
	    NULL, NULL, NULL, NULL), ESCROW_ERR_FORMAT);
	ck_assert_int_eq(escrow_chunk_parse((const uint8_t *)"HELLO", 5,
	    NULL, NULL, NULL, NULL), ESCROW_ERR_FORMAT);
	escrow_chunks_free(&c);
	ck_assert_int_eq(escrow_chunk_split(env, 0, &c), ESCROW_ERR_INVALID_ARG);
	ck_assert_int_eq(escrow_chunk_split(env, ESCROW_CHUNK_MAX_ENVELOPE + 1, &c),
	    ESCROW_ERR_TOO_LARGE);
	free(flip);
	free(bad);
	free(env);
}
END_TEST

START_TEST(test_paper_chunk_hostile_payloads)
{
	uint8_t buf[400];
	size_t i, n;
	int r;

	for (i = 0; i < 3000; i++) {
		uint32_t x;

		escrow_random(&x, sizeof x);
		n = x % sizeof buf;
		escrow_random(buf, n);
		if (i % 2 == 0 && n > 10)
			memcpy(buf, ESCROW_CHUNK_TAG, 10);
		if (i % 4 == 0) /* valid alphabet, random content */
			for (size_t k = 10; k < n; k++)
				buf[k] = (uint8_t)"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[buf[k] % 32];
		r = escrow_chunk_parse(buf, n, NULL, NULL, NULL, NULL);
		ck_assert(r == ESCROW_ERR_FORMAT || r == ESCROW_ERR_CHECKSUM);
		(void)escrow_payload_classify(buf, n);
	}
}
END_TEST

/* ---- known answers from an independent implementation -------------------- */

START_TEST(test_paper_known_answers_match_reference)
{
	struct json_object *j = tu_load_json(tu_vector_path("paper/paper_kat.json"));
	struct json_object *cases, *c, *v;
	size_t i, k, n;

	ck_assert(json_object_object_get_ex(j, "cases", &cases));
	ck_assert_uint_ge(json_object_array_length(cases), 2);
	for (i = 0; i < json_object_array_length(cases); i++) {
		struct escrow_chunks ch;
		uint8_t env[512], *back = NULL;
		char *text = NULL;
		size_t tl, blen;
		unsigned bad;
		long len;

		c = json_object_array_get_idx(cases, i);
		ck_assert(json_object_object_get_ex(c, "envelope_hex", &v));
		len = tu_unhex(json_object_get_string(v), env, sizeof env);
		ck_assert_int_gt(len, 0);
		ck_assert_int_eq(escrow_chunk_split(env, (size_t)len, &ch), ESCROW_OK);
		ck_assert(json_object_object_get_ex(c, "chunks", &v));
		n = json_object_array_length(v);
		ck_assert_uint_eq(ch.count, n);
		for (k = 0; k < n; k++)
			ck_assert_str_eq(ch.payload[k],
			    json_object_get_string(json_object_array_get_idx(v, k)));
		escrow_chunks_free(&ch);
		ck_assert_int_eq(escrow_textform_encode(env, (size_t)len, &text, &tl),
		    ESCROW_OK);
		ck_assert(json_object_object_get_ex(c, "text", &v));
		ck_assert_str_eq(text, json_object_get_string(v));
		ck_assert_int_eq(escrow_textform_decode(json_object_get_string(v),
		    strlen(json_object_get_string(v)), &back, &blen, &bad), ESCROW_OK);
		ck_assert(blen == (size_t)len && memcmp(back, env, blen) == 0);
		free(back);
		free(text);
	}
	json_object_put(j);
}
END_TEST

/* ---- parity chunks ---------------------------------------------------------- */

START_TEST(test_chunk_parity_matches_reference)
{
	struct json_object *j = tu_load_json(tu_vector_path("paper/parity_kat.json"));
	struct json_object *cases, *c, *v;
	size_t i, k;

	ck_assert(json_object_object_get_ex(j, "cases", &cases));
	ck_assert_uint_ge(json_object_array_length(cases), 3);
	for (i = 0; i < json_object_array_length(cases); i++) {
		struct escrow_chunks par;
		uint8_t env[2048];
		long len;

		c = json_object_array_get_idx(cases, i);
		ck_assert(json_object_object_get_ex(c, "envelope_hex", &v));
		len = tu_unhex(json_object_get_string(v), env, sizeof env);
		ck_assert_int_gt(len, 0);
		ck_assert_int_eq(escrow_chunk_parity_split(env, (size_t)len, &par),
		    ESCROW_OK);
		ck_assert(json_object_object_get_ex(c, "parity", &v));
		ck_assert_uint_eq(par.count, json_object_array_length(v));
		ck_assert_uint_eq(par.count, escrow_chunk_parity_count((size_t)len));
		for (k = 0; k < par.count; k++)
			ck_assert_str_eq(par.payload[k],
			    json_object_get_string(json_object_array_get_idx(v, k)));
		escrow_chunks_free(&par);
	}
	json_object_put(j);
}
END_TEST

/* Add data chunks except those in drop[] (by index), then parity chunks
 * except those in pdrop[]; finish. */
static int
asm_without(const struct escrow_chunks *d, const struct escrow_chunks *p,
    const uint8_t *drop, const uint8_t *pdrop, uint8_t **out, size_t *len,
    size_t *nm)
{
	struct escrow_chunk_asm *a = escrow_chunk_asm_new(NULL);
	unsigned missing[256];
	size_t i;
	int rc;

	ck_assert_ptr_nonnull(a);
	/* parity first: the order does not matter */
	for (i = 0; i < p->count; i++)
		if (!pdrop[i])
			ck_assert_int_eq(escrow_chunk_asm_add(a, (const uint8_t *)
			    p->payload[i], strlen(p->payload[i])), ESCROW_OK);
	for (i = 0; i < d->count; i++)
		if (!drop[i])
			ck_assert_int_eq(escrow_chunk_asm_add(a, (const uint8_t *)
			    d->payload[i], strlen(d->payload[i])), ESCROW_OK);
	rc = escrow_chunk_asm_finish(a, out, len, missing, 256, nm);
	escrow_chunk_asm_free(a);
	return rc;
}

START_TEST(test_chunk_parity_any_p_lost)
{
	static const size_t sizes[] = { 1, 112, 113, 400, 1300, 2700, 6000 };
	size_t si;

	for (si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
		size_t n = sizes[si], len = 0, nm = 0, i, t, k;
		uint8_t *env = tu_random_bytes(n), *out = NULL, drop[256], pdrop[256];
		struct escrow_chunks d, p;
		unsigned P;

		ck_assert_int_eq(escrow_chunk_split(env, n, &d), ESCROW_OK);
		ck_assert_int_eq(escrow_chunk_parity_split(env, n, &p), ESCROW_OK);
		P = escrow_chunk_parity_count(n);
		ck_assert_uint_eq(p.count, P);
		/* the data chunks alone, no parity: as ever */
		memset(drop, 0, sizeof drop);
		memset(pdrop, 1, sizeof pdrop);
		ck_assert_int_eq(asm_without(&d, &p, drop, pdrop, &out, &len, &nm),
		    ESCROW_OK);
		ck_assert(len == n && memcmp(out, env, n) == 0);
		free(out);
		/* 20 random patterns: P of the n + P chunks lost, any kind */
		for (t = 0; t < 20; t++) {
			memset(drop, 0, sizeof drop);
			memset(pdrop, 0, sizeof pdrop);
			for (k = 0; k < P;) {
				uint32_t r = randombytes_uniform((uint32_t)(d.count + P));
				uint8_t *slot = r < d.count ? &drop[r] : &pdrop[r - d.count];

				if (!*slot) {
					*slot = 1;
					k++;
				}
			}
			ck_assert_int_eq(asm_without(&d, &p, drop, pdrop, &out, &len,
			    &nm), ESCROW_OK);
			ck_assert_msg(len == n && memcmp(out, env, n) == 0,
			    "%zu bytes: rebuilt envelope differs", n);
			free(out);
		}
		/* the first P data chunks lost, and one more parity: too many */
		memset(drop, 0, sizeof drop);
		memset(pdrop, 0, sizeof pdrop);
		for (i = 0; i < P && i < d.count; i++)
			drop[i] = 1;
		pdrop[0] = 1;
		if (d.count == 1) {
			/* nothing at all is left */
			ck_assert_int_eq(asm_without(&d, &p, drop, pdrop, &out, &len,
			    &nm), ESCROW_ERR_NO_SYMBOL);
		} else {
			ck_assert_int_eq(asm_without(&d, &p, drop, pdrop, &out, &len,
			    &nm), ESCROW_ERR_CHUNK_MISSING);
			ck_assert_uint_eq(nm, P < d.count ? P : d.count);
		}
		ck_assert_ptr_null(out);
		/* a reader without parity: the parity payload is not a chunk */
		ck_assert_int_eq(escrow_chunk_parse((const uint8_t *)p.payload[0],
		    strlen(p.payload[0]), NULL, NULL, NULL, NULL), ESCROW_ERR_FORMAT);
		ck_assert_int_eq(escrow_payload_classify((const uint8_t *)
		    p.payload[0], strlen(p.payload[0])), ESCROW_PAYLOAD_CHUNK);
		escrow_chunks_free(&d);
		escrow_chunks_free(&p);
		free(env);
	}
}
END_TEST

/* Typed lines for the missing chunks only: the header and those lines,
 * with or without the SHA256 line, together with the scanned chunks. */
START_TEST(test_chunk_typed_lines_fill_missing_chunks)
{
	static const struct {
		unsigned drop;     /* data chunk left out, 1-based */
		int with_sha;      /* the SHA256 line typed too */
		int short_by_one;  /* its last line left out */
		int rc;
	} cases[] = {
		{ 1, 0, 0, ESCROW_OK }, { 5, 1, 0, ESCROW_OK }, { 12, 0, 0, ESCROW_OK },
		{ 5, 0, 1, ESCROW_ERR_CHUNK_MISSING },
	};
	uint8_t *env = tu_random_bytes(1300), *out = NULL;
	struct escrow_chunks d;
	char *text = NULL;
	size_t tl, ci;

	ck_assert_int_eq(escrow_chunk_split(env, 1300, &d), ESCROW_OK);
	ck_assert_int_eq(escrow_textform_encode(env, 1300, &text, &tl), ESCROW_OK);
	for (ci = 0; ci < sizeof cases / sizeof cases[0]; ci++) {
		struct escrow_chunk_asm *a = escrow_chunk_asm_new(NULL);
		char typed[4096], *line, *save = NULL, *copy = strdup(text);
		unsigned lo, hi, missing[16], bad = 99, first = 1;
		size_t i, o = 0, len = 0, nm = 0;

		ck_assert(a != NULL && copy != NULL);
		escrow_chunk_lines(1300, cases[ci].drop, &lo, &hi);
		if (cases[ci].short_by_one)
			hi--;
		for (line = strtok_r(copy, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			unsigned num = (unsigned)atoi(line);
			int keep = first || (num >= lo && num <= hi) ||
			    (cases[ci].with_sha && strncmp(line, "SHA256", 6) == 0);

			first = 0;
			if (keep)
				o += (size_t)snprintf(typed + o, sizeof typed - o, "%s\n", line);
		}
		free(copy);
		for (i = 0; i < d.count; i++)
			if (i + 1 != cases[ci].drop)
				ck_assert_int_eq(escrow_chunk_asm_add(a, (const uint8_t *)
				    d.payload[i], strlen(d.payload[i])), ESCROW_OK);
		ck_assert_int_eq(escrow_chunk_asm_add_text(a, typed, o, &bad),
		    ESCROW_OK);
		ck_assert_int_eq(escrow_chunk_asm_finish(a, &out, &len, missing, 16,
		    &nm), cases[ci].rc);
		if (cases[ci].rc == ESCROW_OK) {
			ck_assert(len == 1300 && memcmp(out, env, 1300) == 0);
			free(out);
			out = NULL;
		} else {
			ck_assert_uint_eq(nm, 1);
			ck_assert_uint_eq(missing[0], cases[ci].drop);
		}
		escrow_chunk_asm_free(a);
	}
	/* a typo in a typed line is named; a BYTES of another envelope is a
	 * conflict */
	{
		struct escrow_chunk_asm *a = escrow_chunk_asm_new(NULL);
		const char *t1 = "ESCROW-ENVELOPE V1 BYTES 1300 LINES 65\n"
		    "001 AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA  AAAA\n";
		const char *t2 = "ESCROW-ENVELOPE V1 BYTES 1000 LINES 50\n";
		unsigned bad = 0;

		ck_assert_int_eq(escrow_chunk_asm_add(a, (const uint8_t *)
		    d.payload[0], strlen(d.payload[0])), ESCROW_OK);
		ck_assert_int_eq(escrow_chunk_asm_add_text(a, t1, strlen(t1), &bad),
		    ESCROW_ERR_LINE_CHECKSUM);
		ck_assert_uint_eq(bad, 1);
		ck_assert_int_eq(escrow_chunk_asm_add_text(a, t2, strlen(t2), &bad),
		    ESCROW_ERR_CHUNK_CONFLICT);
		escrow_chunk_asm_free(a);
	}
	escrow_chunks_free(&d);
	free(text);
	free(env);
}
END_TEST

START_TEST(test_chunk_lines_and_pages)
{
	static const struct {
		size_t env_len;
		unsigned number, first, last, page;
	} cases[] = {
		{ 1300, 1, 1, 6, 1 }, { 1300, 2, 6, 12, 1 }, { 1300, 12, 62, 65, 1 },
		{ 1300, 0, 0, 0, 2 }, { 2700, 13, 68, 73, 2 }, { 2700, 0, 0, 0, 4 }, { 2700, 25, 135, 135, 3 },
		{ 20, 1, 1, 1, 1 }, { 30, 1, 1, 2, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned lo = 0, hi = 0;

		if (cases[i].number > 0) {
			escrow_chunk_lines(cases[i].env_len, cases[i].number, &lo, &hi);
			ck_assert_uint_eq(lo, cases[i].first);
			ck_assert_uint_eq(hi, cases[i].last);
		}
		ck_assert_uint_eq(escrow_chunk_page(cases[i].env_len, cases[i].number),
		    cases[i].page);
	}
}
END_TEST

Suite *
check_chunk_suite(void)
{
	const TTest *tests[] = {
		test_paper_base32_rfc4648_vectors,
		test_paper_crc32_check_value,
		test_paper_chunk_every_order,
		test_paper_chunk_missing_listed,
		test_paper_chunk_foreign_rejected,
		test_paper_chunk_conflict_and_corruption,
		test_paper_chunk_hostile_payloads,
		test_paper_known_answers_match_reference,
		test_chunk_parity_matches_reference,
		test_chunk_parity_any_p_lost,
		test_chunk_typed_lines_fill_missing_chunks,
		test_chunk_lines_and_pages,
	};

	return TU_SUITE("chunk", tests, 300);
}
