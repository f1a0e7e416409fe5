/* The console's data access: users, sessions and the read views the pages show
 * (alert list and detail, overview aggregates, audit log). All of the console's
 * SQL lives in wdb.c, prepared once at open and run through core/store_query.h. */
#ifndef VG_WEB_WDB_H
#define VG_WEB_WDB_H

#include "core/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct wdb;

enum web_role { WEB_ROLE_NONE = 0, WEB_ROLE_VIEWER, WEB_ROLE_ANALYST, WEB_ROLE_ADMIN };

/* "admin", "analyst", "viewer" <-> enum; parse returns 0 or VG_ERR_INVAL. */
const char *web_role_name(enum web_role r);
int web_role_parse(const char *s, enum web_role *out);

struct wdb_user {
	int64_t id;
	char name[65];
	enum web_role role;
	char pwhash[128];	/* crypto_pwhash_str output */
};

struct wdb_session {
	int64_t user_id;
	char user[65];
	enum web_role role;
	char csrf[65];
	int64_t created_at;	/* µs */
	int64_t last_seen;	/* µs */
};

/* Prepares every statement on st (which must outlive the wdb). 0 or VG_ERR_*. */
int wdb_open(struct vg_store *st, struct wdb **out);
void wdb_close(struct wdb *db);	/* accepts NULL */
struct vg_store *wdb_store(struct wdb *db);

/* Users. VG_ERR_NOTFOUND when the name is unknown; add returns VG_ERR_INVAL if it
 * exists. */
int wdb_user_add(struct wdb *db, const char *name, enum web_role role, const char *pwhash);
int wdb_user_get(struct wdb *db, const char *name, struct wdb_user *out);
int wdb_user_set_password(struct wdb *db, const char *name, const char *pwhash);
int wdb_user_set_role(struct wdb *db, const char *name, enum web_role role);
int wdb_user_del(struct wdb *db, const char *name);
int wdb_user_count(struct wdb *db, int64_t *n);
/* New JSON array of {name, role, created_at}; caller decrefs. */
int wdb_user_list(struct wdb *db, json_t **out);

/* Sessions, keyed by the hex SHA-256 of the cookie. */
int wdb_session_add(struct wdb *db, const char *id_hash, int64_t user_id, const char *csrf,
    const char *addr);
int wdb_session_get(struct wdb *db, const char *id_hash, struct wdb_session *out);
int wdb_session_touch(struct wdb *db, const char *id_hash, int64_t now_us);
int wdb_session_del(struct wdb *db, const char *id_hash);
/* Ends a user's every session (password change, deletion). */
int wdb_session_del_user(struct wdb *db, const char *name);
/* Deletes sessions idle since idle_before or created before born_before. */
int wdb_session_expire(struct wdb *db, int64_t idle_before, int64_t born_before);

/* Alerts, newest first: id < before (0 = from the newest), severity >= min_sev,
 * source_ip == source when source is non-NULL; at most limit. New JSON array. */
int wdb_alerts_list(struct wdb *db, int64_t before, int min_sev, const char *source,
    int limit, json_t **out);
/* Alerts with id > after, oldest first, same shape as the list. New array. */
int wdb_alerts_after(struct wdb *db, int64_t after, int limit, json_t **out);
/* One alert with its evidence lines; VG_ERR_NOTFOUND if absent. New object. */
int wdb_alert_get(struct wdb *db, int64_t id, json_t **out);
/* Highest alert id (0 when none). */
int wdb_alert_max_id(struct wdb *db, int64_t *out);
/* Smallest alert id whose created_at >= since_us, by binary search over the
 * rowid (ids grow with insertion time), so time windows need no extra index on the
 * alert insert path. *out is max id + 1 when none. */
int wdb_alert_first_since(struct wdb *db, int64_t since_us, int64_t *out);

/* Audit rows id < before (0 = newest), newest first, at most limit. New array. */
int wdb_audit_list(struct wdb *db, int64_t before, int limit, json_t **out);

#endif
