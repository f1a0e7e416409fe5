/* Record kind "audit" over the store's statement interface. */
#include "core/store_db.h"
#include "core/err.h"

static const struct store_sql q_audit_add = {
	.name = "audit insert",
	.sql = "INSERT INTO audit(at, actor, action, detail) VALUES($1, $2, $3, $4)",
};

int
store_audit(struct vg_store *s, const char *actor, const char *action, const char *detail)
{
	struct store_stmt *t;
	int r = store_stmt(s, &q_audit_add, &t);
	if (r != VG_OK)
		return r;
	store_bind_int64(t, 1, vg_now_us());
	store_bind_text(t, 2, actor);
	store_bind_text(t, 3, action);
	store_bind_text(t, 4, detail);
	return store_run(t);
}
