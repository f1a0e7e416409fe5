/* inotify watcher. Watch descriptors map to (root, relative dir) in an open-addressing
 * table; a path event becomes a pending entry that is due at once for close/delete/
 * move/attrib and after debounce_ms of quiet for plain writes (capped, so a slow
 * writer cannot postpone the check forever). Directories that cannot be watched
 * (ENOSPC, or max_watches) are listed and reconciled on a timer instead. A baseline
 * file with more than one hard link gets a watch of its own: a directory watch only
 * sees writes made through its own entries, a watch on the inode sees them all. */
#include "monitor/fimwatch.h"
#include "backup/snapshot.h"
#include "monitor/bighash.h"
#include "core/err.h"
#include "core/loop.h"
#include "core/walk.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define WATCH_MASK (IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | \
    IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_DONT_FOLLOW | IN_ONLYDIR | \
    IN_EXCL_UNLINK)
#define UNWATCHED_MAX 1024
#define DEFER_MAX_MS 2000	/* a file written without pause is judged after this */
#define RETRY_MAX 8		/* a failed restore is retried with backoff 0.5 s .. 64 s */
#define DEFER_MS 100		/* re-try a check put off by a CLI restore */
#define FILE_MASK (IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_DONT_FOLLOW)
#define BIG_FILE_DEFAULT (16ULL << 20)	/* hashed off the loop above this size */
#define HCACHE 64		/* big-file hashes remembered (by path and stat) */
#define SLICE_MS 200		/* a queue of plain paths gives the loop back after this
				 * long, so pages changed meanwhile go first */
#define INTERLEAVE_MS 100	/* a full rescan looks at new events this often */
#define READ_MAX_MS 10000	/* one read of events stops after this long (a safety:
				 * once events are lost each costs next to nothing) */

/* A big file's hash as the worker saw it; valid while the file's stat is the same. */
struct hcache {
	int root;
	char *rel;
	struct mf_stamp stamp;
	char sha256[OBJ_HEX_SIZE];
};

struct wslot {
	int wd;			/* 0 empty, -1 deleted */
	int root;
	char *rel;
	bool file;		/* a hard-linked baseline file watched on its own */
	dev_t dev;		/* file: the inode watched */
	ino_t ino;
};

struct pending {
	int root;
	char *rel;
	int64_t first_ms, due_ms;
	bool excl;		/* a script in an excluded path: scanned, not reconciled */
	int retries;		/* failed policy actions so far (full disk, EBUSY...) */
};

struct root_state {
	char **unwatched;	/* directories left to periodic scans */
	size_t n_unwatched;
	bool scan_all;		/* the unwatched list overflowed: scan the whole root */
	bool warned;
	struct timespec snap_mtime;	/* snapshots dir mtime when the baseline was loaded */
	struct mf_stamp *stamps;	/* files verified unchanged, per baseline entry */
	const struct manifest *stamps_base;	/* the baseline they belong to */
};

struct fimwatch {
	struct protect *p;
	struct fimwatch_opts o;
	int fd;
	struct wslot *slots;
	size_t cap, used, live;
	struct pending *pend;
	size_t n_pend;
	struct root_state *rs;
	bool rescan_all;	/* events were lost: check the pages, then everything */
	bool full_due;		/* the pages were checked; the full reconcile is next */
	bool started;		/* the first tick (full check of every root) is done */
	bool link_check;	/* a hard link appeared: look for linked baseline files */
	int64_t next_scan_ms;
	int cur_retries;	/* retries of the pending entry being reconciled */
	struct bighash *bh;	/* big files are hashed on its worker thread */
	struct hcache hc[HCACHE];
	size_t hc_next;
	int cur_root;		/* root of the reconcile running (for the hash cache) */
	bool cur_full;		/* it is a full rescan (verified stamps may spare hashes) */
	bool interleave;	/* the running full rescan puts pages right as it goes */
	bool nested;		/* ...and is doing so now (it holds the lock and baseline) */
	int64_t next_interleave, full_start;
	struct fimwatch_stats st;
};

static size_t
hash_wd(int wd, size_t cap)
{
	return ((size_t)wd * 2654435761u) & (cap - 1);
}

static struct wslot *
slot_find(const struct fimwatch *fw, int wd)
{
	for (size_t i = hash_wd(wd, fw->cap), k = 0; k < fw->cap; i = (i + 1) & (fw->cap - 1), k++) {
		if (fw->slots[i].wd == 0)
			return NULL;
		if (fw->slots[i].wd == wd)
			return &fw->slots[i];
	}
	return NULL;
}

static int
slot_grow(struct fimwatch *fw)
{
	size_t ncap = fw->cap ? fw->cap * 2 : 256;
	struct wslot *ns = calloc(ncap, sizeof(*ns)), *old = fw->slots;
	size_t ocap = fw->cap;

	if (!ns)
		return VG_ERR_NOMEM;
	if (fw->live * 4 < ocap)	/* mostly tombstones: rehash at the same size */
		ncap = ocap;
	fw->slots = ns;
	fw->cap = ncap;
	fw->used = fw->live = 0;
	for (size_t i = 0; i < ocap; i++) {
		if (old[i].wd <= 0)
			continue;
		size_t j = hash_wd(old[i].wd, ncap);
		while (ns[j].wd != 0)
			j = (j + 1) & (ncap - 1);
		ns[j] = old[i];
		fw->used++;
		fw->live++;
	}
	free(old);
	return VG_OK;
}

/* Records wd → (root, rel); an existing wd (the same directory again) is renamed. */
static int
slot_set(struct fimwatch *fw, int wd, int root, const char *rel)
{
	struct wslot *s = slot_find(fw, wd);
	char *copy = strdup(rel);

	if (!copy)
		return VG_ERR_NOMEM;
	if (s) {
		free(s->rel);
		s->rel = copy;
		s->root = root;
		return VG_OK;
	}
	if ((fw->used + 1) * 2 > fw->cap && slot_grow(fw) != VG_OK) {
		free(copy);
		return VG_ERR_NOMEM;
	}
	size_t i = hash_wd(wd, fw->cap);
	while (fw->slots[i].wd > 0)
		i = (i + 1) & (fw->cap - 1);
	if (fw->slots[i].wd == 0)
		fw->used++;
	fw->slots[i] = (struct wslot){ .wd = wd, .root = root, .rel = copy };
	fw->live++;
	return VG_OK;
}

static void
slot_del(struct fimwatch *fw, struct wslot *s)
{
	free(s->rel);
	s->rel = NULL;
	s->wd = -1;
	fw->live--;
}

static void
add_unwatched(struct fimwatch *fw, int root, const char *rel, const char *why)
{
	struct root_state *rs = &fw->rs[root];
	const struct protect_root *r = &fw->p->roots[root];

	if (!rs->warned) {
		vg_warn(fw->p->log, "%s: cannot watch %s/%s (%s); the parts not watched are "
		    "scanned every %d s instead (raise fs.inotify.max_user_watches)", r->name,
		    r->path, rel, why, fw->o.scan_interval_s);
		rs->warned = true;
	}
	for (size_t i = 0; i < rs->n_unwatched; i++)
		if (mf_path_within(rel, rs->unwatched[i]))
			return;
	if (rs->n_unwatched >= UNWATCHED_MAX || rs->scan_all) {
		rs->scan_all = true;
		return;
	}
	char **nv = realloc(rs->unwatched, (rs->n_unwatched + 1) * sizeof(char *));
	if (!nv || !(nv[rs->n_unwatched] = strdup(rel))) {
		if (nv)
			rs->unwatched = nv;
		rs->scan_all = true;
		return;
	}
	rs->unwatched = nv;
	rs->n_unwatched++;
	fw->st.unwatched++;
}

/* Watches root/rel and every directory below it (not following symlinks). */
struct watch_walk {
	struct fimwatch *fw;
	int root;
	bool scripts;		/* queue scripts already in excluded paths for a scan */
};

static void enqueue_excl(struct fimwatch *fw, int root, const char *rel, bool now_, int64_t now);

/* Whether rel's last component ends in one of ext (NULL-terminated, any case). */
static bool
ext_in(const char *rel, const char *const *ext)
{
	const char *slash = strrchr(rel, '/');
	const char *dot = strrchr(slash ? slash : rel, '.');
	if (!dot)
		return false;
	for (size_t i = 0; ext[i]; i++)
		if (strcasecmp(dot + 1, ext[i]) == 0)
			return true;
	return false;
}

bool
fimwatch_server_script(const char *rel)
{
	static const char *const ext[] = { "php", "php3", "php4", "php5", "php7", "php8",
		"phtml", "pht", "phar", "inc", "jsp", "jspx", "jspf", "asp", "aspx", "ashx",
		"asmx", "ascx", "asa", "cer", "cdx", "cgi", "pl", "py", "rb", "sh", "shtml",
		NULL };
	return ext_in(rel, ext);
}

/* Watches each directory the walk meets; one that cannot be watched is not descended. */
static int
watch_entry(void *arg, const struct vg_walk_entry *e)
{
	struct watch_walk *ww = arg;
	struct fimwatch *fw = ww->fw;
	const struct protect_root *r = &fw->p->roots[ww->root];
	char full[PATH_MAX];
	int wd;

	if (e->event != VG_WALK_ENTRY)
		return 0;
	if (!S_ISDIR(e->type)) {
		if (ww->scripts && S_ISREG(e->type) && fw->o.excluded_script &&
		    fimwatch_server_script(e->rel) && mf_excluded(&r->cfg->exclude, e->rel))
			enqueue_excl(fw, ww->root, e->rel, true, loop_now_ms());
		return 0;
	}
	/* excluded directories are watched too: scripts dropped there are scanned */
	if (protect_path_join(full, sizeof(full), r->path, e->rel) != VG_OK)
		return VG_WALK_SKIP;
	if (fw->o.max_watches && fw->live >= fw->o.max_watches) {
		add_unwatched(fw, ww->root, e->rel, "watch limit reached");
		return VG_WALK_SKIP;
	}
	wd = inotify_add_watch(fw->fd, full, WATCH_MASK);
	if (wd < 0) {
		if (errno == ENOSPC)
			add_unwatched(fw, ww->root, e->rel, "inotify watch limit reached");
		else if (errno != ENOENT && errno != ENOTDIR)
			add_unwatched(fw, ww->root, e->rel, strerror(errno));
		return VG_WALK_SKIP;
	}
	if (slot_set(fw, wd, ww->root, e->rel) != VG_OK || e->depth >= MF_MAX_DEPTH)
		return VG_WALK_SKIP;
	return 0;
}

/* Watches root/rel (a directory) and the directories below it. */
static void
watch_tree(struct fimwatch *fw, int root, const char *rel, int depth, bool scripts)
{
	const struct protect_root *r = &fw->p->roots[root];
	struct watch_walk ww = { .fw = fw, .root = root, .scripts = scripts };
	char full[PATH_MAX];

	if (protect_path_join(full, sizeof(full), r->path, rel) != VG_OK)
		return;
	vg_walk(AT_FDCWD, full, rel, depth, 0, watch_entry, &ww);
}

/* Forgets watches on rel and below (a directory moved or deleted away). */
static void
unwatch_tree(struct fimwatch *fw, int root, const char *rel)
{
	for (size_t i = 0; i < fw->cap; i++) {
		struct wslot *s = &fw->slots[i];
		if (s->wd > 0 && s->root == root && *rel && mf_path_within(s->rel, rel)) {
			inotify_rm_watch(fw->fd, s->wd);
			slot_del(fw, s);
		}
	}
}

static void
snap_mtime(const struct fimwatch *fw, int root, struct timespec *ts)
{
	char dir[PATH_MAX];
	struct stat st;
	memset(ts, 0, sizeof(*ts));
	if (protect_snapshot_path(fw->p, &fw->p->roots[root], NULL, dir, sizeof(dir)) == VG_OK &&
	    stat(dir, &st) == 0)
		*ts = st.st_mtim;
}

/* A publish commit writes a new snapshot before it closes the window, so checking
 * here, before any policy is applied, never restores an outdated baseline. */
static void
refresh_baseline(struct fimwatch *fw, int root)
{
	struct timespec ts;
	char err[512];

	snap_mtime(fw, root, &ts);
	if (ts.tv_sec == fw->rs[root].snap_mtime.tv_sec &&
	    ts.tv_nsec == fw->rs[root].snap_mtime.tv_nsec)
		return;
	if (protect_load_baseline(fw->p, &fw->p->roots[root], err, sizeof(err)) == VG_OK) {
		fw->rs[root].snap_mtime = ts;
		vg_info(fw->p->log, "%s: baseline is now snapshot %s", fw->p->roots[root].name,
		    fw->p->roots[root].base_id);
	} else {
		vg_warn(fw->p->log, "%s: keeping the old baseline: %s", fw->p->roots[root].name,
		    err);
	}
}

static void enqueue(struct fimwatch *fw, int root, const char *rel, bool now_, int64_t now);

/* Re-queues a path whose policy action failed, with exponential backoff. */
static void
retry_later(struct fimwatch *fw, int root, const char *rel)
{
	int64_t now = loop_now_ms();
	size_t before = fw->n_pend;
	enqueue(fw, root, rel, true, now);
	for (size_t i = 0; i < fw->n_pend; i++) {
		struct pending *pe = &fw->pend[i];
		if (pe->root != root || strcmp(pe->rel, rel) != 0)
			continue;
		if (fw->n_pend > before) {	/* new entry: schedule it in the future */
			pe->retries = fw->cur_retries + 1;
			pe->due_ms = pe->first_ms = now + (500LL << fw->cur_retries);
		}
		break;
	}
}

/* Re-queues rel to be checked once a CLI restore holding the lock is done. */
static void
defer(struct fimwatch *fw, int root, const char *rel)
{
	int64_t now = loop_now_ms();
	enqueue(fw, root, rel, true, now);
	for (size_t i = 0; i < fw->n_pend; i++) {
		struct pending *pe = &fw->pend[i];
		if (pe->root == root && strcmp(pe->rel, rel) == 0) {
			pe->due_ms = now + DEFER_MS;
			break;
		}
	}
}

static void
on_change(void *arg, const struct fim_change *ch)
{
	struct fimwatch *fw = arg;
	fw->st.changes++;
	if (ch->action == ACT_FAILED) {
		fw->st.failed++;
		if (fw->cur_retries < RETRY_MAX)
			retry_later(fw, (int)(ch->root - fw->p->roots), ch->path);
	}
	if (fw->o.fn)
		fw->o.fn(fw->o.arg, ch);
}

static bool
hash_cached(void *arg, const char *rel, const struct stat *st, char sha256[OBJ_HEX_SIZE])
{
	struct fimwatch *fw = arg;
	struct mf_stamp now;
	mf_stamp_of(&now, st);
	for (size_t i = 0; i < HCACHE; i++) {
		const struct hcache *c = &fw->hc[i];
		if (c->rel && c->root == fw->cur_root && strcmp(c->rel, rel) == 0 &&
		    memcmp(&c->stamp, &now, sizeof(now)) == 0) {
			memcpy(sha256, c->sha256, OBJ_HEX_SIZE);
			return true;
		}
	}
	/* a baseline file verified since and not touched: its hash is the baseline's
	 * (full rescans only: a path that had an event is always hashed) */
	const struct protect_root *r = &fw->p->roots[fw->cur_root];
	const struct root_state *rs = &fw->rs[fw->cur_root];
	const struct mf_entry *b;
	if (!fw->cur_full || !rs->stamps || rs->stamps_base != r->base || !(b = manifest_find(r->base, rel)))
		return false;
	if (memcmp(&rs->stamps[b - r->base->e], &now, sizeof(now)) != 0)
		return false;
	memcpy(sha256, b->sha256, OBJ_HEX_SIZE);
	return true;
}

/* The stamps of root's current baseline (all zero at first); false without memory. */
static bool
ensure_stamps(struct fimwatch *fw, int root)
{
	const struct protect_root *r = &fw->p->roots[root];
	struct root_state *rs = &fw->rs[root];

	if (!r->base)
		return false;
	if (rs->stamps_base == r->base)
		return true;
	free(rs->stamps);
	rs->stamps_base = NULL;
	if (!(rs->stamps = calloc(r->base->n + 1, sizeof(*rs->stamps))))
		return false;
	rs->stamps_base = r->base;
	return true;
}

static void
verified(void *arg, const struct protect_root *r, size_t i, const struct mf_stamp *st)
{
	struct fimwatch *fw = arg;
	int root = (int)(r - fw->p->roots);
	if (mf_stamp_settled(st) && ensure_stamps(fw, root) && i < r->base->n)
		fw->rs[root].stamps[i] = *st;
}

static int read_events(struct fimwatch *fw);
static void lost_events(struct fimwatch *fw);
static void run_due(struct fimwatch *fw, int64_t now, bool pages);

/* Called between the changes of a full rescan (which can take seconds on a big root
 * under a flood): every INTERLEAVE_MS it reads new events and puts changed pages
 * right at once, within the rescan, instead of after it. Never stops the rescan. */
static bool
interleave(void *arg)
{
	struct fimwatch *fw = arg;
	int64_t now = loop_now_ms();
	int root = fw->cur_root;
	bool full = fw->cur_full;

	if (!fw->interleave || fw->nested || now < fw->next_interleave)
		return false;
	fw->nested = true;
	if (read_events(fw) != VG_OK)
		vg_debug(fw->p->log, "inotify read failed during a rescan");
	if (fw->rescan_all)
		lost_events(fw);
	run_due(fw, now, true);
	fw->nested = false;
	fw->cur_root = root;
	fw->cur_full = full;
	fw->st.interleaves++;
	fw->next_interleave = loop_now_ms() + INTERLEAVE_MS;
	return false;
}

static void
defer_hash(void *arg, const struct protect_root *r, const char *rel, const char *path,
    bool recheck)
{
	struct fimwatch *fw = arg;
	char full[PATH_MAX];
	int root = (int)(r - fw->p->roots);

	if (!path) {
		if (protect_path_join(full, sizeof(full), r->path, rel) != VG_OK)
			return;
		path = full;
	}
	if (bighash_submit(fw->bh, root, rel, path, recheck) == VG_ERR_LIMIT &&
	    fw->st.big_dropped++ == 0)
		vg_warn(fw->p->log, "too many big files waiting to be hashed; %s is checked by the "
		    "next full scan", path);
}

static void
on_hashed(void *arg, const struct bighash_result *res)
{
	struct fimwatch *fw = arg;
	const struct protect_root *r = &fw->p->roots[res->root];

	fw->st.big_hashed++;
	if (res->err) {
		vg_debug(fw->p->log, "%s: %s not hashed: %s", r->name, res->path,
		    vg_strerror(res->err));
		if (res->rel && res->recheck)	/* vanished or replaced: look again */
			enqueue(fw, res->root, res->rel, true, loop_now_ms());
		return;
	}
	vg_info(fw->p->log, "%s: %s hashed off the loop in %lld ms: sha256 %s (%lld bytes)",
	    r->name, res->path, (long long)res->ms, res->sha256, (long long)res->st.st_size);
	if (!res->rel || !res->recheck)
		return;
	struct hcache *c = &fw->hc[fw->hc_next++ % HCACHE];
	char *copy = strdup(res->rel);
	if (!copy)
		return;
	free(c->rel);
	c->rel = copy;
	c->root = res->root;
	mf_stamp_of(&c->stamp, &res->st);
	memcpy(c->sha256, res->sha256, sizeof(c->sha256));
	enqueue(fw, res->root, res->rel, true, loop_now_ms());
}

static void
reconcile(struct fimwatch *fw, int root, const char *rel)
{
	struct protect_root *r = &fw->p->roots[root];
	struct reconcile_opts ro = { .mode = RECONCILE_POLICY, .analyze = true, .hooks = true,
		.threads = 2, .fn = on_change, .arg = fw, .hash_max = fw->o.big_file,
		.hash_cached = hash_cached, .defer_hash = defer_hash, .verified = verified,
		.yield = interleave, .hash_arg = fw };
	char full[PATH_MAX];
	struct stat st;
	int ret, lock = -1;

	/* a CLI `backup restore` of this root is running: let it finish, then check what
	 * it left (its own writes come back as events and are checked then) */
	/* nested in a full rescan: that one holds the lock and the baseline */
	if (!fw->nested && protect_restore_lock(fw->p, r, false, &lock) == VG_ERR_BUSY) {
		fw->st.deferred++;
		defer(fw, root, rel);
		return;
	}
	if (!fw->nested)
		refresh_baseline(fw, root);
	fw->cur_root = root;
	fw->cur_full = !*rel;
	ret = protect_reconcile(fw->p, r, r->base, rel, &ro, NULL);
	if (lock >= 0)
		close(lock);
	if (!*rel && fw->interleave)
		vg_debug(fw->p->log, "%s: full rescan in %lld ms", r->name,
		    (long long)(loop_now_ms() - fw->full_start));
	if (ret != VG_OK)
		vg_warn(fw->p->log, "%s: check of %s/%s failed: %s", r->name, r->path, rel,
		    vg_strerror(ret));
	/* a directory that appeared, or that a restore put back, gets watched */
	if (snprintf(full, sizeof(full), "%s/%s", r->path, rel) < (int)sizeof(full) &&
	    lstat(full, &st) == 0 && S_ISDIR(st.st_mode))
		watch_tree(fw, root, rel, 1, false);
}

bool
fimwatch_served_page(const char *rel)
{
	static const char *const ext[] = { "html", "htm", "xhtml", "js", "mjs", "css", "svg",
		"json", "xml", NULL };
	return ext_in(rel, ext) || fimwatch_server_script(rel);
}

/* After lost events, the pages a server serves are put right first (a stat each, a
 * hash only for those changed since they were last verified), before the full
 * reconcile of everything that follows in the next round. */
static void
check_pages(struct fimwatch *fw, int root)
{
	struct protect_root *r = &fw->p->roots[root];
	struct root_state *rs = &fw->rs[root];
	struct reconcile_opts ro = { .mode = RECONCILE_POLICY, .analyze = true, .hooks = true,
		.threads = 2, .fn = on_change, .arg = fw };
	size_t checked = 0, changes = 0;
	int ret, lock = -1;
	int64_t t0 = loop_now_ms();

	if (!fw->nested) {
		if (protect_restore_lock(fw->p, r, false, &lock) == VG_ERR_BUSY)
			return;	/* a CLI restore runs; the full reconcile after it checks all */
		refresh_baseline(fw, root);
	}
	if (!ensure_stamps(fw, root))
		goto out;
	ret = protect_recheck_files(fw->p, r, r->base, fimwatch_served_page, rs->stamps, &ro,
	    &checked, &changes);
	if (ret != VG_OK)
		vg_warn(fw->p->log, "%s: check of the pages failed: %s", r->name, vg_strerror(ret));
	else
		vg_debug(fw->p->log, "%s: %zu pages checked in %lld ms, %zu changed", r->name,
		    checked, (long long)(loop_now_ms() - t0), changes);
	fw->st.page_checks++;
out:
	if (lock >= 0)
		close(lock);
}

static void
enqueue_kind(struct fimwatch *fw, int root, const char *rel, bool now_, int64_t now, bool excl)
{
	int64_t due = now_ ? now : now + fw->o.debounce_ms;
	size_t max = fw->o.max_pending ? fw->o.max_pending : 4096;

	for (size_t i = 0; i < fw->n_pend; i++) {
		struct pending *pe = &fw->pend[i];
		if (pe->root != root || pe->excl != excl || strcmp(pe->rel, rel) != 0)
			continue;
		if (now_ || due < pe->due_ms)
			pe->due_ms = now_ ? now : pe->due_ms;
		else
			pe->due_ms = due;
		if (pe->due_ms > pe->first_ms + DEFER_MAX_MS)
			pe->due_ms = pe->first_ms + DEFER_MAX_MS;
		return;
	}
	if (fw->n_pend >= max) {
		/* full: a rescan of the root covers whatever we drop */
		if (fw->st.pending_dropped++ == 0)
			vg_warn(fw->p->log, "more than %zu paths waiting; rescanning instead", max);
		fw->rescan_all = true;
		return;
	}
	if (fw->n_pend % 64 == 0) {
		struct pending *np = realloc(fw->pend, (fw->n_pend + 64) * sizeof(*np));
		if (!np) {
			fw->rescan_all = true;
			return;
		}
		fw->pend = np;
	}
	char *copy = strdup(rel);
	if (!copy) {
		fw->rescan_all = true;
		return;
	}
	fw->pend[fw->n_pend++] = (struct pending){ root, copy, now, due, excl, 0 };
}

static void
enqueue(struct fimwatch *fw, int root, const char *rel, bool now_, int64_t now)
{
	enqueue_kind(fw, root, rel, now_, now, false);
}

static void
enqueue_excl(struct fimwatch *fw, int root, const char *rel, bool now_, int64_t now)
{
	enqueue_kind(fw, root, rel, now_, now, true);
}

/* Hard links: a baseline file whose link count is above 1 shares its inode with a
 * path vigil may not watch (an excluded directory, outside the root), and a write
 * through that path is invisible to the directory watches. Each such file gets a watch
 * of its own and, when first seen linked, a check (it may already be changed). Runs at
 * the first tick, on every periodic scan and when a hard link appears in the root. */
static void
link_check(struct fimwatch *fw, int root, int64_t now)
{
	const struct protect_root *r = &fw->p->roots[root];
	char full[PATH_MAX];
	struct stat st;
	int rootfd;

	if (!r->base || (rootfd = open(r->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return;
	for (size_t i = 0; i < r->base->n; i++) {
		const struct mf_entry *e = &r->base->e[i];
		if (e->type != MF_FILE || mf_excluded(&r->cfg->exclude, e->path) ||
		    fstatat(rootfd, e->path, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode) || st.st_nlink < 2)
			continue;
		if (protect_path_join(full, sizeof(full), r->path, e->path) != VG_OK)
			continue;
		if (fw->o.max_watches && fw->live >= fw->o.max_watches)
			break;
		int wd = inotify_add_watch(fw->fd, full, FILE_MASK);
		if (wd < 0)
			continue;
		struct wslot *s = slot_find(fw, wd);
		if (s && s->file && s->dev == st.st_dev && s->ino == st.st_ino)
			continue;	/* already watched */
		if (slot_set(fw, wd, root, e->path) != VG_OK || !(s = slot_find(fw, wd)))
			continue;
		s->file = true;
		s->dev = st.st_dev;
		s->ino = st.st_ino;
		vg_info(fw->p->log, "%s: %s has %lu hard links; watched on its own", r->name,
		    e->path, (unsigned long)st.st_nlink);
		enqueue(fw, root, e->path, true, now);
	}
	close(rootfd);
}

/* An event on a hard-linked file's own watch: check the path it stands for. Once the
 * path names another inode (restored by rename) or the link is gone, the watch goes. */
static void
file_event(struct fimwatch *fw, struct wslot *s, const struct inotify_event *ev, int64_t now)
{
	char full[PATH_MAX];
	struct stat st;

	if (!(ev->mask & (IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB)))
		return;
	enqueue(fw, s->root, s->rel, (ev->mask & (IN_CLOSE_WRITE | IN_ATTRIB)) != 0, now);
	if (protect_path_join(full, sizeof(full), fw->p->roots[s->root].path, s->rel) ==
	    VG_OK && lstat(full, &st) == 0 && st.st_dev == s->dev && st.st_ino == s->ino &&
	    st.st_nlink > 1)
		return;
	inotify_rm_watch(fw->fd, s->wd);	/* IN_IGNORED frees the slot */
}

int
fimwatch_new(struct protect *p, const struct fimwatch_opts *o, struct fimwatch **out)
{
	struct fimwatch *fw = calloc(1, sizeof(*fw));

	*out = NULL;
	if (!fw)
		return VG_ERR_NOMEM;
	fw->p = p;
	fw->o = *o;
	if (fw->o.scan_interval_s <= 0)
		fw->o.scan_interval_s = 60;
	if (fw->o.debounce_ms < 0)
		fw->o.debounce_ms = 0;
	if (!fw->o.big_file)
		fw->o.big_file = BIG_FILE_DEFAULT;
	if (!(fw->rs = calloc(p->n_roots + 1, sizeof(*fw->rs))) || slot_grow(fw) != VG_OK) {
		fimwatch_free(fw);
		return VG_ERR_NOMEM;
	}
	int ret = protect_analysis_prepare(p);	/* not on the first tamper's clock */
	if (ret == VG_OK)
		ret = bighash_new(0, &fw->bh);
	if (ret != VG_OK) {
		fimwatch_free(fw);
		return ret;
	}
	fw->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fw->fd < 0) {
		vg_error(p->log, "inotify: %s", strerror(errno));
		fimwatch_free(fw);
		return VG_ERR_IO;
	}
	for (size_t i = 0; i < p->n_roots; i++) {
		char err[512];
		int r;
		snap_mtime(fw, (int)i, &fw->rs[i].snap_mtime);
		if (!p->roots[i].base &&
		    (r = protect_load_baseline(p, &p->roots[i], err, sizeof(err))) != VG_OK) {
			vg_error(p->log, "%s", err);
			fimwatch_free(fw);
			return r;
		}
		watch_tree(fw, (int)i, "", 0, true);
	}
	/* the first tick reconciles everything: changes made while nobody watched */
	fw->rescan_all = true;
	fw->next_scan_ms = loop_now_ms() + (int64_t)fw->o.scan_interval_s * 1000;
	*out = fw;
	return VG_OK;
}

void
fimwatch_free(struct fimwatch *fw)
{
	if (!fw)
		return;
	bighash_free(fw->bh);
	for (size_t i = 0; i < HCACHE; i++)
		free(fw->hc[i].rel);
	if (fw->fd >= 0)
		close(fw->fd);
	for (size_t i = 0; i < fw->cap; i++)
		free(fw->slots[i].rel);
	free(fw->slots);
	for (size_t i = 0; i < fw->n_pend; i++)
		free(fw->pend[i].rel);
	free(fw->pend);
	for (size_t i = 0; fw->rs && i < fw->p->n_roots; i++) {
		for (size_t j = 0; j < fw->rs[i].n_unwatched; j++)
			free(fw->rs[i].unwatched[j]);
		free(fw->rs[i].unwatched);
		free(fw->rs[i].stamps);
	}
	free(fw->rs);
	free(fw);
}

int
fimwatch_fd(const struct fimwatch *fw)
{
	return fw->fd;
}

int
fimwatch_hash_fd(const struct fimwatch *fw)
{
	return bighash_fd(fw->bh);
}

/* An event in an excluded path: no tamper check, but directories stay watched and a
 * server-side script that lands there (written, moved in, or hard-linked: a link
 * only makes IN_CREATE) is queued for a webshell scan. */
static void
excluded_event(struct fimwatch *fw, const struct inotify_event *ev, int root, const char *rel,
    int64_t now)
{
	if (ev->mask & IN_ISDIR) {
		if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
			unwatch_tree(fw, root, rel);
		if (ev->mask & (IN_CREATE | IN_MOVED_TO))
			watch_tree(fw, root, rel, 1, true);
		return;
	}
	if (ev->mask & IN_CREATE) {
		/* a hard link made here may share a baseline file's inode */
		char full[PATH_MAX];
		struct stat st;
		if (snprintf(full, sizeof(full), "%s/%s", fw->p->roots[root].path, rel) <
		    (int)sizeof(full) && lstat(full, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_nlink > 1)
			fw->link_check = true;
	}
	if (!fw->o.excluded_script || !fimwatch_server_script(rel))
		return;
	if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
		enqueue_excl(fw, root, rel, true, now);
	} else if (ev->mask & IN_CREATE) {
		char full[PATH_MAX];
		struct stat st;
		if (snprintf(full, sizeof(full), "%s/%s", fw->p->roots[root].path, rel) <
		    (int)sizeof(full) && lstat(full, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_nlink > 1)
			enqueue_excl(fw, root, rel, true, now);
	}
}

static void
handle_event(struct fimwatch *fw, const struct inotify_event *ev, int64_t now)
{
	struct wslot *s;
	char rel[PATH_MAX];

	fw->st.events++;
	if (ev->mask & IN_Q_OVERFLOW) {
		fw->st.overflows++;
		vg_warn(fw->p->log, "inotify queue overflowed; rescanning every web root");
		fw->rescan_all = true;
		return;
	}
	if (!(s = slot_find(fw, ev->wd)))
		return;
	int root = s->root;
	if (ev->mask & IN_IGNORED) {
		slot_del(fw, s);
		return;
	}
	if (s->file) {
		file_event(fw, s, ev, now);
		return;
	}
	if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
		if (!*s->rel) {
			vg_warn(fw->p->log, "%s: the web root %s itself was removed or moved",
			    fw->p->roots[root].name, fw->p->roots[root].path);
			fw->rescan_all = true;
		}
		return;
	}
	if (ev->len == 0 || !ev->name[0])
		return;
	if ((*s->rel ? snprintf(rel, sizeof(rel), "%s/%s", s->rel, ev->name)
		     : snprintf(rel, sizeof(rel), "%s", ev->name)) >= (int)sizeof(rel))
		return;
	if (mf_excluded(&fw->p->roots[root].cfg->exclude, rel)) {
		excluded_event(fw, ev, root, rel, now);
		return;
	}
	bool now_ = (ev->mask & (IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
	    IN_ATTRIB | IN_ISDIR)) != 0;
	if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_DELETE | IN_MOVED_FROM)))
		unwatch_tree(fw, root, rel);
	if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)))
		watch_tree(fw, root, rel, 1, true);	/* before files appear in it */
	if (fw->rescan_all && !(ev->mask & IN_ISDIR))
		return;	/* events were lost: the pages check and rescan cover this path */
	if ((ev->mask & IN_CREATE) && !(ev->mask & IN_ISDIR)) {
		/* a symlink or FIFO is complete when created; a file is written next */
		char full[PATH_MAX];
		struct stat st;
		if (snprintf(full, sizeof(full), "%s/%s", fw->p->roots[root].path, rel) <
		    (int)sizeof(full) && lstat(full, &st) == 0 && !S_ISREG(st.st_mode))
			now_ = true;
	}
	enqueue(fw, root, rel, now_, now);
}

/* Reads queued inotify events, at most READ_MAX_MS long: under a flood the kernel
 * queues them as fast as they are read, and the due work (pages first) must not
 * wait for the flood to end (the descriptor stays readable). 0 or VG_ERR_IO. */
static int
read_events(struct fimwatch *fw)
{
	char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
	int64_t now = loop_now_ms();

	while (loop_now_ms() - now < READ_MAX_MS) {
		ssize_t n = read(fw->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0)
			return VG_ERR_IO;
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			handle_event(fw, ev, now);
			p += sizeof(*ev) + ev->len;
		}
	}
	return VG_OK;
}

int
fimwatch_process(struct fimwatch *fw)
{
	if (read_events(fw) != VG_OK)
		return VG_ERR_IO;
	bighash_drain(fw->bh, on_hashed, fw);
	return fimwatch_tick(fw, loop_now_ms());
}

/* Events were lost: what was queued is covered by the pages check now and the full
 * rescan that follows (scans of excluded scripts stay queued). */
static void
lost_events(struct fimwatch *fw)
{
	size_t kept = 0;

	fw->rescan_all = false;
	fw->full_due = true;
	for (size_t i = 0; i < fw->n_pend; i++) {
		if (fw->pend[i].excl)
			fw->pend[kept++] = fw->pend[i];
		else
			free(fw->pend[i].rel);
	}
	fw->n_pend = kept;
	for (size_t i = 0; i < fw->p->n_roots; i++)
		check_pages(fw, (int)i);
}

/* A due path that is a served page of the baseline: handled before anything else. */
static bool
is_page(const struct fimwatch *fw, const struct pending *pe)
{
	const struct manifest *base = fw->p->roots[pe->root].base;
	return !pe->excl && base && fimwatch_served_page(pe->rel) && manifest_find(base, pe->rel);
}

/* Handles due paths: the pages only, or everything until SLICE_MS have gone (the rest
 * stays due and the loop comes straight back, after reading new events). */
static void
run_due(struct fimwatch *fw, int64_t now, bool pages)
{
	int64_t end = loop_now_ms() + SLICE_MS;

	for (size_t i = 0; i < fw->n_pend;) {
		struct pending pe = fw->pend[i];
		if (pe.due_ms > now || (pages && !is_page(fw, &pe))) {
			i++;
			continue;
		}
		if (!pages && loop_now_ms() >= end)
			break;
		fw->pend[i] = fw->pend[--fw->n_pend];
		fw->cur_retries = pe.retries;
		if (pe.excl)
			fw->o.excluded_script(fw->o.arg, &fw->p->roots[pe.root], pe.rel);
		else
			reconcile(fw, pe.root, pe.rel);
		fw->cur_retries = 0;
		free(pe.rel);
	}
}

int
fimwatch_tick(struct fimwatch *fw, int64_t now)
{
	bool first = !fw->started;

	if (fw->rescan_all) {
		lost_events(fw);
		/* after an overflow the round commits and events are read before the full
		 * reconcile: a page defaced meanwhile does not wait behind the whole tree.
		 * The first tick does both, so the first round leaves every root checked. */
		if (!first)
			return VG_OK;
	}
	fw->started = true;
	run_due(fw, now, true);
	if (fw->full_due) {
		/* pages changed while it runs are put right within it (not in the first,
		 * which ready waits for and which checks every page anyway) */
		fw->full_due = false;
		fw->interleave = !first;
		fw->next_interleave = loop_now_ms() + INTERLEAVE_MS;
		for (size_t i = 0; i < fw->p->n_roots; i++) {
			fw->full_start = loop_now_ms();
			reconcile(fw, (int)i, "");
		}
		fw->interleave = false;
		fw->st.rescans++;
		fw->link_check = true;
	}
	if (fw->link_check) {
		fw->link_check = false;
		for (size_t i = 0; i < fw->p->n_roots; i++)
			link_check(fw, (int)i, now);
	}
	run_due(fw, now, false);
	if (now >= fw->next_scan_ms) {
		fw->next_scan_ms = now + (int64_t)fw->o.scan_interval_s * 1000;
		for (size_t i = 0; i < fw->p->n_roots; i++) {
			struct root_state *rs = &fw->rs[i];
			link_check(fw, (int)i, now);	/* links from outside make no event */
			if (rs->scan_all) {
				reconcile(fw, (int)i, "");
				continue;
			}
			for (size_t j = 0; j < rs->n_unwatched; j++)
				reconcile(fw, (int)i, rs->unwatched[j]);
		}
	}
	return VG_OK;
}

int
fimwatch_timeout_ms(const struct fimwatch *fw, int64_t now)
{
	int64_t next = fw->next_scan_ms;
	if (fw->rescan_all || fw->full_due || fw->link_check)
		return 0;
	for (size_t i = 0; i < fw->n_pend; i++)
		if (fw->pend[i].due_ms < next)
			next = fw->pend[i].due_ms;
	if (next <= now)
		return 0;
	return next - now > 3600000 ? 3600000 : (int)(next - now);
}

void
fimwatch_get_stats(const struct fimwatch *fw, struct fimwatch_stats *st)
{
	*st = fw->st;
	st->watches = fw->live;
}
