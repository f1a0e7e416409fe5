/* libFuzzer harness for the rule compiler's rewrites (rules_keywords.c: \s squeeze,
 * widened repeats, the NUL sentinel for "$", prefilter mode): a pattern the loader
 * takes must never miss what PCRE2's interpreter finds in the normalised value. The
 * input is "REGEX\nVALUE"; the other direction (a hit PCRE2 would not give) is not
 * checked: widened patterns count PCRE2 giving up as a hit, on purpose. It found
 * the rewrites' faults fixed in 205c5b4 and Vectorscan 5.4.9's AVX-512 misses past
 * a value's first 64 bytes ("x\S" after 70 bytes), which rules_compile.c now
 * sidesteps. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "core/err.h"
#include "monitor/normalize.h"
#include "monitor/rules.h"

#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[] = "/tmp/vigil-fuzz-rules.XXXXXX";

static void
remove_rule_file(void)
{
	unlink(path);
}

static int
on_hit(const struct rule_hit *h, void *arg)
{
	(void)h;
	++*(int *)arg;
	return 0;
}

/* YAML double-quoted scalar: everything outside printable ASCII, and the quote and
 * the backslash, as \xNN. */
static void
put_quoted(FILE *f, const uint8_t *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' && s[i] != '\\')
			fputc(s[i], f);
		else
			fprintf(f, "\\x%02x", s[i]);
	}
	fputc('"', f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	const uint8_t *nl = memchr(data, '\n', size);
	size_t rlen, vlen, normlen;
	struct ruleset *rs = NULL;
	struct rule_scratch *s = NULL;
	struct rule_input in = { { 0 }, { 0 } };
	char *errors = NULL, value[256], norm[256];
	pcre2_code *re;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	int ec, hits = 0, rc;
	PCRE2_SIZE eo;
	FILE *f;

	if (!nl || memchr(data, '\0', size))
		return 0;
	rlen = (size_t)(nl - data);
	vlen = size - rlen - 1;
	if (rlen == 0 || rlen > 200 || vlen > sizeof(value) - 1)
		return 0;
	for (size_t i = 0; i < rlen; i++)
		if (data[i] >= 0x80)
			return 0;	/* a YAML scalar is text: \x88 there is U+0088 */
	if (fd < 0) {
		if ((fd = mkstemp(path)) < 0)
			abort();
		atexit(remove_rule_file);
	}
	if (!(f = fopen(path, "w")))
		abort();
	fputs("- {id: f.x, title: f, severity: low, category: x, fields: [url], patterns: [{regex: ",
	    f);
	put_quoted(f, data, rlen);
	fputs("}]}\n", f);
	fclose(f);
	if (ruleset_load(path, 0, NULL, &rs, &errors) != VG_OK) {
		free(errors);
		return 0;
	}
	re = pcre2_compile(data, rlen, PCRE2_CASELESS, &ec, &eo, NULL);
	if (!re || rule_scratch_new(rs, &s) != VG_OK)
		abort();	/* the loader took a pattern PCRE2 refuses, or no memory */
	memcpy(value, nl + 1, vlen);
	value[vlen] = '\0';
	in.v[RULE_F_URL] = value;
	in.len[RULE_F_URL] = vlen;
	if (ruleset_match_input(rs, s, &in, on_hit, &hits) < 0)
		abort();
	normalize_field(value, vlen, norm, sizeof(norm), &normlen);
	md = pcre2_match_data_create(1, NULL);
	mc = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mc, 100000);
	rc = pcre2_match(re, (PCRE2_SPTR)norm, normlen, 0, PCRE2_NO_JIT, md, mc);
	if (rc >= 0 && hits == 0) {
		fprintf(stderr, "missed: regex '%.*s' on '%s' (normalised '%s')\n", (int)rlen,
		    (const char *)data, value, norm);
		abort();
	}
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	rule_scratch_free(s);
	ruleset_free(rs);
	return 0;
}
