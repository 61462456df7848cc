/*
 * ksr_parse.c - reading a KSR or SKR: libxml2 without DTDs, entities or
 * network, RELAX NG validation against the embedded ksr.rng, then every
 * value read strictly into struct escrow_ksr.  Public data only; the
 * input is hostile.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>

#include "ksr_int.h"

void
ksr_err(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || cap == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
}

struct errbuf {
	char *err;
	size_t cap;
	int set;
};

static void
collect(void *ctx, const xmlError *e)
{
	struct errbuf *eb = ctx;
	size_t n;

	if (eb->set || e == NULL)
		return;
	eb->set = 1;
	ksr_err(eb->err, eb->cap, "line %d: %s", e->line,
	    e->message != NULL ? e->message : "error");
	n = eb->err != NULL ? strlen(eb->err) : 0;
	if (n > 0 && eb->err[n - 1] == '\n')
		eb->err[n - 1] = '\0';
}

/* libxml2 2.9 declares the handler with a non-const xmlErrorPtr. */
static void
collect_cb(void *ctx, xmlErrorPtr e)
{
	collect(ctx, e);
}

int
ksr_schema_validate(xmlDocPtr doc, char *err, size_t cap)
{
	struct errbuf eb = { err, cap, 0 };
	xmlRelaxNGParserCtxtPtr pc;
	xmlRelaxNGPtr rng = NULL;
	xmlRelaxNGValidCtxtPtr vc = NULL;
	int ret = ESCROW_ERR_SCHEMA, rc;

	pc = xmlRelaxNGNewMemParserCtxt(escrow_ksr_rng, (int)strlen(escrow_ksr_rng));
	if (pc == NULL)
		return ESCROW_ERR_NOMEM;
	rng = xmlRelaxNGParse(pc);
	xmlRelaxNGFreeParserCtxt(pc);
	if (rng == NULL) {
		ksr_err(err, cap, "the built-in KSR schema does not load");
		return ESCROW_ERR_CRYPTO;
	}
	if ((vc = xmlRelaxNGNewValidCtxt(rng)) == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto done;
	}
	xmlRelaxNGSetValidStructuredErrors(vc, collect_cb, &eb);
	rc = xmlRelaxNGValidateDoc(vc, doc);
	if (rc == 0)
		ret = ESCROW_OK;
	else if (!eb.set)
		ksr_err(err, cap, "not valid against the KSR schema");
done:
	xmlRelaxNGFreeValidCtxt(vc);
	xmlRelaxNGFree(rng);
	return ret;
}

int
ksr_xml_read(const char *xml, size_t len, xmlDocPtr *out, char *err,
    size_t cap)
{
	struct errbuf eb = { err, cap, 0 };
	xmlParserCtxtPtr pc;
	xmlDocPtr doc;

	*out = NULL;
	if (len > ESCROW_KSR_MAX_INPUT) {
		ksr_err(err, cap, "larger than %u bytes", ESCROW_KSR_MAX_INPUT);
		return ESCROW_ERR_TOO_LARGE;
	}
	if ((pc = xmlNewParserCtxt()) == NULL)
		return ESCROW_ERR_NOMEM;
	/* libxml2 2.9 has no per-context structured handler for parsing */
	xmlSetStructuredErrorFunc(&eb, collect_cb);
	doc = xmlCtxtReadMemory(pc, xml, (int)len, "request.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlFreeParserCtxt(pc);
	if (doc == NULL) {
		if (!eb.set)
			ksr_err(err, cap, "not well-formed XML");
		return ESCROW_ERR_FORMAT;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		ksr_err(err, cap, "has a DOCTYPE: a KSR has none");
		xmlFreeDoc(doc);
		return ESCROW_ERR_FORMAT;
	}
	*out = doc;
	return ESCROW_OK;
}
