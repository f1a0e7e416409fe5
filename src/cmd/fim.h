/* What the `vigil fim` files share: the options and one function per subcommand. */
#ifndef VG_CMD_FIM_H
#define VG_CMD_FIM_H

#include "cmd/protect_cmd.h"

extern const struct cmd_ops cmd_fim;

struct fopts {
	const char *webroot;
	long long debounce_ms, scan_interval, max_watches, duration;
	bool no_diff, no_store;
};

int fim_check(struct vg_ctx *ctx, struct protect *p, struct protect_root **sel, size_t n,
    const struct fopts *o);
int fim_watch(struct vg_ctx *ctx, struct vg_config *cfg, struct protect *p,
    struct protect_root **sel, size_t n, const struct fopts *o);

#endif
