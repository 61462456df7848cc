/*
 * threshold.h - what escrow-keygen --threshold and escrow-combine's
 * partial / assemble / audit share: loading the public parameters, reading
 * a threshold share (typed text or scans), the request (KSR or zone file)
 * and its bundles' signed data, the partial-signature file, and sheets.
 *
 * Secret: the threshold share (struct escrow_thresh_share, and its record
 * while it is read or printed), in escrow_secret_alloc() memory.
 */
#ifndef ESCROW_TOOL_THRESHOLD_H
#define ESCROW_TOOL_THRESHOLD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "escrow_dnssec.h"
#include "escrow_ksr.h"
#include "escrow_print.h"
#include "escrow_thresh.h"
#include "records.h"
#include "tool.h"

#define TT_PARTIAL_HEADER "escrow threshold partial v1"
#define TT_PARAMS_MAX (1u << 20)

/* One custodian's partial signatures over every bundle of one request. */
struct tt_partial {
	uint8_t params_fpr[ESCROW_THRESH_FPR_BYTES];
	unsigned index;
	uint8_t request_sha[32];   /* SHA-256 of the request file */
	size_t n;
	struct {
		char id[ESCROW_KSR_ID_MAX];
		uint8_t data_sha[32];  /* SHA-256 of the RRSIG signed data */
		struct escrow_thresh_partial p;
	} b[ESCROW_KSR_BUNDLES_MAX];
};

/* A request: a KSR, or a zone-file DNSKEY RRset (one bundle). */
struct tt_request {
	struct escrow_ksr *ksr;
	int zone;                  /* 1: zone-file form */
	uint8_t sha[32];           /* of the file as read */
	const char *path;
};

/* Read and check public parameters; prints why not.  0 or -1. */
int tt_params_load(const char *path, struct escrow_thresh_params **p);
/* The KSK's DNSKEY from the parameters (flags 257, TTL 172800). */
int tt_params_dnskey(const struct escrow_thresh_params *p,
    struct escrow_dnskey *k);
/* SHA-256 hex of the parameters (64 + NUL). */
void tt_params_fpr_hex(const struct escrow_thresh_params *p, char out[65]);

/*
 * A threshold share from a file: its typed text form (as --shares-out
 * writes it, or typed from the sheet) or a scan of the sheet (PDF, PNG,
 * PNM, JPEG).  Prints why not.  0 or -1.
 */
int tt_share_read(const char *path, struct escrow_thresh_share **s);

/* Read a request; prints why not (with the bad line or element). */
int tt_request_load(const char *path, struct tt_request *r);
void tt_request_free(struct tt_request *r);
/* Check the request as IANA's signer does (KSRs) and say what will be signed. */
int tt_request_check(const struct tt_request *r, FILE *show);
/* Bundle i's RRSIG fields and signed data (malloc'd) for the KSK k. */
int tt_bundle_data(const struct tt_request *r, size_t i,
    const struct escrow_dnskey *k, struct escrow_rrsig *sig, uint8_t **data,
    size_t *len);

/* The partial-signature file: text, docs/FORMAT.md "Partial signatures". */
int tt_partial_text(const struct tt_partial *p, struct escrow_text *out);
/* Parse; err names the line.  0, or -1. */
int tt_partial_parse(const char *text, size_t len, struct tt_partial *p,
    char *err, size_t cap);
/* A partial file: its text, or scans of its printed sheet. */
int tt_partial_read(const char *path, struct tt_partial *p);

/*
 * Lay out a record (share, parameters, partial) on the envelope's sheet:
 * QR chunks and the typed form with line checks.  Written to DIR/NAME
 * when o->pdf, printed on o->queue when set.
 */
struct tt_sheet {
	const uint8_t *bytes;
	size_t len;
	const char *title, *intro, *footer, *heading, *fpr_hex;
};
int tt_sheet_emit(const struct tt_sheet *s, const char *name,
    enum escrow_paper_size paper, int pdf, const char *dir, const char *queue,
    struct escrow_text *transcript);

#endif
