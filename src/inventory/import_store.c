/* Writing a parsed declared inventory (import.h): one transaction, so readers
 * see the old inventory or the new one, never a mix. */
#include "inventory/import.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/event.h"
#include "core/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT_FILE_MAX (16 << 20)

static const char SQL_DECL_WAS[] = "SELECT declared FROM assets WHERE address = $1";
static const char SQL_DECL_COUNT[] = "SELECT count(*) AS n FROM assets WHERE declared = 1";
static const char SQL_DECL_CLEAR[] =
    "UPDATE assets SET declared = 0, declared_at = NULL, declared_from = NULL"
    " WHERE declared = 1";
static const char SQL_DECL_UPSERT[] =
    "INSERT INTO assets(address, hostname, declared, owner, notes, system_name, level,"
    " internet_facing, role, declared_at, declared_from)"
    " VALUES($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10)"
    " ON CONFLICT(address) DO UPDATE SET declared = 1,"
    " hostname = coalesce(excluded.hostname, hostname), owner = excluded.owner,"
    " notes = excluded.notes, system_name = excluded.system_name, level = excluded.level,"
    " internet_facing = excluded.internet_facing, role = excluded.role,"
    " declared_at = excluded.declared_at, declared_from = excluded.declared_from";

/* 1 when address was declared before this import, 0 when not or new. */
static int
was_declared(struct vg_store *st, const char *address, int *out)
{
	json_t *row = NULL;
	struct store_val b[] = { SV_TEXT(address) };
	int r = store_query_one(st, SQL_DECL_WAS, b, 1, &row);

	*out = -1;	/* no such asset */
	if (r == VG_ERR_NOTFOUND)
		return VG_OK;
	if (r == VG_OK)
		*out = (int)json_integer_value(json_object_get(row, "declared"));
	json_decref(row);
	return r;
}

int
import_store(struct vg_store *st, const struct import_decls *d, const char *source,
    const char *actor, bool replace, struct import_result *res)
{
	int64_t now = vg_now_us(), before = 0;
	size_t kept = 0;
	json_t *row = NULL;
	char from[512], detail[640];
	int r;

	*res = (struct import_result){ .rows = d->n };
	if ((r = store_begin(st)) != VG_OK)
		return r;
	if ((r = store_query_one(st, SQL_DECL_COUNT, NULL, 0, &row)) != VG_OK)
		goto fail;
	before = json_integer_value(json_object_get(row, "n"));
	json_decref(row);
	for (size_t i = 0; i < d->n; i++) {
		const struct import_decl *x = &d->v[i];
		int was;
		if ((r = was_declared(st, x->address, &was)) != VG_OK)
			goto fail;
		if (was == 1) {
			kept++;
			res->updated++;
		}
		else {
			res->added++;
		}
	}
	if (replace && (r = store_exec(st, SQL_DECL_CLEAR, NULL, 0, NULL, NULL)) != VG_OK)
		goto fail;
	for (size_t i = 0; i < d->n; i++) {
		const struct import_decl *x = &d->v[i];
		snprintf(from, sizeof(from), "%s:%zu", source, x->line);
		struct store_val b[] = { SV_TEXT(x->address), SV_TEXT(x->hostname),
			SV_TEXT(x->owner), SV_TEXT(x->notes), SV_TEXT(x->system),
			x->level ? SV_INT(x->level) : SV_NULL,
			x->internet >= 0 ? SV_INT(x->internet) : SV_NULL, SV_TEXT(x->role),
			SV_INT(now), SV_TEXT(from) };
		if ((r = store_exec(st, SQL_DECL_UPSERT, b, 10, NULL, NULL)) != VG_OK)
			goto fail;
	}
	if (replace)
		res->undeclared = (size_t)before - kept;
	snprintf(detail, sizeof(detail), "%s: %zu rows, %zu added, %zu updated, %zu undeclared",
	    source, res->rows, res->added, res->updated, res->undeclared);
	if ((r = store_audit(st, actor, "assets.import", detail)) != VG_OK)
		goto fail;
	return store_commit(st);
fail:
	store_rollback(st);
	*res = (struct import_result){ 0 };
	return r;
}

/* Reads a whole file (at most IMPORT_FILE_MAX) into *data; "-" is stdin. */
static int
slurp(const char *path, char **data, size_t *len, struct vg_buf *errs)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	int bad;

	*data = NULL;
	if (!f) {
		vg_buf_putf(errs, "%s: cannot open: %s\n", path, strerror(errno));
		return VG_ERR_IO;
	}
	if (!(*data = malloc(IMPORT_FILE_MAX + 1))) {
		if (f != stdin)
			fclose(f);
		return VG_ERR_NOMEM;
	}
	*len = fread(*data, 1, IMPORT_FILE_MAX + 1, f);
	bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad || *len > IMPORT_FILE_MAX) {
		vg_buf_putf(errs, "%s: %s\n", path, bad ? "read error" : "larger than 16 MiB");
		free(*data);
		*data = NULL;
		return bad ? VG_ERR_IO : VG_ERR_LIMIT;
	}
	return VG_OK;
}

int
import_file(struct vg_store *st, const char *path, const char *actor, bool replace,
    struct import_result *res, struct vg_buf *errs)
{
	struct import_decls d = { 0 };
	char *data = NULL;
	size_t len = 0;
	int r;

	*res = (struct import_result){ 0 };
	if ((r = slurp(path, &data, &len, errs)) != VG_OK)
		return r;
	if ((r = import_parse(path, data, len, &d, errs)) == VG_OK)
		r = import_store(st, &d, path, actor, replace, res);
	else if (r == VG_ERR_PARSE)
		vg_buf_putf(errs, "%s: nothing imported\n", path);
	import_decls_free(&d);
	free(data);
	return r;
}
