/* Webshell scanning over trees (`vigil scan`): the arguments are walked first (symlinks
 * never followed, special files never opened, directory loops and depth bounded) into
 * a bounded list, then worker threads pull from it by index. What is done with each
 * file (scan, scan and quarantine) and how findings are shown are the caller's. */
#ifndef VG_TREESCAN_H
#define VG_TREESCAN_H

#include "core/log.h"
#include "monitor/webshell.h"

#include <stdbool.h>
#include <stddef.h>

#define TREESCAN_MAX_FILES 5000000	/* paths held in memory; more are counted, dropped */
#define TREESCAN_MAX_DEPTH 256
#define TREESCAN_MAX_THREADS 64
#define TREESCAN_ID_MAX 64		/* qid buffer given to the file function */

struct treescan_stats {
	/* listing */
	size_t files, dropped, special, symlinks, loops, walk_errors;
	/* scanning */
	size_t done, malicious, suspicious, too_big, vanished, unreadable, not_regular;
	size_t quarantined, quarantine_failed;
	unsigned long long bytes;
	int threads;			/* workers that ran, the caller's thread included */
};

/* Scans path into f. Same contract as quarantine_scan_and_act: 1 moved into the vault
 * (qid set), 0 left in place (qerr may say why a move failed), negative VG_ERR_* not
 * scanned. Called on worker threads. */
typedef int (*treescan_file_fn)(void *arg, const char *path, struct webshell_finding *f,
    char qid[TREESCAN_ID_MAX], char *qerr, size_t qerr_size);
/* Called with the output lock held, in the order results come. */
typedef void (*treescan_report_fn)(void *arg, const struct webshell_finding *f,
    const char *qid);
typedef void (*treescan_progress_fn)(void *arg, const struct treescan_stats *st, bool final);

struct treescan_opts {
	int threads;			/* 1..TREESCAN_MAX_THREADS */
	bool all;			/* report clean files too */
	bool quarantine;		/* count quarantined / failed for malicious files */
	treescan_file_fn scan;
	treescan_report_fn report;
	treescan_progress_fn progress;	/* may be NULL */
	void *arg;
	const struct vg_logger *log;
};

struct treescan;

int treescan_new(const struct vg_logger *log, struct treescan **out);
void treescan_free(struct treescan *t);

/* Adds one argument: a directory is walked, a regular file taken as is. The argument
 * itself may be a symlink (the user named it); nothing below is followed. Returns
 * VG_OK, VG_ERR_NOMEM, VG_ERR_NOTFOUND if arg cannot be stat'ed (errno set), or
 * VG_ERR_FORMAT if it is neither a file nor a directory (counted as special). */
int treescan_add(struct treescan *t, const char *arg);

/* Scans every listed file; st (zeroed first) gets the counters. */
int treescan_run(struct treescan *t, const struct treescan_opts *o, struct treescan_stats *st);

#endif
