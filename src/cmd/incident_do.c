/* `vigil incident` verbs: the workflow steps, listings and their printing. */
#include "cmd/incident.h"
#include "core/err.h"

#include <stdio.h>
#include <string.h>

int
inc_list(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb, int64_t id,
    const struct opts *o)
{
	struct cases_filter f = { .state = o->state, .all = o->all,
		.min_severity = o->min_severity, .limit = (size_t)o->limit };
	json_t *list = NULL, *i;
	size_t k;
	int r = cases_incident_list(cc->cs, &f, &list);

	(void)verb;
	(void)id;
	if (r != VG_OK)
		return cases_cmd_fail("incident", "list", r);
	if (ctx->json)
		cases_cmd_print_json(list);
	else
		json_array_foreach(list, k, i)
			cases_print_incident(i, false);
	json_decref(list);
	return VG_EXIT_OK;
}

int
inc_step(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb, int64_t id,
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
		cases_print_incident(inc, false);
	json_decref(inc);
	return VG_EXIT_OK;
}

int
inc_show(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb, int64_t id,
    const struct opts *o)
{
	json_t *inc = NULL;
	char what[24];
	int r = cases_incident_get(cc->cs, id, &inc);

	(void)verb;
	(void)o;
	snprintf(what, sizeof(what), "%lld", (long long)id);
	if (r != VG_OK)
		return cases_cmd_fail("incident", what, r);
	if (ctx->json)
		cases_cmd_print_json(inc);
	else
		cases_print_incident(inc, true);
	json_decref(inc);
	return VG_EXIT_OK;
}

/* sync files pending alerts, sla escalates overdue items: both print a count. */
int
inc_tally(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb, int64_t id,
    const struct opts *o)
{
	bool sync = strcmp(verb, "sync") == 0;
	size_t n = 0;
	int r = sync ? cases_ingest_pending(cc->cs, 0, &n) : cases_sla_check(cc->cs, vg_now_us(), &n);

	(void)id;
	(void)o;
	if (r != VG_OK)
		return cases_cmd_fail("incident", verb, r);
	if (ctx->json)
		printf("{\"%s\":%zu}\n", sync ? "filed" : "escalated", n);
	else
		printf("%zu %s\n", n, sync ? "alerts filed" : "items escalated");
	return VG_EXIT_OK;
}

int
inc_suppressions(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb, int64_t id,
    const struct opts *o)
{
	json_t *list = NULL, *s;
	size_t k;
	int r = cases_suppression_list(cc->cs, &list);

	(void)id;
	(void)o;
	if (r != VG_OK)
		return cases_cmd_fail("incident", verb, r);
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
	json_decref(list);
	return VG_EXIT_OK;
}
