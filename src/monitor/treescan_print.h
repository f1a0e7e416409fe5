/* Printing for tree scans (`vigil scan`): the callbacks of struct treescan_opts that
 * show findings (table or one JSON object per line), not-scanned findings, the progress
 * bar, and the summary on stderr. */
#ifndef VG_TREESCAN_PRINT_H
#define VG_TREESCAN_PRINT_H

#include "monitor/treescan.h"

#include <stdbool.h>
#include <time.h>

struct treescan_printer {
	bool json;			/* JSON lines instead of the table */
	bool progress;			/* a progress bar on stderr (a terminal) */
	long long max_size;		/* the scanner's limit, for "over the size limit" */
	const char *vault;		/* where quarantined files went (summary), or NULL */
	bool header_printed;
	struct timespec last_progress;
};

/* treescan_report_fn, treescan_unscanned_fn and treescan_progress_fn; arg is a
 * struct treescan_printer. */
void treescan_print_finding(void *arg, const char *path, const struct webshell_finding *f,
    const char *qid);
void treescan_print_unscanned(void *arg, const struct treescan_unscanned *u);
void treescan_print_progress(void *arg, const struct treescan_stats *st, bool final);
/* The summary line(s) on stderr; dt is the run's wall time in seconds. */
void treescan_print_summary(const struct treescan_printer *pr, const struct treescan_stats *st,
    double dt);

#endif
