/* `vigil publish begin|status|diff|commit|abort`: a change window for legitimate site
 * updates. While open, the watcher records changes instead of reverting them; commit
 * makes the published tree the new baseline, abort puts the old baseline back. */
#include "cmd/publish.h"
#include "core/err.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const struct option publish_options[] = {
	{ "webroot", required_argument, NULL, 'w' },
	{ "note", required_argument, NULL, 'n' },
	{ "accept", required_argument, NULL, 'a' },
	{ "force", no_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 },
};

static int
set_opt(void *arg, int c, const char *v)
{
	struct popts *o = arg;
	if (c == 'f') {
		o->force = true;
	} else if (c == 'a') {
		if (o->n_accept == ACCEPT_MAX)
			return cmd_usage_error(&cmd_publish, "at most %d --accept", ACCEPT_MAX);
		o->accept[o->n_accept++] = v;
	} else {
		*(c == 'w' ? &o->webroot : &o->note) = v;
	}
	return VG_EXIT_OK;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct vg_config *cfg = NULL;
	struct protect *p = NULL;
	struct protect_root *sel[64];
	struct popts o = { 0 };
	size_t n = 0;
	int ret;
	static const char *const subs[] = { "begin", "status", "diff", "commit", "abort" };
	int sub = -1;

	for (int i = 0; argc >= 2 && i < 5; i++)
		if (strcmp(argv[1], subs[i]) == 0)
			sub = i;
	if (sub < 0)
		return cmd_usage_error(&cmd_publish, "expected begin, status, diff, commit or "
		    "abort");
	if ((ret = cmd_parse_options(&cmd_publish, argc - 1, argv + 1, publish_options, set_opt,
	    &o)) != VG_EXIT_OK)
		return ret;
	if ((ret = pcmd_open(ctx, &cmd_publish, &cfg, &p)) != VG_EXIT_OK)
		return ret;
	if (p->n_roots > 64 || (ret = pcmd_select(p, o.webroot, &cmd_publish, sel, &n)) !=
	    VG_EXIT_OK) {
		ret = VG_EXIT_USAGE;
		goto out;
	}
	if (n != 1) {
		ret = cmd_usage_error(&cmd_publish, "several web roots: choose one with --webroot");
		goto out;
	}
	switch (sub) {
	case 0: ret = pub_begin(ctx, cfg, p, sel[0], &o); break;
	case 1: ret = pub_show(ctx, p, sel[0], false); break;
	case 2: ret = pub_show(ctx, p, sel[0], true); break;
	case 3: ret = pub_end(ctx, cfg, p, sel[0], &o, true); break;
	default: ret = pub_end(ctx, cfg, p, sel[0], &o, false); break;
	}
out:
	protect_free(p);
	vg_config_free(cfg);
	return ret;
}

const struct cmd_ops cmd_publish = {
	.name = "publish",
	.summary = "change window for legitimate site updates (begin, diff, commit, abort)",
	.help =
	    "usage: vigil publish begin|status|diff|commit|abort [--webroot NAME] [--note TEXT]\n"
	    "                    [--accept PATH]... [--force]\n"
	    "\n"
	    "Opens a publishing window so the team can update a site during the event without\n"
	    "alert floods and without switching protection off elsewhere. While the window is\n"
	    "open, `vigil watch` and `vigil fim watch` record changes to that web root (action\n"
	    "\"recorded\") instead of applying its policy; other web roots stay protected.\n"
	    "`vigil watch` still scans each added or changed file and raises a WEBSHELL alert\n"
	    "for a suspicious or malicious one, but leaves it in place for the commit to judge.\n"
	    "\n"
	    "  begin    open the window (a row in BACKUP_DIR/backup.db; a window an older\n"
	    "           vigil opened as BACKUP_DIR/publish/NAME.json counts until closed)\n"
	    "  status   show whether it is open and list the changes so far\n"
	    "  diff     the changes with unified diffs of text files and tamper flags, so\n"
	    "           a reviewer sees exactly what goes live\n"
	    "  commit   scan every file added or changed in the window for webshells (the\n"
	    "           bytes the snapshot stores), then make the snapshot the new baseline\n"
	    "           and close the window. A suspicious or malicious file (score >= 40),\n"
	    "           a server-side script over 8 MiB or an unreadable file refuses the\n"
	    "           commit (exit 1, each named; window and baseline unchanged) unless\n"
	    "           accepted: --accept PATH (relative to the web root, a glob allowed,\n"
	    "           repeatable) or --force (all); accepted files are audited\n"
	    "  abort    put the baseline back (added files go to BACKUP_DIR/removed/), then\n"
	    "           close the window\n"
	    "\n"
	    "--webroot is needed when several web roots are configured. --note TEXT is kept\n"
	    "with the window. begin, commit and abort are written to the store's audit log.\n"
	    "exit: 0 ok, 1 commit refused by the webshell scan, 2 usage error (no window open,\n"
	    "already open, no baseline, no rules), 3 runtime error.\n",
	.run = run,
};
