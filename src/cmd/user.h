/* What the `vigil user` files share: the options and the action. */
#ifndef VG_CMD_USER_H
#define VG_CMD_USER_H

#include "cmd/cmd.h"
#include "web/wdb.h"

extern const struct cmd_ops cmd_user;

struct uopts {
	const char *verb, *name, *role;
	bool password_stdin;
};

/* add, passwd, role, del or list on db; a VG_EXIT_* code. */
int user_act(struct vg_ctx *ctx, struct wdb *db, const struct uopts *o);

#endif
