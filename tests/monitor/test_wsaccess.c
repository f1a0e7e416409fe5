/* Unit tests for webshell.accessed (monitor/wsaccess.h): scripts the alert path
 * reports are remembered under their URL, requests are matched the way a web server
 * maps them, the site's logs and the cap are honoured, and the correlator keeps one
 * alert per file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backup/manifest.h"
#include "backup/webroot.h"
#include "core/err.h"
#include "monitor/wsaccess.h"

static char *log_names[] = { "site-log" };

struct fixture {
	struct vg_webroot_cfg cfg;
	struct protect_root root;
	struct protect p;
	struct alerts al;
	struct wsaccess *w;
};

static void
setup(struct fixture *fx, size_t cap)
{
	memset(fx, 0, sizeof(*fx));
	fx->cfg.url_prefix = "/app/";
	fx->cfg.access_logs = (struct vg_cfg_strlist){ log_names, 1 };
	fx->root = (struct protect_root){ .name = "site", .path = "/srv/www", .cfg = &fx->cfg };
	fx->p.roots = &fx->root;
	fx->p.n_roots = 1;
	assert_int_equal(wsaccess_new(&fx->p, cap, NULL, &fx->w), VG_OK);
	alerts_init(&fx->al, &(struct alerts_opts){ 0 });
	assert_int_equal(alerts_add_sink(&fx->al, &sink_wsaccess, fx->w), VG_OK);
}

static void
added(struct fixture *fx, const char *rel)
{
	struct fim_change ch = { .root = &fx->root, .path = rel, .kinds = FIM_ADDED,
		.action = ACT_NONE };
	assert_int_equal(alert_emit(&fx->al, &(struct alert_in){ .kind = ALERT_FIM,
	    .state = ALERT_ONCE, .change = &ch }), VG_OK);
}

static struct vg_event
request(const char *method, const char *url, const char *referer)
{
	struct vg_event ev;
	vg_event_init(&ev);
	ev.kind = VG_EV_HTTP;
	ev.ts_us = vg_now_us();
	ev.source = "site-log";
	ev.http.method = method;
	ev.http.url = url;
	ev.http.referer = referer;
	return ev;
}

static bool
matches(struct fixture *fx, struct vg_event ev, struct correlate_hit *hit, char *text)
{
	return wsaccess_match(fx->w, &ev, hit, text, 256);
}

static void
test_url_paths_are_folded_like_a_web_server_maps_them(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "/a/b.php?x=1#f", "/a/b.php" },
		{ "//a/./b//c.php", "/a/b/c.php" },
		{ "/a/x/../b.php", "/a/b.php" },
		{ "/../../b.php", "/b.php" },
		{ "/a/%2e%2e/b%2Ephp", "/b.php" },
		{ "/a/b/..", "/a/" },
		{ "http://example.org/up/s.php?q", "/up/s.php" },
		{ "/a\\b.asp", "/a/b.asp" },
	};
	char out[256];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(wsaccess_url_path(cases[i][0], out, sizeof(out)), VG_OK);
		assert_string_equal(out, cases[i][1]);
	}
	assert_int_equal(wsaccess_url_path("*", out, sizeof(out)), VG_ERR_INVAL);
	assert_int_equal(wsaccess_url_path("/a%00.php", out, sizeof(out)), VG_ERR_INVAL);
	assert_int_equal(wsaccess_url_path("/aaaaaaaaaaaaaaaa", out, 8), VG_ERR_LIMIT);
}

static void
test_request_for_a_new_script_links_the_file_event(void **state)
{
	(void)state;
	struct fixture fx;
	struct correlate_hit hit;
	char text[256];
	setup(&fx, 0);
	added(&fx, "up/new.php");
	added(&fx, "up/logo.png");	/* not a script: not remembered */

	assert_true(matches(&fx, request("GET", "/app/up/new.php?page=2", "https://site/"), &hit,
	    text));
	assert_string_equal(hit.rule_id, "webshell.accessed");
	assert_int_equal(hit.severity, VG_SEV_HIGH);
	assert_non_null(strstr(text, "/srv/www/up/new.php (site; "));
	assert_non_null(strstr(text, "new script) GET"));
	assert_null(strstr(text, "no referer"));
	assert_int_equal(hit.key_len, strlen("/srv/www/up/new.php"));

	/* a POST without a referer, with a dense query, through PATH_INFO and dot segments */
	assert_true(matches(&fx, request("POST",
	    "/app/up/./x/../new.php/info?z=ZXZhbChiYXNlNjRfZGVjb2RlKCRfUE9TVFsneCddKSk7", "-"),
	    &hit, text));
	assert_int_equal(hit.severity, VG_SEV_CRITICAL);
	assert_non_null(strstr(text, "POST, no referer, high-entropy query"));

	/* not the file, not under the prefix, not a script */
	assert_false(matches(&fx, request("GET", "/app/up/new.phpx", NULL), &hit, text));
	assert_false(matches(&fx, request("GET", "/up/new.php", NULL), &hit, text));
	assert_false(matches(&fx, request("GET", "/app/up/logo.png", NULL), &hit, text));
	/* another site's log */
	struct vg_event ev = request("GET", "/app/up/new.php", NULL);
	ev.source = "other-site";
	assert_false(matches(&fx, ev, &hit, text));
	/* logged well before the file was there */
	ev = request("GET", "/app/up/new.php", NULL);
	ev.ts_us -= 3600 * 1000000LL;
	assert_false(matches(&fx, ev, &hit, text));
	struct wsaccess_stats st;
	wsaccess_get_stats(fx.w, &st);
	assert_int_equal(st.files, 1);
	assert_int_equal(st.matches, 2);
	wsaccess_free(fx.w);
}

static void
test_quarantined_webshell_is_remembered_with_its_verdict(void **state)
{
	(void)state;
	struct fixture fx;
	struct correlate_hit hit;
	char text[256];
	struct webshell_finding f = { .score = 97, .level = "malicious" };
	setup(&fx, 0);
	snprintf(f.path, sizeof(f.path), "/srv/www/img/x.jsp");
	snprintf(f.families, sizeof(f.families), "exec-sink");
	assert_int_equal(alert_emit(&fx.al, &(struct alert_in){ .kind = ALERT_WEBSHELL,
	    .state = ALERT_ONCE, .finding = &f, .root_name = "site", .qid = "q-1" }), VG_OK);
	/* the policy's fim.added that follows does not soften the verdict */
	added(&fx, "img/x.jsp");
	assert_true(matches(&fx, request("GET", "/app/img/x.jsp", "https://site/"), &hit, text));
	assert_int_equal(hit.severity, VG_SEV_CRITICAL);
	assert_non_null(strstr(text, "malicious exec-sink, quarantined"));
	/* a finding outside every root is not remembered */
	snprintf(f.path, sizeof(f.path), "/srv/wwwx/y.php");
	assert_int_equal(alert_emit(&fx.al, &(struct alert_in){ .kind = ALERT_WEBSHELL,
	    .state = ALERT_ONCE, .finding = &f, .root_name = "site", .qid = "q-2" }), VG_OK);
	struct wsaccess_stats st;
	wsaccess_get_stats(fx.w, &st);
	assert_int_equal(st.files, 1);
	wsaccess_free(fx.w);
}

static void
test_the_cap_forgets_the_oldest_script(void **state)
{
	(void)state;
	struct fixture fx;
	struct correlate_hit hit;
	char text[256];
	struct wsaccess_stats st;
	setup(&fx, 2);
	added(&fx, "a.php");
	added(&fx, "b.php");
	added(&fx, "c.php");
	wsaccess_get_stats(fx.w, &st);
	assert_int_equal(st.files, 2);
	assert_int_equal(st.forgotten, 1);
	assert_false(matches(&fx, request("GET", "/app/a.php", NULL), &hit, text));
	assert_true(matches(&fx, request("GET", "/app/b.php", NULL), &hit, text));
	assert_true(matches(&fx, request("GET", "/app/c.php", NULL), &hit, text));
	/* the same file twice takes one slot */
	added(&fx, "c.php");
	wsaccess_get_stats(fx.w, &st);
	assert_int_equal(st.files, 2);
	wsaccess_free(fx.w);
}

struct opened {
	int n;
};

static int
count_opened(enum correlate_emit what, struct vg_alert *a, const struct vg_event *ev, void *arg)
{
	(void)a;
	(void)ev;
	if (what == CORRELATE_OPENED)
		((struct opened *)arg)->n++;
	return 0;
}

static void
test_correlator_keeps_one_alert_per_file(void **state)
{
	(void)state;
	struct fixture fx;
	struct correlator *c;
	struct opened o = { 0 };
	char text[256];
	struct correlate_hit hit;
	setup(&fx, 0);
	added(&fx, "a.php");
	added(&fx, "b.php");
	assert_int_equal(correlator_new(NULL, &c), VG_OK);
	static const char *const urls[] = { "/app/a.php", "/app/a.php?x=1", "/app/b.php" };
	for (size_t i = 0; i < 3; i++) {
		struct vg_event ev = request(i == 1 ? "POST" : "GET", urls[i], NULL);
		snprintf(ev.src_ip, sizeof(ev.src_ip), "192.0.2.7");
		assert_true(matches(&fx, ev, &hit, text));
		assert_int_equal(correlator_feed(c, &ev, ev.ts_us, &hit, 1, count_opened, &o), 0);
	}
	assert_int_equal(o.n, 2);	/* a.php twice = one alert; b.php another */
	correlator_free(c);
	wsaccess_free(fx.w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_paths_are_folded_like_a_web_server_maps_them),
		cmocka_unit_test(test_request_for_a_new_script_links_the_file_event),
		cmocka_unit_test(test_quarantined_webshell_is_remembered_with_its_verdict),
		cmocka_unit_test(test_the_cap_forgets_the_oldest_script),
		cmocka_unit_test(test_correlator_keeps_one_alert_per_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
