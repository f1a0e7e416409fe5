/* `vigil assess list|export|recheck|add`: the verbs over the whole list. */
#include "cmd/assess_cmd.h"
#include "core/err.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern const struct cmd_ops cmd_assess;

int
assess_cmd_list(struct vg_ctx *ctx, struct vg_store *st, const struct assess_opts *o)
{
	json_t *items = NULL, *it;
	size_t k;
	int r;

	if ((r = assess_item_list(st, &o->f, &items)) != VG_OK)
		return cases_cmd_fail("assess", "list", r);
	if (ctx->json)
		cases_cmd_print_json(items);
	else
		json_array_foreach(items, k, it)
			assess_cmd_print_row(it);
	json_decref(items);
	return VG_EXIT_OK;
}

int
assess_cmd_export(struct vg_store *st, const struct assess_opts *o)
{
	bool csv = !o->format || strcmp(o->format, "csv") == 0;
	struct assess_filter f = o->f;
	FILE *out = stdout;
	int r;

	if (o->format && !csv && strcmp(o->format, "json") != 0)
		return cmd_usage_error(&cmd_assess, "--format csv|json");
	int fd = -1;
	/* 0600: the list names every weak spot of the event's systems */
	if (o->output && ((fd = open(o->output, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0 ||
	    !(out = fdopen(fd, "w")))) {
		if (fd >= 0)
			close(fd);
		cmd_eprintf("vigil assess: %s: cannot create (exists?)", o->output);
		return VG_EXIT_RUNTIME;
	}
	if (!f.state)
		f.all = true;	/* the supervising unit gets the whole list unless filtered */
	r = assess_export(st, &f, csv, out);
	if (out != stdout && fclose(out) != 0 && r == VG_OK)
		r = VG_ERR_IO;
	return r == VG_OK ? VG_EXIT_OK : cases_cmd_fail("assess", "export", r);
}

/* The ids named on the command line (at most ASSESS_CMD_MAX_IDS). */
static int
parse_ids(int argc, char **argv, int64_t *ids, size_t *n)
{
	*n = 0;
	for (int i = 0; i < argc; i++) {
		if (*n >= ASSESS_CMD_MAX_IDS)
			return cmd_usage_error(&cmd_assess, "too many ids");
		if (cases_cmd_id(argv[i], &ids[*n]) != VG_OK)
			return cmd_usage_error(&cmd_assess, "bad item id '%s'", argv[i]);
		(*n)++;
	}
	return VG_EXIT_OK;
}

int
assess_cmd_recheck(struct vg_ctx *ctx, struct vg_store *st, const struct vg_config *cfg,
    const struct assess_opts *o, int argc, char **argv)
{
	int64_t ids[ASSESS_CMD_MAX_IDS];
	json_t *res = NULL, *it;
	size_t n, k, failed = 0;
	int ret, r;

	if ((ret = parse_ids(argc, argv, ids, &n)) != VG_EXIT_OK)
		return ret;
	struct assess_ctx ac = { .st = st, .cfg = cfg, .log = &ctx->log, .actor = cases_cmd_actor(o->by),
		.root = o->root ? o->root : "/" };
	struct assess_run_args ra = { .opts = o };
	ac.arg = &ra;
	if ((r = assess_recheck(&ac, NULL, ids, n, &res)) != VG_OK)
		return cases_cmd_fail("assess", "recheck", r);
	json_array_foreach(res, k, it) {
		json_t *p = json_object_get(it, "passed");
		failed += json_is_false(p);
		if (!ctx->json)
			assess_cmd_print_recheck(it);
	}
	if (ctx->json)
		cases_cmd_print_json(res);
	json_decref(res);
	return failed ? VG_EXIT_FOUND : VG_EXIT_OK;
}

int
assess_cmd_add(struct vg_ctx *ctx, struct cases_cmd *cc, const struct assess_opts *o)
{
	struct assess_finding f = { .kind = ASSESS_NOTICE, .family = ASSESS_FAMILY_MANUAL,
		.title = o->title, .asset = o->f.asset, .ref = o->ref, .evidence = o->evidence,
		.remediation = o->remediation, .severity = o->severity < 0 ? VG_SEV_MEDIUM : o->severity,
		.actor = cases_cmd_actor(o->by) };
	json_t *notice = NULL;
	char check[64], key[96];
	int64_t id = 0;
	bool created;
	int r;

	if (o->from_notice) {
		int64_t nid;
		enum vg_severity sev;
		if (cases_cmd_id(o->from_notice, &nid) != VG_OK)
			return cmd_usage_error(&cmd_assess, "bad --from-notice '%s'", o->from_notice);
		if ((r = cases_notice_get(cc->cs, nid, &notice)) != VG_OK)
			return cases_cmd_fail("assess", "add --from-notice", r);
		f.title = f.title ? f.title : json_string_value(json_object_get(notice, "title"));
		f.asset = f.asset ? f.asset : json_string_value(json_object_get(notice, "asset"));
		f.ref = f.ref ? f.ref : json_string_value(json_object_get(notice, "ref"));
		f.evidence = f.evidence ? f.evidence : json_string_value(json_object_get(notice, "detail"));
		if (o->severity < 0 && vg_severity_parse(json_string_value(json_object_get(notice,
			"severity")), &sev) == VG_OK)
			f.severity = (int)sev;
		/* one item per notice, however often it is added */
		snprintf(check, sizeof(check), "notice-%lld", (long long)nid);
		snprintf(key, sizeof(key), "manual|notice|%lld", (long long)nid);
		f.key = key;
	} else {
		/* a hand entry is its own item: its key is unique to this moment */
		snprintf(check, sizeof(check), "hand");
		snprintf(key, sizeof(key), "manual|hand|%lld", (long long)vg_now_us());
		f.key = key;
	}
	f.check_id = check;
	if (!f.title || !f.asset) {
		json_decref(notice);
		return cmd_usage_error(&cmd_assess, "add needs --title and --asset (or --from-notice)");
	}
	r = assess_finding_upsert(cc->st, &f, &id, &created);
	json_decref(notice);
	if (r != VG_OK)
		return cases_cmd_fail("assess", "add", r);
	if ((o->owner || o->deadline_us) &&
	    (r = assess_item_assign(cc->st, id, o->owner, o->deadline_us, f.actor)) != VG_OK)
		return cases_cmd_fail("assess", "add (assign)", r);
	return assess_cmd_show(ctx, cc->st, id);
}
