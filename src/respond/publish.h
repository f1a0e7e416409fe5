/* Publishing windows (`vigil publish`): the record that tells the watchers a window
 * is open, and the two ways to close it: commit (the window's added and changed files
 * through the webshell gate, monitor/pubgate, into a new baseline snapshot) or abort
 * (reconcile back to the old baseline). Printing is the command's. */
#ifndef VG_PUBLISH_H
#define VG_PUBLISH_H

#include "backup/snapshot.h"
#include "monitor/pubgate.h"
#include "respond/reconcile.h"

#include <stdbool.h>
#include <stddef.h>

/* Opens r's window: a row of the backup directory's store with the start time, the
 * baseline id and note (may be NULL). since gets the start time. VG_ERR_BUSY if a
 * window is already open (err names where), VG_ERR_NOTFOUND if r has no baseline
 * (err says so), VG_ERR_STORE / VG_ERR_IO. */
int publish_begin(struct protect *p, struct protect_root *r, const char *note, char *since,
    size_t since_size, char *err, size_t err_size);

/* The open window's start time into out ("" if no window is open). */
void publish_since(const struct protect *p, const struct protect_root *r, char *out,
    size_t size);

struct publish_commit_opts {
	const char *const *accept;	/* fnmatch globs on relative paths (--accept) */
	size_t n_accept;
	bool force;			/* accept everything, still reported */
	pubgate_fn fn;			/* each file that blocks or was accepted */
	void *arg;
};

/* Commits r's window: snapshots the tree, scans the window's added and changed files
 * as stored (webshell rules found as webshell_find_rules does), and only if nothing
 * blocks saves the snapshot as the new baseline and closes the window. res gets the
 * gate's counts, id_out (PROTECT_ID_SIZE) the snapshot id. VG_ERR_NOTFOUND no window
 * is open; VG_ERR_DENIED refused by the gate (window and baseline unchanged);
 * VG_ERR_CONFIG no baseline or no rules (err says which); else the snapshot's error. */
int publish_commit(struct protect *p, struct protect_root *r, const struct vg_logger *log,
    const struct publish_commit_opts *o, struct pubgate_result *res, char *id_out,
    struct protect_snapshot_stats *st, char *err, size_t err_size);

/* Aborts r's window: puts the baseline back (fn gets each change reverted), then
 * closes it. *changes gets their number. VG_ERR_NOTFOUND no window is open. */
int publish_abort(struct protect *p, struct protect_root *r, fim_change_fn fn, void *arg,
    size_t *changes, char *err, size_t err_size);

#endif
