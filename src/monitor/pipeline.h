/* The detection pipeline: line → decoder → rules → correlator → alert outputs (store,
 * JSON lines, text). `vigil scan-log` drives it in batch over files; `vigil watch`
 * drives it from live sources. One pipeline per thread. */
#ifndef VG_PIPELINE_H
#define VG_PIPELINE_H

#include "core/log.h"
#include "core/store.h"
#include "monitor/alert.h"
#include "monitor/correlate.h"
#include "monitor/decode.h"
#include "monitor/ioc.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct pipeline;

struct pipeline_opts {
	const char *rules_path;		/* rule file or directory */
	const char *rules_cache;	/* compiled-rules cache directory (NULL = none) */
	unsigned rule_flags;		/* RULESET_KEEP_GOING */
	const struct correlate_config *correlate;	/* NULL = defaults */
	struct alerts *alerts;		/* where alerts go (monitor/alert.h); NULL = counted only */
	const struct ioc_set *ioc;	/* monitor.ioc_files (borrowed); NULL = none */
	bool live;			/* watch mode: the wall clock closes windows, not log time */
	const struct vg_logger *log;
};

struct pipeline_stats {
	uint64_t lines;
	uint64_t decode_errors;
	uint64_t truncated;		/* lines cut to monitor.max_line */
	uint64_t events_matched;	/* lines that matched at least one rule */
	uint64_t hits;
	uint64_t hits_dropped;		/* over MAX_HITS_PER_EVENT rules on one line */
	uint64_t alerts;		/* alerts closed (final) */
	uint64_t store_errors;
	struct correlate_stats correlate;
};

/* Loads rules and builds the pipeline. On failure *errors (caller frees) holds the
 * rule loader's messages. With RULESET_KEEP_GOING, broken rules are skipped and
 * *errors still lists them. */
int pipeline_new(const struct pipeline_opts *opts, struct pipeline **out, char **errors);
void pipeline_free(struct pipeline *p);
size_t pipeline_rule_count(const struct pipeline *p);

/* Reloads the rules from the same path (and cache, flags) and swaps them in with ioc
 * (borrowed, replaces the previous set, which the caller may then free) between two
 * lines; correlation state (open alerts, counts) stays. On failure nothing changes
 * and *errors (caller frees) may hold the loader's messages; VG_ERR_LIMIT after
 * too many reloads in one run (the replaced rule sets are kept: see pipeline.c). */
int pipeline_reload(struct pipeline *p, const struct ioc_set *ioc, char **errors);

/* Runs one line through decoder d, the rules and the IOC lists. source labels it;
 * truncated says it was cut at max_line: the kept part is still decoded and
 * matched, and the cut itself raises rule "log.line_too_long" (category evasion).
 * Lines without a timestamp get now_us. Returns 0, or a negative VG_ERR_*
 * when an output failed (the caller decides: batch mode stops, watch mode rolls the
 * store transaction back and re-reads the lines). */
int pipeline_line(struct pipeline *p, struct decoder *d, const char *source, const char *line,
    size_t len, bool truncated, int64_t now_us);
/* Closes alert windows that ended before now_us. */
int pipeline_tick(struct pipeline *p, int64_t now_us);
/* Closes every open alert (end of input, shutdown). */
int pipeline_flush(struct pipeline *p);
/* Watch mode: the round's store transaction committed (pipeline_committed) or
 * rolled back and its lines will come again (pipeline_rolled_back): correlation
 * goes back to what the store holds, so nothing is counted twice (see
 * correlator_rolled_back). */
void pipeline_committed(struct pipeline *p);
void pipeline_rolled_back(struct pipeline *p);

/* Batch source (`scan-log`): feeds every line of fd, read in 1 MiB chunks, to the
 * pipeline with decoder d, labelled name. Lines longer than max_line are cut and
 * flagged; the rest of such a line is skipped. 0, or the first VG_ERR_* (read
 * failure, logged; or an output failure from pipeline_line). */
int pipeline_scan_fd(struct pipeline *p, struct decoder *d, int fd, const char *name,
    size_t max_line, const struct vg_logger *log);

struct detector_ops;
/* Runs one more event detector (monitor/detect.h) after the rule set and the IOC
 * lists, e.g. detector_wsaccess with watch's struct wsaccess (state is borrowed).
 * 0 or VG_ERR_LIMIT. */
int pipeline_add_detector(struct pipeline *p, const struct detector_ops *ops, void *state);

void pipeline_get_stats(const struct pipeline *p, struct pipeline_stats *out);

#endif
