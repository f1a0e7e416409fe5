/* Big-file hashing worker (see bighash.h). Requests and results are singly linked
 * lists under one mutex; the worker signals the loop by writing the eventfd, the loop
 * reads it and takes the whole result list at once. */
#include "monitor/bighash.h"
#include "core/err.h"
#include "core/loop.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

struct job {
	struct job *next;
	struct bighash_result r;
	char *rel, *path;
};

struct bighash {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t tid;
	bool started, stop;
	int efd;
	struct job *q, **q_tail, *done;
	size_t n_queued, max_queue;
	struct bighash_stats st;
};

static void
job_free(struct job *j)
{
	free(j->rel);
	free(j->path);
	free(j);
}

static void
hash_job(struct job *j, unsigned char *buf)
{
	int64_t t0 = loop_now_ms();
	uint64_t size;
	int fd = open(j->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		j->r.err = errno == ENOENT ? VG_ERR_NOTFOUND : VG_ERR_IO;
		return;
	}
	if (fstat(fd, &j->r.st) != 0 || !S_ISREG(j->r.st.st_mode))
		j->r.err = VG_ERR_FORMAT;
	else
		j->r.err = objstore_hash_fd(fd, buf, OBJ_BUF_SIZE, j->r.sha256, &size);
	close(fd);
	j->r.ms = loop_now_ms() - t0;
}

static void *
worker(void *arg)
{
	struct bighash *h = arg;
	unsigned char *buf = malloc(OBJ_BUF_SIZE);

	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (!h->q && !h->stop)
			pthread_cond_wait(&h->cv, &h->mu);
		if (h->stop)
			break;
		struct job *j = h->q;
		h->q = j->next;
		if (!h->q)
			h->q_tail = &h->q;
		h->n_queued--;
		pthread_mutex_unlock(&h->mu);
		if (buf)
			hash_job(j, buf);
		else
			j->r.err = VG_ERR_NOMEM;
		pthread_mutex_lock(&h->mu);
		j->next = h->done;
		h->done = j;
		h->st.hashed++;
		uint64_t one = 1;
		if (write(h->efd, &one, sizeof(one)) < 0) {
			/* the counter cannot overflow in practice; the loop drains anyway */
		}
	}
	pthread_mutex_unlock(&h->mu);
	free(buf);
	return NULL;
}

int
bighash_new(size_t max_queue, struct bighash **out)
{
	struct bighash *h = calloc(1, sizeof(*h));

	*out = NULL;
	if (!h)
		return VG_ERR_NOMEM;
	h->max_queue = max_queue ? max_queue : 256;
	h->q_tail = &h->q;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	if ((h->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) {
		bighash_free(h);
		return VG_ERR_IO;
	}
	/* the worker takes no signal: SIGTERM and SIGINT belong to the loop's signalfd,
	 * which blocks them only later, in the main thread */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int r = pthread_create(&h->tid, NULL, worker, h);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		bighash_free(h);
		return VG_ERR_IO;
	}
	h->started = true;
	*out = h;
	return VG_OK;
}

void
bighash_free(struct bighash *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->mu);
	h->stop = true;
	pthread_cond_signal(&h->cv);
	pthread_mutex_unlock(&h->mu);
	if (h->started)
		pthread_join(h->tid, NULL);
	for (struct job *j = h->q, *n; j; j = n) {
		n = j->next;
		job_free(j);
	}
	for (struct job *j = h->done, *n; j; j = n) {
		n = j->next;
		job_free(j);
	}
	if (h->efd >= 0)
		close(h->efd);
	pthread_cond_destroy(&h->cv);
	pthread_mutex_destroy(&h->mu);
	free(h);
}

int
bighash_fd(const struct bighash *h)
{
	return h->efd;
}

int
bighash_submit(struct bighash *h, int root, const char *rel, const char *path, bool recheck)
{
	struct job *j;
	int ret = VG_OK;

	pthread_mutex_lock(&h->mu);
	for (j = h->q; j; j = j->next)
		if (strcmp(j->path, path) == 0) {
			j->r.recheck |= recheck;
			goto out;
		}
	if (h->n_queued >= h->max_queue) {
		h->st.dropped++;
		ret = VG_ERR_LIMIT;
		goto out;
	}
	if (!(j = calloc(1, sizeof(*j))) || !(j->path = strdup(path)) ||
	    (rel && !(j->rel = strdup(rel)))) {
		if (j)
			job_free(j);
		ret = VG_ERR_NOMEM;
		goto out;
	}
	j->r.root = root;
	j->r.recheck = recheck;
	*h->q_tail = j;
	h->q_tail = &j->next;
	h->n_queued++;
	h->st.submitted++;
	pthread_cond_signal(&h->cv);
out:
	pthread_mutex_unlock(&h->mu);
	return ret;
}

void
bighash_drain(struct bighash *h, void (*fn)(void *arg, const struct bighash_result *r),
    void *arg)
{
	uint64_t n;
	struct job *list, *rev = NULL;

	if (read(h->efd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return;
	pthread_mutex_lock(&h->mu);
	list = h->done;
	h->done = NULL;
	pthread_mutex_unlock(&h->mu);
	for (struct job *j = list, *next; j; j = next) {	/* oldest first */
		next = j->next;
		j->next = rev;
		rev = j;
	}
	for (struct job *j = rev, *next; j; j = next) {
		next = j->next;
		j->r.rel = j->rel;
		j->r.path = j->path;
		fn(arg, &j->r);
		job_free(j);
	}
}

void
bighash_get_stats(const struct bighash *h, struct bighash_stats *out)
{
	pthread_mutex_t *mu = (pthread_mutex_t *)&h->mu;	/* stats read under the lock */
	pthread_mutex_lock(mu);
	*out = h->st;
	pthread_mutex_unlock(mu);
}
