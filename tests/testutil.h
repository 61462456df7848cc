/*
 * testutil.h - small helpers shared by the Check suites: hex, files,
 * vectors, temporary directories.  Test data only; no secrets of value.
 */
#ifndef ESCROW_TESTUTIL_H
#define ESCROW_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include <check.h>
#include <json-c/json.h>

/* A suite of one test case named "core" holding the n tests, each given
 * timeout seconds: the suites list their tests in a table. */
Suite *tu_suite(const char *name, const TTest *const *tests, size_t n,
    double timeout);
#define TU_SUITE(name, tests, timeout) \
	tu_suite((name), (tests), sizeof(tests) / sizeof((tests)[0]), (timeout))

/* n random bytes (an envelope stand-in) in malloc'd memory; aborts the
 * test when out of memory. */
uint8_t *tu_random_bytes(size_t n);

/* Absolute path of a file under tests/vectors/ (static buffer). */
const char *tu_vector_path(const char *name);

/* Load and parse a JSON file; aborts the test on failure. */
struct json_object *tu_load_json(const char *path);

/* Hex to bytes; returns the byte count, or -1 on bad hex or overflow. */
long tu_unhex(const char *hex, uint8_t *out, size_t cap);

/* Read a whole file into malloc'd memory (NUL-terminated); NULL on error. */
char *tu_read_file(const char *path, size_t *len);

/* Make a fresh temporary directory (static buffer); remove it with tu_rmrf. */
const char *tu_mkdtemp(void);
void tu_rmrf(const char *path);

/* Does haystack contain needle? */
int tu_memmem(const void *hay, size_t haylen, const void *needle, size_t nlen);

#endif
