/* `vigil notice` verbs: add, import, list, show, close. */
#include "cmd/notice.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
show(struct vg_ctx *ctx, struct cases_cmd *cc, int64_t id)
{
	json_t *n = NULL;
	int r = cases_notice_get(cc->cs, id, &n);

	if (r != VG_OK)
		return cases_cmd_fail("notice", "show", r);
	if (ctx->json)
		cases_cmd_print_json(n);
	else
		cases_print_notice(n, true);
	json_decref(n);
	return VG_EXIT_OK;
}

int
notice_dispatch(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb, const char *arg,
    struct opts *o)
{
	const char *actor = cases_cmd_actor(o->by);
	int64_t id = 0;
	int r;

	if (strcmp(verb, "add") == 0) {
		if ((r = cases_notice_add(cc->cs, &o->n, actor, &id)) != VG_OK)
			return cases_cmd_fail("notice", "add (needs --kind vulnerability|incident|asset, "
			    "--title, --asset; issuer+ref must be new)", r);
		return show(ctx, cc, id);
	}
	if (strcmp(verb, "import") == 0) {
		size_t added = 0, skipped = 0;
		char err[512];
		if ((r = cases_notice_import(cc->cs, arg, actor, &added, &skipped, err,
			 sizeof(err))) != VG_OK) {
			fprintf(stderr, "vigil notice: ");
			cases_cmd_puts(stderr, err);
			fputc('\n', stderr);
			return r == VG_ERR_PARSE || r == VG_ERR_INVAL ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
		}
		if (ctx->json)
			printf("{\"added\":%zu,\"skipped\":%zu}\n", added, skipped);
		else
			printf("%zu notices added, %zu already tracked\n", added, skipped);
		return VG_EXIT_OK;
	}
	if (strcmp(verb, "list") == 0) {
		json_t *list = NULL, *n;
		size_t k;
		if ((r = cases_notice_list(cc->cs, o->all, &list)) != VG_OK)
			return cases_cmd_fail("notice", "list", r);
		if (ctx->json)
			cases_cmd_print_json(list);
		else
			json_array_foreach(list, k, n)
				cases_print_notice(n, false);
		json_decref(list);
		return VG_EXIT_OK;
	}
	if (cases_cmd_id(arg, &id) != VG_OK)
		return cmd_usage_error(&cmd_notice, "%s needs a notice id", verb);
	if (strcmp(verb, "show") == 0)
		return show(ctx, cc, id);
	if (strcmp(verb, "close") == 0) {
		char *feedback = NULL;
		if (!o->verdict)
			return cmd_usage_error(&cmd_notice,
			    "close needs --verdict fixed|mitigated|not_affected|accepted");
		if ((r = cases_notice_close(cc->cs, id, o->verdict, o->note, actor, &feedback)) != VG_OK)
			return cases_cmd_fail("notice", "close (open notice, --verdict "
			    "fixed|mitigated|not_affected|accepted)", r);
		if (ctx->json) {
			json_t *j = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "verdict",
			    o->verdict, "feedback", feedback);
			cases_cmd_print_json(j);
			json_decref(j);
		} else {
			cases_cmd_puts(stdout, feedback);
			fputc('\n', stdout);
		}
		free(feedback);
		return VG_EXIT_OK;
	}
	return cmd_usage_error(&cmd_notice, "unknown subcommand '%s'", verb);
}
