/* `vigil assess baseline|vulns|fix`: the check runs, printing their findings. */
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

/* One item's block of the fix script. */
static void
fix_block(const json_t *it)
{
	const char *fix = json_string_value(json_object_get(it, "fix_script"));
	const char *rem = json_string_value(json_object_get(it, "remedy"));
	char line[1024];

	printf("\n# --- item #%lld [%s] %s on ", (long long)cmd_jint(it, "id"),
	    cases_cmd_str(it, "severity"), cases_cmd_str(it, "check_id"));
	cases_cmd_puts(stdout, cmd_jstr(it, "asset"));
	printf("\n# ");
	cases_cmd_puts(stdout, cmd_jstr(it, "title"));
	fputc('\n', stdout);
	if (rem) {
		snprintf(line, sizeof(line), "%s", rem);
		for (char *p = line; *p; p++)
			if (*p == '\n')
				*p = ' ';
		fputs("# remediation: ", stdout);
		cases_cmd_puts(stdout, line);
		fputc('\n', stdout);
	}
	if (!fix) {
		fputs("# (no reviewed snippet for this check: follow the remediation by hand)\n", stdout);
		return;
	}
	/* the snippet comes from a policy file vigil trusts (root-owned, not writable by
	 * others); it is printed as written, never from evidence or the judged host */
	fputs(fix, stdout);
	if (fix[0] && fix[strlen(fix) - 1] != '\n')
		fputc('\n', stdout);
}

/* Whether item it carries a remediation snippet (the list rows do not include it). */
static bool
cmd_has_fix(struct vg_store *st, const json_t *it)
{
	json_t *one = NULL;
	bool has = assess_item_get(st, cmd_jint(it, "id"), &one) == VG_OK &&
		   json_is_string(json_object_get(one, "fix_script"));
	json_decref(one);
	return has;
}

static int
fix(struct cases_cmd *cc, const struct assess_opts *o, int argc, char **argv)
{
	struct assess_filter f = { .family = NULL };
	json_t *items = NULL, *it, *one;
	size_t k, n = 0;
	int r;

	if (!o->print)
		return cmd_usage_error(&cmd_assess, "fix only prints a script: use fix --print");
	if (argc == 0 && (r = assess_item_list(cc->st, &f, &items)) != VG_OK)
		return cases_cmd_fail("assess", "fix", r);
	printf("#!/bin/sh\n# Remediation script written by `vigil assess fix --print`: review every "
	       "block before you run it.\n# vigil never runs it. After running, mark items fixed "
	       "and run `vigil assess recheck`.\nset -eu\n");
	for (int i = 0; i < argc; i++) {
		int64_t id;
		if (cases_cmd_id(argv[i], &id) != VG_OK)
			return cmd_usage_error(&cmd_assess, "bad item id '%s'", argv[i]);
		if ((r = assess_item_get(cc->st, id, &one)) != VG_OK)
			return cases_cmd_fail("assess", "fix", r);
		fix_block(one);
		json_decref(one);
		n++;
	}
	json_array_foreach(items, k, it) {
		/* baseline items always (a missing snippet is said so), others when they have one */
		if ((strcmp(cmd_jstr(it, "state"), "open") != 0 &&
			strcmp(cmd_jstr(it, "state"), "fixing") != 0) ||
		    (strcmp(cmd_jstr(it, "family"), "baseline") != 0 && !cmd_has_fix(cc->st, it)))
			continue;
		if ((r = assess_item_get(cc->st, cmd_jint(it, "id"), &one)) != VG_OK) {
			json_decref(items);
			return cases_cmd_fail("assess", "fix", r);
		}
		fix_block(one);
		json_decref(one);
		n++;
	}
	json_decref(items);
	printf("\n# %zu item%s\n", n, n == 1 ? "" : "s");
	return VG_EXIT_OK;
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
		return fix(cc, o, argc, argv);
	return assess_cmd_vulns(ctx, cc, o, argc, argv);
}
