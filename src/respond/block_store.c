/* Block records over the store's statement interface (store_exec/store_query):
 * the SQL for this record kind lives here, in portable $N form. */
#include "respond/block_store.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

static const char sql_add[] =
	"INSERT INTO actions(kind, target, params, status, actor, alert_id, created_at, expires_at)"
	" VALUES('block', $1, $2, $3, $4, $5, $6, $7)";
/* A batch row set: $1..$6 are shared (params, status, actor, alert, created,
 * expires), $7..$38 one target each. 32 rows per statement cut the per-statement
 * cost of an import (bind, step, reset) by as much. */
#define BATCH_ROWS 32
static const char sql_add_batch[] =
	"INSERT INTO actions(kind, target, params, status, actor, alert_id, created_at, expires_at)"
	" VALUES"
	"('block', $7, $1, $2, $3, $4, $5, $6)"
	",('block', $8, $1, $2, $3, $4, $5, $6)"
	",('block', $9, $1, $2, $3, $4, $5, $6)"
	",('block', $10, $1, $2, $3, $4, $5, $6)"
	",('block', $11, $1, $2, $3, $4, $5, $6)"
	",('block', $12, $1, $2, $3, $4, $5, $6)"
	",('block', $13, $1, $2, $3, $4, $5, $6)"
	",('block', $14, $1, $2, $3, $4, $5, $6)"
	",('block', $15, $1, $2, $3, $4, $5, $6)"
	",('block', $16, $1, $2, $3, $4, $5, $6)"
	",('block', $17, $1, $2, $3, $4, $5, $6)"
	",('block', $18, $1, $2, $3, $4, $5, $6)"
	",('block', $19, $1, $2, $3, $4, $5, $6)"
	",('block', $20, $1, $2, $3, $4, $5, $6)"
	",('block', $21, $1, $2, $3, $4, $5, $6)"
	",('block', $22, $1, $2, $3, $4, $5, $6)"
	",('block', $23, $1, $2, $3, $4, $5, $6)"
	",('block', $24, $1, $2, $3, $4, $5, $6)"
	",('block', $25, $1, $2, $3, $4, $5, $6)"
	",('block', $26, $1, $2, $3, $4, $5, $6)"
	",('block', $27, $1, $2, $3, $4, $5, $6)"
	",('block', $28, $1, $2, $3, $4, $5, $6)"
	",('block', $29, $1, $2, $3, $4, $5, $6)"
	",('block', $30, $1, $2, $3, $4, $5, $6)"
	",('block', $31, $1, $2, $3, $4, $5, $6)"
	",('block', $32, $1, $2, $3, $4, $5, $6)"
	",('block', $33, $1, $2, $3, $4, $5, $6)"
	",('block', $34, $1, $2, $3, $4, $5, $6)"
	",('block', $35, $1, $2, $3, $4, $5, $6)"
	",('block', $36, $1, $2, $3, $4, $5, $6)"
	",('block', $37, $1, $2, $3, $4, $5, $6)"
	",('block', $38, $1, $2, $3, $4, $5, $6)";
static const char sql_remove[] =
	"UPDATE actions SET status = 'removed', done_at = $1, result = $2"
	" WHERE kind = 'block' AND ($3 IS NULL OR target = $3) AND status = 'active'"
	" AND expires_at > $1";
static const char sql_count[] =
	"SELECT count(*) AS n FROM actions WHERE kind = 'block' AND target = $1"
	" AND created_at >= $2 AND status = 'active'";
static const char sql_exists[] =
	"SELECT count(*) AS n FROM actions WHERE id = $1 AND kind = 'block' AND target = $2"
	" AND created_at = $3";
static const char sql_each[] =
	"SELECT id, target, json_extract(params, '$.reason') AS reason, actor, status, alert_id,"
	" json_extract(params, '$.level') AS level, created_at, expires_at, done_at, result"
	" FROM actions WHERE kind = 'block'"
	" AND ($1 = 0 OR (status = 'active' AND expires_at > $1)) ORDER BY id";

/* params as compact JSON text built here rather than by SQL's json_object, so a
 * batch builds it once; a new string the caller frees. */
static char *
params_json(const struct block_record *b)
{
	json_t *o = json_pack("{s:s?, s:i}", "reason", b->reason, "level", b->level);
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return s;
}

int
block_store_add(struct vg_store *st, struct block_record *b)
{
	char *params = params_json(b);
	if (!params)
		return VG_ERR_NOMEM;
	struct store_val v[] = { SV_TEXT(b->target), SV_TEXT(params),
		SV_TEXT(b->status ? b->status : "active"), SV_TEXT(b->actor),
		b->alert_id > 0 ? SV_INT(b->alert_id) : SV_NULL, SV_INT(b->created_us),
		SV_INT(b->expires_us) };
	int r = store_exec(st, sql_add, v, sizeof(v) / sizeof(v[0]), &b->id, NULL);
	free(params);
	return r;
}

int
block_store_add_batch(struct vg_store *st, const struct block_record *common,
    const char *const *targets, size_t n)
{
	struct store_val v[6 + BATCH_ROWS];
	char *params = params_json(common);
	size_t i = 0;
	int r = VG_OK;

	if (!params)
		return VG_ERR_NOMEM;
	v[0] = SV_TEXT(params);
	v[1] = SV_TEXT(common->status ? common->status : "active");
	v[2] = SV_TEXT(common->actor);
	v[3] = common->alert_id > 0 ? SV_INT(common->alert_id) : SV_NULL;
	v[4] = SV_INT(common->created_us);
	v[5] = SV_INT(common->expires_us);
	for (; i + BATCH_ROWS <= n && r == VG_OK; i += BATCH_ROWS) {
		for (size_t j = 0; j < BATCH_ROWS; j++)
			v[6 + j] = SV_TEXT(targets[i + j]);
		r = store_exec(st, sql_add_batch, v, 6 + BATCH_ROWS, NULL, NULL);
	}
	for (; i < n && r == VG_OK; i++) {
		struct store_val one[] = { SV_TEXT(targets[i]), v[0], v[1], v[2], v[3], v[4], v[5] };
		r = store_exec(st, sql_add, one, 7, NULL, NULL);
	}
	free(params);
	return r;
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

int
block_store_exists(struct vg_store *st, int64_t id, const char *target, int64_t created_us,
    bool *found)
{
	struct store_val v[] = { SV_INT(id), SV_TEXT(target), SV_INT(created_us) };
	json_t *row = NULL;
	int r = store_query_one(st, sql_exists, v, 3, &row);
	*found = r == VG_OK && json_integer_value(json_object_get(row, "n")) > 0;
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
