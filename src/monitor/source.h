/* The one interface every source plugs in through: source_ops rows (file tail,
 * syslog receiver, web-root watcher; listed in monitor/registry.c) registered on the
 * event loop by monitor/spine.c, delivering complete lines borrowed for the
 * duration of a callback (the web-root watcher reports changes to the alert path
 * instead). */
#ifndef VG_SOURCE_H
#define VG_SOURCE_H

#include "core/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct source_line {
	const char *source;	/* source label (config name or path) */
	const char *path;	/* file path, or peer address for syslog */
	const char *data;	/* one line without '\n' (borrowed, valid during callback);
				 * never contains '\n' (a multi-line syslog message has
				 * its inner line feeds turned into spaces) */
	size_t len;
	bool truncated;		/* longer than max_line: the first max_line bytes, rest skipped */
	uint64_t offset_after;	/* file offset just past this line (files); 0 for syslog */
	void *tag;		/* what the source was registered with (its decoder in
				 * `watch`), so a consumer needs no lookup per line */
};

/* Called once per line. Returning non-zero stops delivery: the source does not
 * advance past that line and delivers it again on the next call. */
typedef int (*source_line_fn)(const struct source_line *line, void *arg);

/* A kind of source. state is the source's own object; optional members may be NULL. */
struct source_ops {
	const char *name;	/* for log lines: "tail", "syslog", "web-root watcher" */
	int (*fd)(const void *state);	/* readable = read has work */
	/* optional second descriptor, readable = read has work too (a worker thread's
	 * results, e.g. the web-root watcher's big-file hashes); NULL or -1: none */
	int (*fd2)(const void *state);
	/* Reads what is there and hands lines to fn (stops at fn's non-zero return).
	 * ready: the fd fired; poll: about once a second (rescans, expiries). Returns
	 * a negative VG_ERR_* on failure, else >= 0. */
	int (*read)(void *state, bool ready, bool poll, source_line_fn fn, void *arg);
	/* ms until read has timed work, -1 for none */
	int (*timeout_ms)(const void *state);
	/* work left over from a bounded read: read again before blocking */
	bool (*pending)(const void *state);
	/* positions: saved inside the caller's store transaction, then confirmed or
	 * taken back (the lines are delivered again) */
	int (*checkpoint)(void *state, struct vg_store *st);
	void (*committed)(void *state);
	void (*rewind)(void *state);
};
extern const struct source_ops source_tail, source_syslog;

#endif
