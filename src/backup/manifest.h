/* Manifests: the list of everything under a web root (path, type, mode, owner, size,
 * mtime, SHA-256, symlink target), built by a two-thread scanner and saved as JSON.
 * A saved manifest is a snapshot; the newest snapshot is the integrity baseline. */
#ifndef VG_MANIFEST_H
#define VG_MANIFEST_H

#include "core/log.h"
#include "core/config.h"
#include "core/event.h"
#include "backup/objstore.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#define MF_MAX_ENTRIES 5000000	/* hard cap per tree; more is reported, not eaten */
#define MF_MAX_DEPTH 128

enum mf_type { MF_FILE = 'f', MF_DIR = 'd', MF_LINK = 'l', MF_OTHER = 'o' };

/* What a file's stat said when it was read: while all of it is the same, the content
 * is too (every write moves ctime, which user space cannot set back). */
struct mf_stamp {
	uint64_t dev, ino, size;
	int64_t mtime_ns, ctime_ns;
};
/* Fills t from st. */
void mf_stamp_of(struct mf_stamp *t, const struct stat *st);
/* Whether t's times lie far enough in the past to be trusted: file times advance in
 * clock ticks, so a write in the same tick as the stat that made t would leave t
 * unchanged (git's "racy" files). A stamp not settled must not be kept. */
bool mf_stamp_settled(const struct mf_stamp *t);

struct mf_entry {
	char *path;		/* relative to the root, no leading '/'; "" is the root itself */
	char type;		/* enum mf_type */
	uint32_t mode;		/* permission bits (07777) */
	uint32_t uid, gid;
	uint64_t size;
	int64_t mtime;		/* seconds */
	char sha256[OBJ_HEX_SIZE];	/* regular files; "" if it could not be read */
	char *target;		/* symlinks */
	int err;		/* VG_ERR_* while reading, 0 if fine */
	bool deferred;		/* over mf_scan_opts.hash_max: not hashed (sha256 "") */
	struct mf_stamp stamp;	/* regular files found by a scan (not saved) */
};

struct manifest {
	struct mf_entry *e;	/* sorted by path (strcmp) once built or loaded */
	size_t n, cap;
	char *webroot;		/* name */
	char *root;		/* absolute path scanned */
	int64_t created_us;
	/* what the scan skipped, for the report */
	uint64_t n_vanished, n_unreadable, n_excluded, n_dropped;
};

/* Options for a scan; excludes are fnmatch globs against the relative path (a glob
 * without '/' also matches any single path component). */
struct mf_scan_opts {
	const struct vg_cfg_strlist *exclude;
	int threads;		/* hashing threads; 0 = 2 */
	bool hash;		/* false = metadata only */
	bool progress;		/* progress line on stderr */
	const struct vg_logger *log;
	/* A regular file's hash comes from hash_cached (may be NULL) when it knows the
	 * file as it is now (same stat); else one larger than hash_max (0 = no limit) is
	 * not hashed here but left deferred for the caller to hash elsewhere. */
	uint64_t hash_max;
	bool (*hash_cached)(void *arg, const char *rel, const struct stat *st,
	    char sha256[OBJ_HEX_SIZE]);
	void *cache_arg;
};

/* True if rel (relative path) is excluded by globs. */
bool mf_excluded(const struct vg_cfg_strlist *exclude, const char *rel);

/* Scans root/sub (sub "" = the whole root; a file or directory) into a new manifest
 * the caller frees with manifest_free. Vanished files are skipped and counted,
 * unreadable ones kept with err set, special files recorded but never opened.
 * *out is NULL on failure; VG_ERR_NOTFOUND if root/sub does not exist. */
int manifest_scan(const char *root, const char *sub, const struct mf_scan_opts *opts,
    struct manifest **out);

/* Hashes the regular files of m (entries built by the caller, paths relative to root)
 * beneath root on up to threads threads, as manifest_scan does: vanished files are
 * dropped, unreadable ones keep err. 0, VG_ERR_NOTFOUND/IO (root) or VG_ERR_NOMEM. */
int manifest_hash(const char *root, struct manifest *m, int threads,
    const struct vg_logger *log);

void manifest_free(struct manifest *m);
/* Sorts entries by path. */
void manifest_sort(struct manifest *m);
/* Binary search; NULL if absent. Borrowed pointer. */
struct mf_entry *manifest_find(const struct manifest *m, const char *path);
/* Index of the first entry whose path is rel or lies under rel/ (n if none). */
size_t manifest_lower_bound(const struct manifest *m, const char *rel);
/* Index of the first entry at or after i that is rel or lies under rel/ (n if none):
 * iterate a subtree with i = manifest_next_within(m, rel, manifest_lower_bound(m, rel)),
 * then i = manifest_next_within(m, rel, i + 1). Never compare a subtree by prefix
 * alone: "blocks.php" sorts between "blocks" and "blocks/a". */
size_t manifest_next_within(const struct manifest *m, const char *rel, size_t i);
/* Regular files of m (NULL counts nothing) and their bytes. */
void manifest_file_totals(const struct manifest *m, size_t *files, uint64_t *bytes);
/* True if path is rel itself or lies below it (rel "" covers everything). */
bool mf_path_within(const char *path, const char *rel);

/* Saves as JSON to path atomically (temp + fsync + rename). 0 or VG_ERR_IO. */
int manifest_save(const struct manifest *m, const char *path);
/* Loads a saved manifest; VG_ERR_FORMAT with a reason in err on a malformed file. */
int manifest_load(const char *path, struct manifest **out, char *err, size_t err_size);

/* Change kinds between a baseline entry and what is on disk now (bit mask). */
enum fim_kind {
	FIM_ADDED = 1 << 0,
	FIM_DELETED = 1 << 1,
	FIM_CONTENT = 1 << 2,
	FIM_MODE = 1 << 3,
	FIM_OWNER = 1 << 4,
	FIM_TYPE = 1 << 5,
	FIM_TARGET = 1 << 6,	/* symlink retargeted */
};

/* Mask of differences between base and cur (either may be NULL). */
unsigned fim_diff_entry(const struct mf_entry *base, const struct mf_entry *cur);
/* Comma-separated names of the bits in kinds ("content,mode") into buf. */
const char *fim_kind_names(unsigned kinds, char *buf, size_t size);
/* The headline word: "added", "deleted", "modified", "mode", "owner", "type", "symlink". */
const char *fim_kind_word(unsigned kinds);

#endif
