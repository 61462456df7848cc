#!/bin/sh
# bench_thresh.sh - run by `make bench`: threshold RSA (Shoup) against plain
# OpenSSL RSA in the same run.  Dealing RSA-2048 and RSA-3072 from safe
# primes against ordinary RSA key generation; a custodian's partial (with
# its proof) per bundle, and assembling the 9 bundles of IANA's 2017-q2 KSR
# from 2 partials (every proof checked, combined, every signature verified),
# against plain RSA signing of the same 9 RRsets.  Printed as ratios; nothing
# here asserts a timing.
set -eu
B=${B:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
for a in libescrow.a libescrow-ksr.a; do
	[ -f "$top/$B/$a" ] || { echo "bench_thresh: $top/$B/$a not built" >&2; exit 1; }
done
dir=$(mktemp -d "${TMPDIR:-/tmp}/escrow-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM

cat > "$dir/bench.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>
#include "escrow.h"
#include "escrow_keys.h"
#include "escrow_ksr.h"
#include "escrow_thresh.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b = malloc(1 << 20);

	if (f == NULL || b == NULL)
		exit(1);
	*len = fread(b, 1, 1 << 20, f);
	fclose(f);
	return b;
}

#define DIE(what) do { fprintf(stderr, "bench_thresh: %s\n", what); exit(1); } while (0)

int
main(int argc, char **argv)
{
	struct escrow_thresh_params *p = NULL;
	struct escrow_thresh_share *sh[3];
	struct escrow_ksr *k = NULL;
	struct escrow_dnskey ksk;
	uint8_t pub[600], *data[9], sig[512];
	size_t dlen[9], publen, len, slen, b;
	char err[512], *xml;
	int runs = argc > 2 ? atoi(argv[2]) : 3, r, bits;
	double t, deal[2] = { 0, 0 }, gen[2] = { 0, 0 }, tp, ta, tplain;

	if (escrow_init() != 0)
		DIE("init");
	for (bits = 0; bits < 2; bits++) {
		unsigned nb = bits == 0 ? 2048 : 3072;
		int nr = bits == 0 ? runs : (runs + 1) / 2;

		for (r = 0; r < nr; r++) {
			struct escrow_thresh_params *q = NULL;
			struct escrow_thresh_share *s2[3];
			EVP_PKEY *plain = NULL;
			unsigned i;

			t = now();
			if (escrow_thresh_deal(8, nb, 2, 3, ".", NULL, NULL, &q, s2))
				DIE("deal");
			deal[bits] += now() - t;
			t = now();
			if (escrow_keys_generate(8, nb, &plain))
				DIE("keygen");
			gen[bits] += now() - t;
			EVP_PKEY_free(plain);
			for (i = 0; i < 3; i++)
				escrow_thresh_share_free(s2[i]);
			escrow_thresh_params_free(q);
		}
		deal[bits] /= nr;
		gen[bits] /= nr;
	}
	if (escrow_thresh_deal(8, 2048, 2, 3, ".", NULL, NULL, &p, sh))
		DIE("deal");
	xml = slurp(argv[1], &len);
	if (escrow_ksr_parse(xml, len, &k, err, sizeof err) != 0)
		DIE(err);
	if (escrow_thresh_params_dnskey_pub(p, pub, sizeof pub, &publen) ||
	    escrow_dnssec_dnskey_init(&ksk, ".", 257, 8, pub, publen))
		DIE("dnskey");
	for (b = 0; b < 9; b++) {
		struct escrow_rrsig rs;

		if (escrow_ksr_bundle_signed_data(&k->bundles[b], &ksk, &rs, &data[b],
		    &dlen[b]))
			DIE("signed data");
	}
	{
		struct escrow_thresh_partial part[9][2];
		EVP_PKEY *plain = NULL;

		t = now();
		for (b = 0; b < 9; b++)
			if (escrow_thresh_partial_sign(p, sh[0], data[b], dlen[b], &part[b][0]))
				DIE("partial");
		tp = (now() - t) / 9;
		for (b = 0; b < 9; b++)
			if (escrow_thresh_partial_sign(p, sh[2], data[b], dlen[b], &part[b][1]))
				DIE("partial");
		t = now();
		for (b = 0; b < 9; b++) {
			if (escrow_thresh_partial_verify(p, data[b], dlen[b], &part[b][0]) ||
			    escrow_thresh_partial_verify(p, data[b], dlen[b], &part[b][1]) ||
			    escrow_thresh_combine(p, data[b], dlen[b], part[b], 2, sig,
			    sizeof sig, &slen, NULL) ||
			    escrow_keys_verify_dnskey(8, pub, publen, data[b], dlen[b], sig, slen))
				DIE("assemble");
		}
		ta = now() - t;
		if (escrow_keys_generate(8, 2048, &plain))
			DIE("keygen");
		t = now();
		for (b = 0; b < 9; b++)
			if (escrow_keys_sign(plain, 8, data[b], dlen[b], sig, sizeof sig, &slen))
				DIE("sign");
		tplain = (now() - t) / 9;
		EVP_PKEY_free(plain);
	}
	printf("dealing RSA-2048 (safe primes, 2 of 3): %.2f s (mean of %d), plain "
	    "RSA-2048 keygen %.3f s: ratio %.1f\n", deal[0], runs, gen[0],
	    deal[0] / gen[0]);
	printf("dealing RSA-3072: %.2f s (mean of %d), plain RSA-3072 keygen "
	    "%.3f s: ratio %.1f\n", deal[1], (runs + 1) / 2, gen[1],
	    deal[1] / gen[1]);
	printf("partial per bundle (x_i and its proof, RSA-2048): %.2f ms, plain "
	    "RSA sign %.2f ms: ratio %.1f\n", tp * 1e3, tplain * 1e3, tp / tplain);
	printf("assemble 9 bundles from 2 partials (proofs, combine, verify): "
	    "%.3f s, plain signing of the 9 RRsets %.3f s: ratio %.1f\n", ta,
	    9 * tplain, ta / (9 * tplain));
	return 0;
}
C
cc -std=c11 -D_DEFAULT_SOURCE -O2 -I"$top/lib/include" -I"$top/ksr/include" \
	"$dir/bench.c" "$top/$B/libescrow-ksr.a" "$top/$B/libescrow.a" \
	$(pkg-config --libs libsodium libcrypto p11-kit-1 libxml-2.0) -o "$dir/bench"
echo "bench_thresh: threshold RSA against plain OpenSSL RSA (same run)"
"$dir/bench" "$top/tests/vectors/kskm/ksr-root-2017-q2-0.xml" "${BENCH_RUNS:-3}"
