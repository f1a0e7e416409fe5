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

/* Statements for stages whose SQL lives in their own files: sql is text that
 * lives as long as the store (a static string; the prepared statement is cached
 * by its address), with $1..$N placeholders (portable; "?" also works on SQLite).
 * Binds are an array of typed values; text is not copied and must outlive the
 * call. Record kinds inside core use store_db.h directly instead. */
enum store_type { STORE_NULL, STORE_INT, STORE_TEXT };
struct store_val {
	enum store_type type;
	int64_t i;
	const char *s;
};
#define SV_INT(x) ((struct store_val){ .type = STORE_INT, .i = (int64_t)(x) })
#define SV_TEXT(x) store_val_text(x)
#define SV_NULL ((struct store_val){ .type = STORE_NULL })
/* A NULL string binds as SQL NULL. */
static inline struct store_val
store_val_text(const char *s)
{
	return (struct store_val){ .type = s ? STORE_TEXT : STORE_NULL, .s = s };
}

/* Runs a write statement. *last_id (row id of an INSERT) and *changes are set
 * when non-NULL. 0, VG_ERR_BUSY, VG_ERR_IO or VG_ERR_STORE. */
int store_exec(struct vg_store *st, const char *sql, const struct store_val *binds, size_t n,
    int64_t *last_id, int64_t *changes);
/* Runs a query; *rows becomes a new JSON array (caller decrefs) of objects keyed
 * by column name: integers as JSON integers, text as strings, NULL as null. At
 * most max_rows rows (0 = no limit). 0 or VG_ERR_*. */
int store_query(struct vg_store *st, const char *sql, const struct store_val *binds, size_t n,
    size_t max_rows, json_t **rows);
/* As store_query for one row: *row is a new object (caller decrefs);
 * VG_ERR_NOTFOUND when there is none. */
int store_query_one(struct vg_store *st, const char *sql, const struct store_val *binds,
    size_t n, json_t **row);

/* Streams a query's rows to fn instead of building JSON (a million-row scan):
 * cols[i] is column i (text only valid during the call; len[i] its length in
 * bytes). fn returns 0 to go on, or a VG_ERR_* that stops and is returned.
 * At most STORE_EACH_MAX_COLS columns. 0 or VG_ERR_*. */
#define STORE_EACH_MAX_COLS 16
typedef int (*store_row_fn)(void *ctx, const struct store_val *cols, const size_t *len,
    size_t n);
int store_query_each(struct vg_store *st, const char *sql, const struct store_val *binds,
    size_t n, store_row_fn fn, void *ctx);

/* Record kinds, each a small header + store_<kind>.c over store_db.h. */
#include "core/store_alerts.h"
#include "core/store_audit.h"
#include "core/store_heartbeat.h"
#include "core/store_offsets.h"

#endif
