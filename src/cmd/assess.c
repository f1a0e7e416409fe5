/* `vigil assess`: the rectification list (list, show, assign, set-state, accept,
 * add, export, recheck) and the check runs (baseline, vulns, fix: cmd/assess_run.c). */
#include "cmd/assess_cmd.h"
#include "cmd/assess_sub.h"
#include "core/err.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
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
parse_opts(int argc, char **argv, struct assess_opts *o)
{
	static const struct option longopts[] = {
		{ "state", required_argument, NULL, 's' }, { "kind", required_argument, NULL, 'k' },
		{ "asset", required_argument, NULL, 'a' }, { "family", required_argument, NULL, 'F' },
		{ "all", no_argument, NULL, 'A' }, { "owner", required_argument, NULL, 'o' },
		{ "deadline", required_argument, NULL, 'd' }, { "by", required_argument, NULL, 'b' },
		{ "message", required_argument, NULL, 'm' },
		{ "approver", required_argument, NULL, 'P' }, { "reason", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'O' },
		{ "title", required_argument, NULL, 'T' }, { "severity", required_argument, NULL, 'S' },
		{ "ref", required_argument, NULL, 'R' }, { "evidence", required_argument, NULL, 'E' },
		{ "remediation", required_argument, NULL, 'M' },
		{ "from-notice", required_argument, NULL, 'N' },
		{ "root", required_argument, NULL, 'x' }, { "policy", required_argument, NULL, 'p' },
		{ "print", no_argument, NULL, 'W' }, { "dpkg-status", required_argument, NULL, 'D' },
		{ "no-services", no_argument, NULL, 'n' }, { "min-severity", required_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	enum vg_severity sev;
	int c;

	memset(o, 0, sizeof(*o));
	o->severity = -1;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:b:", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o->f.state = optarg; break;
		case 'k': o->f.kind = optarg; break;
		case 'a': o->f.asset = optarg; break;
		case 'F': o->f.family = optarg; break;
		case 'A': o->f.all = true; break;
		case 'o': o->owner = optarg; break;
		case 'd': o->deadline = optarg; break;
		case 'b': o->by = optarg; break;
		case 'm': o->note = optarg; break;
		case 'P': o->approver = optarg; break;
		case 'r': o->reason = optarg; break;
		case 'f': o->format = optarg; break;
		case 'O': o->output = optarg; break;
		case 'T': o->title = optarg; break;
		case 'R': o->ref = optarg; break;
		case 'E': o->evidence = optarg; break;
		case 'M': o->remediation = optarg; break;
		case 'N': o->from_notice = optarg; break;
		case 'x': o->root = optarg; break;
		case 'p':
			if (o->n_policies >= ASSESS_CMD_MAX_POLICIES)
				return cmd_usage_error(&cmd_assess, "too many --policy");
			o->policies[o->n_policies++] = optarg;
			break;
		case 'W': o->print = true; break;
		case 'D': o->dpkg_status = optarg; break;
		case 'n': o->no_services = true; break;
		case 'S':
		case 'V':
			if (vg_severity_parse(optarg, &sev) != VG_OK)
				return cmd_usage_error(&cmd_assess, "bad severity '%s'", optarg);
			if (c == 'S')
				o->severity = (int)sev;
			else
				o->f.min_severity = (int)sev;
			break;
		case ':':
			return cmd_usage_error(&cmd_assess, "%s needs a value", argv[optind - 1]);
		default:
			return cmd_usage_error(&cmd_assess, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (o->deadline && cases_parse_time(o->deadline, vg_now_us(), &o->deadline_us) != VG_OK)
		return cmd_usage_error(&cmd_assess, "bad --deadline '%s' (YYYY-MM-DD HH:MM or +3d)",
		    o->deadline);
	if (o->f.state) {
		enum assess_state s;
		if (assess_state_parse(o->f.state, &s) != VG_OK)
			return cmd_usage_error(&cmd_assess, "bad --state '%s'", o->f.state);
	}
	return VG_EXIT_OK;
}

static void
print_row(const json_t *n)
{
	printf("#%-5lld %-8s %-8s %-9s %-10s %s%s  ", (long long)cmd_jint(n, "id"),
	    cases_cmd_str(n, "severity"), cases_cmd_str(n, "state"), cases_cmd_str(n, "kind"),
	    cases_cmd_str(n, "owner"), json_is_true(json_object_get(n, "overdue")) ? "OVERDUE " : "",
	    cases_cmd_str(n, "deadline"));
	cases_cmd_puts(stdout, json_string_value(json_object_get(n, "title")));
	fputs(" @ ", stdout);
	cases_cmd_puts(stdout, json_string_value(json_object_get(n, "asset")));
	fputc('\n', stdout);
}

static void
print_detail(const json_t *n)
{
	static const char *const keys[] = { "family", "check_id", "ref", "target", "evidence",
		"remedy", "approver", "accept_reason", "verified_at", "checked_at" };
	json_t *h;
	size_t k;

	print_row(n);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = json_string_value(json_object_get(n, keys[i]));
		if (!v)
			continue;
		printf("  %s: ", keys[i]);
		cases_cmd_puts(stdout, v);
		fputc('\n', stdout);
	}
	json_array_foreach(json_object_get(n, "history"), k, h) {
		printf("  %s %-10s %-16s %s%s%s ", cases_cmd_str(h, "at"), cases_cmd_str(h, "actor"),
		    cases_cmd_str(h, "action"), json_string_value(json_object_get(h, "from")) ?
		    cases_cmd_str(h, "from") : "", json_string_value(json_object_get(h, "to")) ?
		    " -> " : "", json_string_value(json_object_get(h, "to")) ?
		    cases_cmd_str(h, "to") : "");
		cases_cmd_puts(stdout, json_string_value(json_object_get(h, "comment")));
		fputc('\n', stdout);
	}
}

int
assess_cmd_show(struct vg_ctx *ctx, struct vg_store *st, int64_t id)
{
	json_t *n = NULL;
	int r = assess_item_get(st, id, &n);

	if (r != VG_OK)
		return cases_cmd_fail("assess", "show", r);
	if (ctx->json)
		cases_cmd_print_json(n);
	else
		print_detail(n);
	json_decref(n);
	return VG_EXIT_OK;
}

static int
list(struct vg_ctx *ctx, struct vg_store *st, const struct assess_opts *o)
{
	json_t *items = NULL, *it;
	size_t k;
	int r;

	if ((r = assess_item_list(st, &o->f, &items)) != VG_OK)
		return cases_cmd_fail("assess", "list", r);
	if (ctx->json)
		cases_cmd_print_json(items);
	else
		json_array_foreach(items, k, it)
			print_row(it);
	json_decref(items);
	return VG_EXIT_OK;
}

static int
export(struct vg_store *st, const struct assess_opts *o)
{
	bool csv = !o->format || strcmp(o->format, "csv") == 0;
	struct assess_filter f = o->f;
	FILE *out = stdout;
	int r;

	if (o->format && !csv && strcmp(o->format, "json") != 0)
		return cmd_usage_error(&cmd_assess, "--format csv|json");
	int fd = -1;
	/* 0600: the list names every weak spot of the event's systems */
	if (o->output && ((fd = open(o->output, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0 ||
	    !(out = fdopen(fd, "w")))) {
		if (fd >= 0)
			close(fd);
		cmd_eprintf("vigil assess: %s: cannot create (exists?)", o->output);
		return VG_EXIT_RUNTIME;
	}
	if (!f.state)
		f.all = true;	/* the supervising unit gets the whole list unless filtered */
	r = assess_export(st, &f, csv, out);
	if (out != stdout && fclose(out) != 0 && r == VG_OK)
		r = VG_ERR_IO;
	return r == VG_OK ? VG_EXIT_OK : cases_cmd_fail("assess", "export", r);
}

/* The ids named on the command line (at most ASSESS_CMD_MAX_IDS). */
static int
parse_ids(int argc, char **argv, int64_t *ids, size_t *n)
{
	*n = 0;
	for (int i = 0; i < argc; i++) {
		if (*n >= ASSESS_CMD_MAX_IDS)
			return cmd_usage_error(&cmd_assess, "too many ids");
		if (cases_cmd_id(argv[i], &ids[*n]) != VG_OK)
			return cmd_usage_error(&cmd_assess, "bad item id '%s'", argv[i]);
		(*n)++;
	}
	return VG_EXIT_OK;
}

static int
recheck(struct vg_ctx *ctx, struct vg_store *st, const struct vg_config *cfg,
    const struct assess_opts *o, int argc, char **argv)
{
	int64_t ids[ASSESS_CMD_MAX_IDS];
	json_t *res = NULL, *it;
	size_t n, k, failed = 0;
	int ret, r;

	if ((ret = parse_ids(argc, argv, ids, &n)) != VG_EXIT_OK)
		return ret;
	struct assess_ctx ac = { .st = st, .cfg = cfg, .log = &ctx->log, .actor = cases_cmd_actor(o->by),
		.root = o->root ? o->root : "/" };
	struct assess_run_args ra = { .opts = o };
	ac.arg = &ra;
	if ((r = assess_recheck(&ac, NULL, ids, n, &res)) != VG_OK)
		return cases_cmd_fail("assess", "recheck", r);
	json_array_foreach(res, k, it) {
		json_t *p = json_object_get(it, "passed");
		failed += json_is_false(p);
		if (ctx->json)
			continue;
		printf("#%-5lld %-8s %-8s -> %-8s ", (long long)cmd_jint(it, "id"),
		    json_is_true(p) ? "PASS" : json_is_false(p) ? "FAIL" : "SKIPPED",
		    cases_cmd_str(it, "from"), cases_cmd_str(it, "to"));
		cases_cmd_puts(stdout, json_string_value(json_object_get(it, "error")) ?
		    json_string_value(json_object_get(it, "error")) :
		    json_string_value(json_object_get(it, "evidence")));
		fputc('\n', stdout);
	}
	if (ctx->json)
		cases_cmd_print_json(res);
	json_decref(res);
	return failed ? VG_EXIT_FOUND : VG_EXIT_OK;
}

static int
add(struct vg_ctx *ctx, struct cases_cmd *cc, const struct assess_opts *o)
{
	struct assess_finding f = { .kind = ASSESS_NOTICE, .family = ASSESS_FAMILY_MANUAL,
		.title = o->title, .asset = o->f.asset, .ref = o->ref, .evidence = o->evidence,
		.remediation = o->remediation, .severity = o->severity < 0 ? VG_SEV_MEDIUM : o->severity,
		.actor = cases_cmd_actor(o->by) };
	json_t *notice = NULL;
	char check[64], key[96];
	int64_t id = 0;
	bool created;
	int r;

	if (o->from_notice) {
		int64_t nid;
		enum vg_severity sev;
		if (cases_cmd_id(o->from_notice, &nid) != VG_OK)
			return cmd_usage_error(&cmd_assess, "bad --from-notice '%s'", o->from_notice);
		if ((r = cases_notice_get(cc->cs, nid, &notice)) != VG_OK)
			return cases_cmd_fail("assess", "add --from-notice", r);
		f.title = f.title ? f.title : json_string_value(json_object_get(notice, "title"));
		f.asset = f.asset ? f.asset : json_string_value(json_object_get(notice, "asset"));
		f.ref = f.ref ? f.ref : json_string_value(json_object_get(notice, "ref"));
		f.evidence = f.evidence ? f.evidence : json_string_value(json_object_get(notice, "detail"));
		if (o->severity < 0 && vg_severity_parse(json_string_value(json_object_get(notice,
			"severity")), &sev) == VG_OK)
			f.severity = (int)sev;
		/* one item per notice, however often it is added */
		snprintf(check, sizeof(check), "notice-%lld", (long long)nid);
		snprintf(key, sizeof(key), "manual|notice|%lld", (long long)nid);
		f.key = key;
	} else {
		/* a hand entry is its own item: its key is unique to this moment */
		snprintf(check, sizeof(check), "hand");
		snprintf(key, sizeof(key), "manual|hand|%lld", (long long)vg_now_us());
		f.key = key;
	}
	f.check_id = check;
	if (!f.title || !f.asset) {
		json_decref(notice);
		return cmd_usage_error(&cmd_assess, "add needs --title and --asset (or --from-notice)");
	}
	r = assess_finding_upsert(cc->st, &f, &id, &created);
	json_decref(notice);
	if (r != VG_OK)
		return cases_cmd_fail("assess", "add", r);
	if ((o->owner || o->deadline_us) &&
	    (r = assess_item_assign(cc->st, id, o->owner, o->deadline_us, f.actor)) != VG_OK)
		return cases_cmd_fail("assess", "add (assign)", r);
	return assess_cmd_show(ctx, cc->st, id);
}

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
		return list(ctx, st, o);
	if (strcmp(verb, "export") == 0)
		return export(st, o);
	if (strcmp(verb, "recheck") == 0)
		return recheck(ctx, st, cc->cfg, o, argc, argv);
	if (strcmp(verb, "add") == 0)
		return add(ctx, cc, o);
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
	if ((ret = parse_opts(argc - 1, argv + 1, &o)) != VG_EXIT_OK)
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
