/* `vigil duty` verbs: add, handover, list, now, handovers. */
#include "cmd/duty.h"
#include "core/err.h"

#include <stdio.h>
#include <string.h>

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

int
duty_dispatch(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb, char **args, int nargs,
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
