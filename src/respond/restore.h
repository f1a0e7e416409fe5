/* Putting a web root back to its baseline, one entry at a time: installing from the
 * object store, moving added files aside, fixing metadata. */
#ifndef VG_RESTORE_H
#define VG_RESTORE_H

#include "backup/webroot.h"

#include <stdbool.h>
#include <stddef.h>

/* Installs baseline entry e under dest_root from the object store: temp file in the
 * same directory, fsync, rename, then re-hash; repeated while something rewrites it
 * (bounded). VG_ERR_FORMAT if the stored object is corrupted (nothing installed),
 * VG_ERR_BUSY if the race was lost every time. *attempts gets the installs made. */
int protect_restore_entry(struct protect *p, const char *dest_root, const struct mf_entry *e,
    int *attempts);
/* Called per entry of protect_restore_into: err is VG_OK, or why e was not restored;
 * with dry_run nothing was written and err is VG_OK. */
typedef void (*restore_into_fn)(void *arg, const struct mf_entry *e, int err);
/* Writes every entry of m at or below rel (rel "" = all) under dir, which is created
 * first (VG_ERR_IO if it cannot be); parents of a single path are created too.
 * *done / *failed count the entries. */
int protect_restore_into(struct protect *p, const struct manifest *m, const char *rel,
    const char *dir, bool dry_run, restore_into_fn fn, void *arg, size_t *done,
    size_t *failed);

/* Moves r->path/rel into backup_dir/removed/<root>/<time>/<rel> (copy + remove across
 * file systems); out gets the new path. VG_ERR_NOTFOUND if rel is already gone. */
int protect_move_aside(struct protect *p, const struct protect_root *r, const char *rel,
    char *out, size_t size);
/* Puts back mode (and owner when root) of e under root. */
int protect_fix_meta(const char *root, const struct mf_entry *e);

#endif
