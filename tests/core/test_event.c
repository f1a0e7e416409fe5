/* Unit tests for the event model's ECS JSON encoding. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/event.h"

static const char *
get_path(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(json_object_get(o, a), b);
	return json_string_value(v);
}

static void
test_http_event_uses_ecs_names(void **state)
{
	(void)state;
	struct vg_event ev;
	vg_event_init(&ev);
	ev.kind = VG_EV_HTTP;
	ev.ts_us = 1764000000123000;
	snprintf(ev.src_ip, sizeof(ev.src_ip), "2001:db8::1");
	ev.http.method = "GET";
	ev.http.url = "/a?b=c";
	ev.http.status = 404;
	ev.http.user_agent = "curl/8";
	ev.raw = "raw line";
	ev.raw_len = 8;
	json_t *j = vg_event_to_json(&ev);
	assert_non_null(j);
	assert_string_equal(get_path(j, "source", "ip"), "2001:db8::1");
	assert_string_equal(get_path(j, "url", "original"), "/a?b=c");
	assert_string_equal(get_path(j, "user_agent", "original"), "curl/8");
	assert_string_equal(get_path(j, "event", "original"), "raw line");
	json_t *status = json_object_get(json_object_get(json_object_get(j, "http"), "response"),
	    "status_code");
	assert_int_equal(json_integer_value(status), 404);
	/* bytes -1 means unknown: absent, not -1 */
	assert_null(json_object_get(json_object_get(json_object_get(j, "http"), "response"),
	    "body"));
	assert_string_equal(json_string_value(json_object_get(j, "@timestamp")),
	    "2025-11-24T16:00:00.123Z");
	json_decref(j);
}

static void
test_invalid_utf8_is_replaced_not_dropped(void **state)
{
	(void)state;
	const char bad[] = "a\xff" "b\xc3";
	json_t *s = vg_json_string_lossy(bad, sizeof(bad) - 1);
	assert_non_null(s);
	assert_string_equal(json_string_value(s), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
	json_decref(s);
	/* An embedded NUL is valid JSON (\u0000) and is kept as evidence. */
	const char nul[] = { 'x', '\0', 'y' };
	s = vg_json_string_lossy(nul, 3);
	assert_non_null(s);
	assert_int_equal(json_string_length(s), 3);
	json_decref(s);
}

static void
test_alert_json_carries_rule_and_evidence(void **state)
{
	(void)state;
	struct vg_alert a = { .id = 9, .rule_id = "auth.ssh.bruteforce", .title = "SSH brute force",
		.category = "bruteforce", .mitre = "T1110", .severity = VG_SEV_CRITICAL,
		.source_ip = "192.0.2.1", .count = 50, .first_seen_us = 1, .last_seen_us = 2000,
		.field = "message", .matched = "Failed password", .evidence = "sshd: Failed" };
	json_t *j = vg_alert_to_json(&a);
	assert_string_equal(get_path(j, "rule", "id"), "auth.ssh.bruteforce");
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(j,
	    "threat"), "technique"), "id")), "T1110");
	assert_string_equal(get_path(j, "log", "level"), "critical");
	json_t *vigil = json_object_get(j, "vigil");
	assert_int_equal(json_integer_value(json_object_get(vigil, "count")), 50);
	assert_string_equal(json_string_value(json_object_get(json_object_get(vigil, "matched"),
	    "text")), "Failed password");
	json_decref(j);
}

static void
test_severity_names_round_trip(void **state)
{
	(void)state;
	enum vg_severity s;
	for (int i = VG_SEV_INFO; i <= VG_SEV_CRITICAL; i++) {
		assert_int_equal(vg_severity_parse(vg_severity_name((enum vg_severity)i), &s), VG_OK);
		assert_int_equal(s, i);
	}
	assert_int_equal(vg_severity_parse("urgent", &s), VG_ERR_INVAL);
}

/* The hand-rolled formatter agrees with gmtime+strftime from 1970 to 9999,
 * across leap days, century years and the last millisecond of a day. */
static void
test_time_format_matches_gmtime(void **state)
{
	(void)state;
	uint64_t x = 88172645463325252ull;
	char got[40], want[64], base[32];

	vg_time_format(0, got, sizeof(got));
	assert_string_equal(got, "1970-01-01T00:00:00.000Z");
	vg_time_format(951782399999000LL, got, sizeof(got));
	assert_string_equal(got, "2000-02-28T23:59:59.999Z");
	vg_time_format(951868800000000LL, got, sizeof(got));
	assert_string_equal(got, "2000-03-01T00:00:00.000Z");
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int64_t ts = (int64_t)(x % 253402300800000000ull);
		time_t secs = (time_t)(ts / 1000000);
		struct tm tm;
		gmtime_r(&secs, &tm);
		strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(want, sizeof(want), "%s.%03dZ", base, (int)(ts % 1000000 / 1000));
		vg_time_format(ts, got, sizeof(got));
		assert_string_equal(got, want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_event_uses_ecs_names),
		cmocka_unit_test(test_invalid_utf8_is_replaced_not_dropped),
		cmocka_unit_test(test_alert_json_carries_rule_and_evidence),
		cmocka_unit_test(test_severity_names_round_trip),
		cmocka_unit_test(test_time_format_matches_gmtime),
	};
	return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
