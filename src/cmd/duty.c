/* `vigil duty add|list|now|handover|handovers`: the duty roster from the CLI. */
#include "cmd/cases_cmd.h"
#include "core/buf.h"
#include "core/err.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

extern const struct cmd_ops cmd_duty;

struct opts {
	struct cases_shift s;
	const char *by, *from, *to, *at, *note;
};

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
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:b:", longopts, NULL)) != -1) {
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
		case ':':
			return cmd_usage_error(&cmd_duty, "%s needs a value", argv[optind - 1]);
		default:
			return cmd_usage_error(&cmd_duty, "unknown option '%s'", argv[optind - 1]);
		}
	}
	return VG_EXIT_OK;
}

static int
print_list(struct vg_ctx *ctx, json_t *list, bool handovers)
{
	json_t *s;
	size_t k;

	if (ctx->json)
		cases_cmd_print_json(list);
	else
		json_array_foreach(list, k, s)
			cases_print_duty(s, handovers);
	return VG_EXIT_OK;
}

static int
dispatch(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb, char **args, int nargs,
    struct opts *o)
{
	const char *actor = cases_cmd_actor(o->by);
	int64_t now = vg_now_us(), id = 0;
	json_t *list = NULL;
	int r, ret;

	if (strcmp(verb, "add") == 0) {
		if (!o->s.person || !o->from || !o->to)
			return cmd_usage_error(&cmd_duty, "add needs --person, --from and --to");
		if (cases_parse_time(o->from, now, &o->s.starts_us) != VG_OK ||
		    cases_parse_time(o->to, now, &o->s.ends_us) != VG_OK)
			return cmd_usage_error(&cmd_duty, "bad --from/--to (YYYY-MM-DD HH:MM or +8h)");
		if ((r = cases_duty_add(cc->cs, &o->s, actor, &id)) != VG_OK)
			return cases_cmd_fail("duty", "add (--to must be after --from; a daily shift "
			    "lasts at most 24h)", r);
		if (ctx->json)
			printf("{\"id\":%lld}\n", (long long)id);
		else
			printf("shift %lld added\n", (long long)id);
		return VG_EXIT_OK;
	}
	if (strcmp(verb, "handover") == 0) {
		if (nargs != 2)
			return cmd_usage_error(&cmd_duty, "handover needs FROM and TO");
		if ((r = cases_duty_handover(cc->cs, args[0], args[1], o->note, actor)) != VG_OK)
			return cases_cmd_fail("duty", "handover", r);
		if (!ctx->json)
			printf("handover %s -> %s recorded\n", args[0], args[1]);
		return VG_EXIT_OK;
	}
	if (strcmp(verb, "list") == 0) {
		r = cases_duty_list(cc->cs, &list);
	} else if (strcmp(verb, "handovers") == 0) {
		r = cases_duty_handovers(cc->cs, 0, &list);
	} else if (strcmp(verb, "now") == 0) {
		if (o->at && cases_parse_time(o->at, now, &now) != VG_OK)
			return cmd_usage_error(&cmd_duty, "bad --at '%s'", o->at);
		r = cases_duty_now(cc->cs, now, &list);
	} else {
		return cmd_usage_error(&cmd_duty, "unknown subcommand '%s'", verb);
	}
	if (r != VG_OK)
		return cases_cmd_fail("duty", verb, r);
	if (strcmp(verb, "now") == 0 && !ctx->json && json_array_size(list) == 0)
		printf("nobody is on duty\n");
	ret = print_list(ctx, list, strcmp(verb, "handovers") == 0);
	json_decref(list);
	return ret;
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
		ret = dispatch(ctx, &cc, argv[1], argv + optind + 1, argc - optind - 1, &o);
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
