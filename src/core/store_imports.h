/* Record kind "imports": which files of an older layout were imported into the
 * store, once (the quarantine vault's JSON sidecars, ...). */
#ifndef VG_STORE_IMPORTS_H
#define VG_STORE_IMPORTS_H

#include <stdbool.h>
#include <stdint.h>

struct vg_store;

/* *done is true when what was imported already. */
int store_import_done(struct vg_store *st, const char *what, bool *done);
/* Records the import of what from source (records written, files skipped). */
int store_import_add(struct vg_store *st, const char *what, const char *source,
    int64_t records, int64_t skipped);

#endif
