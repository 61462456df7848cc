/*
 * ksr_int.h - internal to libescrow-ksr: the embedded schema, libxml2
 * reading and validation, error sentences.  Public data only.
 */
#ifndef ESCROW_KSR_INT_H
#define ESCROW_KSR_INT_H

#include <libxml/tree.h>

#include "escrow_ksr.h"

/* ksr/ksr.rng as one C string (generated: build/ksr/ksr_rng.c). */
extern const char escrow_ksr_rng[];

void ksr_err(char *err, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Well-formed XML without a DOCTYPE; no entities, no network. */
int ksr_xml_read(const char *xml, size_t len, xmlDocPtr *out, char *err,
    size_t cap) ESCROW_WUR;
/* Valid against the KSR schema; err gets the first violation with its line. */
int ksr_schema_validate(xmlDocPtr doc, char *err, size_t cap) ESCROW_WUR;

#endif
