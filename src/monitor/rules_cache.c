/* Compiling the shipped rule set takes about a second (hs_compile_multi); a restart
 * with unchanged rules loads the serialized databases instead. The key covers
 * everything that determines the bytecode; Vectorscan checks the platform and the
 * bytecode's CRC when deserializing. */
#include "monitor/rules_cache.h"
#include "core/buf.h"
#include "core/atomic.h"
#include "core/err.h"
#include "core/paths.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RULES_CACHE_MAX (512u << 20)	/* refuse absurd files */

void
rules_cache_key(const char *const *exprs, const unsigned *flags, size_t n,
    const hs_platform_info_t *platform, struct rules_cache_key *key)
{
	crypto_generichash_state st;
	unsigned char h[32];
	const char *ver = hs_version();

	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)"vigil-hs-1", 11);
	crypto_generichash_update(&st, (const unsigned char *)ver, strlen(ver) + 1);
	/* a database is built for a CPU's features (this one's, or the ones the rules
	 * chose, platform): one built elsewhere (another host, a valgrind run that hides
	 * AVX-512) is slower here or refused by hs_scan */
	hs_platform_info_t plat;
	memset(&plat, 0, sizeof(plat));
	if (platform)
		plat = *platform;
	if (platform || hs_populate_platform(&plat) == HS_SUCCESS) {
		unsigned char p[16] = { (unsigned char)plat.tune };
		for (int b = 0; b < 8; b++)
			p[4 + b] = (unsigned char)(plat.cpu_features >> (8 * b));
		crypto_generichash_update(&st, p, sizeof(p));
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char f[4] = { (unsigned char)flags[i], (unsigned char)(flags[i] >> 8),
			(unsigned char)(flags[i] >> 16), (unsigned char)(flags[i] >> 24) };
		crypto_generichash_update(&st, f, sizeof(f));
		crypto_generichash_update(&st, (const unsigned char *)exprs[i], strlen(exprs[i]) + 1);
	}
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(key->hex, sizeof(key->hex), h, sizeof(h));
}

int
rules_cache_dir_ok(const char *dir, const struct vg_logger *log)
{
	struct stat st;

	if (stat(dir, &st) != 0) {
		if (errno != ENOENT || vg_mkdir_p(dir, 0700) != VG_OK || stat(dir, &st) != 0) {
			vg_warn(log, "rules cache %s: %s; compiling without cache", dir,
			    strerror(errno));
			return VG_ERR_IO;
		}
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & (S_IWGRP | S_IWOTH))) {
		vg_warn(log, "rules cache %s: not a directory owned by this user and closed to "
		    "others; compiling without cache", dir);
		return VG_ERR_INVAL;
	}
	return VG_OK;
}

static int
entry_path(const char *dir, const struct rules_cache_key *key, const char *suffix, char **out)
{
	struct vg_buf *b = vg_buf_new(8192);
	int r;

	*out = NULL;
	if (!b)
		return VG_ERR_NOMEM;
	r = vg_buf_putf(b, "%s/vigil-hs-%s%s", dir, key->hex, suffix);
	if (r == VG_OK && !(*out = vg_buf_steal(b)))
		r = VG_ERR_NOMEM;
	vg_buf_free(b);
	return r;
}

int
rules_cache_get(const char *dir, const struct rules_cache_key *key, hs_database_t **db,
    const struct vg_logger *log)
{
	char *path = NULL, *bytes = NULL;
	FILE *f = NULL;
	struct stat st;
	int ret = VG_ERR_NOTFOUND;

	*db = NULL;
	if (entry_path(dir, key, ".db", &path) != VG_OK)
		goto out;
	f = fopen(path, "rb");
	if (!f)
		goto out;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (size_t)st.st_size > RULES_CACHE_MAX || st.st_uid != geteuid())
		goto out;
	bytes = malloc((size_t)st.st_size);
	if (!bytes || fread(bytes, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
		goto out;
	if (hs_deserialize_database(bytes, (size_t)st.st_size, db) != HS_SUCCESS) {
		*db = NULL;
		vg_warn(log, "rules cache %s: unusable entry, recompiling", path);
		goto out;
	}
	vg_debug(log, "rules cache hit %s", path);
	ret = VG_OK;
out:
	if (f)
		fclose(f);
	free(bytes);
	free(path);
	return ret;
}

int
rules_cache_put(const char *dir, const struct rules_cache_key *key, const hs_database_t *db,
    const struct vg_logger *log)
{
	char *path = NULL, *bytes = NULL;
	size_t len = 0;
	int ret = VG_ERR_IO;

	errno = 0;
	if (entry_path(dir, key, ".db", &path) != VG_OK)
		goto out;
	if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS)
		goto out;
	ret = vg_atomic_write(path, bytes, len, 0600, 0);
out:
	if (ret != VG_OK)
		vg_warn(log, "rules cache %s: cannot store compiled rules: %s", dir,
		    errno ? strerror(errno) : "serialization failed");
	free(bytes);	/* hs_serialize_database uses the default allocator */
	free(path);
	return ret;
}
