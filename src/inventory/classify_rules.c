/* Loading rules/assets/classes.yaml (see classify.h): every mistake is reported
 * as file:line:col with the key, so a team editing the file sees all of them at
 * once, as with the config and the detection rules. */
#include "inventory/classify.h"
#include "inventory/classify_int.h"

#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "core/yaml.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define CLASSIFY_MAX_NODES 20000
#define CLASSIFY_FILE_MAX (1 << 20)

const struct cond_key classify_keys[] = {
	{ "declared", CT_BOOL, CS_ASSET, "declared", "in the declared inventory" },
	{ "shadow", CT_BOOL, CS_ASSET, "shadow", "seen by a scan, not declared" },
	{ "stale", CT_BOOL, CS_ASSET, "stale", "declared, not seen by the latest scans" },
	{ "internet_facing", CT_BOOL, CS_ASSET, "internet_facing", "declared internet-facing" },
	{ "public", CT_BOOL, CS_ASSET, "public", "a public (globally routed) address" },
	{ "exposed", CT_BOOL, CS_ASSET, "exposed", "internet_facing or public" },
	{ "open_ports", CT_BOOL, CS_ASSET, "open_ports", "has an open port" },
	{ "min_level", CT_INT, CS_ASSET, "level", "importance level at least N" },
	{ "role", CT_REGEX, CS_ASSET, "role", "declared role matches" },
	{ "system", CT_REGEX, CS_ASSET, "system_name", "system name matches" },
	{ "hostname", CT_REGEX, CS_ASSET, "hostname", "host name matches" },
	{ "address", CT_REGEX, CS_ASSET, "address", "address matches" },
	{ "port", CT_PORTS, CS_SERVICE, "port", "an open port in the list" },
	{ "service", CT_REGEX, CS_SERVICE, "name", "service name matches" },
	{ "product", CT_REGEX, CS_SERVICE, "product", "product matches" },
	{ "version", CT_REGEX, CS_SERVICE, "version", "version matches" },
	{ "banner", CT_REGEX, CS_SERVICE, "banner", "banner matches" },
	{ "http_title", CT_REGEX, CS_SERVICE, "http_title", "HTTP title matches" },
	{ "http_server", CT_REGEX, CS_SERVICE, "http_server", "HTTP Server header matches" },
	{ "tls_subject", CT_REGEX, CS_SERVICE, "tls_subject", "certificate subject matches" },
	{ "tls_issuer", CT_REGEX, CS_SERVICE, "tls_issuer", "certificate issuer matches" },
	{ "tls_sans", CT_REGEX, CS_SERVICE, "tls_sans", "certificate names match" },
	{ "tls_expires_within", CT_AGE, CS_SERVICE, "tls_not_after",
		"certificate expires within (e.g. 30d)" },
	{ "talks_to", CT_CLASSES, CS_PEERS, "links", "connects to an asset of a class" },
	{ "same_system_as", CT_CLASSES, CS_PEERS, "system_name",
		"same system name as an asset of a class" },
	{ NULL, 0, 0, NULL, NULL },
};

struct loader {
	const char *file;
	struct vg_yaml *y;
	struct vg_buf *errs;
	int nerr;
};

static void __attribute__((format(printf, 3, 4)))
bad(struct loader *ld, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	ld->nerr++;
	if (n)
		vg_buf_putf(ld->errs, "%s:%zu:%zu: ", ld->file, n->start_mark.line + 1,
		    n->start_mark.column + 1);
	else
		vg_buf_putf(ld->errs, "%s: ", ld->file);
	va_start(ap, fmt);
	vg_buf_vputf(ld->errs, fmt, ap);
	va_end(ap);
	vg_buf_puts(ld->errs, "\n");
}

static void
cond_free(struct cond *c)
{
	for (size_t i = 0; i < c->nv; i++) {
		if (c->re)
			pcre2_code_free(c->re[i]);
		if (c->names)
			free(c->names[i]);
	}
	free(c->re);
	free(c->ports);
	free(c->names);
}

void
classify_rules_free(struct classify_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		struct rule *x = &r->r[i];
		for (size_t w = 0; w < x->nw; w++) {
			for (size_t c = 0; c < x->w[w].n; c++)
				cond_free(&x->w[w].c[c]);
			free(x->w[w].c);
		}
		free(x->w);
		free(x->reason);
		free(x->cls);
	}
	free(r->r);
	pcre2_match_data_free(r->md);
	pcre2_match_context_free(r->mctx);
	free(r);
}

size_t
classify_rules_count(const struct classify_rules *r)
{
	return r ? r->n : 0;
}

/* A scalar or a list of scalars as a list of nodes (one-element for a scalar). */
static int
items(struct loader *ld, yaml_node_t *v, yaml_node_t ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (v->type == YAML_SCALAR_NODE) {
		if (!(*out = malloc(sizeof(**out))))
			return VG_ERR_NOMEM;
		(*out)[0] = v;
		*n = 1;
		return VG_OK;
	}
	if (v->type != YAML_SEQUENCE_NODE) {
		bad(ld, v, "expected a value or a list of values, got %s", vg_yaml_kind(v));
		return VG_ERR_CONFIG;
	}
	size_t cnt = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (!(*out = calloc(cnt ? cnt : 1, sizeof(**out))))
		return VG_ERR_NOMEM;
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *it = vg_yaml_node(ld->y, v->data.sequence.items.start[i]);
		if (!it || it->type != YAML_SCALAR_NODE) {
			bad(ld, it ? it : v, "expected a plain value in the list");
			free(*out);
			*out = NULL;
			return VG_ERR_CONFIG;
		}
		(*out)[i] = it;
	}
	*n = cnt;
	return VG_OK;
}

static int
parse_bool(const char *s, bool *b)
{
	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0) {
		*b = true;
		return VG_OK;
	}
	if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0) {
		*b = false;
		return VG_OK;
	}
	return VG_ERR_PARSE;
}

static int
cond_values(struct loader *ld, struct cond *c, yaml_node_t *v)
{
	yaml_node_t **it = NULL;
	size_t n = 0;
	int r = items(ld, v, &it, &n);

	if (r != VG_OK)
		return r;
	if (n == 0) {
		bad(ld, v, "%s: empty list", c->key->name);
		free(it);
		return VG_ERR_CONFIG;
	}
	c->nv = n;
	if (c->key->type == CT_PORTS)
		c->ports = calloc(n, sizeof(*c->ports));
	else
		c->names = calloc(n, sizeof(*c->names));
	if (c->key->type == CT_REGEX)
		c->re = calloc(n, sizeof(*c->re));
	if ((c->key->type == CT_PORTS && !c->ports) || (c->key->type != CT_PORTS && !c->names) ||
	    (c->key->type == CT_REGEX && !c->re)) {
		free(it);
		return VG_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const char *s = vg_yaml_scalar(it[i]);
		long long port;
		if (c->key->type == CT_PORTS) {
			if (vg_parse_ll(s, 1, 65535, &port) != VG_OK) {
				bad(ld, it[i], "%s: '%s' is not a port (1-65535)", c->key->name, s);
				r = VG_ERR_CONFIG;
			} else {
				c->ports[i] = (int)port;
			}
			continue;
		}
		if (!(c->names[i] = strdup(s))) {
			r = VG_ERR_NOMEM;
			break;
		}
		if (c->key->type == CT_REGEX) {
			int ec;
			PCRE2_SIZE off;
			c->re[i] = pcre2_compile((PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED,
			    PCRE2_CASELESS | PCRE2_UTF, &ec, &off, NULL);
			if (!c->re[i]) {
				PCRE2_UCHAR msg[120];
				pcre2_get_error_message(ec, msg, sizeof(msg));
				bad(ld, it[i], "%s: bad pattern at offset %zu: %s", c->key->name,
				    (size_t)off, (const char *)msg);
				r = VG_ERR_CONFIG;
			}
		}
	}
	free(it);
	return r;
}

static int
cond_parse(struct loader *ld, struct cond *c, yaml_node_t *k, yaml_node_t *v, bool *peers)
{
	const char *name = vg_yaml_scalar(k), *s = vg_yaml_scalar(v);

	for (size_t i = 0; name && classify_keys[i].name; i++)
		if (strcmp(name, classify_keys[i].name) == 0)
			c->key = &classify_keys[i];
	if (!c->key) {
		bad(ld, k, "unknown condition '%s' (see the list at the top of the file)",
		    name ? name : "?");
		return VG_ERR_CONFIG;
	}
	if (c->key->scope == CS_PEERS)
		*peers = true;
	switch (c->key->type) {
	case CT_BOOL:
		if (!s || parse_bool(s, &c->b) != VG_OK) {
			bad(ld, v, "%s: expected true or false", name);
			return VG_ERR_CONFIG;
		}
		return VG_OK;
	case CT_INT:
		if (!s || vg_parse_ll(s, 0, 100, &c->n) != VG_OK) {
			bad(ld, v, "%s: expected a number", name);
			return VG_ERR_CONFIG;
		}
		return VG_OK;
	case CT_AGE:
		if (!s || vg_parse_age(s, &c->us) != VG_OK) {
			bad(ld, v, "%s: expected a duration such as 30d", name);
			return VG_ERR_CONFIG;
		}
		return VG_OK;
	default:
		return cond_values(ld, c, v);
	}
}

static int
when_parse(struct loader *ld, struct when *w, yaml_node_t *m, bool *peers)
{
	int r = VG_OK, r2;

	if (m->type != YAML_MAPPING_NODE) {
		bad(ld, m, "a 'when' item must be a mapping of conditions");
		return VG_ERR_CONFIG;
	}
	size_t n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	if (n == 0) {
		bad(ld, m, "a 'when' item needs at least one condition");
		return VG_ERR_CONFIG;
	}
	if (!(w->c = calloc(n, sizeof(*w->c))))
		return VG_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		yaml_node_pair_t *p = &m->data.mapping.pairs.start[i];
		w->n++;
		r2 = cond_parse(ld, &w->c[i], vg_yaml_node(ld->y, p->key),
		    vg_yaml_node(ld->y, p->value), peers);
		if (r2 == VG_ERR_NOMEM)
			return r2;
		if (r2 != VG_OK)
			r = r2;
	}
	return r;
}

static const char *
scalar_of(struct loader *ld, yaml_node_t *rule, const char *key)
{
	yaml_node_t *v = vg_yaml_map_get(ld->y, rule, key);

	if (!v)
		return NULL;
	if (!vg_yaml_scalar(v)) {
		bad(ld, v, "%s: expected a value", key);
		return NULL;
	}
	return vg_yaml_scalar(v);
}

static int
rule_parse(struct loader *ld, struct rule *x, yaml_node_t *m)
{
	static const char *const known[] = { "reason", "class", "score", "when", NULL };
	const char *reason, *cls, *score;
	yaml_node_t *when;
	long long sc = 0;
	int r = VG_OK, r2;

	x->line = m->start_mark.line + 1;
	if (m->type != YAML_MAPPING_NODE) {
		bad(ld, m, "a rule must be a mapping (reason, class, score, when)");
		return VG_ERR_CONFIG;
	}
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = vg_yaml_node(ld->y, p->key);
		const char *ks = vg_yaml_scalar(k);
		bool ok = false;
		for (int i = 0; ks && known[i]; i++)
			ok |= strcmp(ks, known[i]) == 0;
		if (!ok)
			bad(ld, k, "unknown key '%s' (a rule has reason, class, score, when)",
			    ks ? ks : "?");
	}
	reason = scalar_of(ld, m, "reason");
	cls = scalar_of(ld, m, "class");
	score = scalar_of(ld, m, "score");
	when = vg_yaml_map_get(ld->y, m, "when");
	if (!reason || !*reason)
		bad(ld, m, "rule without a 'reason'");
	if (score && vg_parse_ll(score, -100, 100, &sc) != VG_OK)
		bad(ld, vg_yaml_map_get(ld->y, m, "score"), "score: expected -100..100");
	x->score = (int)sc;
	if ((reason && !(x->reason = strdup(reason))) || (cls && !(x->cls = strdup(cls))))
		return VG_ERR_NOMEM;
	if (!when) {
		bad(ld, m, "rule without 'when'");
		return VG_ERR_CONFIG;
	}
	if (when->type == YAML_MAPPING_NODE) {
		if (!(x->w = calloc(1, sizeof(*x->w))))
			return VG_ERR_NOMEM;
		x->nw = 1;
		return when_parse(ld, &x->w[0], when, &x->peers);
	}
	if (when->type != YAML_SEQUENCE_NODE) {
		bad(ld, when, "when: expected a mapping or a list of mappings");
		return VG_ERR_CONFIG;
	}
	size_t n = (size_t)(when->data.sequence.items.top - when->data.sequence.items.start);
	if (n == 0) {
		bad(ld, when, "when: empty list");
		return VG_ERR_CONFIG;
	}
	if (!(x->w = calloc(n, sizeof(*x->w))))
		return VG_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		x->nw++;
		r2 = when_parse(ld, &x->w[i], vg_yaml_node(ld->y, when->data.sequence.items.start[i]),
		    &x->peers);
		if (r2 == VG_ERR_NOMEM)
			return r2;
		if (r2 != VG_OK)
			r = r2;
	}
	return r;
}

int
classify_rules_parse(const char *name, const char *text, size_t len,
    struct classify_rules **out, struct vg_buf *errs)
{
	struct vg_yaml y = { .loaded = false };
	struct vg_yaml_error ye;
	struct loader ld = { .file = name, .y = &y, .errs = errs };
	struct classify_rules *cr = NULL;
	yaml_node_t *root, *list;
	int r;

	*out = NULL;
	if ((r = vg_yaml_load(&y, text, len, CLASSIFY_MAX_NODES, &ye)) != VG_OK) {
		if (r == VG_ERR_NOMEM)
			goto out;
		vg_buf_putf(errs, "%s:%zu:%zu: %s%s\n", name, ye.line, ye.column,
		    ye.too_large ? "" : "yaml: ", ye.problem[0] ? ye.problem : "error");
		r = VG_ERR_CONFIG;
		goto out;
	}
	root = vg_yaml_root(&y);
	list = root && root->type == YAML_MAPPING_NODE ? vg_yaml_map_get(&y, root, "rules") : NULL;
	if (!list || list->type != YAML_SEQUENCE_NODE) {
		bad(&ld, root, "expected a mapping with 'rules:' (a list of rules)");
		r = VG_ERR_CONFIG;
		goto out;
	}
	if (!(cr = calloc(1, sizeof(*cr))) || !(cr->md = pcre2_match_data_create(4, NULL)) ||
	    !(cr->mctx = pcre2_match_context_create(NULL))) {
		r = VG_ERR_NOMEM;
		goto out;
	}
	/* the names come from outside: a pathological pattern must not hang a run */
	pcre2_set_match_limit(cr->mctx, 100000);
	size_t n = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
	if (n && !(cr->r = calloc(n, sizeof(*cr->r)))) {
		r = VG_ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		cr->n++;
		r = rule_parse(&ld, &cr->r[i], vg_yaml_node(&y, list->data.sequence.items.start[i]));
		if (r == VG_ERR_NOMEM)
			goto out;
	}
	r = ld.nerr ? VG_ERR_CONFIG : VG_OK;
out:
	vg_yaml_free(&y);
	if (r != VG_OK)
		classify_rules_free(cr);
	else
		*out = cr;
	return r;
}

int
classify_rules_load(const char *path, struct classify_rules **out, struct vg_buf *errs)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0;
	int r;

	*out = NULL;
	if (!f) {
		vg_buf_putf(errs, "%s: cannot open: %s\n", path, strerror(errno));
		return VG_ERR_IO;
	}
	if (!(text = malloc(CLASSIFY_FILE_MAX + 1))) {
		fclose(f);
		return VG_ERR_NOMEM;
	}
	len = fread(text, 1, CLASSIFY_FILE_MAX + 1, f);
	if (ferror(f) || len > CLASSIFY_FILE_MAX) {
		vg_buf_putf(errs, "%s: %s\n", path,
		    ferror(f) ? "read error" : "larger than 1 MiB");
		r = VG_ERR_IO;
	} else {
		r = classify_rules_parse(path, text, len, out, errs);
	}
	free(text);
	fclose(f);
	return r;
}

void
classify_rules_find(const char *opt, const char *monitor_rules, const char *default_dir,
    char *out, size_t size)
{
	struct stat sb;

	if (opt) {
		snprintf(out, size, "%s", opt);
		return;
	}
	if (monitor_rules) {
		snprintf(out, size, "%s/%s", monitor_rules, CLASSIFY_RULES_FILE);
		if (stat(out, &sb) == 0)
			return;
	}
	snprintf(out, size, "%s/%s", default_dir ? default_dir : ".", CLASSIFY_RULES_FILE);
}
