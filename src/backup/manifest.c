/* Tree scanner and manifest I/O. The walk uses openat/fstatat from directory fds and
 * never follows symlinks (so a symlink loop is just a symlink); special files are
 * recorded from lstat and never opened. Hashing runs on worker threads that pull
 * file indexes from an atomic counter, each with its own 1 MiB read buffer. */
#include "backup/manifest.h"
#include "core/atomic.h"
#include "core/beneath.h"
#include "core/err.h"
#include "core/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

bool
mf_excluded(const struct vg_cfg_strlist *exclude, const char *rel)
{
	if (!exclude || !*rel)
		return false;
	for (size_t i = 0; i < exclude->n; i++) {
		const char *g = exclude->items[i];
		if (fnmatch(g, rel, 0) == 0)
			return true;
		if (!strchr(g, '/')) {
			const char *base = strrchr(rel, '/');
			if (fnmatch(g, base ? base + 1 : rel, 0) == 0)
				return true;
		}
	}
	return false;
}

void
mf_stamp_of(struct mf_stamp *t, const struct stat *st)
{
	*t = (struct mf_stamp){ (uint64_t)st->st_dev, (uint64_t)st->st_ino, (uint64_t)st->st_size,
		(int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec,
		(int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec };
}

bool
mf_stamp_settled(const struct mf_stamp *t)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t limit = ((int64_t)ts.tv_sec - 2) * 1000000000 + ts.tv_nsec;
	return t->ctime_ns < limit && t->mtime_ns < limit;
}

bool
mf_path_within(const char *path, const char *rel)
{
	size_t n = strlen(rel);
	if (n == 0)
		return true;
	return strncmp(path, rel, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

struct scan {
	const char *root;
	int rootfd;		/* root, open while the hash workers run */
	const struct mf_scan_opts *opts;
	struct manifest *m;
	size_t last_dir;	/* entry of the directory being opened */
	int err;
};

static struct mf_entry *
add_entry(struct scan *s, const char *rel, const struct stat *st)
{
	struct manifest *m = s->m;
	struct mf_entry *e;

	if (m->n >= MF_MAX_ENTRIES) {
		if (m->n_dropped++ == 0)
			vg_warn(s->opts->log, "%s: more than %d entries; the rest is not covered",
			    s->root, MF_MAX_ENTRIES);
		return NULL;
	}
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 1024;
		struct mf_entry *ne = realloc(m->e, cap * sizeof(*ne));
		if (!ne) {
			s->err = VG_ERR_NOMEM;
			return NULL;
		}
		m->e = ne;
		m->cap = cap;
	}
	e = &m->e[m->n];
	memset(e, 0, sizeof(*e));
	if (!(e->path = strdup(rel))) {
		s->err = VG_ERR_NOMEM;
		return NULL;
	}
	m->n++;
	e->type = S_ISREG(st->st_mode) ? MF_FILE : S_ISDIR(st->st_mode) ? MF_DIR
	    : S_ISLNK(st->st_mode) ? MF_LINK : MF_OTHER;
	e->mode = st->st_mode & 07777;
	e->uid = st->st_uid;
	e->gid = st->st_gid;
	e->size = e->type == MF_FILE || e->type == MF_LINK ? (uint64_t)st->st_size : 0;
	e->mtime = st->st_mtim.tv_sec;
	return e;
}

/* One walked entry: excluded paths are skipped whole, the rest recorded; a directory is
 * descended up to MF_MAX_DEPTH. */
static int
walk_entry(void *arg, const struct vg_walk_entry *we)
{
	struct scan *s = arg;
	struct mf_entry *e;

	if (s->err)
		return s->err;
	if (we->event == VG_WALK_DIR_FAILED) {
		if (we->err == ENOENT) {
			s->m->n_vanished++;
		} else {
			s->m->n_unreadable++;
			s->m->e[s->last_dir].err = VG_ERR_IO;
			vg_warn(s->opts->log, "%s/%s: cannot open directory: %s", s->root, we->rel,
			    strerror(we->err));
		}
		return 0;
	}
	if (we->event != VG_WALK_ENTRY)
		return 0;
	if (mf_excluded(s->opts->exclude, we->rel)) {
		s->m->n_excluded++;
		return VG_WALK_SKIP;
	}
	if (!we->st) {
		if (we->err == ENOENT)
			s->m->n_vanished++;
		else
			vg_warn(s->opts->log, "%s/%s: %s", s->root, we->rel, strerror(we->err));
		return VG_WALK_SKIP;
	}
	if (!(e = add_entry(s, we->rel, we->st)))
		return s->err ? s->err : VG_WALK_SKIP;
	if (e->type == MF_LINK) {
		char t[PATH_MAX];
		ssize_t n = readlinkat(we->dirfd, we->name, t, sizeof(t) - 1);
		if (n < 0) {
			e->err = VG_ERR_IO;
			return 0;
		}
		t[n] = '\0';
		if (!(e->target = strdup(t)))
			s->err = VG_ERR_NOMEM;
		return s->err;
	}
	if (e->type == MF_FILE) {
		mf_stamp_of(&e->stamp, we->st);
		if (s->opts->hash_cached &&
		    s->opts->hash_cached(s->opts->cache_arg, we->rel, we->st, e->sha256))
			return 0;
		if (s->opts->hash_max && e->size > s->opts->hash_max)
			e->deferred = true;
	}
	if (e->type != MF_DIR)
		return 0;
	if (we->depth >= MF_MAX_DEPTH) {
		vg_warn(s->opts->log, "%s/%s: deeper than %d levels; not descended", s->root,
		    we->rel, MF_MAX_DEPTH);
		return VG_WALK_SKIP;
	}
	s->last_dir = s->m->n - 1;
	return 0;
}

static int
walk(struct scan *s, int dirfd, const char *name, const char *rel, int depth)
{
	int ret = vg_walk(dirfd, name, rel, depth, VG_WALK_STAT, walk_entry, s);
	if (ret != VG_OK && !s->err)
		s->err = ret;
	return s->err;
}

struct hasher {
	struct scan *s;
	size_t *files;		/* indexes of MF_FILE entries */
	size_t n_files;
	size_t next;		/* atomic */
	size_t done;		/* atomic */
};

static void
hash_one(struct scan *s, struct mf_entry *e, unsigned char *buf)
{
	/* beneath the root's descriptor: a directory swapped for a symlink since the
	 * walk is not followed (the file reads as unreadable, checked again later) */
	int r = objstore_hash_at(s->rootfd, e->path, buf, OBJ_BUF_SIZE, e->sha256, &e->size);
	if (r != VG_OK) {
		e->sha256[0] = '\0';
		e->err = r;
	}
}

static void *
hash_worker(void *arg)
{
	struct hasher *h = arg;
	unsigned char *buf = malloc(OBJ_BUF_SIZE);
	size_t i;

	if (!buf)
		return NULL;
	while ((i = __atomic_fetch_add(&h->next, 1, __ATOMIC_RELAXED)) < h->n_files) {
		hash_one(h->s, &h->s->m->e[h->files[i]], buf);
		__atomic_fetch_add(&h->done, 1, __ATOMIC_RELAXED);
	}
	free(buf);
	return NULL;
}

static int64_t
mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
hash_all(struct scan *s)
{
	struct hasher h = { .s = s };
	pthread_t tid[8];
	int nt = s->opts->threads > 0 ? s->opts->threads : 2, started = 0;
	bool progress = s->opts->progress && isatty(STDERR_FILENO);

	if (nt > 8)
		nt = 8;
	if (!(h.files = malloc((s->m->n + 1) * sizeof(size_t))))
		return VG_ERR_NOMEM;
	for (size_t i = 0; i < s->m->n; i++)
		if (s->m->e[i].type == MF_FILE && !s->m->e[i].deferred && !s->m->e[i].sha256[0])
			h.files[h.n_files++] = i;
	/* Small sets (the realtime path) are hashed inline: a thread costs more. */
	if (h.n_files < 64)
		nt = 1;
	for (int t = 1; t < nt; t++)
		if (pthread_create(&tid[started], NULL, hash_worker, &h) == 0)
			started++;
	if (!progress) {
		hash_worker(&h);
	} else {
		unsigned char *buf = malloc(OBJ_BUF_SIZE);
		size_t i;
		int64_t last = 0;
		while (buf && (i = __atomic_fetch_add(&h.next, 1, __ATOMIC_RELAXED)) < h.n_files) {
			hash_one(s, &s->m->e[h.files[i]], buf);
			size_t d = __atomic_add_fetch(&h.done, 1, __ATOMIC_RELAXED);
			if (mono_ms() - last > 200) {
				last = mono_ms();
				fprintf(stderr, "\rhashing %s: %zu/%zu files", s->root, d, h.n_files);
			}
		}
		free(buf);
	}
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	if (progress)
		fprintf(stderr, "\rhashing %s: %zu/%zu files\n", s->root, h.n_files, h.n_files);
	/* Files that vanished between walk and hash are dropped, unreadable ones kept. */
	size_t w = 0;
	for (size_t i = 0; i < s->m->n; i++) {
		struct mf_entry *e = &s->m->e[i];
		if (e->type == MF_FILE && e->err == VG_ERR_NOTFOUND) {
			s->m->n_vanished++;
			free(e->path);
			free(e->target);
			continue;
		}
		if (e->type == MF_FILE && e->err == VG_ERR_FORMAT) {
			/* replaced by a non-regular file after the walk: seen as changed type */
			e->type = MF_OTHER;
			e->err = 0;
		}
		if (e->err)
			s->m->n_unreadable++;
		s->m->e[w++] = *e;
	}
	s->m->n = w;
	free(h.files);
	return VG_OK;
}

int
manifest_hash(const char *root, struct manifest *m, int threads, const struct vg_logger *log)
{
	struct mf_scan_opts o = { .threads = threads, .hash = true, .log = log };
	struct scan s = { .root = root, .opts = &o, .m = m };
	int ret;

	if ((s.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? VG_ERR_NOTFOUND : VG_ERR_IO;
	ret = hash_all(&s);
	close(s.rootfd);
	return ret;
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct mf_entry *)a)->path, ((const struct mf_entry *)b)->path);
}

void
manifest_sort(struct manifest *m)
{
	if (m->n > 1)
		qsort(m->e, m->n, sizeof(*m->e), cmp_entry);
}

struct mf_entry *
manifest_find(const struct manifest *m, const char *path)
{
	struct mf_entry key = { .path = (char *)path };
	if (!m || m->n == 0)
		return NULL;
	return bsearch(&key, m->e, m->n, sizeof(*m->e), cmp_entry);
}

void
manifest_file_totals(const struct manifest *m, size_t *files, uint64_t *bytes)
{
	*files = 0;
	*bytes = 0;
	for (size_t e = 0; m && e < m->n; e++)
		if (m->e[e].type == MF_FILE) {
			++*files;
			*bytes += m->e[e].size;
		}
}

size_t
manifest_lower_bound(const struct manifest *m, const char *rel)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(m->e[mid].path, rel) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t
manifest_next_within(const struct manifest *m, const char *rel, size_t i)
{
	size_t n = strlen(rel);
	/* strcmp order puts "blocks.php" (and "blocks-x", "blocks 2") between "blocks"
	 * and "blocks/a": skip those instead of stopping at them. Everything sharing
	 * the prefix is contiguous, so the first path without it ends the subtree. */
	for (; i < m->n; i++) {
		if (mf_path_within(m->e[i].path, rel))
			return i;
		if (strncmp(m->e[i].path, rel, n) != 0)
			break;
	}
	return m->n;
}

int
manifest_scan(const char *root, const char *sub, const struct mf_scan_opts *opts,
    struct manifest **out)
{
	struct manifest *m = calloc(1, sizeof(*m));
	struct scan s = { .root = root, .opts = opts, .m = m };
	int rootfd = -1, ret;

	*out = NULL;
	if (!m || !(m->root = strdup(root)))
		goto nomem;
	m->created_us = (int64_t)time(NULL) * 1000000;
	rootfd = s.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		ret = errno == ENOENT ? VG_ERR_NOTFOUND : VG_ERR_IO;
		goto out;
	}
	if (!sub || !*sub) {
		walk(&s, rootfd, ".", "", 0);
	} else {
		/* a sub-path: its parents must be plain directories, never symlinks (each
		 * one, not only the last: core/beneath.h) */
		const char *leaf;
		int pfd = vg_open_parent_beneath(rootfd, sub, 0, 0, &leaf);
		if (pfd >= 0) {
			int depth = 1;
			for (const char *p = sub; *p; p++)
				depth += *p == '/';
			walk(&s, pfd, leaf, sub, depth);
			close(pfd);
		}
	}
	if (s.err) {
		ret = s.err;
		goto out;
	}
	if (opts->hash && (ret = hash_all(&s)) != VG_OK)
		goto out;
	manifest_sort(m);
	*out = m;
	m = NULL;
	ret = VG_OK;
	goto out;
nomem:
	ret = VG_ERR_NOMEM;
out:
	if (rootfd >= 0)
		close(rootfd);
	manifest_free(m);
	return ret;
}

void
manifest_free(struct manifest *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->e[i].path);
		free(m->e[i].target);
	}
	free(m->e);
	free(m->webroot);
	free(m->root);
	free(m);
}

static const char *
type_name(char t)
{
	switch (t) {
	case MF_FILE: return "file";
	case MF_DIR:  return "dir";
	case MF_LINK: return "symlink";
	default:      return "other";
	}
}

static int
type_parse(const char *s, char *t)
{
	if (strcmp(s, "file") == 0)
		*t = MF_FILE;
	else if (strcmp(s, "dir") == 0)
		*t = MF_DIR;
	else if (strcmp(s, "symlink") == 0)
		*t = MF_LINK;
	else if (strcmp(s, "other") == 0)
		*t = MF_OTHER;
	else
		return VG_ERR_FORMAT;
	return VG_OK;
}

/* True if s[0..n) is valid UTF-8 (what a JSON string must hold). */
static bool
utf8_valid(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if (!len || i + len > n)
			return false;
		for (size_t k = 1; k < len; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
		i += len;
	}
	return true;
}

/* Writes s as a JSON string (jansson escapes it). Names that are not UTF-8 are written
 * lossily and false is returned; the caller then adds the exact bytes in hex. */
static bool
put_json_string(FILE *f, const char *s)
{
	size_t n = strlen(s);
	bool exact = utf8_valid((const unsigned char *)s, n);
	json_t *j = exact ? json_stringn_nocheck(s, n) : vg_json_string_lossy(s, n);
	if (j)
		json_dumpf(j, f, JSON_ENCODE_ANY);
	else
		fputs("\"\"", f);
	json_decref(j);
	return exact;
}

/* Streamed entry by entry rather than built as one jansson tree: for 50k entries that
 * is a quarter of the baseline time saved; strings still go through jansson's escaping,
 * and manifest_load reads it back with jansson. */
int
manifest_save(const struct manifest *m, const char *path)
{
	struct vg_atomic a;
	FILE *f = NULL;
	int fd, ret;

	if ((ret = vg_atomic_open(&a, path, NULL, 0)) != VG_OK)
		return ret;
	/* the stream gets its own descriptor: vg_atomic_commit syncs and closes a.fd */
	if ((fd = dup(a.fd)) < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		vg_atomic_abort(&a);
		return VG_ERR_IO;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	fputs("{\"version\":1,\"webroot\":", f);
	if (m->webroot)
		put_json_string(f, m->webroot);
	else
		fputs("null", f);
	fputs(",\"root\":", f);
	put_json_string(f, m->root);
	fprintf(f, ",\"created_us\":%lld,\"entries\":[", (long long)m->created_us);
	for (size_t i = 0; i < m->n; i++) {
		const struct mf_entry *e = &m->e[i];
		fputs(i ? ",\n{\"path\":" : "\n{\"path\":", f);
		bool exact = put_json_string(f, e->path);
		fprintf(f, ",\"type\":\"%s\",\"mode\":%u,\"uid\":%u,\"gid\":%u,\"size\":%llu,"
		    "\"mtime\":%lld", type_name(e->type), (unsigned)e->mode, (unsigned)e->uid,
		    (unsigned)e->gid, (unsigned long long)e->size, (long long)e->mtime);
		if (!exact) {	/* the exact bytes, so a GBK file name round-trips */
			fputs(",\"path_hex\":\"", f);
			for (const unsigned char *q = (const unsigned char *)e->path; *q; q++)
				fprintf(f, "%02x", *q);
			fputc('"', f);
		}
		if (e->type == MF_FILE && e->sha256[0])
			fprintf(f, ",\"sha256\":\"%s\"", e->sha256);
		if (e->target) {
			fputs(",\"target\":", f);
			if (!put_json_string(f, e->target)) {
				fputs(",\"target_hex\":\"", f);
				for (const unsigned char *q = (const unsigned char *)e->target; *q; q++)
					fprintf(f, "%02x", *q);
				fputc('"', f);
			}
		}
		if (e->err)
			fprintf(f, ",\"error\":\"%s\"", vg_strerror(e->err));
		fputc('}', f);
	}
	fputs("]}\n", f);
	if (fflush(f) != 0 || ferror(f)) {
		fclose(f);
		vg_atomic_abort(&a);
		return VG_ERR_IO;
	}
	fclose(f);
	return vg_atomic_commit(&a, 0);
}

/* Decodes lowercase hex into a NUL-terminated string; a NUL byte is refused. */
static int
hex_decode(const char *hex, char *out, size_t size)
{
	size_t n = strlen(hex), j = 0;
	if (n % 2 || n / 2 >= size)
		return VG_ERR_FORMAT;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hex[i] >= 'a' && hex[i] <= 'f' ? hex[i] - 'a' + 10 : hex[i] - '0';
		int lo = hex[i + 1] >= 'a' && hex[i + 1] <= 'f' ? hex[i + 1] - 'a' + 10
		    : hex[i + 1] - '0';
		if (hi < 0 || hi > 15 || lo < 0 || lo > 15 || (hi == 0 && lo == 0))
			return VG_ERR_FORMAT;
		out[j++] = (char)(hi << 4 | lo);
	}
	out[j] = '\0';
	return VG_OK;
}

static bool
hex64(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return false;
	return n == 64;
}

int
manifest_load(const char *path, struct manifest **out, char *err, size_t err_size)
{
	json_error_t jerr;
	json_t *root = NULL, *entries, *v, *wr = NULL;
	struct manifest *m = NULL;
	const char *webroot = NULL, *rootp = NULL;
	json_int_t created = 0;
	size_t i;
	int ret = VG_ERR_FORMAT;

	*out = NULL;
	err[0] = '\0';
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, err_size, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
		return access(path, R_OK) == 0 ? VG_ERR_FORMAT : VG_ERR_IO;
	}
	if (json_unpack_ex(root, &jerr, 0, "{s?o, s:s, s?I, s:o}", "webroot", &wr, "root",
	    &rootp, "created_us", &created, "entries", &entries) != 0 || !json_is_array(entries)) {
		snprintf(err, err_size, "%s: not a vigil manifest: %s", path, jerr.text);
		goto out;
	}
	webroot = json_string_value(wr);	/* NULL when absent or null */
	if (!(m = calloc(1, sizeof(*m))) || !(m->root = strdup(rootp)) ||
	    (webroot && !(m->webroot = strdup(webroot))) ||
	    !(m->e = calloc(json_array_size(entries) + 1, sizeof(*m->e)))) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	m->cap = json_array_size(entries) + 1;
	m->created_us = created;
	json_array_foreach(entries, i, v) {
		const char *p, *type, *sha = NULL, *target = NULL, *phex = NULL, *thex = NULL;
		char raw[PATH_MAX], traw[PATH_MAX];
		json_int_t mode, uid, gid, size, mtime;
		struct mf_entry *e = &m->e[m->n];
		if (json_unpack_ex(v, &jerr, 0, "{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s?s, s?s, s?s, "
		    "s?s}", "path", &p, "type", &type, "mode", &mode, "uid", &uid, "gid", &gid,
		    "size", &size, "mtime", &mtime, "sha256", &sha, "target", &target, "path_hex",
		    &phex, "target_hex", &thex) != 0 ||
		    (phex && hex_decode(phex, raw, sizeof(raw)) != VG_OK) ||
		    (thex && hex_decode(thex, traw, sizeof(traw)) != VG_OK) ||
		    type_parse(type, &e->type) != VG_OK ||
		    (sha && !hex64(sha))) {
			snprintf(err, err_size, "%s: entry %zu is malformed%s%s", path, i,
			    jerr.text[0] ? ": " : "", jerr.text);
			goto out;
		}
		/* every later stage opens this path beneath the root: refuse what could leave
		 * it ("..", absolute), hide a NUL, or name nothing (empty component) */
		const char *ep = phex ? raw : p;
		size_t elen = phex ? strlen(raw) : json_string_length(json_object_get(v, "path"));
		if (!vg_relpath_valid(ep, elen, true)) {
			snprintf(err, err_size, "%s: entry %zu: path is not a clean relative path "
			    "(absolute, '..', '.', empty component or NUL); refused", path, i);
			goto out;
		}
		if (!(e->path = strdup(phex ? raw : p)) ||
		    (target && !(e->target = strdup(thex ? traw : target)))) {
			free(e->path);
			ret = VG_ERR_NOMEM;
			goto out;
		}
		e->mode = (uint32_t)mode & 07777;
		e->uid = (uint32_t)uid;
		e->gid = (uint32_t)gid;
		e->size = (uint64_t)size;
		e->mtime = mtime;
		if (sha)
			memcpy(e->sha256, sha, OBJ_HEX_SIZE);
		m->n++;
		jerr.text[0] = '\0';
	}
	manifest_sort(m);
	*out = m;
	m = NULL;
	ret = VG_OK;
out:
	manifest_free(m);
	json_decref(root);
	return ret;
}

unsigned
fim_diff_entry(const struct mf_entry *base, const struct mf_entry *cur)
{
	unsigned k = 0;

	if (!base && !cur)
		return 0;
	if (!base)
		return FIM_ADDED;
	if (!cur)
		return FIM_DELETED;
	if (base->type != cur->type)
		return FIM_TYPE;
	if (base->type == MF_FILE && (strcmp(base->sha256, cur->sha256) != 0 ||
	    base->size != cur->size))
		k |= FIM_CONTENT;
	if (base->type == MF_LINK && strcmp(base->target ? base->target : "",
	    cur->target ? cur->target : "") != 0)
		k |= FIM_TARGET;
	if (base->type != MF_LINK && base->mode != cur->mode)
		k |= FIM_MODE;
	if (base->uid != cur->uid || base->gid != cur->gid)
		k |= FIM_OWNER;
	return k;
}

static const char *const kind_names[] = { "added", "deleted", "content", "mode", "owner",
	"type", "symlink" };

const char *
fim_kind_names(unsigned kinds, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++) {
		if (!(kinds & (1u << i)))
			continue;
		int n = snprintf(buf + used, size - used, "%s%s", used ? "," : "", kind_names[i]);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	return buf;
}

const char *
fim_kind_word(unsigned kinds)
{
	if (kinds & FIM_ADDED)
		return "added";
	if (kinds & FIM_DELETED)
		return "deleted";
	if (kinds & FIM_TYPE)
		return "type";
	if (kinds & FIM_CONTENT)
		return "modified";
	if (kinds & FIM_TARGET)
		return "symlink";
	if (kinds & FIM_MODE)
		return "mode";
	return "owner";
}
