/* Incidents: grouping alerts by a configurable key within a time window, and the
 * state machine new → acknowledged → verified → disposed → feedback → closed.
 * Each transition writes the row, its history line and the audit line in one
 * transaction, so the history can never disagree with the state. */
#include "cases/cases_int.h"
#include "cases/sql_incident.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_names[] = { "new", "acknowledged", "verified", "disposed",
	"feedback", "closed" };
static const char *const action_names[] = { "ack", "verify", "dispose", "feedback", "close" };
static const char *const verdict_names[] = { "none", "true_positive", "false_positive" };
#define N_OF(a) (sizeof(a) / sizeof(a[0]))

const char *
cases_state_name(enum cases_state s)
{
	return (size_t)s < N_OF(state_names) ? state_names[s] : "?";
}

const char *
cases_action_name(enum cases_action a)
{
	return (size_t)a < N_OF(action_names) ? action_names[a] : "?";
}

const char *
cases_verdict_name(enum cases_verdict v)
{
	return (size_t)v < N_OF(verdict_names) ? verdict_names[v] : "?";
}

int
cases_state_parse(const char *s, enum cases_state *out)
{
	for (size_t i = 0; s && i < N_OF(state_names); i++)
		if (strcmp(s, state_names[i]) == 0) {
			*out = (enum cases_state)i;
			return VG_OK;
		}
	return VG_ERR_INVAL;
}

int
cases_verdict_parse(const char *s, enum cases_verdict *out)
{
	if (!s)
		return VG_ERR_INVAL;
	if (strcmp(s, "tp") == 0 || strcmp(s, "true_positive") == 0)
		*out = CASES_TRUE_POSITIVE;
	else if (strcmp(s, "fp") == 0 || strcmp(s, "false_positive") == 0)
		*out = CASES_FALSE_POSITIVE;
	else
		return VG_ERR_INVAL;
	return VG_OK;
}

int
cases_next_state(enum cases_state from, enum cases_action act, enum cases_verdict verdict,
    enum cases_state *to)
{
	bool fp = verdict == CASES_FALSE_POSITIVE;

	switch (act) {
	case CASES_ACK:
		if (from != CASES_NEW)
			return VG_ERR_INVAL;
		*to = CASES_ACKNOWLEDGED;
		return VG_OK;
	case CASES_VERIFY:
		if (from != CASES_ACKNOWLEDGED || verdict == CASES_VERDICT_NONE)
			return VG_ERR_INVAL;
		*to = CASES_VERIFIED;
		return VG_OK;
	case CASES_DISPOSE:
		if (verdict != CASES_TRUE_POSITIVE ||
		    (from != CASES_VERIFIED && from != CASES_DISPOSED))
			return VG_ERR_INVAL;
		*to = CASES_DISPOSED;
		return VG_OK;
	case CASES_FEEDBACK_GIVEN:
		if (from != CASES_DISPOSED && !(from == CASES_VERIFIED && fp))
			return VG_ERR_INVAL;
		*to = CASES_FEEDBACK;
		return VG_OK;
	case CASES_CLOSE:
		if (from != CASES_FEEDBACK && !(from == CASES_VERIFIED && fp))
			return VG_ERR_INVAL;
		*to = CASES_CLOSED;
		return VG_OK;
	}
	return VG_ERR_INVAL;
}

static const char *
group_value(const struct vg_alert *a, const char *field)
{
	if (strcmp(field, "source_ip") == 0)
		return a->source_ip;
	if (strcmp(field, "sensor") == 0)
		return a->sensor;
	if (strcmp(field, "family") == 0)
		return a->category ? a->category : a->rule_id;
	if (strcmp(field, "rule") == 0)
		return a->rule_id;
	return NULL;
}

int
cases_group_key(const struct cases *cs, const struct vg_alert *a, char *buf, size_t size)
{
	size_t len = 0;

	if (size == 0)
		return VG_ERR_LIMIT;
	buf[0] = '\0';
	for (size_t i = 0; i < cs->n_group; i++) {
		const char *v = group_value(a, cs->group_by[i]);
		int n = snprintf(buf + len, size - len, "%s%s=%s", i ? "|" : "", cs->group_by[i],
		    v ? v : "");
		if (n < 0 || (size_t)n >= size - len)
			return VG_ERR_LIMIT;
		len += (size_t)n;
	}
	return VG_OK;
}

static int
lookup_int(struct cases *cs, const char *sql, const struct store_val *b, size_t n,
    const char *col, int64_t *out)
{
	json_t *row = NULL;
	int r = store_query_one(cs->st, sql, b, n, &row);

	*out = 0;
	if (r == VG_OK)
		*out = json_integer_value(json_object_get(row, col));
	json_decref(row);
	return r;
}

static int
history_add(struct cases *cs, int64_t id, int64_t now, const char *actor, const char *action,
    const char *from, const char *to, const char *comment)
{
	struct store_val b[] = { SV_INT(id), SV_INT(now), SV_TEXT(actor), SV_TEXT(action),
		SV_TEXT(from), SV_TEXT(to), SV_TEXT(comment) };
	return store_exec(cs->st, SQL_INC_HISTORY_ADD, b, N_OF(b), NULL, NULL);
}

/* Inserts a new incident for alert a; *id gets it. Inside the caller's transaction. */
static int
incident_create(struct cases *cs, const struct vg_alert *a, const char *key, int64_t now,
    int64_t *id)
{
	char title[512];
	int64_t due = 0;
	const char *family = a->category ? a->category : a->rule_id;
	int r;

	snprintf(title, sizeof(title), "%s%s%s", a->title ? a->title : a->rule_id,
	    a->source_ip[0] ? " from " : "", a->source_ip);
	cases_sla_due(cs->cfg, (int)a->severity, CASES_NEW, now, &due);
	struct store_val b[] = { SV_TEXT(key), SV_TEXT(title), SV_INT(a->severity),
		SV_TEXT(a->source_ip[0] ? a->source_ip : NULL), SV_TEXT(a->sensor),
		SV_TEXT(family), SV_TEXT(a->rule_id), SV_INT(a->count ? a->count : 1),
		SV_INT(a->first_seen_us), SV_INT(a->last_seen_us ? a->last_seen_us : a->first_seen_us),
		SV_INT(now), SV_INT(now), due ? SV_INT(due) : SV_NULL };
	if ((r = store_exec(cs->st, SQL_INC_INSERT, b, N_OF(b), id, NULL)) != VG_OK)
		return r;
	if ((r = history_add(cs, *id, now, "vigil", "create", NULL, "new", title)) != VG_OK)
		return r;
	return cases_audit(cs, "vigil", "incident.create", "incident %lld: %s", (long long)*id,
	    title);
}

int
cases_ingest_alert(struct cases *cs, const struct vg_alert *a, int64_t *incident_id)
{
	char key[1024];
	int64_t id = 0, now = vg_now_us(), window_us = cs->cfg->cases.window * 1000000LL;
	bool hit = false, created = false;
	int r;

	*incident_id = 0;
	if (!a->id || !a->rule_id)
		return VG_ERR_INVAL;
	if ((r = lookup_int(cs, SQL_INC_LINKED, (struct store_val[]){ SV_INT(a->id) }, 1,
		 "incident_id", &id)) == VG_OK) {
		*incident_id = id;
		return VG_OK;
	}
	if (r != VG_ERR_NOTFOUND)
		return r;
	if ((r = cases_suppressed(cs, a->rule_id, a->source_ip[0] ? a->source_ip : NULL,
		 a->matched, &hit)) != VG_OK || hit)
		return r;
	if ((r = cases_group_key(cs, a, key, sizeof(key))) != VG_OK)
		return r;
	if ((r = store_begin(cs->st)) != VG_OK)
		return r;
	struct store_val find[] = { SV_TEXT(key), SV_INT(a->first_seen_us - window_us) };
	r = lookup_int(cs, SQL_INC_FIND_OPEN, find, N_OF(find), "id", &id);
	if (r == VG_OK) {
		struct store_val grow[] = { SV_INT(a->count ? a->count : 1),
			SV_INT(a->last_seen_us ? a->last_seen_us : a->first_seen_us),
			SV_INT(a->severity), SV_INT(now), SV_INT(id) };
		r = store_exec(cs->st, SQL_INC_GROW, grow, N_OF(grow), NULL, NULL);
	} else if (r == VG_ERR_NOTFOUND) {
		r = incident_create(cs, a, key, now, &id);
		created = true;
	}
	if (r == VG_OK)
		r = store_exec(cs->st, SQL_INC_LINK, (struct store_val[]){ SV_INT(id), SV_INT(a->id) },
		    2, NULL, NULL);
	if (r != VG_OK)
		return cases_fail(cs, r);
	if ((r = store_commit(cs->st)) != VG_OK)
		return cases_fail(cs, r);
	*incident_id = id;
	if (created) {
		json_t *msg = NULL;
		char nkey[64];
		if (cases_incident_get(cs, id, &msg) == VG_OK) {
			snprintf(nkey, sizeof(nkey), "incident-%lld-new", (long long)id);
			cases_tell(cs, "incident", (int)a->severity, nkey, msg);
		}
		json_decref(msg);
	}
	return VG_OK;
}

static const char *
jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

int
cases_ingest_pending(struct cases *cs, size_t limit, size_t *n)
{
	int64_t after = 0;
	size_t done = 0;
	json_t *rows = NULL;
	int r;

	if (n)
		*n = 0;
	r = lookup_int(cs, SQL_CURSOR_GET, (struct store_val[]){ SV_TEXT("alerts") }, 1, "value",
	    &after);
	if (r != VG_OK && r != VG_ERR_NOTFOUND)
		return r;
	for (;;) {
		size_t batch = 500, i;
		json_t *row;
		if (limit && limit - done < batch)
			batch = limit - done;
		if (batch == 0)
			break;
		struct store_val b[] = { SV_INT(after), SV_INT(batch) };
		if ((r = store_query(cs->st, SQL_ALERTS_AFTER, b, 2, 0, &rows)) != VG_OK)
			return r;
		if (json_array_size(rows) == 0)
			break;
		json_array_foreach(rows, i, row) {
			struct vg_alert a = {
				.id = json_integer_value(json_object_get(row, "id")),
				.rule_id = jstr(row, "rule_id"),
				.title = jstr(row, "title"),
				.category = jstr(row, "category"),
				.severity = (enum vg_severity)json_integer_value(
				    json_object_get(row, "severity")),
				.sensor = jstr(row, "sensor"),
				.count = (uint64_t)json_integer_value(json_object_get(row, "count")),
				.first_seen_us = json_integer_value(json_object_get(row, "first_seen")),
				.last_seen_us = json_integer_value(json_object_get(row, "last_seen")),
				.field = jstr(row, "field"),
				.matched = jstr(row, "matched"),
			};
			int64_t inc;
			const char *ip = jstr(row, "source_ip");
			snprintf(a.source_ip, sizeof(a.source_ip), "%s", ip ? ip : "");
			if ((r = cases_ingest_alert(cs, &a, &inc)) != VG_OK)
				goto out;
			after = a.id;
			done++;
		}
		json_decref(rows);
		rows = NULL;
		struct store_val c[] = { SV_TEXT("alerts"), SV_INT(after) };
		if ((r = store_exec(cs->st, SQL_CURSOR_SET, c, 2, NULL, NULL)) != VG_OK)
			return r;
	}
	r = cases_link_pending_actions(cs, NULL);
out:
	if (r != VG_OK && done) {
		struct store_val c[] = { SV_TEXT("alerts"), SV_INT(after) };
		store_exec(cs->st, SQL_CURSOR_SET, c, 2, NULL, NULL);
	}
	json_decref(rows);
	if (n)
		*n = done;
	return r;
}

/* Turns a raw incident row into its published shape (times, severity names). */
static void
decorate(json_t *row, int64_t now)
{
	json_t *due = json_object_get(row, "due_at");
	json_object_set_new(row, "overdue",
	    json_boolean(json_is_integer(due) && json_integer_value(due) <= now));
	if (json_is_integer(due))
		json_object_set_new(row, "due_in_s",
		    json_integer((json_integer_value(due) - now) / 1000000));
	cases_json_severity(row, "severity");
	cases_json_time(row, "first_seen");
	cases_json_time(row, "last_seen");
	cases_json_time(row, "created_at");
	cases_json_time(row, "updated_at");
	cases_json_time(row, "due_at");
}

int
cases_incident_list(struct cases *cs, const struct cases_filter *f, json_t **out)
{
	struct cases_filter none = { 0 };
	int64_t before, limit, now = vg_now_us();
	json_t *row;
	size_t i;
	int r;

	*out = NULL;
	if (!f)
		f = &none;
	before = f->before_id > 0 ? f->before_id : INT64_MAX;
	limit = f->limit ? (int64_t)f->limit : 100;
	if (f->state) {
		enum cases_state s;
		if (cases_state_parse(f->state, &s) != VG_OK)
			return VG_ERR_INVAL;
		struct store_val b[] = { SV_TEXT(f->state), SV_INT(f->min_severity), SV_INT(before),
			SV_INT(limit) };
		r = store_query(cs->st, SQL_INC_LIST_STATE, b, N_OF(b), 0, out);
	} else {
		struct store_val b[] = { SV_INT(f->min_severity), SV_INT(before), SV_INT(limit) };
		r = store_query(cs->st, f->all ? SQL_INC_LIST_ALL : SQL_INC_LIST_OPEN, b, N_OF(b), 0,
		    out);
	}
	if (r != VG_OK)
		return r;
	json_array_foreach(*out, i, row)
		decorate(row, now);
	return VG_OK;
}

static int
attach(struct cases *cs, json_t *obj, const char *key, const char *sql, int64_t id,
    const char *const *times)
{
	json_t *rows = NULL, *row;
	size_t i;
	int r = store_query(cs->st, sql, (struct store_val[]){ SV_INT(id) }, 1, 0, &rows);

	if (r != VG_OK)
		return r;
	json_array_foreach(rows, i, row) {
		for (const char *const *t = times; *t; t++)
			cases_json_time(row, *t);
		cases_json_severity(row, "severity");
	}
	json_object_set_new(obj, key, rows);
	return VG_OK;
}

int
cases_incident_get(struct cases *cs, int64_t id, json_t **out)
{
	static const char *const hist_times[] = { "at", NULL };
	static const char *const alert_times[] = { "first_seen", "last_seen", NULL };
	json_t *row = NULL;
	int r;

	*out = NULL;
	if ((r = store_query_one(cs->st, SQL_INC_GET, (struct store_val[]){ SV_INT(id) }, 1,
		 &row)) != VG_OK)
		return r;
	decorate(row, vg_now_us());
	if ((r = attach(cs, row, "history", SQL_INC_HISTORY, id, hist_times)) != VG_OK ||
	    (r = attach(cs, row, "alerts", SQL_INC_ALERTS, id, alert_times)) != VG_OK ||
	    (r = attach(cs, row, "actions", SQL_INC_ACTIONS, id, hist_times)) != VG_OK) {
		json_decref(row);
		return r;
	}
	*out = row;
	return VG_OK;
}

static int
check_step(enum cases_action act, const struct cases_step *step)
{
	if (!step || !step->actor || !*step->actor)
		return VG_ERR_INVAL;
	if (act == CASES_VERIFY && step->verdict == CASES_VERDICT_NONE)
		return VG_ERR_INVAL;
	if (act == CASES_DISPOSE && (!step->action || !*step->action))
		return VG_ERR_INVAL;
	if (act == CASES_FEEDBACK_GIVEN && (!step->feedback || !*step->feedback))
		return VG_ERR_INVAL;
	return VG_OK;
}

int
cases_incident_transition(struct cases *cs, int64_t id, enum cases_action act,
    const struct cases_step *step)
{
	json_t *row = NULL;
	enum cases_state from, to;
	enum cases_verdict verdict = CASES_VERDICT_NONE;
	int64_t now = vg_now_us(), due = 0, created;
	int severity, r;
	char note[1024];

	if ((r = check_step(act, step)) != VG_OK)
		return r;
	if ((r = store_begin(cs->st)) != VG_OK)
		return r;
	if ((r = store_query_one(cs->st, SQL_INC_GET, (struct store_val[]){ SV_INT(id) }, 1,
		 &row)) != VG_OK)
		goto fail;
	if (cases_state_parse(jstr(row, "state"), &from) != VG_OK) {
		r = VG_ERR_STORE;
		goto fail;
	}
	if (act == CASES_VERIFY)
		verdict = step->verdict;
	else if (jstr(row, "verdict"))
		cases_verdict_parse(jstr(row, "verdict"), &verdict);
	if ((r = cases_next_state(from, act, verdict, &to)) != VG_OK)
		goto fail;
	severity = (int)json_integer_value(json_object_get(row, "severity"));
	created = json_integer_value(json_object_get(row, "created_at"));
	if (!(to == CASES_VERIFIED && verdict == CASES_FALSE_POSITIVE))
		cases_sla_due(cs->cfg, severity, to, created, &due);
	const char *tn = cases_state_name(to);
	struct store_val b[] = { SV_TEXT(tn), SV_INT(now), due ? SV_INT(due) : SV_NULL,
		SV_TEXT(step->actor), SV_TEXT(tn), SV_INT(now), SV_TEXT(tn), SV_INT(now),
		SV_TEXT(act == CASES_VERIFY ? cases_verdict_name(verdict) : NULL), SV_TEXT(tn),
		SV_INT(now), SV_TEXT(tn), SV_INT(now),
		SV_TEXT(act == CASES_FEEDBACK_GIVEN ? step->feedback : NULL), SV_TEXT(tn), SV_INT(now),
		SV_INT(id) };
	if ((r = store_exec(cs->st, SQL_INC_SET_STATE, b, N_OF(b), NULL, NULL)) != VG_OK)
		goto fail;
	if (act == CASES_VERIFY)
		snprintf(note, sizeof(note), "verdict %s%s%s", cases_verdict_name(verdict),
		    step->comment ? ": " : "", step->comment ? step->comment : "");
	else if (act == CASES_DISPOSE)
		snprintf(note, sizeof(note), "%s %s%s%s", step->action,
		    step->target ? step->target : "", step->comment ? ": " : "",
		    step->comment ? step->comment : "");
	else if (act == CASES_FEEDBACK_GIVEN)
		snprintf(note, sizeof(note), "%s", step->feedback);
	else
		snprintf(note, sizeof(note), "%s", step->comment ? step->comment : "");
	if ((r = history_add(cs, id, now, step->actor, cases_action_name(act),
		 cases_state_name(from), tn, note[0] ? note : NULL)) != VG_OK)
		goto fail;
	if (act == CASES_DISPOSE) {
		struct store_val ab[] = { SV_INT(id), SV_TEXT(step->action), SV_TEXT(step->target),
			SV_TEXT(step->actor), SV_INT(now), SV_TEXT(step->result) };
		if ((r = store_exec(cs->st, SQL_INC_ACTION_ADD, ab, N_OF(ab), NULL, NULL)) != VG_OK)
			goto fail;
	}
	{
		char action[48];
		snprintf(action, sizeof(action), "incident.%s", cases_action_name(act));
		if ((r = cases_audit(cs, step->actor, action, "incident %lld: %s -> %s%s%s",
			 (long long)id, cases_state_name(from), tn, note[0] ? ": " : "", note)) !=
		    VG_OK)
			goto fail;
	}
	if ((r = store_commit(cs->st)) != VG_OK)
		goto fail;
	json_decref(row);
	return VG_OK;
fail:
	json_decref(row);
	return cases_fail(cs, r);
}

int
cases_incident_link_tx(struct cases *cs, int64_t id, const char *kind, const char *target,
    const char *actor, const char *result, int64_t at)
{
	int64_t found = 0;
	char note[512];
	int r;

	snprintf(note, sizeof(note), "%s %s%s%s", kind, target ? target : "", result ? ": " : "",
	    result ? result : "");
	struct store_val ab[] = { SV_INT(id), SV_TEXT(kind), SV_TEXT(target), SV_TEXT(actor),
		SV_INT(at), SV_TEXT(result) };
	if ((r = lookup_int(cs, SQL_INC_GET, (struct store_val[]){ SV_INT(id) }, 1, "id",
		 &found)) != VG_OK ||
	    (r = store_exec(cs->st, SQL_INC_ACTION_ADD, ab, N_OF(ab), NULL, NULL)) != VG_OK ||
	    (r = history_add(cs, id, at, actor, "action", NULL, NULL, note)) != VG_OK)
		return r;
	return cases_audit(cs, actor, "incident.action", "incident %lld: %s", (long long)id, note);
}

int
cases_incident_link_action(struct cases *cs, int64_t id, const char *kind, const char *target,
    const char *actor, const char *result)
{
	int r;

	if (!kind || !*kind || !actor || !*actor)
		return VG_ERR_INVAL;
	if ((r = store_begin(cs->st)) != VG_OK)
		return r;
	if ((r = cases_incident_link_tx(cs, id, kind, target, actor, result, vg_now_us())) !=
		VG_OK ||
	    (r = store_commit(cs->st)) != VG_OK)
		return cases_fail(cs, r);
	return VG_OK;
}

int
cases_alert_incident(struct cases *cs, int64_t alert_id, int64_t *incident_id)
{
	return lookup_int(cs, SQL_INC_LINKED, (struct store_val[]){ SV_INT(alert_id) }, 1,
	    "incident_id", incident_id);
}

int
cases_cursor_get(struct cases *cs, const char *name, int64_t *value)
{
	int r = lookup_int(cs, SQL_CURSOR_GET, (struct store_val[]){ SV_TEXT(name) }, 1, "value",
	    value);
	return r == VG_ERR_NOTFOUND ? VG_OK : r;
}

int
cases_cursor_set(struct cases *cs, const char *name, int64_t value)
{
	struct store_val c[] = { SV_TEXT(name), SV_INT(value) };
	return store_exec(cs->st, SQL_CURSOR_SET, c, 2, NULL, NULL);
}

int
cases_suppressed(struct cases *cs, const char *rule_id, const char *source_ip, const char *path,
    bool *hit)
{
	int64_t sid = 0;
	struct store_val b[] = { SV_TEXT(rule_id), SV_INT(vg_now_us()), SV_TEXT(source_ip),
		SV_TEXT(path) };
	int r = lookup_int(cs, SQL_SUPP_MATCH, b, N_OF(b), "id", &sid);

	*hit = false;
	if (r == VG_ERR_NOTFOUND)
		return VG_OK;
	if (r != VG_OK)
		return r;
	*hit = true;
	return store_exec(cs->st, SQL_SUPP_HIT, (struct store_val[]){ SV_INT(sid) }, 1, NULL, NULL);
}

int
cases_suppress(struct cases *cs, int64_t incident_id, const char *source_ip, const char *path,
    int64_t expires_s, const char *author, const char *reason, int64_t *sid)
{
	json_t *row = NULL;
	int64_t now = vg_now_us(), id = 0;
	int r;

	if (sid)
		*sid = 0;
	if (!author || !*author)
		return VG_ERR_INVAL;
	if (expires_s <= 0)
		expires_s = cs->cfg->cases.suppress_expiry;
	if ((r = store_begin(cs->st)) != VG_OK)
		return r;
	if ((r = store_query_one(cs->st, SQL_INC_GET, (struct store_val[]){ SV_INT(incident_id) },
		 1, &row)) != VG_OK)
		goto fail;
	r = VG_ERR_INVAL;
	const char *verdict = jstr(row, "verdict"), *rule = jstr(row, "rule_id");
	if (!verdict || strcmp(verdict, "false_positive") != 0 || !rule)
		goto fail;
	if (!source_ip && !path)
		source_ip = jstr(row, "source_ip");
	if (!source_ip && !path)
		goto fail;
	struct store_val b[] = { SV_TEXT(rule), SV_TEXT(source_ip), SV_TEXT(path), SV_TEXT(reason),
		SV_TEXT(author), SV_INT(now), SV_INT(now + expires_s * 1000000LL),
		SV_INT(incident_id) };
	if ((r = store_exec(cs->st, SQL_SUPP_ADD, b, N_OF(b), &id, NULL)) != VG_OK)
		goto fail;
	char note[512];
	snprintf(note, sizeof(note), "suppression %lld: rule %s%s%s%s%s for %llds",
	    (long long)id, rule, source_ip ? " source " : "", source_ip ? source_ip : "",
	    path ? " path " : "", path ? path : "", (long long)expires_s);
	if ((r = history_add(cs, incident_id, now, author, "suppress", NULL, NULL, note)) !=
		VG_OK ||
	    (r = cases_audit(cs, author, "suppression.add", "incident %lld: %s",
		 (long long)incident_id, note)) != VG_OK)
		goto fail;
	if ((r = store_commit(cs->st)) != VG_OK)
		goto fail;
	json_decref(row);
	if (sid)
		*sid = id;
	return VG_OK;
fail:
	json_decref(row);
	return cases_fail(cs, r);
}

int
cases_suppression_list(struct cases *cs, json_t **out)
{
	json_t *row;
	size_t i;
	int r = store_query(cs->st, SQL_SUPP_LIST, (struct store_val[]){ SV_INT(vg_now_us()) }, 1,
	    0, out);

	if (r != VG_OK)
		return r;
	json_array_foreach(*out, i, row) {
		cases_json_time(row, "created_at");
		cases_json_time(row, "expires_at");
		json_object_set_new(row, "active",
		    json_boolean(json_integer_value(json_object_get(row, "active"))));
	}
	return VG_OK;
}
