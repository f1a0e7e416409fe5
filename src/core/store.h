/* The store gateway: opening, migrating, transactions and row counts. Records are
 * read and written through one typed API per record kind (store_alerts.h,
 * store_offsets.h, store_audit.h, ...); all SQL lives in core/store*.c behind a
 * back-end interface of prepared statements (store_db.h), so a PostgreSQL back
 * end is SQL text and libpq glue beside store_sqlite.c, not a copy of each query. */
#ifndef VG_STORE_H
#define VG_STORE_H

#include "core/event.h"
#include "core/log.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct vg_store;

/* Schema version this binary writes; a store with a higher one is refused. */
int store_schema_latest(void);

/* Opens (creating if missing) the store at path with the named backend
 * ("sqlite"), applying pending numbered migrations. On failure returns
 * VG_ERR_STORE / VG_ERR_SCHEMA / VG_ERR_FORMAT / VG_ERR_IO, *out stays NULL and
 * err (if non-NULL) holds a one-line reason naming the file. Caller closes. */
int store_open(const char *backend, const char *path, const struct vg_logger *log,
    struct vg_store **out, char *err, size_t err_size);
/* Accepts NULL. Commits nothing: an open transaction is rolled back. */
void store_close(struct vg_store *st);

/* Last error text for st (borrowed, valid until the next call). */
const char *store_errmsg(const struct vg_store *st);
int store_schema_version(struct vg_store *st, int *version);

/* Explicit transactions: alerts and source offsets written between begin and
 * commit land together or not at all. Without begin, each call autocommits. */
int store_begin(struct vg_store *st);
int store_commit(struct vg_store *st);
int store_rollback(struct vg_store *st);

/* Row counts per table as a new JSON object {"alerts": N, ...}; caller decrefs. */
int store_stats(struct vg_store *st, json_t **out);

/* Record kinds, each a small header + store_<kind>.c over store_db.h. */
#include "core/store_alerts.h"
#include "core/store_audit.h"
#include "core/store_offsets.h"

#endif
