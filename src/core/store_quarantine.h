/* Record kind "quarantine": one row per file the webshell vault holds (what it was,
 * where it came from, what found it, where it was restored to). The vault and its
 * objects are respond/quarantine.c's; this is only their record. */
#ifndef VG_STORE_QUARANTINE_H
#define VG_STORE_QUARANTINE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct vg_store;

#define QUARANTINE_ID_MAX 48

/* One quarantined file. */
struct quarantine_entry {
	char id[QUARANTINE_ID_MAX];	/* "<sha256 prefix 16>-<unix time>[-n]" */
	char sha256[65];
	char original_path[4096];
	mode_t mode;			/* permission bits the file had */
	uid_t uid;
	gid_t gid;
	long long size;
	long long mtime;		/* seconds since the epoch */
	long long quarantined_at;
	int score;			/* -1 if quarantined without a scan */
	char rules[512];
	char families[256];
	char restored_to[4096];		/* "" until restored */
};

/* Inserts e. VG_ERR_BUSY if its id is taken (the caller picks the next one);
 * VG_ERR_STORE / VG_ERR_IO otherwise. */
int store_quarantine_add(struct vg_store *st, const struct quarantine_entry *e);

/* Every record, oldest quarantine first (then by id), at most max. *out (caller
 * frees with free()) is NULL when *n is 0. A record that does not fit its field
 * or is not a sound record (no id, bad sha256, a relative or unclean original
 * path) is skipped and counted in *bad (may be NULL), as are rows past max. */
int store_quarantine_list(struct vg_store *st, size_t max, struct quarantine_entry **out,
    size_t *n, size_t *bad);

/* Records that id was restored to path at (seconds). VG_ERR_NOTFOUND if no row. */
int store_quarantine_set_restored(struct vg_store *st, const char *id, const char *path,
    int64_t at);

#endif
