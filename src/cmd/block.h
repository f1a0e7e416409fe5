/* What the `vigil block` files share: the options and one function per action. */
#ifndef VG_CMD_BLOCK_H
#define VG_CMD_BLOCK_H

#include "cmd/cmd.h"
#include "core/store.h"
#include "respond/block.h"

extern const struct cmd_ops cmd_block;

struct opts {
	const char *verb, *arg;
	long long duration;	/* seconds; 0 = default */
	const char *reason;
	const char *by;
	bool all;
};

int block_list_cmd(struct vg_ctx *ctx, struct vg_store *st, const struct opts *o);
/* add, del or flush */
int block_change(struct vg_ctx *ctx, struct blocker *b, const struct opts *o, const char *actor);
int block_import_cmd(struct vg_ctx *ctx, struct blocker *b, const struct opts *o, const char *by);

#endif
