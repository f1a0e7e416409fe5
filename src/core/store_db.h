/* Private to the store: the back-end interface (prepared statements with typed
 * binds) and the helpers record-kind files (store_alerts.c, ...) use to run SQL.
 * Callers outside core/store*.c use store.h and the record-kind headers only.
 *
 * SQL text is written once, portably, in each record-kind file, with PostgreSQL's
 * `$1`-style placeholders; the SQLite back end rewrites them to `?1` when it
 * prepares (SQLite numbers `$name` parameters by first appearance, `?N` by N, so
 * the rewrite keeps positions exact). Where dialects really differ a statement
 * carries a per-back-end override (struct store_sql.sqlite), so the difference is
 * visible beside the portable text instead of hidden in a second copy of every
 * query. A PostgreSQL back end is then one more struct store_db_ops: libpq glue
 * plus its migrations under src/core/sql/postgres/. */
#ifndef VG_STORE_DB_H
#define VG_STORE_DB_H

#include "core/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* One statement of a record kind: a static const row in its file. The store
 * prepares it on first use and keeps it, keyed by the row's address. */
struct store_sql {
	const char *name;	/* for error messages: "alert insert" */
	const char *sql;	/* portable text, $1..$N placeholders */
	const char *sqlite;	/* optional: SQLite text where the dialect differs */
};

/* Results of store_step(): a row is ready, or the statement ran to completion.
 * Errors are negative VG_ERR_* (VG_ERR_BUSY, VG_ERR_IO, VG_ERR_STORE). */
enum { STORE_DONE = 0, STORE_ROW = 1 };

/* A back end. db is its connection, st its prepared statement; neither is ever
 * seen by record-kind files. Text and blob binds are not copied: the caller keeps
 * them alive until the statement is reset (every helper below resets before it
 * returns). */
struct store_db_ops {
	const char *name;
	/* Numbered migrations, NULL-terminated (index 0 brings schema 0 to 1),
	 * compiled in from src/core/sql/<name>/NNN_*.sql by scripts/sql2c. */
	const char *const *migrations;
	/* Opens path, refusing a file that is not a store of this back end or whose
	 * schema is newer than its migrations; on failure err names the file. */
	int (*open)(const char *path, const struct vg_logger *log, void **db, char *err,
	    size_t err_size);
	void (*close)(void *db);	/* accepts NULL; rolls back an open transaction */
	const char *(*errmsg)(const void *db);
	int (*schema_version)(void *db, int *version);
	/* Runs one migration's text and records the new version, inside the
	 * caller's transaction. */
	int (*migrate)(void *db, const char *sql, int new_version);
	int (*begin)(void *db);
	int (*commit)(void *db);
	int (*rollback)(void *db);
	int64_t (*last_insert_id)(void *db);

	int (*prepare)(void *db, const struct store_sql *q, void **st);
	void (*finalize)(void *st);	/* accepts NULL */
	/* Bindings survive a reset: every helper binds every parameter. */
	void (*reset)(void *st);
	int (*bind_int64)(void *st, int i, int64_t v);
	int (*bind_text)(void *st, int i, const char *s);	/* NULL binds NULL */
	int (*bind_textn)(void *st, int i, const char *s, size_t n);	/* may hold NULs */
	int (*bind_blob)(void *st, int i, const void *p, size_t n);
	int (*bind_null)(void *st, int i);
	int (*step)(void *db, void *st);	/* STORE_ROW, STORE_DONE or VG_ERR_* */
	int64_t (*column_int64)(void *st, int i);
	/* Borrowed; valid until the next step or reset; NULL for SQL NULL. */
	const char *(*column_text)(void *st, int i);
	/* Bytes in column i after column_text (text may hold NULs). */
	size_t (*column_bytes)(void *st, int i);
	/* For generic readers (store_rows.c): columns of the current row. */
	int (*column_count)(void *st);
	const char *(*column_name)(void *st, int i);
	int (*column_type)(void *st, int i);	/* enum store_type */
	int64_t (*changes)(void *db);	/* rows changed by the last write */
};

extern const struct store_db_ops store_db_sqlite;
extern const char *const store_migrations_sqlite[];	/* generated */

/* Number of entries in a NULL-terminated migration list. */
int store_migrations_count(const char *const *migrations);

/* A prepared statement of one open store (owned by the store's cache). */
struct store_stmt {
	const struct store_db_ops *ops;
	void *db;
	void *st;
	const struct store_sql *q;
	const void *key;	/* q, or the SQL text for store_stmt_text */
	struct store_sql own;	/* q for store_stmt_text */
	struct vg_store *owner;
};

/* The statement for q, preparing it on first use; *out is owned by the store. */
int store_stmt(struct vg_store *s, const struct store_sql *q, struct store_stmt **out);
/* Same for bare SQL text that lives as long as the store (a static string),
 * cached by its address. */
int store_stmt_text(struct vg_store *s, const char *sql, struct store_stmt **out);

static inline void
store_bind_int64(struct store_stmt *t, int i, int64_t v)
{
	t->ops->bind_int64(t->st, i, v);
}

static inline void
store_bind_text(struct store_stmt *t, int i, const char *s)
{
	t->ops->bind_text(t->st, i, s);
}

/* Text of n bytes, NULs included; s NULL binds NULL. */
static inline void
store_bind_textn(struct store_stmt *t, int i, const char *s, size_t n)
{
	t->ops->bind_textn(t->st, i, s, n);
}

static inline void
store_bind_blob(struct store_stmt *t, int i, const void *p, size_t n)
{
	t->ops->bind_blob(t->st, i, p, n);
}

static inline void
store_bind_null(struct store_stmt *t, int i)
{
	t->ops->bind_null(t->st, i);
}

/* Column type of the current row (SQL NULL, integer, text; blobs read as text). */
static inline int
store_col_type(struct store_stmt *t, int i)
{
	return t->ops->column_type(t->st, i);
}

static inline int64_t
store_col_int64(struct store_stmt *t, int i)
{
	return t->ops->column_int64(t->st, i);
}

static inline const char *
store_col_text(struct store_stmt *t, int i)
{
	return t->ops->column_text(t->st, i);
}

/* Length of the text store_col_text returned for column i (call it after). */
static inline size_t
store_col_len(struct store_stmt *t, int i)
{
	return t->ops->column_bytes(t->st, i);
}

/* Text column i into dst, cut to fit at size - 1 bytes and at a NUL inside; NULL
 * reads as "". True when the value came whole (fits, no NUL inside). */
static inline bool
store_col_copy(struct store_stmt *t, int i, char *dst, size_t size)
{
	const char *v = store_col_text(t, i);
	size_t len = v ? strlen(v) : 0, n = len < size ? len : size - 1;

	if (n)
		memcpy(dst, v, n);
	dst[n] = '\0';
	return !v || (len < size && len == store_col_len(t, i));
}

static inline void
store_reset(struct store_stmt *t)
{
	t->ops->reset(t->st);
}

/* Steps once: STORE_ROW, STORE_DONE, or a negative VG_ERR_* (logged with the
 * statement's name). Does not reset. */
int store_step(struct store_stmt *t);

/* Steps a write statement to completion and resets it: 0 or VG_ERR_*. */
int store_run(struct store_stmt *t);

/* Row id of the last insert on this store's connection. */
int64_t store_last_insert_id(struct vg_store *s);
/* Rows changed by the last write on this store's connection. */
int64_t store_changes(struct vg_store *s);

#endif
