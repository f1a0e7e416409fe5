/* Shared pieces of `vigil backup`, `vigil fim` and `vigil publish`: one format for a
 * change record (text line, JSON line, stored alert) so every command agrees. */
#include "cmd/protect_cmd.h"
#include "core/err.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

int
pcmd_open(struct vg_ctx *ctx, const struct cmd_ops *cmd, struct vg_config **cfg,
    struct protect **p)
{
	int ret = cmd_load_config(ctx, cfg), r;

	*p = NULL;
	if (ret != VG_EXIT_OK)
		return ret;
	if ((*cfg)->webroots.n == 0) {
		fprintf(stderr, "vigil %s: no web roots configured (add a webroots: section to "
		    "the config)\n", cmd->name);
		vg_config_free(*cfg);
		*cfg = NULL;
		return VG_EXIT_USAGE;
	}
	if ((r = protect_open(*cfg, &ctx->log, p)) != VG_OK) {
		fprintf(stderr, "vigil %s: %s: %s\n", cmd->name, (*cfg)->protect.backup_dir,
		    vg_strerror(r));
		vg_config_free(*cfg);
		*cfg = NULL;
		return r == VG_ERR_CONFIG ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
	}
	return VG_EXIT_OK;
}

int
pcmd_select(struct protect *p, const char *name, const struct cmd_ops *cmd,
    struct protect_root **sel, size_t *n)
{
	*n = 0;
	if (!name) {
		for (size_t i = 0; i < p->n_roots; i++)
			sel[(*n)++] = &p->roots[i];
		return VG_EXIT_OK;
	}
	struct protect_root *r = protect_root_find(p, name);
	if (!r) {
		fprintf(stderr, "vigil %s: no web root named '%s' (configured:", cmd->name, name);
		for (size_t i = 0; i < p->n_roots; i++)
			fprintf(stderr, " %s", p->roots[i].name);
		fprintf(stderr, ")\n");
		return VG_EXIT_USAGE;
	}
	sel[(*n)++] = r;
	return VG_EXIT_OK;
}

const char *
pcmd_optarg(const struct cmd_ops *cmd, int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		cmd_usage_error(cmd, "%s needs a value", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

static json_t *
kinds_json(unsigned kinds)
{
	static const char *const names[] = { "added", "deleted", "content", "mode", "owner",
		"type", "symlink" };
	json_t *a = json_array();
	for (size_t i = 0; a && i < sizeof(names) / sizeof(names[0]); i++)
		if (kinds & (1u << i))
			json_array_append_new(a, json_string(names[i]));
	return a;
}

static json_t *
entry_json(const struct mf_entry *e)
{
	json_t *o;
	if (!e)
		return json_null();
	o = json_pack("{s:s, s:s, s:I, s:I, s:I}", "type", e->type == MF_FILE ? "file" :
	    e->type == MF_DIR ? "dir" : e->type == MF_LINK ? "symlink" : "other",
	    "mode", "", "uid", (json_int_t)e->uid, "gid", (json_int_t)e->gid,
	    "size", (json_int_t)e->size);
	if (!o)
		return json_null();
	char mode[8];
	snprintf(mode, sizeof(mode), "%04o", (unsigned)e->mode);
	json_object_set_new(o, "mode", json_string(mode));
	if (e->sha256[0])
		json_object_set_new(o, "sha256", json_string(e->sha256));
	if (e->target)
		json_object_set_new(o, "target", vg_json_string_lossy(e->target,
		    strlen(e->target)));
	return o;
}

static enum vg_severity
severity(const struct fim_change *ch)
{
	if (ch->action == ACT_RECORDED)
		return VG_SEV_INFO;
	if (ch->injected)
		return VG_SEV_CRITICAL;
	if (ch->kinds & (FIM_ADDED | FIM_DELETED | FIM_CONTENT | FIM_TYPE | FIM_TARGET))
		return VG_SEV_HIGH;
	return VG_SEV_MEDIUM;
}

json_t *
pcmd_change_json(const struct fim_change *ch, const char *baseline)
{
	char ts[40];
	vg_time_format(vg_now_us(), ts, sizeof(ts));
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "@timestamp", json_string(ts));
	json_object_set_new(o, "event", json_pack("{s:s, s:s, s:s, s:s}", "kind",
	    ch->action == ACT_RECORDED ? "event" : "alert", "category", "file", "action",
	    fim_kind_word(ch->kinds), "severity", vg_severity_name(severity(ch))));
	json_object_set_new(o, "webroot", json_string(ch->root->name));
	json_object_set_new(o, "file", json_pack("{s:o, s:s}", "path",
	    vg_json_string_lossy(ch->path, strlen(ch->path)), "directory", ch->root->path));
	json_object_set_new(o, "changes", kinds_json(ch->kinds));
	json_object_set_new(o, "action", json_string(protect_action_name(ch->action)));
	if (ch->detail)
		json_object_set_new(o, "detail", vg_json_string_lossy(ch->detail,
		    strlen(ch->detail)));
	if (ch->attempts > 1)
		json_object_set_new(o, "restore_attempts", json_integer(ch->attempts));
	json_object_set_new(o, "baseline", baseline ? json_string(baseline) : json_null());
	json_object_set_new(o, "before", entry_json(ch->base));
	json_object_set_new(o, "after", entry_json(ch->cur));
	if (ch->tamper) {
		json_t *flags = json_array();
		for (int f = 0; f < TAMPER__COUNT; f++)
			if (ch->tamper->flags & (1u << f))
				json_array_append_new(flags, json_pack("{s:s, s:o}", "flag",
				    tamper_flag_name((enum tamper_flag)f), "match",
				    vg_json_string_lossy(ch->tamper->match[f],
				    strlen(ch->tamper->match[f]))));
		json_object_set_new(o, "tamper", json_pack("{s:o, s:o}", "flags", flags,
		    "injected", ch->injected ? vg_json_string_lossy(ch->injected,
		    strlen(ch->injected)) : json_null()));
	}
	if (ch->diff)
		json_object_set_new(o, "diff", vg_json_string_lossy(ch->diff, strlen(ch->diff)));
	return o;
}

void
pcmd_change_print(FILE *out, const struct fim_change *ch, bool json, bool with_diff,
    const char *baseline)
{
	if (json) {
		json_t *o = pcmd_change_json(ch, baseline);
		if (!with_diff)
			json_object_del(o, "diff");
		if (o) {
			json_dumpf(o, out, JSON_COMPACT);
			fputc('\n', out);
			json_decref(o);
		}
		fflush(out);
		return;
	}
	char kinds[128], ts[40];
	vg_time_format(vg_now_us(), ts, sizeof(ts));
	fprintf(out, "%s %s: %s: %s [%s]", ts, ch->root->name, *ch->path ? ch->path : ".",
	    fim_kind_word(ch->kinds), fim_kind_names(ch->kinds, kinds, sizeof(kinds)));
	if (ch->action != ACT_NONE)
		fprintf(out, " -> %s", protect_action_name(ch->action));
	if (ch->detail)
		fprintf(out, " (%s)", ch->detail);
	if (ch->injected)
		fprintf(out, "; injected: %s", ch->injected);
	fputc('\n', out);
	if (with_diff && ch->diff)
		fputs(ch->diff, out);
	fflush(out);
}

void
pcmd_change_store(struct vg_store *st, const struct fim_change *ch)
{
	char title[512], kinds[128], rule[64];
	struct vg_alert a = { 0 };
	int64_t now = vg_now_us();

	if (!st)
		return;
	if (ch->action == ACT_RECORDED) {
		/* a publishing window is open: an audit row, not an alert (no flood) */
		char detail[PATH_MAX + 256];
		snprintf(detail, sizeof(detail), "%s/%s: %s", ch->root->path, ch->path,
		    fim_kind_names(ch->kinds, kinds, sizeof(kinds)));
		store_audit(st, "fimwatch", "publish.change", detail);
		return;
	}
	snprintf(rule, sizeof(rule), "fim.%s", fim_kind_word(ch->kinds));
	snprintf(title, sizeof(title), "web root %s: %s %s%s%s", ch->root->name, ch->path,
	    fim_kind_word(ch->kinds), ch->injected ? "; injected: " : "",
	    ch->injected ? ch->injected : "");
	a.rule_id = rule;
	a.title = title;
	a.category = ch->injected ? "defacement" : "tamper";
	a.mitre = "T1491.001";	/* Defacement: Internal */
	a.severity = severity(ch);
	a.sensor = ch->root->name;
	a.count = 1;
	a.first_seen_us = a.last_seen_us = now;
	a.field = "file.path";
	a.matched = fim_kind_names(ch->kinds, kinds, sizeof(kinds));
	a.evidence = ch->diff;
	store_alert_add(st, &a);
	if (ch->action != ACT_NONE) {
		char detail[PATH_MAX + 256];
		snprintf(detail, sizeof(detail), "%s/%s: %s%s%s", ch->root->path, ch->path,
		    protect_action_name(ch->action), ch->detail ? ": " : "",
		    ch->detail ? ch->detail : "");
		store_audit(st, "fimwatch", protect_action_name(ch->action), detail);
	}
}
