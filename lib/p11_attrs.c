/*
 * p11_attrs.c - read back what a token actually set on a new private key
 * object, attribute by attribute, and judge it: the key must be able to
 * sign and nothing else (DECRYPT, UNWRAP, DERIVE, SIGN_RECOVER false; WRAP
 * and ENCRYPT, which PKCS#11 does not define for private keys, false or
 * absent), must be SENSITIVE, not EXTRACTABLE, a TOKEN object and PRIVATE.
 * MODIFIABLE=false is asked for but optional (SoftHSM 2.6.1 refuses it in
 * C_UnwrapKey): it is read and reported, never refused.
 *
 * Measured on NSS softoken 3.87 (../shared/notes/pkcs11-tokens.md): keys
 * unwrapped there come back DECRYPT, UNWRAP and SIGN_RECOVER true whatever
 * the template said.  Such extra usages are named one by one; the caller
 * decides (refuse, or accept and record).
 *
 * No secrets: only boolean attributes are read.
 */
#include <stdio.h>
#include <string.h>

#include "p11_int.h"

struct want {
	CK_ATTRIBUTE_TYPE type;
	const char *name;
	int want;       /* 1 true, 0 false, -1 either (report only) */
	int usage;      /* 1: a usage the token may have added */
	int may_lack;   /* 1: absent is as good as false */
};

static const struct want wants[] = {
	{ CKA_SIGN, "SIGN", 1, 0, 0 },
	{ CKA_DECRYPT, "DECRYPT", 0, 1, 1 },
	{ CKA_UNWRAP, "UNWRAP", 0, 1, 1 },
	{ CKA_DERIVE, "DERIVE", 0, 1, 1 },
	{ CKA_SIGN_RECOVER, "SIGN_RECOVER", 0, 1, 1 },
	{ CKA_WRAP, "WRAP", 0, 1, 1 },
	{ CKA_ENCRYPT, "ENCRYPT", 0, 1, 1 },
	{ CKA_SENSITIVE, "SENSITIVE", 1, 0, 0 },
	{ CKA_EXTRACTABLE, "EXTRACTABLE", 0, 0, 0 },
	{ CKA_TOKEN, "TOKEN", 1, 0, 0 },
	{ CKA_PRIVATE, "PRIVATE", 1, 0, 0 },
	{ CKA_MODIFIABLE, "MODIFIABLE", -1, 0, 1 },
};
#define NWANTS (sizeof wants / sizeof wants[0])

/* Append sep (when buf is not empty) and words to buf (truncated). */
static void
append(char *buf, size_t cap, const char *sep, const char *w1, const char *w2)
{
	size_t len = strlen(buf);

	if (len < cap)
		snprintf(buf + len, cap - len, "%s%s%s", len > 0 ? sep : "", w1,
		    w2);
}

int
escrow_p11_i_readback(struct escrow_p11 *p, CK_OBJECT_HANDLE h,
    int accept_usages, char *attrs, size_t attrs_cap, char *extra,
    size_t extra_cap, int *usages_refused, struct escrow_p11_error *err)
{
	CK_BBOOL v[NWANTS];
	char bad[256] = "";
	size_t i;
	int missing = 0, more = 0;
	CK_RV rv;

	attrs[0] = '\0';
	extra[0] = '\0';
	*usages_refused = 0;
	for (i = 0; i < NWANTS; i++) {
		/* one at a time: a token answers CKR_ATTRIBUTE_TYPE_INVALID
		 * for the whole call if one type is not defined for the class */
		CK_ATTRIBUTE a = { wants[i].type, &v[i], sizeof v[i] };
		const char *shown;

		v[i] = CK_FALSE;
		rv = p->mod->C_GetAttributeValue(p->sess, h, &a, 1);
		if (rv != CKR_OK && rv != CKR_ATTRIBUTE_TYPE_INVALID &&
		    rv != CKR_ATTRIBUTE_SENSITIVE)
			return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11_ATTRIBUTE,
			    "C_GetAttributeValue", rv, "cannot read back CKA_%s of "
			    "the new private key (object %lu)", wants[i].name,
			    (unsigned long)h);
		if (rv != CKR_OK || a.ulValueLen != sizeof v[i]) {
			append(attrs, attrs_cap, " ", wants[i].name, "=n/a");
			if (!wants[i].may_lack) {
				append(bad, sizeof bad, ", ", wants[i].name,
				    " absent");
				missing = 1;
			}
			continue;
		}
		shown = v[i] ? "=1" : "=0";
		append(attrs, attrs_cap, " ", wants[i].name, shown);
		if (wants[i].want < 0 || (v[i] != CK_FALSE) == wants[i].want)
			continue;
		if (wants[i].usage) {
			append(extra, extra_cap, " ", wants[i].name, "");
			more = 1;
			continue;
		}
		append(bad, sizeof bad, ", ", wants[i].name, shown);
		missing = 1;
	}
	if (missing)
		return escrow_p11_i_fail(err, ESCROW_ERR_P11_ATTRIBUTE, "token `%s' made "
		    "the private key without the protection asked for (%s; want "
		    "SIGN, SENSITIVE, TOKEN, PRIVATE true and EXTRACTABLE false); "
		    "it has: %s", p->label, bad, attrs);
	if (more && !accept_usages) {
		*usages_refused = 1;
		return escrow_p11_i_fail(err, ESCROW_ERR_P11_ATTRIBUTE, "token `%s' made "
		    "the private key with more usages than asked: %s true (only "
		    "SIGN was asked for); it has: %s.  Another strategy may give "
		    "the right usages; --accept-token-usages keeps the token's "
		    "choice and records it", p->label, extra, attrs);
	}
	return ESCROW_OK;
}
