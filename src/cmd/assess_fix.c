/* `vigil assess fix --print`: the reviewed remediation snippets of open items as a
 * shell script on stdout; vigil never runs it. */
#include "cmd/assess_cmd.h"
#include "core/err.h"

#include <stdio.h>
#include <string.h>

extern const struct cmd_ops cmd_assess;

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

int
assess_cmd_fix(struct cases_cmd *cc, const struct assess_opts *o, int argc, char **argv)
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
