/* `vigil assess` printing: item rows, an item with its history, recheck outcomes. */
#include "cmd/assess_cmd.h"
#include "core/err.h"

#include <stdio.h>
#include <string.h>

void
assess_cmd_print_row(const json_t *n)
{
	printf("#%-5lld %-8s %-8s %-9s %-10s %s%s  ", (long long)cmd_jint(n, "id"),
	    cases_cmd_str(n, "severity"), cases_cmd_str(n, "state"), cases_cmd_str(n, "kind"),
	    cases_cmd_str(n, "owner"), json_is_true(json_object_get(n, "overdue")) ? "OVERDUE " : "",
	    cases_cmd_str(n, "deadline"));
	cases_cmd_puts(stdout, json_string_value(json_object_get(n, "title")));
	fputs(" @ ", stdout);
	cases_cmd_puts(stdout, json_string_value(json_object_get(n, "asset")));
	fputc('\n', stdout);
}

static void
print_detail(const json_t *n)
{
	static const char *const keys[] = { "family", "check_id", "ref", "target", "evidence",
		"remedy", "approver", "accept_reason", "verified_at", "checked_at" };
	json_t *h;
	size_t k;

	assess_cmd_print_row(n);
	cases_print_fields(n, keys, sizeof(keys) / sizeof(keys[0]));
	json_array_foreach(json_object_get(n, "history"), k, h) {
		printf("  %s %-10s %-16s %s%s%s ", cases_cmd_str(h, "at"), cases_cmd_str(h, "actor"),
		    cases_cmd_str(h, "action"), json_string_value(json_object_get(h, "from")) ?
		    cases_cmd_str(h, "from") : "", json_string_value(json_object_get(h, "to")) ?
		    " -> " : "", json_string_value(json_object_get(h, "to")) ?
		    cases_cmd_str(h, "to") : "");
		cases_cmd_puts(stdout, json_string_value(json_object_get(h, "comment")));
		fputc('\n', stdout);
	}
}

int
assess_cmd_show(struct vg_ctx *ctx, struct vg_store *st, int64_t id)
{
	json_t *n = NULL;
	int r = assess_item_get(st, id, &n);

	if (r != VG_OK)
		return cases_cmd_fail("assess", "show", r);
	if (ctx->json)
		cases_cmd_print_json(n);
	else
		print_detail(n);
	json_decref(n);
	return VG_EXIT_OK;
}

void
assess_cmd_print_recheck(const json_t *it)
{
	json_t *p = json_object_get(it, "passed");

	printf("#%-5lld %-8s %-8s -> %-8s ", (long long)cmd_jint(it, "id"),
	    json_is_true(p) ? "PASS" : json_is_false(p) ? "FAIL" : "SKIPPED",
	    cases_cmd_str(it, "from"), cases_cmd_str(it, "to"));
	cases_cmd_puts(stdout, json_string_value(json_object_get(it, "error")) ?
	    json_string_value(json_object_get(it, "error")) :
	    json_string_value(json_object_get(it, "evidence")));
	fputc('\n', stdout);
}
