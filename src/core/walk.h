/* One tree walker for every stage: directory descriptors all the way down (openat +
 * fdopendir, O_NOFOLLOW), so a symlink is reported and never followed, and neither the
 * depth nor the length of a path is bounded by PATH_MAX (an explicit stack of open
 * directories replaces recursion; only the number of free descriptors limits depth). */
#ifndef VG_WALK_H
#define VG_WALK_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

enum vg_walk_event {
	VG_WALK_ENTRY,		/* an entry (the start entry included) */
	VG_WALK_DIR_FAILED,	/* a directory the callback let through could not be opened */
	VG_WALK_DIR_DONE,	/* after a directory's children (only with VG_WALK_POST) */
};

struct vg_walk_entry {
	enum vg_walk_event event;
	int dirfd;		/* parent directory: use with name in the *at() calls */
	const char *name;	/* entry name in dirfd */
	const char *rel;	/* start rel + "/" + names below it ("" stays ""); NUL-ended */
	size_t rel_len;
	mode_t type;		/* S_IFREG, S_IFDIR, S_IFLNK, ... (S_IFMT bits); 0 if unknown */
	const struct stat *st;	/* lstat of the entry; NULL unless VG_WALK_STAT, the start
				 * entry, or d_type was unknown */
	int err;		/* errno when lstat or opening the directory failed */
	int depth;		/* start depth + levels below the start entry */
};

/* Callback return: 0 descends into a directory, VG_WALK_SKIP does not; a negative
 * VG_ERR_* stops the walk and vg_walk returns it. */
#define VG_WALK_SKIP 1
typedef int (*vg_walk_fn)(void *arg, const struct vg_walk_entry *e);

#define VG_WALK_STAT (1u << 0)	/* lstat every entry (otherwise d_type when known) */
#define VG_WALK_POST (1u << 1)	/* VG_WALK_DIR_DONE after each directory's children */

/* Walks the entry name of dirfd (AT_FDCWD, or "." of an open directory to start at that
 * directory itself) and everything below it, in readdir order, pre-order. rel and depth
 * are what the start entry is reported with. The start entry is always lstat'ed; when
 * it cannot be, fn sees it with st NULL and err set, and vg_walk returns VG_OK.
 * Returns VG_OK, VG_ERR_NOMEM, or the first negative value fn returned. */
int vg_walk(int dirfd, const char *name, const char *rel, int depth, unsigned flags,
    vg_walk_fn fn, void *arg);

#endif
