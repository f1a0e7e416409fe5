/* `vigil assets`: the asset register from the command line. Options and dispatch
 * here; the verbs in assets_do.c, assets_import.c and assets_watch.c; the work in
 * src/inventory. */
#include "cmd/assets.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/store.h"

#include <getopt.h>
#include <string.h>

static int
dispatch(struct assets_env *e, const char *verb, int argc, char **argv)
{
	bool one = argc == 1;

	if (!verb || strcmp(verb, "list") == 0)
		return argc ? cmd_usage_error(&cmd_assets, "list takes options only")
			    : assets_do_list(e, NULL);
	if (strcmp(verb, "show") == 0)
		return one ? assets_do_list(e, argv[0])
			   : cmd_usage_error(&cmd_assets, "show needs an address");
	if (strcmp(verb, "import") == 0)
		return one ? assets_do_import(e, argv[0])
			   : cmd_usage_error(&cmd_assets, "import needs a file");
	if (strcmp(verb, "import-scan") == 0)
		return one ? assets_do_import_scan(e, argv[0])
			   : cmd_usage_error(&cmd_assets, "import-scan needs a file");
	if (strcmp(verb, "observe") == 0)
		return argc ? assets_do_observe(e, argc, argv)
			    : cmd_usage_error(&cmd_assets, "observe needs files (- for stdin)");
	if (strcmp(verb, "diff") == 0)
		return assets_do_diff(e, argc, argv);
	if (argc)
		return cmd_usage_error(&cmd_assets, "%s takes options only", verb);
	if (strcmp(verb, "scans") == 0)
		return assets_do_scans(e);
	if (strcmp(verb, "classes") == 0)
		return assets_do_classes(e);
	if (strcmp(verb, "watch") == 0)
		return cmd_assets_watch(e->ctx, e->cfg, e->st, e->once, e->rebaseline);
	return cmd_usage_error(&cmd_assets, "unknown subcommand '%s'", verb);
}

static int
option(struct assets_env *e, int c, const char *v)
{
	long long *num = c == 'p' ? &e->filter.port : &e->filter.min_risk;

	switch (c) {
	case 'c': e->filter.cls = v; break;
	case 'S': e->filter.shadow = true; break;
	case 's': e->filter.stale = true; break;
	case 'd': e->filter.declared = true; break;
	case 'v': e->filter.service = v; break;
	case 'f': e->format = v; break;
	case 'R': e->rules = v; break;
	case 'X': e->replace = true; break;
	case 'P': e->spec = v; break;
	case 'b': e->by = v; break;
	case 'o': e->once = true; break;
	case 'B': e->rebaseline = true; break;
	case 'p':
	case 'r':
		if (vg_parse_ll(v, c == 'p' ? 1 : 0, c == 'p' ? 65535 : 100, num) != VG_OK)
			return cmd_usage_error(&cmd_assets, "bad --%s '%s'",
			    c == 'p' ? "port" : "min-risk", v);
		break;
	default: return VG_EXIT_USAGE;
	}
	return VG_EXIT_OK;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "class", required_argument, NULL, 'c' }, { "shadow", no_argument, NULL, 'S' },
		{ "stale", no_argument, NULL, 's' }, { "declared", no_argument, NULL, 'd' },
		{ "port", required_argument, NULL, 'p' }, { "service", required_argument, NULL, 'v' },
		{ "min-risk", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' }, { "rules", required_argument, NULL, 'R' },
		{ "replace", no_argument, NULL, 'X' }, { "spec", required_argument, NULL, 'P' },
		{ "by", required_argument, NULL, 'b' }, { "once", no_argument, NULL, 'o' },
		{ "rebaseline", no_argument, NULL, 'B' }, { NULL, 0, NULL, 0 },
	};
	struct assets_env e = { .ctx = ctx };
	const char *verb = NULL;
	char err[512];
	int c, ret, r;

	optind = 0;
	while ((c = cmd_getopt(&cmd_assets, argc, argv, ":", longopts)) != -1)
		if (c == 0 || (ret = option(&e, c, optarg)) != VG_EXIT_OK)
			return c == 0 ? VG_EXIT_USAGE : ret;
	if (e.format && strcmp(e.format, "table") != 0 && strcmp(e.format, "csv") != 0 &&
	    strcmp(e.format, "json") != 0)
		return cmd_usage_error(&cmd_assets, "bad --format '%s' (table, csv, json)", e.format);
	if (optind < argc)
		verb = argv[optind++];
	if ((ret = cmd_load_config(ctx, &e.cfg)) != VG_EXIT_OK)
		return ret;
	r = store_open(e.cfg->store.backend, e.cfg->store.path, &ctx->log, &e.st, err, sizeof(err));
	if (r != VG_OK) {
		cmd_eprintf("vigil assets: %s", err[0] ? err : vg_strerror(r));
		ret = r == VG_ERR_INVAL ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
	} else {
		ret = dispatch(&e, verb, argc - optind, argv + optind);
	}
	store_close(e.st);
	vg_config_free(e.cfg);
	return ret;
}

const struct cmd_ops cmd_assets = {
	.name = "assets",
	.summary = "the asset register: declared vs discovered, shadow, stale, classes, risk, diffs",
	.help =
	    "usage: vigil assets [list] [--class C] [--shadow] [--stale] [--declared] [--port N]\n"
	    "                           [--service RE] [--min-risk N] [--format table|csv|json]\n"
	    "       vigil assets show ADDRESS\n"
	    "       vigil assets import FILE.csv [--replace] [--by WHO]\n"
	    "       vigil assets import-scan FILE.jsonl [--spec TEXT]\n"
	    "       vigil assets observe FILE... (ss -tnp or conntrack -L output; - = stdin)\n"
	    "       vigil assets scans\n"
	    "       vigil assets diff [SCAN_A SCAN_B]\n"
	    "       vigil assets classes [--rules FILE]\n"
	    "       vigil assets watch --once [--rebaseline]\n"
	    "\n"
	    "The register holds the declared inventory (import) and every scan (vigil\n"
	    "discover, or import-scan of JSON lines with discover's keys). An asset seen by\n"
	    "a scan but not declared is a shadow; a declared one not seen by the latest done\n"
	    "scan is stale. Each listing classifies the assets afresh with the rules in\n"
	    "rules/assets/classes.yaml (--rules FILE): target, potential_target,\n"
	    "springboard, key_equipment, security_device, shadow, with a risk score 0-100\n"
	    "and its reasons (show ADDRESS lists them). Springboards come from observe:\n"
	    "connections seen in ss -tnp snapshots or conntrack -L dumps of your hosts.\n"
	    "\n"
	    "import reads a CSV with a header row: address (IP or host name; required),\n"
	    "hostname, system, owner, level (importance 1-5, e.g. 等保 3 / III / 三级),\n"
	    "internet_facing (yes/no, 是/否), role, notes (Chinese column names work too).\n"
	    "Quoted fields, CRLF and a UTF-8 BOM are fine; any bad row is reported as\n"
	    "FILE:LINE:COLUMN and nothing is imported. --replace also undeclares assets the\n"
	    "file no longer lists.\n"
	    "\n"
	    "diff compares two scans (default: the latest done scan with the previous done\n"
	    "scan of the same spec): new and gone hosts and ports, service, version, HTTP\n"
	    "title and certificate changes.\n"
	    "\n"
	    "watch --once checks the websites in the config's sitewatch.sites from outside:\n"
	    "availability, status, response time, certificate chain and expiry, DNS answers\n"
	    "(A/AAAA and NS against the baseline: a change is a hijack alert), and the page\n"
	    "against its baseline (the first check; --rebaseline takes the current page):\n"
	    "defacement, hidden or spam links (黑链; keywords in rules/assets/spamlinks.txt),\n"
	    "injected redirects and scripts. New problems become alerts in the store; vigil\n"
	    "watch runs the same checks every sitewatch.interval.\n"
	    "\n"
	    "exit: 0 ok; 1 diff found changes, or watch found a problem; 2 usage error or bad\n"
	    "input; 3 store error.\n",
	.run = run,
};
