/* What the web, TLS and checklist subcommands of `vigil assess` share: the
 * finding printer (each finding an item of the rectification list) and the
 * targets (given, or the asset register's); and `assess web`'s templates and its
 * run over its sites. */
#include "assess/web.h"
#include "cmd/assess_sub.h"
#include "cmd/cases_cmd.h"
#include "core/err.h"
#include "core/esc.h"
#include "core/paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
cmd_assess_print_finding(void *arg, const struct wc_finding *f)
{
	struct wc_printer *p = arg;
	char e[VG_ESC_MAX];
	int64_t id = 0;
	bool created = false;
	int rc;

	p->count++;
	if (p->st && (rc = webcheck_upsert(p->st, f, p->actor, &id, &created)) != VG_OK) {
		cmd_eprintf("vigil assess: cannot store the finding %s on %s: %s", f->check,
		    f->target, vg_strerror(rc));
		return rc;
	}
	p->created += created;
	if (p->ctx->json) {
		cmd_print_json_new(json_pack("{s:I, s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		    "id", (json_int_t)id, "new", created, "family", f->family, "check", f->check,
		    "target", f->target, "asset", f->asset ? f->asset : "", "title", f->title,
		    "severity", vg_severity_name(f->severity),
		    "evidence", f->evidence ? f->evidence : "",
		    "remediation", f->remediation ? f->remediation : ""));
		return 0;
	}
	if (p->st)
		printf("#%-6lld%s ", (long long)id, created ? " new" : "    ");
	printf("%-8s %-28s %s\n", vg_severity_name(f->severity), f->check,
	    vg_esc_s(e, sizeof(e), f->target));
	printf("    %s\n", vg_esc_s(e, sizeof(e), f->title));
	if (f->evidence && *f->evidence)
		printf("    seen: %s\n", vg_esc_s(e, sizeof(e), f->evidence));
	if (f->remediation && *f->remediation)
		printf("    fix:  %s\n", vg_esc_s(e, sizeof(e), f->remediation));
	return 0;
}

int
cmd_assess_targets(struct vg_store *st, bool tls, bool assets, int argc, char **argv,
    struct wc_target **out, size_t *n)
{
	struct wc_target *t;
	int rc;

	if (assets) {
		if ((rc = webcheck_asset_targets(st, tls, out, n)) != VG_OK) {
			cmd_eprintf("vigil assess %s: the asset register: %s", tls ? "tls" : "web",
			    vg_strerror(rc));
			return VG_EXIT_RUNTIME;
		}
		if (*n == 0)
			cmd_eprintf("vigil assess %s: no declared asset in the register has an open "
			    "%s service (`vigil assets list`)", tls ? "tls" : "web",
			    tls ? "TLS" : "HTTP");
		return VG_EXIT_OK;
	}
	if (!(t = calloc((size_t)argc + 1, sizeof(*t))))
		return VG_EXIT_RUNTIME;
	for (int i = 0; i < argc; i++)
		if (!(t[i].target = strdup(argv[i]))) {
			webcheck_targets_free(t, (size_t)i);
			return VG_EXIT_RUNTIME;
		}
	*out = t;
	*n = (size_t)argc;
	return VG_EXIT_OK;
}

int
cmd_assess_web_sites(struct vg_ctx *ctx, const struct web_tmpl_set *ts,
    const struct web_http_opts *http, const char *only, const struct wc_target *tg, size_t ntg,
    struct wc_printer *pr)
{
	int ret = VG_EXIT_OK, rc;

	for (size_t i = 0; i < ntg; i++) {
		struct web_run_opts ro = { .http = *http, .only = only };
		struct web_run_stats st;
		const char *url = tg[i].target;
		char why[512] = "";

		rc = web_check_site(ts, url, tg[i].asset_id, &ro, cmd_assess_print_finding, pr, &st,
		    why, sizeof(why));
		if (rc == VG_ERR_STORE || rc == VG_ERR_NOMEM)
			return VG_EXIT_RUNTIME;
		if (rc) {
			cmd_eprintf("vigil assess web: %s: not checked: %s", url,
			    why[0] ? why : vg_strerror(rc));
			ret = VG_EXIT_RUNTIME;
			continue;
		}
		if (!ctx->json)
			cmd_eprintf("web %s: %zu templates, %zu requests (%zu without answer), "
			    "%zu findings, %zu dropped as not-found look-alikes", url,
			    st.templates, st.requests, st.failed, st.findings, st.dropped);
	}
	return ret;
}

static void
tmpl_error(void *arg, const char *msg)
{
	(void)arg;
	cmd_eprintf("vigil assess web: %s", msg);
}

int
cmd_assess_web_templates(const struct cmd_ops *cmd, const char *templates, const char *only,
    struct web_tmpl_set *ts)
{
	char dir[4096];

	if (!templates) {
		if (vg_find_data_dir("rules/web", dir, sizeof(dir)) != VG_OK) {
			cmd_eprintf("vigil assess web: no rules/web found beside vigil or in "
			    "/usr/share/vigil; use --templates");
			return VG_EXIT_USAGE;
		}
		templates = dir;
	}
	if (web_tmpl_load(templates, ts, tmpl_error, NULL) != VG_OK)
		return VG_EXIT_USAGE;
	if (only && !web_tmpl_find(ts, only)) {
		web_tmpl_set_free(ts);
		return cmd_usage_error(cmd, "no template '%s' in %s", only, templates);
	}
	return VG_EXIT_OK;
}
