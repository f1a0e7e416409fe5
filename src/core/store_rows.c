/* Generic statements over the store's statement interface, for stages that keep
 * their SQL in their own files (cases/, notify/): typed value arrays in, JSON rows
 * out. Record kinds inside core use store_db.h directly (no JSON on hot paths). */
#include "core/store_db.h"
#include "core/err.h"

static int
prepare_bound(struct vg_store *s, const char *sql, const struct store_val *b, size_t n,
    struct store_stmt **out)
{
	int r = store_stmt_text(s, sql, out);
	if (r != VG_OK)
		return r;
	for (size_t i = 0; i < n; i++) {
		int at = (int)i + 1;
		if (b[i].type == STORE_INT)
			store_bind_int64(*out, at, b[i].i);
		else if (b[i].type == STORE_TEXT)
			store_bind_text(*out, at, b[i].s);
		else
			store_bind_null(*out, at);
	}
	return VG_OK;
}

int
store_exec(struct vg_store *s, const char *sql, const struct store_val *binds, size_t n,
    int64_t *last_id, int64_t *changes)
{
	struct store_stmt *t;
	int r = prepare_bound(s, sql, binds, n, &t);
	if (r == VG_OK)
		r = store_run(t);
	if (r == VG_OK && last_id)
		*last_id = store_last_insert_id(s);
	if (r == VG_OK && changes)
		*changes = store_changes(s);
	return r;
}

/* The current row as a new object keyed by column name. */
static json_t *
row_json(struct store_stmt *t)
{
	json_t *o = json_object();
	int n = t->ops->column_count(t->st);

	for (int i = 0; o && i < n; i++) {
		const char *name = t->ops->column_name(t->st, i);
		json_t *v;
		switch (store_col_type(t, i)) {
		case STORE_INT:
			v = json_integer(store_col_int64(t, i));
			break;
		case STORE_TEXT:
			v = json_string(store_col_text(t, i));
			if (!v)	/* not UTF-8: keep the row, say so */
				v = json_string("(invalid UTF-8)");
			break;
		default:
			v = json_null();
		}
		if (!name || !v || json_object_set_new(o, name, v) != 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

int
store_query(struct vg_store *s, const char *sql, const struct store_val *binds, size_t n,
    size_t max_rows, json_t **rows)
{
	struct store_stmt *t;
	json_t *arr = NULL;
	int r;

	*rows = NULL;
	if ((r = prepare_bound(s, sql, binds, n, &t)) != VG_OK)
		return r;
	if (!(arr = json_array())) {
		r = VG_ERR_NOMEM;
		goto out;
	}
	while ((max_rows == 0 || json_array_size(arr) < max_rows) &&
	    (r = store_step(t)) == STORE_ROW) {
		json_t *o = row_json(t);
		if (!o || json_array_append_new(arr, o) != 0) {
			r = VG_ERR_NOMEM;
			goto out;
		}
	}
	if (r == STORE_DONE || r == STORE_ROW) {
		*rows = arr;
		arr = NULL;
		r = VG_OK;
	}
out:
	store_reset(t);
	json_decref(arr);
	return r;
}

int
store_query_one(struct vg_store *s, const char *sql, const struct store_val *binds, size_t n,
    json_t **row)
{
	json_t *rows = NULL;
	int r = store_query(s, sql, binds, n, 1, &rows);

	*row = NULL;
	if (r != VG_OK)
		return r;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		return VG_ERR_NOTFOUND;
	}
	*row = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return VG_OK;
}

int
store_query_each(struct vg_store *s, const char *sql, const struct store_val *binds, size_t n,
    store_row_fn fn, void *ctx)
{
	struct store_val cols[STORE_EACH_MAX_COLS];
	size_t len[STORE_EACH_MAX_COLS];
	struct store_stmt *t;
	int r, nc;

	if ((r = prepare_bound(s, sql, binds, n, &t)) != VG_OK)
		return r;
	nc = t->ops->column_count(t->st);
	if (nc < 0 || nc > STORE_EACH_MAX_COLS) {
		r = VG_ERR_INVAL;
		goto out;
	}
	while ((r = store_step(t)) == STORE_ROW) {
		for (int i = 0; i < nc; i++) {
			len[i] = 0;
			switch (store_col_type(t, i)) {
			case STORE_INT:
				cols[i] = SV_INT(store_col_int64(t, i));
				break;
			case STORE_TEXT:
				cols[i] = (struct store_val){ .type = STORE_TEXT,
					.s = store_col_text(t, i) };
				len[i] = store_col_len(t, i);
				break;
			default:
				cols[i] = SV_NULL;
			}
		}
		if ((r = fn(ctx, cols, len, (size_t)nc)) != VG_OK)
			goto out;
	}
	if (r == STORE_DONE)
		r = VG_OK;
out:
	store_reset(t);
	return r;
}
