/* The register's verbs of `vigil assets`: list/export, show, classes, scans, diff.
 * Loading, classifying, choosing and printing are src/inventory's. */
#include "cmd/assets.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/store.h"
#include "inventory/assets_diff.h"
#include "inventory/assets_print.h"
#include "inventory/classify.h"
#include "monitor/rules.h"

#include <stdint.h>
#include <string.h>

static int
fail(const char *what, int r)
{
	cmd_eprintf("vigil assets: %s: %s", what, vg_strerror(r));
	return r == VG_ERR_NOMEM || r == VG_ERR_STORE || r == VG_ERR_IO || r == VG_ERR_BUSY ?
	    VG_EXIT_RUNTIME : VG_EXIT_USAGE;
}

static int
load_rules(struct assets_env *e, struct classify_rules **out)
{
	char dir[4096], path[4200];
	struct vg_buf *errs = vg_buf_new(64 * 1024);
	int r;

	if (!errs)
		return VG_EXIT_RUNTIME;
	classify_rules_find(e->rules, e->cfg->monitor.rules,
	    ruleset_default_path(NULL, dir, sizeof(dir)) == VG_OK ? dir : NULL, path, sizeof(path));
	if ((r = classify_rules_load(path, out, errs)) != VG_OK)
		assets_print_errors(errs);
	vg_buf_free(errs);
	return r == VG_OK ? VG_EXIT_OK : r == VG_ERR_NOMEM ? VG_EXIT_RUNTIME : VG_EXIT_USAGE;
}

int
assets_do_list(struct assets_env *e, const char *show)
{
	struct classify_rules *rules = NULL;
	json_t *all = NULL, *sel = NULL, *one;
	int ret = load_rules(e, &rules), r;

	if (ret != VG_EXIT_OK)
		return ret;
	/* classified afresh on every look, so an edited rules file shows at once */
	if ((r = classify_run(e->st, rules, vg_now_us(), &all)) != VG_OK) {
		ret = fail("classify", r);
	} else if (show) {
		if (!(one = assets_find(all, show))) {
			cmd_eprintf("vigil assets: no asset '%s'", show);
			ret = VG_EXIT_USAGE;
		} else if (e->ctx->json) {
			cmd_print_json(one);
		} else {
			assets_print_show(stdout, one);
		}
	} else if ((r = assets_select(all, &e->filter, &sel)) != VG_OK) {
		ret = r == VG_ERR_INVAL ? cmd_usage_error(&cmd_assets, "bad --service pattern '%s'",
					      e->filter.service) : fail("list", r);
	} else if (e->ctx->json || (e->format && strcmp(e->format, "json") == 0)) {
		assets_print_jsonl(stdout, sel);
	} else if (e->format && strcmp(e->format, "csv") == 0) {
		assets_print_csv(stdout, sel);
	} else {
		assets_print_table(stdout, sel);
	}
	json_decref(all);
	json_decref(sel);
	classify_rules_free(rules);
	return ret;
}

int
assets_do_classes(struct assets_env *e)
{
	struct classify_rules *rules = NULL;
	int ret = load_rules(e, &rules);

	if (ret == VG_EXIT_OK)
		printf("%zu classification rules OK\n", classify_rules_count(rules));
	classify_rules_free(rules);
	return ret;
}

int
assets_do_scans(struct assets_env *e)
{
	json_t *scans = NULL, *sc;
	size_t i;
	int r = assets_scans(e->st, 0, &scans);

	if (r != VG_OK)
		return fail("scans", r);
	if (e->ctx->json)
		json_array_foreach(scans, i, sc)
			cmd_print_json(sc);
	else
		assets_print_scans(stdout, scans);
	json_decref(scans);
	return VG_EXIT_OK;
}

static int
parse_id(const char *s, int64_t *id)
{
	long long v;

	if (s[0] == '#')
		s++;
	if (vg_parse_ll(s, 1, INT64_MAX, &v) != VG_OK)
		return VG_ERR_PARSE;
	*id = v;
	return VG_OK;
}

int
assets_do_diff(struct assets_env *e, int argc, char **argv)
{
	int64_t a = 0, b = 0;
	json_t *d = NULL;
	int r;

	if (argc == 1 || argc > 2 ||
	    (argc == 2 && (parse_id(argv[0], &a) != VG_OK || parse_id(argv[1], &b) != VG_OK)))
		return cmd_usage_error(&cmd_assets, "diff takes no scan ids or two (SCAN_A SCAN_B)");
	if ((r = assets_diff(e->st, a, b, &d)) == VG_ERR_NOTFOUND) {
		cmd_eprintf("vigil assets: diff: %s",
		    argc ? "no such scan" : "needs two done scans (see vigil assets scans)");
		return VG_EXIT_USAGE;
	}
	if (r != VG_OK)
		return fail("diff", r);
	if (e->ctx->json)
		cmd_print_json(d);
	else
		assets_print_diff(stdout, d);
	r = json_array_size(json_object_get(d, "changes")) ? VG_EXIT_FOUND : VG_EXIT_OK;
	json_decref(d);
	return r;
}
