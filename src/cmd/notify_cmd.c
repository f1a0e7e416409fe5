/* `vigil notify run|flush|test|list|stats`: the outbox from the CLI. `run` is the
 * stand-alone sender (files new alerts into incidents, runs the SLA clocks and
 * drains the outbox on the sender thread) for hosts where the daemon does not. */
#include "cmd/cases_cmd.h"
#include "core/buf.h"
#include "core/err.h"
#include "monitor/sink_cases.h"
#include "notify/notify.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

extern const struct cmd_ops cmd_notify;

struct opts {
	const char *message, *state, *severity;
	long long wait, limit;
};

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "message", required_argument, NULL, 'm' }, { "state", required_argument, NULL, 's' },
		{ "wait", required_argument, NULL, 'w' }, { "limit", required_argument, NULL, 'n' },
		{ "severity", required_argument, NULL, 'S' }, { NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->wait = 60;
	optind = 0;
	while ((c = cmd_getopt(&cmd_notify, argc, argv, ":m:s:n:", longopts)) != -1) {
		switch (c) {
		case 'm': o->message = optarg; break;
		case 's': o->state = optarg; break;
		case 'S': o->severity = optarg; break;
		case 'w':
			if (vg_parse_duration(optarg, &o->wait) != VG_OK)
				return cmd_usage_error(&cmd_notify, "bad --wait '%s'", optarg);
			break;
		case 'n':
			if (vg_parse_ll(optarg, 1, 100000, &o->limit) != VG_OK)
				return cmd_usage_error(&cmd_notify, "bad --limit '%s'", optarg);
			break;
		default:
			return VG_EXIT_USAGE;
		}
	}
	return VG_EXIT_OK;
}

/* Passes until nothing is pending or `wait` seconds passed; exit 0 only if empty. */
static int
do_flush(struct vg_ctx *ctx, struct cases_cmd *cc, long long wait)
{
	struct notify_pass total;
	int r;

	if ((r = notify_flush_until(cc->nt, wait, &total)) != VG_OK)
		return cases_cmd_fail("notify", "flush", r);
	if (ctx->json)
		cmd_print_json_new(json_pack("{s:I, s:I, s:I, s:I}", "sent", (json_int_t)total.sent,
		    "failed_attempts", (json_int_t)total.failed, "digested",
		    (json_int_t)total.digested, "pending", (json_int_t)total.pending));
	else
		printf("%zu sent, %zu failed attempts, %zu folded into digests, %zu pending\n",
		    total.sent, total.failed, total.digested, total.pending);
	return total.pending ? VG_EXIT_FOUND : VG_EXIT_OK;
}

static int
do_test(struct cases_cmd *cc, const char *channel, const struct opts *o)
{
	enum vg_severity sev = VG_SEV_INFO;
	char key[64];
	int r;

	if (!channel)
		return cmd_usage_error(&cmd_notify, "test needs a channel name");
	if (!notify_has_channel(cc->nt, channel))
		return cmd_usage_error(&cmd_notify, "no channel named '%s'", channel);
	if (o->severity && vg_severity_parse(o->severity, &sev) != VG_OK)
		return cmd_usage_error(&cmd_notify, "bad --severity '%s'", o->severity);
	if ((r = notify_test(cc->nt, channel, o->message, (int)sev, key, sizeof(key))) != VG_OK)
		return cases_cmd_fail("notify", "test", r);
	printf("%s queued for %s; `vigil notify flush` sends it\n", key, channel);
	return VG_EXIT_OK;
}

static int
dispatch(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb, const char *arg,
    const struct opts *o)
{
	json_t *j = NULL, *row;
	size_t k;
	int r;

	if (strcmp(verb, "flush") == 0)
		return do_flush(ctx, cc, o->wait);
	if (strcmp(verb, "run") == 0)
		return casework_run(cc->st, cc->cfg, &ctx->log) == VG_OK ? VG_EXIT_OK :
		    VG_EXIT_RUNTIME;
	if (strcmp(verb, "test") == 0)
		return do_test(cc, arg, o);
	if (strcmp(verb, "list") == 0)
		r = notify_outbox_list(cc->nt, o->state, (size_t)o->limit, &j);
	else if (strcmp(verb, "stats") == 0)
		r = notify_outbox_stats(cc->nt, &j);
	else
		return cmd_usage_error(&cmd_notify, "unknown subcommand '%s'", verb);
	if (r != VG_OK)
		return cases_cmd_fail("notify", verb, r);
	if (ctx->json || strcmp(verb, "stats") == 0)
		cmd_print_json(j);
	else
		json_array_foreach(j, k, row)
			cases_print_outbox(row);
	json_decref(j);
	return VG_EXIT_OK;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct cases_cmd cc;
	struct opts o;
	int ret;

	if (argc < 2)
		return cmd_usage_error(&cmd_notify, "expected a subcommand");
	if ((ret = parse_opts(argc - 1, argv + 1, &o)) != VG_EXIT_OK)
		return ret;
	if (optind + 2 < argc)
		return cmd_usage_error(&cmd_notify, "unexpected argument '%s'", argv[optind + 2]);
	if ((ret = cases_cmd_open(ctx, "notify", &cc)) == VG_EXIT_OK)
		ret = dispatch(ctx, &cc, argv[1], optind + 1 < argc ? argv[optind + 1] : NULL, &o);
	cases_cmd_close(&cc);
	return ret;
}

const struct cmd_ops cmd_notify = {
	.name = "notify",
	.summary = "the notification outbox: send, test channels, list, run the sender",
	.help =
	    "usage: vigil notify run\n"
	    "       vigil notify flush [--wait 60s]\n"
	    "       vigil notify test CHANNEL [-m TEXT] [--severity S]\n"
	    "       vigil notify list [--state pending|sent|digested] [--limit N]\n"
	    "       vigil notify stats\n"
	    "\n"
	    "Messages (new incidents, escalations, notices) are queued in the store's outbox\n"
	    "by notify.routes and delivered to notify.channels: webhook, wecom, dingtalk,\n"
	    "feishu, slack, smtp or command. A failed delivery is retried with back-off up\n"
	    "to notify.max_backoff, forever; past a channel's rate (per minute) a flood is\n"
	    "folded into one digest. Each message carries an idempotency key (HTTP header\n"
	    "Idempotency-Key, mail Message-ID, VIGIL_IDEMPOTENCY_KEY for commands); after a\n"
	    "crash between sending and recording, a message is sent again with the same key\n"
	    "(at-least-once), so receivers can drop repeats.\n"
	    "\n"
	    "run   the stand-alone sender: files new alerts into incidents, escalates\n"
	    "      overdue items and sends, every notify.interval, until SIGINT/SIGTERM.\n"
	    "flush sends what is due until the outbox is empty or --wait passes.\n"
	    "test  queues a test message for one channel, bypassing routes.\n"
	    "\n"
	    "exit: 0 ok, 1 flush ended with messages still pending, 2 usage/config error,\n"
	    "3 store error.\n",
	.run = run,
};
