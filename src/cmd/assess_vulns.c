/* `vigil assess vulns`: installed packages and scanned services against the feeds. */
#include "assess/vuln.h"
#include "cmd/assess_cmd.h"
#include "core/err.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern const struct cmd_ops cmd_assess;

static void
print_match(void *arg, const struct assess_finding *f, const json_t *hit)
{
	struct vg_ctx *ctx = arg;

	if (ctx->json) {
		cmd_print_json_new(json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "vuln", f->check_id,
		    "asset", f->asset, "severity", vg_severity_name((enum vg_severity)f->severity),
		    "title", f->title, "evidence", f->evidence ? f->evidence : "", "known_exploited",
		    json_integer_value(json_object_get(hit, "kev")) != 0));
		return;
	}
	printf("VULN [%s] ", vg_severity_name((enum vg_severity)f->severity));
	cases_cmd_puts(stdout, f->title);
	fputs(" @ ", stdout);
	cases_cmd_puts(stdout, f->asset);
	fputc('\n', stdout);
}

int
assess_cmd_vulns(struct vg_ctx *ctx, struct cases_cmd *cc, const struct assess_opts *o,
    int argc, char **argv)
{
	struct assess_ctx ac = { .st = cc->st, .cfg = cc->cfg, .log = &ctx->log,
		.actor = cases_cmd_actor(o->by), .root = o->root ? o->root : "/" };
	struct vuln_ctx vc = { .ctx = &ac, .record = true, .cb = print_match, .cb_arg = ctx };
	bool no_host = false;
	int r;

	if (argc)
		return cmd_usage_error(&cmd_assess, "unexpected argument '%s'", argv[0]);
	r = vuln_scan_host(&vc, ac.root, o->dpkg_status, o->f.asset, NULL, NULL);
	if (r == VG_ERR_NOTFOUND || r == VG_ERR_IO)
		no_host = true;
	else if (r != VG_OK)
		return cases_cmd_fail("assess", "vulns", r);
	if (!o->no_services && (r = vuln_scan_services(&vc, 0, NULL)) != VG_OK)
		return cases_cmd_fail("assess", "vulns (services)", r);
	if (ctx->json)
		cmd_print_json_new(json_pack("{s:s, s:I, s:I, s:I, s:I, s:b}", "asset", vc.asset,
		    "packages", (json_int_t)vc.packages, "services", (json_int_t)vc.services, "found",
		    (json_int_t)vc.found, "unknown", (json_int_t)vc.unknown, "host_packages_read",
		    !no_host));
	else
		printf("%zu vulnerable (packages: %zu checked%s; services: %zu checked); %zu unknown "
		       "(no comparable version: not reported)\n", vc.found, vc.packages,
		    no_host ? ", no Debian/Ubuntu dpkg database in the tree" : "", vc.services,
		    vc.unknown);
	return vc.found ? VG_EXIT_FOUND : VG_EXIT_OK;
}
