/* `vigil tail` as one stage call: the spine with the file tailer and syslog listeners
 * as sources and the JSON line writer (monitor/lineout) as consumer, file positions
 * checkpointed in a store after every round when one is named. */
#ifndef VG_FOLLOW_H
#define VG_FOLLOW_H

#include "core/config.h"
#include "core/log.h"

#include <stddef.h>

struct follow_opts {
	char *const *paths;		/* files or globs, each named by itself */
	size_t n_paths;
	const char *const *syslogs;	/* udp://HOST:PORT or tcp://HOST:PORT */
	size_t n_syslog;
	const struct vg_config *cfg;	/* NULL, or also its monitor.sources and .syslog */
	size_t max_line;		/* 256..64 MiB */
	size_t max_files;		/* 0 = the tailer's default */
	unsigned rotate_wait_ms;
	const char *store_path;		/* NULL: positions are not kept */
	const char *output;		/* NULL: stdout */
	const struct vg_logger *log;
};

/* Follows until SIGINT/SIGTERM, then saves positions and logs the counters (info).
 * All of o is borrowed. On failure err says why ("" when the part that failed said
 * so itself); VG_ERR_CONFIG when the arguments or configuration are at fault (a path
 * or listen address that cannot be used), another VG_ERR_* otherwise. */
int follow_run(const struct follow_opts *o, char *err, size_t err_size);

#endif
