/* `vigil rules test|list [PATH]`: loads a rule set the way `watch` will, then runs
 * every rule's embedded examples or lists the rules, so a rule edit is checked
 * before it reaches a running monitor. */
#include "cmd/cmd.h"
#include "core/err.h"
#include "monitor/ioc.h"
#include "monitor/rules.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct cmd_ops cmd_rules;

/* PATH argument, else monitor.rules from --config, else $VIGIL_RULES, else ./rules;
 * the cache directory from --cache, else monitor.rules_cache, else the default. */
static int
rules_paths(struct vg_ctx *ctx, const char *arg, const char *cache_arg, char **out,
    char **cache)
{
	struct vg_config *cfg = NULL;
	int ret;

	*out = *cache = NULL;
	if (ctx->config_path) {
		ret = cmd_load_config(ctx, &cfg);
		if (ret != VG_EXIT_OK)
			return ret;
	}
	*out = NULL;
	if (arg)
		*out = strdup(arg);
	else
		cmd_rules_path(ctx, cfg, NULL, out);
	char def[4096];
	const char *c = cache_arg ? cache_arg : cmd_rules_cache(cfg, def, sizeof(def));
	if (c)
		*cache = strdup(c);
	ret = !*out || (c && !*cache) ? VG_EXIT_RUNTIME : VG_EXIT_OK;
	vg_config_free(cfg);
	return ret;
}

static int
print_list(const struct ruleset *rs, bool json)
{
	json_t *arr = json ? json_array() : NULL;

	if (json && !arr)
		return VG_EXIT_RUNTIME;
	for (size_t i = 0; i < ruleset_count(rs); i++) {
		const struct rule_info *r = ruleset_rule(rs, i);
		if (json)
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s?, s:s}", "id",
			    r->id, "severity", vg_severity_name(r->severity), "category",
			    r->category, "mitre", r->mitre, "title", r->title));
		else
			printf("%-36s %-8s %-15s %-10s %s\n", r->id, vg_severity_name(r->severity),
			    r->category, r->mitre ? r->mitre : "-", r->title);
	}
	if (json) {
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(arr);
	}
	return VG_EXIT_OK;
}

/* `rules ioc [FILE...] [--lookup VALUE]`: validates IOC files (default
 * monitor.ioc_files) and optionally looks one address or domain up. */
static int
run_ioc(struct vg_ctx *ctx, int argc, char **argv)
{
	struct vg_config *cfg = NULL;
	struct ioc_set *set = NULL;
	const char *lookup = NULL;
	const char **files = NULL;
	size_t nfiles = 0;
	int ret = VG_EXIT_OK;
	bool bad = false;

	files = calloc((size_t)argc + 1, sizeof(*files));
	if (!files)
		return VG_EXIT_RUNTIME;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--lookup") == 0 && i + 1 < argc)
			lookup = argv[++i];
		else if (argv[i][0] == '-') {
			free(files);
			return cmd_usage_error(&cmd_rules, "unknown option '%s'", argv[i]);
		} else
			files[nfiles++] = argv[i];
	}
	if (nfiles == 0) {
		ret = cmd_load_config(ctx, &cfg);
		if (ret != VG_EXIT_OK)
			goto out;
		const char **g = realloc(files, (cfg->monitor.ioc_files.n + 1) * sizeof(*g));
		if (!g) {
			ret = VG_EXIT_RUNTIME;
			goto out;
		}
		files = g;
		for (size_t i = 0; i < cfg->monitor.ioc_files.n; i++)
			files[nfiles++] = cfg->monitor.ioc_files.items[i];
		if (nfiles == 0) {
			fprintf(stderr, "vigil rules ioc: no FILE given and no monitor.ioc_files "
			    "configured\n");
			ret = VG_EXIT_USAGE;
			goto out;
		}
	}
	if (ioc_set_new(&set) != VG_OK) {
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	for (size_t i = 0; i < nfiles; i++) {
		char *errors = NULL;
		struct ioc_stats before, after;
		ioc_get_stats(set, &before);
		int r = ioc_load_file(set, files[i], &errors);
		ioc_get_stats(set, &after);
		if (errors)
			fputs(errors, stderr);
		free(errors);
		if (r == VG_ERR_NOMEM) {
			ret = VG_EXIT_RUNTIME;
			goto out;
		}
		if (r != VG_OK || after.bad_lines > before.bad_lines ||
		    after.dropped > before.dropped)
			bad = true;
		printf("%s: %zu addresses/networks, %zu domains, %zu bad lines\n", files[i],
		    after.prefixes - before.prefixes, after.domains - before.domains,
		    after.bad_lines - before.bad_lines);
	}
	if (lookup) {
		unsigned plen = 0;
		bool hit = ioc_match_ip(set, lookup, &plen) ||
		    ioc_match_domain(set, lookup, strlen(lookup), NULL);
		printf("%s: %s\n", lookup, hit ? "listed" : "not listed");
		if (hit && !bad)
			ret = VG_EXIT_FOUND;
	}
	if (bad)
		ret = VG_EXIT_USAGE;
out:
	ioc_set_free(set);
	vg_config_free(cfg);
	free(files);
	return ret;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	const char *sub = NULL, *arg = NULL, *cache_arg = NULL;
	unsigned flags = 0;
	char *path = NULL, *errors = NULL, *cache = NULL;
	struct ruleset *rs = NULL;
	int ret, r;

	if (argc > 1 && strcmp(argv[1], "ioc") == 0)
		return run_ioc(ctx, argc, argv);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--keep-going") == 0 || strcmp(argv[i], "-k") == 0)
			flags |= RULESET_KEEP_GOING;
		else if (strcmp(argv[i], "--cache") == 0 && i + 1 < argc)
			cache_arg = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cmd_usage_error(&cmd_rules, "unknown option '%s'", argv[i]);
		else if (!sub)
			sub = argv[i];
		else if (!arg)
			arg = argv[i];
		else
			return cmd_usage_error(&cmd_rules, "expected at most one PATH");
	}
	if (!sub || (strcmp(sub, "test") != 0 && strcmp(sub, "list") != 0))
		return cmd_usage_error(&cmd_rules, "expected 'test' or 'list'");
	ret = rules_paths(ctx, arg, cache_arg, &path, &cache);
	if (ret != VG_EXIT_OK)
		goto out;
	r = ruleset_load_cached(path, flags, cache, &ctx->log, &rs, &errors);
	if (errors)
		fputs(errors, stderr);
	if (r != VG_OK) {
		fprintf(stderr, "vigil rules: %s: %s\n", path, r == VG_ERR_PARSE ?
		    "rule set not loaded (fix the errors above, or use --keep-going)" :
		    vg_strerror(r));
		ret = r == VG_ERR_NOMEM ? VG_EXIT_RUNTIME : VG_EXIT_USAGE;
		goto out;
	}
	if (strcmp(sub, "list") == 0) {
		ret = print_list(rs, ctx->json);
	} else {
		size_t checked = 0;
		r = ruleset_selftest(rs, stdout, &checked);
		if (r < 0) {
			fprintf(stderr, "vigil rules: self-test failed: %s\n", vg_strerror(r));
			ret = VG_EXIT_RUNTIME;
			goto out;
		}
		printf("%s: %zu rules, %zu examples checked, %d failed\n", path, ruleset_count(rs),
		    checked, r);
		ret = r ? VG_EXIT_FOUND : VG_EXIT_OK;
	}
out:
	ruleset_free(rs);
	free(errors);
	free(path);
	free(cache);
	return ret;
}

const struct cmd_ops cmd_rules = {
	.name = "rules",
	.summary = "check (test) or list detection rules, check IOC lists",
	.help =
	    "usage: vigil rules test|list [PATH] [--keep-going] [--cache DIR] [--json]\n"
	    "       vigil rules ioc [FILE...] [--lookup ADDRESS|DOMAIN]\n"
	    "\n"
	    "Loads the detection rules from PATH (a .yaml file or a directory searched\n"
	    "recursively). Without PATH: monitor.rules from --config, else $VIGIL_RULES,\n"
	    "else ./rules (the shipped set when run from the source tree).\n"
	    "\n"
	    "  test   run every rule's match:/no_match: examples; each failure is printed\n"
	    "         as FILE:LINE: rule ID: ..., then a summary line\n"
	    "  list   print id, severity, category, ATT&CK technique and title of each rule\n"
	    "         (a JSON array with --json)\n"
	    "\n"
	    "Load errors are printed as FILE:LINE:COL: rule ID: MESSAGE (a bad regex says\n"
	    "'bad regex: ...'). By default any error refuses the whole set.\n"
	    "  -k, --keep-going  skip broken rules (still reported) and use the rest\n"
	    "  --cache DIR       keep compiled rule databases in DIR (default:\n"
	    "                    monitor.rules_cache, else /var/cache/vigil as root,\n"
	    "                    ~/.cache/vigil otherwise) so unchanged rules load without\n"
	    "                    recompiling; DIR must belong to you, closed to others\n"
	    "\n"
	    "  ioc    load IOC lists (FILEs, else monitor.ioc_files from --config): one IPv4/\n"
	    "         IPv6 address or CIDR, domain (matches its subdomains too) or =exact.name\n"
	    "         per line, '#' comments. Prints counts; bad lines go to stderr as\n"
	    "         FILE:LINE: reason. --lookup tells whether a value is listed.\n"
	    "\n"
	    "exit: 0 ok, 1 an example failed (test) or the --lookup value is listed (ioc),\n"
	    "      2 rules did not load, an IOC file has bad lines, or bad usage;\n"
	    "      3 runtime error.\n",
	.run = run,
};
