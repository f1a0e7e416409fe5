/* `vigil notice add|import|list|show|close`: regulator notices from the CLI. */
#include "cmd/notice.h"
#include "core/err.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "kind", required_argument, NULL, 'k' }, { "ref", required_argument, NULL, 'R' },
		{ "title", required_argument, NULL, 'T' }, { "asset", required_argument, NULL, 'a' },
		{ "severity", required_argument, NULL, 'S' }, { "owner", required_argument, NULL, 'o' },
		{ "deadline", required_argument, NULL, 'd' },
		{ "feedback", required_argument, NULL, 'f' },
		{ "issuer", required_argument, NULL, 'i' }, { "detail", required_argument, NULL, 'D' },
		{ "by", required_argument, NULL, 'b' }, { "verdict", required_argument, NULL, 'V' },
		{ "message", required_argument, NULL, 'm' }, { "all", no_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	enum vg_severity sev = VG_SEV_MEDIUM;
	int c;

	memset(o, 0, sizeof(*o));
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:b:", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': o->n.kind = optarg; break;
		case 'R': o->n.ref = optarg; break;
		case 'T': o->n.title = optarg; break;
		case 'a': o->n.asset = optarg; break;
		case 'o': o->n.owner = optarg; break;
		case 'd': o->deadline = optarg; break;
		case 'f': o->n.required_feedback = optarg; break;
		case 'i': o->n.issuer = optarg; break;
		case 'D': o->n.detail = optarg; break;
		case 'b': o->by = optarg; break;
		case 'V': o->verdict = optarg; break;
		case 'm': o->note = optarg; break;
		case 'A': o->all = true; break;
		case 'S':
			if (vg_severity_parse(optarg, &sev) != VG_OK)
				return cmd_usage_error(&cmd_notice, "bad --severity '%s'", optarg);
			break;
		case ':':
			return cmd_usage_error(&cmd_notice, "%s needs a value", argv[optind - 1]);
		default:
			return cmd_usage_error(&cmd_notice, "unknown option '%s'", argv[optind - 1]);
		}
	}
	o->n.severity = (int)sev;
	if (o->deadline && cases_parse_time(o->deadline, vg_now_us(), &o->n.deadline_us) != VG_OK)
		return cmd_usage_error(&cmd_notice, "bad --deadline '%s' (YYYY-MM-DD HH:MM or +2h)",
		    o->deadline);
	return VG_EXIT_OK;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct cases_cmd cc;
	struct opts o;
	const char *verb, *arg = NULL;
	int ret;

	if (argc < 2)
		return cmd_usage_error(&cmd_notice, "expected a subcommand");
	verb = argv[1];
	if ((ret = parse_opts(argc - 1, argv + 1, &o)) != VG_EXIT_OK)
		return ret;
	if (optind + 1 < argc)
		arg = argv[optind + 1];
	if (optind + 2 < argc)
		return cmd_usage_error(&cmd_notice, "unexpected argument '%s'", argv[optind + 2]);
	if (strcmp(verb, "import") == 0 && !arg)
		return cmd_usage_error(&cmd_notice, "import needs a file");
	if ((ret = cases_cmd_open(ctx, "notice", &cc)) == VG_EXIT_OK)
		ret = notice_dispatch(ctx, &cc, verb, arg, &o);
	cases_cmd_close(&cc);
	return ret;
}

const struct cmd_ops cmd_notice = {
	.name = "notice",
	.summary = "track vulnerability, incident and internet-asset notices to closure",
	.help =
	    "usage: vigil notice add --kind vulnerability|incident|asset --title T --asset A\n"
	    "                        [--severity S] [--owner O] [--deadline TIME]\n"
	    "                        [--feedback REQUIRED] [--issuer I] [--ref R] [--detail D]\n"
	    "       vigil notice import FILE.csv|FILE.json\n"
	    "       vigil notice list [--all]\n"
	    "       vigil notice show ID\n"
	    "       vigil notice close ID --verdict fixed|mitigated|not_affected|accepted\n"
	    "                             [-m NOTE]\n"
	    "  (every command takes --by WHO; default the login name)\n"
	    "\n"
	    "A notice from a regulator or supervising unit is tracked with its affected\n"
	    "asset, severity, owner, deadline and the feedback it requires. import reads a\n"
	    "CSV whose header names the columns kind, ref, title, asset, severity, owner,\n"
	    "deadline, required_feedback, issuer, detail, or a JSON array of objects with\n"
	    "those keys; a row whose issuer and ref are already tracked is skipped, and a\n"
	    "bad row imports nothing. TIME is YYYY-MM-DD[ HH:MM] (local), RFC 3339 with Z,\n"
	    "or +2h / +3d from now. Closing needs the re-check verdict and prints the\n"
	    "feedback text to send back (Chinese, then English). Notices past their\n"
	    "deadline escalate through the duty roster like incidents.\n"
	    "\n"
	    "exit: 0 ok, 2 usage error, bad input or unknown notice, 3 store error.\n",
	.run = run,
};
