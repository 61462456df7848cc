/*
 * sheet_about.c - the line every sheet carries about what it belongs to:
 * the owner name, the key tags and the ceremony date, read from the
 * envelope itself (its public part: owner names, DNSKEY fields, creation
 * time).
 *
 * Public data only.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "escrow.h"
#include "escrow_dnssec.h"
#include "escrow_envelope.h"
#include "escrow_print.h"

#define TAGS_SHOWN 4

int
escrow_sheet_about(const uint8_t *env, size_t env_len, char *out, size_t cap)
{
	struct escrow_envelope *e = NULL;
	struct escrow_envelope_key k;
	char owner[256], date[32];
	uint8_t rdata[4 + 2048];
	size_t i, n, off;
	time_t t;
	struct tm tm;
	int w;

	if (out == NULL || cap == 0)
		return ESCROW_ERR_INVALID_ARG;
	out[0] = '\0';
	if (env == NULL || escrow_envelope_parse(env, env_len, &e) != ESCROW_OK) {
		snprintf(out, cap, "owner ?, key tag ?, date ?");
		return ESCROW_ERR_FORMAT;
	}
	n = escrow_envelope_key_count(e);
	t = (time_t)escrow_envelope_created(e);
	if (gmtime_r(&t, &tm) == NULL || strftime(date, sizeof date, "%Y-%m-%d",
	    &tm) == 0)
		snprintf(date, sizeof date, "?");
	snprintf(owner, sizeof owner, "?");
	if (n > 0 && escrow_envelope_key(e, 0, &k) == ESCROW_OK &&
	    escrow_dnssec_name_to_text(k.owner, k.owner_len, owner,
	    sizeof owner) != ESCROW_OK)
		snprintf(owner, sizeof owner, "?");
	w = snprintf(out, cap, "owner %.60s, key tag%s", owner, n == 1 ? "" : "s");
	off = w > 0 && (size_t)w < cap ? (size_t)w : cap - 1;
	for (i = 0; i < n && i < TAGS_SHOWN; i++) {
		unsigned tag = 0;

		if (escrow_envelope_key(e, i, &k) == ESCROW_OK &&
		    k.pubkey_len <= sizeof rdata - 4) {
			rdata[0] = (uint8_t)(k.flags >> 8);
			rdata[1] = (uint8_t)k.flags;
			rdata[2] = 3;
			rdata[3] = k.algorithm;
			memcpy(rdata + 4, k.pubkey, k.pubkey_len);
			tag = escrow_dnssec_keytag_rdata(rdata, 4 + k.pubkey_len);
		}
		w = snprintf(out + off, cap - off, "%s %u", i ? "," : "", tag);
		off = w > 0 && (size_t)w < cap - off ? off + (size_t)w : cap - 1;
	}
	if (n > TAGS_SHOWN) {
		w = snprintf(out + off, cap - off, " and %zu more", n - TAGS_SHOWN);
		off = w > 0 && (size_t)w < cap - off ? off + (size_t)w : cap - 1;
	}
	snprintf(out + off, cap - off, ", made %s UTC", date);
	escrow_envelope_free(e);
	return ESCROW_OK;
}
