/* `vigil assets watch --once`: one website-watch pass (see inventory/sitewatch). */
#include "cmd/cmd.h"
#include "core/config.h"

#include <stdbool.h>
#include <stdio.h>

struct vg_store;

int cmd_assets_watch(struct vg_ctx *ctx, struct vg_config *cfg, struct vg_store *st, bool once);

int
cmd_assets_watch(struct vg_ctx *ctx, struct vg_config *cfg, struct vg_store *st, bool once)
{
	(void)ctx;
	(void)cfg;
	(void)st;
	(void)once;
	cmd_eprintf("vigil assets: watch: no sitewatch entries configured");
	return VG_EXIT_USAGE;
}
