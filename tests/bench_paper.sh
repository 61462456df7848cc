#!/bin/sh
# bench_paper.sh - run by `make bench`: the time to render every sheet of a
# 3-of-5 ceremony (5 share sheets, the envelope sheets of a 1,300-byte
# envelope, the public sheet) to PDF in memory, and the scan time per
# 300-dpi page of the library against zbarimg on the same pages, printed as
# a ratio.  Nothing here asserts a timing.
set -eu
B=${B:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
lib="$top/$B/libescrow.a"
print="$top/$B/libescrow-print.a"
[ -f "$lib" ] && [ -f "$print" ] || { echo "bench_paper: $lib or $print not built" >&2; exit 1; }
command -v zbarimg >/dev/null 2>&1 || { echo "bench_paper: zbarimg missing (make deps)" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/escrow-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM

cat > "$dir/bench.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "escrow.h"
#include "escrow_paper.h"
#include "escrow_print.h"
#include "escrow_slip39.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
ceremony(const char *keep_dir)
{
	static const char fp[] =
	    "3f2a9c0d11e4b7a85c6d2e9f0a1b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
	const char *prot[] = { "example.com. KSK alg 8 tag 12345" };
	struct escrow_sheet_out o = { ESCROW_PAPER_A4, NULL, 0 };
	struct escrow_share_sheet sh;
	struct escrow_envelope_sheet e;
	struct escrow_public_sheet p;
	struct escrow_doc d;
	uint8_t env[1300];
	char mn[400], path[4200];
	int i, k;

	escrow_random(env, sizeof env);
	memset(&sh, 0, sizeof sh);
	sh.set_id = "4242";
	sh.group = sh.groups = sh.group_threshold = 1;
	sh.members = 5;
	sh.member_threshold = 3;
	sh.fingerprint_hex = fp;
	sh.fingerprint_words = "stand in words";
	sh.protects = prot;
	sh.nprotects = 1;
	for (i = 0; i < 5; i++) {
		size_t off = 0;

		for (k = 0; k < 33; k++)
			off += (size_t)snprintf(mn + off, sizeof mn - off, "%s%s",
			    k ? " " : "", escrow_slip39_word((unsigned)((i * 33 + k * 7) % 1024)));
		sh.mnemonic = mn;
		sh.member = (unsigned)i + 1;
		if (escrow_sheet_share(&sh, &o, &d) != ESCROW_OK)
			return 1;
		if (keep_dir != NULL && i == 0) {
			snprintf(path, sizeof path, "%s/share.pdf", keep_dir);
			if (escrow_doc_write(&d, path) != ESCROW_OK)
				return 1;
		}
		escrow_doc_free(&d);
	}
	e.env = env;
	e.env_len = sizeof env;
	e.fingerprint_hex = fp;
	e.title = NULL;
	if (escrow_sheet_envelope(&e, &o, &d) != ESCROW_OK)
		return 1;
	if (keep_dir != NULL) {
		snprintf(path, sizeof path, "%s/envelope.pdf", keep_dir);
		if (escrow_doc_write(&d, path) != ESCROW_OK)
			return 1;
	}
	escrow_doc_free(&d);
	memset(&p, 0, sizeof p);
	p.fingerprint_hex = fp;
	p.keytags = prot;
	p.nkeytags = 1;
	if (escrow_sheet_public(&p, &o, &d) != ESCROW_OK)
		return 1;
	escrow_doc_free(&d);
	return 0;
}

int
main(int argc, char **argv)
{
	double t0, t;
	int i, runs = 5;

	if (escrow_init() != ESCROW_OK)
		return 1;
	if (argc == 3 && strcmp(argv[1], "render") == 0) {
		if (ceremony(argv[2]) != 0)
			return 1;
		t0 = now();
		for (i = 0; i < runs; i++)
			if (ceremony(NULL) != 0)
				return 1;
		t = (now() - t0) / runs;
		printf("render 3-of-5 ceremony (5 shares, envelope, public): %.3f s\n", t);
		return 0;
	}
	/* scan FILE...: seconds for all of them, on stdout */
	if (argc < 3 || strcmp(argv[1], "scan") != 0)
		return 2;
	t0 = now();
	for (i = 2; i < argc; i++) {
		struct escrow_scan_result r;
		int ret = escrow_scan_file(argv[i], NULL, &r);

		escrow_scan_result_free(&r);
		if (ret != ESCROW_OK && ret != ESCROW_ERR_NO_SYMBOL)
			return 1;
	}
	printf("%.4f\n", now() - t0);
	return 0;
}
C
cc -std=c11 -D_DEFAULT_SOURCE -O2 -I"$top/lib/include" -I"$top/printing/include" \
	-o "$dir/bench" "$dir/bench.c" "$print" "$lib" \
	$(pkg-config --libs libsodium libcrypto libqrencode zbar cairo poppler-glib libjpeg) \
	$(cups-config --libs) -lm

"$dir/bench" render "$dir"
pdftoppm -r 300 -gray "$dir/share.pdf" "$dir/p-share"
pdftoppm -r 300 -gray -l 1 "$dir/envelope.pdf" "$dir/p-env"
pages=$(ls "$dir"/p-*.pgm)
n=$(echo "$pages" | wc -l)
# a few rounds each, alternating, so both see the same cache and load
lib_t=0 zb_t=0
for round in 1 2 3; do
	t=$("$dir/bench" scan $pages)
	lib_t=$(awk "BEGIN { print $lib_t + $t }")
	s=$(date +%s.%N)
	for p in $pages; do zbarimg -q --raw -Sbinary "$p" >/dev/null 2>&1 || true; done
	e=$(date +%s.%N)
	zb_t=$(awk "BEGIN { print $zb_t + $e - $s }")
done
awk -v l="$lib_t" -v z="$zb_t" -v n="$n" 'BEGIN {
	printf "scan per 300-dpi page (%d pages: share sheet, envelope page 1):\n", n
	printf "  library %.3f s, zbarimg %.3f s, library/zbarimg = %.2f\n",
	    l / (3 * n), z / (3 * n), l / z }'
