/* `vigil assess baseline` (its printing and hardening index) and the run dispatch
 * (vulns: cmd/assess_vulns.c, fix: cmd/assess_fix.c). */
#include "assess/baseline.h"
#include "cmd/assess_cmd.h"
#include "core/err.h"

#include <stdio.h>
#include <string.h>

extern const struct cmd_ops cmd_assess;

struct print_ctx {
	struct vg_ctx *ctx;
	bool all;
};

static void
print_check(void *arg, const struct sca_policy *p, const struct sca_check *c, enum sca_result r,
    const char *evidence)
{
	struct print_ctx *pc = arg;

	if (pc->ctx->json) {
		json_t *j = json_pack("{s:s, s:s?, s:s?, s:s?, s:s, s:s?, s:s?}", "policy", p->id,
		    "check", c ? c->id : NULL, "title", c ? c->title : NULL, "severity",
		    c ? vg_severity_name((enum vg_severity)c->severity) : NULL, "result",
		    c ? sca_result_name(r) : "policy skipped", "evidence", evidence, "remediation",
		    c ? c->remediation : NULL);
		cmd_print_json_new(j);
		return;
	}
	if (!c) {
		if (pc->all)
			printf("SKIP policy %s: requirements not met\n", p->id);
		return;
	}
	if (r != SCA_FAILED && !pc->all)
		return;
	printf("%-4s [%s] %s:%s ", r == SCA_PASSED ? "PASS" : r == SCA_FAILED ? "FAIL" : "N/A",
	    vg_severity_name((enum vg_severity)c->severity), p->id, c->id);
	cases_cmd_puts(stdout, c->title);
	fputc('\n', stdout);
	if (r == SCA_PASSED)
		return;
	for (const char *e = evidence; e && *e;) {
		const char *nl = strchr(e, '\n');
		char line[512];
		snprintf(line, sizeof(line), "%.*s", (int)(nl ? nl - e : (long)strlen(e)), e);
		fputs("       ", stdout);
		cases_cmd_puts(stdout, line);
		fputc('\n', stdout);
		e = nl ? nl + 1 : NULL;
	}
	if (r == SCA_FAILED && c->remediation) {
		fputs("       fix: ", stdout);
		cases_cmd_puts(stdout, c->remediation);
		fputc('\n', stdout);
	}
}

static int
baseline(struct vg_ctx *ctx, struct cases_cmd *cc, const struct assess_opts *o)
{
	struct assess_ctx ac = { .st = cc->st, .cfg = cc->cfg, .log = &ctx->log,
		.actor = cases_cmd_actor(o->by), .root = o->root ? o->root : "/" };
	struct baseline_opts bo = { .root = ac.root, .policies = o->policies,
		.n_policies = o->n_policies, .asset = o->f.asset, .record = true };
	struct print_ctx pc = { ctx, o->f.all };
	struct baseline_summary sum;
	char err[512];
	int r;

	r = baseline_run(&ac, &bo, print_check, &pc, &sum, err, sizeof(err));
	if (r != VG_OK) {
		cmd_eprintf("vigil assess baseline: %s", err[0] ? err : vg_strerror(r));
		return r == VG_ERR_STORE || r == VG_ERR_BUSY ? VG_EXIT_RUNTIME : VG_EXIT_USAGE;
	}
	if (ctx->json) {
		cmd_print_json_new(json_pack("{s:s, s:i, s:I, s:I, s:I, s:I, s:I, s:b}", "asset",
		    sum.asset, "hardening_index", sum.index, "passed", (json_int_t)sum.passed,
		    "failed", (json_int_t)sum.failed, "not_applicable", (json_int_t)sum.na,
		    "policies", (json_int_t)sum.policies, "policies_skipped",
		    (json_int_t)sum.policies_skipped, "commands_skipped", sum.commands_skipped));
	} else {
		printf("hardening index %d on ", sum.index);
		cases_cmd_puts(stdout, sum.asset);
		printf(": %zu passed, %zu failed, %zu not applicable; %zu policies run, %zu skipped "
		       "(requirements not met); %zu failures in the rectification list\n",
		    sum.passed, sum.failed, sum.na, sum.policies, sum.policies_skipped, sum.recorded);
		if (sum.commands_skipped)
			printf("note: c: (command) rules were not run: --root is not the running "
			       "system; their checks count as not applicable\n");
	}
	return sum.failed ? VG_EXIT_FOUND : VG_EXIT_OK;
}

int
assess_cmd_run(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb,
    const struct assess_opts *o, int argc, char **argv)
{
	if (strcmp(verb, "baseline") == 0) {
		if (argc)
			return cmd_usage_error(&cmd_assess, "unexpected argument '%s'", argv[0]);
		return baseline(ctx, cc, o);
	}
	if (strcmp(verb, "fix") == 0)
		return assess_cmd_fix(cc, o, argc, argv);
	return assess_cmd_vulns(ctx, cc, o, argc, argv);
}
