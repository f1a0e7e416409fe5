/* Snapshots: manifests in backup_dir/snapshots/<root>/<id>.json (id = UTC time, so names
 * sort by age and the newest is the baseline), indexed in the backup directory's store
 * (core/store_backup.h), which is what lists them: a manifest deleted from under the
 * index is an error, never a silent step back to an older baseline. A manifest on disk
 * the index lacks (an older vigil's, or a crash between writing and indexing) is
 * adopted into it with a log line once it is a minute old; a younger one is listed
 * meanwhile (its creator is indexing it). Creating one scans the root, stores new objects on
 * worker threads and syncs them in two batched steps before the manifest names them. */
#include "backup/snapshot.h"
#include "backup/objstore.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/store.h"
#include "core/store_backup.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

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

/* The manifests on disk, sorted. */
static int
disk_list(const struct protect *p, const struct protect_root *r, char ***ids, size_t *n)
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

/* A manifest the index lacks is adopted only once it is this old: a younger one is
 * most likely a snapshot whose creator has written it and is indexing it now (a
 * watcher reloads its baseline as soon as the manifest appears). It is listed
 * meanwhile, as it always was. */
#define ADOPT_AFTER_S 60

/* Indexes the manifests on disk (sorted) that the index (sorted) lacks and that are
 * old enough; *added counts them. Younger ones move from disk[] to fresh[] (nd
 * slots), their count in *nf. */
static int
adopt(struct protect *p, const struct protect_root *r, char **disk, size_t nd, char **idx,
    size_t ni, size_t *added, char **fresh, size_t *nf)
{
	char path[PATH_MAX];
	struct stat st;
	time_t now = time(NULL);
	size_t j = 0;
	int ret = VG_OK;

	*added = *nf = 0;
	for (size_t i = 0; i < nd && ret == VG_OK; i++) {
		while (j < ni && strcmp(idx[j], disk[i]) < 0)
			j++;
		if (j < ni && strcmp(idx[j], disk[i]) == 0)
			continue;
		struct store_snapshot sn = { .webroot = r->name, .id = disk[i], .files = -1,
			.bytes = -1, .new_objects = -1, .new_bytes = -1, .adopted = true };
		if (protect_snapshot_path(p, r, disk[i], path, sizeof(path)) != VG_OK ||
		    stat(path, &st) != 0)
			continue;	/* gone meanwhile */
		if (st.st_mtime > now - ADOPT_AFTER_S) {
			fresh[(*nf)++] = disk[i];
			disk[i] = NULL;
			continue;
		}
		sn.created_at = (int64_t)st.st_mtim.tv_sec * 1000000 + st.st_mtim.tv_nsec / 1000;
		ret = store_snapshot_add(p->store, &sn);
		if (ret == VG_ERR_BUSY)
			ret = VG_OK;	/* indexed by another process meanwhile */
		else if (ret == VG_OK)
			(*added)++;
	}
	return ret;
}

int
protect_snapshot_list(struct protect *p, const struct protect_root *r, char ***ids, size_t *n)
{
	char **disk = NULL, **idx = NULL, **fresh = NULL, dir[PATH_MAX];
	size_t nd = 0, ni = 0, nf = 0, added = 0;
	int ret;

	*ids = NULL;
	*n = 0;
	if ((ret = disk_list(p, r, &disk, &nd)) != VG_OK)
		return ret;
	if (!p->store) {
		*ids = disk;
		*n = nd;
		return VG_OK;
	}
	if ((ret = store_snapshot_ids(p->store, r->name, &idx, &ni)) != VG_OK)
		goto out;
	if (nd > 0 && !(fresh = calloc(nd, sizeof(*fresh)))) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	if (nd > 0 && (ret = adopt(p, r, disk, nd, idx, ni, &added, fresh, &nf)) != VG_OK)
		goto out;
	if (added) {
		protect_snapshot_path(p, r, NULL, dir, sizeof(dir));
		vg_warn(p->log, "%s: %zu snapshot manifest(s) in %s were not in the index of %s/"
		    PROTECT_STORE_FILE " (written by an older vigil, or indexing was cut short): "
		    "indexed now", r->name, added, dir, p->backup_dir);
		protect_ids_free(idx, ni);
		idx = NULL;
		ni = 0;
		if ((ret = store_snapshot_ids(p->store, r->name, &idx, &ni)) != VG_OK)
			goto out;
	}
	if (nf) {
		char **all = realloc(idx, (ni + nf) * sizeof(*all));
		if (!all) {
			ret = VG_ERR_NOMEM;
			goto out;
		}
		idx = all;
		memcpy(idx + ni, fresh, nf * sizeof(*fresh));
		ni += nf;
		nf = 0;
		qsort(idx, ni, sizeof(*idx), cmp_str);
	}
	*ids = idx;
	*n = ni;
	idx = NULL;
	ni = 0;
out:
	protect_ids_free(disk, nd);
	protect_ids_free(idx, ni);
	protect_ids_free(fresh, nf);
	return ret;
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
		snprintf(err, err_size, "web root %s has no snapshot '%s'%s%s", r->name, chosen,
		    id ? "" : ": the index names it but its manifest is gone: ", id ? "" : path);
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
		/* a corrupted object is not "had": the file is stored again over it */
		if (e->type != MF_FILE || !e->sha256[0] ||
		    objstore_has_sound(pt->p->backup_dir, e->sha256, e->size, buf, OBJ_BUF_SIZE))
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

/* Indexes the saved manifest id, with then inside the same transaction. Without a
 * then step a failed index is only a warning: the manifest is adopted at the next
 * listing. With one (a publish commit), both land or neither does. */
static int
index_new(struct protect *p, const struct protect_root *r, const struct manifest *m,
    const char *id, const struct protect_snapshot_stats *stats, protect_snapshot_then then,
    void *arg)
{
	struct store_snapshot sn = { .webroot = r->name, .id = id, .created_at = m->created_us,
		.files = (int64_t)stats->files, .bytes = (int64_t)stats->bytes,
		.new_objects = (int64_t)stats->new_objects, .new_bytes = (int64_t)stats->new_bytes };
	int ret;

	if (!p->store)
		return VG_OK;
	if ((ret = store_begin(p->store)) == VG_OK) {
		if ((ret = store_snapshot_add(p->store, &sn)) == VG_OK && then)
			ret = then(arg);
		if (ret == VG_OK)
			ret = store_commit(p->store);
		else
			store_rollback(p->store);
	}
	if (ret == VG_OK)
		return VG_OK;
	if (then) {
		vg_error(p->log, "%s: snapshot %s could not be indexed in %s/" PROTECT_STORE_FILE
		    ": %s; not saved", r->name, id, p->backup_dir, vg_strerror(ret));
		return ret;
	}
	vg_warn(p->log, "%s: snapshot %s is saved but not indexed in %s/" PROTECT_STORE_FILE
	    " (%s); it is adopted at the next listing", r->name, id, p->backup_dir,
	    vg_strerror(ret));
	return VG_OK;
}

int
protect_snapshot_create(struct protect *p, struct protect_root *r, int threads, bool progress,
    char *id_out, struct protect_snapshot_stats *stats)
{
	return protect_snapshot_create_gated(p, r, threads, progress, NULL, NULL, NULL, id_out,
	    stats);
}

int
protect_snapshot_create_gated(struct protect *p, struct protect_root *r, int threads,
    bool progress, protect_snapshot_gate gate, protect_snapshot_then then, void *gate_arg,
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
	if (gate && (ret = gate(gate_arg, m)) != VG_OK)
		goto out;
	/* ids are times; two snapshots in the same microsecond would collide */
	do {
		protect_make_id(id, sizeof(id));
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
	/* the manifest is durable first: an index row never names a missing file, and a
	 * manifest whose row is lost to a crash is adopted at the next listing */
	if ((ret = index_new(p, r, m, id, stats, then, gate_arg)) != VG_OK) {
		unlink(path);
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
