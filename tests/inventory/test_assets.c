/* Unit tests for the asset register's readers and judges: the CSV reader (quotes,
 * CRLF, BOM, errors with line:column), the declared-inventory checks, ss and
 * conntrack lines, classification with the shipped rules and with inline rules,
 * and scan diffs, on a real SQLite store where one is needed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/store.h"
#include "inventory/assets_diff.h"
#include "inventory/assets_view.h"
#include "inventory/classify.h"
#include "inventory/import.h"
#include "inventory/import_csv.h"
#include "inventory/import_obs.h"
#include "inventory/register.h"
#include "inventory/sitewatch_fetch.h"
#include "inventory/sitewatch_page.h"

static void
test_csv_quotes_crlf_bom_and_multiline_fields(void **state)
{
	static const char data[] = "\xEF\xBB\xBF" "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n"
				   "\r\n\r\nlast,,\n";
	struct csv_reader *r = NULL;
	struct csv_row row;
	struct csv_error e;
	(void)state;

	assert_int_equal(csv_open(data, sizeof(data) - 1, &r), VG_OK);
	assert_int_equal(csv_next(r, &row, &e), VG_OK);
	assert_int_equal(row.n, 3);
	assert_string_equal(row.f[0], "a");	/* the BOM is not part of the first name */
	assert_int_equal(csv_next(r, &row, &e), VG_OK);
	assert_int_equal(row.n, 3);
	assert_string_equal(row.f[0], "x, y");
	assert_string_equal(row.f[1], "say \"hi\"");
	assert_string_equal(row.f[2], "two\r\nlines");
	assert_int_equal(row.line[2], 2);
	assert_int_equal(row.col[2], 21);
	/* blank lines are skipped; the record after them keeps its own line number */
	assert_int_equal(csv_next(r, &row, &e), VG_OK);
	assert_int_equal(row.n, 3);
	assert_int_equal(row.line[0], 6);
	assert_string_equal(row.f[1], "");
	assert_int_equal(csv_next(r, &row, &e), VG_ERR_NOTFOUND);
	csv_free(r);
}

static void
expect_csv_error(const char *data, size_t line, size_t col, const char *words)
{
	struct csv_reader *r = NULL;
	struct csv_row row;
	struct csv_error e;
	int ret;

	assert_int_equal(csv_open(data, strlen(data), &r), VG_OK);
	while ((ret = csv_next(r, &row, &e)) == VG_OK)
		;
	assert_int_equal(ret, VG_ERR_PARSE);
	assert_int_equal(e.line, line);
	assert_int_equal(e.col, col);
	assert_non_null(strstr(e.msg, words));
	csv_free(r);
}

static void
test_csv_errors_name_line_and_column(void **state)
{
	(void)state;
	expect_csv_error("a,b\nx,y\"z\n", 2, 4, "quote inside an unquoted field");
	expect_csv_error("a,b\n\"x\"y,z\n", 2, 4, "text after a closing quote");
	expect_csv_error("a,b\nok,\"never closed\n", 2, 4, "never closed");
	/* columns count characters, not bytes: 地址 is two */
	expect_csv_error("地址,b\n\xff,z\n", 2, 1, "not UTF-8");
	expect_csv_error("地址,b\"\n", 1, 5, "quote inside");
}

static void
test_import_checks_rows_and_reports_all_problems(void **state)
{
	static const char ok[] = "IP地址,系统名称,负责人,等保级别,是否互联网,角色\n"
				 "10.0.0.5,官网,张三,三级,是,web\n"
				 "WWW.Example.ORG.,官网,张三,等保3级,否,\n"
				 "2001:DB8::1,,,,,\n";
	static const char bad[] = "address,level,internet_facing\n"
				  "10.0.0.1,6,yes\n"
				  "10.0.0.0/24,,\n"
				  "10.0.0.2,2,maybe\n"
				  "10.0.0.1,1,no\n"
				  "bad name!,,\n";
	struct import_decls d;
	struct vg_buf *errs = vg_buf_new(8192);
	int level = 0;
	(void)state;

	assert_int_equal(import_parse("inv.csv", ok, sizeof(ok) - 1, &d, errs), VG_OK);
	assert_int_equal(d.n, 3);
	assert_string_equal(d.v[0].system, "官网");
	assert_int_equal(d.v[0].level, 3);
	assert_int_equal(d.v[0].internet, 1);
	assert_string_equal(d.v[1].address, "www.example.org");
	assert_int_equal(d.v[1].internet, 0);
	assert_null(d.v[1].role);
	assert_string_equal(d.v[2].address, "2001:db8::1");
	assert_int_equal(d.v[2].internet, -1);
	import_decls_free(&d);

	assert_int_equal(import_parse("bad.csv", bad, sizeof(bad) - 1, &d, errs), VG_ERR_PARSE);
	assert_int_equal(d.n, 0);
	const char *e = vg_buf_ptr(errs);
	assert_non_null(strstr(e, "bad.csv:2:10: level '6'"));
	assert_non_null(strstr(e, "bad.csv:3:1: a network (CIDR)"));
	assert_non_null(strstr(e, "bad.csv:4:12: internet_facing 'maybe'"));
	assert_non_null(strstr(e, "bad.csv:5:1: address already listed on line 2"));
	assert_non_null(strstr(e, "bad.csv:6:1: not an IP address or host name"));

	vg_buf_reset(errs);
	assert_int_equal(import_parse("h.csv", "addr,who\n1.2.3.4,x\n", 20, &d, errs), VG_ERR_PARSE);
	assert_non_null(strstr(vg_buf_ptr(errs), "h.csv:1:1: unknown column 'addr'"));
	vg_buf_free(errs);

	assert_int_equal(import_parse_level("III", &level), VG_OK);
	assert_int_equal(level, 3);
	assert_int_equal(import_parse_level("L4", &level), VG_OK);
	assert_int_equal(level, 4);
	assert_int_equal(import_parse_level("第二级", &level), VG_OK);
	assert_int_equal(level, 2);
	assert_int_equal(import_parse_level("0", &level), VG_ERR_PARSE);
}

static void
test_ss_and_conntrack_lines_are_oriented_client_to_service(void **state)
{
	struct obs_link o;
	(void)state;

	assert_int_equal(import_obs_line("ESTAB 0 0 10.0.0.20:51234 10.0.0.5:443 "
					 "users:((\"curl\",pid=7,fd=3))", &o), VG_OK);
	assert_string_equal(o.src, "10.0.0.20");
	assert_string_equal(o.dst, "10.0.0.5");
	assert_int_equal(o.dport, 443);
	assert_string_equal(o.process, "curl");
	/* inbound to a local service: the peer opened it */
	assert_int_equal(import_obs_line("ESTAB 0 0 [::ffff:10.0.0.5]:22 [::ffff:10.0.0.9]:40001",
			     &o), VG_OK);
	assert_string_equal(o.src, "10.0.0.9");
	assert_string_equal(o.dst, "10.0.0.5");
	assert_int_equal(o.dport, 22);
	assert_int_equal(import_obs_line("tcp 6 431999 ESTABLISHED src=10.0.0.21 dst=10.0.0.7 "
					 "sport=40000 dport=3306 src=10.0.0.7 dst=10.0.0.21 "
					 "sport=3306 dport=40000 [ASSURED] mark=0 use=1", &o), VG_OK);
	assert_string_equal(o.src, "10.0.0.21");
	assert_int_equal(o.dport, 3306);
	assert_string_equal(o.proto, "tcp");
	assert_int_equal(import_obs_line("LISTEN 0 128 0.0.0.0:22 0.0.0.0:*", &o), VG_ERR_NOTFOUND);
	assert_int_equal(import_obs_line("State Recv-Q Send-Q Local Address:Port Peer", &o),
	    VG_ERR_NOTFOUND);
	assert_int_equal(import_obs_line("icmp 1 29 src=10.0.0.1 dst=10.0.0.2 type=8 code=0 id=1",
			     &o), VG_ERR_NOTFOUND);
	assert_int_equal(import_obs_line("hello world", &o), VG_ERR_PARSE);
}

static json_t *
asset(const char *json)
{
	json_error_t je;
	json_t *a = json_loads(json, 0, &je);
	if (!a)
		fail_msg("bad test JSON: %s", je.text);
	return a;
}

static bool
has(json_t *a, const char *cls)
{
	json_t *v;
	size_t i;
	json_array_foreach(json_object_get(a, "classes"), i, v)
		if (strcmp(json_string_value(v), cls) == 0)
			return true;
	return false;
}

static void
test_shipped_rules_classify_a_small_estate(void **state)
{
	char path[4096];
	struct classify_rules *r = NULL;
	struct vg_buf *errs = vg_buf_new(8192);
	json_t *all = json_array();
	int64_t now = 1800000000LL * 1000000;
	(void)state;

	snprintf(path, sizeof(path), "%s/rules/%s", getenv("SRCDIR") ? getenv("SRCDIR") : ".",
	    CLASSIFY_RULES_FILE);
	if (classify_rules_load(path, &r, errs) != VG_OK)
		fail_msg("%s", vg_buf_ptr(errs));
	json_array_append_new(all, asset("{\"address\":\"10.0.0.5\",\"declared\":true,"
	    "\"internet_facing\":true,\"level\":3,\"system_name\":\"portal\",\"exposed\":true,"
	    "\"open_ports\":true,\"services\":[{\"port\":443,\"proto\":\"tcp\",\"name\":\"https\","
	    "\"tls_not_after\":1800864000000000}],\"links\":[]}"));
	json_array_append_new(all, asset("{\"address\":\"10.0.0.6\",\"declared\":true,"
	    "\"level\":3,\"system_name\":\"portal\",\"role\":\"admin backend\",\"services\":[],"
	    "\"links\":[]}"));
	json_array_append_new(all, asset("{\"address\":\"10.0.0.7\",\"declared\":true,"
	    "\"services\":[{\"port\":443,\"proto\":\"tcp\",\"http_title\":\"Welcome to SSL VPN\"}],"
	    "\"links\":[]}"));
	json_array_append_new(all, asset("{\"address\":\"10.0.0.20\",\"declared\":false,"
	    "\"services\":[],\"links\":[\"10.0.0.5\"]}"));
	json_array_append_new(all, asset("{\"address\":\"10.0.0.9\",\"declared\":false,"
	    "\"shadow\":true,\"services\":[{\"port\":6379,\"proto\":\"tcp\",\"name\":\"redis\"}],"
	    "\"links\":[]}"));
	json_array_append_new(all, asset("{\"address\":\"10.0.0.30\",\"declared\":true,"
	    "\"services\":[{\"port\":443,\"proto\":\"tcp\",\"http_title\":\"雷池 WAF\"}],"
	    "\"links\":[]}"));
	assert_int_equal(classify_assets(r, all, now), VG_OK);

	json_t *t = json_array_get(all, 0);
	assert_string_equal(json_string_value(json_object_get(t, "class")), "target");
	assert_true(has(t, "potential_target"));
	/* 40 target + 15 potential target + 10 certificate expiring in 10 days */
	assert_int_equal(json_integer_value(json_object_get(t, "risk")), 65);
	assert_true(has(json_array_get(all, 1), "target"));	/* admin back-end of a target */
	assert_true(has(json_array_get(all, 2), "key_equipment"));
	assert_true(has(json_array_get(all, 3), "springboard"));
	assert_string_equal(json_string_value(json_object_get(json_array_get(all, 4), "class")),
	    "shadow");
	assert_true(has(json_array_get(all, 5), "security_device"));
	/* every score is explained */
	json_t *why = json_array_get(json_object_get(json_array_get(all, 2), "reasons"), 0);
	assert_non_null(strstr(json_string_value(json_object_get(why, "evidence")), "SSL VPN"));
	json_decref(all);
	classify_rules_free(r);
	vg_buf_free(errs);
}

static void
test_rule_errors_are_reported_with_position(void **state)
{
	static const char text[] = "rules:\n"
				   "  - reason: x\n"
				   "    when: {port: [99999]}\n"
				   "  - reason: y\n"
				   "    colour: red\n"
				   "    when: {http_title: ['(unclosed']}\n"
				   "  - class: z\n"
				   "    when: {nonsense: true}\n";
	struct classify_rules *r = NULL;
	struct vg_buf *errs = vg_buf_new(8192);
	(void)state;

	assert_int_equal(classify_rules_parse("c.yaml", text, sizeof(text) - 1, &r, errs),
	    VG_ERR_CONFIG);
	assert_null(r);
	const char *e = vg_buf_ptr(errs);
	assert_non_null(strstr(e, "c.yaml:3:19: port: '99999' is not a port"));
	assert_non_null(strstr(e, "c.yaml:5:5: unknown key 'colour'"));
	assert_non_null(strstr(e, "c.yaml:6:25: http_title: bad pattern"));
	assert_non_null(strstr(e, "c.yaml:8:12: unknown condition 'nonsense'"));
	assert_non_null(strstr(e, "rule without a 'reason'"));
	vg_buf_free(errs);
}

static void
test_diff_reports_each_kind_of_change(void **state)
{
	char dir[] = "/tmp/vigil-assets-XXXXXX", path[128], err[256];
	struct vg_logger log = { .level = VG_LOG_ERROR };
	struct vg_store *st = NULL;
	int64_t a = 0, b = 0;
	json_t *d = NULL, *c;
	size_t i;
	char kinds[512] = "";
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/v.db", dir);
	assert_int_equal(store_open("sqlite", path, &log, &st, err, sizeof(err)), VG_OK);
	struct inv_obs a1 = { .address = "10.0.0.1", .port = 22, .service = "ssh",
		.product = "OpenSSH", .version = "9.2" };
	struct inv_obs a2 = { .address = "10.0.0.1", .port = 443, .service = "https",
		.http_title = "Home", .tls_subject = "CN=a" };
	struct inv_obs a3 = { .address = "10.0.0.2", .port = 80 };
	struct inv_obs b1 = { .address = "10.0.0.1", .port = 22, .service = "ssh",
		.product = "OpenSSH", .version = "9.6" };
	struct inv_obs b2 = { .address = "10.0.0.1", .port = 443, .service = "https",
		.http_title = "Hacked by x", .tls_subject = "CN=b" };
	struct inv_obs b3 = { .address = "10.0.0.3", .port = 3389 };
	assert_int_equal(register_scan_begin(st, "net", 1, &a), VG_OK);
	assert_int_equal(register_scan_add(st, a, &a1), VG_OK);
	assert_int_equal(register_scan_add(st, a, &a2), VG_OK);
	assert_int_equal(register_scan_add(st, a, &a3), VG_OK);
	assert_int_equal(register_scan_end(st, a, 2, "done"), VG_OK);
	/* not enough scans yet */
	assert_int_equal(assets_diff(st, 0, 0, &d), VG_ERR_NOTFOUND);
	assert_int_equal(register_scan_begin(st, "net", 3, &b), VG_OK);
	assert_int_equal(register_scan_add(st, b, &b1), VG_OK);
	assert_int_equal(register_scan_add(st, b, &b2), VG_OK);
	assert_int_equal(register_scan_add(st, b, &b3), VG_OK);
	assert_int_equal(register_scan_end(st, b, 4, "done"), VG_OK);

	assert_int_equal(assets_diff(st, 0, 0, &d), VG_OK);
	json_array_foreach(json_object_get(d, "changes"), i, c) {
		size_t n = strlen(kinds);
		snprintf(kinds + n, sizeof(kinds) - n, "%s%s:%s:%lld", n ? " " : "",
		    json_string_value(json_object_get(c, "change")),
		    json_string_value(json_object_get(c, "address")),
		    (long long)json_integer_value(json_object_get(c, "port")));
	}
	assert_string_equal(kinds, "gone_host:10.0.0.2:0 new_host:10.0.0.3:0 "
				   "version_changed:10.0.0.1:22 title_changed:10.0.0.1:443 "
				   "cert_changed:10.0.0.1:443 gone_port:10.0.0.2:80 "
				   "new_port:10.0.0.3:3389");
	json_decref(d);

	/* the view: 10.0.0.2 was seen (shadow) but not by the latest scan */
	json_t *all = NULL;
	assert_int_equal(assets_load(st, 1, &all), VG_OK);
	assert_int_equal(json_array_size(all), 3);
	assert_true(json_is_true(json_object_get(json_array_get(all, 0), "shadow")));
	json_decref(all);
	store_close(st);
	static const char *const files[] = { "v.db", "v.db-wal", "v.db-shm" };
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void
test_public_addresses(void **state)
{
	(void)state;
	assert_true(assets_addr_public("8.8.8.8"));
	assert_true(assets_addr_public("2606:4700::1111"));
	assert_false(assets_addr_public("10.1.2.3"));
	assert_false(assets_addr_public("172.20.0.1"));
	assert_false(assets_addr_public("100.64.0.1"));
	assert_false(assets_addr_public("203.0.113.9"));
	assert_false(assets_addr_public("::ffff:192.168.1.1"));
	assert_false(assets_addr_public("fd00::1"));
	assert_false(assets_addr_public("2001:db8::1"));
	assert_false(assets_addr_public("www.example.org"));
}

static void
test_page_scanner_sees_what_visitors_do_not(void **state)
{
	static const char html[] =
	    "<html><head><title>Portal &amp; news</title>"
	    "<style>.a{color:red}\n.seo { position: absolute; left: -10000px }</style>"
	    "<meta http-equiv=\"refresh\" content=\"5; URL=http://jump.example/\"></head><body>"
	    "<h1>Hello</h1><p>World</p><!-- <a href=\"http://commented.example/\">x</a> -->"
	    "<a href='/ok'>Visible</a>"
	    "<div class=\"x seo\"><p><a href=http://c1.example/>one</a></p></div>"
	    "<div style=\"font-size:0px\"><a href=\"http://c2.example/\">two</a></div>"
	    "<div style=\"height:0.5em\"><a href=\"/shown\">three</a></div>"
	    "<a hidden href=\"http://c3.example/\">four</a>"
	    "<script src=\"https://cdn.evil.example/x.js\"></script>"
	    "<script>var a='<a href=\"http://inscript.example/\">';top.location='http://j2.example/'</script>"
	    "</body></html>";
	struct page pg;
	(void)state;

	assert_int_equal(page_parse(html, sizeof(html) - 1, &pg), VG_OK);
	assert_string_equal(pg.title, "Portal & news");
	assert_non_null(strstr(pg.text, "Hello World"));
	assert_null(strstr(pg.text, "one"));	/* hidden text is not visible text */
	assert_int_equal(pg.nlinks, 5);		/* the commented and scripted ones are not links */
	assert_string_equal(pg.links[0].href, "/ok");
	assert_false(pg.links[0].hidden);
	assert_true(pg.links[1].hidden);	/* off-screen through a <style> class */
	assert_string_equal(pg.links[1].text, "one");
	assert_true(pg.links[2].hidden);	/* font-size:0px */
	assert_false(pg.links[3].hidden);	/* height:0.5em hides nothing */
	assert_true(pg.links[4].hidden);	/* the hidden attribute */
	assert_int_equal(pg.nredirects, 2);
	assert_string_equal(pg.redirects[0], "http://jump.example/");
	assert_non_null(strstr(pg.redirects[1], "top.location"));
	assert_int_equal(pg.nscripts, 1);
	page_free(&pg);

	/* fuzz_assets: an entity cut by the end of the bytes was compared past the end */
	char *cut = malloc(5);
	memcpy(cut, "ab&am", 5);
	assert_int_equal(page_parse(cut, 5, &pg), VG_OK);
	assert_string_equal(pg.text, "ab&am");
	page_free(&pg);
	free(cut);

	assert_true(page_style_hides("VISIBILITY: Hidden", 18));
	assert_true(page_style_hides("text-indent:-999em", 18));
	assert_false(page_style_hides("width:100px;left:-5px", 21));
	assert_true(page_similarity("the same text here", 18, "the same text here", 18) > 0.99);
	assert_true(page_similarity("welcome to the city portal news and services", 44,
			"hacked by team x your security is zero", 38) < 0.2);
	assert_int_equal(site_fetch_parse_expiry("Dec 31 00:00:00 2026 GMT"), 1798675200LL * 1000000);
	assert_int_equal(site_fetch_parse_expiry("2026-12-31 00:00:00 GMT"), 1798675200LL * 1000000);
	assert_int_equal(site_fetch_parse_expiry("soon"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_quotes_crlf_bom_and_multiline_fields),
		cmocka_unit_test(test_csv_errors_name_line_and_column),
		cmocka_unit_test(test_import_checks_rows_and_reports_all_problems),
		cmocka_unit_test(test_ss_and_conntrack_lines_are_oriented_client_to_service),
		cmocka_unit_test(test_shipped_rules_classify_a_small_estate),
		cmocka_unit_test(test_rule_errors_are_reported_with_position),
		cmocka_unit_test(test_diff_reports_each_kind_of_change),
		cmocka_unit_test(test_public_addresses),
		cmocka_unit_test(test_page_scanner_sees_what_visitors_do_not),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
