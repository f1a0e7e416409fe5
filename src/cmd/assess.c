/* `vigil assess`: options, dispatch and help. The list verbs are in cmd/assess_do.c and
 * assess_print.c, the runs in assess_run.c, assess_vulns.c and assess_fix.c. */
#include "cmd/assess_cmd.h"
#include "cmd/assess_sub.h"
#include "core/err.h"

#include <string.h>
#include <unistd.h>

extern const struct cmd_ops cmd_assess;

/* Families with their own options plug their commands in here (one row each). */
static const struct assess_subcmd assess_subcmds[] = {
	{ "web", "web exposure templates against sites", cmd_assess_web },
	{ "tls", "TLS protocols, ciphers and certificates of services", cmd_assess_tls },
	{ "checklist", "the security-management checklist: answers, score, gaps",
	    cmd_assess_checklist },
	{ NULL, NULL, NULL },
};

static int
dispatch(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb, struct assess_opts *o,
    int argc, char **argv)
{
	const char *actor = cases_cmd_actor(o->by);
	struct vg_store *st = cc->st;
	enum assess_state to;
	int64_t id = 0;
	int r;

	if (strcmp(verb, "list") == 0)
		return assess_cmd_list(ctx, st, o);
	if (strcmp(verb, "export") == 0)
		return assess_cmd_export(st, o);
	if (strcmp(verb, "recheck") == 0)
		return assess_cmd_recheck(ctx, st, cc->cfg, o, argc, argv);
	if (strcmp(verb, "add") == 0)
		return assess_cmd_add(ctx, cc, o);
	if (strcmp(verb, "baseline") == 0 || strcmp(verb, "vulns") == 0 || strcmp(verb, "fix") == 0)
		return assess_cmd_run(ctx, cc, verb, o, argc, argv);
	if (argc < 1 || cases_cmd_id(argv[0], &id) != VG_OK)
		return cmd_usage_error(&cmd_assess, "%s needs an item id", verb);
	if (strcmp(verb, "show") == 0)
		return assess_cmd_show(ctx, st, id);
	if (strcmp(verb, "assign") == 0) {
		if ((r = assess_item_assign(st, id, o->owner, o->deadline_us, actor)) != VG_OK)
			return cases_cmd_fail("assess", "assign (--owner and/or --deadline)", r);
		return assess_cmd_show(ctx, st, id);
	}
	if (strcmp(verb, "accept") == 0) {
		if ((r = assess_item_accept(st, id, o->approver, o->reason, actor)) != VG_OK)
			return cases_cmd_fail("assess", "accept (--approver and --reason)", r);
		return assess_cmd_show(ctx, st, id);
	}
	if (strcmp(verb, "set-state") == 0) {
		if (argc < 2 || assess_state_parse(argv[1], &to) != VG_OK)
			return cmd_usage_error(&cmd_assess, "set-state ID open|fixing|fixed");
		if ((r = assess_item_set_state(st, NULL, id, to, actor, o->note)) != VG_OK)
			return cases_cmd_fail("assess", "set-state (open|fixing|fixed; verified only for "
			    "hand-entered items, with -m NOTE; accept via `assess accept`)", r);
		return assess_cmd_show(ctx, st, id);
	}
	return cmd_usage_error(&cmd_assess, "unknown subcommand '%s'", verb);
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct cases_cmd cc;
	struct assess_opts o;
	int ret;

	if (argc < 2)
		return cmd_usage_error(&cmd_assess, "expected a subcommand");
	for (const struct assess_subcmd *sc = assess_subcmds; sc->name; sc++)
		if (strcmp(sc->name, argv[1]) == 0)
			return sc->run(ctx, argc - 1, argv + 1);
	if ((ret = assess_cmd_parse_opts(argc - 1, argv + 1, &o)) != VG_EXIT_OK)
		return ret;
	if ((ret = cases_cmd_open(ctx, "assess", &cc)) == VG_EXIT_OK)
		ret = dispatch(ctx, &cc, argv[1], &o, argc - 1 - optind, argv + 1 + optind);
	cases_cmd_close(&cc);
	return ret;
}

const struct cmd_ops cmd_assess = {
	.name = "assess",
	.summary = "host baseline, vulnerable versions, and the rectification list with rechecks",
	.help =
	    "usage: vigil assess baseline [--root DIR] [--policy FILE|DIR]... [--asset A] [--all]\n"
	    "       vigil assess vulns [--root DIR] [--dpkg-status FILE] [--asset A] [--no-services]\n"
	    "       vigil assess fix --print [ID...]\n"
	    "       vigil assess list [--state S] [--kind K] [--asset A] [--family F] [--all]\n"
	    "                         [--min-severity S]\n"
	    "       vigil assess show ID\n"
	    "       vigil assess assign ID [--owner WHO] [--deadline TIME]\n"
	    "       vigil assess set-state ID open|fixing|fixed [-m NOTE]\n"
	    "       vigil assess accept ID --approver WHO --reason TEXT\n"
	    "       vigil assess add --title T --asset A [--severity S] [--ref R] [--evidence E]\n"
	    "                        [--remediation TEXT] [--owner O] [--deadline TIME]\n"
	    "       vigil assess add --from-notice NOTICE_ID\n"
	    "       vigil assess export [--format csv|json] [--output FILE] [list filters]\n"
	    "       vigil assess recheck [ID...]\n"
	    "       vigil assess web [--template ID] [--templates PATH] URL...|--assets\n"
	    "       vigil assess tls [--check ID] [--internal] HOST:PORT...|--assets\n"
	    "       vigil assess checklist show|score|answer ITEM yes|no|partial\n"
	    "                        [--evidence TEXT] [--file F] [--asset NAME]\n"
	    "  (every command takes --by WHO; default the login name)\n"
	    "\n"
	    "Every finding (a failed baseline check, a vulnerable package or service version,\n"
	    "a web exposure, a checklist gap, a notice) is an item of the rectification list:\n"
	    "asset, severity, owner, deadline and a state open -> fixing -> fixed -> verified,\n"
	    "or accepted (with approver and reason). A re-run updates an item instead of\n"
	    "adding one; a fixed item found failing again is reopened. recheck re-runs exactly\n"
	    "the checks behind the items (all open, fixing and fixed ones when no ID is given):\n"
	    "an item becomes verified only when its recheck passes, and a failing recheck\n"
	    "reopens a fixed item. Items entered by hand have no check: a person verifies\n"
	    "them with set-state ID verified -m NOTE. Every change is kept in the item's\n"
	    "history (who, when) and the audit log.\n"
	    "\n"
	    "baseline judges a host tree (--root, default /) against YAML policies in the\n"
	    "Wazuh SCA shape (default: the shipped rules/baseline/; --policy adds files or\n"
	    "directories instead). A c: (command) rule runs only when the tree is the running\n"
	    "system; on another tree it is skipped, said so, and its check is not applicable.\n"
	    "It prints each failure (--all: every check) with evidence and remediation, and\n"
	    "the hardening index (checks passed / checks judged x 100); failures become items\n"
	    "of the list (asset: the tree's host name, or --asset). fix --print writes the\n"
	    "reviewed remediation snippets of the open baseline items (or of the IDs given)\n"
	    "as a shell script on stdout (and the package upgrades of open vulnerability\n"
	    "items); it never runs them.\n"
	    "\n"
	    "vulns matches the installed packages of the tree's dpkg database (by source\n"
	    "package and the tree's Debian/Ubuntu release: the Debian tracker and OSV entries,\n"
	    "so a backported fix is not reported) and the product/version of the services in\n"
	    "the asset register (CVE JSON 5 product ranges) against the feeds imported with\n"
	    "`vigil feed import`. Known exploited (CISA KEV) matches are critical. A version\n"
	    "that cannot be compared is counted as unknown, never reported as vulnerable.\n"
	    "\n"
	    "TIME is YYYY-MM-DD[ HH:MM] (local), RFC 3339 with Z, or +2h / +3d from now.\n"
	    "exit: 0 ok, 1 a baseline check failed, a vulnerable version or a failed recheck,\n"
	    "2 usage error or unknown item, 3 store or I/O error.\n",
	.run = run,
};
