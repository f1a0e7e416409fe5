/* `vigil rules test|list [PATH]`: loads a rule set the way `watch` will, then runs
 * every rule's embedded examples or lists the rules, so a rule edit is checked
 * before it reaches a running monitor. `rules ioc` is in rules_ioc.c. */
#include "cmd/cmd.h"
#include "core/err.h"
#include "monitor/rules.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct cmd_ops cmd_rules;

/* PATH argument, else monitor.rules from --config, else $VIGIL_RULES, else ./rules;
 * the cache directory from --cache, else monitor.rules_cache, else the default. */
static int
load(struct vg_ctx *ctx, const char *arg, const char *cache, unsigned flags,
    struct ruleset **rs, char **path)
{
	struct vg_config *cfg = NULL;
	char *errors = NULL, def[4096];
	int ret = VG_EXIT_OK, r;

	if (ctx->config_path && (ret = cmd_load_config(ctx, &cfg)) != VG_EXIT_OK)
		return ret;
	if (!cache)
		cache = cmd_rules_cache(cfg, def, sizeof(def));
	if (cmd_rules_path(ctx, cfg, arg, path) != VG_OK) {
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	r = ruleset_load_cached(*path, flags, cache, &ctx->log, rs, &errors);
	if (errors)
		fputs(errors, stderr);
	if (r != VG_OK) {
		cmd_eprintf("vigil rules: %s: %s\n", *path, r == VG_ERR_PARSE ?
		    "rule set not loaded (fix the errors above, or use --keep-going)" :
		    vg_strerror(r));
		ret = r == VG_ERR_NOMEM ? VG_EXIT_RUNTIME : VG_EXIT_USAGE;
	}
out:
	free(errors);
	vg_config_free(cfg);
	return ret;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { { "keep-going", no_argument, NULL, 'k' },
		{ "cache", required_argument, NULL, 'c' }, { NULL, 0, NULL, 0 } };
	const char *sub, *cache = NULL;
	unsigned flags = 0;
	char *path = NULL;
	struct ruleset *rs = NULL;
	size_t checked = 0;
	int ret, r, c;

	if (argc > 1 && strcmp(argv[1], "ioc") == 0)
		return cmd_rules_ioc(ctx, argc - 1, argv + 1);
	optind = 0;	/* glibc: full re-initialisation */
	while ((c = cmd_getopt(&cmd_rules, argc, argv, ":k", opts)) != -1) {
		if (c == 'k')
			flags |= RULESET_KEEP_GOING;
		else if (c == 'c')
			cache = optarg;
		else
			return VG_EXIT_USAGE;
	}
	sub = optind < argc ? argv[optind] : NULL;
	if (!sub || (strcmp(sub, "test") != 0 && strcmp(sub, "list") != 0))
		return cmd_usage_error(&cmd_rules, "expected 'test' or 'list'");
	if (argc - optind > 2)
		return cmd_usage_error(&cmd_rules, "expected at most one PATH");
	ret = load(ctx, argc - optind == 2 ? argv[optind + 1] : NULL, cache, flags, &rs, &path);
	if (ret != VG_EXIT_OK)
		goto out;
	if (strcmp(sub, "list") == 0) {
		ret = ruleset_print(rs, ctx->json, stdout) == VG_OK ? VG_EXIT_OK : VG_EXIT_RUNTIME;
		goto out;
	}
	if ((r = ruleset_selftest(rs, stdout, &checked)) < 0) {
		cmd_eprintf("vigil rules: self-test failed: %s\n", vg_strerror(r));
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	printf("%s: %zu rules, %zu examples checked, %d failed\n", path, ruleset_count(rs),
	    checked, r);
	ret = r ? VG_EXIT_FOUND : VG_EXIT_OK;
out:
	ruleset_free(rs);
	free(path);
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
