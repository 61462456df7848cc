/*
 * diskspace.c - the free-space check before any human step, and what a
 * generation ceremony writes (see diskspace.h).  The per-sheet sizes were
 * measured on real sheets (docs/FORMAT.md "Limits and sizes"): an
 * envelope page 49-61 KB, a share sheet 46-49 KB, a public-record sheet
 * 33 KB and 3-4 KB per further page; the estimates below take half as
 * much again, and more.
 *
 * Public data only.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "ceremony.h"
#include "diskspace.h"
#include "escrow_keys.h"
#include "escrow_print.h"
#include "tool.h"

#define KB 1024u
#define ENVELOPE_PAGE (80 * KB)
#define ENVELOPE_SHEET (32 * KB)  /* on top of its pages */
#define SHARE_SHEET (72 * KB)
#define PUBLIC_SHEET (48 * KB)
#define PUBLIC_PAGE (8 * KB)
#define PUBLIC_KEYS_PER_PAGE 4
#define PUBLIC_MAX_PAGES 100
#define SHARE_FILE 512

void
tool_space_init(struct tool_space *s)
{
	memset(s, 0, sizeof *s);
}

void
tool_space_add(struct tool_space *s, const char *dir, uint64_t bytes, uint64_t files,
    const char *what)
{
	size_t i, n;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->d[i].dir, dir) == 0)
			break;
	if (i == s->n) {
		if (s->n == TOOL_SPACE_DIRS)
			i = s->n - 1; /* more directories than counted: add to the last */
		else
			snprintf(s->d[s->n++].dir, sizeof s->d[0].dir, "%s", dir);
	}
	s->d[i].bytes += bytes;
	s->d[i].files += files;
	n = strlen(s->d[i].what);
	snprintf(s->d[i].what + n, sizeof s->d[i].what - n, "%s%s", n ? ", " : "", what);
}

void
tool_space_add_file(struct tool_space *s, const char *path, uint64_t bytes,
    const char *what)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else
		snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
	tool_space_add(s, dir, bytes, 1, what);
}

static void
human(uint64_t b, char out[32])
{
	if (b < 10 * KB)
		snprintf(out, 32, "%llu bytes", (unsigned long long)b);
	else if (b < 10 * (uint64_t)KB * KB)
		snprintf(out, 32, "%llu KB", (unsigned long long)((b + KB - 1) / KB));
	else
		snprintf(out, 32, "%.1f MB", (double)b / (KB * KB));
}

/* statvfs of dir, or of its nearest existing parent when it is not made yet. */
static int
fs_of(const char *dir, struct statvfs *vfs, dev_t *dev, char *at, size_t cap)
{
	struct stat st;
	char *slash;

	snprintf(at, cap, "%s", dir[0] != '\0' ? dir : ".");
	for (;;) {
		if (stat(at, &st) == 0)
			break;
		if (errno != ENOENT && errno != ENOTDIR)
			return -1;
		slash = strrchr(at, '/');
		while (slash != NULL && slash > at && slash[1] == '\0') {
			*slash = '\0'; /* a trailing slash */
			slash = strrchr(at, '/');
		}
		if (slash == NULL)
			snprintf(at, cap, ".");
		else if (slash == at)
			at[1] = '\0';
		else
			*slash = '\0';
	}
	*dev = st.st_dev;
	return statvfs(at, vfs);
}

int
tool_space_check(const struct tool_space *s)
{
	struct statvfs vfs[TOOL_SPACE_DIRS];
	dev_t dev[TOOL_SPACE_DIRS];
	char at[PATH_MAX], have[32], want[32];
	size_t i, j;
	int bad = 0;

	for (i = 0; i < s->n; i++)
		if (fs_of(s->d[i].dir, &vfs[i], &dev[i], at, sizeof at) != 0) {
			/* not knowable: the write itself will say */
			dev[i] = (dev_t)-1;
		}
	for (i = 0; i < s->n; i++) {
		uint64_t bytes = 0, files = 0, bsize, avail;

		if (dev[i] == (dev_t)-1)
			continue;
		for (j = 0; j < i; j++)
			if (dev[j] == dev[i])
				break;
		if (j < i)
			continue; /* that file system was counted with an earlier directory */
		bsize = vfs[i].f_frsize != 0 ? vfs[i].f_frsize : vfs[i].f_bsize;
		for (j = i; j < s->n; j++)
			if (dev[j] == dev[i]) {
				/* each file rounded up to a whole block, and one more */
				bytes += s->d[j].bytes + s->d[j].files * bsize;
				files += s->d[j].files;
			}
		avail = (uint64_t)vfs[i].f_bavail * bsize;
		if (bytes > avail) {
			human(avail, have);
			human(bytes, want);
			tool_err("not enough free space for this run in `%s': %s free, about %s "
			    "needed (%s)", s->d[i].dir, have, want, s->d[i].what);
			bad = 1;
		} else if (vfs[i].f_files != 0 && files > vfs[i].f_favail) {
			tool_err("not enough free inodes for this run in `%s': %llu files can "
			    "still be made there, this run writes %llu (%s)", s->d[i].dir,
			    (unsigned long long)vfs[i].f_favail, (unsigned long long)files,
			    s->d[i].what);
			bad = 1;
		}
	}
	if (bad)
		tool_hint("nothing was done: free some space there, or choose an output on "
		    "a larger disk, then run again");
	return bad ? -1 : 0;
}

void
tool_space_keys_of(const struct escrow_envelope *env, const struct tool_records *rec,
    struct tool_space_keys *k)
{
	struct escrow_envelope_key ek;
	size_t i, o;

	memset(k, 0, sizeof *k);
	k->nkeys = rec->nkeys;
	for (i = 0; i < rec->nkeys; i++) {
		if (escrow_envelope_key(env, i, &ek) != ESCROW_OK)
			continue;
		k->records += 10 + ek.label_len + ek.id_len + ek.owner_len + ek.pubkey_len +
		    ek.wrapped_len;
		if (ek.pubkey_len > k->pub)
			k->pub = ek.pubkey_len;
		o = strlen(rec->keys[i].owner) + 1;
		if (o > k->owner)
			k->owner = o;
	}
}

void
tool_space_key_bounds(int alg, unsigned bits, size_t *pkcs8, size_t *pub)
{
	switch (alg) {
	case ESCROW_ALG_RSASHA256:
	case ESCROW_ALG_RSASHA512:
		/* PKCS#8 of RSA with e = 65537: about 1217, 1793 and 2375 bytes */
		if (bits == 0)
			bits = ESCROW_KEYS_RSA_DEFAULT_BITS;
		*pkcs8 = bits / 8 * 9 / 2 + 128;
		*pub = 4 + bits / 8;
		return;
	case ESCROW_ALG_ECDSAP256SHA256: *pkcs8 = 160; *pub = 64; return;
	case ESCROW_ALG_ECDSAP384SHA384: *pkcs8 = 208; *pub = 96; return;
	case ESCROW_ALG_ED25519: *pkcs8 = 64; *pub = 32; return;
	case ESCROW_ALG_ED448: *pkcs8 = 96; *pub = 57; return;
	default:
		tool_space_key_bounds(ESCROW_ALG_RSASHA256, 4096, pkcs8, pub);
	}
}

uint64_t
tool_space_key_record(size_t label, size_t id, size_t owner, size_t pub, size_t pkcs8)
{
	return 10 + (uint64_t)label + id + owner + pub + ((pkcs8 + 7) / 8 * 8 + 8);
}

/* The shares of a set: one commitment, sheet and file each. */
static uint64_t
share_count(const struct escrow_shareset *set)
{
	uint64_t n = 0;
	unsigned g;

	for (g = 0; g < set->group_count; g++)
		n += set->groups[g].count;
	return n;
}

uint64_t
tool_space_envelope(const struct escrow_shareset *set, size_t nreplaced,
    uint64_t records)
{
	uint64_t c = share_count(set);

	return 43 + 2 * (uint64_t)set->group_count + 34 * c + 2 + 34 * (uint64_t)nreplaced +
	    records + 32;
}

uint64_t
tool_space_envelope_pdf(size_t len, enum escrow_paper_size paper)
{
	unsigned pages = 0;

	if (escrow_sheet_envelope_pages(len, paper, &pages) != ESCROW_OK || pages == 0)
		return 0; /* too large for paper: not written */
	return pages * (uint64_t)ENVELOPE_PAGE + ENVELOPE_SHEET;
}

uint64_t
tool_space_public_pdf(size_t nkeys)
{
	uint64_t pages = 1 + (nkeys + PUBLIC_KEYS_PER_PAGE - 1) / PUBLIC_KEYS_PER_PAGE;

	if (pages > PUBLIC_MAX_PAGES)
		pages = PUBLIC_MAX_PAGES;
	return PUBLIC_SHEET + pages * PUBLIC_PAGE;
}

void
tool_space_records(struct tool_space *s, const char *dir, const struct tool_space_keys *k)
{
	uint64_t n = k->nkeys, perkey = 512 + 4 * (uint64_t)k->pub + 2 * k->owner;

	/* per key a .key and a .pem; the .ds and the trust anchor */
	tool_space_add(s, dir, n * perkey + 512 + n * (256 + 2 * k->owner) + 512 +
	    n * (512 + 2 * (uint64_t)k->pub + k->owner), 2 + 2 * n, "the public records");
}

int
tool_ceremony_space(const struct tool_ceremony *c, const struct tool_space_keys *k)
{
	struct tool_space s;
	char what[96];
	uint64_t env, nshares = share_count(&c->set), n = k->nkeys, envpdf;

	env = tool_space_envelope(&c->set, c->nreplaced, k->records);
	tool_space_init(&s);
	/* the envelope; per key a .key and a .pem; the .ds and trust anchor */
	tool_space_add(&s, c->outdir, env, 1, "the envelope");
	tool_space_records(&s, c->outdir, k);
	tool_space_add(&s, c->outdir, 4096 + n * (1024 + 4 * k->owner) +
	    (3 + 2 * n + 3 + nshares * 2) * (256 + strlen(c->outdir)) + 128 * c->nreplaced,
	    1, "the transcript");
	if (c->paper.pdf) {
		envpdf = tool_space_envelope_pdf((size_t)env, c->paper.paper);
		snprintf(what, sizeof what, "%llu PDF sheets",
		    (unsigned long long)(nshares + 1 + (envpdf > 0)));
		tool_space_add(&s, c->outdir, envpdf + tool_space_public_pdf(n) +
		    nshares * SHARE_SHEET, nshares + 1 + (envpdf > 0), what);
	}
	if (c->shares_out != NULL) {
		snprintf(what, sizeof what, "%llu share files", (unsigned long long)nshares);
		tool_space_add(&s, c->shares_out, nshares * SHARE_FILE, nshares, what);
	}
	return tool_space_check(&s);
}
