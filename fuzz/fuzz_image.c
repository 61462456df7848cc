/*
 * fuzz_image.c - image input for the scanner: the strict PNM parser on
 * its own, then escrow_scan_file() on the bytes (PNG, PNM, JPEG, told
 * apart by content), read from a memory file.  PDF input is left out:
 * it goes straight to poppler, which has its own fuzzing, and rendering
 * a page per input would make this target too slow to be useful.
 * Nothing here is secret.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "escrow.h"
#include "escrow_paper.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct escrow_scan_opts opts = { 0, 0, 1 };
	struct escrow_scan_result res;
	unsigned w, h;
	uint8_t *pix = NULL;
	char path[64];
	int fd;

	if (escrow_init() != ESCROW_OK)
		abort();
	if (escrow_pnm_parse(data, size, &pix, &w, &h) == ESCROW_OK)
		free(pix);
	if (size >= 4 && memcmp(data, "%PDF", 4) == 0)
		return 0;
	fd = memfd_create("escrow-fuzz", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	if (write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	memset(&res, 0, sizeof res);
	(void)escrow_scan_file(path, &opts, &res);
	escrow_scan_result_free(&res);
	close(fd);
	return 0;
}
