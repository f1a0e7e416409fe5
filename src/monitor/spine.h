/* The runtime spine: sources (source_ops rows) registered on the one event loop
 * (core/loop), read in rounds; each round's lines go to one consumer (the detection
 * pipeline for `watch`, JSON printing for `tail`), which commits the round. `watch`,
 * `tail` and `fim watch` are this spine with different sources and consumers;
 * `scan-log` feeds the same pipeline and alert path from whole files. */
#ifndef VG_SPINE_H
#define VG_SPINE_H

#include "core/log.h"
#include "core/loop.h"
#include "core/store.h"
#include "monitor/source.h"

#include <stdbool.h>

#define SPINE_MAX_SOURCES 8

struct spine_consumer {
	source_line_fn line;		/* every line of every source */
	/* Round start (e.g. open a store transaction); non-zero skips the round. */
	int (*begin)(void *arg);
	/* Round end: commit what the round produced. poll: the once-a-second round;
	 * stop: the last round before shutting down. */
	void (*end)(void *arg, bool poll, bool stop);
	void *arg;
};

struct spine;

/* New spine on loop l (borrowed): SIGINT and SIGTERM stop it, a 250 ms heartbeat
 * wakes it. log prefix: "watch: " or "". Caller frees with spine_free. */
int spine_new(struct loop *l, const struct spine_consumer *c, const struct vg_logger *lg,
    const char *log_prefix, struct spine **out);
/* Frees the spine, not its sources (their states stay the caller's). */
void spine_free(struct spine *sp);

/* Registers a source (state borrowed). VG_ERR_LIMIT past SPINE_MAX_SOURCES. */
int spine_add(struct spine *sp, const struct source_ops *ops, void *state);

/* fn(arg) once, after the first round has been read and committed: by then every
 * web root had its full reconcile, so "ready" means protected. */
void spine_on_ready(struct spine *sp, void (*fn)(void *arg), void *arg);

/* fn(arg) after SIGHUP, once the current round has been read and committed (between
 * two rounds, so a consumer can swap what it matches with). Several SIGHUPs before
 * that are one reload. 0 or VG_ERR_* (the signal cannot be taken). */
int spine_on_reload(struct spine *sp, void (*fn)(void *arg), void *arg);

/* Runs until SIGINT/SIGTERM (or loop_stop); the last round has stop set. */
int spine_run(struct spine *sp);

/* For the consumer's end(): every source's positions into st, then confirmed or
 * taken back. 0 or the first VG_ERR_*. */
int spine_checkpoint(struct spine *sp, struct vg_store *st);
void spine_committed(struct spine *sp);
void spine_rewind(struct spine *sp);
/* Sources with positions (those that rewind) are not read for ms, so a consumer whose
 * commit failed waits before the same lines come again; the others (the web-root
 * watcher) keep running. spine_held: the last round skipped them. */
void spine_hold(struct spine *sp, int ms);
bool spine_held(const struct spine *sp);
/* Round again without blocking (a consumer that stopped a source for back-pressure). */
void spine_again(struct spine *sp);

#endif
