/* The page scanner (sitewatch_page.h). One pass over the bytes with a stack of
 * open elements, each knowing whether it or an ancestor is hidden; a first pass
 * over <style> blocks collects the classes they hide, because injected links
 * usually sit in <div class="x"> with ".x{position:absolute;left:-9999px}". */
#include "inventory/sitewatch_page.h"

#include "core/buf.h"
#include "core/err.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PAGE_MAX_DEPTH 256
#define PAGE_MAX_CLASSES 64
#define PAGE_ATTR_MAX 2048
#define PAGE_ANCHOR_TEXT 256

struct elem {
	char name[16];
	bool hidden;
};

struct scan {
	const char *p, *end;
	struct page *pg;
	struct elem stack[PAGE_MAX_DEPTH];
	size_t depth;
	char hidden_classes[PAGE_MAX_CLASSES][64];
	size_t nclasses;
	struct vg_buf *text;
	struct vg_buf *anchor;	/* text of the open <a>, if any */
	long open_link;		/* index of the open <a>'s link, -1 none */
	bool in_title;
	struct vg_buf *title;
};

/* Case-insensitive equality of m bytes. By hand: page bytes are not NUL-terminated,
 * and strncasecmp may read past the end of its first argument. */
static bool
caseeq(const char *h, const char *lit, size_t m)
{
	for (size_t k = 0; k < m; k++)
		if (tolower((unsigned char)h[k]) != tolower((unsigned char)lit[k]))
			return false;
	return true;
}

/* Case-insensitive search for needle in h[0..n). */
static const char *
memcasemem(const char *h, size_t n, const char *needle)
{
	size_t m = strlen(needle);

	for (size_t i = 0; m <= n && i + m <= n; i++)
		if (caseeq(h + i, needle, m))
			return h + i;
	return NULL;
}

/* A negative offset of at least 100 px (or any em/%) after "left:" etc. */
static bool
far_negative(const char *s)
{
	long v = 0;

	if (*s != '-')
		return false;
	s++;
	while (isdigit((unsigned char)*s) && v < 100000)
		v = v * 10 + (*s++ - '0');
	return v >= 100 || (v > 0 && (*s == 'e' || *s == '%'));
}

bool
page_style_hides(const char *style, size_t len)
{
	static const char *const hides[] = { "display:none", "visibility:hidden",
		"font-size:0", "font-size:1px", "font-size:1pt", "font-size:2px", "height:0",
		"height:1px", "width:0", "width:1px", "opacity:0;", "clip:rect(0", NULL };
	static const char *const offs[] = { "left:", "top:", "text-indent:", "margin-left:",
		"margin-top:", NULL };
	char flat[PAGE_ATTR_MAX + 2];
	size_t n = 0;

	/* lower case, blanks out: "Display : None" and "display:none" are one */
	for (size_t i = 0; i < len && n < PAGE_ATTR_MAX; i++)
		if (!isspace((unsigned char)style[i]) && style[i] != '!')
			flat[n++] = (char)tolower((unsigned char)style[i]);
	flat[n++] = ';';
	flat[n] = '\0';
	/* "height:0" hides, "height:0.5em" and "width:100px" do not: the value must end
	 * where the pattern does */
	for (int i = 0; hides[i]; i++)
		for (const char *h = strstr(flat, hides[i]); h; h = strstr(h + 1, hides[i])) {
			char next = h[strlen(hides[i])];
			if ((h == flat || h[-1] == ';' || h[-1] == '{' || h[-1] == '"') &&
			    !isdigit((unsigned char)next) && next != '.')
				return true;
		}
	for (int i = 0; offs[i]; i++)
		for (const char *h = strstr(flat, offs[i]); h; h = strstr(h + 1, offs[i]))
			if ((h == flat || h[-1] == ';' || h[-1] == '{') && far_negative(h + strlen(offs[i])))
				return true;
	return false;
}

/* Collects ".name{...}" rules that hide, from every <style> block. */
static void
hidden_classes(struct scan *s)
{
	const char *p = s->p;

	while ((p = memcasemem(p, (size_t)(s->end - p), "<style"))) {
		const char *body = memchr(p, '>', (size_t)(s->end - p));
		const char *close = body ? memcasemem(body, (size_t)(s->end - body), "</style") : NULL;
		if (!close)
			return;
		for (const char *q = body; q < close; q++) {
			if (*q != '.')
				continue;
			const char *name = q + 1, *e = name;
			while (e < close && (isalnum((unsigned char)*e) || *e == '-' || *e == '_'))
				e++;
			const char *brace = e;
			while (brace < close && *brace != '{' && *brace != ';' && *brace != '}')
				brace++;
			if (brace >= close || *brace != '{' || e == name || (size_t)(e - name) >= 64)
				continue;
			const char *rb = memchr(brace, '}', (size_t)(close - brace));
			if (!rb)
				break;
			if (page_style_hides(brace + 1, (size_t)(rb - brace - 1)) &&
			    s->nclasses < PAGE_MAX_CLASSES) {
				memcpy(s->hidden_classes[s->nclasses], name, (size_t)(e - name));
				s->hidden_classes[s->nclasses++][e - name] = '\0';
			}
			q = rb;
		}
		p = close + 1;
	}
}

static bool
class_hidden(const struct scan *s, const char *cls)
{
	const char *c = cls;

	while (*c) {
		size_t n = strcspn(c, " \t\r\n");
		for (size_t i = 0; n && i < s->nclasses; i++)
			if (strlen(s->hidden_classes[i]) == n && strncmp(c, s->hidden_classes[i], n) == 0)
				return true;
		c += n;
		c += strspn(c, " \t\r\n");
	}
	return false;
}

static int
add_item(struct page *pg, char **list, size_t *n, const char *v, size_t len)
{
	if (*n >= PAGE_MAX_ITEMS) {
		pg->dropped++;
		return VG_OK;
	}
	if (!(list[*n] = strndup(v, len)))
		return VG_ERR_NOMEM;
	(*n)++;
	return VG_OK;
}

/* Appends text with whitespace collapsed and the common entities decoded. */
static void
put_text(struct vg_buf *b, const char *t, size_t n, size_t max)
{
	static const struct { const char *e; char c; } ents[] = { { "&amp;", '&' },
		{ "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&nbsp;", ' ' },
		{ "&#39;", '\'' } };

	for (size_t i = 0; i < n && vg_buf_len(b) < max; i++) {
		char c = t[i];
		if (c == '&')
			for (size_t k = 0; k < sizeof(ents) / sizeof(ents[0]); k++)
				if (i + strlen(ents[k].e) <= n &&
				    caseeq(t + i, ents[k].e, strlen(ents[k].e))) {
					c = ents[k].c;
					i += strlen(ents[k].e) - 1;
					break;
				}
		if (isspace((unsigned char)c)) {
			size_t l = vg_buf_len(b);
			if (l == 0 || vg_buf_ptr(b)[l - 1] == ' ')
				continue;
			c = ' ';
		}
		vg_buf_put(b, &c, 1);
	}
}

struct attrs {
	char href[PAGE_ATTR_MAX], style[PAGE_ATTR_MAX], cls[256], http_equiv[32],
	    content[PAGE_ATTR_MAX], src[PAGE_ATTR_MAX];
	bool hidden_attr;
};

static void
set_attr(struct attrs *a, const char *name, size_t nlen, const char *v, size_t vlen)
{
	static const struct { const char *n; size_t off, size; } map[] = {
		{ "href", offsetof(struct attrs, href), PAGE_ATTR_MAX },
		{ "style", offsetof(struct attrs, style), PAGE_ATTR_MAX },
		{ "class", offsetof(struct attrs, cls), 256 },
		{ "http-equiv", offsetof(struct attrs, http_equiv), 32 },
		{ "content", offsetof(struct attrs, content), PAGE_ATTR_MAX },
		{ "src", offsetof(struct attrs, src), PAGE_ATTR_MAX },
	};

	if (nlen == 6 && caseeq(name, "hidden", 6))
		a->hidden_attr = true;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i].n) == nlen && caseeq(name, map[i].n, nlen)) {
			char *dst = (char *)a + map[i].off;
			size_t n = vlen < map[i].size - 1 ? vlen : map[i].size - 1;
			memcpy(dst, v, n);
			dst[n] = '\0';
		}
}

/* Parses attributes from s->p up to and past '>'. */
static void
parse_attrs(struct scan *s, struct attrs *a)
{
	memset(a, 0, sizeof(*a));
	while (s->p < s->end && *s->p != '>') {
		if (isspace((unsigned char)*s->p) || *s->p == '/') {
			s->p++;
			continue;
		}
		const char *name = s->p;
		while (s->p < s->end && !isspace((unsigned char)*s->p) && *s->p != '=' &&
		    *s->p != '>' && *s->p != '/')
			s->p++;
		size_t nlen = (size_t)(s->p - name);
		while (s->p < s->end && isspace((unsigned char)*s->p))
			s->p++;
		const char *v = s->p;
		size_t vlen = 0;
		if (s->p < s->end && *s->p == '=') {
			s->p++;
			while (s->p < s->end && isspace((unsigned char)*s->p))
				s->p++;
			if (s->p < s->end && (*s->p == '"' || *s->p == '\'')) {
				char q = *s->p++;
				v = s->p;
				while (s->p < s->end && *s->p != q)
					s->p++;
				vlen = (size_t)(s->p - v);
				if (s->p < s->end)
					s->p++;
			} else {
				v = s->p;
				while (s->p < s->end && !isspace((unsigned char)*s->p) && *s->p != '>')
					s->p++;
				vlen = (size_t)(s->p - v);
			}
		}
		if (nlen == 0) {	/* a stray '=': its value may have run to the end */
			if (s->p < s->end)
				s->p++;
			continue;
		}
		set_attr(a, name, nlen, v, vlen);
	}
	if (s->p < s->end)
		s->p++;
}

static bool
is_void(const char *n)
{
	static const char *const v[] = { "br", "img", "meta", "link", "input", "hr", "area",
		"base", "col", "embed", "source", "track", "wbr", "param", NULL };
	for (int i = 0; v[i]; i++)
		if (strcmp(n, v[i]) == 0)
			return true;
	return false;
}

static int
close_anchor(struct scan *s)
{
	if (s->open_link < 0)
		return VG_OK;
	struct page_link *l = &s->pg->links[s->open_link];
	l->text = strndup(vg_buf_ptr(s->anchor), vg_buf_len(s->anchor));
	s->open_link = -1;
	vg_buf_reset(s->anchor);
	return l->text ? VG_OK : VG_ERR_NOMEM;
}

/* JS that sends the visitor elsewhere: keep a snippet as evidence. */
static int
script_redirects(struct scan *s, const char *body, size_t n)
{
	static const char *const pats[] = { "location.href", "location.replace", "location.assign",
		"window.location", "document.location", "top.location", "self.location", NULL };

	for (int i = 0; pats[i]; i++) {
		const char *h = memcasemem(body, n, pats[i]);
		if (h) {
			size_t left = (size_t)(body + n - h);
			return add_item(s->pg, s->pg->redirects, &s->pg->nredirects, h,
			    left < 120 ? left : 120);
		}
	}
	return VG_OK;
}

static int
start_tag(struct scan *s, const char *name, struct attrs *a)
{
	bool parent_hidden = s->depth && s->stack[s->depth - 1].hidden;
	bool hidden = parent_hidden || a->hidden_attr ||
	    (a->style[0] && page_style_hides(a->style, strlen(a->style))) ||
	    (a->cls[0] && class_hidden(s, a->cls));
	int r = VG_OK;

	if (strcmp(name, "a") == 0 && a->href[0]) {
		if ((r = close_anchor(s)) != VG_OK)
			return r;
		if (s->pg->nlinks >= PAGE_MAX_LINKS) {
			s->pg->dropped++;
		} else {
			struct page_link *l = &s->pg->links[s->pg->nlinks];
			if (!(l->href = strdup(a->href)))
				return VG_ERR_NOMEM;
			l->hidden = hidden;
			s->open_link = (long)s->pg->nlinks++;
		}
	} else if (strcmp(name, "meta") == 0 && strcasecmp(a->http_equiv, "refresh") == 0) {
		const char *u = memcasemem(a->content, strlen(a->content), "url=");
		r = add_item(s->pg, s->pg->redirects, &s->pg->nredirects, u ? u + 4 : a->content,
		    strlen(u ? u + 4 : a->content));
	} else if (strcmp(name, "script") == 0 && a->src[0]) {
		r = add_item(s->pg, s->pg->scripts, &s->pg->nscripts, a->src, strlen(a->src));
	} else if (strcmp(name, "title") == 0) {
		s->in_title = true;
	}
	if (r == VG_OK && !is_void(name) && s->depth < PAGE_MAX_DEPTH) {
		vg_strlcpy(s->stack[s->depth].name, name, sizeof(s->stack[0].name));
		s->stack[s->depth++].hidden = hidden;
	}
	return r;
}

static int
end_tag(struct scan *s, const char *name)
{
	if (strcmp(name, "a") == 0) {
		int r = close_anchor(s);
		if (r != VG_OK)
			return r;
	}
	if (strcmp(name, "title") == 0)
		s->in_title = false;
	for (size_t i = s->depth; i > 0; i--)
		if (strcmp(s->stack[i - 1].name, name) == 0) {
			s->depth = i - 1;
			break;
		}
	return VG_OK;
}

/* <script> and <style> bodies are not text; a script's may redirect. */
static int
raw_body(struct scan *s, const char *name)
{
	char close[16];
	const char *body = s->p, *e;

	close[0] = '<';
	close[1] = '/';
	vg_strlcpy(close + 2, name, sizeof(close) - 2);
	e = memcasemem(body, (size_t)(s->end - body), close);
	if (!e)
		e = s->end;
	s->p = e;
	return strcmp(name, "script") == 0 ? script_redirects(s, body, (size_t)(e - body)) : VG_OK;
}

static int
tag(struct scan *s)
{
	char name[16];
	size_t n = 0;
	bool closing = false;
	struct attrs *a;
	int r;

	s->p++;	/* '<' */
	if (s->p + 3 <= s->end && memcmp(s->p, "!--", 3) == 0) {
		const char *e = memcasemem(s->p + 3, (size_t)(s->end - s->p - 3), "-->");
		s->p = e ? e + 3 : s->end;
		return VG_OK;
	}
	if (s->p < s->end && *s->p == '/') {
		closing = true;
		s->p++;
	}
	while (s->p < s->end && (isalnum((unsigned char)*s->p)) && n < sizeof(name) - 1)
		name[n++] = (char)tolower((unsigned char)*s->p++);
	name[n] = '\0';
	if (n == 0) {	/* "<!DOCTYPE", "< 3": skip to '>' or treat as text */
		const char *e = memchr(s->p, '>', (size_t)(s->end - s->p));
		s->p = e ? e + 1 : s->end;
		return VG_OK;
	}
	if (!(a = malloc(sizeof(*a))))
		return VG_ERR_NOMEM;
	parse_attrs(s, a);
	/* "<h1>Hacked</h1><p>by" reads as two words, as a browser shows it */
	put_text(s->text, " ", 1, PAGE_MAX_TEXT);
	r = closing ? end_tag(s, name) : start_tag(s, name, a);
	free(a);
	if (r == VG_OK && !closing && (strcmp(name, "script") == 0 || strcmp(name, "style") == 0)) {
		r = raw_body(s, name);
		if (s->depth && strcmp(s->stack[s->depth - 1].name, name) == 0)
			s->depth--;
	}
	return r;
}

static void
text_run(struct scan *s)
{
	const char *t = s->p;
	const char *e = memchr(t, '<', (size_t)(s->end - t));
	bool hidden = s->depth && s->stack[s->depth - 1].hidden;

	if (!e)
		e = s->end;
	s->p = e;
	if (s->in_title)
		put_text(s->title, t, (size_t)(e - t), 1024);
	else if (!hidden)
		put_text(s->text, t, (size_t)(e - t), PAGE_MAX_TEXT);
	if (s->open_link >= 0)
		put_text(s->anchor, t, (size_t)(e - t), PAGE_ANCHOR_TEXT);
}

int
page_parse(const char *html, size_t len, struct page *pg)
{
	struct scan *s = calloc(1, sizeof(*s));
	int r = VG_ERR_NOMEM;

	memset(pg, 0, sizeof(*pg));
	if (!s)
		return VG_ERR_NOMEM;
	s->p = html;
	s->end = html + len;
	s->pg = pg;
	s->open_link = -1;
	s->text = vg_buf_new(PAGE_MAX_TEXT + 8);
	s->anchor = vg_buf_new(PAGE_ANCHOR_TEXT + 8);
	s->title = vg_buf_new(1032);
	if (!s->text || !s->anchor || !s->title ||
	    !(pg->links = calloc(PAGE_MAX_LINKS, sizeof(*pg->links))))
		goto out;
	hidden_classes(s);
	r = VG_OK;
	while (r == VG_OK && s->p < s->end) {
		if (*s->p == '<')
			r = tag(s);
		else
			text_run(s);
	}
	if (r == VG_OK)
		r = close_anchor(s);
	if (r == VG_OK) {
		size_t n = vg_buf_len(s->text);
		pg->title = strndup(vg_buf_ptr(s->title), vg_buf_len(s->title));
		pg->text = strndup(vg_buf_ptr(s->text), n);
		pg->text_len = n;
		if (!pg->title || !pg->text)
			r = VG_ERR_NOMEM;
	}
out:
	vg_buf_free(s->text);
	vg_buf_free(s->anchor);
	vg_buf_free(s->title);
	free(s);
	return r;
}

void
page_free(struct page *p)
{
	for (size_t i = 0; p->links && i < p->nlinks; i++) {
		free(p->links[i].href);
		free(p->links[i].text);
	}
	free(p->links);
	for (size_t i = 0; i < p->nredirects; i++)
		free(p->redirects[i]);
	for (size_t i = 0; i < p->nscripts; i++)
		free(p->scripts[i]);
	free(p->title);
	free(p->text);
	memset(p, 0, sizeof(*p));
}

#define SIM_BITS (1 << 16)

static void
shingles(const char *t, size_t n, uint8_t *bits)
{
	for (size_t i = 0; i + 4 <= n; i++) {
		uint32_t h = 2166136261u;
		for (int k = 0; k < 4; k++)
			h = (h ^ (uint8_t)t[i + k]) * 16777619u;
		bits[(h % SIM_BITS) / 8] |= (uint8_t)(1u << (h % 8));
	}
}

double
page_similarity(const char *a, size_t alen, const char *b, size_t blen)
{
	static const size_t bytes = SIM_BITS / 8;
	uint8_t *x = calloc(2, bytes), *y;
	size_t inter = 0, uni = 0;

	if (!x)
		return 1.0;	/* cannot tell: do not cry defacement */
	y = x + bytes;
	shingles(a, alen, x);
	shingles(b, blen, y);
	for (size_t i = 0; i < bytes; i++) {
		inter += (size_t)__builtin_popcount(x[i] & y[i]);
		uni += (size_t)__builtin_popcount(x[i] | y[i]);
	}
	free(x);
	return uni ? (double)inter / (double)uni : 1.0;
}
