/* Single-instance locks (see lockfile.h). Open-file-description locks: unlike
 * classic fcntl locks they are not dropped when another descriptor of the file is
 * closed, and unlike flock they can be tested (F_OFD_GETLK) without being taken,
 * so `vigil status` never makes a starting `watch` fail. */
#include "core/lockfile.h"
#include "core/err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
vg_lockfile_path(const char *guarded, char *out, size_t size)
{
	int w = snprintf(out, size, "%s.lock", guarded);
	return w < 0 || (size_t)w >= size ? VG_ERR_LIMIT : VG_OK;
}

static long
read_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	char *end;
	long pid;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	pid = strtol(buf, &end, 10);
	return errno || end == buf || pid <= 0 ? 0 : pid;
}

int
vg_lockfile_take(const char *path, int *fd, long *holder)
{
	char pid[32];
	int f, n;

	*fd = -1;
	*holder = 0;
	f = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
	if (f < 0)
		return VG_ERR_IO;
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	if (fcntl(f, F_OFD_SETLK, &fl) != 0) {
		int e = errno;
		bool busy = e == EAGAIN || e == EACCES;
		if (busy)
			*holder = read_pid(f);
		close(f);
		errno = e;
		return busy ? VG_ERR_BUSY : VG_ERR_IO;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(f, 0) != 0 || pwrite(f, pid, (size_t)n, 0) != n) {
		int e = errno;
		close(f);
		errno = e;
		return VG_ERR_IO;
	}
	*fd = f;
	return VG_OK;
}

bool
vg_lockfile_held(const char *path, long *holder)
{
	int f = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	bool held = false;

	*holder = 0;
	if (f < 0)
		return false;
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
	if (fcntl(f, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK) {
		held = true;
		*holder = read_pid(f);
	}
	close(f);
	return held;
}
