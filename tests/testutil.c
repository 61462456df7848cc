/*
 * testutil.c - helpers for the Check suites (see testutil.h).
 */
#define _GNU_SOURCE /* nftw, memmem */
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escrow.h"
#include "testutil.h"

const char *
tu_vector_path(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof path, "%s/tests/vectors/%s", ESCROW_TOP, name);
	return path;
}

struct json_object *
tu_load_json(const char *path)
{
	struct json_object *j = json_object_from_file(path);

	ck_assert_msg(j != NULL, "cannot parse JSON %s: %s", path,
	    json_util_get_last_err());
	return j;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long
tu_unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex), i;

	if (n % 2 != 0 || n / 2 > cap)
		return -1;
	for (i = 0; i < n / 2; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

char *
tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (f == NULL)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			char *nb;

			cap = (n + 4096 + 1) * 2;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, 4096, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

const char *
tu_mkdtemp(void)
{
	static char path[256];
	const char *base = getenv("TMPDIR");

	snprintf(path, sizeof path, "%s/escrow-test-XXXXXX",
	    base != NULL ? base : "/tmp");
	ck_assert_msg(mkdtemp(path) != NULL, "mkdtemp failed");
	return path;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
tu_rmrf(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int
tu_memmem(const void *hay, size_t haylen, const void *needle, size_t nlen)
{
	return memmem(hay, haylen, needle, nlen) != NULL;
}

Suite *
tu_suite(const char *name, const TTest *const *tests, size_t n, double timeout)
{
	Suite *s = suite_create(name);
	TCase *tc = tcase_create("core");
	size_t i;

	tcase_set_timeout(tc, timeout);
	for (i = 0; i < n; i++)
		tcase_add_test(tc, tests[i]);
	suite_add_tcase(s, tc);
	return s;
}

uint8_t *
tu_random_bytes(size_t n)
{
	uint8_t *e = malloc(n);

	ck_assert_ptr_nonnull(e);
	escrow_random(e, n);
	return e;
}
