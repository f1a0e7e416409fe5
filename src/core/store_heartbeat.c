/* Record kind "heartbeat" (see store_heartbeat.h) over the statement interface. */
#include "core/store_db.h"
#include "core/store.h"
#include "core/err.h"

#include <stdlib.h>

static const struct store_sql q_beat_set = {
	.name = "heartbeat update",
	.sql = "INSERT INTO heartbeat(daemon, pid, started_at, beat_at, info)"
	       " VALUES($1, $2, $3, $4, $5) ON CONFLICT(daemon) DO UPDATE SET"
	       " pid = excluded.pid, started_at = excluded.started_at,"
	       " beat_at = excluded.beat_at, info = excluded.info",
};

static const char q_beat_get[] =
	"SELECT pid, started_at, beat_at, info FROM heartbeat WHERE daemon = $1";

int
store_heartbeat_set(struct vg_store *s, const char *daemon, long pid, int64_t started_us,
    int64_t beat_us, const json_t *info)
{
	struct store_stmt *t;
	char *text = info ? json_dumps(info, JSON_COMPACT) : NULL;
	int r = store_stmt(s, &q_beat_set, &t);

	if (r == VG_OK) {
		store_bind_text(t, 1, daemon);
		store_bind_int64(t, 2, pid);
		store_bind_int64(t, 3, started_us);
		store_bind_int64(t, 4, beat_us);
		store_bind_text(t, 5, text);
		r = store_run(t);
	}
	free(text);
	return r;
}

int
store_heartbeat_get(struct vg_store *s, const char *daemon, json_t **out)
{
	const struct store_val b[] = { SV_TEXT(daemon) };
	json_t *row = NULL, *info;
	int r;

	*out = NULL;
	if ((r = store_query_one(s, q_beat_get, b, 1, &row)) != VG_OK)
		return r;
	info = json_loads(json_string_value(json_object_get(row, "info")) ?
	    json_string_value(json_object_get(row, "info")) : "{}", 0, NULL);
	json_object_set_new(row, "info", info ? info : json_object());
	*out = row;
	return VG_OK;
}
