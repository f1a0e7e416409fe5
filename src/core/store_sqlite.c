/* SQLite back end of the store: WAL, busy timeout, the schema version in PRAGMA
 * user_version (a newer file is refused rather than guessed at), and prepared
 * statements with typed binds for the record-kind files. Portable `$N`
 * placeholders become SQLite's `?N` at prepare time. */
#include "core/store_db.h"
#include "core/err.h"
#include "core/paths.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 5000

struct sqlite_store {
	sqlite3 *db;
	const struct vg_logger *log;
	char *path;
};

/* Runs sql; retry: for up to the busy timeout while another connection holds a lock
 * the busy handler is not called for (switching a new file to WAL while a second
 * connection, another process or scan's worker threads opening a new vault, does
 * the same returns SQLITE_BUSY at once). Only the open's pragmas retry: a BEGIN or
 * COMMIT has had the busy handler's wait already. */
static int
exec_sql_x(struct sqlite_store *s, const char *sql, bool retry)
{
	char *msg = NULL;
	int rc;

	for (int waited = 0;; waited += 5) {
		rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
		if (!retry || ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) ||
		    waited >= BUSY_TIMEOUT_MS)
			break;
		sqlite3_free(msg);
		msg = NULL;
		sqlite3_sleep(5);
	}
	if (rc != SQLITE_OK) {
		vg_error(s->log, "store %s: %s", s->path, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return VG_ERR_STORE;
	}
	return VG_OK;
}

static int
exec_sql(struct sqlite_store *s, const char *sql)
{
	return exec_sql_x(s, sql, false);
}

static int
exec_open(struct sqlite_store *s, const char *sql)
{
	return exec_sql_x(s, sql, true);
}

static int
read_user_version(sqlite3 *db, int *version)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*version = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Nonzero if the file already holds tables (so it is somebody else's database). */
static int
count_tables(sqlite3 *db, int *n)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*n = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

static void
sqlite_close(void *impl)
{
	struct sqlite_store *s = impl;
	if (!s)
		return;
	if (s->db) {
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close_v2(s->db);
	}
	free(s->path);
	free(s);
}

/* Creates the directories holding path (0700: evidence and site details are not
 * for every local user) and the store file itself (0600) when missing. SQLite
 * would create the file 0644; its -wal and -shm files copy the main file's mode,
 * so creating it first keeps all three private. */
static int
create_private(const char *path)
{
	char *copy = strdup(path);
	int fd;

	if (!copy)
		return VG_ERR_NOMEM;
	const char *dir = dirname(copy);
	if (strcmp(dir, ".") != 0 && strcmp(dir, "/") != 0)
		vg_mkdir_p(dir, 0700);	/* an error shows when the file cannot be made */
	free(copy);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd >= 0)
		close(fd);
	else if (errno != EEXIST)
		return VG_ERR_IO;
	return VG_OK;
}

static int
sqlite_open(const char *path, const struct vg_logger *log, void **impl, char *err,
    size_t err_size)
{
	struct sqlite_store *s = calloc(1, sizeof(*s));
	int version = 0, tables = 0, rc, ret = VG_ERR_STORE;
	int latest = store_migrations_count(store_migrations_sqlite);
	struct stat st;

	*impl = NULL;
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return VG_ERR_NOMEM;
	}
	s->log = log;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(err, err_size, "%s: store is not a regular file", path);
		ret = VG_ERR_FORMAT;
		goto out;
	}
	if (create_private(path) != VG_OK) {
		snprintf(err, err_size, "%s: cannot create store: %s", path, strerror(errno));
		ret = VG_ERR_IO;
		goto out;
	}
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, err_size, "%s: cannot open store: %s", path,
		    s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		ret = VG_ERR_IO;
		goto out;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	/* The first read is where SQLite notices a file that is not a database. */
	rc = read_user_version(s->db, &version);
	if (rc != SQLITE_OK) {
		if ((rc & 0xff) == SQLITE_NOTADB) {
			snprintf(err, err_size, "%s: not a vigil store (not an SQLite database)", path);
			ret = VG_ERR_FORMAT;
		} else {
			snprintf(err, err_size, "%s: cannot read store: %s", path,
			    sqlite3_errmsg(s->db));
			ret = VG_ERR_IO;
		}
		goto out;
	}
	if (version > latest) {
		snprintf(err, err_size,
		    "%s: store schema version %d is newer than this vigil supports (%d); "
		    "upgrade vigil", path, version, latest);
		ret = VG_ERR_SCHEMA;
		goto out;
	}
	/* version and tables are two reads: a concurrent opener may have migrated the
	 * new file between them, which the version, read again, then shows */
	if (version == 0 && count_tables(s->db, &tables) == SQLITE_OK && tables > 0 &&
	    (read_user_version(s->db, &version) != SQLITE_OK || version == 0)) {
		snprintf(err, err_size, "%s: not a vigil store (an SQLite database with other tables)",
		    path);
		ret = VG_ERR_FORMAT;
		goto out;
	}
	/* Larger pages mean fewer B-tree splits on the alert insert path; page size
	 * can only be chosen while the file is still empty. */
	if (version == 0 && tables == 0 && exec_open(s, "PRAGMA page_size = 16384") != VG_OK) {
		snprintf(err, err_size, "%s: cannot configure store: %s", path,
		    sqlite3_errmsg(s->db));
		ret = VG_ERR_IO;
		goto out;
	}
	/* temp_store: statement journals stay in memory. A multi-row INSERT inside a
	 * transaction keeps one, and on disk it was most of a 100,000-row import's
	 * writes (28,000 pwrites to a /var/tmp file for 3,000 to the store). */
	if (exec_open(s, "PRAGMA journal_mode = WAL") != VG_OK ||
	    exec_open(s, "PRAGMA synchronous = NORMAL") != VG_OK ||
	    exec_open(s, "PRAGMA foreign_keys = ON") != VG_OK ||
	    exec_open(s, "PRAGMA cache_size = -65536") != VG_OK ||
	    exec_open(s, "PRAGMA wal_autocheckpoint = 4096") != VG_OK ||
	    exec_open(s, "PRAGMA temp_store = MEMORY") != VG_OK) {
		snprintf(err, err_size, "%s: cannot configure store: %s", path,
		    sqlite3_errmsg(s->db));
		ret = (sqlite3_errcode(s->db) & 0xff) == SQLITE_READONLY ? VG_ERR_IO : VG_ERR_STORE;
		goto out;
	}
	*impl = s;
	s = NULL;
	ret = VG_OK;
out:
	sqlite_close(s);
	return ret;
}

static const char *
sqlite_errmsg(const void *impl)
{
	const struct sqlite_store *s = impl;
	return sqlite3_errmsg(s->db);
}

static int
sqlite_schema_version(void *impl, int *version)
{
	struct sqlite_store *s = impl;
	return read_user_version(s->db, version) == SQLITE_OK ? VG_OK : VG_ERR_STORE;
}

static int
sqlite_migrate(void *impl, const char *sql, int new_version)
{
	char set_version[64];
	snprintf(set_version, sizeof(set_version), "PRAGMA user_version = %d", new_version);
	if (exec_sql(impl, sql) != VG_OK || exec_sql(impl, set_version) != VG_OK)
		return VG_ERR_STORE;
	return VG_OK;
}

static int sqlite_begin(void *impl) { return exec_sql(impl, "BEGIN IMMEDIATE"); }
static int sqlite_commit(void *impl) { return exec_sql(impl, "COMMIT"); }
static int sqlite_rollback(void *impl) { return exec_sql(impl, "ROLLBACK"); }

static int64_t
sqlite_last_insert_id(void *impl)
{
	struct sqlite_store *s = impl;
	return sqlite3_last_insert_rowid(s->db);
}

/* Copies sql with each `$N` placeholder outside quotes turned into `?N`. */
static char *
rewrite_placeholders(const char *sql)
{
	char *out = strdup(sql);
	char quote = 0;

	if (!out)
		return NULL;
	for (char *p = out; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			*p = '?';
		}
	}
	return out;
}

static int
sqlite_prepare(void *impl, const struct store_sql *q, void **out)
{
	struct sqlite_store *s = impl;
	sqlite3_stmt *st = NULL;
	char *sql = rewrite_placeholders(q->sqlite ? q->sqlite : q->sql);
	int rc;

	*out = NULL;
	if (!sql)
		return VG_ERR_NOMEM;
	rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return VG_ERR_STORE;
	*out = st;
	return VG_OK;
}

static void sqlite_finalize(void *st) { sqlite3_finalize(st); }
static void sqlite_reset(void *st) { sqlite3_reset(st); }

static int
bind_rc(int rc)
{
	return rc == SQLITE_OK ? VG_OK : rc == SQLITE_NOMEM ? VG_ERR_NOMEM : VG_ERR_STORE;
}

static int
sqlite_bind_int64(void *st, int i, int64_t v)
{
	return bind_rc(sqlite3_bind_int64(st, i, v));
}

/* SQLITE_STATIC is safe: every statement is stepped and reset before the caller's
 * strings can change, and it saves a copy per column on the hot insert path. */
static int
sqlite_bind_text(void *st, int i, const char *v)
{
	return bind_rc(v ? sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i));
}

static int
sqlite_bind_textn(void *st, int i, const char *v, size_t n)
{
	if (!v)
		return bind_rc(sqlite3_bind_null(st, i));
	if (n > INT_MAX)
		return VG_ERR_INVAL;
	return bind_rc(sqlite3_bind_text(st, i, v, (int)n, SQLITE_STATIC));
}

static size_t
sqlite_column_bytes(void *st, int i)
{
	int n = sqlite3_column_bytes(st, i);
	return n > 0 ? (size_t)n : 0;
}

static int
sqlite_bind_blob(void *st, int i, const void *p, size_t n)
{
	if (n > INT_MAX)
		return VG_ERR_INVAL;
	return bind_rc(sqlite3_bind_blob(st, i, p, (int)n, SQLITE_STATIC));
}

static int
sqlite_bind_null(void *st, int i)
{
	return bind_rc(sqlite3_bind_null(st, i));
}

static int
sqlite_step(void *impl, void *st)
{
	(void)impl;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return STORE_ROW;
	if (rc == SQLITE_DONE)
		return STORE_DONE;
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return VG_ERR_BUSY;
	if ((rc & 0xff) == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR)
		return VG_ERR_IO;
	return VG_ERR_STORE;
}

static int64_t
sqlite_column_int64(void *st, int i)
{
	return sqlite3_column_int64(st, i);
}

static const char *
sqlite_column_text(void *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int
sqlite_column_count(void *st)
{
	return sqlite3_column_count(st);
}

static const char *
sqlite_column_name(void *st, int i)
{
	return sqlite3_column_name(st, i);
}

static int
sqlite_column_type(void *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		return STORE_NULL;
	case SQLITE_INTEGER:
		return STORE_INT;
	default:
		return STORE_TEXT;	/* text, blob; floats are not stored */
	}
}

static int64_t
sqlite_changes(void *impl)
{
	struct sqlite_store *s = impl;
	return sqlite3_changes64(s->db);
}

const struct store_db_ops store_db_sqlite = {
	.name = "sqlite",
	.migrations = store_migrations_sqlite,
	.open = sqlite_open,
	.close = sqlite_close,
	.errmsg = sqlite_errmsg,
	.schema_version = sqlite_schema_version,
	.migrate = sqlite_migrate,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.last_insert_id = sqlite_last_insert_id,
	.prepare = sqlite_prepare,
	.finalize = sqlite_finalize,
	.reset = sqlite_reset,
	.bind_int64 = sqlite_bind_int64,
	.bind_text = sqlite_bind_text,
	.bind_textn = sqlite_bind_textn,
	.bind_blob = sqlite_bind_blob,
	.bind_null = sqlite_bind_null,
	.step = sqlite_step,
	.column_int64 = sqlite_column_int64,
	.column_text = sqlite_column_text,
	.column_bytes = sqlite_column_bytes,
	.column_count = sqlite_column_count,
	.column_name = sqlite_column_name,
	.column_type = sqlite_column_type,
	.changes = sqlite_changes,
};
