/*
 * verify.c - the subcommands that only read: verify (restore, check
 * everything, print the records, forget), audit (one share against the
 * envelope alone) and inspect (what a piece of paper or a file is).
 *
 * Secret: the shares and, in verify, the passphrase and master secret;
 * all held by input.c and restore.c in secret memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "escrow_dnssec.h"
#include "escrow_paper.h"
#include "input.h"
#include "prompt.h"
#include "restore.h"
#include "shares.h"
#include "tool.h"
#include "version.h"

void
cb_print_records(const struct tool_records *r)
{
	size_t i;

	printf("Envelope fingerprint: %s\nRead aloud:           %s\n", r->fp_hex,
	    r->fp_words);
	for (i = 0; i < r->nkeys; i++) {
		char line[1400];

		tool_records_key_summary(r, i, line, sizeof line);
		printf("%s\n  %s\n  %s\n  %s\n", line, r->keys[i].dnskey_text,
		    r->keys[i].ds256_text, r->keys[i].ds384_text);
	}
}

/*
 * The KeyDigests of an RFC 9718 trust anchor against the envelope's keys.
 * A KeyDigest counts for a key only if tag, algorithm and digest match and
 * it is valid now (validFrom .. validUntil, RFC 9718 section 4.1.1); one
 * for no key of the envelope is checked against its own PublicKey when it
 * has one (section 4.1.2) and reported either way.  Messages on stderr;
 * 0 when nothing is wrong with the file.
 */
static int
check_ta(const struct cb_opts *o, const struct tool_records *r,
    const struct escrow_ta *ta, int *matched, size_t *other, size_t *unchecked)
{
	const struct escrow_ta_digest *d;
	int64_t now = (int64_t)time(NULL);
	size_t i, j;
	int bad = 0, any, state;

	for (j = 0; j < ta->count; j++) {
		d = &ta->digests[j];
		if (escrow_dnssec_ta_validity(ta, j, now, &state) != ESCROW_OK) {
			tool_err("trust anchor `%s' KeyDigest %s: validFrom `%s' or validUntil "
			    "`%s' is not an xsd:dateTime", o->trust_anchor, d->id,
			    d->valid_from, d->valid_until);
			bad = 1;
			continue;
		}
		for (i = 0, any = 0; i < r->nkeys; i++) {
			if (d->key_tag != r->keys[i].tag ||
			    d->algorithm != r->keys[i].dnskey.algorithm)
				continue;
			any = 1;
			if (escrow_dnssec_ta_check(ta, j, &r->keys[i].dnskey) != ESCROW_OK) {
				tool_err("trust anchor `%s' KeyDigest %s (key tag %u) does not "
				    "match the envelope's key with that tag", o->trust_anchor,
				    d->id, d->key_tag);
				bad = 1;
			} else if (state != 0) {
				/* RFC 9718 section 4.1.1: not to be used outside its range */
				fprintf(stderr, "%s: trust anchor `%s' KeyDigest %s matches key "
				    "tag %u, but %s `%s': it does not count (RFC 9718 section "
				    "4.1.1)\n", tool_name, o->trust_anchor, d->id, d->key_tag,
				    state > 0 ? "it expired at validUntil" :
				    "it is valid only from validFrom",
				    state > 0 ? d->valid_until : d->valid_from);
			} else {
				matched[i] = 1;
			}
		}
		if (any)
			continue;
		(*other)++;
		if (d->has_pubkey) {
			if (escrow_dnssec_ta_check(ta, j, NULL) != ESCROW_OK) {
				tool_err("trust anchor `%s' KeyDigest %s (key tag %u, algorithm %u) "
				    "is for no key of this envelope, and its Digest is not that "
				    "of its own PublicKey: the file is damaged (RFC 9718 section "
				    "4.1.2: such a KeyDigest must not be used)", o->trust_anchor,
				    d->id, d->key_tag, d->algorithm);
				bad = 1;
			} else {
				fprintf(stderr, "%s: trust anchor `%s' KeyDigest %s (key tag %u, "
				    "algorithm %u): for no key of this envelope; its Digest "
				    "matches its own PublicKey\n", tool_name, o->trust_anchor,
				    d->id, d->key_tag, d->algorithm);
			}
		} else {
			(*unchecked)++;
			fprintf(stderr, "%s: trust anchor `%s' KeyDigest %s (key tag %u, "
			    "algorithm %u): for no key of this envelope, and without a "
			    "PublicKey: NOT checked\n", tool_name, o->trust_anchor, d->id,
			    d->key_tag, d->algorithm);
		}
	}
	return bad ? -1 : 0;
}

/*
 * Match the keys against DS records or an RFC 9718 trust anchor.  What
 * is wrong goes to stderr; on success the line to print after the records
 * is left in summary.
 */
static int
check_anchors(const struct cb_opts *o, const struct tool_records *r,
    char *summary, size_t cap)
{
	struct escrow_ds *ds = NULL;
	struct escrow_ta *ta = NULL;
	uint8_t *xml = NULL;
	size_t i, j, n = 0, len, cnt, other = 0, unchecked = 0;
	int ret = -1, rc, *matched = NULL, bad = 0;

	summary[0] = '\0';
	if (o->trust_anchor == NULL && o->nds == 0)
		return 0;
	matched = calloc(r->nkeys, sizeof *matched);
	if (matched == NULL)
		goto oom;
	if (o->trust_anchor != NULL) {
		ta = calloc(1, sizeof *ta);
		if (ta == NULL)
			goto oom;
		xml = tool_read_file(o->trust_anchor, &len, 1u << 20);
		if (xml == NULL)
			goto out;
		rc = escrow_dnssec_ta_parse((const char *)xml, len, ta);
		if (rc != ESCROW_OK) {
			tool_err("trust anchor `%s': %s", o->trust_anchor, escrow_strerror(rc));
			goto out;
		}
		bad |= check_ta(o, r, ta, matched, &other, &unchecked) != 0;
	}
	ds = calloc(ESCROW_DNSSEC_TA_MAX, sizeof *ds);
	if (ds == NULL)
		goto oom;
	for (n = 0; n < o->nds; n++) {
		rc = escrow_dnssec_ds_parse(o->ds[n], strlen(o->ds[n]), ds,
		    ESCROW_DNSSEC_TA_MAX, &cnt);
		if (rc != ESCROW_OK) {
			tool_err("--ds `%s': %s", o->ds[n], escrow_strerror(rc));
			goto out;
		}
		for (j = 0; j < cnt; j++) {
			int any = 0;

			for (i = 0; i < r->nkeys; i++) {
				if (ds[j].key_tag != r->keys[i].tag ||
				    ds[j].algorithm != r->keys[i].dnskey.algorithm)
					continue;
				any = 1;
				rc = escrow_dnssec_ds_check(&ds[j], &r->keys[i].dnskey);
				if (rc != ESCROW_OK) {
					tool_err("--ds `%s' does not match the envelope's key tag %u: %s",
					    o->ds[n], r->keys[i].tag, escrow_strerror(rc));
					goto out;
				}
				matched[i] = 1;
			}
			if (!any) {
				tool_err("--ds `%s': no key of this envelope has key tag %u and "
				    "algorithm %u", o->ds[n], ds[j].key_tag, ds[j].algorithm);
				goto out;
			}
		}
	}
	for (i = 0; i < r->nkeys; i++)
		if (!matched[i]) {
			tool_err("key tag %u of the envelope is not in the given %s%s",
			    r->keys[i].tag, o->trust_anchor != NULL ? "trust anchor" :
			    "DS records", o->trust_anchor != NULL ?
			    " (as a KeyDigest valid now)" : "");
			bad = 1;
		}
	if (bad)
		goto out;
	snprintf(summary, cap, "Every key matches the given %s.", o->trust_anchor != NULL ?
	    "trust anchor (RFC 9718)" : "DS records");
	if (other > 0)
		snprintf(summary + strlen(summary), cap - strlen(summary),
		    "\nThe trust anchor also holds %zu KeyDigest%s for no key of this "
		    "envelope%s (named above).", other, other == 1 ? "" : "s",
		    unchecked > 0 ? ", some of them not checked" : "");
	ret = 0;
	goto out;
oom:
	tool_err("out of memory");
out:
	free(matched);
	free(ds);
	free(ta);
	free(xml);
	return ret;
}

int
cb_cmd_verify(const struct cb_opts *o)
{
	struct cb_input in;
	struct cb_restore r;
	struct cb_restore_opts ro = { o->passphrase_file, !o->yes, NULL, NULL, NULL };
	char anchors[512];
	int ret = TOOL_EXIT_FAIL;

	memset(&r, 0, sizeof r);
	if (cb_input_gather(&in, o->envelope, o->inputs, o->ninputs) != 0 ||
	    cb_restore(&in, &ro, &r) != 0 ||
	    cb_check_keys(&r) != 0)
		goto out;
	/* the anchors first: when they fail, nothing on stdout reads as success */
	if (check_anchors(o, &r.rec, anchors, sizeof anchors) != 0) {
		tool_err("the shares open the envelope, but its keys do not match the "
		    "given %s: do not rely on this envelope until that is explained",
		    o->trust_anchor != NULL ? "trust anchor" : "DS records");
		goto out;
	}
	printf("The master secret restores the envelope: its MAC matches, every "
	    "share matches its commitment, every private key matches its public "
	    "key.\n");
	cb_print_records(&r.rec);
	if (anchors[0] != '\0')
		printf("%s\n", anchors);
	ret = TOOL_EXIT_OK;
out:
	cb_restore_free(&r);
	cb_input_free(&in);
	return ret;
}

int
cb_cmd_audit(const struct cb_opts *o)
{
	struct cb_input in;
	struct escrow_envelope *env = NULL;
	struct tool_records rec;
	int ret = TOOL_EXIT_FAIL, have_rec = 0;

	int typed;

	if (cb_input_gather(&in, o->envelope, o->inputs, o->ninputs) != 0 ||
	    cb_input_finish_envelope(&in) != 0)
		goto out;
	if (in.env == NULL) {
		tool_err("audit: no envelope among the inputs");
		tool_hint("give --envelope FILE (the .escrow file, its typed text form or "
		    "scans of its sheets), or name it among the inputs");
		goto out;
	}
	if (escrow_envelope_parse(in.env, in.env_len, &env) != ESCROW_OK ||
	    tool_records_build(env, &rec) != 0) {
		tool_err("the envelope from %s cannot be read", in.env_source);
		goto out;
	}
	have_rec = 1;
	/* no share among the inputs: type it (the envelope may be one of them) */
	typed = in.nshares == 0 && in.problems == 0;
	if (typed && !tool_have_tty()) {
		tool_err("audit: no share among the inputs and no terminal to type it on");
		tool_hint("name the share's scan or text file after the envelope");
		goto out;
	}
	if (typed && cb_prompt_one(&in, env) != 0)
		goto out;
	if (in.nshares != 1) {
		tool_err("audit checks one share: %s holds %zu", typed ? "what was typed" :
		    "the inputs", in.nshares);
		tool_hint("give one custodian's share at a time");
		goto out;
	}
	if (cb_check_share(&in.shares[0], env, !o->yes) != 0)
		goto out;
	if (typed)
		tool_clear_screen(); /* the typed words off the screen */
	printf("The share (group %u, member %u of share set %u) belongs to this "
	    "envelope: its commitment matches.\n", in.shares[0].group + 1u,
	    in.shares[0].member + 1u, in.shares[0].share.identifier);
	{
		struct escrow_text b = { 0 };

		tool_describe_set(escrow_envelope_shareset(env), &b);
		tool_describe_ceremony(env, &b);
		if (b.p != NULL)
			fwrite(b.p, 1, b.len, stdout);
		escrow_text_free(&b);
	}
	printf("Compare with the fingerprint printed on your sheet:\n");
	cb_print_records(&rec);
	ret = TOOL_EXIT_OK;
out:
	if (have_rec)
		tool_records_free(&rec);
	escrow_envelope_free(env);
	cb_input_free(&in);
	return ret;
}

/* Each line of b on stdout, indented by two spaces. */
static void
print_indented(const struct escrow_text *b)
{
	const char *p = b->p, *nl;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		printf("  %.*s\n", nl != NULL ? (int)(nl - p) : (int)strlen(p), p);
		p = nl != NULL ? nl + 1 : NULL;
	}
}

int
cb_cmd_inspect(const struct cb_opts *o)
{
	int i, ret = TOOL_EXIT_OK;

	printf("read by %s\n", tool_version());
	for (i = 0; i < o->ninputs; i++) {
		struct cb_input in;
		size_t k;

		if (cb_input_init(&in) != 0)
			return TOOL_EXIT_FAIL;
		printf("%s:\n", o->inputs[i]);
		if (cb_input_file(&in, o->inputs[i]) != 0)
			ret = TOOL_EXIT_FAIL;
		if (in.chunks != NULL && in.env == NULL) {
			if (cb_input_finish_envelope(&in) != 0)
				printf("  envelope QR codes: %zu read, incomplete (see above)\n",
				    in.nchunks);
		}
		if (in.env != NULL) {
			struct escrow_envelope *env = NULL;
			struct tool_records rec;
			struct escrow_text b = { 0 };
			char when[32];

			if (escrow_envelope_parse(in.env, in.env_len, &env) == ESCROW_OK &&
			    tool_records_build(env, &rec) == 0) {
				tool_time_iso(escrow_envelope_created(env), when);
				tool_describe_set(escrow_envelope_shareset(env), &b);
				tool_describe_ceremony(env, &b);
				printf("  an escrow envelope, format version %u, created %s\n  id %s\n"
				    "  %zu share commitments, %zu key%s\n",
				    escrow_envelope_version(env), when, rec.envelope_id,
				    escrow_envelope_commitment_count(env), rec.nkeys,
				    rec.nkeys == 1 ? "" : "s");
				print_indented(&b);
				cb_print_records(&rec);
				tool_records_free(&rec);
			} else {
				ret = TOOL_EXIT_FAIL;
			}
			escrow_text_free(&b);
			escrow_envelope_free(env);
		}
		for (k = 0; k < in.nshares; k++) {
			struct cb_share *s = &in.shares[k];

			if (cb_check_share(s, NULL, 0) != 0) {
				ret = TOOL_EXIT_FAIL;
				continue;
			}
			printf("  a SLIP-0039 share (%s): share set %u, group %u of %u "
			    "(%u group%s needed), member %u (%u needed in its group), "
			    "iteration exponent %u%s; checksum good\n", s->source,
			    s->share.identifier, s->share.group_index + 1u,
			    s->share.group_count, s->share.group_threshold,
			    s->share.group_threshold == 1 ? "" : "s",
			    s->share.member_index + 1u, s->share.member_threshold,
			    s->share.iteration_exponent,
			    s->share.extendable ? ", extendable" : "");
		}
		if (in.env == NULL && in.nshares == 0 && in.chunks == NULL)
			ret = TOOL_EXIT_FAIL;
		cb_input_free(&in);
	}
	return ret;
}
