/* What the `vigil publish` files share: the options and the steps of a window. */
#ifndef VG_CMD_PUBLISH_H
#define VG_CMD_PUBLISH_H

#include "cmd/protect_cmd.h"

extern const struct cmd_ops cmd_publish;

#define ACCEPT_MAX 256

struct popts {
	const char *webroot, *note;
	const char *accept[ACCEPT_MAX];
	size_t n_accept;
	bool force;
};

struct pctx {
	struct vg_ctx *ctx;
	bool diff;
	const char *baseline;
};

/* publish_open.c */
void pub_print_change(void *arg, const struct fim_change *ch);
/* Records action in the store's audit log; a store that cannot be opened is a warning. */
void pub_audit(struct vg_config *cfg, struct vg_ctx *ctx, const char *action,
    const char *detail);
int pub_begin(struct vg_ctx *ctx, struct vg_config *cfg, struct protect *p,
    struct protect_root *r, const struct popts *o);
/* status, or diff with unified diffs of text files */
int pub_show(struct vg_ctx *ctx, struct protect *p, struct protect_root *r, bool diff);
/* publish_close.c: commit (through the webshell gate) or abort */
int pub_end(struct vg_ctx *ctx, struct vg_config *cfg, struct protect *p,
    struct protect_root *r, const struct popts *o, bool commit);

#endif
