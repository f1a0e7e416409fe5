/* Event loop (see loop.h). Tables are small fixed arrays searched linearly: a daemon
 * has a handful of fds and timers, and a fixed size is a hard limit by construction.
 * Timers are checked after every wake-up; a deleted slot is marked (id 0) so a
 * callback may delete any timer, itself included, while the table is walked. */
#include "core/loop.h"
#include "core/err.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#define LOOP_MAX_SIGNALS 65

struct loop_file {
	int fd;
	loop_file_fn fn;
	void *arg;
};

struct loop_timer {
	long long id;		/* 0 = free slot */
	int64_t when_ms;
	loop_timer_fn fn;
	void *arg;
};

struct loop {
	int ep;
	int sfd;		/* signalfd, -1 until the first loop_add_signal */
	sigset_t sigmask;
	struct {
		loop_signal_fn fn;
		void *arg;
	} sig[LOOP_MAX_SIGNALS];
	struct loop_file files[LOOP_MAX_FDS];
	size_t n_files;
	struct loop_timer timers[LOOP_MAX_TIMERS];
	long long next_timer_id;
	loop_hook_fn before_sleep;
	void *before_sleep_arg;
	int64_t wake_within;	/* -1: no cap on the next wait */
	bool stop;
};

int64_t
loop_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
loop_new(struct loop **out)
{
	struct loop *l = calloc(1, sizeof(*l));

	*out = NULL;
	if (!l)
		return VG_ERR_NOMEM;
	l->sfd = -1;
	l->wake_within = -1;
	l->next_timer_id = 1;
	sigemptyset(&l->sigmask);
	if ((l->ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		free(l);
		return VG_ERR_IO;
	}
	*out = l;
	return VG_OK;
}

void
loop_free(struct loop *l)
{
	if (!l)
		return;
	close(l->ep);
	if (l->sfd >= 0)
		close(l->sfd);
	free(l);
}

int
loop_add_fd(struct loop *l, int fd, loop_file_fn fn, void *arg)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	if (l->n_files >= LOOP_MAX_FDS)
		return VG_ERR_LIMIT;
	if (epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev) != 0)
		return VG_ERR_IO;
	l->files[l->n_files++] = (struct loop_file){ fd, fn, arg };
	return VG_OK;
}

void
loop_del_fd(struct loop *l, int fd)
{
	for (size_t i = 0; i < l->n_files; i++) {
		if (l->files[i].fd != fd)
			continue;
		epoll_ctl(l->ep, EPOLL_CTL_DEL, fd, NULL);
		l->files[i] = l->files[--l->n_files];
		return;
	}
}

int
loop_add_timer(struct loop *l, int64_t after_ms, loop_timer_fn fn, void *arg, long long *id)
{
	for (size_t i = 0; i < LOOP_MAX_TIMERS; i++) {
		struct loop_timer *t = &l->timers[i];
		if (t->id)
			continue;
		*t = (struct loop_timer){ l->next_timer_id++, loop_now_ms() + after_ms, fn, arg };
		if (id)
			*id = t->id;
		return VG_OK;
	}
	return VG_ERR_LIMIT;
}

void
loop_del_timer(struct loop *l, long long id)
{
	for (size_t i = 0; id && i < LOOP_MAX_TIMERS; i++)
		if (l->timers[i].id == id)
			l->timers[i].id = 0;
}

int
loop_add_signal(struct loop *l, int signo, loop_signal_fn fn, void *arg)
{
	sigset_t one;
	int fd;

	if (signo <= 0 || signo >= LOOP_MAX_SIGNALS)
		return VG_ERR_INVAL;
	sigemptyset(&one);
	sigaddset(&one, signo);
	sigaddset(&l->sigmask, signo);
	if (sigprocmask(SIG_BLOCK, &one, NULL) != 0)
		return VG_ERR_IO;
	if ((fd = signalfd(l->sfd, &l->sigmask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
		return VG_ERR_IO;
	if (l->sfd < 0) {
		struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
		if (epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
			close(fd);
			return VG_ERR_IO;
		}
		l->sfd = fd;
	}
	l->sig[signo].fn = fn;
	l->sig[signo].arg = arg;
	return VG_OK;
}

void
loop_set_before_sleep(struct loop *l, loop_hook_fn fn, void *arg)
{
	l->before_sleep = fn;
	l->before_sleep_arg = arg;
}

void
loop_wake_within(struct loop *l, int64_t ms)
{
	if (ms < 0)
		ms = 0;
	if (l->wake_within < 0 || ms < l->wake_within)
		l->wake_within = ms;
}

void
loop_stop(struct loop *l)
{
	l->stop = true;
}

bool
loop_stopping(const struct loop *l)
{
	return l->stop;
}

/* Milliseconds to wait: until the nearest timer or the requested cap; -1 = forever. */
static int
wait_ms(struct loop *l, int64_t now)
{
	int64_t w = l->wake_within;

	for (size_t i = 0; i < LOOP_MAX_TIMERS; i++) {
		int64_t d;
		if (!l->timers[i].id)
			continue;
		d = l->timers[i].when_ms > now ? l->timers[i].when_ms - now : 0;
		if (w < 0 || d < w)
			w = d;
	}
	l->wake_within = -1;
	return w > 60000 ? 60000 : (int)w;
}

static void
dispatch_signals(struct loop *l)
{
	struct signalfd_siginfo si;

	while (read(l->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		int s = (int)si.ssi_signo;
		if (s > 0 && s < LOOP_MAX_SIGNALS && l->sig[s].fn)
			l->sig[s].fn(l, s, l->sig[s].arg);
	}
}

static void
dispatch_file(struct loop *l, int fd)
{
	for (size_t i = 0; i < l->n_files; i++)
		if (l->files[i].fd == fd) {
			l->files[i].fn(l, fd, l->files[i].arg);
			return;
		}
}

static void
dispatch_timers(struct loop *l)
{
	int64_t now = loop_now_ms();

	for (size_t i = 0; i < LOOP_MAX_TIMERS; i++) {
		struct loop_timer *t = &l->timers[i];
		long long id = t->id;
		if (!id || t->when_ms > now)
			continue;
		int64_t again = t->fn(l, id, t->arg);
		if (t->id != id)
			continue;	/* the callback deleted it */
		if (again < 0)
			t->id = 0;
		else
			t->when_ms = now + again;
	}
}

int
loop_run(struct loop *l)
{
	struct epoll_event evs[LOOP_MAX_FDS + 1];

	while (!l->stop) {
		int n = epoll_wait(l->ep, evs, LOOP_MAX_FDS + 1, wait_ms(l, loop_now_ms()));
		if (n < 0 && errno != EINTR)
			return VG_ERR_IO;
		for (int i = 0; i < n; i++) {
			if (evs[i].data.fd == l->sfd)
				dispatch_signals(l);
			else
				dispatch_file(l, evs[i].data.fd);
		}
		dispatch_timers(l);
		if (l->before_sleep)
			l->before_sleep(l, l->before_sleep_arg);
	}
	return VG_OK;
}
