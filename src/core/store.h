/* The store gateway: all persistence goes through these functions, and all SQL
 * lives behind them (store_sqlite.c today; a PostgreSQL back end can be added as
 * another struct store_backend without touching callers). */
#ifndef VG_STORE_H
#define VG_STORE_H

#include "core/event.h"
#include "core/log.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct vg_store;

/* Schema version this binary writes; a store with a higher one is refused. */
int store_schema_latest(void);

/* Opens (creating if missing) the store at path with the named backend
 * ("sqlite"), applying pending numbered migrations. On failure returns
 * VG_ERR_STORE / VG_ERR_SCHEMA / VG_ERR_FORMAT / VG_ERR_IO, *out stays NULL and
 * err (if non-NULL) holds a one-line reason naming the file. Caller closes. */
int store_open(const char *backend, const char *path, const struct vg_logger *log,
    struct vg_store **out, char *err, size_t err_size);
/* Accepts NULL. Commits nothing: an open transaction is rolled back. */
void store_close(struct vg_store *st);

/* Last error text for st (borrowed, valid until the next call). */
const char *store_errmsg(const struct vg_store *st);
int store_schema_version(struct vg_store *st, int *version);

/* Explicit transactions: alerts and source offsets written between begin and
 * commit land together or not at all. Without begin, each call autocommits. */
int store_begin(struct vg_store *st);
int store_commit(struct vg_store *st);
int store_rollback(struct vg_store *st);

/* Saves an alert; sets a->id. Strings are copied. */
int store_alert_add(struct vg_store *st, struct vg_alert *a);
/* Updates a saved alert's count and last-seen time (its window grew). */
int store_alert_update(struct vg_store *st, const struct vg_alert *a);
/* Keeps one raw event as evidence for alert_id (raw may hold any bytes). */
int store_alert_event_add(struct vg_store *st, int64_t alert_id, int64_t ts_us, const char *raw,
    size_t raw_len);

/* Read position of a tailed file, keyed by path. Absent → VG_ERR_NOTFOUND. */
struct store_offset {
	uint64_t dev;
	uint64_t ino;
	uint64_t offset;
	char fingerprint[65];	/* hex SHA-256 of the first bytes; "" if file was short */
};
int store_offset_get(struct vg_store *st, const char *path, struct store_offset *out);
int store_offset_set(struct vg_store *st, const char *path, const struct store_offset *off);

/* Appends to the audit log: who did what. */
int store_audit(struct vg_store *st, const char *actor, const char *action, const char *detail);

/* Row counts per table as a new JSON object {"alerts": N, ...}; caller decrefs. */
int store_stats(struct vg_store *st, json_t **out);

/* Calls fn for each alert with id > after_id, oldest first, at most limit rows
 * (0 = no limit). fn gets a JSON object it must not keep; a non-zero return
 * from fn stops the walk and is returned. */
typedef int (*store_alert_fn)(json_t *alert, void *arg);
int store_alerts_each(struct vg_store *st, int64_t after_id, size_t limit, store_alert_fn fn,
    void *arg);

#endif
