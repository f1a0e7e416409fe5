/* Text lines for the workflow records (incidents, notices, shifts, outbox rows): what
 * `vigil incident`, `notice`, `duty` and `notify` print without --json. */
#include "cmd/cases_cmd.h"

#include <stdio.h>

static void
incident_row(const json_t *i)
{
	json_t *due = json_object_get(i, "due_in_s");
	printf("#%-5lld %-8s %-12s %4lld alerts  ", (long long)json_integer_value(json_object_get(i, "id")),
	    cases_cmd_str(i, "severity"), cases_cmd_str(i, "state"),
	    (long long)json_integer_value(json_object_get(i, "alert_count")));
	if (json_is_integer(due))
		printf("%s %+llds  ", json_is_true(json_object_get(i, "overdue")) ? "OVERDUE" : "due",
		    (long long)json_integer_value(due));
	cases_cmd_puts(stdout, cases_cmd_str(i, "title"));
	fputc('\n', stdout);
}

void
cases_print_fields(const json_t *o, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *v = json_string_value(json_object_get(o, keys[i]));
		if (!v)
			continue;
		printf("  %s: ", keys[i]);
		cases_cmd_puts(stdout, v);
		fputc('\n', stdout);
	}
}

void
cases_print_incident(const json_t *i, bool detail)
{
	json_t *h;
	size_t k;

	incident_row(i);
	if (!detail)
		return;
	printf("  verdict %s, source %s, target %s, family %s, escalation %lld\n",
	    cases_cmd_str(i, "verdict"), cases_cmd_str(i, "source_ip"), cases_cmd_str(i, "target"),
	    cases_cmd_str(i, "family"), (long long)json_integer_value(json_object_get(i, "escalation")));
	printf("  first %s, last %s\n", cases_cmd_str(i, "first_seen"), cases_cmd_str(i, "last_seen"));
	json_array_foreach(json_object_get(i, "history"), k, h) {
		printf("  %s %-10s %-9s %s -> %s  ", cases_cmd_str(h, "at"), cases_cmd_str(h, "actor"),
		    cases_cmd_str(h, "action"), cases_cmd_str(h, "from"), cases_cmd_str(h, "to"));
		cases_cmd_puts(stdout, json_string_value(json_object_get(h, "comment")));
		fputc('\n', stdout);
	}
	json_array_foreach(json_object_get(i, "actions"), k, h) {
		printf("  action %s on ", cases_cmd_str(h, "kind"));
		cases_cmd_puts(stdout, json_string_value(json_object_get(h, "target")));
		printf(" by %s: ", cases_cmd_str(h, "actor"));
		cases_cmd_puts(stdout, json_string_value(json_object_get(h, "result")));
		fputc('\n', stdout);
	}
	json_array_foreach(json_object_get(i, "alerts"), k, h) {
		printf("  alert %lld %s ", (long long)json_integer_value(json_object_get(h, "id")),
		    cases_cmd_str(h, "rule_id"));
		cases_cmd_puts(stdout, json_string_value(json_object_get(h, "matched")));
		fputc('\n', stdout);
	}
}

static void
notice_row(const json_t *n)
{
	printf("#%-5lld %-8s %-6s %-13s %s%s  ", (long long)json_integer_value(json_object_get(n, "id")),
	    cases_cmd_str(n, "severity"), cases_cmd_str(n, "state"), cases_cmd_str(n, "kind"),
	    json_is_true(json_object_get(n, "overdue")) ? "OVERDUE " : "",
	    cases_cmd_str(n, "deadline"));
	cases_cmd_puts(stdout, json_string_value(json_object_get(n, "title")));
	fputs(" @ ", stdout);
	cases_cmd_puts(stdout, json_string_value(json_object_get(n, "asset")));
	fputc('\n', stdout);
}

void
cases_print_notice(const json_t *n, bool detail)
{
	static const char *const keys[] = { "ref", "issuer", "owner", "required_feedback", "detail",
		"verdict", "recheck_note", "feedback" };
	json_t *h;
	size_t k;

	notice_row(n);
	if (!detail)
		return;
	cases_print_fields(n, keys, sizeof(keys) / sizeof(keys[0]));
	json_array_foreach(json_object_get(n, "history"), k, h) {
		printf("  %s %-10s %-8s ", cases_cmd_str(h, "at"), cases_cmd_str(h, "actor"),
		    cases_cmd_str(h, "action"));
		cases_cmd_puts(stdout, json_string_value(json_object_get(h, "comment")));
		fputc('\n', stdout);
	}
}

void
cases_print_duty(const json_t *s, bool handover)
{
	if (!handover) {
		printf("#%-4lld order %-3lld %-12s %-24s %s .. %s%s\n",
		    (long long)json_integer_value(json_object_get(s, "id")),
		    (long long)json_integer_value(json_object_get(s, "escalation_order")),
		    cases_cmd_str(s, "person"), cases_cmd_str(s, "contact"),
		    cases_cmd_str(s, "starts_at"), cases_cmd_str(s, "ends_at"),
		    json_is_true(json_object_get(s, "daily")) ? " daily" : "");
		return;
	}
	printf("%s %s -> %s: ", cases_cmd_str(s, "at"), cases_cmd_str(s, "from"),
	    cases_cmd_str(s, "to"));
	cases_cmd_puts(stdout, json_string_value(json_object_get(s, "note")));
	fputc('\n', stdout);
}

void
cases_print_outbox(const json_t *row)
{
	printf("%-6lld %-10s %-9s %-10s %-8s tries %-3lld ",
	    (long long)json_integer_value(json_object_get(row, "id")),
	    cases_cmd_str(row, "channel"), cases_cmd_str(row, "state"),
	    cases_cmd_str(row, "kind"), cases_cmd_str(row, "severity"),
	    (long long)json_integer_value(json_object_get(row, "attempts")));
	cases_cmd_puts(stdout, cases_cmd_str(row, "idem_key"));
	if (json_is_string(json_object_get(row, "last_error"))) {
		fputs("  last error: ", stdout);
		cases_cmd_puts(stdout, cases_cmd_str(row, "last_error"));
	}
	fputc('\n', stdout);
}
