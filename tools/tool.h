/*
 * tool.h - what escrow-keygen and escrow-combine share on top of the
 * public library: messages and exit codes, files, terminal prompts.
 *
 * Secrets pass through tool_read_secret_file() and tool_prompt_secret(),
 * which only ever put them in escrow_secret_alloc() memory.
 */
#ifndef ESCROW_TOOL_H
#define ESCROW_TOOL_H

#include <stddef.h>
#include <stdint.h>

#include "escrow.h"

/* Exit codes, as in the man pages. */
#define TOOL_EXIT_OK 0
#define TOOL_EXIT_FAIL 1
#define TOOL_EXIT_USAGE 2

/* The program name used in messages ("escrow-keygen"). */
extern const char *tool_name;

/* "escrow-keygen: <message>\n" on stderr. */
void tool_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As tool_err, and a second line "  -> what to do". */
void tool_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parse a whole decimal number in [min, max]; 0 on success, -1 otherwise. */
int tool_parse_uint(const char *s, unsigned long min, unsigned long max,
    unsigned long *out);

/* Read a whole public file into malloc'd memory, NUL-terminated. */
uint8_t *tool_read_file(const char *path, size_t *len, size_t max);

/*
 * Read a secret (passphrase, PIN) from a file into secret memory: the first
 * line, without its line ending.  A regular file that group or others may
 * access is refused, as ssh refuses such a private key.  WHAT names the
 * file's role in messages ("the PIN file").  Returns NULL and says why on
 * failure.
 */
char *tool_read_secret_file(const char *path, const char *what, size_t max);

/*
 * Ask for a secret on the terminal without echo.  Returns secret memory,
 * or NULL when there is no terminal or on end of input.
 */
char *tool_prompt_secret(const char *prompt, size_t max);

/* The same into a caller's secret buffer; 0, or -1 at end of input. */
int tool_prompt_secret_into(char *buf, size_t cap, const char *prompt);

/* Read one line from the terminal with echo (public answers). */
int tool_prompt_line(const char *prompt, char *buf, size_t cap);

/* Ask a yes/no question on the terminal; 1 yes, 0 no or no terminal. */
int tool_confirm(const char *question);

/*
 * Core dumps off, umask 077 (escrow_harden_process()); says so on failure.
 * 0, or TOOL_EXIT_FAIL to return from main().
 */
int tool_harden(void);

/* Is there a terminal to talk to? */
int tool_have_tty(void);

/*
 * Make sure an output directory exists and is private enough: created
 * 0700 if missing; refused if it is writable by group or others or owned
 * by someone else.  Prints the reason; returns 0 or -1.
 */
int tool_prepare_dir(const char *dir);

/*
 * Write a new file DIR/NAME (or NAME when dir is NULL) with the given mode: O_CREAT|O_EXCL|O_NOFOLLOW,
 * so an existing file is never overwritten; fsync'd.  On a failed write the
 * partial file is removed.  Prints the reason; returns 0 or -1.
 */
int tool_write_new(const char *dir, const char *name, const void *data,
    size_t len, int mode);

/*
 * Say that writing PATH failed with errno ERR; a full disk (ENOSPC,
 * EDQUOT) is said as such, with what to do.
 */
void tool_write_error(const char *path, int err);

/*
 * fsync a directory, so that the names of the files just written in it
 * survive a power cut as their contents do.  Prints the reason; 0 or -1.
 */
int tool_sync_dir(const char *dir);

/* Does DIR/NAME exist?  Says so (as a refusal to overwrite) and returns 1. */
int tool_exists(const char *dir, const char *name);

/* Hex of bytes into out (2*len+1); lower or upper case. */
void tool_hex(const uint8_t *in, size_t len, char *out, int upper);

/* A growable public text buffer for transcripts and records. */
struct tool_buf {
	char *p;
	size_t len, cap;
};
void tool_buf_printf(struct tool_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void tool_buf_free(struct tool_buf *b);

#endif
