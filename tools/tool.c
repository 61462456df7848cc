/*
 * tool.c - messages, files and terminal prompts shared by the tools
 * (see tool.h).  Secrets read here go straight into secret memory; the
 * terminal's echo is restored on every path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "secrets.h"
#include "tool.h"

const char *tool_name = "escrow";

static void
vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s%s", prefix, prefix[0] == ' ' ? "" : ": ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
tool_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(tool_name, fmt, ap);
	va_end(ap);
}

void
tool_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("  -> ", fmt, ap);
	va_end(ap);
}

int
tool_parse_uint(const char *s, unsigned long min, unsigned long max,
    unsigned long *out)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

uint8_t *
tool_read_file(const char *path, size_t *len, size_t max)
{
	FILE *f;
	uint8_t *buf = NULL, *nb;
	size_t cap = 0, n = 0, got;

	f = fopen(path, "rb");
	if (f == NULL) {
		tool_err("cannot open `%s': %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n + 65536 + 1 > cap) {
			cap = (n + 65536 + 1) * 2;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				tool_err("`%s': out of memory", path);
				goto fail;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, 65536, f);
		n += got;
		if (n > max) {
			tool_err("`%s' is larger than %zu bytes: not an escrow file?", path, max);
			goto fail;
		}
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		tool_err("cannot read `%s': %s", path, strerror(errno));
		goto fail;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
}

char *
tool_read_secret_file(const char *path, const char *what, size_t max)
{
	struct stat st;
	char *s;
	int fd;
	size_t n = 0;
	ssize_t r;

	s = escrow_secret_alloc(max + 1);
	if (s == NULL) {
		tool_err("out of secure memory reading `%s'", path);
		return NULL;
	}
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		tool_err("cannot open %s `%s': %s", what, path, strerror(errno));
		goto fail;
	}
	/* as ssh with a private key: a secret others can read is refused
	 * (a pipe or terminal is private to whoever holds it) */
	if (fstat(fd, &st) != 0) {
		tool_err("cannot examine %s `%s': %s", what, path, strerror(errno));
		close(fd);
		goto fail;
	}
	if (S_ISREG(st.st_mode) && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		tool_err("%s `%s' is accessible by group or others (mode %04o): "
		    "refusing to use it", what, path, (unsigned)(st.st_mode & 07777));
		tool_hint("run `chmod 600 %s' (and consider the secret seen: change "
		    "it if others could read the file)", path);
		close(fd);
		goto fail;
	}
	while (n < max && (r = read(fd, s + n, max - n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			tool_err("cannot read %s `%s': %s", what, path, strerror(errno));
			close(fd);
			goto fail;
		}
		n += (size_t)r;
	}
	close(fd);
	s[n] = '\0';
	s[strcspn(s, "\r\n")] = '\0';
	return s;
fail:
	escrow_secret_free(s);
	return NULL;
}

int
tool_harden(void)
{
	void *probe;

	if (escrow_harden_process() != ESCROW_OK) {
		tool_err("cannot harden the process (core dumps off, umask 077)");
		return TOOL_EXIT_FAIL;
	}
	/* a failed mlock is silent in libsodium: find out now, warn once,
	 * and again at exit if it first happens later (limit exhausted) */
	probe = escrow_secret_alloc(1);
	escrow_secret_free(probe);
	tool_secret_check();
	atexit(tool_secret_check);
	return 0;
}

int
tool_have_tty(void)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* Read a line from the terminal into buf; echo off when secret. */
static int
tty_line(const char *prompt, char *buf, size_t cap, int secret)
{
	struct termios old, quiet;
	int fd, ret = -1, restore = 0;
	size_t n = 0;
	char c;
	ssize_t r;

	fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, prompt, strlen(prompt)) < 0)
		goto out;
	if (secret && tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		if (tcsetattr(fd, TCSADRAIN, &quiet) == 0)
			restore = 1;
	}
	for (;;) {
		r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			goto out;
		if (c == '\n' || c == '\r')
			break;
		if (n + 1 < cap)
			buf[n++] = c;
	}
	buf[n] = '\0';
	ret = 0;
out:
	c = 0;
	if (restore) {
		tcsetattr(fd, TCSADRAIN, &old);
		if (write(fd, "\n", 1) < 0)
			ret = -1;
	}
	close(fd);
	if (ret != 0 && cap > 0)
		escrow_wipe(buf, cap);
	return ret;
}

char *
tool_prompt_secret(const char *prompt, size_t max)
{
	char *s = escrow_secret_alloc(max + 1);

	if (s == NULL)
		return NULL;
	if (tty_line(prompt, s, max + 1, 1) != 0) {
		escrow_secret_free(s);
		return NULL;
	}
	return s;
}

int
tool_prompt_secret_into(char *buf, size_t cap, const char *prompt)
{
	return tty_line(prompt, buf, cap, 1);
}

int
tool_prompt_line(const char *prompt, char *buf, size_t cap)
{
	return tty_line(prompt, buf, cap, 0);
}

int
tool_confirm(const char *question)
{
	char ans[16];
	char prompt[512];

	snprintf(prompt, sizeof prompt, "%s [y/N] ", question);
	if (tool_prompt_line(prompt, ans, sizeof ans) != 0)
		return 0;
	return ans[0] == 'y' || ans[0] == 'Y';
}

/* mkdir -p, each new directory 0700 */
static int
mkdirs(const char *dir)
{
	char path[4096];
	size_t i, n = strlen(dir);

	if (n == 0 || n >= sizeof path)
		return -1;
	memcpy(path, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			return -1;
		path[i] = i == n ? '\0' : '/';
	}
	return 0;
}

int
tool_prepare_dir(const char *dir)
{
	struct stat st;

	if (mkdirs(dir) != 0) {
		tool_err("cannot create directory `%s': %s", dir, strerror(errno));
		return -1;
	}
	if (lstat(dir, &st) != 0) {
		tool_err("cannot examine `%s': %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		tool_err("`%s' is not a directory", dir);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		tool_err("directory `%s' belongs to another user (uid %u)", dir,
		    (unsigned)st.st_uid);
		tool_hint("use a directory of your own");
		return -1;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		tool_err("directory `%s' is writable by others (mode %03o)", dir,
		    (unsigned)(st.st_mode & 0777));
		tool_hint("run `chmod go-w %s' or choose a private directory", dir);
		return -1;
	}
	return 0;
}

int
tool_write_new(const char *dir, const char *name, const void *data,
    size_t len, int mode)
{
	char path[4096];
	const uint8_t *p = data;
	int fd, n;
	size_t done = 0;
	ssize_t w;

	n = dir != NULL ? snprintf(path, sizeof path, "%s/%s", dir, name) :
	    snprintf(path, sizeof path, "%s", name);
	if (n < 0 || (size_t)n >= sizeof path) {
		tool_err("path too long: `%s'", name);
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0) {
		if (errno == EEXIST) {
			tool_err("`%s' already exists: refusing to overwrite it", path);
			tool_hint("choose another output directory, or move the old file away");
		} else {
			tool_err("cannot create `%s': %s", path, strerror(errno));
		}
		return -1;
	}
	while (done < len) {
		w = write(fd, p + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		done += (size_t)w;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	tool_write_error(path, errno);
	if (fd >= 0)
		close(fd);
	unlink(path);
	return -1;
}

void
tool_write_error(const char *path, int err)
{
	if (err == ENOSPC || err == EDQUOT) {
		tool_err("cannot write `%s': no space left on the device%s", path,
		    err == EDQUOT ? " (disk quota reached)" : "");
		tool_hint("free some space there, or choose an output directory on "
		    "another device, and run again");
	} else {
		tool_err("cannot write `%s': %s", path, strerror(err));
	}
}

int
tool_sync_dir(const char *dir)
{
	int fd, err;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		tool_err("cannot open directory `%s' to sync it: %s", dir, strerror(errno));
		return -1;
	}
	if (fsync(fd) != 0 && errno != EINVAL) {
		err = errno;
		close(fd);
		tool_write_error(dir, err);
		return -1;
	}
	close(fd);
	return 0;
}

int
tool_exists(const char *dir, const char *name)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (lstat(path, &st) != 0)
		return 0;
	tool_err("`%s' already exists: refusing to overwrite it", path);
	return 1;
}

void
tool_hex(const uint8_t *in, size_t len, char *out, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

void
tool_buf_printf(struct tool_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *np;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p == NULL ? NULL : b->p + b->len,
		    b->p == NULL ? 0 : b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			abort();
		if (b->p != NULL && (size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		np = realloc(b->p, b->cap + (size_t)n + 4096);
		if (np == NULL) {
			fprintf(stderr, "%s: out of memory\n", tool_name);
			exit(TOOL_EXIT_FAIL);
		}
		b->p = np;
		b->cap += (size_t)n + 4096;
	}
}

void
tool_buf_free(struct tool_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
