/* Web-root protection: configured web roots with their baselines (newest snapshot),
 * snapshot creation, and reconcile — compare a subtree with the baseline, report each
 * change and apply the policy (alert, restore, quarantine). fim check, the realtime
 * watcher, backup restore and publish abort are all reconcile with different modes. */
#ifndef VG_PROTECT_H
#define VG_PROTECT_H

#include "core/config.h"
#include "core/log.h"
#include "protect/manifest.h"
#include "protect/tamper.h"

#include <stdbool.h>
#include <stddef.h>

#define PROTECT_ID_SIZE 40
#define PROTECT_TEXT_MAX (1 << 20)	/* larger files are not diffed or analysed */
#define PROTECT_RESTORE_ATTEMPTS 5	/* re-installs when something races a restore */

enum protect_policy { POLICY_ALERT = 0, POLICY_RESTORE, POLICY_QUARANTINE };

struct protect_root {
	char *name;			/* safe for file names */
	char *path;
	enum protect_policy policy;
	const struct vg_webroot_cfg *cfg;	/* borrowed: excludes, per-path policies */
	struct manifest *base;		/* baseline, NULL until loaded */
	char base_id[PROTECT_ID_SIZE];	/* its snapshot id */
};

/* Called for a file the attacker added or changed, before the policy moves it; the
 * webshell engine plugs in here. Return 1 if the hook took the file away itself. */
typedef int (*protect_file_hook)(void *arg, const struct protect_root *root,
    const char *abs_path, const char *rel, unsigned kinds);
/* Policy quarantine: move abs_path into the vault; 0 on success. Without one, vigil
 * moves the file aside into backup_dir/removed/ and says so. */
typedef int (*protect_quarantine_fn)(void *arg, const struct protect_root *root,
    const char *abs_path, const char *rel);

struct protect {
	char *backup_dir;
	struct protect_root *roots;
	size_t n_roots;
	const struct vg_logger *log;
	struct tamper *tamper;
	unsigned char *buf;		/* OBJ_BUF_SIZE scratch for the single-threaded paths */
	protect_file_hook file_hook;
	void *file_hook_arg;
	protect_quarantine_fn quarantine;
	void *quarantine_arg;
};

/* Builds the web-root list from cfg (which must outlive it) and creates the backup
 * directory layout. Baselines are not loaded. Caller frees with protect_free. */
int protect_open(const struct vg_config *cfg, const struct vg_logger *log,
    struct protect **out);
void protect_free(struct protect *p);

/* Web root by name, or the only one when name is NULL; NULL if none matches. */
struct protect_root *protect_root_find(struct protect *p, const char *name);
/* Effective policy for rel (per-path overrides first). */
enum protect_policy protect_policy_for(const struct protect_root *r, const char *rel);
const char *protect_policy_name(enum protect_policy pol);

/* Snapshot ids of r, oldest first (malloc'd array of malloc'd strings; free with
 * protect_ids_free). */
int protect_snapshot_list(struct protect *p, const struct protect_root *r, char ***ids,
    size_t *n);
void protect_ids_free(char **ids, size_t n);
int protect_snapshot_path(const struct protect *p, const struct protect_root *r,
    const char *id, char *out, size_t size);
/* Loads snapshot id (NULL = newest) of r; id_out (PROTECT_ID_SIZE, may be NULL) gets
 * its id. VG_ERR_NOTFOUND if r has no snapshot. */
int protect_snapshot_load(struct protect *p, const struct protect_root *r, const char *id,
    struct manifest **out, char *id_out, char *err, size_t err_size);
/* (Re)loads r's baseline = newest snapshot. */
int protect_load_baseline(struct protect *p, struct protect_root *r, char *err, size_t size);

struct protect_snapshot_stats {
	size_t files, dirs, links, other, new_objects, unreadable;
	uint64_t bytes, new_bytes;
};
/* Scans r, stores new objects, saves a new snapshot and makes it r's baseline.
 * id_out gets the snapshot id. */
int protect_snapshot_create(struct protect *p, struct protect_root *r, int threads,
    bool progress, char *id_out, struct protect_snapshot_stats *stats);

/* True while a publishing window is open for r. */
bool protect_publish_active(const struct protect *p, const struct protect_root *r);
int protect_publish_state_path(const struct protect *p, const struct protect_root *r,
    char *out, size_t size);

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

/* Compares root/rel (rel "" = everything) with base and acts per opts. *n_changes
 * (may be NULL) gets the number of changes. Missing paths are changes, not errors. */
int protect_reconcile(struct protect *p, struct protect_root *r, const struct manifest *base,
    const char *rel, const struct reconcile_opts *opts, size_t *n_changes);

/* Installs baseline entry e under dest_root from the object store: temp file in the
 * same directory, fsync, rename, then re-hash; repeated while something rewrites it
 * (bounded). VG_ERR_FORMAT if the stored object is corrupted (nothing installed),
 * VG_ERR_BUSY if the race was lost every time. *attempts gets the installs made. */
int protect_restore_entry(struct protect *p, const char *dest_root, const struct mf_entry *e,
    int *attempts);

#endif
