/*
 * p11_par.c - a load spread over several sessions on parallel threads,
 * for tokens behind a slow link where every call costs a round trip.
 * p11-kit initialises every module with CKF_OS_LOCKING_OK (a module that
 * cannot lock refuses to initialise), and PKCS#11 lets an application use
 * different sessions from different threads at once; one session is never
 * used by two threads.  Worker 0 is the caller's session; the others are
 * sessions of their own, logged in with it (login is per application).
 * Session objects (the token's copy of K_wrap, the transport pair) are
 * visible to every session of the application, so the workers share the
 * mechanism and probe results of worker 0 and bring in K_wrap each.
 *
 * Secret: each worker's template buffer and its unwrappers' copy of
 * K_wrap are secret memory, wiped when the workers stop.
 */
#include <stdlib.h>
#include <string.h>

#include "p11_load_int.h"

int
escrow_p11_i_workers_start(struct load *l, size_t sessions)
{
	struct escrow_p11 *p = l->p;
	size_t k, n = sessions < 1 ? 1 : sessions;
	int ret;

	if (n > ESCROW_P11_MAX_SESSIONS)
		n = ESCROW_P11_MAX_SESSIONS;
	if (n > l->nkeys)
		n = l->nkeys;
	l->w = calloc(n, sizeof *l->w);
	if (l->w == NULL)
		return ESCROW_ERR_NOMEM;
	for (k = 0; k < n; k++) {
		struct p11l_worker *w = &l->w[k];

		w->l = l;
		if (k == 0) {
			w->p = p;
		} else {
			w->copy = *p;
			w->copy.logged_in = 0;
			if (p->mod->C_OpenSession(p->slot, CKF_SERIAL_SESSION |
			    CKF_RW_SESSION, NULL, NULL, &w->copy.sess) != CKR_OK)
				break; /* as many sessions as the token gives */
			w->own_session = 1;
			w->p = &w->copy;
		}
		escrow_p11_i_unwrapper_init(&w->plain, w->p, 0);
		escrow_p11_i_unwrapper_init(&w->transport, w->p, 1);
		/* one secret buffer for all templates: big enough for RSA-8192 */
		if ((ret = escrow_p11_i_tmpl_init(&w->t, 8192)) != ESCROW_OK) {
			l->nw = k + 1;
			return ret;
		}
	}
	l->nw = k;
	return ESCROW_OK;
}

/* Worker k > 0 takes worker 0's proven mechanism and probe results. */
static void
arm(struct escrow_p11_i_unwrapper *dst, const struct escrow_p11_i_unwrapper *src,
    struct escrow_p11 *p)
{
	escrow_p11_i_unwrapper_done(dst);
	*dst = *src;
	dst->p = p;
	dst->kek = CK_INVALID_HANDLE;
	dst->kek_value = NULL;
	dst->kat_kek = CK_INVALID_HANDLE; /* worker 0's, not destroyed here */
	if (dst->tr_host != NULL && EVP_PKEY_up_ref(dst->tr_host) != 1)
		dst->tr_host = NULL;
}

static void
unarm(struct escrow_p11_i_unwrapper *u)
{
	/* the transport pair is worker 0's */
	u->tr_priv = u->tr_pub = u->kat_kek = CK_INVALID_HANDLE;
	escrow_p11_i_unwrapper_done(u);
}

void
escrow_p11_i_workers_stop(struct load *l)
{
	size_t k;

	for (k = l->nw; k-- > 0;) {
		struct p11l_worker *w = &l->w[k];

		if (k > 0) {
			unarm(&w->plain);
			unarm(&w->transport);
		} else {
			escrow_p11_i_unwrapper_done(&w->plain);
			escrow_p11_i_unwrapper_done(&w->transport);
		}
		escrow_p11_i_tmpl_free(&w->t);
		if (w->own_session)
			(void)w->p->mod->C_CloseSession(w->p->sess);
	}
	free(l->w);
	l->w = NULL;
	l->nw = 0;
}

struct job {
	struct p11l_worker *w;
	p11l_step step;
	int progress;
};

static void
work(struct p11l_worker *w, p11l_step step, int progress)
{
	struct load *l = w->l;
	size_t i;
	int stop;

	for (i = w->first; i < w->end; i++) {
		pthread_mutex_lock(&l->lock);
		stop = l->stop;
		pthread_mutex_unlock(&l->lock);
		if (stop)
			return;
		w->ret = step(w, i);
		pthread_mutex_lock(&l->lock);
		if (w->ret != ESCROW_OK) {
			w->failed_key = i;
			l->stop = 1;
		} else if (progress && l->opts->progress != NULL) {
			l->opts->progress(++l->done, l->nkeys, l->opts->progress_ctx);
		}
		pthread_mutex_unlock(&l->lock);
		if (w->ret != ESCROW_OK)
			return;
	}
}

static void *
thread_main(void *arg)
{
	struct job *j = arg;

	work(j->w, j->step, j->progress);
	return NULL;
}

int
escrow_p11_i_run(struct load *l, p11l_step step, int progress)
{
	struct job jobs[ESCROW_P11_MAX_SESSIONS];
	size_t k, chunk, nw = l->nw, started = 0, best = 0;
	int ret = ESCROW_OK;

	if (!l->armed) {
		for (k = 1; k < nw; k++) {
			arm(&l->w[k].plain, &l->w[0].plain, l->w[k].p);
			arm(&l->w[k].transport, &l->w[0].transport, l->w[k].p);
		}
		l->armed = 1;
	}
	l->stop = 0;
	l->done = 0;
	chunk = (l->nkeys + nw - 1) / nw;
	for (k = 0; k < nw; k++) {
		struct p11l_worker *w = &l->w[k];

		escrow_p11_i_err_clear(&w->err);
		w->ret = ESCROW_OK;
		w->failed_key = (size_t)-1;
		w->first = k * chunk < l->nkeys ? k * chunk : l->nkeys;
		w->end = w->first + chunk < l->nkeys ? w->first + chunk : l->nkeys;
		jobs[k].w = w;
		jobs[k].step = step;
		jobs[k].progress = progress;
	}
	/* workers 1.. on threads of their own, worker 0 on this one */
	for (k = 1; k < nw; k++) {
		if (pthread_create(&l->w[k].thread, NULL, thread_main, &jobs[k]) != 0)
			break;
		started = k;
	}
	for (k = started + 1; k < nw; k++)
		work(&l->w[k], step, progress); /* no thread: run them here */
	work(&l->w[0], step, progress);
	for (k = 1; k <= started; k++)
		pthread_join(l->w[k].thread, NULL);
	for (k = 0; k < nw; k++)
		if (l->w[k].ret != ESCROW_OK && (ret == ESCROW_OK ||
		    l->w[k].failed_key < l->w[best].failed_key)) {
			ret = l->w[k].ret;
			best = k;
		}
	if (ret != ESCROW_OK) {
		*l->err = l->w[best].err;
		escrow_p11_i_name_key(l, l->err, l->w[best].failed_key);
	}
	return ret;
}
