/* Disposal actions vigil took by itself, linked to incidents: the web-root guard's
 * restores and quarantines and the blocker's blocks are rows of the store's actions
 * table naming the alert they answered (core/store_alerts.h: store_action_add,
 * respond/block_store.c). Once that alert is filed into an incident, the action is
 * added to the incident's actions and history. A cursor ("actions") remembers the
 * last row looked at; it moves in the same transaction as the links it made, so a
 * restart neither loses nor repeats one. */
#include "cases/cases_int.h"
#include "core/err.h"

#include <stdio.h>

static const char SQL_ACTIONS_AFTER[] =
    "SELECT id, kind, target, status, actor, alert_id, created_at, result FROM actions"
    " WHERE id > ? ORDER BY id LIMIT ?";

#define LINK_BATCH 200

static const char *
jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int64_t
jint(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* Links one action row if its alert is filed. *wait is set when the alert is not
 * filed yet (the walk must stop there and come back). */
static int
link_one(struct cases *cs, const json_t *row, int64_t filed_upto, bool *wait, size_t *n)
{
	int64_t alert = jint(row, "alert_id"), inc = 0;
	const char *status = jstr(row, "status"), *res = jstr(row, "result");
	char result[512];
	int r;

	*wait = false;
	if (alert <= 0)
		return VG_OK;	/* taken by hand, not for an alert */
	if ((r = cases_alert_incident(cs, alert, &inc)) == VG_ERR_NOTFOUND) {
		*wait = alert > filed_upto;	/* else suppressed: no incident to link */
		return VG_OK;
	}
	if (r != VG_OK)
		return r;
	snprintf(result, sizeof(result), "%s%s%s (alert %lld)", status ? status : "",
	    res ? ": " : "", res ? res : "", (long long)alert);
	if ((r = cases_incident_link_tx(cs, inc, jstr(row, "kind"), jstr(row, "target"),
	    jstr(row, "actor") ? jstr(row, "actor") : "vigil", result, jint(row, "created_at"))) ==
	    VG_OK)
		(*n)++;
	return r;
}

int
cases_link_pending_actions(struct cases *cs, size_t *n)
{
	int64_t after = 0, filed = 0;
	size_t linked = 0;
	json_t *rows = NULL, *row;
	int r;

	if (n)
		*n = 0;
	if ((r = cases_cursor_get(cs, "actions", &after)) != VG_OK ||
	    (r = cases_cursor_get(cs, "alerts", &filed)) != VG_OK)
		return r;
	for (;;) {
		bool wait = false;
		size_t i, got;
		struct store_val b[] = { SV_INT(after), SV_INT(LINK_BATCH) };
		if ((r = store_query(cs->st, SQL_ACTIONS_AFTER, b, 2, 0, &rows)) != VG_OK)
			return r;
		if ((got = json_array_size(rows)) == 0)
			break;
		if ((r = store_begin(cs->st)) != VG_OK)
			break;
		json_array_foreach(rows, i, row) {
			if ((r = link_one(cs, row, filed, &wait, &linked)) != VG_OK || wait)
				break;
			after = jint(row, "id");
		}
		if (r == VG_OK)
			r = cases_cursor_set(cs, "actions", after);
		if (r == VG_OK)
			r = store_commit(cs->st);
		if (r != VG_OK) {
			cases_fail(cs, r);
			break;
		}
		json_decref(rows);
		rows = NULL;
		if (wait || got < LINK_BATCH)
			break;
	}
	json_decref(rows);
	if (n && r == VG_OK)
		*n = linked;
	return r;
}
