/* Object store on plain files. SHA-256 comes from OpenSSL's libcrypto rather than
 * libsodium: libcrypto uses the CPU's SHA extensions (about 2 GB/s per core here,
 * several times libsodium's portable code), and baseline hashing is bound by it.
 * A put copies into tmp/ while hashing, so the name is the hash of the bytes actually
 * stored even if the source file is being rewritten during the copy. */
#include "backup/objstore.h"
#include "core/sha256.h"
#include "core/buf.h"
#include "core/beneath.h"
#include "core/err.h"
#include "core/paths.h"
#include "core/walk.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const subdirs[] = { "objects", "tmp", "snapshots", "removed", "publish" };

int
objstore_init(const char *dir)
{
	char p[PATH_MAX];

	if (vg_mkdir_p(dir, 0700) != VG_OK)
		return VG_ERR_IO;
	for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		if (snprintf(p, sizeof(p), "%s/%s", dir, subdirs[i]) >= (int)sizeof(p))
			return VG_ERR_LIMIT;
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return VG_ERR_IO;
	}
	return VG_OK;
}

/* A SHA-256 context; NULL on allocation failure. */
static EVP_MD_CTX *
sha_new(void)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(c);
		c = NULL;
	}
	return c;
}

static void
sha_final(EVP_MD_CTX *c, char hex[OBJ_HEX_SIZE])
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_DigestFinal_ex(c, h, &n);
	vg_hex(h, VG_SHA256_LEN, hex);
}

static int
write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return VG_ERR_IO;
		p += w;
		n -= (size_t)w;
	}
	return VG_OK;
}

/* Hashes fd, copying every byte to copy_to as well unless it is -1; with short_is_eof
 * (regular files), a short read is taken as the end, which saves the final empty read
 * on the many files smaller than the buffer. The one read-hash loop of this file. */
static int
hash_copy_fd(int fd, int copy_to, unsigned char *buf, size_t bufsz, char hex[OBJ_HEX_SIZE],
    uint64_t *size, bool short_is_eof)
{
	EVP_MD_CTX *st = sha_new();
	uint64_t total = 0;
	ssize_t n;

	if (!st)
		return VG_ERR_NOMEM;
	for (;;) {
		n = read(fd, buf, bufsz);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			EVP_MD_CTX_free(st);
			return VG_ERR_IO;
		}
		if (n == 0)
			break;
		EVP_DigestUpdate(st, buf, (size_t)n);
		total += (uint64_t)n;
		if (copy_to >= 0 && write_all(copy_to, buf, (size_t)n) != VG_OK) {
			EVP_MD_CTX_free(st);
			return VG_ERR_IO;
		}
		if (short_is_eof && (size_t)n < bufsz)
			break;
	}
	sha_final(st, hex);
	EVP_MD_CTX_free(st);
	if (size)
		*size = total;
	return VG_OK;
}

int
objstore_hash_fd(int fd, unsigned char *buf, size_t bufsz, char hex[OBJ_HEX_SIZE],
    uint64_t *size)
{
	return hash_copy_fd(fd, -1, buf, bufsz, hex, size, false);
}

int
objstore_hash_copy_fd(int fd, int out_fd, unsigned char *buf, size_t bufsz,
    char hex[OBJ_HEX_SIZE], uint64_t *size)
{
	return hash_copy_fd(fd, out_fd, buf, bufsz, hex, size, false);
}

/* Opens a regular file for reading without following a final symlink and without
 * blocking on a FIFO; returns fd or a negative VG_ERR_*. */
static int
open_regular(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOATIME);

	if (fd < 0 && errno == EPERM)	/* O_NOATIME needs ownership */
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? VG_ERR_NOTFOUND
		    : errno == ELOOP ? VG_ERR_FORMAT : VG_ERR_IO;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return VG_ERR_FORMAT;
	}
	return fd;
}

int
objstore_hash_at(int rootfd, const char *rel, unsigned char *buf, size_t bufsz,
    char hex[OBJ_HEX_SIZE], uint64_t *size)
{
	struct stat st;
	int fd = vg_open_beneath(rootfd, rel, O_RDONLY | O_NONBLOCK | O_NOATIME, 0), r;

	if (fd < 0 && errno == EPERM)	/* O_NOATIME needs ownership */
		fd = vg_open_beneath(rootfd, rel, O_RDONLY | O_NONBLOCK, 0);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? VG_ERR_NOTFOUND
		    : errno == ELOOP || errno == EXDEV ? VG_ERR_FORMAT : VG_ERR_IO;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return VG_ERR_FORMAT;
	}
	r = hash_copy_fd(fd, -1, buf, bufsz, hex, size, true);
	close(fd);
	return r;
}

int
objstore_hash_path(const char *path, unsigned char *buf, size_t bufsz, char hex[OBJ_HEX_SIZE],
    uint64_t *size)
{
	int fd = open_regular(path), r;

	if (fd < 0)
		return fd;
	r = hash_copy_fd(fd, -1, buf, bufsz, hex, size, true);
	close(fd);
	return r;
}

static bool
valid_hex(const char *hex)
{
	if (!hex || strlen(hex) != 64)
		return false;
	for (const char *p = hex; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

int
objstore_path(const char *dir, const char *hex, char *out, size_t out_size)
{
	if (!valid_hex(hex))
		return VG_ERR_INVAL;
	if (snprintf(out, out_size, "%s/objects/%.2s/%s", dir, hex, hex + 2) >= (int)out_size)
		return VG_ERR_LIMIT;
	return VG_OK;
}

bool
objstore_has(const char *dir, const char *hex)
{
	char p[PATH_MAX];
	struct stat st;
	return objstore_path(dir, hex, p, sizeof(p)) == VG_OK && stat(p, &st) == 0 &&
	    S_ISREG(st.st_mode);
}

/* Objects are sealed with a fixed mtime when stored. Anything that writes to one later
 * (or a verify that found it corrupted) leaves another mtime, so deduplication can
 * trust a sealed object of the right size without re-reading it, and re-hashes any
 * other before relying on it. */
#define OBJ_SEAL_MTIME 1

static void
seal_fd(int fd)
{
	struct timespec ts[2] = { { .tv_nsec = UTIME_OMIT }, { .tv_sec = OBJ_SEAL_MTIME } };
	futimens(fd, ts);
}

static void
unseal(const char *path)
{
	struct timespec ts[2] = { { .tv_nsec = UTIME_OMIT }, { .tv_nsec = UTIME_NOW } };
	utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW);
}

static int stream_object(const char *dir, const char *hex, int out_fd, unsigned char *buf,
    size_t bufsz);

/* True if the existing object final can stand for size bytes of content hex: sealed
 * and of that size, or re-hashed just now and found sound (then sealed). A corrupted
 * one is false: the caller stores the good copy over it. */
static bool
existing_sound(const char *dir, const char *hex, const char *final, uint64_t size,
    unsigned char *buf, size_t bufsz)
{
	struct stat st;
	if (lstat(final, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	if ((uint64_t)st.st_size != size)
		return false;
	if (st.st_mtim.tv_sec == OBJ_SEAL_MTIME && st.st_mtim.tv_nsec == 0)
		return true;
	if (stream_object(dir, hex, -1, buf, bufsz) != VG_OK)
		return false;
	int fd = open(final, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		seal_fd(fd);
		close(fd);
	}
	return true;
}

bool
objstore_has_sound(const char *dir, const char *hex, uint64_t size, unsigned char *buf,
    size_t bufsz)
{
	char p[PATH_MAX];
	return objstore_path(dir, hex, p, sizeof(p)) == VG_OK &&
	    existing_sound(dir, hex, p, size, buf, bufsz);
}

/* Copies path into tmp/ while hashing. With staged NULL the copy is fsynced and
 * renamed into place now; otherwise its temp name goes to staged ("" if the object
 * already existed) and objstore_commit_staged finishes it after one objstore_sync. */
static int
put_path(const char *dir, const char *path, unsigned char *buf, size_t bufsz,
    char hex[OBJ_HEX_SIZE], char *staged, size_t staged_size)
{
	char tmp[PATH_MAX], final[PATH_MAX], sub[PATH_MAX];
	uint64_t size = 0;
	int in = -1, out = -1, ret;

	hex[0] = '\0';
	if (staged)
		staged[0] = '\0';
	if (snprintf(tmp, sizeof(tmp), "%s/tmp/put.XXXXXX", dir) >= (int)sizeof(tmp))
		return VG_ERR_LIMIT;
	if ((in = open_regular(path)) < 0)
		return in;
	if ((out = mkostemp(tmp, O_CLOEXEC)) < 0) {
		ret = VG_ERR_IO;
		tmp[0] = '\0';
		goto out;
	}
	if ((ret = hash_copy_fd(in, out, buf, bufsz, hex, &size, false)) != VG_OK)
		goto out;
	if ((ret = objstore_path(dir, hex, final, sizeof(final))) != VG_OK)
		goto out;
	/* dedup: keep the existing copy, unless it no longer matches its name (then the
	 * good copy just read replaces it: a new snapshot repairs a corrupted object) */
	if (existing_sound(dir, hex, final, size, buf, bufsz)) {
		ret = VG_OK;
		goto out;
	}
	seal_fd(out);
	if (staged) {
		if (fchmod(out, 0400) != 0 || vg_strlcpy(staged, tmp, staged_size) != VG_OK) {
			ret = VG_ERR_IO;
			goto out;
		}
		tmp[0] = '\0';	/* kept for the commit */
		ret = VG_OK;
		goto out;
	}
	snprintf(sub, sizeof(sub), "%s/objects/%.2s", dir, hex);
	if (mkdir(sub, 0700) != 0 && errno != EEXIST) {
		ret = VG_ERR_IO;
		goto out;
	}
	if (fchmod(out, 0400) != 0 || fsync(out) != 0 || rename(tmp, final) != 0) {
		ret = VG_ERR_IO;
		goto out;
	}
	tmp[0] = '\0';
	ret = VG_OK;
out:
	if (out >= 0)
		close(out);
	if (tmp[0])
		unlink(tmp);
	close(in);
	if (ret != VG_OK && ret != VG_ERR_IO)
		hex[0] = '\0';
	return ret;
}

int
objstore_put_path(const char *dir, const char *path, unsigned char *buf, size_t bufsz,
    char hex[OBJ_HEX_SIZE])
{
	return put_path(dir, path, buf, bufsz, hex, NULL, 0);
}

int
objstore_stage_path(const char *dir, const char *path, unsigned char *buf, size_t bufsz,
    char hex[OBJ_HEX_SIZE], char *staged, size_t staged_size)
{
	return put_path(dir, path, buf, bufsz, hex, staged, staged_size);
}

int
objstore_sync(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;
	if (fd < 0)
		return VG_ERR_IO;
	r = syncfs(fd);
	close(fd);
	return r == 0 ? VG_OK : VG_ERR_IO;
}

int
objstore_commit_staged(const char *dir, const char *staged, const char *hex)
{
	char final[PATH_MAX], sub[PATH_MAX];
	int ret;

	if ((ret = objstore_path(dir, hex, final, sizeof(final))) != VG_OK)
		return ret;
	if (snprintf(sub, sizeof(sub), "%s/objects/%.2s", dir, hex) >= (int)sizeof(sub))
		return VG_ERR_LIMIT;
	if (mkdir(sub, 0700) != 0 && errno != EEXIST)
		return VG_ERR_IO;
	/* two files with the same content may both be staged: same bytes, either wins */
	if (rename(staged, final) != 0) {
		unlink(staged);
		return VG_ERR_IO;
	}
	return VG_OK;
}

/* Streams object hex to out_fd (or nowhere when out_fd < 0), verifying its hash. */
static int
stream_object(const char *dir, const char *hex, int out_fd, unsigned char *buf, size_t bufsz)
{
	char p[PATH_MAX], got[OBJ_HEX_SIZE];
	int fd, ret = VG_OK;

	if ((ret = objstore_path(dir, hex, p, sizeof(p))) != VG_OK)
		return ret;
	fd = open_regular(p);
	if (fd == VG_ERR_FORMAT)
		return VG_ERR_FORMAT;
	if (fd < 0)
		return fd;
	if ((ret = hash_copy_fd(fd, out_fd, buf, bufsz, got, NULL, false)) != VG_OK)
		goto out;
	ret = strcmp(got, hex) == 0 ? VG_OK : VG_ERR_FORMAT;
	if (ret == VG_ERR_FORMAT)
		unseal(p);	/* the next snapshot re-hashes it and stores a good copy */
out:
	close(fd);
	return ret;
}

int
objstore_verify(const char *dir, const char *hex, unsigned char *buf, size_t bufsz)
{
	return stream_object(dir, hex, -1, buf, bufsz);
}

int
objstore_copy_to_fd(const char *dir, const char *hex, int out_fd, unsigned char *buf,
    size_t bufsz)
{
	return stream_object(dir, hex, out_fd, buf, bufsz);
}

int
objstore_read(const char *dir, const char *hex, size_t max, char **out, size_t *len)
{
	char p[PATH_MAX], got[OBJ_HEX_SIZE];
	struct stat st;
	char *data = NULL;
	size_t have = 0;
	int fd, ret;

	*out = NULL;
	*len = 0;
	if ((ret = objstore_path(dir, hex, p, sizeof(p))) != VG_OK)
		return ret;
	if ((fd = open_regular(p)) < 0)
		return fd;
	if (fstat(fd, &st) != 0) {
		ret = VG_ERR_IO;
		goto out;
	}
	if ((uint64_t)st.st_size > max) {
		ret = VG_ERR_LIMIT;
		goto out;
	}
	if (!(data = malloc((size_t)st.st_size + 1))) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	while (have < (size_t)st.st_size) {
		ssize_t n = read(fd, data + have, (size_t)st.st_size - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	data[have] = '\0';
	if ((ret = vg_sha256_hex(data, have, got)) != VG_OK)
		goto out;
	if (strcmp(got, hex) != 0) {
		ret = VG_ERR_FORMAT;
		goto out;
	}
	*out = data;
	*len = have;
	data = NULL;
	ret = VG_OK;
out:
	free(data);
	close(fd);
	return ret;
}

struct each {
	const char *objects;
	objstore_each_fn fn;
	void *arg;
};

/* objects/ab/cdef...: two-character directories, then 62-character names. */
static int
each_entry(void *arg, const struct vg_walk_entry *e)
{
	struct each *x = arg;
	char hex[OBJ_HEX_SIZE + 8], path[PATH_MAX + 80];

	if (e->event != VG_WALK_ENTRY || e->depth == 0)
		return 0;
	if (e->depth == 1)
		return strlen(e->name) == 2 ? 0 : VG_WALK_SKIP;
	if (strlen(e->name) != 62 || e->rel_len != 65)
		return VG_WALK_SKIP;
	memcpy(hex, e->rel, 2);
	memcpy(hex + 2, e->name, 63);
	snprintf(path, sizeof(path), "%s/%s", x->objects, e->rel);
	return x->fn(x->arg, hex, path);
}

int
objstore_foreach(const char *dir, objstore_each_fn fn, void *arg)
{
	char objects[PATH_MAX];
	struct each x = { .objects = objects, .fn = fn, .arg = arg };
	struct stat st;

	if (snprintf(objects, sizeof(objects), "%s/objects", dir) >= (int)sizeof(objects))
		return VG_ERR_LIMIT;
	if (stat(objects, &st) != 0 || !S_ISDIR(st.st_mode))
		return VG_ERR_NOTFOUND;
	return vg_walk(AT_FDCWD, objects, "", 0, 0, each_entry, &x);
}
