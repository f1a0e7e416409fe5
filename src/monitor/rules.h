/* Detection rules: YAML files compiled into one Vectorscan database per event field,
 * with PCRE2 confirming what Vectorscan can only prefilter. Load once, share the
 * ruleset between threads, give each thread its own rule_scratch. */
#ifndef VG_RULES_H
#define VG_RULES_H

#include "core/event.h"
#include "core/log.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct ruleset;
struct rule_scratch;

#define RULESET_KEEP_GOING 1u	/* skip broken rules (reported) instead of failing */

/* Fields a rule can look at. url and url_raw both come from the logged URL: url is
 * its normalize_field() form, url_raw the bytes as logged. */
enum rule_field {
	RULE_F_URL = 0,
	RULE_F_URL_RAW,
	RULE_F_USER_AGENT,
	RULE_F_REFERER,
	RULE_F_METHOD,
	RULE_F_MESSAGE,
	RULE_F_USER,
	RULE_F_BODY,
	RULE_F_COUNT
};

/* Rule-file name of a field ("url", "user_agent" ...) and its ECS name. */
const char *rule_field_name(enum rule_field f);
const char *rule_field_ecs(enum rule_field f);

/* Where rules are loaded from when no path is given on the command line:
 * configured (monitor.rules) if non-NULL, else $VIGIL_RULES if set and non-empty,
 * else the rules shipped beside this build or in /usr/share/vigil (vg_find_data_dir),
 * never ./rules of the working directory. Written into out; VG_ERR_LIMIT if it
 * does not fit. Loading refuses files and directories writable by others. */
int ruleset_default_path(const char *configured, char *out, size_t size);

/* Loads path: a .yaml/.yml file, or a directory searched recursively for them
 * (sorted, so rule order is stable). On success returns 0 and sets *out (caller
 * frees with ruleset_free). Problems are collected in *errors as newline-separated
 * "file:line:col: rule ID: message" lines (caller frees; NULL when none). Without
 * RULESET_KEEP_GOING any problem fails the load (VG_ERR_PARSE, *out NULL); with
 * it, broken rules are skipped and the rest load (still reported in *errors).
 * VG_ERR_NOTFOUND when no rule loaded, VG_ERR_IO when path is unreadable. */
int ruleset_load(const char *path, unsigned flags, const struct vg_logger *log,
    struct ruleset **out, char **errors);
/* Same, keeping compiled Vectorscan databases in cache_dir (created 0700 if
 * missing; NULL = no cache) so an unchanged rule set loads without recompiling.
 * The directory must be owned by the caller's user and closed to group/others,
 * else the cache is skipped with a warning. Cache problems are never fatal. */
int ruleset_load_cached(const char *path, unsigned flags, const char *cache_dir,
    const struct vg_logger *log, struct ruleset **out, char **errors);

/* Accepts NULL. */
void ruleset_free(struct ruleset *rs);
size_t ruleset_count(const struct ruleset *rs);

/* Per-thread matching state (Vectorscan scratch, normalisation buffers). 0 or
 * VG_ERR_NOMEM; caller frees with rule_scratch_free (accepts NULL). A scratch is
 * tied to the ruleset it was made for and must not outlive it. */
int rule_scratch_new(const struct ruleset *rs, struct rule_scratch **out);
void rule_scratch_free(struct rule_scratch *s);
/* Fields cut because they exceeded the normalisation buffer (RULE_NORM_MAX). */
#define RULE_NORM_MAX 65536
unsigned long long rule_scratch_truncated(const struct rule_scratch *s);

struct rule_info {
	const char *id, *title, *category, *mitre;
	enum vg_severity severity;
};

/* The index-th rule (load order), or NULL past the end. Borrowed from rs. */
const struct rule_info *ruleset_rule(const struct ruleset *rs, size_t index);

/* Prints one line per rule (id, severity, category, ATT&CK id, title) to out, or
 * with json a JSON array of objects. 0, or VG_ERR_NOMEM. */
int ruleset_print(const struct ruleset *rs, bool json, FILE *out);

/* Matched text is cut to this many bytes. */
#define RULE_HIT_TEXT_MAX 256

struct rule_hit {
	const struct rule_info *rule;
	const char *field;	/* ECS name */
	const char *text;	/* matched text (normalised form for normalised fields), */
	size_t text_len;	/* bounded by RULE_HIT_TEXT_MAX; valid only during the callback */
	const void *later;	/* text NULL: rule_hit_text(later) finds it (lazy scratch) */
};

/* With lazy set, a hit whose text takes a PCRE2 search to find comes with text NULL
 * and later set instead: most hits only join an alert that keeps its first hit's
 * text, and that search was a twentieth of the engine's time on attack traffic. */
void rule_scratch_lazy_text(struct rule_scratch *s, bool lazy);

/* The text of a hit left for later (h->later), as h->text would have been; valid
 * until the scratch's next match. Returns its length. */
size_t rule_hit_text(const void *later, const char **text);

/* Return non-zero to stop matching this event; that value is returned. */
typedef int (*rule_hit_fn)(const struct rule_hit *hit, void *arg);

/* Raw field values to match (NULL = absent); url feeds both url and url_raw.
 * For callers that have fields a vg_event lacks, e.g. a request body. */
struct rule_input {
	const char *v[RULE_F_COUNT];	/* RULE_F_URL_RAW is ignored */
	size_t len[RULE_F_COUNT];
};

/* Normalises the event's fields (with normalize_field) and matches all rules;
 * calls fn once per matching rule, in load order. Hot path: no malloc per event.
 * 0, fn's non-zero value, or a negative VG_ERR_* if Vectorscan failed. */
int ruleset_match_event(const struct ruleset *rs, struct rule_scratch *s,
    const struct vg_event *ev, rule_hit_fn fn, void *arg);
int ruleset_match_input(const struct ruleset *rs, struct rule_scratch *s,
    const struct rule_input *in, rule_hit_fn fn, void *arg);

/* Runs every rule's match/no_match examples; prints one line per failure to out
 * ("file:line: rule ID: example ... should match"); returns the number that
 * failed (negative VG_ERR_* on internal error). *n_checked = examples run. */
int ruleset_selftest(const struct ruleset *rs, FILE *out, size_t *n_checked);

#endif
