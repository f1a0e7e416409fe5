/* Atomic file writes; see atomic.h. The temp name's suffix comes from the clock and a
 * per-call counter, retried on EEXIST, as mkostemp does, but relative to a dirfd. */
#include "core/atomic.h"
#include "core/err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int
io_err(void)
{
	return errno == ENOSPC || errno == EDQUOT ? VG_ERR_LIMIT : VG_ERR_IO;
}

static void
release(struct vg_atomic *a)
{
	if (a->fd >= 0)
		close(a->fd);
	if (a->dirfd >= 0)
		close(a->dirfd);
	free(a->tmp);
	free(a->name);
	a->fd = a->dirfd = -1;
	a->tmp = a->name = NULL;
}

/* Creates the temp file in a->dirfd (already set, as a->name). */
static int
open_temp(struct vg_atomic *a, const char *tmp_prefix, mode_t mode)
{
	size_t plen = tmp_prefix ? strlen(tmp_prefix) : strlen(a->name) + 6;

	if (!(a->tmp = malloc(plen + 24)))
		return VG_ERR_NOMEM;
	for (unsigned i = 0; i < 100; i++) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		uint64_t v = ((uint64_t)ts.tv_nsec << 16) ^ ((uint64_t)getpid() << 8) ^
		    ((uint64_t)(uintptr_t)a << 3) ^ i * 0x9E3779B97F4A7C15ull;
		if (tmp_prefix)
			snprintf(a->tmp, plen + 24, "%s%06llx", tmp_prefix,
			    (unsigned long long)(v & 0xffffff));
		else
			snprintf(a->tmp, plen + 24, ".%s.tmp.%06llx", a->name,
			    (unsigned long long)(v & 0xffffff));
		a->fd = openat(a->dirfd, a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, mode ? mode : 0600);
		if (a->fd >= 0 || errno != EEXIST)
			break;
	}
	return a->fd < 0 ? io_err() : VG_OK;
}

int
vg_atomic_open(struct vg_atomic *a, const char *path, const char *tmp_prefix, mode_t mode)
{
	const char *slash = strrchr(path, '/');
	char *dir = NULL;
	int ret = VG_ERR_NOMEM;

	*a = (struct vg_atomic){ .dirfd = -1, .fd = -1 };
	if (slash)
		dir = slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
	if ((slash && !dir) || !(a->name = strdup(slash ? slash + 1 : path)))
		goto fail;
	if (!*a->name) {
		errno = EISDIR;
		ret = VG_ERR_IO;
		goto fail;
	}
	if ((a->dirfd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		ret = VG_ERR_IO;
		goto fail;
	}
	if ((ret = open_temp(a, tmp_prefix, mode)) != VG_OK)
		goto fail;
	free(dir);
	return VG_OK;
fail:
	free(dir);
	int saved = errno;
	release(a);
	errno = saved;
	return ret;
}

int
vg_atomic_openat(struct vg_atomic *a, int dirfd, const char *name, const char *tmp_prefix,
    mode_t mode)
{
	int ret = VG_ERR_NOMEM;

	*a = (struct vg_atomic){ .dirfd = -1, .fd = -1 };
	if (!*name || strchr(name, '/')) {
		errno = EINVAL;
		return VG_ERR_INVAL;
	}
	if (!(a->name = strdup(name)))
		goto fail;
	if ((a->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0)) < 0) {
		ret = VG_ERR_IO;
		goto fail;
	}
	if ((ret = open_temp(a, tmp_prefix, mode)) != VG_OK)
		goto fail;
	return VG_OK;
fail:;
	int saved = errno;
	release(a);
	errno = saved;
	return ret;
}

int
vg_atomic_commit(struct vg_atomic *a, unsigned flags)
{
	int ret = VG_OK, saved;

	if (fsync(a->fd) != 0) {
		ret = io_err();
		goto fail;
	}
	if (close(a->fd) != 0) {
		a->fd = -1;
		ret = io_err();
		goto fail;
	}
	a->fd = -1;
	if (flags & VG_ATOMIC_NOREPLACE) {
		if (renameat2(a->dirfd, a->tmp, a->dirfd, a->name, RENAME_NOREPLACE) != 0) {
			ret = errno == EEXIST ? VG_ERR_BUSY : VG_ERR_IO;
			goto fail;
		}
	} else if (renameat(a->dirfd, a->tmp, a->dirfd, a->name) != 0) {
		ret = VG_ERR_IO;
		goto fail;
	}
	if ((flags & VG_ATOMIC_SYNC_DIR) && fsync(a->dirfd) != 0)
		ret = io_err();	/* the content is in place; its name may not be durable */
	release(a);
	return ret;
fail:
	saved = errno;
	unlinkat(a->dirfd, a->tmp, 0);
	release(a);
	errno = saved;
	return ret;
}

void
vg_atomic_abort(struct vg_atomic *a)
{
	if (a->dirfd >= 0 && a->tmp) {
		int saved = errno;
		unlinkat(a->dirfd, a->tmp, 0);
		errno = saved;
	}
	release(a);
}

int
vg_atomic_write(const char *path, const void *data, size_t len, mode_t mode, unsigned flags)
{
	struct vg_atomic a;
	int ret = vg_atomic_open(&a, path, NULL, mode);
	if (ret != VG_OK)
		return ret;
	for (size_t off = 0; off < len;) {
		ssize_t w = write(a.fd, (const char *)data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			ret = w < 0 ? io_err() : VG_ERR_IO;
			vg_atomic_abort(&a);
			return ret;
		}
		off += (size_t)w;
	}
	return vg_atomic_commit(&a, flags);
}
