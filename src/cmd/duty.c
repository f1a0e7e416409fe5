/* `vigil duty add|list|now|handover|handovers`: the duty roster from the CLI
 * (options and help; the verbs are duty_do.c). */
#include "cmd/duty.h"
#include "core/buf.h"
#include "core/err.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "person", required_argument, NULL, 'p' }, { "contact", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'f' }, { "to", required_argument, NULL, 't' },
		{ "daily", no_argument, NULL, 'd' }, { "order", required_argument, NULL, 'o' },
		{ "at", required_argument, NULL, 'a' }, { "by", required_argument, NULL, 'b' },
		{ "message", required_argument, NULL, 'm' }, { NULL, 0, NULL, 0 },
	};
	long long order;
	int c;

	memset(o, 0, sizeof(*o));
	optind = 0;
	while ((c = cmd_getopt(&cmd_duty, argc, argv, ":m:b:", longopts)) != -1) {
		switch (c) {
		case 'p': o->s.person = optarg; break;
		case 'c': o->s.contact = optarg; break;
		case 'f': o->from = optarg; break;
		case 't': o->to = optarg; break;
		case 'd': o->s.daily = true; break;
		case 'a': o->at = optarg; break;
		case 'b': o->by = optarg; break;
		case 'm': o->note = optarg; break;
		case 'o':
			if (vg_parse_ll(optarg, 0, 1000, &order) != VG_OK)
				return cmd_usage_error(&cmd_duty, "bad --order '%s'", optarg);
			o->s.order = (int)order;
			break;
		default:	/* cmd_getopt said why */
			return VG_EXIT_USAGE;
		}
	}
	return VG_EXIT_OK;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct cases_cmd cc;
	struct opts o;
	int ret;

	if (argc < 2)
		return cmd_usage_error(&cmd_duty, "expected a subcommand");
	if ((ret = parse_opts(argc - 1, argv + 1, &o)) != VG_EXIT_OK)
		return ret;
	if ((ret = cases_cmd_open(ctx, "duty", &cc)) == VG_EXIT_OK)
		ret = duty_dispatch(ctx, &cc, argv[1], argv + optind + 1, argc - optind - 1, &o);
	cases_cmd_close(&cc);
	return ret;
}

const struct cmd_ops cmd_duty = {
	.name = "duty",
	.summary = "the 7x24 duty roster: shifts, who is on duty, handovers",
	.help =
	    "usage: vigil duty add --person P [--contact C] --from TIME --to TIME [--daily]\n"
	    "                      [--order N]\n"
	    "       vigil duty list\n"
	    "       vigil duty now [--at TIME]\n"
	    "       vigil duty handover FROM TO [-m NOTE]\n"
	    "       vigil duty handovers\n"
	    "  (every command takes --by WHO; default the login name)\n"
	    "\n"
	    "A shift covers --from..--to; with --daily it repeats every day at the same\n"
	    "local time (e.g. --from '2026-12-01 08:00' --to '2026-12-01 20:00' --daily), so\n"
	    "two or three daily shifts make a 7x24 rotation. --order is the escalation\n"
	    "order among the people on duty at the same time: `duty now` lists them in that\n"
	    "order; the first is told about new incidents (routes with to_duty), and an\n"
	    "item whose SLA clock runs out goes to the next one. --contact is an e-mail\n"
	    "address or mobile number used by mail and robot @-mentions.\n"
	    "TIME is YYYY-MM-DD[ HH:MM] (local), RFC 3339 with Z, or +8h from now.\n"
	    "\n"
	    "exit: 0 ok, 2 usage error, 3 store error.\n",
	.run = run,
};
