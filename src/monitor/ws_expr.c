/* Expressions of the webshell taint engine for all four language families: primaries
 * (variables, literals, superglobals, variable variables, constructors, closures),
 * postfix chains (indexing, calls through values, member calls and properties),
 * unary and binary operators with constant folding (concatenation, XOR), assignment. */
#include "monitor/ws_eng.h"

#include <ctype.h>
#include <stdlib.h>

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
		if (k > st) {
			uint32_t vt = ws_var_get(e, t->s + st, k - st).t;
			/* "lang/$x.php": request data behind a constant prefix, as with
			 * 'lang/' . $x (a wrapper such as php://input cannot follow it) */
			if (vt && !r.t && i > 0 && !(i == 1 && t->s[0] == '{'))
				r.fl |= VF_PREFIXED;
			r.t |= vt;
		}
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
		struct val v = ws_expr(e, 0);
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
	int n = 0;
	bool keyed = false, named = false;
	e->p++;
	while (e->p < e->end && !is_op(cur(e), close)) {
		size_t before = e->p;
		if (is_op(cur(e), OP1(',')) || is_op(cur(e), OP2('=', '>'))) {
			keyed |= is_op(cur(e), OP2('=', '>'));
			e->p++;
			continue;
		}
		struct val v = ws_expr(e, 0);
		r.t |= v.t;
		n++;
		named = n == 2 && v.s && v.n && !v.t && !(v.fl & (VF_COMPUTED | VF_DECODED));
		if (e->p == before)
			e->p++;
	}
	e->p++;
	/* ob_start(array($this, '_zip')): whatever the object holds, the request does
	 * not choose what is called */
	if (e->php && n == 2 && named && !keyed)
		r.fl |= VF_CALLPAIR;
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

struct val
ws_ctor(struct eng *e)
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
		nv = ws_expr(e, 0);
		if (is_op(cur(e), OP1('}')))
			e->p++;
	} else {
		nv = php_variable(e);
	}
	if (nv.s && nv.n) {
		set_lhs(e, nv.s, nv.n, true);
		return ws_var_get(e, nv.s, nv.n);
	}
	set_lhs(e, ws_dyn_lhs, 2, true);
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
		return ws_ctor(e);
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
			return ws_expr(e, 0);
		}
		size_t b0 = e->p + 1, d = 0;
		for (; e->p < e->end; e->p++) {
			d += is_op(cur(e), OP1('{'));
			if (is_op(cur(e), OP1('}')) && --d == 0)
				break;
		}
		size_t b1 = e->p++;
		ws_block(e, b0, b1);
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
			struct val a = ws_expr(e, 0);
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
		if (idx.s && name_is(idx.s, idx.n, "tmp_name"))
			r.fl |= VF_UPLOAD;
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
			struct val idx = ws_expr(e, 0);
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
			if (fv.t & T_WORD)	/* a validated name is still any function */
				ws_hit(e, WS_K_DYNCALL, 80);
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
					/* a request naming a method of one object is how routers
					 * dispatch (?op=index): weak alone; naming any function,
					 * $f(), is what shells do */
					ws_sink(e, WS_K_DYNCALL, mv.t, 30);
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
				if (root && root != ws_dyn_lhs && at)
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

struct val
ws_unary(struct eng *e)
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
		struct val v = ws_unary(e);
		if (t->op == OP1('!') || t->op == OP1('-') || t->op == OP1('~'))
			v = (struct val){ 0 };
		return v;
	}
	if (is_kw(t, "not") || (is_kw(t, "typeof") && !is_op(peek(e, 1), OP1('('))) || is_kw(t, "await") || is_kw(t, "clone") ||
	    (e->php && (is_kw(t, "print") || is_kw(t, "echo")))) {
		e->p++;
		struct val v = ws_unary(e);
		return is_kw(t, "not") || is_kw(t, "typeof") ? (struct val){ 0 } : v;
	}
	if (is_op(t, OP1('('))) {
		e->p++;
		size_t inner = e->p;
		struct val v = ws_expr(e, 0);
		bool single = e->p == inner + 1 && e->tk.v[inner].type == TK_ID;
		if (is_op(cur(e), OP1(')')))
			e->p++;
		const struct ws_tok *n = cur(e);
		if (single && (n->type == TK_ID || n->type == TK_VAR || n->type == TK_STR ||
		    n->type == TK_NUM || is_op(n, OP1('(')) || is_op(n, OP1('$')))) {
			const struct ws_tok *ct = &e->tk.v[inner];	/* a cast */
			v = ws_unary(e);
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

void
ws_assign(struct eng *e, const char *name, uint32_t n, bool whole, uint32_t op, struct val v,
    const struct ws_tok *member)
{
	if (name == ws_dyn_lhs) {
		if (v.t & T_RAW)
			e->globals_tainted = true;	/* $$k = $v over request input */
		return;
	}
	if (!name)
		return;
	if (e->cur && n == e->cur->n && strncasecmp(name, e->cur->name, n) == 0)
		ws_returns(e, v.t);	/* VB: FunctionName = value */
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

struct val
ws_expr(struct eng *e, int minprec)
{
	struct val l;
	e->nest++;
	l = ws_unary(e);
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
			l = ws_expr(e, 0);
			ws_assign(e, name, n, whole, t->op, l, member);
			break;
		}
		if (is_op(t, OP1('?')) && minprec <= 1) {
			e->p++;
			struct val a = is_op(cur(e), OP1(':')) ? l : ws_expr(e, 2);
			if (is_op(cur(e), OP1(':')))
				e->p++;
			struct val b = ws_expr(e, 1);
			l = (struct val){ .t = a.t | b.t };
			continue;
		}
		if (!(prec = binop(e, t, &oc)) || prec < minprec)
			break;
		e->p++;
		struct val rv = ws_expr(e, prec + 1);
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

