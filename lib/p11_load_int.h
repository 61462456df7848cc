/*
 * p11_load_int.h - the state of one escrow_p11_load() call, shared by
 * p11_load.c (the steps per key), p11_pending.c (pending objects, commit,
 * recovery of an interrupted load), p11_inventory.c (the token's objects
 * before and after, rollback) and p11_par.c (several sessions on
 * threads).  Not installed.
 *
 * Secret: nothing here holds a secret itself; K_wrap and private
 * components stay in the unwrappers' and templates' secret memory.
 */
#ifndef ESCROW_P11_LOAD_INT_H
#define ESCROW_P11_LOAD_INT_H

#include <pthread.h>

#include "p11_int.h"

/* One object of the token, as the inventory saw it. */
struct p11l_obj {
	CK_OBJECT_HANDLE h;
	CK_OBJECT_CLASS cls;   /* (CK_ULONG)-1 if unreadable */
	int token;             /* CKA_TOKEN */
	int has_id;
	uint8_t id_len;
	uint8_t id[255];
	int has_label;
	char label[65];        /* NUL-terminated; longer labels unavailable */
};

struct p11l_inv {
	struct p11l_obj *o;
	size_t n;
};

/* An object with one of the set's final CKA_IDs that was there before. */
struct p11l_old {
	CK_OBJECT_HANDLE h;
	size_t key;
};

/* One session and what a thread needs to use it. */
struct p11l_worker {
	struct load *l;
	struct escrow_p11 *p;            /* l->p for worker 0, else a copy */
	struct escrow_p11 copy;
	int own_session;
	struct escrow_p11_i_unwrapper plain, transport;
	struct escrow_p11_i_tmpl t;      /* secret memory */
	struct escrow_p11_error err;
	size_t first, end;               /* keys [first, end) */
	size_t failed_key;               /* (size_t)-1: none */
	int ret;
	int usages_refused;              /* the key got extra usages (p11_attrs.c) */
	pthread_t thread;
};

/* A step run for every key (by the workers): 0 or an ESCROW_ERR_. */
typedef int (*p11l_step)(struct p11l_worker *w, size_t i);

struct load {
	struct escrow_p11 *p;
	const struct escrow_p11_key *keys;
	size_t nkeys;
	const struct escrow_p11_load_opts *opts;
	struct escrow_p11_error *err;
	struct escrow_p11_load_report *report;
	/* made[2i] key i's private object, made[2i+1] its public one, or
	 * CK_INVALID_HANDLE; final[] 1 once its CKA_ID is the final one */
	CK_OBJECT_HANDLE *made;
	uint8_t *final;
	struct p11l_old *old;
	size_t nold;
	enum escrow_p11_strategy *strategy; /* chosen per key */
	int *use_transport;
	struct escrow_p11_loaded *res;
	struct p11l_inv before;
	int listed_before;
	/* crash-safe: objects carry a pending CKA_ID and CKA_LABEL until
	 * the whole set is in and checked */
	int pending;
	int already;            /* no replace, and exactly this set is there */
	int committed;          /* the new set stands: a failure now must not
	                         * destroy it */
	int refused;            /* the token would not change CKA_ID/LABEL */
	CK_RV refused_rv;
	int writable_checked[3]; /* private by create, by unwrap, public */
	uint8_t tag[8];
	char plabel[40];
	/* workers */
	struct p11l_worker *w;
	size_t nw;
	pthread_mutex_t lock;   /* progress and the checks above */
	size_t done;
	int stop;               /* a worker failed: the others stop */
	int armed;              /* workers 1.. have the unwrappers' state */
};

#define P11L_PENDING_MAGIC "escrow~p"
#define P11L_PENDING_MAGIC_LEN 8
#define P11L_PENDING_ID_LEN (P11L_PENDING_MAGIC_LEN + 8 + 2)
#define P11L_MAX_PENDING_KEYS 65535u

/* p11_load.c */
void escrow_p11_i_hex(char *buf, size_t cap, const uint8_t *id, size_t len);
void escrow_p11_i_detail_add(struct escrow_p11_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int escrow_p11_i_check_key(struct p11l_worker *w, size_t i, CK_OBJECT_HANDLE hpriv);
/* Does public key object h hold key i's public key? */
int escrow_p11_i_public_matches(struct p11l_worker *w, size_t i, CK_OBJECT_HANDLE h);
/* Prefix err's detail with "key N (label): " unless it names a key. */
void escrow_p11_i_name_key(const struct load *l, struct escrow_p11_error *err, size_t i);

/* p11_inventory.c */
int escrow_p11_i_inv_take(struct escrow_p11 *p, struct p11l_inv *inv,
    struct escrow_p11_error *err);
void escrow_p11_i_inv_free(struct p11l_inv *inv);
/* After a failure: destroy what this call made (final ids first), list
 * the token again and name in err what differs from the list before. */
void escrow_p11_i_rollback(struct load *l);
/* Append to err what is now in the token for the set's ids (old, new). */
void escrow_p11_i_describe_ids(struct load *l);
/* Is h an old object's handle (one that was there before this call)? */
int escrow_p11_i_is_old(const struct load *l, CK_OBJECT_HANDLE h);

/* p11_pending.c */
void escrow_p11_i_pending_init(struct load *l);
void escrow_p11_i_pending_id(const struct load *l, size_t i, uint8_t out[P11L_PENDING_ID_LEN]);
/* Find and finish or remove what an interrupted load of this set left;
 * *resumed = 1 when the set was completed from it. */
int escrow_p11_i_recover(struct load *l, int *resumed);
/* Check once per kind that the token lets this object's CKA_ID and
 * CKA_LABEL change: 0, or ESCROW_ERR_P11 with l->refused set. */
int escrow_p11_i_check_writable(struct p11l_worker *w, CK_OBJECT_HANDLE h, int kind,
    size_t i);
/* The commit: final ids, old objects removed, final labels. */
int escrow_p11_i_commit(struct load *l);
/* The set as an interrupted load completed it: find and check each key. */
int escrow_p11_i_adopt(struct load *l);

/* p11_par.c */
int escrow_p11_i_workers_start(struct load *l, size_t sessions);
void escrow_p11_i_workers_stop(struct load *l);
/* Run step for every key on the workers (progress: report each key
 * done); on failure l->err names the failed key of the lowest index. */
int escrow_p11_i_run(struct load *l, p11l_step step, int progress);

#endif
