/* What the `vigil quarantine` files share: one function per verb (quarantine_do.c). */
#ifndef VG_CMD_QUARANTINE_H
#define VG_CMD_QUARANTINE_H

#include "cmd/cmd.h"

#include <stdbool.h>

extern const struct cmd_ops cmd_quarantine;

/* Each returns a VG_EXIT_* code and prints its own result or error. */
int qcmd_list(struct vg_ctx *ctx, const char *vault);
int qcmd_restore(const char *vault, const char *id, const char *to, bool force);
int qcmd_add(const char *vault, const char *path);

#endif
