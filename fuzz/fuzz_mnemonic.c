/*
 * fuzz_mnemonic.c - SLIP-0039 mnemonics as typed or scanned: the input is
 * one or more lines; each is parsed into words and decoded as a share,
 * and all lines together are combined (with the passphrase "TREZOR", as
 * the official vectors use).  Nothing here is secret: the inputs are the
 * fuzzer's.
 */
#include "escrow.h"
#include "escrow_slip39.h"
#include "fuzz.h"

#define MAX_LINES 16

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct escrow_slip39_share share;
	struct escrow_slip39_diag diag;
	const char *lines[MAX_LINES];
	uint16_t words[ESCROW_SLIP39_WORDS_MAX];
	uint8_t secret[ESCROW_SLIP39_SECRET_MAX];
	char *text, *p, *nl;
	size_t n = 0, nw, len;
	int slow = 0;

	if (escrow_init() != ESCROW_OK)
		abort();
	text = fuzz_cstr(data, size);
	for (p = text; n < MAX_LINES; p = nl + 1) {
		lines[n++] = p;
		nl = strchr(p, '\n');
		if (nl == NULL)
			break;
		*nl = '\0';
	}
	for (size_t i = 0; i < n; i++) {
		if (escrow_slip39_mnemonic_parse(lines[i], words, ESCROW_SLIP39_WORDS_MAX,
		    &nw, &diag) == ESCROW_OK) {
			(void)escrow_slip39_checksum_valid(words, nw);
			(void)escrow_slip39_checksum_locate(words, nw, diag.positions,
			    ESCROW_SLIP39_WORDS_MAX, &diag.npositions);
		}
		if (escrow_slip39_share_decode(lines[i], &share, &diag) == ESCROW_OK &&
		    share.iteration_exponent > 1)
			slow = 1;
	}
	/* 2500 << e PBKDF2 rounds per Feistel round: slow by design, and
	 * nothing the parser does; leave large e to the unit tests */
	if (!slow)
		(void)escrow_slip39_combine(lines, n, "TREZOR", secret, sizeof secret,
		    &len, &diag);
	escrow_wipe(&share, sizeof share);
	free(text);
	return 0;
}
