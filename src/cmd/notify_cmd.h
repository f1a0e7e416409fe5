/* What the `vigil notify` files share: the options and the verb dispatch. */
#ifndef VG_CMD_NOTIFY_H
#define VG_CMD_NOTIFY_H

#include "cmd/cases_cmd.h"

extern const struct cmd_ops cmd_notify;

struct opts {
	const char *message, *state, *severity;
	long long wait, limit;
};

/* arg: the channel after the verb, or NULL. */
int notify_dispatch(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb, const char *arg,
    const struct opts *o);

#endif
