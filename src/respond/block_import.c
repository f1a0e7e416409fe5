/* Bulk blocking from a list (a regulator's or partner's blocklist) and listing
 * block records. An import is canonicalised first (sorted, duplicates and networks
 * nested in wider ones dropped), then goes to each adapter as one batch and to the
 * store as one transaction: about half a second of CPU for 100,000 networks, the
 * kernel's half (inside our sendmsg) on a second thread while the rows are written. */
#include "respond/block_int.h"
#include "core/err.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT_LINE_MAX 256

/* Reads targets from f: one per line, '#' or ';' starts a comment (the DROP-list
 * format), surrounding blanks ignored. */
static int
read_targets(FILE *f, struct block_target **out, size_t *n_out, struct block_import_stats *st)
{
	char line[IMPORT_LINE_MAX];
	struct block_target *v = NULL;
	size_t n = 0, cap = 0;
	bool long_line = false;

	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		bool whole = len > 0 && line[len - 1] == '\n';
		if (long_line) {	/* the tail of a line too long to be an address */
			long_line = !whole;
			continue;
		}
		if (!whole && !feof(f)) {
			long_line = true;
			st->read++;
			st->invalid++;
			continue;
		}
		line[strcspn(line, "#;\r\n")] = '\0';
		char *s = line + strspn(line, " \t");
		len = strcspn(s, " \t");
		if (len == 0)
			continue;
		s[len] = '\0';
		st->read++;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 4096;
			struct block_target *nv = realloc(v, nc * sizeof(*v));
			if (!nv) {
				free(v);
				return VG_ERR_NOMEM;
			}
			v = nv;
			cap = nc;
		}
		if (block_target_parse(s, &v[n]) != VG_OK || v[n].prefix == 0)
			st->invalid++;
		else
			n++;
	}
	*out = v;
	*n_out = n;
	return ferror(f) ? VG_ERR_IO : VG_OK;
}

/* Sorted input: a network sorts before everything it contains, so comparing with
 * the last kept target is enough to drop duplicates and nested entries. */
static size_t
drop_nested(struct block_target *v, size_t n, struct block_import_stats *st)
{
	size_t kept = 0;
	qsort(v, n, sizeof(*v), block_target_cmp);
	for (size_t i = 0; i < n; i++) {
		if (kept && block_target_contains(&v[kept - 1], &v[i])) {
			st->nested++;
			continue;
		}
		v[kept++] = v[i];
	}
	return kept;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Writes one record per entry (all with the same expiry). Called inside the
 * import's transaction. */
static int
record_all(struct vg_store *store, const struct block_entry *e, size_t n,
    const char *actor, int64_t now, bool dry_run)
{
	char *text = malloc(n * BLOCK_TARGET_MAX + 1);
	const char **targets = malloc((n + 1) * sizeof(*targets));
	int r = VG_ERR_NOMEM;

	if (!text || !targets)
		goto out;
	for (size_t i = 0; i < n; i++) {
		targets[i] = text + i * BLOCK_TARGET_MAX;
		block_target_format(&e[i].t, text + i * BLOCK_TARGET_MAX, BLOCK_TARGET_MAX);
	}
	/* In text order, each row's index entry lands beside the previous one. */
	qsort(targets, n, sizeof(*targets), cmp_str);
	struct block_record common = { .reason = "imported list", .actor = actor,
		.status = dry_run ? "dry_run" : "active", .created_us = now,
		.expires_us = now + (n ? e[0].timeout_ms * 1000 : 0) };
	r = block_store_add_batch(store, &common, targets, n);
out:
	free(text);
	free(targets);
	return r;
}

/* The adapters' batch, run beside the store writes (the main thread touches
 * neither the adapters nor the table meanwhile). */
struct apply_job {
	struct blocker *b;
	const struct block_entry *e;
	size_t n;
	bool replace;
	int r;
	int64_t us;
};

static void *
apply_thread(void *arg)
{
	struct apply_job *j = arg;
	int64_t t0 = vg_now_us();
	j->r = block_apply(j->b, j->e, j->n, j->replace);
	j->us = vg_now_us() - t0;
	return NULL;
}

int
block_import(struct blocker *b, const char *path, int64_t duration_s, const char *actor,
    struct block_import_stats *st)
{
	struct block_target *v = NULL;
	size_t n = 0;
	FILE *f;
	int r;

	memset(st, 0, sizeof(*st));
	if (duration_s <= 0)
		return VG_ERR_INVAL;
	if (!(f = fopen(path, "r")))
		return VG_ERR_IO;
	r = read_targets(f, &v, &n, st);
	fclose(f);
	if (r == VG_OK)
		r = block_import_targets(b, v, n, duration_s, actor, st);
	free(v);
	return r;
}

int
block_import_targets(struct blocker *b, struct block_target *v, size_t n, int64_t duration_s,
    const char *actor, struct block_import_stats *st)
{
	struct vg_store *store = block_get_store(b);
	struct block_entry *e = NULL;
	size_t m = 0;
	char detail[128];
	int64_t now = vg_now_us(), exp_us = now + duration_s * 1000000, t0, t1, t2;
	int r;

	/* With blocks already active, some targets may clash with kernel intervals:
	 * the batch then replaces the adapters' whole view in one transaction. */
	bool had_active = block_active_count(b) > 0;

	n = drop_nested(v, n, st);
	if (!(e = calloc(n + 1, sizeof(*e))))
		return VG_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct block_slot *cover;
		if (block_allowlisted(b, &v[i])) {
			st->allowlisted++;
			continue;
		}
		cover = block_covering(b, &v[i], now);
		if (cover && cover->expires_us >= exp_us) {
			st->nested++;
			continue;
		}
		if (!cover && !block_has_room(b)) {
			st->capped++;
			continue;
		}
		if ((r = block_note(b, &v[i], exp_us)) != VG_OK)
			goto undo;
		e[m].t = v[i];
		e[m].timeout_ms = duration_s * 1000;
		m++;
	}
	/* Record and apply, then commit: the rows become visible only with the
	 * kernel's elements in place, and a failure on either side leaves both as
	 * they were (the table and the kernel are rebuilt from the store). */
	struct apply_job job = { b, e, m, had_active, VG_OK, 0 };
	pthread_t th;
	bool threaded = false;
	t0 = vg_now_us();
	if ((r = store_begin(store)) != VG_OK)
		goto undo;
	if (m && !block_dry_run(b) && !(threaded = pthread_create(&th, NULL, apply_thread,
	    &job) == 0))
		apply_thread(&job);
	r = record_all(store, e, m, actor, now, block_dry_run(b));
	t1 = vg_now_us();
	if (threaded)
		pthread_join(th, NULL);
	t2 = vg_now_us();
	if (r != VG_OK || (r = job.r) != VG_OK)
		goto rollback;
	snprintf(detail, sizeof(detail), "%zu targets for %llds (%zu invalid, %zu allowlisted, "
	    "%zu capped)", m, (long long)duration_s, st->invalid, st->allowlisted, st->capped);
	if ((r = store_audit(store, actor, "block.import", detail)) != VG_OK ||
	    (r = store_commit(store)) != VG_OK)
		goto rollback;
	st->apply_s = (double)job.us / 1e6;
	st->store_s = (double)(t1 - t0 + vg_now_us() - t2) / 1e6;
	st->added = m;
out:
	free(e);
	return r;
rollback:
	store_rollback(store);
undo:
	block_reload(b);
	goto out;
}

static int
list_one(const struct block_record *sb, void *arg)
{
	json_t *arr = arg;
	char t[40];
	int64_t now = vg_now_us();
	const char *state = sb->status;
	json_t *o;

	if (strcmp(sb->status, "active") == 0 && sb->expires_us <= now)
		state = "expired";
	o = json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:i}", "id", (json_int_t)sb->id, "target",
	    sb->target, "state", state, "reason", sb->reason, "actor", sb->actor, "level",
	    sb->level);
	if (!o)
		return VG_ERR_NOMEM;
	if (sb->alert_id)
		json_object_set_new(o, "alert_id", json_integer(sb->alert_id));
	vg_time_format(sb->created_us, t, sizeof(t));
	json_object_set_new(o, "created", json_string(t));
	vg_time_format(sb->expires_us, t, sizeof(t));
	json_object_set_new(o, "expires", json_string(t));
	if (sb->removed_us) {
		vg_time_format(sb->removed_us, t, sizeof(t));
		json_object_set_new(o, "removed", json_string(t));
		if (sb->removed_by)
			json_object_set_new(o, "removed_by", json_string(sb->removed_by));
	}
	return json_array_append_new(arr, o) == 0 ? 0 : VG_ERR_NOMEM;
}

int
block_list(struct vg_store *st, bool history, json_t **out)
{
	json_t *arr = json_array();
	int r;

	*out = NULL;
	if (!arr)
		return VG_ERR_NOMEM;
	if ((r = block_store_each(st, history ? 0 : vg_now_us(), list_one, arr)) != VG_OK) {
		json_decref(arr);
		return r;
	}
	*out = arr;
	return VG_OK;
}
