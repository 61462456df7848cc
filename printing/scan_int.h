/*
 * scan_int.h - limits shared by the image readers and the scanner.
 * Not a public header.
 */
#ifndef ESCROW_SCAN_INT_H
#define ESCROW_SCAN_INT_H

/* A 600-dpi A3 page is 70 M pixels; nothing we read is larger. */
#define ESCROW_SCAN_MAX_PIXELS (100u * 1000u * 1000u)
#define ESCROW_SCAN_MAX_SIDE 30000u
/* Image files larger than this are refused before they are read. */
#define ESCROW_SCAN_MAX_FILE (256u * 1024u * 1024u)

#include <stddef.h>
#include <stdint.h>

struct escrow_scan_opts;
struct escrow_scan_result;

/* escrow_scan_gray with `force` = run every clean-up even if the plain
 * scan looks complete (a retry; the plain scan is skipped). */
int escrow_scan_page(const uint8_t *pix, unsigned width, unsigned height,
    size_t stride, unsigned page, const struct escrow_scan_opts *opts,
    struct escrow_scan_result *res, int force);

/* Pages worth a forced retry: those next to a missing envelope chunk. */
int escrow_scan_retry_pages(const struct escrow_scan_result *res,
    unsigned *pages, size_t cap, size_t *n);

/* first_failed_page again from pages[] (after retries). */
void escrow_scan_recount(struct escrow_scan_result *res,
    const struct escrow_scan_opts *opts);

#endif
