/* The daemon's heartbeat: every HEARTBEAT_MS, `watch` writes into the store what it
 * follows and how fast lines come (record kind core/store_heartbeat.h), which
 * `vigil status` reads. */
#ifndef VG_HEARTBEAT_H
#define VG_HEARTBEAT_H

#include "core/config.h"
#include "core/loop.h"
#include "core/store.h"
#include "monitor/sources.h"

#define HEARTBEAT_MS 5000

struct heartbeat {
	struct vg_store *store;
	const struct vg_config *cfg;
	const struct log_sources *ls;
	const struct vg_logger *lg;
	int64_t started_us;
	int64_t last_ms;		/* monotonic time of the previous beat */
	uint64_t last_file_lines, last_syslog_lines;
	bool warned;
};

/* Beats once now and then every HEARTBEAT_MS on l. Everything is borrowed and
 * must outlive the loop. A failed write is logged once and retried next beat. */
int heartbeat_start(struct heartbeat *hb, struct loop *l);

#endif
