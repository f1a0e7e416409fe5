/* `vigil assets`: the asset register from the command line: list and export,
 * show, import the declared inventory, record scans and connection observations,
 * diff scans, check the classification rules. The work is in src/inventory. */
#include "cmd/assets_cmd.h"
#include "cmd/assets_out.h"
#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/store.h"
#include "inventory/assets_diff.h"
#include "inventory/assets_view.h"
#include "inventory/classify.h"
#include "inventory/import.h"
#include "inventory/import_obs.h"
#include "inventory/import_scan.h"
#include "monitor/rules.h"

#include <getopt.h>
#include <pwd.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern const struct cmd_ops cmd_assets;

#define IMPORT_FILE_MAX (16 << 20)

struct opts {
	const char *cls, *service, *format, *rules, *spec, *by;
	bool shadow, stale, declared, replace, once, rebaseline;
	long long port, min_risk;
};

struct env {
	struct vg_ctx *ctx;
	struct vg_config *cfg;
	struct vg_store *st;
	struct opts o;
};

/* Messages collected one per line (import and rule errors): each line goes
 * through the sanitiser on its own, so the line breaks stay line breaks. */
static void
print_lines(const struct vg_buf *b)
{
	const char *p = vg_buf_ptr(b);

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);
		cmd_eprintf("%.*s", n, p);
		p += n + (nl ? 1 : 0);
	}
}

static int
fail(const char *what, int r)
{
	cmd_eprintf("vigil assets: %s: %s", what, vg_strerror(r));
	return r == VG_ERR_INVAL || r == VG_ERR_PARSE || r == VG_ERR_NOTFOUND ? VG_EXIT_USAGE
									       : VG_EXIT_RUNTIME;
}

/* The classification rules: --rules, else assets/classes.yaml under the detection
 * rules directory when it has one, else under the default rules directory. */
static int
load_rules(struct env *e, struct classify_rules **out)
{
	char dir[4096], path[4200];
	struct stat sb;
	struct vg_buf *errs = vg_buf_new(64 * 1024);
	int r;

	*out = NULL;
	if (!errs)
		return VG_EXIT_RUNTIME;
	if (e->o.rules) {
		snprintf(path, sizeof(path), "%s", e->o.rules);
	} else {
		path[0] = '\0';
		if (e->cfg->monitor.rules) {
			snprintf(path, sizeof(path), "%s/%s", e->cfg->monitor.rules, CLASSIFY_RULES_FILE);
			if (stat(path, &sb) != 0)
				path[0] = '\0';
		}
		if (!path[0] && ruleset_default_path(NULL, dir, sizeof(dir)) == VG_OK)
			snprintf(path, sizeof(path), "%s/%s", dir, CLASSIFY_RULES_FILE);
	}
	r = classify_rules_load(path, out, errs);
	if (r != VG_OK)
		print_lines(errs);
	vg_buf_free(errs);
	return r == VG_OK ? VG_EXIT_OK : r == VG_ERR_NOMEM ? VG_EXIT_RUNTIME : VG_EXIT_USAGE;
}

static bool
keep(const struct opts *o, json_t *a, regex_t *svc)
{
	json_t *sv;
	size_t i;
	bool port = o->port == 0, service = !svc, cls = !o->cls;

	if ((o->shadow && !json_is_true(json_object_get(a, "shadow"))) ||
	    (o->stale && !json_is_true(json_object_get(a, "stale"))) ||
	    (o->declared && !json_is_true(json_object_get(a, "declared"))) ||
	    json_integer_value(json_object_get(a, "risk")) < o->min_risk)
		return false;
	json_array_foreach(json_object_get(a, "classes"), i, sv)
		cls |= o->cls && strcmp(json_string_value(sv), o->cls) == 0;
	json_array_foreach(json_object_get(a, "services"), i, sv) {
		port |= json_integer_value(json_object_get(sv, "port")) == o->port;
		for (int k = 0; !service && k < 2; k++) {
			const char *t = json_string_value(json_object_get(sv, k ? "product" : "name"));
			service = t && regexec(svc, t, 0, NULL, 0) == 0;
		}
	}
	return port && service && cls;
}

static int
do_list(struct env *e, const char *show)
{
	struct classify_rules *rules = NULL;
	json_t *assets = NULL, *out = NULL, *a;
	regex_t svc;
	bool have_re = false;
	size_t i;
	int ret = load_rules(e, &rules), r;

	if (ret != VG_EXIT_OK)
		return ret;
	if (e->o.service) {
		if (regcomp(&svc, e->o.service, REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0) {
			ret = cmd_usage_error(&cmd_assets, "bad --service pattern '%s'", e->o.service);
			goto out;
		}
		have_re = true;
	}
	/* classified afresh on every look, so an edited rules file shows at once */
	if ((r = classify_run(e->st, rules, vg_now_us(), &assets)) != VG_OK) {
		ret = fail("classify", r);
		goto out;
	}
	out = json_array();
	json_array_foreach(assets, i, a)
		if ((!show && keep(&e->o, a, have_re ? &svc : NULL)) ||
		    (show && (strcmp(json_string_value(json_object_get(a, "address")), show) == 0 ||
				 (json_string_value(json_object_get(a, "hostname")) &&
				     strcmp(json_string_value(json_object_get(a, "hostname")), show) == 0))))
			json_array_append(out, a);
	if (show) {
		if (json_array_size(out) == 0) {
			cmd_eprintf("vigil assets: no asset '%s'", show);
			ret = VG_EXIT_USAGE;
		} else if (e->ctx->json) {
			cmd_print_json(json_array_get(out, 0));
		} else {
			assets_out_show(stdout, json_array_get(out, 0));
		}
	} else if (e->ctx->json || (e->o.format && strcmp(e->o.format, "json") == 0)) {
		assets_out_jsonl(stdout, out);
	} else if (e->o.format && strcmp(e->o.format, "csv") == 0) {
		assets_out_csv(stdout, out);
	} else {
		assets_out_table(stdout, out);
	}
out:
	if (have_re)
		regfree(&svc);
	json_decref(assets);
	json_decref(out);
	classify_rules_free(rules);
	return ret;
}

/* Reads a whole file (at most IMPORT_FILE_MAX) into *data; "-" is stdin. */
static int
slurp(const char *path, char **data, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = IMPORT_FILE_MAX + 1;

	*data = NULL;
	if (!f)
		return VG_ERR_IO;
	if (!(*data = malloc(cap))) {
		if (f != stdin)
			fclose(f);
		return VG_ERR_NOMEM;
	}
	*len = fread(*data, 1, cap, f);
	int bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad || *len > IMPORT_FILE_MAX) {
		free(*data);
		*data = NULL;
		return bad ? VG_ERR_IO : VG_ERR_LIMIT;
	}
	return VG_OK;
}

static const char *
actor(const char *by)
{
	struct passwd *pw;
	const char *s = getenv("SUDO_USER");

	if (by && *by)
		return by;
	if (s && *s)
		return s;
	pw = getpwuid(getuid());
	return pw ? pw->pw_name : "unknown";
}

static int
do_import(struct env *e, const char *path)
{
	struct vg_buf *errs = vg_buf_new(64 * 1024);
	struct import_decls d = { 0 };
	struct import_result res;
	char *data = NULL;
	size_t len = 0;
	int r, ret = VG_EXIT_OK;

	if (!errs)
		return VG_EXIT_RUNTIME;
	if ((r = slurp(path, &data, &len)) != VG_OK) {
		cmd_eprintf("vigil assets: %s: %s", path,
		    r == VG_ERR_LIMIT ? "larger than 16 MiB" : vg_strerror(r));
		ret = r == VG_ERR_NOMEM ? VG_EXIT_RUNTIME : VG_EXIT_USAGE;
		goto out;
	}
	if ((r = import_parse(path, data, len, &d, errs)) != VG_OK) {
		print_lines(errs);
		cmd_eprintf("vigil assets: %s: nothing imported", path);
		ret = r == VG_ERR_NOMEM ? VG_EXIT_RUNTIME : VG_EXIT_USAGE;
		goto out;
	}
	if ((r = import_store(e->st, &d, path, actor(e->o.by), e->o.replace, &res)) != VG_OK) {
		ret = fail("import", r);
		goto out;
	}
	if (e->ctx->json)
		cmd_print_json_new(json_pack("{s:I, s:I, s:I, s:I}", "rows", (json_int_t)res.rows,
		    "added", (json_int_t)res.added, "updated", (json_int_t)res.updated,
		    "undeclared", (json_int_t)res.undeclared));
	else
		printf("%zu declared assets: %zu added, %zu updated%s", res.rows, res.added,
		    res.updated, e->o.replace ? "" : "\n");
	if (!e->ctx->json && e->o.replace)
		printf(", %zu no longer declared\n", res.undeclared);
out:
	import_decls_free(&d);
	free(data);
	vg_buf_free(errs);
	return ret;
}

static FILE *
open_in(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");

	if (!f)
		cmd_eprintf("vigil assets: %s: cannot open", path);
	return f;
}

static int
do_import_scan(struct env *e, const char *path)
{
	struct vg_buf *errs = vg_buf_new(64 * 1024);
	FILE *f = open_in(path);
	int64_t id = 0;
	size_t n = 0;
	int r, ret = VG_EXIT_OK;

	if (!f || !errs) {
		ret = f ? VG_EXIT_RUNTIME : VG_EXIT_USAGE;
		goto out;
	}
	if ((r = import_scan_file(e->st, f, path, e->o.spec, errs, &id, &n)) != VG_OK) {
		print_lines(errs);
		ret = r == VG_ERR_PARSE ? VG_EXIT_USAGE : fail("import-scan", r);
		goto out;
	}
	if (e->ctx->json)
		cmd_print_json_new(json_pack("{s:I, s:I}", "scan", (json_int_t)id, "observations",
		    (json_int_t)n));
	else
		printf("scan #%lld recorded: %zu observations\n", (long long)id, n);
out:
	if (f && f != stdin)
		fclose(f);
	vg_buf_free(errs);
	return ret;
}

static int
do_observe(struct env *e, int argc, char **argv)
{
	struct vg_buf *errs = vg_buf_new(64 * 1024);
	struct obs_result res;
	size_t links = 0, lines = 0;
	int r, ret = errs ? VG_EXIT_OK : VG_EXIT_RUNTIME;

	for (int i = 0; i < argc && ret == VG_EXIT_OK; i++) {
		FILE *f = open_in(argv[i]);
		if (!f) {
			ret = VG_EXIT_USAGE;
			break;
		}
		if ((r = import_obs_file(e->st, f, argv[i], errs, &res)) != VG_OK) {
			print_lines(errs);
			ret = r == VG_ERR_PARSE ? VG_EXIT_USAGE : fail("observe", r);
		}
		links += res.links;
		lines += res.lines;
		if (f != stdin)
			fclose(f);
	}
	if (ret == VG_EXIT_OK && e->ctx->json)
		cmd_print_json_new(json_pack("{s:I, s:I}", "lines", (json_int_t)lines, "links",
		    (json_int_t)links));
	else if (ret == VG_EXIT_OK)
		printf("%zu connections recorded from %zu lines\n", links, lines);
	vg_buf_free(errs);
	return ret;
}

static int
parse_id(const char *s, int64_t *id)
{
	long long v;
	if (s[0] == '#')
		s++;
	if (vg_parse_ll(s, 1, INT64_MAX, &v) != VG_OK)
		return VG_ERR_PARSE;
	*id = v;
	return VG_OK;
}

static int
do_diff(struct env *e, int argc, char **argv)
{
	int64_t a = 0, b = 0;
	json_t *d = NULL;
	int r;

	if (argc == 1 || argc > 2 || (argc == 2 && (parse_id(argv[0], &a) != VG_OK ||
						      parse_id(argv[1], &b) != VG_OK)))
		return cmd_usage_error(&cmd_assets, "diff takes no scan ids or two (SCAN_A SCAN_B)");
	if ((r = assets_diff(e->st, a, b, &d)) != VG_OK) {
		if (r == VG_ERR_NOTFOUND) {
			cmd_eprintf("vigil assets: diff: %s", argc ? "no such scan" :
			    "needs two done scans (see vigil assets scans)");
			return VG_EXIT_USAGE;
		}
		return fail("diff", r);
	}
	if (e->ctx->json)
		cmd_print_json(d);
	else
		assets_out_diff(stdout, d);
	r = json_array_size(json_object_get(d, "changes")) ? VG_EXIT_FOUND : VG_EXIT_OK;
	json_decref(d);
	return r;
}

static int
do_scans(struct env *e)
{
	json_t *scans = NULL, *sc;
	size_t i;
	int r = assets_scans(e->st, 0, &scans);

	if (r != VG_OK)
		return fail("scans", r);
	if (e->ctx->json)
		json_array_foreach(scans, i, sc)
			cmd_print_json(sc);
	else
		assets_out_scans(stdout, scans);
	json_decref(scans);
	return VG_EXIT_OK;
}

static int
do_classes(struct env *e)
{
	struct classify_rules *rules = NULL;
	int ret = load_rules(e, &rules);

	if (ret == VG_EXIT_OK)
		printf("%zu classification rules OK\n", classify_rules_count(rules));
	classify_rules_free(rules);
	return ret;
}

static int
dispatch(struct env *e, const char *verb, int argc, char **argv)
{
	bool one = argc == 1;

	if (!verb || strcmp(verb, "list") == 0)
		return argc ? cmd_usage_error(&cmd_assets, "list takes options only") : do_list(e, NULL);
	if (strcmp(verb, "show") == 0)
		return one ? do_list(e, argv[0]) : cmd_usage_error(&cmd_assets, "show needs an address");
	if (strcmp(verb, "import") == 0)
		return one ? do_import(e, argv[0]) : cmd_usage_error(&cmd_assets, "import needs a file");
	if (strcmp(verb, "import-scan") == 0)
		return one ? do_import_scan(e, argv[0])
			   : cmd_usage_error(&cmd_assets, "import-scan needs a file");
	if (strcmp(verb, "observe") == 0)
		return argc ? do_observe(e, argc, argv)
			    : cmd_usage_error(&cmd_assets, "observe needs files (- for stdin)");
	if (strcmp(verb, "diff") == 0)
		return do_diff(e, argc, argv);
	if (strcmp(verb, "scans") == 0)
		return argc ? cmd_usage_error(&cmd_assets, "scans takes no arguments") : do_scans(e);
	if (strcmp(verb, "classes") == 0)
		return argc ? cmd_usage_error(&cmd_assets, "classes takes no arguments") : do_classes(e);
	if (strcmp(verb, "watch") == 0)
		return argc ? cmd_usage_error(&cmd_assets, "watch takes options only")
			    : cmd_assets_watch(e->ctx, e->cfg, e->st, e->o.once, e->o.rebaseline);
	return cmd_usage_error(&cmd_assets, "unknown subcommand '%s'", verb);
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
		{ "rebaseline", no_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 },
	};
	struct env e = { .ctx = ctx };
	char err[512];
	const char *verb = NULL;
	int c, ret, r;

	optind = 0;
	while ((c = cmd_getopt(&cmd_assets, argc, argv, ":", longopts)) != -1) {
		switch (c) {
		case 0: return VG_EXIT_USAGE;
		case 'c': e.o.cls = optarg; break;
		case 'S': e.o.shadow = true; break;
		case 's': e.o.stale = true; break;
		case 'd': e.o.declared = true; break;
		case 'v': e.o.service = optarg; break;
		case 'f': e.o.format = optarg; break;
		case 'R': e.o.rules = optarg; break;
		case 'X': e.o.replace = true; break;
		case 'P': e.o.spec = optarg; break;
		case 'b': e.o.by = optarg; break;
		case 'o': e.o.once = true; break;
		case 'B': e.o.rebaseline = true; break;
		case 'p':
			if (vg_parse_ll(optarg, 1, 65535, &e.o.port) != VG_OK)
				return cmd_usage_error(&cmd_assets, "bad --port '%s'", optarg);
			break;
		case 'r':
			if (vg_parse_ll(optarg, 0, 100, &e.o.min_risk) != VG_OK)
				return cmd_usage_error(&cmd_assets, "bad --min-risk '%s' (0-100)", optarg);
			break;
		default: return VG_EXIT_USAGE;
		}
	}
	if (e.o.format && strcmp(e.o.format, "table") != 0 && strcmp(e.o.format, "csv") != 0 &&
	    strcmp(e.o.format, "json") != 0)
		return cmd_usage_error(&cmd_assets, "bad --format '%s' (table, csv, json)", e.o.format);
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
