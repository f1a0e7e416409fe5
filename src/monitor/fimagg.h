/* Web-root change aggregation: one alert per (web root, path, kind, action) while the
 * changes keep coming, like a rule alert's window, so an attacker rewriting a page in
 * a loop makes one alert with a count and first/last seen, not one per write. Each
 * restore is still recorded (the store sink writes an audit row per change). */
#ifndef VG_FIMAGG_H
#define VG_FIMAGG_H

#include "monitor/alert.h"

#include <stdint.h>

struct fimagg_opts {
	struct alerts *alerts;	/* where alerts go (borrowed) */
	int64_t quiet_us;	/* a window closes after this long without a change; 0 = 60 s */
	size_t max_open;	/* open windows in all; 0 = 4096 (the oldest is closed) */
	size_t root_max;	/* open windows per root before new paths fold into one
				 * roll-up window with path "*"; 0 = 256 */
};

struct fimagg_stats {
	uint64_t opened, updated, closed, evicted, rolled_up;
};

struct fimagg;

/* 0 or VG_ERR_NOMEM. Caller frees with fimagg_free. */
int fimagg_new(const struct fimagg_opts *o, struct fimagg **out);
/* Closes every open window (their summaries are emitted), then frees. Accepts NULL. */
void fimagg_free(struct fimagg *a);

/* One change: opens a window (alert emitted as ALERT_OPENED) or counts it into the
 * open one (ALERT_UPDATED: stored count, audit row, no line). Returns alert_emit's. */
int fimagg_change(struct fimagg *a, const struct fim_change *ch, int64_t now_us);
/* Closes windows quiet since quiet_us (ALERT_CLOSED: final count, a summary line
 * when more than one change was folded in). */
void fimagg_expire(struct fimagg *a, int64_t now_us);
void fimagg_get_stats(const struct fimagg *a, struct fimagg_stats *out);

#endif
