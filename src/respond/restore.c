/* Putting web-root files back: installing a baseline entry from the object store
 * (temp file beside it, fsync, rename, re-hash while something races it) and moving
 * what an attacker added into backup_dir/removed/<root>/<time>/<path>, never unlinking. */
#include "respond/restore.h"
#include "backup/objstore.h"
#include "core/atomic.h"
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

int
protect_restore_entry(struct protect *p, const char *dest_root, const struct mf_entry *e,
    int *attempts)
{
	char full[PATH_MAX], tmp[PATH_MAX], hex[OBJ_HEX_SIZE], dir[PATH_MAX];
	int ret = VG_ERR_BUSY;

	*attempts = 0;
	if (protect_path_join(full, sizeof(full), dest_root, e->path) != VG_OK)
		return VG_ERR_INVAL;	/* path too long */
	vg_strlcpy(dir, full, sizeof(dir));
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	if (e->type == MF_DIR) {
		if (mkdir(full, e->mode) != 0 && errno != EEXIST)
			return VG_ERR_IO;
		int fd = open(full, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return VG_ERR_IO;
		apply_meta_fd(fd, e);
		close(fd);
		*attempts = 1;
		return VG_OK;
	}
	if (e->type == MF_LINK) {
		for (int i = 0; i < PROTECT_RESTORE_ATTEMPTS; i++) {
			char got[PATH_MAX];
			if (snprintf(tmp, sizeof(tmp), "%s/.vigil-restore.%d.%ld", dir, (int)getpid(),
			    (long)random()) >= (int)sizeof(tmp))
				return VG_ERR_INVAL;
			(*attempts)++;
			if (symlink(e->target ? e->target : "", tmp) != 0)
				return VG_ERR_IO;
			if (geteuid() == 0 && lchown(tmp, e->uid, e->gid) != 0) {
				/* best effort */
			}
			if (rename(tmp, full) != 0) {
				unlink(tmp);
				return VG_ERR_IO;
			}
			ssize_t n = readlink(full, got, sizeof(got) - 1);
			if (n >= 0) {
				got[n] = '\0';
				if (strcmp(got, e->target ? e->target : "") == 0)
					return VG_OK;
			}
		}
		return VG_ERR_BUSY;
	}
	if (e->type != MF_FILE)
		return VG_ERR_FORMAT;	/* FIFOs and devices are not recreated */
	if (!e->sha256[0])
		return VG_ERR_NOTFOUND;	/* was unreadable at snapshot time */
	for (int i = 0; i < PROTECT_RESTORE_ATTEMPTS; i++) {
		struct vg_atomic a;
		if ((ret = vg_atomic_open(&a, full, ".vigil-restore.", 0600)) != VG_OK)
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
		if (objstore_hash_path(full, p->buf, OBJ_BUF_SIZE, hex, NULL) == VG_OK &&
		    strcmp(hex, e->sha256) == 0)
			return VG_OK;
		ret = VG_ERR_BUSY;
	}
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

/* Copies src (not following symlinks) to dst, then removes src; a directory is done
 * bottom-up. */
static int
copy_out(struct protect *p, const char *src, const char *dst)
{
	struct copy_out c = { .p = p, .dst = dst };
	return vg_walk(AT_FDCWD, src, "", 0, VG_WALK_STAT | VG_WALK_POST, copy_out_entry, &c);
}

/* Moves root/rel into backup_dir/removed/<root>/<time>/<rel>; out gets the new path. */
int
protect_move_aside(struct protect *p, const struct protect_root *r, const char *rel, char *out,
    size_t size)
{
	char src[PATH_MAX], id[PROTECT_ID_SIZE], parent[PATH_MAX];
	int ret;

	protect_make_id(id, sizeof(id));
	if (protect_path_join(src, sizeof(src), r->path, rel) != VG_OK ||
	    snprintf(out, size, "%s/removed/%s/%s/%s", p->backup_dir, r->name, id, rel) >=
	    (int)size)
		return VG_ERR_LIMIT;
	vg_strlcpy(parent, out, sizeof(parent));
	*strrchr(parent, '/') = '\0';
	if ((ret = vg_mkdir_p(parent, 0700)) != VG_OK)
		return ret;
	if (rename(src, out) == 0)
		return VG_OK;
	if (errno == ENOENT)
		return VG_ERR_NOTFOUND;
	if (errno != EXDEV)
		return VG_ERR_IO;
	/* another file system (backup_dir on a different mount): copy, then remove */
	return copy_out(p, src, out);
}

int
protect_fix_meta(const char *root, const struct mf_entry *e)
{
	char full[PATH_MAX];
	if (protect_path_join(full, sizeof(full), root, e->path) != VG_OK)
		return VG_ERR_LIMIT;
	if (e->type != MF_LINK && fchmodat(AT_FDCWD, full, e->mode, 0) != 0)
		return VG_ERR_IO;
	if (geteuid() == 0 && lchown(full, e->uid, e->gid) != 0)
		return VG_ERR_IO;
	return VG_OK;
}

int
protect_restore_into(struct protect *p, const struct manifest *m, const char *rel,
    const char *dir, bool dry_run, restore_into_fn fn, void *arg, size_t *done,
    size_t *failed)
{
	*done = *failed = 0;
	if (vg_mkdir_p(dir, 0755) != VG_OK)
		return VG_ERR_IO;
	for (size_t i = manifest_lower_bound(m, rel); i < m->n; i++) {
		const struct mf_entry *e = &m->e[i];
		int attempts, rr;
		if (!mf_path_within(e->path, rel))
			break;
		if (!*e->path)
			continue;	/* the root itself is dir */
		if (dry_run) {
			fn(arg, e, VG_OK);
			continue;
		}
		if (e->type == MF_DIR && *rel && strchr(e->path, '/')) {
			/* parents of a single path */
			char par[PATH_MAX];
			snprintf(par, sizeof(par), "%s/%s", dir, e->path);
			vg_mkdir_p(par, 0755);
		} else if (*rel) {
			char par[PATH_MAX], *s;
			snprintf(par, sizeof(par), "%s/%s", dir, e->path);
			if ((s = strrchr(par, '/')) && s != par) {
				*s = '\0';
				vg_mkdir_p(par, 0755);
			}
		}
		rr = protect_restore_entry(p, dir, e, &attempts);
		if (rr == VG_OK)
			(*done)++;
		else
			(*failed)++;
		if (rr != VG_OK)
			fn(arg, e, rr);
	}
	return VG_OK;
}
