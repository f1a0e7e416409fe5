/* `vigil notify run|flush|test|list|stats`: the outbox from the CLI. `run` is the
 * stand-alone sender (files new alerts into incidents, runs the SLA clocks and
 * drains the outbox on the sender thread) for hosts where the daemon does not.
 * Options and help; the verbs are notify_do.c. */
#include "cmd/notify_cmd.h"
#include "core/buf.h"
#include "core/err.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

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
		ret = notify_dispatch(ctx, &cc, argv[1], optind + 1 < argc ? argv[optind + 1] : NULL, &o);
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
