/* SCA policy files into struct sca_policy: the YAML through core/yaml's guarded
 * loader (alias blow-up refused), variables substituted, each rule parsed and its
 * regexes compiled once, so judging a tree is only matching. Keys Wazuh files carry
 * that vigil does not use (compliance, references, impact, regex_type) are ignored
 * so existing SCA files load. */
#include "assess/sca.h"
#include "core/err.h"
#include "core/event.h"
#include "core/yaml.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCA_MAX_NODES 200000
#define SCA_MAX_VARS 64
#define SCA_RULE_MAX 4096

struct loader {
	struct vg_yaml *y;
	struct vg_yaml_msg m;	/* origin:line: message (no column, as before) */
	const char *var_name[SCA_MAX_VARS];
	const char *var_value[SCA_MAX_VARS];
	size_t n_vars;
};

static char *
dup_scalar(struct loader *l, const yaml_node_t *map, const char *key)
{
	const char *s = vg_yaml_scalar(vg_yaml_map_get(l->y, map, key));
	return s ? strdup(s) : NULL;
}

static void
op_free(struct sca_op *o)
{
	free(o->text);
	pcre2_match_data_free(o->md);
	pcre2_code_free(o->re);
}

static void
rule_free(struct sca_rule *r)
{
	for (size_t i = 0; i < r->n_name; i++)
		op_free(&r->name_ops[i]);
	for (size_t i = 0; i < r->n_ops; i++)
		op_free(&r->ops[i]);
	free(r->name_ops);
	free(r->ops);
	free(r->text);
	free(r->location);
}

static void
check_free(struct sca_check *c)
{
	for (size_t i = 0; i < c->n_rules; i++)
		rule_free(&c->rules[i]);
	free(c->rules);
	free(c->id), free(c->title), free(c->description), free(c->rationale);
	free(c->remediation), free(c->fix);
}

void
sca_policy_free(struct sca_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_checks; i++)
		check_free(&p->checks[i]);
	check_free(&p->requirements);
	free(p->checks);
	free(p->path), free(p->id), free(p->name), free(p->description);
	free(p);
}

static int
compile(struct loader *l, const yaml_node_t *n, struct sca_op *o, const char *pat, size_t len)
{
	int ec;
	PCRE2_SIZE off;

	if (!(o->text = strndup(pat, len)))
		return VG_ERR_NOMEM;
	o->re = pcre2_compile((PCRE2_SPTR)o->text, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_NO_UTF_CHECK,
	    &ec, &off, NULL);
	if (!o->re) {
		PCRE2_UCHAR msg[128];
		pcre2_get_error_message(ec, msg, sizeof(msg));
		return vg_yaml_fail(&l->m, n, VG_ERR_PARSE, "regex '%s' at %zu: %s", o->text, (size_t)off,
		    (const char *)msg);
	}
	if (!(o->md = pcre2_match_data_create_from_pattern(o->re, NULL)))
		return VG_ERR_NOMEM;
	return VG_OK;
}

/* One operator: "r:RE", "!r:RE", "n:RE compare OP N", or a line to equal. */
static int
parse_op(struct loader *l, const yaml_node_t *n, const char *s, size_t len, struct sca_op *o)
{
	static const char *const cmps[] = { "<", "<=", "==", "!=", ">=", ">" };
	const char *kw;

	memset(o, 0, sizeof(*o));
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len >= 1 && s[0] == '!') {
		o->negate = true;
		s++, len--;
	}
	if (len >= 2 && strncmp(s, "r:", 2) == 0) {
		o->kind = SCA_OP_REGEX;
		return compile(l, n, o, s + 2, len - 2);
	}
	if (len >= 2 && strncmp(s, "n:", 2) == 0) {
		char tail[64], op[4];
		long long v;
		o->kind = SCA_OP_NUMERIC;
		/* the pattern runs to the last " compare " */
		for (kw = s + len - 9; kw > s + 2 && strncmp(kw, " compare ", 9) != 0; kw--)
			;
		if (kw <= s + 2)
			return vg_yaml_fail(&l->m, n, VG_ERR_PARSE, "n: needs 'REGEX compare OP NUMBER'");
		size_t tl = (size_t)(s + len - (kw + 9));
		if (tl >= sizeof(tail))
			return vg_yaml_fail(&l->m, n, VG_ERR_PARSE, "n: comparison too long");
		memcpy(tail, kw + 9, tl);
		tail[tl] = '\0';
		char *sp = strchr(tail, ' ');
		if (!sp || sp - tail > 2)
			return vg_yaml_fail(&l->m, n, VG_ERR_PARSE, "n: needs 'compare OP NUMBER'");
		memcpy(op, tail, (size_t)(sp - tail));
		op[sp - tail] = '\0';
		size_t k;
		for (k = 0; k < 6 && strcmp(op, cmps[k]) != 0; k++)
			;
		if (k == 6 || vg_parse_ll(sp + 1, -(1LL << 62), 1LL << 62, &v) != VG_OK)
			return vg_yaml_fail(&l->m, n, VG_ERR_PARSE, "n: bad comparison '%s'", tail);
		o->cmp = (enum sca_cmp)k;
		o->value = v;
		int r = compile(l, n, o, s + 2, (size_t)(kw - (s + 2)));
		uint32_t groups = 0;
		if (r == VG_OK && (pcre2_pattern_info(o->re, PCRE2_INFO_CAPTURECOUNT, &groups) != 0 ||
				      groups < 1))
			return vg_yaml_fail(&l->m, n, VG_ERR_PARSE, "n: regex needs a (group) around the number");
		return r;
	}
	o->kind = SCA_OP_EQUAL;
	return (o->text = strndup(s, len)) ? VG_OK : VG_ERR_NOMEM;
}

/* "a && b && c" into ops. */
static int
parse_ops(struct loader *l, const yaml_node_t *n, const char *s, size_t len, struct sca_op **ops,
    size_t *n_ops)
{
	const char *end = s + len, *p = s;

	for (;;) {
		const char *amp = memmem(p, (size_t)(end - p), " && ", 4);
		const char *stop = amp ? amp : end;
		struct sca_op *no = realloc(*ops, (*n_ops + 1) * sizeof(**ops));
		if (!no)
			return VG_ERR_NOMEM;
		*ops = no;
		memset(&no[*n_ops], 0, sizeof(no[0]));
		int r = parse_op(l, n, p, (size_t)(stop - p), &no[*n_ops]);
		(*n_ops)++;
		if (r != VG_OK)
			return r;
		if (!amp)
			return VG_OK;
		p = amp + 4;
	}
}

/* Replaces $name by its value (variables: section). */
static int
expand(struct loader *l, const yaml_node_t *n, const char *s, char *out, size_t size)
{
	size_t o = 0;

	while (*s) {
		size_t k = 0, best = 0, bl = 0;
		if (*s == '$')
			for (k = 0; k < l->n_vars; k++) {
				size_t vl = strlen(l->var_name[k]);
				if (strncmp(s, l->var_name[k], vl) == 0 && vl > bl)
					best = k, bl = vl;
			}
		const char *add = bl ? l->var_value[best] : s;
		size_t al = bl ? strlen(add) : 1;
		if (o + al >= size)
			return vg_yaml_fail(&l->m, n, VG_ERR_LIMIT, "rule too long");
		memcpy(out + o, add, al);
		o += al;
		s += bl ? bl : 1;
	}
	out[o] = '\0';
	return VG_OK;
}

static int
parse_rule(struct loader *l, const yaml_node_t *n, const char *text, struct sca_rule *r)
{
	char buf[SCA_RULE_MAX];
	const char *s = buf, *arrow, *arrow2;
	int rc;

	if ((rc = expand(l, n, text, buf, sizeof(buf))) != VG_OK)
		return rc;
	if (!(r->text = strdup(buf)))
		return VG_ERR_NOMEM;
	if (strncmp(s, "not ", 4) == 0) {
		r->negate = true;
		s += 4;
	}
	if (!strchr("fdcpx", s[0]) || s[0] == '\0' || s[1] != ':')
		return vg_yaml_fail(&l->m, n, VG_ERR_PARSE, "rule '%s': expected f:, d:, c:, p: or x:", text);
	r->type = s[0];
	s += 2;
	arrow = strstr(s, " -> ");
	if (!(r->location = strndup(s, arrow ? (size_t)(arrow - s) : strlen(s))))
		return VG_ERR_NOMEM;
	if (!*r->location)
		return vg_yaml_fail(&l->m, n, VG_ERR_PARSE, "rule '%s': empty location", text);
	if (r->type == 'x' && !sca_probe_known(r->location))
		return vg_yaml_fail(&l->m, n, VG_ERR_PARSE, "rule '%s': unknown probe", text);
	if (!arrow)
		return VG_OK;
	s = arrow + 4;
	if (r->type == 'd' && (arrow2 = strstr(s, " -> "))) {
		if ((rc = parse_ops(l, n, s, (size_t)(arrow2 - s), &r->name_ops, &r->n_name)) != VG_OK)
			return rc;
		s = arrow2 + 4;
	} else if (r->type == 'd') {
		/* "d:/dir -> NAME": files named so exist */
		return parse_ops(l, n, s, strlen(s), &r->name_ops, &r->n_name);
	}
	if (r->type == 'p')
		return vg_yaml_fail(&l->m, n, VG_ERR_PARSE, "rule '%s': p: takes no content", text);
	return parse_ops(l, n, s, strlen(s), &r->ops, &r->n_ops);
}

static int
parse_check(struct loader *l, const yaml_node_t *map, struct sca_check *c, bool req)
{
	const char *cond, *sev;
	yaml_node_t *rules;
	int rc;

	if (!map || map->type != YAML_MAPPING_NODE)
		return vg_yaml_fail(&l->m, map, VG_ERR_FORMAT, "a check must be a mapping");
	c->id = dup_scalar(l, map, "id");
	c->title = dup_scalar(l, map, "title");
	c->description = dup_scalar(l, map, "description");
	c->rationale = dup_scalar(l, map, "rationale");
	c->remediation = dup_scalar(l, map, "remediation");
	c->fix = dup_scalar(l, map, "fix");
	c->severity = VG_SEV_MEDIUM;
	if ((sev = vg_yaml_scalar(vg_yaml_map_get(l->y, map, "severity")))) {
		enum vg_severity s;
		if (vg_severity_parse(sev, &s) != VG_OK)
			return vg_yaml_fail(&l->m, map, VG_ERR_FORMAT, "bad severity '%s'", sev);
		c->severity = (int)s;
	}
	if ((!req && !c->id) || !c->title)
		return vg_yaml_fail(&l->m, map, VG_ERR_FORMAT, "a check needs id and title");
	cond = vg_yaml_scalar(vg_yaml_map_get(l->y, map, "condition"));
	if (!cond || strcmp(cond, "all") == 0)
		c->cond = SCA_ALL;
	else if (strcmp(cond, "any") == 0)
		c->cond = SCA_ANY;
	else if (strcmp(cond, "none") == 0)
		c->cond = SCA_NONE;
	else
		return vg_yaml_fail(&l->m, map, VG_ERR_FORMAT, "condition must be all, any or none");
	rules = vg_yaml_map_get(l->y, map, "rules");
	if (!rules || rules->type != YAML_SEQUENCE_NODE ||
	    rules->data.sequence.items.top == rules->data.sequence.items.start)
		return vg_yaml_fail(&l->m, map, VG_ERR_FORMAT, "check %s: rules must be a non-empty list",
		    c->id ? c->id : "requirements");
	size_t n = (size_t)(rules->data.sequence.items.top - rules->data.sequence.items.start);
	if (!(c->rules = calloc(n, sizeof(*c->rules))))
		return VG_ERR_NOMEM;
	for (yaml_node_item_t *it = rules->data.sequence.items.start;
	     it < rules->data.sequence.items.top; it++) {
		yaml_node_t *rn = vg_yaml_node(l->y, *it);
		const char *t = vg_yaml_scalar(rn);
		if (!t)
			return vg_yaml_fail(&l->m, rn, VG_ERR_FORMAT, "a rule must be a string");
		rc = parse_rule(l, rn, t, &c->rules[c->n_rules]);
		c->n_rules++;
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

static int
load_vars(struct loader *l, const yaml_node_t *root)
{
	yaml_node_t *v = vg_yaml_map_get(l->y, root, "variables");

	if (!v)
		return VG_OK;
	if (v->type != YAML_MAPPING_NODE)
		return vg_yaml_fail(&l->m, v, VG_ERR_FORMAT, "variables must be a mapping");
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
		const char *k = vg_yaml_scalar(vg_yaml_node(l->y, p->key));
		const char *val = vg_yaml_scalar(vg_yaml_node(l->y, p->value));
		if (!k || !val || k[0] != '$' || l->n_vars >= SCA_MAX_VARS)
			return vg_yaml_fail(&l->m, v, VG_ERR_FORMAT, "variables: '$name: value' (at most %d)",
			    SCA_MAX_VARS);
		l->var_name[l->n_vars] = k;
		l->var_value[l->n_vars++] = val;
	}
	return VG_OK;
}

static int
build(struct loader *l, struct sca_policy *p)
{
	yaml_node_t *root = vg_yaml_root(l->y), *pol, *req, *checks;
	int rc;

	if (!root || root->type != YAML_MAPPING_NODE)
		return vg_yaml_fail(&l->m, root, VG_ERR_FORMAT, "not an SCA policy (no mapping)");
	pol = vg_yaml_map_get(l->y, root, "policy");
	if (!pol || pol->type != YAML_MAPPING_NODE || !(p->id = dup_scalar(l, pol, "id")))
		return vg_yaml_fail(&l->m, root, VG_ERR_FORMAT, "not an SCA policy (policy: id missing)");
	p->name = dup_scalar(l, pol, "name");
	p->description = dup_scalar(l, pol, "description");
	if ((rc = load_vars(l, root)) != VG_OK)
		return rc;
	if ((req = vg_yaml_map_get(l->y, root, "requirements"))) {
		p->has_requirements = true;
		if ((rc = parse_check(l, req, &p->requirements, true)) != VG_OK)
			return rc;
	}
	checks = vg_yaml_map_get(l->y, root, "checks");
	if (!checks || checks->type != YAML_SEQUENCE_NODE)
		return vg_yaml_fail(&l->m, root, VG_ERR_FORMAT, "checks must be a list");
	size_t n = (size_t)(checks->data.sequence.items.top - checks->data.sequence.items.start);
	if (n && !(p->checks = calloc(n, sizeof(*p->checks))))
		return VG_ERR_NOMEM;
	for (yaml_node_item_t *it = checks->data.sequence.items.start;
	     it < checks->data.sequence.items.top; it++) {
		rc = parse_check(l, vg_yaml_node(l->y, *it), &p->checks[p->n_checks], false);
		p->n_checks++;
		if (rc != VG_OK)
			return rc;
		for (size_t k = 0; k + 1 < p->n_checks; k++)
			if (strcmp(p->checks[k].id, p->checks[p->n_checks - 1].id) == 0)
				return vg_yaml_fail(&l->m, vg_yaml_node(l->y, *it), VG_ERR_FORMAT,
				    "check id %s twice", p->checks[k].id);
	}
	return VG_OK;
}

static int
finish(struct loader *l, int rc, const struct vg_yaml_error *ye, const char *path,
    struct sca_policy **out)
{
	struct sca_policy *p = NULL;

	if (rc != VG_OK) {
		if (rc != VG_ERR_NOMEM && rc != VG_ERR_IO)
			vg_yaml_fail_load(&l->m, ye, "document too large", rc);
		return rc;
	}
	if (!(p = calloc(1, sizeof(*p))))
		return VG_ERR_NOMEM;
	if ((rc = build(l, p)) == VG_OK && !(p->path = strdup(path)))
		rc = VG_ERR_NOMEM;
	if (rc != VG_OK) {
		sca_policy_free(p);
		return rc;
	}
	*out = p;
	return VG_OK;
}

int
sca_policy_parse(const char *name, const char *text, size_t len, struct sca_policy **out,
    char *err, size_t err_size)
{
	struct vg_yaml y = { 0 };
	struct vg_yaml_error ye = { 0 };
	struct loader l = { .y = &y, .m = { name, err, err_size, false } };

	*out = NULL;
	err[0] = '\0';
	int rc = finish(&l, vg_yaml_load(&y, text, len, SCA_MAX_NODES, &ye), &ye, name, out);
	vg_yaml_free(&y);
	return rc;
}

int
sca_policy_load(const char *path, struct sca_policy **out, char *err, size_t err_size)
{
	struct vg_yaml y = { 0 };
	struct vg_yaml_error ye = { 0 };
	struct loader l = { .y = &y, .m = { path, err, err_size, false } };
	FILE *f;

	*out = NULL;
	err[0] = '\0';
	if (!(f = fopen(path, "re"))) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return VG_ERR_IO;
	}
	int rc = finish(&l, vg_yaml_load_file(&y, f, SCA_MAX_NODES, &ye), &ye, path, out);
	fclose(f);
	vg_yaml_free(&y);
	return rc;
}

const struct sca_check *
sca_policy_check(const struct sca_policy *p, const char *id)
{
	for (size_t i = 0; id && i < p->n_checks; i++)
		if (strcmp(p->checks[i].id, id) == 0)
			return &p->checks[i];
	return NULL;
}

const char *
sca_result_name(enum sca_result r)
{
	return r == SCA_PASSED ? "passed" : r == SCA_FAILED ? "failed" : "not applicable";
}
