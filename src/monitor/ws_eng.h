/* The webshell taint engine's state, shared by the statement/expression walker
 * (ws_taint.c) and the call semantics: sources, folding and sinks (ws_call.c). */
#ifndef VG_WS_ENG_H
#define VG_WS_ENG_H

#include "monitor/ws_int.h"

#include <string.h>
#include <strings.h>

#define T_RAW 1u		/* request data, unchanged or through known string ops */
#define T_DER 2u		/* request data that went through unknown code */
#define T_WORD 4u		/* request data a guard limited to word characters: a name,
				   never code or a command line (not in T_ANY) */
#define T_PARAMS 0xff00u	/* bit 8+i: parameter i of the function being summarised */
#define T_ANY (T_RAW | T_DER | T_PARAMS)

#define VF_COMPUTED 1		/* constant produced by an operation, not a literal */
#define VF_DECODED 2		/* constant produced by a decoder */
#define VF_WEBROOT 4		/* a path under the web root */
#define VF_NUM 8		/* numeric constant (num) */
#define VF_SUPER 16		/* a PHP superglobal array */
#define VF_PREFIXED 32		/* request data behind a constant prefix (a directory) */
#define VF_UPLOAD 64		/* the temporary file of an upload */
#define VF_CALLPAIR 128		/* PHP [x, 'name']: as a callable, the method is a constant */

#define MAX_ARGS 12
#define MAX_PARAMS 8

struct val {
	uint32_t t;		/* T_* bits */
	uint8_t tag;		/* enum ws_tag */
	uint8_t fl;		/* VF_* */
	const char *s;		/* constant string value, NULL = unknown */
	uint32_t n;
	long long num;
};

struct var {
	const char *name;	/* NULL = free slot */
	uint32_t n;
	struct val v;
};

struct scope {
	struct var *v;
	size_t cap, used;
};

struct func {
	const char *name;
	uint32_t n;
	size_t def, body0, body1;	/* first token of the definition, body [body0, body1) */
	const char *param[MAX_PARAMS];
	uint32_t plen[MAX_PARAMS];
	int np;
	uint8_t pkind[MAX_PARAMS];	/* best sink a parameter reaches */
	uint8_t pweight[MAX_PARAMS];
	uint32_t ret;			/* taint of the return value (T_PARAMS bits = from params) */
	bool used;			/* its summary was read in this pass */
};

struct eng {
	enum ws_lang lang;
	bool vb, php;
	const struct ws_table *tab;
	struct ws_arena *a;
	struct ws_toks tk;
	size_t p, end;
	struct scope glob, *sc;
	struct func *fn;
	size_t nfn;
	uint32_t *fn_hash;		/* open addressing, index + 1 */
	size_t fn_hcap;
	struct func *cur;		/* function being summarised, or NULL */
	struct ws_result *r;
	int depth;			/* nested decoded layers */
	long steps, max_steps;
	int nest;			/* expression recursion */
	uint32_t margs;			/* taint of the last call's arguments */
	bool globals_tainted;
	bool again;			/* a summary read earlier in the pass grew: one more pass */
	uint32_t fileops;		/* distinct file operations on request paths */
	uint8_t db;			/* 1: connect from request, 2: SQL from request */
	uint8_t xslt;			/* 1: PHP functions registered, 2: request data transformed */
	/* the callee of the last unary expression, for VB calls without parentheses */
	const char *callee;
	uint32_t callee_n;
	bool callee_member;
	struct val callee_recv;
	/* the variable the last unary expression names, for assignment */
	const char *lhs;
	uint32_t lhs_n;
	bool lhs_whole;			/* the variable itself, not a member or element */
	const struct ws_tok *member;	/* the last property named on it */
};

extern const struct ws_tok ws_eof_tok;
extern const char ws_dyn_lhs[];		/* assignment to a variable variable */

/* Token cursor helpers shared by the expression and statement walkers. */

static inline const struct ws_tok *
cur(const struct eng *e)
{
	return e->p < e->end ? &e->tk.v[e->p] : &ws_eof_tok;
}

static inline const struct ws_tok *
peek(const struct eng *e, size_t k)
{
	return e->p + k < e->end ? &e->tk.v[e->p + k] : &ws_eof_tok;
}

static inline bool
is_op(const struct ws_tok *t, uint32_t op)
{
	return t->type == TK_OP && t->op == op;
}

static inline bool
is_kw(const struct ws_tok *t, const char *kw)
{
	/* Length first: an empty token may point one past its buffer. */
	size_t l = strlen(kw);
	return t->type == TK_ID && t->n == l && (t->s[0] | 0x20) == kw[0] &&
	    strncasecmp(t->s, kw, l) == 0;
}

static inline bool
budget(struct eng *e)
{
	if (++e->steps <= e->max_steps && e->nest < 200)
		return true;
	e->r->limited = true;
	e->p = e->end;
	return false;
}


static inline bool
name_is(const char *s, uint32_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* ws_expr.c */
struct val ws_expr(struct eng *e, int minprec);
struct val ws_unary(struct eng *e);
struct val ws_ctor(struct eng *e);
void ws_assign(struct eng *e, const char *name, uint32_t n, bool whole, uint32_t op, struct val v,
    const struct ws_tok *member);

/* ws_taint.c */
void ws_block(struct eng *e, size_t from, size_t to);
struct val ws_var_get(struct eng *e, const char *name, uint32_t n);
void ws_var_set(struct eng *e, const char *name, uint32_t n, struct val v, bool weak);
void ws_hit(struct eng *e, enum ws_kind k, int weight);
/* The function being summarised returns taint t. */
void ws_returns(struct eng *e, uint32_t t);
/* Analyses a decoded constant as code of lang, one layer deeper. */
void ws_nested(struct eng *e, enum ws_lang lang, const char *s, size_t n);
void ws_keep_blob(struct eng *e, const char *s, size_t n);
struct func *ws_func_find(struct eng *e, const char *name, size_t n);

/* ws_call.c */
struct val ws_call(struct eng *e, const char *name, size_t n, int where, const struct val *recv,
    struct val *args, int nargs);
/* A sink reached with taint t: RAW gives weight, parameters feed the summary. */
void ws_sink(struct eng *e, enum ws_kind k, uint32_t t, int weight);
bool ws_lower(const char *s, size_t n, char *out, size_t size);
struct val ws_fold_concat(struct eng *e, struct val a, struct val b);

#endif
