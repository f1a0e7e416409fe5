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

#endif
