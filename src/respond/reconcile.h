/* Reconcile: compare a web-root subtree with its baseline, report each change and
 * apply the policy (alert, restore, quarantine). fim check, the realtime watcher,
 * backup restore and publish abort are all reconcile with different modes. */
#ifndef VG_RECONCILE_H
#define VG_RECONCILE_H

#include "backup/manifest.h"
#include "backup/webroot.h"
#include "monitor/tamper.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

enum protect_action {
	ACT_NONE = 0,		/* reported only (policy alert, or a check) */
	ACT_RESTORED,		/* baseline version put back */
	ACT_MOVED_ASIDE,	/* added file moved into backup_dir/removed/ */
	ACT_QUARANTINED,	/* handed to the quarantine hook */
	ACT_RECORDED,		/* publishing window open: accepted for review */
	ACT_FAILED,		/* the policy could not be applied; see err */
};
const char *protect_action_name(enum protect_action a);

struct fim_change {
	const struct protect_root *root;
	const char *path;		/* relative */
	unsigned kinds;			/* enum fim_kind bits */
	const struct mf_entry *base;	/* NULL if added */
	const struct mf_entry *cur;	/* NULL if deleted */
	enum protect_action action;
	int err;			/* VG_ERR_* when ACT_FAILED */
	const char *detail;		/* where it was moved, why it failed; may be NULL */
	const struct tamper_result *tamper;	/* NULL unless analysed */
	const char *injected;		/* tamper_describe text; NULL if nothing flagged */
	const char *diff;		/* unified diff; NULL unless analysed text */
	int attempts;			/* restore installs needed (>1: something raced) */
	/* an aggregated summary (monitor/fimagg): changes folded in, the first's time */
	uint64_t repeats;
	int64_t first_us;
};
typedef void (*fim_change_fn)(void *arg, const struct fim_change *ch);

enum reconcile_mode {
	RECONCILE_REPORT,	/* compare only */
	RECONCILE_POLICY,	/* apply each path's policy (publish window: record only) */
	RECONCILE_RESTORE,	/* put the baseline back whatever the policy */
};

struct reconcile_opts {
	enum reconcile_mode mode;
	bool analyze;		/* diff + tamper flags for changed/added text files */
	bool progress;
	int threads;
	bool hooks;		/* call the file hook for added/changed files */
	fim_change_fn fn;
	void *arg;
	/* Big files (over hash_max; 0 = hash everything here) are hashed elsewhere: a
	 * file the cache does not know is handed to defer_hash, with recheck when only
	 * its hash can tell whether it changed (same size as the baseline; rel is then
	 * checked again once hashed), or for the record after its change was handled
	 * (path is where it is now, e.g. moved aside). Until then its content counts as
	 * unchanged. */
	uint64_t hash_max;
	bool (*hash_cached)(void *arg, const char *rel, const struct stat *st,
	    char sha256[OBJ_HEX_SIZE]);
	void (*defer_hash)(void *arg, const struct protect_root *r, const char *rel,
	    const char *path, bool recheck);
	/* a file found equal to base entry i, as its stat was (to skip its hash later) */
	void (*verified)(void *arg, const struct protect_root *r, size_t i,
	    const struct mf_stamp *st);
	/* asked after each change handled: true stops the reconcile, which then returns
	 * VG_ERR_BUSY (what is left is found by the next one) */
	bool (*yield)(void *arg);
	void *hash_arg;
};

/* Compiles the tamper patterns analysis uses, once per context; the first analysing
 * reconcile does it otherwise. A watcher calls it at start so its first alert does not
 * pay for it. 0 or VG_ERR_NOMEM / VG_ERR_PARSE. */
int protect_analysis_prepare(struct protect *p);

/* Compares root/rel (rel "" = everything) with base and acts per opts. *n_changes
 * (may be NULL) gets the number of changes. Missing paths are changes, not errors. */
int protect_reconcile(struct protect *p, struct protect_root *r, const struct manifest *base,
    const char *rel, const struct reconcile_opts *opts, size_t *n_changes);

struct restore_result {
	size_t changes;		/* differences found (and acted on unless a dry run) */
	size_t failed;		/* changes whose action failed */
	size_t left;		/* differences the re-check after the restore still saw */
	bool lock_failed;	/* the error is from taking the restore lock (errno set) */
};
/* `backup restore` over the web root itself: takes r's restore lock (a running watcher
 * waits instead of moving the restore's temp files aside), puts snapshot m back at rel
 * ("" = all; RECONCILE_RESTORE, or RECONCILE_REPORT for a dry run) passing each change
 * to fn (may be NULL), then compares again: success is what the tree now is, not what
 * each step said. *res is cleared first. 0 or VG_ERR_* (then see res->lock_failed). */
int protect_restore_snapshot(struct protect *p, struct protect_root *r,
    const struct manifest *m, const char *rel, bool dry_run, fim_change_fn fn, void *arg,
    struct restore_result *res);

/* The pages first: compares the baseline's regular files that want(rel) accepts with
 * what is on disk and acts per opts on each difference (content, type, mode, owner,
 * deleted), without walking the tree. stamps[i] (base->n of them, zeroed at first,
 * kept by the caller for this base) lets files unchanged since the last recheck go
 * unhashed. Paths whose directory is missing or no longer a directory, and files
 * that were added, are left to a full reconcile. *n_checked (may be NULL) gets the
 * files compared. 0, VG_ERR_NOTFOUND (no root) or VG_ERR_NOMEM. */
int protect_recheck_files(struct protect *p, struct protect_root *r, const struct manifest *base,
    bool (*want)(const char *rel), struct mf_stamp *stamps,
    const struct reconcile_opts *opts, size_t *n_checked, size_t *n_changes);

#endif
