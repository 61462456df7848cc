/*
 * scan_internal.h - limits shared by the image readers and the scanner.
 * Not a public header.
 */
#ifndef ESCROW_SCAN_INTERNAL_H
#define ESCROW_SCAN_INTERNAL_H

/* A 600-dpi A3 page is 70 M pixels; nothing we read is larger. */
#define ESCROW_SCAN_MAX_PIXELS (100u * 1000u * 1000u)
#define ESCROW_SCAN_MAX_SIDE 30000u
/* Image files larger than this are refused before they are read. */
#define ESCROW_SCAN_MAX_FILE (256u * 1024u * 1024u)

#endif
