/* Webshell scanning over trees; see treescan.h. The walk is core/walk.c; directories
 * are remembered by (dev, inode) so a bind-mount loop is walked once. */
#include "monitor/treescan.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/walk.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SEEN_MAX (1u << 20)	/* directories remembered for loop detection */

struct dir_id {
	dev_t dev;
	ino_t ino;
};

struct treescan {
	char **paths;
	size_t n, cap;
	size_t dropped;		/* over TREESCAN_MAX_FILES */
	size_t special;		/* FIFOs, sockets, devices: never opened */
	size_t symlinks;	/* never followed */
	size_t loops;		/* directories seen twice (bind-mount loops) or too deep */
	size_t walk_errors;	/* unreadable directories */
	struct dir_id *seen;	/* open-addressing set, SEEN_MAX slots */
	size_t nseen;
	const struct vg_logger *log;
	/* during one walk */
	const char *arg;
	const char *sep;	/* "/" unless arg ends with one */
	struct vg_buf *p;
	int err;
};

int
treescan_new(const struct vg_logger *log, struct treescan **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return VG_ERR_NOMEM;
	(*out)->log = log;
	return VG_OK;
}

void
treescan_free(struct treescan *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->paths[i]);
	free(t->paths);
	free(t->seen);
	free(t);
}

/* Remembers a directory; false if it was already there (a loop) or the set is full. */
static bool
seen_add(struct treescan *t, dev_t dev, ino_t ino)
{
	if (!t->seen && !(t->seen = calloc(SEEN_MAX, sizeof(*t->seen))))
		return false;
	if (t->nseen >= SEEN_MAX / 2)
		return false;
	size_t h = ((size_t)ino * 0x9E3779B97F4A7C15ull ^ (size_t)dev) & (SEEN_MAX - 1);
	for (;;) {
		struct dir_id *s = &t->seen[h];
		if (s->dev == 0 && s->ino == 0) {
			s->dev = dev;
			s->ino = ino;
			t->nseen++;
			return true;
		}
		if (s->dev == dev && s->ino == ino)
			return false;
		h = (h + 1) & (SEEN_MAX - 1);
	}
}

static int
list_add(struct treescan *t, const char *path)
{
	if (t->n >= TREESCAN_MAX_FILES) {
		if (t->dropped++ == 0)
			vg_warn(t->log, "scan: more than %d files; the rest are not scanned",
			    TREESCAN_MAX_FILES);
		return VG_OK;
	}
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 1024;
		char **np = realloc(t->paths, nc * sizeof(*np));
		if (!np)
			return VG_ERR_NOMEM;
		t->paths = np;
		t->cap = nc;
	}
	if (!(t->paths[t->n] = strdup(path)))
		return VG_ERR_NOMEM;
	t->n++;
	return VG_OK;
}

static int
walk_entry(void *arg, const struct vg_walk_entry *e)
{
	struct treescan *t = arg;
	const char *path;

	vg_buf_reset(t->p);
	if (vg_buf_putf(t->p, "%s%s%s", t->arg, *e->rel ? t->sep : "", e->rel) != VG_OK) {
		t->walk_errors++;
		vg_warn(t->log, "scan: %s%s%s: path too long; skipped", t->arg, t->sep, e->rel);
		return VG_WALK_SKIP;
	}
	path = vg_buf_ptr(t->p);
	if (e->event == VG_WALK_DIR_FAILED) {
		t->walk_errors++;
		vg_warn(t->log, "scan: %s: cannot open directory: %s", path, strerror(e->err));
		return 0;
	}
	if (e->event != VG_WALK_ENTRY || !e->type)
		return 0;	/* vanished between readdir and lstat */
	if (S_ISREG(e->type))
		return list_add(t, path);
	if (S_ISLNK(e->type)) {
		t->symlinks++;
		return 0;
	}
	if (!S_ISDIR(e->type)) {
		t->special++;
		return 0;
	}
	if (e->depth > TREESCAN_MAX_DEPTH) {
		t->loops++;
		vg_warn(t->log, "scan: %s: deeper than %d levels; not descending", path,
		    TREESCAN_MAX_DEPTH);
		return VG_WALK_SKIP;
	}
	struct stat st;
	if (!e->st && fstatat(e->dirfd, e->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return VG_WALK_SKIP;
	const struct stat *s = e->st ? e->st : &st;
	if (!seen_add(t, s->st_dev, s->st_ino)) {
		t->loops++;
		vg_warn(t->log, "scan: %s: directory already visited (loop); skipped", path);
		return VG_WALK_SKIP;
	}
	return 0;
}

int
treescan_add(struct treescan *t, const char *arg)
{
	struct stat st;
	int fd, ret;

	if (stat(arg, &st) != 0)
		return VG_ERR_NOTFOUND;
	if (S_ISREG(st.st_mode))
		return list_add(t, arg);
	if (!S_ISDIR(st.st_mode)) {
		t->special++;
		return VG_ERR_FORMAT;
	}
	if ((fd = open(arg, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		t->walk_errors++;
		vg_warn(t->log, "scan: %s: cannot open directory: %s", arg, strerror(errno));
		return VG_OK;
	}
	if (!(t->p = vg_buf_new(8192))) {
		close(fd);
		return VG_ERR_NOMEM;
	}
	t->arg = arg;
	t->sep = *arg && arg[strlen(arg) - 1] == '/' ? "" : "/";
	ret = vg_walk(fd, ".", "", 0, 0, walk_entry, t);
	vg_buf_free(t->p);
	t->p = NULL;
	close(fd);
	return ret;
}

struct run {
	struct treescan *t;
	const struct treescan_opts *o;
	struct treescan_stats *st;
	atomic_size_t next;
	pthread_mutex_t lock;	/* the report/progress callbacks and the counters */
};

static void
scan_one(struct run *r, const char *path)
{
	const struct treescan_opts *o = r->o;
	struct treescan_stats *st = r->st;
	struct webshell_finding *f = malloc(sizeof(*f));
	char qid[TREESCAN_ID_MAX] = "", qerr[512] = "";
	int ret;

	if (!f)
		return;
	ret = o->scan(o->arg, path, f, qid, qerr, sizeof(qerr));
	int err_no = errno;
	if (ret == 1 && qerr[0])
		vg_warn(o->log, "scan: quarantine: %s", qerr);
	else if (ret == 0 && qerr[0])
		vg_error(o->log, "scan: quarantine failed: %s", qerr);
	if (ret > 0)
		ret = VG_OK;
	pthread_mutex_lock(&r->lock);
	st->done++;
	switch (ret) {
	case VG_OK:
		st->bytes += (unsigned long long)f->size;
		if (f->score >= WEBSHELL_MALICIOUS)
			st->malicious++;
		else if (f->score >= WEBSHELL_SUSPICIOUS)
			st->suspicious++;
		if (o->quarantine && f->score >= WEBSHELL_MALICIOUS) {
			if (qid[0])
				st->quarantined++;
			else
				st->quarantine_failed++;
		}
		if (o->all || f->score >= WEBSHELL_SUSPICIOUS)
			o->report(o->arg, f, qid);
		break;
	case VG_ERR_NOTFOUND:
		st->vanished++;
		vg_info(o->log, "scan: %s: vanished before it was scanned", path);
		break;
	case VG_ERR_LIMIT:
		st->too_big++;
		vg_info(o->log, "scan: %s: %lld bytes, over the size limit; not scanned",
		    path, f->size);
		break;
	case VG_ERR_FORMAT:
		st->not_regular++;
		vg_info(o->log, "scan: %s: no longer a regular file; not opened", path);
		break;
	default:
		st->unreadable++;
		vg_warn(o->log, "scan: %s: %s (%s)", path, vg_strerror(ret), strerror(err_no));
		break;
	}
	if (o->progress)
		o->progress(o->arg, st, false);
	pthread_mutex_unlock(&r->lock);
	free(f);
}

static void *
worker(void *arg)
{
	struct run *r = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&r->next, 1);
		if (i >= r->t->n)
			break;
		scan_one(r, r->t->paths[i]);
	}
	return NULL;
}

int
treescan_run(struct treescan *t, const struct treescan_opts *o, struct treescan_stats *st)
{
	struct run r = { .t = t, .o = o, .st = st };
	pthread_t tids[TREESCAN_MAX_THREADS];
	int started = 0;
	long long threads = o->threads;

	memset(st, 0, sizeof(*st));
	st->files = t->n;
	st->dropped = t->dropped;
	st->special = t->special;
	st->symlinks = t->symlinks;
	st->loops = t->loops;
	st->walk_errors = t->walk_errors;
	pthread_mutex_init(&r.lock, NULL);
	atomic_init(&r.next, 0);
	if ((size_t)threads > t->n)
		threads = t->n ? (long long)t->n : 1;
	for (long long i = 1; i < threads && i < TREESCAN_MAX_THREADS; i++) {
		if (pthread_create(&tids[started], NULL, worker, &r) != 0)
			break;
		started++;
	}
	worker(&r);	/* the caller's thread is a worker too */
	for (int i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	pthread_mutex_destroy(&r.lock);
	st->threads = started + 1;
	return VG_OK;
}
