/* Quarantine vault. The file leaves the web root first (rename, or copy+fsync+unlink
 * across file systems) and is hashed afterwards from inside the vault, so an attacker
 * rewriting it meanwhile cannot make the stored hash lie about the stored bytes.
 * Records live in the vault's own store (quarantine_store.c), one short connection
 * per quarantine or restore: scan's worker threads each open their own. */
#include "respond/quarantine.h"
#include "respond/quarantine_store.h"

#include "backup/objstore.h"
#include "core/buf.h"
#include "core/atomic.h"
#include "core/beneath.h"
#include "core/err.h"
#include "core/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define IO_CHUNK 65536
#define LIST_MAX 100000		/* hard cap on entries read back */
/* Vault and target paths are checked against this up front, so every name built
 * from them below (plus a 64-char hash and a short suffix) fits in PATH_MAX. */
#define ROOT_MAX (PATH_MAX - 512)

/* snprintf for file names; VG_ERR_LIMIT if cut. A function so that every caller
 * gets the length check without repeating it. */
__attribute__((format(printf, 3, 4))) static int
pathf(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= size ? VG_ERR_LIMIT : VG_OK;
}

static int
ensure_dir(const char *path)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST) {
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return VG_OK;
		errno = ENOTDIR;
	}
	return VG_ERR_IO;
}

static void
fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Copies in to a new file at dst (O_EXCL, mode 0600), hashing what it writes;
 * fsyncs before returning. */
static int
copy_fd_to(int in, const char *dst, char hex[OBJ_HEX_SIZE])
{
	unsigned char *buf = malloc(IO_CHUNK);
	int out = -1, ret = VG_ERR_IO;

	if (!buf)
		return VG_ERR_NOMEM;
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (out < 0)
		goto out;
	if (objstore_hash_copy_fd(in, out, buf, IO_CHUNK, hex, NULL) != VG_OK)
		goto out;
	if (fsync(out) != 0)
		goto out;
	ret = VG_OK;
out:
	if (out >= 0 && close(out) != 0 && ret == VG_OK)
		ret = VG_ERR_IO;
	if (ret != VG_OK && out >= 0) {
		int e = errno;
		unlink(dst);
		errno = e;
	}
	free(buf);
	return ret;
}

static int
hash_fd(int fd, char hex[OBJ_HEX_SIZE])
{
	unsigned char *buf = malloc(IO_CHUNK);
	int ret;

	if (!buf)
		return VG_ERR_NOMEM;
	ret = objstore_hash_fd(fd, buf, IO_CHUNK, hex, NULL);
	free(buf);
	return ret;
}

/* The record's original path: realpath(root) + "/" + rel (root is the operator's or the
 * configuration's; rel was resolved beneath it and is kept as it is). */
static int
record_path(const char *root, const char *rel, char *out, size_t size)
{
	char *rd = realpath(root, NULL);
	int ret = VG_ERR_IO;

	if (!rd)
		return VG_ERR_IO;
	if (snprintf(out, size, "%s/%s", strcmp(rd, "/") == 0 ? "" : rd, rel) < (int)size)
		ret = VG_OK;
	else
		ret = VG_ERR_LIMIT;
	free(rd);
	return ret;
}

/* Writes e's record under the first free id: "<sha256 prefix>-<time>[-n]". */
static int
record_new(const char *vault, struct quarantine_entry *e, char *err, size_t err_size)
{
	struct vg_store *st = NULL;
	int ret = quarantine_store_open(vault, true, &st, err, err_size);
	bool done = false;

	for (int n = 1; ret == VG_OK && !done && n < 1000; n++) {
		if (n == 1)
			snprintf(e->id, sizeof(e->id), "%.16s-%lld", e->sha256, e->quarantined_at);
		else
			snprintf(e->id, sizeof(e->id), "%.16s-%lld-%d", e->sha256,
			    e->quarantined_at, n);
		ret = store_quarantine_add(st, e);
		done = ret == VG_OK;
		if (ret == VG_ERR_BUSY)
			ret = VG_OK;	/* taken: the next suffix */
	}
	if (ret == VG_OK && !done)
		ret = VG_ERR_BUSY;
	if (ret != VG_OK && st && !err[0])
		snprintf(err, err_size, "%s", store_errmsg(st));
	store_close(st);
	return ret;
}

/* Fallback when the move failed (vault unwritable, disk full): strip every
 * permission bit so the web server can neither run nor serve the file. Opened with
 * O_NOFOLLOW and checked to be the same inode, so a symlink swapped in meanwhile
 * cannot redirect the chmod to some other file. */
static int
neutralise_in_place(int dirfd, const char *leaf, const struct stat *orig)
{
	struct stat st;
	int fd = openat(dirfd, leaf, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	int ret = VG_ERR_IO;

	if (fd < 0)
		return VG_ERR_IO;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_ino == orig->st_ino &&
	    st.st_dev == orig->st_dev && fchmod(fd, 0) == 0)
		ret = VG_OK;
	close(fd);
	return ret;
}

int
quarantine_file_at(const char *vault, int rootfd, const char *root, const char *rel,
    const struct webshell_finding *f, char *id_out, char *err, size_t err_size)
{
	char objdir[PATH_MAX], tmp[PATH_MAX], obj[PATH_MAX], serr[512];
	struct quarantine_entry *e = NULL;
	struct stat st, st2;
	const char *leaf = NULL, *path = rel;
	int fd = -1, pfd = -1, ret;
	bool moved = false, is_reg = false;

	if (id_out)
		id_out[0] = '\0';
	err[0] = '\0';
	if (!vault || !root || !rel || !id_out)
		return VG_ERR_INVAL;
	if (strlen(vault) > ROOT_MAX) {
		snprintf(err, err_size, "vault path too long");
		return VG_ERR_LIMIT;
	}
	if (!(e = calloc(1, sizeof(*e))))
		return VG_ERR_NOMEM;
	if (record_path(root, rel, e->original_path, sizeof(e->original_path)) != VG_OK) {
		snprintf(err, err_size, "%s/%s: cannot resolve the root: %s", root, rel,
		    strerror(errno));
		ret = VG_ERR_IO;
		goto out;
	}
	path = e->original_path;
	/* the parent is resolved beneath the root with no symlink on the way: a directory
	 * swapped for a link to a decoy makes the move fail, never move the decoy's file */
	if ((pfd = vg_open_parent_beneath(rootfd, rel, 0, 0, &leaf)) < 0) {
		snprintf(err, err_size, "%s: %s", path, errno == ELOOP ? "a directory on the way "
		    "is a symlink; not followed" : strerror(errno));
		ret = errno == ENOENT ? VG_ERR_NOTFOUND : VG_ERR_IO;
		goto out;
	}
	if (fstatat(pfd, leaf, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		ret = errno == ENOENT ? VG_ERR_NOTFOUND : VG_ERR_IO;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, err_size, "%s: not a regular file; not quarantined", path);
		ret = VG_ERR_FORMAT;
		goto out;
	}
	is_reg = true;
	(void)pathf(objdir, sizeof(objdir), "%s/objects", vault);
	if (ensure_dir(vault) || ensure_dir(objdir)) {
		snprintf(err, err_size, "%s: cannot create vault: %s", vault, strerror(errno));
		ret = VG_ERR_IO;
		goto out;
	}
	(void)pathf(tmp, sizeof(tmp), "%s/.incoming-%ld-%lld-%llx", objdir, (long)getpid(),
	    (long long)time(NULL), (unsigned long long)st.st_ino);

	/* Take it out of the web root first; hash afterwards, inside the vault. */
	if (renameat(pfd, leaf, AT_FDCWD, tmp) == 0) {
		moved = true;
		fd = open(tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st2) != 0 || hash_fd(fd, e->sha256) != VG_OK) {
			snprintf(err, err_size, "%s: cannot read moved file: %s", tmp, strerror(errno));
			ret = VG_ERR_IO;
			goto out;
		}
	} else if (errno == EXDEV) {
		fd = openat(pfd, leaf, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st2) != 0 || !S_ISREG(st2.st_mode) ||
		    st2.st_ino != st.st_ino || st2.st_dev != st.st_dev) {
			snprintf(err, err_size, "%s: changed or unreadable while quarantining", path);
			ret = VG_ERR_IO;
			goto out;
		}
		if ((ret = copy_fd_to(fd, tmp, e->sha256)) != VG_OK) {
			snprintf(err, err_size, "%s: copy into vault failed: %s", path,
			    strerror(errno));
			goto out;
		}
		moved = true;
		if (unlinkat(pfd, leaf, 0) != 0) {
			snprintf(err, err_size, "%s: copied to the vault but cannot remove it: %s",
			    path, strerror(errno));
			unlink(tmp);
			ret = VG_ERR_IO;
			goto out;
		}
	} else {
		snprintf(err, err_size, "%s: cannot move into %s: %s", path, vault, strerror(errno));
		ret = errno == ENOENT ? VG_ERR_NOTFOUND : VG_ERR_IO;
		goto out;
	}
	chmod(tmp, 0);
	(void)pathf(obj, sizeof(obj), "%s/%s", objdir, e->sha256);
	/* Same bytes already in the vault: keep one object (content-addressed). */
	if (access(obj, F_OK) == 0) {
		unlink(tmp);
	} else if (rename(tmp, obj) != 0) {
		snprintf(err, err_size, "%s: cannot name object: %s", obj, strerror(errno));
		ret = VG_ERR_IO;
		goto out;
	}
	fsync_dir(objdir);

	e->mode = st.st_mode & 07777;
	e->uid = st.st_uid;
	e->gid = st.st_gid;
	e->size = (long long)st2.st_size;
	e->mtime = (long long)st.st_mtime;
	e->quarantined_at = (long long)time(NULL);
	e->score = f ? f->score : -1;
	if (f) {
		vg_strlcpy(e->rules, f->rules, sizeof(e->rules));
		vg_strlcpy(e->families, f->families, sizeof(e->families));
	}
	ret = record_new(vault, e, serr, sizeof(serr));
	if (ret != VG_OK) {
		/* The file is safe in the vault; only the record is missing. Say where. */
		snprintf(err, err_size, "%s: moved to %s but the record could not be written: %s",
		    path, obj, serr[0] ? serr : vg_strerror(ret));
		goto out;
	}
	vg_strlcpy(id_out, e->id, QUARANTINE_ID_MAX);
	/* Other hard links still expose the same bytes elsewhere; say so. */
	if (st.st_nlink > 1)
		snprintf(err, err_size, "%s: quarantined, but %lu other hard link(s) to the same "
		    "file remain elsewhere", path, (unsigned long)st.st_nlink - 1);
	ret = VG_OK;
out:
	if (ret != VG_OK && moved && fd >= 0 && access(tmp, F_OK) == 0)
		chmod(tmp, 0);	/* whatever happened, leave nothing executable */
	if (ret != VG_OK && is_reg && neutralise_in_place(pfd, leaf, &st) == VG_OK) {
		size_t l = strlen(err);
		snprintf(err + l, err_size - l, "; the file stays but its permissions were "
		    "removed (mode 000)");
	}
	if (fd >= 0)
		close(fd);
	if (pfd >= 0)
		close(pfd);
	free(e);
	return ret;
}

int
quarantine_file(const char *vault, const char *path, const struct webshell_finding *f,
    char *id_out, char *err, size_t err_size)
{
	char *d = NULL, *b = NULL;
	int dfd = -1, ret;

	if (id_out)
		id_out[0] = '\0';
	err[0] = '\0';
	if (!path || !id_out)
		return VG_ERR_INVAL;
	if (!(d = strdup(path)) || !(b = strdup(path))) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	/* the operator named this path: its directory is taken as given */
	const char *dir = dirname(d), *leaf = basename(b);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		ret = errno == ENOENT ? VG_ERR_NOTFOUND : VG_ERR_IO;
		goto out;
	}
	ret = quarantine_file_at(vault, dfd, dir, leaf, f, id_out, err, err_size);
out:
	if (dfd >= 0)
		close(dfd);
	free(d);
	free(b);
	return ret;
}

int
quarantine_scan_and_act_at(struct webshell_scanner *s, const char *vault, int rootfd,
    const char *root, const char *rel, const char *shown, struct webshell_finding *f,
    char *id_out, char *err, size_t err_size)
{
	int fd, ret;

	id_out[0] = '\0';
	err[0] = '\0';
	/* O_NONBLOCK: a FIFO swapped in never blocks the open; fstat then refuses it */
	fd = vg_open_beneath_long(rootfd, rel, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0);
	if (fd < 0) {
		int e = errno;
		webshell_scan_fd(s, -1, shown, f);	/* sets f->path */
		errno = e;
		return e == ENOENT || e == ENOTDIR ? VG_ERR_NOTFOUND : e == ELOOP ?
		    VG_ERR_FORMAT : VG_ERR_IO;
	}
	ret = webshell_scan_fd(s, fd, shown, f);
	int saved = errno;
	close(fd);
	errno = saved;
	if (ret != VG_OK)
		return ret;
	if (!vault || f->score < WEBSHELL_MALICIOUS)
		return 0;
	return quarantine_file_at(vault, rootfd, root, rel, f, id_out, err, err_size) == VG_OK ?
	    1 : 0;
}

int
quarantine_scan_and_act(struct webshell_scanner *s, const char *vault, const char *path,
    struct webshell_finding *f, char *id_out, char *err, size_t err_size)
{
	int ret;

	id_out[0] = '\0';
	err[0] = '\0';
	if ((ret = webshell_scan_file(s, path, f)) != VG_OK)
		return ret;
	if (!vault || f->score < WEBSHELL_MALICIOUS)
		return 0;
	return quarantine_file(vault, path, f, id_out, err, err_size) == VG_OK ? 1 : 0;
}

int
quarantine_list(const char *vault, struct quarantine_entry **out, size_t *n_out, size_t *bad)
{
	struct vg_store *st = NULL;
	char err[512];
	int ret;

	*out = NULL;
	*n_out = 0;
	if (bad)
		*bad = 0;
	if ((ret = quarantine_store_open(vault, false, &st, err, sizeof(err))) != VG_OK || !st)
		return ret;
	ret = store_quarantine_list(st, LIST_MAX, out, n_out, bad);
	store_close(st);
	return ret;
}

/* Opens a mode-000 object: root reads it anyway; the owner flips it to 0400 just
 * long enough to open it. */
static int
open_object(const char *obj)
{
	int fd = open(obj, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == EACCES && chmod(obj, 0400) == 0) {
		fd = open(obj, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		int e = errno;
		chmod(obj, 0);
		errno = e;
	}
	return fd;
}

static int
record_restored(const char *vault, const struct quarantine_entry *e)
{
	struct vg_store *st = NULL;
	char err[512];
	int ret = quarantine_store_open(vault, true, &st, err, sizeof(err));

	if (ret == VG_OK)
		ret = store_quarantine_set_restored(st, e->id, e->restored_to, (int64_t)time(NULL));
	store_close(st);
	return ret;
}

int
quarantine_restore(const char *vault, const char *id, const char *to, bool force,
    struct quarantine_entry *restored, char *err, size_t err_size)
{
	struct quarantine_entry *all = NULL, *e = NULL;
	char obj[PATH_MAX], target[4096];
	char hex[OBJ_HEX_SIZE];
	const char *leaf;
	unsigned char *buf = NULL;
	struct vg_atomic a;
	struct stat st;
	size_t n = 0, matches = 0;
	int fd = -1, dfd = -1, ret;

	err[0] = '\0';
	if (!vault || !id || !id[0])
		return VG_ERR_INVAL;
	if (strlen(vault) > ROOT_MAX || (to && strlen(to) > ROOT_MAX)) {
		snprintf(err, err_size, "path too long");
		return VG_ERR_LIMIT;
	}
	if ((ret = quarantine_list(vault, &all, &n, NULL)) != VG_OK) {
		snprintf(err, err_size, "%s: cannot read vault: %s", vault, strerror(errno));
		return ret;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(all[i].id, id) == 0) {
			e = &all[i];
			matches = 1;
			break;
		}
		if (strncmp(all[i].id, id, strlen(id)) == 0) {
			e = &all[i];
			matches++;
		}
	}
	if (matches != 1) {
		snprintf(err, err_size, "%s: %s in %s", id,
		    matches ? "ambiguous id prefix" : "no such quarantined file", vault);
		ret = matches ? VG_ERR_INVAL : VG_ERR_NOTFOUND;
		goto out;
	}
	vg_strlcpy(target, to ? to : e->original_path, sizeof(target));
	/* The target's directory is opened with no symlink on the way (a web-root
	 * directory swapped for a link to /etc is refused, not written through); the
	 * file itself is then created and renamed relative to that descriptor. */
	{
		char *slash = strrchr(target, '/');
		leaf = slash ? slash + 1 : target;
		if (!*leaf || strcmp(leaf, ".") == 0 || strcmp(leaf, "..") == 0) {
			snprintf(err, err_size, "%s: not a file name", target);
			ret = VG_ERR_INVAL;
			goto out;
		}
		if (slash == target)
			dfd = vg_open_dir_nofollow("/");
		else if (slash) {
			*slash = '\0';
			dfd = vg_open_dir_nofollow(target);
			*slash = '/';
		} else {
			dfd = vg_open_dir_nofollow(".");
		}
	}
	if (dfd < 0) {
		snprintf(err, err_size, "%s: %s", target, errno == ELOOP ?
		    "a directory on the way is a symbolic link; not followed (restore with "
		    "--to a path without one)" : strerror(errno));
		ret = errno == ENOENT ? VG_ERR_NOTFOUND : VG_ERR_IO;
		goto out;
	}
	if (!force && fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		snprintf(err, err_size, "%s: exists; use --to PATH or --force", target);
		ret = VG_ERR_BUSY;
		goto out;
	}
	(void)pathf(obj, sizeof(obj), "%s/objects/%s", vault, e->sha256);
	if ((fd = open_object(obj)) < 0) {
		snprintf(err, err_size, "%s: cannot open object: %s", obj, strerror(errno));
		ret = errno == ENOENT ? VG_ERR_NOTFOUND : VG_ERR_IO;
		goto out;
	}
	if ((ret = vg_atomic_openat(&a, dfd, leaf, ".vigil-restore-", 0600)) != VG_OK) {
		snprintf(err, err_size, "%s: cannot write: %s", target, strerror(errno));
		goto out;
	}
	if (!(buf = malloc(IO_CHUNK)) ||
	    objstore_hash_copy_fd(fd, a.fd, buf, IO_CHUNK, hex, NULL) != VG_OK) {
		snprintf(err, err_size, "%s: cannot write: %s", target, strerror(errno));
		vg_atomic_abort(&a);
		ret = buf ? VG_ERR_IO : VG_ERR_NOMEM;
		goto out;
	}
	if (strcmp(hex, e->sha256) != 0) {
		vg_atomic_abort(&a);
		snprintf(err, err_size, "%s: object is corrupted (sha256 %s, expected %s); "
		    "not restored", obj, hex, e->sha256);
		ret = VG_ERR_FORMAT;
		goto out;
	}
	/* Owner first (it clears set-id bits), then mode, then times. */
	if (fchown(a.fd, e->uid, e->gid) != 0 && errno != EPERM) {
		/* not fatal: the content and mode matter more than the owner */
	}
	fchmod(a.fd, e->mode & 07777);
	{
		struct timespec ts[2] = { { .tv_sec = e->mtime }, { .tv_sec = e->mtime } };
		futimens(a.fd, ts);
	}
	if ((ret = vg_atomic_commit(&a, 0)) != VG_OK) {
		snprintf(err, err_size, "%s: cannot put in place: %s", target, strerror(errno));
		goto out;
	}
	vg_strlcpy(e->restored_to, target, sizeof(e->restored_to));
	if (record_restored(vault, e) != VG_OK)
		snprintf(err, err_size, "%s: restored, but the vault record was not updated",
		    target);
	if (restored)
		*restored = *e;
	ret = VG_OK;
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	free(buf);
	free(all);
	return ret;
}
