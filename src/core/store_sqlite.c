/* SQLite back end of the store: WAL, busy timeout, prepared statements only, and
 * numbered migrations tracked in PRAGMA user_version (a newer file is refused
 * rather than guessed at). Hot statements are prepared once at open. */
#include "core/store_backend.h"
#include "core/err.h"

#include <errno.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Migration N (1-based) brings user_version from N-1 to N. Never edit a shipped
 * entry: append a new one. Times are µs since the epoch. The alerts table has no
 * secondary index on purpose: alerts are already aggregated per (rule, source,
 * window), so scans stay small, and an index on source_ip measured 25% slower
 * inserts (bench/run). */
static const char *const migrations[] = {
	/* 1: the tables every stage needs */
	"CREATE TABLE assets("
	"  id INTEGER PRIMARY KEY, address TEXT NOT NULL UNIQUE, hostname TEXT,"
	"  class TEXT, declared INTEGER NOT NULL DEFAULT 0, owner TEXT, notes TEXT,"
	"  first_seen INTEGER, last_seen INTEGER);"
	"CREATE TABLE services("
	"  id INTEGER PRIMARY KEY,"
	"  asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,"
	"  port INTEGER NOT NULL, proto TEXT NOT NULL DEFAULT 'tcp', name TEXT, product TEXT,"
	"  version TEXT, banner TEXT, http_title TEXT, tls_subject TEXT, tls_issuer TEXT,"
	"  tls_not_after INTEGER, first_seen INTEGER, last_seen INTEGER,"
	"  UNIQUE(asset_id, port, proto));"
	"CREATE TABLE findings("
	"  id INTEGER PRIMARY KEY, asset_id INTEGER REFERENCES assets(id),"
	"  service_id INTEGER REFERENCES services(id),"
	"  kind TEXT NOT NULL CHECK(kind IN ('vuln','baseline','exposure')),"
	"  ref TEXT, title TEXT NOT NULL, severity INTEGER NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK(status IN ('open','fixed','accepted')),"
	"  evidence TEXT, remedy TEXT, found_at INTEGER NOT NULL, fixed_at INTEGER);"
	"CREATE TABLE cases("
	"  id INTEGER PRIMARY KEY, title TEXT NOT NULL, severity INTEGER NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'new' CHECK(status IN"
	"    ('new','notified','verified','disposed','closed','false_positive')),"
	"  assignee TEXT, created_at INTEGER NOT NULL, notified_at INTEGER,"
	"  verified_at INTEGER, disposed_at INTEGER, closed_at INTEGER, summary TEXT);"
	"CREATE TABLE case_history("
	"  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, note TEXT);"
	"CREATE TABLE alerts("
	"  id INTEGER PRIMARY KEY, rule_id TEXT NOT NULL, title TEXT, category TEXT,"
	"  mitre TEXT, severity INTEGER NOT NULL, source_ip TEXT, sensor TEXT,"
	"  count INTEGER NOT NULL DEFAULT 1, first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL, field TEXT, matched TEXT, evidence TEXT,"
	"  case_id INTEGER REFERENCES cases(id), created_at INTEGER NOT NULL);"
	"CREATE TABLE alert_events("
	"  id INTEGER PRIMARY KEY, alert_id INTEGER NOT NULL REFERENCES alerts(id),"
	"  ts INTEGER, raw TEXT);"
	"CREATE INDEX alert_events_by_alert ON alert_events(alert_id);"
	"CREATE TABLE actions("
	"  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, target TEXT NOT NULL, params TEXT,"
	"  status TEXT NOT NULL, actor TEXT, alert_id INTEGER REFERENCES alerts(id),"
	"  case_id INTEGER REFERENCES cases(id), created_at INTEGER NOT NULL,"
	"  expires_at INTEGER, done_at INTEGER, result TEXT);"
	"CREATE TABLE source_offsets("
	"  path TEXT PRIMARY KEY, dev INTEGER NOT NULL, ino INTEGER NOT NULL,"
	"  offset INTEGER NOT NULL, fingerprint TEXT NOT NULL, updated_at INTEGER NOT NULL);"
	"CREATE TABLE audit("
	"  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,"
	"  action TEXT NOT NULL, detail TEXT);",
};
#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* Tables reported by stats, in display order. */
static const char *const stat_tables[] = { "assets", "services", "findings", "alerts",
	"alert_events", "cases", "case_history", "actions", "source_offsets", "audit" };
#define N_STAT_TABLES (sizeof(stat_tables) / sizeof(stat_tables[0]))

enum stmt_id {
	ST_ALERT_ADD,
	ST_ALERT_UPDATE,
	ST_ALERT_EVENT_ADD,
	ST_OFFSET_GET,
	ST_OFFSET_SET,
	ST_AUDIT,
	ST_ALERTS_EACH,
	ST__COUNT
};

static const char *const stmt_sql[ST__COUNT] = {
	[ST_ALERT_ADD] = "INSERT INTO alerts(rule_id, title, category, mitre, severity, source_ip,"
			 " sensor, count, first_seen, last_seen, field, matched, evidence,"
			 " created_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_ALERT_UPDATE] = "UPDATE alerts SET count = ?, last_seen = ? WHERE id = ?",
	[ST_ALERT_EVENT_ADD] = "INSERT INTO alert_events(alert_id, ts, raw) VALUES(?,?,?)",
	[ST_OFFSET_GET] = "SELECT dev, ino, offset, fingerprint FROM source_offsets WHERE path = ?",
	[ST_OFFSET_SET] = "INSERT INTO source_offsets(path, dev, ino, offset, fingerprint, updated_at)"
			  " VALUES(?,?,?,?,?,?) ON CONFLICT(path) DO UPDATE SET dev = excluded.dev,"
			  " ino = excluded.ino, offset = excluded.offset,"
			  " fingerprint = excluded.fingerprint, updated_at = excluded.updated_at",
	[ST_AUDIT] = "INSERT INTO audit(at, actor, action, detail) VALUES(?,?,?,?)",
	[ST_ALERTS_EACH] = "SELECT id, rule_id, title, category, mitre, severity, source_ip, sensor,"
			   " count, first_seen, last_seen, field, matched, evidence FROM alerts"
			   " WHERE id > ? ORDER BY id LIMIT ?",
};

struct sqlite_store {
	sqlite3 *db;
	const struct vg_logger *log;
	sqlite3_stmt *stmt[ST__COUNT];
	char *path;
};

int
store_schema_latest(void)
{
	return N_MIGRATIONS;
}

static int
exec_sql(struct sqlite_store *s, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		vg_error(s->log, "store %s: %s", s->path, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return VG_ERR_STORE;
	}
	return VG_OK;
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

static int
migrate(struct sqlite_store *s, int from, char *err, size_t err_size)
{
	for (int v = from; v < N_MIGRATIONS; v++) {
		char set_version[64];
		snprintf(set_version, sizeof(set_version), "PRAGMA user_version = %d", v + 1);
		if (exec_sql(s, "BEGIN IMMEDIATE") != VG_OK)
			goto fail;
		if (exec_sql(s, migrations[v]) != VG_OK || exec_sql(s, set_version) != VG_OK) {
			exec_sql(s, "ROLLBACK");
			goto fail;
		}
		if (exec_sql(s, "COMMIT") != VG_OK)
			goto fail;
		vg_info(s->log, "store %s: migrated to schema %d", s->path, v + 1);
		continue;
fail:
		snprintf(err, err_size, "%s: migration to schema %d failed: %s", s->path, v + 1,
		    sqlite3_errmsg(s->db));
		return VG_ERR_STORE;
	}
	return VG_OK;
}

static void
sqlite_close(void *impl)
{
	struct sqlite_store *s = impl;
	if (!s)
		return;
	for (int i = 0; i < ST__COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	if (s->db) {
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close_v2(s->db);
	}
	free(s->path);
	free(s);
}

/* Creates the directory holding path if missing (one level: a typo deeper than
 * that should fail loudly rather than build a tree). */
static void
ensure_parent_dir(const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		return;
	mkdir(dirname(copy), 0750);
	free(copy);
}

static int
sqlite_open(const char *path, const struct vg_logger *log, void **impl, char *err,
    size_t err_size)
{
	struct sqlite_store *s = calloc(1, sizeof(*s));
	int version = 0, tables = 0, rc, ret = VG_ERR_STORE;
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
	ensure_parent_dir(path);
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, err_size, "%s: cannot open store: %s", path,
		    s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		ret = VG_ERR_IO;
		goto out;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
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
	if (version > N_MIGRATIONS) {
		snprintf(err, err_size,
		    "%s: store schema version %d is newer than this vigil supports (%d); "
		    "upgrade vigil", path, version, N_MIGRATIONS);
		ret = VG_ERR_SCHEMA;
		goto out;
	}
	if (version == 0 && count_tables(s->db, &tables) == SQLITE_OK && tables > 0) {
		snprintf(err, err_size, "%s: not a vigil store (an SQLite database with other tables)",
		    path);
		ret = VG_ERR_FORMAT;
		goto out;
	}
	/* Larger pages mean fewer B-tree splits on the alert insert path; page size
	 * can only be chosen while the file is still empty. */
	if (version == 0 && tables == 0 && exec_sql(s, "PRAGMA page_size = 16384") != VG_OK) {
		snprintf(err, err_size, "%s: cannot configure store: %s", path,
		    sqlite3_errmsg(s->db));
		ret = VG_ERR_IO;
		goto out;
	}
	if (exec_sql(s, "PRAGMA journal_mode = WAL") != VG_OK ||
	    exec_sql(s, "PRAGMA synchronous = NORMAL") != VG_OK ||
	    exec_sql(s, "PRAGMA foreign_keys = ON") != VG_OK ||
	    exec_sql(s, "PRAGMA cache_size = -65536") != VG_OK ||
	    exec_sql(s, "PRAGMA wal_autocheckpoint = 4096") != VG_OK) {
		snprintf(err, err_size, "%s: cannot configure store: %s", path,
		    sqlite3_errmsg(s->db));
		ret = (sqlite3_errcode(s->db) & 0xff) == SQLITE_READONLY ? VG_ERR_IO : VG_ERR_STORE;
		goto out;
	}
	if (version < N_MIGRATIONS && (ret = migrate(s, version, err, err_size)) != VG_OK)
		goto out;
	for (int i = 0; i < ST__COUNT; i++) {
		if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
			&s->stmt[i], NULL) != SQLITE_OK) {
			snprintf(err, err_size, "%s: cannot prepare statement: %s", path,
			    sqlite3_errmsg(s->db));
			ret = VG_ERR_STORE;
			goto out;
		}
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

static int sqlite_begin(void *impl) { return exec_sql(impl, "BEGIN IMMEDIATE"); }
static int sqlite_commit(void *impl) { return exec_sql(impl, "COMMIT"); }
static int sqlite_rollback(void *impl) { return exec_sql(impl, "ROLLBACK"); }

/* SQLITE_STATIC is safe: every statement is stepped and reset before the caller's
 * strings can change, and it saves a copy per column on the hot insert path. */
static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Steps a write statement once and resets it; maps SQLite codes to VG_ERR_*. */
static int
step_done(struct sqlite_store *s, sqlite3_stmt *st, const char *what)
{
	/* Bindings are not cleared: every caller binds every parameter. */
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return VG_OK;
	vg_warn(s->log, "store %s: %s failed: %s", s->path, what, sqlite3_errmsg(s->db));
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return VG_ERR_BUSY;
	if ((rc & 0xff) == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR)
		return VG_ERR_IO;
	return VG_ERR_STORE;
}

static int
sqlite_alert_add(void *impl, struct vg_alert *a)
{
	struct sqlite_store *s = impl;
	sqlite3_stmt *st = s->stmt[ST_ALERT_ADD];
	int r;

	bind_text(st, 1, a->rule_id);
	bind_text(st, 2, a->title);
	bind_text(st, 3, a->category);
	bind_text(st, 4, a->mitre);
	sqlite3_bind_int(st, 5, (int)a->severity);
	bind_text(st, 6, a->source_ip[0] ? a->source_ip : NULL);
	bind_text(st, 7, a->sensor);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)a->count);
	sqlite3_bind_int64(st, 9, a->first_seen_us);
	sqlite3_bind_int64(st, 10, a->last_seen_us);
	bind_text(st, 11, a->field);
	bind_text(st, 12, a->matched);
	bind_text(st, 13, a->evidence);
	sqlite3_bind_int64(st, 14, vg_now_us());
	r = step_done(s, st, "alert insert");
	if (r == VG_OK)
		a->id = sqlite3_last_insert_rowid(s->db);
	return r;
}

static int
sqlite_alert_update(void *impl, const struct vg_alert *a)
{
	struct sqlite_store *s = impl;
	sqlite3_stmt *st = s->stmt[ST_ALERT_UPDATE];

	sqlite3_bind_int64(st, 1, (sqlite3_int64)a->count);
	sqlite3_bind_int64(st, 2, a->last_seen_us);
	sqlite3_bind_int64(st, 3, a->id);
	return step_done(s, st, "alert update");
}

static int
sqlite_alert_event_add(void *impl, int64_t alert_id, int64_t ts_us, const char *raw,
    size_t raw_len)
{
	struct sqlite_store *s = impl;
	sqlite3_stmt *st = s->stmt[ST_ALERT_EVENT_ADD];

	sqlite3_bind_int64(st, 1, alert_id);
	sqlite3_bind_int64(st, 2, ts_us);
	/* A blob keeps the exact bytes; log lines need not be valid UTF-8. */
	sqlite3_bind_blob(st, 3, raw, (int)raw_len, SQLITE_STATIC);
	return step_done(s, st, "alert event insert");
}

static int
sqlite_offset_get(void *impl, const char *path, struct store_offset *out)
{
	struct sqlite_store *s = impl;
	sqlite3_stmt *st = s->stmt[ST_OFFSET_GET];
	int rc, ret;

	memset(out, 0, sizeof(*out));
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->dev = (uint64_t)sqlite3_column_int64(st, 0);
		out->ino = (uint64_t)sqlite3_column_int64(st, 1);
		out->offset = (uint64_t)sqlite3_column_int64(st, 2);
		const unsigned char *fp = sqlite3_column_text(st, 3);
		snprintf(out->fingerprint, sizeof(out->fingerprint), "%s", fp ? (const char *)fp : "");
		ret = VG_OK;
	} else {
		ret = rc == SQLITE_DONE ? VG_ERR_NOTFOUND : VG_ERR_STORE;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}

static int
sqlite_offset_set(void *impl, const char *path, const struct store_offset *off)
{
	struct sqlite_store *s = impl;
	sqlite3_stmt *st = s->stmt[ST_OFFSET_SET];

	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)off->dev);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)off->ino);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)off->offset);
	sqlite3_bind_text(st, 5, off->fingerprint, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, vg_now_us());
	return step_done(s, st, "offset update");
}

static int
sqlite_audit(void *impl, const char *actor, const char *action, const char *detail)
{
	struct sqlite_store *s = impl;
	sqlite3_stmt *st = s->stmt[ST_AUDIT];

	sqlite3_bind_int64(st, 1, vg_now_us());
	bind_text(st, 2, actor);
	bind_text(st, 3, action);
	bind_text(st, 4, detail);
	return step_done(s, st, "audit insert");
}

static int
sqlite_stats(void *impl, json_t **out)
{
	struct sqlite_store *s = impl;
	json_t *o = json_object();
	int ret = VG_OK;

	*out = NULL;
	if (!o)
		return VG_ERR_NOMEM;
	for (size_t i = 0; i < N_STAT_TABLES && ret == VG_OK; i++) {
		char sql[128];
		sqlite3_stmt *st = NULL;
		/* Table names come from the constant list above, never from input. */
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", stat_tables[i]);
		if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			json_object_set_new(o, stat_tables[i],
			    json_integer(sqlite3_column_int64(st, 0)));
		else
			ret = VG_ERR_STORE;
		sqlite3_finalize(st);
	}
	if (ret != VG_OK) {
		json_decref(o);
		return ret;
	}
	*out = o;
	return VG_OK;
}

static const char *
col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int
sqlite_alerts_each(void *impl, int64_t after_id, size_t limit, store_alert_fn fn, void *arg)
{
	struct sqlite_store *s = impl;
	sqlite3_stmt *st = s->stmt[ST_ALERTS_EACH];
	int rc, ret = VG_OK;

	sqlite3_bind_int64(st, 1, after_id);
	sqlite3_bind_int64(st, 2, limit ? (sqlite3_int64)limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_alert a = {
			.id = sqlite3_column_int64(st, 0),
			.rule_id = col_text(st, 1),
			.title = col_text(st, 2),
			.category = col_text(st, 3),
			.mitre = col_text(st, 4),
			.severity = (enum vg_severity)sqlite3_column_int(st, 5),
			.sensor = col_text(st, 7),
			.count = (uint64_t)sqlite3_column_int64(st, 8),
			.first_seen_us = sqlite3_column_int64(st, 9),
			.last_seen_us = sqlite3_column_int64(st, 10),
			.field = col_text(st, 11),
			.matched = col_text(st, 12),
			.evidence = col_text(st, 13),
		};
		const char *ip = col_text(st, 6);
		snprintf(a.source_ip, sizeof(a.source_ip), "%s", ip ? ip : "");
		json_t *j = vg_alert_to_json(&a);
		if (!j) {
			ret = VG_ERR_NOMEM;
			break;
		}
		ret = fn(j, arg);
		json_decref(j);
		if (ret != 0)
			break;
	}
	if (ret == VG_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = VG_ERR_STORE;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}

const struct store_backend store_backend_sqlite = {
	.name = "sqlite",
	.open = sqlite_open,
	.close = sqlite_close,
	.errmsg = sqlite_errmsg,
	.schema_version = sqlite_schema_version,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.alert_add = sqlite_alert_add,
	.alert_update = sqlite_alert_update,
	.alert_event_add = sqlite_alert_event_add,
	.offset_get = sqlite_offset_get,
	.offset_set = sqlite_offset_set,
	.audit = sqlite_audit,
	.stats = sqlite_stats,
	.alerts_each = sqlite_alerts_each,
};
