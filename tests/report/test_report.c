/* Unit tests for the report stage's pieces: every word exists in both languages,
 * store text is escaped (attacker bytes), templates fill counts, quantiles, cuts at
 * character boundaries, a report over an empty store says so per section, and the
 * one-pass alert aggregation agrees with SQLite's GROUP BY on awkward rows; duty
 * coverage follows the local clock across DST changes; "notified" is when the
 * notification went out; an export with no rows still has its header. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "report/facts.h"
#include "report/report_int.h"

static void
test_every_word_in_both_languages(void **state)
{
	(void)state;
	for (int i = 0; i < R_COUNT_; i++) {
		assert_string_not_equal(report_str(REPORT_EN, (enum rstr)i), "?");
		assert_string_not_equal(report_str(REPORT_ZH, (enum rstr)i), "?");
	}
	assert_string_equal(report_str(REPORT_ZH, R_DAILY_TITLE), "每日简报");
	assert_string_equal(report_str(REPORT_ZH, R_FINAL_TITLE), "工作总结");
}

static void
test_text_is_escaped(void **state)
{
	(void)state;
	struct vg_buf *b = vg_buf_new(4096);
	struct rw w = { .b = b, .lang = REPORT_EN };

	rw_text(&w, "<img src=x onerror=\"alert('1')\">&\x1b[31m\n");
	assert_int_equal(w.err, 0);
	assert_string_equal(vg_buf_ptr(b),
	    "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;\\x1b[31m\\x0a");
	vg_buf_free(b);
}

static void
test_template_fills_counts(void **state)
{
	(void)state;
	struct vg_buf *b = vg_buf_new(4096);
	struct rw w = { .b = b, .lang = REPORT_EN };

	rw_tpl(&w, R_ST_ATTACKS, 1234, 5);
	assert_string_equal(vg_buf_ptr(b), "1234 attack events from 5 sources");
	vg_buf_reset(b);
	w.lang = REPORT_ZH;
	rw_tpl(&w, R_ST_ATTACKS, 7, 2);
	assert_string_equal(vg_buf_ptr(b), "共记录攻击 7 次，来自 2 个来源");
	vg_buf_free(b);
}

static void
test_cut_keeps_characters_whole(void **state)
{
	(void)state;
	struct vg_buf *b = vg_buf_new(4096);
	struct rw w = { .b = b, .lang = REPORT_EN };

	rw_text_cut(&w, "博彩博彩", 4);	/* 3-byte characters: 4 bytes hold one */
	assert_string_equal(vg_buf_ptr(b), "博&hellip;");
	vg_buf_reset(b);
	rw_text_cut(&w, "<b>", 10);
	assert_string_equal(vg_buf_ptr(b), "&lt;b&gt;");
	vg_buf_free(b);
}

static void
test_quantiles_by_nearest_rank(void **state)
{
	(void)state;
	int64_t v[] = { 50, 10, 40, 20, 30, 100, 90, 80, 70, 60 };
	assert_int_equal(report_quantile(v, 10, 0.5), 50);
	assert_int_equal(report_quantile(v, 10, 0.9), 90);
	assert_int_equal(report_quantile(v, 1, 0.9), 10);
	assert_int_equal(report_quantile(v, 0, 0.5), 0);
}

static void
test_writer_errors_are_sticky(void **state)
{
	(void)state;
	struct vg_buf *b = vg_buf_new(8);
	struct rw w = { .b = b, .lang = REPORT_EN };

	rw_raw(&w, "0123456789");
	assert_int_equal(w.err, VG_ERR_LIMIT);
	rw_raw(&w, "x");
	assert_int_equal(vg_buf_len(b), 0);
	vg_buf_free(b);
}

/* An empty store: each section says so in one line, no chart is drawn. */
/* The test store's files and its directory. */
static void
remove_store(const char *dir)
{
	static const char *const names[] = { "s.db", "s.db-wal", "s.db-shm" };
	char path[64];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void
test_empty_store_says_so(void **state)
{
	(void)state;
	char dir[] = "/tmp/vigil-report-unit.XXXXXX", path[64], err[256];
	struct vg_store *st = NULL;
	struct vg_buf *b = vg_buf_new(REPORT_HTML_MAX);
	struct vg_config cfg;
	struct report_opts o = { .kind = REPORT_DAILY, .lang = REPORT_EN, .now_us = 2000000,
		.from_us = 0, .to_us = 86400000000LL, .cfg = &cfg };

	memset(&cfg, 0, sizeof(cfg));
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	assert_int_equal(store_open("sqlite", path, NULL, &st, err, sizeof(err)), VG_OK);
	assert_int_equal(report_render(st, &o, b), VG_OK);
	assert_non_null(strstr(vg_buf_ptr(b), "No attacks recorded in this period."));
	assert_non_null(strstr(vg_buf_ptr(b), "No incidents in this period."));
	assert_non_null(strstr(vg_buf_ptr(b), "Nothing waits for a decision."));
	assert_null(strstr(vg_buf_ptr(b), "<svg"));
	assert_null(strstr(vg_buf_ptr(b), "<script"));
	vg_buf_reset(b);
	o.kind = REPORT_FINAL;
	o.lang = REPORT_ZH;
	assert_int_equal(report_render(st, &o, b), VG_OK);
	assert_non_null(strstr(vg_buf_ptr(b), "工作总结"));
	store_close(st);
	vg_buf_free(b);
	remove_store(dir);
}

/* The C aggregation (scan.c) against the GROUP BY queries it replaced, on rows that
 * hit the edges: NULL and "-" categories, a comma in a category, NULL and empty
 * sources and sites, ties broken by the address's bytes, more sources than the top,
 * tamper alerts with and without a done restore, intrusion rules, rows out of the
 * period. */
static void
test_scan_matches_group_by(void **state)
{
	(void)state;
	static const char ins[] =
	    "INSERT INTO alerts(id, rule_id, category, severity, source_ip, sensor, count,"
	    " first_seen, last_seen, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8)";
	static const char ref_src[] =
	    "SELECT source_ip, count(*) AS alerts, sum(count) AS events,"
	    " max(category = 'ioc') AS ioc, max(severity) AS severity,"
	    " replace(group_concat(DISTINCT category), ',', ', ') AS categories,"
	    " count(*) OVER () AS n FROM alerts WHERE first_seen >= $1 AND first_seen < $2"
	    " AND source_ip <> '' GROUP BY 1 ORDER BY events DESC, source_ip LIMIT 8";
	static const char ref_roll[] =
	    "SELECT (first_seen - $1) / 3600000000 AS h, coalesce(category, '-') AS category,"
	    " coalesce(sensor, '') AS sensor, count(*) AS alerts, sum(count) AS events FROM alerts"
	    " WHERE first_seen >= $1 AND first_seen < $2 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";
	static const char *const cats[] = { "sqli", NULL, "-", "a,b", "ioc", "tamper", "webshell" };
	static const char *const ips[] = { "10.0.0.1", "10.0.0.10", "", NULL, "10.0.0.2", "b",
		"a", "10.0.0.9", "10.0.0.3", "10.0.0.4", "c" };
	static const char *const sites[] = { "s1", NULL, "", "s2" };
	char dir[] = "/tmp/vigil-report-unit.XXXXXX", path[64], err[256];
	struct vg_store *st = NULL;
	struct vg_config cfg;
	struct report_opts o = { .kind = REPORT_DAILY, .lang = REPORT_EN, .now_us = 2000000,
		.from_us = 3600000000LL, .to_us = 3600000000LL + 86400000000LL, .cfg = &cfg };
	struct rw w = { .st = NULL, .o = &o };
	struct report_facts f;
	json_t *want, *got, *row;
	size_t i;

	memset(&cfg, 0, sizeof(cfg));
	memset(&f, 0, sizeof(f));
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	assert_int_equal(store_open("sqlite", path, NULL, &st, err, sizeof(err)), VG_OK);
	w.st = st;
	for (i = 0; i < 400; i++) {
		const char *rule = i % 53 == 0 ? "auth.success_after_failures" :
		    i % 61 == 0 ? "webshell.accessed" : "r";
		const struct store_val v[] = { SV_INT(i + 1), SV_TEXT(rule),
			SV_TEXT(cats[i % 7]), SV_INT(i % 5), SV_TEXT(ips[i % 11]),
			SV_TEXT(sites[i % 4]), SV_INT(i % 3 == 0 ? 2 : 1),
			/* from 30 minutes before the period to 2 hours after it */
			SV_INT(1800000000LL + (int64_t)i * 233000000LL) };
		assert_int_equal(store_exec(st, ins, v, 8, NULL, NULL), VG_OK);
	}
	assert_int_equal(store_exec(st, "INSERT INTO actions(kind, target, status, alert_id,"
	    " created_at) VALUES ('restore', '/x', 'done', 20, 1), ('quarantine', '/y', 'failed',"
	    " 27, 1), ('restore', '/z', 'done', 34, 1)", NULL, 0, NULL, NULL), VG_OK);

	assert_int_equal(report_scan_alerts(&w, &f, false), VG_OK);
	const struct store_val range[] = { SV_INT(o.from_us), SV_INT(o.to_us) };
	assert_int_equal(store_query(st, ref_src, range, 2, 0, &want), VG_OK);
	assert_int_equal(json_array_size(want), 8);
	assert_int_equal(json_array_size(f.top_sources), 8);
	assert_int_equal(f.sources, rj_int(json_array_get(want, 0), "n"));
	json_array_foreach(want, i, row) {
		got = json_array_get(f.top_sources, i);
		assert_string_equal(rj_str(got, "source_ip"), rj_str(row, "source_ip"));
		assert_int_equal(rj_int(got, "alerts"), rj_int(row, "alerts"));
		assert_int_equal(rj_int(got, "events"), rj_int(row, "events"));
		assert_int_equal(rj_int(got, "ioc"), rj_int(row, "ioc"));
		assert_int_equal(rj_int(got, "severity"), rj_int(row, "severity"));
		assert_string_equal(rj_str(got, "categories"), rj_str(row, "categories"));
	}
	json_decref(want);

	assert_int_equal(store_query(st, ref_roll, range, 2, 0, &want), VG_OK);
	assert_int_equal(json_array_size(f.rollup), json_array_size(want));
	json_array_foreach(want, i, row) {
		json_t *g;
		size_t j, hits = 0;
		json_array_foreach(f.rollup, j, g) {
			if (rj_int(g, "h") != rj_int(row, "h") ||
			    strcmp(rj_str(g, "category"), rj_str(row, "category")) != 0 ||
			    strcmp(rj_str(g, "sensor"), rj_str(row, "sensor")) != 0)
				continue;
			hits++;
			assert_int_equal(rj_int(g, "alerts"), rj_int(row, "alerts"));
			assert_int_equal(rj_int(g, "events"), rj_int(row, "events"));
		}
		assert_int_equal(hits, 1);
	}
	json_decref(want);

	assert_int_equal(store_query(st, "SELECT count(*) AS a, sum(count) AS e,"
	    " min(first_seen) AS first, max(first_seen) AS last,"
	    " sum(category IN ('defacement', 'tamper', 'webshell')) AS tamper,"
	    " sum(rule_id IN ('auth.success_after_failures', 'webshell.accessed')"
	    " OR (category IN ('defacement', 'tamper', 'webshell') AND id NOT IN"
	    " (SELECT alert_id FROM actions WHERE alert_id IS NOT NULL AND status = 'done'"
	    " AND kind IN ('restore', 'quarantine')))) AS intrusion FROM alerts"
	    " WHERE first_seen >= $1 AND first_seen < $2", range, 2, 0, &want), VG_OK);
	row = json_array_get(want, 0);
	assert_int_equal(f.alerts, rj_int(row, "a"));
	assert_int_equal(f.events, rj_int(row, "e"));
	assert_int_equal(f.first, rj_int(row, "first"));
	assert_int_equal(f.last, rj_int(row, "last"));
	assert_int_equal(f.tamper_alerts, rj_int(row, "tamper"));
	assert_int_equal(f.intrusion, rj_int(row, "intrusion"));
	assert_true(f.intrusion > 0 && f.alerts < 400);
	json_decref(want);
	report_facts_free(&f);
	store_close(st);
	remove_store(dir);
}

/* A store in a fresh directory; open_test_store fills dir and *st. */
static void
open_test_store(char *dir, struct vg_store **st)
{
	char path[64], err[256];

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	assert_int_equal(store_open("sqlite", path, NULL, st, err, sizeof(err)), VG_OK);
}

/* Minutes covered on the local day holding day_s, by a daily 20:00-01:00 Berlin shift
 * that first ran on 2026-03-01; *minutes gets the day's length. */
static long long
berlin_night_shift_minutes(struct vg_store *st, int64_t day_s, long long *minutes)
{
	struct vg_config cfg;
	struct report_opts o = { .kind = REPORT_DAILY, .lang = REPORT_EN, .cfg = &cfg };
	struct rw w = { .st = st, .o = &o, .lang = REPORT_EN };
	struct report_facts f;
	long long covered;

	memset(&cfg, 0, sizeof(cfg));
	report_day_range(day_s * 1000000LL, &o.from_us, &o.to_us);
	o.now_us = o.to_us;
	assert_int_equal(report_facts(&w, &f), VG_OK);
	assert_true(f.has_duty);
	*minutes = f.duty_minutes;
	covered = f.duty_covered;
	report_facts_free(&f);
	return covered;
}

/* A daily shift keeps its local hours across a DST change (as the roster does):
 * 20:00-01:00 covers 5 hours of the 23-hour and of the 25-hour day, not 4 and 6
 * (repeating every 86,400 s moves it an hour). */
static void
test_duty_coverage_follows_local_clock_over_dst(void **state)
{
	(void)state;
	char dir[] = "/tmp/vigil-report-unit.XXXXXX";
	struct vg_store *st = NULL;
	const char *old_tz = getenv("TZ");
	char *saved = old_tz ? strdup(old_tz) : NULL;
	long long minutes = 0;

	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	open_test_store(dir, &st);
	/* 2026-03-01 20:00 CET = 1772391600 */
	assert_int_equal(store_exec(st, "INSERT INTO duty_shifts(person, starts_at, ends_at, daily,"
	    " created_at) VALUES ('night', 1772391600000000, 1772409600000000, 1, 0)", NULL, 0,
	    NULL, NULL), VG_OK);
	/* 2026-03-29 (spring forward: 23 hours) and 2026-10-25 (fall back: 25 hours) */
	assert_int_equal(berlin_night_shift_minutes(st, 1774778400, &minutes), 5 * 60);
	assert_int_equal(minutes, 23 * 60);
	assert_int_equal(berlin_night_shift_minutes(st, 1792926000, &minutes), 5 * 60);
	assert_int_equal(minutes, 25 * 60);
	/* an ordinary day */
	assert_int_equal(berlin_night_shift_minutes(st, 1774778400 + 86400 * 3, &minutes), 5 * 60);
	assert_int_equal(minutes, 24 * 60);
	store_close(st);
	remove_store(dir);
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	free(saved);
	tzset();
}

/* "Notified" is when the outbox sent the incident's notification (or the digest it
 * was folded into), never the incident's creation time; "not notified" when none
 * went out (a pending one has not gone out). */
static void
test_notified_is_when_sent(void **state)
{
	(void)state;
	char dir[] = "/tmp/vigil-report-unit.XXXXXX";
	struct vg_store *st = NULL;
	struct vg_buf *b = vg_buf_new(REPORT_HTML_MAX);
	struct vg_config cfg;
	/* 2026-11-30 00:00 UTC, one day */
	const int64_t day = 1795996800LL * 1000000;
	struct report_opts o = { .kind = REPORT_DAILY, .lang = REPORT_EN, .now_us = day + 86400000000LL,
		.from_us = day, .to_us = day + 86400000000LL, .cfg = &cfg };
	const char *old_tz = getenv("TZ");
	char *saved = old_tz ? strdup(old_tz) : NULL;
	const char *html;

	memset(&cfg, 0, sizeof(cfg));
	setenv("TZ", "UTC", 1);
	tzset();
	open_test_store(dir, &st);
	/* incident 1 opened 10:00, its notification sent 10:07; incident 2 opened 11:00,
	 * folded into a digest sent 11:30; incident 11 opened 12:00, still pending;
	 * incident 3 opened 13:00, never queued. */
	assert_int_equal(store_exec(st, "INSERT INTO incidents(id, group_key, title, severity,"
	    " first_seen, last_seen, created_at, updated_at) VALUES"
	    " (1, 'a', 'one', 4, $1 + 36000000000, $1, $1 + 36000000000, $1),"
	    " (2, 'b', 'two', 4, $1, $1, $1 + 39600000000, $1),"
	    " (11, 'c', 'eleven', 4, $1, $1, $1 + 43200000000, $1),"
	    " (3, 'd', 'three', 4, $1, $1, $1 + 46800000000, $1)",
	    (struct store_val[]){ SV_INT(day) }, 1, NULL, NULL), VG_OK);
	assert_int_equal(store_exec(st, "INSERT INTO incident_history(incident_id, at, actor,"
	    " action) VALUES (1, $1 + 36000000000, 'watch', 'create'),"
	    " (1, $1 + 37800000000, 'ann', 'ack')",
	    (struct store_val[]){ SV_INT(day) }, 1, NULL, NULL), VG_OK);
	assert_int_equal(store_exec(st, "INSERT INTO outbox(id, channel, idem_key, kind, severity,"
	    " message, state, next_at, created_at, sent_at, digest_id) VALUES"
	    " (1, 'hook', 'incident-1-new@hook', 'incident', 4, '{}', 'sent', 0, 0,"
	    "  $1 + 36420000000, NULL),"
	    " (2, 'hook', 'incident-2-new@hook', 'incident', 4, '{}', 'digested', 0, 0, NULL, 3),"
	    " (3, 'hook', 'digest-2-2@hook', 'digest', 4, '{}', 'sent', 0, 0, $1 + 41400000000, NULL),"
	    " (4, 'hook', 'incident-11-new@hook', 'incident', 4, '{}', 'pending', 0, 0, NULL, NULL)",
	    (struct store_val[]){ SV_INT(day) }, 1, NULL, NULL), VG_OK);
	assert_int_equal(report_render(st, &o, b), VG_OK);
	html = vg_buf_ptr(b);
	assert_non_null(strstr(html, "<th>Notified</th>"));
	assert_non_null(strstr(html, "<td>one</td><td class=\"t\">2026-11-30 10:07</td>"));
	assert_non_null(strstr(html, "<td>two</td><td class=\"t\">2026-11-30 11:30</td>"));
	assert_non_null(strstr(html, "<td>eleven</td><td>not notified</td>"));
	assert_non_null(strstr(html, "<td>three</td><td>not notified</td>"));
	vg_buf_reset(b);
	o.kind = REPORT_FINAL;
	assert_int_equal(report_render(st, &o, b), VG_OK);
	html = vg_buf_ptr(b);
	/* the chain: opened 10:00, notified 10:07, acknowledged 10:30 */
	assert_non_null(strstr(html, "<b>Opened</b> 2026-11-30 10:00 watch &rarr; <b>Notified</b> "
	    "2026-11-30 10:07 &rarr; <b>Acknowledged</b> 2026-11-30 10:30 ann"));
	store_close(st);
	vg_buf_free(b);
	remove_store(dir);
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	free(saved);
	tzset();
}

/* An export with no rows still names its columns (a reader of an empty period's
 * deliverables gets a valid CSV with a header, not an empty file). */
static void
test_empty_export_has_header(void **state)
{
	(void)state;
	char dir[] = "/tmp/vigil-report-unit.XXXXXX", xdir[96], path[128], line[512];
	static const char *const names[] = { "assets.csv", "rectification.csv", "incidents.json",
		"notices.csv", "alerts.csv", "actions.csv", "handovers.csv", "SHA256SUMS" };
	struct vg_store *st = NULL;
	struct vg_config cfg;
	struct report_opts o = { .kind = REPORT_FINAL, .lang = REPORT_EN, .now_us = 2000000,
		.from_us = 0, .to_us = 86400000000LL, .cfg = &cfg };
	json_t *list = NULL;
	FILE *f;

	memset(&cfg, 0, sizeof(cfg));
	open_test_store(dir, &st);
	snprintf(xdir, sizeof(xdir), "%s/x", dir);
	assert_int_equal(report_exports(st, &o, xdir, &list), VG_OK);
	assert_int_equal(json_array_size(list), 7);
	snprintf(path, sizeof(path), "%s/alerts.csv", xdir);
	assert_non_null(f = fopen(path, "r"));
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "id,rule_id,title,category,severity,source_ip,sensor,count,"
	    "first_seen,last_seen,evidence_lines\r\n");
	assert_null(fgets(line, sizeof(line), f));
	fclose(f);
	snprintf(path, sizeof(path), "%s/handovers.csv", xdir);
	assert_non_null(f = fopen(path, "r"));
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "id,at,from_person,to_person,note\r\n");
	fclose(f);
	json_decref(list);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", xdir, names[i]);
		unlink(path);
	}
	rmdir(xdir);
	store_close(st);
	remove_store(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_word_in_both_languages),
		cmocka_unit_test(test_text_is_escaped),
		cmocka_unit_test(test_template_fills_counts),
		cmocka_unit_test(test_cut_keeps_characters_whole),
		cmocka_unit_test(test_quantiles_by_nearest_rank),
		cmocka_unit_test(test_writer_errors_are_sticky),
		cmocka_unit_test(test_empty_store_says_so),
		cmocka_unit_test(test_scan_matches_group_by),
		cmocka_unit_test(test_duty_coverage_follows_local_clock_over_dst),
		cmocka_unit_test(test_notified_is_when_sent),
		cmocka_unit_test(test_empty_export_has_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
