/* Shared pieces of `vigil backup`, `vigil fim` and `vigil publish`: one format for a
 * change record (text line, JSON line, stored alert) so every command agrees. */
#include "cmd/protect_cmd.h"
#include "core/err.h"
#include "monitor/alert.h"

#include <stdlib.h>
#include <string.h>

int
pcmd_open(struct vg_ctx *ctx, const struct cmd_ops *cmd, struct vg_config **cfg,
    struct protect **p)
{
	int ret = cmd_load_config(ctx, cfg), r;

	*p = NULL;
	if (ret != VG_EXIT_OK)
		return ret;
	if ((*cfg)->webroots.n == 0) {
		cmd_eprintf("vigil %s: no web roots configured (add a webroots: section to "
		    "the config)\n", cmd->name);
		vg_config_free(*cfg);
		*cfg = NULL;
		return VG_EXIT_USAGE;
	}
	if ((r = protect_open(*cfg, &ctx->log, p)) != VG_OK) {
		cmd_eprintf("vigil %s: %s: %s\n", cmd->name, (*cfg)->protect.backup_dir,
		    vg_strerror(r));
		vg_config_free(*cfg);
		*cfg = NULL;
		return r == VG_ERR_CONFIG ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
	}
	return VG_EXIT_OK;
}

int
pcmd_select(struct protect *p, const char *name, const struct cmd_ops *cmd,
    struct protect_root **sel, size_t *n)
{
	*n = 0;
	if (!name) {
		for (size_t i = 0; i < p->n_roots; i++)
			sel[(*n)++] = &p->roots[i];
		return VG_EXIT_OK;
	}
	struct protect_root *r = protect_root_find(p, name);
	if (!r) {
		fprintf(stderr, "vigil %s: no web root named '%s' (configured:", cmd->name, name);
		for (size_t i = 0; i < p->n_roots; i++)
			fprintf(stderr, " %s", p->roots[i].name);
		fprintf(stderr, ")\n");
		return VG_EXIT_USAGE;
	}
	sel[(*n)++] = r;
	return VG_EXIT_OK;
}

void
pcmd_change_print(FILE *out, const struct fim_change *ch, bool json, bool with_diff,
    const char *baseline)
{
	alert_change_print(out, ch, json, with_diff, baseline);
}
