/* File tailer. Files are known by (device, inode), not by name: a name that now
 * points at another inode means the old one was rotated away, and it is read to
 * its end (and kept open rotate_wait for late writes) before being closed.
 * Reads use pread at an explicit offset, so a refused line (fn != 0) or a failed
 * commit just moves the offset back: nothing is lost, nothing read twice. */
#include "monitor/tail.h"
#include "core/sha256.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/loop.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TAIL_MAX_PATTERNS 256
#define TAIL_CHUNK (64 << 10)
#define TAIL_BUDGET (4 << 20)		/* bytes per file per tail_process call */
#define TAIL_DIR_SCAN_MAX 100000	/* entries examined when looking for a rotated inode */
#define TAIL_GAP_MAX 32			/* files rotated in while down, drained at restart */
#define ROTATED_SUFFIX " (rotated)"
#define DIR_EVENTS (IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB | \
		    IN_MODIFY | IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF)
#define STRUCT_EVENTS (DIR_EVENTS & ~(uint32_t)(IN_MODIFY | IN_CLOSE_WRITE))

struct tail_file {
	struct tail_file *next;
	char *path;		/* current name */
	char *key;		/* store key: path, or "path (rotated)" once rotated away */
	size_t pat;		/* index of the pattern that matched it */
	int fd;
	uint64_t dev, ino;
	uint64_t read_off;	/* next byte to pread */
	uint64_t done_off;	/* just past the last delivered line */
	uint64_t written_off;	/* what the last tail_checkpoint wrote */
	uint64_t saved_off;	/* what the last committed checkpoint holds */
	struct vg_buf *buf;	/* the unfinished line, at most max_line bytes */
	bool skipping;		/* current line exceeded max_line: discard to '\n' */
	bool rotated;
	bool finished;		/* rotated file read to its end; clear its record, then free */
	bool clear_written;
	bool recorded;		/* its key holds a record from this run */
	bool error_logged;	/* a read error was logged; more are only counted */
	bool seen;		/* scratch for sync */
	int64_t last_data_ms;
	int64_t restored_mtime_ns;	/* resumed by inode at a rotated name: its mtime, else 0 */
	unsigned char head[TAIL_FP_BYTES];
	size_t head_len;
};

struct tail_pattern {
	char *name;
	void *tag;		/* handed back in every source_line */
	char *pattern;		/* as given */
	char *dir;
	bool is_glob;
	int wd;			/* -1: directory not watched (missing); retried by poll */
	bool dirty;		/* rescan needed */
	char *warned;		/* last path that failed to open: warned once, not every rescan */
	bool glob_warned;
	size_t n_dropped;	/* matches not followed at the last rescan (max files) */
};

struct tailer {
	const struct vg_logger *lg;
	size_t max_line;
	size_t max_files;
	unsigned rotate_wait_ms;
	int ifd;
	struct tail_pattern pats[TAIL_MAX_PATTERNS];
	size_t n_pats;
	struct tail_file *files;
	size_t n_files;		/* open files, bounded by max_files */
	bool pending;
	bool limit_logged;
	bool positions;		/* tail_restore/tail_checkpoint in use: records must be cleared */
	char *scratch;		/* TAIL_CHUNK bytes */
	struct tail_stats stats;
};

static bool
has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

int
tail_new(const struct vg_logger *lg, size_t max_line, struct tailer **out)
{
	struct tailer *t = NULL;
	int ret = VG_ERR_NOMEM;

	if (!out)
		return VG_ERR_INVAL;
	*out = NULL;
	if (max_line < 256 || max_line > ((size_t)64 << 20))
		return VG_ERR_INVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		goto out;
	t->ifd = -1;
	t->lg = lg;
	t->max_line = max_line;
	t->max_files = TAIL_MAX_FILES_DEFAULT;
	t->rotate_wait_ms = TAIL_ROTATE_WAIT_MS_DEFAULT;
	t->scratch = malloc(TAIL_CHUNK);
	if (!t->scratch)
		goto out;
	t->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (t->ifd < 0) {
		vg_error(lg, "tail: inotify_init1: %s", strerror(errno));
		ret = VG_ERR_IO;
		goto out;
	}
	*out = t;
	t = NULL;
	ret = VG_OK;
out:
	tail_free(t);
	return ret;
}

static void
file_free(struct tail_file *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	vg_buf_free(f->buf);
	free(f->path);
	free(f->key);
	free(f);
}

void
tail_free(struct tailer *t)
{
	if (!t)
		return;
	while (t->files) {
		struct tail_file *f = t->files;
		t->files = f->next;
		file_free(f);
	}
	for (size_t i = 0; i < t->n_pats; i++) {
		free(t->pats[i].name);
		free(t->pats[i].pattern);
		free(t->pats[i].dir);
		free(t->pats[i].warned);
	}
	if (t->ifd >= 0)
		close(t->ifd);
	free(t->scratch);
	free(t);
}

void
tail_set_max_files(struct tailer *t, size_t max_files)
{
	t->max_files = max_files ? max_files : 1;
}

void
tail_set_rotate_wait(struct tailer *t, unsigned rotate_wait_ms)
{
	t->rotate_wait_ms = rotate_wait_ms;
}

int
tail_fd(const struct tailer *t)
{
	return t->ifd;
}

bool
tail_pending(const struct tailer *t)
{
	return t->pending;
}

void
tail_get_stats(const struct tailer *t, struct tail_stats *out)
{
	*out = t->stats;
	out->files_dropped = 0;
	for (size_t i = 0; i < t->n_pats; i++)
		out->files_dropped += t->pats[i].n_dropped;
}

static void
watch_dir(struct tailer *t, struct tail_pattern *p)
{
	p->wd = inotify_add_watch(t->ifd, p->dir, DIR_EVENTS);
	if (p->wd < 0)
		vg_debug(t->lg, "tail: cannot watch %s: %s", p->dir, strerror(errno));
}

static void sync_pattern(struct tailer *t, size_t pi);

int
tail_add(struct tailer *t, const char *name, const char *path_or_glob)
{
	return tail_add_tagged(t, name, path_or_glob, NULL);
}

int
tail_add_tagged(struct tailer *t, const char *name, const char *path_or_glob, void *tag)
{
	struct tail_pattern *p;
	char *tmp = NULL;
	struct stat sb;
	int ret = VG_ERR_NOMEM;

	if (!t || !path_or_glob || !*path_or_glob)
		return VG_ERR_INVAL;
	if (t->n_pats >= TAIL_MAX_PATTERNS) {
		vg_error(t->lg, "tail: %s: more than %d patterns", path_or_glob, TAIL_MAX_PATTERNS);
		return VG_ERR_LIMIT;
	}
	p = &t->pats[t->n_pats];
	memset(p, 0, sizeof(*p));
	p->wd = -1;
	p->tag = tag;
	p->pattern = strdup(path_or_glob);
	p->name = strdup(name ? name : path_or_glob);
	tmp = strdup(path_or_glob);
	if (!p->pattern || !p->name || !tmp)
		goto out;
	p->dir = strdup(dirname(tmp));
	if (!p->dir)
		goto out;
	if (has_glob(p->dir)) {
		vg_error(t->lg, "tail: %s: wildcards are only allowed in the file name", p->pattern);
		ret = VG_ERR_INVAL;
		goto out;
	}
	if (stat(p->dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		vg_error(t->lg, "tail: %s: directory %s does not exist", p->pattern, p->dir);
		ret = VG_ERR_NOTFOUND;
		goto out;
	}
	p->is_glob = has_glob(p->pattern);
	watch_dir(t, p);
	t->n_pats++;
	sync_pattern(t, t->n_pats - 1);
	ret = VG_OK;
out:
	if (ret != VG_OK) {
		free(p->pattern);
		free(p->name);
		free(p->dir);
		memset(p, 0, sizeof(*p));
	}
	free(tmp);
	return ret;
}

/* ---- files ---- */

static struct tail_file *
file_open(struct tailer *t, size_t pi, const char *path, const struct stat *sb)
{
	struct tail_file *f;

	if (t->n_files >= t->max_files) {
		t->pats[pi].n_dropped++;
		if (!t->limit_logged)
			vg_warn(t->lg, "tail: not following %s: limit of %zu files reached", path,
			    t->max_files);
		t->limit_logged = true;
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (f->fd < 0) {
		struct tail_pattern *p = &t->pats[pi];
		t->stats.io_errors++;
		if (!p->warned || strcmp(p->warned, path) != 0) {
			vg_warn(t->lg, "tail: cannot open %s: %s (retrying quietly)", path,
			    strerror(errno));
			free(p->warned);
			p->warned = strdup(path);
		}
		free(f);
		return NULL;
	}
	struct stat fsb;
	if (fstat(f->fd, &fsb) != 0 || (sb && (fsb.st_dev != sb->st_dev || fsb.st_ino != sb->st_ino))) {
		/* replaced between stat and open: the next scan sees the new one */
		close(f->fd);
		free(f);
		return NULL;
	}
	f->path = strdup(path);
	f->key = strdup(path);
	f->buf = vg_buf_new(t->max_line);
	if (!f->path || !f->key || !f->buf) {
		file_free(f);
		return NULL;
	}
	f->pat = pi;
	f->dev = (uint64_t)fsb.st_dev;
	f->ino = (uint64_t)fsb.st_ino;
	f->last_data_ms = loop_now_ms();
	f->next = t->files;
	t->files = f;
	t->n_files++;
	t->stats.files_opened++;
	vg_debug(t->lg, "tail: following %s (inode %" PRIu64 ")", path, f->ino);
	return f;
}

/* Moves the file's positions to off (forgetting the unfinished line). */
static void
file_seek(struct tail_file *f, uint64_t off)
{
	f->read_off = f->done_off = off;
	vg_buf_reset(f->buf);
	f->skipping = false;
	if (off < f->head_len)
		f->head_len = off;
}

static void
file_mark_rotated(struct tailer *t, struct tail_file *f)
{
	char *key;
	size_t n = strlen(f->path) + sizeof(ROTATED_SUFFIX);

	if (f->rotated)
		return;
	key = malloc(n);
	if (key) {
		snprintf(key, n, "%s%s", f->path, ROTATED_SUFFIX);
		free(f->key);
		f->key = key;
	}
	f->rotated = true;
	f->recorded = false;
	f->last_data_ms = loop_now_ms();
	t->stats.rotations++;
	vg_info(t->lg, "tail: %s was rotated away or deleted; reading it to its end", f->path);
}

/* ---- reading ---- */

static int
deliver(struct tailer *t, struct tail_file *f, const char *data, size_t len, bool truncated,
    uint64_t off_after, source_line_fn fn, void *arg)
{
	struct source_line line = {
		.source = t->pats[f->pat].name,
		.path = f->path,
		.data = data,
		.len = len,
		.truncated = truncated,
		.offset_after = off_after,
		.tag = t->pats[f->pat].tag,
	};
	int r = fn(&line, arg);
	if (r != 0)
		return r;
	f->done_off = off_after;
	vg_buf_reset(f->buf);
	f->skipping = false;
	t->stats.lines++;
	if (truncated)
		t->stats.truncated++;
	return 0;
}

/* Splits n bytes read at file offset pos into lines. Non-zero: fn refused a line. */
static int
feed(struct tailer *t, struct tail_file *f, const char *data, size_t n, uint64_t pos,
    source_line_fn fn, void *arg)
{
	const char *p = data, *end = data + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t seg = (size_t)((nl ? nl : end) - p);
		bool cut = f->skipping;
		int r = 0;

		if (!f->skipping) {
			size_t have = vg_buf_len(f->buf), room = t->max_line - have;
			if (seg > room) {
				vg_buf_put(f->buf, p, room);
				f->skipping = cut = true;
			} else if (nl && have == 0) {
				r = deliver(t, f, p, seg, false, pos + (uint64_t)(nl - data) + 1, fn, arg);
				if (r != 0)
					return r;
				p = nl + 1;
				continue;
			} else {
				vg_buf_put(f->buf, p, seg);	/* fits: seg <= room */
			}
		}
		if (!nl)
			break;
		r = deliver(t, f, vg_buf_ptr(f->buf), vg_buf_len(f->buf), cut,
		    pos + (uint64_t)(nl - data) + 1, fn, arg);
		if (r != 0)
			return r;
		p = nl + 1;
	}
	return 0;
}

static void
remember_head(struct tail_file *f, const char *data, size_t n, uint64_t pos)
{
	if (pos > f->head_len || f->head_len >= TAIL_FP_BYTES)
		return;
	size_t skip = f->head_len - (size_t)pos;
	if (skip >= n)
		return;
	size_t take = n - skip;
	if (take > TAIL_FP_BYTES - f->head_len)
		take = TAIL_FP_BYTES - f->head_len;
	memcpy(f->head + f->head_len, data + skip, take);
	f->head_len += take;
}

/* Reads what is new in f (up to the budget). Returns 0, or fn's non-zero value
 * after moving the read offset back to the refused line. *eof tells whether the
 * end of the file was reached. */
static int
file_read(struct tailer *t, struct tail_file *f, source_line_fn fn, void *arg, bool *eof)
{
	size_t budget = TAIL_BUDGET;
	struct stat sb;

	*eof = false;
	if (fstat(f->fd, &sb) != 0) {
		t->stats.io_errors++;
		*eof = true;
		return 0;
	}
	if ((uint64_t)sb.st_size < f->read_off && S_ISREG(sb.st_mode)) {
		/* copytruncate: the file was emptied under us; what it held was copied away */
		t->stats.truncations++;
		t->stats.partial_dropped += vg_buf_len(f->buf);
		vg_info(t->lg, "tail: %s was truncated (size %lld < offset %" PRIu64 "); "
		    "reading from the start", f->path, (long long)sb.st_size, f->read_off);
		file_seek(f, 0);
		f->head_len = 0;
	}
	while (budget > 0) {
		size_t want = budget < TAIL_CHUNK ? budget : TAIL_CHUNK;
		ssize_t n = pread(f->fd, t->scratch, want, (off_t)f->read_off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			/* e.g. EIO on a vanished mount: keep the file and retry later */
			t->stats.io_errors++;
			if (!f->error_logged)
				vg_warn(t->lg, "tail: read %s: %s (retrying quietly)", f->path,
				    strerror(errno));
			f->error_logged = true;
			*eof = true;
			return 0;
		}
		if (n == 0) {
			*eof = true;
			return 0;
		}
		f->error_logged = false;
		uint64_t pos = f->read_off;
		remember_head(f, t->scratch, (size_t)n, pos);
		f->read_off += (uint64_t)n;
		f->last_data_ms = loop_now_ms();
		t->stats.bytes += (uint64_t)n;
		budget -= (size_t)n;
		int r = feed(t, f, t->scratch, (size_t)n, pos, fn, arg);
		if (r != 0) {
			file_seek(f, f->done_off);
			return r;
		}
	}
	t->pending = true;
	return 0;
}

/* A rotated file at its end: hand over the unfinished line and stop reading it. */
static int
file_finish(struct tailer *t, struct tail_file *f, source_line_fn fn, void *arg)
{
	if (f->finished)
		return 0;
	if (vg_buf_len(f->buf) > 0 || f->skipping) {
		int r = deliver(t, f, vg_buf_ptr(f->buf), vg_buf_len(f->buf), f->skipping,
		    f->read_off, fn, arg);
		if (r != 0) {
			file_seek(f, f->done_off);
			return r;
		}
	}
	f->finished = true;
	vg_debug(t->lg, "tail: finished rotated %s", f->path);
	return 0;
}

/* ---- scanning ---- */

struct cand {
	char *path;
	uint64_t dev, ino;
};

static struct tail_file *
find_inode(struct tailer *t, uint64_t dev, uint64_t ino, bool finished_too)
{
	for (struct tail_file *f = t->files; f; f = f->next)
		if (f->dev == dev && f->ino == ino && (finished_too || !f->finished))
			return f;
	return NULL;
}

/* Compares the pattern's current matches with the files followed for it. */
static void
sync_pattern(struct tailer *t, size_t pi)
{
	struct tail_pattern *p = &t->pats[pi];
	glob_t g = { 0 };
	struct cand *c = NULL;
	size_t nc = 0, max_c;
	char *one[1];
	char **names;
	size_t n_names;

	p->dirty = false;
	p->n_dropped = 0;
	if (p->is_glob) {
		int gr = glob(p->pattern, GLOB_NOSORT, NULL, &g);
		if (gr != 0 && gr != GLOB_NOMATCH) {
			if (!p->glob_warned)
				vg_warn(t->lg, "tail: cannot list %s (retrying quietly)", p->pattern);
			p->glob_warned = true;
			globfree(&g);
			return;
		}
		p->glob_warned = false;
		names = g.gl_pathv;
		n_names = gr == 0 ? g.gl_pathc : 0;
	} else {
		one[0] = p->pattern;
		names = one;
		n_names = 1;
	}
	max_c = n_names < t->max_files ? n_names : t->max_files;
	if (n_names > max_c) {
		p->n_dropped += n_names - max_c;
		if (!t->limit_logged)
			vg_warn(t->lg, "tail: %s matches %zu files; following at most %zu",
			    p->pattern, n_names, t->max_files);
		t->limit_logged = true;
	}
	c = calloc(max_c ? max_c : 1, sizeof(*c));
	if (!c)
		goto out;
	for (size_t i = 0; i < n_names && nc < max_c; i++) {
		struct stat sb;
		if (stat(names[i], &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		c[nc].path = names[i];
		c[nc].dev = (uint64_t)sb.st_dev;
		c[nc].ino = (uint64_t)sb.st_ino;
		nc++;
	}
	for (struct tail_file *f = t->files; f; f = f->next)
		f->seen = false;
	/* Inodes still matched: maybe under a new name (renamed within the glob). */
	for (size_t i = 0; i < nc; i++) {
		struct tail_file *f = find_inode(t, c[i].dev, c[i].ino, false);
		if (!f || f->pat != pi)
			continue;
		if (f->seen)
			continue;	/* a hard link matched twice */
		f->seen = true;
		if (strcmp(f->path, c[i].path) != 0 || f->rotated) {
			char *np = strdup(c[i].path), *nk = strdup(c[i].path);
			if (np && nk) {
				free(f->path);
				free(f->key);
				f->path = np;
				f->key = nk;
				f->rotated = false;
				f->recorded = false;
				np = nk = NULL;
			}
			free(np);
			free(nk);
		}
		c[i].path = NULL;	/* handled */
	}
	/* Followed inodes no longer matched: renamed away or deleted. */
	for (struct tail_file *f = t->files; f; f = f->next)
		if (f->pat == pi && !f->seen && !f->rotated && !f->finished)
			file_mark_rotated(t, f);
	/* New inodes. */
	for (size_t i = 0; i < nc; i++) {
		if (!c[i].path)
			continue;
		if (find_inode(t, c[i].dev, c[i].ino, true))
			continue;	/* followed for another pattern */
		struct stat sb = { .st_dev = (dev_t)c[i].dev, .st_ino = (ino_t)c[i].ino };
		file_open(t, pi, c[i].path, &sb);
	}
out:
	free(c);
	if (p->is_glob)
		globfree(&g);
}

static void
drain_inotify(struct tailer *t)
{
	char evbuf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));

	for (;;) {
		ssize_t n = read(t->ifd, evbuf, sizeof(evbuf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		for (char *p = evbuf; p < evbuf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			p += sizeof(*ev) + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				for (size_t i = 0; i < t->n_pats; i++)
					t->pats[i].dirty = true;
				continue;
			}
			/* IN_MODIFY alone needs no rescan: every open file is read anyway. */
			if (!(ev->mask & (STRUCT_EVENTS | IN_IGNORED)))
				continue;
			for (size_t i = 0; i < t->n_pats; i++) {
				if (t->pats[i].wd != ev->wd)
					continue;
				t->pats[i].dirty = true;
				if (ev->mask & IN_IGNORED)
					t->pats[i].wd = -1;	/* directory gone; poll re-watches */
			}
		}
	}
}

static int
read_all(struct tailer *t, source_line_fn fn, void *arg)
{
	uint64_t before = t->stats.lines;
	int r = 0;

	t->pending = false;
	for (struct tail_file *f = t->files; f && r == 0; f = f->next) {
		bool eof;
		if (f->finished || f->fd < 0)
			continue;
		r = file_read(t, f, fn, arg, &eof);
		if (r != 0)
			break;
		/* the clock is read after file_read: it stamps last_data_ms itself, and
		 * a "now" taken before it made the wait look negative under load */
		if (f->rotated && eof && (loop_now_ms() - f->last_data_ms >= (int64_t)t->rotate_wait_ms))
			r = file_finish(t, f, fn, arg);
	}
	if (r != 0)
		return r;
	uint64_t n = t->stats.lines - before;
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

int
tail_process(struct tailer *t, source_line_fn fn, void *arg)
{
	if (!t || !fn)
		return VG_ERR_INVAL;
	drain_inotify(t);
	for (size_t i = 0; i < t->n_pats; i++)
		if (t->pats[i].dirty)
			sync_pattern(t, i);
	return read_all(t, fn, arg);
}

int
tail_poll(struct tailer *t, source_line_fn fn, void *arg)
{
	if (!t || !fn)
		return VG_ERR_INVAL;
	drain_inotify(t);
	for (size_t i = 0; i < t->n_pats; i++) {
		if (t->pats[i].wd < 0)
			watch_dir(t, &t->pats[i]);
		sync_pattern(t, i);
	}
	return read_all(t, fn, arg);
}

/* ---- positions ---- */

static void
fingerprint_of(const unsigned char *data, size_t n, char hex[65])
{
	if (n == 0 || vg_sha256_hex(data, n, hex) != VG_OK)
		hex[0] = '\0';
}

/* Fingerprint of the first min(TAIL_FP_BYTES, off) bytes of fd; the length is
 * derived from the stored offset, so short files need no special case. */
static int
fingerprint_fd(int fd, uint64_t off, unsigned char *head, size_t *head_len, char hex[65])
{
	size_t want = off < TAIL_FP_BYTES ? (size_t)off : TAIL_FP_BYTES, got = 0;

	while (got < want) {
		ssize_t n = pread(fd, head + got, want - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return VG_ERR_IO;
		got += (size_t)n;
	}
	*head_len = got;
	fingerprint_of(head, got, hex);
	return VG_OK;
}

/* Checks the stored position against fd; on a match sets f's offsets. */
static bool
resume_matches(int fd, const struct store_offset *so, unsigned char *head, size_t *head_len)
{
	struct stat sb;
	char hex[65];

	if (fstat(fd, &sb) != 0 || (uint64_t)sb.st_size < so->offset)
		return false;
	if (fingerprint_fd(fd, so->offset, head, head_len, hex) != VG_OK)
		return false;
	return strcmp(hex, so->fingerprint) == 0;
}

static int64_t
mtime_ns(const struct stat *sb)
{
	return (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
}

/* Looks in dir for the inode a stored record names (a file rotated while vigil
 * was down) and follows it as rotated from the stored offset. */
static void
restore_rotated(struct tailer *t, size_t pi, const char *path, const struct store_offset *so)
{
	char *tmp = strdup(path), *dir;
	DIR *d = NULL;
	struct dirent *de;
	size_t seen = 0;

	if (!tmp || so->ino == 0 || find_inode(t, so->dev, so->ino, true))
		goto out;
	dir = dirname(tmp);
	d = opendir(dir);
	if (!d)
		goto out;
	while ((de = readdir(d)) && seen++ < TAIL_DIR_SCAN_MAX) {
		struct stat sb;
		if ((uint64_t)de->d_ino != so->ino)
			continue;
		if (fstatat(dirfd(d), de->d_name, &sb, 0) != 0 || !S_ISREG(sb.st_mode) ||
		    (uint64_t)sb.st_dev != so->dev || (uint64_t)sb.st_ino != so->ino)
			continue;
		char full[PATH_MAX];
		if (snprintf(full, sizeof(full), "%s/%s", dir, de->d_name) >= (int)sizeof(full))
			continue;
		struct tail_file *f = file_open(t, pi, full, &sb);
		if (!f)
			break;
		if (!resume_matches(f->fd, so, f->head, &f->head_len)) {
			/* same inode, other content: nothing of ours (f was pushed first) */
			t->files = f->next;
			t->n_files--;
			file_free(f);
			break;
		}
		/* follow it under the name it was rotated from, so the record stays keyed */
		char *np = strdup(path);
		if (np) {
			free(f->path);
			f->path = np;
		}
		file_mark_rotated(t, f);
		file_seek(f, so->offset);
		f->written_off = f->saved_off = so->offset;
		f->restored_mtime_ns = mtime_ns(&sb);
		t->stats.resumed++;
		vg_info(t->lg, "tail: resuming rotated %s/%s at offset %" PRIu64, dir, de->d_name,
		    so->offset);
		break;
	}
out:
	if (d)
		closedir(d);
	free(tmp);
}

/* "app.log.1", "app.log-20261129": a rotated name of base, not a packed one
 * (a compressed copy is a new inode holding lines already read). */
static bool
rotated_sibling(const char *base, const char *name)
{
	static const char *const packed[] = { ".gz", ".zst", ".bz2", ".xz", ".lz4", ".zip" };
	size_t nb = strlen(base), nn = strlen(name);

	if (nn <= nb + 1 || strncmp(name, base, nb) != 0 || !strchr(".-_", name[nb]))
		return false;
	for (size_t i = 0; i < sizeof(packed) / sizeof(packed[0]); i++) {
		size_t np = strlen(packed[i]);
		if (nn > np && strcmp(name + nn - np, packed[i]) == 0)
			return false;
	}
	return true;
}

struct gap {
	char name[NAME_MAX + 1];
	struct stat sb;
};

static int
gap_newest_first(const void *a, const void *b)
{
	int64_t ma = mtime_ns(&((const struct gap *)a)->sb);
	int64_t mb = mtime_ns(&((const struct gap *)b)->sb);
	return ma < mb ? 1 : ma > mb ? -1 : 0;
}

/* The file last read for pattern pi was found at a rotated name: a second
 * rotation while vigil was down may have moved a file it never saw between that
 * one and the live file (log -> log.1 -> log.2, log -> log.1, new log). Rotation
 * stops writes to the older file before the newer one is written, so every
 * rotated sibling modified at or after ref_ns that is not followed yet is such a
 * file: it is read from its start, oldest first, before the live file goes on. */
static void
restore_gaps(struct tailer *t, size_t pi, int64_t ref_ns)
{
	struct tail_pattern *p = &t->pats[pi];
	const char *slash = strrchr(p->pattern, '/');
	const char *base = slash ? slash + 1 : p->pattern;
	struct gap *g = NULL;
	size_t ng = 0, seen = 0;
	struct dirent *de;
	DIR *d = opendir(p->dir);

	if (!d)
		return;
	g = calloc(TAIL_GAP_MAX, sizeof(*g));
	if (!g)
		goto out;
	while ((de = readdir(d)) && seen++ < TAIL_DIR_SCAN_MAX) {
		struct stat sb;
		if (!rotated_sibling(base, de->d_name) ||
		    fstatat(dirfd(d), de->d_name, &sb, 0) != 0 || !S_ISREG(sb.st_mode) ||
		    mtime_ns(&sb) < ref_ns ||
		    find_inode(t, (uint64_t)sb.st_dev, (uint64_t)sb.st_ino, true))
			continue;
		if (ng == TAIL_GAP_MAX) {
			vg_warn(t->lg, "tail: more than %d files rotated in %s while stopped; "
			    "reading the first %d found", TAIL_GAP_MAX, p->dir, TAIL_GAP_MAX);
			break;
		}
		snprintf(g[ng].name, sizeof(g[ng].name), "%s", de->d_name);
		g[ng++].sb = sb;
	}
	/* file_open pushes onto the list head: newest first leaves the oldest read first */
	qsort(g, ng, sizeof(*g), gap_newest_first);
	for (size_t i = 0; i < ng; i++) {
		char full[PATH_MAX];
		struct tail_file *f;
		if (snprintf(full, sizeof(full), "%s/%s", p->dir, g[i].name) >= (int)sizeof(full))
			continue;
		f = file_open(t, pi, full, &g[i].sb);
		if (!f)
			continue;
		file_mark_rotated(t, f);
		vg_info(t->lg, "tail: %s was rotated in while stopped; reading it from the start",
		    full);
	}
out:
	free(g);
	closedir(d);
}

int
tail_restore(struct tailer *t, struct vg_store *st)
{
	if (!t || !st)
		return VG_ERR_INVAL;
	t->positions = true;
	for (size_t pi = 0; pi < t->n_pats; pi++) {
		bool have = false;
		for (struct tail_file *f = t->files; f; f = f->next)
			have = have || f->pat == pi;
		if (!t->pats[pi].is_glob && !have) {
			/* the file is gone now, but a rotated copy may still hold unread lines */
			struct store_offset so;
			char key[PATH_MAX + sizeof(ROTATED_SUFFIX)];
			snprintf(key, sizeof(key), "%s%s", t->pats[pi].pattern, ROTATED_SUFFIX);
			if (store_offset_get(st, key, &so) == VG_OK)
				restore_rotated(t, pi, t->pats[pi].pattern, &so);
			if (store_offset_get(st, t->pats[pi].pattern, &so) == VG_OK)
				restore_rotated(t, pi, t->pats[pi].pattern, &so);
		}
	}
	/* restore_rotated pushes onto the list head, behind this walk: not revisited */
	for (struct tail_file *f = t->files; f; f = f->next) {
		struct store_offset so;
		char key[PATH_MAX + sizeof(ROTATED_SUFFIX)];
		int r;

		if (f->rotated || f->finished)
			continue;
		snprintf(key, sizeof(key), "%s%s", f->path, ROTATED_SUFFIX);
		if (store_offset_get(st, key, &so) == VG_OK)
			restore_rotated(t, f->pat, f->path, &so);
		r = store_offset_get(st, f->path, &so);
		if (r == VG_ERR_NOTFOUND)
			continue;
		if (r != VG_OK)
			return r;
		if (so.ino == 0)
			continue;
		if (resume_matches(f->fd, &so, f->head, &f->head_len)) {
			file_seek(f, so.offset);
			f->written_off = f->saved_off = so.offset;
			f->recorded = true;
			t->stats.resumed++;
			vg_info(t->lg, "tail: resuming %s at offset %" PRIu64, f->path, so.offset);
			continue;
		}
		f->head_len = 0;
		t->stats.replaced++;
		vg_info(t->lg, "tail: %s is not the file last read there; reading it from the start",
		    f->path);
		restore_rotated(t, f->pat, f->path, &so);
	}
	/* only after every record is restored: a file a record names is not a gap */
	for (size_t pi = 0; pi < t->n_pats; pi++) {
		int64_t ref = 0;
		if (t->pats[pi].is_glob)
			continue;
		for (struct tail_file *f = t->files; f; f = f->next)
			if (f->pat == pi && f->restored_mtime_ns &&
			    (!ref || f->restored_mtime_ns < ref))
				ref = f->restored_mtime_ns;
		if (ref)
			restore_gaps(t, pi, ref);
	}
	return VG_OK;
}

int
tail_checkpoint(struct tailer *t, struct vg_store *st)
{
	if (!t || !st)
		return VG_ERR_INVAL;
	t->positions = true;
	for (struct tail_file *f = t->files; f; f = f->next) {
		struct store_offset so = { 0 };
		int r;

		if (f->finished) {
			if (f->clear_written)
				continue;
			/* nothing left to read in it: an empty record means "none" */
			r = store_offset_set(st, f->key, &so);
			if (r != VG_OK)
				return r;
			f->clear_written = true;
			continue;
		}
		if (f->recorded && f->done_off == f->written_off)
			continue;
		so.dev = f->dev;
		so.ino = f->ino;
		so.offset = f->done_off;
		fingerprint_of(f->head, f->done_off < f->head_len ? (size_t)f->done_off : f->head_len,
		    so.fingerprint);
		r = store_offset_set(st, f->key, &so);
		if (r != VG_OK)
			return r;
		f->written_off = f->done_off;
		f->recorded = true;
	}
	return VG_OK;
}

bool
tail_unsaved(const struct tailer *t)
{
	for (const struct tail_file *f = t->files; f; f = f->next) {
		if (f->finished ? !f->clear_written : (!f->recorded || f->done_off != f->written_off))
			return true;
	}
	return false;
}

void
tail_committed(struct tailer *t)
{
	struct tail_file **pp = &t->files;

	while (*pp) {
		struct tail_file *f = *pp;
		f->saved_off = f->written_off;
		/* a finished file's record must say "none" before it is let go, or a
		 * restart would find the inode again and read its tail twice */
		if (f->finished && (f->clear_written || !t->positions)) {
			*pp = f->next;
			t->n_files--;
			file_free(f);
			continue;
		}
		pp = &f->next;
	}
}

void
tail_rewind(struct tailer *t)
{
	for (struct tail_file *f = t->files; f; f = f->next) {
		f->finished = false;
		f->clear_written = false;
		file_seek(f, f->saved_off);
		f->written_off = f->saved_off;
		f->recorded = false;
	}
}
