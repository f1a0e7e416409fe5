/* Putting web-root files back: installing a baseline entry from the object store
 * (temp file beside it, fsync, rename, re-hash while something races it) and moving
 * what an attacker added into backup_dir/removed/<root>/<time>/<path>, never unlinking.
 * Every path is resolved beneath the root's descriptor (core/beneath.h): a directory
 * swapped for a symlink mid-restore makes the step fail with ELOOP, never write through. */
#include "respond/restore.h"
#include "backup/objstore.h"
#include "core/atomic.h"
#include "core/beneath.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/paths.h"
#include "core/walk.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* close(fd) keeping errno: callers report why the step before it failed. */
static void
close_keep_errno(int fd)
{
	int saved = errno;
	close(fd);
	errno = saved;
}

static void
apply_meta_fd(int fd, const struct mf_entry *e)
{
	struct timespec ts[2] = { { .tv_nsec = UTIME_OMIT }, { .tv_sec = e->mtime } };
	if (geteuid() == 0 && fchown(fd, e->uid, e->gid) != 0) {
		/* best effort: the content matters most */
	}
	if (fchmod(fd, e->mode) != 0) {
		/* idem */
	}
	futimens(fd, ts);
}

/* Where e goes: its parent directory resolved beneath rootfd (no symlink followed, the
 * missing ones created with bflags VG_BENEATH_MKDIR). -1 with errno set. */
static int
open_parent(int rootfd, const char *path, unsigned bflags, const char **leaf)
{
	int fd = vg_open_parent_beneath(rootfd, path, bflags, 0755, leaf);
	if (fd < 0 && (errno == EXDEV || errno == EINVAL) && *leaf)
		errno = ELOOP;	/* the kernel saw the path leave the root */
	return fd;
}

static int
restore_link(int dfd, const char *leaf, const struct mf_entry *e, int *attempts)
{
	const char *target = e->target ? e->target : "";
	char tmp[64], got[PATH_MAX];

	for (int i = 0; i < PROTECT_RESTORE_ATTEMPTS; i++) {
		snprintf(tmp, sizeof(tmp), ".vigil-restore.%d.%ld", (int)getpid(), (long)random());
		(*attempts)++;
		if (symlinkat(target, dfd, tmp) != 0)
			return VG_ERR_IO;
		if (geteuid() == 0 && fchownat(dfd, tmp, e->uid, e->gid, AT_SYMLINK_NOFOLLOW) != 0) {
			/* best effort */
		}
		if (renameat(dfd, tmp, dfd, leaf) != 0) {
			int saved = errno;
			unlinkat(dfd, tmp, 0);
			errno = saved;
			return VG_ERR_IO;
		}
		ssize_t n = readlinkat(dfd, leaf, got, sizeof(got) - 1);
		if (n >= 0) {
			got[n] = '\0';
			if (strcmp(got, target) == 0)
				return VG_OK;
		}
	}
	return VG_ERR_BUSY;
}

/* Hash of leaf in dfd if it is a regular file (never following a symlink). */
static int
hash_leaf(struct protect *p, int dfd, const char *leaf, char hex[OBJ_HEX_SIZE])
{
	struct stat st;
	int fd = openat(dfd, leaf, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), ret;
	if (fd < 0)
		return VG_ERR_IO;
	ret = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ?
	    objstore_hash_fd(fd, p->buf, OBJ_BUF_SIZE, hex, NULL) : VG_ERR_FORMAT;
	close(fd);
	return ret;
}

static int
restore_file(struct protect *p, int dfd, const char *leaf, const struct mf_entry *e,
    int *attempts)
{
	char hex[OBJ_HEX_SIZE];
	int ret = VG_ERR_BUSY;

	if (!e->sha256[0])
		return VG_ERR_NOTFOUND;	/* was unreadable at snapshot time */
	for (int i = 0; i < PROTECT_RESTORE_ATTEMPTS; i++) {
		struct vg_atomic a;
		if ((ret = vg_atomic_openat(&a, dfd, leaf, ".vigil-restore.", 0600)) != VG_OK)
			return ret;
		(*attempts)++;
		ret = objstore_copy_to_fd(p->backup_dir, e->sha256, a.fd, p->buf, OBJ_BUF_SIZE);
		if (ret == VG_ERR_IO && (errno == ENOSPC || errno == EDQUOT))
			ret = VG_ERR_LIMIT;	/* full disk: say so */
		if (ret != VG_OK) {
			vg_atomic_abort(&a);	/* a corrupted object is never installed */
			return ret;
		}
		apply_meta_fd(a.fd, e);
		if ((ret = vg_atomic_commit(&a, 0)) != VG_OK)
			return ret;
		/* re-check: an attacker may have rewritten it between rename and now */
		if (hash_leaf(p, dfd, leaf, hex) == VG_OK && strcmp(hex, e->sha256) == 0)
			return VG_OK;
		ret = VG_ERR_BUSY;
	}
	return ret;
}

/* protect_restore_entry relative to an open root directory. */
static int
restore_entry_at(struct protect *p, int rootfd, const struct mf_entry *e, unsigned bflags,
    int *attempts)
{
	const char *leaf;
	int dfd, fd, ret;

	*attempts = 0;
	if (!*e->path) {	/* the root itself: only its metadata */
		if (e->type != MF_DIR)
			return VG_ERR_FORMAT;
		apply_meta_fd(rootfd, e);
		*attempts = 1;
		return VG_OK;
	}
	if (e->type != MF_FILE && e->type != MF_DIR && e->type != MF_LINK)
		return VG_ERR_FORMAT;	/* FIFOs and devices are not recreated */
	if ((dfd = open_parent(rootfd, e->path, bflags, &leaf)) < 0)
		return VG_ERR_IO;
	if (e->type == MF_DIR) {
		ret = VG_ERR_IO;
		if (mkdirat(dfd, leaf, e->mode) != 0 && errno != EEXIST)
			goto out;
		if ((fd = openat(dfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			goto out;
		apply_meta_fd(fd, e);
		close(fd);
		*attempts = 1;
		ret = VG_OK;
	} else if (e->type == MF_LINK) {
		ret = restore_link(dfd, leaf, e, attempts);
	} else {
		ret = restore_file(p, dfd, leaf, e, attempts);
	}
out:
	close_keep_errno(dfd);
	return ret;
}

int
protect_restore_entry(struct protect *p, const char *dest_root, const struct mf_entry *e,
    int *attempts)
{
	int rootfd, ret;

	*attempts = 0;
	if ((rootfd = open(dest_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return VG_ERR_IO;
	ret = restore_entry_at(p, rootfd, e, 0, attempts);
	close_keep_errno(rootfd);
	return ret;
}

struct copy_out {
	struct protect *p;
	const char *dst;
};

/* One entry of a cross-device move: copied beside dst, then removed from the web root
 * (a directory once its children are gone). Special files have nothing to keep. */
static int
copy_out_entry(void *arg, const struct vg_walk_entry *e)
{
	struct copy_out *c = arg;
	char dst[PATH_MAX];
	int ret = VG_OK;

	if (e->event == VG_WALK_DIR_FAILED)
		return VG_ERR_IO;
	if (e->event == VG_WALK_DIR_DONE)
		return unlinkat(e->dirfd, e->name, AT_REMOVEDIR) == 0 ? 0 : VG_ERR_IO;
	if (!e->st)
		return e->err == ENOENT ? 0 : VG_ERR_IO;
	if (protect_path_join(dst, sizeof(dst), c->dst, e->rel) != VG_OK)
		return VG_ERR_LIMIT;
	if (S_ISDIR(e->type)) {
		if (e->depth > MF_MAX_DEPTH)
			return VG_ERR_LIMIT;
		return mkdir(dst, 0700) != 0 && errno != EEXIST ? VG_ERR_IO : 0;
	}
	if (S_ISLNK(e->type)) {
		char t[PATH_MAX];
		ssize_t n = readlinkat(e->dirfd, e->name, t, sizeof(t) - 1);
		if (n < 0)
			return VG_ERR_IO;
		t[n] = '\0';
		if (symlink(t, dst) != 0 && errno != EEXIST)
			return VG_ERR_IO;
	} else if (S_ISREG(e->type)) {
		int in = openat(e->dirfd, e->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		int out;
		ssize_t n;
		if (in < 0)
			return VG_ERR_IO;
		if ((out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
			close(in);
			return VG_ERR_IO;
		}
		while ((n = read(in, c->p->buf, OBJ_BUF_SIZE)) > 0)
			if (write(out, c->p->buf, (size_t)n) != n) {
				ret = errno == ENOSPC ? VG_ERR_LIMIT : VG_ERR_IO;
				break;
			}
		if (n < 0 || fsync(out) != 0)
			ret = VG_ERR_IO;
		close(in);
		close(out);
		if (ret != VG_OK) {
			unlink(dst);
			return ret;
		}
	}
	return unlinkat(e->dirfd, e->name, 0) == 0 ? 0 : VG_ERR_IO;
}

/* Copies dirfd/name (not following symlinks) to dst, then removes it; a directory is
 * done bottom-up. */
static int
copy_out(struct protect *p, int dirfd, const char *name, const char *dst)
{
	struct copy_out c = { .p = p, .dst = dst };
	return vg_walk(dirfd, name, "", 0, VG_WALK_STAT | VG_WALK_POST, copy_out_entry, &c);
}

/* Opens root and the parent of rel beneath it; -1 with errno set. */
static int
open_root_parent(const char *root, const char *rel, const char **leaf)
{
	int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC), dfd;
	*leaf = NULL;
	if (rootfd < 0)
		return -1;
	dfd = open_parent(rootfd, rel, 0, leaf);
	close_keep_errno(rootfd);
	return dfd;
}

/* Moves root/rel into backup_dir/removed/<root>/<time>/<rel>; out gets the new path.
 * rel is taken from beneath the root's descriptor: a parent swapped for a symlink is
 * never followed (ELOOP). */
int
protect_move_aside(struct protect *p, const struct protect_root *r, const char *rel, char *out,
    size_t size)
{
	char id[PROTECT_ID_SIZE], parent[PATH_MAX];
	const char *leaf;
	int ret, dfd = -1;

	protect_make_id(id, sizeof(id));
	if (snprintf(out, size, "%s/removed/%s/%s/%s", p->backup_dir, r->name, id, rel) >=
	    (int)size)
		return VG_ERR_LIMIT;
	vg_strlcpy(parent, out, sizeof(parent));
	*strrchr(parent, '/') = '\0';
	if ((dfd = open_root_parent(r->path, rel, &leaf)) < 0)
		return errno == ENOENT ? VG_ERR_NOTFOUND : VG_ERR_IO;
	if ((ret = vg_mkdir_p(parent, 0700)) != VG_OK)
		goto out;
	ret = VG_OK;
	if (renameat(dfd, leaf, AT_FDCWD, out) == 0)
		goto out;
	ret = errno == ENOENT ? VG_ERR_NOTFOUND : errno != EXDEV ? VG_ERR_IO :
	    /* another file system (backup_dir on a different mount): copy, then remove */
	    copy_out(p, dfd, leaf, out);
out:
	close_keep_errno(dfd);
	return ret;
}

int
protect_fix_meta(const char *root, const struct mf_entry *e)
{
	const char *leaf;
	int dfd, ret = VG_OK;

	if (!*e->path)
		return VG_OK;	/* the root's own mode is the administrator's */
	if ((dfd = open_root_parent(root, e->path, &leaf)) < 0)
		return VG_ERR_IO;
	if (e->type != MF_LINK && fchmodat(dfd, leaf, e->mode, AT_SYMLINK_NOFOLLOW) != 0)
		ret = VG_ERR_IO;
	else if (geteuid() == 0 && fchownat(dfd, leaf, e->uid, e->gid, AT_SYMLINK_NOFOLLOW) != 0)
		ret = VG_ERR_IO;
	close_keep_errno(dfd);
	return ret;
}

int
protect_restore_into(struct protect *p, const struct manifest *m, const char *rel,
    const char *dir, bool dry_run, restore_into_fn fn, void *arg, size_t *done,
    size_t *failed)
{
	int rootfd;

	*done = *failed = 0;
	if (vg_mkdir_p(dir, 0755) != VG_OK)
		return VG_ERR_IO;
	/* dir is the operator's; everything below it comes from the manifest and is
	 * resolved beneath it, so an out2/sub symlink is refused, not written through */
	if ((rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return VG_ERR_IO;
	for (size_t i = manifest_next_within(m, rel, manifest_lower_bound(m, rel)); i < m->n;
	    i = manifest_next_within(m, rel, i + 1)) {
		const struct mf_entry *e = &m->e[i];
		int attempts, rr;
		if (!*e->path)
			continue;	/* the root itself is dir */
		if (dry_run) {
			fn(arg, e, VG_OK);
			continue;
		}
		rr = restore_entry_at(p, rootfd, e, *rel ? VG_BENEATH_MKDIR : 0, &attempts);
		if (rr == VG_OK)
			(*done)++;
		else
			(*failed)++;
		if (rr != VG_OK)
			fn(arg, e, rr);
	}
	close(rootfd);
	return VG_OK;
}
