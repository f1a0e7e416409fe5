/* Unit tests for the log decoders: every format with good lines (all fields checked),
 * the edge cases attackers and broken loggers produce, and the contract that a bad
 * line comes back as VG_ERR_PARSE + decode_error with the raw line kept. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "monitor/decode.h"
#include "monitor/decode_int.h"

/* 2000-10-10T20:55:36Z, the Apache docs' example time */
#define TS_APACHE_EXAMPLE 971211336000000LL

static struct decoder *
new_decoder(const char *format, const char *log_format)
{
	struct decoder *d = NULL;
	char err[256];
	int r = decoder_new(format, log_format, &d, err, sizeof(err));
	if (r != VG_OK)
		fail_msg("decoder_new(%s): %s", format, err);
	return d;
}

/* Decodes a NUL-terminated line, expecting success. */
static void
decode_ok(struct decoder *d, const char *line, struct vg_event *ev)
{
	int r = decoder_decode(d, line, strlen(line), ev);
	if (r != VG_OK)
		fail_msg("'%s' did not decode: %s", line, ev->message ? ev->message : "?");
	assert_ptr_equal(ev->raw, line);
	assert_int_equal(ev->raw_len, strlen(line));
}

static void
assert_decode_error(struct decoder *d, const char *line, size_t len)
{
	struct vg_event ev;
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(decoder_decode(d, line, len, &ev), VG_ERR_PARSE);
	assert_int_equal(ev.kind, VG_EV_DECODE_ERROR);
	assert_ptr_equal(ev.raw, line);
	assert_int_equal(ev.raw_len, len);
	assert_non_null(ev.message);
	assert_string_equal(ev.src_ip, "");
	assert_null(ev.http.url);
}

/* ---------------------------------------------------------------- combined */

static void
test_combined_line_gives_every_field(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("combined", NULL);
	struct vg_event ev;
	const char *line = "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "
	    "\"GET /apache_pb.gif?a=1&b=2 HTTP/1.0\" 200 2326 "
	    "\"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"";
	decode_ok(d, line, &ev);
	assert_int_equal(ev.kind, VG_EV_HTTP);
	assert_string_equal(ev.src_ip, "127.0.0.1");
	assert_string_equal(ev.user, "frank");
	assert_true(ev.ts_us == TS_APACHE_EXAMPLE);
	assert_string_equal(ev.http.method, "GET");
	assert_string_equal(ev.http.url, "/apache_pb.gif?a=1&b=2");
	assert_string_equal(ev.http.version, "HTTP/1.0");
	assert_int_equal(ev.http.status, 200);
	assert_int_equal(ev.http.bytes, 2326);
	assert_string_equal(ev.http.referer, "http://www.example.com/start.html");
	assert_string_equal(ev.http.user_agent, "Mozilla/4.08 [en] (Win98; I ;Nav)");
	uint64_t ok, errors;
	decoder_stats(d, &ok, &errors);
	assert_int_equal(ok, 1);
	assert_int_equal(errors, 0);
	decoder_free(d);
}

static void
test_combined_dash_fields_are_absent(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("combined", NULL);
	struct vg_event ev;
	decode_ok(d, "10.1.2.3 - - [10/Oct/2000:13:55:36 +0000] \"HEAD / HTTP/1.1\" 304 - \"-\" \"-\"",
	    &ev);
	assert_string_equal(ev.src_ip, "10.1.2.3");
	assert_null(ev.user);
	assert_int_equal(ev.http.status, 304);
	assert_int_equal(ev.http.bytes, -1);
	assert_null(ev.http.referer);
	assert_null(ev.http.user_agent);
	assert_string_equal(ev.http.method, "HEAD");
	decoder_free(d);
}

static void
test_combined_ipv6_client(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("combined", NULL);
	struct vg_event ev;
	decode_ok(d, "2001:db8:85a3::8a2e:370:7334 - - [10/Oct/2000:13:55:36 -0700] "
	    "\"GET / HTTP/1.1\" 200 5 \"-\" \"curl/7.88\"", &ev);
	assert_string_equal(ev.src_ip, "2001:db8:85a3::8a2e:370:7334");
	assert_string_equal(ev.http.user_agent, "curl/7.88");
	decoder_free(d);
}

static void
test_combined_escaped_quotes_in_agent_and_url(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("apache", NULL);
	struct vg_event ev;
	decode_ok(d, "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "
	    "\"GET /q?s=\\\"><script>x\\\\y HTTP/1.1\" 200 5 \"-\" "
	    "\"Mozilla \\\"evil\\\" agent\"", &ev);
	assert_string_equal(ev.http.url, "/q?s=\"><script>x\\y");
	assert_string_equal(ev.http.user_agent, "Mozilla \"evil\" agent");
	decoder_free(d);
}

/* The decoder looks for a backslash once per line: one far from the request counts. */
static void
test_combined_escape_only_in_a_later_field(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("apache", NULL);
	struct vg_event ev;
	decode_ok(d, "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /plain HTTP/1.1\" 200 5 "
	    "\"-\" \"agent \\\"x\\\" \\\\\"", &ev);
	assert_string_equal(ev.http.url, "/plain");
	assert_string_equal(ev.http.user_agent, "agent \"x\" \\");
	decode_ok(d, "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /plain HTTP/1.1\" 200 5 "
	    "\"http://r/\\\"a\" \"ua\"", &ev);
	assert_string_equal(ev.http.referer, "http://r/\"a");
	assert_string_equal(ev.http.user_agent, "ua");
	decoder_free(d);
}

static void
test_combined_raw_quote_in_agent_is_tolerated(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("combined", NULL);
	struct vg_event ev;
	/* nginx with escape=none writes quotes raw */
	decode_ok(d, "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /a\" b HTTP/1.1\" 200 5 "
	    "\"ref \"x\" y\" \"sqlmap (x\"y)\" \"10.0.0.1\"", &ev);
	assert_string_equal(ev.http.url, "/a\" b");
	assert_string_equal(ev.http.referer, "ref \"x\" y");
	assert_string_equal(ev.http.user_agent, "sqlmap (x\"y)");
	decoder_free(d);
}

static void
test_common_log_format_and_missing_agent(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("combined", NULL);
	struct vg_event ev;
	decode_ok(d, "192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] \"POST /login HTTP/1.1\" 401 12", &ev);
	assert_int_equal(ev.kind, VG_EV_HTTP);
	assert_int_equal(ev.http.status, 401);
	assert_int_equal(ev.http.bytes, 12);
	assert_null(ev.http.user_agent);
	decode_ok(d, "192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 1 \"http://r/\"",
	    &ev);
	assert_string_equal(ev.http.referer, "http://r/");
	assert_null(ev.http.user_agent);
	decoder_free(d);
}

static void
test_combined_garbage_request_kept_as_url(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("combined", NULL);
	struct vg_event ev;
	decode_ok(d, "198.51.100.7 - - [10/Oct/2000:13:55:36 -0700] "
	    "\"\\x16\\x03\\x01\\x00\\xA5\" 400 157 \"-\" \"-\"", &ev);
	assert_null(ev.http.method);
	assert_string_equal(ev.http.url, "\\x16\\x03\\x01\\x00\\xA5");
	assert_int_equal(ev.http.status, 400);
	decode_ok(d, "198.51.100.7 - - [10/Oct/2000:13:55:36 -0700] \"-\" 408 0 \"-\" \"-\"", &ev);
	assert_null(ev.http.url);
	assert_int_equal(ev.http.status, 408);
	decoder_free(d);
}

static void
test_combined_bad_lines_are_decode_errors(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("combined", NULL);
	static const char *bad[] = {
		"",
		"hello",
		"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700]",			/* truncated */
		"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1",	/* cut in request */
		"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200",
		"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" abc 5",
		"1.2.3.4 - - [10/Foo/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5",
		"1.2.3.4 - - [31/Feb/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5",
		"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"unterminated",
		"Oct 10 13:55:36 host sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_decode_error(d, bad[i], strlen(bad[i]));
	uint64_t ok, errors;
	decoder_stats(d, &ok, &errors);
	assert_int_equal(ok, 0);
	assert_int_equal(errors, sizeof(bad) / sizeof(bad[0]));
	decoder_free(d);
}

static void
test_combined_crlf_line_ending_is_ignored(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("combined", NULL);
	struct vg_event ev;
	decode_ok(d, "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"\r",
	    &ev);
	assert_string_equal(ev.http.user_agent, "UA");
	decoder_free(d);
}

/* ------------------------------------------------------ bad input, all formats */

static const char *const all_formats[] = { "auto", "combined", "apache", "sshd", "syslog",
	"json", NULL };

static void
test_binary_garbage_is_decode_error_everywhere(void **state)
{
	(void)state;
	char garbage[512];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof(garbage); i++) {
		x = x * 1103515245u + 12345u;
		garbage[i] = (char)(x >> 16);
	}
	garbage[0] = '\x01';	/* no accidental '{' or '<' start */
	for (size_t f = 0; all_formats[f]; f++) {
		struct decoder *d = new_decoder(all_formats[f], NULL);
		assert_decode_error(d, garbage, sizeof(garbage));
		decoder_free(d);
	}
	struct decoder *d = new_decoder("nginx", "$remote_addr [$time_local] \"$request\" $status");
	assert_decode_error(d, garbage, sizeof(garbage));
	decoder_free(d);
}

static void
test_nul_bytes_are_spelled_out_not_cut(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("combined", NULL);
	struct vg_event ev;
	static const char line[] = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "
	    "\"GET /a\0/etc/passwd HTTP/1.1\" 200 5 \"-\" \"x\0y\"";
	size_t len = sizeof(line) - 1;
	assert_int_equal(decoder_decode(d, line, len, &ev), VG_OK);
	assert_string_equal(ev.http.url, "/a\\x00/etc/passwd");
	assert_string_equal(ev.http.user_agent, "x\\x00y");
	assert_ptr_equal(ev.raw, line);
	assert_int_equal(ev.raw_len, len);
	decoder_free(d);
}

static void
test_invalid_utf8_is_kept_byte_for_byte(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("combined", NULL);
	struct vg_event ev;
	const char *line = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /\xff\xfe\xc0\xaf HTTP/1.1\" "
	    "200 5 \"-\" \"\xe4\xb8\xad\xff\"";
	decode_ok(d, line, &ev);
	assert_string_equal(ev.http.url, "/\xff\xfe\xc0\xaf");
	assert_string_equal(ev.http.user_agent, "\xe4\xb8\xad\xff");
	/* and it still encodes as valid JSON */
	json_t *j = vg_event_to_json(&ev);
	assert_non_null(j);
	char *s = json_dumps(j, 0);
	assert_non_null(s);
	free(s);
	json_decref(j);
	decoder_free(d);
}

static void
test_one_megabyte_line_decodes(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("auto", NULL);
	struct vg_event ev;
	const char *head = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /";
	const char *tail = " HTTP/1.1\" 200 5 \"-\" \"UA\"";
	size_t n = 1 << 20, hl = strlen(head), tl = strlen(tail);
	char *line = malloc(hl + n + tl + 1);
	assert_non_null(line);
	memcpy(line, head, hl);
	memset(line + hl, 'A', n);
	memcpy(line + hl + n, tail, tl + 1);
	assert_int_equal(decoder_decode(d, line, hl + n + tl, &ev), VG_OK);
	assert_int_equal(ev.kind, VG_EV_HTTP);
	assert_int_equal(strlen(ev.http.url), n + 1);
	assert_string_equal(ev.http.user_agent, "UA");
	/* a 1 MB line of garbage is a decode error with the raw line kept */
	memset(line, 'x', hl + n + tl);
	assert_decode_error(d, line, hl + n + tl);
	free(line);
	decoder_free(d);
}

static void
test_nothing_from_the_previous_line_survives(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("auto", NULL);
	struct vg_event ev;
	decode_ok(d, "1.2.3.4 - bob [10/Oct/2000:13:55:36 -0700] \"GET /a HTTP/1.1\" 200 5 \"r\" \"u\"",
	    &ev);
	assert_string_equal(ev.user, "bob");
	decode_ok(d, "Oct 10 13:55:36 h cron[1]: job", &ev);
	assert_null(ev.user);
	assert_null(ev.http.url);
	assert_null(ev.http.user_agent);
	assert_string_equal(ev.src_ip, "");
	assert_int_equal(ev.http.status, 0);
	assert_int_equal(ev.http.bytes, -1);
	assert_decode_error(d, "junk", 4);
	decoder_free(d);
}

static void
test_unknown_format_is_rejected(void **state)
{
	(void)state;
	struct decoder *d = (struct decoder *)1;
	char err[256];
	assert_int_equal(decoder_new("w3c", NULL, &d, err, sizeof(err)), VG_ERR_CONFIG);
	assert_null(d);
	assert_non_null(strstr(err, "w3c"));
	decoder_free(NULL);
}

/* ------------------------------------------------------------------- nginx */

static void
test_nginx_custom_format_maps_variables(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("nginx",
	    "$host $remote_addr:$remote_port - $remote_user [$time_iso8601] \"$request_method "
	    "$request_uri $server_protocol\" $status $bytes_sent $body_bytes_sent $request_time "
	    "\"$http_referer\" \"$http_user_agent\" \"$http_x_forwarded_for\" $upstream_addr "
	    "${server_addr}:$server_port");
	struct vg_event ev;
	decode_ok(d, "shop.example.com 203.0.113.9:51234 - alice [2024-03-01T12:00:00+08:00] "
	    "\"POST /api/v1/cart?id=7 HTTP/2.0\" 201 900 612 0.004 \"https://shop.example.com/\" "
	    "\"Mozilla/5.0 (X11)\" \"10.0.0.1, 10.0.0.2\" 127.0.0.1:9000 192.0.2.10:443", &ev);
	assert_int_equal(ev.kind, VG_EV_HTTP);
	assert_string_equal(ev.host, "shop.example.com");
	assert_string_equal(ev.src_ip, "203.0.113.9");
	assert_int_equal(ev.src_port, 51234);
	assert_string_equal(ev.user, "alice");
	assert_true(ev.ts_us == 1709265600000000LL);	/* 2024-03-01T04:00:00Z */
	assert_string_equal(ev.http.method, "POST");
	assert_string_equal(ev.http.url, "/api/v1/cart?id=7");
	assert_string_equal(ev.http.version, "HTTP/2.0");
	assert_int_equal(ev.http.status, 201);
	assert_int_equal(ev.http.bytes, 612);
	assert_string_equal(ev.http.referer, "https://shop.example.com/");
	assert_string_equal(ev.http.user_agent, "Mozilla/5.0 (X11)");
	assert_string_equal(ev.dst_ip, "192.0.2.10");
	assert_int_equal(ev.dst_port, 443);
	decoder_free(d);
}

static void
test_nginx_combined_format_matches_combined_decoder(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("nginx", "$remote_addr - $remote_user [$time_local] "
	    "\"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\"");
	struct vg_event ev;
	decode_ok(d, "::1 - - [10/Oct/2000:13:55:36 -0700] \"GET /x?y=1 HTTP/1.1\" 404 0 \"-\" "
	    "\"gobuster/3.5\"", &ev);
	assert_string_equal(ev.src_ip, "::1");
	assert_null(ev.user);
	assert_true(ev.ts_us == TS_APACHE_EXAMPLE);
	assert_string_equal(ev.http.method, "GET");
	assert_string_equal(ev.http.url, "/x?y=1");
	assert_string_equal(ev.http.version, "HTTP/1.1");
	assert_int_equal(ev.http.status, 404);
	assert_int_equal(ev.http.bytes, 0);
	assert_null(ev.http.referer);
	assert_string_equal(ev.http.user_agent, "gobuster/3.5");
	/* a line of another layout is a decode error */
	assert_decode_error(d, "garbage line", 12);
	assert_decode_error(d, "1.2.3.4 - - [bad time here] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"", 57);
	decoder_free(d);
}

static void
test_nginx_escaped_quote_does_not_end_a_field(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("nginx", "\"$http_user_agent\" $status \"$http_referer\" $remote_addr");
	struct vg_event ev;
	decode_ok(d, "\"a\\\" b\\\\\" 200 \"r\\\" 1\" 10.9.8.7", &ev);
	assert_string_equal(ev.http.user_agent, "a\\\" b\\\\");
	assert_int_equal(ev.http.status, 200);
	assert_string_equal(ev.http.referer, "r\\\" 1");
	assert_string_equal(ev.src_ip, "10.9.8.7");
	decoder_free(d);
}

static void
test_nginx_msec_and_unknown_variables(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("nginx", "$msec|$connection|$remote_addr|$status|$uri");
	struct vg_event ev;
	decode_ok(d, "1700000000.250|77|10.0.0.5|502|/health", &ev);
	assert_true(ev.ts_us == 1700000000250000LL);
	assert_string_equal(ev.src_ip, "10.0.0.5");
	assert_int_equal(ev.http.status, 502);
	assert_string_equal(ev.http.url, "/health");
	assert_decode_error(d, "1700000000.250|77|10.0.0.5|abc|/health", 38);
	decoder_free(d);
}

static void
test_nginx_bad_log_format_is_rejected_with_reason(void **state)
{
	(void)state;
	static const char *bad[] = { NULL, "", "no variables here", "$remote_addr$status",
		"${remote_addr", "x $ y" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct decoder *d = NULL;
		char err[256] = "";
		assert_int_not_equal(decoder_new("nginx", bad[i], &d, err, sizeof(err)), VG_OK);
		assert_null(d);
		assert_true(strlen(err) > 0);
	}
}

/* -------------------------------------------------------------------- sshd */

static void
test_sshd_failed_password_syslog_prefixed(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("sshd", NULL);
	struct vg_event ev;
	decode_ok(d, "Oct 10 13:55:36 web1 sshd[4242]: Failed password for invalid user admin "
	    "from 198.51.100.23 port 52144 ssh2", &ev);
	assert_int_equal(ev.kind, VG_EV_AUTH);
	assert_string_equal(ev.action, "Failed password");
	/* the message stays whole, as sshd wrote it: the rules match on it */
	assert_string_equal(ev.message, "Failed password for invalid user admin from "
	    "198.51.100.23 port 52144 ssh2");
	assert_string_equal(ev.user, "admin");
	assert_string_equal(ev.src_ip, "198.51.100.23");
	assert_int_equal(ev.src_port, 52144);
	assert_string_equal(ev.host, "web1");
	assert_string_equal(ev.program, "sshd");
	assert_int_equal(ev.pid, 4242);
	assert_true(ev.ts_us != 0);
	decoder_free(d);
}

static void
test_sshd_outcomes_from_sshd_E_lines(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("sshd", NULL);
	struct vg_event ev;
	static const struct {
		const char *line, *outcome, *user, *ip;
		int port;
	} cases[] = {
		{ "Accepted password for root from 10.0.0.1 port 22 ssh2", "Accepted password",
		  "root", "10.0.0.1", 22 },
		{ "Accepted publickey for deploy from 2001:db8::5 port 40022 ssh2: ED25519 "
		  "SHA256:abcdef", "Accepted publickey", "deploy", "2001:db8::5", 40022 },
		{ "Failed publickey for git from 10.0.0.2 port 1234 ssh2: RSA SHA256:xyz",
		  "Failed publickey", "git", "10.0.0.2", 1234 },
		{ "Failed password for root from 10.0.0.3 port 5 ssh2", "Failed password", "root",
		  "10.0.0.3", 5 },
		{ "Invalid user oracle from 10.0.0.4 port 6", "Invalid user", "oracle",
		  "10.0.0.4", 6 },
		{ "Invalid user test from 10.0.0.4", "Invalid user", "test", "10.0.0.4", 0 },
		{ "Connection closed by authenticating user root 10.0.0.5 port 7 [preauth]",
		  "Connection closed by authenticating user", "root", "10.0.0.5", 7 },
		{ "Connection closed by invalid user guest 10.0.0.6 port 8 [preauth]",
		  "Connection closed by invalid user", "guest", "10.0.0.6", 8 },
		{ "Disconnecting authenticating user root 10.0.0.7 port 9: Too many authentication "
		  "failures [preauth]", "Too many authentication failures", "root", "10.0.0.7", 9 },
		{ "error: maximum authentication attempts exceeded for invalid user pi from "
		  "10.0.0.8 port 10 ssh2 [preauth]", "Maximum authentication attempts exceeded",
		  "pi", "10.0.0.8", 10 },
		{ "sshd[99]: Failed keyboard-interactive/pam for bob from 10.0.0.9 port 11 ssh2",
		  "Failed keyboard-interactive", "bob", "10.0.0.9", 11 },
		/* the user name is attacker-chosen: the real address is the last one */
		{ "Failed password for invalid user x from 6.6.6.6 port 1 from 10.0.0.10 port 12 ssh2",
		  "Failed password", "x from 6.6.6.6 port 1", "10.0.0.10", 12 },
		{ "Connection closed by 10.0.0.11 port 13 [preauth]", "Connection closed", NULL,
		  "10.0.0.11", 13 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		decode_ok(d, cases[i].line, &ev);
		assert_int_equal(ev.kind, VG_EV_AUTH);
		assert_string_equal(ev.action, cases[i].outcome);
		const char *msg = strncmp(cases[i].line, "sshd[", 5) == 0 ?
		    strstr(cases[i].line, ": ") + 2 : cases[i].line;
		assert_string_equal(ev.message, msg);
		if (cases[i].user)
			assert_string_equal(ev.user, cases[i].user);
		else
			assert_null(ev.user);
		assert_string_equal(ev.src_ip, cases[i].ip);
		assert_int_equal(ev.src_port, cases[i].port);
		assert_string_equal(ev.program, "sshd");
	}
	decoder_free(d);
}

static void
test_sshd_non_auth_and_bad_lines(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("sshd", NULL);
	struct vg_event ev;
	decode_ok(d, "Server listening on 0.0.0.0 port 22.", &ev);
	assert_int_equal(ev.kind, VG_EV_SYSLOG);
	assert_string_equal(ev.message, "Server listening on 0.0.0.0 port 22.");
	/* a pattern with its address cut off is not an auth event */
	decode_ok(d, "Failed password for root from", &ev);
	assert_int_equal(ev.kind, VG_EV_SYSLOG);
	assert_string_equal(ev.src_ip, "");
	assert_decode_error(d, "\x01\x02\xff binary", 10);
	assert_decode_error(d, "", 0);
	decoder_free(d);
}

static void
test_sshd_probes_and_auto_reads_sshd_E_files(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("sshd", NULL), *a = new_decoder("auto", NULL);
	struct vg_event ev;
	/* OpenSSH 9.2 wording; the client's banner may itself say " port " */
	decode_ok(d, "banner exchange: Connection from 192.0.2.7 port 47340: invalid format", &ev);
	assert_string_equal(ev.action, "Protocol probe");
	assert_string_equal(ev.src_ip, "192.0.2.7");
	assert_int_equal(ev.src_port, 47340);
	decode_ok(d, "Bad protocol version identification 'GET / port 5' from 192.0.2.8 port 9",
	    &ev);
	assert_string_equal(ev.src_ip, "192.0.2.8");
	assert_int_equal(ev.src_port, 9);
	/* auto takes the non-auth lines of an `sshd -E` file as sshd's, not as errors */
	decode_ok(a, "Server listening on 127.0.0.1 port 39207.", &ev);
	assert_int_equal(ev.kind, VG_EV_SYSLOG);
	decode_ok(a, "kex_exchange_identification: Connection closed by remote host", &ev);
	assert_int_equal(ev.kind, VG_EV_SYSLOG);
	decode_ok(a, "Failed password for root from 127.0.0.1 port 47324 ssh2", &ev);
	assert_string_equal(ev.action, "Failed password");
	assert_string_equal(ev.message, "Failed password for root from 127.0.0.1 port 47324 ssh2");
	/* but not any text at all */
	assert_decode_error(a, "hello world", 11);
	decoder_free(d);
	decoder_free(a);
}

/* ------------------------------------------------------------ cut lines */

static void
test_cut_lines_decode_up_to_the_cut(void **state)
{
	(void)state;
	struct decoder *c = new_decoder("combined", NULL);
	struct decoder *n = new_decoder("nginx", "$remote_addr [$time_iso8601] \"$request\" $status");
	struct vg_event ev;
	const char *line = "198.51.100.1 - - [29/Nov/2026:10:00:00 +0000] \"GET /?q=<script>AAAA";

	/* uncut, the open quote is an error; cut at max_line, the request is what was kept */
	assert_decode_error(c, line, strlen(line));
	assert_int_equal(decoder_decode_cut(c, line, strlen(line), true, &ev), VG_OK);
	assert_int_equal(ev.kind, VG_EV_HTTP);
	assert_true(ev.truncated);
	assert_string_equal(ev.src_ip, "198.51.100.1");
	assert_string_equal(ev.http.method, "GET");
	assert_string_equal(ev.http.url, "/?q=<script>AAAA");
	assert_int_equal(ev.http.status, 0);
	line = "198.51.100.1 - - [29/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"sqlmap/1.7";
	assert_int_equal(decoder_decode_cut(c, line, strlen(line), true, &ev), VG_OK);
	assert_string_equal(ev.http.user_agent, "sqlmap/1.7");
	line = "198.51.100.2 [2026-11-29T10:00:00+00:00] \"GET /?id=1' union select";
	assert_decode_error(n, line, strlen(line));
	assert_int_equal(decoder_decode_cut(n, line, strlen(line), true, &ev), VG_OK);
	assert_string_equal(ev.src_ip, "198.51.100.2");
	assert_string_equal(ev.http.url, "/?id=1' union select");
	decoder_free(c);
	decoder_free(n);
}

/* ------------------------------------------------------------------ syslog */

static void
test_syslog_rfc3164_fields(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("syslog", NULL);
	struct vg_event ev;
	decode_ok(d, "<38>Mar  5 01:02:03 fw01 kernel: [UFW BLOCK] IN=eth0 SRC=203.0.113.4", &ev);
	assert_int_equal(ev.kind, VG_EV_SYSLOG);
	assert_string_equal(ev.host, "fw01");
	assert_string_equal(ev.program, "kernel");
	assert_int_equal(ev.pid, 0);
	assert_string_equal(ev.message, "[UFW BLOCK] IN=eth0 SRC=203.0.113.4");
	assert_true(ev.ts_us > 0);
	/* the timestamp's year is this year or last year, never in the future */
	assert_true(ev.ts_us <= vg_now_us() + 86400LL * 1000000);
	assert_true(ev.ts_us > vg_now_us() - 367LL * 86400 * 1000000);

	decode_ok(d, "Oct 10 13:55:36 db2 CRON[1234]: (root) CMD (run-parts /etc/cron.hourly)",
	    &ev);
	assert_string_equal(ev.host, "db2");
	assert_string_equal(ev.program, "CRON");
	assert_int_equal(ev.pid, 1234);
	assert_string_equal(ev.message, "(root) CMD (run-parts /etc/cron.hourly)");
	decoder_free(d);
}

static void
test_syslog_rfc3339_timestamp_and_sshd_inside(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("syslog", NULL);
	struct vg_event ev;
	decode_ok(d, "2024-03-01T04:00:00.500000+00:00 bastion sshd-session[77]: Accepted publickey "
	    "for ops from 192.0.2.50 port 60000 ssh2: ED25519 SHA256:k", &ev);
	assert_true(ev.ts_us == 1709265600500000LL);
	assert_int_equal(ev.kind, VG_EV_AUTH);
	assert_string_equal(ev.action, "Accepted publickey");
	assert_string_equal(ev.user, "ops");
	assert_string_equal(ev.src_ip, "192.0.2.50");
	assert_int_equal(ev.src_port, 60000);
	assert_string_equal(ev.host, "bastion");
	assert_string_equal(ev.program, "sshd-session");
	assert_int_equal(ev.pid, 77);
	decoder_free(d);
}

static void
test_syslog_rfc5424_fields(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("syslog", NULL);
	struct vg_event ev;
	decode_ok(d, "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 811 ID47 "
	    "[exampleSDID@32473 iut=\"3\" eventSource=\"App]lication\"][x@1 a=\"\\\"\"] "
	    "\xEF\xBB\xBF" "An application event", &ev);
	assert_int_equal(ev.kind, VG_EV_SYSLOG);
	assert_true(ev.ts_us == 1065910455003000LL);
	assert_string_equal(ev.host, "mymachine.example.com");
	assert_string_equal(ev.program, "evntslog");
	assert_int_equal(ev.pid, 811);
	assert_string_equal(ev.message, "An application event");

	decode_ok(d, "<34>1 - - - - - -", &ev);
	assert_int_equal(ev.ts_us, 0);
	assert_null(ev.host);
	assert_null(ev.program);
	assert_string_equal(ev.message, "");
	assert_decode_error(d, "<34>1 2003-10-11T22:14:15Z host app - - [unterminated", 52);
	assert_decode_error(d, "<999>Oct 10 13:55:36 h p: m", 27);
	assert_decode_error(d, "Oct 10 13:55:36", 15);
	assert_decode_error(d, "not syslog at all", 17);
	decoder_free(d);
}

/* -------------------------------------------------------------------- json */

static void
test_json_suricata_eve_alert(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("json", NULL);
	struct vg_event ev;
	decode_ok(d, "{\"timestamp\":\"2024-03-01T12:00:00.000000+0800\",\"event_type\":\"alert\","
	    "\"src_ip\":\"203.0.113.66\",\"src_port\":44321,\"dest_ip\":\"192.0.2.10\",\"dest_port\":80,"
	    "\"proto\":\"TCP\",\"http\":{\"hostname\":\"www.example.org\",\"url\":\"/index.php?id=1' or 1=1\","
	    "\"http_user_agent\":\"sqlmap/1.7\",\"http_method\":\"GET\",\"protocol\":\"HTTP/1.1\","
	    "\"status\":200,\"length\":5},\"alert\":{\"signature\":\"ET WEB_SERVER SQLi\","
	    "\"severity\":1}}", &ev);
	assert_int_equal(ev.kind, VG_EV_JSON);
	assert_true(ev.ts_us == 1709265600000000LL);
	assert_string_equal(ev.src_ip, "203.0.113.66");
	assert_int_equal(ev.src_port, 44321);
	assert_string_equal(ev.dst_ip, "192.0.2.10");
	assert_int_equal(ev.dst_port, 80);
	assert_string_equal(ev.http.url, "/index.php?id=1' or 1=1");
	assert_string_equal(ev.http.user_agent, "sqlmap/1.7");
	assert_string_equal(ev.http.method, "GET");
	assert_string_equal(ev.http.version, "HTTP/1.1");
	assert_int_equal(ev.http.status, 200);
	assert_int_equal(ev.http.bytes, 5);
	assert_string_equal(ev.host, "www.example.org");
	assert_string_equal(ev.message, "ET WEB_SERVER SQLi");
	decoder_free(d);
}

static void
test_json_ecs_nested_and_dotted_keys(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("json", NULL);
	struct vg_event ev;
	decode_ok(d, "{\"@timestamp\":\"2024-03-01T04:00:00Z\",\"source\":{\"ip\":\"2001:db8::7\","
	    "\"port\":\"1234\"},\"url.original\":\"/wp-login.php\",\"user_agent\":{\"original\":\"WPScan\"},"
	    "\"http\":{\"request\":{\"method\":\"POST\"},\"response\":{\"status_code\":403}},"
	    "\"user\":{\"name\":\"admin\"},\"host\":{\"name\":\"web2\"},\"message\":\"denied\","
	    "\"process\":{\"name\":\"nginx\",\"pid\":31}}", &ev);
	assert_true(ev.ts_us == 1709265600000000LL);
	assert_string_equal(ev.src_ip, "2001:db8::7");
	assert_int_equal(ev.src_port, 1234);
	assert_string_equal(ev.http.url, "/wp-login.php");
	assert_string_equal(ev.http.user_agent, "WPScan");
	assert_string_equal(ev.http.method, "POST");
	assert_int_equal(ev.http.status, 403);
	assert_int_equal(ev.http.bytes, -1);
	assert_string_equal(ev.user, "admin");
	assert_string_equal(ev.host, "web2");
	assert_string_equal(ev.message, "denied");
	assert_string_equal(ev.program, "nginx");
	assert_int_equal(ev.pid, 31);
	decoder_free(d);
}

static void
test_json_bad_lines_are_decode_errors(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("json", NULL);
	static const char *bad[] = { "{", "{\"a\":1", "[1,2]", "\"str\"", "{\"a\":1} trailing",
		"{\"a\":\"\xff\"}", "" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_decode_error(d, bad[i], strlen(bad[i]));
	/* wrong-typed fields are ignored, not trusted */
	struct vg_event ev;
	decode_ok(d, "{\"src_ip\":12,\"src_port\":99999,\"http\":{\"url\":[1]},\"status\":\"x\"}", &ev);
	assert_string_equal(ev.src_ip, "");
	assert_int_equal(ev.src_port, 0);
	assert_null(ev.http.url);
	assert_int_equal(ev.http.status, 0);
	decoder_free(d);
}

/* -------------------------------------------------------------------- auto */

static void
test_auto_picks_the_layout_per_line(void **state)
{
	(void)state;
	struct decoder *d = new_decoder("auto", NULL);
	struct vg_event ev;
	decode_ok(d, "{\"src_ip\":\"1.1.1.1\"}", &ev);
	assert_int_equal(ev.kind, VG_EV_JSON);
	assert_string_equal(ev.src_ip, "1.1.1.1");
	decode_ok(d, "2.2.2.2 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"", &ev);
	assert_int_equal(ev.kind, VG_EV_HTTP);
	assert_string_equal(ev.src_ip, "2.2.2.2");
	decode_ok(d, "Oct 10 13:55:36 h sshd[1]: Invalid user a from 3.3.3.3 port 4", &ev);
	assert_int_equal(ev.kind, VG_EV_AUTH);
	assert_string_equal(ev.src_ip, "3.3.3.3");
	decode_ok(d, "Oct 10 13:55:36 h systemd[1]: Started x.", &ev);
	assert_int_equal(ev.kind, VG_EV_SYSLOG);
	assert_string_equal(ev.src_ip, "");
	decode_ok(d, "Failed password for root from 4.4.4.4 port 5 ssh2", &ev);
	assert_int_equal(ev.kind, VG_EV_AUTH);
	assert_decode_error(d, "just some words", 15);
	uint64_t ok, errors;
	decoder_stats(d, &ok, &errors);
	assert_int_equal(ok, 5);
	assert_int_equal(errors, 1);
	decoder_free(d);
}

/* -------------------------------------------------------------------- time */

static void
test_time_parsers(void **state)
{
	(void)state;
	int64_t ts;
	size_t used;
	assert_int_equal(decode_time_clf("01/Jan/1970:00:00:00 +0000", 26, &ts), VG_OK);
	assert_true(ts == 0);
	assert_int_equal(decode_time_clf("29/Feb/2024:23:59:59 -0130", 26, &ts), VG_OK);
	assert_true(ts == (1709251199LL + 5400) * 1000000);
	assert_int_equal(decode_time_clf("29/Feb/2023:23:59:59 +0000", 26, &ts), VG_ERR_PARSE);
	assert_int_equal(decode_time_clf("10/Oct/2000:25:55:36 -0700", 26, &ts), VG_ERR_PARSE);
	assert_int_equal(decode_time_iso8601("2000-10-10 20:55:36", 19, &ts, &used), VG_OK);
	assert_true(ts == TS_APACHE_EXAMPLE);
	assert_int_equal(used, 19);
	assert_int_equal(decode_time_iso8601("2000-10-10T13:55:36-07:00 x", 27, &ts, &used), VG_OK);
	assert_true(ts == TS_APACHE_EXAMPLE);
	assert_int_equal(used, 25);
	assert_int_equal(decode_time_iso8601("2000-10-10T13:55", 16, &ts, &used), VG_ERR_PARSE);
	/* RFC 3164: a December line read on 1 January belongs to the year before */
	int64_t jan1 = 1704067200LL * 1000000;	/* 2024-01-01T00:00:00Z */
	assert_int_equal(decode_time_rfc3164("Dec 31 23:59:00", 15, jan1 + 3600000000LL, 0, &ts),
	    VG_OK);
	assert_true(ts == jan1 - 60000000LL);
	assert_int_equal(decode_time_rfc3164("Jan  1 00:30:00", 15, jan1 + 3600000000LL, 3600, &ts),
	    VG_OK);
	assert_true(ts == jan1 - 1800000000LL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_combined_line_gives_every_field),
		cmocka_unit_test(test_combined_dash_fields_are_absent),
		cmocka_unit_test(test_combined_ipv6_client),
		cmocka_unit_test(test_combined_escaped_quotes_in_agent_and_url),
		cmocka_unit_test(test_combined_escape_only_in_a_later_field),
		cmocka_unit_test(test_combined_raw_quote_in_agent_is_tolerated),
		cmocka_unit_test(test_common_log_format_and_missing_agent),
		cmocka_unit_test(test_combined_garbage_request_kept_as_url),
		cmocka_unit_test(test_combined_bad_lines_are_decode_errors),
		cmocka_unit_test(test_combined_crlf_line_ending_is_ignored),
		cmocka_unit_test(test_binary_garbage_is_decode_error_everywhere),
		cmocka_unit_test(test_nul_bytes_are_spelled_out_not_cut),
		cmocka_unit_test(test_invalid_utf8_is_kept_byte_for_byte),
		cmocka_unit_test(test_one_megabyte_line_decodes),
		cmocka_unit_test(test_nothing_from_the_previous_line_survives),
		cmocka_unit_test(test_unknown_format_is_rejected),
		cmocka_unit_test(test_nginx_custom_format_maps_variables),
		cmocka_unit_test(test_nginx_combined_format_matches_combined_decoder),
		cmocka_unit_test(test_nginx_escaped_quote_does_not_end_a_field),
		cmocka_unit_test(test_nginx_msec_and_unknown_variables),
		cmocka_unit_test(test_nginx_bad_log_format_is_rejected_with_reason),
		cmocka_unit_test(test_sshd_failed_password_syslog_prefixed),
		cmocka_unit_test(test_sshd_outcomes_from_sshd_E_lines),
		cmocka_unit_test(test_sshd_non_auth_and_bad_lines),
		cmocka_unit_test(test_sshd_probes_and_auto_reads_sshd_E_files),
		cmocka_unit_test(test_cut_lines_decode_up_to_the_cut),
		cmocka_unit_test(test_syslog_rfc3164_fields),
		cmocka_unit_test(test_syslog_rfc3339_timestamp_and_sshd_inside),
		cmocka_unit_test(test_syslog_rfc5424_fields),
		cmocka_unit_test(test_json_suricata_eve_alert),
		cmocka_unit_test(test_json_ecs_nested_and_dotted_keys),
		cmocka_unit_test(test_json_bad_lines_are_decode_errors),
		cmocka_unit_test(test_auto_picks_the_layout_per_line),
		cmocka_unit_test(test_time_parsers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
