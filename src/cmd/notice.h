/* What the `vigil notice` files share: the options and the verb dispatch. */
#ifndef VG_CMD_NOTICE_H
#define VG_CMD_NOTICE_H

#include "cmd/cases_cmd.h"

extern const struct cmd_ops cmd_notice;

struct opts {
	struct cases_notice n;
	const char *by, *deadline, *verdict, *note;
	bool all;
};

/* arg: the id or file after the verb, or NULL. */
int notice_dispatch(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb, const char *arg,
    struct opts *o);

#endif
