/* The shipped rules' compiled databases against PCRE2's interpreter on the recorded
 * real-tool corpus (bench/corpus/logs): every match a pattern has in a field's
 * scanned value must be reported by that field's Vectorscan database, and each
 * native pattern (rules_native.c) must find the same leftmost match as PCRE2 alone.
 * Guards the compile-time rewrites (rules_keywords.c), the native start checks and
 * Vectorscan itself, whose AVX-512 code in 5.4.9 misses matches past a value's
 * first 64 bytes (rules_compile.c then scans with its AVX2 code): padded values are
 * checked too, and random SQL-like values for the native checks. */
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
#include "../helpers/native_probe.h"

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

/* Native member k of fd on v against PCRE2 alone (says how they differ). */
static bool
native_check_differs(const struct ruleset *rs, const struct field_db *fd, size_t k,
    const char *v, size_t len, pcre2_match_data *md, pcre2_match_context *mc)
{
	const struct pat_ref *ref = &fd->refs[fd->nhs + k];
	const struct pattern *pt = &rs->rules[ref->rule].pats[ref->pat];
	struct native_verdict nv;

	if (!native_differs(fd, pt, k, v, len, md, mc, &nv))
		return false;
	print_message("native %s#%u '%s': pcre2 %d [%zu,%zu) native %d [%zu,%zu) on: %.*s\n",
	    rs->rules[ref->rule].info.id, ref->pat, pt->text, nv.want, nv.want_so, nv.want_eo,
	    nv.got, nv.got_so, nv.got_eo, (int)(len > 200 ? 200 : len), v);
	return true;
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
	unsigned long values = 0, misses = 0, native_diffs = 0;
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
	assert_true(rs->dbs[RULE_F_URL].natives.n >= 10);
	for (int f = 0; f < RULE_F_COUNT; f++)
		if (rs->dbs[f].db) {
			assert_true(rs->dbs[f].nhs <= 512);
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

			if (!val || !fd->nrefs || (pass && values % 4))
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
			if (fd->db)
				assert_int_equal(rs->scan(fd->db, val, (unsigned)(vlen + scan_nul(f)), 0,
				    scr, on_match, &s), HS_SUCCESS);
			values++;
			for (size_t k = 0; k < fd->natives.n; k++)
				if (native_check_differs(rs, fd, k, val, vlen, md, mc) && native_diffs++ > 10)
					fail();
			for (size_t i = 0; i < fd->nhs; i++) {
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
	assert_int_equal(native_diffs, 0);
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	hs_free_scratch(scr);
	decoder_free(d);
	ruleset_free(rs);
	vg_buf_free(b);
	free(norm);
}

static unsigned long
next_rand(unsigned long *seed)
{
	*seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
	return *seed >> 33;
}

/* Random values near the SQL boolean forms: a seed of each form, mutated by a few
 * insertions of the pieces those patterns look at, deletions and byte swaps, then
 * normalised as the matcher sees them. Each native check must agree with PCRE2
 * alone on every one. */
static void
test_native_checks_agree_with_pcre2_on_random_sql(void **state)
{
	static const char *const seeds[] = { "1' or '1'='1", "1 and 1=1", "x\" or 2=2-- a",
		"(select 1 from t)", "case when 1=1 then 1", "3 order by 3--", "make_set(1=1,2)",
		"' or true--", "in boolean mode)", "'a' or 'b'='b", "x' and 3=3 -- ab",
		"5 and not (1<2)", "(4=4)*4", "7'or'q'='q", "a') or ('a' like 'a", "z' having 2=2#",
		"1` or x-like 1", "elt( (3 != 3) ,1)", "where -5 <=> 5", "1'))-- -&b=2" };
	static const char *const piece[] = { " ", " ", "'", "\"", "`", "(", ")", "-", "--",
		"#", ";", "=", "<", ">", "<>", "!=", ",", "||", "&", "&&", "1", "42", "or", "and",
		"xor", "not", "where", "having", "when", "case", "then", "in", "order", "by",
		"select", "union", "like", "is", "null", "between", "true", "a", "x_y", "q1",
		"-a", "\t", "+", "/**/", "%27" };
	const char *root = getenv("SRCDIR");
	char path[1024], raw[400], *errors = NULL, norm[RULE_NORM_MAX];
	struct ruleset *rs = NULL;
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	unsigned long diffs = 0, hits[NAT_MAX] = { 0 }, seed = 0x5eed;
	const size_t nseed = sizeof(seeds) / sizeof(seeds[0]);
	const size_t npiece = sizeof(piece) / sizeof(piece[0]);

	(void)state;
	snprintf(path, sizeof(path), "%s/rules/http/sqli.yaml", root ? root : ".");
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_OK);
	const struct field_db *fd = &rs->dbs[RULE_F_URL];
	assert_true(fd->natives.n >= 10);
	for (int n = 0; n < 30000; n++) {
		size_t len = strlen(strcpy(raw, seeds[next_rand(&seed) % nseed])), vlen;
		for (int ops = 1 + (int)(next_rand(&seed) % 4); ops > 0; ops--) {
			size_t at = next_rand(&seed) % (len + 1), k = next_rand(&seed) % 3;
			const char *pc = piece[next_rand(&seed) % npiece];
			size_t pl = strlen(pc);
			if (k == 0 && len + pl < sizeof(raw)) {	/* insert */
				memmove(raw + at + pl, raw + at, len - at + 1);
				memcpy(raw + at, pc, pl);
				len += pl;
			} else if (k == 1 && at < len) {	/* delete up to 3 bytes */
				size_t d = 1 + next_rand(&seed) % 3;
				d = d > len - at ? len - at : d;
				memmove(raw + at, raw + at + d, len - at - d + 1);
				len -= d;
			} else if (at < len) {	/* swap a byte for one of a piece */
				raw[at] = pc[0];
			}
		}
		normalize_field(raw, len, norm, sizeof(norm), &vlen);
		for (size_t k = 0; k < fd->natives.n; k++) {
			const struct pat_ref *ref = &fd->refs[fd->nhs + k];
			if (pcre2_match(rs->rules[ref->rule].pats[ref->pat].re, (PCRE2_SPTR)norm, vlen,
			    0, PCRE2_NO_JIT, md, mc) >= 0)
				hits[k]++;
			if (native_check_differs(rs, fd, k, norm, vlen, md, mc) && diffs++ > 10)
				fail();
		}
	}
	assert_int_equal(diffs, 0);
	for (size_t k = 0; k < fd->natives.n; k++) {	/* the seeds do make each one match */
		print_message("native %zu: %lu hits\n", k, hits[k]);
		assert_true(hits[k] >= 20);
	}
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	ruleset_free(rs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_databases_find_every_pcre2_match_on_the_corpus),
		cmocka_unit_test(test_native_checks_agree_with_pcre2_on_random_sql),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
