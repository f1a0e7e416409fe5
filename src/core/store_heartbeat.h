/* Record kind "heartbeat": one row per daemon (e.g. "watch") with its pid, start
 * time, last beat and a JSON document of what it follows, for `vigil status`. */
#ifndef VG_STORE_HEARTBEAT_H
#define VG_STORE_HEARTBEAT_H

#include <jansson.h>
#include <stdint.h>

struct vg_store;

/* Writes daemon's row; info is serialised (borrowed). Times in µs. */
int store_heartbeat_set(struct vg_store *st, const char *daemon, long pid, int64_t started_us,
    int64_t beat_us, const json_t *info);
/* daemon's row as a new object {pid, started_at, beat_at, info: {...}} (caller
 * decrefs); VG_ERR_NOTFOUND if it never beat. */
int store_heartbeat_get(struct vg_store *st, const char *daemon, json_t **out);

#endif
