/* Resolution beneath a directory descriptor; see beneath.h. openat2 is tried first;
 * on ENOSYS (old kernel, seccomp) the component walk gives the same guarantee, since
 * each step opens one validated name relative to the previous descriptor with
 * O_NOFOLLOW. */
#include "core/beneath.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* the fallback's unit test builds this file with -1 here (ENOSYS) */
#ifndef VG_SYS_OPENAT2
#define VG_SYS_OPENAT2 SYS_openat2
#endif

static bool
relpath_clean(const char *rel, size_t len, bool allow_empty)
{
	if (!rel || memchr(rel, '\0', len))
		return false;
	if (len == 0)
		return allow_empty;
	if (rel[0] == '/')
		return false;
	for (size_t i = 0;;) {
		const char *c = rel + i, *end = memchr(c, '/', len - i);
		size_t n = end ? (size_t)(end - c) : len - i;
		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;	/* "a//b", trailing '/', ".", ".." */
		if (!end)
			break;
		i += n + 1;
	}
	return true;
}

bool
vg_relpath_valid(const char *rel, size_t len, bool allow_empty)
{
	return rel && len <= VG_BENEATH_MAX && relpath_clean(rel, len, allow_empty);
}

static int
openat2_beneath(int dirfd, const char *rel, int flags, mode_t mode, unsigned long resolve)
{
	/* no O_NOFOLLOW: RESOLVE_NO_SYMLINKS covers the last component too, and says ELOOP
	 * where O_NOFOLLOW with O_DIRECTORY would say ENOTDIR */
	struct open_how how = { .flags = (unsigned long long)(flags | O_CLOEXEC),
		.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0, .resolve = resolve };
	return (int)syscall(VG_SYS_OPENAT2, dirfd, rel, &how, sizeof(how));
}

/* O_DIRECTORY|O_NOFOLLOW on a symlink says ENOTDIR: say ELOOP, as openat2 does. */
static void
symlink_errno(int dirfd, const char *name)
{
	struct stat st;
	int e = errno;
	if (e == ENOTDIR && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode))
		e = ELOOP;
	errno = e;
}

/* One openat(O_NOFOLLOW) per component; the directories on the way are created
 * (dirmode) when mkdirs. The last component is opened with flags. */
static int
walk_open(int rootfd, const char *rel, int flags, mode_t mode, bool mkdirs, mode_t dirmode)
{
	char comp[256];
	int cur = rootfd, fd;

	for (;;) {
		const char *slash = strchr(rel, '/');
		size_t n = slash ? (size_t)(slash - rel) : strlen(rel);
		if (n >= sizeof(comp)) {
			errno = ENAMETOOLONG;
			goto fail;
		}
		memcpy(comp, rel, n);
		comp[n] = '\0';
		if (!slash) {
			fd = openat(cur, comp, flags | O_NOFOLLOW | O_CLOEXEC, mode);
			if (fd < 0)
				symlink_errno(cur, comp);
			if (cur != rootfd) {
				int e = errno;
				close(cur);
				errno = e;
			}
			return fd;
		}
		fd = openat(cur, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT && mkdirs) {
			if (mkdirat(cur, comp, dirmode) != 0 && errno != EEXIST)
				goto fail;
			fd = openat(cur, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (fd < 0) {
			symlink_errno(cur, comp);
			goto fail;
		}
		if (cur != rootfd)
			close(cur);
		cur = fd;
		rel = slash + 1;
	}
fail:
	if (cur != rootfd) {
		int e = errno;
		close(cur);
		errno = e;
	}
	return -1;
}

int
vg_open_beneath(int rootfd, const char *rel, int flags, mode_t mode)
{
	if (!vg_relpath_valid(rel, rel ? strlen(rel) : 0, true)) {
		errno = EINVAL;
		return -1;
	}
	if (!*rel)
		return openat(rootfd, ".", flags | O_CLOEXEC, mode);
	int fd = openat2_beneath(rootfd, rel, flags, mode,
	    RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
	if (fd >= 0 || (errno != ENOSYS && errno != E2BIG && errno != EPERM))
		return fd;
	return walk_open(rootfd, rel, flags, mode, false, 0);
}

int
vg_open_beneath_long(int rootfd, const char *rel, int flags, mode_t mode)
{
	size_t len = rel ? strlen(rel) : 0;
	if (len < VG_BENEATH_MAX)	/* openat2 takes up to PATH_MAX with the NUL */
		return vg_open_beneath(rootfd, rel, flags, mode);
	if (!relpath_clean(rel, len, false)) {
		errno = EINVAL;
		return -1;
	}
	return walk_open(rootfd, rel, flags, mode, false, 0);
}

int
vg_open_parent_beneath(int rootfd, const char *rel, unsigned flags, mode_t dirmode,
    const char **leaf)
{
	const char *slash;

	*leaf = NULL;
	if (!vg_relpath_valid(rel, rel ? strlen(rel) : 0, false)) {
		errno = EINVAL;
		return -1;
	}
	slash = strrchr(rel, '/');
	*leaf = slash ? slash + 1 : rel;
	if (!slash)
		return openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* the walk opens its last component with the caller's flags: "dir/." makes that
	 * "." of the parent, so every real directory is a checked O_NOFOLLOW step */
	char dir[VG_BENEATH_MAX + 3];
	size_t n = (size_t)(slash - rel);
	memcpy(dir, rel, n);
	dir[n] = '\0';
	if (!(flags & VG_BENEATH_MKDIR)) {
		int fd = openat2_beneath(rootfd, dir, O_RDONLY | O_DIRECTORY, 0,
		    RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
		if (fd >= 0 || (errno != ENOSYS && errno != E2BIG && errno != EPERM))
			return fd;
	}
	memcpy(dir + n, "/.", 3);
	return walk_open(rootfd, dir, O_RDONLY | O_DIRECTORY, 0, flags & VG_BENEATH_MKDIR,
	    dirmode);
}

int
vg_open_dir_nofollow(const char *path)
{
	bool abs = path && path[0] == '/';
	int start, fd, e;

	if (!path || !*path) {
		errno = EINVAL;
		return -1;
	}
	fd = openat2_beneath(AT_FDCWD, path, O_RDONLY | O_DIRECTORY, 0,
	    RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
	if (fd >= 0 || (errno != ENOSYS && errno != E2BIG && errno != EPERM))
		return fd;
	if ((start = open(abs ? "/" : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	while (*path == '/')
		path++;
	if (!*path)
		return start;
	fd = walk_open(start, path, O_RDONLY | O_DIRECTORY, 0, false, 0);
	e = errno;
	close(start);
	errno = e;
	return fd;
}
