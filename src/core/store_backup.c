/* Record kinds "snapshots" and "publish windows" (see store_backup.h) over the
 * statement interface. Inserts do nothing on a taken key instead of failing, so
 * "already there" is VG_ERR_BUSY on every back end, not a constraint error; the one
 * exception is a snapshot's creator, whose row replaces one adopted meanwhile. */
#include "core/store_backup.h"
#include "core/store_db.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

static const struct store_sql q_snap_add = {
	.name = "snapshot insert",
	.sql = "INSERT INTO snapshots(webroot, id, created_at, files, bytes, new_objects,"
	       " new_bytes, adopted) VALUES($1, $2, $3, $4, $5, $6, $7, $8)"
	       " ON CONFLICT(webroot, id) DO UPDATE SET created_at = excluded.created_at,"
	       " files = excluded.files, bytes = excluded.bytes,"
	       " new_objects = excluded.new_objects, new_bytes = excluded.new_bytes,"
	       " adopted = 0 WHERE excluded.adopted = 0",
};

static const struct store_sql q_snap_ids = {
	.name = "snapshot list",
	.sql = "SELECT id FROM snapshots WHERE webroot = $1 ORDER BY id",
};

static const struct store_sql q_pub_open = {
	.name = "publish open",
	.sql = "INSERT INTO publish_windows(webroot, since, baseline, note, opened_at)"
	       " VALUES($1, $2, $3, $4, $5) ON CONFLICT(webroot) DO NOTHING",
};

static const struct store_sql q_pub_get = {
	.name = "publish lookup",
	.sql = "SELECT since, baseline, note FROM publish_windows WHERE webroot = $1",
};

static const struct store_sql q_pub_close = {
	.name = "publish close",
	.sql = "DELETE FROM publish_windows WHERE webroot = $1",
};

static void
bind_known(struct store_stmt *t, int i, int64_t v)
{
	if (v < 0)
		store_bind_null(t, i);
	else
		store_bind_int64(t, i, v);
}

int
store_snapshot_add(struct vg_store *s, const struct store_snapshot *sn)
{
	struct store_stmt *t;
	int r = store_stmt(s, &q_snap_add, &t);

	if (r != VG_OK)
		return r;
	store_bind_text(t, 1, sn->webroot);
	store_bind_text(t, 2, sn->id);
	store_bind_int64(t, 3, sn->created_at);
	bind_known(t, 4, sn->files);
	bind_known(t, 5, sn->bytes);
	bind_known(t, 6, sn->new_objects);
	bind_known(t, 7, sn->new_bytes);
	store_bind_int64(t, 8, sn->adopted);
	if ((r = store_run(t)) != VG_OK)
		return r;
	return store_changes(s) == 1 ? VG_OK : VG_ERR_BUSY;
}

int
store_snapshot_ids(struct vg_store *s, const char *webroot, char ***ids_out, size_t *n_out)
{
	struct store_stmt *t;
	char **v = NULL;
	size_t n = 0, cap = 0;
	int r;

	*ids_out = NULL;
	*n_out = 0;
	if ((r = store_stmt(s, &q_snap_ids, &t)) != VG_OK)
		return r;
	store_bind_text(t, 1, webroot);
	while ((r = store_step(t)) == STORE_ROW) {
		const char *id = store_col_text(t, 0);
		if (!id || strlen(id) >= STORE_SNAPSHOT_ID_MAX)
			continue;	/* not an id this binary wrote */
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **nv = realloc(v, nc * sizeof(*nv));
			if (!nv) {
				r = VG_ERR_NOMEM;
				break;
			}
			v = nv;
			cap = nc;
		}
		if (!(v[n] = strdup(id))) {
			r = VG_ERR_NOMEM;
			break;
		}
		n++;
	}
	store_reset(t);
	if (r != STORE_DONE) {
		for (size_t i = 0; i < n; i++)
			free(v[i]);
		free(v);
		return r;
	}
	if (n == 0) {
		free(v);
		v = NULL;
	}
	*ids_out = v;
	*n_out = n;
	return VG_OK;
}

int
store_publish_open(struct vg_store *s, const char *webroot, const char *since,
    const char *baseline, const char *note)
{
	struct store_stmt *t;
	int r = store_stmt(s, &q_pub_open, &t);

	if (r != VG_OK)
		return r;
	store_bind_text(t, 1, webroot);
	store_bind_text(t, 2, since);
	store_bind_text(t, 3, baseline);
	store_bind_text(t, 4, note);
	store_bind_int64(t, 5, vg_now_us());
	if ((r = store_run(t)) != VG_OK)
		return r;
	return store_changes(s) == 1 ? VG_OK : VG_ERR_BUSY;
}

int
store_publish_get(struct vg_store *s, const char *webroot, struct store_publish *out)
{
	struct store_stmt *t;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = store_stmt(s, &q_pub_get, &t)) != VG_OK)
		return r;
	store_bind_text(t, 1, webroot);
	r = store_step(t);
	if (r == STORE_ROW) {
		store_col_copy(t, 0, out->since, sizeof(out->since));
		store_col_copy(t, 1, out->baseline, sizeof(out->baseline));
		store_col_copy(t, 2, out->note, sizeof(out->note));
		r = VG_OK;
	} else if (r == STORE_DONE) {
		r = VG_ERR_NOTFOUND;
	}
	store_reset(t);
	return r;
}

int
store_publish_close(struct vg_store *s, const char *webroot)
{
	struct store_stmt *t;
	int r = store_stmt(s, &q_pub_close, &t);

	if (r != VG_OK)
		return r;
	store_bind_text(t, 1, webroot);
	if ((r = store_run(t)) != VG_OK)
		return r;
	return store_changes(s) >= 1 ? VG_OK : VG_ERR_NOTFOUND;
}
