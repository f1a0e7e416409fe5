/* Unit tests for cases/: the incident state machine, grouping within a window,
 * suppressions, SLA clocks and escalation through the roster, notices (import,
 * close with feedback) and the duty roster, on a real SQLite store. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases/cases.h"
#include "core/err.h"

struct fixture {
	char dir[64], path[128];
	struct vg_config *cfg;
	struct vg_store *st;
	struct cases *cs;
	struct vg_logger log;
	int told;
	char last_kind[32], last_key[96], last_recipient[64];
};

static const char *const config_text =
    "cases:\n  group_by: [source_ip, family]\n  window: 10m\n"
    "sla:\n  critical: {ack: 5m, dispose: 30m}\n  high: {ack: 1s, dispose: 2s}\n";

static void
hook(void *arg, const char *kind, int severity, const char *key, const json_t *msg)
{
	struct fixture *f = arg;
	const char *r = json_string_value(json_object_get(msg, "recipient"));
	(void)severity;
	f->told++;
	snprintf(f->last_kind, sizeof(f->last_kind), "%s", kind);
	snprintf(f->last_key, sizeof(f->last_key), "%s", key);
	snprintf(f->last_recipient, sizeof(f->last_recipient), "%s", r ? r : "");
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char *errors = NULL, *warnings = NULL, err[256];

	snprintf(f->dir, sizeof(f->dir), "/tmp/vigil-cases-XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/v.db", f->dir);
	f->log.level = VG_LOG_ERROR;
	if (vg_config_load_string("t.yaml", config_text, strlen(config_text), f->dir, &f->cfg,
		&errors, &warnings) != VG_OK) {
		fprintf(stderr, "%s", errors ? errors : "config");
		return -1;
	}
	free(warnings);
	if (store_open("sqlite", f->path, &f->log, &f->st, err, sizeof(err)) != VG_OK ||
	    cases_open(f->st, f->cfg, &f->log, &f->cs) != VG_OK)
		return -1;
	cases_set_notify(f->cs, hook, f);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	static const char *const files[] = { "v.db", "v.db-wal", "v.db-shm", "n.csv", "bad.csv" };
	char p[192];
	cases_close(f->cs);
	store_close(f->st);
	vg_config_free(f->cfg);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", f->dir, files[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Saves an alert and files it; returns the incident id (0 = suppressed). */
static int64_t
file_alert(struct fixture *f, const char *rule, const char *cat, const char *ip, int sev,
    int64_t at_us)
{
	struct vg_alert a = { .rule_id = rule, .title = rule, .category = cat,
		.severity = (enum vg_severity)sev, .sensor = "web1", .count = 1,
		.first_seen_us = at_us, .last_seen_us = at_us, .matched = "/x.php" };
	int64_t inc = -1;
	snprintf(a.source_ip, sizeof(a.source_ip), "%s", ip);
	assert_int_equal(store_alert_add(f->st, &a), VG_OK);
	assert_int_equal(cases_ingest_alert(f->cs, &a, &inc), VG_OK);
	return inc;
}

static void
test_state_machine_allows_only_the_documented_path(void **state)
{
	enum cases_state to;
	(void)state;
	assert_int_equal(cases_next_state(CASES_NEW, CASES_ACK, 0, &to), VG_OK);
	assert_int_equal(to, CASES_ACKNOWLEDGED);
	assert_int_equal(cases_next_state(CASES_NEW, CASES_VERIFY, CASES_TRUE_POSITIVE, &to),
	    VG_ERR_INVAL);
	assert_int_equal(cases_next_state(CASES_ACKNOWLEDGED, CASES_VERIFY, 0, &to), VG_ERR_INVAL);
	assert_int_equal(cases_next_state(CASES_ACKNOWLEDGED, CASES_VERIFY, CASES_FALSE_POSITIVE,
			     &to), VG_OK);
	assert_int_equal(cases_next_state(CASES_VERIFIED, CASES_DISPOSE, CASES_FALSE_POSITIVE, &to),
	    VG_ERR_INVAL);
	assert_int_equal(cases_next_state(CASES_VERIFIED, CASES_CLOSE, CASES_FALSE_POSITIVE, &to),
	    VG_OK);
	assert_int_equal(cases_next_state(CASES_VERIFIED, CASES_CLOSE, CASES_TRUE_POSITIVE, &to),
	    VG_ERR_INVAL);
	assert_int_equal(cases_next_state(CASES_DISPOSED, CASES_DISPOSE, CASES_TRUE_POSITIVE, &to),
	    VG_OK);
	assert_int_equal(cases_next_state(CASES_DISPOSED, CASES_FEEDBACK_GIVEN, CASES_TRUE_POSITIVE,
			     &to), VG_OK);
	assert_int_equal(cases_next_state(CASES_FEEDBACK, CASES_CLOSE, CASES_TRUE_POSITIVE, &to),
	    VG_OK);
	assert_int_equal(to, CASES_CLOSED);
	assert_int_equal(cases_next_state(CASES_CLOSED, CASES_ACK, CASES_TRUE_POSITIVE, &to),
	    VG_ERR_INVAL);
}

static void
test_alerts_group_by_key_within_window(void **state)
{
	struct fixture *f = *state;
	int64_t t = vg_now_us();
	int64_t a = file_alert(f, "sqli.1", "sqli", "203.0.113.7", 3, t);
	int64_t b = file_alert(f, "sqli.2", "sqli", "203.0.113.7", 4, t + 60 * 1000000LL);
	int64_t c = file_alert(f, "xss.1", "xss", "203.0.113.7", 2, t);
	int64_t d = file_alert(f, "sqli.1", "sqli", "198.51.100.1", 2, t);
	int64_t e = file_alert(f, "sqli.1", "sqli", "203.0.113.7", 2, t + 3600 * 1000000LL);
	json_t *inc = NULL;

	assert_true(a > 0);
	assert_int_equal(b, a);	/* same source and family within 10m */
	assert_true(c != a && d != a && e != a);	/* other family, source, or past the window */
	assert_int_equal(cases_incident_get(f->cs, a, &inc), VG_OK);
	assert_int_equal(json_integer_value(json_object_get(inc, "alert_count")), 2);
	assert_string_equal(json_string_value(json_object_get(inc, "severity")), "critical");
	assert_int_equal(json_array_size(json_object_get(inc, "alerts")), 2);
	json_decref(inc);
	assert_int_equal(f->told, 4);	/* one message per new incident, none for the join */
	assert_string_equal(f->last_kind, "incident");
}

static void
test_full_walk_records_history_and_audit(void **state)
{
	struct fixture *f = *state;
	int64_t id = file_alert(f, "sqli.1", "sqli", "203.0.113.7", 3, vg_now_us());
	struct cases_step s = { .actor = "alice", .comment = "on it" };
	json_t *inc = NULL, *stats = NULL;

	assert_int_equal(cases_incident_transition(f->cs, id, CASES_DISPOSE, &s), VG_ERR_INVAL);
	assert_int_equal(cases_incident_transition(f->cs, id, CASES_ACK, &s), VG_OK);
	s.verdict = CASES_TRUE_POSITIVE;
	assert_int_equal(cases_incident_transition(f->cs, id, CASES_VERIFY, &s), VG_OK);
	s.action = "quarantine";
	s.target = "/var/www/x.php";
	assert_int_equal(cases_incident_transition(f->cs, id, CASES_DISPOSE, &s), VG_OK);
	s.action = "restore";
	assert_int_equal(cases_incident_transition(f->cs, id, CASES_DISPOSE, &s), VG_OK);
	s.feedback = NULL;
	assert_int_equal(cases_incident_transition(f->cs, id, CASES_FEEDBACK_GIVEN, &s),
	    VG_ERR_INVAL);
	s.feedback = "cleaned and reported";
	assert_int_equal(cases_incident_transition(f->cs, id, CASES_FEEDBACK_GIVEN, &s), VG_OK);
	assert_int_equal(cases_incident_transition(f->cs, id, CASES_CLOSE, &s), VG_OK);
	assert_int_equal(cases_incident_get(f->cs, id, &inc), VG_OK);
	assert_string_equal(json_string_value(json_object_get(inc, "state")), "closed");
	assert_string_equal(json_string_value(json_object_get(inc, "verdict")), "true_positive");
	assert_string_equal(json_string_value(json_object_get(inc, "feedback")),
	    "cleaned and reported");
	/* create, ack, verify, dispose x2, feedback, close */
	assert_int_equal(json_array_size(json_object_get(inc, "history")), 7);
	assert_int_equal(json_array_size(json_object_get(inc, "actions")), 2);
	assert_true(json_is_null(json_object_get(inc, "due_at")));
	json_decref(inc);
	assert_int_equal(store_stats(f->st, &stats), VG_OK);
	assert_int_equal(json_integer_value(json_object_get(stats, "audit")), 7);
	json_decref(stats);
	assert_int_equal(cases_incident_transition(f->cs, 9999, CASES_ACK, &s), VG_ERR_NOTFOUND);
	/* An action vigil took links without a state change. */
	assert_int_equal(cases_incident_link_action(f->cs, id, "quarantine", "/w/x.php", "vigil",
			     "q-1"), VG_OK);
	assert_int_equal(cases_incident_link_action(f->cs, 9999, "restore", NULL, "vigil", NULL),
	    VG_ERR_NOTFOUND);
	assert_int_equal(cases_incident_get(f->cs, id, &inc), VG_OK);
	assert_int_equal(json_array_size(json_object_get(inc, "actions")), 3);
	assert_string_equal(json_string_value(json_object_get(inc, "state")), "closed");
	json_decref(inc);
}

static void
test_false_positive_becomes_suppression(void **state)
{
	struct fixture *f = *state;
	int64_t t = vg_now_us();
	int64_t id = file_alert(f, "scan.ua", "scanner", "192.0.2.5", 2, t);
	struct cases_step s = { .actor = "bob" };
	json_t *list = NULL;
	int64_t sid = 0;

	assert_int_equal(cases_suppress(f->cs, id, NULL, NULL, 0, "bob", "noise", &sid),
	    VG_ERR_INVAL);	/* not a false positive yet */
	assert_int_equal(cases_incident_transition(f->cs, id, CASES_ACK, &s), VG_OK);
	s.verdict = CASES_FALSE_POSITIVE;
	assert_int_equal(cases_incident_transition(f->cs, id, CASES_VERIFY, &s), VG_OK);
	assert_int_equal(cases_suppress(f->cs, id, NULL, NULL, 3600, "bob", "our scanner", &sid),
	    VG_OK);
	assert_true(sid > 0);
	assert_int_equal(cases_incident_transition(f->cs, id, CASES_CLOSE, &s), VG_OK);
	/* The same rule from the same source is no longer filed; another source is. */
	assert_int_equal(file_alert(f, "scan.ua", "scanner", "192.0.2.5", 2, t + 1), 0);
	assert_true(file_alert(f, "scan.ua", "scanner", "192.0.2.6", 2, t + 1) > 0);
	assert_int_equal(cases_suppression_list(f->cs, &list), VG_OK);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "hits")), 1);
	assert_true(json_is_true(json_object_get(json_array_get(list, 0), "active")));
	json_decref(list);
}

static void
test_sla_due_per_severity_and_state(void **state)
{
	struct fixture *f = *state;
	int64_t due;

	cases_sla_due(f->cfg, VG_SEV_CRITICAL, CASES_NEW, 1000, &due);
	assert_int_equal(due, 1000 + 300 * 1000000LL);
	cases_sla_due(f->cfg, VG_SEV_CRITICAL, CASES_VERIFIED, 1000, &due);
	assert_int_equal(due, 1000 + 1800 * 1000000LL);
	cases_sla_due(f->cfg, VG_SEV_CRITICAL, CASES_DISPOSED, 1000, &due);
	assert_int_equal(due, 0);
	cases_sla_due(f->cfg, VG_SEV_INFO, CASES_NEW, 1000, &due);	/* default: no clock */
	assert_int_equal(due, 0);
	cases_sla_due(f->cfg, VG_SEV_MEDIUM, CASES_NEW, 0, &due);	/* default 1h */
	assert_int_equal(due, 3600 * 1000000LL);
}

static void
test_overdue_incident_escalates_through_roster(void **state)
{
	struct fixture *f = *state;
	int64_t now = vg_now_us(), id;
	struct cases_shift a = { .person = "alice", .contact = "a@x", .starts_us = now - 1000000,
		.ends_us = now + 3600 * 1000000LL, .order = 0 };
	struct cases_shift b = a;
	json_t *inc = NULL;
	size_t n = 0;

	b.person = "bob";
	b.order = 1;
	assert_int_equal(cases_duty_add(f->cs, &a, "lead", NULL), VG_OK);
	assert_int_equal(cases_duty_add(f->cs, &b, "lead", NULL), VG_OK);
	id = file_alert(f, "sqli.1", "sqli", "203.0.113.9", 3, now);	/* high: ack in 1s */
	assert_string_equal(f->last_recipient, "alice");
	assert_int_equal(cases_sla_check(f->cs, now, &n), VG_OK);
	assert_int_equal(n, 0);
	assert_int_equal(cases_sla_check(f->cs, now + 2 * 1000000LL, &n), VG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(f->last_kind, "escalation");
	assert_string_equal(f->last_recipient, "bob");
	assert_int_equal(cases_incident_get(f->cs, id, &inc), VG_OK);
	assert_int_equal(json_integer_value(json_object_get(inc, "escalation")), 1);
	json_decref(inc);
	/* The clock restarted: not again at once. */
	assert_int_equal(cases_sla_check(f->cs, now + 2 * 1000000LL, &n), VG_OK);
	assert_int_equal(n, 0);
}

static void
test_daily_shift_covers_time_of_day_across_midnight(void **state)
{
	struct fixture *f = *state;
	int64_t start, end, at;
	json_t *now = NULL;

	assert_int_equal(cases_parse_time("2026-01-01 20:00", 0, &start), VG_OK);
	assert_int_equal(cases_parse_time("2026-01-02 08:00", 0, &end), VG_OK);
	struct cases_shift s = { .person = "night", .starts_us = start, .ends_us = end,
		.daily = true };
	assert_int_equal(cases_duty_add(f->cs, &s, "lead", NULL), VG_OK);
	assert_int_equal(cases_parse_time("2026-03-10 03:00", 0, &at), VG_OK);
	assert_int_equal(cases_duty_now(f->cs, at, &now), VG_OK);
	assert_int_equal(json_array_size(now), 1);
	json_decref(now);
	assert_int_equal(cases_parse_time("2026-03-10 12:00", 0, &at), VG_OK);
	assert_int_equal(cases_duty_now(f->cs, at, &now), VG_OK);
	assert_int_equal(json_array_size(now), 0);
	json_decref(now);
	s.ends_us = start;	/* ends before it starts */
	assert_int_equal(cases_duty_add(f->cs, &s, "lead", NULL), VG_ERR_INVAL);
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
test_notice_import_close_and_feedback(void **state)
{
	struct fixture *f = *state;
	char csv[160], bad[160], err[256], *fb = NULL;
	size_t added, skipped;
	json_t *list = NULL;

	snprintf(csv, sizeof(csv), "%s/n.csv", f->dir);
	snprintf(bad, sizeof(bad), "%s/bad.csv", f->dir);
	write_file(csv, "kind,ref,title,asset,severity,owner,deadline,required_feedback,issuer\r\n"
			"vulnerability,CN-1,\"Struts2 RCE, S2-045\",www.example.cn,critical,ops,"
			"2026-12-01 18:00,\"patch, then report\",CERT\r\n"
			"asset,CN-2,Exposed admin panel,10.0.0.5:8080,high,web,,close it,CERT\r\n");
	write_file(bad, "kind,title,asset\nrumour,x,y\n");
	assert_int_equal(cases_notice_import(f->cs, csv, "lead", &added, &skipped, err,
			     sizeof(err)), VG_OK);
	assert_int_equal(added, 2);
	assert_int_equal(cases_notice_import(f->cs, csv, "lead", &added, &skipped, err,
			     sizeof(err)), VG_OK);
	assert_int_equal(added, 0);
	assert_int_equal(skipped, 2);
	assert_int_not_equal(cases_notice_import(f->cs, bad, "lead", &added, &skipped, err,
				 sizeof(err)), VG_OK);
	assert_non_null(strstr(err, "bad.csv:2:"));
	assert_int_equal(cases_notice_list(f->cs, false, &list), VG_OK);
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "title")),
	    "Struts2 RCE, S2-045");
	json_decref(list);
	assert_int_equal(cases_notice_close(f->cs, 1, "maybe", "x", "alice", &fb), VG_ERR_INVAL);
	assert_int_equal(cases_notice_close(f->cs, 1, "fixed", "upgraded to 2.5.33", "alice", &fb),
	    VG_OK);
	assert_non_null(strstr(fb, "已修复"));
	assert_non_null(strstr(fb, "re-check verdict: fixed"));
	assert_non_null(strstr(fb, "patch, then report"));
	free(fb);
	assert_int_equal(cases_notice_close(f->cs, 1, "fixed", NULL, "alice", NULL), VG_ERR_INVAL);
}

static void
test_parse_time_forms(void **state)
{
	int64_t t;
	(void)state;
	assert_int_equal(cases_parse_time("2026-11-29T10:00:00Z", 0, &t), VG_OK);
	assert_int_equal(t, 1795946400LL * 1000000);
	assert_int_equal(cases_parse_time("+2h", 1000, &t), VG_OK);
	assert_int_equal(t, 1000 + 7200 * 1000000LL);
	assert_int_equal(cases_parse_time("tomorrow", 0, &t), VG_ERR_PARSE);
	assert_int_equal(cases_parse_time("2026-11-29 10:00 junk", 0, &t), VG_ERR_PARSE);
	/* the console's HTTP fuzz sent this: seconds * 10^6 overflowed (UBSan) */
	assert_int_equal(cases_parse_time("+99999999999h", 0, &t), VG_ERR_PARSE);
	assert_int_equal(cases_parse_time("-99999999999h", 0, &t), VG_ERR_PARSE);
	assert_int_equal(cases_parse_time("+36500d", 0, &t), VG_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_machine_allows_only_the_documented_path),
		cmocka_unit_test(test_parse_time_forms),
		cmocka_unit_test_setup_teardown(test_alerts_group_by_key_within_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_walk_records_history_and_audit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_false_positive_becomes_suppression, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sla_due_per_severity_and_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overdue_incident_escalates_through_roster, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_daily_shift_covers_time_of_day_across_midnight,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_notice_import_close_and_feedback, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
