/* The duty workflow under /api/ (docs/api.md): incidents and their steps, false
 * positive suppressions, notices (add, import, close) and the duty roster. Every
 * handler validates its body here and calls src/cases, which writes the record's
 * history and the audit log as the session's user in one transaction. */
#include "web/web_int.h"
#include "cases/cases.h"
#include "core/err.h"
#include "core/event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX 4000	/* comments, feedback, notes, notice details */
#define LINE_MAX_ 256	/* names, references, titles, targets */

/* Answers for a workflow error: the state machine's refusal is a conflict. */
static void
cases_failed(struct web_req *rq, int r, const char *what)
{
	if (r == VG_ERR_NOTFOUND) {
		web_error(rq, 404, "not_found", "no such record");
	} else if (r == VG_ERR_INVAL) {
		web_error(rq, 409, "bad_state", what);
	} else if (r == VG_ERR_BUSY) {
		web_error(rq, 503, "busy", "the store is busy; retry");
	} else {
		vg_warn(rq->w->log, "console: %s %s: %s", rq->method, rq->path, vg_strerror(r));
		web_error(rq, 500, "store", "the store failed");
	}
}

/* String member key of body: absent or null gives *out NULL (a 400 when
 * required); otherwise a string of 1..max bytes without NUL bytes. */
static bool
body_str(struct web_req *rq, json_t *body, const char *key, size_t max, bool required,
    const char **out)
{
	json_t *v = json_object_get(body, key);
	char msg[160];

	*out = NULL;
	if (!v || json_is_null(v)) {
		if (!required)
			return true;
		snprintf(msg, sizeof(msg), "'%s' is required", key);
	} else if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > max || strlen(json_string_value(v)) != json_string_length(v)) {
		snprintf(msg, sizeof(msg), "'%s' must be text of 1 to %zu bytes", key, max);
	} else {
		*out = json_string_value(v);
		return true;
	}
	web_error(rq, 400, "bad_argument", msg);
	return false;
}

/* Integer member key in [min, max], def when absent. */
static bool
body_int(struct web_req *rq, json_t *body, const char *key, long long min, long long max,
    long long def, long long *out)
{
	json_t *v = json_object_get(body, key);
	char msg[160];

	*out = def;
	if (!v || json_is_null(v))
		return true;
	if (json_is_integer(v) && json_integer_value(v) >= min && json_integer_value(v) <= max) {
		*out = json_integer_value(v);
		return true;
	}
	snprintf(msg, sizeof(msg), "'%s' must be an integer from %lld to %lld", key, min, max);
	web_error(rq, 400, "bad_argument", msg);
	return false;
}

/* A time member ("now", "+2h", "YYYY-MM-DD HH:MM", RFC 3339); 0 when absent. */
static bool
body_time(struct web_req *rq, json_t *body, const char *key, bool required, int64_t *us)
{
	const char *s;
	char msg[160];

	*us = 0;
	if (!body_str(rq, body, key, 64, required, &s))
		return false;
	if (!s || cases_parse_time(s, vg_now_us(), us) == VG_OK)
		return true;
	snprintf(msg, sizeof(msg), "'%s' must be a time: YYYY-MM-DD HH:MM, RFC 3339 or +2h", key);
	web_error(rq, 400, "bad_argument", msg);
	return false;
}

void
api_incidents_list(struct web_req *rq)
{
	long long limit, before, sev;
	const char *state = web_arg(rq, "state"), *all = web_arg(rq, "all");
	struct cases_filter f = { 0 };
	enum cases_state s;
	json_t *arr = NULL;
	int r;

	if (!web_arg_int(rq, "limit", 1, 500, 50, &limit) ||
	    !web_arg_int(rq, "before", 1, INT64_MAX, 0, &before) ||
	    !web_arg_int(rq, "severity", 0, 4, 0, &sev))
		return;
	if (state && cases_state_parse(state, &s) != VG_OK) {
		web_error(rq, 400, "bad_argument", "'state' must be new, acknowledged, verified, "
		    "disposed, feedback or closed");
		return;
	}
	f.state = state;
	f.all = all && strcmp(all, "1") == 0;
	f.min_severity = (int)sev;
	f.limit = (size_t)limit;
	f.before_id = before;
	if ((r = cases_incident_list(rq->w->cs, &f, &arr)) != VG_OK) {
		cases_failed(rq, r, "bad filter");
		return;
	}
	rq->out = json_pack("{s:o}", "incidents", arr);
	web_next_before(rq, arr, limit);
}

void
api_incident_get(struct web_req *rq)
{
	json_t *o = NULL;
	int r = cases_incident_get(rq->w->cs, rq->id, &o);

	if (r != VG_OK) {
		cases_failed(rq, r, "");
		return;
	}
	rq->out = o;
}

/* POST /api/incidents/{id}/{step}: the step is the last path segment. */
void
api_incident_step(struct web_req *rq)
{
	static const struct { const char *name; enum cases_action act; } steps[] = {
		{ "ack", CASES_ACK }, { "verify", CASES_VERIFY }, { "dispose", CASES_DISPOSE },
		{ "feedback", CASES_FEEDBACK_GIVEN }, { "close", CASES_CLOSE },
	};
	static const char *const kinds[] = { "restore", "quarantine", "block", "other" };
	const char *verb = strrchr(rq->path, '/') + 1, *verdict = NULL, *path = NULL;
	struct cases_step step = { .actor = rq->sess.user };
	enum cases_action act = CASES_ACK;
	bool found = false, suppress = false;
	long long expires = 0;
	int64_t sid = 0;
	json_t *body;
	int r;

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (strcmp(verb, steps[i].name) == 0) {
			act = steps[i].act;
			found = true;
		}
	if (!found) {
		web_error(rq, 404, "not_found", "no such API endpoint");
		return;
	}
	if (!(body = web_body_json(rq)))
		return;
	if (!body_str(rq, body, "comment", TEXT_MAX, false, &step.comment))
		goto out;
	if (act == CASES_VERIFY) {
		json_t *s = json_object_get(body, "suppress");
		if (!body_str(rq, body, "verdict", 32, true, &verdict) ||
		    !body_str(rq, body, "path", 4096, false, &path) ||
		    !body_int(rq, body, "expires", 60, 366LL * 86400, 0, &expires))
			goto out;
		if (cases_verdict_parse(verdict, &step.verdict) != VG_OK) {
			web_error(rq, 400, "bad_argument", "'verdict' must be tp or fp");
			goto out;
		}
		if (s && !json_is_boolean(s)) {
			web_error(rq, 400, "bad_argument", "'suppress' must be true or false");
			goto out;
		}
		suppress = json_is_true(s);
		if (suppress && step.verdict != CASES_FALSE_POSITIVE) {
			web_error(rq, 400, "bad_argument", "only a false positive becomes a suppression");
			goto out;
		}
	} else if (act == CASES_DISPOSE) {
		bool known = false;
		if (!body_str(rq, body, "action", 32, true, &step.action) ||
		    !body_str(rq, body, "target", 4096, false, &step.target) ||
		    !body_str(rq, body, "result", TEXT_MAX, false, &step.result))
			goto out;
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			known |= strcmp(step.action, kinds[i]) == 0;
		if (!known) {
			web_error(rq, 400, "bad_argument",
			    "'action' must be restore, quarantine, block or other");
			goto out;
		}
	} else if (act == CASES_FEEDBACK_GIVEN) {
		if (!body_str(rq, body, "feedback", TEXT_MAX, true, &step.feedback))
			goto out;
	}
	if ((r = cases_incident_transition(rq->w->cs, rq->id, act, &step)) != VG_OK) {
		cases_failed(rq, r, "the incident's state does not allow this step");
		goto out;
	}
	if (suppress && (r = cases_suppress(rq->w->cs, rq->id, NULL, path, expires, rq->sess.user,
	    step.comment, &sid)) != VG_OK) {
		cases_failed(rq, r, "verified, but the suppression needs a source IP or a path");
		goto out;
	}
	if ((r = cases_incident_get(rq->w->cs, rq->id, &rq->out)) != VG_OK) {
		cases_failed(rq, r, "");
		goto out;
	}
	if (sid)
		json_object_set_new(rq->out, "suppression_id", json_integer(sid));
out:
	json_decref(body);
}

void
api_suppressions_list(struct web_req *rq)
{
	json_t *arr = NULL;
	int r = cases_suppression_list(rq->w->cs, &arr);

	if (r != VG_OK) {
		cases_failed(rq, r, "");
		return;
	}
	rq->out = json_pack("{s:o}", "suppressions", arr);
}

void
api_notices_list(struct web_req *rq)
{
	const char *all = web_arg(rq, "all");
	json_t *arr = NULL;
	int r = cases_notice_list(rq->w->cs, all && strcmp(all, "1") == 0, &arr);

	if (r != VG_OK) {
		cases_failed(rq, r, "");
		return;
	}
	rq->out = json_pack("{s:o}", "notices", arr);
}

void
api_notice_get(struct web_req *rq)
{
	json_t *o = NULL;
	int r = cases_notice_get(rq->w->cs, rq->id, &o);

	if (r != VG_OK) {
		cases_failed(rq, r, "");
		return;
	}
	rq->out = o;
}

void
api_notice_add(struct web_req *rq)
{
	struct cases_notice n = { 0 };
	const char *sev = NULL;
	enum vg_severity s = VG_SEV_MEDIUM;
	int64_t id = 0;
	json_t *body;
	int r;

	if (!(body = web_body_json(rq)))
		return;
	if (!body_str(rq, body, "kind", 32, true, &n.kind) ||
	    !body_str(rq, body, "ref", LINE_MAX_, true, &n.ref) ||
	    !body_str(rq, body, "title", LINE_MAX_, true, &n.title) ||
	    !body_str(rq, body, "asset", LINE_MAX_, true, &n.asset) ||
	    !body_str(rq, body, "severity", 16, false, &sev) ||
	    !body_str(rq, body, "owner", LINE_MAX_, false, &n.owner) ||
	    !body_time(rq, body, "deadline", false, &n.deadline_us) ||
	    !body_str(rq, body, "required_feedback", TEXT_MAX, false, &n.required_feedback) ||
	    !body_str(rq, body, "issuer", LINE_MAX_, false, &n.issuer) ||
	    !body_str(rq, body, "detail", TEXT_MAX, false, &n.detail))
		goto out;
	if (sev && vg_severity_parse(sev, &s) != VG_OK) {
		web_error(rq, 400, "bad_argument", "'severity' must be info, low, medium, high or "
		    "critical");
		goto out;
	}
	n.severity = (int)s;
	if ((r = cases_notice_add(rq->w->cs, &n, rq->sess.user, &id)) != VG_OK) {
		cases_failed(rq, r, "kind must be vulnerability, incident or asset, and the "
		    "issuer's reference must be new");
		goto out;
	}
	if ((r = cases_notice_get(rq->w->cs, id, &rq->out)) != VG_OK)
		cases_failed(rq, r, "");
	else
		rq->status = 201;
out:
	json_decref(body);
}

void
api_notices_import(struct web_req *rq)
{
	const char *text = NULL;
	size_t added = 0, skipped = 0;
	char err[256];
	json_t *body;
	int r;

	if (!(body = web_body_json(rq)))
		return;
	if (!body_str(rq, body, "text", WEB_BODY_MAX, true, &text))
		goto out;
	r = cases_notice_import_text(rq->w->cs, text, strlen(text), "import", rq->sess.user,
	    &added, &skipped, err, sizeof(err));
	if (r == VG_ERR_PARSE || r == VG_ERR_INVAL) {
		web_error(rq, 400, "bad_import", err);
		goto out;
	}
	if (r != VG_OK) {
		cases_failed(rq, r, err);
		goto out;
	}
	rq->out = json_pack("{s:I, s:I}", "added", (json_int_t)added, "skipped",
	    (json_int_t)skipped);
out:
	json_decref(body);
}

void
api_notice_close(struct web_req *rq)
{
	const char *verdict = NULL, *note = NULL;
	char *feedback = NULL;
	json_t *body;
	int r;

	if (!(body = web_body_json(rq)))
		return;
	if (!body_str(rq, body, "verdict", 32, true, &verdict) ||
	    !body_str(rq, body, "note", TEXT_MAX, false, &note))
		goto out;
	if ((r = cases_notice_close(rq->w->cs, rq->id, verdict, note, rq->sess.user,
	    &feedback)) != VG_OK) {
		cases_failed(rq, r, "the verdict must be fixed, mitigated, not_affected or accepted, "
		    "and the notice open");
		goto out;
	}
	/* The closed notice carries the feedback text in "feedback". */
	if ((r = cases_notice_get(rq->w->cs, rq->id, &rq->out)) != VG_OK)
		cases_failed(rq, r, "");
out:
	free(feedback);
	json_decref(body);
}

void
api_duty_get(struct web_req *rq)
{
	json_t *now = NULL, *shifts = NULL, *notes = NULL;
	int r;

	if ((r = cases_duty_now(rq->w->cs, vg_now_us(), &now)) != VG_OK ||
	    (r = cases_duty_list(rq->w->cs, &shifts)) != VG_OK ||
	    (r = cases_duty_handovers(rq->w->cs, 20, &notes)) != VG_OK) {
		json_decref(now);
		json_decref(shifts);
		cases_failed(rq, r, "");
		return;
	}
	rq->out = json_pack("{s:o, s:o, s:o}", "on_duty", now, "shifts", shifts, "handovers",
	    notes);
}

void
api_duty_shift_add(struct web_req *rq)
{
	struct cases_shift s = { 0 };
	long long order;
	int64_t id = 0;
	json_t *body, *daily;
	int r;

	if (!(body = web_body_json(rq)))
		return;
	daily = json_object_get(body, "daily");
	if (!body_str(rq, body, "person", 64, true, &s.person) ||
	    !body_str(rq, body, "contact", LINE_MAX_, false, &s.contact) ||
	    !body_time(rq, body, "from", true, &s.starts_us) ||
	    !body_time(rq, body, "to", true, &s.ends_us) ||
	    !body_int(rq, body, "order", 0, 100, 0, &order))
		goto out;
	if (daily && !json_is_boolean(daily)) {
		web_error(rq, 400, "bad_argument", "'daily' must be true or false");
		goto out;
	}
	s.daily = json_is_true(daily);
	s.order = (int)order;
	if ((r = cases_duty_add(rq->w->cs, &s, rq->sess.user, &id)) != VG_OK) {
		cases_failed(rq, r, "'to' must be after 'from' (a daily shift at most 24 h)");
		goto out;
	}
	rq->status = 201;
	rq->out = json_pack("{s:I}", "id", (json_int_t)id);
out:
	json_decref(body);
}

void
api_duty_handover(struct web_req *rq)
{
	const char *from = NULL, *to = NULL, *note = NULL;
	json_t *body;
	int r;

	if (!(body = web_body_json(rq)))
		return;
	if (!body_str(rq, body, "from", 64, false, &from) ||
	    !body_str(rq, body, "to", 64, true, &to) ||
	    !body_str(rq, body, "note", TEXT_MAX, true, &note))
		goto out;
	if ((r = cases_duty_handover(rq->w->cs, from ? from : rq->sess.user, to, note,
	    rq->sess.user)) != VG_OK) {
		cases_failed(rq, r, "a handover needs who takes over and a note");
		goto out;
	}
	rq->status = 201;
	rq->out = json_pack("{s:b}", "ok", 1);
out:
	json_decref(body);
}
