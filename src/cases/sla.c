/* SLA clocks per severity (sla.<severity>.ack / .dispose, counted from when the
 * incident was opened) and escalation: an item whose clock ran out goes to the
 * next person in the duty roster's escalation order, and its clock restarts so
 * a still-ignored item keeps climbing. Notices escalate on their deadline. */
#include "cases/cases_int.h"
#include "cases/sql_sla.h"
#include "core/err.h"

#include <stdio.h>

#define NOTICE_REPEAT_US (3600LL * 1000000)	/* an overdue notice is re-raised hourly */

void
cases_sla_due(const struct vg_config *cfg, int severity, enum cases_state state,
    int64_t created_us, int64_t *due_us)
{
	const struct vg_sla_cfg *c;

	*due_us = 0;
	if (severity < VG_SEV_INFO)
		severity = VG_SEV_INFO;
	if (severity > VG_SEV_CRITICAL)
		severity = VG_SEV_CRITICAL;
	c = &cfg->sla[severity];
	if (state == CASES_NEW && c->ack)
		*due_us = created_us + c->ack * 1000000LL;
	else if ((state == CASES_ACKNOWLEDGED || state == CASES_VERIFIED) && c->dispose)
		*due_us = created_us + c->dispose * 1000000LL;
}

/* The person an item at escalation level `level` goes to: the roster in order,
 * the last one keeps it once the list runs out. Borrowed from duty; may be NULL. */
static json_t *
escalation_target(json_t *duty, int64_t level)
{
	size_t n = json_array_size(duty);

	if (n == 0)
		return NULL;
	return json_array_get(duty, (size_t)level < n ? (size_t)level : n - 1);
}

static void
tell_escalation(struct cases *cs, const char *kind, int64_t id, json_t *row, int64_t level,
    json_t *who)
{
	char key[96];
	json_t *msg = json_deep_copy(row);
	int sev = (int)json_integer_value(json_object_get(row, "severity"));

	if (!msg)
		return;
	json_object_set_new(msg, "record", json_string(kind));
	json_object_set_new(msg, "escalation", json_integer(level));
	if (who) {
		json_object_set(msg, "recipient", json_object_get(who, "person"));
		json_object_set(msg, "contact", json_object_get(who, "contact"));
	}
	cases_json_severity(msg, "severity");
	snprintf(key, sizeof(key), "%s-%lld-escalation-%lld", kind, (long long)id, (long long)level);
	cases_tell(cs, "escalation", sev, key, msg);
	json_decref(msg);
}

static int
escalate_incident(struct cases *cs, json_t *row, json_t *duty, int64_t now)
{
	int64_t id = json_integer_value(json_object_get(row, "id"));
	int64_t level = json_integer_value(json_object_get(row, "escalation")) + 1;
	int sev = (int)json_integer_value(json_object_get(row, "severity"));
	const char *state = json_string_value(json_object_get(row, "state"));
	enum cases_state s = CASES_NEW;
	int64_t due = 0, len;
	json_t *who = escalation_target(duty, level);
	const char *person = who ? json_string_value(json_object_get(who, "person")) : NULL;
	char note[256];
	int r;

	cases_state_parse(state, &s);
	/* Restart the same clock from now, so the next escalation waits as long. */
	cases_sla_due(cs->cfg, sev, s, 0, &len);
	due = len ? now + len : 0;
	snprintf(note, sizeof(note), "overdue while %s: escalated to %s (level %lld)", state,
	    person ? person : "nobody on duty", (long long)level);
	if ((r = store_begin(cs->st)) != VG_OK)
		return r;
	struct store_val b[] = { due ? SV_INT(due) : SV_NULL, SV_INT(now), SV_INT(id) };
	struct store_val h[] = { SV_INT(id), SV_INT(now), SV_TEXT(state), SV_TEXT(state),
		SV_TEXT(note) };
	if ((r = store_exec(cs->st, SQL_INC_ESCALATE, b, 3, NULL, NULL)) != VG_OK ||
	    (r = store_exec(cs->st, SQL_INC_HISTORY_ADD_SLA, h, 5, NULL, NULL)) != VG_OK ||
	    (r = cases_audit(cs, "vigil", "incident.escalate", "incident %lld: %s", (long long)id,
		 note)) != VG_OK ||
	    (r = store_commit(cs->st)) != VG_OK)
		return cases_fail(cs, r);
	tell_escalation(cs, "incident", id, row, level, who);
	return VG_OK;
}

static int
escalate_notice(struct cases *cs, json_t *row, json_t *duty, int64_t now)
{
	int64_t id = json_integer_value(json_object_get(row, "id"));
	int64_t level = json_integer_value(json_object_get(row, "escalation")) + 1;
	json_t *who = escalation_target(duty, level);
	const char *person = who ? json_string_value(json_object_get(who, "person")) : NULL;
	char note[256];
	int r;

	snprintf(note, sizeof(note), "deadline passed: escalated to %s (level %lld)",
	    person ? person : "nobody on duty", (long long)level);
	if ((r = store_begin(cs->st)) != VG_OK)
		return r;
	struct store_val h[] = { SV_INT(id), SV_INT(now), SV_TEXT(note) };
	if ((r = store_exec(cs->st, SQL_NOTICE_ESCALATE, (struct store_val[]){ SV_INT(id) }, 1,
		 NULL, NULL)) != VG_OK ||
	    (r = store_exec(cs->st, SQL_NOTICE_HISTORY_SLA, h, 3, NULL, NULL)) != VG_OK ||
	    (r = cases_audit(cs, "vigil", "notice.escalate", "notice %lld: %s", (long long)id,
		 note)) != VG_OK ||
	    (r = store_commit(cs->st)) != VG_OK)
		return cases_fail(cs, r);
	cases_json_time(row, "deadline");
	tell_escalation(cs, "notice", id, row, level, who);
	return VG_OK;
}

int
cases_sla_check(struct cases *cs, int64_t now_us, size_t *n)
{
	json_t *duty = NULL, *rows = NULL, *row;
	size_t i, done = 0;
	int r;

	if (n)
		*n = 0;
	if ((r = cases_duty_now(cs, now_us, &duty)) != VG_OK)
		return r;
	if ((r = store_query(cs->st, SQL_INC_OVERDUE, (struct store_val[]){ SV_INT(now_us) }, 1, 0,
		 &rows)) != VG_OK)
		goto out;
	json_array_foreach(rows, i, row) {
		if ((r = escalate_incident(cs, row, duty, now_us)) != VG_OK)
			goto out;
		done++;
	}
	json_decref(rows);
	struct store_val b[] = { SV_INT(now_us), SV_INT(NOTICE_REPEAT_US), SV_INT(now_us) };
	if ((r = store_query(cs->st, SQL_NOTICE_OVERDUE, b, 3, 0, &rows)) != VG_OK)
		goto out;
	json_array_foreach(rows, i, row) {
		if ((r = escalate_notice(cs, row, duty, now_us)) != VG_OK)
			goto out;
		done++;
	}
out:
	json_decref(rows);
	json_decref(duty);
	if (n)
		*n = done;
	return r;
}

int
cases_incident_summary(struct cases *cs, int64_t now_us, size_t limit, json_t **out)
{
	static const char *const sev_names[] = { "info", "low", "medium", "high", "critical" };
	json_t *o = json_object(), *by_sev = json_object(), *by_state = json_object();
	json_t *rows = NULL, *row, *due = NULL;
	int64_t open = 0, overdue = 0;
	size_t i;
	int r;

	*out = NULL;
	if (!o || !by_sev || !by_state) {
		r = VG_ERR_NOMEM;
		goto out;
	}
	for (size_t s = 0; s < 5; s++)
		json_object_set_new(by_sev, sev_names[s], json_integer(0));
	if ((r = store_query(cs->st, SQL_INC_SUMMARY, (struct store_val[]){ SV_INT(now_us) }, 1,
		 0, &rows)) != VG_OK)
		goto out;
	json_array_foreach(rows, i, row) {
		int64_t sev = json_integer_value(json_object_get(row, "severity"));
		int64_t n = json_integer_value(json_object_get(row, "n"));
		const char *st = json_string_value(json_object_get(row, "state"));
		const char *sn = sev_names[sev < 0 ? 0 : sev > 4 ? 4 : sev];
		json_object_set_new(by_sev, sn,
		    json_integer(json_integer_value(json_object_get(by_sev, sn)) + n));
		if (st)
			json_object_set_new(by_state, st, json_integer(n +
			    json_integer_value(json_object_get(by_state, st))));
		open += n;
		overdue += json_integer_value(json_object_get(row, "overdue"));
	}
	if ((r = store_query(cs->st, SQL_INC_URGENT,
		 (struct store_val[]){ SV_INT((int64_t)(limit ? limit : 5)) }, 1, 0, &due)) != VG_OK)
		goto out;
	json_array_foreach(due, i, row) {
		int64_t at = json_integer_value(json_object_get(row, "due_at"));
		json_object_set_new(row, "due_in_s", json_integer((at - now_us) / 1000000));
		json_object_set_new(row, "overdue", json_boolean(at <= now_us));
		cases_json_severity(row, "severity");
		cases_json_time(row, "due_at");
	}
	json_object_set_new(o, "open", json_integer(open));
	json_object_set_new(o, "overdue", json_integer(overdue));
	json_object_set_new(o, "by_severity", by_sev);
	json_object_set_new(o, "by_state", by_state);
	json_object_set_new(o, "due", due);
	by_sev = by_state = due = NULL;
	*out = o;
	o = NULL;
out:
	json_decref(o);
	json_decref(by_sev);
	json_decref(by_state);
	json_decref(due);
	json_decref(rows);
	return r;
}
