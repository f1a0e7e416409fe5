/* Record kinds "snapshots" (the index of a web root's snapshot manifests, which stay
 * files in the backup directory) and "publish windows" (one open window per web
 * root). backup/ and respond/ keep the files; these are only their records. */
#ifndef VG_STORE_BACKUP_H
#define VG_STORE_BACKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vg_store;

#define STORE_SNAPSHOT_ID_MAX 40

struct store_snapshot {
	const char *webroot;
	const char *id;
	int64_t created_at;		/* µs since the epoch */
	int64_t files, bytes, new_objects, new_bytes;	/* -1: not known (adopted) */
	bool adopted;			/* found on disk, not written through the index */
};

/* Indexes a snapshot. An adopted one: VG_ERR_BUSY if webroot already has id. One
 * written through the index (adopted false) replaces a row adopted meanwhile (a
 * watcher listing between the manifest's write and its indexing). */
int store_snapshot_add(struct vg_store *st, const struct store_snapshot *s);

/* The snapshot ids of webroot, oldest first (ids sort by age): *ids is a malloc'd
 * array of malloc'd strings (caller frees each and the array); NULL when *n is 0. */
int store_snapshot_ids(struct vg_store *st, const char *webroot, char ***ids, size_t *n);

/* An open publishing window. */
struct store_publish {
	char since[64];		/* as printed: local time text */
	char baseline[STORE_SNAPSHOT_ID_MAX];
	char note[1024];	/* "" if none */
};

/* Opens webroot's window. VG_ERR_BUSY if one is open. note may be NULL. */
int store_publish_open(struct vg_store *st, const char *webroot, const char *since,
    const char *baseline, const char *note);
/* webroot's open window into *out (cleared first); VG_ERR_NOTFOUND if none. */
int store_publish_get(struct vg_store *st, const char *webroot, struct store_publish *out);
/* Closes webroot's window; VG_ERR_NOTFOUND if none was open. */
int store_publish_close(struct vg_store *st, const char *webroot);

#endif
