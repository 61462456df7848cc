/*
 * fuzz_ksr.c - KSR/SKR documents and zone-file requests: libxml2 reading,
 * schema validation and the strict value reader (escrow_ksr_parse), the
 * request checks including the ZSK operator's signatures
 * (escrow_ksr_check_request), each bundle's RRset and signed data, and
 * the zone-file form (escrow_ksr_zone_parse).  Nothing here is secret.
 */
#include "escrow.h"
#include "escrow_ksr.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct escrow_ksr *k = NULL;
	char err[ESCROW_KSR_ERR_MAX];

	if (escrow_init() != ESCROW_OK)
		abort();
	if (escrow_ksr_parse((const char *)data, size, &k, err, sizeof err) ==
	    ESCROW_OK) {
		(void)escrow_ksr_check_request(k, err, sizeof err);
		for (size_t i = 0; i < k->nbundles; i++) {
			struct escrow_rrsig sig;
			uint8_t *sd = NULL;
			size_t len;

			if (k->bundles[i].nkeys > 0 &&
			    escrow_ksr_bundle_signed_data(&k->bundles[i],
			    &k->bundles[i].keys[0].dnskey, &sig, &sd, &len) == 0)
				free(sd);
		}
		free(k);
		k = NULL;
	}
	if (escrow_ksr_zone_parse((const char *)data, size, &k, err,
	    sizeof err) == ESCROW_OK)
		free(k);
	return 0;
}
