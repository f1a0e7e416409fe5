/* Reconcile: compare a web-root subtree with its baseline, report each change and
 * apply the policy (alert, restore, quarantine). fim check, the realtime watcher,
 * backup restore and publish abort are all reconcile with different modes. */
#include "respond/reconcile.h"
#include "backup/objstore.h"
#include "core/beneath.h"
#include "core/buf.h"
#include "core/err.h"
#include "monitor/diff.h"
#include "monitor/tamper.h"
#include "respond/restore.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Reads root/rel if it is a small regular file; NULL otherwise. */
static char *
read_small(const char *root, const char *rel, size_t *len)
{
	struct vg_buf *b = NULL;
	char *out = NULL, chunk[65536];
	int fd, rootfd;
	ssize_t n;

	/* beneath the root: a diff never shows a file a swapped-in symlink points at */
	if ((rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return NULL;
	fd = vg_open_beneath(rootfd, rel, O_RDONLY | O_NONBLOCK, 0);
	close(rootfd);
	if (fd < 0)
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

int
protect_analysis_prepare(struct protect *p)
{
	int ret;
	if (p->tamper)
		return VG_OK;
	if ((ret = tamper_new(&p->tamper)) != VG_OK)
		return ret;
	p->tamper_free = tamper_free;
	return VG_OK;
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
	if (protect_analysis_prepare(p) != VG_OK)
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
		ret = protect_move_aside(p, r, ch->path, detail, dsize);
		ch->action = ret == VG_OK ? ACT_MOVED_ASIDE : ACT_FAILED;
		if (ret == VG_ERR_NOTFOUND) {	/* already gone */
			ch->action = ACT_NONE;
			ret = VG_OK;
		}
	} else {
		if (ch->kinds & FIM_TYPE) {
			ret = protect_move_aside(p, r, ch->path, detail, dsize);
			if (ret == VG_ERR_NOTFOUND)
				ret = VG_OK;
		}
		if (ret == VG_OK) {
			if (ch->kinds & (FIM_DELETED | FIM_TYPE | FIM_CONTENT | FIM_TARGET))
				ret = protect_restore_entry(p, r->path, ch->base, &ch->attempts);
			else
				ret = protect_fix_meta(r->path, ch->base);
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
	protect_path_join(full, sizeof(full), r->path, ch->path);
	bool scan = o->hooks && p->file_hook && ch->cur && ch->cur->type == MF_FILE &&
	    (ch->kinds & (FIM_ADDED | FIM_CONTENT | FIM_TYPE));
	if (protect_publish_active(p, r)) {
		/* a window suspends restoring, not webshell scanning: the hook alerts and
		 * leaves the file for `publish commit` to judge */
		if (scan)
			p->file_hook(p->file_hook_arg, r, full, ch->path, ch->kinds);
		ch->action = ACT_RECORDED;
		return;
	}
	pol = protect_policy_for(r, ch->path);
	if (scan) {
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

/* Hands a big file whose change was handled to the hasher, where it is now. */
static void
defer_record(const struct protect_root *r, const struct reconcile_opts *o,
    const struct fim_change *ch, const char *moved_to)
{
	char full[PATH_MAX];

	if (ch->action == ACT_MOVED_ASIDE) {
		o->defer_hash(o->hash_arg, r, NULL, moved_to, false);
	} else if (ch->action != ACT_QUARANTINED && ch->action != ACT_RESTORED &&
	    protect_path_join(full, sizeof(full), r->path, ch->path) == VG_OK) {
		o->defer_hash(o->hash_arg, r, ch->path, full, false);
	}
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

/* A new directory on the way to an excluded area (uploads, when uploads/ANYTHING is
 * excluded, made by `mkdir -p`) belongs to that area: it is kept, not moved aside with
 * what lands in it later. Anything else new inside it is still judged on its own. */
static bool
leads_to_excluded(const struct vg_cfg_strlist *exclude, const char *path)
{
	size_t n = strlen(path);
	for (size_t i = 0; exclude && i < exclude->n; i++)
		if (strncmp(exclude->items[i], path, n) == 0 && exclude->items[i][n] == '/')
			return true;
	return false;
}

int
protect_reconcile(struct protect *p, struct protect_root *r, const struct manifest *base,
    const char *rel_in, const struct reconcile_opts *o, size_t *n_changes)
{
	char rel[PATH_MAX];
	struct mf_scan_opts so = { .exclude = &r->cfg->exclude, .threads = o->threads,
		.hash = true, .progress = o->progress, .log = p->log, .hash_max = o->hash_max,
		.hash_cached = o->hash_cached, .cache_arg = o->hash_arg };
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
	bi = manifest_next_within(base, rel, manifest_lower_bound(base, rel));
	for (;;) {
		const struct mf_entry *b = NULL;
		struct mf_entry *c = NULL;
		while (bi < base->n && mf_excluded(&r->cfg->exclude, base->e[bi].path))
			bi = manifest_next_within(base, rel, bi + 1);	/* excluded since the
									 * snapshot: not watched */
		bool bok = bi < base->n;
		bool cok = ci < cur->n;
		if (!bok && !cok)
			break;
		int cmp = !bok ? 1 : !cok ? -1 : strcmp(base->e[bi].path, cur->e[ci].path);
		if (cmp <= 0) {
			b = &base->e[bi];
			bi = manifest_next_within(base, rel, bi + 1);
		}
		if (cmp >= 0)
			c = &cur->e[ci++];
		const char *path = b ? b->path : c->path;
		if (skip[0] && mf_path_within(path, skip))
			continue;	/* inside something already moved aside */
		if (c && c->err && b && b->type == c->type)
			continue;	/* unreadable now: reported by the scan, not a change */
		bool record = false;
		if (c && c->deferred && o->defer_hash) {
			if (b && b->type == MF_FILE && c->type == MF_FILE && b->size == c->size) {
				/* only its hash can tell: compared again once the worker has it */
				memcpy(c->sha256, b->sha256, sizeof(c->sha256));
				o->defer_hash(o->hash_arg, r, path, NULL, true);
			} else {
				record = true;	/* changed anyway: hashed for the record */
			}
		}
		unsigned kinds = fim_diff_entry(b, c);
		if (!kinds && o->verified && c->type == MF_FILE && !c->deferred && !c->err)
			o->verified(o->hash_arg, r, (size_t)(b - base->e), &c->stamp);
		if (!kinds)
			continue;
		if (kinds == FIM_ADDED && c->type == MF_DIR &&
		    leads_to_excluded(&r->cfg->exclude, path))
			continue;
		struct fim_change ch = { .root = r, .path = path, .kinds = kinds, .base = b,
			.cur = c };
		struct tamper_result tr;
		vg_buf_reset(diffbuf);
		vg_buf_reset(injbuf);
		if (o->analyze && (kinds & (FIM_ADDED | FIM_CONTENT)))
			analyze(p, r, &ch, &tr, diffbuf, injbuf);
		act(p, r, o, &ch, detail, sizeof(detail));
		if (record)
			defer_record(r, o, &ch, detail);
		if ((ch.action == ACT_MOVED_ASIDE || (kinds & FIM_TYPE)) && c && c->type == MF_DIR)
			vg_strlcpy(skip, path, sizeof(skip));
		changes++;
		if (o->fn)
			o->fn(o->arg, &ch);
		if (o->yield && o->yield(o->hash_arg)) {
			ret = VG_ERR_BUSY;
			goto out;
		}
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

struct restore_count {
	fim_change_fn fn;
	void *arg;
	size_t failed;
};

static void
count_change(void *arg, const struct fim_change *ch)
{
	struct restore_count *rc = arg;
	if (ch->action == ACT_FAILED)
		rc->failed++;
	if (rc->fn)
		rc->fn(rc->arg, ch);
}

int
protect_restore_snapshot(struct protect *p, struct protect_root *r,
    const struct manifest *m, const char *rel, bool dry_run, fim_change_fn fn, void *arg,
    struct restore_result *res)
{
	struct restore_count cnt = { .fn = fn, .arg = arg };
	struct reconcile_opts ro = { .mode = dry_run ? RECONCILE_REPORT : RECONCILE_RESTORE,
		.threads = 2, .fn = count_change, .arg = &cnt };
	struct reconcile_opts check = { .mode = RECONCILE_REPORT, .threads = 2 };
	int lock = -1, rr;

	memset(res, 0, sizeof(*res));
	if (!dry_run && (rr = protect_restore_lock(p, r, true, &lock)) != VG_OK) {
		res->lock_failed = true;
		return rr;
	}
	rr = protect_reconcile(p, r, m, rel, &ro, &res->changes);
	if (rr == VG_OK && !dry_run)
		rr = protect_reconcile(p, r, m, rel, &check, &res->left);
	if (lock >= 0)
		close(lock);
	res->failed = cnt.failed;
	return rr;
}

/* Opens the directory holding base path rel, reusing *pfd while rel stays in *dir. */
static int
parent_of(int rootfd, const char *rel, char *dir, size_t dsize, int *pfd, const char **leaf)
{
	const char *slash = strrchr(rel, '/');
	size_t n = slash ? (size_t)(slash - rel) : 0;

	*leaf = slash ? slash + 1 : rel;
	if (*pfd >= 0 && strlen(dir) == n && strncmp(dir, rel, n) == 0)
		return *pfd;
	if (*pfd >= 0)
		close(*pfd);
	*pfd = -1;
	if (n >= dsize)
		return -1;
	memcpy(dir, rel, n);
	dir[n] = '\0';
	*pfd = vg_open_parent_beneath(rootfd, rel, 0, 0, leaf);
	if (*pfd < 0)
		dir[0] = '\1';	/* no cached directory */
	return *pfd;
}

int
protect_recheck_files(struct protect *p, struct protect_root *r, const struct manifest *base,
    bool (*want)(const char *rel), struct mf_stamp *stamps,
    const struct reconcile_opts *o, size_t *n_checked, size_t *n_changes)
{
	struct manifest cur = { 0 };
	struct vg_buf *diffbuf = vg_buf_new(64 << 10), *injbuf = vg_buf_new(4096);
	size_t *cand = NULL, n_cand = 0, checked = 0, changes = 0;
	char dir[PATH_MAX] = "\1", detail[PATH_MAX + 128];
	int rootfd = -1, pfd = -1, ret = VG_ERR_NOMEM;

	if (n_checked)
		*n_checked = 0;
	if (n_changes)
		*n_changes = 0;
	if (!diffbuf || !injbuf || !(cand = malloc((base->n + 1) * sizeof(*cand))) ||
	    !(cur.e = calloc(base->n + 1, sizeof(*cur.e))))
		goto out;
	cur.cap = base->n + 1;
	if ((rootfd = open(r->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		ret = errno == ENOENT ? VG_ERR_NOTFOUND : VG_ERR_IO;
		goto out;
	}
	/* stat each page where it is; only those not verified unchanged get hashed */
	for (size_t i = 0; i < base->n; i++) {
		const struct mf_entry *b = &base->e[i];
		const char *leaf;
		struct stat st;
		if (b->type != MF_FILE || !*b->path || !want(b->path) ||
		    mf_excluded(&r->cfg->exclude, b->path))
			continue;
		if (parent_of(rootfd, b->path, dir, sizeof(dir), &pfd, &leaf) < 0)
			continue;	/* its directory changed: the full reconcile's work */
		checked++;
		if (fstatat(pfd, leaf, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			if (errno == ENOENT)
				cand[n_cand++] = i;	/* deleted */
			continue;
		}
		struct mf_stamp now;
		mf_stamp_of(&now, &st);
		if (S_ISREG(st.st_mode) && memcmp(&now, &stamps[i], sizeof(now)) == 0 &&
		    (uint32_t)(st.st_mode & 07777) == b->mode && st.st_uid == b->uid &&
		    st.st_gid == b->gid)
			continue;
		/* kept only if the file proves equal below, and its times are settled */
		if (mf_stamp_settled(&now))
			stamps[i] = now;
		else
			memset(&stamps[i], 0, sizeof(stamps[i]));
		struct mf_entry *c = &cur.e[cur.n];
		if (!(c->path = strdup(b->path)))
			goto out;
		cur.n++;
		c->type = S_ISREG(st.st_mode) ? MF_FILE : S_ISDIR(st.st_mode) ? MF_DIR
		    : S_ISLNK(st.st_mode) ? MF_LINK : MF_OTHER;
		c->mode = st.st_mode & 07777;
		c->uid = st.st_uid;
		c->gid = st.st_gid;
		c->size = (uint64_t)st.st_size;
		c->mtime = st.st_mtim.tv_sec;
		if (c->type == MF_LINK) {
			char t[PATH_MAX];
			ssize_t n = readlinkat(pfd, leaf, t, sizeof(t) - 1);
			t[n > 0 ? n : 0] = '\0';
			if (!(c->target = strdup(t)))
				goto out;
		}
		cand[n_cand++] = i;
	}
	if ((ret = manifest_hash(r->path, &cur, o->threads, p->log)) != VG_OK)
		goto out;
	for (size_t k = 0; k < n_cand; k++) {
		const struct mf_entry *b = &base->e[cand[k]];
		const struct mf_entry *c = manifest_find(&cur, b->path);
		unsigned kinds = fim_diff_entry(b, c);
		if (c && c->err && b->type == c->type)
			kinds = 0;	/* unreadable now: the full reconcile reports it */
		if (!kinds || (c && c->err)) {
			if (!kinds && c)
				continue;	/* equal: its stamp stands */
			memset(&stamps[cand[k]], 0, sizeof(stamps[0]));
			continue;
		}
		memset(&stamps[cand[k]], 0, sizeof(stamps[0]));
		struct fim_change ch = { .root = r, .path = b->path, .kinds = kinds, .base = b,
			.cur = c };
		struct tamper_result tr;
		vg_buf_reset(diffbuf);
		vg_buf_reset(injbuf);
		if (o->analyze && (kinds & FIM_CONTENT))
			analyze(p, r, &ch, &tr, diffbuf, injbuf);
		act(p, r, o, &ch, detail, sizeof(detail));
		changes++;
		if (o->fn)
			o->fn(o->arg, &ch);
	}
	if (n_checked)
		*n_checked = checked;
	if (n_changes)
		*n_changes = changes;
	ret = VG_OK;
out:
	if (pfd >= 0)
		close(pfd);
	if (rootfd >= 0)
		close(rootfd);
	for (size_t i = 0; i < cur.n; i++) {
		free(cur.e[i].path);
		free(cur.e[i].target);
	}
	free(cur.e);
	free(cand);
	vg_buf_free(diffbuf);
	vg_buf_free(injbuf);
	return ret;
}
