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
#include "escrow_text.h"

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

/* "tool: message" and "Try `tool [COMMAND] --help'." on stderr; returns exit
 * code 2.  tool_help_command: the subcommand, when there is one. */
extern const char *tool_help_command;
int tool_bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parse a whole decimal number in [min, max]; 0 on success, -1 otherwise. */
int tool_parse_uint(const char *s, unsigned long min, unsigned long max,
    unsigned long *out);

/*
 * Read a whole file into malloc'd memory, NUL-terminated; at most max
 * bytes (larger: refused, said why).  No copy is left unwiped on the way
 * (read(2), copy-and-wipe growth), so a caller that finds a secret in it
 * need only escrow_wipe(buf, len + 1) before free().
 */
uint8_t *tool_read_file(const char *path, size_t *len, size_t max);

/* The same into secret memory (escrow_secret_free), for files that may
 * hold secrets: share text, private keys. */
uint8_t *tool_read_file_secret(const char *path, size_t *len, size_t max);

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

/*
 * Read one line of secret input (typed entropy) from the terminal, each
 * character echoed as `*' (spaces as spaces), so the typist sees a count
 * but not the text; only characters in allowed (and spaces) are taken,
 * others ring the bell; backspace works.  *count: characters taken (not
 * spaces).  0, or -1 at end of input or a stop signal.
 */
int tool_prompt_masked(const char *prompt, char *buf, size_t cap, const char *allowed,
    size_t *count);

/* Clear the terminal and its scrollback (typed share words off the screen). */
void tool_clear_screen(void);

/* Read one line from the terminal with echo (public answers). */
int tool_prompt_line(const char *prompt, char *buf, size_t cap);

/* Ask a yes/no question on the terminal; 1 yes, 0 no (the default) or no
 * terminal. */
int tool_confirm(const char *question);

/*
 * Ask on the terminal for one of the letters of choices ("yn", "ynr");
 * Enter alone takes def, which is shown in upper case ("[Y/n/r]").
 * Returns the letter, or 0 at end of input, without a terminal, or once a
 * stop signal came.
 */
int tool_choose(const char *question, const char *choices, int def);

/*
 * SIGINT, SIGTERM and SIGHUP only set a flag and interrupt a prompt (which
 * then fails as at end of input), so that the tool can undo what it did
 * and say so.  quit_unless_prompting: a signal that comes while no prompt
 * waits ends the process at once (exit 128 + the signal), as by default.
 * tool_interrupted(): the signal, or 0; tool_signal_name(): "Ctrl-C
 * (SIGINT)" and the like.
 */
void tool_catch_signals(int quit_unless_prompting);
int tool_interrupted(void);
const char *tool_signal_name(void);

/* Remove the directories tool_prepare_dir() made in this run, when they
 * are empty (after a rollback). */
void tool_remove_made_dirs(void);

/*
 * Core dumps off, umask 077 (escrow_harden_process()); says so on failure.
 * 0, or TOOL_EXIT_FAIL to return from main().
 */
int tool_harden(void);

/*
 * Warn once (on stderr) when secret memory could not be locked into RAM
 * (escrow_secret_unlocked_count()), naming the locked-memory limit.  Called
 * at start-up (tool_harden), before a secret is asked for, and at exit.
 */
void tool_secret_check(void);

/* Is there a terminal to talk to? */
int tool_have_tty(void);

/*
 * Make sure an output directory exists and is private enough: created
 * 0700 if missing; refused if it is writable by group or others or owned
 * by someone else.  Prints the reason; returns 0 or -1.
 */
int tool_prepare_dir(const char *dir);

/*
 * Would tool_prepare_dir() take dir (given with option, for messages)?
 * Checked without making anything: an existing directory must be ours,
 * private and writable; a new one's nearest existing parent writable.
 * Prints the reason; 0 or -1.
 */
int tool_check_dir(const char *dir, const char *option);

/*
 * An input file named by option (role: "the PIN source") exists, is a
 * readable regular file, and (nonempty) is not empty.  Prints the reason,
 * naming option, file and role; 0 or -1.
 */
int tool_check_secret_file(const char *path, const char *option, const char *role,
    int nonempty);

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

/* Append to a growing text buffer (transcripts, records); out of memory
 * ends the program with a message, as nothing can go on without it. */
void tool_text_printf(struct escrow_text *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
