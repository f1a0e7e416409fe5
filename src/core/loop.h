/* The one event loop of the daemon, in the manner of Redis's ae.c: file events
 * (an fd, a callback, an argument) over epoll, time events (one-shot or periodic)
 * and signals delivered through a signalfd. Every long-running command registers
 * its sources here; none builds its own epoll loop. Single-threaded. */
#ifndef VG_LOOP_H
#define VG_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct loop;

/* fd became readable (or hung up / errored: the callback's read finds out). */
typedef void (*loop_file_fn)(struct loop *l, int fd, void *arg);
/* A timer fired. Return the delay in ms until it fires again, or LOOP_TIMER_DONE
 * to delete it (a one-shot timer returns LOOP_TIMER_DONE). */
typedef int64_t (*loop_timer_fn)(struct loop *l, long long id, void *arg);
/* A registered signal arrived (SIGINT, SIGTERM; SIGHUP for a later reload). */
typedef void (*loop_signal_fn)(struct loop *l, int signo, void *arg);
/* Runs once per wake-up, after every due event was dispatched: the place where a
 * caller commits the batch those events produced (Redis's beforeSleep). */
typedef void (*loop_hook_fn)(struct loop *l, void *arg);

#define LOOP_TIMER_DONE ((int64_t)-1)
#define LOOP_MAX_FDS 64
#define LOOP_MAX_TIMERS 32

/* New loop; the caller frees it with loop_free(). 0 or VG_ERR_*. */
int loop_new(struct loop **out);
/* Accepts NULL. Closes the loop's own descriptors (epoll, signalfd); registered
 * fds stay the caller's. */
void loop_free(struct loop *l);

/* Calls fn(l, fd, arg) whenever fd is readable. VG_ERR_LIMIT past LOOP_MAX_FDS,
 * VG_ERR_IO if epoll refuses the fd. */
int loop_add_fd(struct loop *l, int fd, loop_file_fn fn, void *arg);
void loop_del_fd(struct loop *l, int fd);

/* Calls fn after_ms from now (monotonic clock); *id (may be NULL) names it for
 * loop_del_timer. The callback's return value re-arms it (periodic) or not. */
int loop_add_timer(struct loop *l, int64_t after_ms, loop_timer_fn fn, void *arg, long long *id);
void loop_del_timer(struct loop *l, long long id);

/* Blocks signo for the process and delivers it through the loop's signalfd. */
int loop_add_signal(struct loop *l, int signo, loop_signal_fn fn, void *arg);

/* Sets the hook run after each round of events (NULL clears it). */
void loop_set_before_sleep(struct loop *l, loop_hook_fn fn, void *arg);

/* The next wait lasts at most ms (0: do not block; a source with work left over
 * from a bounded read asks for this). Applies to one wait only. */
void loop_wake_within(struct loop *l, int64_t ms);

/* Ends loop_run after the current round (its before-sleep hook still runs). */
void loop_stop(struct loop *l);
bool loop_stopping(const struct loop *l);

/* Dispatches events until loop_stop. 0, or VG_ERR_IO if epoll fails. */
int loop_run(struct loop *l);

/* Monotonic milliseconds: the clock of the timers, and the one clock every stage
 * times deadlines, rates and waits with. */
int64_t loop_now_ms(void);

#endif
