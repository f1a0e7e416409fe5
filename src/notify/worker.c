/* The sender thread: drains the outbox on its own store connection so a slow or
 * dead receiver never stalls the daemon's loop. The loop's outbox timer (or any
 * enqueue) only kicks it. */
#include "notify/notify.h"
#include "core/err.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

struct notify_worker {
	const struct vg_config *cfg;
	const struct vg_logger *log;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool kicked, stop;
};

static void *
run(void *arg)
{
	struct notify_worker *w = arg;
	struct vg_store *st = NULL;
	struct notify *nt = NULL;
	char err[512];
	int r;

	r = store_open(w->cfg->store.backend, w->cfg->store.path, w->log, &st, err, sizeof(err));
	if (r != VG_OK || (r = notify_open(st, w->cfg, w->log, &nt)) != VG_OK) {
		vg_error(w->log, "notify worker: %s", r == VG_OK ? vg_strerror(r) : err);
		goto out;
	}
	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		struct notify_pass pass;
		struct timespec until;
		pthread_mutex_unlock(&w->mu);
		r = notify_flush(nt, vg_now_us(), &pass);
		if (r != VG_OK)
			vg_warn(w->log, "notify: outbox pass failed: %s", vg_strerror(r));
		pthread_mutex_lock(&w->mu);
		/* A pass that sent something goes again at once: there may be more. */
		if (r == VG_OK && pass.sent + pass.digested > 0)
			continue;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += w->cfg->notify.interval;
		while (!w->kicked && !w->stop)
			if (pthread_cond_timedwait(&w->cv, &w->mu, &until) != 0)
				break;
		w->kicked = false;
	}
	pthread_mutex_unlock(&w->mu);
out:
	notify_close(nt);
	store_close(st);
	return NULL;
}

int
notify_worker_start(const struct vg_config *cfg, const struct vg_logger *log,
    struct notify_worker **out)
{
	struct notify_worker *w = calloc(1, sizeof(*w));

	*out = NULL;
	if (!w)
		return VG_ERR_NOMEM;
	w->cfg = cfg;
	w->log = log;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	/* The thread starts with every signal blocked, so SIGTERM and friends always
	 * reach the loop's signalfd, whenever the loop registers them. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&w->thread, NULL, run, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		free(w);
		return VG_ERR_IO;
	}
	*out = w;
	return VG_OK;
}

void
notify_worker_kick(struct notify_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->kicked = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void
notify_worker_stop(struct notify_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}
