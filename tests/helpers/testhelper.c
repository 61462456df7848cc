/*
 * testhelper.c - test-only helper for the end-to-end tests, never
 * installed: it prints secrets on purpose, so that the tests can search
 * the files and output of a ceremony for them.
 *
 *   escrow-testhelper master-secret [-p PASSPHRASE] SHAREFILE...
 *       combine shares (one mnemonic per file) and print S in hex
 *   escrow-testhelper find HEX FILE...
 *       exit 0 and name the file if any FILE contains the bytes HEX
 */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escrow.h"
#include "escrow_slip39.h"

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		goto out;
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[n] = '\0';
	*len = (size_t)n;
out:
	if (f != NULL)
		fclose(f);
	return buf;
}

static int
master_secret(int argc, char **argv)
{
	const char *pass = "";
	const char *m[64];
	uint8_t S[32];
	size_t n = 0, len, i;
	struct escrow_slip39_diag d;
	int a = 0, ret = 1;

	if (argc > 1 && strcmp(argv[0], "-p") == 0) {
		pass = argv[1];
		a = 2;
	}
	for (; a < argc && n < 64; a++) {
		char *t = slurp(argv[a], &len);

		if (t == NULL) {
			perror(argv[a]);
			goto out;
		}
		m[n++] = t;
	}
	if (escrow_slip39_combine(m, n, pass, S, sizeof S, &len, &d) != ESCROW_OK) {
		fprintf(stderr, "escrow-testhelper: cannot combine\n");
		goto out;
	}
	for (i = 0; i < len; i++)
		printf("%02x", S[i]);
	printf("\n");
	ret = 0;
out:
	for (i = 0; i < n; i++)
		free((void *)(uintptr_t)m[i]);
	return ret;
}

static int
find(int argc, char **argv)
{
	uint8_t needle[4096];
	size_t n = 0, len;
	int a, found = 0;
	const char *h;

	if (argc < 1)
		return 2;
	for (h = argv[0]; h[0] != '\0' && h[1] != '\0' && n < sizeof needle; h += 2) {
		unsigned v;

		if (sscanf(h, "%2x", &v) != 1)
			return 2;
		needle[n++] = (uint8_t)v;
	}
	for (a = 1; a < argc; a++) {
		char *buf = slurp(argv[a], &len);

		if (buf == NULL)
			continue;
		if (n > 0 && memmem(buf, len, needle, n) != NULL) {
			printf("%s\n", argv[a]);
			found = 1;
		}
		free(buf);
	}
	return found ? 0 : 1;
}

int
main(int argc, char **argv)
{
	if (escrow_init() != ESCROW_OK)
		return 1;
	if (argc >= 2 && strcmp(argv[1], "master-secret") == 0)
		return master_secret(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "find") == 0)
		return find(argc - 2, argv + 2);
	fprintf(stderr, "usage: escrow-testhelper master-secret [-p P] FILE... | find HEX FILE...\n");
	return 2;
}
