/* `vigil alerts [show ID]`: the stored alerts as a table with local times (or JSON
 * lines), filtered by age, rule, source and severity; `show` adds the evidence. */
#include "cmd/alerts.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/event.h"
#include "core/store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>

/* One filter option into f; VG_EXIT_*. */
static int
set_filter(int c, const char *v, struct store_alert_filter *f)
{
	enum vg_severity sev;
	long long n;
	int64_t age;

	switch (c) {
	case 's':
		if (vg_parse_age(v, &age) != VG_OK)
			return cmd_usage_error(&cmd_alerts, "--since wants an age like 90s, 15m, 2h "
			    "or 7d, not '%s'", v);
		f->since_us = vg_now_us() - age;
		break;
	case 'r': f->rule_glob = v; break;
	case 'i': f->source_ip = v; break;
	case 'v':
		if (vg_severity_parse(v, &sev) != VG_OK)
			return cmd_usage_error(&cmd_alerts, "--severity wants info, low, medium, high "
			    "or critical, not '%s'", v);
		f->min_severity = (int)sev;
		break;
	case 'n':
		if (vg_parse_ll(v, 0, LLONG_MAX, &n) != VG_OK)
			return cmd_usage_error(&cmd_alerts, "--limit wants a number");
		f->limit = (size_t)n;
		break;
	default:
		return VG_EXIT_USAGE;
	}
	return VG_EXIT_OK;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "rule", required_argument, NULL, 'r' },
		{ "source", required_argument, NULL, 'i' },
		{ "severity", required_argument, NULL, 'v' },
		{ "limit", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct store_alert_filter f = { .limit = 100 };
	struct vg_config *cfg = NULL;
	struct vg_store *st = NULL;
	json_t *rows = NULL;
	int c, ret;
	size_t i;

	optind = 0;
	while ((c = cmd_getopt(&cmd_alerts, argc, argv, ":", opts)) != -1)
		if ((ret = set_filter(c, optarg, &f)) != VG_EXIT_OK)
			return ret;
	if (argc - optind > 2 || (argc - optind >= 1 && strcmp(argv[optind], "show") != 0) ||
	    (argc - optind == 1))
		return cmd_usage_error(&cmd_alerts, "expected options or 'show ID'");
	if ((ret = cmd_open_store(ctx, "alerts", &cfg, &st)) != VG_EXIT_OK)
		goto out;
	if (argc - optind == 2) {
		ret = alerts_show(ctx, st, argv[optind + 1]);
		goto out;
	}
	if (store_alerts_find(st, &f, &rows) != VG_OK) {
		cmd_eprintf("vigil alerts: %s\n", store_errmsg(st));
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	if (!ctx->json)
		printf("%-7s %-19s %-8s %-30s %s %6s  %s\n", "ID", "LAST SEEN", "SEVERITY", "RULE",
		    "SOURCE", "COUNT", "TITLE");
	json_t *a;
	json_array_foreach(rows, i, a) {
		alerts_name_severity(a);
		if (ctx->json)
			cmd_print_json(a);
		else
			alerts_print_row(a);
	}
	ret = VG_EXIT_OK;
out:
	json_decref(rows);
	store_close(st);
	vg_config_free(cfg);
	return ret;
}

const struct cmd_ops cmd_alerts = {
	.name = "alerts",
	.summary = "list stored alerts (filters, local times), show one with its evidence",
	.help =
	    "usage: vigil alerts [--since AGE] [--rule GLOB] [--source IP]\n"
	    "                    [--severity LEVEL] [--limit N] [--json]\n"
	    "       vigil alerts show ID [--json]\n"
	    "\n"
	    "Lists the alerts in the store (store.path of --config), newest first, as a\n"
	    "table with local times: id, last seen, severity, rule, source address, count\n"
	    "and title. With --json, one ECS-like JSON object per line (times in µs since\n"
	    "the epoch). `show ID` prints one alert with its evidence lines.\n"
	    "\n"
	    "  --since AGE       last seen within AGE: 90s, 15m, 2h, 7d\n"
	    "  --rule GLOB       rule id pattern, e.g. 'http.sqli.*'\n"
	    "  --source IP       one source address\n"
	    "  --severity LEVEL  this level or worse: info, low, medium, high, critical\n"
	    "  --limit N         at most N alerts (default 100, 0 = all)\n"
	    "\n"
	    "Text from logs (evidence, matched values) is printed with control bytes as\n"
	    "\\xNN, so a crafted log line cannot drive the terminal.\n"
	    "exit: 0 ok, 2 usage/config error or no such alert, 3 store error.\n",
	.run = run,
};
