/* `vigil notify` verbs: run, flush, test, list, stats. */
#include "cmd/notify_cmd.h"
#include "core/err.h"
#include "monitor/sink_cases.h"
#include "notify/notify.h"

#include <stdio.h>
#include <string.h>

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

int
notify_dispatch(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb, const char *arg,
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
