/* `vigil assess web URL...|--assets`: options and the run over the sites; the
 * checks live in assess/web*.c, the finding printer in cmd/assess_sub.c. */
#include "assess/web.h"
#include "cmd/assess_sub.h"
#include "cmd/cases_cmd.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/esc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_assess_web_help[] =
    "usage: vigil assess web [--templates PATH] [--template ID] [--rate N] [--parallel N]\n"
    "                        [--timeout DUR] [--max-size SIZE] [--by WHO] URL...|--assets\n"
    "  Runs the web exposure templates (rules/web/*.yaml) against each site: exposed\n"
    "  .git/.svn/.env/.DS_Store, backup archives and dumps, directory listing, default\n"
    "  and test pages, admin consoles, PUT/DELETE/TRACE, CORS, cookies, security headers,\n"
    "  HTTP without HTTPS. Only reading requests (GET, HEAD, OPTIONS, TRACE) to the\n"
    "  given sites; redirects are not followed. The site's not-found page is learnt\n"
    "  first, and answers that look like it are dropped.\n"
    "  --assets           the sites of the asset register in scope: declared assets'\n"
    "                     open HTTP services (`vigil assets`); scanned-only ones are not\n"
    "  --templates PATH   template file or directory (default: the shipped rules/web)\n"
    "  --template ID      run only this template\n"
    "  --rate N           requests per second per host (default 10)\n"
    "  --parallel N       requests in flight (default 4)\n"
    "  --timeout DUR      per request (default 10s)\n"
    "  --max-size SIZE    body bytes kept per answer (default 1M)\n"
    "  --by WHO           who ran it, for the items' history (default the login name)\n"
    "  Each finding becomes an item of the rectification list (`vigil assess list`);\n"
    "  `vigil assess recheck ID` runs the same template against the same URL again.\n"
    "  Exit: 0 nothing found, 1 findings, 2 usage, 3 a site could not be checked.\n";

static const struct cmd_ops web_cmd = { .name = "assess web", .help = cmd_assess_web_help };

struct web_opts {
	const char *templates, *only, *by;
	bool assets;
	struct web_http_opts http;
};

static int
on_opt(int c, const char *v, struct web_opts *o)
{
	long long n;

	switch (c) {
	case 'T': o->templates = v; return 0;
	case 't': o->only = v; return 0;
	case 'b': o->by = v; return 0;
	case 'A': o->assets = true; return 0;
	case 'r':
		if (vg_parse_ll(v, 1, 1000, &n) != VG_OK)
			return cmd_usage_error(&web_cmd, "--rate: expected 1..1000, got '%s'", v);
		o->http.rate = (unsigned)n;
		return 0;
	case 'p':
		if (vg_parse_ll(v, 1, 64, &n) != VG_OK)
			return cmd_usage_error(&web_cmd, "--parallel: expected 1..64, got '%s'", v);
		o->http.parallel = (unsigned)n;
		return 0;
	case 'w':
		if (vg_parse_duration(v, &n) != VG_OK || n < 1 || n > 600)
			return cmd_usage_error(&web_cmd, "--timeout: expected 1s..10m, got '%s'", v);
		o->http.timeout_ms = (long)n * 1000;
		return 0;
	case 'm':
		if (vg_parse_size(v, &n) != VG_OK || n < 1024 || n > 64LL << 20)
			return cmd_usage_error(&web_cmd, "--max-size: expected 1k..64M, got '%s'", v);
		o->http.max_body = (size_t)n;
		return 0;
	}
	return VG_EXIT_USAGE;
}

int
cmd_assess_web(struct vg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "templates", required_argument, NULL, 'T' },
		{ "template", required_argument, NULL, 't' },
		{ "rate", required_argument, NULL, 'r' },
		{ "parallel", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 'w' },
		{ "max-size", required_argument, NULL, 'm' },
		{ "by", required_argument, NULL, 'b' },
		{ "assets", no_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	struct wc_target *tg = NULL;
	size_t ntg = 0;
	struct cases_cmd cc = { 0 };
	struct web_opts o = { 0 };
	struct web_tmpl_set ts = { 0 };
	struct wc_printer pr = { .ctx = ctx };
	int c, ret = VG_EXIT_OK;

	if (cmd_wants_help(argc, argv)) {
		fputs(cmd_assess_web_help, stdout);
		return VG_EXIT_OK;
	}
	optind = 0;
	while ((c = cmd_getopt(&web_cmd, argc, argv, ":", longopts)) > 0)
		if ((ret = on_opt(c, optarg, &o)) != VG_EXIT_OK)
			return ret;
	if (c == 0)
		return VG_EXIT_USAGE;
	if ((optind >= argc) == !o.assets)
		return cmd_usage_error(&web_cmd, "which sites? give URLs or --assets (not both)");
	if ((ret = cmd_assess_web_templates(&web_cmd, o.templates, o.only, &ts)) != VG_EXIT_OK)
		return ret;
	for (int i = optind; i < argc; i++) {
		char base[2048], why[512];

		if (web_base_url(argv[i], base, sizeof(base), why, sizeof(why)) != VG_OK) {
			web_tmpl_set_free(&ts);
			return cmd_usage_error(&web_cmd, "%s", why);
		}
	}
	if ((ret = cases_cmd_open(ctx, "assess web", &cc)) != VG_EXIT_OK)
		goto out;
	pr.st = cc.st;
	pr.actor = cases_cmd_actor(o.by);
	if ((ret = cmd_assess_targets(cc.st, false, o.assets, argc - optind, argv + optind, &tg,
		 &ntg)) != VG_EXIT_OK)
		goto out;
	ret = cmd_assess_web_sites(ctx, &ts, &o.http, o.only, tg, ntg, &pr);
out:
	webcheck_targets_free(tg, ntg);
	cases_cmd_close(&cc);
	web_tmpl_set_free(&ts);
	if (ret == VG_EXIT_OK && pr.count)
		ret = VG_EXIT_FOUND;
	return ret;
}
