/* Webshell scanning over trees (`vigil scan`): the arguments are walked first (symlinks
 * never followed, special files never opened, directory loops detected) into a bounded
 * list of (argument, relative path), then worker threads pull from it by index and
 * open each file beneath the argument's directory descriptor, so neither depth nor
 * PATH_MAX limits what is scanned. What could not be scanned is a finding. What is done with each
 * file (scan, scan and quarantine) and how findings are shown are the caller's. */
#ifndef VG_TREESCAN_H
#define VG_TREESCAN_H

#include "core/log.h"
#include "monitor/webshell.h"

#include <stdbool.h>
#include <stddef.h>

#define TREESCAN_MAX_FILES 5000000	/* paths held in memory; more are counted, dropped */
#define TREESCAN_MAX_UNSCANNED 100000	/* "not scanned" findings held; more are counted */
#define TREESCAN_MAX_THREADS 64
#define TREESCAN_ID_MAX 64		/* qid buffer given to the file function */

/* Why something under a PATH was not scanned: each is a finding, not just a count. */
enum treescan_why {
	TREESCAN_TOO_BIG = 1,		/* over the scanner's size limit (--max-size) */
	TREESCAN_UNREADABLE,		/* the file could not be opened or read (err) */
	TREESCAN_DIR_UNREADABLE,	/* a directory could not be opened (err): nothing
					 * below it was scanned */
	TREESCAN_LOOP,			/* a directory met twice (bind-mount loop) */
	TREESCAN_FILE_LIMIT,		/* over TREESCAN_MAX_FILES (one finding, a count) */
};

struct treescan_unscanned {
	const char *path;		/* as shown: the PATH argument + "/" + relative path */
	enum treescan_why why;
	int err;			/* errno for the unreadable kinds */
	long long size;			/* TOO_BIG: the file's size; FILE_LIMIT: files dropped */
};

/* Short machine name ("too_big", "unreadable", ...) and the text after "not
 * scanned: " for a finding (buf holds it; returns buf). */
const char *treescan_why_name(enum treescan_why why);
const char *treescan_why_text(const struct treescan_unscanned *u, long long max_size,
    char *buf, size_t size);

struct treescan_stats {
	/* listing */
	size_t files, dropped, special, symlinks, loops, walk_errors;
	/* scanning */
	size_t done, malicious, suspicious, too_big, vanished, unreadable, not_regular;
	size_t quarantined, quarantine_failed;
	size_t unscanned;		/* "not scanned" findings (every kind above) */
	unsigned long long bytes;
	int threads;			/* workers that ran, the caller's thread included */
};

/* Scans rel beneath the directory descriptor rootfd (root is its path, shown is what
 * to call the file) into f. Same contract as quarantine_scan_and_act_at: 1 moved into
 * the vault (qid set), 0 left in place (qerr may say why a move failed), negative
 * VG_ERR_* not scanned (errno kept). Called on worker threads. */
typedef int (*treescan_file_fn)(void *arg, int rootfd, const char *root, const char *rel,
    const char *shown, struct webshell_finding *f, char qid[TREESCAN_ID_MAX], char *qerr,
    size_t qerr_size);
/* Called with the output lock held, in the order results come. path is the whole
 * path (f->path may be cut at its 4096 bytes). */
typedef void (*treescan_report_fn)(void *arg, const char *path,
    const struct webshell_finding *f, const char *qid);
typedef void (*treescan_unscanned_fn)(void *arg, const struct treescan_unscanned *u);
typedef void (*treescan_progress_fn)(void *arg, const struct treescan_stats *st, bool final);

struct treescan_opts {
	int threads;			/* 1..TREESCAN_MAX_THREADS */
	bool all;			/* report clean files too */
	bool quarantine;		/* count quarantined / failed for malicious files */
	treescan_file_fn scan;
	treescan_report_fn report;
	treescan_unscanned_fn unscanned;	/* every "not scanned" finding */
	treescan_progress_fn progress;	/* may be NULL */
	void *arg;			/* for scan */
	void *out;			/* for report, unscanned, progress (NULL: arg) */
	const struct vg_logger *log;
};

struct treescan;

int treescan_new(const struct vg_logger *log, struct treescan **out);
void treescan_free(struct treescan *t);

/* Adds one argument: a directory is walked through directory descriptors (no depth
 * or path-length limit but free descriptors; a directory that cannot be opened is a
 * "not scanned" finding), a regular file taken as is. The argument itself may be a
 * symlink (the user named it); nothing below is followed. Returns VG_OK, VG_ERR_NOMEM,
 * VG_ERR_NOTFOUND if arg cannot be stat'ed (errno set), or VG_ERR_FORMAT if it is
 * neither a file nor a directory (counted as special). */
int treescan_add(struct treescan *t, const char *arg);

/* Scans every listed file; st (zeroed first) gets the counters. */
int treescan_run(struct treescan *t, const struct treescan_opts *o, struct treescan_stats *st);

#endif
