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
 * All in one C_GetAttributeValue call (a network HSM's round trip each),
 * asked again one at a time only from a module that does not process the
 * whole template when one attribute is unavailable.
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

/* A value no token writes into a CK_BBOOL (it writes 0 or 1): marks an
 * attribute that a call left untouched. */
#define UNTOUCHED 0xA5

/*
 * All the attributes in one call (one round trip to a network HSM).
 * PKCS#11 (2.40 and 3.0, C_GetAttributeValue): a call that returns
 * CKR_ATTRIBUTE_TYPE_INVALID or CKR_ATTRIBUTE_SENSITIVE has still
 * processed every attribute, setting ulValueLen to
 * CK_UNAVAILABLE_INFORMATION for those it cannot give.  A
 * module that stops at the first such attribute instead leaves the rest
 * untouched: those are asked for again one at a time.
 */
static CK_RV
read_all(struct escrow_p11 *p, CK_OBJECT_HANDLE h, CK_BBOOL v[NWANTS],
    CK_ULONG len[NWANTS], size_t *bad)
{
	CK_ATTRIBUTE a[NWANTS];
	size_t i;
	CK_RV rv;

	for (i = 0; i < NWANTS; i++) {
		v[i] = UNTOUCHED;
		a[i].type = wants[i].type;
		a[i].pValue = &v[i];
		a[i].ulValueLen = sizeof v[i];
	}
	rv = p->mod->C_GetAttributeValue(p->sess, h, a, NWANTS);
	if (rv != CKR_OK && rv != CKR_ATTRIBUTE_TYPE_INVALID &&
	    rv != CKR_ATTRIBUTE_SENSITIVE) {
		*bad = NWANTS;
		return rv;
	}
	for (i = 0; i < NWANTS; i++) {
		CK_RV one;

		len[i] = a[i].ulValueLen;
		if (rv == CKR_OK || len[i] != sizeof v[i] || v[i] != UNTOUCHED)
			continue;
		one = p->mod->C_GetAttributeValue(p->sess, h, &a[i], 1);
		if (one != CKR_OK && one != CKR_ATTRIBUTE_TYPE_INVALID &&
		    one != CKR_ATTRIBUTE_SENSITIVE) {
			*bad = i;
			return one;
		}
		len[i] = one == CKR_OK ? a[i].ulValueLen : CK_UNAVAILABLE_INFORMATION;
	}
	return CKR_OK;
}

int
escrow_p11_i_readback(struct escrow_p11 *p, CK_OBJECT_HANDLE h,
    int accept_usages, char *attrs, size_t attrs_cap, char *extra,
    size_t extra_cap, int *usages_refused, struct escrow_p11_error *err)
{
	CK_BBOOL v[NWANTS];
	CK_ULONG len[NWANTS];
	char bad[256] = "";
	size_t i, which = NWANTS;
	int missing = 0, more = 0;
	CK_RV rv;

	attrs[0] = '\0';
	extra[0] = '\0';
	*usages_refused = 0;
	rv = read_all(p, h, v, len, &which);
	if (rv != CKR_OK)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11_ATTRIBUTE,
		    "C_GetAttributeValue", rv, "cannot read back CKA_%s of "
		    "the new private key (object %lu)", which < NWANTS ?
		    wants[which].name : "SIGN, SENSITIVE, EXTRACTABLE and the "
		    "other attributes", (unsigned long)h);
	for (i = 0; i < NWANTS; i++) {
		const char *shown;

		if (len[i] != sizeof v[i]) {
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
