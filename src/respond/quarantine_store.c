/* The quarantine vault's store and the one-time import of an older vault's JSON
 * sidecars (see quarantine_store.h). The import checks and writes in one IMMEDIATE
 * transaction, so two processes (or scan's worker threads) opening an old vault at
 * once import it once. */
#include "respond/quarantine_store.h"

#include "core/beneath.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/store.h"
#include "core/store_imports.h"
#include "core/store_quarantine.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define META_MAX (64 * 1024)	/* a sidecar is small; anything bigger is not ours */
#define IMPORT_WHAT "quarantine-sidecars"

static void
json_str(json_t *o, const char *key, char *dst, size_t size)
{
	const char *v = json_string_value(json_object_get(o, key));
	vg_strlcpy(dst, v ? v : "", size);
}

/* One sidecar of the old layout. The record is checked as the store's reader
 * checks it, plus a NUL inside the JSON path string (it would cut it short). */
static int
read_meta(const char *file, struct quarantine_entry *e)
{
	json_error_t jerr;
	json_t *j, *op;
	long long mode = 0;
	struct stat st;
	const char *m;
	char *end = NULL;

	memset(e, 0, sizeof(*e));
	if (stat(file, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > META_MAX)
		return VG_ERR_FORMAT;
	if (!(j = json_load_file(file, 0, &jerr)) || !json_is_object(j)) {
		json_decref(j);
		return VG_ERR_PARSE;
	}
	json_str(j, "id", e->id, sizeof(e->id));
	json_str(j, "sha256", e->sha256, sizeof(e->sha256));
	json_str(j, "original_path", e->original_path, sizeof(e->original_path));
	op = json_object_get(j, "original_path");
	bool path_ok = op && json_string_length(op) == strlen(e->original_path) &&
	    e->original_path[0] == '/' && vg_relpath_valid(e->original_path + 1,
	    strlen(e->original_path + 1), false);
	json_str(j, "rules", e->rules, sizeof(e->rules));
	json_str(j, "families", e->families, sizeof(e->families));
	json_str(j, "restored_to", e->restored_to, sizeof(e->restored_to));
	if ((m = json_string_value(json_object_get(j, "mode"))))
		mode = strtoll(m, &end, 8);
	if (!m || !end || *end || mode < 0 || mode > 07777)
		mode = 0600;
	e->mode = (mode_t)mode;
	e->uid = (uid_t)json_integer_value(json_object_get(j, "uid"));
	e->gid = (gid_t)json_integer_value(json_object_get(j, "gid"));
	e->size = json_integer_value(json_object_get(j, "size"));
	e->mtime = json_integer_value(json_object_get(j, "mtime"));
	e->quarantined_at = json_integer_value(json_object_get(j, "quarantined_at"));
	e->score = (int)json_integer_value(json_object_get(j, "score"));
	json_decref(j);
	if (strlen(e->sha256) != 64 || strspn(e->sha256, "0123456789abcdef") != 64 ||
	    !e->id[0] || strchr(e->id, '/') || !path_ok)
		return VG_ERR_FORMAT;
	return VG_OK;
}

/* Imports every sidecar of metadir inside the caller's transaction. */
static int
import_dir(struct vg_store *st, const char *metadir, size_t *n, size_t *bad)
{
	struct quarantine_entry *e = malloc(sizeof(*e));
	char file[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int ret = VG_OK;

	*n = *bad = 0;
	if (!e)
		return VG_ERR_NOMEM;
	if (!(d = opendir(metadir))) {
		free(e);
		return VG_ERR_IO;
	}
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l < 6 || strcmp(de->d_name + l - 5, ".json") != 0)
			continue;
		int w = snprintf(file, sizeof(file), "%s/%s", metadir, de->d_name);
		if (w < 0 || (size_t)w >= sizeof(file) || read_meta(file, e) != VG_OK) {
			(*bad)++;
			continue;
		}
		int r = store_quarantine_add(st, e);
		if (r == VG_ERR_BUSY) {
			(*bad)++;	/* the same id twice: the first one stands */
			continue;
		}
		if (r != VG_OK) {
			ret = r;
			break;
		}
		(*n)++;
	}
	closedir(d);
	free(e);
	return ret;
}

/* Imports vault's meta/ once; then renames it so nobody takes it for live records. */
static int
import_sidecars(struct vg_store *st, const char *vault, char *err, size_t err_size)
{
	char metadir[PATH_MAX], done_dir[PATH_MAX];
	struct stat sb;
	size_t n = 0, bad = 0;
	bool done = false;
	int r;

	if (snprintf(metadir, sizeof(metadir), "%s/meta", vault) >= (int)sizeof(metadir) ||
	    snprintf(done_dir, sizeof(done_dir), "%s/meta.imported", vault) >=
	    (int)sizeof(done_dir))
		return VG_ERR_LIMIT;
	if (lstat(metadir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return VG_OK;
	if ((r = store_begin(st)) != VG_OK)
		goto fail;
	if ((r = store_import_done(st, IMPORT_WHAT, &done)) != VG_OK || done) {
		store_rollback(st);
		if (r != VG_OK)
			goto fail;
		return VG_OK;
	}
	if ((r = import_dir(st, metadir, &n, &bad)) != VG_OK ||
	    (r = store_import_add(st, IMPORT_WHAT, metadir, (int64_t)n, (int64_t)bad)) != VG_OK) {
		store_rollback(st);
		goto fail;
	}
	if ((r = store_commit(st)) != VG_OK)
		goto fail;
	vg_warn(NULL, "quarantine vault %s: imported %zu record(s) from %s into %s/%s "
	    "(%zu unreadable skipped); the old files are kept in %s and no longer read",
	    vault, n, metadir, vault, QUARANTINE_STORE_FILE, bad, done_dir);
	if (rename(metadir, done_dir) != 0)
		vg_warn(NULL, "quarantine vault %s: cannot rename %s: %s (already imported; "
		    "it is not read again)", vault, metadir, strerror(errno));
	return VG_OK;
fail:
	snprintf(err, err_size, "%s: cannot import the vault's records into %s: %s", metadir,
	    QUARANTINE_STORE_FILE, store_errmsg(st));
	return r;
}

int
quarantine_store_open(const char *vault, bool create, struct vg_store **out, char *err,
    size_t err_size)
{
	char path[PATH_MAX], metadir[PATH_MAX];
	struct vg_store *st = NULL;
	int r;

	*out = NULL;
	err[0] = '\0';
	if (snprintf(path, sizeof(path), "%s/%s", vault, QUARANTINE_STORE_FILE) >=
	    (int)sizeof(path) || snprintf(metadir, sizeof(metadir), "%s/meta", vault) >=
	    (int)sizeof(metadir)) {
		snprintf(err, err_size, "%s: vault path too long", vault);
		return VG_ERR_LIMIT;
	}
	if (!create && access(path, F_OK) != 0 && access(metadir, F_OK) != 0)
		return errno == ENOENT || errno == ENOTDIR ? VG_OK : VG_ERR_IO;
	if ((r = store_open("sqlite", path, NULL, &st, err, err_size)) != VG_OK)
		return r;
	if ((r = import_sidecars(st, vault, err, err_size)) != VG_OK) {
		store_close(st);
		return r;
	}
	*out = st;
	return VG_OK;
}
