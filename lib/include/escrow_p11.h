/*
 * escrow_p11.h - load private keys into a PKCS#11 token (through p11-kit)
 * as non-extractable signing keys, prove them by signing inside the token,
 * sign with them later, and list what a token holds under a CKA_ID.
 *
 * Secret values in this API: the PIN, escrow_p11_key.kwrap (the AES key
 * that wraps the private key), and escrow_p11_key.private_key.  The
 * library copies them only into secret memory and wipes those copies; the
 * caller owns (and wipes) its own.  Everything else is public.
 *
 * The library never prints: every failure returns a negative enum
 * escrow_err and, when the caller passes one, fills a struct
 * escrow_p11_error with the PKCS#11 function, its CKR_ code and a sentence.
 */
#ifndef ESCROW_P11_H
#define ESCROW_P11_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "escrow.h"

/* Where a failure happened.  function/rv are empty/0 when no PKCS#11 call
 * failed (a host-side check, say). */
struct escrow_p11_error {
	char function[32];   /* "C_UnwrapKey", or "" */
	unsigned long rv;    /* the CK_RV it returned, or 0 */
	const char *rv_name; /* "CKR_MECHANISM_INVALID"; never NULL ("" if none) */
	char detail[512];    /* one or more sentences for the operator */
	size_t objects_left; /* objects a failed load made and then could not
	                      * remove (each named in detail); 0 normally */
	int listed;          /* 1: after the failure the token's objects were
	                      * listed again and compared with the list from
	                      * before, so objects_left is what was seen; 0:
	                      * not looked (or the listing failed): objects
	                      * may be left even when objects_left is 0 */
};

/* Words for a CK_RV ("CKR_PIN_INCORRECT"); "CKR_VENDOR_DEFINED+0x..." or
 * "CKR_0x..." (static buffer) for numbers not in the table. */
const char *escrow_p11_rv_name(unsigned long rv);

/* An open module + token + logged-in R/W session.  Opaque. */
struct escrow_p11;

/*
 * Open a module, pick exactly one token by PKCS#11 URI (RFC 7512) and log
 * in as the user.
 *   module: a path ("/usr/lib/softhsm/libsofthsm2.so", anything with a
 *           '/'), or the name of a module registered with p11-kit
 *           ("softhsm2"); NULL takes module-path / module-name from the URI.
 *   token_uri: "pkcs11:token=KSK%20HSM" (token, manufacturer, model,
 *           serial, slot attributes; object attributes are ignored here).
 *   pin, pin_len: SECRET; pin may be NULL for a token without login.
 * Errors: ESCROW_ERR_P11_URI (bad URI), ESCROW_ERR_P11_MODULE,
 * ESCROW_ERR_P11_TOKEN (none or several match: detail lists the tokens
 * found), ESCROW_ERR_P11_PIN, ESCROW_ERR_P11.
 */
int escrow_p11_open(struct escrow_p11 **out, const char *module,
    const char *token_uri, const char *pin, size_t pin_len,
    struct escrow_p11_error *err) ESCROW_WUR;

/* Log out, close the session, finalize and release the module; takes NULL. */
void escrow_p11_close(struct escrow_p11 *p);

/* The token's label (trailing blanks removed) and the module's path or name. */
const char *escrow_p11_token_label(const struct escrow_p11 *p);

/* How a private key gets into the token (see docs/pkcs11.md). */
enum escrow_p11_strategy {
	ESCROW_P11_AUTO = 0,  /* unwrap, else transport, else create */
	ESCROW_P11_UNWRAP,    /* K_wrap as a session AES key, C_UnwrapKey */
	ESCROW_P11_TRANSPORT, /* K_wrap via an in-token RSA-OAEP key, then unwrap */
	ESCROW_P11_CREATE,    /* C_CreateObject with the components */
};

/* "auto", "unwrap", "transport", "create"; and back (-1 if unknown). */
const char *escrow_p11_strategy_name(enum escrow_p11_strategy s);
int escrow_p11_strategy_parse(const char *name);

/* One key to load.  All pointers are borrowed for the call. */
struct escrow_p11_key {
	int algorithm;               /* DNSSEC number: 8,10,13,14,15,16 */
	const char *label;           /* CKA_LABEL (UTF-8), may be NULL */
	const uint8_t *id;           /* CKA_ID, 1..255 bytes, required */
	size_t id_len;
	EVP_PKEY *public_key;        /* required: public object + test signature */
	const uint8_t *wrapped;      /* RFC 5649 AES-256 wrap of PKCS#8 DER */
	size_t wrapped_len;
	const uint8_t *kwrap;        /* 32 bytes, SECRET: the KEK of `wrapped` */
	EVP_PKEY *private_key;       /* SECRET, may be NULL: only for `create` */
};

#define ESCROW_P11_MAX_SESSIONS 32

struct escrow_p11_load_opts {
	enum escrow_p11_strategy strategy; /* ESCROW_P11_AUTO or forced */
	int replace;  /* 1: replace objects with the same CKA_ID (after the new
	               * ones are loaded and verified); 0: refuse them */
	void (*progress)(size_t done, size_t total, void *ctx); /* may be NULL;
	               * with sessions > 1 it is called from the load's
	               * threads, one call at a time */
	void *progress_ctx;
	/* 1: keep a key the token made with more usages than asked (DECRYPT,
	 * UNWRAP, ... true), recording them in escrow_p11_loaded.extra_usages;
	 * 0 (default): refuse that strategy (auto tries the next one) */
	int accept_usages;
	size_t sessions; /* 0 or 1: one session; N: up to N sessions on
	                  * parallel threads (for slow links), at most
	                  * ESCROW_P11_MAX_SESSIONS, fewer if the token
	                  * opens fewer */
	int direct;   /* 1: make objects under their final CKA_ID and label
	               * at once, MODIFIABLE=false where the token takes it
	               * (not crash-safe); 0: pending objects, committed when
	               * the whole set is in and checked (docs/pkcs11.md) */
	struct escrow_p11_load_report *report; /* NULL, or filled (success
	               * and failure alike) */
};

/* What a load did beyond the keys themselves. */
struct escrow_p11_load_report {
	int crash_safe;          /* 1: the set was made pending and committed */
	char crash_note[256];    /* why not, when the token refused (else "") */
	size_t pending_removed;  /* objects an interrupted load of this set
	                          * left, found and removed by this call */
	int resumed;             /* 1: an interrupted load of this set had
	                          * every key in and checked; this call
	                          * finished its commit instead of loading */
	size_t sessions;         /* sessions used */
	size_t old_left;         /* after a failed --replace: old objects still
	                          * in the token next to the new ones */
	int already_loaded;      /* 1: without replace, the token already held
	                          * exactly this key set (one private and one
	                          * public object per CKA_ID, the same public
	                          * keys, a test signature verified): nothing
	                          * was made; loaded[] names those objects */
};

/* What happened to one key (filled only when the whole load succeeded). */
struct escrow_p11_loaded {
	enum escrow_p11_strategy strategy; /* the one used */
	unsigned long mechanism;           /* unwrap CKM_ used, 0 for create */
	unsigned long private_handle;      /* CK_OBJECT_HANDLE, this session */
	unsigned long public_handle;
	size_t replaced;                   /* old objects destroyed */
	unsigned long sign_mechanism;      /* CKM_ of the test signature */
	char attributes[256];              /* what the token set, read back:
	                                    * "SIGN=1 DECRYPT=0 ... MODIFIABLE=0" */
	char extra_usages[128];            /* usages the token granted beyond
	                                    * those asked ("DECRYPT UNWRAP"), ""
	                                    * if none (only with accept_usages) */
	int resumed;                       /* 1: completed from an interrupted
	                                    * load (strategy, mechanism: 0) */
};

/*
 * Load nkeys keys, all or nothing: on any failure every object created by
 * this call is destroyed, no old object has been touched, and the token is
 * listed again to say what is left (err->listed, err->objects_left).
 * Crash-safe unless opts->direct or the token refuses: objects carry a
 * pending CKA_ID and label until the whole set is in and checked, and the
 * next load of the same set removes or finishes what a crash left
 * (docs/pkcs11.md, opts->report).  opts->sessions > 1 spreads the keys
 * over several sessions on threads.  For each key: private key object (token, private,
 * sensitive, not extractable, sign only, not modifiable), public key
 * object with the same CKA_ID and label, a signature made in the token and
 * verified on the host with public_key, CKA_SENSITIVE/CKA_EXTRACTABLE read
 * back.  opts may be NULL (auto, no replace).  loaded: NULL or nkeys
 * entries.
 * Errors: ESCROW_ERR_P11_OBJECT_EXISTS, ESCROW_ERR_P11_MECHANISM (forced
 * strategy the token lacks), ESCROW_ERR_P11_VERIFY, ESCROW_ERR_P11_ATTRIBUTE,
 * ESCROW_ERR_UNWRAP (the token refused the wrapped blob: tampered, wrong
 * K_wrap), ESCROW_ERR_ALGORITHM, ESCROW_ERR_KEY_MISMATCH, ESCROW_ERR_P11.
 */
int escrow_p11_load(struct escrow_p11 *p, const struct escrow_p11_key *keys,
    size_t nkeys, const struct escrow_p11_load_opts *opts,
    struct escrow_p11_loaded *loaded, struct escrow_p11_error *err) ESCROW_WUR;

/* Find the private key object with this CKA_ID (exactly one must exist). */
int escrow_p11_find_private(struct escrow_p11 *p, const uint8_t *id,
    size_t id_len, unsigned long *handle,
    struct escrow_p11_error *err) ESCROW_WUR;

/*
 * Find exactly one object by a PKCS#11 URI's object attributes (id=,
 * object=, type=; e.g. "pkcs11:token=t;id=%01;type=private").  Token
 * attributes in the URI must match this session's token.
 * Errors: ESCROW_ERR_P11_URI, ESCROW_ERR_P11_TOKEN (the URI names another
 * token), ESCROW_ERR_P11_ATTRIBUTE (no object or several match).
 */
int escrow_p11_find_uri(struct escrow_p11 *p, const char *object_uri,
    unsigned long *handle, struct escrow_p11_error *err) ESCROW_WUR;

/*
 * Sign data inside the token, DNSSEC form: algorithm 8 RSASSA-PKCS1-v1_5
 * with SHA-256, 10 with SHA-512; 13/14 ECDSA with SHA-256/384 hashed on the
 * host, raw r||s; 15/16 EdDSA (pure).  *siglen gets the length; a too
 * small cap gives ESCROW_ERR_BUFFER_TOO_SMALL.
 */
int escrow_p11_sign(struct escrow_p11 *p, unsigned long key_handle,
    int algorithm, const uint8_t *data, size_t len, uint8_t *sig, size_t cap,
    size_t *siglen, struct escrow_p11_error *err) ESCROW_WUR;

/* One object, as the tools' summary shows it. */
/* The CKA_LABEL prefix of objects of a load still in progress (or
 * interrupted): the next load of the same set finishes or removes them. */
#define ESCROW_P11_PENDING_LABEL "escrow-pending "

struct escrow_p11_object_info {
	unsigned long handle;
	unsigned long object_class; /* CKO_PRIVATE_KEY, CKO_PUBLIC_KEY, ... */
	unsigned long key_type;     /* CKK_RSA, CKK_EC, CKK_EC_EDWARDS, ... */
	char label[128];            /* NUL-terminated, truncated if longer */
	int token;                  /* CKA_TOKEN: 1/0 */
	int sensitive;              /* 1, 0, or -1 when not applicable */
	int extractable;            /* 1, 0, or -1 when not applicable */
	int modifiable;             /* CKA_MODIFIABLE: 1, 0, or -1 */
};

/*
 * List the objects with this CKA_ID (id NULL: every object visible to the
 * session).  Fills up to cap entries; *count is the number found (may be
 * larger than cap).
 */
int escrow_p11_list(struct escrow_p11 *p, const uint8_t *id, size_t id_len,
    struct escrow_p11_object_info *out, size_t cap, size_t *count,
    struct escrow_p11_error *err) ESCROW_WUR;

/* "private key", "public key", "secret key", "data", "certificate", or
 * "other". */
const char *escrow_p11_class_name(unsigned long object_class);

/* ---- opening in steps, and probing a token before a ceremony ---------- */

/* How to open a module, beyond its path and the token URI. */
struct escrow_p11_open_opts {
	/* C_Initialize's pReserved: a NUL-terminated string the module reads
	 * (NSS softoken: "configdir='sql:DIR' certPrefix='' keyPrefix=''
	 * secmod='secmod.db' flags="; the YubiHSM 2 module: its connector),
	 * or NULL.  Only with a module path: a module registered with p11-kit
	 * takes it from its .module file (x-init-reserved:). */
	const char *init_args;
};

/*
 * escrow_p11_open() without the login: module, token, R/W session and
 * the mechanism list.  The token URI may name the module (RFC 7512
 * module-path= / module-name= query attributes) when module is NULL; an
 * unescaped space in it is refused (write %20).  opts may be NULL.  Then
 * call escrow_p11_login() (or not, for a token without login).
 */
int escrow_p11_open_nologin(struct escrow_p11 **out, const char *module,
    const char *token_uri, const struct escrow_p11_open_opts *opts,
    struct escrow_p11_error *err) ESCROW_WUR;

/*
 * Log in as the user (pin SECRET, NULL for a protected authentication
 * path).  ESCROW_ERR_P11_PIN when the token refuses the PIN: err->rv says
 * why (CKR_PIN_INCORRECT may be tried again; see escrow_p11_token_flags for
 * how many tries remain).  Logging in twice is not an error.
 */
int escrow_p11_login(struct escrow_p11 *p, const char *pin, size_t pin_len,
    struct escrow_p11_error *err) ESCROW_WUR;

/* The token's CK_TOKEN_INFO flags, read now (0 if they cannot be read). */
unsigned long escrow_p11_token_flags(struct escrow_p11 *p);
#define ESCROW_P11_TF_LOGIN_REQUIRED 0x4UL      /* CKF_LOGIN_REQUIRED */
#define ESCROW_P11_TF_PROTECTED_PATH 0x100UL    /* CKF_PROTECTED_AUTHENTICATION_PATH */
#define ESCROW_P11_TF_PIN_COUNT_LOW 0x10000UL   /* CKF_USER_PIN_COUNT_LOW */
#define ESCROW_P11_TF_PIN_FINAL_TRY 0x20000UL   /* CKF_USER_PIN_FINAL_TRY */
#define ESCROW_P11_TF_PIN_LOCKED 0x40000UL      /* CKF_USER_PIN_LOCKED */
#define ESCROW_P11_TF_PIN_TO_BE_CHANGED 0x80000UL

/* Words for the user-PIN flags in flags ("count low, final try"), or
 * "none"; into buf, which is returned. */
const char *escrow_p11_pin_flags_text(unsigned long flags, char *buf,
    size_t cap);

/* One token the module showed when the session was opened. */
struct escrow_p11_token_desc {
	unsigned long slot;
	char label[33], manufacturer[33], model[17], serial[17];
	unsigned long flags;  /* CK_TOKEN_INFO flags */
	int selected;         /* 1 for the token this session is on */
};
/* The tokens seen (up to cap copied); returns how many there were. */
size_t escrow_p11_tokens(const struct escrow_p11 *p,
    struct escrow_p11_token_desc *out, size_t cap);

/* The token's mechanism list (borrowed, valid until close). */
size_t escrow_p11_mechanisms(const struct escrow_p11 *p,
    const unsigned long **list);
/* "CKM_RSA_PKCS", "CKM_VENDOR_DEFINED+0x171", or "CKM_0x..." (static
 * buffer for numbers not in the table). */
const char *escrow_p11_mech_name(unsigned long mech);

struct escrow_p11_probe_opts {
	enum escrow_p11_strategy strategy; /* ESCROW_P11_AUTO or forced */
	int accept_usages;                 /* as in escrow_p11_load_opts */
};

/* What a probe found for one key type. */
struct escrow_p11_verdict {
	int algorithm;                     /* DNSSEC number asked for */
	int ok;                            /* 1: a key of this type loads */
	enum escrow_p11_strategy strategy; /* the one auto chose (or forced) */
	int plaintext_on_host;             /* 1: `create': the private key
	                                    * exists in plaintext on the host */
	unsigned long unwrap_mechanism;    /* CKM_ used to unwrap, 0 for create */
	unsigned long sign_mechanism;      /* CKM_ of the signature in the token */
	char attributes[256];              /* what the token set (read back) */
	char extra_usages[128];            /* as in escrow_p11_loaded */
	struct escrow_p11_error why;       /* ok == 0: which call, which CKR_,
	                                    * which missing mechanism */
	struct escrow_p11_error why_create; /* auto chose create: why the key
	                                    * could not be unwrapped in the
	                                    * token (detail "" otherwise) */
};

/*
 * For each algorithm (DNSSEC numbers, a type once is enough), do what
 * escrow_p11_load() would do with a freshly generated throwaway key:
 * load it with the strategy auto would choose (or opts->strategy), sign
 * in the token and verify on the host, read every attribute back, then
 * destroy both objects.  The throwaway key is given both wrapped (under a
 * random K_wrap) first, and when auto finds that the token cannot unwrap
 * it, again with the plaintext key for `create' -- as escrow-combine load
 * does when it then unwraps on the host (why_create says why).  out: n
 * entries, all filled.
 * Returns ESCROW_OK when every key type loads, ESCROW_ERR_P11_MECHANISM
 * (or the first failure's code) when some cannot (verdicts say which and
 * why), other codes when the probe itself could not run (err says).
 */
int escrow_p11_probe(struct escrow_p11 *p, const int *algorithms, size_t n,
    const struct escrow_p11_probe_opts *opts,
    struct escrow_p11_verdict *out, struct escrow_p11_error *err) ESCROW_WUR;

/* One line for a verdict, without a newline: "ECDSAP256SHA256: loads by
 * unwrap (CKM_AES_KEY_WRAP_PAD), the private key never in plaintext on
 * this host, signs with CKM_ECDSA; token set SIGN=1 ..." or "RSASHA256:
 * CANNOT load: C_SignInit returned CKR_MECHANISM_INVALID: ...".  Into buf
 * (truncated), which is returned. */
const char *escrow_p11_verdict_text(const struct escrow_p11_verdict *v,
    char *buf, size_t cap);

#endif
