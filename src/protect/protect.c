/* Web-root protection core. Snapshots live in backup_dir/snapshots/<root>/<id>.json
 * (id = UTC time, so names sort by age and the newest is the baseline); files an
 * attacker added are moved to backup_dir/removed/<root>/<time>/<path>, never unlinked;
 * a publishing window is the file backup_dir/publish/<root>.json. */
#include "protect/protect.h"
#include "core/buf.h"
#include "core/err.h"
#include "protect/diff.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

const char *
protect_policy_name(enum protect_policy pol)
{
	switch (pol) {
	case POLICY_RESTORE:	return "restore";
	case POLICY_QUARANTINE:	return "quarantine";
	default:		return "alert";
	}
}

static enum protect_policy
policy_parse(const char *s)
{
	if (s && strcmp(s, "restore") == 0)
		return POLICY_RESTORE;
	if (s && strcmp(s, "quarantine") == 0)
		return POLICY_QUARANTINE;
	return POLICY_ALERT;
}

const char *
protect_action_name(enum protect_action a)
{
	switch (a) {
	case ACT_RESTORED:	return "restored";
	case ACT_MOVED_ASIDE:	return "moved-aside";
	case ACT_QUARANTINED:	return "quarantined";
	case ACT_RECORDED:	return "recorded";
	case ACT_FAILED:	return "failed";
	default:		return "none";
	}
}

/* A web-root name usable as a file name: [A-Za-z0-9._-], others become '_'. */
static char *
safe_name(const char *name, const char *path)
{
	char tmp[PATH_MAX];
	const char *src = name;
	if (!src) {
		vg_strlcpy(tmp, path, sizeof(tmp));
		size_t n = strlen(tmp);
		while (n > 1 && tmp[n - 1] == '/')
			tmp[--n] = '\0';
		src = basename(tmp);
	}
	char *s = strdup(*src && strcmp(src, ".") && strcmp(src, "..") ? src : "webroot");
	for (char *c = s; c && *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' || *c == '_'))
			*c = '_';
	if (s && s[0] == '.')
		s[0] = '_';
	return s;
}

int
protect_open(const struct vg_config *cfg, const struct vg_logger *log, struct protect **out)
{
	struct protect *p = calloc(1, sizeof(*p));
	int ret;

	*out = NULL;
	if (!p)
		return VG_ERR_NOMEM;
	p->log = log;
	if (!(p->backup_dir = strdup(cfg->protect.backup_dir)) ||
	    !(p->buf = malloc(OBJ_BUF_SIZE)) ||
	    !(p->roots = calloc(cfg->webroots.n + 1, sizeof(*p->roots)))) {
		ret = VG_ERR_NOMEM;
		goto fail;
	}
	if ((ret = tamper_new(&p->tamper)) != VG_OK)
		goto fail;
	if ((ret = objstore_init(p->backup_dir)) != VG_OK) {
		vg_error(log, "%s: cannot create backup directory: %s", p->backup_dir,
		    strerror(errno));
		goto fail;
	}
	for (size_t i = 0; i < cfg->webroots.n; i++) {
		const struct vg_webroot_cfg *w = vg_config_webroot(cfg, i);
		struct protect_root *r = &p->roots[p->n_roots];
		if (!(r->name = safe_name(w->name, w->path)) || !(r->path = strdup(w->path))) {
			free(r->name);
			ret = VG_ERR_NOMEM;
			goto fail;
		}
		r->cfg = w;
		r->policy = policy_parse(w->policy);
		p->n_roots++;
		for (size_t j = 0; j + 1 < p->n_roots; j++)
			if (strcmp(p->roots[j].name, r->name) == 0) {
				vg_error(log, "web roots %s and %s share the name '%s'; give each a "
				    "distinct name:", p->roots[j].path, r->path, r->name);
				ret = VG_ERR_CONFIG;
				goto fail;
			}
	}
	*out = p;
	return VG_OK;
fail:
	protect_free(p);
	return ret;
}

void
protect_free(struct protect *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_roots; i++) {
		free(p->roots[i].name);
		free(p->roots[i].path);
		manifest_free(p->roots[i].base);
	}
	free(p->roots);
	tamper_free(p->tamper);
	free(p->buf);
	free(p->backup_dir);
	free(p);
}

struct protect_root *
protect_root_find(struct protect *p, const char *name)
{
	if (!name)
		return p->n_roots == 1 ? &p->roots[0] : NULL;
	for (size_t i = 0; i < p->n_roots; i++)
		if (strcmp(p->roots[i].name, name) == 0 ||
		    (p->roots[i].cfg->name && strcmp(p->roots[i].cfg->name, name) == 0))
			return &p->roots[i];
	return NULL;
}

enum protect_policy
protect_policy_for(const struct protect_root *r, const char *rel)
{
	const struct vg_cfg_array *a = &r->cfg->policies;
	for (size_t i = 0; i < a->n; i++) {
		const struct vg_webroot_policy_cfg *pc =
		    &((const struct vg_webroot_policy_cfg *)a->items)[i];
		const struct vg_cfg_strlist one = { .items = (char **)&pc->path, .n = 1 };
		if (mf_excluded(&one, rel) || mf_path_within(rel, pc->path))
			return policy_parse(pc->policy);
	}
	return r->policy;
}

int
protect_snapshot_path(const struct protect *p, const struct protect_root *r, const char *id,
    char *out, size_t size)
{
	int n = id ? snprintf(out, size, "%s/snapshots/%s/%s.json", p->backup_dir, r->name, id)
		   : snprintf(out, size, "%s/snapshots/%s", p->backup_dir, r->name);
	return n < 0 || (size_t)n >= size ? VG_ERR_LIMIT : VG_OK;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
protect_ids_free(char **ids, size_t n)
{
	for (size_t i = 0; ids && i < n; i++)
		free(ids[i]);
	free(ids);
}

int
protect_snapshot_list(struct protect *p, const struct protect_root *r, char ***ids, size_t *n)
{
	char dir[PATH_MAX];
	DIR *d;
	struct dirent *de;
	char **v = NULL;
	size_t cnt = 0, cap = 0;

	*ids = NULL;
	*n = 0;
	if (protect_snapshot_path(p, r, NULL, dir, sizeof(dir)) != VG_OK)
		return VG_ERR_LIMIT;
	if (!(d = opendir(dir)))
		return errno == ENOENT ? VG_OK : VG_ERR_IO;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 6 || len - 5 >= PROTECT_ID_SIZE || de->d_name[0] == '.' ||
		    strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			char **nv = realloc(v, cap * sizeof(*nv));
			if (!nv)
				goto nomem;
			v = nv;
		}
		if (!(v[cnt] = strndup(de->d_name, len - 5)))
			goto nomem;
		cnt++;
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof(*v), cmp_str);
	*ids = v;
	*n = cnt;
	return VG_OK;
nomem:
	closedir(d);
	protect_ids_free(v, cnt);
	return VG_ERR_NOMEM;
}

int
protect_snapshot_load(struct protect *p, const struct protect_root *r, const char *id,
    struct manifest **out, char *id_out, char *err, size_t err_size)
{
	char **ids = NULL, path[PATH_MAX], chosen[PROTECT_ID_SIZE];
	size_t n = 0;
	int ret;

	*out = NULL;
	err[0] = '\0';
	if (!id) {
		if ((ret = protect_snapshot_list(p, r, &ids, &n)) != VG_OK)
			return ret;
		if (n == 0) {
			snprintf(err, err_size, "web root %s has no snapshot yet (run `vigil backup "
			    "create`)", r->name);
			protect_ids_free(ids, n);
			return VG_ERR_NOTFOUND;
		}
		vg_strlcpy(chosen, ids[n - 1], sizeof(chosen));
		protect_ids_free(ids, n);
	} else if (vg_strlcpy(chosen, id, sizeof(chosen)) != VG_OK || strchr(id, '/')) {
		snprintf(err, err_size, "bad snapshot id '%s'", id);
		return VG_ERR_INVAL;
	}
	if ((ret = protect_snapshot_path(p, r, chosen, path, sizeof(path))) != VG_OK)
		return ret;
	if (access(path, F_OK) != 0) {
		snprintf(err, err_size, "web root %s has no snapshot '%s'", r->name, chosen);
		return VG_ERR_NOTFOUND;
	}
	if ((ret = manifest_load(path, out, err, err_size)) != VG_OK)
		return ret;
	if (id_out)
		vg_strlcpy(id_out, chosen, PROTECT_ID_SIZE);
	return VG_OK;
}

int
protect_load_baseline(struct protect *p, struct protect_root *r, char *err, size_t size)
{
	struct manifest *m = NULL;
	char id[PROTECT_ID_SIZE];
	int ret = protect_snapshot_load(p, r, NULL, &m, id, err, size);
	if (ret != VG_OK)
		return ret;
	manifest_free(r->base);
	r->base = m;
	memcpy(r->base_id, id, sizeof(id));
	return VG_OK;
}

/* Stores objects for the files of m on worker threads. */
struct putter {
	struct protect *p;
	struct manifest *m;
	size_t next;		/* atomic */
	int err;		/* first error, atomic-ish: any non-zero is enough */
	uint64_t new_bytes;	/* atomic */
	size_t new_objects;	/* atomic */
	char **staged;		/* per entry: temp copy waiting for the batched sync */
};

static void *
put_worker(void *arg)
{
	struct putter *pt = arg;
	unsigned char *buf = malloc(OBJ_BUF_SIZE);
	char path[PATH_MAX], hex[OBJ_HEX_SIZE], tmp[PATH_MAX];
	size_t i;

	if (!buf) {
		pt->err = VG_ERR_NOMEM;
		return NULL;
	}
	while ((i = __atomic_fetch_add(&pt->next, 1, __ATOMIC_RELAXED)) < pt->m->n) {
		struct mf_entry *e = &pt->m->e[i];
		if (e->type != MF_FILE || !e->sha256[0] || objstore_has(pt->p->backup_dir, e->sha256))
			continue;
		snprintf(path, sizeof(path), "%s/%s", pt->m->root, e->path);
		int r = objstore_stage_path(pt->p->backup_dir, path, buf, OBJ_BUF_SIZE, hex, tmp,
		    sizeof(tmp));
		if (r == VG_ERR_NOTFOUND || r == VG_ERR_FORMAT) {
			e->sha256[0] = '\0';	/* vanished since the scan */
			e->err = VG_ERR_NOTFOUND;
			continue;
		}
		if (r != VG_OK) {
			pt->err = r;
			continue;
		}
		if (tmp[0] && !(pt->staged[i] = strdup(tmp))) {
			unlink(tmp);
			pt->err = VG_ERR_NOMEM;
			continue;
		}
		if (strcmp(hex, e->sha256) != 0) {
			/* rewritten since the scan: record what was stored */
			struct stat st;
			memcpy(e->sha256, hex, OBJ_HEX_SIZE);
			if (lstat(path, &st) == 0)
				e->size = (uint64_t)st.st_size;
		}
		__atomic_fetch_add(&pt->new_objects, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&pt->new_bytes, e->size, __ATOMIC_RELAXED);
	}
	free(buf);
	return NULL;
}

static void
make_id(char *out, size_t size)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	if (snprintf(out, size, "%04d%02d%02dT%02d%02d%02d.%06dZ", (tm.tm_year + 1900) % 10000,
	    (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
	    tm.tm_sec % 100, (int)(ts.tv_nsec / 1000) % 1000000) >= (int)size)
		out[size - 1] = '\0';
}

int
protect_snapshot_create(struct protect *p, struct protect_root *r, int threads, bool progress,
    char *id_out, struct protect_snapshot_stats *stats)
{
	struct mf_scan_opts so = { .exclude = &r->cfg->exclude, .threads = threads, .hash = true,
		.progress = progress, .log = p->log };
	struct manifest *m = NULL;
	struct putter pt = { .p = p };
	char dir[PATH_MAX], path[PATH_MAX], id[PROTECT_ID_SIZE];
	pthread_t tid[8];
	int ret, nt = threads > 0 ? (threads > 8 ? 8 : threads) : 2, started = 0;

	memset(stats, 0, sizeof(*stats));
	struct timespec t0, t1, t2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((ret = manifest_scan(r->path, "", &so, &m)) != VG_OK) {
		vg_error(p->log, "%s: cannot scan: %s", r->path, vg_strerror(ret));
		return ret;
	}
	pt.m = m;
	if (!(pt.staged = calloc(m->n + 1, sizeof(char *)))) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	for (int t = 1; t < nt; t++)
		if (pthread_create(&tid[started], NULL, put_worker, &pt) == 0)
			started++;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	put_worker(&pt);
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	/* one syncfs makes every staged copy durable, then they get their names, then a
	 * second syncfs makes the names durable before the manifest refers to them */
	if (!pt.err && pt.new_objects && objstore_sync(p->backup_dir) != VG_OK)
		pt.err = VG_ERR_IO;
	for (size_t i = 0; i < m->n; i++) {
		if (!pt.staged[i])
			continue;
		if (!pt.err && objstore_commit_staged(p->backup_dir, pt.staged[i],
		    m->e[i].sha256) != VG_OK)
			pt.err = VG_ERR_IO;
		else if (pt.err)
			unlink(pt.staged[i]);
		free(pt.staged[i]);
		pt.staged[i] = NULL;
	}
	if (!pt.err && pt.new_objects && objstore_sync(p->backup_dir) != VG_OK)
		pt.err = VG_ERR_IO;
	clock_gettime(CLOCK_MONOTONIC, &t2);
	vg_debug(p->log, "%s: scan+hash %.3f s, store objects %.3f s", r->name,
	    (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	    (double)(t2.tv_sec - t1.tv_sec) + (t2.tv_nsec - t1.tv_nsec) / 1e9);
	if (pt.err) {
		vg_error(p->log, "%s: cannot store objects in %s: %s", r->path, p->backup_dir,
		    vg_strerror(pt.err));
		ret = pt.err;
		goto out;
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct mf_entry *e = &m->e[i];
		stats->files += e->type == MF_FILE;
		stats->dirs += e->type == MF_DIR;
		stats->links += e->type == MF_LINK;
		stats->other += e->type == MF_OTHER;
		stats->unreadable += e->err != 0;
		if (e->type == MF_FILE)
			stats->bytes += e->size;
	}
	stats->new_objects = pt.new_objects;
	stats->new_bytes = pt.new_bytes;
	if (!(m->webroot = strdup(r->name))) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	/* ids are times; two snapshots in the same microsecond would collide */
	do {
		make_id(id, sizeof(id));
		protect_snapshot_path(p, r, id, path, sizeof(path));
	} while (access(path, F_OK) == 0);
	protect_snapshot_path(p, r, NULL, dir, sizeof(dir));
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		ret = VG_ERR_IO;
		goto out;
	}
	struct timeval tv;
	gettimeofday(&tv, NULL);
	m->created_us = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
	if ((ret = manifest_save(m, path)) != VG_OK) {
		vg_error(p->log, "%s: cannot write snapshot: %s", path, strerror(errno));
		goto out;
	}
	manifest_free(r->base);
	r->base = m;
	m = NULL;
	memcpy(r->base_id, id, sizeof(id));
	if (id_out)
		memcpy(id_out, id, sizeof(id));
out:
	if (pt.staged)
		for (size_t i = 0; m && i < m->n; i++)
			free(pt.staged[i]);
	free(pt.staged);
	manifest_free(m);
	return ret;
}

int
protect_publish_state_path(const struct protect *p, const struct protect_root *r, char *out,
    size_t size)
{
	int n = snprintf(out, size, "%s/publish/%s.json", p->backup_dir, r->name);
	return n < 0 || (size_t)n >= size ? VG_ERR_LIMIT : VG_OK;
}

bool
protect_publish_active(const struct protect *p, const struct protect_root *r)
{
	char path[PATH_MAX];
	return protect_publish_state_path(p, r, path, sizeof(path)) == VG_OK &&
	    access(path, F_OK) == 0;
}

/* ---- applying the policy ---- */

static int
path_join(char *out, size_t size, const char *root, const char *rel)
{
	int n = *rel ? snprintf(out, size, "%s/%s", root, rel) : snprintf(out, size, "%s", root);
	return n < 0 || (size_t)n >= size ? VG_ERR_LIMIT : VG_OK;
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

int
protect_restore_entry(struct protect *p, const char *dest_root, const struct mf_entry *e,
    int *attempts)
{
	char full[PATH_MAX], tmp[PATH_MAX], hex[OBJ_HEX_SIZE], dir[PATH_MAX];
	int ret = VG_ERR_BUSY;

	*attempts = 0;
	if (path_join(full, sizeof(full), dest_root, e->path) != VG_OK)
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
		int fd;
		if (snprintf(tmp, sizeof(tmp), "%s/.vigil-restore.XXXXXX", dir) >= (int)sizeof(tmp))
			return VG_ERR_INVAL;
		if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
			return errno == ENOSPC || errno == EDQUOT ? VG_ERR_LIMIT : VG_ERR_IO;
		(*attempts)++;
		ret = objstore_copy_to_fd(p->backup_dir, e->sha256, fd, p->buf, OBJ_BUF_SIZE);
		if (ret == VG_OK) {
			apply_meta_fd(fd, e);
			if (fsync(fd) != 0)
				ret = errno == ENOSPC ? VG_ERR_LIMIT : VG_ERR_IO;
		} else if (ret == VG_ERR_IO && (errno == ENOSPC || errno == EDQUOT)) {
			ret = VG_ERR_LIMIT;	/* full disk: say so */
		}
		close(fd);
		if (ret != VG_OK) {
			unlink(tmp);	/* a corrupted object is never installed */
			return ret;
		}
		if (rename(tmp, full) != 0) {
			ret = VG_ERR_IO;
			unlink(tmp);
			return ret;
		}
		/* re-check: an attacker may have rewritten it between rename and now */
		if (objstore_hash_path(full, p->buf, OBJ_BUF_SIZE, hex, NULL) == VG_OK &&
		    strcmp(hex, e->sha256) == 0)
			return VG_OK;
		ret = VG_ERR_BUSY;
	}
	return ret;
}

/* Copies src (not following symlinks) to dst, then removes src; a directory is done
 * recursively. Special files are removed without a copy: there is nothing to keep. */
static int
copy_out(struct protect *p, const char *src, const char *dst, int depth)
{
	struct stat st;
	int ret = VG_OK;

	if (lstat(src, &st) != 0)
		return errno == ENOENT ? VG_OK : VG_ERR_IO;
	if (S_ISDIR(st.st_mode)) {
		DIR *d;
		struct dirent *de;
		if (depth > MF_MAX_DEPTH)
			return VG_ERR_LIMIT;
		if ((mkdir(dst, 0700) != 0 && errno != EEXIST) || !(d = opendir(src)))
			return VG_ERR_IO;
		while ((de = readdir(d)) && ret == VG_OK) {
			char s2[PATH_MAX], d2[PATH_MAX];
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			if (snprintf(s2, sizeof(s2), "%s/%s", src, de->d_name) >= (int)sizeof(s2) ||
			    snprintf(d2, sizeof(d2), "%s/%s", dst, de->d_name) >= (int)sizeof(d2))
				ret = VG_ERR_LIMIT;
			else
				ret = copy_out(p, s2, d2, depth + 1);
		}
		closedir(d);
		if (ret == VG_OK && rmdir(src) != 0)
			ret = VG_ERR_IO;
		return ret;
	}
	if (S_ISLNK(st.st_mode)) {
		char t[PATH_MAX];
		ssize_t n = readlink(src, t, sizeof(t) - 1);
		if (n < 0)
			return VG_ERR_IO;
		t[n] = '\0';
		if (symlink(t, dst) != 0 && errno != EEXIST)
			return VG_ERR_IO;
	} else if (S_ISREG(st.st_mode)) {
		int in = open(src, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), out;
		ssize_t n;
		if (in < 0)
			return VG_ERR_IO;
		if ((out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
			close(in);
			return VG_ERR_IO;
		}
		while ((n = read(in, p->buf, OBJ_BUF_SIZE)) > 0)
			if (write(out, p->buf, (size_t)n) != n) {
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
	return unlink(src) == 0 ? VG_OK : VG_ERR_IO;
}

/* Moves root/rel into backup_dir/removed/<root>/<time>/<rel>; out gets the new path. */
static int
move_aside(struct protect *p, const struct protect_root *r, const char *rel, char *out,
    size_t size)
{
	char src[PATH_MAX], id[PROTECT_ID_SIZE], parent[PATH_MAX];
	int ret;

	make_id(id, sizeof(id));
	if (path_join(src, sizeof(src), r->path, rel) != VG_OK ||
	    snprintf(out, size, "%s/removed/%s/%s/%s", p->backup_dir, r->name, id, rel) >=
	    (int)size)
		return VG_ERR_LIMIT;
	vg_strlcpy(parent, out, sizeof(parent));
	*strrchr(parent, '/') = '\0';
	if ((ret = objstore_mkdir_p(parent, 0700)) != VG_OK)
		return ret;
	if (rename(src, out) == 0)
		return VG_OK;
	if (errno == ENOENT)
		return VG_ERR_NOTFOUND;
	if (errno != EXDEV)
		return VG_ERR_IO;
	/* another file system (backup_dir on a different mount): copy, then remove */
	return copy_out(p, src, out, 0);
}

static int
fix_meta(const char *root, const struct mf_entry *e)
{
	char full[PATH_MAX];
	if (path_join(full, sizeof(full), root, e->path) != VG_OK)
		return VG_ERR_LIMIT;
	if (e->type != MF_LINK && fchmodat(AT_FDCWD, full, e->mode, 0) != 0)
		return VG_ERR_IO;
	if (geteuid() == 0 && lchown(full, e->uid, e->gid) != 0)
		return VG_ERR_IO;
	return VG_OK;
}

/* Reads root/rel if it is a small regular file; NULL otherwise. */
static char *
read_small(const char *root, const char *rel, size_t *len)
{
	char full[PATH_MAX];
	struct vg_buf *b = NULL;
	char *out = NULL, chunk[65536];
	int fd;
	ssize_t n;

	if (path_join(full, sizeof(full), root, rel) != VG_OK)
		return NULL;
	if ((fd = open(full, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > PROTECT_TEXT_MAX)
		goto out;
	if (!(b = vg_buf_new(PROTECT_TEXT_MAX)))
		goto out;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (vg_buf_put(b, chunk, (size_t)n) != VG_OK)
			goto out;
	*len = vg_buf_len(b);
	out = vg_buf_steal(b);
out:
	vg_buf_free(b);
	close(fd);
	return out;
}

/* Diff + tamper flags for a changed or added text file. */
static void
analyze(struct protect *p, const struct protect_root *r, struct fim_change *ch,
    struct tamper_result *tr, struct vg_buf *diffbuf, struct vg_buf *injbuf)
{
	char *old = NULL, *cur = NULL, aname[PATH_MAX + 4], bname[PATH_MAX + 4];
	size_t olen = 0, clen = 0;
	struct diff *d = NULL;
	struct vg_buf *added = NULL;

	if (!ch->cur || ch->cur->type != MF_FILE)
		return;
	if (!(cur = read_small(r->path, ch->path, &clen)) || !diff_is_text(cur, clen))
		goto out;
	if (ch->base && ch->base->type == MF_FILE && ch->base->sha256[0]) {
		if (objstore_read(p->backup_dir, ch->base->sha256, PROTECT_TEXT_MAX, &old, &olen) !=
		    VG_OK || !diff_is_text(old, olen))
			goto out;
	}
	if (diff_lines(old ? old : "", olen, cur, clen, &d) != VG_OK)
		goto out;
	snprintf(aname, sizeof(aname), "a/%s", ch->path);
	snprintf(bname, sizeof(bname), "b/%s", ch->path);
	diff_unified(d, ch->base ? aname : "/dev/null", bname, 3, diffbuf);	/* cut is fine */
	if (!(added = vg_buf_new(PROTECT_TEXT_MAX + 1)) || diff_added_text(d, added) != VG_OK)
		goto out;
	if (tamper_scan(p->tamper, vg_buf_ptr(added), vg_buf_len(added), tr) != VG_OK)
		goto out;
	ch->diff = vg_buf_len(diffbuf) ? vg_buf_ptr(diffbuf) : NULL;
	ch->tamper = tr;
	if (tr->flags && tamper_describe(tr, injbuf) == VG_OK)
		ch->injected = vg_buf_ptr(injbuf);
out:
	vg_buf_free(added);
	diff_free(d);
	free(old);
	free(cur);
}

/* Puts the baseline back for one change; sets ch->action/err/detail. */
static void
restore_change(struct protect *p, struct protect_root *r, struct fim_change *ch, char *detail,
    size_t dsize)
{
	int ret = VG_OK;

	if (ch->kinds & FIM_ADDED) {
		ret = move_aside(p, r, ch->path, detail, dsize);
		ch->action = ret == VG_OK ? ACT_MOVED_ASIDE : ACT_FAILED;
		if (ret == VG_ERR_NOTFOUND) {	/* already gone */
			ch->action = ACT_NONE;
			ret = VG_OK;
		}
	} else {
		if (ch->kinds & FIM_TYPE) {
			ret = move_aside(p, r, ch->path, detail, dsize);
			if (ret == VG_ERR_NOTFOUND)
				ret = VG_OK;
		}
		if (ret == VG_OK) {
			if (ch->kinds & (FIM_DELETED | FIM_TYPE | FIM_CONTENT | FIM_TARGET))
				ret = protect_restore_entry(p, r->path, ch->base, &ch->attempts);
			else
				ret = fix_meta(r->path, ch->base);
		}
		ch->action = ret == VG_OK ? ACT_RESTORED : ACT_FAILED;
	}
	if (ret != VG_OK) {
		ch->err = ret;
		snprintf(detail, dsize, "%s", ret == VG_ERR_FORMAT && ch->base &&
		    ch->base->type == MF_FILE ? "backup object is corrupted or missing; not restored"
		    : ret == VG_ERR_BUSY ? "file kept being rewritten while restoring"
		    : ret == VG_ERR_LIMIT ? "no space left on the device"
		    : ret == VG_ERR_INVAL ? "path too long"
		    : ret == VG_ERR_FORMAT ? "special files are not recreated"
		    : ret == VG_ERR_NOTFOUND ? "no backup copy (unreadable at snapshot time)"
		    : strerror(errno));
	}
	if (ch->action != ACT_MOVED_ASIDE && ch->action != ACT_FAILED)
		detail[0] = '\0';
	ch->detail = detail[0] ? detail : NULL;
}

static void
act(struct protect *p, struct protect_root *r, const struct reconcile_opts *o,
    struct fim_change *ch, char *detail, size_t dsize)
{
	enum protect_policy pol;
	char full[PATH_MAX];

	detail[0] = '\0';
	if (o->mode == RECONCILE_REPORT)
		return;
	if (o->mode == RECONCILE_RESTORE) {
		restore_change(p, r, ch, detail, dsize);
		return;
	}
	if (protect_publish_active(p, r)) {
		ch->action = ACT_RECORDED;
		return;
	}
	pol = protect_policy_for(r, ch->path);
	path_join(full, sizeof(full), r->path, ch->path);
	if (o->hooks && p->file_hook && ch->cur && ch->cur->type == MF_FILE &&
	    (ch->kinds & (FIM_ADDED | FIM_CONTENT | FIM_TYPE))) {
		if (p->file_hook(p->file_hook_arg, r, full, ch->path, ch->kinds) == 1) {
			ch->action = ACT_QUARANTINED;
			if (ch->base)	/* the hook took the tampered copy; put the page back */
				restore_change(p, r, ch, detail, dsize);
			return;
		}
	}
	if (pol == POLICY_ALERT)
		return;
	if (pol == POLICY_QUARANTINE && ch->cur && ch->cur->type == MF_FILE &&
	    (ch->kinds & (FIM_ADDED | FIM_CONTENT | FIM_TYPE))) {
		if (p->quarantine && p->quarantine(p->quarantine_arg, r, full, ch->path) == 0) {
			ch->action = ACT_QUARANTINED;
			if (ch->base) {
				restore_change(p, r, ch, detail, dsize);
				if (ch->action == ACT_RESTORED)
					ch->action = ACT_QUARANTINED;
			}
			return;
		}
		if (!p->quarantine)
			vg_debug(p->log, "no quarantine handler; %s is moved aside", full);
	}
	restore_change(p, r, ch, detail, dsize);
}

/* If an ancestor of rel is no longer a plain directory (an attacker swapped it for a
 * symlink), shortens rel to that ancestor: working below it would follow the link out
 * of the web root. */
static void
lift_to_safe_ancestor(const char *root, char *rel)
{
	char full[PATH_MAX];
	struct stat st;
	for (char *slash = strchr(rel, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (snprintf(full, sizeof(full), "%s/%s", root, rel) >= (int)sizeof(full) ||
		    lstat(full, &st) != 0 || !S_ISDIR(st.st_mode))
			return;	/* rel now names the offending ancestor */
		*slash = '/';
	}
}

int
protect_reconcile(struct protect *p, struct protect_root *r, const struct manifest *base,
    const char *rel_in, const struct reconcile_opts *o, size_t *n_changes)
{
	char rel[PATH_MAX];
	struct mf_scan_opts so = { .exclude = &r->cfg->exclude, .threads = o->threads,
		.hash = true, .progress = o->progress, .log = p->log };
	struct manifest *cur = NULL;
	struct vg_buf *diffbuf = vg_buf_new(64 << 10), *injbuf = vg_buf_new(4096);
	struct manifest empty = { 0 };
	char skip[PATH_MAX] = "", detail[PATH_MAX + 128];
	size_t bi, ci = 0, changes = 0;
	int ret;

	if (n_changes)
		*n_changes = 0;
	if (vg_strlcpy(rel, rel_in, sizeof(rel)) != VG_OK) {
		ret = VG_ERR_LIMIT;
		goto out;
	}
	lift_to_safe_ancestor(r->path, rel);
	if (!diffbuf || !injbuf) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	if (!base)
		base = &empty;
	ret = manifest_scan(r->path, rel, &so, &cur);
	if (ret == VG_ERR_NOTFOUND && *rel) {
		if (!(cur = calloc(1, sizeof(*cur)))) {
			ret = VG_ERR_NOMEM;
			goto out;
		}
	} else if (ret != VG_OK) {
		goto out;
	}
	bi = manifest_lower_bound(base, rel);
	for (;;) {
		const struct mf_entry *b = NULL, *c = NULL;
		while (bi < base->n && mf_path_within(base->e[bi].path, rel) &&
		    mf_excluded(&r->cfg->exclude, base->e[bi].path))
			bi++;	/* excluded since the snapshot: not watched any more */
		bool bok = bi < base->n && mf_path_within(base->e[bi].path, rel);
		bool cok = ci < cur->n;
		if (!bok && !cok)
			break;
		int cmp = !bok ? 1 : !cok ? -1 : strcmp(base->e[bi].path, cur->e[ci].path);
		if (cmp <= 0)
			b = &base->e[bi++];
		if (cmp >= 0)
			c = &cur->e[ci++];
		const char *path = b ? b->path : c->path;
		if (skip[0] && mf_path_within(path, skip))
			continue;	/* inside something already moved aside */
		if (c && c->err && b && b->type == c->type)
			continue;	/* unreadable now: reported by the scan, not a change */
		unsigned kinds = fim_diff_entry(b, c);
		if (!kinds)
			continue;
		struct fim_change ch = { .root = r, .path = path, .kinds = kinds, .base = b,
			.cur = c };
		struct tamper_result tr;
		vg_buf_reset(diffbuf);
		vg_buf_reset(injbuf);
		if (o->analyze && (kinds & (FIM_ADDED | FIM_CONTENT)))
			analyze(p, r, &ch, &tr, diffbuf, injbuf);
		act(p, r, o, &ch, detail, sizeof(detail));
		if ((ch.action == ACT_MOVED_ASIDE || (kinds & FIM_TYPE)) && c && c->type == MF_DIR)
			vg_strlcpy(skip, path, sizeof(skip));
		changes++;
		if (o->fn)
			o->fn(o->arg, &ch);
	}
	if (n_changes)
		*n_changes = changes;
	ret = VG_OK;
out:
	if (cur != &empty)
		manifest_free(cur);
	vg_buf_free(diffbuf);
	vg_buf_free(injbuf);
	return ret;
}
