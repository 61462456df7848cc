/*
 * fuzz_thresh.c - the threshold RSA files a custodian or a combiner
 * reads: the public parameters text (escrow_thresh_params_parse, strict,
 * re-encoded and compared), the binary share record
 * (escrow_thresh_share_from_record; a share is SECRET in real use, but
 * these inputs are made up by the fuzzer), and the partial-signature file
 * (tt_partial_parse, tools/threshold_partial.c).  A partial that parses is
 * written out again and must read back the same.
 */
#include "escrow.h"
#include "escrow_thresh.h"
#include "escrow_text.h"
#include "fuzz.h"
#include "threshold.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tt_partial part, again;
	struct escrow_thresh_params *p = NULL;
	struct escrow_thresh_share *s = NULL;
	struct escrow_text t;
	char err[256];
	unsigned line = 0;

	if (escrow_init() != ESCROW_OK)
		abort();
	if (escrow_thresh_params_parse((const char *)data, size, &p, &line) ==
	    ESCROW_OK)
		escrow_thresh_params_free(p);
	if (escrow_thresh_share_from_record(data, size, &s) == ESCROW_OK)
		escrow_thresh_share_free(s);
	if (tt_partial_parse((const char *)data, size, &part, err, sizeof err) == 0) {
		escrow_text_init(&t, 0);
		if (tt_partial_text(&part, &t) != 0 || escrow_text_done(&t) != ESCROW_OK ||
		    tt_partial_parse(t.p, t.len, &again, err, sizeof err) != 0 ||
		    again.n != part.n || again.index != part.index)
			abort();
		escrow_text_free(&t);
	}
	return 0;
}
