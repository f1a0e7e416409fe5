/* One atomic file write: a temp file in the target's own directory (created with
 * openat, O_EXCL, O_NOFOLLOW), fsync, renameat over the target, optionally an fsync of
 * the directory so the new name survives a crash too. Readers see the old file or the
 * new one, never a half-written one. */
#ifndef VG_ATOMIC_H
#define VG_ATOMIC_H

#include <stddef.h>
#include <sys/types.h>

#define VG_ATOMIC_SYNC_DIR (1u << 0)	/* fsync the directory after the rename */
#define VG_ATOMIC_NOREPLACE (1u << 1)	/* VG_ERR_BUSY if the target exists (no rename) */

struct vg_atomic {
	int dirfd;		/* the target's directory */
	int fd;			/* the temp file: write here */
	char *tmp;		/* its name in dirfd */
	char *name;		/* the target's name in dirfd */
};

/* Creates the temp file for path with mode (0 = 0600) and name tmp_prefix + random
 * suffix (NULL = "." + target name + ".tmp."). a is cleared first; after a failure
 * there is nothing to release. VG_ERR_IO (errno set), VG_ERR_NOMEM. */
int vg_atomic_open(struct vg_atomic *a, const char *path, const char *tmp_prefix,
    mode_t mode);
/* The same for name (one component, no '/') in the open directory dirfd, which is
 * duplicated: the caller keeps its descriptor. Resolving dirfd is the caller's job
 * (core/beneath.h when the path came from outside). VG_ERR_INVAL for a bad name. */
int vg_atomic_openat(struct vg_atomic *a, int dirfd, const char *name, const char *tmp_prefix,
    mode_t mode);
/* fsync, close, rename over the target (per flags); on any failure the temp file is
 * removed. Releases a either way. VG_ERR_LIMIT when the disk is full, VG_ERR_BUSY for
 * VG_ATOMIC_NOREPLACE on an existing target, VG_ERR_IO otherwise (errno set). */
int vg_atomic_commit(struct vg_atomic *a, unsigned flags);
/* Removes the temp file and releases a. Accepts a cleared or released a. */
void vg_atomic_abort(struct vg_atomic *a);

/* The whole sequence for a buffer in memory. */
int vg_atomic_write(const char *path, const void *data, size_t len, mode_t mode,
    unsigned flags);

#endif
