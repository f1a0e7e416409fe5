/* Rule loading (libyaml document API, one keyword table), compilation into one
 * Vectorscan database per field, and matching. Each pattern also gets a PCRE2
 * twin: it confirms patterns Vectorscan can only prefilter and recovers the exact
 * matched span for the alert, which Vectorscan does not report cheaply. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "monitor/rules.h"
#include "monitor/normalize.h"
#include "monitor/rules_cache.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/paths.h"

#include <dirent.h>
#include <errno.h>
#include <hs/hs.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#define RULE_MAX_PATTERNS 64	/* one bit each in the per-event hit mask */
#define RULE_MAX_EXAMPLES 256
#define RULESET_MAX_RULES 20000
#define RULE_FILE_MAX (8 << 20)
#define RULE_PATTERN_MAX 4096
#define RULE_DIR_DEPTH 8
#define RULE_ERRORS_MAX (256 << 10)
#define RULE_PCRE_MATCH_LIMIT 200000	/* bounds backtracking on hostile input */

struct pattern {
	char *text;		/* as written in the rule */
	char *hs_expr;		/* what Vectorscan compiles (literals escaped) */
	bool confirm;		/* Vectorscan only prefilters; PCRE2 decides */
	pcre2_code *re;
};

struct example {
	bool should_match;
	unsigned long line;
	char *v[RULE_F_COUNT];
};

struct rule {
	struct rule_info info;	/* strings owned */
	char *file;
	unsigned long line;
	unsigned fields;	/* bit per enum rule_field */
	enum rule_field first_field;
	bool all;
	struct pattern *pats;
	size_t npats;
	char *pcre_text;
	pcre2_code *pcre;	/* rule-level confirmation */
	struct example *ex;
	size_t nex;
};

struct pat_ref {
	uint32_t rule;
	uint32_t pat;
};

struct field_db {
	hs_database_t *db;
	struct pat_ref *refs;
	size_t nrefs;
};

struct ruleset {
	struct rule *rules;
	size_t n, cap;
	unsigned used_fields;
	struct field_db dbs[RULE_F_COUNT];
};

/* Values of repetitive fields (user agent, referer, method) that matched no rule,
 * remembered with their normalised form: most traffic repeats a few hundred user
 * agents, and skipping their scan is a large share of the per-line cost. Exact
 * byte comparison, so a crafted value can only miss the cache, never hit wrongly. */
#define CLEAN_CACHE_SLOTS 512
#define CLEAN_CACHE_VALUE_MAX 240

struct clean_entry {
	uint16_t raw_len, norm_len;	/* raw_len 0 = empty slot */
	char raw[CLEAN_CACHE_VALUE_MAX];
	char norm[CLEAN_CACHE_VALUE_MAX];
};

struct rule_scratch {
	const struct ruleset *rs;
	struct clean_entry *clean[RULE_F_COUNT];	/* only for cacheable fields */
	hs_scratch_t *hs;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	char *norm[RULE_F_COUNT];
	const char *val[RULE_F_COUNT];
	size_t vlen[RULE_F_COUNT];
	enum rule_field cur;
	bool cur_hit;		/* a pattern matched in field cur */
	uint32_t epoch;
	uint32_t *stamp;	/* per rule: epoch of the event that last touched it */
	uint64_t *mask;		/* per rule: patterns hit in this event */
	uint8_t *hit_field;	/* per rule: field of the first hit */
	uint32_t *hit_pat;	/* per rule: pattern of the first hit */
	uint32_t *touched;
	size_t ntouched;
	unsigned long long truncated;
};

static const struct {
	const char *name, *ecs;
} field_names[RULE_F_COUNT] = {
	[RULE_F_URL] = { "url", "url.original" },
	[RULE_F_URL_RAW] = { "url_raw", "url.original" },
	[RULE_F_USER_AGENT] = { "user_agent", "user_agent.original" },
	[RULE_F_REFERER] = { "referer", "http.request.referrer" },
	[RULE_F_METHOD] = { "method", "http.request.method" },
	[RULE_F_MESSAGE] = { "message", "message" },
	[RULE_F_USER] = { "user", "user.name" },
	[RULE_F_BODY] = { "body", "http.request.body.content" },
};

const char *
rule_field_name(enum rule_field f)
{
	return (unsigned)f < RULE_F_COUNT ? field_names[f].name : "?";
}

const char *
rule_field_ecs(enum rule_field f)
{
	return (unsigned)f < RULE_F_COUNT ? field_names[f].ecs : "?";
}

static int
field_parse(const char *name, enum rule_field *out)
{
	for (int f = 0; f < RULE_F_COUNT; f++) {
		if (strcmp(name, field_names[f].name) == 0) {
			*out = (enum rule_field)f;
			return VG_OK;
		}
	}
	return VG_ERR_INVAL;
}

/* Example values and event inputs have no url_raw of their own: it is the url. */
static enum rule_field
input_of(enum rule_field f)
{
	return f == RULE_F_URL_RAW ? RULE_F_URL : f;
}

/* ---- freeing ---- */

static void
rule_clear(struct rule *r)
{
	free((char *)r->info.id);
	free((char *)r->info.title);
	free((char *)r->info.category);
	free((char *)r->info.mitre);
	free(r->file);
	for (size_t i = 0; i < r->npats; i++) {
		free(r->pats[i].text);
		free(r->pats[i].hs_expr);
		pcre2_code_free(r->pats[i].re);
	}
	free(r->pats);
	free(r->pcre_text);
	pcre2_code_free(r->pcre);
	for (size_t i = 0; i < r->nex; i++)
		for (int f = 0; f < RULE_F_COUNT; f++)
			free(r->ex[i].v[f]);
	free(r->ex);
	memset(r, 0, sizeof(*r));
}

void
ruleset_free(struct ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		rule_clear(&rs->rules[i]);
	free(rs->rules);
	for (int f = 0; f < RULE_F_COUNT; f++) {
		hs_free_database(rs->dbs[f].db);
		free(rs->dbs[f].refs);
	}
	free(rs);
}

size_t
ruleset_count(const struct ruleset *rs)
{
	return rs ? rs->n : 0;
}

const struct rule_info *
ruleset_rule(const struct ruleset *rs, size_t index)
{
	return rs && index < rs->n ? &rs->rules[index].info : NULL;
}

/* ---- loading ---- */

int
ruleset_default_path(const char *configured, char *out, size_t size)
{
	const char *env = getenv("VIGIL_RULES");
	struct stat st;

	if (configured && *configured)
		return vg_strlcpy(out, configured, size);
	if (env && *env)
		return vg_strlcpy(out, env, size);
	if ((stat("rules", &st) == 0 && S_ISDIR(st.st_mode)) ||
	    vg_find_data_dir("rules", out, size) != VG_OK)
		return vg_strlcpy(out, "rules", size);
	return VG_OK;
}

struct loader {
	struct ruleset *rs;
	struct vg_buf *errs;
	unsigned flags;
	const char *file;
	yaml_document_t *doc;
	size_t nerrors;
	bool rule_bad;		/* the rule being parsed had an error */
	int fatal;		/* VG_ERR_NOMEM and the like: stop everything */
};

static void
report(struct loader *ld, const yaml_node_t *node, const struct rule *r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* "file:line:col: rule ID: message" */
static void
report(struct loader *ld, const yaml_node_t *node, const struct rule *r, const char *fmt, ...)
{
	va_list ap;

	ld->nerrors++;
	ld->rule_bad = true;
	if (node)
		vg_buf_putf(ld->errs, "%s:%zu:%zu: ", ld->file, node->start_mark.line + 1,
		    node->start_mark.column + 1);
	else
		vg_buf_putf(ld->errs, "%s: ", ld->file);
	if (r)
		vg_buf_putf(ld->errs, "rule %s: ", r->info.id ? r->info.id : "(no id)");
	va_start(ap, fmt);
	vg_buf_vputf(ld->errs, fmt, ap);
	va_end(ap);
	vg_buf_puts(ld->errs, "\n");
}

static const char *
scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static char *
dup_or_fail(struct loader *ld, const char *s)
{
	char *d = strdup(s);
	if (!d)
		ld->fatal = VG_ERR_NOMEM;
	return d;
}

/* A required scalar; reports and returns NULL otherwise. */
static const char *
want_scalar(struct loader *ld, struct rule *r, const char *key, yaml_node_t *v)
{
	const char *s = scalar(v);
	if (!s || !*s)
		report(ld, v, r, "%s: expected a non-empty string", key);
	return s && *s ? s : NULL;
}

static int
kw_id(struct loader *ld, struct rule *r, yaml_node_t *v)
{
	const char *s = want_scalar(ld, r, "id", v);
	if (!s)
		return 0;
	for (const char *p = s; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
		    *p == '_' || *p == '-')) {
			report(ld, v, r, "id '%s': use lower-case letters, digits, '.', '_', '-'", s);
			return 0;
		}
	}
	for (size_t i = 0; i < ld->rs->n; i++) {
		if (strcmp(ld->rs->rules[i].info.id, s) == 0) {
			report(ld, v, NULL, "rule %s: duplicate id (first defined at %s:%lu)", s,
			    ld->rs->rules[i].file, ld->rs->rules[i].line);
			return 0;
		}
	}
	r->info.id = dup_or_fail(ld, s);
	return 0;
}

static int
kw_title(struct loader *ld, struct rule *r, yaml_node_t *v)
{
	const char *s = want_scalar(ld, r, "title", v);
	if (s)
		r->info.title = dup_or_fail(ld, s);
	return 0;
}

static int
kw_category(struct loader *ld, struct rule *r, yaml_node_t *v)
{
	const char *s = want_scalar(ld, r, "category", v);
	if (s)
		r->info.category = dup_or_fail(ld, s);
	return 0;
}

static int
kw_severity(struct loader *ld, struct rule *r, yaml_node_t *v)
{
	const char *s = want_scalar(ld, r, "severity", v);
	if (s && vg_severity_parse(s, &r->info.severity) != VG_OK)
		report(ld, v, r, "severity '%s': expected info|low|medium|high|critical", s);
	return 0;
}

static int
kw_mitre(struct loader *ld, struct rule *r, yaml_node_t *v)
{
	const char *s = want_scalar(ld, r, "mitre", v);
	size_t n;
	bool ok;

	if (!s)
		return 0;
	/* ATT&CK ids: T1234 or T1234.001 */
	n = strlen(s);
	ok = (n == 5 || n == 9) && s[0] == 'T' && strspn(s + 1, "0123456789") == 4 &&
	    (n == 5 || (s[5] == '.' && strspn(s + 6, "0123456789") == 3));
	if (!ok)
		report(ld, v, r, "mitre '%s': expected an ATT&CK technique id like T1190 or "
		    "T1110.001", s);
	else
		r->info.mitre = dup_or_fail(ld, s);
	return 0;
}

static int
kw_fields(struct loader *ld, struct rule *r, yaml_node_t *v)
{
	yaml_node_item_t *it;
	bool first = true;

	if (scalar(v)) {
		enum rule_field f;
		if (field_parse(scalar(v), &f) != VG_OK) {
			report(ld, v, r, "fields: unknown field '%s'", scalar(v));
			return 0;
		}
		r->fields = 1u << f;
		r->first_field = f;
		return 0;
	}
	if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.start ==
	    v->data.sequence.items.top) {
		report(ld, v, r, "fields: expected a list of field names");
		return 0;
	}
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *n = yaml_document_get_node(ld->doc, *it);
		enum rule_field f;
		if (!scalar(n) || field_parse(scalar(n), &f) != VG_OK) {
			report(ld, n, r, "fields: unknown field '%s' (known: url, url_raw, "
			    "user_agent, referer, method, message, user, body)",
			    scalar(n) ? scalar(n) : "?");
			continue;
		}
		r->fields |= 1u << f;
		if (first)
			r->first_field = f;
		first = false;
	}
	return 0;
}

/* Vectorscan expression matching the bytes of a literal exactly. */
static char *
escape_literal(const char *s)
{
	size_t n = strlen(s);
	char *o = malloc(n * 4 + 1), *w = o;
	if (!o)
		return NULL;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			*w++ = (char)c;
		} else {
			static const char hex[] = "0123456789abcdef";
			*w++ = '\\';
			*w++ = 'x';
			*w++ = hex[c >> 4];
			*w++ = hex[c & 15];
		}
	}
	*w = '\0';
	return o;
}

#define HS_BASE_FLAGS (HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH)

/* Compiles one pattern both ways; reports "bad regex" with the engine's reason. */
static void
pattern_compile(struct loader *ld, struct rule *r, yaml_node_t *at, struct pattern *p,
    bool literal)
{
	int errcode;
	PCRE2_SIZE erroff;
	hs_expr_info_t *info = NULL;
	hs_compile_error_t *cerr = NULL;

	p->re = pcre2_compile((PCRE2_SPTR)p->text, PCRE2_ZERO_TERMINATED,
	    PCRE2_CASELESS | (literal ? PCRE2_LITERAL : 0), &errcode, &erroff, NULL);
	if (!p->re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		report(ld, at, r, "bad regex: %s at offset %zu in '%s'", (const char *)msg,
		    (size_t)erroff, p->text);
		return;
	}
	pcre2_jit_compile(p->re, PCRE2_JIT_COMPLETE);	/* interpreter is the fallback */
	p->hs_expr = literal ? escape_literal(p->text) : strdup(p->text);
	if (!p->hs_expr) {
		ld->fatal = VG_ERR_NOMEM;
		return;
	}
	if (hs_expression_info(p->hs_expr, HS_BASE_FLAGS, &info, &cerr) == HS_SUCCESS) {
		free(info);
		return;
	}
	hs_free_compile_error(cerr);
	cerr = NULL;
	/* Lookaround, backreferences...: let Vectorscan find candidates, PCRE2 decide. */
	if (hs_expression_info(p->hs_expr, HS_BASE_FLAGS | HS_FLAG_PREFILTER, &info, &cerr) ==
	    HS_SUCCESS) {
		free(info);
		p->confirm = true;
		return;
	}
	report(ld, at, r, "bad regex: vectorscan: %s in '%s'", cerr ? cerr->message : "?",
	    p->text);
	hs_free_compile_error(cerr);
}

static int
kw_patterns(struct loader *ld, struct rule *r, yaml_node_t *v)
{
	size_t n;

	if (v->type != YAML_SEQUENCE_NODE) {
		report(ld, v, r, "patterns: expected a list of 'literal:' / 'regex:' entries");
		return 0;
	}
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (n == 0 || n > RULE_MAX_PATTERNS) {
		report(ld, v, r, "patterns: need 1 to %d entries, got %zu", RULE_MAX_PATTERNS, n);
		return 0;
	}
	r->pats = calloc(n, sizeof(*r->pats));
	if (!r->pats)
		return ld->fatal = VG_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *e = yaml_document_get_node(ld->doc, v->data.sequence.items.start[i]);
		yaml_node_t *k, *val;
		const char *key, *text;
		struct pattern *p = &r->pats[r->npats];

		if (!e || e->type != YAML_MAPPING_NODE ||
		    e->data.mapping.pairs.top - e->data.mapping.pairs.start != 1) {
			report(ld, e, r, "patterns[%zu]: expected one 'literal: TEXT' or "
			    "'regex: RE'", i);
			continue;
		}
		k = yaml_document_get_node(ld->doc, e->data.mapping.pairs.start->key);
		val = yaml_document_get_node(ld->doc, e->data.mapping.pairs.start->value);
		key = scalar(k);
		text = scalar(val);
		if (!key || (strcmp(key, "literal") != 0 && strcmp(key, "regex") != 0)) {
			report(ld, k, r, "patterns[%zu]: unknown kind '%s' (literal or regex)", i,
			    key ? key : "?");
			continue;
		}
		if (!text || !*text || strlen(text) > RULE_PATTERN_MAX) {
			report(ld, val, r, "patterns[%zu]: %s must be 1 to %d bytes", i, key,
			    RULE_PATTERN_MAX);
			continue;
		}
		p->text = dup_or_fail(ld, text);
		if (!p->text)
			return ld->fatal;
		r->npats++;
		pattern_compile(ld, r, val, p, key[0] == 'l');
		if (ld->fatal)
			return ld->fatal;
	}
	return 0;
}

static int
kw_condition(struct loader *ld, struct rule *r, yaml_node_t *v)
{
	const char *s = want_scalar(ld, r, "condition", v);
	if (!s)
		return 0;
	if (strcmp(s, "all") == 0)
		r->all = true;
	else if (strcmp(s, "any") != 0)
		report(ld, v, r, "condition '%s': expected any or all", s);
	return 0;
}

static int
kw_pcre(struct loader *ld, struct rule *r, yaml_node_t *v)
{
	const char *s = want_scalar(ld, r, "pcre", v);
	int errcode;
	PCRE2_SIZE erroff;

	if (!s)
		return 0;
	r->pcre = pcre2_compile((PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, PCRE2_CASELESS, &errcode,
	    &erroff, NULL);
	if (!r->pcre) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		report(ld, v, r, "bad regex: pcre: %s at offset %zu in '%s'", (const char *)msg,
		    (size_t)erroff, s);
		return 0;
	}
	pcre2_jit_compile(r->pcre, PCRE2_JIT_COMPLETE);
	r->pcre_text = dup_or_fail(ld, s);
	return 0;
}

static int
examples(struct loader *ld, struct rule *r, yaml_node_t *v, bool should_match)
{
	const char *key = should_match ? "match" : "no_match";
	size_t n;
	struct example *grown;

	if (v->type != YAML_SEQUENCE_NODE) {
		report(ld, v, r, "%s: expected a list of examples", key);
		return 0;
	}
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (r->nex + n > RULE_MAX_EXAMPLES) {
		report(ld, v, r, "%s: more than %d examples", key, RULE_MAX_EXAMPLES);
		return 0;
	}
	grown = realloc(r->ex, (r->nex + n + 1) * sizeof(*r->ex));
	if (!grown)
		return ld->fatal = VG_ERR_NOMEM;
	r->ex = grown;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *e = yaml_document_get_node(ld->doc, v->data.sequence.items.start[i]);
		struct example *x = &r->ex[r->nex];

		memset(x, 0, sizeof(*x));
		x->should_match = should_match;
		x->line = e ? e->start_mark.line + 1 : 0;
		if (scalar(e)) {
			x->v[input_of(r->first_field)] = dup_or_fail(ld, scalar(e));
		} else if (e && e->type == YAML_MAPPING_NODE) {
			for (yaml_node_pair_t *p = e->data.mapping.pairs.start;
			    p < e->data.mapping.pairs.top; p++) {
				yaml_node_t *k = yaml_document_get_node(ld->doc, p->key);
				yaml_node_t *val = yaml_document_get_node(ld->doc, p->value);
				enum rule_field f;
				if (!scalar(k) || field_parse(scalar(k), &f) != VG_OK || !scalar(val)) {
					report(ld, k, r, "%s[%zu]: expected FIELD: VALUE with a known "
					    "field", key, i);
					continue;
				}
				free(x->v[input_of(f)]);
				x->v[input_of(f)] = dup_or_fail(ld, scalar(val));
			}
		} else {
			report(ld, e, r, "%s[%zu]: expected a string or a map of field: value", key,
			    i);
		}
		r->nex++;	/* counted even if empty so rule_clear frees it */
		if (ld->fatal)
			return ld->fatal;
	}
	return 0;
}

static int
kw_match(struct loader *ld, struct rule *r, yaml_node_t *v)
{
	return examples(ld, r, v, true);
}

static int
kw_no_match(struct loader *ld, struct rule *r, yaml_node_t *v)
{
	return examples(ld, r, v, false);
}

static int
kw_ignore(struct loader *ld, struct rule *r, yaml_node_t *v)
{
	(void)ld;
	(void)r;
	(void)v;
	return 0;
}

/* The rule keywords, in the order they are applied (fields before patterns and
 * examples, which need them). Adding a keyword is adding a row. */
static const struct rule_keyword {
	const char *name;
	int (*parse)(struct loader *ld, struct rule *r, yaml_node_t *v);
	bool required;
	const char *doc;
} rule_keywords[] = {
	{ "id", kw_id, true, "unique id, e.g. http.sqli.union" },
	{ "title", kw_title, true, "one line shown in alerts" },
	{ "severity", kw_severity, true, "info|low|medium|high|critical" },
	{ "category", kw_category, true, "sqli, xss, traversal, scanner, ..." },
	{ "mitre", kw_mitre, false, "ATT&CK technique id, e.g. T1190" },
	{ "fields", kw_fields, true, "event fields to match (first one takes plain examples)" },
	{ "patterns", kw_patterns, true, "list of literal: / regex: (caseless)" },
	{ "condition", kw_condition, false, "any (default): one pattern; all: every pattern" },
	{ "pcre", kw_pcre, false, "PCRE2 regex that must also match one of the fields" },
	{ "match", kw_match, false, "examples that must match" },
	{ "no_match", kw_no_match, false, "examples that must not match" },
	{ "description", kw_ignore, false, "free text" },
	{ "references", kw_ignore, false, "free text / list of links" },
};
#define N_KEYWORDS (sizeof(rule_keywords) / sizeof(rule_keywords[0]))

static yaml_node_t *
map_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	    p++) {
		const char *k = scalar(yaml_document_get_node(doc, p->key));
		if (k && strcmp(k, key) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static int
load_rule(struct loader *ld, yaml_node_t *node)
{
	struct rule r = { 0 };
	struct rule *grown;

	ld->rule_bad = false;
	if (node->type != YAML_MAPPING_NODE) {
		report(ld, node, NULL, "expected a rule (a map with id, title, ...)");
		return 0;
	}
	r.line = node->start_mark.line + 1;
	r.file = dup_or_fail(ld, ld->file);
	for (yaml_node_pair_t *p = node->data.mapping.pairs.start;
	    p < node->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(ld->doc, p->key);
		size_t i;
		for (i = 0; i < N_KEYWORDS; i++)
			if (scalar(k) && strcmp(scalar(k), rule_keywords[i].name) == 0)
				break;
		if (i == N_KEYWORDS) {
			/* Parse the id first so the message can name the rule. */
			yaml_node_t *idn = map_get(ld->doc, node, "id");
			const char *save = r.info.id;
			r.info.id = scalar(idn);
			report(ld, k, &r, "unknown keyword '%s'", scalar(k) ? scalar(k) : "?");
			r.info.id = save;
		}
	}
	for (size_t i = 0; i < N_KEYWORDS && !ld->fatal; i++) {
		yaml_node_t *v = map_get(ld->doc, node, rule_keywords[i].name);
		if (!v) {
			if (rule_keywords[i].required)
				report(ld, node, &r, "missing '%s' (%s)", rule_keywords[i].name,
				    rule_keywords[i].doc);
			continue;
		}
		rule_keywords[i].parse(ld, &r, v);
	}
	if (ld->fatal || ld->rule_bad || !r.info.id) {
		rule_clear(&r);
		return ld->fatal;
	}
	if (ld->rs->n >= RULESET_MAX_RULES) {
		report(ld, node, &r, "more than %d rules; rule dropped", RULESET_MAX_RULES);
		rule_clear(&r);
		return 0;
	}
	if (ld->rs->n == ld->rs->cap) {
		size_t cap = ld->rs->cap ? ld->rs->cap * 2 : 64;
		grown = realloc(ld->rs->rules, cap * sizeof(*grown));
		if (!grown) {
			rule_clear(&r);
			return ld->fatal = VG_ERR_NOMEM;
		}
		ld->rs->rules = grown;
		ld->rs->cap = cap;
	}
	ld->rs->rules[ld->rs->n++] = r;
	return 0;
}

static int
load_file(struct loader *ld, const char *path)
{
	FILE *f = NULL;
	yaml_parser_t parser;
	yaml_document_t doc;
	bool parser_ok = false, doc_ok = false;
	struct stat st;
	yaml_node_t *root, *list;

	ld->file = path;
	f = fopen(path, "rb");
	if (!f) {
		report(ld, NULL, NULL, "cannot open: %s", strerror(errno));
		goto out;
	}
	if (fstat(fileno(f), &st) == 0 && st.st_size > RULE_FILE_MAX) {
		report(ld, NULL, NULL, "file larger than %d bytes", RULE_FILE_MAX);
		goto out;
	}
	if (!yaml_parser_initialize(&parser)) {
		ld->fatal = VG_ERR_NOMEM;
		goto out;
	}
	parser_ok = true;
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		vg_buf_putf(ld->errs, "%s:%zu:%zu: yaml: %s\n", path, parser.problem_mark.line + 1,
		    parser.problem_mark.column + 1, parser.problem ? parser.problem : "error");
		ld->nerrors++;
		goto out;
	}
	doc_ok = true;
	ld->doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (!root)
		goto out;	/* empty file: no rules, not an error */
	list = root;
	if (root->type == YAML_MAPPING_NODE) {
		list = map_get(&doc, root, "rules");
		if (!list) {
			report(ld, root, NULL, "expected a list of rules or a map with 'rules:'");
			goto out;
		}
	}
	if (list->type != YAML_SEQUENCE_NODE) {
		report(ld, list, NULL, "expected a list of rules");
		goto out;
	}
	for (yaml_node_item_t *it = list->data.sequence.items.start;
	    it < list->data.sequence.items.top && !ld->fatal; it++)
		load_rule(ld, yaml_document_get_node(&doc, *it));
out:
	if (doc_ok)
		yaml_document_delete(&doc);
	if (parser_ok)
		yaml_parser_delete(&parser);
	if (f)
		fclose(f);
	ld->doc = NULL;
	return ld->fatal;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_rule_file(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	    (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

static int
load_path(struct loader *ld, const char *path, int depth)
{
	struct stat st;
	DIR *d = NULL;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int ret = 0;

	if (stat(path, &st) != 0) {
		ld->file = path;
		report(ld, NULL, NULL, "cannot read: %s", strerror(errno));
		return depth == 0 ? VG_ERR_IO : 0;
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(ld, path);
	if (depth >= RULE_DIR_DEPTH)
		return 0;
	d = opendir(path);
	if (!d) {
		ld->file = path;
		report(ld, NULL, NULL, "cannot open directory: %s", strerror(errno));
		return depth == 0 ? VG_ERR_IO : 0;
	}
	while ((de = readdir(d))) {
		struct vg_buf *b;
		char *full;
		struct stat cst;
		if (de->d_name[0] == '.')
			continue;
		b = vg_buf_new(8192);
		if (!b || vg_buf_putf(b, "%s/%s", path, de->d_name) != VG_OK) {
			vg_buf_free(b);
			continue;
		}
		full = vg_buf_steal(b);
		vg_buf_free(b);
		if (!full) {
			ret = VG_ERR_NOMEM;
			goto out;
		}
		if (stat(full, &cst) != 0 || (!S_ISDIR(cst.st_mode) && !is_rule_file(de->d_name))) {
			free(full);
			continue;
		}
		if (n == cap) {
			char **g = realloc(names, (cap ? cap * 2 : 16) * sizeof(*g));
			if (!g) {
				free(full);
				ret = VG_ERR_NOMEM;
				goto out;
			}
			names = g;
			cap = cap ? cap * 2 : 16;
		}
		names[n++] = full;
	}
	if (n > 1)	/* qsort may not take NULL, and an empty directory has no array */
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n && !ret; i++)
		ret = load_path(ld, names[i], depth + 1);
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return ret;
}

/* One Vectorscan database per field over every pattern of every rule using it. */
static int
compile_dbs(struct loader *ld, const char *cache_dir, const struct vg_logger *log)
{
	struct ruleset *rs = ld->rs;
	const char **exprs = NULL;
	unsigned *flags = NULL, *ids = NULL;
	size_t total = 0;
	int ret = VG_OK;

	for (size_t i = 0; i < rs->n; i++)
		total += rs->rules[i].npats;
	exprs = calloc(total + 1, sizeof(*exprs));
	flags = calloc(total + 1, sizeof(*flags));
	ids = calloc(total + 1, sizeof(*ids));
	if (!exprs || !flags || !ids) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	for (int f = 0; f < RULE_F_COUNT; f++) {
		struct field_db *fd = &rs->dbs[f];
		hs_compile_error_t *cerr = NULL;
		size_t n = 0;

		fd->refs = calloc(total + 1, sizeof(*fd->refs));
		if (!fd->refs) {
			ret = VG_ERR_NOMEM;
			goto out;
		}
		for (size_t i = 0; i < rs->n; i++) {
			const struct rule *r = &rs->rules[i];
			if (!(r->fields & (1u << f)))
				continue;
			for (size_t p = 0; p < r->npats; p++) {
				exprs[n] = r->pats[p].hs_expr;
				flags[n] = HS_BASE_FLAGS | (r->pats[p].confirm ? HS_FLAG_PREFILTER : 0);
				ids[n] = (unsigned)n;
				fd->refs[n].rule = (uint32_t)i;
				fd->refs[n].pat = (uint32_t)p;
				n++;
			}
		}
		fd->nrefs = n;
		if (n == 0)
			continue;
		rs->used_fields |= 1u << f;
		struct rules_cache_key key;
		if (cache_dir) {
			rules_cache_key(exprs, flags, n, &key);
			if (rules_cache_get(cache_dir, &key, &fd->db, log) == VG_OK)
				continue;
		}
		if (hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &fd->db,
		    &cerr) != HS_SUCCESS) {
			const struct rule *r = cerr && cerr->expression >= 0 ?
			    &rs->rules[fd->refs[cerr->expression].rule] : NULL;
			ld->file = r ? r->file : "(ruleset)";
			vg_buf_putf(ld->errs, "%s:%lu: rule %s: vectorscan: %s\n", ld->file,
			    r ? r->line : 0, r ? r->info.id : "?", cerr ? cerr->message : "?");
			ld->nerrors++;
			hs_free_compile_error(cerr);
			ret = VG_ERR_PARSE;
			goto out;
		}
		if (cache_dir)
			rules_cache_put(cache_dir, &key, fd->db, log);
	}
out:
	free(exprs);
	free(flags);
	free(ids);
	return ret;
}

int
ruleset_load(const char *path, unsigned flags, const struct vg_logger *log,
    struct ruleset **out, char **errors)
{
	return ruleset_load_cached(path, flags, NULL, log, out, errors);
}

int
ruleset_load_cached(const char *path, unsigned flags, const char *cache_dir,
    const struct vg_logger *log, struct ruleset **out, char **errors)
{
	struct loader ld = { .flags = flags };
	int ret;

	if (!out || !errors || !path)
		return VG_ERR_INVAL;
	*out = NULL;
	*errors = NULL;
	ld.rs = calloc(1, sizeof(*ld.rs));
	ld.errs = vg_buf_new(RULE_ERRORS_MAX);
	if (!ld.rs || !ld.errs) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	ret = load_path(&ld, path, 0);
	if (ret)
		goto out;
	if (ld.nerrors && !(flags & RULESET_KEEP_GOING)) {
		ret = VG_ERR_PARSE;
		goto out;
	}
	if (ld.rs->n == 0) {
		vg_buf_putf(ld.errs, "%s: no rules found\n", path);
		ret = VG_ERR_NOTFOUND;
		goto out;
	}
	if (cache_dir && rules_cache_dir_ok(cache_dir, log) != VG_OK)
		cache_dir = NULL;
	ret = compile_dbs(&ld, cache_dir, log);
	if (ret)
		goto out;
	if (ld.nerrors)
		vg_warn(log, "rules: %zu problem(s) in %s; %zu rules loaded", ld.nerrors, path,
		    ld.rs->n);
	vg_info(log, "rules: %zu rules loaded from %s", ld.rs->n, path);
	*out = ld.rs;
	ld.rs = NULL;
out:
	if (vg_buf_len(ld.errs) > 0)
		*errors = vg_buf_steal(ld.errs);
	vg_buf_free(ld.errs);
	ruleset_free(ld.rs);
	return ret;
}

/* ---- matching ---- */

static bool
field_cacheable(enum rule_field f)
{
	return f == RULE_F_USER_AGENT || f == RULE_F_REFERER || f == RULE_F_METHOD;
}

static struct clean_entry *
clean_slot(struct rule_scratch *s, enum rule_field f, const char *v, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a: distribution only, equality is exact */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)v[i]) * 16777619u;
	return &s->clean[f][h % CLEAN_CACHE_SLOTS];
}

int
rule_scratch_new(const struct ruleset *rs, struct rule_scratch **out)
{
	struct rule_scratch *s = NULL;
	int ret = VG_ERR_NOMEM;

	if (!rs || !out)
		return VG_ERR_INVAL;
	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		goto out;
	s->rs = rs;
	s->epoch = 0;
	for (int f = 0; f < RULE_F_COUNT; f++) {
		if (!(rs->used_fields & (1u << f)))
			continue;
		if (rs->dbs[f].db && hs_alloc_scratch(rs->dbs[f].db, &s->hs) != HS_SUCCESS)
			goto out;
		if (f != RULE_F_URL_RAW && !(s->norm[f] = malloc(RULE_NORM_MAX)))
			goto out;
	}
	s->md = pcre2_match_data_create(32, NULL);
	s->mctx = pcre2_match_context_create(NULL);
	s->stamp = calloc(rs->n + 1, sizeof(*s->stamp));
	s->mask = calloc(rs->n + 1, sizeof(*s->mask));
	s->hit_field = calloc(rs->n + 1, sizeof(*s->hit_field));
	s->hit_pat = calloc(rs->n + 1, sizeof(*s->hit_pat));
	s->touched = calloc(rs->n + 1, sizeof(*s->touched));
	if (!s->md || !s->mctx || !s->stamp || !s->mask || !s->hit_field || !s->hit_pat ||
	    !s->touched)
		goto out;
	for (int f = 0; f < RULE_F_COUNT; f++)
		if (field_cacheable((enum rule_field)f) &&
		    !(s->clean[f] = calloc(CLEAN_CACHE_SLOTS, sizeof(struct clean_entry))))
			goto out;
	pcre2_set_match_limit(s->mctx, RULE_PCRE_MATCH_LIMIT);
	*out = s;
	s = NULL;
	ret = VG_OK;
out:
	rule_scratch_free(s);
	return ret;
}

void
rule_scratch_free(struct rule_scratch *s)
{
	if (!s)
		return;
	hs_free_scratch(s->hs);
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mctx);
	for (int f = 0; f < RULE_F_COUNT; f++) {
		free(s->norm[f]);
		free(s->clean[f]);
	}
	free(s->stamp);
	free(s->mask);
	free(s->hit_field);
	free(s->hit_pat);
	free(s->touched);
	free(s);
}

unsigned long long
rule_scratch_truncated(const struct rule_scratch *s)
{
	return s ? s->truncated : 0;
}

/* PCRE2 search; a match-limit error counts as no match (hostile input). */
static bool
re_find(struct rule_scratch *s, const pcre2_code *re, const char *text, size_t len,
    size_t *so, size_t *eo)
{
	PCRE2_SIZE *ov;
	int rc = pcre2_match(re, (PCRE2_SPTR)text, len, 0, 0, s->md, s->mctx);
	if (rc < 0)
		return false;
	ov = pcre2_get_ovector_pointer(s->md);
	*so = ov[0] <= len ? ov[0] : len;
	*eo = ov[1] >= *so && ov[1] <= len ? ov[1] : *so;
	return true;
}

static int
on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
    void *ctx)
{
	struct rule_scratch *s = ctx;
	const struct pat_ref *ref = &s->rs->dbs[s->cur].refs[id];
	const struct pattern *p = &s->rs->rules[ref->rule].pats[ref->pat];
	size_t so, eo;

	(void)from;
	(void)to;
	(void)flags;
	if (p->confirm && !re_find(s, p->re, s->val[s->cur], s->vlen[s->cur], &so, &eo))
		return 0;
	s->cur_hit = true;
	if (s->stamp[ref->rule] != s->epoch) {
		s->stamp[ref->rule] = s->epoch;
		s->mask[ref->rule] = 0;
		s->hit_field[ref->rule] = (uint8_t)s->cur;
		s->hit_pat[ref->rule] = ref->pat;
		s->touched[s->ntouched++] = ref->rule;
	}
	s->mask[ref->rule] |= 1ull << ref->pat;
	return 0;
}

/* Applies condition and pcre: to a rule Vectorscan touched; fills the hit. */
static bool
rule_decide(struct rule_scratch *s, const struct rule *r, uint32_t idx, struct rule_hit *h)
{
	uint64_t full = r->npats >= 64 ? ~0ull : (1ull << r->npats) - 1;
	enum rule_field f = (enum rule_field)s->hit_field[idx];
	size_t so = 0, eo = 0;
	bool found = false;

	if (r->all ? (s->mask[idx] & full) != full : s->mask[idx] == 0)
		return false;
	if (r->pcre) {
		for (int g = 0; g < RULE_F_COUNT && !found; g++) {
			if ((r->fields & (1u << g)) && s->val[g] &&
			    re_find(s, r->pcre, s->val[g], s->vlen[g], &so, &eo)) {
				f = (enum rule_field)g;
				found = true;
			}
		}
		if (!found)
			return false;
	} else if (!re_find(s, r->pats[s->hit_pat[idx]].re, s->val[f], s->vlen[f], &so, &eo)) {
		/* Engines disagree on a corner case: show the start of the field. */
		so = 0;
		eo = s->vlen[f];
	}
	h->rule = &r->info;
	h->field = rule_field_ecs(f);
	h->text = s->val[f] + so;
	h->text_len = eo - so > RULE_HIT_TEXT_MAX ? RULE_HIT_TEXT_MAX : eo - so;
	return true;
}

int
ruleset_match_input(const struct ruleset *rs, struct rule_scratch *s,
    const struct rule_input *in, rule_hit_fn fn, void *arg)
{
	if (!rs || !s || !in || s->rs != rs)
		return VG_ERR_INVAL;
	if (++s->epoch == 0) {
		memset(s->stamp, 0, rs->n * sizeof(*s->stamp));
		s->epoch = 1;
	}
	s->ntouched = 0;
	for (int f = 0; f < RULE_F_COUNT; f++) {
		const char *src = in->v[input_of((enum rule_field)f)];
		size_t len = in->len[input_of((enum rule_field)f)];
		hs_error_t hr;

		s->val[f] = NULL;
		if (!src || !(rs->used_fields & (1u << f)))
			continue;
		struct clean_entry *ce = NULL;
		if (s->clean[f] && len > 0 && len <= CLEAN_CACHE_VALUE_MAX) {
			ce = clean_slot(s, (enum rule_field)f, src, len);
			if (ce->raw_len == len && memcmp(ce->raw, src, len) == 0) {
				memcpy(s->norm[f], ce->norm, ce->norm_len);
				s->val[f] = s->norm[f];
				s->vlen[f] = ce->norm_len;
				continue;	/* known to match nothing */
			}
		}
		if (f == RULE_F_URL_RAW) {
			s->val[f] = src;
			s->vlen[f] = len > UINT32_MAX ? UINT32_MAX : len;
		} else {
			if (normalize_field(src, len, s->norm[f], RULE_NORM_MAX, &s->vlen[f]) ==
			    VG_ERR_LIMIT)
				s->truncated++;
			s->val[f] = s->norm[f];
		}
		s->cur = (enum rule_field)f;
		s->cur_hit = false;
		hr = hs_scan(rs->dbs[f].db, s->val[f], (unsigned)s->vlen[f], 0, s->hs, on_match, s);
		if (hr != HS_SUCCESS)
			return hr == HS_NOMEM ? VG_ERR_NOMEM : VG_ERR_INVAL;
		if (ce && !s->cur_hit && s->vlen[f] <= CLEAN_CACHE_VALUE_MAX) {
			memcpy(ce->raw, src, len);
			ce->raw_len = (uint16_t)len;
			memcpy(ce->norm, s->val[f], s->vlen[f]);
			ce->norm_len = (uint16_t)s->vlen[f];
		}
	}
	/* Report in load order whatever order Vectorscan found them in. */
	for (size_t i = 1; i < s->ntouched; i++) {
		uint32_t v = s->touched[i];
		size_t j = i;
		for (; j > 0 && s->touched[j - 1] > v; j--)
			s->touched[j] = s->touched[j - 1];
		s->touched[j] = v;
	}
	for (size_t i = 0; i < s->ntouched; i++) {
		struct rule_hit h;
		int r;
		if (!rule_decide(s, &rs->rules[s->touched[i]], s->touched[i], &h))
			continue;
		if ((r = fn(&h, arg)) != 0)
			return r;
	}
	return 0;
}

static void
set_input(struct rule_input *in, enum rule_field f, const char *v)
{
	in->v[f] = v;
	in->len[f] = v ? strlen(v) : 0;
}

int
ruleset_match_event(const struct ruleset *rs, struct rule_scratch *s,
    const struct vg_event *ev, rule_hit_fn fn, void *arg)
{
	struct rule_input in = { { 0 }, { 0 } };

	if (!ev)
		return VG_ERR_INVAL;
	set_input(&in, RULE_F_URL, ev->http.url);
	set_input(&in, RULE_F_USER_AGENT, ev->http.user_agent);
	set_input(&in, RULE_F_REFERER, ev->http.referer);
	set_input(&in, RULE_F_METHOD, ev->http.method);
	set_input(&in, RULE_F_MESSAGE, ev->message);
	set_input(&in, RULE_F_USER, ev->user);
	return ruleset_match_input(rs, s, &in, fn, arg);
}

/* ---- self-test ---- */

struct selftest_arg {
	const struct rule_info *want;
	bool hit;
	char text[RULE_HIT_TEXT_MAX + 1];
};

static int
selftest_hit(const struct rule_hit *h, void *arg)
{
	struct selftest_arg *a = arg;
	if (h->rule == a->want) {
		a->hit = true;
		memcpy(a->text, h->text, h->text_len);
		a->text[h->text_len] = '\0';
	}
	return 0;
}

int
ruleset_selftest(const struct ruleset *rs, FILE *out, size_t *n_checked)
{
	struct rule_scratch *s = NULL;
	int failed = 0, ret;
	size_t checked = 0;

	if (n_checked)
		*n_checked = 0;
	ret = rule_scratch_new(rs, &s);
	if (ret)
		return ret;
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];
		for (size_t e = 0; e < r->nex; e++) {
			const struct example *x = &r->ex[e];
			struct rule_input in = { { 0 }, { 0 } };
			struct selftest_arg a = { .want = &r->info };
			const char *shown = x->v[input_of(r->first_field)];

			for (int f = 0; f < RULE_F_COUNT; f++)
				set_input(&in, (enum rule_field)f, x->v[f]);
			ret = ruleset_match_input(rs, s, &in, selftest_hit, &a);
			if (ret < 0)
				goto out;
			checked++;
			if (a.hit == x->should_match)
				continue;
			failed++;
			if (!shown)
				for (int f = 0; f < RULE_F_COUNT && !shown; f++)
					shown = x->v[f];
			if (out && x->should_match)
				fprintf(out, "%s:%lu: rule %s: match example did not match: %s\n",
				    r->file, x->line, r->info.id, shown ? shown : "(empty)");
			else if (out)
				fprintf(out, "%s:%lu: rule %s: no_match example matched '%s': %s\n",
				    r->file, x->line, r->info.id, a.text, shown ? shown : "(empty)");
		}
	}
	ret = failed;
out:
	if (n_checked)
		*n_checked = checked;
	rule_scratch_free(s);
	return ret;
}
