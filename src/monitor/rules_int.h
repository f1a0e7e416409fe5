/* Private to the rules module (rules*.c): the compiled form of a rule, the loader
 * state shared by the keyword parsers, and the keyword table. Split by job:
 * rules.c (fields, freeing), rules_load.c (files, YAML, reports),
 * rules_keywords.c (one parser per keyword, the table), rules_compile.c
 * (Vectorscan databases), rules_match.c (matching, self-test). */
#ifndef VG_RULES_INT_H
#define VG_RULES_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include "monitor/rules.h"
#include "core/buf.h"
#include "core/yaml.h"

#include <hs/hs.h>
#include <pcre2.h>
#include <stdbool.h>
#include <stdint.h>

#define RULE_MAX_PATTERNS 64	/* one bit each in the per-event hit mask */
#define RULE_MAX_EXAMPLES 256
#define RULESET_MAX_RULES 20000
#define RULE_FILE_MAX (8 << 20)
/* Nodes of a rule file with aliases expanded: no more than a file could spell out. */
#define RULE_MAX_NODES (RULE_FILE_MAX / 2)
#define RULE_PATTERN_MAX 4096
#define RULE_DIR_DEPTH 8
#define RULE_ERRORS_MAX (256 << 10)
#define RULE_PCRE_MATCH_LIMIT 200000	/* bounds backtracking on hostile input */
#define RULE_WIDEN_MIN 16	/* repeats bounded this high are widened for Vectorscan */
/* No HS_FLAG_SINGLEMATCH: with it, Vectorscan 5.4.9 (Debian 12) on an AVX-512 CPU
 * misses a pattern whose literal is one byte ('t', 't\d', [xy]t) anywhere past the
 * first 64 bytes of a value; the matcher ignores a pattern's repeat reports itself. */
#define HS_BASE_FLAGS HS_FLAG_CASELESS

/* A native start check for one shipped pattern (rules_native.c), run on normalised
 * fields instead of Vectorscan. at() is a necessary condition: every match of the
 * regex has a trigger byte t (of a class in triggers) where at() holds and sets
 * *from to at most the match's start; *from never decreases as t grows. */
enum {
	NAT_WORD_END = 1,	/* a \s byte right after an ASCII letter (a keyword's end) */
	NAT_QUOTE = 2,		/* ' or " */
	NAT_BACKTICK = 4,
	NAT_OPEN = 8,		/* ( */
	NAT_CLOSE = 16,		/* ) */
};
#define NAT_CLASSES 5
#define NAT_MAX 64	/* per field; more go to Vectorscan */
struct native_pat {
	const char *regex;	/* the pattern text it serves, byte for byte */
	uint8_t triggers;
	bool (*at)(const char *v, size_t len, size_t t, size_t *from);
};

struct native_set {
	uint64_t by_class[NAT_CLASSES];	/* members triggered by each class of byte */
	const struct native_pat *np[NAT_MAX];
	size_t n;
};

/* The native check serving this exact pattern text, or NULL. */
const struct native_pat *rules_native_lookup(const char *regex);
void rules_native_add(struct native_set *ns, const struct native_pat *np);

/* Asked once per member i with the first offset a match can start at; returns more
 * members to drop (their rule is decided), the caller's PCRE2 decides i. */
typedef uint64_t (*native_confirm_fn)(void *arg, unsigned i, size_t from);

/* Runs the members in pending (bit i: ns->np[i]) over v; returns those no trigger
 * byte started. */
uint64_t rules_native_scan(const struct native_set *ns, const char *v, size_t len,
    uint64_t pending, native_confirm_fn confirm, void *arg);

struct pattern {
	char *text;		/* as written in the rule */
	char *hs_expr;		/* what Vectorscan compiles (literals escaped) */
	char *hs_norm_expr;	/* same for normalised fields if it differs, else NULL */
	bool confirm;		/* Vectorscan only prefilters; PCRE2 decides */
	bool widened;		/* hs_expr matches more than text (wider repeats, see cheapen(),
				 * or a prefilter): PCRE2 giving up on a candidate is a hit */
	char *prefilter;	/* the rule's own cheaper expression for Vectorscan, or NULL */
	const struct native_pat *native;	/* replaces Vectorscan on normalised fields */
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

/* refs[0, nhs) are the database's patterns (id = index), refs[nhs, nrefs) the
 * native ones, natives.np[i] serving refs[nhs + i]. */
struct field_db {
	hs_database_t *db;
	struct pat_ref *refs;
	size_t nrefs, nhs;
	struct native_set natives;
};

/* hs_scan, or one of its per-CPU builds (see rules_compile.c). */
typedef hs_error_t (*rule_scan_fn)(const hs_database_t *db, const char *data, unsigned len,
    unsigned flags, hs_scratch_t *scratch, match_event_handler fn, void *ctx);

struct ruleset {
	struct rule *rules;
	size_t n, cap;
	unsigned used_fields;
	struct field_db dbs[RULE_F_COUNT];
	rule_scan_fn scan;	/* every scan of these databases goes through it */
	hs_platform_info_t plat;	/* what they were built for, when has_plat */
	bool has_plat;
};

/* The platform to build a database for that rs->scan will scan, or NULL (this CPU). */
static inline const hs_platform_info_t *
ruleset_platform(const struct ruleset *rs)
{
	return rs->has_plat ? &rs->plat : NULL;
}

struct loader {
	struct ruleset *rs;
	struct vg_buf *errs;
	unsigned flags;
	const char *file;
	struct vg_yaml *y;	/* the file being loaded */
	yaml_document_t *doc;	/* &y->doc */
	size_t nerrors;
	bool rule_bad;		/* the rule being parsed had an error */
	int fatal;		/* VG_ERR_NOMEM and the like: stop everything */
};

/* One rule keyword (Suricata-style registry row). Keywords are applied in table
 * order (fields before patterns and examples, which need them); adding a keyword
 * is adding a parser and a row in rules_keywords.c. */
struct rule_keyword {
	const char *name;
	int (*parse)(struct loader *ld, struct rule *r, yaml_node_t *v);
	bool required;
	const char *doc;
};
extern const struct rule_keyword rule_keywords[];
extern const size_t rule_keywords_count;

/* Records "file:line:col: rule ID: message" and marks the rule bad. */
void rules_report(struct loader *ld, const yaml_node_t *node, const struct rule *r,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* strdup that records VG_ERR_NOMEM in ld->fatal on failure. */
char *rules_dup(struct loader *ld, const char *s);

/* Field by rule-file name: 0, or VG_ERR_INVAL if unknown. */
int rules_field_parse(const char *name, enum rule_field *out);

/* Example values and event inputs have no url_raw of their own: it is the url. */
static inline enum rule_field
input_of(enum rule_field f)
{
	return f == RULE_F_URL_RAW ? RULE_F_URL : f;
}

/* The expression field f's database compiles for p: normalised fields never hold
 * two whitespace bytes in a row, which lets \s* and \s+ be cheaper there. */
static inline const char *
pattern_expr(const struct pattern *p, enum rule_field f)
{
	return f != RULE_F_URL_RAW && p->hs_norm_expr ? p->hs_norm_expr : p->hs_expr;
}

/* Bytes scanned after a value of field f: normalised values end in a NUL they never
 * hold elsewhere, and their patterns were written with it for "$" (see cheapen()). */
static inline size_t
scan_nul(enum rule_field f)
{
	return f != RULE_F_URL_RAW;
}

/* Vectorscan match handler that counts the matches into the unsigned at ctx (the
 * load-time probe of the engine, the prefilter self-test). */
static inline int
rules_count_match(unsigned int id, unsigned long long from, unsigned long long to,
    unsigned int flags, void *ctx)
{
	(void)id;
	(void)from;
	(void)to;
	(void)flags;
	++*(unsigned *)ctx;
	return 0;
}

/* Vectorscan flags for p: PREFILTER mode where Vectorscan cannot run the regex
 * exactly; a rule's own prefilter is already the approximation and runs exactly. */
static inline unsigned
pattern_hs_flags(const struct pattern *p)
{
	return HS_BASE_FLAGS | (p->confirm && !p->prefilter ? HS_FLAG_PREFILTER : 0);
}

/* Frees what a rule owns and zeroes it. */
void rule_clear(struct rule *r);

/* One Vectorscan database per field over every pattern of every rule using it;
 * uses (and fills) the compiled-database cache when cache_dir is non-NULL. */
int rules_compile_dbs(struct loader *ld, const char *cache_dir, const struct vg_logger *log);

#endif
