/* `vigil feed import|list`: vulnerability feeds from files into the store. */
#include "assess/feed.h"
#include "cmd/cases_cmd.h"
#include "core/err.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

extern const struct cmd_ops cmd_feed;

static int
import(struct vg_ctx *ctx, struct vg_store *st, enum feed_format fmt, int argc, char **argv)
{
	struct feed_stats fs;
	char err[512];
	int r;

	if (argc < 1)
		return cmd_usage_error(&cmd_feed, "import needs a file");
	for (int i = 0; i < argc; i++) {
		if ((r = feed_import(st, argv[i], fmt, &fs, err, sizeof(err))) != VG_OK) {
			cmd_eprintf("vigil feed: %s", err[0] ? err : vg_strerror(r));
			return r == VG_ERR_STORE || r == VG_ERR_BUSY ? VG_EXIT_RUNTIME : VG_EXIT_USAGE;
		}
		if (ctx->json) {
			cmd_print_json_new(json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "file", argv[i],
			    "format", feed_format_name(fs.format), "advisories", (json_int_t)fs.advisories,
			    "ranges", (json_int_t)fs.ranges, "kev", (json_int_t)fs.kev, "skipped",
			    (json_int_t)fs.skipped));
			continue;
		}
		cases_cmd_puts(stdout, argv[i]);
		printf(": %s, %zu advisories, %zu version ranges, %zu known exploited, %zu entries "
		       "without anything to match\n", feed_format_name(fs.format), fs.advisories,
		    fs.ranges, fs.kev, fs.skipped);
	}
	return VG_EXIT_OK;
}

static int
list(struct vg_ctx *ctx, struct vg_store *st)
{
	json_t *rows = NULL, *row;
	size_t i;
	int r;

	if ((r = feed_list(st, &rows)) != VG_OK)
		return cases_cmd_fail("feed", "list", r);
	if (ctx->json)
		cmd_print_json(rows);
	else
		json_array_foreach(rows, i, row) {
			printf("%-6s %s  %6lld advisories %7lld ranges  ", cmd_jstr(row, "format"),
			    cmd_jstr(row, "imported_at"), (long long)cmd_jint(row, "advisories"),
			    (long long)cmd_jint(row, "ranges"));
			cases_cmd_puts(stdout, cmd_jstr(row, "name"));
			fputc('\n', stdout);
		}
	json_decref(rows);
	return VG_EXIT_OK;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' }, { NULL, 0, NULL, 0 },
	};
	enum feed_format fmt = FEED_AUTO;
	struct cases_cmd cc;
	int c, ret;

	if (argc < 2)
		return cmd_usage_error(&cmd_feed, "expected import or list");
	optind = 0;
	while ((c = cmd_getopt(&cmd_feed, argc - 1, argv + 1, ":", longopts)) != -1) {
		if (c == 0)
			return VG_EXIT_USAGE;
		if (c == 'f' && feed_format_parse(optarg, &fmt) != VG_OK)
			return cmd_usage_error(&cmd_feed, "--format osv|cve5|debian|kev|auto");
	}
	const char *verb = argv[1];
	int nargs = argc - 1 - optind;
	char **args = argv + 1 + optind;
	if (strcmp(verb, "import") != 0 && strcmp(verb, "list") != 0)
		return cmd_usage_error(&cmd_feed, "unknown subcommand '%s'", verb);
	if (strcmp(verb, "list") == 0 && nargs)
		return cmd_usage_error(&cmd_feed, "unexpected argument '%s'", args[0]);
	if ((ret = cases_cmd_open(ctx, "feed", &cc)) == VG_EXIT_OK)
		ret = strcmp(verb, "list") == 0 ? list(ctx, cc.st) : import(ctx, cc.st, fmt, nargs, args);
	cases_cmd_close(&cc);
	return ret;
}

const struct cmd_ops cmd_feed = {
	.name = "feed",
	.summary = "import vulnerability feeds (OSV, CVE JSON 5, Debian tracker, CISA KEV) from files",
	.help =
	    "usage: vigil feed import FILE... [--format osv|cve5|debian|kev]\n"
	    "       vigil feed list\n"
	    "\n"
	    "Imports vulnerability feeds from files into the store, for `vigil assess vulns`;\n"
	    "vigil never fetches them. Formats (detected, or named with --format):\n"
	    "  osv     OSV JSON: one advisory, an array, or JSON lines; affected[].ranges with\n"
	    "          introduced / fixed / last_affected events per ecosystem (Debian:12,\n"
	    "          Ubuntu:22.04, npm, PyPI, ...), or an explicit versions list\n"
	    "  cve5    CVE JSON 5 records: affected products with versions and lessThan /\n"
	    "          lessThanOrEqual (matched against service products and versions)\n"
	    "  debian  the Debian security tracker's JSON: fixed_version per release, so a\n"
	    "          package with a backported fix is not reported\n"
	    "  kev     CISA's Known Exploited Vulnerabilities catalog: matches become critical\n"
	    "Importing a file again replaces what the earlier import of a file with that name\n"
	    "and format brought.\n"
	    "\n"
	    "exit: 0 ok, 2 usage error or a file that is not a feed, 3 store error.\n",
	.run = run,
};
