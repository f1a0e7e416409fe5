/* Unit tests for the web checks without a network: the template parser (what it
 * accepts, what it refuses and where), the matchers and extractors over a canned
 * response, the not-found fingerprint (a soft-404 page that echoes the path, a
 * catch-all index, a real file), and the checklist parser and score. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/checklist.h"
#include "assess/tls.h"
#include "assess/web.h"
#include "assess/web_match.h"
#include "core/buf.h"
#include "core/err.h"

static const char GIT_TMPL[] =
    "id: git-exposed\n"
    "info:\n"
    "  name: Exposed .git\n"
    "  severity: high\n"
    "  remediation: deny it\n"
    "requests:\n"
    "  - method: GET\n"
    "    path: ['{{BaseURL}}/.git/HEAD', '{{RootURL}}/.git/config']\n"
    "    headers: {X-Probe: vigil}\n"
    "    matchers-condition: and\n"
    "    matchers:\n"
    "      - type: status\n"
    "        status: [200]\n"
    "      - type: regex\n"
    "        regex: ['\\Aref: refs/']\n"
    "      - type: word\n"
    "        words: ['<html']\n"
    "        case-insensitive: true\n"
    "        negative: true\n"
    "    extractors:\n"
    "      - type: regex\n"
    "        name: ref\n"
    "        regex: ['\\Aref: (\\S+)']\n"
    "        group: 1\n";

static struct web_tmpl *
parse_ok(const char *text)
{
	struct web_tmpl *t = NULL;
	char err[512];
	int rc = web_tmpl_parse(text, strlen(text), "t.yaml", &t, err, sizeof(err));

	if (rc != 0)
		fail_msg("parse failed: %s", err);
	return t;
}

static void
parse_err(const char *text, int want, const char *msg_part)
{
	struct web_tmpl *t = NULL;
	char err[512];

	assert_int_equal(web_tmpl_parse(text, strlen(text), "t.yaml", &t, err, sizeof(err)), want);
	assert_null(t);
	if (!strstr(err, msg_part))
		fail_msg("error '%s' lacks '%s'", err, msg_part);
}

static void
test_template_parses(void **state)
{
	(void)state;
	struct web_tmpl *t = parse_ok(GIT_TMPL);

	assert_string_equal(t->id, "git-exposed");
	assert_int_equal(t->severity, VG_SEV_HIGH);
	assert_int_equal(t->nrequests, 1);
	assert_int_equal(t->requests[0].npaths, 2);
	assert_int_equal(t->requests[0].nheaders, 1);
	assert_true(t->requests[0].and_cond);
	assert_int_equal(t->requests[0].nmatchers, 3);
	assert_true(t->requests[0].matchers[2].negative);
	assert_int_equal(t->requests[0].nextractors, 1);
	web_tmpl_free(t);
}

static void
test_template_refusals(void **state)
{
	(void)state;
	/* writing methods, other hosts, unknown keys, bad regex, header injection */
	parse_err("id: a\ninfo: {name: n, severity: low}\nrequests:\n  - method: PUT\n"
		  "    path: ['{{BaseURL}}/x']\n    matchers: [{type: status, status: [200]}]\n",
	    VG_ERR_PARSE, "only GET, HEAD, OPTIONS and TRACE");
	parse_err("id: a\ninfo: {name: n, severity: low}\nrequests:\n"
		  "  - path: ['http://evil.example/x']\n    matchers: [{type: status, status: [200]}]\n",
	    VG_ERR_PARSE, "must start with {{BaseURL}}");
	parse_err("id: a\ninfo: {name: n, severity: low}\nrequests:\n"
		  "  - path: ['{{BaseURL}}/x']\n    matcher: [{type: status, status: [200]}]\n",
	    VG_ERR_PARSE, "t.yaml:5:5: request: unknown key 'matcher'");
	parse_err("id: a\ninfo: {name: n, severity: low}\nrequests:\n"
		  "  - path: ['{{BaseURL}}/x']\n    matchers: [{type: regex, regex: ['(']}]\n",
	    VG_ERR_PARSE, "regex '('");
	parse_err("id: a\ninfo: {name: n, severity: low}\nrequests:\n"
		  "  - path: ['{{BaseURL}}/x']\n    headers: {X: \"a\\r\\nEvil: 1\"}\n"
		  "    matchers: [{type: status, status: [200]}]\n",
	    VG_ERR_PARSE, "bad header");
	parse_err("id: a\ninfo: {name: n, severity: severe}\nrequests:\n"
		  "  - path: ['{{BaseURL}}/x']\n    matchers: [{type: status, status: [200]}]\n",
	    VG_ERR_PARSE, "severity 'severe'");
	parse_err("id: a\ninfo: {name: n, severity: low}\nrequests:\n"
		  "  - path: ['{{BaseURL}}/x']\n", VG_ERR_PARSE, "at least one matcher");
	parse_err("id: A B\ninfo: {name: n, severity: low}\nrequests:\n"
		  "  - path: ['{{BaseURL}}/x']\n    matchers: [{type: status, status: [200]}]\n",
	    VG_ERR_PARSE, "id:");
	parse_err("id: a\ninfo: {name: n, severity: low}\nrequests:\n"
		  "  - path: ['{{BaseURL}}/x']\n    matchers: [{type: status, status: [999]}]\n",
	    VG_ERR_PARSE, "not a number in 100..599");
	parse_err("[1, 2", VG_ERR_PARSE, "t.yaml:");
}

static void
test_template_limits(void **state)
{
	(void)state;
	struct vg_buf *b = vg_buf_new(1 << 20);

	vg_buf_puts(b, "id: a\ninfo: {name: n, severity: low}\nrequests:\n  - path:\n");
	for (int i = 0; i < WEB_TMPL_MAX_PATHS + 1; i++)
		vg_buf_putf(b, "    - '{{BaseURL}}/p%d'\n", i);
	vg_buf_puts(b, "    matchers: [{type: status, status: [200]}]\n");
	parse_err(vg_buf_ptr(b), VG_ERR_LIMIT, "more than 64");
	vg_buf_free(b);
}

static struct web_resp
resp(long status, const char *hdr, const char *body)
{
	return (struct web_resp){ .status = status, .headers = hdr, .hlen = strlen(hdr),
		.body = body, .blen = strlen(body) };
}

static void
test_matchers_and_extractors(void **state)
{
	(void)state;
	struct web_tmpl *t = parse_ok(GIT_TMPL);
	const struct web_request *q = &t->requests[0];
	struct web_resp hit = resp(200, "HTTP/1.1 200 OK\r\n", "ref: refs/heads/main\n");
	struct web_resp html = resp(200, "HTTP/1.1 200 OK\r\n", "ref: refs/x <HTML>");
	struct web_resp notfound = resp(404, "HTTP/1.1 404 Not Found\r\n", "ref: refs/heads/main\n");
	struct vg_buf *ev = vg_buf_new(4096);

	assert_true(web_match(q, &hit, ev));
	assert_non_null(strstr(vg_buf_ptr(ev), "status 200"));
	assert_non_null(strstr(vg_buf_ptr(ev), "regex '\\\\Aref: refs/'"));
	assert_false(web_match(q, &html, NULL));	/* negative word, case-insensitive */
	assert_false(web_match(q, &notfound, NULL));	/* and: status fails */
	vg_buf_reset(ev);
	web_extract(q, &hit, ev);
	assert_string_equal(vg_buf_ptr(ev), "ref=refs/heads/main");
	vg_buf_free(ev);
	web_tmpl_free(t);
}

static void
test_header_matchers(void **state)
{
	(void)state;
	static const char T[] =
	    "id: cors\ninfo: {name: n, severity: high}\nrequests:\n"
	    "  - path: ['{{BaseURL}}/']\n    matchers-condition: and\n    matchers:\n"
	    "      - {type: header, name: access-control-allow-origin, words: [https://x.example]}\n"
	    "      - {type: header, name: Access-Control-Allow-Credentials, words: [TRUE],"
	    " case-insensitive: true}\n"
	    "      - {type: header, name: X-Frame-Options, negative: true}\n"
	    "      - {type: regex, part: header, regex: ['(?im)^set-cookie:(?![^\\n]*;\\s*secure\\b)']}\n";
	struct web_tmpl *t = parse_ok(T);
	struct web_resp bad = resp(200,
	    "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin:  https://x.example \r\n"
	    "Access-Control-Allow-Credentials: true\r\nSet-Cookie: a=1; Secure\r\n"
	    "Set-Cookie: sid=2; HttpOnly\r\n", "");
	struct web_resp secure_cookies = resp(200,
	    "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://x.example\r\n"
	    "Access-Control-Allow-Credentials: true\r\nSet-Cookie: a=1; Secure\r\n", "");
	struct web_resp framed = resp(200,
	    "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://x.example\r\n"
	    "Access-Control-Allow-Credentials: true\r\nX-Frame-Options: DENY\r\n"
	    "Set-Cookie: sid=2\r\n", "");

	assert_true(web_match(&t->requests[0], &bad, NULL));
	assert_false(web_match(&t->requests[0], &secure_cookies, NULL));
	assert_false(web_match(&t->requests[0], &framed, NULL));
	web_tmpl_free(t);
}

static void
test_notfound_fingerprint(void **state)
{
	(void)state;
	struct web_nf a, b, c, d, e;
	/* a soft-404 page that names the path and a request id */
	struct web_resp r1 = resp(200, "",
	    "<html><body><h1>Sorry</h1><p>The page /vigil-nf-1234abcd was not found on this "
	    "server. Please check the address or go back to the home page.</p>"
	    "<small>request 81723</small></body></html>");
	struct web_resp r2 = resp(200, "",
	    "<html><body><h1>Sorry</h1><p>The page /.git/HEAD was not found on this "
	    "server. Please check the address or go back to the home page.</p>"
	    "<small>request 99</small></body></html>");
	struct web_resp git = resp(200, "", "ref: refs/heads/master\n");
	struct web_resp r404 = resp(404, "", "ref: refs/heads/master\n");
	struct web_resp empty = resp(200, "", "");

	web_nf_make(&r1, "/vigil-nf-1234abcd", &a);
	web_nf_make(&r2, "/.git/HEAD", &b);
	web_nf_make(&git, "/.git/HEAD", &c);
	web_nf_make(&r404, "/.git/HEAD", &d);
	web_nf_make(&empty, "/x", &e);
	assert_true(web_nf_similar(&a, &b));	/* same page, other path and id */
	assert_false(web_nf_similar(&a, &c));	/* a real .git/HEAD */
	assert_false(web_nf_similar(&c, &d));	/* same bytes, other status */
	assert_true(web_nf_similar(&e, &e));
	assert_false(web_nf_similar(&e, &c));
}

static void
test_base_url_and_tls_target(void **state)
{
	(void)state;
	char out[256], why[128], host[64], port[8];

	assert_int_equal(web_base_url("http://Example.com:8080/app/?q=1#x", out, sizeof(out), why,
			     sizeof(why)), 0);
	assert_string_equal(out, "http://example.com:8080/app");
	assert_int_equal(web_base_url("https://[::1]/", out, sizeof(out), why, sizeof(why)), 0);
	assert_string_equal(out, "https://[::1]");
	assert_int_equal(web_base_url("ftp://x/", out, sizeof(out), why, sizeof(why)), VG_ERR_INVAL);
	assert_int_equal(web_base_url("not a url", out, sizeof(out), why, sizeof(why)),
	    VG_ERR_INVAL);
	assert_int_equal(tls_parse_target("a.example", host, sizeof(host), port, sizeof(port)), 0);
	assert_string_equal(port, "443");
	assert_int_equal(tls_parse_target("[::1]:8443", host, sizeof(host), port, sizeof(port)), 0);
	assert_string_equal(host, "::1");
	assert_string_equal(port, "8443");
	assert_int_equal(tls_parse_target("::1", host, sizeof(host), port, sizeof(port)),
	    VG_ERR_INVAL);
	assert_int_equal(tls_parse_target("h:0", host, sizeof(host), port, sizeof(port)),
	    VG_ERR_INVAL);
}

static void
test_checklist_score(void **state)
{
	(void)state;
	static const char C[] = "id: c\nname: C\nitems:\n"
				"  - {id: a, question: qa, weight: 3, severity: high}\n"
				"  - {id: b, question: qb, weight: 1}\n"
				"  - {id: c, question: qc}\n";
	struct checklist *c = NULL;
	struct cl_state s[3];
	char err[256];

	assert_int_equal(checklist_parse(C, strlen(C), "c.yaml", &c, err, sizeof(err)), 0);
	assert_int_equal(c->n, 3);
	memset(s, 0, sizeof(s));
	s[0].answer = CL_YES;
	s[1].answer = CL_PARTIAL;
	s[2].answer = CL_NO;
	assert_true(checklist_score(c, s) > 69.9 && checklist_score(c, s) < 70.1); /* 3.5/5 */
	checklist_free(c);
	{
		static const char D[] = "id: c\nname: C\nitems:\n  - {id: a, question: q}\n"
					"  - {id: a, question: q}\n";

		assert_int_equal(checklist_parse(D, strlen(D), "c.yaml", &c, err, sizeof(err)),
		    VG_ERR_PARSE);
	}
	assert_non_null(strstr(err, "duplicate item id a"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_template_parses),
		cmocka_unit_test(test_template_refusals),
		cmocka_unit_test(test_template_limits),
		cmocka_unit_test(test_matchers_and_extractors),
		cmocka_unit_test(test_header_matchers),
		cmocka_unit_test(test_notfound_fingerprint),
		cmocka_unit_test(test_base_url_and_tls_target),
		cmocka_unit_test(test_checklist_score),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
