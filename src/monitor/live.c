/* Live detection consumer (see live.h). A store failure stops the round's delivery
 * and rolls it back; the sources rewind so the same lines come again. */
#include "monitor/live.h"
#include "core/err.h"

#include <stdio.h>

int
live_line(const struct source_line *line, void *arg)
{
	struct live *lv = arg;
	int r = pipeline_line(lv->pipeline, line->tag, line->source, line->data, line->len,
	    line->truncated, vg_now_us());
	if (r != VG_OK && !lv->failed)
		lv->failed = r;
	/* A store failure stops the round so the lines are read again after rollback. */
	return r != VG_OK ? 1 : 0;
}

int
live_begin(void *arg)
{
	struct live *lv = arg;
	if (store_begin(lv->store) == VG_OK)
		return 0;
	vg_warn(lv->lg, "watch: store busy: %s", store_errmsg(lv->store));
	return 1;
}

/* Commits the round: alerts and positions land together or not at all. */
void
live_end(void *arg, bool poll, bool stop)
{
	struct live *lv = arg;
	int r;

	if (poll && (r = pipeline_tick(lv->pipeline, vg_now_us())) != VG_OK && !lv->failed)
		lv->failed = r;
	if (stop && (r = pipeline_flush(lv->pipeline)) != VG_OK && !lv->failed)
		lv->failed = r;
	r = lv->failed;
	if (r == VG_OK)
		r = spine_checkpoint(lv->spine, lv->store);
	if (r == VG_OK)
		r = store_commit(lv->store);
	if (r != VG_OK) {
		vg_warn(lv->lg, "watch: batch not saved (%s); lines will be read again",
		    lv->failed ? vg_strerror(lv->failed) : store_errmsg(lv->store));
		store_rollback(lv->store);
		/* the round's hits are in memory only now, and the lines come again */
		pipeline_rolled_back(lv->pipeline);
		spine_rewind(lv->spine);
		lv->failed = 0;
		/* A full disk fails every round: retrying at once spins and floods the log. */
		lv->backoff_ms = lv->backoff_ms ? lv->backoff_ms * 2 : 100;
		if (lv->backoff_ms > 5000)
			lv->backoff_ms = 5000;
		spine_hold(lv->spine, lv->backoff_ms);
		return;
	}
	if (!spine_held(lv->spine))
		lv->backoff_ms = 0;	/* a round with the lines in it went through */
	spine_committed(lv->spine);
	pipeline_committed(lv->pipeline);
	fflush(stdout);
}

void
live_log_stats(const struct live *lv)
{
	struct pipeline_stats ps;
	pipeline_get_stats(lv->pipeline, &ps);
	vg_info(lv->lg,
	    "watch: %llu lines, %llu undecodable, %llu truncated, %llu matched, %llu alerts, "
	    "%llu store errors, %llu sources evicted",
	    (unsigned long long)ps.lines, (unsigned long long)ps.decode_errors,
	    (unsigned long long)ps.truncated, (unsigned long long)ps.events_matched,
	    (unsigned long long)ps.alerts, (unsigned long long)ps.store_errors,
	    (unsigned long long)ps.correlate.evicted_sources);
}
