/*
 * cups_print.c - one PDF from memory as one CUPS job, waited for, then
 * cancelled and purged so that neither the document nor the job's control
 * file stays in the spool.  Every call uses CUPS_HTTP_DEFAULT, so the
 * server is the one CUPS_SERVER names (a Unix socket in the tests) or the
 * system default; cupsConnectDest would follow ipp://localhost:631 and
 * miss a socket-only server.
 *
 * Secret: the PDF of a share sheet passes through here on its way to the
 * printer; we keep no copy.  Job titles are meaningless on purpose: they
 * land in the spool's control file, job.cache and page_log.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cups/cups.h>

#include "escrow.h"
#include "escrow_print.h"

#define JOB_TITLE "document"
#define WRITE_CHUNK 65536

static void
say(char *detail, size_t cap, const char *fmt, ...)
{
	va_list ap;

	if (detail == NULL || cap == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(detail, cap, fmt, ap);
	va_end(ap);
}

/* The library never prompts: no password dialogue on the terminal. */
static const char *
no_password(const char *prompt, http_t *http, const char *method,
    const char *resource, void *user)
{
	(void)prompt;
	(void)http;
	(void)method;
	(void)resource;
	(void)user;
	return NULL;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* All values of a keyword/text attribute, comma separated. */
static void
attr_text(ipp_t *resp, const char *name, char *buf, size_t cap)
{
	ipp_attribute_t *a = ippFindAttribute(resp, name, IPP_TAG_ZERO);
	size_t off = 0;
	int i, n;

	buf[0] = '\0';
	if (a == NULL)
		return;
	for (i = 0; i < ippGetCount(a); i++) {
		const char *v = ippGetString(a, i, NULL);

		if (v == NULL)
			continue;
		n = snprintf(buf + off, cap - off, "%s%s", off ? "," : "", v);
		if (n < 0 || (size_t)n >= cap - off)
			return;
		off += (size_t)n;
	}
}

/* The printer's own words: printer-state-message and -reasons. */
static void
printer_reason(const char *name, char *msg, size_t cap)
{
	char uri[1024], reasons[256], text[256];
	ipp_t *req, *resp;

	msg[0] = '\0';
	if (httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", NULL,
	    "localhost", 0, "/printers/%s", name) < HTTP_URI_STATUS_OK)
		return;
	req = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
	resp = cupsDoRequest(CUPS_HTTP_DEFAULT, req, "/");
	if (resp == NULL)
		return;
	attr_text(resp, "printer-state-message", text, sizeof text);
	attr_text(resp, "printer-state-reasons", reasons, sizeof reasons);
	snprintf(msg, cap, "printer says \"%s\" (%s)", text, reasons);
	ippDelete(resp);
}

/* One Get-Job-Attributes: the job's state and, as text, its reasons and
 * the printer's message about it.  Returns the IPP status. */
static ipp_status_t
job_state(int job_id, ipp_jstate_t *state, char *reasons, size_t rcap,
    char *text, size_t tcap)
{
	char uri[128];
	ipp_t *req = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES), *resp;
	ipp_attribute_t *a;
	ipp_status_t st;

	snprintf(uri, sizeof uri, "ipp://localhost/jobs/%d", job_id);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME,
	    "requesting-user-name", NULL, cupsUser());
	resp = cupsDoRequest(CUPS_HTTP_DEFAULT, req, "/");
	st = resp != NULL ? ippGetStatusCode(resp) : cupsLastError();
	if (resp != NULL && st <= IPP_STATUS_OK_CONFLICTING) {
		a = ippFindAttribute(resp, "job-state", IPP_TAG_ENUM);
		*state = a != NULL ? (ipp_jstate_t)ippGetInteger(a, 0) :
		    IPP_JSTATE_PENDING;
		attr_text(resp, "job-state-reasons", reasons, rcap);
		attr_text(resp, "job-printer-state-message", text, tcap);
		if (text[0] == '\0')
			attr_text(resp, "job-printer-state-reasons", text, tcap);
	}
	ippDelete(resp);
	return st;
}

/* Poll the job until it ends or time runs out; 1 = completed. */
static int
wait_job(int job_id, double deadline, char *why, size_t cap)
{
	char reasons[256], text[256];
	ipp_jstate_t state = IPP_JSTATE_PENDING;
	struct timespec nap = { 0, 50 * 1000 * 1000 };

	for (;;) {
		if (job_state(job_id, &state, reasons, sizeof reasons, text,
		    sizeof text) > IPP_STATUS_OK_CONFLICTING) {
			snprintf(why, cap, "cannot read the job's state: %s",
			    cupsLastErrorString());
			return 0;
		}
		if (state == IPP_JSTATE_COMPLETED)
			return 1;
		if (state >= IPP_JSTATE_STOPPED) {
			snprintf(why, cap, "job %s (%s) \"%s\"",
			    state == IPP_JSTATE_STOPPED ? "stopped" :
			    state == IPP_JSTATE_CANCELED ? "cancelled" : "aborted",
			    reasons, text);
			return 0;
		}
		if (now() > deadline) {
			snprintf(why, cap, "job not done in time (%s) \"%s\"",
			    reasons, text);
			return 0;
		}
		nanosleep(&nap, NULL);
	}
}

/*
 * Cancel and purge a job.  A job cancelled while it is processing keeps
 * its control file until its filters have exited, and the purge asked for
 * with the cancel is then forgotten (CUPS 2.4): so wait for the job to
 * settle and purge it again, until the server no longer knows it.
 */
static int
purge_job(const char *name, int job_id)
{
	char reasons[256], text[256];
	ipp_jstate_t state = IPP_JSTATE_PENDING;
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	double deadline = now() + 15;
	ipp_status_t st;

	(void)cupsCancelJob2(CUPS_HTTP_DEFAULT, name, job_id, 1);
	while (now() < deadline) {
		st = job_state(job_id, &state, reasons, sizeof reasons, text,
		    sizeof text);
		if (st == IPP_STATUS_ERROR_NOT_FOUND)
			return 1;
		if (st > IPP_STATUS_OK_CONFLICTING)
			return 0;
		/* settled (cancelled, aborted, completed): purge it now;
		 * still processing: its filters are being stopped, wait */
		if (state >= IPP_JSTATE_CANCELED)
			(void)cupsCancelJob2(CUPS_HTTP_DEFAULT, name, job_id, 1);
		else
			nanosleep(&nap, NULL);
	}
	return 0;
}

int
escrow_print_queue_check(const char *queue, char *detail, size_t detail_cap)
{
	cups_dest_t *dest;
	const char *accepting, *state;
	char printer[600];
	int ret = ESCROW_ERR_PRINT;

	say(detail, detail_cap, "%s", "");
	cupsSetPasswordCB2(no_password, NULL);
	dest = cupsGetNamedDest(CUPS_HTTP_DEFAULT, queue, NULL);
	if (dest == NULL) {
		say(detail, detail_cap, "no printer \"%s\": %s",
		    queue ? queue : "(default)", cupsLastErrorString());
		return ret;
	}
	accepting = cupsGetOption("printer-is-accepting-jobs", dest->num_options,
	    dest->options);
	state = cupsGetOption("printer-state", dest->num_options, dest->options);
	if (accepting != NULL && strcmp(accepting, "false") == 0) {
		printer_reason(dest->name, printer, sizeof printer);
		say(detail, detail_cap, "printer \"%s\" is not accepting jobs; %s",
		    dest->name, printer);
	} else if (state != NULL && strcmp(state, "5") == 0) { /* IPP stopped */
		printer_reason(dest->name, printer, sizeof printer);
		say(detail, detail_cap, "printer \"%s\" is stopped; %s", dest->name,
		    printer);
	} else {
		ret = ESCROW_OK;
	}
	cupsFreeDests(1, dest);
	return ret;
}

int
escrow_print_pdf(const char *queue, const uint8_t *pdf, size_t len,
    enum escrow_paper_size paper, unsigned timeout_s, char *detail,
    size_t detail_cap)
{
	cups_dest_t *dest = NULL;
	cups_dinfo_t *info = NULL;
	cups_option_t *opts = NULL;
	char why[600], printer[600];
	double deadline;
	int nopts = 0, job_id = 0, ret = ESCROW_ERR_PRINT;
	size_t off = 0, n;
	ipp_status_t st;

	say(detail, detail_cap, "%s", "");
	if (pdf == NULL || len < 5 || memcmp(pdf, "%PDF-", 5) != 0 ||
	    (paper != ESCROW_PAPER_A4 && paper != ESCROW_PAPER_LETTER))
		return ESCROW_ERR_INVALID_ARG;
	deadline = now() + (timeout_s ? timeout_s : 120);
	cupsSetPasswordCB2(no_password, NULL);
	dest = cupsGetNamedDest(CUPS_HTTP_DEFAULT, queue, NULL);
	if (dest == NULL) {
		say(detail, detail_cap, "no printer \"%s\": %s",
		    queue ? queue : "(default)", cupsLastErrorString());
		goto out;
	}
	info = cupsCopyDestInfo(CUPS_HTTP_DEFAULT, dest);
	if (info == NULL) {
		say(detail, detail_cap, "printer \"%s\" does not answer: %s",
		    dest->name, cupsLastErrorString());
		goto out;
	}
	nopts = cupsAddOption("print-scaling", "none", nopts, &opts);
	nopts = cupsAddOption(CUPS_MEDIA, paper == ESCROW_PAPER_A4 ?
	    CUPS_MEDIA_A4 : CUPS_MEDIA_LETTER, nopts, &opts);
	st = cupsCreateDestJob(CUPS_HTTP_DEFAULT, dest, info, &job_id, JOB_TITLE,
	    nopts, opts);
	if (st > IPP_STATUS_OK_CONFLICTING || job_id <= 0) {
		printer_reason(dest->name, printer, sizeof printer);
		say(detail, detail_cap, "printer \"%s\" refused the job: %s; %s",
		    dest->name, cupsLastErrorString(), printer);
		goto out;
	}
	if (cupsStartDestDocument(CUPS_HTTP_DEFAULT, dest, info, job_id,
	    JOB_TITLE, CUPS_FORMAT_PDF, nopts, opts, 1) != HTTP_STATUS_CONTINUE) {
		say(detail, detail_cap, "printer \"%s\": cannot send the document: "
		    "%s", dest->name, cupsLastErrorString());
		goto out;
	}
	while (off < len) {
		n = len - off > WRITE_CHUNK ? WRITE_CHUNK : len - off;
		if (cupsWriteRequestData(CUPS_HTTP_DEFAULT, (const char *)pdf + off,
		    n) != HTTP_STATUS_CONTINUE)
			break;
		off += n;
	}
	st = cupsFinishDestDocument(CUPS_HTTP_DEFAULT, dest, info);
	if (off < len || st > IPP_STATUS_OK_CONFLICTING) {
		printer_reason(dest->name, printer, sizeof printer);
		say(detail, detail_cap, "printer \"%s\": sending the document "
		    "failed: %s; %s", dest->name, cupsLastErrorString(), printer);
		goto out;
	}
	if (!wait_job(job_id, deadline, why, sizeof why)) {
		printer_reason(dest->name, printer, sizeof printer);
		say(detail, detail_cap, "printer \"%s\": %s; %s", dest->name, why,
		    printer);
		goto out;
	}
	ret = ESCROW_OK;
out:
	/* cancel (if still there) and purge, so no file stays in the spool */
	if (dest != NULL && job_id > 0 && !purge_job(dest->name, job_id)) {
		if (ret == ESCROW_OK)
			say(detail, detail_cap, "printed, but purging job %d "
			    "failed: %s", job_id, cupsLastErrorString());
		ret = ESCROW_ERR_PRINT;
	}
	cupsFreeOptions(nopts, opts);
	if (info != NULL)
		cupsFreeDestInfo(info);
	if (dest != NULL)
		cupsFreeDests(1, dest);
	cupsSetPasswordCB2(NULL, NULL);
	return ret;
}
