/*
 * tool.c - messages, files and terminal prompts shared by the tools
 * (see tool.h).  Secrets read here go straight into secret memory; the
 * terminal's echo is restored on every path.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "tool.h"

const char *tool_name = "escrow";

/* The signal that asked us to stop (SIGINT, SIGTERM, SIGHUP), or 0. */
static volatile sig_atomic_t stop_signal;
/* set while a prompt waits for the terminal; quit_outside: exit at once
 * on a signal that comes when no prompt is waiting */
static volatile sig_atomic_t prompting;
static int quit_outside;

static void
on_stop_signal(int sig)
{
	stop_signal = sig;
	if (quit_outside && !prompting)
		_exit(128 + sig); /* secrets live only in this process's memory */
}

void
tool_catch_signals(int quit_unless_prompting)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	quit_outside = quit_unless_prompting;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a blocked read returns EINTR */
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

int
tool_interrupted(void)
{
	return stop_signal;
}

const char *
tool_signal_name(void)
{
	switch (stop_signal) {
	case SIGINT: return "Ctrl-C (SIGINT)";
	case SIGTERM: return "SIGTERM";
	case SIGHUP: return "the terminal closing (SIGHUP)";
	default: return "a signal";
	}
}

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

/* a buffer of either kind: secret memory, or malloc wiped before free */
static void *
buf_alloc(size_t n, int secret)
{
	return secret ? escrow_secret_alloc(n) : malloc(n);
}

static void
buf_drop(void *p, size_t cap, int secret)
{
	if (secret) {
		escrow_secret_free(p);
	} else if (p != NULL) {
		escrow_wipe(p, cap);
		free(p);
	}
}

/*
 * Read a whole file with read(2) (no stdio buffer left behind), into a
 * buffer sized by fstat; a file that grows while read is followed by
 * copy-and-wipe (never realloc, which leaves the old copy unwiped).
 */
static uint8_t *
read_all(const char *path, size_t *len, size_t max, int secret)
{
	struct stat st;
	uint8_t *buf = NULL, *nb;
	size_t cap, n = 0;
	ssize_t got;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		tool_err("cannot open `%s': %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		tool_err("cannot examine `%s': %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
		tool_err("`%s' is larger than %zu bytes: not an escrow file?", path, max);
		close(fd);
		return NULL;
	}
	/* room for the NUL and one byte more, to see the end without growing */
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 2 : 65536;
	buf = buf_alloc(cap, secret);
	if (buf == NULL)
		goto nomem;
	for (;;) {
		if (n + 1 >= cap) {
			if (cap > max + 1) {
				tool_err("`%s' is larger than %zu bytes: not an escrow file?",
				    path, max);
				goto fail;
			}
			nb = buf_alloc(cap * 2, secret);
			if (nb == NULL)
				goto nomem;
			memcpy(nb, buf, n);
			buf_drop(buf, cap, secret);
			buf = nb;
			cap *= 2;
		}
		got = read(fd, buf + n, cap - 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			tool_err("cannot read `%s': %s", path, strerror(errno));
			goto fail;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max) {
			tool_err("`%s' is larger than %zu bytes: not an escrow file?", path, max);
			goto fail;
		}
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
nomem:
	tool_err("`%s': out of %smemory", path, secret ? "secure " : "");
fail:
	buf_drop(buf, cap, secret);
	close(fd);
	return NULL;
}

uint8_t *
tool_read_file(const char *path, size_t *len, size_t max)
{
	return read_all(path, len, max, 0);
}

uint8_t *
tool_read_file_secret(const char *path, size_t *len, size_t max)
{
	return read_all(path, len, max, 1);
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

void
tool_secret_check(void)
{
	static int warned;
	struct rlimit rl;
	char lim[64];

	if (warned || escrow_secret_unlocked_count() == 0)
		return;
	warned = 1;
	if (getrlimit(RLIMIT_MEMLOCK, &rl) != 0)
		snprintf(lim, sizeof lim, "unknown");
	else if (rl.rlim_cur == RLIM_INFINITY)
		snprintf(lim, sizeof lim, "unlimited");
	else
		snprintf(lim, sizeof lim, "%llu KB", (unsigned long long)rl.rlim_cur / 1024);
	tool_err("warning: secret memory could not be locked into RAM (mlock failed; "
	    "the locked-memory limit, `ulimit -l', is %s): secrets may reach swap", lim);
	tool_hint("raise the limit (`ulimit -l 65536', or memlock in "
	    "/etc/security/limits.conf) or work on a machine without swap, "
	    "as the kiosk is");
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

	if (stop_signal)
		return -1;
	fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	prompting = 1;
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
		if (r < 0 && errno == EINTR && !stop_signal)
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
	prompting = 0;
	if (ret != 0 && cap > 0)
		escrow_wipe(buf, cap);
	return ret;
}

int
tool_prompt_masked(const char *prompt, char *buf, size_t cap, const char *allowed,
    size_t *count)
{
	struct termios old, raw;
	int fd, ret = -1, restore = 0;
	size_t n = 0;
	char c;
	ssize_t r;

	*count = 0;
	if (stop_signal || cap == 0)
		return -1;
	fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	prompting = 1;
	if (tcgetattr(fd, &old) == 0) {
		raw = old;
		raw.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		if (tcsetattr(fd, TCSADRAIN, &raw) == 0)
			restore = 1;
	}
	if (write(fd, prompt, strlen(prompt)) < 0)
		goto out;
	for (;;) {
		r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR && !stop_signal)
			continue;
		if (r <= 0)
			goto out;
		if (c == '\n' || c == '\r')
			break;
		if (c == 4 && n == 0) /* Ctrl-D on an empty line: end of input */
			goto out;
		if ((c == 0x7f || c == 8) && n > 0) {
			if (buf[--n] != ' ')
				(*count)--;
			if (write(fd, "\b \b", 3) < 0)
				goto out;
			continue;
		}
		if (c == ' ' || c == '\t') {
			if (n + 1 < cap)
				buf[n++] = ' ';
			if (write(fd, " ", 1) < 0)
				goto out;
			continue;
		}
		if (c == 0 || strchr(allowed, c) == NULL || n + 1 >= cap) {
			if (write(fd, "\a", 1) < 0) /* refused: the bell, nothing kept */
				goto out;
			continue;
		}
		buf[n++] = c;
		(*count)++;
		if (write(fd, "*", 1) < 0)
			goto out;
	}
	buf[n] = '\0';
	ret = 0;
out:
	c = 0;
	if (restore)
		tcsetattr(fd, TCSADRAIN, &old);
	if (write(fd, "\n", 1) < 0)
		ret = -1;
	close(fd);
	prompting = 0;
	if (ret != 0)
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

void
tool_clear_screen(void)
{
	/* home, erase the screen, erase the scrollback (xterm's E3) */
	static const char seq[] = "\033[H\033[2J\033[3J";
	int fd = open("/dev/tty", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, seq, sizeof seq - 1) < 0) {
		/* nothing to do: the screen stays as it was */
	}
	close(fd);
}

int
tool_prompt_line(const char *prompt, char *buf, size_t cap)
{
	return tty_line(prompt, buf, cap, 0);
}

int
tool_confirm(const char *question)
{
	return tool_choose(question, "yn", 'n') == 'y';
}

int
tool_choose(const char *question, const char *choices, int def)
{
	char ans[16], keys[16], *prompt;
	size_t i, n = strlen(choices), plen = strlen(question) + 3 * n + 8;
	int ret = 0;

	if (n == 0 || n >= sizeof keys || (prompt = malloc(plen)) == NULL)
		return 0;
	for (i = 0; i < n; i++)
		keys[i] = choices[i] == def ? (char)toupper((unsigned char)def) : choices[i];
	keys[n] = '\0';
	snprintf(prompt, plen, "%s [", question);
	for (i = 0; i < n; i++)
		snprintf(prompt + strlen(prompt), plen - strlen(prompt), "%s%c",
		    i == 0 ? "" : "/", keys[i]);
	snprintf(prompt + strlen(prompt), plen - strlen(prompt), "] ");
	while (tool_prompt_line(prompt, ans, sizeof ans) == 0) {
		int a = tolower((unsigned char)ans[0]);

		if (ans[0] == '\0') {
			ret = def;
			break;
		}
		if (strchr(choices, a) != NULL && (ans[1] == '\0' ||
		    (a == 'y' && strcasecmp(ans, "yes") == 0) ||
		    (a == 'n' && strcasecmp(ans, "no") == 0))) {
			ret = a;
			break;
		}
	}
	escrow_wipe(prompt, plen);
	free(prompt);
	return ret;
}

/* The directories this run made, to remove them (when empty) on rollback. */
#define MADE_DIRS_MAX 16
static char made_dirs[MADE_DIRS_MAX][4096];
static size_t nmade_dirs;

void
tool_remove_made_dirs(void)
{
	/* only an empty one goes: what else is there is not this run's */
	while (nmade_dirs > 0)
		rmdir(made_dirs[--nmade_dirs]);
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
		if (mkdir(path, 0700) == 0) {
			if (nmade_dirs < MADE_DIRS_MAX)
				memcpy(made_dirs[nmade_dirs++], path, i + 1);
		} else if (errno != EEXIST) {
			return -1;
		}
		path[i] = i == n ? '\0' : '/';
	}
	return 0;
}

/* Would tool_prepare_dir() take dir?  Without making anything. */
int
tool_check_dir(const char *dir, const char *option)
{
	struct stat st;
	char path[4096];
	char *slash;

	if (lstat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			tool_err("%s `%s' (the output directory) is not a directory", option, dir);
			tool_hint("name a directory, or a new one to be made");
			return -1;
		}
		if (st.st_uid != geteuid()) {
			tool_err("%s `%s': the directory belongs to another user (uid %u)",
			    option, dir, (unsigned)st.st_uid);
			tool_hint("use a directory of your own");
			return -1;
		}
		if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
			tool_err("%s `%s': the directory is writable by others (mode %03o)",
			    option, dir, (unsigned)(st.st_mode & 0777));
			tool_hint("run `chmod go-w %s' or choose a private directory", dir);
			return -1;
		}
		if (access(dir, W_OK | X_OK) != 0) {
			tool_err("%s `%s': cannot write in it: %s", option, dir, strerror(errno));
			tool_hint("choose a directory you can write to");
			return -1;
		}
		return 0;
	}
	if (errno != ENOENT) {
		tool_err("%s `%s': %s", option, dir, strerror(errno));
		return -1;
	}
	/* a new directory: the nearest existing parent must take it */
	snprintf(path, sizeof path, "%s", dir);
	for (;;) {
		while ((slash = strrchr(path, '/')) != NULL && slash[1] == '\0' && slash != path)
			*slash = '\0';
		slash = strrchr(path, '/');
		if (slash == NULL) {
			snprintf(path, sizeof path, ".");
			break;
		}
		if (slash == path) {
			path[1] = '\0';
			break;
		}
		*slash = '\0';
		if (lstat(path, &st) == 0)
			break;
	}
	if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) || access(path, W_OK | X_OK) != 0) {
		tool_err("%s `%s': cannot make it in `%s': %s", option, dir, path,
		    lstat(path, &st) == 0 && !S_ISDIR(st.st_mode) ? "not a directory" :
		    strerror(errno));
		tool_hint("choose a directory you can write to");
		return -1;
	}
	return 0;
}

int
tool_check_secret_file(const char *path, const char *option, const char *role,
    int nonempty)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		tool_err("%s `%s' (%s): cannot open it: %s", option, path, role,
		    strerror(errno));
		tool_hint("name an existing file you can read");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	if (!S_ISREG(st.st_mode)) {
		tool_err("%s `%s' (%s) is not a file", option, path, role);
		return -1;
	}
	if (nonempty && st.st_size == 0) {
		tool_err("%s `%s' (%s) is empty", option, path, role);
		tool_hint("name the right file");
		return -1;
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
tool_text_printf(struct escrow_text *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	escrow_text_vprintf(b, fmt, ap);
	va_end(ap);
	if (escrow_text_done(b) != ESCROW_OK) {
		fprintf(stderr, "%s: out of memory\n", tool_name);
		exit(TOOL_EXIT_FAIL);
	}
}

/* The usage-error message of both tools (tool.h). */
const char *tool_help_command;

int
tool_bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry `%s%s%s --help'.\n", tool_name,
	    tool_help_command != NULL ? " " : "",
	    tool_help_command != NULL ? tool_help_command : "");
	return TOOL_EXIT_USAGE;
}
