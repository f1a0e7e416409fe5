/* Record kind "imports" (see store_imports.h) over the statement interface. */
#include "core/store_imports.h"
#include "core/store_db.h"
#include "core/err.h"

#include <time.h>

static const struct store_sql q_import_get = {
	.name = "import lookup",
	.sql = "SELECT 1 FROM imports WHERE what = $1",
};

static const struct store_sql q_import_add = {
	.name = "import insert",
	.sql = "INSERT INTO imports(what, source, at, records, skipped) VALUES($1, $2, $3, $4, $5)",
};

int
store_import_done(struct vg_store *s, const char *what, bool *done)
{
	struct store_stmt *t;
	int r;

	*done = false;
	if ((r = store_stmt(s, &q_import_get, &t)) != VG_OK)
		return r;
	store_bind_text(t, 1, what);
	r = store_step(t);
	store_reset(t);
	if (r < 0)
		return r;
	*done = r == STORE_ROW;
	return VG_OK;
}

int
store_import_add(struct vg_store *s, const char *what, const char *source, int64_t records,
    int64_t skipped)
{
	struct store_stmt *t;
	int r = store_stmt(s, &q_import_add, &t);
	if (r != VG_OK)
		return r;
	store_bind_text(t, 1, what);
	store_bind_text(t, 2, source);
	store_bind_int64(t, 3, (int64_t)time(NULL));
	store_bind_int64(t, 4, records);
	store_bind_int64(t, 5, skipped);
	return store_run(t);
}
