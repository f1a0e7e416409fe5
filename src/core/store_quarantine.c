/* Record kind "quarantine" (see store_quarantine.h) over the statement interface.
 * The insert does nothing on a taken id instead of failing, so the caller can tell
 * "pick the next id" from a store error on every back end. */
#include "core/store_quarantine.h"
#include "core/store_db.h"
#include "core/beneath.h"
#include "core/buf.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

static const struct store_sql q_quar_add = {
	.name = "quarantine insert",
	.sql = "INSERT INTO quarantine(id, sha256, original_path, mode, uid, gid, size, mtime,"
	       " quarantined_at, score, rules, families, restored_to)"
	       " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
	       " ON CONFLICT(id) DO NOTHING",
};

static const struct store_sql q_quar_list = {
	.name = "quarantine list",
	.sql = "SELECT id, sha256, original_path, mode, uid, gid, size, mtime, quarantined_at,"
	       " score, rules, families, restored_to FROM quarantine"
	       " ORDER BY quarantined_at, id",
};

static const struct store_sql q_quar_restored = {
	.name = "quarantine restored",
	.sql = "UPDATE quarantine SET restored_to = $2, restored_at = $3 WHERE id = $1",
};

int
store_quarantine_add(struct vg_store *s, const struct quarantine_entry *e)
{
	struct store_stmt *t;
	int r = store_stmt(s, &q_quar_add, &t);

	if (r != VG_OK)
		return r;
	store_bind_text(t, 1, e->id);
	store_bind_text(t, 2, e->sha256);
	store_bind_text(t, 3, e->original_path);
	store_bind_int64(t, 4, (int64_t)(e->mode & 07777));
	store_bind_int64(t, 5, (int64_t)e->uid);
	store_bind_int64(t, 6, (int64_t)e->gid);
	store_bind_int64(t, 7, e->size);
	store_bind_int64(t, 8, e->mtime);
	store_bind_int64(t, 9, e->quarantined_at);
	store_bind_int64(t, 10, e->score);
	store_bind_text(t, 11, e->rules);
	store_bind_text(t, 12, e->families);
	store_bind_text(t, 13, e->restored_to[0] ? e->restored_to : NULL);
	if ((r = store_run(t)) != VG_OK)
		return r;
	return store_changes(s) == 1 ? VG_OK : VG_ERR_BUSY;
}

/* A restore writes to original_path: absolute and clean (no "..", ".", empty
 * component); the id names nothing outside the vault. */
static bool
sound(const struct quarantine_entry *e)
{
	return e->id[0] && !strchr(e->id, '/') && strlen(e->sha256) == 64 &&
	    strspn(e->sha256, "0123456789abcdef") == 64 && e->original_path[0] == '/' &&
	    vg_relpath_valid(e->original_path + 1, strlen(e->original_path + 1), false);
}

static bool
read_row(struct store_stmt *t, struct quarantine_entry *e)
{
	int64_t mode = store_col_int64(t, 3);

	memset(e, 0, sizeof(*e));
	if (!store_col_copy(t, 0, e->id, sizeof(e->id)) ||
	    !store_col_copy(t, 1, e->sha256, sizeof(e->sha256)) ||
	    !store_col_copy(t, 2, e->original_path, sizeof(e->original_path)) ||
	    !store_col_copy(t, 10, e->rules, sizeof(e->rules)) ||
	    !store_col_copy(t, 11, e->families, sizeof(e->families)) ||
	    !store_col_copy(t, 12, e->restored_to, sizeof(e->restored_to)))
		return false;
	e->mode = (mode_t)(mode >= 0 && mode <= 07777 ? mode : 0600);
	e->uid = (uid_t)store_col_int64(t, 4);
	e->gid = (gid_t)store_col_int64(t, 5);
	e->size = store_col_int64(t, 6);
	e->mtime = store_col_int64(t, 7);
	e->quarantined_at = store_col_int64(t, 8);
	e->score = (int)store_col_int64(t, 9);
	return sound(e);
}

int
store_quarantine_list(struct vg_store *s, size_t max, struct quarantine_entry **out,
    size_t *n_out, size_t *bad)
{
	struct quarantine_entry *v = NULL;
	struct store_stmt *t;
	size_t n = 0, cap = 0, nbad = 0;
	int r;

	*out = NULL;
	*n_out = 0;
	if (bad)
		*bad = 0;
	if ((r = store_stmt(s, &q_quar_list, &t)) != VG_OK)
		return r;
	while ((r = store_step(t)) == STORE_ROW) {
		if (n >= max) {
			nbad++;
			continue;
		}
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct quarantine_entry *nv = realloc(v, nc * sizeof(*v));
			if (!nv) {
				r = VG_ERR_NOMEM;
				break;
			}
			v = nv;
			cap = nc;
		}
		if (read_row(t, &v[n]))
			n++;
		else
			nbad++;
	}
	store_reset(t);
	if (r != STORE_DONE || n == 0) {
		free(v);
		v = NULL;
		if (r != STORE_DONE)
			return r;
	}
	*out = v;
	*n_out = n;
	if (bad)
		*bad = nbad;
	return VG_OK;
}

int
store_quarantine_set_restored(struct vg_store *s, const char *id, const char *path, int64_t at)
{
	struct store_stmt *t;
	int r = store_stmt(s, &q_quar_restored, &t);

	if (r != VG_OK)
		return r;
	store_bind_text(t, 1, id);
	store_bind_text(t, 2, path);
	store_bind_int64(t, 3, at);
	if ((r = store_run(t)) != VG_OK)
		return r;
	return store_changes(s) == 1 ? VG_OK : VG_ERR_NOTFOUND;
}
