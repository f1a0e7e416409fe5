/* The webshell taint engine's walker: statements and expressions of all four language
 * families over one token stream, variables in scopes, user functions summarised by
 * which parameters reach which sink. Parsing is deliberately forgiving (any token it
 * does not understand is skipped) and bounded by a step budget, so hostile or broken
 * input costs at most a few passes over its tokens. */
#include "monitor/ws_eng.h"

#include "core/err.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct ws_tok eof_tok = { .type = TK_EOF };
static const char dyn_lhs[] = "$$";	/* assignment to a variable variable */

static const struct ws_tok *
cur(const struct eng *e)
{
	return e->p < e->end ? &e->tk.v[e->p] : &eof_tok;
}

static const struct ws_tok *
peek(const struct eng *e, size_t k)
{
	return e->p + k < e->end ? &e->tk.v[e->p + k] : &eof_tok;
}

static bool
is_op(const struct ws_tok *t, uint32_t op)
{
	return t->type == TK_OP && t->op == op;
}

static bool
is_kw(const struct ws_tok *t, const char *kw)
{
	if (t->type != TK_ID || (t->s[0] | 0x20) != kw[0])
		return false;
	size_t l = strlen(kw);
	return t->n == l && strncasecmp(t->s, kw, l) == 0;
}

static bool
budget(struct eng *e)
{
	if (++e->steps <= e->max_steps && e->nest < 200)
		return true;
	e->r->limited = true;
	e->p = e->end;
	return false;
}

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

static bool
name_is(const char *s, uint32_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
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

/* --- expressions ------------------------------------------------------------------- */

static struct val expr(struct eng *e, int minprec);
static struct val unary(struct eng *e);
static void block(struct eng *e, size_t from, size_t to);

static void
set_lhs(struct eng *e, const char *name, uint32_t n, bool whole)
{
	e->lhs = name;
	e->lhs_n = n;
	e->lhs_whole = whole;
}

/* Taint of the $variables interpolated into a PHP string. */
static struct val
interp(struct eng *e, const struct ws_tok *t)
{
	struct val r = { 0 };
	for (uint32_t i = 0; i + 1 < t->n; i++) {
		if (t->s[i] == '\\') {
			i++;
			continue;
		}
		if (t->s[i] != '$')
			continue;
		uint32_t st = i + 1, k = st;
		while (k < t->n && (isalnum((unsigned char)t->s[k]) || t->s[k] == '_'))
			k++;
		if (k > st)
			r.t |= ws_var_get(e, t->s + st, k - st).t;
	}
	return r;
}

/* Arguments up to the closing parenthesis; names[i] = the variable argument i names. */
static int
args(struct eng *e, struct val *av, const char **names, uint32_t *nlen)
{
	int n = 0;
	uint32_t close = is_op(cur(e), OP1('[')) ? OP1(']') : OP1(')');

	e->p++;
	while (e->p < e->end && !is_op(cur(e), close)) {
		if (is_op(cur(e), OP1(',')) || is_kw(cur(e), "ref") || is_kw(cur(e), "out") ||
		    is_kw(cur(e), "byval")) {
			e->p++;
			continue;
		}
		if (cur(e)->type == TK_ID && is_op(peek(e, 1), OP1(':')) && !is_op(peek(e, 2), OP1(':')))
			e->p += 2;	/* named argument */
		size_t before = e->p;
		e->lhs = NULL;
		struct val v = expr(e, 0);
		if (n < MAX_ARGS) {
			if (names) {
				names[n] = e->lhs;
				nlen[n] = e->lhs_n;
			}
			av[n++] = v;
		} else {
			av[n - 1].t |= v.t;
		}
		if (e->p == before)
			e->p++;
		if (is_op(cur(e), OP1(';')) || cur(e)->type == TK_EOS)
			break;
	}
	if (is_op(cur(e), close))
		e->p++;
	return n;
}

/* Array literal [..], array(..) or {..}: taint of all elements. */
static struct val
array_lit(struct eng *e, uint32_t close)
{
	struct val r = { 0 };
	e->p++;
	while (e->p < e->end && !is_op(cur(e), close)) {
		size_t before = e->p;
		if (is_op(cur(e), OP1(',')) || is_op(cur(e), OP2('=', '>'))) {
			e->p++;
			continue;
		}
		struct val v = expr(e, 0);
		r.t |= v.t;
		if (e->p == before)
			e->p++;
	}
	e->p++;
	return r;
}

/* PHP callers that write request data into variables by name. */
static void
php_specials(struct eng *e, const char *ln, struct val *av, const char **names, uint32_t *nlen,
    int n)
{
	if (!n)
		return;
	if (((strcmp(ln, "extract") == 0 || (strcmp(ln, "parse_str") == 0 && n == 1) ||
	    strcmp(ln, "mb_parse_str") == 0) && (av[0].t & T_RAW)) ||
	    strcmp(ln, "import_request_variables") == 0)
		e->globals_tainted = true;
	if (strcmp(ln, "parse_str") == 0 && n > 1 && names[1])
		ws_var_set(e, names[1], nlen[1], av[0], false);
}

static struct val
call_named(struct eng *e, const struct ws_tok *name, int where, const struct val *recv)
{
	struct val av[MAX_ARGS];
	const char *names[MAX_ARGS];
	uint32_t nlen[MAX_ARGS];
	char ln[64];
	int n = args(e, av, names, nlen);

	e->margs = 0;
	for (int i = 0; i < n; i++)
		e->margs |= av[i].t;
	if (e->php && where == W_FREE && ws_lower(name->s, name->n, ln, sizeof(ln)))
		php_specials(e, ln, av, names, nlen, n);
	return ws_call(e, name->s, name->n, where, recv, av, n);
}

static struct val
ctor(struct eng *e)
{
	const struct ws_tok *name = NULL;
	struct val r = { 0 };

	e->p++;
	while (cur(e)->type == TK_ID || is_op(cur(e), OP1('.')) || is_op(cur(e), OP1('\\'))) {
		if (cur(e)->type == TK_ID)
			name = cur(e);
		e->p++;
		if (is_op(cur(e), OP1('<'))) {	/* generic arguments */
			int d = 0;
			do {
				d += is_op(cur(e), OP1('<')) - is_op(cur(e), OP1('>'));
				e->p++;
			} while (d > 0 && e->p < e->end);
		}
	}
	if (is_op(cur(e), OP1('['))) {	/* new T[] { ... } / new T[n] */
		while (e->p < e->end && is_op(cur(e), OP1('[')))
			r.t |= array_lit(e, OP1(']')).t;
	}
	if (name && is_op(cur(e), OP1('(')))
		r = call_named(e, name, W_NEW, NULL);
	if (is_op(cur(e), OP1('{'))) {
		struct val b = array_lit(e, OP1('}'));	/* initialiser: { FileName = x } */
		r.t |= b.t;
	}
	return r;
}

static struct val
number(const struct ws_tok *t)
{
	char b[32];
	struct val r = { .fl = VF_NUM, .s = t->s, .n = t->n };
	size_t n = t->n < sizeof(b) - 1 ? t->n : sizeof(b) - 1;
	memcpy(b, t->s, n);
	b[n] = '\0';
	if (b[0] == '&' && (b[1] == 'h' || b[1] == 'H'))
		r.num = strtoll(b + 2, NULL, 16);
	else
		r.num = strtoll(b, NULL, 0);
	return r;
}

static struct val php_variable_in(struct eng *e);

/* $name, $$name, ${expr}; recursion is bounded like expressions' */
static struct val
php_variable(struct eng *e)
{
	struct val v = { 0 };
	if (!budget(e))
		return v;
	e->nest++;
	v = php_variable_in(e);
	e->nest--;
	return v;
}

static struct val
php_variable_in(struct eng *e)
{
	const struct ws_tok *t = cur(e);
	if (t->type == TK_VAR) {
		e->p++;
		set_lhs(e, t->s, t->n, true);
		return ws_var_get(e, t->s, t->n);
	}
	e->p++;	/* '$' */
	struct val nv;
	if (is_op(cur(e), OP1('{'))) {
		e->p++;
		nv = expr(e, 0);
		if (is_op(cur(e), OP1('}')))
			e->p++;
	} else {
		nv = php_variable(e);
	}
	if (nv.s && nv.n) {
		set_lhs(e, nv.s, nv.n, true);
		return ws_var_get(e, nv.s, nv.n);
	}
	set_lhs(e, dyn_lhs, 2, true);
	return (struct val){ .t = nv.t & T_RAW };
}

static struct val
primary(struct eng *e)
{
	const struct ws_tok *t = cur(e);
	struct val r = { 0 };

	e->callee = NULL;
	e->member = NULL;
	set_lhs(e, NULL, 0, false);
	switch (t->type) {
	case TK_VAR:
		return php_variable(e);
	case TK_STR:
		e->p++;
		if (t->flags & TF_INTERP)
			r = interp(e, t);
		else
			r = (struct val){ .s = t->s, .n = t->n };
		if (t->flags & TF_BACKTICK)
			ws_sink(e, WS_K_EXEC, r.t, 85);
		if (e->php && t->n == 11 && strncasecmp(t->s, "php://input", 11) == 0)
			r.t = T_RAW;
		return r;
	case TK_NUM:
		e->p++;
		return number(t);
	case TK_OP:
		if (e->php && is_op(t, OP1('$')))
			return php_variable(e);
		if (is_op(t, OP1('[')) && (e->php || e->lang == WS_LANG_JS || e->lang == WS_LANG_CS))
			return array_lit(e, OP1(']'));
		if (is_op(t, OP1('{')) && !e->php)
			return array_lit(e, OP1('}'));
		e->p++;
		return r;
	case TK_ID:
		break;
	default:
		e->p++;
		return r;
	}
	if (is_kw(t, "new"))
		return ctor(e);
	if (e->php && (is_kw(t, "array") || is_kw(t, "list")) && is_op(peek(e, 1), OP1('('))) {
		e->p++;
		return array_lit(e, OP1(')'));
	}
	if ((e->php || e->lang == WS_LANG_JS) && (is_kw(t, "function") || is_kw(t, "fn"))) {
		/* closure: its body runs in this scope, good enough for one file */
		e->p++;
		while (e->p < e->end && !is_op(cur(e), OP1('{')) && !is_op(cur(e), OP2('=', '>')))
			e->p++;
		if (is_op(cur(e), OP2('=', '>'))) {
			e->p++;
			return expr(e, 0);
		}
		size_t b0 = e->p + 1, d = 0;
		for (; e->p < e->end; e->p++) {
			d += is_op(cur(e), OP1('{'));
			if (is_op(cur(e), OP1('}')) && --d == 0)
				break;
		}
		size_t b1 = e->p++;
		block(e, b0, b1);
		return r;
	}
	e->p++;
	if (is_op(cur(e), OP1('('))) {
		struct val v = ws_var_get(e, t->s, t->n);
		struct func *uf = ws_func_find(e, t->s, t->n);
		if (!e->php && !uf && (v.tag == TG_REQUEST || (v.t && !is_kw(t, "eval") &&
		    !is_kw(t, "execute")))) {
			/* VB / JScript indexing: Request("x"), arr(i) */
			struct val av[MAX_ARGS];
			int n = args(e, av, NULL, NULL);
			(void)n;
			set_lhs(e, t->s, t->n, false);
			return (struct val){ .t = v.tag == TG_REQUEST ? T_RAW : v.t };
		}
		return call_named(e, t, W_FREE, NULL);
	}
	if (e->php && is_op(cur(e), OP2(':', ':'))) {
		r.tag = (uint8_t)ws_tag_of_name(t->s, t->n);
		return r;
	}
	if (e->php && cur(e)->type != TK_OP && cur(e)->type != TK_EOF &&
	    ((t->s[0] | 0x20) == 'i' || (t->s[0] | 0x20) == 'r') && t->n <= 12) {
		char ln[16];
		const struct ws_fn *f = ws_lower(t->s, t->n, ln, sizeof(ln)) ?
		    ws_lookup(e->tab, ln, W_FREE, 0) : NULL;
		if (f && f->kind == S_INCLUDE) {	/* include $x; */
			struct val a = expr(e, 0);
			return ws_call(e, t->s, t->n, W_FREE, NULL, &a, 1);
		}
	}
	if (e->php) {
		/* a constant: its value is unknown but not the request's */
		r.s = t->s;
		r.n = t->n;
		return r;
	}
	set_lhs(e, t->s, t->n, true);
	e->callee = t->s;
	e->callee_n = t->n;
	e->callee_member = false;
	r = ws_var_get(e, t->s, t->n);
	for (size_t i = 0; i < e->tk.ncontrols; i++)
		if (strlen(e->tk.controls[i]) == t->n && strncasecmp(e->tk.controls[i], t->s, t->n) == 0)
			r.tag = TG_CONTROL;
	return r;
}

static struct val
index_of(struct eng *e, struct val base, struct val idx)
{
	struct val r = { .t = base.t | (idx.t & T_RAW && base.tag == TG_REQUEST ? T_RAW : 0) };
	if (base.tag == TG_REQUEST)
		r.t = T_RAW;
	if (base.tag == TG_SERVER && idx.s) {
		static const char *const keys[] = { "QUERY_STRING", "REQUEST_URI", "PATH_INFO",
			"PHP_SELF", "HTTP_", NULL };
		for (size_t i = 0; keys[i]; i++)
			if (idx.n >= strlen(keys[i]) && strncmp(idx.s, keys[i], strlen(keys[i])) == 0)
				r.t = T_RAW;
	}
	if (base.fl & VF_SUPER) {
		r.fl |= VF_SUPER;
		/* $_FILES[..]['tmp_name'] is a path PHP chose, not the client */
		if (idx.s && (name_is(idx.s, idx.n, "tmp_name") || name_is(idx.s, idx.n, "size") ||
		    name_is(idx.s, idx.n, "error")))
			r.t = 0;
	}
	if (base.tag == TG_GLOBALS && idx.s && idx.n)
		r = ws_var_get(e, idx.s, idx.n);
	if (base.s && (idx.fl & VF_NUM) && idx.num >= 0 && idx.num < base.n) {
		r.s = base.s + idx.num;	/* "abc"[1] */
		r.n = 1;
		r.fl = VF_COMPUTED;
	}
	return r;
}

static struct val
postfix(struct eng *e, struct val v)
{
	for (;;) {
		const struct ws_tok *t = cur(e);
		if (!budget(e))
			return v;
		if (is_op(t, OP1('['))) {
			e->p++;
			struct val idx = expr(e, 0);
			if (is_op(cur(e), OP1(']')))
				e->p++;
			v = index_of(e, v, idx);
			e->lhs_whole = false;
			e->callee = NULL;
		} else if (is_op(t, OP1('('))) {
			/* a call through a value: $f(), ('sys'.'tem')(), $_GET['f']() */
			struct val av[MAX_ARGS];
			struct val fv = v;
			int n = args(e, av, NULL, NULL);
			if (!e->php) {
				/* VB and JScript index with parentheses: Request.Form("x"), a(i) */
				e->callee = NULL;
				continue;
			}
			v = (struct val){ 0 };
			if (fv.t & (T_RAW | T_PARAMS))
				ws_sink(e, WS_K_DYNCALL, fv.t, 80);
			if (fv.s && fv.n) {
				struct ws_result before = *e->r;
				v = ws_call(e, fv.s, fv.n, W_FREE, NULL, av, n);
				bool sink = false;
				for (int k = 0; k < WS_K_MAX; k++)
					sink |= e->r->weight[k] != before.weight[k];
				char ln[64];
				const struct ws_fn *f = ws_lower(fv.s, fv.n, ln, sizeof(ln)) ?
				    ws_lookup(e->tab, ln, W_FREE, 0) : NULL;
				if ((fv.fl & VF_COMPUTED) && f && f->kind >= S_CODE && f->kind <= S_INVOKE)
					sink = true;
				if (sink && (fv.fl & VF_COMPUTED))
					ws_hit(e, WS_K_DYNCALL, 80);
			}
			e->callee = NULL;
		} else if (is_op(t, OP2('-', '>')) || is_op(t, OP3('?', '-', '>')) ||
		    is_op(t, OP2(':', ':')) || (!e->php && is_op(t, OP1('.')))) {
			e->p++;
			const struct ws_tok *m = cur(e);
			if (m->type == TK_VAR || is_op(m, OP1('$'))) {
				struct val mv = php_variable(e);	/* $obj->$name() */
				if (is_op(cur(e), OP1('('))) {
					struct val av[MAX_ARGS];
					args(e, av, NULL, NULL);
					ws_sink(e, WS_K_DYNCALL, mv.t, 80);
				}
				v = (struct val){ .t = v.t ? T_DER : 0 };
				continue;
			}
			if (m->type != TK_ID)
				continue;
			e->p++;
			const char *root = e->lhs;
			uint32_t root_n = e->lhs_n;
			if (is_op(cur(e), OP1('('))) {
				struct val recv = v;
				v = call_named(e, m, W_MEMB, &recv);
				/* builders and setters: sb.append(x), psi.set(x) taint the object */
				uint32_t at = v.t & ~recv.t;
				if (e->php)	/* $doc->loadXML($_POST['x']): the object now holds it */
					at = e->margs & T_ANY ? T_DER : 0;
				if (root && root != dyn_lhs && at)
					ws_var_set(e, root, root_n, (struct val){ .t = at }, true);
				set_lhs(e, root, root_n, false);
				e->callee = NULL;
			} else {
				struct val recv = v;
				char ln[64];
				v = (struct val){ .t = recv.tag == TG_REQUEST ? 0 : recv.t,
					.tag = recv.tag == TG_REQUEST ? TG_NONE : recv.tag };
				if (!e->php && v.tag == TG_NONE)	/* java.nio.file.Files */
					v.tag = (uint8_t)ws_tag_of_name(m->s, m->n);
				if (ws_lower(m->s, m->n, ln, sizeof(ln))) {
					const struct ws_fn *f = ws_lookup(e->tab, ln, W_MEMB, recv.tag);
					if (recv.tag == TG_REQUEST && f && f->kind == F_SRC)
						v.t = T_RAW;
					if (recv.tag == TG_CONTROL && (!strcmp(ln, "text") ||
					    !strcmp(ln, "value") || !strcmp(ln, "selectedvalue")))
						v.t = T_RAW;
					if (f && f->kind == F_WEBROOT)
						v.fl |= VF_WEBROOT;
				}
				set_lhs(e, root, root_n, false);
				e->member = m;
				e->callee = m->s;
				e->callee_n = m->n;
				e->callee_member = true;
				e->callee_recv = recv;
			}
		} else if (is_op(t, OP2('+', '+')) || is_op(t, OP2('-', '-')) ||
		    (!e->php && is_op(t, OP1('!')))) {
			e->p++;
		} else {
			return v;
		}
	}
}

static struct val unary_in(struct eng *e);

static struct val
unary(struct eng *e)
{
	struct val v = { 0 };
	if (!budget(e))
		return v;
	e->nest++;
	v = unary_in(e);
	e->nest--;
	return v;
}

static struct val
unary_in(struct eng *e)
{
	const struct ws_tok *t = cur(e);
	if (t->type == TK_OP && (t->op == OP1('!') || t->op == OP1('-') || t->op == OP1('~') ||
	    t->op == OP1('+') || t->op == OP1('@') || t->op == OP1('&') || t->op == OP2('+', '+') ||
	    t->op == OP2('-', '-') || t->op == OP1('*'))) {
		e->p++;
		struct val v = unary(e);
		if (t->op == OP1('!') || t->op == OP1('-') || t->op == OP1('~'))
			v = (struct val){ 0 };
		return v;
	}
	if (is_kw(t, "not") || (is_kw(t, "typeof") && !is_op(peek(e, 1), OP1('('))) || is_kw(t, "await") || is_kw(t, "clone") ||
	    (e->php && (is_kw(t, "print") || is_kw(t, "echo")))) {
		e->p++;
		struct val v = unary(e);
		return is_kw(t, "not") || is_kw(t, "typeof") ? (struct val){ 0 } : v;
	}
	if (is_op(t, OP1('('))) {
		e->p++;
		size_t inner = e->p;
		struct val v = expr(e, 0);
		bool single = e->p == inner + 1 && e->tk.v[inner].type == TK_ID;
		if (is_op(cur(e), OP1(')')))
			e->p++;
		const struct ws_tok *n = cur(e);
		if (single && (n->type == TK_ID || n->type == TK_VAR || n->type == TK_STR ||
		    n->type == TK_NUM || is_op(n, OP1('(')) || is_op(n, OP1('$')))) {
			const struct ws_tok *ct = &e->tk.v[inner];	/* a cast */
			v = unary(e);
			if (is_kw(ct, "int") || is_kw(ct, "integer") || is_kw(ct, "float") ||
			    is_kw(ct, "bool") || is_kw(ct, "boolean") || is_kw(ct, "double"))
				v = (struct val){ 0 };
			return v;
		}
		e->callee = NULL;
		set_lhs(e, NULL, 0, false);
		return postfix(e, v);
	}
	return postfix(e, primary(e));
}

enum opclass { OC_NONE, OC_CONCAT, OC_XOR, OC_CLEAN, OC_OR };

static int
binop(const struct eng *e, const struct ws_tok *t, enum opclass *oc)
{
	*oc = OC_CLEAN;
	if (t->type == TK_ID) {
		if (is_kw(t, "or") || is_kw(t, "orelse"))
			return 3;
		if (is_kw(t, "and") || is_kw(t, "andalso"))
			return 4;
		if (is_kw(t, "xor"))
			return 5;
		if (is_kw(t, "mod") || is_kw(t, "like") || is_kw(t, "is") || is_kw(t, "instanceof"))
			return 9;
		return 0;
	}
	if (t->type != TK_OP)
		return 0;
	switch (t->op) {
	case OP2('?', '?'): *oc = OC_OR; return 2;
	case OP2('|', '|'): return 3;
	case OP2('&', '&'): return 4;
	case OP1('|'): return 5;
	case OP1('^'): *oc = e->vb ? OC_CLEAN : OC_XOR; return e->vb ? 13 : 6;
	case OP1('&'): *oc = e->vb ? OC_CONCAT : OC_CLEAN; return e->vb ? 11 : 7;
	case OP2('=', '='): case OP2('!', '='): case OP3('=', '=', '='): case OP3('!', '=', '='):
	case OP2('<', '>'): case OP3('<', '=', '>'):
		return 8;
	case OP1('='): return e->vb ? 8 : 0;
	case OP1('<'): case OP1('>'): case OP2('<', '='): case OP2('>', '='): return 9;
	case OP2('<', '<'): case OP2('>', '>'): return 10;
	case OP1('.'): *oc = e->php ? OC_CONCAT : OC_NONE; return e->php ? 11 : 0;
	case OP1('+'): *oc = e->php ? OC_CLEAN : OC_CONCAT; return 11;
	case OP1('-'): return 11;
	case OP1('*'): case OP1('/'): case OP1('%'): case OP1('\\'): return 12;
	case OP2('*', '*'): return 13;
	}
	return 0;
}

static struct val
xor_fold(struct eng *e, struct val a, struct val b)
{
	struct val r = { .t = a.t | b.t };
	if ((a.fl & VF_NUM) && (b.fl & VF_NUM)) {
		r.fl = VF_NUM;
		r.num = a.num ^ b.num;
		return r;
	}
	if (a.s && b.s && !(a.fl & VF_NUM) && !(b.fl & VF_NUM)) {
		uint32_t n = a.n < b.n ? a.n : b.n;
		char *d = ws_alloc(e->a, n + 1);
		if (!d)
			return r;
		for (uint32_t i = 0; i < n; i++)
			d[i] = (char)(a.s[i] ^ b.s[i]);
		d[n] = '\0';
		r.s = d;
		r.n = n;
		r.fl = VF_COMPUTED;
	}
	return r;
}

static bool
is_assign(const struct eng *e, const struct ws_tok *t)
{
	if (t->type != TK_OP)
		return false;
	switch (t->op) {
	case OP1('='): return !e->vb;
	case OP2('.', '='): case OP2('+', '='): case OP2('&', '='): case OP2('-', '='):
	case OP2('|', '='): case OP2('^', '='): case OP3('?', '?', '='):
		return true;
	}
	return false;
}

static void
assign(struct eng *e, const char *name, uint32_t n, bool whole, uint32_t op, struct val v,
    const struct ws_tok *member)
{
	if (name == dyn_lhs) {
		if (v.t & T_RAW)
			e->globals_tainted = true;	/* $$k = $v over request input */
		return;
	}
	if (!name)
		return;
	if (e->cur && n == e->cur->n && strncasecmp(name, e->cur->name, n) == 0)
		e->cur->ret |= v.t;	/* VB: FunctionName = value */
	if (!whole && member && (v.t & T_RAW) && (is_kw(member, "connectionstring") ||
	    is_kw(member, "activeconnection")))
		e->db |= 1;	/* conn.ConnectionString = Request(..) */
	if (op != OP1('=')) {
		struct val old = ws_var_get(e, name, n);
		v = op == OP2('.', '=') || op == OP2('+', '=') || op == OP2('&', '=') ?
		    ws_fold_concat(e, old, v) : (struct val){ .t = old.t | v.t };
	}
	ws_var_set(e, name, n, v, !whole);
}

static struct val
expr(struct eng *e, int minprec)
{
	struct val l;
	e->nest++;
	l = unary(e);
	for (;;) {
		const struct ws_tok *t = cur(e);
		enum opclass oc;
		int prec;
		if (is_assign(e, t) && e->lhs) {
			const char *name = e->lhs;
			uint32_t n = e->lhs_n;
			bool whole = e->lhs_whole;
			const struct ws_tok *member = e->member;
			e->p++;
			l = expr(e, 0);
			assign(e, name, n, whole, t->op, l, member);
			break;
		}
		if (is_op(t, OP1('?')) && minprec <= 1) {
			e->p++;
			struct val a = is_op(cur(e), OP1(':')) ? l : expr(e, 2);
			if (is_op(cur(e), OP1(':')))
				e->p++;
			struct val b = expr(e, 1);
			l = (struct val){ .t = a.t | b.t };
			continue;
		}
		if (!(prec = binop(e, t, &oc)) || prec < minprec)
			break;
		e->p++;
		struct val rv = expr(e, prec + 1);
		if (oc == OC_CONCAT)
			l = ws_fold_concat(e, l, rv);
		else if (oc == OC_XOR)
			l = xor_fold(e, l, rv);
		else if (oc == OC_OR)
			l = (struct val){ .t = l.t | rv.t };
		else
			l = (struct val){ 0 };
		set_lhs(e, NULL, 0, false);
	}
	e->nest--;
	return l;
}

/* --- statements ---------------------------------------------------------------------- */

static void
php_foreach(struct eng *e)
{
	e->p++;
	if (!is_op(cur(e), OP1('(')))
		return;
	e->p++;
	struct val src = expr(e, 0);
	while (e->p < e->end && !is_op(cur(e), OP1(')'))) {
		const struct ws_tok *t = cur(e);
		if (t->type == TK_VAR)
			ws_var_set(e, t->s, t->n, (struct val){ .t = src.t }, false);
		e->p++;
	}
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
		expr(e, 0);
		return;
	}
	if (is_kw(t, "return")) {
		e->p++;
		struct val v = expr(e, 0);
		if (e->cur)
			e->cur->ret |= v.t;
		return;
	}
	if (is_kw(t, "for") && is_kw(peek(e, 1), "each") && peek(e, 2)->type == TK_ID) {
		const struct ws_tok *var = peek(e, 2);
		e->p += 3;
		while (e->p < e->end && cur(e)->type != TK_EOS && !is_kw(cur(e), "in"))
			e->p++;
		e->p++;
		struct val v = expr(e, 0);
		ws_var_set(e, var->s, var->n, (struct val){ .t = v.t }, false);
		return;
	}
	size_t before = e->p;
	struct val l = unary(e);
	const char *name = e->lhs;
	uint32_t n = e->lhs_n;
	bool whole = e->lhs_whole;
	if (is_kw(cur(e), "as")) {	/* Dim x As [New] T(...) */
		e->p++;
		if (is_kw(cur(e), "new"))
			l = ctor(e);
		else
			l = (struct val){ 0 }, e->p++;
		if (name)
			ws_var_set(e, name, n, l, false);
	}
	if (is_op(cur(e), OP1('='))) {
		const struct ws_tok *member = e->member;
		e->p++;
		struct val v = expr(e, 0);
		assign(e, name, n, whole, OP1('='), v, member);
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
			struct val v = expr(e, 0);
			if (k < MAX_ARGS)
				av[k++] = v;
			if (e->p == b)
				e->p++;
		}
		struct ws_tok nt = { .type = TK_ID, .s = cn, .n = cl };
		ws_call(e, nt.s, nt.n, mem ? W_MEMB : W_FREE, mem ? &recv : NULL, av, k);
	}
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
		e->p++;
		struct val v = expr(e, 0);
		if (e->cur)
			e->cur->ret |= v.t;
		return;
	}
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
	expr(e, 0);
}

static void
block(struct eng *e, size_t from, size_t to)
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
		const struct ws_tok *prev = i ? &e->tk.v[i - 1] : &eof_tok;
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
		block(e, 0, e->tk.n);	/* page-level objects (fso, conn) seen by the bodies */
	for (int it = 0; it < 2; it++) {
		for (size_t i = 0; i < e->nfn; i++) {
			struct scope sc = { 0 };
			struct func *f = &e->fn[i];
			e->sc = &sc;
			e->cur = f;
			for (int k = 0; k < f->np; k++)
				ws_var_set(e, f->param[k], f->plen[k],
				    (struct val){ .t = 1u << (8 + k) }, false);
			block(e, f->body0, f->body1);
		}
	}
	e->sc = &e->glob;
	e->cur = NULL;
	block(e, 0, e->tk.n);
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
		ws_hit(&e, WS_K_FILEOPS, ops >= 3 ? 75 : ops == 2 ? 30 : 15);
	if (e.db == 3)
		ws_hit(&e, WS_K_DB, 80);
	else if (e.db)
		ws_hit(&e, WS_K_DB, e.db == 1 ? 45 : 30);
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
