/* Detection and false-positive rate of the shipped rule set on the committed
 * corpora: every attack line must be flagged by a rule of its labelled category,
 * and at most 0.1% of the benign lines may be flagged at all. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "monitor/rules.h"

struct hits {
	const char *want_category;	/* NULL: count any hit */
	int matched;
	int any;
	char first[200];
};

static int
on_hit(const struct rule_hit *h, void *arg)
{
	struct hits *a = arg;
	if (!a->any)
		snprintf(a->first, sizeof(a->first), "%s on %.*s", h->rule->id,
		    (int)(h->text_len > 80 ? 80 : h->text_len), h->text);
	a->any++;
	if (a->want_category && strcmp(h->rule->category, a->want_category) == 0)
		a->matched++;
	return 0;
}

static char *
src_path(const char *rel)
{
	const char *root = getenv("SRCDIR");
	size_t n = strlen(root ? root : ".") + strlen(rel) + 2;
	char *p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/%s", root ? root : ".", rel);
	return p;
}

/* Compiling the full set takes a while under ASan: load it once for the group. */
static int
load_shipped(void **state)
{
	struct ruleset *rs = NULL;
	char *errors = NULL, *path = src_path("rules");
	int r = ruleset_load(path, 0, NULL, &rs, &errors);
	if (errors)
		fprintf(stderr, "%s", errors);
	free(errors);
	free(path);
	*state = rs;
	return r == VG_OK ? 0 : -1;
}

static int
free_shipped(void **state)
{
	ruleset_free(*state);
	return 0;
}

/* Splits "a<TAB>b<TAB>c\n" in place into up to 3 fields; returns the count. */
static int
split(char *line, char *f[3])
{
	int n = 0;
	line[strcspn(line, "\r\n")] = '\0';
	f[0] = f[1] = f[2] = NULL;
	while (n < 3) {
		f[n++] = line;
		line = strchr(line, '\t');
		if (!line)
			break;
		*line++ = '\0';
	}
	return n;
}

static void
test_every_attack_line_is_flagged_with_its_category(void **state)
{
	struct ruleset *rs = *state;
	struct rule_scratch *s = NULL;
	char *path = src_path("tests/corpus/attack_urls.txt");
	FILE *f = fopen(path, "r");
	char line[8192];
	int total = 0, missed = 0;

	assert_non_null(f);
	assert_int_equal(rule_scratch_new(rs, &s), VG_OK);
	while (fgets(line, sizeof(line), f)) {
		char *fl[3];
		struct rule_input in = { { 0 }, { 0 } };
		struct hits h = { 0 };
		int n = split(line, fl);
		if (n < 2 || fl[0][0] == '#')
			continue;
		h.want_category = fl[0];
		in.v[RULE_F_URL] = fl[1];
		in.len[RULE_F_URL] = strlen(fl[1]);
		if (n == 3) {
			in.v[RULE_F_USER_AGENT] = fl[2];
			in.len[RULE_F_USER_AGENT] = strlen(fl[2]);
		}
		assert_int_equal(ruleset_match_input(rs, s, &in, on_hit, &h), 0);
		total++;
		if (!h.matched) {
			missed++;
			printf("# missed %s: %s%s%s (other hit: %s)\n", fl[0], fl[1], n == 3 ? " UA " : "",
			    n == 3 ? fl[2] : "", h.any ? h.first : "none");
		}
	}
	fclose(f);
	printf("# attack corpus: %d lines, %d detected with their category (%.1f%%)\n", total,
	    total - missed, total ? 100.0 * (total - missed) / total : 0.0);
	assert_true(total >= 300);
	assert_int_equal(missed, 0);
	rule_scratch_free(s);
	free(path);
}

static void
test_benign_corpus_false_positive_rate_is_at_most_0_1_percent(void **state)
{
	struct ruleset *rs = *state;
	struct rule_scratch *s = NULL;
	char *path = src_path("tests/corpus/benign_urls.txt");
	FILE *f = fopen(path, "r");
	char line[8192];
	int total = 0, flagged = 0;

	assert_non_null(f);
	assert_int_equal(rule_scratch_new(rs, &s), VG_OK);
	while (fgets(line, sizeof(line), f)) {
		char *fl[3];
		struct rule_input in = { { 0 }, { 0 } };
		struct hits h = { 0 };
		int n = split(line, fl);
		if (!fl[0][0])
			continue;
		in.v[RULE_F_URL] = fl[0];
		in.len[RULE_F_URL] = strlen(fl[0]);
		if (n >= 2) {
			in.v[RULE_F_USER_AGENT] = fl[1];
			in.len[RULE_F_USER_AGENT] = strlen(fl[1]);
		}
		assert_int_equal(ruleset_match_input(rs, s, &in, on_hit, &h), 0);
		total++;
		if (h.any) {
			flagged++;
			printf("# false positive: %s (%s)\n", fl[0], h.first);
		}
	}
	fclose(f);
	printf("# benign corpus: %d lines, %d flagged, false-positive rate %.3f%%\n", total,
	    flagged, total ? 100.0 * flagged / total : 0.0);
	assert_true(total >= 2000);
	/* <= 0.1% */
	assert_true(flagged * 1000 <= total);
	rule_scratch_free(s);
	free(path);
}

/* Binary garbage, invalid UTF-8, NUL bytes and a 1 MB line go through every
 * field of the full rule set: no crash (ASan watches), long fields are cut and
 * counted, and the engine still finds an attack placed at the start of a huge URL. */
static void
test_garbage_and_huge_fields_are_survived(void **state)
{
	struct ruleset *rs = *state;
	struct rule_scratch *s = NULL;
	const size_t big = 1 << 20;
	char *buf = malloc(big + 1);
	unsigned x = 7;
	struct hits h;

	assert_non_null(buf);
	assert_int_equal(rule_scratch_new(rs, &s), VG_OK);
	for (int round = 0; round < 300; round++) {
		struct rule_input in = { { 0 }, { 0 } };
		size_t len = (size_t)(round * 37 % 3000);
		for (size_t i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = (char)(x >> 16);
		}
		buf[len] = '\0';
		for (int f = 0; f < RULE_F_COUNT; f++) {
			in.v[f] = buf;
			in.len[f] = len;
		}
		memset(&h, 0, sizeof(h));
		assert_int_equal(ruleset_match_input(rs, s, &in, on_hit, &h), 0);
	}
	/* 1 MB URL: attack at the front, then padding */
	memset(buf, 'a', big);
	memcpy(buf, "/x?id=1 union select 1,2--&p=", 29);
	buf[big] = '\0';
	{
		struct rule_input in = { { 0 }, { 0 } };
		unsigned long long before = rule_scratch_truncated(s);
		in.v[RULE_F_URL] = buf;
		in.len[RULE_F_URL] = big;
		memset(&h, 0, sizeof(h));
		h.want_category = "sqli";
		assert_int_equal(ruleset_match_input(rs, s, &in, on_hit, &h), 0);
		assert_true(h.matched > 0);
		assert_int_equal(rule_scratch_truncated(s), before + 1);
	}
	rule_scratch_free(s);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_attack_line_is_flagged_with_its_category),
		cmocka_unit_test(test_benign_corpus_false_positive_rate_is_at_most_0_1_percent),
		cmocka_unit_test(test_garbage_and_huge_fields_are_survived),
	};
	return cmocka_run_group_tests_name("corpus", tests, load_shipped, free_shipped);
}
