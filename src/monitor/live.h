/* Live detection: the spine consumer of `vigil watch`. Each line goes through the
 * detection pipeline with the decoder its source carries; each round is one store
 * transaction holding the alerts and the file positions that produced them, so a
 * crash loses nothing and repeats nothing. */
#ifndef VG_LIVE_H
#define VG_LIVE_H

#include "core/log.h"
#include "core/store.h"
#include "monitor/pipeline.h"
#include "monitor/spine.h"

struct live {
	struct pipeline *pipeline;	/* borrowed */
	struct vg_store *store;		/* borrowed */
	struct spine *spine;		/* set before the first round */
	const struct vg_logger *lg;
	int failed;			/* first pipeline/store error of the round */
	int backoff_ms;			/* after failed rounds: 100 ms doubling to 5 s */
};

/* The consumer rows for spine_new (arg = a struct live). */
int live_line(const struct source_line *line, void *arg);
int live_begin(void *arg);
void live_end(void *arg, bool poll, bool stop);

/* Logs the pipeline's counters (at shutdown). */
void live_log_stats(const struct live *lv);

#endif
