/* Record kind "source offsets": how far each tailed file has been read. */
#ifndef VG_STORE_OFFSETS_H
#define VG_STORE_OFFSETS_H

#include <stdint.h>

struct vg_store;

/* Read position of a tailed file, keyed by path. Absent → VG_ERR_NOTFOUND. */
struct store_offset {
	uint64_t dev;
	uint64_t ino;
	uint64_t offset;
	char fingerprint[65];	/* hex SHA-256 of the first bytes; "" if file was short */
};
/* Clears *out on entry; fills it on success. */
int store_offset_get(struct vg_store *st, const char *path, struct store_offset *out);
/* Inserts or replaces the position of path. */
int store_offset_set(struct vg_store *st, const char *path, const struct store_offset *off);

#endif
