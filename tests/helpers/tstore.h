/* A scratch SQLite store for unit tests: a private directory under /tmp with the
 * store in it, removed afterwards with its WAL files. Header-only, as each unit
 * test is built from its one .c file. */
#ifndef VG_TEST_TSTORE_H
#define VG_TEST_TSTORE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/err.h"
#include "core/store.h"

struct tstore {
	char dir[64], path[128];
	struct vg_store *st;
	struct vg_logger log;	/* errors only */
};

/* Creates /tmp/vigil-TAG-XXXXXX and opens DIR/v.db in it. 0, or -1. */
static inline int
tstore_open(struct tstore *t, const char *tag)
{
	char err[256];

	snprintf(t->dir, sizeof(t->dir), "/tmp/vigil-%s-XXXXXX", tag);
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->path, sizeof(t->path), "%s/v.db", t->dir);
	t->log.level = VG_LOG_ERROR;
	return store_open("sqlite", t->path, &t->log, &t->st, err, sizeof(err)) == VG_OK ? 0 : -1;
}

/* Closes the store and removes it, its -wal and -shm files and the directory. */
static inline void
tstore_remove(struct tstore *t)
{
	static const char *const sfx[] = { "", "-wal", "-shm" };
	char p[160];

	store_close(t->st);
	t->st = NULL;
	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", t->path, sfx[i]);
		unlink(p);
	}
	rmdir(t->dir);
}

#endif
