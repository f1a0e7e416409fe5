/* Private to the store: the table a back end fills in. Callers use store.h only. */
#ifndef VG_STORE_BACKEND_H
#define VG_STORE_BACKEND_H

#include "core/store.h"

struct store_backend {
	const char *name;
	int (*open)(const char *path, const struct vg_logger *log, void **impl, char *err,
	    size_t err_size);
	void (*close)(void *impl);
	const char *(*errmsg)(const void *impl);
	int (*schema_version)(void *impl, int *version);
	int (*begin)(void *impl);
	int (*commit)(void *impl);
	int (*rollback)(void *impl);
	int (*alert_add)(void *impl, struct vg_alert *a);
	int (*alert_update)(void *impl, const struct vg_alert *a);
	int (*alert_event_add)(void *impl, int64_t alert_id, int64_t ts_us, const char *raw,
	    size_t raw_len);
	int (*offset_get)(void *impl, const char *path, struct store_offset *out);
	int (*offset_set)(void *impl, const char *path, const struct store_offset *off);
	int (*audit)(void *impl, const char *actor, const char *action, const char *detail);
	int (*stats)(void *impl, json_t **out);
	int (*alerts_each)(void *impl, int64_t after_id, size_t limit, store_alert_fn fn,
	    void *arg);
};

extern const struct store_backend store_backend_sqlite;

#endif
