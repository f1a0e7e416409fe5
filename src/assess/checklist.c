/* The checklist definition (YAML through core/yaml's guarded loader), the judging
 * of each item, the score and the gaps. Answers and the auto probes live in
 * checklist_store.c and checklist_auto.c. */
#include "assess/checklist.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/paths.h"
#include "core/yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const answer_names[] = { "unanswered", "no", "partial", "yes" };

const char *
cl_answer_name(enum cl_answer a)
{
	return (unsigned)a < 4 ? answer_names[a] : "?";
}

int
cl_answer_parse(const char *s, enum cl_answer *out)
{
	for (int i = CL_NO; i <= CL_YES; i++)
		if (s && strcmp(s, answer_names[i]) == 0) {
			*out = (enum cl_answer)i;
			return 0;
		}
	return VG_ERR_INVAL;
}

static int
perr(const struct vg_yaml_msg *m, const yaml_node_t *n, const char *msg, const char *arg)
{
	return vg_yaml_fail(m, n, VG_ERR_PARSE, "%s%s", msg, arg ? arg : "");
}

/* Copies the scalar at key (NULL when absent and not required). */
static int
str_at(struct vg_yaml *y, const yaml_node_t *map, const char *key, bool req, char **out,
    const struct vg_yaml_msg *m)
{
	yaml_node_t *v = vg_yaml_map_get(y, map, key);
	const char *s = v ? vg_yaml_scalar(v) : NULL;

	*out = NULL;
	if (!v)
		return req ? perr(m, map, "missing required key ", key) : 0;
	if (!s)
		return perr(m, v, "expected a scalar for ", key);
	return (*out = strdup(s)) ? 0 : VG_ERR_NOMEM;
}

static int
parse_item(struct vg_yaml *y, const yaml_node_t *n, struct cl_item *it,
    const struct vg_yaml_msg *m)
{
	static const char *const keys[] = { "id", "section", "question", "evidence", "remediation",
		"auto", "severity", "weight", NULL };
	char *sev = NULL, *w = NULL;
	yaml_node_t *k;
	long long wv = 1;
	int rc;

	if (!n || n->type != YAML_MAPPING_NODE)
		return perr(m, n, "an item must be a mapping", NULL);
	if ((k = vg_yaml_unknown_key(y, n, keys)))
		return perr(m, k, "unknown key ", vg_yaml_scalar(k) ? vg_yaml_scalar(k) : "?");
	if ((rc = str_at(y, n, "id", true, &it->id, m)) ||
	    (rc = str_at(y, n, "question", true, &it->question, m)) ||
	    (rc = str_at(y, n, "section", false, &it->section, m)) ||
	    (rc = str_at(y, n, "evidence", false, &it->evidence, m)) ||
	    (rc = str_at(y, n, "remediation", false, &it->remediation, m)) ||
	    (rc = str_at(y, n, "auto", false, &it->autocheck, m)) ||
	    (rc = str_at(y, n, "severity", false, &sev, m)) ||
	    (rc = str_at(y, n, "weight", false, &w, m)))
		goto out;
	it->severity = VG_SEV_MEDIUM;
	if (sev && vg_severity_parse(sev, &it->severity) != VG_OK)
		rc = perr(m, n, "bad severity ", sev);
	else if (w && vg_parse_ll(w, 1, 10, &wv) != VG_OK)
		rc = perr(m, n, "weight: expected 1..10, got ", w);
	else if (it->autocheck && strcmp(it->autocheck, "duty-roster") != 0 &&
	    strcmp(it->autocheck, "backup-verify") != 0)
		rc = perr(m, n, "auto: expected duty-roster or backup-verify, got ",
		    it->autocheck);
	else if (!*it->id || strspn(it->id, "abcdefghijklmnopqrstuvwxyz0123456789-_.") !=
	    strlen(it->id))
		rc = perr(m, n, "id: lower-case letters, digits, '-', '_', '.': ",
		    it->id);
	it->weight = (int)wv;
out:
	free(sev);
	free(w);
	return rc;
}

int
checklist_parse(const char *text, size_t len, const char *origin, struct checklist **out,
    char *err, size_t errsz)
{
	struct vg_yaml y = { 0 };
	struct vg_yaml_error ye;
	const struct vg_yaml_msg msg = { origin, err, errsz, true }, *m = &msg;
	struct checklist *c = NULL;
	yaml_node_t *root, *items;
	size_t n;
	int rc;

	*out = NULL;
	err[0] = '\0';
	if (len > CL_MAX_TEXT)
		return perr(m, NULL, "checklist larger than 256 KiB", NULL),
		       VG_ERR_LIMIT;
	if ((rc = vg_yaml_load(&y, text, len, 16384, &ye)) != VG_OK) {
		vg_yaml_fail_load(m, &ye, "checklist too large or too deep", rc);
		goto out;
	}
	root = vg_yaml_root(&y);
	if (!root || root->type != YAML_MAPPING_NODE) {
		rc = perr(m, root, "expected a mapping with id, name, items", NULL);
		goto out;
	}
	if (!(c = calloc(1, sizeof(*c))) || !(c->origin = strdup(origin))) {
		rc = VG_ERR_NOMEM;
		goto out;
	}
	if ((rc = str_at(&y, root, "id", true, &c->id, m)) ||
	    (rc = str_at(&y, root, "name", true, &c->name, m)))
		goto out;
	items = vg_yaml_map_get(&y, root, "items");
	if (!items || items->type != YAML_SEQUENCE_NODE ||
	    !(n = (size_t)(items->data.sequence.items.top - items->data.sequence.items.start))) {
		rc = perr(m, items ? items : root, "items: expected a list", NULL);
		goto out;
	}
	if (n > CL_MAX_ITEMS) {
		rc = perr(m, items, "more than 256 items", NULL);
		goto out;
	}
	if (!(c->items = calloc(n, sizeof(*c->items)))) {
		rc = VG_ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *in = vg_yaml_node(&y, items->data.sequence.items.start[i]);

		c->n++;
		if ((rc = parse_item(&y, in, &c->items[i], m)))
			goto out;
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->items[j].id, c->items[i].id) == 0) {
				rc = perr(m, in, "duplicate item id ", c->items[i].id);
				goto out;
			}
	}
out:
	if (rc && !err[0])
		snprintf(err, errsz, "%s: %s", origin, vg_strerror(rc));
	if (rc)
		checklist_free(c);
	else
		*out = c;
	vg_yaml_free(&y);
	return rc;
}

int
checklist_load(const char *path, struct checklist **out, char *err, size_t errsz)
{
	char dflt[4096], full[4200], *text = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	*out = NULL;
	if (!path) {
		if (vg_find_data_dir("rules/checklist", dflt, sizeof(dflt)) != VG_OK) {
			snprintf(err, errsz, "no rules/checklist beside vigil or in /usr/share/vigil");
			return VG_ERR_NOTFOUND;
		}
		snprintf(full, sizeof(full), "%s/security-management.yaml", dflt);
		path = full;
	}
	if (!(f = fopen(path, "re"))) {
		snprintf(err, errsz, "%s: cannot open", path);
		return VG_ERR_NOTFOUND;
	}
	if (!(text = malloc(CL_MAX_TEXT + 2))) {
		fclose(f);
		return VG_ERR_NOMEM;
	}
	len = fread(text, 1, CL_MAX_TEXT + 1, f);
	rc = ferror(f) ? VG_ERR_IO : 0;
	fclose(f);
	if (rc == 0)
		rc = checklist_parse(text, len, path, out, err, errsz);
	else
		snprintf(err, errsz, "%s: read error", path);
	free(text);
	return rc;
}

void
checklist_free(struct checklist *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		struct cl_item *it = &c->items[i];

		free(it->id);
		free(it->section);
		free(it->question);
		free(it->evidence);
		free(it->remediation);
		free(it->autocheck);
	}
	free(c->items);
	free(c->id);
	free(c->name);
	free(c->origin);
	free(c);
}

const struct cl_item *
checklist_item(const struct checklist *c, const char *id)
{
	for (size_t i = 0; id && i < c->n; i++)
		if (strcmp(c->items[i].id, id) == 0)
			return &c->items[i];
	return NULL;
}

double
checklist_score(const struct checklist *c, const struct cl_state *states)
{
	double got = 0, total = 0;

	for (size_t i = 0; i < c->n; i++) {
		total += c->items[i].weight;
		if (states[i].answer == CL_YES)
			got += c->items[i].weight;
		else if (states[i].answer == CL_PARTIAL)
			got += c->items[i].weight / 2.0;
	}
	return total > 0 ? 100.0 * got / total : 0;
}

int
checklist_gaps(const struct checklist *c, const struct cl_state *states, const char *asset,
    wc_finding_fn fn, void *arg, size_t *gaps)
{
	char target[300], ev[1200];
	int rc;

	*gaps = 0;
	snprintf(target, sizeof(target), "checklist:%s", c->id);
	for (size_t i = 0; i < c->n; i++) {
		const struct cl_item *it = &c->items[i];
		struct wc_finding f;

		if (states[i].answer == CL_YES)
			continue;
		snprintf(ev, sizeof(ev), "%s%s%s", cl_answer_name(states[i].answer),
		    states[i].evidence[0] ? ": " : "", states[i].evidence);
		f = (struct wc_finding){ .family = "checklist", .check = it->id, .target = target,
			.asset = asset, .ref = c->origin, .title = it->question,
			.severity = it->severity, .evidence = ev,
			.remediation = it->remediation ? it->remediation : "" };
		(*gaps)++;
		if ((rc = fn(arg, &f)))
			return rc;
	}
	return 0;
}
