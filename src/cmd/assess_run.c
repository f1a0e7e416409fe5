/* `vigil assess baseline|vulns|fix`: the check runs, printing their findings. */
#include "cmd/assess_cmd.h"
#include "core/err.h"

extern const struct cmd_ops cmd_assess;

int
assess_cmd_run(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb,
    const struct assess_opts *o, int argc, char **argv)
{
	(void)ctx, (void)cc, (void)o, (void)argc, (void)argv;
	return cmd_usage_error(&cmd_assess, "'%s' is not built yet", verb);
}
