/*
 * p11_objects.c - find objects by CKA_ID or by PKCS#11 URI, and list them
 * with the attributes the tools' summary shows.  Only public attributes are
 * read here (class, key type, label, token, sensitive, extractable,
 * modifiable).
 */
#include <stdlib.h>
#include <string.h>

#include "p11_int.h"

static int
tri(const CK_ATTRIBUTE *a, CK_BBOOL v)
{
	if (a->ulValueLen != sizeof(CK_BBOOL))
		return -1;
	return v ? 1 : 0;
}

static int
info_of(struct escrow_p11 *p, CK_OBJECT_HANDLE h,
    struct escrow_p11_object_info *o, struct escrow_p11_error *err)
{
	CK_OBJECT_CLASS cls = (CK_OBJECT_CLASS)-1;
	CK_KEY_TYPE kt = (CK_KEY_TYPE)-1;
	CK_BBOOL tok = CK_FALSE, sens = CK_FALSE, ext = CK_FALSE, mod = CK_FALSE;
	char label[sizeof o->label];
	CK_ATTRIBUTE a[] = {
		{ CKA_CLASS, &cls, sizeof cls },
		{ CKA_KEY_TYPE, &kt, sizeof kt },
		{ CKA_LABEL, label, sizeof label - 1 },
		{ CKA_TOKEN, &tok, sizeof tok },
		{ CKA_SENSITIVE, &sens, sizeof sens },
		{ CKA_EXTRACTABLE, &ext, sizeof ext },
		{ CKA_MODIFIABLE, &mod, sizeof mod },
	};
	CK_RV rv;

	memset(o, 0, sizeof *o);
	memset(label, 0, sizeof label);
	rv = p->mod->C_GetAttributeValue(p->sess, h, a, sizeof a / sizeof a[0]);
	if (rv != CKR_OK && rv != CKR_ATTRIBUTE_TYPE_INVALID &&
	    rv != CKR_ATTRIBUTE_SENSITIVE && rv != CKR_BUFFER_TOO_SMALL)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, "C_GetAttributeValue",
		    rv, "object %lu on token `%s'", (unsigned long)h, p->label);
	if (a[2].ulValueLen == CK_UNAVAILABLE_INFORMATION) {
		/* too long or absent: read what fits */
		memset(label, 0, sizeof label);
		a[2].ulValueLen = 0;
	}
	o->handle = h;
	o->object_class = a[0].ulValueLen == sizeof cls ? cls : (CK_ULONG)-1;
	o->key_type = a[1].ulValueLen == sizeof kt ? kt : (CK_ULONG)-1;
	memcpy(o->label, label, a[2].ulValueLen < sizeof o->label ?
	    a[2].ulValueLen : sizeof o->label - 1);
	o->token = tri(&a[3], tok) == 1;
	o->sensitive = tri(&a[4], sens);
	o->extractable = tri(&a[5], ext);
	o->modifiable = tri(&a[6], mod);
	return ESCROW_OK;
}

int
escrow_p11_list(struct escrow_p11 *p, const uint8_t *id, size_t id_len,
    struct escrow_p11_object_info *out, size_t cap, size_t *count,
    struct escrow_p11_error *err)
{
	CK_ATTRIBUTE t = { CKA_ID, (void *)(uintptr_t)id, id_len };
	CK_OBJECT_HANDLE *h = NULL;
	CK_ULONG n = 0, i;
	int ret;

	escrow_p11_i_err_clear(err);
	if (p == NULL || count == NULL || (out == NULL && cap > 0))
		return escrow_p11_i_fail(err, ESCROW_ERR_INVALID_ARG, "bad arguments");
	*count = 0;
	ret = escrow_p11_i_find(p, &t, id != NULL ? 1 : 0, &h, &n, err);
	if (ret != ESCROW_OK)
		return ret;
	for (i = 0; i < n && i < cap; i++) {
		ret = info_of(p, h[i], &out[i], err);
		if (ret != ESCROW_OK)
			goto out;
	}
	*count = n;
out:
	free(h);
	return ret;
}

static int
find_one(struct escrow_p11 *p, CK_ATTRIBUTE *t, CK_ULONG nt,
    unsigned long *handle, const char *what, struct escrow_p11_error *err)
{
	CK_OBJECT_HANDLE *h = NULL;
	CK_ULONG n = 0;
	int ret;

	ret = escrow_p11_i_find(p, t, nt, &h, &n, err);
	if (ret != ESCROW_OK)
		return ret;
	if (n != 1)
		ret = escrow_p11_i_fail(err, ESCROW_ERR_P11_ATTRIBUTE, "%s objects match "
		    "%s on token `%s' (exactly one must)", n == 0 ? "no" : "several",
		    what, p->label);
	else
		*handle = h[0];
	free(h);
	return ret;
}

int
escrow_p11_find_private(struct escrow_p11 *p, const uint8_t *id,
    size_t id_len, unsigned long *handle, struct escrow_p11_error *err)
{
	CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
	CK_ATTRIBUTE t[] = {
		{ CKA_CLASS, &cls, sizeof cls },
		{ CKA_ID, (void *)(uintptr_t)id, id_len },
	};

	escrow_p11_i_err_clear(err);
	if (p == NULL || id == NULL || id_len == 0 || handle == NULL)
		return escrow_p11_i_fail(err, ESCROW_ERR_INVALID_ARG, "no CKA_ID given");
	return find_one(p, t, 2, handle, "this CKA_ID (private key)", err);
}

int
escrow_p11_find_uri(struct escrow_p11 *p, const char *object_uri,
    unsigned long *handle, struct escrow_p11_error *err)
{
	P11KitUri *uri = NULL;
	CK_ATTRIBUTE *attrs, t[4];
	CK_TOKEN_INFO ti;
	CK_ULONG n = 0, i;
	int ret, r;

	escrow_p11_i_err_clear(err);
	if (p == NULL || object_uri == NULL || handle == NULL)
		return escrow_p11_i_fail(err, ESCROW_ERR_INVALID_ARG, "no URI given");
	uri = p11_kit_uri_new();
	if (uri == NULL)
		return ESCROW_ERR_NOMEM;
	r = p11_kit_uri_parse(object_uri, P11_KIT_URI_FOR_ANY, uri);
	if (r != P11_KIT_URI_OK || p11_kit_uri_any_unrecognized(uri)) {
		ret = escrow_p11_i_fail(err, ESCROW_ERR_P11_URI, "`%s': %s", object_uri,
		    r != P11_KIT_URI_OK ? p11_kit_uri_message(r) :
		    "an attribute this library does not know");
		goto out;
	}
	memset(&ti, 0, sizeof ti);
	if (p->mod->C_GetTokenInfo(p->slot, &ti) != CKR_OK ||
	    !p11_kit_uri_match_token_info(uri, &ti)) {
		ret = escrow_p11_i_fail(err, ESCROW_ERR_P11_TOKEN, "`%s' names another "
		    "token than the open one (`%s')", object_uri, p->label);
		goto out;
	}
	attrs = p11_kit_uri_get_attributes(uri, &n);
	if (n == 0 || n > sizeof t / sizeof t[0]) {
		ret = escrow_p11_i_fail(err, ESCROW_ERR_P11_URI, "`%s' names no object "
		    "(give id=, object= or type=)", object_uri);
		goto out;
	}
	for (i = 0; i < n; i++)
		t[i] = attrs[i];
	ret = find_one(p, t, n, handle, object_uri, err);
out:
	p11_kit_uri_free(uri);
	return ret;
}
