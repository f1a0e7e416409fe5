/* `vigil incident list|show|ack|verify|dispose|feedback|close|sync|sla|suppressions`:
 * the incident workflow from the CLI, on the store alone. */
#include "cmd/cases_cmd.h"
#include "core/buf.h"
#include "core/err.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

extern const struct cmd_ops cmd_incident;

struct opts {
	const char *by, *comment, *state, *action, *target, *result, *path, *verdict;
	long long limit, expires;
	int min_severity;
	bool all, suppress;
};

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

static void
print_row(const json_t *i)
{
	json_t *due = json_object_get(i, "due_in_s");
	printf("#%-5lld %-8s %-12s %4lld alerts  ", (long long)json_integer_value(json_object_get(i, "id")),
	    cases_cmd_str(i, "severity"), cases_cmd_str(i, "state"),
	    (long long)json_integer_value(json_object_get(i, "alert_count")));
	if (json_is_integer(due))
		printf("%s %+llds  ", json_is_true(json_object_get(i, "overdue")) ? "OVERDUE" : "due",
		    (long long)json_integer_value(due));
	cases_cmd_puts(stdout, cases_cmd_str(i, "title"));
	fputc('\n', stdout);
}

static void
print_detail(const json_t *i)
{
	json_t *h;
	size_t k;

	print_row(i);
	printf("  verdict %s, source %s, target %s, family %s, escalation %lld\n",
	    cases_cmd_str(i, "verdict"), cases_cmd_str(i, "source_ip"), cases_cmd_str(i, "target"),
	    cases_cmd_str(i, "family"), (long long)json_integer_value(json_object_get(i, "escalation")));
	printf("  first %s, last %s\n", cases_cmd_str(i, "first_seen"), cases_cmd_str(i, "last_seen"));
	json_array_foreach(json_object_get(i, "history"), k, h) {
		printf("  %s %-10s %-9s %s -> %s  ", cases_cmd_str(h, "at"), cases_cmd_str(h, "actor"),
		    cases_cmd_str(h, "action"), cases_cmd_str(h, "from"), cases_cmd_str(h, "to"));
		cases_cmd_puts(stdout, json_string_value(json_object_get(h, "comment")));
		fputc('\n', stdout);
	}
	json_array_foreach(json_object_get(i, "actions"), k, h) {
		printf("  action %s on ", cases_cmd_str(h, "kind"));
		cases_cmd_puts(stdout, json_string_value(json_object_get(h, "target")));
		printf(" by %s: ", cases_cmd_str(h, "actor"));
		cases_cmd_puts(stdout, json_string_value(json_object_get(h, "result")));
		fputc('\n', stdout);
	}
	json_array_foreach(json_object_get(i, "alerts"), k, h) {
		printf("  alert %lld %s ", (long long)json_integer_value(json_object_get(h, "id")),
		    cases_cmd_str(h, "rule_id"));
		cases_cmd_puts(stdout, json_string_value(json_object_get(h, "matched")));
		fputc('\n', stdout);
	}
}

static int
do_list(struct vg_ctx *ctx, struct cases_cmd *cc, const struct opts *o)
{
	struct cases_filter f = { .state = o->state, .all = o->all,
		.min_severity = o->min_severity, .limit = (size_t)o->limit };
	json_t *list = NULL, *i;
	size_t k;
	int r = cases_incident_list(cc->cs, &f, &list);

	if (r != VG_OK)
		return cases_cmd_fail("incident", "list", r);
	if (ctx->json)
		cases_cmd_print_json(list);
	else
		json_array_foreach(list, k, i)
			print_row(i);
	json_decref(list);
	return VG_EXIT_OK;
}

static int
do_step(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb, int64_t id,
    const struct opts *o)
{
	static const struct { const char *verb; enum cases_action act; } verbs[] = {
		{ "ack", CASES_ACK }, { "verify", CASES_VERIFY }, { "dispose", CASES_DISPOSE },
		{ "feedback", CASES_FEEDBACK_GIVEN }, { "close", CASES_CLOSE },
	};
	struct cases_step step = { .actor = cases_cmd_actor(o->by), .comment = o->comment,
		.action = o->action, .target = o->target, .result = o->result,
		.feedback = o->comment };
	json_t *inc = NULL;
	int r = VG_ERR_INVAL;

	for (size_t k = 0; k < sizeof(verbs) / sizeof(verbs[0]); k++) {
		if (strcmp(verbs[k].verb, verb) != 0)
			continue;
		if (verbs[k].act == CASES_VERIFY &&
		    cases_verdict_parse(o->verdict, &step.verdict) != VG_OK)
			return cmd_usage_error(&cmd_incident, "verify needs --verdict tp|fp");
		if (verbs[k].act == CASES_DISPOSE && !o->action)
			return cmd_usage_error(&cmd_incident, "dispose needs --action");
		if (verbs[k].act == CASES_FEEDBACK_GIVEN && !o->comment)
			return cmd_usage_error(&cmd_incident, "feedback needs -m TEXT");
		r = cases_incident_transition(cc->cs, id, verbs[k].act, &step);
		break;
	}
	if (r != VG_OK)
		return cases_cmd_fail("incident", verb, r);
	if (o->suppress) {
		int64_t sid;
		r = cases_suppress(cc->cs, id, NULL, o->path, o->expires, step.actor, o->comment,
		    &sid);
		if (r != VG_OK)
			return cases_cmd_fail("incident", "suppress", r);
	}
	if ((r = cases_incident_get(cc->cs, id, &inc)) != VG_OK)
		return cases_cmd_fail("incident", "show", r);
	if (ctx->json)
		cases_cmd_print_json(inc);
	else
		print_row(inc);
	json_decref(inc);
	return VG_EXIT_OK;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct cases_cmd cc;
	struct opts o;
	const char *verb;
	int64_t id = 0;
	int ret, r;

	if (argc < 2)
		return cmd_usage_error(&cmd_incident, "expected a subcommand");
	verb = argv[1];
	if ((ret = parse_opts(argc - 1, argv + 1, &o)) != VG_EXIT_OK)
		return ret;
	bool needs_id = strcmp(verb, "list") != 0 && strcmp(verb, "sync") != 0 &&
	    strcmp(verb, "sla") != 0 && strcmp(verb, "suppressions") != 0;
	if (needs_id && (optind + 1 != argc - 1 || cases_cmd_id(argv[optind + 1], &id) != VG_OK))
		return cmd_usage_error(&cmd_incident, "%s needs one incident id", verb);
	if (!needs_id && optind + 1 != argc)
		return cmd_usage_error(&cmd_incident, "unexpected argument '%s'", argv[optind + 1]);
	if (o.suppress && strcmp(verb, "verify") != 0)
		return cmd_usage_error(&cmd_incident, "--suppress goes with verify --verdict fp");
	if ((ret = cases_cmd_open(ctx, "incident", &cc)) != VG_EXIT_OK)
		goto out;
	if (strcmp(verb, "list") == 0) {
		ret = do_list(ctx, &cc, &o);
	} else if (strcmp(verb, "show") == 0) {
		json_t *inc = NULL;
		if ((r = cases_incident_get(cc.cs, id, &inc)) != VG_OK) {
			ret = cases_cmd_fail("incident", argv[optind + 1], r);
		} else {
			if (ctx->json)
				cases_cmd_print_json(inc);
			else
				print_detail(inc);
			ret = VG_EXIT_OK;
		}
		json_decref(inc);
	} else if (strcmp(verb, "sync") == 0 || strcmp(verb, "sla") == 0) {
		size_t n = 0;
		bool sync = strcmp(verb, "sync") == 0;
		r = sync ? cases_ingest_pending(cc.cs, 0, &n) : cases_sla_check(cc.cs, vg_now_us(), &n);
		if (r != VG_OK) {
			ret = cases_cmd_fail("incident", verb, r);
		} else {
			if (ctx->json)
				printf("{\"%s\":%zu}\n", sync ? "filed" : "escalated", n);
			else
				printf("%zu %s\n", n, sync ? "alerts filed" : "items escalated");
			ret = VG_EXIT_OK;
		}
	} else if (strcmp(verb, "suppressions") == 0) {
		json_t *list = NULL, *s;
		size_t k;
		if ((r = cases_suppression_list(cc.cs, &list)) != VG_OK) {
			ret = cases_cmd_fail("incident", verb, r);
		} else {
			if (ctx->json)
				cases_cmd_print_json(list);
			else
				json_array_foreach(list, k, s) {
					printf("%lld %s %s source %s path ",
					    (long long)json_integer_value(json_object_get(s, "id")),
					    json_is_true(json_object_get(s, "active")) ? "active " : "expired",
					    cases_cmd_str(s, "rule_id"), cases_cmd_str(s, "source_ip"));
					cases_cmd_puts(stdout, json_string_value(json_object_get(s, "path")));
					printf(" until %s by %s\n", cases_cmd_str(s, "expires_at"),
					    cases_cmd_str(s, "author"));
				}
			ret = VG_EXIT_OK;
		}
		json_decref(list);
	} else {
		ret = do_step(ctx, &cc, verb, id, &o);
	}
out:
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
