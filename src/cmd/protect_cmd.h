/* Helpers shared by the web-root protection commands (backup, fim, publish): opening
 * the protect context, choosing web roots, and printing/storing change records. */
#ifndef VG_PROTECT_CMD_H
#define VG_PROTECT_CMD_H

#include "cmd/cmd.h"
#include "core/store.h"
#include "backup/snapshot.h"
#include "respond/reconcile.h"

#include <jansson.h>
#include <stdio.h>

/* Loads the config and opens the protect context; prints errors. VG_EXIT_*. */
int pcmd_open(struct vg_ctx *ctx, const struct cmd_ops *cmd, struct vg_config **cfg,
    struct protect **p);

/* Web roots selected by name (NULL = all): fills sel (p->n_roots slots). VG_EXIT_*. */
int pcmd_select(struct protect *p, const char *name, const struct cmd_ops *cmd,
    struct protect_root **sel, size_t *n);

/* Prints one change as a JSON line or a text line (+ diff when with_diff); the format
 * lives in monitor/alert.c. */
void pcmd_change_print(FILE *out, const struct fim_change *ch, bool json, bool with_diff,
    const char *baseline);

#endif
