/*
 * fi_profile.c - vendor profiles for the fault-injection module (tests
 * only): behaviours of HSMs that cannot run here, reproduced over SoftHSM
 * so that the suite's strategy choice and its probe can be tested against
 * them.  ESCROW_FI_PROFILE is a comma-separated list of:
 *
 *   unwrap-only   (a) C_CreateObject of a private key is refused
 *                 (CKR_TEMPLATE_INCONSISTENT): the only import path for a
 *                 private key is C_UnwrapKey.  Thales Luna: "Allow private
 *                 key unwrapping" is the partition policy for key import
 *                 (Luna SA 5.3 Reference, "Partition Capabilities &
 *                 Policies"); AWS CloudHSM Client SDK 5 documents private
 *                 key import as unwrapping with AES key wrap, RSA-AES or
 *                 RSA-OAEP ("Supported mechanisms for the PKCS #11
 *                 library", Key wrap).
 *   no-plain-aes  (b) C_CreateObject of a secret key (a plaintext AES key)
 *                 is refused (CKR_TEMPLATE_INCONSISTENT): the wrapping key
 *                 must itself arrive wrapped.  Entrust nShield: the PKCS #11
 *                 "security assurance mechanism" fails, by default, calls
 *                 that put key material in the clear into the module
 *                 (Security World v12.80, Generic API, "PKCS #11 security
 *                 assurance mechanism"); AWS CloudHSM unwraps only under
 *                 a trusted key ("How to unwrap a data key with a trusted
 *                 key for AWS CloudHSM").
 *   luna-kwp      (c) RFC 5649 only under Thales Luna's vendor number
 *                 CKM_AES_KWP = CKM_VENDOR_DEFINED + 0x171 (and RFC 3394
 *                 under CKM_AES_KW = CKM_VENDOR_DEFINED + 0x170), as the
 *                 Luna SDK's cryptoki_v2.h defines them; 0x2109 and 0x210A
 *                 are not listed and give CKR_MECHANISM_INVALID.
 *   v240          (d) a PKCS#11 2.40 module: C_GetInfo says 2.40, and
 *                 CKM_EDDSA, CKM_EC_EDWARDS_KEY_PAIR_GEN, the key types
 *                 CKK_EC_EDWARDS/CKK_EC_MONTGOMERY (all PKCS#11 3.0) do not
 *                 exist.  AWS CloudHSM's library "is compliant with
 *                 version 2.40" and signs with RSA, HMAC and ECDSA only
 *                 (AWS CloudHSM User Guide, PKCS #11 library, Mechanisms).
 *   merge-id      (e) a new token key object with the class and CKA_ID of
 *                 an existing one is merged into it: the existing handle is
 *                 returned and now holds the new key.  NSS softoken does
 *                 this (lib/softoken/sftkdb.c: sftkdb_CreateObject updates
 *                 the object sftkdb_lookupObject finds; measured with NSS
 *                 3.87, ../shared/notes/pkcs11-tokens.md).
 *   network       (f) every call takes ESCROW_FI_DELAY_US microseconds
 *                 (default 2000): a network HSM's round trip (Luna Network
 *                 HSM, AWS CloudHSM: every PKCS#11 call goes over TLS to
 *                 the appliance).  Applied in fi.c around each call.
 *   attr-stop     not a vendor's documented behaviour but a break of
 *                 PKCS#11 (C_GetAttributeValue, 2.40 and 3.0) that the
 *                 suite guards against: a
 *                 C_GetAttributeValue that meets an attribute it cannot
 *                 give returns at once, leaving the template's later
 *                 attributes untouched (instead of processing every one).
 *
 * No secrets are read or kept: the profile code looks only at CKA_CLASS,
 * CKA_KEY_TYPE, CKA_TOKEN and CKA_ID and at mechanism numbers.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <p11-kit/pkcs11.h>

#include "fi_profile.h"

#define VENDOR_KW  (CKM_VENDOR_DEFINED + 0x170UL)
#define VENDOR_KWP (CKM_VENDOR_DEFINED + 0x171UL)
/* PKCS#11 3.0 numbers p11-kit's header may lack */
#define FI_CKM_EC_EDWARDS_KEY_PAIR_GEN 0x1055UL
#define FI_CKM_EC_MONTGOMERY_KEY_PAIR_GEN 0x1056UL
#define FI_CKM_EDDSA 0x1057UL
#define FI_CKK_EC_EDWARDS 0x40UL
#define FI_CKK_EC_MONTGOMERY 0x41UL

enum {
	P_UNWRAP_ONLY = 1, P_NO_PLAIN_AES = 2, P_LUNA_KWP = 4, P_V240 = 8,
	P_MERGE_ID = 16, P_NETWORK = 32, P_ATTR_STOP = 64
};

static unsigned profiles;
static unsigned long delay_us;
static CK_FUNCTION_LIST *real;  /* SoftHSM itself: uncounted lookups */
static CK_FUNCTION_LIST gen;    /* fi.c's counting wrappers */

/* merge-id: handles the caller holds for objects that were replaced */
#define NALIAS 256
static struct { CK_OBJECT_HANDLE vis, real; } alias[NALIAS];
static size_t nalias;
static pthread_mutex_t alias_mu = PTHREAD_MUTEX_INITIALIZER;

static CK_OBJECT_HANDLE
to_real(CK_OBJECT_HANDLE h)
{
	size_t i;

	if (!(profiles & P_MERGE_ID))
		return h;
	pthread_mutex_lock(&alias_mu);
	for (i = 0; i < nalias; i++)
		if (alias[i].vis == h) {
			h = alias[i].real;
			break;
		}
	pthread_mutex_unlock(&alias_mu);
	return h;
}

static CK_OBJECT_HANDLE
to_vis(CK_OBJECT_HANDLE h)
{
	size_t i;

	pthread_mutex_lock(&alias_mu);
	for (i = 0; i < nalias; i++)
		if (alias[i].real == h) {
			h = alias[i].vis;
			break;
		}
	pthread_mutex_unlock(&alias_mu);
	return h;
}

static void
alias_drop(CK_OBJECT_HANDLE vis)
{
	size_t i;

	pthread_mutex_lock(&alias_mu);
	for (i = 0; i < nalias; i++)
		if (alias[i].vis == vis) {
			alias[i] = alias[--nalias];
			break;
		}
	pthread_mutex_unlock(&alias_mu);
}

static void
alias_set(CK_OBJECT_HANDLE vis, CK_OBJECT_HANDLE r)
{
	size_t i;

	pthread_mutex_lock(&alias_mu);
	for (i = 0; i < nalias && alias[i].vis != vis; i++)
		;
	if (i < NALIAS) {
		alias[i].vis = vis;
		alias[i].real = r;
		if (i == nalias)
			nalias++;
	}
	pthread_mutex_unlock(&alias_mu);
}

/* The value of a CK_ULONG attribute in a template, or def. */
static CK_ULONG
tmpl_ulong(const CK_ATTRIBUTE *t, CK_ULONG n, CK_ATTRIBUTE_TYPE type, CK_ULONG def)
{
	CK_ULONG i, v;

	for (i = 0; t != NULL && i < n; i++)
		if (t[i].type == type && t[i].pValue != NULL &&
		    t[i].ulValueLen == sizeof v) {
			memcpy(&v, t[i].pValue, sizeof v);
			return v;
		}
	return def;
}

static int
edwards(const CK_ATTRIBUTE *t, CK_ULONG n)
{
	CK_ULONG kt = tmpl_ulong(t, n, CKA_KEY_TYPE, (CK_ULONG)-1);

	return kt == FI_CKK_EC_EDWARDS || kt == FI_CKK_EC_MONTGOMERY;
}

/* A mechanism this profile hides (not listed, CKR_MECHANISM_INVALID). */
static int
hidden(CK_MECHANISM_TYPE m)
{
	if ((profiles & P_LUNA_KWP) && (m == CKM_AES_KEY_WRAP || m == CKM_AES_KEY_WRAP_PAD))
		return 1;
	if ((profiles & P_V240) && (m == FI_CKM_EDDSA ||
	    m == FI_CKM_EC_EDWARDS_KEY_PAIR_GEN || m == FI_CKM_EC_MONTGOMERY_KEY_PAIR_GEN))
		return 1;
	return 0;
}

/* The number SoftHSM knows for a mechanism the caller names. */
static CK_MECHANISM_TYPE
mech_real(CK_MECHANISM_TYPE m)
{
	if (profiles & P_LUNA_KWP) {
		if (m == VENDOR_KWP)
			return CKM_AES_KEY_WRAP_PAD;
		if (m == VENDOR_KW)
			return CKM_AES_KEY_WRAP;
	}
	return m;
}

static CK_MECHANISM_TYPE
mech_vis(CK_MECHANISM_TYPE m)
{
	if (profiles & P_LUNA_KWP) {
		if (m == CKM_AES_KEY_WRAP_PAD)
			return VENDOR_KWP;
		if (m == CKM_AES_KEY_WRAP)
			return VENDOR_KW;
	}
	return m;
}

/* Map *m into *out; CKR_MECHANISM_INVALID if the profile hides it. */
static CK_RV
mech_in(const CK_MECHANISM *m, CK_MECHANISM *out)
{
	if (m == NULL)
		return CKR_ARGUMENTS_BAD;
	if (hidden(m->mechanism))
		return CKR_MECHANISM_INVALID;
	*out = *m;
	out->mechanism = mech_real(m->mechanism);
	return CKR_OK;
}

static CK_RV
pf_C_GetInfo(CK_INFO *info)
{
	CK_RV rv = gen.C_GetInfo(info);

	if (rv == CKR_OK && (profiles & P_V240) && info != NULL) {
		info->cryptokiVersion.major = 2;
		info->cryptokiVersion.minor = 40;
	}
	return rv;
}

static CK_RV
pf_C_GetMechanismList(CK_SLOT_ID slot, CK_MECHANISM_TYPE *list, CK_ULONG *count)
{
	CK_MECHANISM_TYPE *all;
	CK_ULONG n = 0, i, k = 0;
	CK_RV rv;

	if (count == NULL)
		return CKR_ARGUMENTS_BAD;
	if ((rv = gen.C_GetMechanismList(slot, NULL, &n)) != CKR_OK)
		return rv;
	if ((all = calloc(n + 1, sizeof *all)) == NULL)
		return CKR_HOST_MEMORY;
	if ((rv = real->C_GetMechanismList(slot, all, &n)) != CKR_OK) {
		free(all);
		return rv;
	}
	for (i = 0; i < n; i++)
		if (!hidden(mech_vis(all[i])))
			all[k++] = mech_vis(all[i]);
	if (list != NULL && *count < k)
		rv = CKR_BUFFER_TOO_SMALL;
	else if (list != NULL)
		memcpy(list, all, k * sizeof *all);
	*count = k;
	free(all);
	return rv;
}

static CK_RV
pf_C_GetMechanismInfo(CK_SLOT_ID slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO *info)
{
	if (hidden(type))
		return CKR_MECHANISM_INVALID;
	return gen.C_GetMechanismInfo(slot, mech_real(type), info);
}

/* merge-id: after a new object h, fold it into an older twin. */
static CK_OBJECT_HANDLE
merge(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h)
{
	CK_OBJECT_CLASS cls;
	CK_BBOOL tok = CK_FALSE, t = CK_TRUE;
	unsigned char id[256];
	CK_ATTRIBUTE rd[] = { { CKA_CLASS, &cls, sizeof cls },
		{ CKA_TOKEN, &tok, sizeof tok }, { CKA_ID, id, sizeof id } };
	CK_OBJECT_HANDLE found[16], old = CK_INVALID_HANDLE;
	CK_ULONG nf = 0, i;

	if (real->C_GetAttributeValue(s, h, rd, 3) != CKR_OK || !tok ||
	    (cls != CKO_PRIVATE_KEY && cls != CKO_PUBLIC_KEY) || rd[2].ulValueLen == 0)
		return h;
	{
		CK_ATTRIBUTE q[] = { { CKA_CLASS, &cls, sizeof cls },
			{ CKA_TOKEN, &t, sizeof t }, { CKA_ID, id, rd[2].ulValueLen } };

		if (real->C_FindObjectsInit(s, q, 3) != CKR_OK)
			return h;
		(void)real->C_FindObjects(s, found, 16, &nf);
		(void)real->C_FindObjectsFinal(s);
	}
	for (i = 0; i < nf; i++)
		if (found[i] != h) {
			old = found[i];
			break;
		}
	if (old == CK_INVALID_HANDLE || real->C_DestroyObject(s, old) != CKR_OK)
		return h;
	old = to_vis(old);
	alias_set(old, h);
	return old;
}

static CK_RV
pf_C_CreateObject(CK_SESSION_HANDLE s, CK_ATTRIBUTE *t, CK_ULONG n, CK_OBJECT_HANDLE *obj)
{
	CK_ULONG cls = tmpl_ulong(t, n, CKA_CLASS, (CK_ULONG)-1);
	CK_RV rv;

	if ((profiles & P_UNWRAP_ONLY) && cls == CKO_PRIVATE_KEY)
		return CKR_TEMPLATE_INCONSISTENT;
	if ((profiles & P_NO_PLAIN_AES) && cls == CKO_SECRET_KEY)
		return CKR_TEMPLATE_INCONSISTENT;
	if ((profiles & P_V240) && edwards(t, n))
		return CKR_ATTRIBUTE_VALUE_INVALID;
	rv = gen.C_CreateObject(s, t, n, obj);
	if (rv == CKR_OK && (profiles & P_MERGE_ID) && obj != NULL)
		*obj = merge(s, *obj);
	return rv;
}

static CK_RV
pf_C_UnwrapKey(CK_SESSION_HANDLE s, CK_MECHANISM *m, CK_OBJECT_HANDLE key,
    CK_BYTE *wrapped, CK_ULONG wlen, CK_ATTRIBUTE *t, CK_ULONG n, CK_OBJECT_HANDLE *obj)
{
	CK_MECHANISM mm;
	CK_RV rv;

	if ((rv = mech_in(m, &mm)) != CKR_OK)
		return rv;
	if ((profiles & P_V240) && edwards(t, n))
		return CKR_ATTRIBUTE_VALUE_INVALID;
	rv = gen.C_UnwrapKey(s, &mm, to_real(key), wrapped, wlen, t, n, obj);
	if (rv == CKR_OK && (profiles & P_MERGE_ID) && obj != NULL)
		*obj = merge(s, *obj);
	return rv;
}

static CK_RV
pf_C_WrapKey(CK_SESSION_HANDLE s, CK_MECHANISM *m, CK_OBJECT_HANDLE wk,
    CK_OBJECT_HANDLE key, CK_BYTE *out, CK_ULONG *outlen)
{
	CK_MECHANISM mm;
	CK_RV rv;

	if ((rv = mech_in(m, &mm)) != CKR_OK)
		return rv;
	return gen.C_WrapKey(s, &mm, to_real(wk), to_real(key), out, outlen);
}

static CK_RV
pf_C_GenerateKeyPair(CK_SESSION_HANDLE s, CK_MECHANISM *m, CK_ATTRIBUTE *pt,
    CK_ULONG pn, CK_ATTRIBUTE *vt, CK_ULONG vn, CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv)
{
	CK_MECHANISM mm;
	CK_RV rv;

	if ((rv = mech_in(m, &mm)) != CKR_OK)
		return rv;
	return gen.C_GenerateKeyPair(s, &mm, pt, pn, vt, vn, pub, priv);
}

/* Init functions: a mechanism and a key handle. */
#define PF_INIT(name)                                                        \
	static CK_RV pf_##name(CK_SESSION_HANDLE s, CK_MECHANISM *m,         \
	    CK_OBJECT_HANDLE key)                                            \
	{                                                                    \
		CK_MECHANISM mm;                                             \
		CK_RV rv = mech_in(m, &mm);                                  \
		return rv != CKR_OK ? rv : gen.name(s, &mm, to_real(key));   \
	}
PF_INIT(C_SignInit)
PF_INIT(C_VerifyInit)
PF_INIT(C_EncryptInit)
PF_INIT(C_DecryptInit)

static CK_RV
pf_C_DestroyObject(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h)
{
	CK_RV rv = gen.C_DestroyObject(s, to_real(h));

	if (rv == CKR_OK)
		alias_drop(h);
	return rv;
}

static CK_RV
pf_C_GetAttributeValue(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE *t, CK_ULONG n)
{
	CK_RV rv = CKR_OK;
	CK_ULONG i;

	if (!(profiles & P_ATTR_STOP) || n < 2)
		return gen.C_GetAttributeValue(s, to_real(h), t, n);
	/* one counted call, then attribute by attribute up to the first
	 * one that cannot be given */
	rv = gen.C_GetAttributeValue(s, to_real(h), t, 1);
	for (i = 1; i < n && (rv == CKR_OK); i++)
		rv = real->C_GetAttributeValue(s, to_real(h), &t[i], 1);
	return rv;
}

static CK_RV
pf_C_SetAttributeValue(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE *t, CK_ULONG n)
{
	return gen.C_SetAttributeValue(s, to_real(h), t, n);
}

static CK_RV
pf_C_GetObjectSize(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ULONG *size)
{
	return gen.C_GetObjectSize(s, to_real(h), size);
}

static CK_RV
pf_C_CopyObject(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE *t, CK_ULONG n,
    CK_OBJECT_HANDLE *obj)
{
	CK_RV rv = gen.C_CopyObject(s, to_real(h), t, n, obj);

	if (rv == CKR_OK && (profiles & P_MERGE_ID) && obj != NULL)
		*obj = merge(s, *obj);
	return rv;
}

static CK_RV
pf_C_FindObjects(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE *obj, CK_ULONG max, CK_ULONG *n)
{
	CK_RV rv = gen.C_FindObjects(s, obj, max, n);
	CK_ULONG i;

	for (i = 0; rv == CKR_OK && obj != NULL && n != NULL && i < *n; i++)
		obj[i] = to_vis(obj[i]);
	return rv;
}

static unsigned
parse(const char *s)
{
	static const struct { const char *name; unsigned bit; } names[] = {
		{ "unwrap-only", P_UNWRAP_ONLY }, { "no-plain-aes", P_NO_PLAIN_AES },
		{ "luna-kwp", P_LUNA_KWP }, { "v240", P_V240 },
		{ "merge-id", P_MERGE_ID }, { "network", P_NETWORK },
		{ "attr-stop", P_ATTR_STOP },
	};
	unsigned bits = 0;
	size_t i, len;

	while (s != NULL && *s != '\0') {
		len = strcspn(s, ",");
		for (i = 0; i < sizeof names / sizeof names[0]; i++)
			if (strlen(names[i].name) == len && strncmp(s, names[i].name, len) == 0)
				bits |= names[i].bit;
		s += len;
		if (*s == ',')
			s++;
	}
	return bits;
}

void
fi_profile_install(CK_FUNCTION_LIST *wrapped, CK_FUNCTION_LIST *real_list)
{
	const char *d = getenv("ESCROW_FI_DELAY_US");

	profiles = parse(getenv("ESCROW_FI_PROFILE"));
	delay_us = 0;
	if (profiles & P_NETWORK)
		delay_us = 2000;
	if (d != NULL && *d != '\0')
		delay_us = strtoul(d, NULL, 10);
	/* every load of the module (a process that keeps it loaded, as
	 * check_all under valgrind without fork does, reads the profile
	 * again); the wrappers, once in, pass through what no profile bit
	 * asks to change */
	if ((profiles & ~(unsigned)P_NETWORK) == 0 || real != NULL)
		return;
	real = real_list;
	gen = *wrapped;
	wrapped->C_GetInfo = pf_C_GetInfo;
	wrapped->C_GetMechanismList = pf_C_GetMechanismList;
	wrapped->C_GetMechanismInfo = pf_C_GetMechanismInfo;
	wrapped->C_CreateObject = pf_C_CreateObject;
	wrapped->C_UnwrapKey = pf_C_UnwrapKey;
	wrapped->C_WrapKey = pf_C_WrapKey;
	wrapped->C_GenerateKeyPair = pf_C_GenerateKeyPair;
	wrapped->C_SignInit = pf_C_SignInit;
	wrapped->C_VerifyInit = pf_C_VerifyInit;
	wrapped->C_EncryptInit = pf_C_EncryptInit;
	wrapped->C_DecryptInit = pf_C_DecryptInit;
	wrapped->C_DestroyObject = pf_C_DestroyObject;
	wrapped->C_GetAttributeValue = pf_C_GetAttributeValue;
	wrapped->C_SetAttributeValue = pf_C_SetAttributeValue;
	wrapped->C_GetObjectSize = pf_C_GetObjectSize;
	wrapped->C_CopyObject = pf_C_CopyObject;
	wrapped->C_FindObjects = pf_C_FindObjects;
}

unsigned long
fi_profile_delay_us(void)
{
	return delay_us;
}
