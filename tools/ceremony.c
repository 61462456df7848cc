/*
 * ceremony.c - fresh master secret, shares, envelope, records, paper,
 * HSM and transcript (see ceremony.h).  S, the passphrase, the shares and
 * the keys are secret: secret memory, wiped on every path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ceremony.h"
#include "escrow_keys.h"
#include "escrow_slip39.h"
#include "records.h"
#include "secrets.h"
#include "tool.h"
#include "version.h"

void
tool_describe_set(const struct escrow_shareset *set, struct escrow_text *b)
{
	unsigned g;

	tool_text_printf(b, "Share set %u (SLIP-0039, extendable, iteration exponent %u): ",
	    set->identifier, set->iteration_exponent);
	if (set->group_count == 1) {
		tool_text_printf(b, "%u of %u shares needed\n", set->groups[0].threshold,
		    set->groups[0].count);
		return;
	}
	tool_text_printf(b, "%u of %u groups needed;", set->group_threshold, set->group_count);
	for (g = 0; g < set->group_count; g++)
		tool_text_printf(b, " group %u: %u of %u;", g + 1, set->groups[g].threshold,
		    set->groups[g].count);
	tool_text_printf(b, "\n");
}

void
tool_describe_ceremony(const struct escrow_envelope *env, struct escrow_text *b)
{
	size_t i, n = escrow_envelope_replaced_count(env);
	char hex[ESCROW_FINGERPRINT_HEX_MAX];

	switch (escrow_envelope_passphrase(env)) {
	case ESCROW_PASSPHRASE_SET:
		tool_text_printf(b, "Passphrase: yes: the shares need the SLIP-0039 "
		    "passphrase too (the envelope records that there is one; the "
		    "passphrase itself is recorded nowhere)\n");
		break;
	case ESCROW_PASSPHRASE_NONE:
		tool_text_printf(b, "Passphrase: none (recorded in the envelope)\n");
		break;
	default:
		tool_text_printf(b, "Passphrase: not recorded (a version %u envelope does "
		    "not say whether the shares need one)\n", escrow_envelope_version(env));
	}
	if (n > 0)
		tool_text_printf(b, "Replaces %zu earlier share set%s (oldest first; their "
		    "shares are void):\n", n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		const struct escrow_envelope_replaced *r = escrow_envelope_replaced_at(env, i);

		escrow_envelope_fingerprint_hex(r->fingerprint, hex);
		tool_text_printf(b, "  share set %u, envelope fingerprint %s\n",
		    r->identifier, hex);
	}
}

/* The first qualifying subset of the shares must give S back. */
static int
recombine(const uint8_t *S, const char *pass, const struct escrow_shareset *set,
    const struct tool_shares *sh)
{
	struct escrow_slip39_share *pick;
	struct escrow_slip39_diag diag;
	unsigned taken[ESCROW_SHARESET_MAX_GROUPS] = { 0 }, groups = 0;
	uint8_t *S2;
	size_t i, n = 0, len;
	int rc;

	pick = escrow_secret_alloc(ESCROW_SLIP39_MAX_SHARES * sizeof *pick);
	S2 = escrow_secret_alloc(ESCROW_SLIP39_SECRET_MAX);
	if (pick == NULL || S2 == NULL) {
		rc = ESCROW_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < sh->n; i++) {
		unsigned g = sh->s[i].group_index;

		if ((taken[g] == 0 && groups == set->group_threshold) ||
		    taken[g] == sh->s[i].member_threshold)
			continue;
		if (taken[g]++ == 0)
			groups++;
		pick[n++] = sh->s[i];
	}
	rc = escrow_slip39_combine_shares(pick, n, pass, S2, ESCROW_SLIP39_SECRET_MAX,
	    &len, &diag);
	if (rc == ESCROW_OK && (len != 32 || !escrow_equal(S, S2, 32)))
		rc = ESCROW_ERR_DIGEST;
out:
	escrow_secret_free(pick);
	escrow_secret_free(S2);
	return rc;
}

/*
 * Build and seal the envelope, then read it back as a restore will:
 * parse, verify the MAC, unwrap every key and match it to its public key,
 * and combine a qualifying subset of the shares back to S.
 */
static int
seal(const struct tool_ceremony *c, const uint8_t *S, const char *pass,
    const struct tool_shares *sh, uint64_t created, uint8_t **bytes,
    size_t *len, struct escrow_envelope **parsed, int readback)
{
	struct escrow_envelope *env = NULL;
	uint16_t *words;
	size_t i, n;
	int rc;
	const char *step = "building the envelope";

	words = escrow_secret_alloc(ESCROW_SLIP39_WORDS_MAX * sizeof *words);
	if (words == NULL) {
		rc = ESCROW_ERR_NOMEM;
		goto fail;
	}
	if ((rc = escrow_envelope_create(&env, created, S)) != ESCROW_OK ||
	    (rc = escrow_envelope_set_shareset(env, &c->set)) != ESCROW_OK ||
	    (rc = escrow_envelope_set_ceremony(env, pass[0] != '\0' ?
	    ESCROW_PASSPHRASE_SET : ESCROW_PASSPHRASE_NONE, c->replaced,
	    c->nreplaced)) != ESCROW_OK)
		goto fail;
	for (i = 0; i < sh->n; i++)
		if ((rc = escrow_slip39_share_words(&sh->s[i], words,
		    ESCROW_SLIP39_WORDS_MAX, &n)) != ESCROW_OK ||
		    (rc = escrow_envelope_add_share(env, sh->s[i].group_index,
		    sh->s[i].member_index, words, n)) != ESCROW_OK)
			goto fail;
	for (i = 0; i < c->nkeys; i++)
		if ((rc = escrow_envelope_add_key(env, &c->keys[i].pub, c->keys[i].pkcs8,
		    c->keys[i].pkcs8_len)) != ESCROW_OK)
			goto fail;
	if ((rc = escrow_envelope_seal(env, bytes, len)) != ESCROW_OK)
		goto fail;

	step = "reading the sealed envelope back";
	if ((rc = escrow_envelope_parse(*bytes, *len, parsed)) != ESCROW_OK ||
	    (rc = escrow_envelope_verify(*parsed, S)) != ESCROW_OK)
		goto fail;
	if (!readback)
		goto done;
	/* every key unwraps with S and matches its public key */
	for (i = 0; i < c->nkeys; i++)
		if ((rc = tool_unwrap_key(*parsed, S, i, NULL, NULL, NULL)) != ESCROW_OK)
			goto fail;
	step = "recombining the shares";
	if ((rc = recombine(S, pass, &c->set, sh)) != ESCROW_OK)
		goto fail;
done:
	escrow_envelope_free(env);
	escrow_secret_free(words);
	return 0;
fail:
	tool_err("%s: %s", step, escrow_strerror(rc));
	tool_hint("nothing was written");
	escrow_envelope_free(env);
	escrow_secret_free(words);
	return -1;
}

static int
write_shares_out(const char *dir, const struct tool_shares *sh,
    struct tool_written *w, struct escrow_text *transcript)
{
	char *text, name[64];
	size_t i, len;
	int ret = -1, rc;

	if (tool_prepare_dir(dir) != 0)
		return -1;
	text = escrow_secret_alloc(ESCROW_SLIP39_MNEMONIC_MAX + 1);
	if (text == NULL) {
		tool_err("out of secure memory");
		return -1;
	}
	for (i = 0; i < sh->n; i++) {
		rc = escrow_slip39_share_encode(&sh->s[i], 0, text,
		    ESCROW_SLIP39_MNEMONIC_MAX);
		if (rc != ESCROW_OK) {
			tool_err("share %zu: %s", i + 1, escrow_strerror(rc));
			goto out;
		}
		len = strlen(text);
		text[len++] = '\n';
		snprintf(name, sizeof name, "share-%u-%u.txt", sh->s[i].group_index + 1u,
		    sh->s[i].member_index + 1u);
		rc = tool_write_tracked(w, dir, name, text, len, 0600);
		escrow_wipe(text, ESCROW_SLIP39_MNEMONIC_MAX + 1);
		if (rc != 0)
			goto out;
		tool_text_printf(transcript, "  wrote %s/%s (a share, mode 0600, asked for "
		    "with --shares-out)\n", dir, name);
	}
	ret = 0;
out:
	escrow_secret_free(text);
	return ret;
}

/*
 * Split S into the new set.  Its identifier (random) must differ from
 * every set it replaces, so that an old share is always told from a new
 * one by its first words.
 */
static int
split_fresh(struct tool_ceremony *c, const uint8_t *S, const char *pass,
    struct tool_shares *sh)
{
	size_t i, tries;

	for (tries = 0;; tries++) {
		if (tool_split(S, pass, &c->set, sh) != 0)
			return -1;
		for (i = 0; i < c->nreplaced; i++)
			if (c->replaced[i].identifier == c->set.identifier)
				break;
		if (i == c->nreplaced)
			return 0;
		tool_shares_free(sh);
		if (tries == 64) {
			tool_err("no fresh share-set identifier found");
			return -1;
		}
	}
}

/* Reshare: the new envelope's files are named after the new share set. */
static void
name_records(const struct tool_ceremony *c, struct tool_records *r)
{
	size_t n = strlen(r->base);

	if (c->name_by_set)
		snprintf(r->base + n, sizeof r->base - n, "-set%s", r->set_id);
}

int
tool_ceremony_check_names(const struct tool_ceremony *c, const struct tool_records *r)
{
	static const char *sheets[] = { "envelope.pdf", "public.pdf" };
	char name[ESCROW_DNSSEC_NAME_TEXT_MAX + 64];
	size_t i;
	unsigned g, m;
	int bad = 0;

	snprintf(name, sizeof name, "%s.escrow", r->base);
	bad |= tool_exists(c->outdir, name);
	snprintf(name, sizeof name, "%s.ds", r->base);
	bad |= tool_exists(c->outdir, name);
	snprintf(name, sizeof name, "%s-trust-anchor.xml", r->base);
	bad |= tool_exists(c->outdir, name);
	snprintf(name, sizeof name, "%s-transcript.txt", r->base);
	bad |= tool_exists(c->outdir, name);
	for (i = 0; i < r->nkeys; i++) {
		bad |= tool_exists(c->outdir, r->keys[i].keyfile);
		snprintf(name, sizeof name, "%.*s.pem", (int)(strlen(r->keys[i].keyfile) - 4),
		    r->keys[i].keyfile);
		bad |= tool_exists(c->outdir, name);
	}
	for (i = 0; c->paper.pdf && i < 2; i++)
		bad |= tool_exists(c->outdir, sheets[i]);
	for (g = 1; g <= c->set.group_count; g++) {
		for (m = 1; m <= c->set.groups[g - 1].count; m++) {
			if (c->paper.pdf) {
				snprintf(name, sizeof name, "share-%u-%u.pdf", g, m);
				bad |= tool_exists(c->outdir, name);
			}
			if (c->shares_out != NULL) {
				snprintf(name, sizeof name, "share-%u-%u.txt", g, m);
				bad |= tool_exists(c->shares_out, name);
			}
		}
	}
	if (bad)
		tool_hint("nothing was written: choose another output directory, or move "
		    "the old files away");
	else if (r->tag_collisions > 0)
		fprintf(stderr, "%s: note: %zu keys of the set share their key tag (and "
		    "owner and algorithm) with another key of it; their files are named "
		    "K<owner>+<alg>+<tag>-<key number> (see the transcript)\n", tool_name,
		    r->tag_collisions);
	return bad ? -1 : 0;
}

/*
 * Before any human step (entropy, passphrase, paper): seal a throwaway
 * envelope of the same keys with a throwaway secret, so that the names
 * this run will write are known and checked now (the real ones are
 * checked again once sealed).
 */
static int
dry_run(const struct tool_ceremony *c)
{
	struct tool_shares sh = { 0 };
	struct tool_records rec;
	struct escrow_envelope *env = NULL;
	uint8_t *S, *bytes = NULL;
	size_t len;
	int ret = -1;

	S = escrow_secret_alloc(32);
	if (S == NULL) {
		tool_err("out of secure memory (raise `ulimit -l')");
		return -1;
	}
	escrow_random(S, 32);
	{
		struct escrow_shareset set = c->set;

		if (tool_split(S, "", &set, &sh) == 0 &&
		    seal(c, S, "", &sh, (uint64_t)time(NULL), &bytes, &len, &env, 0) == 0 &&
		    tool_records_build(env, &rec) == 0) {
			name_records(c, &rec);
			ret = tool_ceremony_check_names(c, &rec);
			tool_records_free(&rec);
		}
	}
	escrow_envelope_free(env);
	free(bytes);
	tool_shares_free(&sh);
	escrow_secret_free(S);
	return ret;
}

int
tool_ceremony_run(struct tool_ceremony *c)
{
	struct tool_shares sh = { 0 };
	struct tool_records rec;
	struct tool_written written = { 0 };
	struct escrow_text transcript = { 0 }, summary = { 0 };
	struct escrow_envelope *env = NULL;
	EVP_PKEY **privs = NULL;
	uint8_t *S = NULL, *bytes = NULL;
	char *pass = NULL, when[32], name[ESCROW_DNSSEC_NAME_TEXT_MAX + 64];
	size_t i, len = 0;
	uint64_t created;
	int ret = -1, have_records = 0, paper_started = 0, complete = 0, load_failed = 0;
	int transcript_failed = 0;

	if (tool_prepare_dir(c->outdir) != 0 || dry_run(c) != 0)
		goto out;
	S = escrow_secret_alloc(32);
	if (S == NULL) {
		tool_err("out of secure memory (raise `ulimit -l')");
		goto out;
	}
	/* entropy first, then the passphrase, as the ceremony script says */
	if (tool_master_secret(S, c->entropy) != 0)
		goto out;
	pass = tool_passphrase_for(c->passphrase_file, c->interactive, 1,
	    c->passphrase_role);
	if (pass == NULL || tool_interrupted() || split_fresh(c, S, pass, &sh) != 0)
		goto out;
	created = (uint64_t)time(NULL);
	if (seal(c, S, pass, &sh, created, &bytes, &len, &env, 1) != 0)
		goto out;
	if (tool_records_build(env, &rec) != 0)
		goto out;
	have_records = 1;
	name_records(c, &rec);
	if (tool_ceremony_check_names(c, &rec) != 0)
		goto out;

	tool_time_iso(created, when);
	tool_text_printf(&transcript, "%s\n%s\nCreated: %s\nEnvelope id: %s\n"
	    "Envelope fingerprint (SHA-256): %s\nFingerprint words: %s\n",
	    tool_version(), c->title, when, rec.envelope_id, rec.fp_hex, rec.fp_words);
	if (c->note != NULL)
		tool_text_printf(&transcript, "%s", c->note);
	tool_describe_set(&c->set, &transcript);
	tool_describe_ceremony(env, &transcript);
	tool_text_printf(&transcript, "Keys (%zu):\n", rec.nkeys);
	for (i = 0; i < rec.nkeys; i++) {
		char line[1400];

		tool_records_key_summary(&rec, i, line, sizeof line);
		tool_text_printf(&transcript, "  %s\n    %s\n    %s\n", line,
		    rec.keys[i].ds256_text, rec.keys[i].ds384_text);
		if (rec.keys[i].tag_shared > 0)
			tool_text_printf(&transcript, "    key %zu of the set; its tag is shared "
			    "by %u keys of the set: file %s\n", i + 1,
			    rec.keys[i].tag_shared, rec.keys[i].keyfile);
	}
	tool_text_printf(&transcript, "Self-check: the envelope opened with the master "
	    "secret, every key unwrapped and matched its public key, and a qualifying "
	    "subset of the shares recombined to the master secret.\nFiles:\n");

	snprintf(name, sizeof name, "%s.escrow", rec.base);
	if (tool_write_tracked(&written, c->outdir, name, bytes, len, 0644) != 0)
		goto out;
	tool_text_printf(&transcript, "  wrote %s/%s (the envelope)\n", c->outdir, name);
	if (tool_records_write(&rec, c->outdir, created, &written, &transcript) != 0)
		goto out;
	if (c->shares_out != NULL &&
	    write_shares_out(c->shares_out, &sh, &written, &transcript) != 0)
		goto out;
	if (tool_interrupted())
		goto out;
	if (c->paper.pdf || c->paper.queue != NULL) {
		paper_started = c->paper.queue != NULL;
		c->paper.passphrase = pass[0] != '\0';
		tool_text_printf(&transcript, "Paper:\n");
		if (tool_paper_output(&rec, bytes, len, &c->set, &sh, &c->paper,
		    &written, &transcript) != 0)
			goto out;
	}
	if (tool_sync_dir(c->outdir) != 0 ||
	    (c->shares_out != NULL && tool_sync_dir(c->shares_out) != 0))
		goto out;
	/*
	 * The escrow is complete.  A failure to load the HSM from here on
	 * leaves it intact (load later with escrow-combine load), and the
	 * token as it was.
	 */
	if (tool_interrupted())
		goto out;
	complete = 1;
	tool_shares_free(&sh);
	if (c->token != NULL) {
		privs = calloc(c->nkeys, sizeof *privs);
		if (privs == NULL) {
			tool_err("out of memory");
			goto out;
		}
		for (i = 0; i < c->nkeys; i++)
			privs[i] = c->keys[i].pkey;
		if (tool_load(c->token, env, S, privs, &rec, &transcript) != 0) {
			load_failed = 1;
			tool_text_printf(&transcript, "Loading into the HSM FAILED; the token "
			    "was left as it was.  The escrow is complete: load the key later "
			    "with escrow-combine load.\n");
			tool_hint("the envelope and the shares are complete and valid: load "
			    "the key later with `escrow-combine load'");
		}
	}
	tool_text_printf(&transcript, "Finished; the master secret, the shares and the "
	    "private keys were wiped from memory.\n");
	snprintf(name, sizeof name, "%s-transcript.txt", rec.base);
	if (tool_write_tracked(&written, c->outdir, name, transcript.p,
	    transcript.len, 0644) != 0 || tool_sync_dir(c->outdir) != 0)
		transcript_failed = 1;

	tool_text_printf(&summary, "Envelope: %s/%s.escrow\nFingerprint: %s\n"
	    "Read aloud:  %s\n", c->outdir, rec.base, rec.fp_hex, rec.fp_words);
	tool_describe_set(&c->set, &summary);
	tool_describe_ceremony(env, &summary);
	for (i = 0; i < rec.nkeys && i < 10; i++)
		tool_text_printf(&summary, "%s\n", rec.keys[i].ds256_text);
	if (rec.nkeys > 10)
		tool_text_printf(&summary, "... %zu keys in all: see %s/%s.ds\n", rec.nkeys,
		    c->outdir, rec.base);
	tool_text_printf(&summary, "Files written:\n");
	for (i = 0; i < written.n; i++)
		tool_text_printf(&summary, "  %s\n", written.paths[i]);
	fwrite(summary.p, 1, summary.len, stdout);
	if (transcript_failed) {
		/* everything but the record of the ceremony is in place */
		tool_err("the escrow is complete and valid: the envelope, the public "
		    "records%s%s are written and checked; only the transcript "
		    "`%s/%s' could not be written (the reason is above)",
		    c->paper.pdf || c->paper.queue != NULL ? ", the sheets" : "",
		    c->shares_out != NULL ? ", the share files" : "", c->outdir, name);
		tool_hint("keep everything; free some space and save the lines above, "
		    "or `escrow-combine inspect %s/%s.escrow', as the record of the "
		    "ceremony", c->outdir, rec.base);
	}
	ret = load_failed || transcript_failed ? -1 : 0;
out:
	if (ret != 0 && !complete) {
		size_t nwritten = written.n;

		if (paper_started)
			tool_hint("sheets may already have been printed: destroy them, they "
			    "belong to a ceremony that did not finish");
		tool_written_rollback(&written);
		tool_remove_made_dirs();
		if (tool_interrupted())
			tool_err("stopped by %s: %s; nothing of this run is left in `%s'",
			    tool_signal_name(), nwritten > 0 ? "every file it wrote was "
			    "removed (named above)" : "nothing had been written yet",
			    c->outdir);
	}
	tool_written_free(&written);
	if (have_records)
		tool_records_free(&rec);
	escrow_envelope_free(env);
	free(bytes);
	free(privs);
	tool_shares_free(&sh);
	escrow_secret_free(S);
	escrow_secret_free(pass);
	escrow_text_free(&transcript);
	escrow_text_free(&summary);
	return ret;
}
