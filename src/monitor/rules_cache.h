/* On-disk cache of compiled Vectorscan databases, keyed by a BLAKE2b hash of the
 * Vectorscan version and every expression and flag in order. Internal to rules.c. */
#ifndef VG_RULES_CACHE_H
#define VG_RULES_CACHE_H

#include "core/log.h"

#include <hs/hs.h>
#include <stddef.h>

/* Key for one database. */
struct rules_cache_key {
	char hex[65];
};

void rules_cache_key(const char *const *exprs, const unsigned *flags, size_t n,
    const hs_platform_info_t *plat, struct rules_cache_key *key);

/* True if dir is usable: a directory owned by us and not writable by group or
 * others (a planted database would be loaded into the matcher). Creates it 0700
 * if missing. Logs why not. */
int rules_cache_dir_ok(const char *dir, const struct vg_logger *log);

/* Loads the database for key from dir; 0 and *db set, or VG_ERR_NOTFOUND (no or
 * unusable entry; logged at debug). */
int rules_cache_get(const char *dir, const struct rules_cache_key *key, hs_database_t **db,
    const struct vg_logger *log);

/* Stores db under key (write to a temporary file, then rename). Failures are
 * logged and returned but are never fatal to the caller. */
int rules_cache_put(const char *dir, const struct rules_cache_key *key, const hs_database_t *db,
    const struct vg_logger *log);

#endif
