/* `vigil assets`: the asset register from the command line. Dispatch and help
 * here, options in assets_opts.c; the verbs in assets_do.c, assets_import.c and
 * assets_watch.c; the work in src/inventory. */
#include "cmd/assets.h"
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
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct assets_env e = { .ctx = ctx };
	const char *verb = NULL;
	char err[512];
	int ret, r;

	if ((ret = assets_parse(&e, argc, argv)) != VG_EXIT_OK)
		return ret;
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
