/* `vigil scan-log`: the detection engine in batch mode over old logs (files or
 * stdin), as fast as it can read. Same decoders, rules and correlation as `watch`. */
#include "cmd/scan_log.h"
#include "core/err.h"
#include "core/store.h"
#include "monitor/pipeline.h"
#include "monitor/rules.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct cmd_ops cmd_scan_log;

struct scan_opts {
	const char *format;
	const char *log_format;
	const char *rules;
	const char *store_path;
	bool keep_going;
};

static int
parse_args(int argc, char **argv, struct scan_opts *o, int *first_file)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "log-format", required_argument, NULL, 'l' },
		{ "rules", required_argument, NULL, 'r' },
		{ "store", required_argument, NULL, 's' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	opterr = 0;
	/* '+': options end at the first file, as they always have */
	while ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (c) {
		case 'f': o->format = optarg; break;
		case 'l': o->log_format = optarg; break;
		case 'r': o->rules = optarg; break;
		case 's': o->store_path = optarg; break;
		case 'k': o->keep_going = true; break;
		default:
			return cmd_usage_error(&cmd_scan_log, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	*first_file = optind;
	return VG_EXIT_OK;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct scan_opts o = { .format = "auto" };
	struct vg_config *cfg = NULL;
	struct vg_store *st = NULL;
	struct pipeline *p = NULL;
	struct decoder *d = NULL;
	struct ioc_set *ioc = NULL;
	char *errors = NULL, *rules_path = NULL;
	int first = 1, ret, r;

	if ((ret = parse_args(argc, argv, &o, &first)) != VG_EXIT_OK)
		return ret;
	if ((ret = cmd_load_config(ctx, &cfg)) != VG_EXIT_OK)
		return ret;
	ret = VG_EXIT_USAGE;
	if (cmd_rules_path(ctx, cfg, o.rules, &rules_path) != VG_OK)
		goto out;
	if ((ret = scan_log_open(ctx, cfg, o.format, o.log_format, o.store_path, &d, &ioc,
		 &st)) != VG_EXIT_OK)
		goto out;
	struct alerts al;
	alerts_init(&al, &(struct alerts_opts){ .store = st, .json_out = ctx->json ? stdout : NULL,
	    .text_out = ctx->json ? NULL : stdout });
	char cache[4096];
	struct pipeline_opts po = {
		.rules_path = rules_path,
		.rules_cache = cmd_rules_cache(cfg, cache, sizeof(cache)),
		.rule_flags = o.keep_going ? RULESET_KEEP_GOING : 0,
		.alerts = &al,
		.ioc = ioc,
		.log = &ctx->log,
	};
	r = pipeline_new(&po, &p, &errors);
	if (errors)
		fputs(errors, stderr);
	if (r != VG_OK) {
		cmd_eprintf("vigil scan-log: cannot load rules from %s: %s\n", rules_path,
		    vg_strerror(r));
		ret = r == VG_ERR_NOMEM ? VG_EXIT_RUNTIME : VG_EXIT_USAGE;
		goto out;
	}
	vg_info(&ctx->log, "scan-log: %zu rules from %s", pipeline_rule_count(p), rules_path);
	if (st && store_begin(st) != VG_OK) {
		cmd_eprintf("vigil scan-log: %s\n", store_errmsg(st));
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	ret = scan_log_files(ctx, p, d, st, (size_t)cfg->monitor.max_line, argc - first,
	    argv + first);
out:
	free(errors);
	free(rules_path);
	pipeline_free(p);
	ioc_set_free(ioc);
	decoder_free(d);
	store_close(st);
	vg_config_free(cfg);
	return ret;
}

const struct cmd_ops cmd_scan_log = {
	.name = "scan-log",
	.summary = "detect attacks in old log files (batch mode of the watch engine)",
	.help =
	    "usage: vigil scan-log [--json] [--format FMT] [--log-format STR] [--rules PATH]\n"
	    "                      [--store FILE] [--keep-going] [FILE...|-]\n"
	    "\n"
	    "Runs every line of FILE (or standard input, or '-') through the decoders, the\n"
	    "detection rules and correlation, as fast as it can, and prints one line per\n"
	    "alert: aggregated per (rule, source address) per 5-minute window, with a count,\n"
	    "first/last seen, and what matched. With --json, alerts are ECS JSON lines on\n"
	    "stdout. A summary (lines, undecodable lines, alerts, lines/s) goes to stderr.\n"
	    "\n"
	    "  --format FMT      auto (default), combined, nginx, apache, sshd, syslog, json\n"
	    "  --log-format STR  nginx log_format string (with --format nginx)\n"
	    "  --rules PATH      rule file or directory (default: monitor.rules from the\n"
	    "                    config, else $VIGIL_RULES, else ./rules, else the rules\n"
	    "                    shipped with this build)\n"
	    "  --store FILE      also save alerts and their evidence lines in this store\n"
	    "  --keep-going      skip broken rules (reported) instead of refusing to start\n"
	    "\n"
	    "Compressed files (rotated logs: gzip, zstd) are read as such, told by their\n"
	    "first bytes rather than their names; a cut or corrupt one is an error (exit 3)\n"
	    "after the lines before the damage were analysed.\n"
	    "\n"
	    "Lines longer than monitor.max_line are cut there: the kept part is still\n"
	    "decoded and matched, and the cut raises alert log.line_too_long. Lines no\n"
	    "decoder understands are counted, never dropped silently. monitor.ioc_files\n"
	    "are loaded (ioc.ip, ioc.domain); an unreadable list is a config error.\n"
	    "\n"
	    "exit: 0 no alerts, 1 alerts, 2 usage/config/rule error, 3 I/O or store error,\n"
	    "      or stdout could not be written. A closed stdout (`| head`) stops the\n"
	    "      printing only: every alert is still stored, then exit 3.\n",
	.run = run,
};
