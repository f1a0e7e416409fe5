/* Rule matching: normalises an event's fields, scans each with its field's
 * Vectorscan database, confirms with PCRE2 and applies each rule's condition.
 * Also runs the rules' own match/no_match examples (self-test). */
#include "monitor/rules_int.h"
#include "monitor/normalize.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

/* Values of repetitive fields (user agent, referer, method, and the URLs of static
 * files and of the same few pages), remembered with their normalised form and the
 * patterns they matched: most traffic repeats a few hundred user agents and a
 * scanner keeps its own agent for the whole run, and skipping their scan is a
 * large share of the per-line cost. Exact byte comparison, so a crafted value can
 * only miss the memo, never hit wrongly; a value with more hits than a slot holds
 * is scanned every time. */
#define MEMO_SLOTS 512
#define MEMO_VALUE_MAX 240
#define MEMO_HITS_MAX 6

struct memo_span {
	int16_t so, eo;		/* where PCRE2 found the hit's text; so < 0: not yet looked */
};

struct memo_entry {
	uint16_t raw_len, norm_len;	/* raw_len 0 = empty slot */
	uint8_t nhits;
	uint32_t hits[MEMO_HITS_MAX];	/* pattern ids in the field's database */
	struct memo_span span[MEMO_HITS_MAX];
	char raw[MEMO_VALUE_MAX];
	char norm[MEMO_VALUE_MAX];
};

struct rule_scratch {
	const struct ruleset *rs;
	struct memo_entry *memo[RULE_F_COUNT];	/* only for memoised fields */
	hs_scratch_t *hs;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	char *norm[RULE_F_COUNT];
	const char *val[RULE_F_COUNT];
	size_t vlen[RULE_F_COUNT];
	enum rule_field cur;
	unsigned cur_nhits;	/* patterns that matched in field cur */
	uint32_t cur_hits[MEMO_HITS_MAX];
	uint32_t epoch;
	uint32_t *stamp;	/* per rule: epoch of the event that last touched it */
	uint64_t *mask;		/* per rule: patterns hit in this event */
	uint8_t *hit_field;	/* per rule: field of the first hit */
	uint32_t *hit_pat;	/* per rule: pattern of the first hit */
	struct memo_span **hit_span;	/* per rule: the first hit's span in the memo, or NULL */
	struct memo_span *cur_span;	/* the span slots of field cur's memo entry, or NULL */
	uint64_t *seen;		/* per pattern of field cur's database: reported this scan */
	size_t seen_words;
	uint32_t *touched;
	size_t ntouched;
	unsigned long long truncated;
	bool lazy;		/* hit texts found when asked for (rule_hit_text) */
	struct later *later;	/* per rule: what rule_hit_text needs */
};

struct later {
	struct rule_scratch *s;
	uint32_t idx;		/* the rule */
};

static bool
field_memoised(enum rule_field f)
{
	return f == RULE_F_URL || f == RULE_F_URL_RAW || f == RULE_F_USER_AGENT ||
	    f == RULE_F_REFERER || f == RULE_F_METHOD;
}

static uint32_t
memo_slot(const char *v, size_t len)
{
	/* Eight bytes a step (a byte-wise hash was a tenth of the line's cost); for
	 * distribution only, equality is exact. */
	uint64_t h = len * 0x9e3779b97f4a7c15ull, w;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, v + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	if (i < len) {
		w = 0;
		memcpy(&w, v + i, len - i);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
	}
	h ^= h >> 29;
	return (uint32_t)(h % MEMO_SLOTS);
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
	s->hit_span = calloc(rs->n + 1, sizeof(*s->hit_span));
	s->touched = calloc(rs->n + 1, sizeof(*s->touched));
	s->later = calloc(rs->n + 1, sizeof(*s->later));
	for (int f = 0; f < RULE_F_COUNT; f++)
		if ((rs->dbs[f].nrefs + 63) / 64 > s->seen_words)
			s->seen_words = (rs->dbs[f].nrefs + 63) / 64;
	s->seen = calloc(s->seen_words + 1, sizeof(*s->seen));
	if (!s->md || !s->mctx || !s->stamp || !s->mask || !s->hit_field || !s->hit_pat ||
	    !s->hit_span || !s->touched || !s->later || !s->seen)
		goto out;
	for (size_t i = 0; i < rs->n; i++)
		s->later[i] = (struct later){ s, (uint32_t)i };
	for (int f = 0; f < RULE_F_COUNT; f++)
		if (field_memoised((enum rule_field)f) && (rs->used_fields & (1u << f)) &&
		    !(s->memo[f] = calloc(MEMO_SLOTS, sizeof(struct memo_entry))))
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
		free(s->memo[f]);
	}
	free(s->stamp);
	free(s->mask);
	free(s->hit_field);
	free(s->hit_pat);
	free(s->hit_span);
	free(s->touched);
	free(s->later);
	free(s->seen);
	free(s);
}

void
rule_scratch_lazy_text(struct rule_scratch *s, bool lazy)
{
	if (s)
		s->lazy = lazy;
}

unsigned long long
rule_scratch_truncated(const struct rule_scratch *s)
{
	return s ? s->truncated : 0;
}

/* PCRE2 with its JIT, and the interpreter again when the JIT finds nothing: the
 * JIT of Debian 12's PCRE2 (10.42) misses matches after a group with an empty
 * alternative ('(b|\b)\D+.{1,20}' on "b'"; fixed upstream in 10.43), which would
 * drop a confirmed hit. A NOMATCH is rare among candidates, so the second look is
 * cheap; both runs stop at the scratch's match limit. */
static int
re_match_from(struct rule_scratch *s, const pcre2_code *re, const char *text, size_t len,
    size_t from)
{
	int rc = pcre2_match(re, (PCRE2_SPTR)text, len, from, 0, s->md, s->mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		rc = pcre2_match(re, (PCRE2_SPTR)text, len, from, PCRE2_NO_JIT, s->md, s->mctx);
	return rc;
}

static int
re_match(struct rule_scratch *s, const pcre2_code *re, const char *text, size_t len)
{
	return re_match_from(s, re, text, len, 0);
}

/* PCRE2 search; a match-limit error counts as no match (hostile input). */
static bool
re_find(struct rule_scratch *s, const pcre2_code *re, const char *text, size_t len,
    size_t *so, size_t *eo)
{
	PCRE2_SIZE *ov;
	int rc = re_match(s, re, text, len);
	if (rc < 0)
		return false;
	ov = pcre2_get_ovector_pointer(s->md);
	*so = ov[0] <= len ? ov[0] : len;
	*eo = ov[1] >= *so && ov[1] <= len ? ov[1] : *so;
	return true;
}

/* Marks a confirmed pattern hit in field cur for its rule. */
static void
record_hit(struct rule_scratch *s, const struct pat_ref *ref, struct memo_span *span)
{
	if (s->stamp[ref->rule] != s->epoch) {
		s->stamp[ref->rule] = s->epoch;
		s->mask[ref->rule] = 0;
		s->hit_field[ref->rule] = (uint8_t)s->cur;
		s->hit_pat[ref->rule] = ref->pat;
		s->hit_span[ref->rule] = span;
		s->touched[s->ntouched++] = ref->rule;
	}
	s->mask[ref->rule] |= 1ull << ref->pat;
}

/* Keeps a confirmed hit of pattern id in field cur (and where the memo entry will
 * hold its text span). The span slot, or NULL. */
static struct memo_span *
keep_hit(struct rule_scratch *s, uint32_t id)
{
	struct memo_span *span = NULL;
	if (s->cur_nhits < MEMO_HITS_MAX) {
		s->cur_hits[s->cur_nhits] = id;
		/* the slot the memo entry will hold for this hit once the scan is stored */
		span = s->cur_span ? &s->cur_span[s->cur_nhits] : NULL;
	}
	s->cur_nhits++;
	record_hit(s, &s->rs->dbs[s->cur].refs[id], span);
	return span;
}

/* native_confirm_fn: the regex as written, from the first place the native check
 * allows; on a hit, the rule's other native patterns need no look in this value. */
static uint64_t
native_confirm(void *arg, unsigned i, size_t from)
{
	struct rule_scratch *s = arg;
	const struct field_db *fd = &s->rs->dbs[s->cur];
	uint32_t id = (uint32_t)(fd->nhs + i);
	const struct pat_ref *ref = &fd->refs[id];
	const struct rule *r = &s->rs->rules[ref->rule];
	size_t len = s->vlen[s->cur];
	uint64_t same = 0;

	/* a match-limit error is no hit, as re_find() has it: the pattern is exact */
	if (re_match_from(s, r->pats[ref->pat].re, s->val[s->cur], len, from) < 0)
		return 0;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
	struct memo_span *span = keep_hit(s, id);
	if (span && ov[0] <= ov[1] && ov[1] <= len) {
		span->so = (int16_t)ov[0];
		span->eo = (int16_t)ov[1];
	}
	if (r->all)
		return 0;
	for (size_t j = 0; j < fd->natives.n; j++)
		if (fd->refs[fd->nhs + j].rule == ref->rule)
			same |= 1ull << j;
	return same;
}

static int
on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
    void *ctx)
{
	struct rule_scratch *s = ctx;
	const struct pat_ref *ref = &s->rs->dbs[s->cur].refs[id];
	const struct pattern *p = &s->rs->rules[ref->rule].pats[ref->pat];

	(void)from;
	(void)to;
	(void)flags;
	if (s->seen[id / 64] & (1ull << (id % 64)))
		return 0;	/* a later match of a pattern already judged in this scan */
	s->seen[id / 64] |= 1ull << (id % 64);
	if (p->confirm) {
		int rc = re_match(s, p->re, s->val[s->cur], s->vlen[s->cur]);
		/* A widened pattern's candidate is already a match of its superset: PCRE2
		 * giving up (match limit on hostile input) must not hide it. */
		if (rc == PCRE2_ERROR_NOMATCH || (rc < 0 && !p->widened))
			return 0;
	}
	keep_hit(s, id);
	return 0;
}

/* Where the text of rule idx's first hit in this event is (PCRE2 on its field's
 * value), kept in the memo entry when the value has one. */
static void
hit_span(struct rule_scratch *s, uint32_t idx, size_t *so, size_t *eo)
{
	const struct rule *r = &s->rs->rules[idx];
	enum rule_field f = (enum rule_field)s->hit_field[idx];

	if (!re_find(s, r->pats[s->hit_pat[idx]].re, s->val[f], s->vlen[f], so, eo)) {
		/* Engines disagree on a corner case: show the start of the field. */
		*so = 0;
		*eo = s->vlen[f];
	}
	if (s->hit_span[idx]) {	/* memo values are short: offsets fit */
		s->hit_span[idx]->so = (int16_t)*so;
		s->hit_span[idx]->eo = (int16_t)*eo;
	}
}

static size_t
hit_text_len(size_t so, size_t eo)
{
	return eo - so > RULE_HIT_TEXT_MAX ? RULE_HIT_TEXT_MAX : eo - so;
}

/* Applies condition and pcre: to a rule Vectorscan touched; fills the hit. */
static bool
rule_decide(struct rule_scratch *s, const struct rule *r, uint32_t idx, struct rule_hit *h)
{
	uint64_t full = r->npats >= 64 ? ~0ull : (1ull << r->npats) - 1;
	enum rule_field f = (enum rule_field)s->hit_field[idx];
	size_t so = 0, eo = 0;
	bool found = false, later = false;

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
	} else if (s->hit_span[idx] && s->hit_span[idx]->so >= 0) {
		so = (size_t)s->hit_span[idx]->so;	/* a repeated value: found before */
		eo = (size_t)s->hit_span[idx]->eo;
	} else if (s->lazy) {
		later = true;	/* rule_hit_text() finds it if an alert needs it */
	} else {
		hit_span(s, idx, &so, &eo);
	}
	h->rule = &r->info;
	h->field = rule_field_ecs(f);
	h->text = later ? NULL : s->val[f] + so;
	h->text_len = later ? 0 : hit_text_len(so, eo);
	h->later = later ? &s->later[idx] : NULL;
	return true;
}

size_t
rule_hit_text(const void *later, const char **text)
{
	const struct later *l = later;
	struct rule_scratch *s = l->s;
	size_t so, eo;

	hit_span(s, l->idx, &so, &eo);
	*text = s->val[s->hit_field[l->idx]] + so;
	return hit_text_len(so, eo);
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
	uint32_t url_slot = UINT32_MAX;	/* url_raw is the url's own bytes: one hash */
	for (int f = 0; f < RULE_F_COUNT; f++) {
		const char *src = in->v[input_of((enum rule_field)f)];
		size_t len = in->len[input_of((enum rule_field)f)];
		hs_error_t hr;

		s->val[f] = NULL;
		if (!src || !(rs->used_fields & (1u << f)))
			continue;
		struct memo_entry *me = NULL;
		const struct field_db *fd = &rs->dbs[f];
		s->cur = (enum rule_field)f;
		if (s->memo[f] && len > 0 && len <= MEMO_VALUE_MAX) {
			uint32_t slot = f == RULE_F_URL_RAW && url_slot != UINT32_MAX ? url_slot :
			    memo_slot(src, len);
			if (f == RULE_F_URL)
				url_slot = slot;
			me = &s->memo[f][slot];
			if (me->raw_len == len && memcmp(me->raw, src, len) == 0) {
				if (f == RULE_F_URL_RAW) {
					s->val[f] = src;
					s->vlen[f] = len;
				} else {
					/* the entry stays as it is until this field's next store,
					 * which is a later event's: hit texts may point into it */
					s->val[f] = me->norm;
					s->vlen[f] = me->norm_len;
				}
				for (unsigned i = 0; i < me->nhits; i++)
					record_hit(s, &rs->dbs[f].refs[me->hits[i]], &me->span[i]);
				continue;
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
		s->cur_nhits = 0;
		memset(s->seen, 0, (rs->dbs[f].nrefs + 63) / 64 * sizeof(*s->seen));
		s->cur_span = me && s->vlen[f] <= MEMO_VALUE_MAX ? me->span : NULL;
		if (s->cur_span)	/* the entry is about to hold this value: forget old spans */
			for (unsigned i = 0; i < MEMO_HITS_MAX; i++)
				s->cur_span[i].so = -1;
		/* a normalised value is scanned with its NUL, which "$" became (cheapen()) */
		if (fd->db) {
			hr = rs->scan(fd->db, s->val[f], (unsigned)(s->vlen[f] + scan_nul(f)), 0,
			    s->hs, on_match, s);
			if (hr != HS_SUCCESS)
				return hr == HS_NOMEM ? VG_ERR_NOMEM : VG_ERR_INVAL;
		}
		if (fd->natives.n)
			rules_native_scan(&fd->natives, s->val[f], s->vlen[f],
			    fd->natives.n == 64 ? ~0ull : (1ull << fd->natives.n) - 1,
			    native_confirm, s);
		if (me && s->cur_nhits <= MEMO_HITS_MAX && s->vlen[f] <= MEMO_VALUE_MAX) {
			memcpy(me->raw, src, len);
			me->raw_len = (uint16_t)len;
			if (f != RULE_F_URL_RAW)
				memcpy(me->norm, s->val[f], s->vlen[f]);
			me->norm_len = (uint16_t)s->vlen[f];
			memcpy(me->hits, s->cur_hits, s->cur_nhits * sizeof(*me->hits));
			me->nhits = (uint8_t)s->cur_nhits;
		} else if (s->cur_span) {
			me->raw_len = 0;	/* its spans now describe this value, not the one it held */
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

/* A prefilter must match wherever its regex does, or the rule goes blind there:
 * checked on every example value of every field the rule reads. Returns the
 * number of misses (each printed) or a negative VG_ERR_*. */
static int
prefilter_selftest(const struct ruleset *rs, const struct rule *r, const struct pattern *p,
    FILE *out, char *norm)
{
	int misses = 0;

	for (int f = 0; f < RULE_F_COUNT; f++) {
		hs_database_t *db = NULL;
		hs_scratch_t *hs = NULL;
		hs_compile_error_t *cerr = NULL;
		pcre2_match_data *md = NULL;

		if (!(r->fields & (1u << f)))
			continue;
		if (hs_compile(pattern_expr(p, (enum rule_field)f), pattern_hs_flags(p),
		    HS_MODE_BLOCK, ruleset_platform(rs), &db, &cerr) != HS_SUCCESS ||
		    hs_alloc_scratch(db, &hs) != HS_SUCCESS ||
		    !(md = pcre2_match_data_create(1, NULL))) {
			hs_free_compile_error(cerr);
			hs_free_scratch(hs);
			hs_free_database(db);
			return VG_ERR_NOMEM;
		}
		for (size_t e = 0; e < r->nex; e++) {
			const char *v = r->ex[e].v[input_of((enum rule_field)f)];
			size_t len;
			unsigned found = 0;
			if (!v)
				continue;
			len = strlen(v);
			if (f != RULE_F_URL_RAW) {
				normalize_field(v, len, norm, RULE_NORM_MAX, &len);
				v = norm;
			}
			/* the interpreter: the reference (see re_match()) */
			if (pcre2_match(p->re, (PCRE2_SPTR)v, len, 0, PCRE2_NO_JIT, md, NULL) < 0)
				continue;
			rs->scan(db, v, (unsigned)(len + scan_nul((enum rule_field)f)), 0, hs,
			    rules_count_match, &found);
			if (found)
				continue;
			misses++;
			if (out)
				fprintf(out, "%s:%lu: rule %s: prefilter '%s' misses a match of its regex "
				    "in %s: %s\n", r->file, r->ex[e].line, r->info.id, p->prefilter,
				    rule_field_name((enum rule_field)f), r->ex[e].v[input_of((enum rule_field)f)]);
		}
		pcre2_match_data_free(md);
		hs_free_scratch(hs);
		hs_free_database(db);
	}
	return misses;
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
	{
		char *norm = malloc(RULE_NORM_MAX);
		if (!norm) {
			ret = VG_ERR_NOMEM;
			goto out;
		}
		for (size_t i = 0; i < rs->n; i++)
			for (size_t k = 0; k < rs->rules[i].npats; k++) {
				if (!rs->rules[i].pats[k].prefilter)
					continue;
				ret = prefilter_selftest(rs, &rs->rules[i], &rs->rules[i].pats[k], out,
				    norm);
				if (ret < 0) {
					free(norm);
					goto out;
				}
				failed += ret;
			}
		free(norm);
	}
	ret = failed;
out:
	if (n_checked)
		*n_checked = checked;
	rule_scratch_free(s);
	return ret;
}
