/* Call semantics of the webshell taint engine: what a function, method or constructor
 * does to taint (source, propagate, sanitise), constant folding of run-time-built names
 * and static encodings, and the sinks with their weights. */
#include "monitor/ws_eng.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool
ws_lower(const char *s, size_t n, char *out, size_t size)
{
	if (n + 1 > size)
		return false;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[n] = '\0';
	return true;
}

void
ws_sink(struct eng *e, enum ws_kind k, uint32_t t, int weight)
{
	if (t & T_RAW)
		ws_hit(e, k, weight);
	if (e->cur && (t & T_PARAMS)) {
		for (int i = 0; i < MAX_PARAMS; i++) {
			if ((t & (1u << (8 + i))) && weight > e->cur->pweight[i]) {
				e->cur->pweight[i] = (uint8_t)weight;
				e->cur->pkind[i] = (uint8_t)k;
				e->again |= e->cur->used;
			}
		}
	}
}

static struct val
cval(const char *s, size_t n, uint8_t fl)
{
	return (struct val){ .s = s, .n = (uint32_t)n, .fl = (uint8_t)(fl | VF_COMPUTED) };
}

struct val
ws_fold_concat(struct eng *e, struct val a, struct val b)
{
	struct val r = { .t = a.t | b.t, .fl = (uint8_t)((a.fl | b.fl) & (VF_WEBROOT | VF_DECODED)) };

	if ((a.fl & VF_PREFIXED) || (a.s && a.n && !a.t && !(a.fl & VF_NUM)))
		r.fl |= VF_PREFIXED;

	if (a.s && b.s && (size_t)a.n + b.n <= WS_MAX_STR) {
		char *d = ws_alloc(e->a, (size_t)a.n + b.n + 1);
		if (d) {
			memcpy(d, a.s, a.n);
			memcpy(d + a.n, b.s, b.n);
			d[a.n + b.n] = '\0';
			r.s = d;
			r.n = a.n + b.n;
			r.fl |= VF_COMPUTED;
		}
	}
	return r;
}

static bool
has_ext(const struct val *v)
{
	static const char *const ext[] = { ".php", ".phtml", ".jsp", ".jspx", ".asp", ".aspx",
		".ashx", ".asmx", ".cer", ".asa", ".php5", ".phar", NULL };
	if (!v->s)
		return false;
	for (size_t i = 0; ext[i]; i++) {
		size_t l = strlen(ext[i]);
		if (v->n >= l && strncasecmp(v->s + v->n - l, ext[i], l) == 0)
			return true;
	}
	return false;
}

static bool
looks_code(const struct val *v)
{
	return v->s && v->n >= 8 && (memmem(v->s, v->n, "<?", 2) || memmem(v->s, v->n, "<%", 2));
}

/* data written to path: request data or decoded code into a script file. */
static void
dropper(struct eng *e, const struct val *path, const struct val *data)
{
	bool target = (path->t & T_RAW) || (path->fl & VF_WEBROOT) || has_ext(path);
	/* installers and editors write form data into their own files: only a script
	 * or a request-chosen path makes that a dropper */
	if (data->t & T_RAW)
		ws_sink(e, WS_K_DROPPER, data->t, target ? 80 : 30);
	else if (data->t & T_PARAMS)
		ws_sink(e, WS_K_DROPPER, data->t, 30);
	if ((data->fl & VF_DECODED) && looks_code(data)) {
		ws_hit(e, WS_K_DROPPER, target ? 80 : 50);
		ws_keep_blob(e, data->s, data->n);
	}
	if (path->t & T_RAW)
		e->fileops |= 1u << 30;
}

static void
fileop(struct eng *e, const char *name, size_t n, uint32_t t)
{
	if (!(t & (T_RAW | T_PARAMS)))
		return;
	unsigned h = 5381;
	for (size_t i = 0; i < n; i++)
		h = h * 33 + (unsigned char)tolower((unsigned char)name[i]);
	if (t & T_RAW)
		e->fileops |= 1u << (h % 30);
	ws_sink(e, WS_K_FILEOPS, t & T_PARAMS, 45);
}

/* A callable named by a constant: is it one an attacker wants to reach? */
static bool
dangerous_callable(struct eng *e, const struct val *cb)
{
	char ln[64];
	if (!cb->s || !ws_lower(cb->s, cb->n, ln, sizeof(ln)))
		return false;
	const struct ws_fn *f = ws_lookup(e->tab, ln, W_FREE, TG_NONE);
	return f && (f->kind == S_CODE || f->kind == S_EXEC || f->kind == S_INCLUDE ||
	    f->kind == S_FILEW || f->kind == S_PREG ||
	    (f->kind == S_CALLBACK && strncmp(ln, "call_user_func", 14) == 0));
}

static uint32_t
taint_of(const struct val *v, int nargs, int skip)
{
	uint32_t t = 0;
	for (int i = 0; i < nargs; i++)
		if (i != skip)
			t |= v[i].t;
	return t;
}

static void
callback(struct eng *e, const struct val *cb, struct val *args, int nargs, int cbi)
{
	uint32_t data = taint_of(args, nargs, cbi);

	if ((cb->t & (T_RAW | T_PARAMS)) && !(cb->fl & VF_CALLPAIR))
		ws_sink(e, WS_K_CALLBACK, cb->t, 85);
	if ((cb->t & T_WORD) && !(cb->fl & VF_CALLPAIR))
		ws_hit(e, WS_K_CALLBACK, 85);	/* a validated name is still any function */
	if (dangerous_callable(e, cb))
		ws_hit(e, WS_K_CALLBACK, (data & T_RAW) || (cb->fl & VF_COMPUTED) ? 85 : 75);
}

/* The argument an entry names: an index, the last one, or the receiver. */
static struct val
pick(const struct val *recv, struct val *args, int nargs, int which)
{
	struct val none = { 0 };
	if (which == ARG_RECV)
		return recv ? *recv : none;
	if (which == ARG_LAST)
		return nargs ? args[nargs - 1] : none;
	if (which == ARG_ANY) {
		none.t = taint_of(args, nargs, -1) | (recv ? recv->t : 0);
		return none;
	}
	return which < nargs ? args[which] : none;
}

static long long
num_of(const struct val *v)
{
	if (v->fl & VF_NUM)
		return v->num;
	if (v->s && v->n && v->n < 24) {
		char b[24];
		memcpy(b, v->s, v->n);
		b[v->n] = '\0';
		return strtoll(b, NULL, 0);
	}
	return 0;
}

/* Folding of string builtins on constant input; r already holds the taint. */
static void
fold(struct eng *e, int kind, const struct ws_fn *f, const struct val *recv, struct val *args,
    int nargs, struct val *r)
{
	struct val in = pick(recv, args, nargs, f->arg == ARG_ANY ? 0 : f->arg);
	const char *o = NULL;
	size_t on = 0;
	uint8_t fl = 0;

	if (kind == F_CHR) {
		/* chr(101), String.fromCharCode(101, 118, ...) */
		char *d = ws_alloc(e->a, (size_t)nargs + 1);
		int k = 0;
		for (int i = 0; d && i < nargs; i++) {
			if (!(args[i].fl & VF_NUM) && !args[i].s)
				return;
			d[k++] = (char)num_of(&args[i]);
		}
		if (d) {
			d[k] = '\0';
			*r = cval(d, (size_t)k, 0);
		}
		return;
	}
	if (!in.s)
		return;
	switch (kind) {
	case F_B64: o = ws_b64(e->a, in.s, in.n, &on); fl = VF_DECODED; break;
	case F_HEX: o = ws_hex(e->a, in.s, in.n, &on); fl = VF_DECODED; break;
	case F_ROT13: o = ws_rot13(e->a, in.s, in.n, &on); fl = VF_DECODED; break;
	case F_INFL: o = ws_inflate(e->a, in.s, in.n, 0, &on); fl = VF_DECODED; break;
	case F_UNC: o = ws_inflate(e->a, in.s, in.n, 1, &on); fl = VF_DECODED; break;
	case F_GZD: o = ws_inflate(e->a, in.s, in.n, 2, &on); fl = VF_DECODED; break;
	case F_URLD: o = ws_urldec(e->a, in.s, in.n, &on); fl = VF_DECODED; break;
	case F_REV: o = ws_rev(e->a, in.s, in.n, &on); fl = VF_DECODED; break;
	case F_BYTES: o = in.s; on = in.n; fl = in.fl & VF_DECODED; break;
	case F_LOWER: case F_UPPER: {
		char *d = ws_dup(e->a, in.s, in.n);
		for (size_t i = 0; d && i < in.n; i++)
			d[i] = (char)(kind == F_LOWER ? tolower((unsigned char)d[i]) :
			    toupper((unsigned char)d[i]));
		o = d;
		on = in.n;
		break;
	}
	case F_TRIM: {
		size_t b = 0, n = in.n;
		while (b < n && isspace((unsigned char)in.s[b]))
			b++;
		while (n > b && isspace((unsigned char)in.s[n - 1]))
			n--;
		o = in.s + b;
		on = n - b;
		break;
	}
	case F_SUBSTR: case F_SUBSTR_END: case F_MID: {
		/* PHP substr(s, start, len), C# s.Substring(start, len), Java
		 * s.substring(begin, end), VB Mid(s, start1, len) */
		int a0 = kind == F_SUBSTR && f->arg != ARG_RECV ? 1 : kind == F_MID ? 1 : 0;
		long long st = a0 < nargs ? num_of(&args[a0]) : 0, len = (long long)in.n;
		if (kind == F_MID)
			st--;
		if (st < 0)
			st += in.n;
		if (st < 0 || st > (long long)in.n)
			return;
		if (a0 + 1 < nargs) {
			len = num_of(&args[a0 + 1]);
			if (kind == F_SUBSTR_END)
				len -= st;
			else if (len < 0)
				len = (long long)in.n - st + len;
		}
		if (len < 0)
			return;
		if (st + len > (long long)in.n)
			len = (long long)in.n - st;
		o = in.s + st;
		on = (size_t)len;
		break;
	}
	case F_REPL: case F_REPL_M: {
		/* str_replace(search, replace, subject); VB Replace(subject, find, repl);
		 * s.replace(find, repl) */
		struct val sub = in, fnd, rep;
		if (kind == F_REPL_M) {
			sub = recv ? *recv : sub;
			fnd = nargs > 0 ? args[0] : (struct val){ 0 };
			rep = nargs > 1 ? args[1] : (struct val){ 0 };
		} else if (f->arg2 == 1) {
			sub = nargs > 0 ? args[0] : sub;
			fnd = nargs > 1 ? args[1] : (struct val){ 0 };
			rep = nargs > 2 ? args[2] : (struct val){ 0 };
		} else {
			fnd = nargs > 0 ? args[0] : (struct val){ 0 };
			rep = nargs > 1 ? args[1] : (struct val){ 0 };
			sub = nargs > 2 ? args[2] : sub;
		}
		if (!sub.s || !fnd.s || !rep.s || !fnd.n)
			return;
		char *d = ws_alloc(e->a, sub.n * (rep.n > fnd.n ? rep.n : 1) + 1);
		size_t k = 0;
		if (!d)
			return;
		for (size_t i = 0; i < sub.n;) {
			if (i + fnd.n <= sub.n && memcmp(sub.s + i, fnd.s, fnd.n) == 0) {
				memcpy(d + k, rep.s, rep.n);
				k += rep.n;
				i += fnd.n;
			} else {
				d[k++] = sub.s[i++];
			}
		}
		d[k] = '\0';
		o = d;
		on = k;
		break;
	}
	default:
		return;
	}
	if (!o)
		return;
	uint32_t t = r->t;
	*r = cval(o, on, fl | (in.fl & VF_DECODED));
	r->t = t;
	if ((fl & VF_DECODED) && on >= 24)
		ws_keep_blob(e, o, on);
}

static struct val
user_call(struct eng *e, struct func *f, struct val *args, int nargs)
{
	struct val r = { 0 };
	f->used = true;
	for (int i = 0; i < nargs && i < f->np; i++) {
		if (f->pweight[i] && f->pkind[i] == WS_K_FILEOPS)
			fileop(e, f->name, f->n, args[i].t);	/* a helper is one more operation */
		else if (f->pweight[i])
			ws_sink(e, (enum ws_kind)f->pkind[i], args[i].t, f->pweight[i]);
		if (f->ret & (1u << (8 + i)))
			r.t |= args[i].t;
	}
	r.t |= f->ret & (T_RAW | T_DER);
	return r;
}

struct val
ws_call(struct eng *e, const char *name, size_t n, int where, const struct val *recv,
    struct val *args, int nargs)
{
	char ln[64];
	struct val r = { 0 };
	const struct ws_fn *f = NULL;
	uint32_t all = taint_of(args, nargs, -1) | (recv ? recv->t : 0);
	int rtag = recv ? recv->tag : TG_NONE;

	if (!ws_lower(name, n, ln, sizeof(ln)))
		return r;
	if (where != W_NEW) {
		struct func *uf = ws_func_find(e, ln, n);
		if (uf && (where == W_FREE || !ws_lookup(e->tab, ln, where, rtag)))
			return user_call(e, uf, args, nargs);
	}
	f = ws_lookup(e->tab, ln, where, rtag);
	if (!f) {
		/* Unknown code: in PHP (and free calls elsewhere, i.e. user code we
		 * cannot see) request data is no longer raw; library methods of the
		 * other languages (COM, JDK, BCL) mostly pass it on. */
		if (e->php || where == W_FREE) {
			r.t = all & T_ANY ? T_DER : 0;
		} else {
			r.t = all;
			r.tag = rtag == TG_REQUEST ? TG_NONE : (uint8_t)rtag;
			if (rtag == TG_REQUEST)
				r.t = recv->t;
		}
		if (where == W_NEW && nargs)
			r.tag = args[0].tag == TG_FILEW ? TG_FILEW : r.tag;
		return r;
	}
	struct val a = pick(recv, args, nargs, f->arg);
	r.t = all;
	r.tag = f->tag_out;
	switch (f->kind) {
	case F_KEEP:
		if (f->tag_out == TG_NONE && rtag != TG_REQUEST)
			r.tag = (uint8_t)rtag;
		break;
	case F_KILL:
		r.t = 0;
		break;
	case F_SRC:
		r.t = T_RAW;
		break;
	case F_REQ:
		r.t = 0;
		r.tag = TG_REQUEST;
		break;
	case F_OBJ:
		r.t = 0;
		r.tag = a.s ? (uint8_t)ws_tag_of_name(a.s, a.n) : TG_NONE;
		break;
	case F_CLASSBYNAME:
		ws_sink(e, WS_K_CLASSLOAD, a.t, 85);
		r.t = a.t;
		r.tag = a.s && ws_tag_of_name(a.s, a.n) == TG_REFL ? TG_REFL : TG_NONE;
		break;
	case F_WEBROOT:
		r.fl |= VF_WEBROOT;
		break;
	case F_B64: case F_HEX: case F_ROT13: case F_INFL: case F_UNC: case F_GZD: case F_REV:
	case F_URLD: case F_CHR: case F_LOWER: case F_UPPER: case F_TRIM: case F_SUBSTR:
	case F_SUBSTR_END: case F_MID: case F_REPL: case F_REPL_M: case F_BYTES:
		r.t = all;
		fold(e, f->kind, f, recv, args, nargs, &r);
		break;
	case F_JOIN:
		break;
	case S_CODE:
		ws_sink(e, WS_K_CODE, a.t, 85);
		if (a.s && !(a.t & T_RAW)) {
			if (a.fl & VF_DECODED)
				ws_hit(e, WS_K_PACKED, 75);
			ws_nested(e, e->lang, a.s, a.n);
		}
		break;
	case S_EXEC:
		if (rtag == TG_PROC && recv)
			a.t |= recv->t;
		ws_sink(e, WS_K_EXEC, a.t, 85);
		break;
	case S_CLASS:
		ws_sink(e, WS_K_CLASSLOAD, a.t, 85);
		break;
	case S_INCLUDE:
		/* include $dir . $_GET['page'] is a common (if risky) pattern; a shell
		 * includes what the request names outright */
		if (!(a.fl & VF_PREFIXED))
			ws_sink(e, WS_K_INCLUDE_INPUT, a.t, 90);
		if (a.fl & VF_UPLOAD)
			ws_hit(e, WS_K_INCLUDE_INPUT, 85);	/* include $_FILES[..]['tmp_name'] */
		if (a.s && a.n == 11 && strncasecmp(a.s, "php://input", 11) == 0)
			ws_hit(e, WS_K_INCLUDE_INPUT, 90);
		if (a.s && a.n > 5 && strncasecmp(a.s, "data:", 5) == 0)
			ws_hit(e, WS_K_INCLUDE_INPUT, 85);
		else if (a.s && (a.fl & VF_DECODED))
			ws_hit(e, WS_K_PACKED, 75);
		break;
	case S_PREG: {
		/* a request-chosen pattern cannot add /e since PHP 7; a constant one with
		 * the e modifier evaluates the replacement */
		struct val pat = nargs ? args[0] : (struct val){ 0 };
		const char *end = pat.s && pat.n > 2 ? memrchr(pat.s + 1, pat.s[0], pat.n - 1) : NULL;
		if (end && memchr(end, 'e', pat.n - (size_t)(end - pat.s)))
			ws_sink(e, WS_K_CODE, taint_of(args, nargs, 0), 85);
		else if (r.t)
			r.t = T_DER;	/* filtering by pattern */
		break;
	}
	case S_CALLBACK: {
		int ci = f->arg == ARG_LAST ? nargs - 1 : f->arg;
		if (ci < 0 || ci >= nargs)
			break;
		callback(e, &args[ci], args, nargs, ci);
		if (ci == 0 && args[0].s && nargs > 1 && strncmp(ln, "call_user_func", 14) == 0)
			r = ws_call(e, args[0].s, args[0].n, W_FREE, NULL, args + 1, nargs - 1);
		break;
	}
	case S_REFLFN:
		r = a;
		r.tag = TG_REFL;
		break;
	case S_INVOKE:
		if (e->php) {
			callback(e, recv, args, nargs, -1);
		} else {
			ws_sink(e, WS_K_CLASSLOAD, all, 85);
		}
		break;
	case S_FILEW: {
		struct val p = pick(recv, args, nargs, f->arg), d = pick(recv, args, nargs, f->arg2);
		dropper(e, &p, &d);
		break;
	}
	case S_OPENW: {
		bool write = true;
		if (e->php && f->arg2 < nargs && args[f->arg2].s)
			write = strpbrk(args[f->arg2].s, "waxc+") != NULL;
		fileop(e, ln, strlen(ln), a.t);
		r.t = a.t;
		r.fl = a.fl & VF_WEBROOT;
		if (a.s)
			r.s = a.s, r.n = a.n;
		r.tag = write ? TG_FILEW : TG_NONE;
		break;
	}
	case S_WRITE: {
		struct val h = recv ? *recv : pick(recv, args, nargs, f->arg2);
		struct val d = pick(NULL, args, nargs, f->arg);
		if (h.tag == TG_FILEW)
			dropper(e, &h, &d);
		break;
	}
	case S_UPLOAD:
		if (a.t & T_RAW)
			ws_hit(e, WS_K_DROPPER, has_ext(&a) ? 80 : 40);
		else if (has_ext(&a) && (taint_of(args, nargs, f->arg) & T_RAW))
			ws_hit(e, WS_K_DROPPER, 80);
		break;
	case S_FILEOP:
		fileop(e, ln, strlen(ln), a.t);
		break;
	case S_DBEXEC:
		if (a.t & T_RAW)
			e->db |= 2;
		ws_sink(e, WS_K_DB, a.t & T_PARAMS, 30);
		break;
	case S_DBCONN:
		if (a.t & T_RAW)
			e->db |= 1;
		ws_sink(e, WS_K_DB, a.t & T_PARAMS, 45);
		break;
	case S_NET:
		ws_sink(e, WS_K_NET, a.t, 80);
		break;
	case S_XSLTREG:
		e->xslt |= 1;
		break;
	case S_XSLTUSE:
		if (all & (T_RAW | T_DER))
			e->xslt |= 2;
		if ((e->xslt & 1) && (all & T_PARAMS))
			ws_sink(e, WS_K_XSLT, all & T_PARAMS, 85);
		break;
	}
	return r;
}
