/* Tree walker over directory descriptors; see walk.h. The relative path lives in one
 * growing buffer: each open directory remembers where its part of the path ends. */
#include "core/walk.h"
#include "core/err.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct frame {
	DIR *d;
	size_t rel_len;		/* this directory's rel ends here */
	size_t name_off;	/* its name inside rel (unless it is the start entry) */
	int depth;
};

struct walker {
	char *rel;
	size_t cap;
	struct frame *st;
	size_t n, scap;
};

static int
rel_reserve(struct walker *w, size_t need)
{
	if (need <= w->cap)
		return VG_OK;
	size_t cap = w->cap ? w->cap : 256;
	while (cap < need)
		cap *= 2;
	char *n = realloc(w->rel, cap);
	if (!n)
		return VG_ERR_NOMEM;
	w->rel = n;
	w->cap = cap;
	return VG_OK;
}

static mode_t
dtype_mode(unsigned char t)
{
	switch (t) {
	case DT_REG:	return S_IFREG;
	case DT_DIR:	return S_IFDIR;
	case DT_LNK:	return S_IFLNK;
	case DT_FIFO:	return S_IFIFO;
	case DT_SOCK:	return S_IFSOCK;
	case DT_CHR:	return S_IFCHR;
	case DT_BLK:	return S_IFBLK;
	default:	return 0;
	}
}

/* Opens directory name of dirfd and pushes it; on failure tells fn. */
static int
push(struct walker *w, int dirfd, struct vg_walk_entry *e, size_t name_off, vg_walk_fn fn,
    void *arg)
{
	int fd = openat(dirfd, e->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		e->err = errno;
		if (fd >= 0)
			close(fd);
		e->event = VG_WALK_DIR_FAILED;
		int r = fn(arg, e);
		return r < 0 ? r : VG_OK;
	}
	if (w->n == w->scap) {
		size_t cap = w->scap ? w->scap * 2 : 16;
		struct frame *nf = realloc(w->st, cap * sizeof(*nf));
		if (!nf) {
			closedir(d);
			return VG_ERR_NOMEM;
		}
		w->st = nf;
		w->scap = cap;
	}
	w->st[w->n++] = (struct frame){ .d = d, .rel_len = e->rel_len, .name_off = name_off,
		.depth = e->depth };
	return VG_OK;
}

int
vg_walk(int at_fd, const char *name, const char *rel, int depth, unsigned flags,
    vg_walk_fn fn, void *arg)
{
	struct walker w = { 0 };
	struct stat st;
	struct vg_walk_entry e = { .event = VG_WALK_ENTRY, .dirfd = at_fd, .name = name,
		.depth = depth };
	size_t len = strlen(rel);
	int ret, r;

	if ((ret = rel_reserve(&w, len + 1)) != VG_OK)
		return ret;
	memcpy(w.rel, rel, len + 1);
	e.rel = w.rel;
	e.rel_len = len;
	if (fstatat(at_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		e.err = errno;
		r = fn(arg, &e);
		ret = r < 0 ? r : VG_OK;
		goto out;
	}
	e.st = &st;
	e.type = st.st_mode & S_IFMT;
	if ((r = fn(arg, &e)) < 0) {
		ret = r;
		goto out;
	}
	if (r == VG_WALK_SKIP || !S_ISDIR(st.st_mode))
		goto out;
	/* the start entry's name is the caller's, not a part of rel */
	if ((ret = push(&w, at_fd, &e, (size_t)-1, fn, arg)) != VG_OK)
		goto out;
	while (w.n > 0) {
		struct frame *f = &w.st[w.n - 1];
		struct dirent *de = readdir(f->d);
		if (!de) {
			struct frame done = *f;
			w.n--;
			if (flags & VG_WALK_POST) {
				w.rel[done.rel_len] = '\0';
				struct vg_walk_entry pe = { .event = VG_WALK_DIR_DONE,
					.dirfd = w.n ? dirfd(w.st[w.n - 1].d) : at_fd,
					.name = done.name_off == (size_t)-1 ? name : w.rel + done.name_off,
					.rel = w.rel, .rel_len = done.rel_len, .type = S_IFDIR,
					.depth = done.depth };
				r = fn(arg, &pe);
				if (r < 0) {
					closedir(done.d);
					ret = r;
					goto out;
				}
			}
			closedir(done.d);
			continue;
		}
		if (de->d_name[0] == '.' && (de->d_name[1] == '\0' ||
		    (de->d_name[1] == '.' && de->d_name[2] == '\0')))
			continue;
		size_t nlen = strlen(de->d_name), off = f->rel_len ? f->rel_len + 1 : 0;
		int fdir = dirfd(f->d), fdepth = f->depth;
		if ((ret = rel_reserve(&w, off + nlen + 1)) != VG_OK)
			goto out;
		f = NULL;	/* the stack does not move here, but keep no stale pointer */
		if (off)
			w.rel[off - 1] = '/';
		memcpy(w.rel + off, de->d_name, nlen + 1);
		e = (struct vg_walk_entry){ .event = VG_WALK_ENTRY, .dirfd = fdir,
			.name = w.rel + off, .rel = w.rel, .rel_len = off + nlen,
			.type = dtype_mode(de->d_type), .depth = fdepth + 1 };
		if (!e.type || (flags & VG_WALK_STAT)) {
			if (fstatat(fdir, e.name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
				e.err = errno;
				e.type = 0;
			} else {
				e.st = &st;
				e.type = st.st_mode & S_IFMT;
			}
		}
		if ((r = fn(arg, &e)) < 0) {
			ret = r;
			goto out;
		}
		if (r != VG_WALK_SKIP && S_ISDIR(e.type) &&
		    (ret = push(&w, fdir, &e, off, fn, arg)) != VG_OK)
			goto out;
	}
	ret = VG_OK;
out:
	while (w.n > 0)
		closedir(w.st[--w.n].d);
	free(w.st);
	free(w.rel);
	return ret;
}
