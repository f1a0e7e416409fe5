/* What `vigil alerts` prints: a table row per alert, and one alert with its evidence. */
#include "cmd/alerts.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/event.h"

#include <inttypes.h>
#include <stdio.h>

/* Severity as a name: the store keeps the enum's number. */
void
alerts_name_severity(json_t *a)
{
	json_object_set_new(a, "severity",
	    json_string(vg_severity_name((enum vg_severity)cmd_jint(a, "severity"))));
}

void
alerts_print_row(const json_t *a)
{
	char seen[32];

	cmd_local_time(cmd_jint(a, "last_seen"), seen, sizeof(seen));
	printf("%-7" PRId64 " %-19s %-8s %-30s ", cmd_jint(a, "id"), seen, cmd_jstr(a, "severity"),
	    cmd_jstr(a, "rule_id"));
	cmd_put_escaped(stdout, cmd_jstr(a, "source_ip")[0] ? cmd_jstr(a, "source_ip") : "-");
	printf(" %6" PRId64 "  ", cmd_jint(a, "count"));
	cmd_put_escaped(stdout, cmd_jstr(a, "title"));
	putchar('\n');
}

int
alerts_show(struct vg_ctx *ctx, struct vg_store *st, const char *arg)
{
	char t1[32], t2[32];
	json_t *a = NULL, *ev;
	size_t i;
	long long id;
	int r;

	if (vg_parse_ll(arg, 1, INT64_MAX, &id) != VG_OK)
		return cmd_usage_error(&cmd_alerts, "show needs an alert id, not '%s'", arg);
	r = store_alert_get(st, id, &a);
	if (r == VG_ERR_NOTFOUND) {
		cmd_eprintf("vigil alerts: no alert %lld\n", id);
		return VG_EXIT_USAGE;
	}
	if (r != VG_OK) {
		cmd_eprintf("vigil alerts: %s\n", store_errmsg(st));
		return VG_EXIT_RUNTIME;
	}
	alerts_name_severity(a);
	if (ctx->json) {
		cmd_print_json_new(a);
		return VG_EXIT_OK;
	}
	cmd_local_time(cmd_jint(a, "first_seen"), t1, sizeof(t1));
	cmd_local_time(cmd_jint(a, "last_seen"), t2, sizeof(t2));
	printf("alert %lld: %s (%s, %s", id, cmd_jstr(a, "rule_id"), cmd_jstr(a, "severity"),
	    cmd_jstr(a, "category"));
	if (cmd_jstr(a, "mitre")[0])
		printf(", %s", cmd_jstr(a, "mitre"));
	printf(")\n  title:      ");
	cmd_put_escaped(stdout, cmd_jstr(a, "title"));
	printf("\n  source:     ");
	cmd_put_escaped(stdout, cmd_jstr(a, "source_ip")[0] ? cmd_jstr(a, "source_ip") : "-");
	printf("\n  sensor:     ");
	cmd_put_escaped(stdout, cmd_jstr(a, "sensor"));
	printf("\n  count:      %" PRId64 "\n  first seen: %s\n  last seen:  %s\n  matched:    ",
	    cmd_jint(a, "count"), t1, t2);
	cmd_put_escaped(stdout, cmd_jstr(a, "field"));
	printf(": ");
	cmd_put_escaped(stdout, cmd_jstr(a, "matched"));
	ev = json_object_get(a, "events");
	printf("\n  evidence (%zu line%s):\n", json_array_size(ev),
	    json_array_size(ev) == 1 ? "" : "s");
	json_t *e;
	json_array_foreach(ev, i, e) {
		cmd_local_time(cmd_jint(e, "ts"), t1, sizeof(t1));
		printf("    %s  ", t1);
		cmd_put_escaped(stdout, cmd_jstr(e, "raw"));
		putchar('\n');
	}
	json_decref(a);
	return VG_EXIT_OK;
}
