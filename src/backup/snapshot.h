/* Snapshots of a web root: backup_dir/snapshots/<root>/<id>.json, the newest being the
 * baseline. Creating one hashes the tree and stores new objects in the object store. */
#ifndef VG_SNAPSHOT_H
#define VG_SNAPSHOT_H

#include "backup/webroot.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* Looks at a snapshot before it is saved: every object it names is already stored
 * (immutable, content-addressed), so what the gate checks is exactly what becomes the
 * baseline. VG_OK saves it; a negative VG_ERR_* discards it and is returned. */
typedef int (*protect_snapshot_gate)(void *arg, const struct manifest *next);
/* Runs inside the backup store's transaction that indexes the new snapshot (publish
 * commit closes its window there, so both land together). A negative VG_ERR_* rolls
 * the index back, removes the manifest and is returned. */
typedef int (*protect_snapshot_then)(void *arg);
/* protect_snapshot_create with a gate and a then step (NULL: none; both get
 * gate_arg). */
int protect_snapshot_create_gated(struct protect *p, struct protect_root *r, int threads,
    bool progress, protect_snapshot_gate gate, protect_snapshot_then then, void *gate_arg,
    char *id_out, struct protect_snapshot_stats *stats);

#endif
