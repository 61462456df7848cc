/*
 * p11_int.h - internals shared by the lib/p11_*.c files: the session
 * structure, error helpers, the per-algorithm facts, and the steps of a
 * load.  Not installed.
 *
 * Secret values that pass through these functions: K_wrap (32-byte AES
 * key), private key components for `create`, the PIN.  They are only ever
 * held in escrow_secret_alloc() memory and wiped.
 */
#ifndef ESCROW_P11_INT_H
#define ESCROW_P11_INT_H

#include <p11-kit/p11-kit.h>
#include <p11-kit/pkcs11.h>
#include <p11-kit/uri.h>

#include "escrow_p11.h"
#include "keys_int.h"

/* PKCS#11 3.0 RFC 5649; p11-kit 0.24's header lacks it. */
#ifndef CKM_AES_KEY_WRAP_KWP
#define CKM_AES_KEY_WRAP_KWP 0x210BUL
#endif
/* PKCS#11 3.0 section 2.3.14; p11-kit 0.24's header lacks it. */
struct escrow_p11_i_eddsa_params {
	CK_BBOOL phFlag;
	CK_ULONG ulContextDataLen;
	CK_BYTE_PTR pContextData;
};
/* Thales Luna's vendor mechanism for RFC 5649 (CKM_AES_KWP). */
#define ESCROW_CKM_LUNA_AES_KWP (CKM_VENDOR_DEFINED + 0x171UL)


/* The two ways an object is made (MODIFIABLE=false support differs). */
enum escrow_p11_i_op { P11_OP_CREATE = 0, P11_OP_UNWRAP = 1 };

/* Tri-state capability cache. */
enum escrow_p11_i_cap { CAP_UNKNOWN = 0, CAP_YES, CAP_NO };

struct escrow_p11 {
	CK_FUNCTION_LIST *mod;
	CK_FUNCTION_LIST **modlist; /* set when loaded by p11-kit name */
	int initialized;
	CK_SLOT_ID slot;
	CK_SESSION_HANDLE sess;
	int have_session;
	int logged_in;
	char label[33];
	char manufacturer[33];      /* of the selected token (vendor table) */
	char module_desc[256];
	int unmanaged;              /* C_Initialize called here (init args) */
	struct escrow_p11_token_desc tokens[16]; /* seen at open */
	size_t ntokens;
	CK_MECHANISM_TYPE *mechs;   /* the token's mechanism list */
	CK_ULONG nmechs;
	/* C_GetMechanismInfo answers asked for so far (a round trip each
	 * to a network HSM); inline, so that each worker's copy of this
	 * structure keeps its own */
	struct { CK_MECHANISM_TYPE m; CK_FLAGS flags; } mechinfo[16];
	size_t nmechinfo;
	/* CAP_*: does the token take MODIFIABLE=false, per P11_OP_*?  SoftHSM
	 * 2.6.1 takes it in C_CreateObject but not in C_UnwrapKey. */
	int modifiable_false_ok[2];
	/* the last capability query of this session that failed for a
	 * reason other than a "no" (a device or session error): a "lacks
	 * mechanism" verdict cannot be trusted then, and names this call
	 * instead */
	const char *hard_fn;
	CK_RV hard_rv;
};

/* Error recording (err may be NULL).  Return the code given. */
int escrow_p11_i_fail_rv(struct escrow_p11_error *err, int code, const char *fn,
    CK_RV rv, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int escrow_p11_i_fail(struct escrow_p11_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void escrow_p11_i_err_clear(struct escrow_p11_error *err);

/* Is rv a failure of the device, session or host rather than an answer
 * about the mechanism, key or template? */
int escrow_p11_i_rv_is_hard(CK_RV rv);

/* Does the token list this mechanism (with these CKF_ flags)? */
int escrow_p11_i_has_mech(struct escrow_p11 *p, CK_MECHANISM_TYPE m, CK_FLAGS need);

/* Find objects matching a template; *out is malloc'd (free it). */
int escrow_p11_i_find(struct escrow_p11 *p, CK_ATTRIBUTE *tmpl, CK_ULONG n,
    CK_OBJECT_HANDLE **out, CK_ULONG *count, struct escrow_p11_error *err);

/* Per-algorithm facts: the one table in lib/keys.c (keys_int.h). */
const struct keys_alginfo *escrow_p11_i_alg_find(int algorithm);
/* Does pkey fit alg (type, curve, RSA size)?  1/0. */
int escrow_p11_i_alg_matches(const struct keys_alginfo *a, EVP_PKEY *pkey);
const char *escrow_p11_i_kclass_name(enum keys_class k);

/*
 * Attribute lists built from keys.  The values live in one buffer owned
 * by the list; for private material that buffer is secret memory and is
 * wiped on free.
 */
#define P11_TMPL_MAX 32
struct escrow_p11_i_tmpl {
	CK_ATTRIBUTE a[P11_TMPL_MAX];
	CK_ULONG n;
	uint8_t *buf;     /* secret memory */
	size_t cap, used;
	int overflow;
};
int escrow_p11_i_tmpl_init(struct escrow_p11_i_tmpl *t, size_t cap);
void escrow_p11_i_tmpl_free(struct escrow_p11_i_tmpl *t);
/* Wipe the values and empty the list, keeping the buffer. */
void escrow_p11_i_tmpl_reset(struct escrow_p11_i_tmpl *t);
void escrow_p11_i_tmpl_bool(struct escrow_p11_i_tmpl *t, CK_ATTRIBUTE_TYPE type, int v);
void escrow_p11_i_tmpl_ulong(struct escrow_p11_i_tmpl *t, CK_ATTRIBUTE_TYPE type, CK_ULONG v);
void escrow_p11_i_tmpl_bytes(struct escrow_p11_i_tmpl *t, CK_ATTRIBUTE_TYPE type,
    const void *v, size_t len);
/* Remove an attribute (for the MODIFIABLE retry). */
void escrow_p11_i_tmpl_drop(struct escrow_p11_i_tmpl *t, CK_ATTRIBUTE_TYPE type);

/* The private key object's template without key material: token (or
 * session, for probes), private, sensitive, not extractable, sign only,
 * MODIFIABLE=false unless the token refused it before, label, id. */
int escrow_p11_i_tmpl_private_base(struct escrow_p11 *p, struct escrow_p11_i_tmpl *t,
    const struct keys_alginfo *a, const char *label, const uint8_t *id,
    size_t id_len, int token, enum escrow_p11_i_op op);
/* Public key object attributes (MODULUS/EXPONENT or EC_PARAMS/EC_POINT). */
int escrow_p11_i_tmpl_public_parts(struct escrow_p11_i_tmpl *t, const struct keys_alginfo *a,
    EVP_PKEY *pub);
/* Private components for C_CreateObject (SECRET, into t's secret buffer). */
int escrow_p11_i_tmpl_private_parts(struct escrow_p11_i_tmpl *t, const struct keys_alginfo *a,
    EVP_PKEY *priv);

/* Sign in the token (DNSSEC form); *mech (may be NULL) gets the CKM_
 * used (ck_sign_mech, or ck_raw_mech over a host DigestInfo). */
int escrow_p11_i_sign_raw(struct escrow_p11 *p, CK_OBJECT_HANDLE key,
    const struct keys_alginfo *a, const uint8_t *data, size_t len, uint8_t *sig,
    size_t cap, size_t *siglen, CK_MECHANISM_TYPE *mech,
    struct escrow_p11_error *err);
/* Verify it on the host: escrow_keys_verify(), the one verifier.  1/0. */
int escrow_p11_i_verify_host(const struct keys_alginfo *a, EVP_PKEY *pub,
    const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen);

/*
 * Read back every attribute of a new private key object that matters
 * (p11_attrs.c): SIGN true; DECRYPT, UNWRAP, DERIVE, SIGN_RECOVER, WRAP,
 * ENCRYPT false; SENSITIVE true; EXTRACTABLE false; TOKEN and PRIVATE
 * true; MODIFIABLE (false wanted, true tolerated: not every token takes
 * it).  attrs (cap bytes) gets what the token set; extra (cap bytes) the
 * usages granted beyond those asked.  A missing protection is always
 * ESCROW_ERR_P11_ATTRIBUTE; extra usages are too unless accept_usages,
 * and then *usages_refused is set (auto may try another strategy).
 */
int escrow_p11_i_readback(struct escrow_p11 *p, CK_OBJECT_HANDLE h,
    int accept_usages, char *attrs, size_t attrs_cap, char *extra,
    size_t extra_cap, int *usages_refused, struct escrow_p11_error *err);

/*
 * Vendor attributes (p11_vendor.c): what a token of this manufacturer
 * needs in a private key template beyond the standard ones, added to t.
 * pub: the key's public half.  op: create or unwrap.
 */
int escrow_p11_i_vendor_private(struct escrow_p11 *p, struct escrow_p11_i_tmpl *t,
    const struct keys_alginfo *a, EVP_PKEY *pub, int op);

/* The unwrap machinery (p11_unwrap.c), state for one load. */
struct escrow_p11_i_unwrapper {
	struct escrow_p11 *p;
	int transport;                  /* bring KEKs in by RSA-OAEP */
	int kek_refused;                /* the token refused a plain AES key */
	CK_OBJECT_HANDLE tr_priv, tr_pub; /* transport pair, session objects */
	EVP_PKEY *tr_host;              /* its public key on the host */
	CK_MECHANISM_TYPE mech;         /* proven unwrap mechanism, or 0 */
	int mech_state;                 /* CAP_* */
	CK_OBJECT_HANDLE kat_kek;       /* known KEK, kept for the probes */
	enum escrow_p11_i_cap probe[KEYS_CLASS_COUNT];
	CK_RV probe_rv[KEYS_CLASS_COUNT];
	CK_OBJECT_HANDLE kek;           /* the current K_wrap in the token */
	uint8_t *kek_value;             /* SECRET copy, to reuse kek for a set */
};
void escrow_p11_i_unwrapper_init(struct escrow_p11_i_unwrapper *u, struct escrow_p11 *p,
    int transport);
void escrow_p11_i_unwrapper_done(struct escrow_p11_i_unwrapper *u);
/* Prove a mechanism (once); 0 or ESCROW_ERR_P11_MECHANISM (detail says). */
int escrow_p11_i_unwrapper_ready(struct escrow_p11_i_unwrapper *u, struct escrow_p11_error *err);
/* Can this token unwrap keys of this class?  0, or ESCROW_ERR_P11_MECHANISM. */
int escrow_p11_i_unwrapper_probe(struct escrow_p11_i_unwrapper *u, const struct keys_alginfo *a,
    struct escrow_p11_error *err);
/* Unwrap one key into a token object with template tmpl. */
int escrow_p11_i_unwrapper_unwrap(struct escrow_p11_i_unwrapper *u,
    const struct escrow_p11_key *k, struct escrow_p11_i_tmpl *tmpl,
    CK_OBJECT_HANDLE *out, struct escrow_p11_error *err);

/* MODIFIABLE=false is optional: after a create/unwrap with result rv,
 * 1 means it was dropped from t; call again, then this once more. */
int escrow_p11_i_tmpl_modifiable_retry(struct escrow_p11 *p, enum escrow_p11_i_op op, CK_RV rv,
    struct escrow_p11_i_tmpl *t);

/* The stored RSA-2048 probe key (PKCS#8 DER, a public throwaway). */
const uint8_t *escrow_p11_i_probe_rsa_pkcs8(size_t *len);

#endif
