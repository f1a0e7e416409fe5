/* The JSON API under /api/ (docs/api.md): one row per route in web_routes, one
 * handler per row. server.c has already checked the session, CSRF token and role
 * the row asks for; handlers validate their own arguments. */
#include "web/web_int.h"
#include "core/err.h"
#include "core/event.h"

#include <stdio.h>
#include <string.h>

#define OVERVIEW_TTL_US 1000000LL

static void
store_failed(struct web_req *rq, int r)
{
	vg_warn(rq->w->log, "console: %s %s: store: %s", rq->method, rq->path, vg_strerror(r));
	if (r == VG_ERR_BUSY)
		web_error(rq, 503, "busy", "the store is busy; retry");
	else
		web_error(rq, 500, "store", "the store failed");
}

static json_t *
session_json(const struct web_req *rq)
{
	return json_pack("{s:s, s:s, s:s, s:I}", "user", rq->sess.user, "role",
	    web_role_name(rq->sess.role), "csrf", rq->sess.csrf, "idle_timeout",
	    (json_int_t)(rq->w->idle_us / 1000000));
}

static void
cookie(struct web_req *rq, const char *value, bool clear)
{
	snprintf(rq->set_cookie, sizeof(rq->set_cookie),
	    "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", WEB_COOKIE, value,
	    rq->w->tls ? "; Secure" : "", clear ? "; Max-Age=0" : "");
}

static void
login(struct web_req *rq)
{
	char user[65], password[1025], token[AUTH_TOKEN_LEN + 1], csrf[AUTH_HEX_LEN + 1];
	struct wdb_user u;
	int64_t now = vg_now_us(), wait;
	json_t *body;
	bool ok;
	int r;

	if ((wait = rl_check(&rq->w->rl, rq->addr, now)) > 0) {
		rq->retry_after = wait;
		web_audit(rq, "login.refused", "reason=rate-limited");
		web_error(rq, 429, "rate_limited", "too many failed logins; wait and retry");
		return;
	}
	if (!(body = web_body_json(rq)))
		return;
	json_decref(body);
	if (!web_parse_login(rq->body, rq->body_len, user, password) || !auth_valid_user(user)) {
		web_error(rq, 400, "bad_login", "expected {\"user\": NAME, \"password\": TEXT}");
		return;
	}
	r = wdb_user_get(rq->w->db, user, &u);
	if (r == VG_OK && u.role != WEB_ROLE_NONE) {
		ok = auth_check_password(u.pwhash, password);
	} else {
		auth_check_dummy(password);
		ok = false;
	}
	memset(password, 0, sizeof(password));
	if (!ok) {
		char detail[128];
		rl_fail(&rq->w->rl, rq->addr, now);
		snprintf(detail, sizeof(detail), "user=%s", user);
		web_audit(rq, "login.failed", detail);
		web_error(rq, 401, "bad_credentials", "wrong user name or password");
		return;
	}
	rl_success(&rq->w->rl, rq->addr);
	auth_new_csrf(csrf);
	if ((r = auth_new_token(token, rq->sess_hash)) != VG_OK ||
	    (r = wdb_session_add(rq->w->db, rq->sess_hash, u.id, csrf, rq->addr)) != VG_OK) {
		store_failed(rq, r);
		return;
	}
	rq->authed = true;
	rq->sess.user_id = u.id;
	snprintf(rq->sess.user, sizeof(rq->sess.user), "%s", u.name);
	rq->sess.role = u.role;
	snprintf(rq->sess.csrf, sizeof(rq->sess.csrf), "%s", csrf);
	cookie(rq, token, false);
	web_audit(rq, "login", NULL);
	rq->out = session_json(rq);
}

static void
logout(struct web_req *rq)
{
	wdb_session_del(rq->w->db, rq->sess_hash);
	cookie(rq, "", true);
	web_audit(rq, "logout", NULL);
	rq->out = json_pack("{s:b}", "ok", 1);
}

static void
me(struct web_req *rq)
{
	if (!rq->authed) {
		web_error(rq, 401, "unauthenticated", "log in first");
		return;
	}
	rq->out = session_json(rq);
}

static void
overview(struct web_req *rq)
{
	int64_t now = vg_now_us(), max_id = 0;
	json_t *o = json_object();
	long long minutes;
	int r;

	if (!web_arg_int(rq, "minutes", 5, AGG_MINUTES, AGG_MINUTES, &minutes)) {
		json_decref(o);
		return;
	}
	if (!o)
		return;
	if (rq->w->ov_cache && rq->w->ov_cache_minutes == minutes &&
	    now - rq->w->ov_cache_at < OVERVIEW_TTL_US) {
		json_decref(o);
		rq->out = json_incref(rq->w->ov_cache);
		return;
	}
	json_object_set_new(o, "minutes", json_integer(minutes));
	json_object_set_new(o, "now", json_integer(now / 1000000));
	if ((r = agg_overview(rq->w->agg, now, (int)minutes, o)) != VG_OK ||
	    (r = wdb_alert_max_id(rq->w->db, &max_id)) != VG_OK) {
		json_decref(o);
		store_failed(rq, r);
		return;
	}
	json_object_set_new(o, "latest_alert_id", json_integer(max_id));
	json_object_set_new(o, "incidents", web_incidents_summary(rq->w, now));
	json_object_set_new(o, "daemon", web_daemon_status(rq->w, now));
	json_object_set_new(o, "live", sse_stats(rq->w->sse));
	json_decref(rq->w->ov_cache);
	rq->w->ov_cache = json_incref(o);
	rq->w->ov_cache_at = now;
	rq->w->ov_cache_minutes = minutes;
	rq->out = o;
}

static void
alerts_list(struct web_req *rq)
{
	long long limit, before, sev;
	const char *source = web_arg(rq, "source");
	json_t *arr = NULL;
	int r;

	if (!web_arg_int(rq, "limit", 1, 500, 50, &limit) ||
	    !web_arg_int(rq, "before", 1, INT64_MAX, 0, &before) ||
	    !web_arg_int(rq, "severity", 0, 4, 0, &sev))
		return;
	if (source && (strlen(source) >= VG_IP_MAX || !*source)) {
		web_error(rq, 400, "bad_argument", "'source' must be an IP address");
		return;
	}
	if ((r = wdb_alerts_list(rq->w->db, before, (int)sev, source, (int)limit, &arr)) !=
	    VG_OK) {
		store_failed(rq, r);
		return;
	}
	rq->out = json_pack("{s:o}", "alerts", arr);
	web_next_before(rq, arr, limit);
}

static void
alert_get(struct web_req *rq)
{
	json_t *o = NULL;
	int r = wdb_alert_get(rq->w->db, rq->id, &o);
	if (r == VG_ERR_NOTFOUND) {
		web_error(rq, 404, "not_found", "no such alert");
		return;
	}
	if (r != VG_OK) {
		store_failed(rq, r);
		return;
	}
	rq->out = o;
}

static void
audit_list(struct web_req *rq)
{
	long long limit, before;
	json_t *arr = NULL;
	int r;

	if (!web_arg_int(rq, "limit", 1, 500, 100, &limit) ||
	    !web_arg_int(rq, "before", 1, INT64_MAX, 0, &before))
		return;
	if ((r = wdb_audit_list(rq->w->db, before, (int)limit, &arr)) != VG_OK) {
		store_failed(rq, r);
		return;
	}
	rq->out = json_pack("{s:o}", "audit", arr);
}

static void
users_list(struct web_req *rq)
{
	json_t *arr = NULL;
	int r = wdb_user_list(rq->w->db, &arr);
	if (r != VG_OK) {
		store_failed(rq, r);
		return;
	}
	rq->out = json_pack("{s:o}", "users", arr);
}

const struct web_route web_routes[] = {
	{ "POST", "/api/session", WEB_ROLE_NONE, ROUTE_PUBLIC, login },
	{ "GET", "/api/session", WEB_ROLE_NONE, ROUTE_PUBLIC, me },
	{ "DELETE", "/api/session", WEB_ROLE_VIEWER, 0, logout },
	{ "GET", "/api/overview", WEB_ROLE_VIEWER, 0, overview },
	{ "GET", "/api/alerts", WEB_ROLE_VIEWER, 0, alerts_list },
	{ "GET", "/api/alerts/{id}", WEB_ROLE_VIEWER, 0, alert_get },
	{ "GET", "/api/stream", WEB_ROLE_VIEWER, 0, sse_stream },
	{ "GET", "/api/incidents", WEB_ROLE_VIEWER, 0, api_incidents_list },
	{ "GET", "/api/incidents/{id}", WEB_ROLE_VIEWER, 0, api_incident_get },
	{ "POST", "/api/incidents/{id}/ack", WEB_ROLE_ANALYST, 0, api_incident_step },
	{ "POST", "/api/incidents/{id}/verify", WEB_ROLE_ANALYST, 0, api_incident_step },
	{ "POST", "/api/incidents/{id}/dispose", WEB_ROLE_ANALYST, 0, api_incident_step },
	{ "POST", "/api/incidents/{id}/feedback", WEB_ROLE_ANALYST, 0, api_incident_step },
	{ "POST", "/api/incidents/{id}/close", WEB_ROLE_ANALYST, 0, api_incident_step },
	{ "GET", "/api/suppressions", WEB_ROLE_VIEWER, 0, api_suppressions_list },
	{ "GET", "/api/notices", WEB_ROLE_VIEWER, 0, api_notices_list },
	{ "POST", "/api/notices", WEB_ROLE_ANALYST, 0, api_notice_add },
	{ "POST", "/api/notices/import", WEB_ROLE_ANALYST, 0, api_notices_import },
	{ "GET", "/api/notices/{id}", WEB_ROLE_VIEWER, 0, api_notice_get },
	{ "POST", "/api/notices/{id}/close", WEB_ROLE_ANALYST, 0, api_notice_close },
	{ "GET", "/api/duty", WEB_ROLE_VIEWER, 0, api_duty_get },
	{ "POST", "/api/duty/shifts", WEB_ROLE_ADMIN, 0, api_duty_shift_add },
	{ "POST", "/api/duty/handover", WEB_ROLE_ANALYST, 0, api_duty_handover },
	{ "GET", "/api/audit", WEB_ROLE_ANALYST, 0, audit_list },
	{ "GET", "/api/users", WEB_ROLE_ADMIN, 0, users_list },
	{ NULL, NULL, 0, 0, NULL },
};
