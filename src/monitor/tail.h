/* File tailer: follows files and globs with inotify (plus a periodic rescan for
 * missed events), survives rename rotation, copytruncate, delete + re-create, and
 * keeps per-file positions that the caller commits with the alerts they produced. */
#ifndef VG_TAIL_H
#define VG_TAIL_H

#include "core/log.h"
#include "core/store.h"
#include "monitor/source.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tailer;

#define TAIL_MAX_FILES_DEFAULT 1024
#define TAIL_FP_BYTES 1024	/* fingerprint covers the first min(1024, offset) bytes */
#define TAIL_ROTATE_WAIT_MS_DEFAULT 2000

struct tail_stats {
	uint64_t lines;			/* delivered */
	uint64_t bytes;			/* read from files */
	uint64_t truncated;		/* lines cut to max_line */
	uint64_t files_opened;
	uint64_t files_dropped;		/* matching files not followed now: max files reached */
	uint64_t rotations;		/* renamed away / deleted / replaced */
	uint64_t truncations;		/* copytruncate detected: restarted at 0 */
	uint64_t partial_dropped;	/* bytes of an unfinished line lost to copytruncate */
	uint64_t io_errors;		/* read/open failures (vanished files, ...) */
	uint64_t resumed;		/* files resumed from a stored offset */
	uint64_t replaced;		/* stored fingerprint did not match: read from 0 */
};

/* New tailer delivering lines of at most max_line bytes (256..64 MiB). lg may be
 * NULL. On success *out is set; the caller frees it with tail_free(). */
int tail_new(const struct vg_logger *lg, size_t max_line, struct tailer **out);
/* Accepts NULL. Closes every file and the inotify fd. */
void tail_free(struct tailer *t);

/* Limits; call before tail_add. rotate_wait_ms: how long a rotated-away file is
 * kept open for late writes after its last data (0 = drain and close at once). */
void tail_set_max_files(struct tailer *t, size_t max_files);
void tail_set_rotate_wait(struct tailer *t, unsigned rotate_wait_ms);

/* Follows path_or_glob (a glob only in the last component, e.g.
 * /var/log/nginx/ *.access.log); name labels its lines (NULL = the pattern).
 * Files that do not exist yet are picked up when they appear. Strings are
 * copied. VG_ERR_NOTFOUND if the directory does not exist, VG_ERR_LIMIT if too
 * many patterns. New files start at offset 0 unless tail_restore says otherwise. */
int tail_add(struct tailer *t, const char *name, const char *path_or_glob);
/* Same, and every line of this pattern carries tag (borrowed) in source_line.tag. */
int tail_add_tagged(struct tailer *t, const char *name, const char *path_or_glob, void *tag);

/* The inotify fd, for the caller's epoll set (readable = call tail_process). */
int tail_fd(const struct tailer *t);

/* Drains inotify events, rescans what changed and reads new data from every
 * file, calling fn once per complete line. A partial last line waits for its
 * newline, except at the end of a rotated-away file, where it is delivered.
 * Stops at the first non-zero return of fn (that line is delivered again next
 * time) and returns it; otherwise returns the number of lines delivered, or a
 * negative VG_ERR_*. Reads at most a bounded amount per file per call: check
 * tail_pending() and call again before blocking. */
int tail_process(struct tailer *t, source_line_fn fn, void *arg);
/* Like tail_process but also rescans every pattern (missed events, vanished
 * directories) and closes rotated files whose wait expired. Call about once a
 * second. */
int tail_poll(struct tailer *t, source_line_fn fn, void *arg);
/* True if a file has unread data left over from a bounded read. */
bool tail_pending(const struct tailer *t);

/* At start-up, before the first tail_process: resumes each watched file from its
 * stored position when the stored fingerprint matches the file now at that path,
 * otherwise reads it from 0 (the file was replaced). A file rotated away while
 * vigil was down is found by device+inode in the same directory and drained
 * from its stored offset first. */
int tail_restore(struct tailer *t, struct vg_store *st);
/* Writes the position of every line delivered so far. Call inside the store
 * transaction that also holds the alerts from those lines; after the commit
 * succeeds call tail_committed(), after a failed commit or rollback call
 * tail_rewind() so those lines are delivered again. */
int tail_checkpoint(struct tailer *t, struct vg_store *st);
/* True if tail_checkpoint would write something (lines delivered, files
 * finished or replaced since the last checkpoint): lets a caller skip empty
 * transactions. */
bool tail_unsaved(const struct tailer *t);
/* Also releases rotated files read to their end; without a store, call it after
 * every batch for that reason alone. */
void tail_committed(struct tailer *t);
void tail_rewind(struct tailer *t);

/* Copies the counters. */
void tail_get_stats(const struct tailer *t, struct tail_stats *out);

#endif
