/* Block records over the store's statement interface (store_exec/store_query):
 * the SQL for this record kind lives here, in portable $N form. */
#include "respond/block_store.h"
#include "core/err.h"

#include <string.h>

static const char sql_add[] =
	"INSERT INTO actions(kind, target, params, status, actor, alert_id, created_at, expires_at)"
	" VALUES('block', $1, json_object('reason', $2, 'level', $3), $4, $5, $6, $7, $8)";
static const char sql_remove[] =
	"UPDATE actions SET status = 'removed', done_at = $1, result = $2"
	" WHERE kind = 'block' AND ($3 IS NULL OR target = $3) AND status = 'active'"
	" AND expires_at > $1";
static const char sql_count[] =
	"SELECT count(*) AS n FROM actions WHERE kind = 'block' AND target = $1"
	" AND created_at >= $2 AND status = 'active'";
static const char sql_each[] =
	"SELECT id, target, json_extract(params, '$.reason') AS reason, actor, status, alert_id,"
	" json_extract(params, '$.level') AS level, created_at, expires_at, done_at, result"
	" FROM actions WHERE kind = 'block'"
	" AND ($1 = 0 OR (status = 'active' AND expires_at > $1)) ORDER BY id";

int
block_store_add(struct vg_store *st, struct block_record *b)
{
	struct store_val v[] = { SV_TEXT(b->target), SV_TEXT(b->reason), SV_INT(b->level),
		SV_TEXT(b->status ? b->status : "active"), SV_TEXT(b->actor),
		b->alert_id > 0 ? SV_INT(b->alert_id) : SV_NULL, SV_INT(b->created_us),
		SV_INT(b->expires_us) };
	return store_exec(st, sql_add, v, sizeof(v) / sizeof(v[0]), &b->id, NULL);
}

int
block_store_remove(struct vg_store *st, const char *target, int64_t at_us, const char *by,
    size_t *n)
{
	struct store_val v[] = { SV_INT(at_us), SV_TEXT(by), SV_TEXT(target) };
	int64_t changes = 0;
	int r = store_exec(st, sql_remove, v, 3, NULL, &changes);
	*n = r == VG_OK ? (size_t)changes : 0;
	return r;
}

int
block_store_count(struct vg_store *st, const char *target, int64_t since_us, int64_t *count)
{
	struct store_val v[] = { SV_TEXT(target), SV_INT(since_us) };
	json_t *row = NULL;
	int r = store_query_one(st, sql_count, v, 2, &row);
	*count = r == VG_OK ? json_integer_value(json_object_get(row, "n")) : 0;
	json_decref(row);
	return r;
}

static const char *
str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int64_t
num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

int
block_store_each(struct vg_store *st, int64_t now_us, block_record_fn fn, void *arg)
{
	struct store_val v[] = { SV_INT(now_us) };
	json_t *rows = NULL, *o;
	size_t i;
	int r = store_query(st, sql_each, v, 1, 0, &rows);

	if (r != VG_OK)
		return r;
	json_array_foreach(rows, i, o) {
		struct block_record b = { .id = num(o, "id"), .target = str(o, "target"),
			.reason = str(o, "reason"), .actor = str(o, "actor"),
			.status = str(o, "status"), .alert_id = num(o, "alert_id"),
			.level = (int)num(o, "level"), .created_us = num(o, "created_at"),
			.expires_us = num(o, "expires_at"), .removed_us = num(o, "done_at"),
			.removed_by = str(o, "result") };
		if (!b.target || !b.status)
			continue;
		if ((r = fn(&b, arg)) != 0)
			break;
	}
	json_decref(rows);
	return r;
}
