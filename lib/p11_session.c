/*
 * p11_session.c - load a PKCS#11 module through p11-kit, select one token
 * by PKCS#11 URI (RFC 7512), open a R/W session and log in; find and list
 * objects.
 *
 * C_Initialize gets the caller's initialisation arguments (pReserved) when
 * given; the URI may name the module (module-path=, module-name=).
 * Logging in is a step of its own, so that a tool can ask for the PIN
 * again on CKR_PIN_INCORRECT.
 *
 * Secret: the PIN (passed straight to C_Login, never copied or kept).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p11_int.h"

/* Copy a blank-padded PKCS#11 string into a NUL-terminated one. */
static void
space_copy(char *dst, size_t cap, const unsigned char *src, size_t len)
{
	size_t n = p11_kit_space_strlen(src, len);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int
load_module(struct escrow_p11 *p, const char *module, P11KitUri *uri,
    const char *init_args, struct escrow_p11_error *err)
{
	const char *path = module, *name = NULL;
	const char *upath = p11_kit_uri_get_module_path(uri);
	const char *uname = p11_kit_uri_get_module_name(uri);
	CK_C_INITIALIZE_ARGS args;
	CK_RV rv;

	if (module != NULL && ((upath != NULL && strcmp(upath, module) != 0) ||
	    (uname != NULL && strcmp(uname, module) != 0)))
		return escrow_p11_i_fail(err, ESCROW_ERR_P11_URI, "the module given "
		    "(`%s') is not the one the token URI names (module-%s=%s): "
		    "give one of them", module, upath != NULL ? "path" : "name",
		    upath != NULL ? upath : uname);
	if (module == NULL) {
		path = p11_kit_uri_get_module_path(uri);
		name = p11_kit_uri_get_module_name(uri);
		if (path == NULL && name == NULL)
			return escrow_p11_i_fail(err, ESCROW_ERR_P11_MODULE,
			    "no module given: name a module path, a p11-kit "
			    "module name, or put module-path= in the URI");
	} else if (strchr(module, '/') == NULL) {
		path = NULL;
		name = module;
	}
	if (init_args != NULL && path == NULL)
		return escrow_p11_i_fail(err, ESCROW_ERR_P11_MODULE, "initialisation "
		    "arguments go with a module path, not with `%s', a module "
		    "registered with p11-kit: put them in its .module file as "
		    "`x-init-reserved: ...'", name);
	if (path != NULL) {
		/* unmanaged: C_Initialize is called here, with pReserved */
		p->mod = p11_kit_module_load(path, init_args != NULL ?
		    P11_KIT_MODULE_UNMANAGED : 0);
		if (p->mod == NULL)
			return escrow_p11_i_fail(err, ESCROW_ERR_P11_MODULE,
			    "cannot load PKCS#11 module `%s': %s", path,
			    p11_kit_message() ? p11_kit_message() : "unknown");
		snprintf(p->module_desc, sizeof p->module_desc, "%s", path);
	} else {
		p->modlist = p11_kit_modules_load(NULL, 0);
		if (p->modlist != NULL)
			p->mod = p11_kit_module_for_name(p->modlist, name);
		if (p->mod == NULL)
			return escrow_p11_i_fail(err, ESCROW_ERR_P11_MODULE,
			    "no PKCS#11 module named `%s' is registered with "
			    "p11-kit (see `p11-kit list-modules')", name);
		snprintf(p->module_desc, sizeof p->module_desc, "%s", name);
	}
	if (init_args != NULL) {
		memset(&args, 0, sizeof args);
		args.flags = CKF_OS_LOCKING_OK;
		args.pReserved = (void *)(uintptr_t)init_args;
		rv = p->mod->C_Initialize(&args);
		p->unmanaged = 1;
	} else {
		rv = p11_kit_module_initialize(p->mod);
	}
	if (rv == CKR_ARGUMENTS_BAD)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11_MODULE, "C_Initialize",
		    rv, "module `%s' refused to start %s: it probably wants "
		    "initialisation arguments (C_Initialize pReserved).  Give "
		    "them with --module-init-args (NSS softoken: \"configdir="
		    "'sql:DIR' certPrefix='' keyPrefix='' secmod='secmod.db' "
		    "flags=\"), or register the module with p11-kit (a .module "
		    "file with `x-init-reserved: ...') and name it by its "
		    "registered name", p->module_desc, init_args != NULL ?
		    "with the arguments given" : "without arguments");
	if (rv != CKR_OK)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11_MODULE, "C_Initialize",
		    rv, "module `%s' failed to initialise", p->module_desc);
	p->initialized = 1;
	return ESCROW_OK;
}

/* Describe one token for the "no match" message. */
static void
describe(char *buf, size_t cap, CK_SLOT_ID slot, const CK_TOKEN_INFO *ti)
{
	char label[33], manuf[33], model[17], serial[17];
	size_t used = strlen(buf);

	space_copy(label, sizeof label, ti->label, sizeof ti->label);
	space_copy(manuf, sizeof manuf, ti->manufacturerID,
	    sizeof ti->manufacturerID);
	space_copy(model, sizeof model, ti->model, sizeof ti->model);
	space_copy(serial, sizeof serial, ti->serialNumber,
	    sizeof ti->serialNumber);
	if (used < cap)
		snprintf(buf + used, cap - used,
		    "%s`%s' (slot %lu, %s %s, serial %s)",
		    used > 0 ? "; " : "", label, (unsigned long)slot, manuf,
		    model, serial);
}

static int
select_token(struct escrow_p11 *p, P11KitUri *uri, struct escrow_p11_error *err)
{
	CK_SLOT_ID *slots = NULL, want = p11_kit_uri_get_slot_id(uri);
	CK_ULONG n = 0, i, matches = 0;
	CK_INFO info;
	char seen[400] = "", matched[400] = "";
	const char *failed_fn = NULL;
	CK_RV rv, failed_rv = CKR_OK;
	CK_SLOT_ID failed_slot = 0;
	struct escrow_p11_token_desc *d;
	int ret;

	memset(&info, 0, sizeof info);
	rv = p->mod->C_GetInfo(&info);
	if (rv != CKR_OK)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, "C_GetInfo", rv,
		    "module `%s'", p->module_desc);
	if (!p11_kit_uri_match_module_info(uri, &info))
		return escrow_p11_i_fail(err, ESCROW_ERR_P11_TOKEN, "the URI's library "
		    "attributes do not match module `%s'", p->module_desc);
	rv = p->mod->C_GetSlotList(CK_TRUE, NULL, &n);
	if (rv != CKR_OK)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, "C_GetSlotList", rv,
		    "cannot list the slots of `%s'", p->module_desc);
	slots = calloc(n + 1, sizeof *slots);
	if (slots == NULL)
		return ESCROW_ERR_NOMEM;
	rv = p->mod->C_GetSlotList(CK_TRUE, slots, &n);
	if (rv != CKR_OK) {
		ret = escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, "C_GetSlotList", rv,
		    "cannot list the slots of `%s'", p->module_desc);
		goto out;
	}
	for (i = 0; i < n; i++) {
		CK_TOKEN_INFO ti;
		CK_SLOT_INFO si;

		memset(&ti, 0, sizeof ti);
		memset(&si, 0, sizeof si);
		/* a slot that cannot be read is skipped, but remembered: if no
		 * token matches, that may be why */
		if ((rv = p->mod->C_GetTokenInfo(slots[i], &ti)) != CKR_OK)
			failed_fn = "C_GetTokenInfo";
		else if ((rv = p->mod->C_GetSlotInfo(slots[i], &si)) != CKR_OK)
			failed_fn = "C_GetSlotInfo";
		if (rv != CKR_OK) {
			failed_rv = rv;
			failed_slot = slots[i];
			continue;
		}
		describe(seen, sizeof seen, slots[i], &ti);
		d = NULL;
		if (p->ntokens < sizeof p->tokens / sizeof p->tokens[0]) {
			d = &p->tokens[p->ntokens++];
			d->slot = slots[i];
			d->flags = ti.flags;
			space_copy(d->label, sizeof d->label, ti.label,
			    sizeof ti.label);
			space_copy(d->manufacturer, sizeof d->manufacturer,
			    ti.manufacturerID, sizeof ti.manufacturerID);
			space_copy(d->model, sizeof d->model, ti.model,
			    sizeof ti.model);
			space_copy(d->serial, sizeof d->serial, ti.serialNumber,
			    sizeof ti.serialNumber);
		}
		if (want != (CK_SLOT_ID)-1 && want != slots[i])
			continue;
		if (!p11_kit_uri_match_slot_info(uri, &si) ||
		    !p11_kit_uri_match_token_info(uri, &ti))
			continue;
		describe(matched, sizeof matched, slots[i], &ti);
		if (matches++ == 0) {
			p->slot = slots[i];
			space_copy(p->label, sizeof p->label, ti.label,
			    sizeof ti.label);
			space_copy(p->manufacturer, sizeof p->manufacturer,
			    ti.manufacturerID, sizeof ti.manufacturerID);
			if (d != NULL)
				d->selected = 1;
		}
	}
	if (matches == 0 && failed_fn != NULL)
		ret = escrow_p11_i_fail_rv(err, ESCROW_ERR_P11_TOKEN, failed_fn, failed_rv,
		    "slot %lu of module `%s' cannot be read, and no other token "
		    "matches; it has: %s", (unsigned long)failed_slot,
		    p->module_desc, seen[0] != '\0' ? seen : "no other token");
	else if (matches == 0)
		ret = escrow_p11_i_fail(err, ESCROW_ERR_P11_TOKEN, "no token matches; "
		    "module `%s' has: %s", p->module_desc,
		    n == 0 ? "no token at all" : seen);
	else if (matches > 1)
		ret = escrow_p11_i_fail(err, ESCROW_ERR_P11_TOKEN, "%lu tokens match; "
		    "name one (token=, serial=): %s", (unsigned long)matches,
		    matched);
	else
		ret = ESCROW_OK;
out:
	free(slots);
	return ret;
}

static int
open_session(struct escrow_p11 *p, struct escrow_p11_error *err)
{
	CK_ULONG n = 0;
	CK_RV rv;

	rv = p->mod->C_OpenSession(p->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION,
	    NULL, NULL, &p->sess);
	if (rv != CKR_OK)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, "C_OpenSession", rv,
		    "cannot open a read/write session on token `%s'", p->label);
	p->have_session = 1;
	rv = p->mod->C_GetMechanismList(p->slot, NULL, &n);
	if (rv != CKR_OK)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, "C_GetMechanismList", rv,
		    "token `%s'", p->label);
	p->mechs = calloc(n + 1, sizeof *p->mechs);
	if (p->mechs == NULL)
		return ESCROW_ERR_NOMEM;
	rv = p->mod->C_GetMechanismList(p->slot, p->mechs, &n);
	if (rv != CKR_OK)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, "C_GetMechanismList", rv,
		    "token `%s'", p->label);
	p->nmechs = n;
	return ESCROW_OK;
}

unsigned long
escrow_p11_token_flags(struct escrow_p11 *p)
{
	CK_TOKEN_INFO ti;

	if (p == NULL)
		return 0;
	memset(&ti, 0, sizeof ti);
	if (p->mod->C_GetTokenInfo(p->slot, &ti) != CKR_OK)
		return 0;
	return ti.flags;
}

int
escrow_p11_login(struct escrow_p11 *p, const char *pin, size_t pin_len,
    struct escrow_p11_error *err)
{
	unsigned long flags;
	char words[96];
	CK_RV rv;

	escrow_p11_i_err_clear(err);
	if (p == NULL)
		return escrow_p11_i_fail(err, ESCROW_ERR_INVALID_ARG, "no session");
	if (p->logged_in)
		return ESCROW_OK;
	flags = escrow_p11_token_flags(p);
	if (pin == NULL && !(flags & CKF_LOGIN_REQUIRED))
		return ESCROW_OK;
	if (pin == NULL && !(flags & CKF_PROTECTED_AUTHENTICATION_PATH))
		return escrow_p11_i_fail(err, ESCROW_ERR_P11_PIN,
		    "token `%s' needs a PIN", p->label);
	rv = p->mod->C_Login(p->sess, CKU_USER, (CK_UTF8CHAR_PTR)(uintptr_t)pin,
	    pin != NULL ? pin_len : 0);
	if (rv == CKR_PIN_INCORRECT || rv == CKR_PIN_INVALID ||
	    rv == CKR_PIN_LEN_RANGE || rv == CKR_PIN_LOCKED ||
	    rv == CKR_PIN_EXPIRED)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11_PIN, "C_Login", rv,
		    "token `%s' refused the user PIN (PIN state now: %s)",
		    p->label, escrow_p11_pin_flags_text(escrow_p11_token_flags(p),
		    words, sizeof words));
	if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, "C_Login", rv,
		    "cannot log in to token `%s'", p->label);
	p->logged_in = rv == CKR_OK;
	return ESCROW_OK;
}

const char *
escrow_p11_pin_flags_text(unsigned long flags, char *buf, size_t cap)
{
	static const struct {
		unsigned long f;
		const char *w;
	} words[] = {
		{ CKF_USER_PIN_COUNT_LOW, "count low (a wrong PIN was given)" },
		{ CKF_USER_PIN_FINAL_TRY, "FINAL TRY (one more wrong PIN locks it)" },
		{ CKF_USER_PIN_LOCKED, "LOCKED" },
		{ CKF_USER_PIN_TO_BE_CHANGED, "to be changed" },
	};
	size_t i, len;

	if (cap == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (!(flags & words[i].f))
			continue;
		len = strlen(buf);
		snprintf(buf + len, cap - len, "%s%s", len > 0 ? ", " : "",
		    words[i].w);
	}
	if (buf[0] == '\0')
		snprintf(buf, cap, "no warning flags");
	return buf;
}

size_t
escrow_p11_tokens(const struct escrow_p11 *p, struct escrow_p11_token_desc *out,
    size_t cap)
{
	size_t i;

	if (p == NULL)
		return 0;
	for (i = 0; i < p->ntokens && i < cap && out != NULL; i++)
		out[i] = p->tokens[i];
	return p->ntokens;
}

size_t
escrow_p11_mechanisms(const struct escrow_p11 *p, const unsigned long **list)
{
	if (p == NULL) {
		*list = NULL;
		return 0;
	}
	*list = p->mechs;
	return p->nmechs;
}

/* An unescaped space: p11-kit drops it silently, and then matches
 * "KSKHSM" instead of "KSK HSM" (../shared/notes/pkcs11-tokens.md). */
static int
uri_check(const char *uri, struct escrow_p11_error *err)
{
	const char *sp = strpbrk(uri, " \t\n");

	if (sp == NULL)
		return ESCROW_OK;
	return escrow_p11_i_fail(err, ESCROW_ERR_P11_URI, "`%s' has an unescaped "
	    "%s at character %zu: a PKCS#11 URI (RFC 7512) writes a space as "
	    "%%20, e.g. pkcs11:token=KSK%%20HSM", uri, *sp == ' ' ? "space" :
	    "blank", (size_t)(sp - uri) + 1);
}

int
escrow_p11_open_nologin(struct escrow_p11 **out, const char *module,
    const char *token_uri, const struct escrow_p11_open_opts *opts,
    struct escrow_p11_error *err)
{
	struct escrow_p11 *p = NULL;
	P11KitUri *uri = NULL;
	int ret, r;

	escrow_p11_i_err_clear(err);
	if (out == NULL || token_uri == NULL)
		return escrow_p11_i_fail(err, ESCROW_ERR_INVALID_ARG, "no token URI");
	*out = NULL;
	if ((ret = uri_check(token_uri, err)) != ESCROW_OK)
		return ret;
	uri = p11_kit_uri_new();
	p = calloc(1, sizeof *p);
	if (uri == NULL || p == NULL) {
		ret = ESCROW_ERR_NOMEM;
		goto out;
	}
	r = p11_kit_uri_parse(token_uri, P11_KIT_URI_FOR_ANY, uri);
	if (r != P11_KIT_URI_OK) {
		ret = escrow_p11_i_fail(err, ESCROW_ERR_P11_URI, "`%s': %s", token_uri,
		    p11_kit_uri_message(r));
		goto out;
	}
	if (p11_kit_uri_any_unrecognized(uri)) {
		ret = escrow_p11_i_fail(err, ESCROW_ERR_P11_URI, "`%s' has an attribute "
		    "this library does not know (RFC 7512 names only)",
		    token_uri);
		goto out;
	}
	ret = load_module(p, module, uri, opts != NULL ? opts->init_args : NULL,
	    err);
	if (ret == ESCROW_OK)
		ret = select_token(p, uri, err);
	if (ret == ESCROW_OK)
		ret = open_session(p, err);
	if (ret == ESCROW_OK) {
		*out = p;
		p = NULL;
	}
out:
	escrow_p11_close(p);
	if (uri != NULL)
		p11_kit_uri_free(uri);
	return ret;
}

int
escrow_p11_open(struct escrow_p11 **out, const char *module,
    const char *token_uri, const char *pin, size_t pin_len,
    struct escrow_p11_error *err)
{
	struct escrow_p11 *p = NULL;
	int ret;

	ret = escrow_p11_open_nologin(&p, module, token_uri, NULL, err);
	if (ret == ESCROW_OK && (ret = escrow_p11_login(p, pin, pin_len,
	    err)) != ESCROW_OK) {
		escrow_p11_close(p);
		p = NULL;
	}
	if (out != NULL)
		*out = p;
	return ret;
}

void
escrow_p11_close(struct escrow_p11 *p)
{
	if (p == NULL)
		return;
	if (p->logged_in)
		(void)p->mod->C_Logout(p->sess);
	if (p->have_session)
		(void)p->mod->C_CloseSession(p->sess);
	if (p->initialized && p->unmanaged)
		(void)p->mod->C_Finalize(NULL);
	else if (p->initialized)
		(void)p11_kit_module_finalize(p->mod);
	if (p->modlist != NULL)
		p11_kit_modules_release(p->modlist);
	else if (p->mod != NULL)
		p11_kit_module_release(p->mod);
	free(p->mechs);
	free(p);
}

const char *
escrow_p11_token_label(const struct escrow_p11 *p)
{
	return p != NULL ? p->label : "";
}

int
escrow_p11_i_find(struct escrow_p11 *p, CK_ATTRIBUTE *tmpl, CK_ULONG n,
    CK_OBJECT_HANDLE **out, CK_ULONG *count, struct escrow_p11_error *err)
{
	CK_OBJECT_HANDLE *h = NULL, *nh;
	CK_ULONG cap = 0, got = 0, step;
	CK_RV rv;

	*out = NULL;
	*count = 0;
	rv = p->mod->C_FindObjectsInit(p->sess, tmpl, n);
	if (rv != CKR_OK)
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, "C_FindObjectsInit", rv,
		    "cannot search token `%s'", p->label);
	for (;;) {
		if (got == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			nh = realloc(h, cap * sizeof *h);
			if (nh == NULL) {
				(void)p->mod->C_FindObjectsFinal(p->sess);
				free(h);
				return ESCROW_ERR_NOMEM;
			}
			h = nh;
		}
		rv = p->mod->C_FindObjects(p->sess, h + got, cap - got, &step);
		if (rv != CKR_OK) {
			(void)p->mod->C_FindObjectsFinal(p->sess);
			free(h);
			return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, "C_FindObjects",
			    rv, "cannot search token `%s'", p->label);
		}
		if (step == 0)
			break;
		got += step;
	}
	rv = p->mod->C_FindObjectsFinal(p->sess);
	if (rv != CKR_OK) {
		/* the search may still be active: every later one would fail */
		free(h);
		return escrow_p11_i_fail_rv(err, ESCROW_ERR_P11, "C_FindObjectsFinal",
		    rv, "cannot end a search of token `%s'", p->label);
	}
	*out = h;
	*count = got;
	return ESCROW_OK;
}
