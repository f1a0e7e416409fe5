/* The webshell taint engine's walker: statements of all four language families over one
 * token stream (expressions are in ws_expr.c), variables in scopes, user functions
 * summarised by which parameters reach which sink. Parsing is deliberately forgiving (any token it
 * does not understand is skipped) and bounded by a step budget, so hostile or broken
 * input costs at most a few passes over its tokens. */
#include "monitor/ws_eng.h"

#include "core/err.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct ws_tok ws_eof_tok = { .type = TK_EOF };
const char ws_dyn_lhs[] = "$$";

/* --- variables --------------------------------------------------------------------- */

static uint32_t
hash_name(const char *s, uint32_t n)
{
	uint32_t h = 2166136261u;
	for (uint32_t i = 0; i < n; i++)
		h = (h ^ (uint32_t)tolower((unsigned char)s[i])) * 16777619u;
	return h;
}

static struct var *
slot(struct eng *e, const char *name, uint32_t n, bool create)
{
	struct scope *sc = e->sc;
	if (!sc->cap) {
		if (!create || !(sc->v = ws_alloc(e->a, 64 * sizeof(*sc->v))))
			return NULL;
		memset(sc->v, 0, 64 * sizeof(*sc->v));
		sc->cap = 64;
	}
	if (create && sc->used * 2 >= sc->cap && sc->cap < (1u << 16)) {
		struct var *nv = ws_alloc(e->a, sc->cap * 2 * sizeof(*nv));
		if (nv) {
			struct var *old = sc->v;
			size_t oc = sc->cap;
			memset(nv, 0, sc->cap * 2 * sizeof(*nv));
			sc->v = nv;
			sc->cap *= 2;
			sc->used = 0;
			for (size_t i = 0; i < oc; i++)
				if (old[i].name)
					*slot(e, old[i].name, old[i].n, true) = old[i], sc->used++;
		}
	}
	for (size_t i = hash_name(name, n) & (sc->cap - 1), k = 0; k < sc->cap;
	    i = (i + 1) & (sc->cap - 1), k++) {
		struct var *v = &sc->v[i];
		if (!v->name) {
			if (!create || sc->used * 4 >= sc->cap * 3)
				return NULL;
			v->name = name;
			v->n = n;
			sc->used++;
			return v;
		}
		if (v->n == n && strncasecmp(v->name, name, n) == 0)
			return v;
	}
	return NULL;
}

struct val
ws_var_get(struct eng *e, const char *name, uint32_t n)
{
	struct val r = { 0 };
	if (e->php) {
		static const char *const super[] = { "_GET", "_POST", "_COOKIE", "_REQUEST", "_FILES",
			"HTTP_RAW_POST_DATA", "HTTP_GET_VARS", "HTTP_POST_VARS", "HTTP_COOKIE_VARS",
			NULL };
		for (size_t i = 0; super[i]; i++)
			if (name_is(name, n, super[i]))
				return (struct val){ .t = T_RAW, .fl = VF_SUPER };
		if (name_is(name, n, "_SERVER"))
			return (struct val){ .tag = TG_SERVER };
		if (name_is(name, n, "GLOBALS"))
			return (struct val){ .tag = TG_GLOBALS };
	}
	struct var *v = slot(e, name, n, false);
	if (v)
		return v->v;
	if (e->sc != &e->glob && !e->php) {
		struct scope *sc = e->sc;
		e->sc = &e->glob;	/* Java/.NET/VB bodies see page-level variables */
		v = slot(e, name, n, false);
		e->sc = sc;
		if (v)
			return v->v;
	}
	if (e->php && e->globals_tainted)
		r.t = T_RAW;
	if (!e->php)
		r.tag = (uint8_t)ws_tag_of_name(name, n);
	return r;
}

void
ws_var_set(struct eng *e, const char *name, uint32_t n, struct val v, bool weak)
{
	struct var *s = slot(e, name, n, true);
	if (!s) {
		e->r->limited = true;
		return;
	}
	if (weak) {
		s->v.t |= v.t;
		s->v.s = NULL;
		if (v.tag && !s->v.tag)
			s->v.tag = v.tag;
	} else {
		s->v = v;
	}
}

struct func *
ws_func_find(struct eng *e, const char *name, size_t n)
{
	if (!e->fn_hash)
		return NULL;
	for (size_t i = hash_name(name, (uint32_t)n) & (e->fn_hcap - 1), k = 0; k < e->fn_hcap;
	    i = (i + 1) & (e->fn_hcap - 1), k++) {
		uint32_t ix = e->fn_hash[i];
		if (!ix)
			return NULL;
		struct func *f = &e->fn[ix - 1];
		if (f->n == n && strncasecmp(f->name, name, n) == 0)
			return f;
	}
	return NULL;
}

static void
index_funcs(struct eng *e)
{
	size_t cap = 16;
	while (cap < e->nfn * 2)
		cap <<= 1;
	if (!e->nfn || !(e->fn_hash = ws_alloc(e->a, cap * sizeof(*e->fn_hash))))
		return;
	memset(e->fn_hash, 0, cap * sizeof(*e->fn_hash));
	e->fn_hcap = cap;
	for (size_t f = 0; f < e->nfn; f++) {
		size_t i = hash_name(e->fn[f].name, e->fn[f].n) & (cap - 1);
		while (e->fn_hash[i])
			i = (i + 1) & (cap - 1);
		e->fn_hash[i] = (uint32_t)f + 1;
	}
}

void
ws_hit(struct eng *e, enum ws_kind k, int weight)
{
	if (weight > e->r->weight[k])
		e->r->weight[k] = weight;
}

void
ws_keep_blob(struct eng *e, const char *s, size_t n)
{
	struct ws_result *r = e->r;
	if (r->nblobs >= WS_MAX_BLOBS || n < 16)
		return;
	for (size_t i = 0; i < r->nblobs; i++)
		if (r->blobs[i].len == n && memcmp(r->blobs[i].data, s, n) == 0)
			return;
	unsigned char *d = malloc(n);
	if (!d)
		return;
	memcpy(d, s, n);
	r->blobs[r->nblobs].data = d;
	r->blobs[r->nblobs++].len = n;
}

/* --- statements ---------------------------------------------------------------------- */

static void
php_foreach(struct eng *e)
{
	e->p++;
	if (!is_op(cur(e), OP1('(')))
		return;
	e->p++;
	struct val src = ws_expr(e, 0);
	while (e->p < e->end && !is_op(cur(e), OP1(')'))) {
		const struct ws_tok *t = cur(e);
		if (t->type == TK_VAR)
			ws_var_set(e, t->s, t->n, (struct val){ .t = src.t }, false);
		e->p++;
	}
}

/* return EXPR: what a function returns feeds its summary */
static void
stmt_return(struct eng *e)
{
	e->p++;
	struct val v = ws_expr(e, 0);
	ws_returns(e, v.t);
}

void
ws_returns(struct eng *e, uint32_t t)
{
	if (!e->cur || (e->cur->ret | t) == e->cur->ret)
		return;
	e->cur->ret |= t;
	e->again |= e->cur->used;
}

static void
vb_statement(struct eng *e)
{
	const struct ws_tok *t = cur(e);
	static const char *const skip[] = { "dim", "set", "const", "private", "public", "call",
		"redim", "let", "preserve", "then", "else", "end", "next", "loop", "wend", "do",
		"exit", "option", "explicit", "on", "error", "resume", "with", "static", "shared",
		"protected", "friend", "to", "step", "try", "catch", "finally", "using", NULL };
	for (size_t i = 0; skip[i]; i++) {
		if (is_kw(t, skip[i])) {
			e->p++;
			return;
		}
	}
	if (is_kw(t, "if") || is_kw(t, "elseif") || is_kw(t, "while") || is_kw(t, "until") ||
	    is_kw(t, "select") || is_kw(t, "case")) {
		e->p++;
		ws_expr(e, 0);
		return;
	}
	if (is_kw(t, "return")) {
		stmt_return(e);
		return;
	}
	if (is_kw(t, "for") && is_kw(peek(e, 1), "each") && peek(e, 2)->type == TK_ID) {
		const struct ws_tok *var = peek(e, 2);
		e->p += 3;
		while (e->p < e->end && cur(e)->type != TK_EOS && !is_kw(cur(e), "in"))
			e->p++;
		e->p++;
		struct val v = ws_expr(e, 0);
		ws_var_set(e, var->s, var->n, (struct val){ .t = v.t }, false);
		return;
	}
	size_t before = e->p;
	struct val l = ws_unary(e);
	const char *name = e->lhs;
	uint32_t n = e->lhs_n;
	bool whole = e->lhs_whole;
	if (is_kw(cur(e), "as")) {	/* Dim x As [New] T(...) */
		e->p++;
		if (is_kw(cur(e), "new"))
			l = ws_ctor(e);
		else
			l = (struct val){ 0 }, e->p++;
		if (name)
			ws_var_set(e, name, n, l, false);
	}
	if (is_op(cur(e), OP1('='))) {
		const struct ws_tok *member = e->member;
		e->p++;
		struct val v = ws_expr(e, 0);
		ws_assign(e, name, n, whole, OP1('='), v, member);
		return;
	}
	if (e->callee && e->callee_member && e->p > before &&
	    (cur(e)->type == TK_EOS || cur(e)->type == TK_EOF)) {
		ws_call(e, e->callee, e->callee_n, W_MEMB, &e->callee_recv, NULL, 0);	/* db.Open */
		return;
	}
	if (e->callee && cur(e)->type != TK_EOS && cur(e)->type != TK_EOF && e->p > before) {
		/* a call without parentheses: obj.Run cmd, 0 / Execute code */
		struct val av[MAX_ARGS];
		int k = 0;
		const char *cn = e->callee;
		uint32_t cl = e->callee_n;
		bool mem = e->callee_member;
		struct val recv = e->callee_recv;
		while (e->p < e->end && cur(e)->type != TK_EOS) {
			size_t b = e->p;
			if (is_op(cur(e), OP1(','))) {
				e->p++;
				continue;
			}
			struct val v = ws_expr(e, 0);
			if (k < MAX_ARGS)
				av[k++] = v;
			if (e->p == b)
				e->p++;
		}
		struct ws_tok nt = { .type = TK_ID, .s = cn, .n = cl };
		ws_call(e, nt.s, nt.n, mem ? W_MEMB : W_FREE, mem ? &recv : NULL, av, k);
	}
}

/* A preg_match pattern that admits only word characters between ^ and $: what it
 * lets through cannot break out of a string or name more than an identifier. */
static bool
word_pattern(const struct ws_tok *t)
{
	if (t->type != TK_STR || (t->flags & TF_INTERP) || t->n < 4)
		return false;
	const char *s = t->s, *end = memrchr(s + 1, s[0], t->n - 1);
	if (!end || end - s < 3 || memchr(end, 'm', t->n - (size_t)(end - s)) ||
	    s[1] != '^' || end[-1] != '$')
		return false;
	bool in_class = false;
	for (const char *c = s + 2; c < end - 1; c++) {
		if (*c == '\\') {
			if (++c >= end - 1 || (*c != 'd' && *c != 'w'))
				return false;
		} else if (*c == '[') {
			if (in_class || c[1] == '^')
				return false;
			in_class = true;
		} else if (*c == ']') {
			in_class = false;
		} else if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-' &&
		    (in_class || !strchr("()+*?{},|", *c))) {
			return false;
		}
	}
	return !in_class;
}

/* if (!preg_match('/^[a-z0-9_]+$/', $x)) return|exit|continue...: after it $x can only
 * be a name (T_WORD): harmless in code or a command line, as when zabbix validates
 * request keys before building an expression from them, still a sink as the name of
 * a function to call. */
static bool
php_guard(struct eng *e)
{
	static const char *const leave[] = { "return", "exit", "die", "continue", "break",
		"throw", NULL };
	const struct ws_tok *v = peek(e, 7), *x = peek(e, 10);
	if (!is_op(peek(e, 1), OP1('(')) || !is_op(peek(e, 2), OP1('!')) ||
	    !is_kw(peek(e, 3), "preg_match") || !is_op(peek(e, 4), OP1('(')) ||
	    !word_pattern(peek(e, 5)) || !is_op(peek(e, 6), OP1(',')) || v->type != TK_VAR ||
	    !is_op(peek(e, 8), OP1(')')) || !is_op(peek(e, 9), OP1(')')))
		return false;
	if (is_op(x, OP1('{')))
		x = peek(e, 11);
	for (size_t i = 0; leave[i]; i++) {
		if (is_kw(x, leave[i])) {
			ws_var_set(e, v->s, v->n, (struct val){ .t = T_WORD }, false);
			e->p += 10;
			return true;
		}
	}
	return false;
}

static void
c_statement(struct eng *e)
{
	const struct ws_tok *t = cur(e);
	static const char *const skip[] = { "echo", "print", "else", "do", "try", "finally", "case",
		"default", "throw", "global", "static", "public", "private", "protected", "final",
		"abstract", "var", "const", "goto", "yield", "elseif", "if", "while", "for",
		"switch", "catch", "foreach", "unset", "declare", "using", "lock", NULL };
	if (e->php && is_kw(t, "foreach")) {
		php_foreach(e);
		return;
	}
	if (is_kw(t, "return")) {
		stmt_return(e);
		return;
	}
	if (e->php && is_kw(t, "if") && php_guard(e))
		return;
	/* lower case only: Java's and C#'s "Class c = ..." is a declaration */
	if ((t->type == TK_ID && islower((unsigned char)t->s[0])) && (is_kw(t, "class") ||
	    is_kw(t, "interface") || is_kw(t, "trait") || is_kw(t, "namespace") ||
	    is_kw(t, "import") || is_kw(t, "package") || (e->php && is_kw(t, "use")))) {
		while (e->p < e->end && !is_op(cur(e), OP1('{')) && !is_op(cur(e), OP1(';')))
			e->p++;
		e->p++;
		return;
	}
	for (size_t i = 0; skip[i]; i++) {
		if (is_kw(t, skip[i])) {
			e->p++;
			return;
		}
	}
	ws_expr(e, 0);
}

void
ws_block(struct eng *e, size_t from, size_t to)
{
	size_t save_p = e->p, save_end = e->end, fi = 0;
	e->p = from;
	e->end = to;
	while (e->p < e->end && budget(e)) {
		while (fi < e->nfn && e->fn[fi].def < e->p)
			fi++;
		if (fi < e->nfn && e->fn[fi].def == e->p && e->fn[fi].body1 <= to) {
			e->p = e->fn[fi].body1 + 1;	/* analysed on its own */
			continue;
		}
		const struct ws_tok *t = cur(e);
		if (t->type == TK_EOS || is_op(t, OP1(';')) || is_op(t, OP1('{')) ||
		    is_op(t, OP1('}')) || is_op(t, OP1(',')) || is_op(t, OP1(')'))) {
			e->p++;
			continue;
		}
		size_t before = e->p;
		if (e->vb)
			vb_statement(e);
		else
			c_statement(e);
		if (e->p == before)
			e->p++;
	}
	e->p = save_p;
	e->end = save_end;
}

/* --- functions ----------------------------------------------------------------------- */

static size_t
match_close(const struct eng *e, size_t i, uint32_t open, uint32_t close)
{
	int d = 0;
	for (; i < e->tk.n; i++) {
		const struct ws_tok *t = &e->tk.v[i];
		d += is_op(t, open);
		if (is_op(t, close) && --d == 0)
			return i;
	}
	return e->tk.n - 1;
}

static bool
add_func(struct eng *e, const struct ws_tok *name, size_t def, size_t p0, size_t p1, size_t b0,
    size_t b1)
{
	if (e->nfn % 16 == 0) {
		struct func *nf = ws_alloc(e->a, (e->nfn + 16) * sizeof(*nf));
		if (!nf)
			return false;
		if (e->nfn)
			memcpy(nf, e->fn, e->nfn * sizeof(*nf));
		e->fn = nf;
	}
	struct func *f = &e->fn[e->nfn++];
	memset(f, 0, sizeof(*f));
	f->name = name->s;
	f->n = name->n;
	f->def = def;
	f->body0 = b0;
	f->body1 = b1;
	/* a parameter is the last name of each comma-separated group */
	const struct ws_tok *last = NULL;
	for (size_t i = p0; i <= p1 && f->np < MAX_PARAMS; i++) {
		const struct ws_tok *t = &e->tk.v[i];
		if (is_op(t, OP1(',')) || i == p1) {
			if (last) {
				f->param[f->np] = last->s;
				f->plen[f->np++] = last->n;
			}
			last = NULL;
		} else if (is_op(t, OP1('=')) || is_kw(t, "as")) {
			while (i + 1 < p1 && !is_op(&e->tk.v[i + 1], OP1(',')))
				i++;
		} else if ((e->php && t->type == TK_VAR) || (!e->php && t->type == TK_ID &&
		    !is_kw(t, "byval") && !is_kw(t, "byref") && !is_kw(t, "optional"))) {
			last = t;
		}
	}
	return e->nfn < 4096;
}

static void
find_funcs(struct eng *e)
{
	static const char *const notfn[] = { "if", "for", "while", "switch", "catch", "return",
		"synchronized", "using", "foreach", "lock", "fixed", "new", "else", "function", NULL };
	for (size_t i = 0; i + 2 < e->tk.n; i++) {
		const struct ws_tok *t = &e->tk.v[i];
		const struct ws_tok *prev = i ? &e->tk.v[i - 1] : &ws_eof_tok;
		size_t def = i, name = 0, p0, p1, b0, b1;
		if (e->vb && (is_kw(t, "sub") || is_kw(t, "function")) &&
		    !is_kw(prev, "end") && !is_kw(prev, "exit") &&
		    e->tk.v[i + 1].type == TK_ID) {
			name = i + 1;
			p0 = p1 = name + 1;
			if (is_op(&e->tk.v[p0], OP1('(')))
				p1 = match_close(e, p0, OP1('('), OP1(')'));
			b0 = p1 + 1;
			for (b1 = b0; b1 + 1 < e->tk.n; b1++)
				if (is_kw(&e->tk.v[b1], "end") && (is_kw(&e->tk.v[b1 + 1], "sub") ||
				    is_kw(&e->tk.v[b1 + 1], "function")))
					break;
		} else if (!e->vb && is_kw(t, "function") && (e->php || e->lang == WS_LANG_JS)) {
			name = i + 1 + is_op(&e->tk.v[i + 1], OP1('&'));
			if (name >= e->tk.n || e->tk.v[name].type != TK_ID ||
			    !is_op(&e->tk.v[name + 1], OP1('(')))
				continue;
			p0 = name + 1;
			p1 = match_close(e, p0, OP1('('), OP1(')'));
			for (b0 = p1 + 1; b0 < e->tk.n && !is_op(&e->tk.v[b0], OP1('{')) &&
			    !is_op(&e->tk.v[b0], OP1(';')); b0++)
				;
			if (b0 >= e->tk.n || !is_op(&e->tk.v[b0], OP1('{')))
				continue;
			b1 = match_close(e, b0, OP1('{'), OP1('}'));
			b0++;
		} else if (!e->vb && !e->php && t->type == TK_ID && is_op(&e->tk.v[i + 1], OP1('(')) &&
		    (prev->type == TK_ID || is_op(prev, OP1('>')) || is_op(prev, OP1(']')))) {
			bool bad = false;
			for (size_t k = 0; notfn[k]; k++)
				bad |= is_kw(t, notfn[k]) || is_kw(prev, notfn[k]);
			if (bad)
				continue;
			name = i;
			p0 = i + 1;
			p1 = match_close(e, p0, OP1('('), OP1(')'));
			b0 = p1 + 1;
			if (b0 < e->tk.n && is_kw(&e->tk.v[b0], "throws"))
				while (b0 < e->tk.n && !is_op(&e->tk.v[b0], OP1('{')) &&
				    !is_op(&e->tk.v[b0], OP1(';')))
					b0++;
			if (b0 >= e->tk.n || !is_op(&e->tk.v[b0], OP1('{')))
				continue;
			b1 = match_close(e, b0, OP1('{'), OP1('}'));
			b0++;
		} else {
			continue;
		}
		if (!add_func(e, &e->tk.v[name], def, p0 + 1, p1, b0, b1))
			return;
		i = e->vb ? b1 : i;
	}
}

/* Pass 1 summarises each function (twice, so helpers calling helpers are seen);
 * pass 2 walks the page-level code with those summaries. */
static void
run(struct eng *e)
{
	find_funcs(e);
	index_funcs(e);
	if (!e->php && e->nfn)
		ws_block(e, 0, e->tk.n);	/* page-level objects (fso, conn) seen by the bodies */
	/* a second pass only when a summary grew after a caller had read it */
	e->again = true;
	for (int it = 0; it < 2 && e->again; it++) {
		e->again = false;
		for (size_t i = 0; i < e->nfn; i++)
			e->fn[i].used = false;
		for (size_t i = 0; i < e->nfn; i++) {
			struct scope sc = { 0 };
			struct func *f = &e->fn[i];
			e->sc = &sc;
			e->cur = f;
			for (int k = 0; k < f->np; k++)
				ws_var_set(e, f->param[k], f->plen[k],
				    (struct val){ .t = 1u << (8 + k) }, false);
			ws_block(e, f->body0, f->body1);
		}
	}
	e->sc = &e->glob;
	e->cur = NULL;
	ws_block(e, 0, e->tk.n);
}

static int
analyze(struct ws_result *r, struct ws_arena *a, enum ws_lang lang, const char *s, size_t n,
    bool code_only, int depth)
{
	struct eng e = { .lang = lang, .a = a, .r = r, .depth = depth };
	int ret;

	e.vb = lang == WS_LANG_VBS || lang == WS_LANG_VBNET;
	e.php = lang == WS_LANG_PHP;
	e.tab = ws_table_for(lang);
	if (!e.tab)
		return VG_OK;
	ret = ws_lex(lang, s, n, code_only, a, &e.tk);
	if (ret != VG_OK)
		goto out;
	r->limited |= e.tk.limited;
	e.end = e.tk.n;
	e.max_steps = (long)e.tk.n * 8 + 10000;
	e.sc = &e.glob;
	run(&e);
	int ops = __builtin_popcount(e.fileops & ~(1u << 30));
	if (ops)
		ws_hit(&e, WS_K_FILEOPS, ops >= 3 ? 75 : ops == 2 ? 20 : 0);
	if (e.db == 3)
		ws_hit(&e, WS_K_DB, 80);
	else if (e.db)
		ws_hit(&e, WS_K_DB, e.db == 1 ? 30 : 20);
	if (e.xslt == 3)
		ws_hit(&e, WS_K_XSLT, 85);
out:
	free(e.tk.v);
	return ret;
}

void
ws_nested(struct eng *e, enum ws_lang lang, const char *s, size_t n)
{
	if (e->depth + 1 >= WS_MAX_DEPTH || n < 4)
		return;
	ws_keep_blob(e, s, n);
	bool markup = lang == WS_LANG_PHP ? memmem(s, n, "<?", 2) != NULL : memmem(s, n, "<%", 2) != NULL;
	analyze(e->r, e->a, lang, s, n, !markup, e->depth + 1);
}

int
ws_analyze(enum ws_lang lang, const unsigned char *data, size_t len, struct ws_result *r)
{
	struct ws_arena a = { 0 };
	int ret;

	memset(r, 0, sizeof(*r));
	r->lang = lang;
	if (lang == WS_LANG_NONE)
		return VG_OK;
	ret = analyze(r, &a, lang, (const char *)data, len, false, 0);
	if (a.used >= WS_MAX_ARENA - (1u << 20))
		r->limited = true;
	ws_arena_free(&a);
	int best = 0, strong = 0;
	for (int k = 0; k < WS_K_MAX; k++) {
		if (r->weight[k] > best)
			best = r->weight[k];
		strong += r->weight[k] >= 40;
	}
	r->score = best + (strong > 1 ? 10 : 0);
	if (r->score > 100)
		r->score = 100;
	return ret == VG_ERR_NOMEM ? VG_ERR_NOMEM : VG_OK;
}

void
ws_result_free(struct ws_result *r)
{
	for (size_t i = 0; i < r->nblobs; i++)
		free(r->blobs[i].data);
	r->nblobs = 0;
}
