/*
 * input.c - read the pieces of paper of a restore: scans, envelope files
 * (binary or text form) and text files of shares, in any mix and order.
 * Share words are secret: they go straight into the secret share array.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"
#include "escrow_paper.h"
#include "tool.h"

int
cb_input_init(struct cb_input *in)
{
	memset(in, 0, sizeof *in);
	in->shares = escrow_secret_alloc(CB_MAX_SHARES * sizeof *in->shares);
	if (in->shares == NULL) {
		tool_err("out of secure memory (raise `ulimit -l')");
		return -1;
	}
	return 0;
}

void
cb_input_free(struct cb_input *in)
{
	escrow_secret_free(in->shares);
	escrow_chunk_asm_free(in->chunks);
	free(in->env);
	memset(in, 0, sizeof *in);
}

/* Keep one envelope; a second, different one is an error. */
static int
set_envelope(struct cb_input *in, uint8_t *env, size_t len, const char *source)
{
	if (in->env != NULL) {
		int same = in->env_len == len && memcmp(in->env, env, len) == 0;

		if (!same) {
			tool_err("two different envelopes: from %s and from %s",
			    in->env_source, source);
			tool_hint("give the pieces of one envelope only");
		}
		free(env);
		return same ? 0 : -1;
	}
	in->env = env;
	in->env_len = len;
	snprintf(in->env_source, sizeof in->env_source, "%s", source);
	return 0;
}

int
cb_input_add_mnemonic(struct cb_input *in, const char *text, size_t len,
    const char *source)
{
	struct escrow_slip39_diag diag;
	struct cb_share *s;
	char *clean = NULL;
	size_t i, j = 0, start, words;
	int rc, ret = -1;

	if (in->nshares == CB_MAX_SHARES) {
		tool_err("%s: more than %d shares given", source, CB_MAX_SHARES);
		return -1;
	}
	/* drop the word numbers a copy of the sheet's grid may carry */
	clean = escrow_secret_alloc(len + 1);
	if (clean == NULL) {
		tool_err("out of secure memory");
		return -1;
	}
	for (i = 0; i < len;) {
		int numeric = 1;

		while (i < len && isspace((unsigned char)text[i]))
			i++;
		start = i;
		while (i < len && !isspace((unsigned char)text[i])) {
			if (!isdigit((unsigned char)text[i]) && text[i] != '.' &&
			    text[i] != ')' && text[i] != ':')
				numeric = 0;
			i++;
		}
		if (i == start || numeric)
			continue;
		if (j > 0)
			clean[j++] = ' ';
		memcpy(clean + j, text + start, i - start);
		j += i - start;
	}
	clean[j] = '\0';
	for (i = 0, words = 0; i < j; i++)
		words += i == 0 || clean[i - 1] == ' ';
	if (words > ESCROW_SLIP39_WORDS_MAX || j > ESCROW_SLIP39_INPUT_MAX) {
		tool_err("share from %s: %zu words (%zu characters), more than a share "
		    "has (%d to %d words): not one share", source, words, j,
		    ESCROW_SLIP39_WORDS_MIN, ESCROW_SLIP39_WORDS_MAX);
		tool_hint("put each share on its own line or in its own block (blocks "
		    "are separated by blank lines), or check that this is the file you "
		    "meant");
		in->problems++;
		goto out;
	}
	s = &in->shares[in->nshares];
	memset(s, 0, sizeof *s);
	snprintf(s->source, sizeof s->source, "%s", source);
	rc = escrow_slip39_mnemonic_parse(clean, s->words, ESCROW_SLIP39_WORDS_MAX,
	    &s->nwords, &diag);
	if (rc != ESCROW_OK) {
		if (rc == ESCROW_ERR_WORD_UNKNOWN)
			tool_err("share from %s: word %d is not a SLIP-0039 word", source,
			    diag.word + 1);
		else
			tool_err("share from %s: %s", source, escrow_strerror(rc));
		tool_hint("check that word against the sheet and type it again");
		escrow_wipe(s, sizeof *s);
		in->problems++;
		goto out;
	}
	in->nshares++;
	ret = 0;
out:
	escrow_secret_free(clean);
	return ret;
}

static int text_error(const char *path, const char *text, size_t len, int rc,
    unsigned bad);

static int
need_asm(struct cb_input *in, const char *source)
{
	if (in->chunks == NULL) {
		in->chunks = escrow_chunk_asm_new(NULL);
		if (in->chunks == NULL) {
			tool_err("out of memory");
			return -1;
		}
		snprintf(in->chunk_source, sizeof in->chunk_source, "%s", source);
	}
	return 0;
}

/* *foreign_said (optional): a page of another envelope is reported once. */
static int
add_chunk(struct cb_input *in, const uint8_t *p, size_t len, const char *source,
    int *foreign_said)
{
	int rc;

	if (need_asm(in, source) != 0)
		return -1;
	rc = escrow_chunk_asm_add(in->chunks, p, len);
	if (rc == ESCROW_ERR_CHUNK_FOREIGN && foreign_said != NULL &&
	    *foreign_said)
		return 0;
	if (rc != ESCROW_OK) {
		tool_err("envelope chunk from %s: %s", source, escrow_strerror(rc));
		if (rc == ESCROW_ERR_CHUNK_FOREIGN) {
			tool_hint("that page belongs to another envelope: leave it out "
			    "(its other codes are ignored without a word)");
			if (foreign_said != NULL)
				*foreign_said = 1;
		}
		in->problems++;
		return rc == ESCROW_ERR_CHUNK_FOREIGN ? 0 : -1;
	}
	in->nchunks++;
	return 0;
}

/* Typed lines for just the QR codes that could not be read. */
static int
add_typed_lines(struct cb_input *in, const char *path, const char *text,
    size_t len)
{
	char source[CB_SOURCE_MAX];
	unsigned bad = 0;
	int rc;

	snprintf(source, sizeof source, "`%s' (typed lines)", path);
	if (need_asm(in, source) != 0)
		return -1;
	rc = escrow_chunk_asm_add_text(in->chunks, text, len, &bad);
	if (rc != ESCROW_OK)
		return text_error(path, text, len, rc, bad);
	in->typed_partial = 1;
	return 0;
}

/* A typed envelope text that does not decode: name the right line for
 * each kind of fault, and every line that fails its check. */
static int
text_error(const char *path, const char *text, size_t len, int rc,
    unsigned bad)
{
	unsigned lines[16];
	size_t n = 0, i;

	if (rc == ESCROW_ERR_LINE_CHECKSUM && bad == 0) {
		tool_err("`%s': envelope text, the header line (the first): a typing "
		    "error in BYTES, LINES or its check", path);
		tool_hint("copy the first line of the typed copy exactly");
		return -1;
	}
	if (rc == ESCROW_ERR_LINE_CHECKSUM &&
	    escrow_textform_bad_lines(text, len, lines, 16, &n) == ESCROW_OK &&
	    n > 0) {
		fprintf(stderr, "%s: `%s': typing error%s on envelope text line%s",
		    tool_name, path, n == 1 ? "" : "s", n == 1 ? "" : "s");
		for (i = 0; i < n && i < 16; i++)
			fprintf(stderr, "%s %u", i ? "," : "", lines[i]);
		fprintf(stderr, "%s\n", n > 16 ? ", ..." : "");
		tool_hint("compare each of these lines, character by character, with "
		    "the envelope sheet (0/O, 1/I, 8/B are not in the alphabet)");
		return -1;
	}
	if (rc == ESCROW_ERR_DIGEST_MISMATCH) {
		tool_err("`%s': envelope text, the SHA256 line (line %u): it does not "
		    "match the data lines above it", path, bad);
		tool_hint("check the SHA256 line against the sheet; if it is right, "
		    "a data line holds an error its check did not catch: retype them");
		return -1;
	}
	if (bad == 0 && (rc == ESCROW_ERR_FORMAT || rc == ESCROW_ERR_TRUNCATED)) {
		tool_err("`%s': envelope text, the header line (the first): it must "
		    "read ESCROW-ENVELOPE V1 BYTES <n> LINES <m>, m = n / 20 rounded up",
		    path);
		tool_hint("copy the first line of the typed copy exactly");
		return -1;
	}
	if (bad > 0)
		tool_err("`%s': envelope text, line %u: %s", path, bad,
		    escrow_strerror(rc));
	else
		tool_err("`%s': envelope text: %s", path, escrow_strerror(rc));
	tool_hint("compare that line with the envelope sheet and correct it");
	return -1;
}

/* A text file: the envelope's text form, chunk payloads, or shares. */
static int
read_text(struct cb_input *in, const char *path, const char *text, size_t len)
{
	char source[CB_SOURCE_MAX];
	size_t pos = 0, line = 1;

	if (strstr(text, "ESCROW-ENVELOPE") != NULL ||
	    strstr(text, "escrow-envelope") != NULL) {
		uint8_t *env = NULL;
		size_t env_len;
		unsigned bad = 0;
		int rc = escrow_textform_decode(text, len, &env, &env_len, &bad);

		/* only some lines (those of QR codes that cannot be read), or
		 * no SHA256 line: they join the scanned chunks */
		if (rc == ESCROW_ERR_CHUNK_MISSING ||
		    (rc == ESCROW_ERR_TRUNCATED && bad > 0))
			return add_typed_lines(in, path, text, len);
		if (rc != ESCROW_OK)
			return text_error(path, text, len, rc, bad);
		snprintf(source, sizeof source, "`%s' (typed envelope)", path);
		return set_envelope(in, env, env_len, source);
	}
	/*
	 * Shares: blocks separated by blank lines.  In a block whose every
	 * line holds 20 or more words, each line is a share; otherwise the
	 * block is one share (a copy of a sheet's grid).
	 */
	while (pos < len) {
		size_t bstart, bend, p, first = line, lines = 0, words_min = (size_t)-1;
		int ret = 0;

		/* skip blank lines */
		while (pos < len) {
			size_t e = pos;
			int blank = 1;

			while (e < len && text[e] != '\n') {
				if (!isspace((unsigned char)text[e]))
					blank = 0;
				e++;
			}
			if (!blank)
				break;
			pos = e < len ? e + 1 : e;
			line++;
		}
		if (pos >= len)
			break;
		first = line;
		bstart = pos;
		/* the block runs to the next blank line */
		for (p = pos; p < len;) {
			size_t e = p, w = 0;
			int inword = 0, blank = 1;

			while (e < len && text[e] != '\n') {
				if (!isspace((unsigned char)text[e])) {
					blank = 0;
					if (!inword)
						w++;
					inword = 1;
				} else {
					inword = 0;
				}
				e++;
			}
			if (blank)
				break;
			if (strncmp(text + p, "ESCROW-E1:", 10) == 0) {
				snprintf(source, sizeof source, "`%s' line %zu", path, line);
				size_t q = e;
				while (q > p && isspace((unsigned char)text[q - 1]))
					q--;
				if (add_chunk(in, (const uint8_t *)text + p, q - p, source,
				    NULL) != 0)
					ret = -1;
				w = (size_t)-1;
			}
			if (w < words_min)
				words_min = w;
			lines++;
			line++;
			p = e < len ? e + 1 : e;
		}
		bend = p;
		pos = p;
		if (words_min == (size_t)-1)
			continue; /* only chunk lines */
		if (words_min >= ESCROW_SLIP39_WORDS_MIN) {
			size_t q = bstart, l = first;

			while (q < bend) {
				size_t e = q;

				while (e < bend && text[e] != '\n')
					e++;
				snprintf(source, sizeof source, "`%s' line %zu", path, l);
				if (strncmp(text + q, "ESCROW-E1:", 10) != 0 &&
				    cb_input_add_mnemonic(in, text + q, e - q, source) != 0)
					ret = -1;
				q = e + 1;
				l++;
			}
		} else {
			snprintf(source, sizeof source, "`%s' lines %zu-%zu", path, first,
			    first + lines - 1);
			if (cb_input_add_mnemonic(in, text + bstart, bend - bstart, source) != 0)
				ret = -1;
		}
		if (ret != 0)
			return -1;
	}
	return 0;
}

/* Long PDF scans say where they are (every page from the 10th on). */
static void
scan_progress(void *arg, unsigned page, unsigned pages)
{
	if (pages >= 10)
		fprintf(stderr, "%s: scanning `%s': page %u of %u\r%s", tool_name,
		    (const char *)arg, page, pages, page == pages ? "\n" : "");
}

static int
read_scan(struct cb_input *in, const char *path)
{
	struct escrow_scan_result res;
	char source[CB_SOURCE_MAX];
	size_t i, p;
	int rc, ret = 0, foreign_said = 0;

	memset(&res, 0, sizeof res);
	rc = escrow_scan_file_progress(path, NULL, scan_progress,
	    (void *)(uintptr_t)path, &res);
	if (rc == ESCROW_ERR_TOO_LARGE && res.file_pages > 1) {
		tool_err("`%s': a PDF of %u pages; at most %u pages are scanned from "
		    "one file", path, res.file_pages, ESCROW_SCAN_PDF_MAX_PAGES);
		tool_hint("give the share sheets and the envelope pages as separate, "
		    "smaller files");
		escrow_scan_result_free(&res);
		in->problems++;
		return -1;
	}
	if (rc != ESCROW_OK) {
		tool_err("`%s': %s", path, escrow_strerror(rc));
		if (rc == ESCROW_ERR_TOO_LARGE)
			tool_hint("the image is over 40 M pixels: scan at 300 dpi");
		if (rc == ESCROW_ERR_NO_SYMBOL)
			tool_hint("rescan the page at 300 dpi, flat, with all of the code "
			    "visible; for a share sheet whose code cannot be read, type its "
			    "words (20 or 33) into a text file, one share a line, and give "
			    "that file instead (a typed-text page of the envelope sheets has "
			    "no code: leave it out, its QR pages carry the same data)");
		escrow_scan_result_free(&res);
		in->problems++;
		return -1;
	}
	for (p = 0; p < res.npages; p++)
		if (res.pages[p].symbols == 0)
			fprintf(stderr, "%s: `%s' page %u: no QR code (expected on the "
			    "envelope's typed-text pages; otherwise rescan that page, or "
			    "if it is a share sheet type its words)\n",
			    tool_name, path, res.pages[p].page);
	for (i = 0; i < res.count; i++) {
		const struct escrow_scan_payload *it = &res.items[i];

		snprintf(source, sizeof source, "`%s' page %u", path, it->page);
		switch (escrow_payload_classify(it->data, it->len)) {
		case ESCROW_PAYLOAD_SHARE:
			if (cb_input_add_mnemonic(in, (const char *)it->data, it->len,
			    source) != 0)
				ret = -1;
			break;
		case ESCROW_PAYLOAD_CHUNK:
			if (add_chunk(in, it->data, it->len, source, &foreign_said) != 0)
				ret = -1;
			break;
		default:
			fprintf(stderr, "%s: %s: a QR code that is not escrow's: ignored\n",
			    tool_name, source);
			break;
		}
	}
	escrow_scan_result_free(&res);
	return ret;
}

static int
is_image(const uint8_t *b, size_t len)
{
	return (len >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0) ||
	    (len >= 2 && b[0] == 'P' && (b[1] == '5' || b[1] == '6')) ||
	    (len >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff) ||
	    (len >= 5 && memcmp(b, "%PDF-", 5) == 0);
}

static int
is_text(const uint8_t *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] == 0 || (b[i] < 32 && b[i] != '\n' && b[i] != '\r' &&
		    b[i] != '\t'))
			return 0;
	return 1;
}

/* The first bytes of a file, to tell a scan from the rest; 0 or -1. */
static int
peek(const char *path, uint8_t *head, size_t cap, size_t *got, off_t *size)
{
	struct stat st;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*got = 0;
	*size = -1;
	if (fd < 0) {
		tool_err("cannot open `%s': %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		/* a pipe is read once, whole, by the caller */
		close(fd);
		return 0;
	}
	*size = st.st_size;
	do
		r = read(fd, head, cap);
	while (r < 0 && errno == EINTR);
	close(fd);
	if (r < 0) {
		tool_err("cannot read `%s': %s", path, strerror(errno));
		return -1;
	}
	*got = (size_t)r;
	return 0;
}

/* An envelope's magic, or the start of it: a cut-off envelope file. */
static int
is_envelope_start(const uint8_t *b, size_t len)
{
	static const uint8_t magic[] = "ESCROWEV";

	return len > 0 && memcmp(b, magic, len < 8 ? len : 8) == 0;
}

/* How many words a text has (word numbers left out), and how many of
 * them are SLIP-0039 words.  The text may be secret: the copy is wiped. */
static void
count_words(const char *text, size_t len, size_t *words, size_t *known)
{
	char w[ESCROW_SLIP39_WORD_MAX + 8];
	size_t i = 0, start, n, j;
	int num;

	*words = *known = 0;
	while (i < len) {
		while (i < len && isspace((unsigned char)text[i]))
			i++;
		start = i;
		num = 1;
		while (i < len && !isspace((unsigned char)text[i])) {
			if (!isdigit((unsigned char)text[i]) && strchr(".):", text[i]) == NULL)
				num = 0;
			i++;
		}
		n = i - start;
		if (n == 0 || num)
			continue;
		(*words)++;
		if (n < sizeof w) {
			for (j = 0; j < n; j++)
				w[j] = text[start + j];
			w[n] = '\0';
			if (escrow_slip39_word_lookup(w) >= 0)
				(*known)++;
		}
	}
	escrow_wipe(w, sizeof w);
}

int
cb_input_file(struct cb_input *in, const char *path)
{
	return cb_input_file_as(in, path, "input");
}

int
cb_input_file_as(struct cb_input *in, const char *path, const char *role)
{
	struct escrow_envelope *env = NULL;
	struct stat st;
	uint8_t *buf, *copy, head[16];
	size_t len, got, words, known;
	off_t size;
	int rc, ret, secret;

	if (stat(path, &st) != 0) {
		tool_err("%s `%s': cannot open it: %s", role, path, strerror(errno));
		tool_hint("check the name: a scan, the envelope file, or a text file of "
		    "shares");
		in->problems++;
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		tool_err("%s `%s' is a directory, not a share, scan or envelope file", role,
		    path);
		tool_hint("name the files in it (for instance `%s'/*)", path);
		in->problems++;
		return -1;
	}
	/*
	 * A scan goes to the scanner by path, which reads and checks it
	 * itself (up to its own limits, such as a 600-dpi A4 PPM of 104 MB);
	 * everything else is read here.
	 */
	if (peek(path, head, sizeof head, &got, &size) != 0) {
		in->problems++;
		return -1;
	}
	if (is_image(head, got))
		return read_scan(in, path);
	/* text of shares is secret: files of a size text can have (and
	 * pipes) are read into secret memory; a larger one is an envelope
	 * or nothing */
	secret = size <= CB_TEXT_MAX;
	buf = secret ? tool_read_file_secret(path, &len, CB_TEXT_MAX) :
	    tool_read_file(path, &len, CB_ENVELOPE_MAX);
	if (buf == NULL) {
		in->problems++;
		return -1;
	}
	ret = -1;
	if (len == 0) {
		tool_err("%s `%s' is empty: neither a share nor an envelope", role, path);
		tool_hint("name the scan or text file that holds the share or the envelope");
		goto done;
	}
	if (size < 0 && is_image(buf, len)) {
		tool_err("%s `%s': a scan is read from a file, not from a pipe", role, path);
		tool_hint("save the scan to a file and give that");
		goto done;
	}
	rc = escrow_envelope_parse(buf, len, &env);
	if (rc == ESCROW_OK) {
		char source[CB_SOURCE_MAX];

		escrow_envelope_free(env);
		snprintf(source, sizeof source, "`%s'", path);
		if (!secret)
			return set_envelope(in, buf, len, source);
		copy = malloc(len);
		if (copy == NULL) {
			tool_err("`%s': out of memory", path);
			goto done;
		}
		memcpy(copy, buf, len);
		escrow_secret_free(buf);
		return set_envelope(in, copy, len, source);
	}
	if (is_envelope_start(buf, len)) {
		/* "ESCROWE" is printable: it must not be read as share words */
		tool_err("%s `%s' is a damaged envelope file (%zu bytes): %s", role, path,
		    len, escrow_strerror(rc));
		tool_hint("%s", rc == ESCROW_ERR_TRUNCATED ? "the file is cut short: copy "
		    "it again from another copy of the envelope, or give the envelope "
		    "sheets" : "use another copy of the envelope, or the envelope sheets");
		goto done;
	}
	if (!is_text(buf, len)) {
		tool_err("%s `%s' is neither an envelope, nor a scan (PNG, PNM, JPEG, PDF), "
		    "nor text: %s", role, path, escrow_strerror(rc));
		goto done;
	}
	if (strstr((const char *)buf, "ESCROW-") == NULL &&
	    strstr((const char *)buf, "escrow-envelope") == NULL) {
		count_words((const char *)buf, len, &words, &known);
		if (words == 0 || known * 2 < words) {
			if (words == 0)
				tool_err("%s `%s' holds no words: neither a share nor an envelope",
				    role, path);
			else
				tool_err("%s `%s' is neither a share nor an envelope: %zu of its "
				    "%zu words are not SLIP-0039 words", role, path, words - known,
				    words);
			tool_hint("a share is 33 SLIP-0039 words; the envelope is a .escrow "
			    "file, its typed text form (ESCROW-ENVELOPE ...) or scans of its "
			    "sheets");
			goto done;
		}
	}
	ret = read_text(in, path, (const char *)buf, len);
done:
	if (secret) {
		escrow_secret_free(buf);
	} else {
		escrow_wipe(buf, len);
		free(buf);
	}
	if (ret != 0)
		in->problems++;
	return ret;
}

int
cb_input_envelope_file(struct cb_input *in, const char *path)
{
	int ret = cb_input_file_as(in, path, "--envelope (the envelope)");

	if (ret == 0 && in->env == NULL && in->chunks == NULL) {
		tool_err("--envelope `%s': no envelope found in it (it holds %s)", path,
		    in->nshares > 0 ? "a share" : "nothing escrow reads");
		tool_hint("name the .escrow file, its typed text form, or scans of the "
		    "envelope sheets");
		return -1;
	}
	return ret;
}

int
cb_input_finish_envelope(struct cb_input *in)
{
	uint8_t *env = NULL;
	size_t len, nmissing = 0, i;
	unsigned missing[32];
	int rc;

	if (in->chunks == NULL)
		return 0;
	rc = escrow_chunk_asm_finish(in->chunks, &env, &len, missing, 32, &nmissing);
	if (rc == ESCROW_ERR_CHUNK_MISSING) {
		unsigned have = 0, total = 0, lo, hi;
		size_t elen = escrow_chunk_asm_env_len(in->chunks);

		if (in->env != NULL)
			return 0; /* the envelope came whole from elsewhere */
		escrow_chunk_asm_parity(in->chunks, &have, &total);
		fprintf(stderr, "%s: the envelope's QR codes are incomplete: %zu "
		    "chunk%s missing%s:\n", tool_name, nmissing,
		    nmissing == 1 ? "" : "s", in->typed_partial ?
		    " (neither scanned nor typed)" : "");
		for (i = 0; i < nmissing && i < 32; i++) {
			escrow_chunk_lines(elen, missing[i], &lo, &hi);
			fprintf(stderr, "  chunk %u: envelope page %u, typed lines "
			    "%u-%u\n", missing[i], escrow_chunk_page(elen, missing[i]),
			    lo, hi);
		}
		if (nmissing > 32)
			fprintf(stderr, "  ... and %zu more\n", nmissing - 32);
		if (total > 0)
			fprintf(stderr, "  %u of the %u parity codes were read (envelope "
			    "page %u): %zu more codes, data or parity, are needed\n",
			    have, total, escrow_chunk_page(elen, 0), nmissing - have);
		tool_hint("scan the missing envelope pages too, or type the first line "
		    "of the typed copy and just the lines named above into a text "
		    "file and give it with the scans");
		return -1;
	}
	if (rc == ESCROW_ERR_TRUNCATED) {
		tool_err("the typed envelope lines have no SHA256 line and no QR code "
		    "was scanned: nothing says which envelope they are");
		tool_hint("type the SHA256 line too, or give the scans of the other "
		    "pages");
		return -1;
	}
	if (rc != ESCROW_OK) {
		tool_err("assembling the envelope from the scanned QR codes (%s ...): %s",
		    in->chunk_source, escrow_strerror(rc));
		return -1;
	}
	return set_envelope(in, env, len, "the scanned envelope sheets");
}

int
cb_input_gather(struct cb_input *in, const char *envelope, char **inputs, int n)
{
	int i, bad = 0;

	if (cb_input_init(in) != 0)
		return -1;
	if (envelope != NULL && cb_input_envelope_file(in, envelope) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (cb_input_file(in, inputs[i]) != 0)
			bad++;
	if (bad > 0)
		fprintf(stderr, "%s: %d input%s had problems (named above); going on with "
		    "the rest\n", tool_name, bad, bad == 1 ? "" : "s");
	return 0;
}
