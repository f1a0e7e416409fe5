/* Record kind "alerts": alerts and the raw events kept as their evidence. */
#ifndef VG_STORE_ALERTS_H
#define VG_STORE_ALERTS_H

#include "core/event.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct vg_store;

/* Saves an alert; sets a->id. Strings are copied. */
int store_alert_add(struct vg_store *st, struct vg_alert *a);
/* Updates a saved alert's count and last-seen time (its window grew). */
int store_alert_update(struct vg_store *st, const struct vg_alert *a);
/* Keeps one raw event as evidence for alert_id (raw may hold any bytes). */
int store_alert_event_add(struct vg_store *st, int64_t alert_id, int64_t ts_us, const char *raw,
    size_t raw_len);

/* Calls fn for each alert with id > after_id, oldest first, at most limit rows
 * (0 = no limit). fn gets a JSON object it must not keep; a non-zero return
 * from fn stops the walk and is returned. */
typedef int (*store_alert_fn)(json_t *alert, void *arg);
int store_alerts_each(struct vg_store *st, int64_t after_id, size_t limit, store_alert_fn fn,
    void *arg);

/* What `vigil alerts` selects; zero/NULL fields do not filter. */
struct store_alert_filter {
	int64_t since_us;		/* last seen at or after */
	const char *rule_glob;		/* SQL GLOB on rule_id, e.g. "http.sqli.*" */
	const char *source_ip;		/* exact */
	int min_severity;		/* enum vg_severity: this or worse */
	size_t limit;			/* 0 = no limit */
};
/* The alerts f selects, newest (last seen) first, as a new JSON array of objects
 * (id, rule_id, title, category, mitre, severity, source_ip, sensor, count,
 * first_seen, last_seen in µs, field, matched, evidence); caller decrefs. */
int store_alerts_find(struct vg_store *st, const struct store_alert_filter *f, json_t **rows);
/* Alert id as one such object plus "events": [{ts, raw}...] (its evidence lines,
 * oldest first); VG_ERR_NOTFOUND if there is no such alert. Caller decrefs. */
int store_alert_get(struct vg_store *st, int64_t id, json_t **alert);

/* Records an action vigil took for alert_id (0 = none) in the actions table: kind
 * "restore", "quarantine", ...; status "done" or "failed"; target the path or
 * address; result free text (may be NULL). src/cases links it to the alert's
 * incident once the alert is filed. Strings are copied. */
int store_action_add(struct vg_store *st, const char *kind, const char *target,
    const char *status, const char *actor, int64_t alert_id, const char *result);

#endif
