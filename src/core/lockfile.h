/* Single-instance locks: a lock on a file beside what is guarded (the store),
 * holding the owner's pid so a refused second instance can say who runs. The
 * kernel drops the lock when its holder dies, so a SIGKILL leaves nothing stale. */
#ifndef VG_LOCKFILE_H
#define VG_LOCKFILE_H

#include <stdbool.h>
#include <stddef.h>

/* Writes "<guarded>.lock" into out. VG_ERR_LIMIT if it does not fit. */
int vg_lockfile_path(const char *guarded, char *out, size_t size);

/* Takes the lock on path (created 0600, symlinks not followed) without waiting
 * and writes this process's pid into it. On success *fd holds the lock until the
 * caller closes it. VG_ERR_BUSY if another process holds it (*holder = its pid,
 * or 0 if unknown), VG_ERR_IO otherwise (errno set). */
int vg_lockfile_take(const char *path, int *fd, long *holder);

/* Whether some process holds the lock on path now; *holder = its pid (0 if
 * unknown or not held). Does not create the file. */
bool vg_lockfile_held(const char *path, long *holder);

#endif
