/* Unit tests for correlation: aggregation per (rule, source, window), thresholds,
 * and bounded state under a flood of distinct sources. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "monitor/correlate.h"

#define SEC 1000000LL

struct sink {
	int opened, closed;
	uint64_t last_count;
	char last_rule[64];
	uint64_t total_count;
	int64_t next_id;
	int dirbust, brute, success, attacker, web_brute;
	int updates;
};

static int
on_alert(enum correlate_emit what, struct vg_alert *a, const struct vg_event *ev, void *arg)
{
	struct sink *s = arg;
	if (what == CORRELATE_UPDATED) {
		assert_non_null(ev);
		assert_true(a->id > 0);
		s->updates++;
		return 0;
	}
	if (what == CORRELATE_OPENED) {
		assert_non_null(ev);
		s->opened++;
		a->id = ++s->next_id;
		return 0;
	}
	assert_true(a->id > 0);	/* the id set at open comes back at close */
	s->closed++;
	s->last_count = a->count;
	s->total_count += a->count;
	snprintf(s->last_rule, sizeof(s->last_rule), "%s", a->rule_id);
	s->dirbust += strcmp(a->rule_id, "http.scan.dirbust") == 0;
	s->brute += strcmp(a->rule_id, "auth.bruteforce") == 0;
	s->success += strcmp(a->rule_id, "auth.success_after_failures") == 0;
	s->attacker += strcmp(a->rule_id, "attacker.active") == 0;
	s->web_brute += strcmp(a->rule_id, "http.bruteforce.login") == 0;
	return 0;
}

static struct vg_event
http_event(const char *ip, int64_t ts, const char *url, int status)
{
	struct vg_event ev;
	vg_event_init(&ev);
	ev.kind = VG_EV_HTTP;
	ev.ts_us = ts;
	snprintf(ev.src_ip, sizeof(ev.src_ip), "%s", ip);
	ev.http.url = url;
	ev.http.status = status;
	ev.raw = url;
	ev.raw_len = strlen(url);
	return ev;
}

static const struct correlate_hit sqli = { .rule_id = "http.sqli.union", .title = "SQLi",
	.category = "sqli", .severity = VG_SEV_HIGH, .field = "url.original",
	.text = "union select", .text_len = 12 };
static const struct correlate_hit xss = { .rule_id = "http.xss.script", .title = "XSS",
	.category = "xss", .severity = VG_SEV_HIGH };
static const struct correlate_hit lfi = { .rule_id = "http.traversal", .title = "Traversal",
	.category = "traversal", .severity = VG_SEV_HIGH };

static void
test_scan_of_20000_requests_is_one_alert_with_a_count(void **state)
{
	(void)state;
	struct correlator *c;
	struct sink s = { 0 };
	assert_int_equal(correlator_new(NULL, &c), VG_OK);
	for (int i = 0; i < 20000; i++) {
		struct vg_event ev = http_event("203.0.113.9", 1000 * SEC + i * 1000, "/?id=1", 200);
		assert_int_equal(correlator_feed(c, &ev, ev.ts_us, &sqli, 1, on_alert, &s), 0);
	}
	assert_int_equal(correlator_flush(c, on_alert, &s), 0);
	assert_int_equal(s.opened, 1);
	assert_int_equal(s.closed, 1);
	assert_int_equal(s.last_count, 20000);
	assert_int_equal(s.updates, 19999);
	correlator_free(c);
}

static void
test_unreported_updates_still_count(void **state)
{
	(void)state;
	struct correlator *c;
	struct sink s = { 0 };
	assert_int_equal(correlator_new(NULL, &c), VG_OK);
	correlator_report_updates(c, false);
	struct vg_event ev = http_event("203.0.113.9", 1000 * SEC, "/?id=1", 200);
	for (int i = 0; i < 5; i++) {
		ev.ts_us += SEC;
		assert_int_equal(correlator_feed(c, &ev, ev.ts_us, &sqli, 1, on_alert, &s), 0);
	}
	correlator_report_updates(c, true);
	ev.ts_us += SEC;
	correlator_feed(c, &ev, ev.ts_us, &sqli, 1, on_alert, &s);
	assert_int_equal(correlator_flush(c, on_alert, &s), 0);
	assert_int_equal(s.opened, 1);
	assert_int_equal(s.updates, 1);
	assert_int_equal(s.last_count, 6);
	correlator_free(c);
}

/* A hit whose text is found on demand: asked for once, when its alert opens, and
 * never for the hits that only join it; the alert shows that text. */
static size_t
count_text_asks(const void *ctx, const char **text)
{
	++*(int *)(uintptr_t)ctx;
	*text = "or 1=1";
	return 6;
}

static char opened_text[64];

static int
keep_opened_text(enum correlate_emit what, struct vg_alert *a, const struct vg_event *ev,
    void *arg)
{
	if (what == CORRELATE_OPENED)
		snprintf(opened_text, sizeof(opened_text), "%.*s", (int)a->matched_len, a->matched);
	return on_alert(what, a, ev, arg);
}

static void
test_a_text_found_on_demand_is_asked_for_once_per_alert(void **state)
{
	(void)state;
	struct correlator *c;
	struct sink s = { 0 };
	int asks = 0;
	struct correlate_hit lazy = { .rule_id = "http.sqli.boolean", .title = "SQLi",
		.category = "sqli", .severity = VG_SEV_HIGH, .field = "url.original",
		.text_fn = count_text_asks, .text_ctx = &asks };
	assert_int_equal(correlator_new(NULL, &c), VG_OK);
	for (int i = 0; i < 100; i++) {
		struct vg_event ev = http_event("203.0.113.9", 1000 * SEC + i * 1000, "/?id=1", 200);
		assert_int_equal(correlator_feed(c, &ev, ev.ts_us, &lazy, 1, keep_opened_text, &s), 0);
	}
	assert_int_equal(correlator_flush(c, on_alert, &s), 0);
	assert_int_equal(s.opened, 1);
	assert_int_equal(s.last_count, 100);
	assert_int_equal(asks, 1);
	assert_string_equal(opened_text, "or 1=1");
	correlator_free(c);
}

/* A reloaded rule set has its own copy of every id: the same rule still. */
static void
test_an_id_at_another_address_is_the_same_rule(void **state)
{
	(void)state;
	struct correlator *c;
	struct sink s = { 0 };
	char id[2][32] = { "http.sqli.union", "http.sqli.union" };
	struct correlate_hit copy = sqli;
	assert_int_equal(correlator_new(NULL, &c), VG_OK);
	struct vg_event ev = http_event("203.0.113.9", 1000 * SEC, "/?id=1", 200);
	correlator_feed(c, &ev, ev.ts_us, &sqli, 1, on_alert, &s);
	for (int i = 0; i < 4; i++) {
		copy.rule_id = id[i % 2];
		correlator_feed(c, &ev, ev.ts_us, &copy, 1, on_alert, &s);
	}
	/* and one attack rule, however many copies of its id: no active attacker */
	correlator_feed(c, &ev, ev.ts_us, &xss, 1, on_alert, &s);
	correlator_flush(c, on_alert, &s);
	assert_int_equal(s.opened, 2);
	assert_int_equal(s.total_count, 6);
	assert_int_equal(s.attacker, 0);
	correlator_free(c);
}

/* A scanner cycles through many rules, and per-key aggregates of one rule: every
 * hit joins its own aggregate, whichever was joined last. */
static void
test_many_rules_from_one_source_keep_their_own_counts(void **state)
{
	(void)state;
	struct correlator *c;
	struct sink s = { 0 };
	char ids[24][32];
	struct correlate_hit h[24], keyed = { .rule_id = "webshell.accessed", .title = "W",
		.category = "webshell", .severity = VG_SEV_LOW, .key_len = 5 };
	assert_int_equal(correlator_new(NULL, &c), VG_OK);
	for (int r = 0; r < 24; r++) {
		snprintf(ids[r], sizeof(ids[r]), "rule.%d", r);
		h[r] = (struct correlate_hit){ .rule_id = ids[r], .title = "T", .category = "x",
			.severity = VG_SEV_LOW };
	}
	struct vg_event ev = http_event("203.0.113.9", 1000 * SEC, "/x", 200);
	for (int i = 0; i < 10; i++) {
		for (int r = 0; r < 24; r++)
			for (int k = 0; k <= r % 3; k++)	/* rule r: (r % 3 + 1) hits a round */
				correlator_feed(c, &ev, ev.ts_us, &h[r], 1, on_alert, &s);
		keyed.text = i % 2 ? "/a.php" : "/b.php";
		keyed.text_len = 6;
		correlator_feed(c, &ev, ev.ts_us, &keyed, 1, on_alert, &s);
	}
	assert_int_equal(s.opened, 26);
	correlator_flush(c, on_alert, &s);
	assert_int_equal(s.closed, 26);
	assert_int_equal(s.total_count, 10 * (8 * 1 + 8 * 2 + 8 * 3) + 10);
	correlator_free(c);
}

static void
test_rollback_returns_to_the_committed_counts(void **state)
{
	(void)state;
	struct correlator *c;
	struct sink s = { 0 };
	assert_int_equal(correlator_new(NULL, &c), VG_OK);
	struct vg_event ev = http_event("203.0.113.9", 1000 * SEC, "/?id=1", 200);
	for (int i = 0; i < 3; i++)
		correlator_feed(c, &ev, ev.ts_us, &sqli, 1, on_alert, &s);
	correlator_committed(c);
	/* a round that rolls back: two more hits on the stored alert, a new alert */
	correlator_feed(c, &ev, ev.ts_us, &sqli, 1, on_alert, &s);
	correlator_feed(c, &ev, ev.ts_us, &sqli, 1, on_alert, &s);
	struct vg_event other = http_event("198.51.100.4", 1000 * SEC, "/x", 200);
	correlator_feed(c, &other, other.ts_us, &xss, 1, on_alert, &s);
	assert_int_equal(s.opened, 2);
	correlator_rolled_back(c);
	/* the same lines come again: counted once */
	correlator_feed(c, &ev, ev.ts_us, &sqli, 1, on_alert, &s);
	correlator_feed(c, &ev, ev.ts_us, &sqli, 1, on_alert, &s);
	correlator_feed(c, &other, other.ts_us, &xss, 1, on_alert, &s);
	assert_int_equal(s.opened, 3);	/* the rolled-back alert opens again (new id) */
	correlator_flush(c, on_alert, &s);
	assert_int_equal(s.closed, 2);
	assert_int_equal(s.total_count, 6);	/* 5 SQLi + 1 XSS, none twice */
	correlator_free(c);
}

static void
test_new_window_opens_a_new_alert(void **state)
{
	(void)state;
	struct correlator *c;
	struct sink s = { 0 };
	assert_int_equal(correlator_new(NULL, &c), VG_OK);
	struct vg_event ev = http_event("203.0.113.9", 1000 * SEC, "/?id=1", 200);
	correlator_feed(c, &ev, ev.ts_us, &sqli, 1, on_alert, &s);
	ev.ts_us += 301 * SEC;	/* default window is 300 s */
	correlator_feed(c, &ev, ev.ts_us, &sqli, 1, on_alert, &s);
	assert_int_equal(s.closed, 1);	/* the first window closed when time passed it */
	correlator_flush(c, on_alert, &s);
	assert_int_equal(s.opened, 2);
	assert_int_equal(s.total_count, 2);
	correlator_free(c);
}

static void
test_tick_closes_windows_without_new_events(void **state)
{
	(void)state;
	struct correlator *c;
	struct sink s = { 0 };
	assert_int_equal(correlator_new(NULL, &c), VG_OK);
	struct vg_event ev = http_event("203.0.113.9", 1000 * SEC, "/?id=1", 200);
	correlator_feed(c, &ev, ev.ts_us, &sqli, 1, on_alert, &s);
	correlator_tick(c, 1200 * SEC, on_alert, &s);
	assert_int_equal(s.closed, 0);
	correlator_tick(c, 1300 * SEC, on_alert, &s);
	assert_int_equal(s.closed, 1);
	correlator_free(c);
}

static void
test_distinct_404s_raise_dirbust_but_repeats_do_not(void **state)
{
	(void)state;
	struct correlator *c;
	struct sink s = { 0 };
	char url[64];
	assert_int_equal(correlator_new(NULL, &c), VG_OK);
	/* 100 requests for the same missing page: not directory busting. */
	for (int i = 0; i < 100; i++) {
		struct vg_event ev = http_event("198.51.100.1", 1000 * SEC + i, "/missing", 404);
		correlator_feed(c, &ev, ev.ts_us, NULL, 0, on_alert, &s);
	}
	/* 30 distinct missing paths within a second: directory busting. */
	for (int i = 0; i < 30; i++) {
		snprintf(url, sizeof(url), "/admin%d.php?x=1", i);
		struct vg_event ev = http_event("198.51.100.2", 1000 * SEC + i, url, 404);
		correlator_feed(c, &ev, ev.ts_us, NULL, 0, on_alert, &s);
	}
	correlator_flush(c, on_alert, &s);
	assert_int_equal(s.dirbust, 1);
	assert_int_equal(s.opened, 1);
	assert_int_equal(s.last_count, 11);	/* the 20th..30th distinct path */
	correlator_free(c);
}

/* 20 distinct 404s inside 60 s is busting: at one every 3.2 s the 20th-last has just
 * left the window (only 19 in it), at one every 2.9 s it has not. */
static void
test_distinct_404s_count_only_inside_the_window(void **state)
{
	(void)state;
	struct correlator *c;
	struct sink s = { 0 };
	char url[64];
	assert_int_equal(correlator_new(NULL, &c), VG_OK);
	for (int i = 0; i < 50; i++) {
		snprintf(url, sizeof(url), "/slow%d", i);
		struct vg_event ev = http_event("198.51.100.3", 1000 * SEC + i * 3200000LL, url, 404);
		correlator_feed(c, &ev, ev.ts_us, NULL, 0, on_alert, &s);
	}
	correlator_flush(c, on_alert, &s);
	assert_int_equal(s.dirbust, 0);
	for (int i = 0; i < 50; i++) {
		snprintf(url, sizeof(url), "/fast%d", i);
		struct vg_event ev = http_event("198.51.100.4", 5000 * SEC + i * 2900000LL, url, 404);
		correlator_feed(c, &ev, ev.ts_us, NULL, 0, on_alert, &s);
	}
	correlator_flush(c, on_alert, &s);
	assert_int_equal(s.dirbust, 1);
	assert_int_equal(s.last_count, 31);	/* the 20th..50th */
	correlator_free(c);
}

static struct vg_event
auth_event(const char *ip, int64_t ts, const char *action)
{
	struct vg_event ev;
	vg_event_init(&ev);
	ev.kind = VG_EV_AUTH;
	ev.ts_us = ts;
	snprintf(ev.src_ip, sizeof(ev.src_ip), "%s", ip);
	ev.action = action;
	return ev;
}

static void
test_failures_then_success_raise_bruteforce_and_success_alerts(void **state)
{
	(void)state;
	struct correlator *c;
	struct sink s = { 0 };
	assert_int_equal(correlator_new(NULL, &c), VG_OK);
	for (int i = 0; i < 12; i++) {
		struct vg_event ev = auth_event("192.0.2.50", 1000 * SEC + i * SEC, "Failed password");
		correlator_feed(c, &ev, ev.ts_us, NULL, 0, on_alert, &s);
	}
	struct vg_event ok = auth_event("192.0.2.50", 1013 * SEC, "Accepted password");
	correlator_feed(c, &ok, ok.ts_us, NULL, 0, on_alert, &s);
	/* A different source with a single failure then success: nothing. */
	struct vg_event f1 = auth_event("192.0.2.51", 1000 * SEC, "Failed password");
	struct vg_event s1 = auth_event("192.0.2.51", 1001 * SEC, "Accepted publickey");
	correlator_feed(c, &f1, f1.ts_us, NULL, 0, on_alert, &s);
	correlator_feed(c, &s1, s1.ts_us, NULL, 0, on_alert, &s);
	correlator_flush(c, on_alert, &s);
	assert_int_equal(s.brute, 1);
	assert_int_equal(s.success, 1);
	assert_int_equal(s.closed, 2);
	correlator_free(c);
}

static void
test_http_401_storm_is_bruteforce(void **state)
{
	(void)state;
	struct correlator *c;
	struct sink s = { 0 };
	assert_int_equal(correlator_new(NULL, &c), VG_OK);
	for (int i = 0; i < 15; i++) {
		struct vg_event ev = http_event("192.0.2.70", 1000 * SEC + i * SEC, "/admin/", 401);
		correlator_feed(c, &ev, ev.ts_us, NULL, 0, on_alert, &s);
	}
	struct vg_event ok = http_event("192.0.2.71", 1000 * SEC, "/admin/", 401);
	correlator_feed(c, &ok, ok.ts_us, NULL, 0, on_alert, &s);	/* one miss: nothing */
	correlator_flush(c, on_alert, &s);
	assert_int_equal(s.brute, 1);
	assert_int_equal(s.closed, 1);
	correlator_free(c);
}

/* A guesser with a browser's user agent gets 200 or 302 back from a login form: the
 * many POSTs to one login path give it away, POSTs elsewhere or too slow do not. */
static void
test_login_form_post_storm_is_web_bruteforce(void **state)
{
	(void)state;
	struct correlator *c;
	struct sink s = { 0 };
	assert_int_equal(correlator_new(NULL, &c), VG_OK);
	for (int i = 0; i < 12; i++) {
		struct vg_event ev = http_event("192.0.2.80", 1000 * SEC + i * SEC,
		    "/wp-login.php", i % 2 ? 200 : 302);
		ev.http.method = "POST";
		assert_true(correlate_wants(&ev));
		correlator_feed(c, &ev, ev.ts_us, NULL, 0, on_alert, &s);
	}
	for (int i = 0; i < 12; i++) {	/* a busy API client: not a login path */
		struct vg_event ev = http_event("192.0.2.81", 1000 * SEC + i * SEC, "/api/events", 200);
		ev.http.method = "POST";
		assert_false(correlate_wants(&ev));
		correlator_feed(c, &ev, ev.ts_us, NULL, 0, on_alert, &s);
	}
	for (int i = 0; i < 12; i++) {	/* a person retrying now and then */
		struct vg_event ev = http_event("192.0.2.82", 1000 * SEC + i * 60 * SEC, "/login", 200);
		ev.http.method = "POST";
		correlator_feed(c, &ev, ev.ts_us, NULL, 0, on_alert, &s);
	}
	for (int i = 0; i < 12; i++) {	/* the login page fetched, not posted */
		struct vg_event ev = http_event("192.0.2.83", 1000 * SEC + i * SEC, "/login", 200);
		ev.http.method = "GET";
		correlator_feed(c, &ev, ev.ts_us, NULL, 0, on_alert, &s);
	}
	correlator_flush(c, on_alert, &s);
	assert_int_equal(s.web_brute, 1);
	assert_int_equal(s.closed, 1);
	correlator_free(c);
}

static void
test_slow_failures_outside_the_window_are_not_bruteforce(void **state)
{
	(void)state;
	struct correlator *c;
	struct sink s = { 0 };
	assert_int_equal(correlator_new(NULL, &c), VG_OK);
	for (int i = 0; i < 30; i++) {
		struct vg_event ev = auth_event("192.0.2.60", 1000 * SEC + i * 60 * SEC, "Failed password");
		correlator_feed(c, &ev, ev.ts_us, NULL, 0, on_alert, &s);
	}
	correlator_flush(c, on_alert, &s);
	assert_int_equal(s.brute, 0);
	correlator_free(c);
}

static void
test_three_distinct_attack_rules_flag_an_active_attacker(void **state)
{
	(void)state;
	struct correlator *c;
	struct sink s = { 0 };
	assert_int_equal(correlator_new(NULL, &c), VG_OK);
	struct vg_event ev = http_event("203.0.113.77", 1000 * SEC, "/x", 200);
	correlator_feed(c, &ev, ev.ts_us, &sqli, 1, on_alert, &s);
	correlator_feed(c, &ev, ev.ts_us, &sqli, 1, on_alert, &s);
	correlator_feed(c, &ev, ev.ts_us, &xss, 1, on_alert, &s);
	assert_int_equal(s.opened, 2);
	correlator_feed(c, &ev, ev.ts_us, &lfi, 1, on_alert, &s);
	correlator_flush(c, on_alert, &s);
	assert_int_equal(s.attacker, 1);
	correlator_free(c);
}

static void
test_million_distinct_sources_stay_bounded_and_nothing_is_lost(void **state)
{
	(void)state;
	struct correlate_config cfg;
	struct correlator *c;
	struct correlate_stats st;
	struct sink s = { 0 };
	char ip[VG_IP_MAX];
	correlate_config_default(&cfg);
	cfg.max_sources = 10000;
	assert_int_equal(correlator_new(&cfg, &c), VG_OK);
	for (int i = 0; i < 1000000; i++) {
		snprintf(ip, sizeof(ip), "10.%d.%d.%d", (i >> 16) & 255, (i >> 8) & 255, i & 255);
		struct vg_event ev = http_event(ip, 1000 * SEC + i, "/?id=1", 200);
		correlator_feed(c, &ev, ev.ts_us, &sqli, 1, on_alert, &s);
	}
	correlator_stats(c, &st);
	assert_int_equal(st.sources, 10000);
	assert_int_equal(st.evicted_sources, 990000);
	correlator_flush(c, on_alert, &s);
	/* Evicted sources had their alerts closed and reported, not dropped. */
	assert_int_equal(s.opened, 1000000);
	assert_int_equal(s.closed, 1000000);
	correlator_free(c);
}

static void
test_per_source_alert_cap_counts_drops(void **state)
{
	(void)state;
	struct correlate_config cfg;
	struct correlator *c;
	struct correlate_stats st;
	struct sink s = { 0 };
	static char ids[40][24];
	correlate_config_default(&cfg);
	cfg.max_alerts_per_source = 4;
	cfg.attacker_rules = 1000;	/* keep the attacker alert out of the count */
	assert_int_equal(correlator_new(&cfg, &c), VG_OK);
	for (int i = 0; i < 10; i++) {
		snprintf(ids[i], sizeof(ids[i]), "rule.%d", i);
		struct correlate_hit h = { .rule_id = ids[i], .title = "t", .severity = VG_SEV_LOW };
		struct vg_event ev = http_event("203.0.113.5", 1000 * SEC, "/", 200);
		correlator_feed(c, &ev, ev.ts_us, &h, 1, on_alert, &s);
	}
	correlator_stats(c, &st);
	assert_int_equal(st.dropped_hits, 6);
	assert_int_equal(s.opened, 4);
	correlator_flush(c, on_alert, &s);
	correlator_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_of_20000_requests_is_one_alert_with_a_count),
		cmocka_unit_test(test_unreported_updates_still_count),
		cmocka_unit_test(test_a_text_found_on_demand_is_asked_for_once_per_alert),
		cmocka_unit_test(test_an_id_at_another_address_is_the_same_rule),
		cmocka_unit_test(test_many_rules_from_one_source_keep_their_own_counts),
		cmocka_unit_test(test_rollback_returns_to_the_committed_counts),
		cmocka_unit_test(test_new_window_opens_a_new_alert),
		cmocka_unit_test(test_tick_closes_windows_without_new_events),
		cmocka_unit_test(test_distinct_404s_raise_dirbust_but_repeats_do_not),
		cmocka_unit_test(test_distinct_404s_count_only_inside_the_window),
		cmocka_unit_test(test_failures_then_success_raise_bruteforce_and_success_alerts),
		cmocka_unit_test(test_http_401_storm_is_bruteforce),
		cmocka_unit_test(test_slow_failures_outside_the_window_are_not_bruteforce),
		cmocka_unit_test(test_login_form_post_storm_is_web_bruteforce),
		cmocka_unit_test(test_three_distinct_attack_rules_flag_an_active_attacker),
		cmocka_unit_test(test_million_distinct_sources_stay_bounded_and_nothing_is_lost),
		cmocka_unit_test(test_per_source_alert_cap_counts_drops),
	};
	return cmocka_run_group_tests_name("correlate", tests, NULL, NULL);
}
