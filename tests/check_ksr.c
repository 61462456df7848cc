/*
 * check_ksr.c - KSR/SKR handling against IANA's real root-zone documents
 * (tests/vectors/kskm/, see SOURCE.txt): parsing and schema validation,
 * the request checks, RRSIG signed data that IANA's own signatures by
 * KSK-2010 verify over, an SKR that reads back field by field equal to
 * IANA's, the same SKR signed by a threshold key, refusals of tampered
 * requests, and zone-file requests.  Test keys only.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escrow.h"
#include "escrow_keys.h"
#include "escrow_ksr.h"
#include "escrow_thresh.h"
#include "testutil.h"

Suite *check_ksr_suite(void);

static char *
vec(const char *name, size_t *len)
{
	char path[512];
	char *t;

	snprintf(path, sizeof path, "kskm/%s", name);
	t = tu_read_file(tu_vector_path(path), len);
	ck_assert_msg(t != NULL, "cannot read %s", path);
	return t;
}

static struct escrow_ksr *
load(const char *name)
{
	struct escrow_ksr *k = NULL;
	char err[ESCROW_KSR_ERR_MAX];
	size_t len;
	char *t = vec(name, &len);

	ck_assert_msg(escrow_ksr_parse(t, len, &k, err, sizeof err) == 0,
	    "%s: %s", name, err);
	free(t);
	return k;
}

/* text with the first occurrence of from replaced by to (malloc'd) */
static char *
replace(const char *text, const char *from, const char *to, size_t *len)
{
	const char *at = strstr(text, from);
	size_t n = strlen(text) - strlen(from) + strlen(to);
	char *out = malloc(n + 1);

	ck_assert_msg(at != NULL, "`%s' not in the text", from);
	ck_assert_ptr_nonnull(out);
	memcpy(out, text, (size_t)(at - text));
	memcpy(out + (at - text), to, strlen(to));
	strcpy(out + (at - text) + strlen(to), at + strlen(from));
	*len = n;
	return out;
}

static const struct escrow_dnskey *
ksk_of(const struct escrow_ksr_bundle *b, const char **id)
{
	size_t i;

	for (i = 0; i < b->nkeys; i++)
		if (b->keys[i].dnskey.flags == 257) {
			if (id != NULL)
				*id = b->keys[i].id;
			return &b->keys[i].dnskey;
		}
	ck_abort_msg("no KSK in bundle %s", b->id);
	return NULL;
}

static int
same_key(const struct escrow_dnskey *a, const struct escrow_dnskey *b)
{
	return a->flags == b->flags && a->algorithm == b->algorithm &&
	    a->protocol == b->protocol && a->ttl == b->ttl &&
	    a->pubkey_len == b->pubkey_len &&
	    memcmp(a->pubkey, b->pubkey, a->pubkey_len) == 0;
}

/*
 * Field by field: bundles, ids, times, policies, the keys (as a set; the
 * KSK too unless skip_ksk), the signature fields (key tag, and the
 * signature value, unless skip_ksk).
 */
static void
compare_skr(const struct escrow_ksr *a, const struct escrow_ksr *b,
    int skip_ksk)
{
	size_t i, j, m;

	ck_assert_str_eq(a->id, b->id);
	ck_assert_str_eq(a->domain, b->domain);
	ck_assert_uint_eq(a->serial, b->serial);
	ck_assert_int_eq(a->response, 1);
	ck_assert_int_eq(b->response, 1);
	ck_assert_mem_eq(&a->zsk, &b->zsk, sizeof a->zsk);
	ck_assert_mem_eq(&a->ksk, &b->ksk, sizeof a->ksk);
	ck_assert_uint_eq(a->nbundles, b->nbundles);
	for (i = 0; i < a->nbundles; i++) {
		const struct escrow_ksr_bundle *x = &a->bundles[i], *y = &b->bundles[i];

		ck_assert_str_eq(x->id, y->id);
		ck_assert_int_eq(x->inception, y->inception);
		ck_assert_int_eq(x->expiration, y->expiration);
		ck_assert_uint_eq(x->nkeys, y->nkeys);
		for (j = 0; j < x->nkeys; j++) {
			int found = 0;

			if (skip_ksk && x->keys[j].dnskey.flags == 257)
				continue;
			for (m = 0; m < y->nkeys; m++)
				if (same_key(&x->keys[j].dnskey, &y->keys[m].dnskey)) {
					found = 1;
					ck_assert_str_eq(x->keys[j].id, y->keys[m].id);
					ck_assert_uint_eq(x->keys[j].key_tag,
					    y->keys[m].key_tag);
				}
			ck_assert_msg(found, "bundle %s: key %u missing", x->id,
			    x->keys[j].key_tag);
		}
		ck_assert_uint_eq(x->nsigs, 1);
		ck_assert_uint_eq(y->nsigs, 1);
		{
			const struct escrow_ksr_sig *s = &x->sigs[0], *t = &y->sigs[0];

			ck_assert_uint_eq(s->ttl, t->ttl);
			ck_assert_uint_eq(s->rrsig.type_covered, t->rrsig.type_covered);
			ck_assert_uint_eq(s->rrsig.algorithm, t->rrsig.algorithm);
			ck_assert_uint_eq(s->rrsig.labels, t->rrsig.labels);
			ck_assert_uint_eq(s->rrsig.original_ttl, t->rrsig.original_ttl);
			ck_assert_uint_eq(s->rrsig.expiration, t->rrsig.expiration);
			ck_assert_uint_eq(s->rrsig.inception, t->rrsig.inception);
			ck_assert_uint_eq(s->rrsig.signer_len, t->rrsig.signer_len);
			ck_assert_uint_eq(s->len, t->len);
			if (!skip_ksk) {
				ck_assert_str_eq(s->key_id, t->key_id);
				ck_assert_uint_eq(s->rrsig.key_tag, t->rrsig.key_tag);
				ck_assert_mem_eq(s->data, t->data, s->len);
			}
		}
	}
}

START_TEST(test_ksr_parse_root_2017_q2)
{
	struct escrow_ksr *k = load("ksr-root-2017-q2-0.xml");
	char err[ESCROW_KSR_ERR_MAX];

	ck_assert_int_eq(k->response, 0);
	ck_assert_str_eq(k->id, "23e34059-7725-46a8-a7d2-662d657aab2b");
	ck_assert_str_eq(k->domain, ".");
	ck_assert_uint_eq(k->nbundles, 9);
	ck_assert_str_eq(k->bundles[0].id, "dc1bc68c-b1c1-46f8-817f-ec893549f2be");
	ck_assert_uint_eq(k->bundles[0].nkeys, 2);
	ck_assert_uint_eq(k->bundles[0].keys[0].key_tag, 14796);
	ck_assert_int_eq(k->zsk.max_sig_validity, 21 * 86400);
	ck_assert_int_eq(k->zsk.min_overlap, 9 * 86400);
	ck_assert_int_eq(k->zsk.max_overlap, 12 * 86400);
	ck_assert_uint_eq(k->zsk.nalgs, 1);
	ck_assert_uint_eq(k->zsk.algs[0].size, 2048);
	ck_assert_msg(escrow_ksr_check_request(k, err, sizeof err) == 0, "%s", err);
	free(k);
}
END_TEST

START_TEST(test_ksr_iana_signatures_verify_over_our_signed_data)
{
	struct escrow_ksr *req = load("ksr-root-2017-q2-0.xml");
	struct escrow_ksr *skr = load("skr-root-2017-q2-0.xml");
	const struct escrow_dnskey *ksk = ksk_of(&skr->bundles[0], NULL);
	size_t i;

	ck_assert_uint_eq(escrow_dnssec_keytag(ksk), 19036);
	ck_assert_uint_eq(skr->nbundles, req->nbundles);
	for (i = 0; i < req->nbundles; i++) {
		struct escrow_rrsig sig;
		uint8_t *data = NULL;
		size_t len;

		ck_assert_int_eq(escrow_ksr_bundle_signed_data(&req->bundles[i], ksk,
		    &sig, &data, &len), ESCROW_OK);
		ck_assert_mem_eq(&sig, &skr->bundles[i].sigs[0].rrsig, sizeof sig);
		ck_assert_msg(escrow_keys_verify_dnskey(8, ksk->pubkey,
		    ksk->pubkey_len, data, len, skr->bundles[i].sigs[0].data,
		    skr->bundles[i].sigs[0].len) == 0,
		    "IANA's RRSIG of bundle %zu does not verify", i + 1);
		/* and a changed byte of the data does not */
		data[len - 1] ^= 1;
		ck_assert_int_ne(escrow_keys_verify_dnskey(8, ksk->pubkey,
		    ksk->pubkey_len, data, len, skr->bundles[i].sigs[0].data,
		    skr->bundles[i].sigs[0].len), 0);
		free(data);
	}
	free(req);
	free(skr);
}
END_TEST

START_TEST(test_ksr_skr_written_equals_iana)
{
	struct escrow_ksr *req = load("ksr-root-2017-q2-0.xml");
	struct escrow_ksr *iana = load("skr-root-2017-q2-0.xml");
	struct escrow_ksr *ours = NULL;
	const uint8_t *sigs[ESCROW_KSR_BUNDLES_MAX];
	const char *ksk_id = NULL;
	const struct escrow_dnskey *ksk = ksk_of(&iana->bundles[0], &ksk_id);
	char err[ESCROW_KSR_ERR_MAX], *xml = NULL;
	size_t i, len;

	for (i = 0; i < iana->nbundles; i++)
		sigs[i] = iana->bundles[i].sigs[0].data;
	ck_assert_msg(escrow_skr_write(req, &iana->ksk, ksk, ksk_id, sigs, 256,
	    &xml, &len, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(escrow_ksr_parse(xml, len, &ours, err, sizeof err) == 0,
	    "%s", err);
	compare_skr(ours, iana, 0);
	free(xml);
	free(ours);
	free(req);
	free(iana);
}
END_TEST

START_TEST(test_ksr_skr_by_threshold_key)
{
	struct escrow_ksr *req = load("ksr-root-2017-q2-0.xml");
	struct escrow_ksr *iana = load("skr-root-2017-q2-0.xml");
	struct escrow_ksr *ours = NULL;
	struct escrow_thresh_params *p = NULL;
	struct escrow_thresh_share *sh[3];
	struct escrow_dnskey ksk;
	struct escrow_ksr_policy pol;
	uint8_t pub[ESCROW_KEYS_PUBKEY_MAX], sig[9][ESCROW_THRESH_MOD_MAX];
	const uint8_t *sigs[9];
	char err[ESCROW_KSR_ERR_MAX], *xml = NULL;
	size_t i, publen, len;

	ck_assert_int_eq(escrow_thresh_deal(8, 2048, 2, 3, ".", NULL, NULL, &p,
	    sh), ESCROW_OK);
	ck_assert_int_eq(escrow_thresh_params_dnskey_pub(p, pub, sizeof pub,
	    &publen), ESCROW_OK);
	ck_assert_int_eq(escrow_dnssec_dnskey_init(&ksk, ".", 257, 8, pub,
	    publen), ESCROW_OK);
	for (i = 0; i < req->nbundles; i++) {
		struct escrow_thresh_partial part[2];
		struct escrow_rrsig rs;
		uint8_t *data;
		size_t dlen, slen;

		ck_assert_int_eq(escrow_ksr_bundle_signed_data(&req->bundles[i],
		    &ksk, &rs, &data, &dlen), ESCROW_OK);
		ck_assert_int_eq(escrow_thresh_partial_sign(p, sh[i % 3], data,
		    dlen, &part[0]), ESCROW_OK);
		ck_assert_int_eq(escrow_thresh_partial_sign(p, sh[(i + 1) % 3], data,
		    dlen, &part[1]), ESCROW_OK);
		ck_assert_int_eq(escrow_thresh_partial_verify(p, data, dlen,
		    &part[0]), ESCROW_OK);
		ck_assert_int_eq(escrow_thresh_combine(p, data, dlen, part, 2,
		    sig[i], sizeof sig[i], &slen, NULL), ESCROW_OK);
		ck_assert_uint_eq(slen, 256);
		ck_assert_int_eq(escrow_keys_verify_dnskey(8, pub, publen, data,
		    dlen, sig[i], slen), ESCROW_OK);
		sigs[i] = sig[i];
		free(data);
	}
	escrow_ksr_default_ksk_policy(&pol, 8, 2048);
	ck_assert_mem_eq(&pol, &iana->ksk, sizeof pol);
	ck_assert_msg(escrow_skr_write(req, &pol, &ksk, "threshold", sigs, 256,
	    &xml, &len, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(escrow_ksr_parse(xml, len, &ours, err, sizeof err) == 0,
	    "%s", err);
	compare_skr(ours, iana, 1);
	for (i = 0; i < 3; i++)
		escrow_thresh_share_free(sh[i]);
	escrow_thresh_params_free(p);
	free(xml);
	free(ours);
	free(req);
	free(iana);
}
END_TEST

static int
parse_check(const char *text, size_t len, char *err, size_t cap)
{
	struct escrow_ksr *k = NULL;
	int ret = escrow_ksr_parse(text, len, &k, err, cap);

	if (ret == 0)
		ret = escrow_ksr_check_request(k, err, cap);
	free(k);
	return ret;
}

START_TEST(test_ksr_tampered_requests_refused)
{
	static const struct {
		const char *from, *to;
		int want;
		const char *says;
	} cases[] = {
		/* a changed byte in the ZSK operator's signature */
		{ "<SignatureData>kRfwt566", "<SignatureData>kRfwt567",
		  ESCROW_ERR_KEY_MISMATCH, "does not verify" },
		/* a changed ZSK public key: tag no longer matches */
		{ "AwEAAZLsvvPf", "AwEAAZLsvvPg", ESCROW_ERR_POLICY, "key tag" },
		/* a bundle 22 days long */
		{ "<Expiration>2017-04-22T00:00:00</Expiration>",
		  "<Expiration>2017-04-23T00:00:00</Expiration>", ESCROW_ERR_POLICY,
		  "validity" },
		/* bundle 2 id equal to bundle 1 */
		{ "3ea61ea1-43ca-47ce-a9c4-1e5799fb13b7",
		  "dc1bc68c-b1c1-46f8-817f-ec893549f2be", ESCROW_ERR_POLICY,
		  "twice" },
		/* an algorithm not approved */
		{ "<SignatureAlgorithm algorithm=\"8\">",
		  "<SignatureAlgorithm algorithm=\"5\">", ESCROW_ERR_POLICY,
		  "algorithm 5" },
		/* not the schema: an unknown element */
		{ "<RequestPolicy>", "<RequestPolicy><Extra/>", ESCROW_ERR_SCHEMA,
		  "line" },
		/* not a date */
		{ "<Inception>2017-04-01T00:00:00</Inception>",
		  "<Inception>2017-04-01</Inception>", ESCROW_ERR_SCHEMA, "" },
		/* a DOCTYPE (entities) */
		{ "<KSR ", "<!DOCTYPE KSR [<!ENTITY x \"y\">]><KSR ",
		  ESCROW_ERR_FORMAT, "DOCTYPE" },
		/* not XML */
		{ "</KSR>", "</KSX>", ESCROW_ERR_FORMAT, "line" },
	};
	size_t len, i;
	char *orig = vec("ksr-root-2017-q2-0.xml", &len);
	char err[ESCROW_KSR_ERR_MAX];

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n;
		char *t = replace(orig, cases[i].from, cases[i].to, &n);
		int got = parse_check(t, n, err, sizeof err);

		ck_assert_msg(got == cases[i].want, "case %zu: got %d (%s)", i,
		    got, err);
		ck_assert_msg(strstr(err, cases[i].says) != NULL,
		    "case %zu: `%s' does not say `%s'", i, err, cases[i].says);
		free(t);
	}
	/* an SKR is not a request */
	free(orig);
	orig = vec("skr-root-2017-q1-0.xml", &len);
	ck_assert_int_eq(parse_check(orig, len, err, sizeof err),
	    ESCROW_ERR_POLICY);
	free(orig);
}
END_TEST

START_TEST(test_ksr_times)
{
	int64_t t;
	char buf[48];

	ck_assert_int_eq(escrow_ksr_parse_datetime("2017-04-01T00:00:00", &t), 0);
	ck_assert_int_eq(t, 1491004800);
	ck_assert_int_eq(escrow_ksr_parse_datetime("2017-04-01T00:00:00+00:00",
	    &t), 0);
	ck_assert_int_eq(t, 1491004800);
	ck_assert_int_eq(escrow_ksr_parse_datetime("2017-04-01T00:00:00Z", &t), 0);
	ck_assert_int_ne(escrow_ksr_parse_datetime("2017-04-01T00:00:00+01:00",
	    &t), 0);
	ck_assert_int_ne(escrow_ksr_parse_datetime("2017-02-29T00:00:00", &t), 0);
	ck_assert_int_eq(escrow_ksr_parse_datetime("2016-02-29T23:59:59", &t), 0);
	escrow_ksr_format_datetime(1491004800, buf);
	ck_assert_str_eq(buf, "2017-04-01T00:00:00+00:00");
	ck_assert_int_eq(escrow_ksr_parse_duration("P21D", &t), 0);
	ck_assert_int_eq(t, 21 * 86400);
	ck_assert_int_eq(escrow_ksr_parse_duration("PT0S", &t), 0);
	ck_assert_int_eq(t, 0);
	ck_assert_int_eq(escrow_ksr_parse_duration("P5DT4M", &t), 0);
	ck_assert_int_eq(t, 5 * 86400 + 240);
	ck_assert_int_ne(escrow_ksr_parse_duration("P1M", &t), 0); /* months */
	ck_assert_int_ne(escrow_ksr_parse_duration("P", &t), 0);
	ck_assert_int_ne(escrow_ksr_parse_duration("PT", &t), 0);
	ck_assert_int_ne(escrow_ksr_parse_duration("P1DT", &t), 0);
	escrow_ksr_format_duration(5 * 86400 + 240, buf);
	ck_assert_str_eq(buf, "P5DT4M");
	escrow_ksr_format_duration(0, buf);
	ck_assert_str_eq(buf, "PT0S");
}
END_TEST

START_TEST(test_ksr_zone_request)
{
	static const char zone[] =
	    "; a DNSKEY RRset to sign\n"
	    "; inception 20170401000000\n"
	    "; expiration 20170422000000\n"
	    "example.  3600 IN DNSKEY 256 3 8 AwEAAZLsvvPf/WDYE8L8ZUOiXEN9PSg3Nqyqu8WWKVu4LIvPW77Y0W1mBgmroFEHxzA9zM2edQbYIFhj536sx3fj1bx4n8yKwQ0y1MYkXvgU3aKWf0jnm8qz5RPVa4iEUgP5og/70muAXmo38Ru10asc3SNtN2OlAT1Tivp+U4JUlVA8ICvierUPg2Kgf2gtNFhuqMTx/IHrE5DdV+Z/rmHGqESe/mnaDzHdFnKy7Ma5zcPTekmwZ86CnG+vNWMT6wiO56YSAaiHX0jSCjmkL7JzT3xpp/vtoWLK1rir70i6NbsU48sPZOHLfhwzbownewAsng0QqMOcVcmhl6ifE3C/vjE=\n"
	    "EXAMPLE. 3600 DNSKEY 256 3 8 AwEAAYvgWbYkpeGgdPKaKTJU3Us4YSTRgy7+dzvfArIhi2tKoZ/WR1Dfw883SOU6Uw7tpVRkLarN0oIMK/xbOBD1DcXnyfElBwKsz4sVVWmfyr/x+igD/UjrcJ5zEBUrUmVtHyjar7ccaVc1/3ntkhZjI1hcungAlOhPhHlkMeX+5Azx6GdX//An5OgrdyH3o/JmOPMDX1mt806JI/hf0EwAp1pBwo5e8SrSuR1tD3sgNjr6IzCdrKSgqi92z49zcdis3EaY199WFW60DCS7ydu++T5Xa+GyOw1quagwf/JUC/mEpeBQYWrnpkBbpDB3sy4+P2i8iCvavehbRyVm9U0MlIc=\n";
	struct escrow_ksr *k = NULL;
	char err[ESCROW_KSR_ERR_MAX], *bad;
	size_t n;

	ck_assert_msg(escrow_ksr_zone_parse(zone, sizeof zone - 1, &k, err,
	    sizeof err) == 0, "%s", err);
	ck_assert_str_eq(k->domain, "example.");
	ck_assert_uint_eq(k->nbundles, 1);
	ck_assert_uint_eq(k->bundles[0].nkeys, 2);
	ck_assert_int_eq(k->bundles[0].inception, 1491004800);
	ck_assert_uint_eq(k->bundles[0].keys[0].key_tag, 14796);
	free(k);
	bad = replace(zone, "; expiration 20170422000000\n", "", &n);
	ck_assert_int_eq(escrow_ksr_zone_parse(bad, n, &k, err, sizeof err),
	    ESCROW_ERR_FORMAT);
	ck_assert_ptr_nonnull(strstr(err, "expiration"));
	free(bad);
	bad = replace(zone, "EXAMPLE.", "other.", &n);
	ck_assert_int_eq(escrow_ksr_zone_parse(bad, n, &k, err, sizeof err),
	    ESCROW_ERR_FORMAT);
	ck_assert_ptr_nonnull(strstr(err, "line 5"));
	free(bad);
	bad = replace(zone, "DNSKEY 256 3 8 AwEAAYvg", "DNSKEY 256 3 8 AwE!AYvg", &n);
	ck_assert_int_eq(escrow_ksr_zone_parse(bad, n, &k, err, sizeof err),
	    ESCROW_ERR_FORMAT);
	free(bad);
}
END_TEST

Suite *
check_ksr_suite(void)
{
	Suite *s = suite_create("ksr");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_ksr_parse_root_2017_q2);
	tcase_add_test(tc, test_ksr_iana_signatures_verify_over_our_signed_data);
	tcase_add_test(tc, test_ksr_skr_written_equals_iana);
	tcase_add_test(tc, test_ksr_skr_by_threshold_key);
	tcase_add_test(tc, test_ksr_tampered_requests_refused);
	tcase_add_test(tc, test_ksr_times);
	tcase_add_test(tc, test_ksr_zone_request);
	suite_add_tcase(s, tc);
	return s;
}
