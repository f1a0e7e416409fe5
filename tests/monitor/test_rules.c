/* Unit tests for the rule engine: load errors name file:line and rule id, broken
 * rules are skipped only with RULESET_KEEP_GOING, PCRE2 confirms what Vectorscan
 * prefilters, conditions span fields, and one scratch serves many events. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "core/err.h"
#include "monitor/normalize.h"
#include "monitor/rules.h"

struct tmpdir {
	char path[64];
};

static int
setup(void **state)
{
	struct tmpdir *t = calloc(1, sizeof(*t));
	if (!t)
		return -1;
	snprintf(t->path, sizeof(t->path), "/tmp/vigil-rules.XXXXXX");
	if (!mkdtemp(t->path))
		return -1;
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct tmpdir *t = *state;
	const char *dir = t->path;	/* only the files this suite created */
	for (int i = 0; i < 8; i++) {
		char f[160];
		snprintf(f, sizeof(f), "%s/r%d.yaml", dir, i);
		unlink(f);
		snprintf(f, sizeof(f), "%s/sub/r%d.yaml", dir, i);
		unlink(f);
	}
	{
		char f[160];
		snprintf(f, sizeof(f), "%s/sub/notes.txt", dir);
		unlink(f);
		snprintf(f, sizeof(f), "%s/sub", dir);
		rmdir(f);
	}
	rmdir(t->path);
	free(t);
	return 0;
}

/* Writes text to DIR/name; the full path goes to path. */
static void
write_file(const struct tmpdir *t, const char *name, const char *text, char *path, size_t size)
{
	FILE *f;
	snprintf(path, size, "%s/%s", t->path, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char good_rule[] =
    "- id: t.good\n"
    "  title: good\n"
    "  severity: high\n"
    "  category: sqli\n"
    "  mitre: T1190\n"
    "  fields: [url]\n"
    "  patterns:\n"
    "    - regex: 'union\\s+select'\n"
    "  match: [\"/x?id=1+UNION+SELECT+2\"]\n"
    "  no_match: [\"/x?q=union\"]\n";

static const char bad_regex_rule[] =
    "- id: t.badre\n"
    "  title: bad\n"
    "  severity: low\n"
    "  category: x\n"
    "  fields: [url]\n"
    "  patterns:\n"
    "    - regex: 'foo(bar'\n";

struct collect {
	int n;
	const char *ids[8];
	const char *fields[8];
	char text[8][RULE_HIT_TEXT_MAX + 1];
	int stop_after;
};

static int
collect(const struct rule_hit *h, void *arg)
{
	struct collect *c = arg;
	if (c->n < 8) {
		c->ids[c->n] = h->rule->id;
		c->fields[c->n] = h->field;
		memcpy(c->text[c->n], h->text, h->text_len);
		c->text[c->n][h->text_len] = '\0';
	}
	c->n++;
	if (c->stop_after && c->n >= c->stop_after)
		return 42;
	return 0;
}

static int
match_url(struct ruleset *rs, struct rule_scratch *s, const char *url, struct collect *c)
{
	struct rule_input in = { { 0 }, { 0 } };
	in.v[RULE_F_URL] = url;
	in.len[RULE_F_URL] = strlen(url);
	memset(c, 0, sizeof(*c));
	return ruleset_match_input(rs, s, &in, collect, c);
}

static void
test_bad_regex_fails_load_naming_file_line_and_rule(void **state)
{
	struct tmpdir *t = *state;
	char path[160], text[1024];
	struct ruleset *rs = (struct ruleset *)1;
	char *errors = NULL;

	snprintf(text, sizeof(text), "%s%s", good_rule, bad_regex_rule);
	write_file(t, "r0.yaml", text, path, sizeof(path));
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_ERR_PARSE);
	assert_null(rs);
	assert_non_null(errors);
	/* the bad pattern is on line 17 of the file, column 14 */
	char want[256];
	snprintf(want, sizeof(want), "%s:17:14: rule t.badre: bad regex:", path);
	assert_non_null(strstr(errors, want));
	free(errors);
}

static void
test_keep_going_loads_the_other_rules(void **state)
{
	struct tmpdir *t = *state;
	char path[160], text[1024];
	struct ruleset *rs = NULL;
	struct rule_scratch *s = NULL;
	struct collect c;
	char *errors = NULL;

	snprintf(text, sizeof(text), "%s%s", bad_regex_rule, good_rule);
	write_file(t, "r1.yaml", text, path, sizeof(path));
	assert_int_equal(ruleset_load(path, RULESET_KEEP_GOING, NULL, &rs, &errors), VG_OK);
	assert_non_null(rs);
	assert_int_equal(ruleset_count(rs), 1);
	assert_string_equal(ruleset_rule(rs, 0)->id, "t.good");
	assert_non_null(errors);
	assert_non_null(strstr(errors, "rule t.badre: bad regex"));
	assert_int_equal(rule_scratch_new(rs, &s), VG_OK);
	assert_int_equal(match_url(rs, s, "/x?id=1%20union%20select%202", &c), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.ids[0], "t.good");
	assert_string_equal(c.fields[0], "url.original");
	assert_string_equal(c.text[0], "union select");
	rule_scratch_free(s);
	ruleset_free(rs);
	free(errors);
}

static void
test_schema_errors_are_reported_per_rule(void **state)
{
	struct tmpdir *t = *state;
	char path[160];
	struct ruleset *rs = NULL;
	char *errors = NULL;

	write_file(t, "r2.yaml",
	    "rules:\n"
	    "  - id: t.a\n"
	    "    title: a\n"
	    "    severity: urgent\n"
	    "    category: x\n"
	    "    mitre: 1190\n"
	    "    fields: [url, cookie]\n"
	    "    patterns: [{literal: a}]\n"
	    "    colour: red\n"
	    "  - id: t.b\n"
	    "    severity: low\n"
	    "    category: x\n"
	    "    fields: url\n"
	    "    patterns: [{glob: a}]\n"
	    "  - id: t.c\n"
	    "    title: c\n"
	    "    severity: low\n"
	    "    category: x\n"
	    "    fields: url\n"
	    "    patterns: [{literal: a}]\n"
	    "  - id: t.c\n"
	    "    title: dup\n"
	    "    severity: low\n"
	    "    category: x\n"
	    "    fields: url\n"
	    "    patterns: [{literal: a}]\n",
	    path, sizeof(path));
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_ERR_PARSE);
	assert_non_null(errors);
	assert_non_null(strstr(errors, ":4:15: rule t.a: severity 'urgent'"));
	assert_non_null(strstr(errors, ":6:12: rule t.a: mitre '1190'"));
	assert_non_null(strstr(errors, "rule t.a: fields: unknown field 'cookie'"));
	assert_non_null(strstr(errors, ":9:5: rule t.a: unknown keyword 'colour'"));
	assert_non_null(strstr(errors, "rule t.b: missing 'title'"));
	assert_non_null(strstr(errors, "rule t.b: patterns[0]: unknown kind 'glob'"));
	assert_non_null(strstr(errors, "rule t.c: duplicate id (first defined at "));
	free(errors);
	errors = NULL;

	write_file(t, "r3.yaml", "- id: [unclosed\n", path, sizeof(path));
	assert_int_equal(ruleset_load(path, RULESET_KEEP_GOING, NULL, &rs, &errors),
	    VG_ERR_NOTFOUND);
	assert_non_null(strstr(errors, "yaml:"));
	free(errors);
	errors = NULL;
	assert_int_equal(ruleset_load("/nonexistent/rules", 0, NULL, &rs, &errors), VG_ERR_IO);
	assert_non_null(strstr(errors, "/nonexistent/rules: cannot read"));
	free(errors);
}

static void
test_pcre_confirms_what_vectorscan_prefilters(void **state)
{
	struct tmpdir *t = *state;
	char path[160];
	struct ruleset *rs = NULL;
	struct rule_scratch *s = NULL;
	struct collect c;
	char *errors = NULL;

	/* A backreference: Vectorscan can only prefilter it. */
	write_file(t, "r4.yaml",
	    "- id: t.backref\n"
	    "  title: tautology\n"
	    "  severity: high\n"
	    "  category: sqli\n"
	    "  fields: [url]\n"
	    "  patterns:\n"
	    "    - regex: '\\bor\\s+(\\d+)=\\1\\b'\n"
	    "- id: t.rulepcre\n"
	    "  title: rule-level pcre\n"
	    "  severity: low\n"
	    "  category: x\n"
	    "  fields: [url]\n"
	    "  patterns: [{literal: 'admin'}]\n"
	    "  pcre: 'admin(?!istrator)'\n",
	    path, sizeof(path));
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_OK);
	assert_null(errors);
	assert_int_equal(rule_scratch_new(rs, &s), VG_OK);
	assert_int_equal(match_url(rs, s, "/x?id=1 or 42=42", &c), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.ids[0], "t.backref");
	assert_string_equal(c.text[0], "or 42=42");
	assert_int_equal(match_url(rs, s, "/x?id=1 or 42=43", &c), 0);
	assert_int_equal(c.n, 0);
	assert_int_equal(match_url(rs, s, "/ADMIN/login", &c), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.ids[0], "t.rulepcre");
	assert_int_equal(match_url(rs, s, "/administrator/", &c), 0);
	assert_int_equal(c.n, 0);
	rule_scratch_free(s);
	ruleset_free(rs);

	/* a one-byte literal past the first 64 bytes: Vectorscan 5.4.9 with
	 * HS_FLAG_SINGLEMATCH on an AVX-512 CPU misses it */
	write_file(t, "r4.yaml",
	    "- {id: t.one, title: o, severity: low, category: x, fields: [url],\n"
	    "    patterns: [{literal: '~'}, {regex: 'q\\d'}]}\n",
	    path, sizeof(path));
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_OK);
	assert_int_equal(rule_scratch_new(rs, &s), VG_OK);
	for (int at = 60; at < 140; at++) {
		char url[160];
		memset(url, 'a', sizeof(url));
		url[0] = '/';
		memcpy(url + at, at % 2 ? "~" : "q7", at % 2 ? 1 : 2);
		url[at + 2] = '\0';
		assert_int_equal(match_url(rs, s, url, &c), 0);
		if (c.n != 1)
			fail_msg("offset %d of '%s': %d hits", at, url, c.n);
	}
	rule_scratch_free(s);
	ruleset_free(rs);

	/* a widened pattern after a group with an empty alternative: Debian 12's
	 * PCRE2 JIT finds no match here, the interpreter (rightly) does */
	write_file(t, "r4.yaml",
	    "- {id: t.jit, title: j, severity: low, category: x, fields: [url_raw],\n"
	    "    patterns: [{regex: '(b|\\b)\\D+.{1,20}'}]}\n",
	    path, sizeof(path));
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_OK);
	assert_int_equal(rule_scratch_new(rs, &s), VG_OK);
	assert_int_equal(match_url(rs, s, "b'", &c), 0);
	assert_int_equal(c.n, 1);
	rule_scratch_free(s);
	ruleset_free(rs);
}

/* Repeated values are answered from the scratch's memo of earlier scans: the
 * answer must be the scan's own, hits and matched text included, for a value with
 * a confirmed (backreference) hit, one whose rule needs every pattern, a value
 * with more hits than a memo slot holds, and a clean value between them. */
static void
test_repeated_values_answer_as_their_first_scan(void **state)
{
	struct tmpdir *t = *state;
	char path[160];
	struct ruleset *rs = NULL;
	struct rule_scratch *s = NULL;
	struct collect c;
	char *errors = NULL;

	write_file(t, "r5.yaml",
	    "- id: t.taut\n"
	    "  title: tautology\n"
	    "  severity: high\n"
	    "  category: sqli\n"
	    "  fields: [url, user_agent]\n"
	    "  patterns:\n"
	    "    - regex: '\\bor\\s+(\\d+)=\\1\\b'\n"
	    "- id: t.seven\n"
	    "  title: seven words\n"
	    "  severity: low\n"
	    "  category: x\n"
	    "  fields: [user_agent]\n"
	    "  condition: all\n"
	    "  patterns: [{literal: alpha}, {literal: beta}, {literal: gamma}, {literal: delta},\n"
	    "    {literal: epsilon}, {literal: zeta}, {literal: eta}]\n"
	    "- id: t.raw\n"
	    "  title: double-encoded quote\n"
	    "  severity: low\n"
	    "  category: x\n"
	    "  fields: [url_raw]\n"
	    "  patterns: [{literal: '%2527'}]\n",
	    path, sizeof(path));
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_OK);
	assert_null(errors);
	assert_int_equal(rule_scratch_new(rs, &s), VG_OK);
	for (int i = 0; i < 3; i++) {
		struct rule_input in = { { 0 }, { 0 } };

		in.v[RULE_F_USER_AGENT] = "Mozilla/5.0 x OR 7=7 y";
		in.len[RULE_F_USER_AGENT] = strlen(in.v[RULE_F_USER_AGENT]);
		memset(&c, 0, sizeof(c));
		assert_int_equal(ruleset_match_input(rs, s, &in, collect, &c), 0);
		assert_int_equal(c.n, 1);
		assert_string_equal(c.ids[0], "t.taut");
		assert_string_equal(c.fields[0], "user_agent.original");
		assert_string_equal(c.text[0], "or 7=7");

		in.v[RULE_F_USER_AGENT] = "Mozilla/5.0 x OR 7=8 y";	/* prefiltered, refused */
		in.len[RULE_F_USER_AGENT] = strlen(in.v[RULE_F_USER_AGENT]);
		memset(&c, 0, sizeof(c));
		assert_int_equal(ruleset_match_input(rs, s, &in, collect, &c), 0);
		assert_int_equal(c.n, 0);

		in.v[RULE_F_USER_AGENT] = "eta zeta epsilon delta gamma beta alpha";
		in.len[RULE_F_USER_AGENT] = strlen(in.v[RULE_F_USER_AGENT]);
		memset(&c, 0, sizeof(c));
		assert_int_equal(ruleset_match_input(rs, s, &in, collect, &c), 0);
		assert_int_equal(c.n, 1);
		assert_string_equal(c.ids[0], "t.seven");

		in.v[RULE_F_USER_AGENT] = "eta zeta epsilon delta gamma beta";	/* one short */
		in.len[RULE_F_USER_AGENT] = strlen(in.v[RULE_F_USER_AGENT]);
		memset(&c, 0, sizeof(c));
		assert_int_equal(ruleset_match_input(rs, s, &in, collect, &c), 0);
		assert_int_equal(c.n, 0);

		assert_int_equal(match_url(rs, s, "/p?id=1 or 42=42", &c), 0);
		assert_int_equal(c.n, 1);
		assert_string_equal(c.text[0], "or 42=42");

		/* url_raw shares the url's memo slot: both answers come back */
		assert_int_equal(match_url(rs, s, "/p?id=1%2527 or 42=42", &c), 0);
		assert_int_equal(c.n, 2);
		assert_string_equal(c.ids[0], "t.taut");
		assert_string_equal(c.ids[1], "t.raw");
		assert_string_equal(c.text[1], "%2527");
	}
	rule_scratch_free(s);
	ruleset_free(rs);
}

/* A prefilter is what Vectorscan scans; the regex as written decides. A prefilter
 * that misses a match of its regex is caught by the self-test on the examples, and
 * one that is not a pattern (or sits beside a literal) is a load error. */
static void
test_prefilter_is_scanned_and_the_regex_decides(void **state)
{
	struct tmpdir *t = *state;
	char path[160], *out = NULL;
	size_t outlen = 0, checked = 0;
	struct ruleset *rs = NULL;
	struct rule_scratch *s = NULL;
	struct collect c;
	char *errors = NULL;
	FILE *mem;

	write_file(t, "r7.yaml",
	    "- id: t.pre\n"
	    "  title: case when\n"
	    "  severity: high\n"
	    "  category: sqli\n"
	    "  fields: [url]\n"
	    "  patterns:\n"
	    "    - regex: '\\bcase\\s+when\\s+\\d+=\\d+\\s+then\\b'\n"
	    "      prefilter: '\\bcase\\s+when\\b'\n"
	    "  match: [\"/p?id=(CASE%20WHEN%201=1%20THEN%201%20END)\"]\n"
	    "- id: t.blind\n"
	    "  title: a prefilter that misses\n"
	    "  severity: low\n"
	    "  category: x\n"
	    "  fields: [url]\n"
	    "  patterns:\n"
	    "    - regex: 'alpha|beta'\n"
	    "      prefilter: 'alpha'\n"
	    "  match: [\"/alpha\", \"/beta\"]\n",
	    path, sizeof(path));
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_OK);
	assert_null(errors);
	assert_int_equal(rule_scratch_new(rs, &s), VG_OK);
	assert_int_equal(match_url(rs, s, "/p?id=1 case when 2=2 then 1", &c), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.ids[0], "t.pre");
	assert_string_equal(c.text[0], "case when 2=2 then");
	/* a candidate the regex refuses is no hit */
	assert_int_equal(match_url(rs, s, "/p?q=in case when it rains then", &c), 0);
	assert_int_equal(c.n, 0);
	/* what the prefilter misses is missed, and the self-test says so */
	assert_int_equal(match_url(rs, s, "/beta", &c), 0);
	assert_int_equal(c.n, 0);
	mem = open_memstream(&out, &outlen);
	assert_non_null(mem);
	assert_int_equal(ruleset_selftest(rs, mem, &checked), 2);	/* the example, and the prefilter */
	fclose(mem);
	assert_non_null(strstr(out, "rule t.blind: match example did not match: /beta"));
	assert_non_null(strstr(out, "rule t.blind: prefilter 'alpha' misses a match of its regex "
	    "in url: /beta"));
	assert_null(strstr(out, "t.pre"));
	free(out);
	rule_scratch_free(s);
	ruleset_free(rs);
	rs = NULL;

	write_file(t, "r7.yaml",
	    "- id: t.bad\n"
	    "  title: bad\n"
	    "  severity: low\n"
	    "  category: x\n"
	    "  fields: [url]\n"
	    "  patterns:\n"
	    "    - literal: 'x'\n"
	    "      prefilter: 'x'\n"
	    "    - regex: 'y'\n"
	    "      prefilter: 'y(?=z)'\n"
	    "    - regex: 'w'\n"
	    "      fast: 'w'\n"
	    "    - regex: 'v'\n"
	    "      regex: 'u'\n",
	    path, sizeof(path));
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_ERR_PARSE);
	assert_non_null(errors);
	assert_non_null(strstr(errors, "patterns[0]: prefilter must be 1 to"));
	assert_non_null(strstr(errors, "bad prefilter: vectorscan:"));
	assert_non_null(strstr(errors, "patterns[2]: unknown kind 'fast'"));
	assert_non_null(strstr(errors, "patterns[3]: a second 'regex'"));
	free(errors);
}

/* A pattern with a native start check (rules_native.c) runs without Vectorscan on
 * normalised fields, even where it is the field's only pattern (no database at all);
 * on url_raw, or with its text changed by one byte, Vectorscan runs it. */
static void
test_native_patterns_match_with_or_without_a_database(void **state)
{
	struct tmpdir *t = *state;
	char path[160], *errors = NULL;
	size_t checked = 0;
	struct ruleset *rs = NULL;
	struct rule_scratch *s = NULL;
	struct collect c;

	write_file(t, "r9.yaml",
	    "- id: t.native\n"
	    "  title: native\n"
	    "  severity: high\n"
	    "  category: sqli\n"
	    "  fields: [url]\n"
	    "  patterns:\n"
	    "    - regex: '\\bin\\s+boolean\\s+mode\\s*\\)'\n"
	    "  match: [\"/x?q=1%20IN%20boolean%20mode)\"]\n"
	    "  no_match: [\"/x?q=in boolean mood)\"]\n"
	    "- id: t.edited\n"
	    "  title: one byte more\n"
	    "  severity: high\n"
	    "  category: sqli\n"
	    "  fields: [url_raw]\n"
	    "  patterns:\n"
	    "    - regex: '\\bin\\s+boolean\\s+mode\\s*\\) '\n"
	    "  match: [\"/x?q=1 in boolean mode) \"]\n",
	    path, sizeof(path));
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_OK);
	assert_null(errors);
	assert_int_equal(ruleset_selftest(rs, NULL, &checked), 0);
	assert_int_equal(checked, 3);
	assert_int_equal(rule_scratch_new(rs, &s), VG_OK);
	assert_int_equal(match_url(rs, s, "/x?q=1+in+BOOLEAN+mode)", &c), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.ids[0], "t.native");
	assert_string_equal(c.text[0], "in boolean mode)");
	assert_int_equal(match_url(rs, s, "/x?q=1 in boolean mode) ", &c), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.ids[1], "t.edited");
	assert_int_equal(match_url(rs, s, "/x?q=within boolean mode)", &c), 0);
	assert_int_equal(c.n, 0);
	rule_scratch_free(s);
	ruleset_free(rs);
}

/* Normalised values are scanned with their terminating NUL and "$" is written as
 * that NUL for Vectorscan: an end anchor, a '.', a [^...] and \S at the end must
 * mean what they say, and constructs that could stand for NUL are refused on
 * normalised fields (url_raw keeps the pattern as written). */
static void
test_end_anchors_keep_their_meaning_on_normalised_fields(void **state)
{
	static const struct {
		const char *url, *want;	/* the rules that match, in load order */
	} cases[] = {
		{ "/admin", "t.end" }, { "/admin/x", "" }, { "/p?id=1", "t.dot t.dot2" },
		{ "/p?id=", "" }, { "/q?a=b&", "t.neg2" }, { "/q?a=b", "t.neg t.neg2" },
		{ "/q?a=", "" }, { "/s?t=ab%20", "" }, { "/s?t=ab", "t.nsp" }, { "/s?t=abc", "t.nsp t.nsp2" },
		/* the NUL joins a negated class without making a range of its '-' */
		{ "/zqa", "t.hy" }, { "/zq-", "" }, { "/zwa", "t.hy" }, { "/zw-", "" }, { "/zw]", "" },
	};
	struct tmpdir *t = *state;
	char path[160];
	struct ruleset *rs = NULL;
	struct rule_scratch *s = NULL;
	struct collect c;
	char *errors = NULL;

	/* each unanchored twin would match the NUL after the value if it could */
	write_file(t, "r7.yaml",
	    "- { id: t.end, title: e, severity: low, category: x, fields: [url],\n"
	    "    patterns: [{regex: '^/admin$'}] }\n"
	    "- { id: t.dot, title: d, severity: low, category: x, fields: [url],\n"
	    "    patterns: [{regex: 'id=.$'}] }\n"
	    "- { id: t.dot2, title: d, severity: low, category: x, fields: [url],\n"
	    "    patterns: [{regex: 'id=.'}] }\n"
	    "- { id: t.neg, title: n, severity: low, category: x, fields: [url],\n"
	    "    patterns: [{regex: '\\?a=[^&]\\z'}] }\n"
	    "- { id: t.neg2, title: n, severity: low, category: x, fields: [url],\n"
	    "    patterns: [{regex: '\\?a=[^&]'}] }\n"
	    "- { id: t.nsp, title: s, severity: low, category: x, fields: [url],\n"
	    "    patterns: [{regex: 't=ab\\S*$'}] }\n"
	    "- { id: t.nsp2, title: s, severity: low, category: x, fields: [url],\n"
	    "    patterns: [{regex: 't=ab\\S'}] }\n"
	    "- { id: t.hy, title: h, severity: low, category: x, fields: [url],\n"
	    "    patterns: [{regex: 'zq[^-{]'}, {regex: 'zw[^]k-]'}] }\n",
	    path, sizeof(path));
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_OK);
	assert_null(errors);
	assert_int_equal(rule_scratch_new(rs, &s), VG_OK);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char got[128] = "";
		assert_int_equal(match_url(rs, s, cases[i].url, &c), 0);
		for (int k = 0; k < c.n && k < 8; k++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", k ? " " : "",
			    c.ids[k]);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s: matched '%s', want '%s'", cases[i].url, got, cases[i].want);
	}
	rule_scratch_free(s);
	ruleset_free(rs);
	rs = NULL;

	write_file(t, "r7.yaml",
	    "- { id: t.cls, title: c, severity: low, category: x, fields: [url],\n"
	    "    patterns: [{regex: 'a[\\S]b'}] }\n"
	    "- { id: t.nul, title: z, severity: low, category: x, fields: [referer],\n"
	    "    patterns: [{regex: 'a\\x00b'}] }\n"
	    "- { id: t.raw, title: r, severity: low, category: x, fields: [url_raw],\n"
	    "    patterns: [{regex: 'a[\\S]b\\x00'}] }\n"
	    "- { id: t.nl, title: n, severity: low, category: x, fields: [url],\n"
	    "    patterns: [{regex: 'a\\x0ab'}] }\n"
	    "- { id: t.prop, title: p, severity: low, category: x, fields: [user_agent],\n"
	    "    patterns: [{regex: 'a\\PLb'}] }\n"
	    "- { id: t.dd, title: d, severity: low, category: x, fields: [url],\n"
	    "    patterns: [{regex: 'a$$'}] }\n"
	    "- { id: t.alt, title: a, severity: low, category: x, fields: [url],\n"
	    "    patterns: [{regex: '(a$|b)\\b'}] }\n"
	    "- { id: t.fin, title: f, severity: low, category: x, fields: [url],\n"
	    "    patterns: [{regex: '(a(\\?|$)|b$)|c(x|$)'}] }\n",
	    path, sizeof(path));
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_ERR_PARSE);
	assert_non_null(strstr(errors, "rule t.cls: bad regex: on a normalised field"));
	assert_non_null(strstr(errors, "rule t.nul: bad regex: on a normalised field"));
	assert_non_null(strstr(errors, "rule t.prop: bad regex: on a normalised field"));
	assert_non_null(strstr(errors, "rule t.dd: bad regex: on a normalised field"));
	assert_non_null(strstr(errors, "rule t.alt: bad regex: on a normalised field"));
	assert_null(strstr(errors, "t.fin"));
	assert_null(strstr(errors, "t.raw"));
	assert_null(strstr(errors, "t.nl"));
	free(errors);
}

/* Random patterns over the constructs the compile-time rewrites touch ('.', [^...],
 * $, \z, \S \W \D, \s* \s+, long repeats, alternation) against random values: the
 * engine (Vectorscan on the rewritten form, PCRE2 where it confirms) must find a
 * match exactly where PCRE2 finds one in the normalised value. A fixed seed. */
static unsigned
rnd(unsigned *x, unsigned n)
{
	*x = *x * 1103515245u + 12345u;
	return (*x >> 16) % n;
}

static void
random_regex(unsigned *x, char *out, size_t size)
{
	static const char *const atoms[] = { "a", "b", "1", "'", "\\(", "=", "&", "/", ".", "[^a1]",
		"[ab]", "[^&]", "\\S", "\\W", "\\D", "\\d", "\\s", "\\b", "x", "\\s*", "\\s+", "^",
		"[^\\s]", "\\w", "-" };
	const unsigned na = sizeof(atoms) / sizeof(atoms[0]);
	static const char *const quants[] = { "", "", "", "*", "+", "?", "{0,3}", "{1,20}" };
	size_t n = 0;
	unsigned len = 1 + rnd(x, 5);

	out[0] = '\0';
	for (unsigned i = 0; i < len && n + 16 < size; i++) {
		if (rnd(x, 8) == 0)
			n += (size_t)snprintf(out + n, size - n, "(%s|%s)", atoms[rnd(x, na)],
			    atoms[rnd(x, na)]);
		else
			n += (size_t)snprintf(out + n, size - n, "%s", atoms[rnd(x, na)]);
		n += (size_t)snprintf(out + n, size - n, "%s", quants[rnd(x, 8)]);
	}
	if (rnd(x, 3) == 0)
		snprintf(out + n, size - n, "%s", rnd(x, 2) ? "$" : "\\z");
}

static void
test_compiled_forms_agree_with_pcre2_on_random_patterns(void **state)
{
	static const char alphabet[] = "ab1 '(=&/.xAB";
	struct tmpdir *t = *state;
	char path[160], re[128], yaml[512], val[16], norm[64];
	unsigned x = 20261130, checked = 0, patterns = 0;
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);

	assert_non_null(md);
	for (int k = 0; k < 600; k++) {
		struct ruleset *rs = NULL;
		struct rule_scratch *s = NULL;
		struct collect c;
		char *errors = NULL;
		int ec;
		PCRE2_SIZE eo;
		pcre2_code *pc;

		char quoted[256];
		size_t q = 0;
		random_regex(&x, re, sizeof(re));
		for (const char *r = re; *r; r++) {	/* YAML single quotes double a quote */
			if (*r == '\'')
				quoted[q++] = '\'';
			quoted[q++] = *r;
		}
		quoted[q] = '\0';
		snprintf(yaml, sizeof(yaml), "- {id: t.rand, title: r, severity: low, category: x, "
		    "fields: [url], patterns: [{regex: '%s'}]}\n", quoted);
		write_file(t, "r7.yaml", yaml, path, sizeof(path));
		if (ruleset_load(path, 0, NULL, &rs, &errors) != VG_OK) {
			free(errors);	/* matches the empty value, and the like: not ours */
			continue;
		}
		pc = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, PCRE2_CASELESS, &ec, &eo,
		    NULL);
		assert_non_null(pc);
		assert_int_equal(rule_scratch_new(rs, &s), VG_OK);
		patterns++;
		for (int v = 0; v < 60; v++) {
			size_t len = 1 + rnd(&x, 10), nl;
			for (size_t i = 0; i < len; i++)
				val[i] = alphabet[rnd(&x, sizeof(alphabet) - 1)];
			val[len] = '\0';
			assert_int_equal(match_url(rs, s, val, &c), 0);
			normalize_field(val, len, norm, sizeof(norm), &nl);
			int rc = pcre2_match(pc, (PCRE2_SPTR)norm, nl, 0, 0, md, NULL);
			bool want = rc >= 0;
			if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
				continue;	/* PCRE2 gave up ((\b|\b){1,20}...): no answer to compare */
			if ((c.n > 0) != want)
				fail_msg("regex '%s' on '%s' (normalised '%s'): engine %d, pcre2 %d", re,
				    val, norm, c.n > 0, want);
			checked++;
		}
		pcre2_code_free(pc);
		rule_scratch_free(s);
		ruleset_free(rs);
	}
	pcre2_match_data_free(md);
	assert_true(patterns > 300);	/* most random patterns load */
	assert_true(checked > 15000);
}

/* Normalised fields get \s* as \s? and \s+ as \s (cheaper for Vectorscan); that is
 * only the same match set if normalize_field never leaves two whitespace bytes in a
 * row, and url_raw (not normalised) must keep the pattern as written. Repeats with
 * a high bound are unbounded for Vectorscan and PCRE2 keeps the bound. */
static void
test_whitespace_quantifiers_keep_their_meaning(void **state)
{
	static const char *const parts[] = { " ", "\t", "\n", "\r", "\v", "\f", "%20", "%09",
		"%0a", "%0d", "%2520", "+", "&#9;", "&#32;", "&nbsp;", "/", "/*x*/", "/**/",
		"/*!50000", "*/", "%00", "\\x20", "a", "B", "..", "./", "?", "&", "=", ";" };
	struct tmpdir *t = *state;
	char path[160], in[64], out[256];
	struct ruleset *rs = NULL;
	struct rule_scratch *s = NULL;
	struct collect c;
	struct rule_input ri = { { 0 }, { 0 } };
	char *errors = NULL;
	unsigned x = 7;

	for (int i = 0; i < 20000; i++) {
		size_t n = 0, len;
		in[0] = (i & 1) ? '/' : 'q';
		n = 1;
		for (int k = 0; k < 8; k++) {
			const char *p;
			x = x * 1103515245u + 12345u;
			p = parts[(x >> 16) % (sizeof(parts) / sizeof(parts[0]))];
			if (n + strlen(p) >= sizeof(in))
				break;
			memcpy(in + n, p, strlen(p));
			n += strlen(p);
		}
		assert_int_equal(normalize_field(in, n, out, sizeof(out), &len), VG_OK);
		/* and never a NUL before the one after it: the sentinel end anchors match */
		assert_null(memchr(out, '\0', len));
		assert_int_equal(out[len], '\0');
		for (size_t k = 1; k < len; k++)
			assert_false(strchr(" \t\n\r\v\f", out[k - 1]) && out[k - 1] &&
			    strchr(" \t\n\r\v\f", out[k]) && out[k]);
	}
	write_file(t, "r6.yaml",
	    "- id: t.wide\n"
	    "  title: widened repeat\n"
	    "  severity: high\n"
	    "  category: x\n"
	    "  fields: [url]\n"
	    "  patterns:\n"
	    "    - regex: 'qa[^&]{0,20}qb'\n"
	    "    - regex: 'zz\\{1,99\\}'\n"
	    "    - regex: 'yy{ 1,99}'\n"
	    "- id: t.norm\n"
	    "  title: spaced\n"
	    "  severity: high\n"
	    "  category: x\n"
	    "  fields: [url]\n"
	    "  patterns:\n"
	    "    - regex: 'ab\\s+cd\\s*ef'\n"
	    "    - regex: 'x\\\\s*y[\\s]+z'\n"
	    "- id: t.raw\n"
	    "  title: raw spaces\n"
	    "  severity: high\n"
	    "  category: x\n"
	    "  fields: [url_raw]\n"
	    "  patterns:\n"
	    "    - regex: 'gh\\s+ij\\s*kl'\n",
	    path, sizeof(path));
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_OK);
	assert_null(errors);
	assert_int_equal(rule_scratch_new(rs, &s), VG_OK);
	/* Vectorscan sees qa[^&]{0,}qb; PCRE2 keeps the bound */
	assert_int_equal(match_url(rs, s, "/p?q=qa01234567890123456789qb", &c), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.ids[0], "t.wide");
	assert_int_equal(match_url(rs, s, "/p?q=qa01234567890123456789Xqb", &c), 0);
	assert_int_equal(c.n, 0);
	/* braces that are not a quantifier stay literal */
	assert_int_equal(match_url(rs, s, "/p?q=zz{1,99}", &c), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(match_url(rs, s, "/p?q=yy{ 1,99}", &c), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(match_url(rs, s, "/p?q=yyy", &c), 0);
	assert_int_equal(c.n, 0);
	assert_int_equal(match_url(rs, s, "/p?q=AB%20%09%0a+cdef", &c), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.text[0], "ab cdef");
	assert_int_equal(match_url(rs, s, "/p?q=abcd+ef", &c), 0);
	assert_int_equal(c.n, 0);
	/* a backslash then "s*": not whitespace */
	assert_int_equal(match_url(rs, s, "/p?q=x\\sssy%20z", &c), 0);
	assert_int_equal(c.n, 1);
	/* url_raw sees the bytes as logged: two spaces in a row still match \s+ */
	ri.v[RULE_F_URL] = "/p?q=gh  ij  kl";
	ri.len[RULE_F_URL] = strlen(ri.v[RULE_F_URL]);
	memset(&c, 0, sizeof(c));
	assert_int_equal(ruleset_match_input(rs, s, &ri, collect, &c), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.ids[0], "t.raw");
	assert_string_equal(c.text[0], "gh  ij  kl");
	rule_scratch_free(s);
	ruleset_free(rs);
}

static void
test_multi_field_rules_and_all_condition(void **state)
{
	struct tmpdir *t = *state;
	char path[160];
	struct ruleset *rs = NULL;
	struct rule_scratch *s = NULL;
	struct collect c;
	char *errors = NULL;
	struct rule_input in = { { 0 }, { 0 } };

	write_file(t, "r5.yaml",
	    "- id: t.any\n"
	    "  title: either header\n"
	    "  severity: medium\n"
	    "  category: scanner\n"
	    "  fields: [user_agent, referer]\n"
	    "  patterns: [{literal: 'evilscan'}]\n"
	    "  match:\n"
	    "    - 'EvilScan/1.0'\n"
	    "    - {referer: 'http://evilscan.example/'}\n"
	    "  no_match: ['Mozilla/5.0']\n"
	    "- id: t.all\n"
	    "  title: POST body and url together\n"
	    "  severity: high\n"
	    "  category: webshell\n"
	    "  fields: [url, body]\n"
	    "  condition: all\n"
	    "  patterns:\n"
	    "    - regex: '\\.php$'\n"
	    "    - literal: 'z0='\n"
	    "  match:\n"
	    "    - {url: '/up/x.php', body: 'z0=abc'}\n"
	    "  no_match:\n"
	    "    - {url: '/up/x.php', body: 'name=bob'}\n"
	    "    - '/up/x.php'\n",
	    path, sizeof(path));
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_OK);
	assert_int_equal(rule_scratch_new(rs, &s), VG_OK);

	in.v[RULE_F_REFERER] = "https://EVILSCAN.example/";
	in.len[RULE_F_REFERER] = strlen(in.v[RULE_F_REFERER]);
	memset(&c, 0, sizeof(c));
	assert_int_equal(ruleset_match_input(rs, s, &in, collect, &c), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.fields[0], "http.request.referrer");
	assert_string_equal(c.text[0], "evilscan");

	memset(&in, 0, sizeof(in));
	in.v[RULE_F_URL] = "/up/x.php";
	in.len[RULE_F_URL] = 9;
	in.v[RULE_F_BODY] = "a=1&z0=QGluaV9zZXQ";
	in.len[RULE_F_BODY] = strlen(in.v[RULE_F_BODY]);
	memset(&c, 0, sizeof(c));
	assert_int_equal(ruleset_match_input(rs, s, &in, collect, &c), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.ids[0], "t.all");

	/* Repeated header values go through the clean-value cache: a value that matched
	 * nothing is remembered, one that matched must keep matching every time. */
	for (int round = 0; round < 3; round++) {
		memset(&in, 0, sizeof(in));
		in.v[RULE_F_USER_AGENT] = "Mozilla/5.0 (X11)";
		in.len[RULE_F_USER_AGENT] = strlen(in.v[RULE_F_USER_AGENT]);
		memset(&c, 0, sizeof(c));
		assert_int_equal(ruleset_match_input(rs, s, &in, collect, &c), 0);
		assert_int_equal(c.n, 0);
		in.v[RULE_F_USER_AGENT] = "EvilScan/1.0";
		in.len[RULE_F_USER_AGENT] = strlen(in.v[RULE_F_USER_AGENT]);
		memset(&c, 0, sizeof(c));
		assert_int_equal(ruleset_match_input(rs, s, &in, collect, &c), 0);
		assert_int_equal(c.n, 1);
		assert_string_equal(c.ids[0], "t.any");
	}

	/* the embedded examples pass */
	size_t checked = 0;
	assert_int_equal(ruleset_selftest(rs, NULL, &checked), 0);
	assert_int_equal(checked, 6);
	rule_scratch_free(s);
	ruleset_free(rs);
}

static void
test_scratch_reuse_keeps_events_independent(void **state)
{
	struct tmpdir *t = *state;
	char path[160], text[2048];
	struct ruleset *rs = NULL;
	struct rule_scratch *s = NULL;
	struct collect c;
	char *errors = NULL;

	snprintf(text, sizeof(text), "%s"
	    "- id: t.two\n"
	    "  title: two patterns\n"
	    "  severity: low\n"
	    "  category: x\n"
	    "  fields: [url]\n"
	    "  condition: all\n"
	    "  patterns: [{literal: alpha}, {literal: beta}]\n", good_rule);
	write_file(t, "r6.yaml", text, path, sizeof(path));
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_OK);
	assert_int_equal(rule_scratch_new(rs, &s), VG_OK);
	for (int i = 0; i < 300; i++) {
		/* alpha in one event and beta in the next must not add up */
		assert_int_equal(match_url(rs, s, i % 2 ? "/alpha" : "/beta", &c), 0);
		assert_int_equal(c.n, 0);
		assert_int_equal(match_url(rs, s, "/x?a=union select&b=alpha-beta", &c), 0);
		assert_int_equal(c.n, 2);
		assert_string_equal(c.ids[0], "t.good");	/* load order */
		assert_string_equal(c.ids[1], "t.two");
	}
	/* a non-zero callback value stops matching and is returned */
	struct rule_input in = { { 0 }, { 0 } };
	in.v[RULE_F_URL] = "/x?a=union select&b=alpha-beta";
	in.len[RULE_F_URL] = strlen(in.v[RULE_F_URL]);
	memset(&c, 0, sizeof(c));
	c.stop_after = 1;
	assert_int_equal(ruleset_match_input(rs, s, &in, collect, &c), 42);
	assert_int_equal(c.n, 1);

	/* a scratch made for another ruleset is refused */
	struct ruleset *rs2 = NULL;
	assert_int_equal(ruleset_load(path, 0, NULL, &rs2, &errors), VG_OK);
	assert_int_equal(ruleset_match_input(rs2, s, &in, collect, &c), VG_ERR_INVAL);
	ruleset_free(rs2);
	rule_scratch_free(s);
	ruleset_free(rs);
}

static void
test_match_event_uses_event_fields_and_bounds_text(void **state)
{
	struct tmpdir *t = *state;
	char path[160];
	struct ruleset *rs = NULL;
	struct rule_scratch *s = NULL;
	struct collect c = { 0 };
	char *errors = NULL, *longurl;
	struct vg_event ev;

	write_file(t, "r7.yaml",
	    "- id: t.ua\n"
	    "  title: ua\n"
	    "  severity: low\n"
	    "  category: scanner\n"
	    "  fields: [user_agent]\n"
	    "  patterns: [{regex: 'sqlmap/[\\d.]+'}]\n"
	    "- id: t.long\n"
	    "  title: long run of a\n"
	    "  severity: low\n"
	    "  category: x\n"
	    "  fields: [url_raw]\n"
	    "  patterns: [{regex: 'a{300,}'}]\n",
	    path, sizeof(path));
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_OK);
	assert_int_equal(rule_scratch_new(rs, &s), VG_OK);
	vg_event_init(&ev);
	ev.http.user_agent = "SQLMap/1.7.2#stable";
	longurl = malloc(2001);
	assert_non_null(longurl);
	memset(longurl, 'a', 2000);
	longurl[2000] = '\0';
	ev.http.url = longurl;
	assert_int_equal(ruleset_match_event(rs, s, &ev, collect, &c), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.ids[0], "t.ua");
	assert_string_equal(c.text[0], "sqlmap/1.7.2");
	assert_string_equal(c.fields[0], "user_agent.original");
	assert_string_equal(c.ids[1], "t.long");
	assert_int_equal(strlen(c.text[1]), RULE_HIT_TEXT_MAX);
	free(longurl);
	rule_scratch_free(s);
	ruleset_free(rs);
}

static void
test_directory_load_is_recursive_sorted_and_selftest_reports_failures(void **state)
{
	struct tmpdir *t = *state;
	char path[160], sub[160];
	struct ruleset *rs = NULL;
	char *errors = NULL, *out = NULL;
	size_t outlen = 0, checked = 0;
	FILE *mem;

	snprintf(sub, sizeof(sub), "%s/sub", t->path);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_file(t, "sub/r1.yaml",
	    "- id: t.z\n  title: z\n  severity: info\n  category: x\n  fields: [message]\n"
	    "  patterns: [{literal: 'zzz'}]\n"
	    "  match: ['no such text']\n",
	    path, sizeof(path));
	write_file(t, "sub/notes.txt", "not yaml: [", path, sizeof(path));
	write_file(t, "r0.yaml", good_rule, path, sizeof(path));
	assert_int_equal(ruleset_load(t->path, 0, NULL, &rs, &errors), VG_OK);
	assert_null(errors);
	assert_int_equal(ruleset_count(rs), 2);
	assert_string_equal(ruleset_rule(rs, 0)->id, "t.good");
	assert_string_equal(ruleset_rule(rs, 1)->id, "t.z");
	mem = open_memstream(&out, &outlen);
	assert_non_null(mem);
	assert_int_equal(ruleset_selftest(rs, mem, &checked), 1);
	fclose(mem);
	assert_int_equal(checked, 3);
	assert_non_null(strstr(out, "sub/r1.yaml:7: rule t.z: match example did not match"));
	free(out);
	ruleset_free(rs);
}

struct thread_arg {
	struct ruleset *rs;
	int hits;
	int rc;
};

static void *
thread_match(void *p)
{
	struct thread_arg *a = p;
	struct rule_scratch *s = NULL;
	struct collect c;

	a->rc = rule_scratch_new(a->rs, &s);
	for (int i = 0; a->rc == 0 && i < 2000; i++) {
		a->rc = match_url(a->rs, s, i % 2 ? "/x?id=1 union select 2" : "/x?q=union", &c);
		a->hits += c.n;
	}
	rule_scratch_free(s);
	return NULL;
}

/* One ruleset, one scratch per thread: concurrent matching gives the same answers. */
static void
test_threads_share_a_ruleset_with_own_scratch(void **state)
{
	struct tmpdir *t = *state;
	char path[160], *errors = NULL;
	struct ruleset *rs = NULL;
	pthread_t th[2];
	struct thread_arg args[2];

	write_file(t, "r0.yaml", good_rule, path, sizeof(path));
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_OK);
	for (int i = 0; i < 2; i++) {
		args[i] = (struct thread_arg){ .rs = rs };
		assert_int_equal(pthread_create(&th[i], NULL, thread_match, &args[i]), 0);
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(args[i].rc, 0);
		assert_int_equal(args[i].hits, 1000);
	}
	ruleset_free(rs);
}

static size_t
count_cache_entries(const char *dir, char *first, size_t first_size)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "vigil-hs-", 9) != 0)
			continue;
		if (n++ == 0 && first)
			snprintf(first, first_size, "%s/%s", dir, de->d_name);
	}
	closedir(d);
	return n;
}

static void
remove_cache(const char *dir)
{
	char f[512];
	while (count_cache_entries(dir, f, sizeof(f)) > 0)
		assert_int_equal(unlink(f), 0);
	rmdir(dir);
}

/* A lazy scratch leaves texts that take a search for later: asked for after the
 * callback, each is the text an eager scratch gives, and a repeated value answers
 * from the memo at once. */
struct lazy_hits {
	int n;
	struct rule_hit h[8];
};

static int
keep_hits(const struct rule_hit *h, void *arg)
{
	struct lazy_hits *l = arg;
	if (l->n < 8)
		l->h[l->n++] = *h;
	return 0;
}

static void
test_lazy_texts_are_found_when_asked(void **state)
{
	static const char *const urls[] = { "/p?id=1%20union%20select%201,2,3--",
		"/x?q=<script>alert(1)</script>", "/a/../../../etc/passwd", "/p?id=1' or '1'='1" };
	const char *root = getenv("SRCDIR");
	char path[512], *errors = NULL;
	struct ruleset *rs = NULL;
	struct rule_scratch *eager = NULL, *lazy = NULL;
	int deferred = 0, hits = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/rules/http", root ? root : ".");
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_OK);
	assert_int_equal(rule_scratch_new(rs, &eager), VG_OK);
	assert_int_equal(rule_scratch_new(rs, &lazy), VG_OK);
	rule_scratch_lazy_text(lazy, true);
	for (int round = 0; round < 2; round++) {
		for (size_t u = 0; u < sizeof(urls) / sizeof(urls[0]); u++) {
			struct collect c;
			struct lazy_hits l = { 0 };
			struct rule_input in = { { 0 }, { 0 } };
			assert_int_equal(match_url(rs, eager, urls[u], &c), 0);
			in.v[RULE_F_URL] = urls[u];
			in.len[RULE_F_URL] = strlen(urls[u]);
			assert_int_equal(ruleset_match_input(rs, lazy, &in, keep_hits, &l), 0);
			assert_true(c.n > 0);
			assert_int_equal(l.n, c.n);
			for (int i = 0; i < l.n; i++) {
				const char *t = l.h[i].text;
				size_t n = l.h[i].text_len;
				assert_string_equal(l.h[i].rule->id, c.ids[i]);
				if (!t) {
					assert_non_null(l.h[i].later);
					assert_int_equal(round, 0);	/* a repeat has it from the memo */
					n = rule_hit_text(l.h[i].later, &t);
					deferred++;
				}
				assert_int_equal(n, strlen(c.text[i]));
				assert_memory_equal(t, c.text[i], n);
				hits++;
			}
		}
	}
	assert_true(deferred >= 3);
	assert_true(hits >= 2 * deferred);
	rule_scratch_free(eager);
	rule_scratch_free(lazy);
	ruleset_free(rs);
}

/* The compiled-database cache: a second load reuses it with identical results, a
 * corrupted entry is recompiled, and a directory others can write is not used. */
static void
test_compiled_cache_is_reused_and_survives_corruption(void **state)
{
	struct tmpdir *t = *state;
	char path[160], cache[200], entry[512];
	struct ruleset *rs = NULL;
	struct rule_scratch *s = NULL;
	struct collect c;
	char *errors = NULL;
	FILE *f;

	write_file(t, "r0.yaml", good_rule, path, sizeof(path));
	snprintf(cache, sizeof(cache), "%s/cache", t->path);
	for (int pass = 0; pass < 3; pass++) {
		char *logtext = NULL;
		size_t loglen = 0;
		struct vg_logger lg = { .level = VG_LOG_DEBUG, .out = open_memstream(&logtext,
		    &loglen) };
		assert_non_null(lg.out);
		assert_int_equal(ruleset_load_cached(path, 0, cache, &lg, &rs, &errors), VG_OK);
		fclose(lg.out);
		/* pass 0 compiles and stores, 1 loads, 2 finds the corrupted entry */
		assert_true((strstr(logtext, "rules cache hit") != NULL) == (pass == 1));
		assert_true((strstr(logtext, "unusable entry") != NULL) == (pass == 2));
		free(logtext);
		assert_int_equal(count_cache_entries(cache, entry, sizeof(entry)), 1);
		assert_int_equal(rule_scratch_new(rs, &s), VG_OK);
		assert_int_equal(match_url(rs, s, "/x?id=1 union select 2", &c), 0);
		assert_int_equal(c.n, 1);
		assert_int_equal(match_url(rs, s, "/x?q=union", &c), 0);
		assert_int_equal(c.n, 0);
		rule_scratch_free(s);
		ruleset_free(rs);
		if (pass == 1) {
			/* truncate the entry to garbage */
			f = fopen(entry, "w");
			assert_non_null(f);
			fputs("not a database", f);
			fclose(f);
		}
	}
	remove_cache(cache);

	/* group-writable: skipped, nothing written, load still fine */
	assert_int_equal(mkdir(cache, 0770), 0);
	assert_int_equal(chmod(cache, 0770), 0);
	assert_int_equal(ruleset_load_cached(path, 0, cache, NULL, &rs, &errors), VG_OK);
	assert_int_equal(count_cache_entries(cache, NULL, 0), 0);
	ruleset_free(rs);
	rmdir(cache);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_regex_fails_load_naming_file_line_and_rule,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep_going_loads_the_other_rules, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_schema_errors_are_reported_per_rule, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pcre_confirms_what_vectorscan_prefilters, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_repeated_values_answer_as_their_first_scan,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefilter_is_scanned_and_the_regex_decides,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_native_patterns_match_with_or_without_a_database,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_end_anchors_keep_their_meaning_on_normalised_fields,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_compiled_forms_agree_with_pcre2_on_random_patterns,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_whitespace_quantifiers_keep_their_meaning, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_multi_field_rules_and_all_condition, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_scratch_reuse_keeps_events_independent, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_match_event_uses_event_fields_and_bounds_text,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_directory_load_is_recursive_sorted_and_selftest_reports_failures, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_threads_share_a_ruleset_with_own_scratch, setup,
		    teardown),
		cmocka_unit_test(test_lazy_texts_are_found_when_asked),
		cmocka_unit_test_setup_teardown(test_compiled_cache_is_reused_and_survives_corruption,
		    setup, teardown),
	};
	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
