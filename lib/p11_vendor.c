/*
 * p11_vendor.c - what particular tokens need beyond standard PKCS#11, in
 * one table keyed by the token's manufacturer ID (CK_TOKEN_INFO), each
 * entry saying where the behaviour is documented or was measured.  Add a
 * token here, not as a special case elsewhere.
 *
 * No secrets: the attributes added are public (a public key point).
 */
#include <string.h>

#include <openssl/core_names.h>

#include "p11_int.h"

/* NSS's vendor attribute (lib/util/pkcs11n.h: CKA_NSS_DB 0xD5A0DB00). */
#define ESCROW_CKA_NSS_DB 0xD5A0DB00UL

enum vendor_need {
	/* CKA_NSS_DB = the public key (EC: the uncompressed point 04||X||Y)
	 * on EC private keys, which NSS's database keys them by */
	NEED_NSS_DB_EC = 1u << 0,
};

struct vendor {
	const char *manufacturer; /* CK_TOKEN_INFO.manufacturerID, blanks cut */
	unsigned needs;           /* enum vendor_need bits */
	unsigned ops;             /* 1 << P11_OP_*: where the need applies */
	const char *source;       /* where documented or measured */
};

static const struct vendor vendors[] = {
	{ "Mozilla Foundation", NEED_NSS_DB_EC, 1u << P11_OP_UNWRAP,
	  "NSS softoken 3.87, measured (../shared/notes/pkcs11-tokens.md, and "
	  "again with escrow-combine probe --strategy unwrap -a 13): "
	  "C_UnwrapKey of an EC private key without CKA_NSS_DB gives "
	  "CKR_TEMPLATE_INCOMPLETE, with it (the uncompressed point) it "
	  "succeeds; NSS's own importer (lib/pk11wrap/pk11pk12.c) sets "
	  "CKA_NSS_DB to the public value the same way" },
};

static const struct vendor *
vendor_of(const struct escrow_p11 *p)
{
	size_t i;

	for (i = 0; i < sizeof vendors / sizeof vendors[0]; i++)
		if (strcmp(p->manufacturer, vendors[i].manufacturer) == 0)
			return &vendors[i];
	return NULL;
}

int
escrow_p11_i_vendor_private(struct escrow_p11 *p, struct escrow_p11_i_tmpl *t,
    const struct keys_alginfo *a, EVP_PKEY *pub, int op)
{
	const struct vendor *v = vendor_of(p);
	uint8_t pt[1 + 2 * 66];
	size_t len = 0;

	if (v == NULL || !(v->ops & (1u << op)))
		return ESCROW_OK;
	if ((v->needs & NEED_NSS_DB_EC) && a->family == KEYS_EC) {
		if (pub == NULL || !EVP_PKEY_get_octet_string_param(pub,
		    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pt, sizeof pt, &len))
			return ESCROW_ERR_KEY_PARSE;
		escrow_p11_i_tmpl_bytes(t, ESCROW_CKA_NSS_DB, pt, len);
	}
	return t->overflow ? ESCROW_ERR_BUFFER_TOO_SMALL : ESCROW_OK;
}
