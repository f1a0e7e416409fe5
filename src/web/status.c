/* What the overview says about the duty workflow and the daemon: open incidents
 * with their SLA clocks (src/cases), and whether `vigil watch` runs on this store,
 * read from the heartbeat it writes every 5 s (core/store_heartbeat.h): since when,
 * its sources with lines/s and drops, and which web roots it guards. */
#include "web/web_int.h"
#include "cases/cases.h"
#include "core/err.h"
#include "core/store_heartbeat.h"

#include <string.h>

/* watch beats every 5 s; three missed beats mean it is gone. */
#define BEAT_STALE_US (15LL * 1000000)
#define URGENT_SHOWN 8

json_t *
web_incidents_summary(struct web *w, int64_t now_us)
{
	json_t *o = NULL;
	int r = cases_incident_summary(w->cs, now_us, URGENT_SHOWN, &o);

	if (r != VG_OK) {
		vg_warn(w->log, "console: incident summary: %s", vg_strerror(r));
		return json_null();
	}
	return o;
}

static bool
guarded_by(const json_t *info, const char *path)
{
	const json_t *v;
	size_t i;

	json_array_foreach(json_object_get(info, "webroots"), i, v) {
		const char *p = json_string_value(json_object_get(v, "path"));
		if (p && path && strcmp(p, path) == 0)
			return true;
	}
	return false;
}

json_t *
web_daemon_status(struct web *w, int64_t now_us)
{
	json_t *hb = NULL, *o = json_object(), *roots = json_array(), *info, *v;
	int64_t beat = 0;
	bool running = false;
	size_t i;
	int r = store_heartbeat_get(w->st, "watch", &hb);

	if (!o || !roots) {
		json_decref(o);
		json_decref(roots);
		return json_null();
	}
	if (r != VG_OK && r != VG_ERR_NOTFOUND)
		vg_warn(w->log, "console: reading the heartbeat: %s", vg_strerror(r));
	info = json_object_get(hb, "info");
	if (hb) {
		char t[40];
		beat = json_integer_value(json_object_get(hb, "beat_at"));
		running = now_us - beat <= BEAT_STALE_US;
		json_object_set(o, "pid", json_object_get(hb, "pid"));
		vg_time_format(json_integer_value(json_object_get(hb, "started_at")), t, sizeof(t));
		json_object_set_new(o, "started_at", json_string(t));
		vg_time_format(beat, t, sizeof(t));
		json_object_set_new(o, "beat_at", json_string(t));
		json_object_set_new(o, "beat_age_s", json_integer((now_us - beat) / 1000000));
		json_object_set(o, "sources", json_object_get(info, "sources"));
		json_object_set(o, "files", json_object_get(info, "files"));
		json_object_set(o, "syslog", json_object_get(info, "syslog"));
		json_object_set(o, "syslog_listeners", json_object_get(info, "syslog_listeners"));
	}
	json_object_set_new(o, "watch", json_string(running ? "running" : hb ? "stopped" : "never"));
	json_object_set_new(o, "running", json_boolean(running));
	json_array_foreach(w->webroots, i, v) {
		json_t *c = json_copy(v);
		if (!c)
			continue;
		json_object_set_new(c, "guarded", json_boolean(running &&
		    guarded_by(info, json_string_value(json_object_get(v, "path")))));
		json_array_append_new(roots, c);
	}
	json_object_set_new(o, "webroots", roots);
	json_decref(hb);
	return o;
}
