/* The publish-commit gate: before a publishing window's tree becomes the baseline, every
 * file the window added or changed is scanned for webshells, from the object store (the
 * exact bytes the snapshot names, so nothing rewritten after the scan is baked in). */
#ifndef VG_PUBGATE_H
#define VG_PUBGATE_H

#include "backup/manifest.h"
#include "monitor/webshell.h"

#include <stdbool.h>
#include <stddef.h>

enum pubgate_kind {
	PUBGATE_FINDING,	/* suspicious or malicious: f is set */
	PUBGATE_TOO_BIG,	/* a server-side script over the scanner's size limit */
	PUBGATE_UNREADABLE,	/* the snapshot could not read it, or its object is bad */
};

/* One file that blocks the commit unless accepted. */
struct pubgate_item {
	const char *path;			/* relative to the web root */
	enum pubgate_kind kind;
	const struct webshell_finding *f;	/* PUBGATE_FINDING only */
	long long size;
	bool accepted;				/* named by --accept, or --force */
};
typedef void (*pubgate_fn)(void *arg, const struct pubgate_item *it);

struct pubgate_opts {
	struct webshell_scanner *ws;
	const char *backup_dir;			/* object store */
	const struct manifest *base;		/* the baseline the window started from */
	const char *const *accept;		/* fnmatch globs on the relative path */
	size_t n_accept;
	bool force;				/* accept everything (still reported) */
	pubgate_fn fn;				/* every blocking item, accepted or not */
	void *arg;
};

struct pubgate_result {
	size_t scanned;		/* added or changed files scanned */
	size_t blocking;	/* items not accepted: the commit must not go on */
	size_t accepted;
	size_t big_other;	/* non-script files over the size limit, let through */
};

/* Blocks at "suspicious" (score >= WEBSHELL_SUSPICIOUS), not only "malicious": the
 * commit makes the file part of the baseline the watcher restores from then on, so the
 * bar for baking a file in is higher than for an alert, and the shipped rules give 0
 * suspicious files on 37,703 files of real PHP/Java applications (README). */
int pubgate_check(const struct pubgate_opts *o, const struct manifest *next,
    struct pubgate_result *res);

#endif
