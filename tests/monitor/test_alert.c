/* Unit tests for the one alert path: alert_emit builds the alert for each kind of
 * finding and hands it to every sink; the registry lists complete rows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "monitor/alert.h"
#include "monitor/registry.h"

struct seen {
	int calls;
	char rule_id[64];
	enum vg_severity sev;
	char evidence[1024];
	unsigned long long count;
};

static int
capture(void *state, const struct alert_msg *m)
{
	struct seen *s = state;
	s->calls++;
	snprintf(s->rule_id, sizeof(s->rule_id), "%s", m->a->rule_id);
	snprintf(s->evidence, sizeof(s->evidence), "%s", m->a->evidence ? m->a->evidence : "");
	s->sev = m->a->severity;
	s->count = (unsigned long long)m->a->count;
	return VG_OK;
}

static int
failing(void *state, const struct alert_msg *m)
{
	(void)state;
	(void)m;
	return VG_ERR_STORE;
}

static const struct sink_ops sink_capture = { .name = "capture", .emit = capture };
static const struct sink_ops sink_failing = { .name = "failing", .emit = failing };

static void
test_malicious_webshell_becomes_a_critical_alert_with_evidence(void **state)
{
	(void)state;
	struct alerts al;
	struct seen s = { 0 };
	struct webshell_finding f = { .score = 97, .level = "malicious" };
	snprintf(f.path, sizeof(f.path), "/srv/www/x.php");
	snprintf(f.families, sizeof(f.families), "exec-sink");
	snprintf(f.rules, sizeof(f.rules), "php_exec");
	alerts_init(&al, &(struct alerts_opts){ 0 });
	assert_int_equal(alerts_add_sink(&al, &sink_capture, &s), VG_OK);
	struct alert_in in = { .kind = ALERT_WEBSHELL, .state = ALERT_ONCE, .finding = &f,
		.root_name = "site", .qid = "abc-1" };
	assert_int_equal(alert_emit(&al, &in), VG_OK);
	assert_int_equal(s.calls, 1);
	assert_string_equal(s.rule_id, "webshell.detected");
	assert_int_equal(s.sev, VG_SEV_CRITICAL);
	assert_int_equal(s.count, 1);
	assert_string_equal(s.evidence, "/srv/www/x.php score 97 rules php_exec quarantined as abc-1");
}

static void
test_rule_alert_reaches_every_sink_and_the_first_error_is_returned(void **state)
{
	(void)state;
	struct alerts al;
	struct seen a = { 0 }, b = { 0 };
	struct vg_alert va = { .rule_id = "http.sqli.union", .severity = VG_SEV_HIGH, .count = 3 };
	alerts_init(&al, &(struct alerts_opts){ 0 });
	alerts_add_sink(&al, &sink_capture, &a);
	alerts_add_sink(&al, &sink_failing, NULL);
	alerts_add_sink(&al, &sink_capture, &b);
	struct alert_in in = { .kind = ALERT_RULE, .state = ALERT_CLOSED, .rule = &va };
	assert_int_equal(alert_emit(&al, &in), VG_ERR_STORE);
	assert_int_equal(a.calls, 1);
	assert_int_equal(b.calls, 1);	/* a failing sink does not starve the next */
	assert_string_equal(b.rule_id, "http.sqli.union");
	assert_int_equal(b.count, 3);
}

static void
test_sink_table_has_a_hard_limit(void **state)
{
	(void)state;
	struct alerts al;
	alerts_init(&al, &(struct alerts_opts){ 0 });
	for (int i = 0; i < ALERT_MAX_SINKS; i++)
		assert_int_equal(alerts_add_sink(&al, &sink_capture, NULL), VG_OK);
	assert_int_equal(alerts_add_sink(&al, &sink_capture, NULL), VG_ERR_LIMIT);
}

/* scan-log's text or JSON lines never show a hit joining an open alert; the store does */
static void
test_only_sinks_that_read_them_want_rule_updates(void **state)
{
	(void)state;
	struct alerts al;
	alerts_init(&al, &(struct alerts_opts){ .text_out = stdout, .json_out = stdout });
	assert_false(alerts_want_rule_updates(&al));
	assert_int_equal(alerts_add_sink(&al, &sink_capture, NULL), VG_OK);
	assert_true(alerts_want_rule_updates(&al));
	alerts_init(&al, &(struct alerts_opts){ 0 });
	assert_int_equal(alerts_add_sink(&al, &sink_store, NULL), VG_OK);
	assert_true(alerts_want_rule_updates(&al));
}

static void
test_registry_rows_are_complete_and_found_by_name(void **state)
{
	(void)state;
	size_t n = 0;
	for (size_t i = 0; source_registry[i]; i++, n++) {
		assert_non_null(source_registry[i]->name);
		assert_non_null(source_registry[i]->fd);
		assert_non_null(source_registry[i]->read);
		assert_ptr_equal(source_find(source_registry[i]->name), source_registry[i]);
	}
	assert_int_equal(n, 3);
	for (size_t i = 0; sink_registry[i]; i++) {
		assert_non_null(sink_registry[i]->emit);
		assert_ptr_equal(sink_find(sink_registry[i]->name), sink_registry[i]);
	}
	assert_ptr_equal(sink_find("store"), &sink_store);
	assert_null(source_find("nonesuch"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_malicious_webshell_becomes_a_critical_alert_with_evidence),
		cmocka_unit_test(test_rule_alert_reaches_every_sink_and_the_first_error_is_returned),
		cmocka_unit_test(test_sink_table_has_a_hard_limit),
		cmocka_unit_test(test_only_sinks_that_read_them_want_rule_updates),
		cmocka_unit_test(test_registry_rows_are_complete_and_found_by_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
