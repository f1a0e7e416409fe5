/* Matchers and extractors over one response. Regexes run with PCRE2 match and
 * depth limits: bodies come from the site under test, and a backtracking pattern
 * must not let a hostile page stall the run. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "assess/web_match.h"
#include "core/buf.h"
#include "core/esc.h"

#include <ctype.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RE_MATCH_LIMIT 200000
#define RE_DEPTH_LIMIT 5000
#define EXTRACT_MAX 120

static bool
mem_find(const char *h, size_t hl, const char *n)
{
	size_t nl = strlen(n);

	return nl == 0 || memmem(h, hl, n, nl) != NULL;
}

/* Not strncasecmp: it stops at a NUL in the haystack, which would hide words after
 * a NUL in a binary body. */
static bool
mem_find_nocase(const char *h, size_t hl, const char *n)
{
	size_t nl = strlen(n);

	if (nl == 0)
		return true;
	for (size_t i = 0; i + nl <= hl; i++) {
		size_t j = 0;

		while (j < nl && tolower((unsigned char)h[i + j]) == tolower((unsigned char)n[j]))
			j++;
		if (j == nl)
			return true;
	}
	return false;
}

/* pcre2 match of re in s[0..len): 1 match (ovector start/end of group g copied to
 * *gs and *ge when asked), 0 no match or an error (a limit hit counts as no match). */
static int
re_match(const void *re, const char *s, size_t len, int g, size_t *gs, size_t *ge)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	int rc = 0, n;

	if (!md || !mc)
		goto out;
	pcre2_set_match_limit(mc, RE_MATCH_LIMIT);
	pcre2_set_depth_limit(mc, RE_DEPTH_LIMIT);
	n = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, mc);
	if (n > 0) {
		rc = 1;
		if (gs && g < n) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

			*gs = ov[2 * g];
			*ge = ov[2 * g + 1];
			if (*gs == PCRE2_UNSET || *ge < *gs)
				rc = 0;
		} else if (gs) {
			rc = 0;
		}
	}
out:
	pcre2_match_data_free(md);
	pcre2_match_context_free(mc);
	return rc;
}

/* The words/regexes of m against s: and/or as m says. *which = index of the first
 * pattern that matched (words first, then regexes), for the evidence. */
static bool
patterns(const struct web_matcher *m, const char *s, size_t len, size_t *which)
{
	size_t total = m->nwords + m->nregex, hits = 0;

	for (size_t i = 0; i < total; i++) {
		bool ok = i < m->nwords ?
		    (m->nocase ? mem_find_nocase(s, len, m->words[i]) :
				 mem_find(s, len, m->words[i])) :
		    re_match(m->regex[i - m->nwords], s, len, 0, NULL, NULL) == 1;

		if (ok) {
			if (!hits)
				*which = i;
			hits++;
			if (!m->and_cond)
				return true;
		} else if (m->and_cond) {
			return false;
		}
	}
	return total > 0 && hits == total;
}

static void
part_of(const struct web_resp *r, enum web_part part, struct vg_buf *tmp, const char **s,
    size_t *len)
{
	if (part == WEB_PART_HEADER) {
		*s = r->headers;
		*len = r->hlen;
	} else if (part == WEB_PART_BODY) {
		*s = r->body;
		*len = r->blen;
	} else {
		vg_buf_reset(tmp);
		/* A full buffer keeps what fit: matching on a cut "all" is still useful. */
		(void)vg_buf_put(tmp, r->headers, r->hlen);
		(void)vg_buf_put(tmp, r->body, r->blen);
		*s = vg_buf_ptr(tmp);
		*len = vg_buf_len(tmp);
	}
	if (!*s)
		*s = "";
}

struct hdr_arg {
	const struct web_matcher *m;
	size_t which;
};

static bool
hdr_value(void *arg, const char *v, size_t vlen)
{
	struct hdr_arg *a = arg;

	if (a->m->nwords + a->m->nregex == 0)
		return true;
	return patterns(a->m, v, vlen, &a->which);
}

static void
note(struct vg_buf *ev, const char *what, const char *s)
{
	char e[200];

	if (!ev)
		return;
	vg_esc_s(e, sizeof(e), s);
	(void)vg_buf_putf(ev, "%s%s '%s'", vg_buf_len(ev) ? "; " : "", what, e);
}

static bool
one_matcher(const struct web_matcher *m, const struct web_resp *r, struct vg_buf *tmp,
    struct vg_buf *ev)
{
	const char *s;
	size_t len, which = 0;
	bool hit = false;
	struct hdr_arg ha = { m, 0 };

	switch (m->type) {
	case WEB_M_STATUS:
	case WEB_M_SIZE: {
		long v = m->type == WEB_M_STATUS ? r->status : (long)r->blen;

		for (size_t i = 0; i < m->nnums && !hit; i++)
			hit = m->nums[i] == v;
		if (hit != m->negative && ev)
			(void)vg_buf_putf(ev, "%s%s %ld", vg_buf_len(ev) ? "; " : "",
			    m->type == WEB_M_STATUS ? "status" : "size", v);
		return hit != m->negative;
	}
	case WEB_M_WORD:
	case WEB_M_REGEX:
		part_of(r, m->part, tmp, &s, &len);
		hit = patterns(m, s, len, &which);
		if (hit && !m->negative)
			note(ev, which < m->nwords ? "word" : "regex",
			    which < m->nwords ? m->words[which] : m->regex_src[which - m->nwords]);
		else if (!hit && m->negative)
			note(ev, "no", m->nwords ? m->words[0] : m->regex_src[0]);
		return hit != m->negative;
	case WEB_M_HEADER:
		hit = web_header_each(r->headers, r->hlen, m->name, hdr_value, &ha);
		if (hit != m->negative)
			note(ev, m->negative ? "no header" : "header", m->name);
		return hit != m->negative;
	}
	return false;
}

bool
web_match(const struct web_request *q, const struct web_resp *r, struct vg_buf *ev)
{
	struct vg_buf *tmp = vg_buf_new(r->hlen + r->blen + 1);
	struct vg_buf *notes = ev ? vg_buf_new(4096) : NULL;
	size_t hits = 0;
	bool ok = false;

	if (!tmp || (ev && !notes)) {
		vg_buf_free(tmp);
		vg_buf_free(notes);
		return false;
	}
	for (size_t i = 0; i < q->nmatchers; i++) {
		if (one_matcher(&q->matchers[i], r, tmp, notes)) {
			hits++;
			if (!q->and_cond) {
				ok = true;
				break;
			}
		} else if (q->and_cond) {
			break;
		}
	}
	if (q->and_cond)
		ok = hits == q->nmatchers && hits > 0;
	vg_buf_free(tmp);
	/* Notes of a failed match would mislead: only a match hands them on. */
	if (ok && ev)
		(void)vg_buf_put(ev, vg_buf_ptr(notes), vg_buf_len(notes));
	vg_buf_free(notes);
	return ok;
}

bool
web_header_each(const char *hdr, size_t hlen, const char *name,
    bool (*fn)(void *arg, const char *v, size_t vlen), void *arg)
{
	size_t nl = strlen(name), i = 0;

	while (hdr && i < hlen) {
		const char *line = hdr + i, *eol = memchr(line, '\n', hlen - i);
		size_t ll = eol ? (size_t)(eol - line) : hlen - i;

		i += ll + 1;
		if (ll > nl && line[nl] == ':' && strncasecmp(line, name, nl) == 0) {
			const char *v = line + nl + 1;
			size_t vl = ll - nl - 1;

			while (vl && (*v == ' ' || *v == '\t'))
				v++, vl--;
			while (vl && (v[vl - 1] == '\r' || v[vl - 1] == ' ' || v[vl - 1] == '\t'))
				vl--;
			if (fn(arg, v, vl))
				return true;
		}
	}
	return false;
}

struct kval_arg {
	struct vg_buf *ev;
	const char *name;
};

static bool
kval_one(void *arg, const char *v, size_t vlen)
{
	struct kval_arg *a = arg;

	(void)vg_buf_putf(a->ev, "%s%s=", vg_buf_len(a->ev) ? "; " : "", a->name);
	(void)vg_esc_buf(a->ev, v, vlen < EXTRACT_MAX ? vlen : EXTRACT_MAX);
	return true;
}

void
web_extract(const struct web_request *q, const struct web_resp *r, struct vg_buf *ev)
{
	struct vg_buf *tmp = vg_buf_new(r->hlen + r->blen + 1);

	if (!tmp)
		return;
	for (size_t i = 0; i < q->nextractors; i++) {
		const struct web_extractor *x = &q->extractors[i];
		const char *s;
		size_t len, gs, ge;

		if (x->type == WEB_X_HEADER) {
			for (size_t h = 0; h < x->nheaders; h++) {
				struct kval_arg a = { ev, x->headers[h] };

				web_header_each(r->headers, r->hlen, x->headers[h], kval_one, &a);
			}
			continue;
		}
		part_of(r, x->part, tmp, &s, &len);
		for (size_t k = 0; k < x->nregex; k++) {
			if (re_match(x->regex[k], s, len, x->group, &gs, &ge) != 1)
				continue;
			(void)vg_buf_putf(ev, "%s%s=", vg_buf_len(ev) ? "; " : "",
			    x->name && *x->name ? x->name : "extracted");
			(void)vg_esc_buf(ev, s + gs, ge - gs < EXTRACT_MAX ? ge - gs : EXTRACT_MAX);
			break;
		}
	}
	vg_buf_free(tmp);
}
