/* Store gateway: picks a back end by name and forwards to its table. */
#include "core/store_backend.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vg_store {
	const struct store_backend *be;
	void *impl;
};

static const struct store_backend *const backends[] = { &store_backend_sqlite, NULL };

int
store_open(const char *backend, const char *path, const struct vg_logger *log,
    struct vg_store **out, char *err, size_t err_size)
{
	const struct store_backend *be = NULL;
	struct vg_store *st;
	int r;

	*out = NULL;
	if (err && err_size)
		err[0] = '\0';
	for (size_t i = 0; backends[i]; i++)
		if (strcmp(backends[i]->name, backend ? backend : "sqlite") == 0)
			be = backends[i];
	if (!be) {
		if (err)
			snprintf(err, err_size, "unknown store backend '%s'", backend);
		return VG_ERR_INVAL;
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		return VG_ERR_NOMEM;
	st->be = be;
	r = be->open(path, log, &st->impl, err, err_size);
	if (r != VG_OK) {
		free(st);
		return r;
	}
	*out = st;
	return VG_OK;
}

void
store_close(struct vg_store *st)
{
	if (!st)
		return;
	st->be->close(st->impl);
	free(st);
}

const char *
store_errmsg(const struct vg_store *st)
{
	return st->be->errmsg(st->impl);
}

int store_schema_version(struct vg_store *st, int *v) { return st->be->schema_version(st->impl, v); }
int store_begin(struct vg_store *st) { return st->be->begin(st->impl); }
int store_commit(struct vg_store *st) { return st->be->commit(st->impl); }
int store_rollback(struct vg_store *st) { return st->be->rollback(st->impl); }
int store_alert_add(struct vg_store *st, struct vg_alert *a) { return st->be->alert_add(st->impl, a); }
int store_alert_update(struct vg_store *st, const struct vg_alert *a) { return st->be->alert_update(st->impl, a); }
int store_stats(struct vg_store *st, json_t **out) { return st->be->stats(st->impl, out); }

int
store_alert_event_add(struct vg_store *st, int64_t alert_id, int64_t ts_us, const char *raw,
    size_t raw_len)
{
	return st->be->alert_event_add(st->impl, alert_id, ts_us, raw, raw_len);
}

int
store_offset_get(struct vg_store *st, const char *path, struct store_offset *out)
{
	return st->be->offset_get(st->impl, path, out);
}

int
store_offset_set(struct vg_store *st, const char *path, const struct store_offset *off)
{
	return st->be->offset_set(st->impl, path, off);
}

int
store_audit(struct vg_store *st, const char *actor, const char *action, const char *detail)
{
	return st->be->audit(st->impl, actor, action, detail);
}

int
store_alerts_each(struct vg_store *st, int64_t after_id, size_t limit, store_alert_fn fn, void *arg)
{
	return st->be->alerts_each(st->impl, after_id, limit, fn, arg);
}
