/* Per-line verdicts for the detection benchmark: decodes each access-log line (auto
 * format), matches the rule set and prints one line per input line: its number and
 * the categories of the rules of medium severity or more that matched ("-" for
 * none), e.g. "17 sqli,xss": low and info rules (a bare HTTP library's user agent)
 * describe traffic, they do not call it an attack. Rule hits only; correlation
 * alerts come from `vigil scan-log`.
 * usage: build/bench/label_lines RULES LOG [CACHE_DIR]  (compiled rules kept there)
 * LABEL_LINES_HITS=1 prints every hit (rule, field, matched text) instead. */
#include "core/err.h"
#include "core/event.h"
#include "monitor/decode.h"
#include "monitor/rules.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cats {
	char text[512];
	size_t len;
};

/* LABEL_LINES_HITS=1: every hit as "rule field text" instead (to compare two builds). */
static int
print_hit(const struct rule_hit *h, void *arg)
{
	(void)arg;
	printf(" %s %s %.*s|", h->rule->id, h->field, (int)h->text_len, h->text);
	return 0;
}

static int
add_cat(const struct rule_hit *h, void *arg)
{
	struct cats *c = arg;
	const char *cat = h->rule->category;
	size_t l = strlen(cat);
	char *p = c->text;

	if (h->rule->severity < VG_SEV_MEDIUM)
		return 0;
	/* skip a category already listed */
	while ((p = strstr(p, cat)) != NULL) {
		if ((p == c->text || p[-1] == ',') && (p[l] == ',' || p[l] == '\0'))
			return 0;
		p += l;
	}
	if (c->len + l + 2 >= sizeof(c->text))
		return 0;
	if (c->len)
		c->text[c->len++] = ',';
	memcpy(c->text + c->len, cat, l + 1);
	c->len += l;
	return 0;
}

int
main(int argc, char **argv)
{
	struct ruleset *rs = NULL;
	struct rule_scratch *s = NULL;
	struct decoder *d = NULL;
	char *errors = NULL, err[256], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long no = 0;
	FILE *in;
	bool hits = getenv("LABEL_LINES_HITS") && strcmp(getenv("LABEL_LINES_HITS"), "1") == 0;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: label_lines RULES LOG [CACHE_DIR]\n");
		return 2;
	}
	if (ruleset_load_cached(argv[1], 0, argc == 4 ? argv[3] : NULL, NULL, &rs, &errors) != VG_OK) {
		fprintf(stderr, "%s", errors ? errors : "rules: load failed\n");
		return 2;
	}
	if (rule_scratch_new(rs, &s) != VG_OK || decoder_new("auto", NULL, &d, err, sizeof(err)) != VG_OK)
		return 3;
	in = strcmp(argv[2], "-") == 0 ? stdin : fopen(argv[2], "r");
	if (!in) {
		perror(argv[2]);
		return 3;
	}
	while ((n = getline(&line, &cap, in)) > 0) {
		struct vg_event ev;
		struct cats c = { .len = 0 };
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		no++;
		decoder_decode(d, line, (size_t)n, &ev);
		if (hits) {
			printf("%lu", no);
			if (ruleset_match_event(rs, s, &ev, print_hit, NULL) < 0)
				return 3;
			putchar('\n');
			continue;
		}
		if (ruleset_match_event(rs, s, &ev, add_cat, &c) < 0)
			return 3;
		printf("%lu %s\n", no, c.len ? c.text : "-");
	}
	free(line);
	if (in != stdin)
		fclose(in);
	decoder_free(d);
	rule_scratch_free(s);
	ruleset_free(rs);
	free(errors);
	return 0;
}
