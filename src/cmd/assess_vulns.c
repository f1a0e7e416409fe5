/* `vigil assess vulns`: installed packages and scanned services against the feeds. */
#include "cmd/assess_cmd.h"

extern const struct cmd_ops cmd_assess;

int
assess_cmd_vulns(struct vg_ctx *ctx, struct cases_cmd *cc, const struct assess_opts *o,
    int argc, char **argv)
{
	(void)ctx, (void)cc, (void)o, (void)argc, (void)argv;
	return cmd_usage_error(&cmd_assess, "vulns is not built yet");
}
