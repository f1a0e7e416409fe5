/* Record kind "alerts" (alerts and their evidence events) over the store's
 * statement interface. store_alert_add is the hot path of every detector. */
#include "core/store_db.h"
#include "core/store.h"
#include "core/err.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const struct store_sql q_alert_add = {
	.name = "alert insert",
	.sql = "INSERT INTO alerts(rule_id, title, category, mitre, severity, source_ip,"
	       " sensor, count, first_seen, last_seen, field, matched, evidence, created_at)"
	       " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
};

static const struct store_sql q_alert_update = {
	.name = "alert update",
	.sql = "UPDATE alerts SET count = $1, last_seen = $2 WHERE id = $3",
};

static const struct store_sql q_alert_event_add = {
	.name = "alert event insert",
	.sql = "INSERT INTO alert_events(alert_id, ts, raw) VALUES($1, $2, $3)",
};

static const struct store_sql q_alerts_each = {
	.name = "alert listing",
	.sql = "SELECT id, rule_id, title, category, mitre, severity, source_ip, sensor,"
	       " count, first_seen, last_seen, field, matched, evidence FROM alerts"
	       " WHERE id > $1 ORDER BY id LIMIT $2",
};

/* A vg_alert length of 0 means "a plain string". */
static size_t
text_len(const char *s, size_t n)
{
	return !s ? 0 : n ? n : strlen(s);
}

int
store_alert_add(struct vg_store *s, struct vg_alert *a)
{
	struct store_stmt *t;
	int r = store_stmt(s, &q_alert_add, &t);
	if (r != VG_OK)
		return r;
	store_bind_text(t, 1, a->rule_id);
	store_bind_text(t, 2, a->title);
	store_bind_text(t, 3, a->category);
	store_bind_text(t, 4, a->mitre);
	store_bind_int64(t, 5, (int64_t)a->severity);
	store_bind_text(t, 6, a->source_ip[0] ? a->source_ip : NULL);
	store_bind_text(t, 7, a->sensor);
	store_bind_int64(t, 8, (int64_t)a->count);
	store_bind_int64(t, 9, a->first_seen_us);
	store_bind_int64(t, 10, a->last_seen_us);
	store_bind_text(t, 11, a->field);
	store_bind_textn(t, 12, a->matched, text_len(a->matched, a->matched_len));
	store_bind_textn(t, 13, a->evidence, text_len(a->evidence, a->evidence_len));
	store_bind_int64(t, 14, vg_now_us());
	if ((r = store_run(t)) == VG_OK)
		a->id = store_last_insert_id(s);
	return r;
}

int
store_alert_update(struct vg_store *s, const struct vg_alert *a)
{
	struct store_stmt *t;
	int r = store_stmt(s, &q_alert_update, &t);
	if (r != VG_OK)
		return r;
	store_bind_int64(t, 1, (int64_t)a->count);
	store_bind_int64(t, 2, a->last_seen_us);
	store_bind_int64(t, 3, a->id);
	return store_run(t);
}

int
store_alert_event_add(struct vg_store *s, int64_t alert_id, int64_t ts_us, const char *raw,
    size_t raw_len)
{
	struct store_stmt *t;
	int r = store_stmt(s, &q_alert_event_add, &t);
	if (r != VG_OK)
		return r;
	store_bind_int64(t, 1, alert_id);
	store_bind_int64(t, 2, ts_us);
	/* A blob keeps the exact bytes; log lines need not be valid UTF-8. */
	store_bind_blob(t, 3, raw, raw_len);
	return store_run(t);
}

int
store_alerts_each(struct vg_store *s, int64_t after_id, size_t limit, store_alert_fn fn,
    void *arg)
{
	struct store_stmt *t;
	int r = store_stmt(s, &q_alerts_each, &t);
	if (r != VG_OK)
		return r;
	store_bind_int64(t, 1, after_id);
	store_bind_int64(t, 2, limit && limit < INT64_MAX ? (int64_t)limit : INT64_MAX);
	while ((r = store_step(t)) == STORE_ROW) {
		struct vg_alert a = {
			.id = store_col_int64(t, 0),
			.rule_id = store_col_text(t, 1),
			.title = store_col_text(t, 2),
			.category = store_col_text(t, 3),
			.mitre = store_col_text(t, 4),
			.severity = (enum vg_severity)store_col_int64(t, 5),
			.sensor = store_col_text(t, 7),
			.count = (uint64_t)store_col_int64(t, 8),
			.first_seen_us = store_col_int64(t, 9),
			.last_seen_us = store_col_int64(t, 10),
			.field = store_col_text(t, 11),
			.matched = store_col_text(t, 12),
			.matched_len = store_col_len(t, 12),
			.evidence = store_col_text(t, 13),
			.evidence_len = store_col_len(t, 13),
		};
		const char *ip = store_col_text(t, 6);
		snprintf(a.source_ip, sizeof(a.source_ip), "%s", ip ? ip : "");
		json_t *j = vg_alert_to_json(&a);
		if (!j) {
			r = VG_ERR_NOMEM;
			break;
		}
		r = fn(j, arg);
		json_decref(j);
		if (r != 0)
			break;
	}
	store_reset(t);
	return r == STORE_DONE ? VG_OK : r;
}

#define ALERT_COLS "id, rule_id, title, category, mitre, severity, source_ip, sensor, count," \
	" first_seen, last_seen, field, matched, evidence"

static const char q_alerts_find[] =
	"SELECT " ALERT_COLS " FROM alerts WHERE last_seen >= $1"
	" AND ($2 IS NULL OR rule_id GLOB $2) AND ($3 IS NULL OR source_ip = $3)"
	" AND severity >= $4 ORDER BY last_seen DESC, id DESC LIMIT $5";
static const char q_alert_get[] = "SELECT " ALERT_COLS " FROM alerts WHERE id = $1";
static const char q_alert_events[] =
	"SELECT ts, raw FROM alert_events WHERE alert_id = $1 ORDER BY id";

int
store_alerts_find(struct vg_store *s, const struct store_alert_filter *f, json_t **rows)
{
	const struct store_val b[] = { SV_INT(f->since_us), SV_TEXT(f->rule_glob),
		SV_TEXT(f->source_ip), SV_INT(f->min_severity),
		SV_INT(f->limit && f->limit < INT64_MAX ? (int64_t)f->limit : INT64_MAX) };
	return store_query(s, q_alerts_find, b, sizeof(b) / sizeof(b[0]), 0, rows);
}

int
store_alert_get(struct vg_store *s, int64_t id, json_t **alert)
{
	const struct store_val b[] = { SV_INT(id) };
	json_t *a = NULL, *ev = NULL;
	int r;

	*alert = NULL;
	if ((r = store_query_one(s, q_alert_get, b, 1, &a)) != VG_OK)
		return r;
	if ((r = store_query(s, q_alert_events, b, 1, 0, &ev)) != VG_OK) {
		json_decref(a);
		return r;
	}
	json_object_set_new(a, "events", ev);
	*alert = a;
	return VG_OK;
}

static const char q_action_add[] =
	"INSERT INTO actions(kind, target, status, actor, alert_id, created_at, done_at, result)"
	" VALUES($1, $2, $3, $4, $5, $6, $6, $7)";

int
store_action_add(struct vg_store *s, const char *kind, const char *target, const char *status,
    const char *actor, int64_t alert_id, const char *result)
{
	const struct store_val b[] = { SV_TEXT(kind), SV_TEXT(target ? target : ""),
		SV_TEXT(status), SV_TEXT(actor), alert_id > 0 ? SV_INT(alert_id) : SV_NULL,
		SV_INT(vg_now_us()), SV_TEXT(result) };
	return store_exec(s, q_action_add, b, sizeof(b) / sizeof(b[0]), NULL, NULL);
}
