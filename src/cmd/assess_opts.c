/* `vigil assess` options: one table for every verb, checked once. */
#include "cmd/assess_cmd.h"
#include "core/err.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

extern const struct cmd_ops cmd_assess;

int
assess_cmd_parse_opts(int argc, char **argv, struct assess_opts *o)
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
