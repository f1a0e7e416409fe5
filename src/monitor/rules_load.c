/* Rule loading: finds rule files (sorted, so rule order is stable), parses each
 * with libyaml's document API and applies the keyword table to every rule, then
 * hands the rules to the compiler. Problems are collected, not just the first. */
#include "monitor/rules_int.h"
#include "monitor/rules_cache.h"
#include "core/err.h"
#include "core/paths.h"
#include "core/yaml.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
ruleset_default_path(const char *configured, char *out, size_t size)
{
	const char *env = getenv("VIGIL_RULES");

	if (configured && *configured)
		return vg_strlcpy(out, configured, size);
	if (env && *env)
		return vg_strlcpy(out, env, size);
	/* a ./rules in the working directory is never taken implicitly */
	if (vg_find_data_dir("rules", out, size) != VG_OK &&
	    snprintf(out, size, "%s/rules", vg_data_dir()) >= (int)size)
		return VG_ERR_LIMIT;
	return VG_OK;
}

/* Rules decide what is alerted: a file or directory anyone else may write is not
 * trusted (owner root or this user, not writable by others), as for the cache. */
static bool
rules_trusted(struct loader *ld, const char *path, const struct stat *st)
{
	if (!(st->st_mode & S_IWOTH) && (st->st_uid == 0 || st->st_uid == geteuid()))
		return true;
	ld->file = path;
	rules_report(ld, NULL, NULL, "refused: %s (mode %04o, owner uid %u); rules must be "
	    "owned by root or this user and not writable by others",
	    (st->st_mode & S_IWOTH) ? "writable by others" : "owned by another user",
	    (unsigned)(st->st_mode & 07777), (unsigned)st->st_uid);
	return false;
}

/* "file:line:col: rule ID: message" */
void
rules_report(struct loader *ld, const yaml_node_t *node, const struct rule *r, const char *fmt, ...)
{
	va_list ap;

	ld->nerrors++;
	ld->rule_bad = true;
	if (node)
		vg_buf_putf(ld->errs, "%s:%zu:%zu: ", ld->file, node->start_mark.line + 1,
		    node->start_mark.column + 1);
	else
		vg_buf_putf(ld->errs, "%s: ", ld->file);
	if (r)
		vg_buf_putf(ld->errs, "rule %s: ", r->info.id ? r->info.id : "(no id)");
	va_start(ap, fmt);
	vg_buf_vputf(ld->errs, fmt, ap);
	va_end(ap);
	vg_buf_puts(ld->errs, "\n");
}

static int
load_rule(struct loader *ld, yaml_node_t *node)
{
	struct rule r = { 0 };
	struct rule *grown;

	ld->rule_bad = false;
	if (node->type != YAML_MAPPING_NODE) {
		rules_report(ld, node, NULL, "expected a rule (a map with id, title, ...)");
		return 0;
	}
	r.line = node->start_mark.line + 1;
	r.file = rules_dup(ld, ld->file);
	for (yaml_node_pair_t *p = node->data.mapping.pairs.start;
	    p < node->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(ld->doc, p->key);
		size_t i;
		for (i = 0; i < rule_keywords_count; i++)
			if (vg_yaml_scalar(k) && strcmp(vg_yaml_scalar(k), rule_keywords[i].name) == 0)
				break;
		if (i == rule_keywords_count) {
			/* Parse the id first so the message can name the rule. */
			yaml_node_t *idn = vg_yaml_map_get(ld->y, node, "id");
			const char *save = r.info.id;
			r.info.id = vg_yaml_scalar(idn);
			rules_report(ld, k, &r, "unknown keyword '%s'", vg_yaml_scalar(k) ? vg_yaml_scalar(k) : "?");
			r.info.id = save;
		}
	}
	for (size_t i = 0; i < rule_keywords_count && !ld->fatal; i++) {
		yaml_node_t *v = vg_yaml_map_get(ld->y, node, rule_keywords[i].name);
		if (!v) {
			if (rule_keywords[i].required)
				rules_report(ld, node, &r, "missing '%s' (%s)", rule_keywords[i].name,
				    rule_keywords[i].doc);
			continue;
		}
		rule_keywords[i].parse(ld, &r, v);
	}
	if (ld->fatal || ld->rule_bad || !r.info.id) {
		rule_clear(&r);
		return ld->fatal;
	}
	if (ld->rs->n >= RULESET_MAX_RULES) {
		rules_report(ld, node, &r, "more than %d rules; rule dropped", RULESET_MAX_RULES);
		rule_clear(&r);
		return 0;
	}
	if (ld->rs->n == ld->rs->cap) {
		size_t cap = ld->rs->cap ? ld->rs->cap * 2 : 64;
		grown = realloc(ld->rs->rules, cap * sizeof(*grown));
		if (!grown) {
			rule_clear(&r);
			return ld->fatal = VG_ERR_NOMEM;
		}
		ld->rs->rules = grown;
		ld->rs->cap = cap;
	}
	ld->rs->rules[ld->rs->n++] = r;
	return 0;
}

static int
load_file(struct loader *ld, const char *path)
{
	FILE *f = NULL;
	struct vg_yaml y = { .loaded = false };
	struct vg_yaml_error ye;
	int r;
	struct stat st;
	yaml_node_t *root, *list;

	ld->file = path;
	f = fopen(path, "rb");
	if (!f) {
		rules_report(ld, NULL, NULL, "cannot open: %s", strerror(errno));
		goto out;
	}
	if (fstat(fileno(f), &st) == 0 && st.st_size > RULE_FILE_MAX) {
		rules_report(ld, NULL, NULL, "file larger than %d bytes", RULE_FILE_MAX);
		goto out;
	}
	r = vg_yaml_load_file(&y, f, RULE_MAX_NODES, &ye);
	if (r == VG_ERR_NOMEM) {
		ld->fatal = r;
		goto out;
	}
	if (r != VG_OK) {
		vg_yaml_put_load_error(ld->errs, path, &ye);
		ld->nerrors++;
		goto out;
	}
	ld->y = &y;
	ld->doc = &y.doc;
	root = vg_yaml_root(&y);
	if (!root)
		goto out;	/* empty file: no rules, not an error */
	list = root;
	if (root->type == YAML_MAPPING_NODE) {
		list = vg_yaml_map_get(&y, root, "rules");
		if (!list) {
			rules_report(ld, root, NULL, "expected a list of rules or a map with 'rules:'");
			goto out;
		}
	}
	if (list->type != YAML_SEQUENCE_NODE) {
		rules_report(ld, list, NULL, "expected a list of rules");
		goto out;
	}
	for (yaml_node_item_t *it = list->data.sequence.items.start;
	    it < list->data.sequence.items.top && !ld->fatal; it++)
		load_rule(ld, vg_yaml_node(&y, *it));
out:
	vg_yaml_free(&y);
	if (f)
		fclose(f);
	ld->y = NULL;
	ld->doc = NULL;
	return ld->fatal;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_rule_file(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	    (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

/* Folders of the rules tree that hold other stages' data, not detection rules
 * (rules/assets: the asset classification of src/inventory; baseline, web and
 * checklist: assess's policies, web templates and checklist; webshell: YARA). */
static bool
is_data_dir(const char *name, int depth)
{
	static const char *const data_dirs[] = { "assets", "baseline", "checklist", "web",
		"webshell", NULL };

	for (int i = 0; depth == 0 && data_dirs[i]; i++)
		if (strcmp(name, data_dirs[i]) == 0)
			return true;
	return false;
}

static int
load_path(struct loader *ld, const char *path, int depth)
{
	struct stat st;
	DIR *d = NULL;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int ret = 0;

	if (stat(path, &st) != 0) {
		ld->file = path;
		rules_report(ld, NULL, NULL, "cannot read: %s", strerror(errno));
		return depth == 0 ? VG_ERR_IO : 0;
	}
	if (!rules_trusted(ld, path, &st))
		return depth == 0 ? VG_ERR_CONFIG : 0;
	if (!S_ISDIR(st.st_mode))
		return load_file(ld, path);
	if (depth >= RULE_DIR_DEPTH)
		return 0;
	d = opendir(path);
	if (!d) {
		ld->file = path;
		rules_report(ld, NULL, NULL, "cannot open directory: %s", strerror(errno));
		return depth == 0 ? VG_ERR_IO : 0;
	}
	while ((de = readdir(d))) {
		struct vg_buf *b;
		char *full;
		struct stat cst;
		if (de->d_name[0] == '.' || is_data_dir(de->d_name, depth))
			continue;
		b = vg_buf_new(8192);
		if (!b || vg_buf_putf(b, "%s/%s", path, de->d_name) != VG_OK) {
			vg_buf_free(b);
			continue;
		}
		full = vg_buf_steal(b);
		vg_buf_free(b);
		if (!full) {
			ret = VG_ERR_NOMEM;
			goto out;
		}
		if (stat(full, &cst) != 0 || (!S_ISDIR(cst.st_mode) && !is_rule_file(de->d_name))) {
			free(full);
			continue;
		}
		if (n == cap) {
			char **g = realloc(names, (cap ? cap * 2 : 16) * sizeof(*g));
			if (!g) {
				free(full);
				ret = VG_ERR_NOMEM;
				goto out;
			}
			names = g;
			cap = cap ? cap * 2 : 16;
		}
		names[n++] = full;
	}
	if (n > 1)	/* qsort may not take NULL, and an empty directory has no array */
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n && !ret; i++)
		ret = load_path(ld, names[i], depth + 1);
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return ret;
}

int
ruleset_load(const char *path, unsigned flags, const struct vg_logger *log,
    struct ruleset **out, char **errors)
{
	return ruleset_load_cached(path, flags, NULL, log, out, errors);
}

int
ruleset_load_cached(const char *path, unsigned flags, const char *cache_dir,
    const struct vg_logger *log, struct ruleset **out, char **errors)
{
	struct loader ld = { .flags = flags };
	int ret;

	if (!out || !errors || !path)
		return VG_ERR_INVAL;
	*out = NULL;
	*errors = NULL;
	ld.rs = calloc(1, sizeof(*ld.rs));
	ld.errs = vg_buf_new(RULE_ERRORS_MAX);
	if (!ld.rs || !ld.errs) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	ret = load_path(&ld, path, 0);
	if (ret)
		goto out;
	if (ld.nerrors && !(flags & RULESET_KEEP_GOING)) {
		ret = VG_ERR_PARSE;
		goto out;
	}
	if (ld.rs->n == 0) {
		vg_buf_putf(ld.errs, "%s: no rules found\n", path);
		ret = VG_ERR_NOTFOUND;
		goto out;
	}
	if (cache_dir && rules_cache_dir_ok(cache_dir, log) != VG_OK)
		cache_dir = NULL;
	ret = rules_compile_dbs(&ld, cache_dir, log);
	if (ret)
		goto out;
	if (ld.nerrors)
		vg_warn(log, "rules: %zu problem(s) in %s; %zu rules loaded", ld.nerrors, path,
		    ld.rs->n);
	vg_info(log, "rules: %zu rules loaded from %s", ld.rs->n, path);
	*out = ld.rs;
	ld.rs = NULL;
out:
	if (vg_buf_len(ld.errs) > 0)
		*errors = vg_buf_steal(ld.errs);
	vg_buf_free(ld.errs);
	ruleset_free(ld.rs);
	return ret;
}
