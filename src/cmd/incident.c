/* `vigil incident list|show|ack|verify|dispose|feedback|close|sync|sla|suppressions`:
 * the incident workflow from the CLI, on the store alone. */
#include "cmd/incident.h"
#include "core/buf.h"
#include "core/err.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "message", required_argument, NULL, 'm' },
		{ "state", required_argument, NULL, 's' },
		{ "severity", required_argument, NULL, 'S' },
		{ "all", no_argument, NULL, 'a' },
		{ "limit", required_argument, NULL, 'n' },
		{ "verdict", required_argument, NULL, 'V' },
		{ "suppress", no_argument, NULL, 'x' },
		{ "expires", required_argument, NULL, 'e' },
		{ "path", required_argument, NULL, 'p' },
		{ "action", required_argument, NULL, 'A' },
		{ "target", required_argument, NULL, 't' },
		{ "result", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":b:m:s:n:", longopts, NULL)) != -1) {
		enum vg_severity sev;
		switch (c) {
		case 'b': o->by = optarg; break;
		case 'm': o->comment = optarg; break;
		case 's': o->state = optarg; break;
		case 'a': o->all = true; break;
		case 'V': o->verdict = optarg; break;
		case 'x': o->suppress = true; break;
		case 'p': o->path = optarg; break;
		case 'A': o->action = optarg; break;
		case 't': o->target = optarg; break;
		case 'r': o->result = optarg; break;
		case 'S':
			if (vg_severity_parse(optarg, &sev) != VG_OK)
				return cmd_usage_error(&cmd_incident, "bad --severity '%s'", optarg);
			o->min_severity = (int)sev;
			break;
		case 'n':
			if (vg_parse_ll(optarg, 1, 100000, &o->limit) != VG_OK)
				return cmd_usage_error(&cmd_incident, "bad --limit '%s'", optarg);
			break;
		case 'e':
			if (vg_parse_duration(optarg, &o->expires) != VG_OK || o->expires <= 0)
				return cmd_usage_error(&cmd_incident, "bad --expires '%s'", optarg);
			break;
		case ':':
			return cmd_usage_error(&cmd_incident, "%s needs a value", argv[optind - 1]);
		default:
			return cmd_usage_error(&cmd_incident, "unknown option '%s'", argv[optind - 1]);
		}
	}
	return VG_EXIT_OK;
}

static const struct {
	const char *verb;
	inc_verb_fn *fn;
	bool needs_id;
} verbs[] = {
	{ "list", inc_list, false }, { "sync", inc_tally, false }, { "sla", inc_tally, false },
	{ "suppressions", inc_suppressions, false }, { "show", inc_show, true },
};

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct cases_cmd cc;
	struct opts o;
	const char *verb;
	inc_verb_fn *fn = inc_step;
	bool needs_id = true;
	int64_t id = 0;
	int ret;

	if (argc < 2)
		return cmd_usage_error(&cmd_incident, "expected a subcommand");
	verb = argv[1];
	if ((ret = parse_opts(argc - 1, argv + 1, &o)) != VG_EXIT_OK)
		return ret;
	for (size_t k = 0; k < sizeof(verbs) / sizeof(verbs[0]); k++)
		if (strcmp(verb, verbs[k].verb) == 0) {
			fn = verbs[k].fn;
			needs_id = verbs[k].needs_id;
		}
	if (needs_id && (optind + 1 != argc - 1 || cases_cmd_id(argv[optind + 1], &id) != VG_OK))
		return cmd_usage_error(&cmd_incident, "%s needs one incident id", verb);
	if (!needs_id && optind + 1 != argc)
		return cmd_usage_error(&cmd_incident, "unexpected argument '%s'", argv[optind + 1]);
	if (o.suppress && strcmp(verb, "verify") != 0)
		return cmd_usage_error(&cmd_incident, "--suppress goes with verify --verdict fp");
	if ((ret = cases_cmd_open(ctx, "incident", &cc)) == VG_EXIT_OK)
		ret = fn(ctx, &cc, verb, id, &o);
	cases_cmd_close(&cc);
	return ret;
}


const struct cmd_ops cmd_incident = {
	.name = "incident",
	.summary = "walk incidents from new to closed: list, show, ack, verify, dispose, close",
	.help =
	    "usage: vigil incident list [--state S] [--all] [--severity MIN] [--limit N]\n"
	    "       vigil incident show ID\n"
	    "       vigil incident ack ID [--by WHO] [-m COMMENT]\n"
	    "       vigil incident verify ID --verdict tp|fp [--suppress [--path P] [--expires 7d]]\n"
	    "       vigil incident dispose ID --action restore|quarantine|block|other\n"
	    "                                 [--target T] [--result TEXT] [-m COMMENT]\n"
	    "       vigil incident feedback ID -m TEXT\n"
	    "       vigil incident close ID [-m COMMENT]\n"
	    "       vigil incident sync | sla | suppressions\n"
	    "\n"
	    "Alerts are grouped into incidents by cases.group_by (source_ip, sensor, family,\n"
	    "rule) within cases.window. An incident moves new -> acknowledged -> verified\n"
	    "(true or false positive) -> disposed -> feedback -> closed; a false positive\n"
	    "skips disposal. Every step records who (--by, default the login name), when and\n"
	    "the comment in the incident's history and the audit log. verify --suppress\n"
	    "turns a false positive into a suppression of its rule for its source IP (or\n"
	    "--path), expiring after --expires (default cases.suppress_expiry). dispose may\n"
	    "repeat to link several actions. sync files alerts not yet in an incident; sla\n"
	    "escalates overdue items to the next person on duty (the daemon does both).\n"
	    "list shows open incidents, newest first, with their SLA clock.\n"
	    "\n"
	    "exit: 0 ok, 2 usage error, unknown incident or step not allowed, 3 store error.\n",
	.run = run,
};
