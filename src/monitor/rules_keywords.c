/* Rule keywords: one parser per keyword of a rule file and the table that
 * registers them (name, parser, required, doc). Each pattern is compiled twice
 * here: PCRE2 confirms what Vectorscan can only prefilter and recovers the exact
 * matched span for the alert, which Vectorscan does not report cheaply. */
#include "monitor/rules_int.h"
#include "core/err.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *
rules_dup(struct loader *ld, const char *s)
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
	const char *s = vg_yaml_scalar(v);
	if (!s || !*s)
		rules_report(ld, v, r, "%s: expected a non-empty string", key);
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
			rules_report(ld, v, r, "id '%s': use lower-case letters, digits, '.', '_', '-'", s);
			return 0;
		}
	}
	for (size_t i = 0; i < ld->rs->n; i++) {
		if (strcmp(ld->rs->rules[i].info.id, s) == 0) {
			rules_report(ld, v, NULL, "rule %s: duplicate id (first defined at %s:%lu)", s,
			    ld->rs->rules[i].file, ld->rs->rules[i].line);
			return 0;
		}
	}
	r->info.id = rules_dup(ld, s);
	return 0;
}

static int
kw_title(struct loader *ld, struct rule *r, yaml_node_t *v)
{
	const char *s = want_scalar(ld, r, "title", v);
	if (s)
		r->info.title = rules_dup(ld, s);
	return 0;
}

static int
kw_category(struct loader *ld, struct rule *r, yaml_node_t *v)
{
	const char *s = want_scalar(ld, r, "category", v);
	if (s)
		r->info.category = rules_dup(ld, s);
	return 0;
}

static int
kw_severity(struct loader *ld, struct rule *r, yaml_node_t *v)
{
	const char *s = want_scalar(ld, r, "severity", v);
	if (s && vg_severity_parse(s, &r->info.severity) != VG_OK)
		rules_report(ld, v, r, "severity '%s': expected info|low|medium|high|critical", s);
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
		rules_report(ld, v, r, "mitre '%s': expected an ATT&CK technique id like T1190 or "
		    "T1110.001", s);
	else
		r->info.mitre = rules_dup(ld, s);
	return 0;
}

static int
kw_fields(struct loader *ld, struct rule *r, yaml_node_t *v)
{
	yaml_node_item_t *it;
	bool first = true;

	if (vg_yaml_scalar(v)) {
		enum rule_field f;
		if (rules_field_parse(vg_yaml_scalar(v), &f) != VG_OK) {
			rules_report(ld, v, r, "fields: unknown field '%s'", vg_yaml_scalar(v));
			return 0;
		}
		r->fields = 1u << f;
		r->first_field = f;
		return 0;
	}
	if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.start ==
	    v->data.sequence.items.top) {
		rules_report(ld, v, r, "fields: expected a list of field names");
		return 0;
	}
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *n = yaml_document_get_node(ld->doc, *it);
		enum rule_field f;
		if (!vg_yaml_scalar(n) || rules_field_parse(vg_yaml_scalar(n), &f) != VG_OK) {
			rules_report(ld, n, r, "fields: unknown field '%s' (known: url, url_raw, "
			    "user_agent, referer, method, message, user, body)",
			    vg_yaml_scalar(n) ? vg_yaml_scalar(n) : "?");
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

static char *
put(char *w, const char *s)
{
	size_t l = strlen(s);
	memcpy(w, s, l);
	return w + l;
}

/* Index of the ')' that closes the group open at e[j] (j inside it), or n: escapes
 * and classes skipped, nested groups counted. */
static size_t
group_end(const char *e, size_t n, size_t j)
{
	int depth = 0;

	for (; j < n; j++) {
		if (e[j] == '\\') {
			j++;
		} else if (e[j] == '[') {
			j++;
			if (j < n && e[j] == '^')
				j++;
			if (j < n && e[j] == ']')
				j++;	/* a member, not the end */
			while (j < n && e[j] != ']')
				j += e[j] == '\\' ? 2 : 1;
		} else if (e[j] == '(') {
			depth++;
		} else if (e[j] == ')' && depth-- == 0) {
			return j;
		}
	}
	return n;
}

/* Whether an end anchor at e[i] (one byte, or two for \z) can only be followed by
 * the end of the pattern in any match: the rest of its alternative is empty, and so
 * is what follows each group around it, quantifiers aside. Only then is it the same
 * as the NUL it becomes ("a$$" or "(a$|b)\b" would need a byte after the NUL). */
static bool
anchor_is_final(const char *e, size_t n, size_t j)
{
	for (;;) {
		if (j < n && e[j] == '|')
			j = group_end(e, n, j);
		if (j >= n)
			return true;
		if (e[j] != ')')
			return false;
		j++;
		if (j < n && strchr("?*+", e[j])) {
			j++;
			if (j < n && (e[j] == '?' || e[j] == '+'))
				j++;
		} else if (j < n && e[j] == '{') {
			size_t k = j + 1;	/* {m}, {m,}, {m,n}; anything else is a literal '{' */
			while (k < n && (isdigit((unsigned char)e[k]) || e[k] == ','))
				k++;
			if (k == j + 1 || k >= n || e[k] != '}')
				return false;
			j = k + 1;
		}
	}
}

/* Cheaper Vectorscan expressions for a regex, in one pass that skips escapes as
 * pairs ("\\s*" is a backslash, then s*) and leaves character classes alone:
 *  - squeeze (for normalised fields): normalize_field turns every whitespace run
 *    into one space, so there \s* is \s? and \s+ is \s: the same matches, but a
 *    bounded lookbehind instead of an engine run over all that precedes a literal
 *    (-17 % Vectorscan instructions on generated URLs, bench/rules_cost);
 *  - widen: a repeat bounded at RULE_WIDEN_MIN or more ([^&]{0,80}) is a counter
 *    per position for Vectorscan, an unbounded one a single state, so it becomes
 *    {m,}: a superset, which PCRE2 (the pattern as written) then confirms;
 *  - sentinel (with squeeze): a normalised value never holds a NUL and is scanned
 *    with the NUL after it, so "$" becomes \x00, a rare literal at the end where
 *    an end anchor kept engines alive to the end of every value (-17 % on the URL
 *    database); everything else that could match a NUL ('.', [^...], \S \W \D
 *    \H \V \N) leaves it out. What cannot be rewritten so (those escapes inside a
 *    class, an escape for NUL, \p \P \X \C, \Q, POSIX classes, (?x), an end
 *    anchor something could follow) is refused: VG_ERR_INVAL.
 * Sets *out (caller frees) or NULL when nothing changed; *widened if a repeat was. */
static int
cheapen(const char *e, bool squeeze, char **out, bool *widened)
{
	size_t n = strlen(e);
	char *o = malloc(n * 10 + 1), *w = o;	/* "." grows most: [^\n\x00] */
	char *hyphen = NULL;	/* where an unescaped '-' was just written in a class */
	bool in_class = false, negated = false, changed = false;

	*out = NULL;
	if (!o)
		return VG_ERR_NOMEM;
	if (squeeze && (strstr(e, "\\Q") || strstr(e, "[:") || strstr(e, "(?x") ||
	    strstr(e, "(?#")))
		goto refuse;
	for (size_t i = 0; i < n; i++) {
		if (squeeze && e[i] == '\\' && i + 1 < n) {
			char c = e[i + 1];
			/* \0, \o{..}, \c@, \x{..}, \x00, \x0 and a bare \x can all be NUL */
			bool hex1 = i + 2 < n && isxdigit((unsigned char)e[i + 2]);
			bool hex2 = hex1 && i + 3 < n && isxdigit((unsigned char)e[i + 3]);
			/* and \p \P \X \C match classes of characters that may take it in */
			if (c == '0' || c == 'o' || strchr("pPXC", c) ||
			    (c == 'c' && i + 2 < n && e[i + 2] == '@') ||
			    (c == 'x' && (!hex1 || (e[i + 2] == '0' && (!hex2 || e[i + 3] == '0')))))
				goto refuse;
			if (strchr("SWDHVN", c)) {
				if (in_class)
					goto refuse;
				/* \S is [^\s], and so on; \N is "not a newline" */
				w = put(w, "[^\\");
				*w++ = c == 'N' ? 'n' : (char)(c - 'A' + 'a');
				w = put(w, "\\x00]");
				i++;
				changed = true;
				continue;
			}
			if (!in_class && (c == 'z' || c == 'Z')) {
				if (!anchor_is_final(e, n, i + 2))
					goto refuse;
				w = put(w, "\\x00");
				i++;
				changed = true;
				continue;
			}
		}
		if (squeeze && !in_class && (e[i] == '$' || e[i] == '.')) {
			if (e[i] == '$' && !anchor_is_final(e, n, i + 1))
				goto refuse;
			w = put(w, e[i] == '$' ? "\\x00" : "[^\\n\\x00]");
			changed = true;
			continue;
		}
		if (e[i] == '\\' && i + 1 < n) {
			if (squeeze && !in_class && e[i + 1] == 's' && i + 2 < n &&
			    (e[i + 2] == '*' || e[i + 2] == '+')) {
				*w++ = '\\';
				*w++ = 's';
				if (e[i + 2] == '*')
					*w++ = '?';
				i += 2;
				if (i + 1 < n && (e[i + 1] == '?' || e[i + 1] == '+'))
					i++;	/* lazy or possessive: same set of matches */
				changed = true;
				continue;
			}
			hyphen = NULL;
			*w++ = e[i++];
			*w++ = e[i];
			continue;
		}
		if (!in_class && e[i] == '{') {
			/* strictly {digits,digits}: anything else is not a quantifier */
			size_t a = i + 1, b, c;
			unsigned long hi = 0;
			for (b = a; b < n && e[b] >= '0' && e[b] <= '9'; b++)
				;
			for (c = b + 1; b > a && b < n && e[b] == ',' && c < n && e[c] >= '0' &&
			    e[c] <= '9' && c - b < 8; c++)
				hi = hi * 10 + (unsigned long)(e[c] - '0');
			if (b > a && c > b + 1 && c < n && e[c] == '}' && hi >= RULE_WIDEN_MIN) {
				memcpy(w, e + i, b + 1 - i);	/* "{lo," */
				w += b + 1 - i;
				*w++ = '}';
				i = c;
				changed = *widened = true;
				continue;
			}
		}
		if (!in_class && e[i] == '[') {
			in_class = true;
			*w++ = e[i];
			/* a ']' right after '[' or '[^' is a member, not the end */
			negated = i + 1 < n && e[i + 1] == '^';
			if (negated)
				*w++ = e[++i];
			if (i + 1 < n && e[i + 1] == ']')
				*w++ = e[++i];
			hyphen = NULL;
			continue;
		}
		if (in_class && e[i] == ']') {
			in_class = false;
			if (negated && squeeze) {
				/* NUL goes last, before a trailing literal '-' if there is one:
				 * first, it would start a range with a leading '-' */
				if (hyphen)
					w = hyphen;
				w = put(w, hyphen ? "\\x00-" : "\\x00");
				changed = true;
			}
		}
		hyphen = in_class && e[i] == '-' ? w : NULL;
		*w++ = e[i];
	}
	*w = '\0';
	if (changed)
		*out = o;
	else
		free(o);
	return VG_OK;
refuse:
	free(o);
	return VG_ERR_INVAL;
}

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
		rules_report(ld, at, r, "bad regex: %s at offset %zu in '%s'", (const char *)msg,
		    (size_t)erroff, p->text);
		return;
	}
	pcre2_jit_compile(p->re, PCRE2_JIT_COMPLETE);	/* interpreter is the fallback */
	if (!literal)
		p->native = rules_native_lookup(p->text);
	/* A prefilter is the Vectorscan side of the pattern (a cheaper expression every
	 * match of the regex contains, the author's promise, checked on the rule's
	 * examples by the self-test); the regex as written decides each candidate. */
	const char *hs_src = p->prefilter ? p->prefilter : p->text;
	p->hs_expr = literal ? escape_literal(hs_src) : strdup(hs_src);
	if (!p->hs_expr) {
		ld->fatal = VG_ERR_NOMEM;
		return;
	}
	if (!literal) {
		char *raw = NULL;
		int rc = cheapen(hs_src, false, &raw, &p->widened);
		if (rc == VG_OK && (r->fields & ~(1u << RULE_F_URL_RAW)))
			rc = cheapen(hs_src, true, &p->hs_norm_expr, &p->widened);
		if (rc == VG_ERR_INVAL) {
			free(raw);
			rules_report(ld, at, r, "bad regex: on a normalised field (every field but "
			    "url_raw) a pattern may not use \\Q, POSIX classes, (?x), (?#, \\p \\P \\X \\C, "
			    "an escape for NUL, \\S \\W \\D \\H \\V \\N inside [...], or $ / \\z with "
			    "anything after it but the pattern's end: '%s'", hs_src);
			return;
		}
		if (rc != VG_OK) {
			free(raw);
			ld->fatal = VG_ERR_NOMEM;
			return;
		}
		if (raw) {
			free(p->hs_expr);
			p->hs_expr = raw;
		}
		if (p->hs_norm_expr && strcmp(p->hs_norm_expr, p->hs_expr) == 0) {
			free(p->hs_norm_expr);
			p->hs_norm_expr = NULL;
		}
	}
	if (p->prefilter) {
		/* exact, not PREFILTER mode: it is already the approximation */
		if (hs_expression_info(p->hs_expr, HS_BASE_FLAGS, &info, &cerr) == HS_SUCCESS) {
			free(info);
			p->confirm = p->widened = true;
			return;
		}
		rules_report(ld, at, r, "bad prefilter: vectorscan: %s in '%s'",
		    cerr ? cerr->message : "?", p->prefilter);
		hs_free_compile_error(cerr);
		return;
	}
	if (hs_expression_info(p->hs_expr, HS_BASE_FLAGS, &info, &cerr) == HS_SUCCESS) {
		free(info);
		p->confirm = p->widened;
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
	rules_report(ld, at, r, "bad regex: vectorscan: %s in '%s'", cerr ? cerr->message : "?",
	    p->text);
	hs_free_compile_error(cerr);
}

static int
kw_patterns(struct loader *ld, struct rule *r, yaml_node_t *v)
{
	size_t n;

	if (v->type != YAML_SEQUENCE_NODE) {
		rules_report(ld, v, r, "patterns: expected a list of 'literal:' / 'regex:' entries");
		return 0;
	}
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (n == 0 || n > RULE_MAX_PATTERNS) {
		rules_report(ld, v, r, "patterns: need 1 to %d entries, got %zu", RULE_MAX_PATTERNS, n);
		return 0;
	}
	r->pats = calloc(n, sizeof(*r->pats));
	if (!r->pats)
		return ld->fatal = VG_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *e = yaml_document_get_node(ld->doc, v->data.sequence.items.start[i]);
		yaml_node_t *k = NULL, *val = NULL, *pre = NULL;
		const char *key = NULL, *text, *pt = NULL;
		struct pattern *p = &r->pats[r->npats];
		bool bad = false;

		if (!e || e->type != YAML_MAPPING_NODE) {
			rules_report(ld, e, r, "patterns[%zu]: expected one 'literal: TEXT' or "
			    "'regex: RE' (with an optional 'prefilter: RE')", i);
			continue;
		}
		for (yaml_node_pair_t *pr = e->data.mapping.pairs.start;
		    pr < e->data.mapping.pairs.top; pr++) {
			yaml_node_t *pk = yaml_document_get_node(ld->doc, pr->key);
			const char *name = vg_yaml_scalar(pk);
			if (name && strcmp(name, "prefilter") == 0 && !pre) {
				pre = yaml_document_get_node(ld->doc, pr->value);
			} else if (name && (strcmp(name, "literal") == 0 || strcmp(name, "regex") == 0) &&
			    !k) {
				k = pk;
				key = name;
				val = yaml_document_get_node(ld->doc, pr->value);
			} else if (name && (strcmp(name, "prefilter") == 0 ||
			    strcmp(name, "literal") == 0 || strcmp(name, "regex") == 0)) {
				rules_report(ld, pk, r, "patterns[%zu]: a second '%s'", i, name);
				bad = true;
			} else {
				rules_report(ld, pk, r, "patterns[%zu]: unknown kind '%s' (literal or regex, "
				    "optional prefilter)", i, name ? name : "?");
				bad = true;
			}
		}
		if (bad)
			continue;
		if (!k) {
			rules_report(ld, e, r, "patterns[%zu]: needs 'literal: TEXT' or 'regex: RE'", i);
			continue;
		}
		text = vg_yaml_scalar(val);
		if (!text || !*text || strlen(text) > RULE_PATTERN_MAX) {
			rules_report(ld, val, r, "patterns[%zu]: %s must be 1 to %d bytes", i, key,
			    RULE_PATTERN_MAX);
			continue;
		}
		if (pre) {
			pt = vg_yaml_scalar(pre);
			if (key[0] == 'l' || !pt || !*pt || strlen(pt) > RULE_PATTERN_MAX) {
				rules_report(ld, pre, r, "patterns[%zu]: prefilter must be 1 to %d bytes and "
				    "go with a regex", i, RULE_PATTERN_MAX);
				continue;
			}
		}
		p->text = rules_dup(ld, text);
		if (!p->text)
			return ld->fatal;
		r->npats++;
		if (pt && !(p->prefilter = rules_dup(ld, pt)))
			return ld->fatal;
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
		rules_report(ld, v, r, "condition '%s': expected any or all", s);
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
		rules_report(ld, v, r, "bad regex: pcre: %s at offset %zu in '%s'", (const char *)msg,
		    (size_t)erroff, s);
		return 0;
	}
	pcre2_jit_compile(r->pcre, PCRE2_JIT_COMPLETE);
	r->pcre_text = rules_dup(ld, s);
	return 0;
}

static int
examples(struct loader *ld, struct rule *r, yaml_node_t *v, bool should_match)
{
	const char *key = should_match ? "match" : "no_match";
	size_t n;
	struct example *grown;

	if (v->type != YAML_SEQUENCE_NODE) {
		rules_report(ld, v, r, "%s: expected a list of examples", key);
		return 0;
	}
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (r->nex + n > RULE_MAX_EXAMPLES) {
		rules_report(ld, v, r, "%s: more than %d examples", key, RULE_MAX_EXAMPLES);
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
		if (vg_yaml_scalar(e)) {
			x->v[input_of(r->first_field)] = rules_dup(ld, vg_yaml_scalar(e));
		} else if (e && e->type == YAML_MAPPING_NODE) {
			for (yaml_node_pair_t *p = e->data.mapping.pairs.start;
			    p < e->data.mapping.pairs.top; p++) {
				yaml_node_t *k = yaml_document_get_node(ld->doc, p->key);
				yaml_node_t *val = yaml_document_get_node(ld->doc, p->value);
				enum rule_field f;
				if (!vg_yaml_scalar(k) ||
				    rules_field_parse(vg_yaml_scalar(k), &f) != VG_OK ||
				    !vg_yaml_scalar(val)) {
					rules_report(ld, k, r, "%s[%zu]: expected FIELD: VALUE with a known "
					    "field", key, i);
					continue;
				}
				free(x->v[input_of(f)]);
				x->v[input_of(f)] = rules_dup(ld, vg_yaml_scalar(val));
			}
		} else {
			rules_report(ld, e, r, "%s[%zu]: expected a string or a map of field: value", key,
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
const struct rule_keyword rule_keywords[] = {
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
const size_t rule_keywords_count = sizeof(rule_keywords) / sizeof(rule_keywords[0]);
