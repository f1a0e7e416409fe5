/* Probe database grammar and matcher. Grammar, one statement a line ('#' starts a
 * comment outside quotes):
 *   probe NAME                      starts a probe; the lines below belong to it
 *     send "BYTES"                  C escapes: \r \n \t \0 \\ \" \xHH
 *     ports SPEC / tls-ports SPEC   port specs as for -p
 *     wait 1500ms | 3s
 *   match SERVICE /REGEX/FLAGS [probe=NAME] [product="T"] [version="T"] [info="T"]
 *   http-tech "NAME" /REGEX/FLAGS [path=/PATH] [version="T"]   read from every HTTP
 *                                   answer to GET PATH (default /); every match counts
 * FLAGS: i (caseless), s (dot matches newline), m (multiline). $1..$9 in T are
 * the regex's groups. Rules are tried in file order; the first match wins. */
#include "inventory/probe_int.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/esc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 8192
#define MATCH_LIMIT 200000	/* backtracking steps per match: a hostile banner can't spin */

int
probe_db_new(struct probe_db **out)
{
	*out = NULL;
	struct probe_db *db = calloc(1, sizeof(*db));
	if (!db)
		return VG_ERR_NOMEM;
	db->mctx = pcre2_match_context_create(NULL);
	if (!db->mctx) {
		free(db);
		return VG_ERR_NOMEM;
	}
	pcre2_set_match_limit(db->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(db->mctx, 10000);
	*out = db;
	return VG_OK;
}

void
probe_db_free(struct probe_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->nprobes; i++) {
		free(db->probes[i].send);
		target_ports_free(&db->probes[i].ports);
		target_ports_free(&db->probes[i].tls_ports);
	}
	for (size_t i = 0; i < db->nrules; i++) {
		pcre2_code_free(db->rules[i].re);
		free(db->rules[i].product);
		free(db->rules[i].version);
		free(db->rules[i].info);
	}
	free(db->rules);
	for (size_t i = 0; i < db->ntech; i++) {
		pcre2_code_free(db->tech[i].re);
		free(db->tech[i].version);
	}
	free(db->tech);
	pcre2_match_context_free(db->mctx);
	free(db);
}

size_t probe_db_count(const struct probe_db *db) { return db->nprobes; }
size_t probe_db_rules(const struct probe_db *db) { return db->nrules; }

const struct probe *
probe_db_get(const struct probe_db *db, size_t i)
{
	return i < db->nprobes ? &db->probes[i] : NULL;
}

struct pstate {
	const char *name;
	unsigned line;
	char *err;
	size_t errsz;
};

static int
perr(struct pstate *ps, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ps->err && ps->errsz)
		snprintf(ps->err, ps->errsz, "%.200s:%u: %s", ps->name, ps->line, msg);
	return VG_ERR_PARSE;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A double-quoted string at *p into out (at most max bytes); *p moves past it. */
static int
quoted(struct pstate *ps, const char **p, unsigned char *out, size_t max, size_t *len)
{
	const char *s = *p;
	size_t n = 0;

	if (*s != '"')
		return perr(ps, "expected a double-quoted string");
	for (s++; *s && *s != '"'; s++) {
		int c = (unsigned char)*s;
		if (c == '\\') {
			s++;
			switch (*s) {
			case 'r': c = '\r'; break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '0': c = 0; break;
			case '\\': c = '\\'; break;
			case '"': c = '"'; break;
			case 'x': {
				int h = hexval((unsigned char)s[1]), l = h < 0 ? -1 :
				    hexval((unsigned char)s[2]);
				if (h < 0 || l < 0)
					return perr(ps, "\\x needs two hex digits");
				c = h * 16 + l;
				s += 2;
				break;
			}
			default:
				return perr(ps, "unknown escape '\\%c'", *s ? *s : '?');
			}
		}
		if (n >= max)
			return perr(ps, "string longer than %zu bytes", max);
		out[n++] = (unsigned char)c;
	}
	if (*s != '"')
		return perr(ps, "string has no closing quote");
	*p = s + 1;
	*len = n;
	return VG_OK;
}

static const char *
skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* The next bare word (letters, digits, '-', '_', '.') into out. */
static size_t
word(const char *s, char *out, size_t size)
{
	size_t n = 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '-' || s[n] == '_' || s[n] == '.') {
		if (n + 1 < size)
			out[n] = s[n];
		n++;
	}
	out[n < size ? n : size - 1] = '\0';
	return n;
}

static int
parse_wait(struct pstate *ps, const char *s, int64_t *us)
{
	char w[32];
	size_t n = word(s, w, sizeof(w)), d = strspn(w, "0123456789");
	long long v;
	bool ms;

	if (n == 0 || n >= sizeof(w) || d == 0 || d > 6)
		return perr(ps, "wait needs a time like 1500ms or 3s");
	ms = strcmp(w + d, "ms") == 0;
	if (!ms && strcmp(w + d, "s") != 0)
		return perr(ps, "wait needs a time like 1500ms or 3s");
	w[d] = '\0';
	if (vg_parse_ll(w, 1, ms ? 600000 : 600, &v) != VG_OK)
		return perr(ps, "wait must be 1ms..600s");
	*us = ms ? v * 1000 : v * 1000000;
	return VG_OK;
}

static int
rest_empty(struct pstate *ps, const char *s)
{
	s = skip_ws(s);
	if (*s && *s != '#')
		return perr(ps, "unexpected '%.40s'", s);
	return VG_OK;
}

static int
probe_line(struct probe_db *db, struct pstate *ps, const char *kw, const char *s)
{
	struct probe *p = db->nprobes ? &db->probes[db->nprobes - 1] : NULL;
	char err[200];
	int rc;

	if (strcmp(kw, "send") && strcmp(kw, "ports") && strcmp(kw, "tls-ports") &&
	    strcmp(kw, "wait"))
		return perr(ps, "unknown keyword '%s'", kw);
	if (!p)
		return perr(ps, "'%s' outside a probe", kw);
	if (strcmp(kw, "send") == 0) {
		unsigned char buf[PROBE_SEND_MAX];
		size_t len;
		if (p->send)
			return perr(ps, "probe %s has two send lines", p->name);
		if ((rc = quoted(ps, &s, buf, sizeof(buf), &len)) != VG_OK)
			return rc;
		if ((rc = rest_empty(ps, s)) != VG_OK)
			return rc;
		if (len == 0)
			return perr(ps, "send needs at least one byte (omit it for a null probe)");
		if (!(p->send = malloc(len)))
			return VG_ERR_NOMEM;
		memcpy(p->send, buf, len);
		p->send_len = len;
		return VG_OK;
	}
	if (strcmp(kw, "ports") == 0 || strcmp(kw, "tls-ports") == 0) {
		char spec[1024];
		size_t n = strcspn(s, " \t#\r\n");
		struct port_list pl, *dst = kw[0] == 'p' ? &p->ports : &p->tls_ports;
		if (n == 0 || n >= sizeof(spec))
			return perr(ps, "%s needs a port spec", kw);
		memcpy(spec, s, n);
		spec[n] = '\0';
		if ((rc = rest_empty(ps, s + n)) != VG_OK)
			return rc;
		if (target_parse_ports(spec, &pl, err, sizeof(err)) != VG_OK)
			return perr(ps, "%s", err);
		rc = target_ports_merge(dst, &pl);
		target_ports_free(&pl);
		return rc;
	}
	if (strcmp(kw, "wait") == 0) {
		if ((rc = parse_wait(ps, s, &p->wait_us)) != VG_OK)
			return rc;
		return rest_empty(ps, s + strcspn(s, " \t#"));
	}
	return perr(ps, "unknown keyword '%s'", kw);
}

static int
new_probe(struct probe_db *db, struct pstate *ps, const char *s)
{
	char name[PROBE_NAME_MAX];
	size_t n = word(s, name, sizeof(name));
	if (n == 0 || n >= sizeof(name))
		return perr(ps, "probe needs a name of 1..%d letters, digits, '-', '_'",
		    PROBE_NAME_MAX - 1);
	for (size_t i = 0; i < db->nprobes; i++)
		if (strcmp(db->probes[i].name, name) == 0)
			return perr(ps, "probe '%s' defined twice", name);
	if (db->nprobes >= PROBE_MAX)
		return VG_ERR_LIMIT;
	int rc = rest_empty(ps, s + n);
	if (rc != VG_OK)
		return rc;
	struct probe *p = &db->probes[db->nprobes++];
	memset(p, 0, sizeof(*p));
	memcpy(p->name, name, n + 1);
	return VG_OK;
}

/* "/REGEX/FLAGS" at *s, compiled into *re; *s moves past it. */
static int
parse_regex(struct pstate *ps, const char **sp, pcre2_code **re)
{
	const char *s = *sp;
	char regex[LINE_MAX_LEN];
	size_t rl = 0;
	uint32_t flags = 0;
	int ec;
	PCRE2_SIZE eo;

	if (*s != '/')
		return perr(ps, "expected /REGEX/");
	/* the regex ends at the first '/' not escaped by a backslash */
	for (s++; *s && *s != '/'; s++) {
		if (*s == '\\' && s[1])
			regex[rl++] = *s++;
		regex[rl++] = *s;
	}
	if (*s != '/')
		return perr(ps, "regex has no closing '/'");
	regex[rl] = '\0';
	for (s++; *s && !isspace((unsigned char)*s); s++) {
		if (*s == 'i')
			flags |= PCRE2_CASELESS;
		else if (*s == 's')
			flags |= PCRE2_DOTALL;
		else if (*s == 'm')
			flags |= PCRE2_MULTILINE;
		else
			return perr(ps, "unknown regex flag '%c' (i, s, m)", *s);
	}
	*re = pcre2_compile((PCRE2_SPTR)regex, rl, flags, &ec, &eo, NULL);
	if (!*re) {
		PCRE2_UCHAR m[160];
		pcre2_get_error_message(ec, m, sizeof(m));
		return perr(ps, "regex at offset %zu: %s", (size_t)eo, (char *)m);
	}
	/* best effort: a pattern JIT cannot take still matches, only slower */
	pcre2_jit_compile(*re, PCRE2_JIT_COMPLETE);
	*sp = s;
	return VG_OK;
}

static int
match_line(struct probe_db *db, struct pstate *ps, const char *s)
{
	struct mrule r = { .line = ps->line };
	size_t n = word(s, r.service, sizeof(r.service));
	int rc = VG_ERR_PARSE;

	if (n == 0 || n >= sizeof(r.service))
		return perr(ps, "match needs a service name");
	s = skip_ws(s + n);
	if ((rc = parse_regex(ps, &s, &r.re)) != VG_OK)
		return rc;
	rc = VG_ERR_PARSE;
	for (;;) {
		char key[16];
		s = skip_ws(s);
		if (!*s || *s == '#')
			break;
		n = word(s, key, sizeof(key));
		if (n == 0 || s[n] != '=') {
			perr(ps, "expected key=\"value\" (probe, product, version, info)");
			goto fail;
		}
		s += n + 1;
		if (strcmp(key, "probe") == 0) {
			n = word(s, r.probe, sizeof(r.probe));
			if (n == 0 || n >= sizeof(r.probe)) {
				perr(ps, "probe= needs a probe name");
				goto fail;
			}
			s += n;
			continue;
		}
		char **dst = strcmp(key, "product") == 0 ? &r.product :
		    strcmp(key, "version") == 0 ? &r.version :
		    strcmp(key, "info") == 0 ? &r.info : NULL;
		unsigned char v[256];
		size_t vl;
		if (!dst) {
			perr(ps, "unknown key '%s' (probe, product, version, info)", key);
			goto fail;
		}
		if (*dst) {
			perr(ps, "%s given twice", key);
			goto fail;
		}
		if (quoted(ps, &s, v, sizeof(v) - 1, &vl) != VG_OK)
			goto fail;
		v[vl] = '\0';
		if (memchr(v, 0, vl)) {
			perr(ps, "%s must not contain \\0", key);
			goto fail;
		}
		if (!(*dst = strdup((char *)v))) {
			rc = VG_ERR_NOMEM;
			goto fail;
		}
	}
	if (db->nrules >= PROBE_MATCH_MAX) {
		rc = VG_ERR_LIMIT;
		goto fail;
	}
	if (db->nrules == db->caprules) {
		size_t nc = db->caprules ? db->caprules * 2 : 64;
		struct mrule *nr = realloc(db->rules, nc * sizeof(*nr));
		if (!nr) {
			rc = VG_ERR_NOMEM;
			goto fail;
		}
		db->rules = nr;
		db->caprules = nc;
	}
	db->rules[db->nrules++] = r;
	return VG_OK;
fail:
	pcre2_code_free(r.re);
	free(r.product);
	free(r.version);
	free(r.info);
	return rc;
}

static int
tech_line(struct probe_db *db, struct pstate *ps, const char *s)
{
	struct trule t = { .path = "/" };
	unsigned char v[256];
	size_t vl;
	int rc;

	if ((rc = quoted(ps, &s, v, sizeof(t.name) - 1, &vl)) != VG_OK)
		return rc;
	if (vl == 0 || memchr(v, 0, vl) || memchr(v, ',', vl))
		return perr(ps, "http-tech needs a name without commas");
	memcpy(t.name, v, vl);
	t.name[vl] = '\0';
	s = skip_ws(s);
	if ((rc = parse_regex(ps, &s, &t.re)) != VG_OK)
		return rc;
	rc = VG_ERR_PARSE;
	for (;;) {
		s = skip_ws(s);
		if (!*s || *s == '#')
			break;
		if (strncmp(s, "path=", 5) == 0) {
			size_t n = strcspn(s + 5, " \t#");
			if (n == 0 || n >= sizeof(t.path) || s[5] != '/' ||
			    strcspn(s + 5, "\"\\%") < n) {
				perr(ps, "path= needs a path starting with '/' (no quotes, %%)");
				goto fail;
			}
			memcpy(t.path, s + 5, n);
			t.path[n] = '\0';
			s += 5 + n;
		} else if (strncmp(s, "version=", 8) == 0 && !t.version) {
			s += 8;
			if (quoted(ps, &s, v, sizeof(v) - 1, &vl) != VG_OK)
				goto fail;
			v[vl] = '\0';
			if (memchr(v, 0, vl)) {
				perr(ps, "version must not contain \\0");
				goto fail;
			}
			if (!(t.version = strdup((char *)v))) {
				rc = VG_ERR_NOMEM;
				goto fail;
			}
		} else {
			perr(ps, "expected path=/PATH or version=\"T\"");
			goto fail;
		}
	}
	if (db->ntech >= PROBE_MATCH_MAX) {
		rc = VG_ERR_LIMIT;
		goto fail;
	}
	if (db->ntech == db->captech) {
		size_t nc = db->captech ? db->captech * 2 : 32;
		struct trule *nt = realloc(db->tech, nc * sizeof(*nt));
		if (!nt) {
			rc = VG_ERR_NOMEM;
			goto fail;
		}
		db->tech = nt;
		db->captech = nc;
	}
	db->tech[db->ntech++] = t;
	return VG_OK;
fail:
	pcre2_code_free(t.re);
	free(t.version);
	return rc;
}

int
probe_db_parse(struct probe_db *db, const char *text, size_t len, const char *name,
    char *err, size_t errsz)
{
	struct pstate ps = { .name = name, .err = err, .errsz = errsz };
	char line[LINE_MAX_LEN];
	size_t off = 0;
	int rc;

	if (err && errsz)
		err[0] = '\0';
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - (text + off)) : len - off;
		ps.line++;
		if (ll >= sizeof(line))
			return perr(&ps, "line longer than %d bytes", LINE_MAX_LEN - 1);
		memcpy(line, text + off, ll);
		line[ll] = '\0';
		off += ll + 1;
		if (ll && line[ll - 1] == '\r')
			line[--ll] = '\0';
		if (memchr(line, '\0', ll))
			return perr(&ps, "NUL byte in line");
		const char *s = skip_ws(line);
		if (!*s || *s == '#')
			continue;
		char kw[16];
		size_t kn = word(s, kw, sizeof(kw));
		if (kn == 0 || kn >= sizeof(kw) || (s[kn] && s[kn] != ' ' && s[kn] != '\t'))
			return perr(&ps, "expected a keyword (probe, send, ports, tls-ports, wait, "
			    "match)");
		s = skip_ws(s + kn);
		if (strcmp(kw, "probe") == 0)
			rc = new_probe(db, &ps, s);
		else if (strcmp(kw, "match") == 0)
			rc = match_line(db, &ps, s);
		else if (strcmp(kw, "http-tech") == 0)
			rc = tech_line(db, &ps, s);
		else
			rc = probe_line(db, &ps, kw, s);
		if (rc == VG_ERR_LIMIT)
			return perr(&ps, "too many probes or rules (at most %d / %d)", PROBE_MAX,
			    PROBE_MATCH_MAX), VG_ERR_LIMIT;
		if (rc != VG_OK)
			return rc;
	}
	/* a rule naming a probe that does not exist would never fire: say so */
	for (size_t i = 0; i < db->nrules; i++) {
		bool found = !db->rules[i].probe[0];
		for (size_t j = 0; !found && j < db->nprobes; j++)
			found = strcmp(db->probes[j].name, db->rules[i].probe) == 0;
		if (!found) {
			ps.line = db->rules[i].line;
			return perr(&ps, "match names unknown probe '%s'", db->rules[i].probe);
		}
	}
	return VG_OK;
}

static int
load_file(struct probe_db *db, const char *path, char *err, size_t errsz)
{
	FILE *f = fopen(path, "re");
	struct vg_buf *b = NULL;
	char chunk[8192];
	size_t n;
	int rc;

	if (!f) {
		snprintf(err, errsz, "%.200s: %s", path, strerror(errno));
		return VG_ERR_IO;
	}
	if (!(b = vg_buf_new(4u << 20))) {
		fclose(f);
		return VG_ERR_NOMEM;
	}
	rc = VG_OK;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if ((rc = vg_buf_put(b, chunk, n)) != VG_OK) {
			snprintf(err, errsz, "%.200s: larger than 4 MiB", path);
			break;
		}
	if (rc == VG_OK && ferror(f)) {
		snprintf(err, errsz, "%.200s: read error", path);
		rc = VG_ERR_IO;
	}
	fclose(f);
	if (rc == VG_OK)
		rc = probe_db_parse(db, vg_buf_ptr(b), vg_buf_len(b), path, err, errsz);
	vg_buf_free(b);
	return rc;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
probe_db_load(struct probe_db *db, const char *path, char *err, size_t errsz)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL, full[4096];
	size_t n = 0, cap = 0;
	int rc = VG_OK;

	if (!d)
		return errno == ENOTDIR ? load_file(db, path, err, errsz) :
		    (snprintf(err, errsz, "%.200s: %s", path, strerror(errno)), VG_ERR_IO);
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 8 || strcmp(e->d_name + l - 7, ".probes") != 0)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			char **nn = realloc(names, nc * sizeof(*nn));
			if (!nn) {
				rc = VG_ERR_NOMEM;
				goto out;
			}
			names = nn;
			cap = nc;
		}
		if (!(names[n] = strdup(e->d_name))) {
			rc = VG_ERR_NOMEM;
			goto out;
		}
		n++;
	}
	qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n && rc == VG_OK; i++) {
		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		rc = load_file(db, full, err, errsz);
	}
	if (rc == VG_OK && n == 0) {
		snprintf(err, errsz, "%.200s: no *.probes files", path);
		rc = VG_ERR_NOTFOUND;
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

