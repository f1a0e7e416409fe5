/* The shipped rules' compiled databases against PCRE2's interpreter on the recorded
 * real-tool corpus (bench/corpus/logs): every match a pattern has in a field's
 * scanned value must be reported by that field's Vectorscan database. Guards the
 * compile-time rewrites (rules_keywords.c) and Vectorscan itself, whose AVX-512
 * code in 5.4.9 misses matches past a value's first 64 bytes (rules_compile.c then
 * scans with its AVX2 code): padded values are checked too. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/event.h"
#include "core/zread.h"
#include "monitor/decode.h"
#include "monitor/normalize.h"
#include "monitor/rules_int.h"

struct seen {
	uint64_t bit[8];	/* one bit per pattern of the field's database */
};

static int
on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
    void *ctx)
{
	struct seen *s = ctx;
	(void)from;
	(void)to;
	(void)flags;
	if (id < 512)
		s->bit[id / 64] |= 1ull << (id % 64);
	return 0;
}

/* Appends the plain text of one (gzip) log to b. */
static void
read_log(const char *path, struct vg_buf *b)
{
	struct vg_zread *z = NULL;
	char chunk[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(vg_zread_open(fd, &z), VG_OK);
	while ((n = vg_zread(z, chunk, sizeof(chunk))) > 0)
		assert_int_equal(vg_buf_put(b, chunk, (size_t)n), VG_OK);
	assert_int_equal(n, 0);
	vg_zread_free(z);
	close(fd);
}

static void
test_databases_find_every_pcre2_match_on_the_corpus(void **state)
{
	const char *root = getenv("SRCDIR");
	char dir[512], path[1024], err[256], *errors = NULL, *norm = malloc(RULE_NORM_MAX);
	static char padded[70000];
	struct ruleset *rs = NULL;
	struct decoder *d = NULL;
	struct vg_buf *b = vg_buf_new(64 << 20);
	hs_scratch_t *scr = NULL;
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	unsigned long values = 0, misses = 0;
	struct dirent *de;
	DIR *dp;

	(void)state;
	assert_non_null(norm);
	assert_non_null(b);
	assert_non_null(md);
	assert_non_null(mc);
	pcre2_set_match_limit(mc, RULE_PCRE_MATCH_LIMIT);
	snprintf(path, sizeof(path), "%s/rules/http", root ? root : ".");
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_OK);
	for (int f = 0; f < RULE_F_COUNT; f++)
		if (rs->dbs[f].db) {
			assert_true(rs->dbs[f].nrefs <= 512);
			assert_int_equal(hs_alloc_scratch(rs->dbs[f].db, &scr), HS_SUCCESS);
		}
	assert_int_equal(decoder_new("auto", NULL, &d, err, sizeof(err)), VG_OK);
	snprintf(dir, sizeof(dir), "%s/bench/corpus/logs", root ? root : ".");
	assert_non_null(dp = opendir(dir));
	while ((de = readdir(dp)) != NULL)
		if (strstr(de->d_name, ".log.gz")) {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			read_log(path, b);
		}
	closedir(dp);
	assert_true(vg_buf_len(b) > 1000000);

	const char *p = vg_buf_ptr(b), *end = p + vg_buf_len(b);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct vg_event ev;
		const char *v[RULE_F_COUNT] = { 0 };

		decoder_decode(d, p, len, &ev);
		p += len + 1;
		v[RULE_F_URL] = v[RULE_F_URL_RAW] = ev.http.url;
		v[RULE_F_USER_AGENT] = ev.http.user_agent;
		v[RULE_F_REFERER] = ev.http.referer;
		/* every line as logged, and every fourth one again behind 70 bytes of
		 * padding: an attacker's way past the first 64 bytes of a value */
		for (int f = 0, pass = 0; f < RULE_F_COUNT; f += pass, pass ^= 1) {
			const struct field_db *fd = &rs->dbs[f];
			const char *val = v[f];
			size_t vlen;
			struct seen s = { { 0 } };

			if (!val || !fd->db || (pass && values % 4))
				continue;
			vlen = strlen(val);
			if (pass) {
				if (vlen > sizeof(padded) - 71)
					continue;
				memset(padded, 'a', 70);
				memcpy(padded + 70, val, vlen + 1);
				val = padded;
				vlen += 70;
			}
			if (f != RULE_F_URL_RAW) {
				normalize_field(val, vlen, norm, RULE_NORM_MAX, &vlen);
				val = norm;
			}
			assert_int_equal(rs->scan(fd->db, val, (unsigned)(vlen + scan_nul(f)), 0, scr,
			    on_match, &s), HS_SUCCESS);
			values++;
			for (size_t i = 0; i < fd->nrefs; i++) {
				const struct rule *r = &rs->rules[fd->refs[i].rule];
				const struct pattern *pt = &r->pats[fd->refs[i].pat];
				if (s.bit[i / 64] & (1ull << (i % 64)))
					continue;
				if (pcre2_match(pt->re, (PCRE2_SPTR)val, vlen, 0, PCRE2_NO_JIT, md, mc) < 0)
					continue;
				if (misses++ < 10)
					print_message("missed: %s#%u '%s' in %s: %.*s\n", r->info.id,
					    fd->refs[i].pat, pt->text, rule_field_name((enum rule_field)f),
					    (int)(vlen > 200 ? 200 : vlen), val);
			}
		}
	}
	assert_true(values > 200000);
	assert_int_equal(misses, 0);
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	hs_free_scratch(scr);
	decoder_free(d);
	ruleset_free(rs);
	vg_buf_free(b);
	free(norm);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_databases_find_every_pcre2_match_on_the_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
