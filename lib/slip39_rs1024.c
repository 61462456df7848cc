/*
 * slip39_rs1024.c - the RS1024 checksum of SLIP-0039 share mnemonics (a
 * Reed-Solomon code over GF(1024)), its verification and the location of
 * a single wrong word.
 *
 * SECRET: the word indices (they carry share values).  polymod is
 * branch-free: the generator words are selected by masks, never by a
 * branch on a checksum bit.  Only verdicts (valid or not, which positions
 * could hold an error) are made public.  Public: the customization string
 * ("shamir" or "shamir_extendable", chosen by the ext flag).
 */
#include <string.h>

#include "ct.h"
#include "slip39_int.h"

static const uint32_t gen[10] = {
	0xe0e040, 0x1c1c080, 0x3838100, 0x7070200, 0xe0e0009,
	0x1c0c2412, 0x38086c24, 0x3090fc48, 0x21b1f890, 0x3f3f120,
};

static uint32_t
step(uint32_t chk, uint32_t v)
{
	uint32_t b = chk >> 20;
	int i;

	chk = ((chk & 0xfffffu) << 10) ^ v;
	for (i = 0; i < 10; i++)
		chk ^= gen[i] & (0u - ((b >> i) & 1u));
	return chk;
}

static const char *
custom(int ext)
{
	return ext ? "shamir_extendable" : "shamir";
}

static uint32_t
start(int ext)
{
	const char *cs = custom(ext);
	uint32_t chk = 1;

	for (; *cs != '\0'; cs++)
		chk = step(chk, (uint8_t)*cs);
	return chk;
}

uint32_t
escrow_rs1024_polymod(int ext, const uint16_t *words, size_t n)
{
	uint32_t chk = start(ext);
	size_t i;

	for (i = 0; i < n; i++)
		chk = step(chk, words[i]);
	return chk;
}

void
escrow_rs1024_create(int ext, const uint16_t *data, size_t n,
    uint16_t out[ESCROW_SLIP39_CHECKSUM_WORDS])
{
	uint32_t chk = escrow_rs1024_polymod(ext, data, n);
	int i;

	for (i = 0; i < ESCROW_SLIP39_CHECKSUM_WORDS; i++)
		chk = step(chk, 0);
	chk ^= 1;
	out[0] = (uint16_t)((chk >> 20) & 1023u);
	out[1] = (uint16_t)((chk >> 10) & 1023u);
	out[2] = (uint16_t)(chk & 1023u);
}

/* ext flag from the second word (public metadata) */
static int
ext_of(const uint16_t *words, size_t n)
{
	uint16_t w1;

	if (n < 2)
		return 0;
	w1 = words[1];
	escrow_ct_declassify(&w1, sizeof w1);
	return (w1 >> 4) & 1;
}

int
escrow_slip39_checksum_valid(const uint16_t *words, size_t n)
{
	uint32_t ok;

	if (words == NULL || n < ESCROW_SLIP39_CHECKSUM_WORDS)
		return 0;
	ok = escrow_ct_eq(escrow_rs1024_polymod(ext_of(words, n), words, n), 1);
	escrow_ct_declassify(&ok, sizeof ok);
	return ok != 0;
}

/*
 * Try every word at every position (1024 * n polymods, a few ms): the
 * positions where some substitution gives a valid checksum.  A change at
 * position 1 may flip the ext flag, and with it the customization string.
 */
int
escrow_slip39_checksum_locate(const uint16_t *words, size_t n,
    int *positions, size_t cap, size_t *npos)
{
	uint32_t prefix[2][ESCROW_SLIP39_WORDS_MAX + 1];
	size_t p, i, found = 0;
	int ext, e;

	if (words == NULL || npos == NULL || n < 2 ||
	    n > ESCROW_SLIP39_WORDS_MAX || (positions == NULL && cap > 0))
		return ESCROW_ERR_INVALID_ARG;
	*npos = 0;
	ext = ext_of(words, n);
	for (e = 0; e < 2; e++) {
		prefix[e][0] = start(e);
		for (p = 0; p < n; p++)
			prefix[e][p + 1] = step(prefix[e][p], words[p]);
	}
	if (escrow_slip39_checksum_valid(words, n))
		goto out;
	for (p = 0; p < n; p++) {
		uint32_t hit = 0, c;

		for (c = 0; c < 1024; c++) {
			int ce = p == 1 ? (int)((c >> 4) & 1) : ext;
			uint32_t chk = step(prefix[ce][p], c);

			for (i = p + 1; i < n; i++)
				chk = step(chk, words[i]);
			hit |= escrow_ct_eq(chk, 1);
		}
		escrow_ct_declassify(&hit, sizeof hit);
		if (hit != 0) {
			if (found < cap)
				positions[found] = (int)p;
			found++;
		}
	}
out:
	escrow_wipe(prefix, sizeof prefix);
	*npos = found < cap ? found : cap;
	return found <= cap ? ESCROW_OK : ESCROW_ERR_BUFFER_TOO_SMALL;
}
