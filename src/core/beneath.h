/* Paths from outside (manifests, vault records, restore targets) resolved beneath a
 * directory descriptor without ever following a symlink: openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS) where the kernel has it (Linux >= 5.6), else a walk of one
 * openat(O_NOFOLLOW) per component. Never by string prefix comparison. */
#ifndef VG_BENEATH_H
#define VG_BENEATH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define VG_BENEATH_MAX 4096	/* longest relative path accepted */

/* True if rel (len bytes, so an embedded NUL is seen) is a clean relative path: not
 * absolute, no "." or ".." component, no empty component ("a//b", trailing '/'), no
 * NUL, at most VG_BENEATH_MAX bytes. "" (the root itself) is valid only if allow_empty. */
bool vg_relpath_valid(const char *rel, size_t len, bool allow_empty);

/* Opens rel beneath rootfd with flags (O_NOFOLLOW and O_CLOEXEC added) and mode.
 * No component, the last included, may be a symlink; rel must be vg_relpath_valid
 * ("" opens rootfd's directory again). Returns the fd, or -1 with errno set (ELOOP:
 * a symlink was met, EXDEV/EINVAL: rel would leave the root). */
int vg_open_beneath(int rootfd, const char *rel, int flags, mode_t mode);

/* vg_open_beneath for a path a directory walk built (each component a name it read):
 * no length limit; a path longer than VG_BENEATH_MAX is opened one component at a
 * time, the same guarantee. Still refused: absolute, ".", "..", empty components. */
int vg_open_beneath_long(int rootfd, const char *rel, int flags, mode_t mode);

#define VG_BENEATH_MKDIR (1u << 0)	/* create missing parent directories (dirmode) */

/* Opens the directory that holds rel's last component beneath rootfd (no symlink
 * followed) and points *leaf into rel at that component. rel must be valid and not
 * "". Returns the directory fd (caller closes) or -1 with errno set. */
int vg_open_parent_beneath(int rootfd, const char *rel, unsigned flags, mode_t dirmode,
    const char **leaf);

/* Opens the directory path (absolute, or relative to the working directory) with no
 * symlink on the way, the last component included; ".." is allowed (the path is an
 * operator's or a vault record checked when read). -1 with errno ELOOP if a component
 * is a symlink. */
int vg_open_dir_nofollow(const char *path);

#endif
