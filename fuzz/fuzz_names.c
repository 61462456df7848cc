/*
 * fuzz_names.c - short texts typed by the operator: DNS owner names
 * (-n OWNER, and the owner of a --ds record) through
 * escrow_dnssec_name_from_text(), printed back and parsed again to the
 * same wire name; and the twelve fingerprint words read aloud, through
 * escrow_envelope_fingerprint_words_parse().  Nothing here is secret.
 */
#include "escrow.h"
#include "escrow_dnssec.h"
#include "escrow_envelope.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t wire[ESCROW_DNSSEC_NAME_MAX], again[ESCROW_DNSSEC_NAME_MAX];
	uint8_t fp[ESCROW_FINGERPRINT_WORDS_BYTES];
	char text[ESCROW_DNSSEC_NAME_TEXT_MAX];
	size_t len, len2;
	char *s;

	if (escrow_init() != ESCROW_OK)
		abort();
	s = fuzz_cstr(data, size);
	if (escrow_dnssec_name_from_text(s, wire, &len) == ESCROW_OK) {
		if (len == 0 || len > ESCROW_DNSSEC_NAME_MAX ||
		    escrow_dnssec_name_to_text(wire, len, text, sizeof text) != ESCROW_OK ||
		    escrow_dnssec_name_from_text(text, again, &len2) != ESCROW_OK ||
		    len2 != len || memcmp(wire, again, len) != 0)
			abort(); /* what we print we must read back as the same name */
	}
	if (escrow_envelope_fingerprint_words_parse(s, fp) == ESCROW_OK) {
		uint8_t full[ESCROW_ENVELOPE_HASH_LEN] = { 0 };
		uint8_t fp2[ESCROW_FINGERPRINT_WORDS_BYTES];
		char words[ESCROW_FINGERPRINT_WORDS_MAX];

		/* 12 words of 10 bits are the 15 bytes: words -> bytes -> words */
		memcpy(full, fp, sizeof fp);
		escrow_envelope_fingerprint_words(full, words);
		if (escrow_envelope_fingerprint_words_parse(words, fp2) != ESCROW_OK ||
		    memcmp(fp, fp2, sizeof fp) != 0)
			abort();
	}
	free(s);
	return 0;
}
