/*
 * p11check.c - test-only: what a token holds under one CKA_ID, and whether
 * its private key signs, through the library's own open/list/sign.
 *
 *   escrow-p11check MODULE URI PINFILE IDHEX ALG
 *       prints "private N public M other K", then, with exactly one
 *       private key, "signed L bytes" after a signature made in the token
 *       with DNSSEC algorithm ALG; exit 0 if that signature was made.
 *
 * MODULE is a path or a p11-kit module name (how NSS softoken gets its
 * init arguments).  Secrets: the PIN, read from PINFILE, is a throwaway
 * test PIN; nothing secret is printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escrow.h"
#include "escrow_p11.h"

#define CAP 64

static int
unhex(const char *s, unsigned char *out, size_t cap, size_t *len)
{
	size_t n = strlen(s), i;
	unsigned v;

	if (n % 2 != 0 || n / 2 > cap)
		return -1;
	for (i = 0; i < n / 2; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	*len = n / 2;
	return 0;
}

int
main(int argc, char **argv)
{
	struct escrow_p11 *p = NULL;
	struct escrow_p11_error err;
	struct escrow_p11_object_info *info;
	unsigned char id[256], sig[1024], data[48] = "escrow-p11check test data";
	char pin[256];
	size_t idlen, n = 0, i, siglen, npriv = 0, npub = 0, nother = 0;
	unsigned long h;
	FILE *f;
	int ret = 1;

	if (argc != 6 || unhex(argv[4], id, sizeof id, &idlen) != 0) {
		fprintf(stderr, "usage: escrow-p11check MODULE URI PINFILE IDHEX ALG\n");
		return 2;
	}
	if ((f = fopen(argv[3], "r")) == NULL || fgets(pin, sizeof pin, f) == NULL) {
		fprintf(stderr, "escrow-p11check: cannot read %s\n", argv[3]);
		return 1;
	}
	fclose(f);
	pin[strcspn(pin, "\r\n")] = '\0';
	if (escrow_init() != 0 || (info = calloc(CAP, sizeof *info)) == NULL)
		return 1;
	memset(&err, 0, sizeof err);
	if (escrow_p11_open(&p, argv[1], argv[2], pin, strlen(pin), &err) != 0 ||
	    escrow_p11_list(p, id, idlen, info, CAP, &n, &err) != 0) {
		fprintf(stderr, "escrow-p11check: %s: %s %s\n", err.function,
		    err.rv_name != NULL ? err.rv_name : "", err.detail);
		goto out;
	}
	for (i = 0; i < n && i < CAP; i++) {
		if (info[i].object_class == 3 /* CKO_PRIVATE_KEY */)
			npriv++;
		else if (info[i].object_class == 2 /* CKO_PUBLIC_KEY */)
			npub++;
		else
			nother++;
	}
	printf("private %zu public %zu other %zu\n", npriv, npub, nother);
	if (npriv != 1)
		goto out;
	if (escrow_p11_find_private(p, id, idlen, &h, &err) != 0 ||
	    escrow_p11_sign(p, h, atoi(argv[5]), data, sizeof data, sig, sizeof sig,
	    &siglen, &err) != 0) {
		fprintf(stderr, "escrow-p11check: %s: %s %s\n", err.function,
		    err.rv_name != NULL ? err.rv_name : "", err.detail);
		goto out;
	}
	printf("signed %zu bytes\n", siglen);
	ret = 0;
out:
	escrow_p11_close(p);
	free(info);
	return ret;
}
