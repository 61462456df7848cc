/*
 * thresh.c - escrow-combine's threshold subcommands (Shoup's threshold
 * RSA; the key is never rebuilt):
 *   partial   one custodian signs every bundle of a request with their
 *             share: a public partial-signature file
 *   assemble  anyone combines any M valid partials into ordinary RSA
 *             signatures, checks each, and writes the SKR (or RRSIGs)
 *   audit --params   checks one threshold share sheet alone
 *
 * Secret: the custodian's share (tools/threshold.c reads it into secret
 * memory; freed with escrow_thresh_share_free()).  Partials, parameters,
 * requests and the results are public.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/sha.h>

#include "cmd.h"
#include "diskspace.h"
#include "escrow_keys.h"
#include "options.h"
#include "threshold.h"
#include "tool.h"

#define MAX_PARTIALS ESCROW_THRESH_MAX_PLAYERS

/* partial --share --params --request -o [--pdf] [--yes] */
int
cb_check_partial(struct cb_opts *o)
{
	if (o->share == NULL || o->params == NULL || o->request == NULL ||
	    o->output == NULL || o->ninputs > 0)
		return tool_bad_usage("partial: --share SHEET|FILE --params PARAMS "
		    "--request KSR.xml|ZONE -o PARTIAL");
	return 0;
}

/* assemble --params --request PARTIAL... -o */
int
cb_check_assemble(struct cb_opts *o)
{
	if (o->params == NULL || o->request == NULL || o->output == NULL ||
	    o->ninputs == 0)
		return tool_bad_usage("assemble: --params PARAMS --request "
		    "KSR.xml|ZONE PARTIAL... -o SKR.xml|ZONE");
	if (o->ninputs > MAX_PARTIALS)
		return tool_bad_usage("assemble: at most %d partials", MAX_PARTIALS);
	return 0;
}

/* The share, checked against the parameters, or NULL (and said why). */
static struct escrow_thresh_share *
checked_share(const char *path, const struct escrow_thresh_params *p)
{
	struct escrow_thresh_share *s = NULL;
	char fpr[65], theirs[65];
	int rc;

	if (tt_share_read(path, &s) != 0)
		return NULL;
	rc = escrow_thresh_share_check(p, s);
	if (rc == ESCROW_OK)
		return s;
	tt_params_fpr_hex(p, fpr);
	escrow_hex(escrow_thresh_share_params_fpr(s), ESCROW_THRESH_FPR_BYTES,
	    theirs, 0);
	if (rc == ESCROW_ERR_SET_MISMATCH) {
		tool_err("share `%s' (custodian %u) belongs to another key: its "
		    "parameters fingerprint is %.16s..., these are %.16s...",
		    path, escrow_thresh_share_index(s), theirs, fpr);
		tool_hint("give the parameters file of the key this sheet was "
		    "dealt for");
	} else {
		tool_err("share `%s' (custodian %u) does not match its verification "
		    "key v_%u: %s", path, escrow_thresh_share_index(s),
		    escrow_thresh_share_index(s), escrow_strerror(rc));
		tool_hint("the sheet is damaged or was not made by the dealer; "
		    "report it; do not sign with it");
	}
	escrow_thresh_share_free(s);
	return NULL;
}

static int
thresh_audit(const struct cb_opts *o, const struct escrow_thresh_params *p)
{
	struct escrow_thresh_share *s = checked_share(o->inputs[0], p);
	struct escrow_dnskey k;
	char fpr[65];

	if (s == NULL)
		return TOOL_EXIT_FAIL;
	tt_params_fpr_hex(p, fpr);
	if (tt_params_dnskey(p, &k) != 0) {
		escrow_thresh_share_free(s);
		return TOOL_EXIT_FAIL;
	}
	printf("Threshold share %u of %u (any %u sign) of key tag %u, `%s': "
	    "matches its verification key.\nPublic parameters fingerprint: %s\n",
	    escrow_thresh_share_index(s), escrow_thresh_params_count(p),
	    escrow_thresh_params_threshold(p), escrow_dnssec_keytag(&k),
	    escrow_thresh_params_owner(p), fpr);
	escrow_thresh_share_free(s);
	return TOOL_EXIT_OK;
}

/*
 * Before the custodian is asked to sign: room for the partial file (per
 * bundle its id, the partial signature and its proof, in hex) and its
 * sheet.
 */
static int
partial_space(const struct cb_opts *o, size_t nbundles)
{
	struct tool_space sp;
	uint64_t text = 1024 + nbundles * (512 + 4 * (uint64_t)ESCROW_THRESH_Z_MAX);

	tool_space_init(&sp);
	tool_space_add_file(&sp, o->output, text, "the partial signatures");
	if (o->cer.paper.pdf)
		tool_space_add_file(&sp, o->output, tool_space_envelope_pdf((size_t)text,
		    ESCROW_PAPER_A4), "its sheet");
	return tool_space_check(&sp);
}

static int
cmd_partial(const struct cb_opts *o, const struct escrow_thresh_params *p)
{
	struct escrow_thresh_share *s = NULL;
	struct tt_request req;
	struct tt_partial *part = NULL;
	struct escrow_dnskey k;
	struct escrow_text text = { 0 }, tr = { 0 };
	size_t i;
	int ret = TOOL_EXIT_FAIL, rc;

	memset(&req, 0, sizeof req);
	if ((s = checked_share(o->share, p)) == NULL || tt_params_dnskey(p, &k) != 0 ||
	    tt_request_load(o->request, &req) != 0)
		goto out;
	if (strcasecmp(req.ksr->domain, escrow_thresh_params_owner(p)) != 0) {
		tool_err("request `%s' is for `%s'; this key is for `%s'",
		    o->request, req.ksr->domain, escrow_thresh_params_owner(p));
		goto out;
	}
	if (tt_request_check(&req, stdout) != 0)
		goto out;
	printf("You are custodian %u of %u; key tag %u signs with any %u.\n",
	    escrow_thresh_share_index(s), escrow_thresh_params_count(p),
	    escrow_dnssec_keytag(&k), escrow_thresh_params_threshold(p));
	if (partial_space(o, req.ksr->nbundles) != 0)
		goto out;
	if (!o->yes && !tool_confirm("Sign every bundle above with this share?")) {
		tool_err("nothing signed%s", tool_have_tty() ? "" :
		    " (no terminal to ask: add --yes once you have checked the "
		    "request)");
		goto out;
	}
	if ((part = calloc(1, sizeof *part)) == NULL) {
		tool_err("out of memory");
		goto out;
	}
	escrow_thresh_params_fingerprint(p, part->params_fpr);
	part->index = escrow_thresh_share_index(s);
	memcpy(part->request_sha, req.sha, 32);
	part->n = req.ksr->nbundles;
	for (i = 0; i < part->n; i++) {
		struct escrow_rrsig sig;
		uint8_t *data = NULL;
		size_t len;

		if (tt_bundle_data(&req, i, &k, &sig, &data, &len) != 0)
			goto out;
		snprintf(part->b[i].id, sizeof part->b[i].id, "%s",
		    req.ksr->bundles[i].id);
		SHA256(data, len, part->b[i].data_sha);
		rc = escrow_thresh_partial_sign(p, s, data, len, &part->b[i].p);
		if (rc == ESCROW_OK)  /* a fault here must not leave as a partial */
			rc = escrow_thresh_partial_verify(p, data, len, &part->b[i].p);
		free(data);
		if (rc != ESCROW_OK) {
			tool_err("bundle %zu: partial signature: %s", i + 1,
			    escrow_strerror(rc));
			goto out;
		}
	}
	escrow_thresh_share_free(s);
	s = NULL;
	if (tt_partial_text(part, &text) != 0) {
		tool_err("out of memory (or a bundle id with control characters)");
		goto out;
	}
	if (tool_write_new(NULL, o->output, text.p, text.len, 0644) != 0)
		goto out;
	if (o->cer.paper.pdf) {
		struct tt_sheet sh;
		char fpr[65], title[128], name[4096];

		tt_params_fpr_hex(p, fpr);
		snprintf(title, sizeof title, "Partial signature of custodian %u - "
		    "key tag %u", part->index, escrow_dnssec_keytag(&k));
		snprintf(name, sizeof name, "%s.pdf", o->output);
		memset(&sh, 0, sizeof sh);
		sh.bytes = (const uint8_t *)text.p;
		sh.len = text.len;
		sh.title = title;
		sh.fpr_hex = fpr;
		sh.intro = "Public: one custodian's partial signatures over one "
		    "request, with proofs. Send it to whoever assembles.";
		sh.footer = "Partial signature - public";
		sh.heading = "Typeable copy of the partial signature";
		if (tt_sheet_emit(&sh, name, ESCROW_PAPER_A4, 1, ".", NULL, &tr) != 0)
			goto out;
	}
	printf("Wrote %s: custodian %u's partial signatures over %zu bundles "
	    "(public; send it to whoever assembles).\n", o->output, part->index,
	    part->n);
	ret = TOOL_EXIT_OK;
out:
	escrow_thresh_share_free(s);
	tt_request_free(&req);
	free(part);
	escrow_text_free(&text);
	escrow_text_free(&tr);
	return ret;
}

/* Read and screen the partials: foreign, duplicate, wrong request, bad proof. */
static size_t
good_partials(const struct cb_opts *o, const struct escrow_thresh_params *p,
    const struct tt_request *req, uint8_t *const *data, const size_t *dlen,
    struct tt_partial **parts, const char **names)
{
	uint8_t fpr[ESCROW_THRESH_FPR_BYTES], sha[32];
	size_t ngood = 0, i, j, b;
	int f;

	escrow_thresh_params_fingerprint(p, fpr);
	for (f = 0; f < o->ninputs; f++) {
		struct tt_partial *t = calloc(1, sizeof *t);
		const char *name = o->inputs[f];
		int bad = 0;

		if (t == NULL || tt_partial_read(name, t) != 0) {
			free(t);
			continue;
		}
		if (memcmp(t->params_fpr, fpr, sizeof fpr) != 0) {
			tool_err("partial `%s' (custodian %u) is foreign: made for "
			    "another key's parameters; left out", name, t->index);
			bad = 1;
		} else if (t->index > escrow_thresh_params_count(p)) {
			tool_err("partial `%s' names custodian %u of %u; left out",
			    name, t->index, escrow_thresh_params_count(p));
			bad = 1;
		} else if (t->n != req->ksr->nbundles) {
			tool_err("partial `%s' (custodian %u) covers %zu bundles, the "
			    "request has %zu: made for another request; left out",
			    name, t->index, t->n, req->ksr->nbundles);
			bad = 1;
		}
		for (j = 0; !bad && j < ngood; j++)
			if (parts[j]->index == t->index) {
				tool_err("partial `%s' is a duplicate: custodian %u was "
				    "already given in `%s'; left out", name, t->index,
				    names[j]);
				bad = 1;
			}
		for (b = 0; !bad && b < t->n; b++) {
			int rc;

			SHA256(data[b], dlen[b], sha);
			if (strcmp(t->b[b].id, req->ksr->bundles[b].id) != 0 ||
			    memcmp(sha, t->b[b].data_sha, 32) != 0) {
				tool_err("partial `%s' (custodian %u), bundle %zu: signs "
				    "other data than this request's; left out", name,
				    t->index, b + 1);
				bad = 1;
				break;
			}
			rc = escrow_thresh_partial_verify(p, data[b], dlen[b],
			    &t->b[b].p);
			if (rc != ESCROW_OK) {
				tool_err("partial `%s' (custodian %u), bundle %zu: %s; "
				    "left out", name, t->index, b + 1, escrow_strerror(rc));
				bad = 1;
			}
		}
		if (bad) {
			free(t);
			continue;
		}
		for (i = 0; i < ngood; i++) /* keep them in custodian order */
			if (parts[i]->index > t->index)
				break;
		memmove(parts + i + 1, parts + i, (ngood - i) * sizeof *parts);
		memmove(names + i + 1, names + i, (ngood - i) * sizeof *names);
		parts[i] = t;
		names[i] = name;
		ngood++;
	}
	return ngood;
}

static int
write_zone(const char *path, const struct tt_request *req,
    const struct escrow_dnskey *k, const struct escrow_rrsig *sig,
    const uint8_t *s, size_t slen)
{
	struct escrow_dnskey keys[ESCROW_KSR_KEYS_MAX + 1];
	struct escrow_text out = { 0 };
	char line[ESCROW_DNSSEC_TEXT_MAX];
	size_t n, i;
	int ret = -1;

	if (escrow_ksr_bundle_rrset(&req->ksr->bundles[0], k, keys, &n) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (escrow_dnssec_dnskey_text(&keys[i], line, sizeof line) != 0)
			goto out;
		tool_text_printf(&out, "%s\n", line);
	}
	if (escrow_dnssec_rrsig_text(sig, s, slen, line, sizeof line) != 0)
		goto out;
	tool_text_printf(&out, "%s\n", line);
	ret = tool_write_new(NULL, path, out.p, out.len, 0644);
out:
	if (ret != 0 && out.p == NULL)
		tool_err("out of memory");
	escrow_text_free(&out);
	return ret;
}

static int
cmd_assemble(const struct cb_opts *o, const struct escrow_thresh_params *p)
{
	struct tt_request req;
	struct tt_partial *parts[MAX_PARTIALS] = { NULL };
	const char *names[MAX_PARTIALS];
	struct pset { struct escrow_thresh_partial v[MAX_PARTIALS]; } *set = NULL;
	struct escrow_dnskey k;
	struct escrow_rrsig sigs_f[ESCROW_KSR_BUNDLES_MAX];
	uint8_t *data[ESCROW_KSR_BUNDLES_MAX] = { NULL };
	uint8_t (*sig)[ESCROW_THRESH_MOD_MAX] = NULL;
	const uint8_t *sigp[ESCROW_KSR_BUNDLES_MAX];
	size_t dlen[ESCROW_KSR_BUNDLES_MAX], ngood = 0, i, b, slen = 0;
	unsigned m = escrow_thresh_params_threshold(p), missing = 0;
	char ksk_id[ESCROW_DNSSEC_NAME_TEXT_MAX + 32], err[ESCROW_KSR_ERR_MAX];
	char *xml = NULL;
	int ret = TOOL_EXIT_FAIL, rc;

	memset(&req, 0, sizeof req);
	if (tt_params_dnskey(p, &k) != 0 || tt_request_load(o->request, &req) != 0 ||
	    tt_request_check(&req, NULL) != 0)
		goto out;
	for (b = 0; b < req.ksr->nbundles; b++)
		if (tt_bundle_data(&req, b, &k, &sigs_f[b], &data[b], &dlen[b]) != 0)
			goto out;
	ngood = good_partials(o, p, &req, data, dlen, parts, names);
	if (ngood < m) {
		tool_err("%zu valid partial%s of the %u needed: %zu more needed", ngood,
		    ngood == 1 ? "" : "s", m, (size_t)m - ngood);
		tool_hint("ask %zu more custodian%s for their partial over this "
		    "request", (size_t)m - ngood, (size_t)m - ngood == 1 ? "" : "s");
		goto out;
	}
	set = calloc(1, sizeof *set);
	sig = calloc(ESCROW_KSR_BUNDLES_MAX, sizeof *sig);
	if (set == NULL || sig == NULL) {
		tool_err("out of memory");
		goto out;
	}
	for (b = 0; b < req.ksr->nbundles; b++) {
		for (i = 0; i < m; i++)
			set->v[i] = parts[i]->b[b].p;
		rc = escrow_thresh_combine(p, data[b], dlen[b], set->v, m, sig[b],
		    sizeof sig[b], &slen, &missing);
		if (rc == ESCROW_OK) /* ordinary RSA verification, by OpenSSL */
			rc = escrow_keys_verify_dnskey(k.algorithm, k.pubkey,
			    k.pubkey_len, data[b], dlen[b], sig[b], slen);
		if (rc != ESCROW_OK) {
			tool_err("bundle %zu: combining the partials of custodians %u.."
			    "%u: %s", b + 1, parts[0]->index, parts[m - 1]->index,
			    escrow_strerror(rc));
			goto out;
		}
		sigp[b] = sig[b];
	}
	printf("Combined the partials of custodians");
	for (i = 0; i < m; i++)
		printf(" %u", parts[i]->index);
	printf("; every signature verifies with key tag %u.\n",
	    escrow_dnssec_keytag(&k));
	if (req.zone) {
		if (write_zone(o->output, &req, &k, &sigs_f[0], sig[0], slen) != 0)
			goto out;
	} else {
		struct escrow_ksr_policy pol;
		size_t len;

		escrow_ksr_default_ksk_policy(&pol, k.algorithm,
		    escrow_thresh_params_bits(p));
		if ((rc = escrow_dnssec_keyfile_name(&k, ksk_id, sizeof ksk_id)) != 0)
			goto out;
		ksk_id[strlen(ksk_id) - 4] = '\0'; /* K<owner>+<alg>+<tag> */
		rc = escrow_skr_write(req.ksr, &pol, &k, ksk_id, sigp, slen, &xml,
		    &len, err, sizeof err);
		if (rc != ESCROW_OK) {
			tool_err("writing the SKR: %s (%s)", err, escrow_strerror(rc));
			goto out;
		}
		if (tool_write_new(NULL, o->output, xml, len, 0644) != 0)
			goto out;
	}
	printf("Wrote %s: %zu bundle%s signed.\n", o->output, req.ksr->nbundles,
	    req.ksr->nbundles == 1 ? "" : "s");
	ret = TOOL_EXIT_OK;
out:
	for (i = 0; i < MAX_PARTIALS; i++)
		free(parts[i]);
	for (b = 0; b < ESCROW_KSR_BUNDLES_MAX; b++)
		free(data[b]);
	free(set);
	free(sig);
	free(xml);
	tt_request_free(&req);
	return ret;
}

/* Load the parameters, then run one of the three. */
static int
with_params(const struct cb_opts *o,
    int (*fn)(const struct cb_opts *, const struct escrow_thresh_params *))
{
	struct escrow_thresh_params *p = NULL;
	int rc;

	if (tt_params_load(o->params, &p) != 0)
		return TOOL_EXIT_FAIL;
	rc = fn(o, p);
	escrow_thresh_params_free(p);
	return rc;
}

int
cb_cmd_partial(const struct cb_opts *o)
{
	return with_params(o, cmd_partial);
}

int
cb_cmd_assemble(const struct cb_opts *o)
{
	return with_params(o, cmd_assemble);
}

int
cb_cmd_thresh_audit(const struct cb_opts *o)
{
	return with_params(o, thresh_audit);
}
