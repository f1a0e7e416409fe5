/* `vigil __complete KIND`: names only the configuration knows, for the shell
 * completion (dist/vigil.bash-completion), which reads commands and options from
 * --help itself, so a new command completes without touching the script. Hidden:
 * not in the registry, not in --help. */
#include "cmd/cmd.h"
#include "core/config.h"

#include <stdio.h>
#include <string.h>

int
cmd_complete(struct vg_ctx *ctx, int argc, char **argv)
{
	struct vg_config *cfg = NULL;
	struct vg_logger quiet = { .level = VG_LOG_ERROR };

	if (argc != 2 || strcmp(argv[1], "webroots") != 0)
		return VG_EXIT_USAGE;
	/* a completion must not print configuration errors into the command line */
	ctx->log = quiet;
	if (!freopen("/dev/null", "w", stderr) || cmd_load_config(ctx, &cfg) != VG_EXIT_OK)
		return VG_EXIT_USAGE;
	const struct vg_webroot_cfg *w = cfg->webroots.items;
	for (size_t i = 0; i < cfg->webroots.n; i++)
		if (w[i].name)
			printf("%s\n", w[i].name);
	vg_config_free(cfg);
	return VG_EXIT_OK;
}
