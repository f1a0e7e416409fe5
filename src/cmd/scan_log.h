/* `vigil scan-log`'s opening and its run over its files (scan_log_files.c). */
#ifndef VG_CMD_SCAN_LOG_H
#define VG_CMD_SCAN_LOG_H

#include "cmd/cmd.h"
#include "monitor/pipeline.h"

/* Every file (stdin for none or "-") through p with decoder d; st (may be NULL)
 * has a transaction open, committed here; the figures go to stderr. VG_EXIT_*:
 * FOUND when alerts were raised. */
int scan_log_files(struct vg_ctx *ctx, struct pipeline *p, struct decoder *d,
    struct vg_store *st, size_t max_line, int nfiles, char **files);

struct ioc_set;
/* The decoder for format/log_format, cfg's IOC lists and, when store_path is set,
 * that store; each freed by the caller (also after a failure). VG_EXIT_*, printing
 * why. */
int scan_log_open(struct vg_ctx *ctx, const struct vg_config *cfg, const char *format,
    const char *log_format, const char *store_path, struct decoder **d, struct ioc_set **ioc,
    struct vg_store **st);

#endif
