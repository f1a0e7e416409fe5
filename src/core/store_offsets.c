/* Record kind "source offsets" over the store's statement interface. The column
 * is quoted because OFFSET is a reserved word in PostgreSQL. */
#include "core/store_db.h"
#include "core/err.h"

#include <stdio.h>
#include <string.h>

static const struct store_sql q_offset_get = {
	.name = "offset lookup",
	.sql = "SELECT dev, ino, \"offset\", fingerprint FROM source_offsets WHERE path = $1",
};

static const struct store_sql q_offset_set = {
	.name = "offset update",
	.sql = "INSERT INTO source_offsets(path, dev, ino, \"offset\", fingerprint, updated_at)"
	       " VALUES($1, $2, $3, $4, $5, $6) ON CONFLICT(path) DO UPDATE SET"
	       " dev = excluded.dev, ino = excluded.ino, \"offset\" = excluded.\"offset\","
	       " fingerprint = excluded.fingerprint, updated_at = excluded.updated_at",
};

int
store_offset_get(struct vg_store *s, const char *path, struct store_offset *out)
{
	struct store_stmt *t;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = store_stmt(s, &q_offset_get, &t)) != VG_OK)
		return r;
	store_bind_text(t, 1, path);
	r = store_step(t);
	if (r == STORE_ROW) {
		const char *fp = store_col_text(t, 3);
		out->dev = (uint64_t)store_col_int64(t, 0);
		out->ino = (uint64_t)store_col_int64(t, 1);
		out->offset = (uint64_t)store_col_int64(t, 2);
		snprintf(out->fingerprint, sizeof(out->fingerprint), "%s", fp ? fp : "");
		r = VG_OK;
	} else if (r == STORE_DONE) {
		r = VG_ERR_NOTFOUND;
	}
	store_reset(t);
	return r;
}

int
store_offset_set(struct vg_store *s, const char *path, const struct store_offset *off)
{
	struct store_stmt *t;
	int r = store_stmt(s, &q_offset_set, &t);
	if (r != VG_OK)
		return r;
	store_bind_text(t, 1, path);
	store_bind_int64(t, 2, (int64_t)off->dev);
	store_bind_int64(t, 3, (int64_t)off->ino);
	store_bind_int64(t, 4, (int64_t)off->offset);
	store_bind_text(t, 5, off->fingerprint);
	store_bind_int64(t, 6, vg_now_us());
	return store_run(t);
}
