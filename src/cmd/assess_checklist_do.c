/* `vigil assess checklist show|score`: every item judged, printed (text or JSON
 * lines) and, for score, the gaps filed as items of the rectification list. */
#include "assess/checklist.h"
#include "cmd/assess_sub.h"
#include "cmd/cases_cmd.h"
#include "core/err.h"
#include "core/esc.h"

#include <stdio.h>
#include <stdlib.h>

static void
print_item(const struct cl_item *it, const struct cl_state *s)
{
	char e[VG_ESC_MAX];

	printf("%-20s %-10s%s %s\n", it->id, cl_answer_name(s->answer),
	    s->automatic ? " (auto)" : "       ", vg_esc_s(e, sizeof(e), it->question));
	if (s->evidence[0])
		printf("    evidence: %s\n", vg_esc_s(e, sizeof(e), s->evidence));
	if (s->file_name[0])
		printf("    file: %s (sha256 %s)\n", vg_esc_s(e, sizeof(e), s->file_name),
		    s->file_sha256);
	if (s->actor[0]) {
		char t[32];

		cmd_local_time(s->at_us, t, sizeof(t));
		printf("    answered by %s at %s\n", vg_esc_s(e, sizeof(e), s->actor), t);
	}
}

static json_t *
item_json(const struct cl_item *it, const struct cl_state *s)
{
	return json_pack("{s:s, s:s?, s:s, s:s, s:b, s:s, s:s?, s:s?, s:s?, s:I, s:i}",
	    "item", it->id, "section", it->section, "question", it->question,
	    "answer", cl_answer_name(s->answer), "automatic", s->automatic,
	    "evidence", s->evidence, "file", s->file_name[0] ? s->file_name : NULL,
	    "file_sha256", s->file_sha256[0] ? s->file_sha256 : NULL,
	    "actor", s->actor[0] ? s->actor : NULL, "answered_at_us", (json_int_t)s->at_us,
	    "weight", it->weight);
}

int
cmd_assess_checklist_judge(struct vg_ctx *ctx, struct cases_cmd *cc, const struct checklist *c,
    const char *by, const char *asset, bool file_gaps)
{
	struct cl_env env = { .st = cc->st, .cfg = cc->cfg, .log = &ctx->log };
	struct cl_state *states = calloc(c->n, sizeof(*states));
	struct wc_printer pr = { .ctx = ctx, .st = cc->st, .actor = cases_cmd_actor(by) };
	size_t gaps = 0;
	double score;
	int rc = 0, ret = VG_EXIT_OK;

	if (!states)
		return VG_EXIT_RUNTIME;
	for (size_t i = 0; i < c->n && rc == 0; i++)
		rc = checklist_judge(&env, c, &c->items[i], &states[i]);
	if (rc) {
		cmd_eprintf("vigil assess checklist: %s", vg_strerror(rc));
		free(states);
		return VG_EXIT_RUNTIME;
	}
	score = checklist_score(c, states);
	for (size_t i = 0; i < c->n; i++)
		gaps += states[i].answer != CL_YES;
	if (!file_gaps) {
		for (size_t i = 0; i < c->n; i++) {
			if (ctx->json)
				cmd_print_json_new(item_json(&c->items[i], &states[i]));
			else
				print_item(&c->items[i], &states[i]);
		}
	} else {
		/* as findings: printed by the shared printer, each an item of the list */
		rc = checklist_gaps(c, states, asset ? asset : "organisation",
		    cmd_assess_print_finding, &pr, &gaps);
		if (rc)
			ret = VG_EXIT_RUNTIME;
		else if (gaps)
			ret = VG_EXIT_FOUND;
	}
	if (ctx->json)
		cmd_print_json_new(json_pack("{s:s, s:f, s:I, s:I}", "checklist", c->id,
		    "score", score, "items", (json_int_t)c->n, "gaps", (json_int_t)gaps));
	else
		printf("%s: score %.0f/100, %zu of %zu items are gaps\n", c->name, score, gaps,
		    c->n);
	free(states);
	return ret;
}
