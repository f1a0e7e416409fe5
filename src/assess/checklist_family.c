/* The "checklist" row of assess's family table: recheck judges the item again (the
 * automatic probe, else the newest answer), so a gap turns verified once someone
 * answers "yes" with evidence or the roster/backups are in order. */
#include "assess/assess.h"
#include "assess/checklist.h"
#include "core/err.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int
checklist_recheck(struct assess_ctx *ctx, const struct assess_item *it, bool *passed,
    char *ev, size_t evsz)
{
	struct cl_env env = { .st = ctx->st, .cfg = ctx->cfg, .log = ctx->log };
	struct checklist *c = NULL;
	const struct cl_item *item;
	struct cl_state s;
	char err[512];
	int rc;

	*passed = false;
	rc = checklist_load(it->ref && access(it->ref, R_OK) == 0 ? it->ref : NULL, &c, err,
	    sizeof(err));
	if (rc)
		return rc == VG_ERR_NOTFOUND ? VG_ERR_NOTFOUND : rc;
	if (!(item = checklist_item(c, it->check_id))) {
		rc = VG_ERR_NOTFOUND;
		goto out;
	}
	if ((rc = checklist_judge(&env, c, item, &s)))
		goto out;
	*passed = s.answer == CL_YES;
	snprintf(ev, evsz, "%s%s%s%s", cl_answer_name(s.answer), s.automatic ? " (automatic)" : "",
	    s.evidence[0] ? ": " : "", s.evidence);
out:
	checklist_free(c);
	return rc;
}

const struct assess_family_ops assess_family_checklist = {
	.name = "checklist",
	.kind = ASSESS_CHECKLIST,
	.doc = "security-management checklist gaps (`vigil assess checklist`)",
	.recheck = checklist_recheck,
};
