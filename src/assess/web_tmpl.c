/* Web check templates: YAML (core/yaml's guarded loader) into struct web_tmpl.
 * Every key is checked against what this reader knows, so a typo ("matcher:")
 * is an error rather than a check that silently matches nothing. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "assess/web_tmpl.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/yaml.h"

#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct rd {
	struct vg_yaml *y;
	struct vg_yaml_msg m;	/* origin:line:column: message */
};

/* Checks that every key of map is one of keys (NULL-terminated). */
static int
only_keys(struct rd *r, const yaml_node_t *map, const char *what, const char *const *keys)
{
	yaml_node_t *k;

	if (map->type != YAML_MAPPING_NODE)
		return vg_yaml_fail(&r->m, map, VG_ERR_PARSE, "%s: expected a mapping, got %s", what,
		    vg_yaml_kind(map));
	if ((k = vg_yaml_unknown_key(r->y, map, keys)))
		return vg_yaml_fail(&r->m, k, VG_ERR_PARSE, "%s: unknown key '%.64s'", what,
		    vg_yaml_scalar(k) ? vg_yaml_scalar(k) : "?");
	return 0;
}

/* A scalar value copied; *out stays NULL when the key is absent. */
static int
get_str(struct rd *r, const yaml_node_t *map, const char *key, bool required, char **out)
{
	yaml_node_t *v = vg_yaml_map_get(r->y, map, key);
	const char *s;

	*out = NULL;
	if (!v) {
		if (required)
			return vg_yaml_fail(&r->m, map, VG_ERR_PARSE, "missing required key '%s'", key);
		return 0;
	}
	if (!(s = vg_yaml_scalar(v)))
		return vg_yaml_fail(&r->m, v, VG_ERR_PARSE, "%s: expected a scalar, got %s", key,
		    vg_yaml_kind(v));
	if (!(*out = strdup(s)))
		return vg_yaml_fail(&r->m, v, VG_ERR_NOMEM, "out of memory");
	return 0;
}

static int
get_bool(struct rd *r, const yaml_node_t *map, const char *key, bool *out)
{
	yaml_node_t *v = vg_yaml_map_get(r->y, map, key);
	const char *s;

	*out = false;
	if (!v)
		return 0;
	s = vg_yaml_scalar(v);
	if (s && strcmp(s, "true") == 0)
		*out = true;
	else if (!s || strcmp(s, "false") != 0)
		return vg_yaml_fail(&r->m, v, VG_ERR_PARSE, "%s: expected true or false", key);
	return 0;
}

/* "and" or "or" (the default when absent). */
static int
get_cond(struct rd *r, const yaml_node_t *map, const char *key, bool *and_cond)
{
	char *s = NULL;
	int rc = get_str(r, map, key, false, &s);

	*and_cond = false;
	if (rc == 0 && s && strcmp(s, "and") == 0)
		*and_cond = true;
	else if (rc == 0 && s && strcmp(s, "or") != 0)
		rc = vg_yaml_fail(&r->m, vg_yaml_map_get(r->y, map, key), VG_ERR_PARSE,
		    "%s: expected 'and' or 'or'", key);
	free(s);
	return rc;
}

/* A scalar or a list of scalars, copied into a NULL-free array (*n entries). */
static int
get_list(struct rd *r, const yaml_node_t *map, const char *key, size_t max, char ***out,
    size_t *n)
{
	yaml_node_t *v = vg_yaml_map_get(r->y, map, key);
	yaml_node_item_t *a, *b;
	size_t cnt;

	*out = NULL;
	*n = 0;
	if (!v)
		return 0;
	if (v->type == YAML_SCALAR_NODE) {
		a = NULL;
		b = NULL;
		cnt = 1;
	} else if (v->type == YAML_SEQUENCE_NODE) {
		a = v->data.sequence.items.start;
		b = v->data.sequence.items.top;
		cnt = (size_t)(b - a);
	} else {
		return vg_yaml_fail(&r->m, v, VG_ERR_PARSE, "%s: expected a list", key);
	}
	if (cnt == 0)
		return vg_yaml_fail(&r->m, v, VG_ERR_PARSE, "%s: empty list", key);
	if (cnt > max)
		return vg_yaml_fail(&r->m, v, VG_ERR_LIMIT, "%s: more than %zu entries", key, max);
	if (!(*out = calloc(cnt, sizeof(char *))))
		return vg_yaml_fail(&r->m, v, VG_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *e = a ? vg_yaml_node(r->y, a[i]) : v;
		const char *s = vg_yaml_scalar(e);

		if (!s)
			return vg_yaml_fail(&r->m, e ? e : v, VG_ERR_PARSE, "%s: entries must be scalars", key);
		if (!((*out)[i] = strdup(s)))
			return vg_yaml_fail(&r->m, v, VG_ERR_NOMEM, "out of memory");
		(*n)++;
	}
	return 0;
}

static void
free_list(char **l, size_t n)
{
	for (size_t i = 0; l && i < n; i++)
		free(l[i]);
	free(l);
}

static int
compile_regexes(struct rd *r, const yaml_node_t *at, char **src, size_t n, void ***out)
{
	*out = NULL;
	if (n == 0)
		return 0;
	if (!(*out = calloc(n, sizeof(void *))))
		return vg_yaml_fail(&r->m, at, VG_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		int ec;
		PCRE2_SIZE off;
		/* Bytes, not UTF-8: bodies are whatever the site sends. */
		(*out)[i] = pcre2_compile((PCRE2_SPTR)src[i], PCRE2_ZERO_TERMINATED, 0, &ec, &off,
		    NULL);
		if (!(*out)[i]) {
			PCRE2_UCHAR msg[120];

			pcre2_get_error_message(ec, msg, sizeof(msg));
			return vg_yaml_fail(&r->m, at, VG_ERR_PARSE, "regex '%.60s': %s at offset %zu", src[i],
			    (char *)msg, (size_t)off);
		}
	}
	return 0;
}

static void
free_regexes(void **re, size_t n)
{
	for (size_t i = 0; re && i < n; i++)
		pcre2_code_free(re[i]);
	free(re);
}

static int
get_part(struct rd *r, const yaml_node_t *map, enum web_part *part)
{
	char *s = NULL;
	int rc = get_str(r, map, "part", false, &s);

	*part = WEB_PART_BODY;
	if (rc == 0 && s) {
		if (strcmp(s, "header") == 0)
			*part = WEB_PART_HEADER;
		else if (strcmp(s, "all") == 0 || strcmp(s, "response") == 0)
			*part = WEB_PART_ALL;
		else if (strcmp(s, "body") != 0)
			rc = vg_yaml_fail(&r->m, vg_yaml_map_get(r->y, map, "part"), VG_ERR_PARSE,
			    "part: expected body, header or all");
	}
	free(s);
	return rc;
}

static int
get_nums(struct rd *r, const yaml_node_t *map, const char *key, long lo, long hi, long **out,
    size_t *n)
{
	char **l = NULL;
	size_t cnt = 0;
	int rc = get_list(r, map, key, WEB_TMPL_MAX_PATTERNS, &l, &cnt);

	*out = NULL;
	*n = 0;
	if (rc == 0 && cnt && !(*out = calloc(cnt, sizeof(long))))
		rc = vg_yaml_fail(&r->m, map, VG_ERR_NOMEM, "out of memory");
	for (size_t i = 0; rc == 0 && i < cnt; i++) {
		long long v;

		if (vg_parse_ll(l[i], lo, hi, &v) != VG_OK)
			rc = vg_yaml_fail(&r->m, vg_yaml_map_get(r->y, map, key), VG_ERR_PARSE,
			    "%s: '%.32s' is not a number in %ld..%ld", key, l[i], lo, hi);
		else
			(*out)[(*n)++] = (long)v;
	}
	free_list(l, cnt);
	return rc;
}

static int
parse_matcher(struct rd *r, const yaml_node_t *n, struct web_matcher *m)
{
	static const char *const keys[] = { "type", "part", "condition", "negative",
		"case-insensitive", "name", "words", "regex", "status", "size", NULL };
	char *type = NULL, **re = NULL;
	size_t nre = 0;
	int rc;

	if ((rc = only_keys(r, n, "matcher", keys)) || (rc = get_str(r, n, "type", true, &type)))
		goto out;
	if ((rc = get_part(r, n, &m->part)) || (rc = get_cond(r, n, "condition", &m->and_cond)) ||
	    (rc = get_bool(r, n, "negative", &m->negative)) ||
	    (rc = get_bool(r, n, "case-insensitive", &m->nocase)) ||
	    (rc = get_str(r, n, "name", false, &m->name)) ||
	    (rc = get_list(r, n, "words", WEB_TMPL_MAX_PATTERNS, &m->words, &m->nwords)) ||
	    (rc = get_list(r, n, "regex", WEB_TMPL_MAX_PATTERNS, &re, &nre)))
		goto out;
	m->nregex = nre;	/* before compiling: a failure frees what compiled */
	m->regex_src = re;
	re = NULL;
	if ((rc = compile_regexes(r, n, m->regex_src, nre, &m->regex)))
		goto out;
	if (strcmp(type, "status") == 0) {
		m->type = WEB_M_STATUS;
		rc = get_nums(r, n, "status", 100, 599, &m->nums, &m->nnums);
		if (rc == 0 && !m->nnums)
			rc = vg_yaml_fail(&r->m, n, VG_ERR_PARSE, "status matcher without 'status'");
	} else if (strcmp(type, "size") == 0) {
		m->type = WEB_M_SIZE;
		rc = get_nums(r, n, "size", 0, 1L << 30, &m->nums, &m->nnums);
		if (rc == 0 && !m->nnums)
			rc = vg_yaml_fail(&r->m, n, VG_ERR_PARSE, "size matcher without 'size'");
	} else if (strcmp(type, "word") == 0) {
		m->type = WEB_M_WORD;
		if (!m->nwords)
			rc = vg_yaml_fail(&r->m, n, VG_ERR_PARSE, "word matcher without 'words'");
	} else if (strcmp(type, "regex") == 0) {
		m->type = WEB_M_REGEX;
		if (!m->nregex)
			rc = vg_yaml_fail(&r->m, n, VG_ERR_PARSE, "regex matcher without 'regex'");
	} else if (strcmp(type, "header") == 0) {
		m->type = WEB_M_HEADER;
		if (!m->name || !*m->name)
			rc = vg_yaml_fail(&r->m, n, VG_ERR_PARSE, "header matcher without 'name'");
	} else {
		rc = vg_yaml_fail(&r->m, vg_yaml_map_get(r->y, n, "type"), VG_ERR_PARSE,
		    "matcher type '%.32s': expected status, word, regex, header or size", type);
	}
out:
	free(type);
	free_list(re, nre);
	return rc;
}

static int
parse_extractor(struct rd *r, const yaml_node_t *n, struct web_extractor *x)
{
	static const char *const keys[] = { "type", "part", "name", "regex", "group", "kval",
		NULL };
	char *type = NULL, *group = NULL, **re = NULL;
	size_t nre = 0;
	int rc;

	if ((rc = only_keys(r, n, "extractor", keys)) ||
	    (rc = get_str(r, n, "type", true, &type)) || (rc = get_part(r, n, &x->part)) ||
	    (rc = get_str(r, n, "name", false, &x->name)) ||
	    (rc = get_str(r, n, "group", false, &group)) ||
	    (rc = get_list(r, n, "regex", WEB_TMPL_MAX_PATTERNS, &re, &nre)))
		goto out;
	x->nregex = nre;
	if ((rc = compile_regexes(r, n, re, nre, &x->regex)) ||
	    (rc = get_list(r, n, "kval", WEB_TMPL_MAX_PATTERNS, &x->headers, &x->nheaders)))
		goto out;
	if (group) {
		long long g;

		if (vg_parse_ll(group, 0, 9, &g) != VG_OK) {
			rc = vg_yaml_fail(&r->m, n, VG_ERR_PARSE, "group: expected 0..9");
			goto out;
		}
		x->group = (int)g;
	}
	if (strcmp(type, "regex") == 0) {
		x->type = WEB_X_REGEX;
		if (!x->nregex)
			rc = vg_yaml_fail(&r->m, n, VG_ERR_PARSE, "regex extractor without 'regex'");
	} else if (strcmp(type, "kval") == 0) {
		x->type = WEB_X_HEADER;
		if (!x->nheaders)
			rc = vg_yaml_fail(&r->m, n, VG_ERR_PARSE, "kval extractor without 'kval'");
	} else {
		rc = vg_yaml_fail(&r->m, n, VG_ERR_PARSE, "extractor type '%.32s': expected regex or kval",
		    type);
	}
out:
	free(type);
	free(group);
	free_list(re, nre);
	return rc;
}

/* A list-valued key parsed item by item into an array of elem-sized structs. */
static int
parse_items(struct rd *r, const yaml_node_t *map, const char *key, size_t max, size_t elem,
    void **arr, size_t *n, int (*fn)(struct rd *, const yaml_node_t *, void *))
{
	yaml_node_t *v = vg_yaml_map_get(r->y, map, key);
	size_t cnt;

	*arr = NULL;
	*n = 0;
	if (!v)
		return 0;
	if (v->type != YAML_SEQUENCE_NODE)
		return vg_yaml_fail(&r->m, v, VG_ERR_PARSE, "%s: expected a list", key);
	cnt = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (cnt > max)
		return vg_yaml_fail(&r->m, v, VG_ERR_LIMIT, "%s: more than %zu entries", key, max);
	if (cnt && !(*arr = calloc(cnt, elem)))
		return vg_yaml_fail(&r->m, v, VG_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < cnt; i++) {
		int rc;

		(*n)++;
		rc = fn(r, vg_yaml_node(r->y, v->data.sequence.items.start[i]),
		    (char *)*arr + i * elem);
		if (rc)
			return rc;
	}
	return 0;
}

static int
matcher_cb(struct rd *r, const yaml_node_t *n, void *p)
{
	return n ? parse_matcher(r, n, p) : VG_ERR_PARSE;
}

static int
extractor_cb(struct rd *r, const yaml_node_t *n, void *p)
{
	return n ? parse_extractor(r, n, p) : VG_ERR_PARSE;
}

static int
parse_headers(struct rd *r, const yaml_node_t *req, struct web_request *q)
{
	yaml_node_t *h = vg_yaml_map_get(r->y, req, "headers");
	size_t cnt;

	if (!h)
		return 0;
	if (h->type != YAML_MAPPING_NODE)
		return vg_yaml_fail(&r->m, h, VG_ERR_PARSE, "headers: expected a mapping");
	cnt = (size_t)(h->data.mapping.pairs.top - h->data.mapping.pairs.start);
	if (cnt > WEB_TMPL_MAX_HEADERS)
		return vg_yaml_fail(&r->m, h, VG_ERR_LIMIT, "headers: more than %d", WEB_TMPL_MAX_HEADERS);
	if (cnt && !(q->headers = calloc(cnt, sizeof(*q->headers))))
		return vg_yaml_fail(&r->m, h, VG_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_pair_t *p = &h->data.mapping.pairs.start[i];
		const char *k = vg_yaml_scalar(vg_yaml_node(r->y, p->key));
		const char *v = vg_yaml_scalar(vg_yaml_node(r->y, p->value));

		/* A header line is built from these: no CR/LF may smuggle a second one. */
		if (!k || !v || !*k || strpbrk(k, "\r\n:") || strpbrk(v, "\r\n"))
			return vg_yaml_fail(&r->m, h, VG_ERR_PARSE, "headers: bad header name or value");
		q->nheaders++;
		if (!(q->headers[i].name = strdup(k)) || !(q->headers[i].value = strdup(v)))
			return vg_yaml_fail(&r->m, h, VG_ERR_NOMEM, "out of memory");
	}
	return 0;
}

static int
request_cb(struct rd *r, const yaml_node_t *n, void *p)
{
	static const char *const keys[] = { "method", "path", "headers", "body", "scheme",
		"matchers-condition", "matchers", "extractors", NULL };
	static const char *const methods[] = { "GET", "HEAD", "OPTIONS", "TRACE", NULL };
	struct web_request *q = p;
	void *arr;
	int rc;
	size_t i;

	if (!n)
		return VG_ERR_PARSE;
	if ((rc = only_keys(r, n, "request", keys)) ||
	    (rc = get_str(r, n, "method", false, &q->method)) ||
	    (rc = get_list(r, n, "path", WEB_TMPL_MAX_PATHS, &q->paths, &q->npaths)) ||
	    (rc = parse_headers(r, n, q)) || (rc = get_str(r, n, "body", false, &q->body)) ||
	    (rc = get_str(r, n, "scheme", false, &q->scheme)) ||
	    (rc = get_cond(r, n, "matchers-condition", &q->and_cond)))
		return rc;
	if (!q->method && !(q->method = strdup("GET")))
		return vg_yaml_fail(&r->m, n, VG_ERR_NOMEM, "out of memory");
	for (i = 0; methods[i] && strcmp(methods[i], q->method) != 0; i++)
		;
	if (!methods[i])
		return vg_yaml_fail(&r->m, n, VG_ERR_PARSE,
		    "method '%.16s': only GET, HEAD, OPTIONS and TRACE (checks never write)",
		    q->method);
	if (q->scheme && strcmp(q->scheme, "http") != 0 && strcmp(q->scheme, "https") != 0)
		return vg_yaml_fail(&r->m, n, VG_ERR_PARSE, "scheme: expected http or https");
	if (!q->npaths)
		return vg_yaml_fail(&r->m, n, VG_ERR_PARSE, "missing required key 'path'");
	for (i = 0; i < q->npaths; i++)
		if (strncmp(q->paths[i], "{{BaseURL}}", 11) != 0 &&
		    strncmp(q->paths[i], "{{RootURL}}", 11) != 0)
			return vg_yaml_fail(&r->m, n, VG_ERR_PARSE,
			    "path '%.60s': must start with {{BaseURL}} or {{RootURL}}", q->paths[i]);
	rc = parse_items(r, n, "matchers", WEB_TMPL_MAX_MATCHERS, sizeof(struct web_matcher), &arr,
	    &q->nmatchers, matcher_cb);
	q->matchers = arr;
	if (rc)
		return rc;
	if (!q->nmatchers)
		return vg_yaml_fail(&r->m, n, VG_ERR_PARSE, "a request needs at least one matcher");
	rc = parse_items(r, n, "extractors", WEB_TMPL_MAX_EXTRACTORS,
	    sizeof(struct web_extractor), &arr, &q->nextractors, extractor_cb);
	q->extractors = arr;
	return rc;
}

static int
parse_info(struct rd *r, const yaml_node_t *root, struct web_tmpl *t)
{
	static const char *const keys[] = { "name", "severity", "remediation", "description",
		"author", "tags", "reference", NULL };
	yaml_node_t *info = vg_yaml_map_get(r->y, root, "info");
	char *sev = NULL;
	int rc;

	if (!info)
		return vg_yaml_fail(&r->m, root, VG_ERR_PARSE, "missing required key 'info'");
	if ((rc = only_keys(r, info, "info", keys)) ||
	    (rc = get_str(r, info, "name", true, &t->name)) ||
	    (rc = get_str(r, info, "severity", true, &sev)) ||
	    (rc = get_str(r, info, "remediation", false, &t->remediation)))
		goto out;
	if (vg_severity_parse(sev, &t->severity) != VG_OK)
		rc = vg_yaml_fail(&r->m, vg_yaml_map_get(r->y, info, "severity"), VG_ERR_PARSE,
		    "severity '%.16s': expected info, low, medium, high or critical", sev);
	else if (!t->remediation && !(t->remediation = strdup("")))
		rc = vg_yaml_fail(&r->m, info, VG_ERR_NOMEM, "out of memory");
out:
	free(sev);
	return rc;
}

int
web_tmpl_parse(const char *text, size_t len, const char *origin, struct web_tmpl **out,
    char *err, size_t errsz)
{
	static const char *const keys[] = { "id", "info", "requests", "http", NULL };
	struct vg_yaml y = { 0 };
	struct vg_yaml_error ye;
	struct rd r = { .y = &y, .m = { origin, err, errsz, true } };
	struct web_tmpl *t = NULL;
	yaml_node_t *root;
	void *arr;
	int rc;

	*out = NULL;
	if (errsz)
		err[0] = '\0';
	if (len > WEB_TMPL_MAX_TEXT) {
		rc = vg_yaml_fail(&r.m, NULL, VG_ERR_LIMIT, "larger than %d bytes", WEB_TMPL_MAX_TEXT);
		goto out;
	}
	if ((rc = vg_yaml_load(&y, text, len, WEB_TMPL_MAX_NODES, &ye)) != VG_OK) {
		vg_yaml_fail_load(&r.m, &ye, "template too large or too deep", rc);
		goto out;
	}
	if (!(root = vg_yaml_root(&y))) {
		rc = vg_yaml_fail(&r.m, NULL, VG_ERR_PARSE, "empty template");
		goto out;
	}
	if (!(t = calloc(1, sizeof(*t))) || !(t->origin = strdup(origin))) {
		rc = vg_yaml_fail(&r.m, NULL, VG_ERR_NOMEM, "out of memory");
		goto out;
	}
	if ((rc = only_keys(&r, root, "template", keys)) ||
	    (rc = get_str(&r, root, "id", true, &t->id)) || (rc = parse_info(&r, root, t)))
		goto out;
	if (!*t->id || strspn(t->id, "abcdefghijklmnopqrstuvwxyz0123456789-_.") != strlen(t->id)) {
		rc = vg_yaml_fail(&r.m, vg_yaml_map_get(&y, root, "id"), VG_ERR_PARSE,
		    "id: lower-case letters, digits, '-', '_' and '.' only");
		goto out;
	}
	/* nuclei names the list "requests" in older templates, "http" in newer ones. */
	rc = parse_items(&r, root, vg_yaml_map_get(&y, root, "http") ? "http" : "requests",
	    WEB_TMPL_MAX_REQUESTS, sizeof(struct web_request), &arr, &t->nrequests, request_cb);
	t->requests = arr;
	if (rc == 0 && !t->nrequests)
		rc = vg_yaml_fail(&r.m, root, VG_ERR_PARSE, "missing required key 'requests'");
out:
	if (rc && errsz && err[0] == '\0')
		snprintf(err, errsz, "%s: %s", origin, vg_strerror(rc));
	if (rc)
		web_tmpl_free(t);
	else
		*out = t;
	vg_yaml_free(&y);
	return rc;
}

static void
free_request(struct web_request *q)
{
	free(q->method);
	free_list(q->paths, q->npaths);
	for (size_t i = 0; i < q->nheaders; i++) {
		free(q->headers[i].name);
		free(q->headers[i].value);
	}
	free(q->headers);
	free(q->body);
	free(q->scheme);
	for (size_t i = 0; i < q->nmatchers; i++) {
		struct web_matcher *m = &q->matchers[i];

		free(m->name);
		free_list(m->words, m->nwords);
		free_regexes(m->regex, m->nregex);
		free_list(m->regex_src, m->nregex);
		free(m->nums);
	}
	free(q->matchers);
	for (size_t i = 0; i < q->nextractors; i++) {
		struct web_extractor *x = &q->extractors[i];

		free(x->name);
		free_regexes(x->regex, x->nregex);
		free_list(x->headers, x->nheaders);
	}
	free(q->extractors);
}

void
web_tmpl_free(struct web_tmpl *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrequests; i++)
		free_request(&t->requests[i]);
	free(t->requests);
	free(t->id);
	free(t->name);
	free(t->remediation);
	free(t->origin);
	free(t);
}
