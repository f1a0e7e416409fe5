/* Per-pattern cost profile of the rule set: decodes an access log, keeps each
 * field's normalised values as the matcher would scan them, then times each
 * pattern compiled alone (same flags) over those values, and each field's whole
 * database, in thread CPU time. Shows which patterns make Vectorscan slow.
 * With RULES_COST_LOO=1 it also recompiles each field's database without each
 * pattern in turn: what a pattern adds to the shared database, which is what the
 * matcher pays (a pattern alone pays the scan's fixed cost too).
 * RULES_COST_FIELD=url limits it to one field.
 * usage: build/bench/rules_cost RULES LOG [TOP]  (TOP lines per field, default 25) */
#include "core/err.h"
#include "core/event.h"
#include "monitor/decode.h"
#include "monitor/normalize.h"
#include "monitor/rules_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct vals {
	char **v;
	size_t *len;
	size_t n, cap;
	size_t bytes;
	size_t nul;	/* scan_nul() of the field: its NUL is scanned too */
};

struct cost {
	double ns;
	size_t rule, pat;
	unsigned long hits;
};

static double
cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
add_val(struct vals *vs, const char *s, size_t len)
{
	if (vs->n == vs->cap) {
		vs->cap = vs->cap ? vs->cap * 2 : 4096;
		vs->v = realloc(vs->v, vs->cap * sizeof(*vs->v));
		vs->len = realloc(vs->len, vs->cap * sizeof(*vs->len));
		if (!vs->v || !vs->len)
			exit(3);
	}
	vs->v[vs->n] = malloc(len + 1);
	if (!vs->v[vs->n])
		exit(3);
	memcpy(vs->v[vs->n], s, len);
	vs->v[vs->n][len] = '\0';
	vs->len[vs->n++] = len;
	vs->bytes += len;
}

static int
count_cb(unsigned int id, unsigned long long from, unsigned long long to, unsigned int fl,
    void *ctx)
{
	(void)id;
	(void)from;
	(void)to;
	(void)fl;
	(*(unsigned long *)ctx)++;
	return 0;
}

/* Best of three passes over every value: ns per scan. */
static double
time_db(const struct ruleset *rs, const hs_database_t *db, hs_scratch_t *scr,
    const struct vals *vs, unsigned long *hits)
{
	double best = 1e30;
	for (int pass = 0; pass < 3; pass++) {
		unsigned long h = 0;
		double t = cpu_s();
		for (size_t i = 0; i < vs->n; i++)
			rs->scan(db, vs->v[i], (unsigned)(vs->len[i] + vs->nul), 0, scr, count_cb, &h);
		t = cpu_s() - t;
		if (t < best)
			best = t;
		*hits = h;
	}
	return vs->n ? best / vs->n * 1e9 : 0;
}

/* ns per scan of field f's database compiled without its pattern skip. */
static double
time_without(const struct ruleset *rs, int f, size_t skip, const struct vals *vs,
    unsigned long *hits)
{
	const struct field_db *fd = &rs->dbs[f];
	const char **ex = calloc(fd->nhs, sizeof(*ex));
	unsigned *fl = calloc(fd->nhs, sizeof(*fl)), *ids = calloc(fd->nhs, sizeof(*ids));
	hs_database_t *db = NULL;
	hs_scratch_t *scr = NULL;
	hs_compile_error_t *ce = NULL;
	unsigned n = 0;
	double ns = 0;

	if (!ex || !fl || !ids)
		exit(3);
	for (size_t i = 0; i < fd->nhs; i++) {
		const struct pattern *p = &rs->rules[fd->refs[i].rule].pats[fd->refs[i].pat];
		if (i == skip)
			continue;
		ex[n] = pattern_expr(p, (enum rule_field)f);
		fl[n] = pattern_hs_flags(p);
		ids[n] = n;
		n++;
	}
	if (hs_compile_multi(ex, fl, ids, n, HS_MODE_BLOCK, ruleset_platform(rs), &db, &ce) ==
	    HS_SUCCESS &&
	    hs_alloc_scratch(db, &scr) == HS_SUCCESS)
		ns = time_db(rs, db, scr, vs, hits);
	hs_free_compile_error(ce);
	hs_free_scratch(scr);
	hs_free_database(db);
	free(ex);
	free(fl);
	free(ids);
	return ns;
}

static int
by_cost(const void *a, const void *b)
{
	const struct cost *x = a, *y = b;
	return x->ns < y->ns ? 1 : x->ns > y->ns ? -1 : 0;
}

int
main(int argc, char **argv)
{
	struct ruleset *rs = NULL;
	struct decoder *d = NULL;
	char *errors = NULL, err[256], *line = NULL, *norm = malloc(RULE_NORM_MAX);
	size_t cap = 0, top = argc > 3 ? strtoul(argv[3], NULL, 10) : 25;
	ssize_t n;
	struct vals vs[RULE_F_COUNT] = { { 0 } };
	FILE *in;
	bool loo = getenv("RULES_COST_LOO") && *getenv("RULES_COST_LOO") == '1';
	const char *only = getenv("RULES_COST_FIELD");	/* one field by rule-file name */

	for (int f = 0; f < RULE_F_COUNT; f++)
		vs[f].nul = scan_nul((enum rule_field)f);

	if (argc < 3) {
		fprintf(stderr, "usage: rules_cost RULES LOG [TOP]\n");
		return 2;
	}
	if (ruleset_load(argv[1], 0, NULL, &rs, &errors) != VG_OK) {
		fprintf(stderr, "%s", errors ? errors : "rules: load failed\n");
		return 2;
	}
	if (!norm || decoder_new("auto", NULL, &d, err, sizeof(err)) != VG_OK)
		return 3;
	if (!(in = fopen(argv[2], "r"))) {
		perror(argv[2]);
		return 3;
	}
	while ((n = getline(&line, &cap, in)) > 0) {
		struct vg_event ev;
		const char *v[RULE_F_COUNT] = { 0 };
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		decoder_decode(d, line, (size_t)n, &ev);
		v[RULE_F_URL] = v[RULE_F_URL_RAW] = ev.http.url;
		v[RULE_F_USER_AGENT] = ev.http.user_agent;
		v[RULE_F_REFERER] = ev.http.referer;
		v[RULE_F_METHOD] = ev.http.method;
		v[RULE_F_MESSAGE] = ev.message;
		v[RULE_F_USER] = ev.user;
		for (int f = 0; f < RULE_F_COUNT; f++) {
			size_t nl;
			if (!v[f] || !rs->dbs[f].db)
				continue;
			if (f == RULE_F_URL_RAW) {
				add_val(&vs[f], v[f], strlen(v[f]));
				continue;
			}
			normalize_field(v[f], strlen(v[f]), norm, RULE_NORM_MAX, &nl);
			add_val(&vs[f], norm, nl);
		}
	}
	fclose(in);
	for (int f = 0; f < RULE_F_COUNT; f++) {
		const struct field_db *fd = &rs->dbs[f];
		hs_scratch_t *scr = NULL;
		struct cost *c;
		unsigned long hits;
		double whole, sum = 0;

		if (!fd->db || vs[f].n == 0 || (only && strcmp(only, rule_field_name(f)) != 0))
			continue;
		if (hs_alloc_scratch(fd->db, &scr) != HS_SUCCESS)
			return 3;
		whole = time_db(rs, fd->db, scr, &vs[f], &hits);
		printf("field %s: %zu values, %.1f bytes avg, %zu patterns (and %zu native, not "
		    "timed here): whole db %.0f ns/scan (%lu hits)\n",
		    rule_field_name((enum rule_field)f), vs[f].n, (double)vs[f].bytes / vs[f].n,
		    fd->nhs, fd->natives.n, whole, hits);
		{
			hs_database_t *db = NULL;
			hs_compile_error_t *ce = NULL;
			struct vals empty = { .nul = vs[f].nul };
			unsigned long h;
			/* many short values: one timed scan would time the clock */
			for (int k = 0; k < 10000; k++)
				add_val(&empty, "/index.php?page=about&lang=en", 29);
			if (hs_compile("zq\\x00qz", HS_BASE_FLAGS, HS_MODE_BLOCK, ruleset_platform(rs), &db,
			    &ce) ==
			    HS_SUCCESS && hs_alloc_scratch(db, &scr) == HS_SUCCESS)
				printf("  one-literal db: %.0f ns/scan; whole db on a plain 29-byte url: "
				    "%.0f ns/scan\n", time_db(rs, db, scr, &vs[f], &h),
				    time_db(rs, fd->db, scr, &empty, &h));
			hs_free_database(db);
			for (size_t k = 0; k < empty.n; k++)
				free(empty.v[k]);
			free(empty.v);
			free(empty.len);
		}
		c = calloc(fd->nhs, sizeof(*c));
		if (!c)
			return 3;
		for (size_t i = 0; i < fd->nhs; i++) {
			const struct pattern *p = &rs->rules[fd->refs[i].rule].pats[fd->refs[i].pat];
			unsigned fl = pattern_hs_flags(p);
			hs_database_t *db = NULL;
			hs_compile_error_t *ce = NULL;
			c[i].rule = fd->refs[i].rule;
			c[i].pat = fd->refs[i].pat;
			if (loo) {
				c[i].ns = whole - time_without(rs, f, i, &vs[f], &c[i].hits);
				sum += c[i].ns;
				continue;
			}
			if (hs_compile(pattern_expr(p, (enum rule_field)f), fl, HS_MODE_BLOCK,
			    ruleset_platform(rs), &db, &ce) != HS_SUCCESS) {
				hs_free_compile_error(ce);
				continue;
			}
			if (hs_alloc_scratch(db, &scr) != HS_SUCCESS)
				return 3;
			c[i].ns = time_db(rs, db, scr, &vs[f], &c[i].hits);
			sum += c[i].ns;
			hs_free_database(db);
		}
		qsort(c, fd->nhs, sizeof(*c), by_cost);
		printf("  sum of %s: %.0f ns/scan\n", loo ? "what each pattern adds (leave one out)" :
		    "patterns alone", sum);
		for (size_t i = 0; i < fd->nhs && i < top; i++) {
			const struct rule *r = &rs->rules[c[i].rule];
			printf("  %8.0f ns %7lu hits  %s#%zu%s  %s\n", c[i].ns, c[i].hits, r->info.id,
			    c[i].pat, r->pats[c[i].pat].confirm ? " (prefilter)" : "",
			    r->pats[c[i].pat].text);
		}
		free(c);
		hs_free_scratch(scr);
	}
	free(line);
	free(norm);
	decoder_free(d);
	ruleset_free(rs);
	free(errors);
	return 0;
}
