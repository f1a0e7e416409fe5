/* `vigil demo`: a newcomer's first taste. Builds a throw-away workspace (a web root,
 * an access log, a config) and runs the real vigil on it the way a duty team would:
 * baseline the site, start `vigil watch`, then play the attacker — web attacks in
 * the log, a defaced page, a dropped webshell — and show what vigil saw and did.
 * Options and help; the acts are demo_play.c, the site demo_site.c. */
#include "cmd/cmd.h"
#include "cmd/demo_site.h"
#include "core/err.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

extern const struct cmd_ops cmd_demo;

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { { "keep", no_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 } };
	struct demo_site site;
	char *rules = NULL, *rel = NULL;
	bool keep = false;
	int ret, c;

	optind = 0;
	while ((c = cmd_getopt(&cmd_demo, argc, argv, "+:", opts)) != -1)
		if (c == 'k')
			keep = true;
		else
			return VG_EXIT_USAGE;
	if (optind < argc)
		return cmd_usage_error(&cmd_demo, "unknown option '%s'", argv[optind]);
	if (cmd_rules_path(ctx, NULL, NULL, &rel) != VG_OK)
		return VG_EXIT_RUNTIME;
	/* The workspace config resolves relative paths against itself. */
	rules = realpath(rel, NULL);
	free(rel);
	if (!rules) {
		fprintf(stderr, "vigil demo: detection rules not found (set $VIGIL_RULES)\n");
		return VG_EXIT_RUNTIME;
	}
	ret = demo_site_create(&site, rules) == VG_OK ? demo_play(&site, keep) : VG_EXIT_RUNTIME;
	if (keep && site.dir[0])
		printf("== workspace kept: %s\n", site.dir);
	else
		demo_site_remove(&site);
	free(rules);
	return ret;
}

const struct cmd_ops cmd_demo = {
	.name = "demo",
	.summary = "run vigil on a small bundled example and show what it finds",
	.help =
	    "usage: vigil demo [--keep]\n"
	    "\n"
	    "Builds a throw-away workspace under /tmp (a web root, an access log, a config),\n"
	    "backs the web root up, starts `vigil watch` on it, then plays the attacker:\n"
	    "web attacks in the access log, a defaced page, a dropped (defanged) webshell.\n"
	    "Shows the alerts as they happen, the page restored, the webshell quarantined,\n"
	    "and what the store recorded, then writes the day's briefing for the leaders\n"
	    "(`vigil report daily`: HTML, and PDF when chromium is installed) into a\n"
	    "private directory of its own and prints its path. --keep leaves the\n"
	    "workspace to explore (the briefing is written into it then).\n"
	    "\n"
	    "exit: 0 when vigil restored the page and quarantined the webshell.\n",
	.run = run,
};
