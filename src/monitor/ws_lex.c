/* Tokenizers for the webshell analysers: one pass over the file that skips markup,
 * finds the server-side code regions of each family (<?php ?>, <% %>, JSPX scriptlets,
 * runat=server blocks) and emits identifiers, variables, decoded string literals,
 * numbers and operators. Two lexical flavours cover all four families: C-like (PHP,
 * Java, JScript, C#) and VB-like (VBScript, VB.NET, where a newline ends a statement). */
#include "monitor/ws_int.h"

#include "core/err.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct lx {
	enum ws_lang lang;
	const char *s;
	size_t n, i;
	bool vb, php;
	struct ws_arena *a;
	struct ws_toks *out;
	int err;
};

static bool
is_id0(unsigned char c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

static bool
is_id(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

static int
emit(struct lx *x, int type, int flags, uint32_t op, const char *s, size_t n)
{
	struct ws_toks *o = x->out;

	if (type != TK_EOF && o->n + 1 >= WS_MAX_TOKENS) {
		o->limited = true;	/* the last slot stays free for TK_EOF */
		return VG_ERR_LIMIT;
	}
	if (o->n == o->cap) {
		size_t nc = o->cap ? o->cap * 2 : 1024;
		struct ws_tok *nv = realloc(o->v, nc * sizeof(*nv));
		if (!nv)
			return VG_ERR_NOMEM;
		o->v = nv;
		o->cap = nc;
	}
	o->v[o->n++] = (struct ws_tok){ .type = (uint8_t)type, .flags = (uint8_t)flags, .op = op,
		.s = s, .n = (uint32_t)n };
	return VG_OK;
}

static bool
at(const struct lx *x, const char *lit)
{
	size_t l = strlen(lit);
	return x->i + l <= x->n && strncasecmp(x->s + x->i, lit, l) == 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static size_t
put_utf8(char *d, unsigned long cp)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xc0 | (cp >> 6));
		d[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	d[0] = (char)(0xe0 | ((cp >> 12) & 0x0f));
	d[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	d[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

/* Decodes backslash escapes of body[0..n) (C-like languages); single = PHP '...'. */
static char *
unescape(struct lx *x, const char *b, size_t n, bool single, size_t *out_n)
{
	char *d = ws_alloc(x->a, n * 3 + 1);
	size_t o = 0;

	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = b[i];
		if (c != '\\' || i + 1 >= n) {
			d[o++] = c;
			continue;
		}
		char e = b[++i];
		if (single) {
			if (e != '\'' && e != '\\')
				d[o++] = '\\';
			d[o++] = e;
			continue;
		}
		switch (e) {
		case 'n': d[o++] = '\n'; break;
		case 't': d[o++] = '\t'; break;
		case 'r': d[o++] = '\r'; break;
		case 'x':
			if (i + 1 < n && hexval(b[i + 1]) >= 0) {
				int v = hexval(b[++i]);
				if (i + 1 < n && hexval(b[i + 1]) >= 0)
					v = v * 16 + hexval(b[++i]);
				d[o++] = (char)v;
			} else {
				d[o++] = '\\';
				d[o++] = 'x';
			}
			break;
		case 'u': {
			unsigned long cp = 0;
			size_t k = i + 1;
			bool brace = k < n && b[k] == '{';
			k += brace;
			while (k < n && b[k] == 'u')
				k++;	/* Java allows \uuuu0041 */
			size_t start = k;
			while (k < n && k - start < (brace ? 6u : 4u) && hexval(b[k]) >= 0)
				cp = cp * 16 + (unsigned long)hexval(b[k++]);
			if (k == start) {
				d[o++] = '\\';
				d[o++] = 'u';
				break;
			}
			if (brace && k < n && b[k] == '}')
				k++;
			o += put_utf8(d + o, cp > 0xffff ? 0xfffd : cp);
			i = k - 1;
			break;
		}
		default:
			if (e >= '0' && e <= '7') {
				int v = e - '0';
				for (int k = 0; k < 2 && i + 1 < n && b[i + 1] >= '0' && b[i + 1] <= '7'; k++)
					v = v * 8 + (b[++i] - '0');
				d[o++] = (char)v;
			} else {
				d[o++] = e;
			}
		}
	}
	d[o] = '\0';
	*out_n = o;
	return d;
}

static int
emit_str(struct lx *x, const char *b, size_t n, bool single, int flags)
{
	size_t dn = n;
	char *d;

	if (flags & TF_INTERP) {
		d = ws_dup(x->a, b, n);	/* the engine reads $names from the raw text */
	} else {
		d = unescape(x, b, n, single, &dn);
	}
	if (!d)
		return VG_ERR_NOMEM;
	return emit(x, TK_STR, flags, 0, d, dn);
}

/* Does a PHP double-quoted body hold an interpolated variable? */
static bool
has_interp(const char *b, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (b[i] == '\\') {
			i++;
			continue;
		}
		if (b[i] == '$' && (is_id0((unsigned char)b[i + 1]) || b[i + 1] == '{'))
			return true;
		if (b[i] == '{' && b[i + 1] == '$')
			return true;
	}
	return false;
}

/* Quoted literal starting at x->i (the quote). */
static int
lex_quoted(struct lx *x)
{
	char q = x->s[x->i];
	size_t start = ++x->i;

	if (x->vb || (x->lang == WS_LANG_CS && start >= 2 && x->s[start - 2] == '@')) {
		/* VB and C# verbatim strings: "" is a quote, no backslash escapes */
		char *d = ws_alloc(x->a, x->n - start + 1);
		size_t o = 0;
		if (!d)
			return VG_ERR_NOMEM;
		while (x->i < x->n) {
			char c = x->s[x->i++];
			if (c == q) {
				if (x->i < x->n && x->s[x->i] == q) {
					d[o++] = q;
					x->i++;
					continue;
				}
				break;
			}
			if (x->vb && c == '\n')
				break;
			d[o++] = c;
		}
		d[o] = '\0';
		return emit(x, TK_STR, 0, 0, d, o);
	}
	while (x->i < x->n && x->s[x->i] != q) {
		if (x->s[x->i] == '\\')
			x->i++;
		x->i++;
	}
	size_t end = x->i < x->n ? x->i : x->n;
	x->i = end + 1;
	if (q == '`')
		return emit_str(x, x->s + start, end - start, false,
		    TF_BACKTICK | (has_interp(x->s + start, end - start) ? TF_INTERP : 0));
	if (x->php && q == '"' && has_interp(x->s + start, end - start))
		return emit_str(x, x->s + start, end - start, false, TF_INTERP);
	return emit_str(x, x->s + start, end - start, x->php && q == '\'', 0);
}

/* PHP heredoc / nowdoc at "<<<". */
static int
lex_heredoc(struct lx *x)
{
	size_t i = x->i + 3;
	bool nowdoc = false;

	while (i < x->n && (x->s[i] == ' ' || x->s[i] == '\t'))
		i++;
	if (i < x->n && (x->s[i] == '\'' || x->s[i] == '"')) {
		nowdoc = x->s[i] == '\'';
		i++;
	}
	size_t id0 = i;
	while (i < x->n && is_id((unsigned char)x->s[i]))
		i++;
	size_t idn = i - id0;
	if (!idn)
		return 1;	/* not a heredoc: let the operator lexer take "<<" */
	while (i < x->n && x->s[i] != '\n')
		i++;
	size_t body = ++i, end = x->n, next = x->n;
	while (i < x->n) {
		size_t ls = i;
		while (i < x->n && (x->s[i] == ' ' || x->s[i] == '\t'))
			i++;
		if (i + idn <= x->n && memcmp(x->s + i, x->s + id0, idn) == 0 &&
		    (i + idn == x->n || !is_id((unsigned char)x->s[i + idn]))) {
			end = ls;
			next = i + idn;
			break;
		}
		while (i < x->n && x->s[i] != '\n')
			i++;
		i++;
	}
	if (end > x->n || body > end)
		body = end = x->n;
	x->i = next;
	if (!nowdoc && has_interp(x->s + body, end - body))
		return emit_str(x, x->s + body, end - body, false, TF_INTERP);
	return emit_str(x, x->s + body, end - body, nowdoc, 0);
}

static const char *const ops3[] = { "===", "!==", "<=>", "**=", "...", "?\?=", "<<=", ">>=",
	"?->", NULL };
static const char *const ops2[] = { "->", "::", "=>", "==", "!=", "<>", "<=", ">=", "&&", "||",
	".=", "+=", "-=", "*=", "/=", "&=", "|=", "^=", "%=", "??", "++", "--", "<<", ">>", "**",
	NULL };

static int
lex_op(struct lx *x)
{
	for (int w = 0; w < 2; w++) {
		const char *const *t = w ? ops2 : ops3;
		size_t l = w ? 2 : 3;
		for (size_t k = 0; t[k]; k++) {
			if (x->i + l <= x->n && memcmp(x->s + x->i, t[k], l) == 0) {
				uint32_t op = l == 3 ? OP3(t[k][0], t[k][1], t[k][2]) : OP2(t[k][0], t[k][1]);
				x->i += l;
				return emit(x, TK_OP, 0, op, NULL, 0);
			}
		}
	}
	return emit(x, TK_OP, 0, OP1(x->s[x->i++]), NULL, 0);
}

/* Is a '/' at x->i the start of a JScript regex literal? Only after an operator. */
static bool
js_regex_start(const struct lx *x)
{
	const struct ws_toks *o = x->out;
	if (!o->n)
		return true;
	const struct ws_tok *t = &o->v[o->n - 1];
	return t->type == TK_OP && t->op != OP1(')') && t->op != OP1(']');
}

/* Is the region end marker for the current code block at x->i? */
static bool
code_end(const struct lx *x, const char *endmark)
{
	return endmark && x->s[x->i] == endmark[0] && at(x, endmark);
}

/* Lexes code until endmark (NULL: end of input). */
static int
lex_code(struct lx *x, const char *endmark)
{
	int ret = VG_OK;

	while (x->i < x->n && ret == VG_OK) {
		unsigned char c = (unsigned char)x->s[x->i];
		if (code_end(x, endmark))
			return emit(x, x->vb ? TK_EOS : TK_OP, 0, x->vb ? 0 : OP1(';'), NULL, 0);
		if (c == '\n' && x->vb) {
			size_t k = x->out->n;
			bool cont = k && x->out->v[k - 1].type == TK_ID && x->out->v[k - 1].n == 1 &&
			    x->out->v[k - 1].s[0] == '_';
			if (cont)
				x->out->n--;	/* " _" line continuation */
			else
				ret = emit(x, TK_EOS, 0, 0, NULL, 0);
			x->i++;
			continue;
		}
		if (isspace(c)) {
			x->i++;
			continue;
		}
		bool line_comment = (x->vb && (c == '\'' || ((c == 'r' || c == 'R') && at(x, "rem") &&
		    x->i + 3 < x->n && isspace((unsigned char)x->s[x->i + 3])))) ||
		    (!x->vb && ((c == '/' && at(x, "//")) || (x->php && c == '#')));
		if (line_comment) {
			while (x->i < x->n && x->s[x->i] != '\n' && !code_end(x, endmark))
				x->i++;
			continue;
		}
		if (!x->vb && c == '/' && at(x, "/*")) {
			const char *e = memmem(x->s + x->i + 2, x->n - x->i - 2, "*/", 2);
			x->i = e ? (size_t)(e - x->s) + 2 : x->n;
			continue;
		}
		if (c == '"' || (!x->vb && c == '\'') || (x->php && c == '`')) {
			ret = lex_quoted(x);
			continue;
		}
		if (x->lang == WS_LANG_CS && (c == '@' || c == '$') && x->i + 1 < x->n &&
		    (x->s[x->i + 1] == '"' || x->s[x->i + 1] == '@' || x->s[x->i + 1] == '$')) {
			x->i++;	/* @"verbatim", $"interpolated" */
			continue;
		}
		if (x->php && c == '$' && x->i + 1 < x->n && is_id0((unsigned char)x->s[x->i + 1])) {
			size_t st = ++x->i;
			while (x->i < x->n && is_id((unsigned char)x->s[x->i]))
				x->i++;
			ret = emit(x, TK_VAR, 0, 0, x->s + st, x->i - st);
			continue;
		}
		if (is_id0(c) || (!x->php && c == '$') || (x->lang == WS_LANG_CS && c == '@')) {
			size_t st = x->i++;
			if (c == '@')
				st++;
			while (x->i < x->n && (is_id((unsigned char)x->s[x->i]) ||
			    (!x->php && !x->vb && x->s[x->i] == '$')))
				x->i++;
			if (x->i > st)	/* a lone C# '@' names nothing: no empty identifier */
				ret = emit(x, TK_ID, 0, 0, x->s + st, x->i - st);
			continue;
		}
		if (isdigit(c) || (x->vb && c == '&' && x->i + 1 < x->n &&
		    (x->s[x->i + 1] == 'H' || x->s[x->i + 1] == 'h'))) {
			size_t st = x->i++;
			while (x->i < x->n && (isalnum((unsigned char)x->s[x->i]) || x->s[x->i] == '.'))
				x->i++;
			ret = emit(x, TK_NUM, 0, 0, x->s + st, x->i - st);
			continue;
		}
		if (x->php && c == '<' && at(x, "<?php")) {
			x->i += 5;	/* a stray open tag: a statement boundary */
			ret = emit(x, TK_OP, 0, OP1(';'), NULL, 0);
			continue;
		}
		if (x->php && c == '<' && at(x, "<<<")) {
			int r = lex_heredoc(x);
			if (r <= 0) {
				ret = r;
				continue;
			}
		}
		if (x->lang == WS_LANG_JS && c == '/' && js_regex_start(x)) {
			x->i++;
			while (x->i < x->n && x->s[x->i] != '/' && x->s[x->i] != '\n')
				x->i += x->s[x->i] == '\\' ? 2 : 1;
			x->i++;
			ret = emit(x, TK_STR, 0, 0, "", 0);
			continue;
		}
		if (x->vb && c == ':' && !(x->i + 1 < x->n && x->s[x->i + 1] == '=')) {
			x->i++;
			ret = emit(x, TK_EOS, 0, 0, NULL, 0);
			continue;
		}
		ret = lex_op(x);
	}
	return ret;
}

/* Records the id="..." of a runat=server tag around position p (ASPX controls). */
static void
note_control(struct lx *x, size_t p)
{
	size_t lt = p, gt = p;
	while (lt > 0 && x->s[lt] != '<' && p - lt < 2048)
		lt--;
	while (gt < x->n && x->s[gt] != '>' && gt - p < 2048)
		gt++;
	for (size_t i = lt; i + 3 < gt; i++) {
		if (strncasecmp(x->s + i, "id=", 3) != 0 || (i > lt && is_id((unsigned char)x->s[i - 1])))
			continue;
		size_t v = i + 3;
		char q = x->s[v];
		if (q == '"' || q == '\'')
			v++;
		size_t e = v;
		while (e < gt && is_id((unsigned char)x->s[e]))
			e++;
		if (e == v || x->out->ncontrols >= 256)
			return;
		char *name = ws_dup(x->a, x->s + v, e - v);
		const char **nv = ws_alloc(x->a, (x->out->ncontrols + 1) * sizeof(*nv));
		if (!name || !nv)
			return;
		for (char *q2 = name; *q2; q2++)
			*q2 = (char)tolower((unsigned char)*q2);
		if (x->out->ncontrols)
			memcpy(nv, x->out->controls, x->out->ncontrols * sizeof(*nv));
		nv[x->out->ncontrols++] = name;
		x->out->controls = nv;
		return;
	}
}

/* Markup between code regions: finds the next region and lexes it. */
static int
lex_markup(struct lx *x)
{
	int ret = VG_OK;

	while (x->i < x->n && ret == VG_OK) {
		const char *p = memchr(x->s + x->i, '<', x->n - x->i);
		if (!p)
			break;
		x->i = (size_t)(p - x->s);
		if (x->php) {
			if (at(x, "<?php") || at(x, "<?=") || (at(x, "<?") && x->i + 2 < x->n &&
			    isspace((unsigned char)x->s[x->i + 2]))) {
				x->i += at(x, "<?php") ? 5 : at(x, "<?=") ? 3 : 2;
				ret = lex_code(x, "?>");
				x->i += 2;
			} else {
				x->i++;
			}
			continue;
		}
		if (at(x, "<%--")) {
			const char *e = memmem(x->s + x->i, x->n - x->i, "--%>", 4);
			x->i = e ? (size_t)(e - x->s) + 4 : x->n;
		} else if (at(x, "<%@") || at(x, "<%#") || at(x, "<%:")) {
			const char *e = memmem(x->s + x->i, x->n - x->i, "%>", 2);
			x->i = e ? (size_t)(e - x->s) + 2 : x->n;
		} else if (at(x, "<%")) {
			x->i += 2;
			if (x->i < x->n && (x->s[x->i] == '=' || x->s[x->i] == '!'))
				x->i++;
			ret = lex_code(x, "%>");
			x->i += 2;
		} else if (at(x, "<script")) {
			const char *gt = memchr(x->s + x->i, '>', x->n - x->i);
			size_t ge = gt ? (size_t)(gt - x->s) : x->n;
			const char *ra = memmem(x->s + x->i, ge - x->i, "runat", 5);
			if (!ra)
				ra = memmem(x->s + x->i, ge - x->i, "RUNAT", 5);
			x->i = ge + 1;
			if (ra && gt) {
				ret = lex_code(x, "</script");
			}
		} else {
			size_t ge = x->i + 1;
			while (ge < x->n && x->s[ge] != '>' && ge - x->i < 4096)
				ge++;
			const char *ra = memmem(x->s + x->i, ge - x->i, "unat=", 5);
			if (ra && (x->lang == WS_LANG_CS || x->lang == WS_LANG_VBNET))
				note_control(x, (size_t)(ra - x->s));
			x->i++;
		}
	}
	return ret;
}

/* JSPX: XML entities and jsp:scriptlet elements become plain <% %> code. */
static const char *
jspx_flatten(struct ws_arena *a, const char *s, size_t n, size_t *out_n)
{
	static const struct { const char *from, *to; } map[] = {
		{ "<jsp:scriptlet>", "<%" }, { "</jsp:scriptlet>", "%>" },
		{ "<jsp:declaration>", "<%" }, { "</jsp:declaration>", "%>" },
		{ "<jsp:expression>", "<%" }, { "</jsp:expression>", "%>" },
		{ "<![CDATA[", "" }, { "]]>", "" },
		{ "&lt;", "<" }, { "&gt;", ">" }, { "&amp;", "&" }, { "&quot;", "\"" },
		{ "&apos;", "'" },
	};
	char *d = ws_alloc(a, n + 1);
	size_t o = 0;

	if (!d)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t k;
		for (k = 0; k < sizeof(map) / sizeof(map[0]); k++) {
			size_t l = strlen(map[k].from);
			if ((s[i] == '<' || s[i] == '&' || s[i] == ']') && i + l <= n &&
			    memcmp(s + i, map[k].from, l) == 0) {
				size_t tl = strlen(map[k].to);
				memcpy(d + o, map[k].to, tl);
				o += tl;
				i += l;
				break;
			}
		}
		if (k == sizeof(map) / sizeof(map[0]))
			d[o++] = s[i++];
	}
	d[o] = '\0';
	*out_n = o;
	return d;
}

int
ws_lex(enum ws_lang lang, const char *src, size_t n, bool code_only, struct ws_arena *a,
    struct ws_toks *out)
{
	struct lx x = { .lang = lang, .s = src, .n = n, .a = a, .out = out };
	int ret;

	memset(out, 0, sizeof(*out));
	x.vb = lang == WS_LANG_VBS || lang == WS_LANG_VBNET;
	x.php = lang == WS_LANG_PHP;
	if (lang == WS_LANG_JAVA && !code_only && memmem(src, n, "<jsp:", 5)) {
		if (!(x.s = jspx_flatten(a, src, n, &x.n)))
			return VG_ERR_NOMEM;
	}
	ret = code_only ? lex_code(&x, NULL) : lex_markup(&x);
	if (ret == VG_ERR_LIMIT)
		ret = VG_OK;
	if (ret == VG_OK)
		ret = emit(&x, TK_EOF, 0, 0, NULL, 0);
	return ret;
}
