/*
 * sheets_out.h - the sheets of a ceremony: share sheets, envelope sheets and
 * the public-record sheet, as PDF files (--pdf) and/or printed through
 * CUPS (--print), shared by escrow-keygen and escrow-combine reshare.
 *
 * Secret: the shares, and so every rendered share sheet (kept in secret
 * memory until printed or written to the file the operator asked for).
 */
#ifndef ESCROW_TOOL_SHEETS_OUT_H
#define ESCROW_TOOL_SHEETS_OUT_H

#include "escrow_print.h"
#include "records.h"
#include "secrets.h"

struct tool_paper_opts {
	int pdf;                 /* write share-G-M.pdf, envelope.pdf, public.pdf */
	const char *queue;       /* print to this CUPS queue, or NULL */
	int yes;                 /* do not wait for the operator between sheets */
	enum escrow_paper_size paper;
	const char *dir;         /* where --pdf writes */
	int passphrase;          /* the share set has a passphrase: say so on
	                          * each share sheet (never the passphrase) */
};

/* Before any human step: the --print queue exists and accepts jobs.
 * 0, or -1 with the reason printed. */
int tool_paper_preflight(const struct tool_paper_opts *o);

/* Parse "a4" / "letter".  0 or -1. */
int tool_paper_parse(const char *s, enum escrow_paper_size *out);

/*
 * Render and output every sheet.  The envelope sheets are skipped with a
 * clear message when the envelope is too large for paper; the shares
 * still go out.  0 or -1 (reason printed).
 */
int tool_paper_output(const struct tool_records *r, const uint8_t *env,
    size_t env_len, const struct escrow_shareset *set,
    const struct tool_shares *sh, const struct tool_paper_opts *o,
    struct tool_written *w, struct escrow_text *transcript);

#endif
