/* The judged host tree: every path opened relative to its top (see rootfs.h). */
#include "assess/rootfs.h"
#include "core/beneath.h"
#include "core/buf.h"
#include "core/err.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int
rootfs_open(const char *root, struct rootfs *rf)
{
	struct stat a, b;

	memset(rf, 0, sizeof(*rf));
	rf->fd = -1;
	if (!root || vg_strlcpy(rf->path, root, sizeof(rf->path)) != VG_OK)
		return VG_ERR_INVAL;
	if ((rf->fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return VG_ERR_IO;
	/* "the running system" is decided by identity, not by spelling ("/", "//", "/.") */
	rf->is_slash = fstat(rf->fd, &a) == 0 && stat("/", &b) == 0 && a.st_dev == b.st_dev &&
		       a.st_ino == b.st_ino;
	return VG_OK;
}

void
rootfs_close(struct rootfs *rf)
{
	if (rf && rf->fd >= 0)
		close(rf->fd);
	if (rf)
		rf->fd = -1;
}

int
rootfs_openat(const struct rootfs *rf, const char *abs, int flags)
{
	struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	const char *rel = abs;
	int fd;

	while (*rel == '/')
		rel++;
	if (!*rel)
		return openat(rf->fd, ".", flags | O_CLOEXEC);
	fd = (int)syscall(SYS_openat2, rf->fd, rel, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		fd = vg_open_beneath(rf->fd, rel, flags, 0);
	return fd;
}

int
rootfs_stat(const struct rootfs *rf, const char *abs, struct stat *st)
{
	int fd = rootfs_openat(rf, abs, O_PATH);

	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? VG_ERR_NOTFOUND : VG_ERR_IO;
	int r = fstat(fd, st) == 0 ? VG_OK : VG_ERR_IO;
	close(fd);
	return r;
}

int
rootfs_read(const struct rootfs *rf, const char *abs, size_t max, char **buf, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *b = NULL, *nb;
	ssize_t got;
	int fd, r = VG_OK;

	*buf = NULL;
	*len = 0;
	/* O_NONBLOCK: a FIFO planted where a config should be must not hang the run */
	if ((fd = rootfs_openat(rf, abs, O_RDONLY | O_NONBLOCK | O_NOCTTY)) < 0)
		return errno == ENOENT || errno == ENOTDIR ? VG_ERR_NOTFOUND : VG_ERR_IO;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		r = VG_ERR_IO;
		goto out;
	}
	if (!(b = malloc(cap + 1))) {
		r = VG_ERR_NOMEM;
		goto out;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= max) {
				r = VG_ERR_LIMIT;
				goto out;
			}
			cap = cap * 2 > max ? max : cap * 2;
			if (!(nb = realloc(b, cap + 1))) {
				r = VG_ERR_NOMEM;
				goto out;
			}
			b = nb;
		}
		got = read(fd, b + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			r = VG_ERR_IO;
			goto out;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	b = NULL;
out:
	free(b);
	close(fd);
	return r;
}

void
rootfs_hostname(const struct rootfs *rf, char *out, size_t size)
{
	char *text = NULL;
	size_t len = 0;

	if (rf->is_slash && gethostname(out, size) == 0 && out[0]) {
		out[size - 1] = '\0';
		return;
	}
	if (rootfs_read(rf, "/etc/hostname", 4096, &text, &len) == VG_OK && len) {
		size_t l = strcspn(text, "\r\n \t");
		if (l) {
			snprintf(out, size, "%.*s", (int)l, text);
			free(text);
			return;
		}
	}
	free(text);
	vg_strlcpy(out, rf->path, size);
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
rootfs_list(const struct rootfs *rf, const char *abs, bool (*keep)(void *arg, const char *name),
    void *arg, size_t max, char ***names, size_t *n)
{
	int fd = rootfs_openat(rf, abs, O_RDONLY | O_DIRECTORY);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	char **v = NULL;
	int r = VG_OK;

	*names = NULL;
	*n = 0;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return VG_ERR_NOTFOUND;
	}
	if (!(v = calloc(max ? max : 1, sizeof(*v)))) {
		closedir(d);
		return VG_ERR_NOMEM;
	}
	while ((de = readdir(d)) && *n < max) {
		if (keep ? !keep(arg, de->d_name) : de->d_name[0] == '.')
			continue;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (!(v[*n] = strdup(de->d_name))) {
			r = VG_ERR_NOMEM;
			break;
		}
		(*n)++;
	}
	closedir(d);
	qsort(v, *n, sizeof(*v), cmp_name);
	*names = v;
	return r;
}

void
rootfs_names_free(char **names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}
