/* The console's SQL (see wdb.h), run through the store's generic statements
 * (store_exec / store_query, core/store.h): constant text with $N placeholders and
 * typed binds, never spliced. Rows come back as JSON keyed by column name and are
 * reshaped here into the API's field names. Time windows over alerts use the
 * rowid, found by binary search on created_at, instead of an index: alert inserts
 * stay as cheap as before. */
#include "web/wdb.h"
#include "core/err.h"
#include "core/event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof(a[0]))

static const char sql_user_add[] =
    "INSERT INTO users(name, role, pwhash, created_at, updated_at) VALUES($1, $2, $3, $4, $4)";
static const char sql_user_get[] = "SELECT id, name, role, pwhash FROM users WHERE name = $1";
static const char sql_user_passwd[] =
    "UPDATE users SET pwhash = $2, updated_at = $3 WHERE name = $1";
static const char sql_user_role[] = "UPDATE users SET role = $2, updated_at = $3 WHERE name = $1";
static const char sql_user_del[] = "DELETE FROM users WHERE name = $1";
static const char sql_user_count[] = "SELECT count(*) AS n FROM users";
static const char sql_user_list[] = "SELECT name, role, created_at FROM users ORDER BY name";
static const char sql_sess_add[] =
    "INSERT INTO sessions(id_hash, user_id, csrf, addr, created_at, last_seen)"
    " VALUES($1, $2, $3, $4, $5, $5)";
static const char sql_sess_get[] =
    "SELECT s.user_id, u.name, u.role, s.csrf, s.created_at, s.last_seen"
    " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1";
static const char sql_sess_touch[] = "UPDATE sessions SET last_seen = $2 WHERE id_hash = $1";
static const char sql_sess_del[] = "DELETE FROM sessions WHERE id_hash = $1";
static const char sql_sess_del_user[] =
    "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = $1)";
static const char sql_sess_expire[] = "DELETE FROM sessions WHERE last_seen < $1 OR created_at < $2";

#define ALERT_COLS \
	"id, rule_id AS rule, title, category, severity, source_ip, sensor AS site, count," \
	" first_seen, last_seen, created_at, case_id AS incident"
static const char sql_alerts_list[] =
    "SELECT " ALERT_COLS " FROM alerts WHERE id < $1 AND severity >= $2"
    " AND ($3 IS NULL OR source_ip = $3) ORDER BY id DESC LIMIT $4";
static const char sql_alerts_after[] =
    "SELECT " ALERT_COLS " FROM alerts WHERE id > $1 ORDER BY id LIMIT $2";
static const char sql_alert_get[] =
    "SELECT " ALERT_COLS ", mitre, field, matched, evidence FROM alerts WHERE id = $1";
static const char sql_alert_events[] =
    "SELECT ts, raw FROM alert_events WHERE alert_id = $1 ORDER BY id LIMIT 100";
static const char sql_alert_max[] = "SELECT coalesce(max(id), 0) AS n FROM alerts";
static const char sql_alert_at[] =
    "SELECT id, created_at FROM alerts WHERE id >= $1 ORDER BY id LIMIT 1";
static const char sql_audit_list[] =
    "SELECT id, at, actor, action, detail FROM audit WHERE id < $1 ORDER BY id DESC LIMIT $2";

struct wdb {
	struct vg_store *st;
};

static const char *const role_names[] = { [WEB_ROLE_NONE] = "none",
	[WEB_ROLE_VIEWER] = "viewer", [WEB_ROLE_ANALYST] = "analyst", [WEB_ROLE_ADMIN] = "admin" };

const char *
web_role_name(enum web_role r)
{
	return (unsigned)r <= WEB_ROLE_ADMIN ? role_names[r] : "none";
}

int
web_role_parse(const char *s, enum web_role *out)
{
	for (int r = WEB_ROLE_VIEWER; r <= WEB_ROLE_ADMIN; r++) {
		if (s && strcmp(s, role_names[r]) == 0) {
			*out = (enum web_role)r;
			return VG_OK;
		}
	}
	return VG_ERR_INVAL;
}

int
wdb_open(struct vg_store *st, struct wdb **out)
{
	struct wdb *db = calloc(1, sizeof(*db));
	*out = NULL;
	if (!db)
		return VG_ERR_NOMEM;
	db->st = st;
	*out = db;
	return VG_OK;
}

void wdb_close(struct wdb *db) { free(db); }
struct vg_store *wdb_store(struct wdb *db) { return db->st; }

static const char *
jtext(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int64_t
jint(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* Replaces an integer µs member with its RFC 3339 text (null when 0 or absent). */
static void
set_time(json_t *o, const char *key)
{
	int64_t us = jint(o, key);
	char buf[40];
	if (us <= 0) {
		json_object_set_new(o, key, json_null());
		return;
	}
	vg_time_format(us, buf, sizeof(buf));
	json_object_set_new(o, key, json_string(buf));
}

static int
exec_changed(struct wdb *db, const char *sql, const struct store_val *b, size_t n)
{
	int64_t changes = 0;
	int r = store_exec(db->st, sql, b, n, NULL, &changes);
	if (r == VG_OK && changes == 0)
		r = VG_ERR_NOTFOUND;
	return r;
}

int
wdb_user_add(struct wdb *db, const char *name, enum web_role role, const char *pwhash)
{
	struct wdb_user u;
	struct store_val b[] = { SV_TEXT(name), SV_TEXT(web_role_name(role)), SV_TEXT(pwhash),
		SV_INT(vg_now_us()) };
	if (wdb_user_get(db, name, &u) == VG_OK)
		return VG_ERR_INVAL;
	return store_exec(db->st, sql_user_add, b, N_OF(b), NULL, NULL);
}

int
wdb_user_get(struct wdb *db, const char *name, struct wdb_user *out)
{
	struct store_val b[] = { SV_TEXT(name) };
	json_t *row = NULL;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = store_query_one(db->st, sql_user_get, b, N_OF(b), &row)) != VG_OK)
		return r;
	out->id = jint(row, "id");
	snprintf(out->name, sizeof(out->name), "%s", jtext(row, "name") ? jtext(row, "name") : "");
	if (web_role_parse(jtext(row, "role"), &out->role) != VG_OK)
		out->role = WEB_ROLE_NONE;
	snprintf(out->pwhash, sizeof(out->pwhash), "%s",
	    jtext(row, "pwhash") ? jtext(row, "pwhash") : "");
	json_decref(row);
	return VG_OK;
}

int
wdb_user_set_password(struct wdb *db, const char *name, const char *pwhash)
{
	struct store_val b[] = { SV_TEXT(name), SV_TEXT(pwhash), SV_INT(vg_now_us()) };
	return exec_changed(db, sql_user_passwd, b, N_OF(b));
}

int
wdb_user_set_role(struct wdb *db, const char *name, enum web_role role)
{
	struct store_val b[] = { SV_TEXT(name), SV_TEXT(web_role_name(role)), SV_INT(vg_now_us()) };
	return exec_changed(db, sql_user_role, b, N_OF(b));
}

int
wdb_user_del(struct wdb *db, const char *name)
{
	struct store_val b[] = { SV_TEXT(name) };
	return exec_changed(db, sql_user_del, b, N_OF(b));
}

/* Runs a query returning one integer column "n". */
static int
scalar(struct wdb *db, const char *sql, int64_t *out)
{
	json_t *row = NULL;
	int r = store_query_one(db->st, sql, NULL, 0, &row);
	*out = r == VG_OK ? jint(row, "n") : 0;
	json_decref(row);
	return r;
}

int wdb_user_count(struct wdb *db, int64_t *n) { return scalar(db, sql_user_count, n); }
int wdb_alert_max_id(struct wdb *db, int64_t *n) { return scalar(db, sql_alert_max, n); }

int
wdb_user_list(struct wdb *db, json_t **out)
{
	json_t *rows = NULL, *u;
	size_t i;
	int r = store_query(db->st, sql_user_list, NULL, 0, 0, &rows);

	*out = NULL;
	if (r != VG_OK)
		return r;
	json_array_foreach(rows, i, u)
		set_time(u, "created_at");
	*out = rows;
	return VG_OK;
}

int
wdb_session_add(struct wdb *db, const char *id_hash, int64_t user_id, const char *csrf,
    const char *addr)
{
	struct store_val b[] = { SV_TEXT(id_hash), SV_INT(user_id), SV_TEXT(csrf), SV_TEXT(addr),
		SV_INT(vg_now_us()) };
	return store_exec(db->st, sql_sess_add, b, N_OF(b), NULL, NULL);
}

int
wdb_session_get(struct wdb *db, const char *id_hash, struct wdb_session *out)
{
	struct store_val b[] = { SV_TEXT(id_hash) };
	json_t *row = NULL;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = store_query_one(db->st, sql_sess_get, b, N_OF(b), &row)) != VG_OK)
		return r;
	out->user_id = jint(row, "user_id");
	snprintf(out->user, sizeof(out->user), "%s", jtext(row, "name") ? jtext(row, "name") : "");
	if (web_role_parse(jtext(row, "role"), &out->role) != VG_OK)
		out->role = WEB_ROLE_NONE;
	snprintf(out->csrf, sizeof(out->csrf), "%s", jtext(row, "csrf") ? jtext(row, "csrf") : "");
	out->created_at = jint(row, "created_at");
	out->last_seen = jint(row, "last_seen");
	json_decref(row);
	return VG_OK;
}

int
wdb_session_touch(struct wdb *db, const char *id_hash, int64_t now_us)
{
	struct store_val b[] = { SV_TEXT(id_hash), SV_INT(now_us) };
	return store_exec(db->st, sql_sess_touch, b, N_OF(b), NULL, NULL);
}

int
wdb_session_del(struct wdb *db, const char *id_hash)
{
	struct store_val b[] = { SV_TEXT(id_hash) };
	return store_exec(db->st, sql_sess_del, b, N_OF(b), NULL, NULL);
}

int
wdb_session_del_user(struct wdb *db, const char *name)
{
	struct store_val b[] = { SV_TEXT(name) };
	return store_exec(db->st, sql_sess_del_user, b, N_OF(b), NULL, NULL);
}

int
wdb_session_expire(struct wdb *db, int64_t idle_before, int64_t born_before)
{
	struct store_val b[] = { SV_INT(idle_before), SV_INT(born_before) };
	return store_exec(db->st, sql_sess_expire, b, N_OF(b), NULL, NULL);
}

/* Gives a row from ALERT_COLS the API's shape. */
static void
alert_shape(json_t *a)
{
	int64_t sev = jint(a, "severity");
	json_object_set_new(a, "severity_name", json_string(vg_severity_name(
	    sev >= VG_SEV_INFO && sev <= VG_SEV_CRITICAL ? (enum vg_severity)sev : VG_SEV_INFO)));
	set_time(a, "first_seen");
	set_time(a, "last_seen");
	set_time(a, "created_at");
}

static int
alert_rows(struct wdb *db, const char *sql, const struct store_val *b, size_t n, json_t **out)
{
	json_t *rows = NULL, *a;
	size_t i;
	int r = store_query(db->st, sql, b, n, 0, &rows);

	*out = NULL;
	if (r != VG_OK)
		return r;
	json_array_foreach(rows, i, a)
		alert_shape(a);
	*out = rows;
	return VG_OK;
}

int
wdb_alerts_list(struct wdb *db, int64_t before, int min_sev, const char *source, int limit,
    json_t **out)
{
	struct store_val b[] = { SV_INT(before > 0 ? before : INT64_MAX), SV_INT(min_sev),
		SV_TEXT(source), SV_INT(limit) };
	return alert_rows(db, sql_alerts_list, b, N_OF(b), out);
}

int
wdb_alerts_after(struct wdb *db, int64_t after, int limit, json_t **out)
{
	struct store_val b[] = { SV_INT(after), SV_INT(limit) };
	return alert_rows(db, sql_alerts_after, b, N_OF(b), out);
}

int
wdb_alert_get(struct wdb *db, int64_t id, json_t **out)
{
	struct store_val b[] = { SV_INT(id) };
	json_t *a = NULL, *events = NULL, *e;
	size_t i;
	int r;

	*out = NULL;
	if ((r = store_query_one(db->st, sql_alert_get, b, N_OF(b), &a)) != VG_OK)
		return r;
	alert_shape(a);
	if ((r = store_query(db->st, sql_alert_events, b, N_OF(b), 0, &events)) != VG_OK) {
		json_decref(a);
		return r;
	}
	json_array_foreach(events, i, e)
		set_time(e, "ts");
	json_object_set_new(a, "events", events);
	*out = a;
	return VG_OK;
}

/* created_at of the first alert with id >= id; VG_ERR_NOTFOUND past the end. */
static int
alert_at(struct wdb *db, int64_t id, int64_t *found_id, int64_t *created)
{
	struct store_val b[] = { SV_INT(id) };
	json_t *row = NULL;
	int r = store_query_one(db->st, sql_alert_at, b, N_OF(b), &row);
	if (r == VG_OK) {
		*found_id = jint(row, "id");
		*created = jint(row, "created_at");
	}
	json_decref(row);
	return r;
}

int
wdb_alert_first_since(struct wdb *db, int64_t since_us, int64_t *out)
{
	int64_t lo = 1, hi, id, created;
	int r;

	if ((r = wdb_alert_max_id(db, &hi)) != VG_OK)
		return r;
	*out = hi + 1;
	/* Invariant: every alert below lo is older than since_us; the answer <= hi + 1. */
	hi++;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;
		r = alert_at(db, mid, &id, &created);
		if (r == VG_ERR_NOTFOUND) {
			hi = mid;
			continue;
		}
		if (r != VG_OK)
			return r;
		if (created >= since_us)
			hi = mid;
		else
			lo = id + 1;
	}
	*out = lo;
	return VG_OK;
}

int
wdb_audit_list(struct wdb *db, int64_t before, int limit, json_t **out)
{
	struct store_val b[] = { SV_INT(before > 0 ? before : INT64_MAX), SV_INT(limit) };
	json_t *rows = NULL, *e;
	size_t i;
	int r = store_query(db->st, sql_audit_list, b, N_OF(b), 0, &rows);

	*out = NULL;
	if (r != VG_OK)
		return r;
	json_array_foreach(rows, i, e)
		set_time(e, "at");
	*out = rows;
	return VG_OK;
}
