/* Private to cases/: the handle and the helpers every record kind shares. */
#ifndef VG_CASES_INT_H
#define VG_CASES_INT_H

#include "cases/cases.h"

#define CASES_GROUP_MAX 4

struct cases {
	struct vg_store *st;
	const struct vg_config *cfg;
	const struct vg_logger *log;
	cases_notify_fn notify;
	void *notify_arg;
	const char *group_by[CASES_GROUP_MAX];
	size_t n_group;
};

/* Replaces integer µs field `key` of obj by an RFC 3339 string (null stays null). */
void cases_json_time(json_t *obj, const char *key);
/* Replaces integer severity field `key` by its name. */
void cases_json_severity(json_t *obj, const char *key);
/* Appends to the audit log; detail is formatted. Errors are returned. */
int cases_audit(struct cases *cs, const char *actor, const char *action, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Rolls back after a failed step inside store_begin (keeps the first error). */
int cases_fail(struct cases *cs, int r);
/* Calls the notify hook if one is set. */
void cases_tell(struct cases *cs, const char *kind, int severity, const char *key,
    const json_t *msg);

/* Notices: validates n (0 or VG_ERR_INVAL); inserts inside the caller's
 * transaction (*dup true and nothing written when issuer+ref is tracked);
 * tells the hook about a new notice after commit. */
int cases_notice_check(const struct cases_notice *n);
int cases_notice_insert(struct cases *cs, const struct cases_notice *n, const char *actor,
    int64_t *id, bool *dup);
void cases_notice_announce(struct cases *cs, int64_t id);

/* Incidents, inside the caller's transaction: links an action to incident id
 * (incident_actions, history, audit) as of at (µs). */
int cases_incident_link_tx(struct cases *cs, int64_t id, const char *kind, const char *target,
    const char *actor, const char *result, int64_t at);
/* The incident alert_id was filed into; VG_ERR_NOTFOUND when none. */
int cases_alert_incident(struct cases *cs, int64_t alert_id, int64_t *incident_id);
/* Named cursors in cases_cursor (0 when never set). */
int cases_cursor_get(struct cases *cs, const char *name, int64_t *value);
int cases_cursor_set(struct cases *cs, const char *name, int64_t value);
/* link.c: links the actions vigil recorded for alerts (restore, quarantine,
 * block rows of the actions table) to the incidents those alerts belong to;
 * called after alerts are filed. *n (may be NULL) gets how many. */
int cases_link_pending_actions(struct cases *cs, size_t *n);

#endif
