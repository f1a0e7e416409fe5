/* The daemon's website-watch thread (sitewatch.h: sitewatch_runner). It owns a
 * store connection of its own (SQLite serialises the writers; WAL keeps readers
 * apart) and shares only a bounded queue of findings with the loop thread. */
#include "inventory/sitewatch.h"

#include "core/err.h"
#include "core/log.h"
#include "core/store.h"

#include <curl/curl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define RUNNER_QUEUE 256

struct sitewatch_runner {
	const struct vg_config *cfg;
	const struct vg_logger *log;
	struct vg_store *st;
	struct sitewatch *sw;
	pthread_t thread;
	bool started;
	int ready_fd;	/* findings waiting */
	int stop_fd;	/* the loop asks the thread to end */
	pthread_mutex_t mu;
	struct site_finding q[RUNNER_QUEUE];
	size_t n, dropped;
	struct site_finding batch[RUNNER_QUEUE];	/* the loop thread's copy */
};

static void
enqueue(void *arg, const struct site_finding *f)
{
	struct sitewatch_runner *r = arg;
	uint64_t one = 1;

	pthread_mutex_lock(&r->mu);
	if (r->n < RUNNER_QUEUE)
		r->q[r->n++] = *f;
	else
		r->dropped++;
	pthread_mutex_unlock(&r->mu);
	if (write(r->ready_fd, &one, sizeof(one)) < 0) {
		/* the counter is saturated: the loop has a wake-up pending anyway */
	}
}

static void *
run(void *arg)
{
	struct sitewatch_runner *r = arg;
	size_t n = r->cfg->sitewatch.sites.n;
	int64_t *due = calloc(n ? n : 1, sizeof(*due));

	if (!due)
		return NULL;
	for (;;) {
		int64_t now = vg_now_us(), next = INT64_MAX;
		for (size_t i = 0; i < n; i++) {
			if (due[i] <= now) {
				const struct vg_site_cfg *s = vg_config_site(r->cfg, i);
				int ret = sitewatch_check(r->sw, s, false, enqueue, r, NULL);
				if (ret != VG_OK)
					vg_warn(r->log, "watch: sitewatch %s: %s", s->url, vg_strerror(ret));
				due[i] = vg_now_us() + r->cfg->sitewatch.interval * 1000000LL;
			}
			if (due[i] < next)
				next = due[i];
		}
		struct pollfd p = { .fd = r->stop_fd, .events = POLLIN };
		int64_t wait_ms = (next - vg_now_us()) / 1000;
		if (poll(&p, 1, wait_ms < 0 ? 0 : wait_ms > 60000 ? 60000 : (int)wait_ms) > 0)
			break;
	}
	free(due);
	return NULL;
}

int
sitewatch_runner_start(const struct vg_config *cfg, const char *rules_dir,
    const struct vg_logger *log, struct sitewatch_runner **out, char *err, size_t err_size)
{
	struct sitewatch_runner *r = calloc(1, sizeof(*r));
	int ret;

	*out = NULL;
	if (!r)
		return VG_ERR_NOMEM;
	r->cfg = cfg;
	r->log = log;
	r->ready_fd = r->stop_fd = -1;
	pthread_mutex_init(&r->mu, NULL);
	/* libcurl's global set-up is not thread-safe: done here, before the thread */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if ((ret = store_open(cfg->store.backend, cfg->store.path, log, &r->st, err, err_size)) !=
		VG_OK ||
	    (ret = sitewatch_open(r->st, cfg, rules_dir, &r->sw, err, err_size)) != VG_OK)
		goto fail;
	ret = VG_ERR_IO;
	if ((r->ready_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0 ||
	    (r->stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) {
		snprintf(err, err_size, "sitewatch: eventfd failed");
		goto fail;
	}
	/* the loop takes SIGINT/SIGTERM through a signalfd: the thread must not take
	 * them instead (it inherits the mask it is created with) */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int pr = pthread_create(&r->thread, NULL, run, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pr != 0) {
		snprintf(err, err_size, "sitewatch: cannot start its thread");
		goto fail;
	}
	r->started = true;
	*out = r;
	return VG_OK;
fail:
	sitewatch_runner_stop(r);
	return ret;
}

int
sitewatch_runner_fd(const struct sitewatch_runner *r)
{
	return r->ready_fd;
}

void
sitewatch_runner_drain(struct sitewatch_runner *r, sitewatch_fn fn, void *arg)
{
	uint64_t v;
	size_t n;

	if (read(r->ready_fd, &v, sizeof(v)) < 0) {
		/* nothing pending (EAGAIN): the queue says the same */
	}
	pthread_mutex_lock(&r->mu);
	n = r->n;
	memcpy(r->batch, r->q, n * sizeof(r->batch[0]));
	r->n = 0;
	pthread_mutex_unlock(&r->mu);
	for (size_t i = 0; i < n; i++)
		fn(arg, &r->batch[i]);
}

size_t
sitewatch_runner_dropped(const struct sitewatch_runner *r)
{
	return r->dropped;
}

void
sitewatch_runner_halt(struct sitewatch_runner *r)
{
	uint64_t one = 1;

	if (!r || !r->started)
		return;
	if (write(r->stop_fd, &one, sizeof(one)) < 0)
		vg_warn(r->log, "watch: sitewatch: cannot signal its thread to stop");
	pthread_join(r->thread, NULL);
	r->started = false;
}

void
sitewatch_runner_stop(struct sitewatch_runner *r)
{
	if (!r)
		return;
	sitewatch_runner_halt(r);
	if (r->ready_fd >= 0)
		close(r->ready_fd);
	if (r->stop_fd >= 0)
		close(r->stop_fd);
	sitewatch_close(r->sw);
	store_close(r->st);
	pthread_mutex_destroy(&r->mu);
	free(r);
}
