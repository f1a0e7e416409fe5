/* The cases handle and the helpers the record kinds share (time and severity
 * rendering, audit, transactions). */
#include "cases/cases_int.h"
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const default_group[] = { "source_ip", "sensor", "family" };

int
cases_open(struct vg_store *st, const struct vg_config *cfg, const struct vg_logger *log,
    struct cases **out)
{
	struct cases *cs;

	*out = NULL;
	if (!st || !cfg)
		return VG_ERR_INVAL;
	if (!(cs = calloc(1, sizeof(*cs))))
		return VG_ERR_NOMEM;
	cs->st = st;
	cs->cfg = cfg;
	cs->log = log;
	if (cfg->cases.group_by.n == 0) {
		for (size_t i = 0; i < sizeof(default_group) / sizeof(default_group[0]); i++)
			cs->group_by[cs->n_group++] = default_group[i];
	} else {
		for (size_t i = 0; i < cfg->cases.group_by.n && i < CASES_GROUP_MAX; i++)
			cs->group_by[cs->n_group++] = cfg->cases.group_by.items[i];
	}
	*out = cs;
	return VG_OK;
}

void
cases_close(struct cases *cs)
{
	free(cs);
}

void
cases_set_notify(struct cases *cs, cases_notify_fn fn, void *arg)
{
	cs->notify = fn;
	cs->notify_arg = arg;
}

/* Addresses a message nobody named yet to the first person on duty. */
void
cases_tell(struct cases *cs, const char *kind, int severity, const char *key, const json_t *msg)
{
	json_t *copy, *duty = NULL, *first;

	if (!cs->notify)
		return;
	if (json_object_get(msg, "recipient") || !(copy = json_deep_copy(msg))) {
		cs->notify(cs->notify_arg, kind, severity, key, msg);
		return;
	}
	if (cases_duty_now(cs, vg_now_us(), &duty) == VG_OK &&
	    (first = json_array_get(duty, 0))) {
		json_object_set(copy, "recipient", json_object_get(first, "person"));
		json_object_set(copy, "contact", json_object_get(first, "contact"));
	}
	json_decref(duty);
	cs->notify(cs->notify_arg, kind, severity, key, copy);
	json_decref(copy);
}

void
cases_json_time(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	char buf[40];

	if (!json_is_integer(v))
		return;
	vg_time_format(json_integer_value(v), buf, sizeof(buf));
	json_object_set_new(obj, key, json_string(buf));
}

void
cases_json_severity(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	json_int_t s;

	if (!json_is_integer(v))
		return;
	s = json_integer_value(v);
	if (s < VG_SEV_INFO || s > VG_SEV_CRITICAL)
		s = VG_SEV_INFO;
	json_object_set_new(obj, key, json_string(vg_severity_name((enum vg_severity)s)));
}

int
cases_audit(struct cases *cs, const char *actor, const char *action, const char *fmt, ...)
{
	char detail[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return store_audit(cs->st, actor, action, detail);
}

int
cases_fail(struct cases *cs, int r)
{
	store_rollback(cs->st);
	return r;
}

#define CASES_TIME_SPAN_S (100LL * 366 * 86400)
#define CASES_TIME_MAX_S 253402300799LL		/* 9999-12-31T23:59:59Z */

int
cases_parse_time(const char *s, int64_t now_us, int64_t *us)
{
	static const char *const fmts[] = { "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
		"%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d" };
	long long secs;

	*us = 0;
	if (!s || !*s)
		return VG_ERR_PARSE;
	if (strcmp(s, "now") == 0) {
		*us = now_us;
		return VG_OK;
	}
	if ((s[0] == '+' || s[0] == '-') && vg_parse_duration(s + 1, &secs) == VG_OK) {
		/* a century either way is plenty, and keeps the microseconds in range */
		if (secs > CASES_TIME_SPAN_S)
			return VG_ERR_PARSE;
		*us = now_us + (s[0] == '+' ? 1 : -1) * secs * 1000000LL;
		return VG_OK;
	}
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		struct tm tm = { 0 };
		const char *end = strptime(s, fmts[i], &tm);
		time_t t;
		if (!end)
			continue;
		if (strcmp(end, "Z") == 0 || strcmp(end, "+00:00") == 0) {
			t = timegm(&tm);
		} else if (*end == '\0') {
			tm.tm_isdst = -1;
			t = mktime(&tm);
		} else {
			continue;
		}
		if (t == (time_t)-1 || t > CASES_TIME_MAX_S || t < -CASES_TIME_MAX_S)
			return VG_ERR_PARSE;
		*us = (int64_t)t * 1000000LL;
		return VG_OK;
	}
	return VG_ERR_PARSE;
}
