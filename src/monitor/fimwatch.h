/* Realtime web-root watcher: recursive inotify watches (new directories are watched as
 * they appear), debounced so a file written in chunks is judged once it is quiet or
 * closed, each changed path reconciled against the baseline with the root's policy.
 * Runs standalone (`vigil fim watch`) or inside another loop through fimwatch_fd(),
 * fimwatch_process() and fimwatch_tick(). */
#ifndef VG_FIMWATCH_H
#define VG_FIMWATCH_H

#include "respond/reconcile.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fimwatch_opts {
	int debounce_ms;	/* quiet time after the last write; 0 = act at once */
	int scan_interval_s;	/* periodic scan of parts that could not be watched */
	size_t max_watches;	/* 0 = as many as the kernel allows (a lower cap tests the
				 * fallback the way ENOSPC would) */
	size_t max_pending;	/* paths waiting for debounce; 0 = 4096 */
	uint64_t big_file;	/* larger files are hashed on a worker thread, never in the
				 * loop; 0 = 16 MiB */
	fim_change_fn fn;	/* every change found, with the action taken */
	/* A server-side script (fimwatch_server_script) written, moved or linked into
	 * an excluded path, or found there when the root or a new directory is first
	 * watched: exclude silences tamper alerts, never webshell scanning. */
	void (*excluded_script)(void *arg, const struct protect_root *root, const char *rel);
	void *arg;
};

struct fimwatch_stats {
	uint64_t events, overflows, rescans, pending_dropped, changes, failed;
	uint64_t deferred;	/* checks put off while a CLI restore held the root's lock */
	uint64_t page_checks;	/* pages-first checks (at start and after lost events) */
	uint64_t interleaves;	/* looks at new events from within a long full rescan */
	uint64_t big_hashed, big_dropped;	/* big files hashed off the loop / not queued */
	size_t watches, unwatched;	/* directories watched / left to periodic scans */
};

struct fimwatch;

/* Sets up watches on every web root of p (p must outlive the watcher; baselines not
 * yet loaded are loaded here: VG_ERR_NOTFOUND, logged, if a root has no snapshot).
 * Roots that cannot be watched completely are logged and scanned every
 * scan_interval_s. The first fimwatch_tick reconciles every root once, so changes
 * made while nothing watched are handled too. Caller frees with fimwatch_free.
 * Embedding: poll fimwatch_fd() for POLLIN and call fimwatch_process(); otherwise
 * call fimwatch_tick(fw, loop_now_ms()) after fimwatch_timeout_ms(). Set
 * p->file_hook / p->quarantine before the first tick to plug in webshell scanning
 * and the quarantine vault. */
int fimwatch_new(struct protect *p, const struct fimwatch_opts *o, struct fimwatch **out);
void fimwatch_free(struct fimwatch *fw);

/* The inotify descriptor to poll for POLLIN. */
int fimwatch_fd(const struct fimwatch *fw);
/* The big-file hasher's result descriptor, to poll for POLLIN as well. */
int fimwatch_hash_fd(const struct fimwatch *fw);
/* Reads pending inotify events and big-file hashes, then does any work that is due.
 * 0 or VG_ERR_IO. */
int fimwatch_process(struct fimwatch *fw);
/* Does due work: debounced paths, overflow rescans, periodic scans. */
int fimwatch_tick(struct fimwatch *fw, int64_t now_ms);
/* Milliseconds until fimwatch_tick has work (-1: none scheduled). */
int fimwatch_timeout_ms(const struct fimwatch *fw, int64_t now_ms);
/* Whether rel names a script a web server runs (php, phtml, jsp, asp, aspx, cgi...). */
bool fimwatch_server_script(const char *rel);
/* Whether rel names a page a web server serves: a server-side script or html, htm,
 * xhtml, js, mjs, css, svg, json, xml. These are checked first after lost events. */
bool fimwatch_served_page(const char *rel);
void fimwatch_get_stats(const struct fimwatch *fw, struct fimwatch_stats *st);

#endif
