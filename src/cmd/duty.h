/* What the `vigil duty` files share: the options and the verb dispatch. */
#ifndef VG_CMD_DUTY_H
#define VG_CMD_DUTY_H

#include "cmd/cases_cmd.h"

extern const struct cmd_ops cmd_duty;

struct opts {
	struct cases_shift s;
	const char *by, *from, *to, *at, *note;
};

/* args: the operands after the verb (nargs of them). */
int duty_dispatch(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb, char **args,
    int nargs, struct opts *o);

#endif
