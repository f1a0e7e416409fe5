/* A host tree to judge (/ or a copied/mounted system under --root), read through a
 * directory descriptor of its top. Paths inside it resolve as a chroot would see
 * them: openat2(RESOLVE_IN_ROOT) makes absolute symlinks (/etc/localtime,
 * /bin -> usr/bin) resolve inside the tree and ".." stop at its top, so a planted
 * link cannot make the judgement read the judge's own files. core/beneath refuses
 * every symlink, which a real system tree is full of; it is the fallback on kernels
 * without openat2. */
#ifndef VG_ASSESS_ROOTFS_H
#define VG_ASSESS_ROOTFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

struct rootfs {
	int fd;			/* the tree's top */
	bool is_slash;		/* the running system itself: commands and /proc are live */
	char path[512];		/* as given, for messages */
};

#define ROOTFS_READ_MAX (8u << 20)	/* files judged are configs and logs' configs */

/* Opens root (a directory). 0, VG_ERR_IO (errno) or VG_ERR_INVAL (too long). */
int rootfs_open(const char *root, struct rootfs *rf);
void rootfs_close(struct rootfs *rf);
/* Opens abs (an absolute path inside the tree) with flags (O_CLOEXEC added); -1 and
 * errno on failure. */
int rootfs_openat(const struct rootfs *rf, const char *abs, int flags);
/* Reads abs whole into a new NUL-terminated buffer (*buf, caller frees; *len bytes).
 * VG_ERR_NOTFOUND when it does not exist (ENOENT/ENOTDIR), VG_ERR_LIMIT over max
 * bytes (nothing returned), VG_ERR_IO otherwise. */
int rootfs_read(const struct rootfs *rf, const char *abs, size_t max, char **buf, size_t *len);
/* stat of abs inside the tree (following links inside it). 0 / VG_ERR_NOTFOUND / VG_ERR_IO. */
int rootfs_stat(const struct rootfs *rf, const char *abs, struct stat *st);

/* The names in the tree's directory abs that keep(arg, name) accepts (keep NULL:
 * all but dot files), sorted as glob(3) sorts them, at most max. *names is a new
 * array of new strings (rootfs_names_free). 0, VG_ERR_NOTFOUND when abs is no
 * directory there, VG_ERR_NOMEM. */
int rootfs_list(const struct rootfs *rf, const char *abs, bool (*keep)(void *arg, const char *name),
    void *arg, size_t max, char ***names, size_t *n);
void rootfs_names_free(char **names, size_t n);

/* The tree's host name: this host's for the running system, else its /etc/hostname,
 * else the path given. */
void rootfs_hostname(const struct rootfs *rf, char *out, size_t size);

#endif
