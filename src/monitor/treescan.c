/* Webshell scanning over trees; see treescan.h. The walk is core/walk.c; directories
 * are remembered by (dev, inode) so a bind-mount loop is walked once. */
#include "monitor/treescan.h"
#include "core/err.h"
#include "core/walk.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OUT(o) ((o)->out ? (o)->out : (o)->arg)
#define SEEN_MAX (1u << 20)	/* directories remembered for loop detection */

struct dir_id {
	dev_t dev;
	ino_t ino;
};

struct ts_arg {
	char *path;		/* as given */
	char *root;		/* the directory rootfd is: path, or a file argument's dirname */
	const char *sep;	/* "/" unless path ends with one */
	int rootfd;
	bool is_file;		/* a file argument: rel is its base name */
};

struct ts_file {
	uint32_t arg;
	char *rel;
};

struct ts_skip {
	uint32_t arg;
	enum treescan_why why;
	int err;
	long long size;
	char *rel;
};

struct treescan {
	struct ts_arg *args;
	size_t nargs, acap;
	struct ts_file *files;
	size_t n, cap;
	size_t dropped;		/* over TREESCAN_MAX_FILES */
	size_t special;		/* FIFOs, sockets, devices: never opened */
	size_t symlinks;	/* never followed */
	size_t loops;		/* directories seen twice (bind-mount loops) */
	size_t walk_errors;	/* unreadable directories */
	struct ts_skip *skips;	/* "not scanned" findings of the walk */
	size_t nskips, skcap, skips_dropped;
	struct dir_id *seen;	/* open-addressing set, SEEN_MAX slots */
	size_t nseen;
	const struct vg_logger *log;
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
		free(t->files[i].rel);
	free(t->files);
	for (size_t i = 0; i < t->nskips; i++)
		free(t->skips[i].rel);
	free(t->skips);
	for (size_t i = 0; i < t->nargs; i++) {
		if (t->args[i].rootfd >= 0)
			close(t->args[i].rootfd);
		free(t->args[i].path);
		free(t->args[i].root);
	}
	free(t->args);
	free(t->seen);
	free(t);
}

const char *
treescan_why_name(enum treescan_why why)
{
	switch (why) {
	case TREESCAN_TOO_BIG:		return "too_big";
	case TREESCAN_UNREADABLE:	return "unreadable";
	case TREESCAN_DIR_UNREADABLE:	return "directory_unreadable";
	case TREESCAN_LOOP:		return "directory_loop";
	case TREESCAN_FILE_LIMIT:	return "file_limit";
	default:			return "unknown";
	}
}

const char *
treescan_why_text(const struct treescan_unscanned *u, long long max_size, char *buf,
    size_t size)
{
	switch (u->why) {
	case TREESCAN_TOO_BIG:
		snprintf(buf, size, "over the size limit (%lld bytes > %lld)", u->size, max_size);
		break;
	case TREESCAN_UNREADABLE:
		snprintf(buf, size, "unreadable (%s)", strerror(u->err));
		break;
	case TREESCAN_DIR_UNREADABLE:
		snprintf(buf, size, "directory unreadable, nothing below it scanned (%s)",
		    strerror(u->err));
		break;
	case TREESCAN_LOOP:
		snprintf(buf, size, "directory already visited (a loop)");
		break;
	case TREESCAN_FILE_LIMIT:
		snprintf(buf, size, "%lld files over the limit of %d", u->size,
		    TREESCAN_MAX_FILES);
		break;
	default:
		snprintf(buf, size, "unknown reason");
	}
	return buf;
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
list_add(struct treescan *t, const char *rel)
{
	if (t->n >= TREESCAN_MAX_FILES) {
		if (t->dropped++ == 0)
			vg_warn(t->log, "scan: more than %d files; the rest are not scanned",
			    TREESCAN_MAX_FILES);
		return VG_OK;
	}
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 1024;
		struct ts_file *np = realloc(t->files, nc * sizeof(*np));
		if (!np)
			return VG_ERR_NOMEM;
		t->files = np;
		t->cap = nc;
	}
	if (!(t->files[t->n].rel = strdup(rel)))
		return VG_ERR_NOMEM;
	t->files[t->n].arg = (uint32_t)(t->nargs - 1);
	t->n++;
	return VG_OK;
}

/* A "not scanned" finding of the walk (bounded; more are counted). */
static int
skip_add(struct treescan *t, const char *rel, enum treescan_why why, int err)
{
	if (t->nskips >= TREESCAN_MAX_UNSCANNED) {
		t->skips_dropped++;
		return VG_OK;
	}
	if (t->nskips == t->skcap) {
		size_t nc = t->skcap ? t->skcap * 2 : 16;
		struct ts_skip *np = realloc(t->skips, nc * sizeof(*np));
		if (!np)
			return VG_ERR_NOMEM;
		t->skips = np;
		t->skcap = nc;
	}
	if (!(t->skips[t->nskips].rel = strdup(rel)))
		return VG_ERR_NOMEM;
	t->skips[t->nskips].arg = (uint32_t)(t->nargs - 1);
	t->skips[t->nskips].why = why;
	t->skips[t->nskips].err = err;
	t->skips[t->nskips].size = 0;
	t->nskips++;
	return VG_OK;
}

static int
walk_entry(void *arg, const struct vg_walk_entry *e)
{
	struct treescan *t = arg;

	if (e->event == VG_WALK_DIR_FAILED) {
		t->walk_errors++;
		return skip_add(t, e->rel, TREESCAN_DIR_UNREADABLE, e->err);
	}
	if (e->event != VG_WALK_ENTRY || !e->type)
		return 0;	/* vanished between readdir and lstat */
	if (S_ISREG(e->type))
		return list_add(t, e->rel);
	if (S_ISLNK(e->type)) {
		t->symlinks++;
		return 0;
	}
	if (!S_ISDIR(e->type)) {
		t->special++;
		return 0;
	}
	struct stat st;
	if (!e->st && fstatat(e->dirfd, e->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return VG_WALK_SKIP;
	const struct stat *s = e->st ? e->st : &st;
	if (!seen_add(t, s->st_dev, s->st_ino)) {
		t->loops++;
		int r = skip_add(t, e->rel, TREESCAN_LOOP, 0);
		return r < 0 ? r : VG_WALK_SKIP;
	}
	return 0;
}

/* Appends an argument; its root directory is opened (as given: the user named it). */
static int
arg_add(struct treescan *t, const char *path, bool is_file)
{
	struct ts_arg *a;
	char *d = NULL;

	if (t->nargs == t->acap) {
		size_t nc = t->acap ? t->acap * 2 : 8;
		struct ts_arg *np = realloc(t->args, nc * sizeof(*np));
		if (!np)
			return VG_ERR_NOMEM;
		t->args = np;
		t->acap = nc;
	}
	a = &t->args[t->nargs];
	memset(a, 0, sizeof(*a));
	a->rootfd = -1;
	a->is_file = is_file;
	if (!(a->path = strdup(path)) || !(d = strdup(path))) {
		free(a->path);
		return VG_ERR_NOMEM;
	}
	if (!(a->root = strdup(is_file ? dirname(d) : path))) {
		free(a->path);
		free(d);
		return VG_ERR_NOMEM;
	}
	free(d);
	a->sep = is_file || (*path && path[strlen(path) - 1] == '/') ? "" : "/";
	a->rootfd = open(a->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	t->nargs++;
	return VG_OK;
}

int
treescan_add(struct treescan *t, const char *arg)
{
	struct stat st;
	int ret;

	if (stat(arg, &st) != 0)
		return VG_ERR_NOTFOUND;
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		t->special++;
		return VG_ERR_FORMAT;
	}
	if ((ret = arg_add(t, arg, S_ISREG(st.st_mode))) != VG_OK)
		return ret;
	struct ts_arg *a = &t->args[t->nargs - 1];
	if (a->rootfd < 0) {
		t->walk_errors++;
		return skip_add(t, "", TREESCAN_DIR_UNREADABLE, errno);
	}
	if (a->is_file) {
		char *b = strdup(arg);
		if (!b)
			return VG_ERR_NOMEM;
		ret = list_add(t, basename(b));
		free(b);
		return ret;
	}
	return vg_walk(a->rootfd, ".", "", 0, 0, walk_entry, t);
}

/* The path shown for rel of argument a (malloc'd; any length). */
static char *
shown_path(const struct ts_arg *a, const char *rel)
{
	if (a->is_file)
		return strdup(a->path);
	size_t la = strlen(a->path), lr = strlen(rel), ls = *rel ? strlen(a->sep) : 0;
	char *p = malloc(la + ls + lr + 1);
	if (!p)
		return NULL;
	memcpy(p, a->path, la);
	memcpy(p + la, a->sep, ls);
	memcpy(p + la + ls, rel, lr + 1);
	return p;
}

struct run {
	struct treescan *t;
	const struct treescan_opts *o;
	struct treescan_stats *st;
	atomic_size_t next;
	pthread_mutex_t lock;	/* the report/progress callbacks and the counters */
};

/* Tells the caller about a "not scanned" finding; the lock is held. */
static void
unscanned(struct run *r, const char *path, enum treescan_why why, int err, long long size)
{
	struct treescan_unscanned u = { .path = path, .why = why, .err = err, .size = size };
	r->st->unscanned++;
	if (r->o->unscanned)
		r->o->unscanned(OUT(r->o), &u);
}

static void
scan_one(struct run *r, const struct ts_file *file)
{
	const struct treescan_opts *o = r->o;
	struct treescan_stats *st = r->st;
	const struct ts_arg *a = &r->t->args[file->arg];
	struct webshell_finding *f = malloc(sizeof(*f));
	char qid[TREESCAN_ID_MAX] = "", qerr[512] = "", *path = shown_path(a, file->rel);
	int ret;

	if (!f || !path) {
		free(f);
		free(path);
		return;
	}
	ret = o->scan(o->arg, a->rootfd, a->root, file->rel, path, f, qid, qerr, sizeof(qerr));
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
			o->report(OUT(o), path, f, qid);
		break;
	case VG_ERR_NOTFOUND:
		st->vanished++;
		vg_info(o->log, "scan: %s: vanished before it was scanned", path);
		break;
	case VG_ERR_LIMIT:
		st->too_big++;
		unscanned(r, path, TREESCAN_TOO_BIG, 0, f->size);
		break;
	case VG_ERR_FORMAT:
		st->not_regular++;
		vg_info(o->log, "scan: %s: no longer a regular file; not opened", path);
		break;
	default:
		st->unreadable++;
		unscanned(r, path, TREESCAN_UNREADABLE, ret == VG_ERR_NOMEM ? ENOMEM : err_no, 0);
		break;
	}
	if (o->progress)
		o->progress(OUT(o), st, false);
	pthread_mutex_unlock(&r->lock);
	free(path);
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
		scan_one(r, &r->t->files[i]);
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
	/* what the walk could not reach comes first: it is known before any file */
	for (size_t i = 0; i < t->nskips; i++) {
		char *path = shown_path(&t->args[t->skips[i].arg], t->skips[i].rel);
		if (path)
			unscanned(&r, path, t->skips[i].why, t->skips[i].err, t->skips[i].size);
		free(path);
	}
	if (t->skips_dropped)
		vg_warn(o->log, "scan: %zu more directories not scanned (findings over %d not "
		    "listed)", t->skips_dropped, TREESCAN_MAX_UNSCANNED);
	st->unscanned += t->skips_dropped;
	if (t->dropped && t->nargs)
		unscanned(&r, t->args[0].path, TREESCAN_FILE_LIMIT, 0, (long long)t->dropped);
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
