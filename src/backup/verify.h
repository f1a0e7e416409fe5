/* Verifying backups: every object in the store re-hashed, then every object the
 * snapshots of some web roots need checked for presence. Findings go to a callback;
 * how they print is the caller's. */
#ifndef VG_VERIFY_H
#define VG_VERIFY_H

#include "backup/webroot.h"

#include <stddef.h>

enum backup_problem {
	BACKUP_CORRUPTED,	/* object does not match its name: object, path, err */
	BACKUP_UNREADABLE,	/* snapshot cannot be loaded: root, snapshot, why */
	BACKUP_MISSING,		/* object a snapshot needs is absent: root, snapshot,
				 * object, path (the entry's) */
};

struct backup_finding {
	enum backup_problem problem;
	const struct protect_root *root;	/* NULL for BACKUP_CORRUPTED */
	const char *snapshot;			/* NULL for BACKUP_CORRUPTED */
	const char *object;			/* hex; NULL for BACKUP_UNREADABLE */
	const char *path;			/* object file, or entry path in the root */
	const char *why;			/* BACKUP_UNREADABLE: the load error */
	int err;				/* BACKUP_CORRUPTED: VG_ERR_* */
};
typedef void (*backup_finding_fn)(void *arg, const struct backup_finding *f);

struct backup_verify_stats {
	size_t objects;		/* objects re-hashed */
	size_t corrupted;	/* corrupted objects + unreadable snapshots */
	size_t missing;		/* objects snapshots need that are absent */
};

/* Re-hashes every object under p->backup_dir, then checks the snapshots of roots[0..n)
 * (all fields borrowed during the call); fn (may be NULL) sees each finding as it is
 * met. *stats is cleared first. VG_ERR_NOTFOUND if the object directory cannot be
 * opened, else 0: findings are not errors. */
int backup_verify(struct protect *p, struct protect_root *const *roots, size_t n,
    backup_finding_fn fn, void *arg, struct backup_verify_stats *stats);

#endif
