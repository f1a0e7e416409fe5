/* Web roots under protection: the context every web-root stage shares (backup
 * directory, configured roots with their policy and baseline, hooks the respond stage
 * calls). Snapshots are backup/snapshot.h, restore and reconcile are respond/. */
#ifndef VG_WEBROOT_H
#define VG_WEBROOT_H

#include "core/config.h"
#include "core/log.h"
#include "backup/manifest.h"

#include <stdbool.h>
#include <stddef.h>

#define PROTECT_ID_SIZE 40
#define PROTECT_STORE_FILE "backup.db"	/* in backup_dir */
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
 * webshell engine plugs in here. Return 1 if the hook took the file away itself.
 * Also called while a publishing window is open (protect_publish_active): the hook
 * then only reports, it must not take the file away. */
typedef int (*protect_file_hook)(void *arg, const struct protect_root *root,
    const char *abs_path, const char *rel, unsigned kinds);
/* Policy quarantine: move abs_path into the vault; 0 on success. Without one, vigil
 * moves the file aside into backup_dir/removed/ and says so. */
typedef int (*protect_quarantine_fn)(void *arg, const struct protect_root *root,
    const char *abs_path, const char *rel);

struct tamper;
struct vg_store;

struct protect {
	char *backup_dir;
	/* backup_dir/backup.db: the snapshot index and publishing windows (record kinds
	 * of core/store_backup.h); opened by protect_open, closed by protect_free */
	struct vg_store *store;
	struct protect_root *roots;
	size_t n_roots;
	const struct vg_logger *log;
	/* compiled tamper patterns: created by the first reconcile that analyses a change
	 * (respond/reconcile.c), freed by protect_free through tamper_free */
	struct tamper *tamper;
	void (*tamper_free)(struct tamper *);
	unsigned char *buf;		/* OBJ_BUF_SIZE scratch for the single-threaded paths */
	protect_file_hook file_hook;
	void *file_hook_arg;
	protect_quarantine_fn quarantine;
	void *quarantine_arg;
};

/* Builds the web-root list from cfg (which must outlive it), creates the backup
 * directory layout and opens its store (backup_dir/backup.db). Baselines are not
 * loaded. Caller frees with protect_free. */
int protect_open(const struct vg_config *cfg, const struct vg_logger *log,
    struct protect **out);
void protect_free(struct protect *p);

/* Drops every web root but r (one of p->roots) from p, freeing what they hold; r
 * becomes p->roots[0], so pointers to it are stale afterwards. */
void protect_keep_root(struct protect *p, struct protect_root *r);

/* Web root by name, or the only one when name is NULL; NULL if none matches. */
struct protect_root *protect_root_find(struct protect *p, const char *name);
/* Effective policy for rel (per-path overrides first). */
enum protect_policy protect_policy_for(const struct protect_root *r, const char *rel);
const char *protect_policy_name(enum protect_policy pol);

/* True while a publishing window is open for r: its row in the backup store, or the
 * state file an older vigil wrote (backup_dir/publish/NAME.json, honoured read-only
 * until the window is closed). A store that cannot be read counts as open: restoring
 * over a publisher's work is the worse mistake. */
bool protect_publish_active(const struct protect *p, const struct protect_root *r);
/* The older vigil's state file of r's window. */
int protect_publish_state_path(const struct protect *p, const struct protect_root *r,
    char *out, size_t size);

/* The restore lock of r (backup_dir/locks/NAME.restore, flock), so a CLI restore and
 * the watcher never act on one web root at the same time: the watcher would take the
 * CLI's temp files for added ones and move them aside. wait = the CLI: exclusive,
 * blocking (the watcher holds it only while it reconciles). !wait = the watcher:
 * shared, VG_ERR_BUSY at once if a CLI restore holds it (the watcher re-checks the
 * path later). *fd_out gets the descriptor; close it to release. A flock dies with its
 * process, so a killed restore never leaves the root unguarded. */
int protect_restore_lock(const struct protect *p, const struct protect_root *r, bool wait,
    int *fd_out);

/* A snapshot-style id for now (UTC, microseconds): names sort by age. */
void protect_make_id(char *out, size_t size);
/* out = root/rel (root alone when rel is ""); VG_ERR_LIMIT if it does not fit. */
int protect_path_join(char *out, size_t size, const char *root, const char *rel);

#endif
