/* `vigil assess checklist show|answer|score`: options and answer; show and score
 * are cmd/assess_checklist_do.c, the checklist itself assess/checklist*.c. */
#include "assess/checklist.h"
#include "cmd/assess_sub.h"
#include "cmd/cases_cmd.h"
#include "core/err.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_assess_checklist_help[] =
    "usage: vigil assess checklist show [--checklist FILE]\n"
    "       vigil assess checklist answer ITEM yes|no|partial [--evidence TEXT] [--file F]\n"
    "                                 [--by WHO] [--checklist FILE]\n"
    "       vigil assess checklist score [--asset NAME] [--by WHO] [--checklist FILE]\n"
    "  The security-management checklist (rules/checklist/security-management.yaml):\n"
    "  responsibility system and contacts, duty plan and roster, emergency plan and\n"
    "  drills, verified backups, log retention, third-party access, awareness training.\n"
    "  show prints every item with its answer and evidence, the score and the gaps;\n"
    "  answer records an answer (yes and partial need --evidence or --file; a file is\n"
    "  kept in the store, up to 4 MiB, with its SHA-256); score prints the score and\n"
    "  files every gap as an item of the rectification list (asset NAME, default\n"
    "  'organisation'). The duty roster and the web-root backups are judged from the\n"
    "  store and `backup verify`. Exit: show/answer 0; score 0 no gaps, 1 gaps.\n";

static const struct cmd_ops cl_cmd = { .name = "assess checklist",
	.help = cmd_assess_checklist_help };

struct cl_opts {
	const char *checklist, *evidence, *file, *by, *asset;
};

static int
do_answer(struct vg_ctx *ctx, struct cases_cmd *cc, const struct checklist *c,
    const struct cl_opts *o, const char *item, const char *ans)
{
	enum cl_answer a;
	int rc;

	if (cl_answer_parse(ans, &a) != VG_OK)
		return cmd_usage_error(&cl_cmd, "answer: expected yes, no or partial, got '%s'", ans);
	if (!checklist_item(c, item))
		return cmd_usage_error(&cl_cmd, "no item '%s' in %s", item, c->origin);
	if (a != CL_NO && !o->evidence && !o->file)
		return cmd_usage_error(&cl_cmd, "'%s' needs evidence: --evidence TEXT or --file F",
		    ans);
	rc = checklist_answer(cc->st, c, item, a, o->evidence, o->file, cases_cmd_actor(o->by));
	if (rc == VG_ERR_LIMIT || rc == VG_ERR_IO) {
		cmd_eprintf("vigil assess checklist: %s: %s", o->file,
		    rc == VG_ERR_LIMIT ? "larger than 4 MiB" : "cannot read it");
		return VG_EXIT_USAGE;
	}
	if (rc) {
		cmd_eprintf("vigil assess checklist: %s", vg_strerror(rc));
		return VG_EXIT_RUNTIME;
	}
	if (ctx->json)
		cmd_print_json_new(json_pack("{s:s, s:s}", "item", item, "answer", ans));
	else
		printf("%s: %s recorded\n", item, ans);
	return VG_EXIT_OK;
}

int
cmd_assess_checklist(struct vg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "checklist", required_argument, NULL, 'c' },
		{ "evidence", required_argument, NULL, 'e' },
		{ "file", required_argument, NULL, 'f' },
		{ "by", required_argument, NULL, 'b' },
		{ "asset", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct cases_cmd cc = { 0 };
	struct checklist *c = NULL;
	struct cl_opts o = { 0 };
	const char *verb;
	char err[512];
	int ch, ret;

	if (cmd_wants_help(argc, argv)) {
		fputs(cmd_assess_checklist_help, stdout);
		return VG_EXIT_OK;
	}
	optind = 0;
	while ((ch = cmd_getopt(&cl_cmd, argc, argv, ":", longopts)) > 0) {
		switch (ch) {
		case 'c': o.checklist = optarg; break;
		case 'e': o.evidence = optarg; break;
		case 'f': o.file = optarg; break;
		case 'b': o.by = optarg; break;
		case 'a': o.asset = optarg; break;
		}
	}
	if (ch == 0)
		return VG_EXIT_USAGE;
	verb = optind < argc ? argv[optind] : "show";
	if (strcmp(verb, "answer") == 0 ? argc - optind != 3 :
	    (strcmp(verb, "show") != 0 && strcmp(verb, "score") != 0) || argc - optind > 1)
		return cmd_usage_error(&cl_cmd, "expected show, answer ITEM yes|no|partial, or score");
	if (checklist_load(o.checklist, &c, err, sizeof(err)) != VG_OK) {
		cmd_eprintf("vigil assess checklist: %s", err);
		return VG_EXIT_USAGE;
	}
	if ((ret = cases_cmd_open(ctx, "assess checklist", &cc)) == VG_EXIT_OK) {
		if (strcmp(verb, "answer") == 0)
			ret = do_answer(ctx, &cc, c, &o, argv[optind + 1], argv[optind + 2]);
		else
			ret = cmd_assess_checklist_judge(ctx, &cc, c, o.by, o.asset,
			    strcmp(verb, "score") == 0);
	}
	cases_cmd_close(&cc);
	checklist_free(c);
	return ret;
}
