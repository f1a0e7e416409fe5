/* `vigil fim watch` as one stage call: the spine with the web-root watcher as its only
 * source and no line consumer; changes go to the alert path (store, stdout). */
#ifndef VG_FIMRUN_H
#define VG_FIMRUN_H

#include "backup/webroot.h"
#include "core/config.h"
#include "core/log.h"
#include "monitor/fimwatch.h"

#include <stdbool.h>
#include <stddef.h>

struct fim_watch_opts {
	struct protect *p;		/* every root's baseline loaded */
	const struct vg_config *cfg;	/* its store, and the defaults below */
	bool store;			/* record alerts in the store (one that cannot be
					 * opened is a warning: stdout only) */
	bool json;			/* alert lines on stdout as JSON, else text */
	bool with_diff;			/* text lines carry the diff */
	int debounce_ms;		/* < 0: protect.debounce_ms */
	int scan_interval_s;		/* 0: protect.scan_interval */
	size_t max_watches;		/* 0: as many as the kernel allows */
	long long duration_s;		/* 0: until SIGINT/SIGTERM */
	/* Called once watching, with the first counters (may be NULL). */
	void (*started)(void *arg, const struct fimwatch_stats *st);
	void *arg;
	const struct vg_logger *log;
};

/* Watches until a signal (or duration_s), then sets *final to the last counters. All
 * of o is borrowed. 0, or VG_ERR_* with errno saying why. */
int fim_watch_run(const struct fim_watch_opts *o, struct fimwatch_stats *final);

#endif
