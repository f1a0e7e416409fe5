/* What the `vigil alerts` files share. */
#ifndef VG_CMD_ALERTS_H
#define VG_CMD_ALERTS_H

#include "cmd/cmd.h"

extern const struct cmd_ops cmd_alerts;

/* Replaces the stored severity number of a with its name. */
void alerts_name_severity(json_t *a);
void alerts_print_row(const json_t *a);
/* `vigil alerts show ID`; a VG_EXIT_* code. */
int alerts_show(struct vg_ctx *ctx, struct vg_store *st, const char *arg);

#endif
