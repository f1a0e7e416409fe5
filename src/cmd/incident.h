/* What the `vigil incident` files share: the options and one function per verb. */
#ifndef VG_CMD_INCIDENT_H
#define VG_CMD_INCIDENT_H

#include "cmd/cases_cmd.h"

extern const struct cmd_ops cmd_incident;

struct opts {
	const char *by, *comment, *state, *action, *target, *result, *path, *verdict;
	long long limit, expires;
	int min_severity;
	bool all, suppress;
};

/* id is 0 for the verbs that take none. */
typedef int inc_verb_fn(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb,
    int64_t id, const struct opts *o);
/* list, show, sync|sla, suppressions; anything else is a workflow step. */
inc_verb_fn inc_list, inc_show, inc_tally, inc_suppressions, inc_step;

#endif
