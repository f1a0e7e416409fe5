/* `vigil scan` options: anywhere on the line, "--" ends them, "-" is a path; each
 * bad value gets the command's own message. Then what they open: the rules, the
 * paths to walk. */
#include "cmd/scan.h"
#include "core/buf.h"
#include "core/err.h"
#include "monitor/treescan.h"
#include "monitor/webshell.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const struct option scan_options[] = {
	{ "threads", required_argument, NULL, 'j' },
	{ "timeout", required_argument, NULL, 't' },
	{ "max-size", required_argument, NULL, 's' },
	{ "rules", required_argument, NULL, 'r' },
	{ "vault", required_argument, NULL, 'V' },
	{ "quarantine", no_argument, NULL, 'q' },
	{ "all", no_argument, NULL, 'a' },
	{ "no-progress", no_argument, NULL, 'P' },
	{ NULL, 0, NULL, 0 },
};

int
scan_parse_args(int argc, char **argv, struct scan_args *a)
{
	int c;
	const char *opt;

	opterr = 0;
	optind = 0;	/* glibc: full re-initialisation */
	while ((c = getopt_long(argc, argv, ":j:", scan_options, NULL)) != -1) {
		opt = argv[optind - 1];
		switch (c) {
		case 'j':
		case 't': {
			/* the option is the word before a separate value */
			const char *name = argv[optind - 1 - (optarg == argv[optind - 1])];
			long long max = c == 'j' ? TREESCAN_MAX_THREADS : 3600;
			if (vg_parse_ll(optarg, 1, max, c == 'j' ? &a->threads : &a->timeout) !=
			    VG_OK)
				return cmd_usage_error(&cmd_scan, "%s needs a number in 1..%lld",
				    c == 't' ? "--timeout" : strncmp(name, "--", 2) ? "-j"
				    : "--threads", max);
			break;
		}
		case 's':
			if (vg_parse_size(optarg, &a->max_size) != VG_OK || a->max_size <= 0)
				return cmd_usage_error(&cmd_scan, "--max-size needs a size like 8M");
			break;
		case 'r':
			a->rules = optarg;
			break;
		case 'V':
			a->vault = optarg;
			a->quarantine = true;
			break;
		case 'q':
			a->quarantine = true;
			break;
		case 'a':
			a->all = true;
			break;
		case 'P':
			a->no_progress = true;
			break;
		case ':':
			if (optopt == 'j' || optopt == 't')
				return cmd_usage_error(&cmd_scan, "%s needs a number in 1..%d",
				    optopt == 't' ? "--timeout" : strncmp(opt, "--", 2) ? "-j"
				    : "--threads", optopt == 't' ? 3600 : TREESCAN_MAX_THREADS);
			if (optopt == 's')
				return cmd_usage_error(&cmd_scan, "--max-size needs a size like 8M");
			if (optopt == 'r')
				return cmd_usage_error(&cmd_scan, "--rules needs a file or directory");
			return cmd_usage_error(&cmd_scan, "--vault needs a directory");
		default:
			return cmd_usage_error(&cmd_scan, "unknown option '%s'", opt);
		}
	}
	if (optind >= argc)
		return cmd_usage_error(&cmd_scan, "expected at least one PATH");
	return VG_EXIT_OK;
}

int
scan_open_scanner(struct vg_ctx *ctx, const struct scan_args *a, struct webshell_scanner **ws)
{
	const char *rules = a->rules;
	char rules_buf[4096], err[1024];
	int rc;

	if (!rules) {
		if (webshell_find_rules(rules_buf, sizeof(rules_buf)) != VG_OK) {
			fprintf(stderr, "vigil scan: no webshell rules found; use --rules DIR or set "
					"VIGIL_WEBSHELL_RULES\n");
			return VG_EXIT_USAGE;
		}
		rules = rules_buf;
	}
	rc = webshell_scanner_new(rules, &ctx->log, ws, err, sizeof(err));
	if (rc != VG_OK) {
		cmd_eprintf("vigil scan: rules: %s\n", err[0] ? err : vg_strerror(rc));
		return rc == VG_ERR_NOMEM ? VG_EXIT_RUNTIME : VG_EXIT_USAGE;
	}
	webshell_scanner_set_limits(*ws, a->max_size, (int)a->timeout);
	webshell_scanner_set_full(*ws, a->all);
	vg_info(&ctx->log, "scan: %zu rules from %s", webshell_scanner_rule_count(*ws), rules);
	return VG_EXIT_OK;
}

int
scan_add_paths(struct treescan *t, int argc, char **argv, bool *arg_error)
{
	for (int i = optind; i < argc; i++) {
		int rc = treescan_add(t, argv[i]);

		if (rc == VG_ERR_NOTFOUND) {
			cmd_eprintf("vigil scan: %s: %s\n", argv[i], strerror(errno));
			*arg_error = true;
		} else if (rc == VG_ERR_FORMAT) {
			cmd_eprintf("vigil scan: %s: not a regular file or directory; skipped\n",
			    argv[i]);
		} else if (rc != VG_OK) {
			fprintf(stderr, "vigil scan: out of memory while listing files\n");
			return VG_EXIT_RUNTIME;
		}
	}
	return VG_EXIT_OK;
}
