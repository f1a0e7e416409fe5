/* What the `vigil report` files share (report.c: options, dispatch and help;
 * report_do.c: the period and the writing). */
#ifndef VG_CMD_REPORT_H
#define VG_CMD_REPORT_H

#include "cmd/cmd.h"
#include "report/report.h"

#include <stddef.h>

extern const struct cmd_ops cmd_report;

struct report_cmd_opts {
	const char *date, *from, *to, *lang, *format, *out, *exports;
};

/* The period of report kind ("daily" or "final") into ro, and the default file
 * name's stem ("vigil-daily-2026-11-30-en") into stem. VG_EXIT_*, the usage error
 * printed. */
int report_do_period(const char *kind, const struct report_cmd_opts *o, struct report_opts *ro,
    char *stem, size_t n);
/* Opens the store, writes the report (and PDF, exports) and prints the paths or,
 * with --json, the result. VG_EXIT_*. */
int report_do_write(struct vg_ctx *ctx, struct report_opts *ro, const struct report_files *f);

#endif
