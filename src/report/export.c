/* The final summary's deliverables: the records a team hands over after the event,
 * each exported from the store beside the report and hashed. Files are written
 * through core/atomic (0600, renamed into place), streamed page by page, and a
 * spreadsheet-safe CSV: a cell starting with = + - @ gets a leading ' so attacker
 * text never runs as a formula. SHA-256 comes from backup/objstore, vigil's one
 * provider. */
#include "report/report_int.h"
#include "report/sql_export.h"
#include "backup/objstore.h"
#include "core/atomic.h"
#include "core/err.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE_ROWS 5000
#define FLUSH_AT (1u << 20)

struct xfile {
	const char *file;
	enum rstr what;
	const char *sql;
	const char *head;	/* CSV: the columns of an export with no rows */
	bool json;	/* incidents: one JSON document with history and actions */
};

struct xout {
	struct vg_atomic a;
	struct vg_buf *b;
	int err;
};

static void
xflush(struct xout *x, bool all)
{
	const char *p = vg_buf_ptr(x->b);
	size_t n = vg_buf_len(x->b), off = 0;

	if (x->err || (!all && n < FLUSH_AT))
		return;
	while (off < n) {
		ssize_t w = write(x->a.fd, p + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			x->err = errno == ENOSPC ? VG_ERR_LIMIT : VG_ERR_IO;
			return;
		}
		off += (size_t)w;
	}
	vg_buf_reset(x->b);
}

static void
xput(struct xout *x, const char *s, size_t n)
{
	int r;

	if (!x->err && (r = vg_buf_put(x->b, s, n)) != VG_OK)
		x->err = r;
}

static void
csv_cell(struct xout *x, const json_t *v)
{
	char num[32];
	const char *s;

	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		xput(x, num, strlen(num));
		return;
	}
	if (!(s = json_string_value(v)))
		return;
	xput(x, "\"", 1);
	if (strchr("=+-@\t\r", s[0]) && s[0])
		xput(x, "'", 1);
	/* Runs between quotes go out whole; a quote is doubled. */
	for (const char *q; (q = strchr(s, '"')); s = q + 1) {
		xput(x, s, (size_t)(q - s) + 1);
		xput(x, "\"", 1);
	}
	xput(x, s, strlen(s));
	xput(x, "\"", 1);
}

static void
csv_row(struct xout *x, const json_t *row, bool header)
{
	const char *k;
	json_t *v;
	bool first = true;

	json_object_foreach((json_t *)row, k, v) {
		if (!first)
			xput(x, ",", 1);
		first = false;
		if (header)
			xput(x, k, strlen(k));
		else
			csv_cell(x, v);
	}
	xput(x, "\r\n", 2);
}

/* One incident with its history and actions, as a JSON line of the array. */
static int
incident_json(struct vg_store *st, json_t *inc, struct xout *x, bool first)
{
	const struct store_val v[] = { SV_INT(json_integer_value(json_object_get(inc, "id"))) };
	json_t *h = NULL, *a = NULL;
	char *text;
	int r;

	if ((r = store_query(st, SQL_X_INC_HISTORY, v, 1, 0, &h)) != VG_OK ||
	    (r = store_query(st, SQL_X_INC_ACTIONS, v, 1, 0, &a)) != VG_OK) {
		json_decref(h);
		return r;
	}
	json_object_set_new(inc, "history", h);
	json_object_set_new(inc, "actions", a);
	if (!(text = json_dumps(inc, JSON_COMPACT | JSON_PRESERVE_ORDER)))
		return VG_ERR_NOMEM;
	xput(x, first ? "[\n" : ",\n", 2);
	xput(x, text, strlen(text));
	free(text);
	return VG_OK;
}

/* A CSV with no rows still names its columns (xf->head: sql_export.h's HEAD). */
static int
csv_empty_header(struct vg_store *st, const struct xfile *xf, const struct store_val *v,
    struct xout *x)
{
	json_t *rows = NULL;
	int r;

	if ((r = store_query(st, xf->head, v, 4, 0, &rows)) != VG_OK)
		return r;
	if (json_array_size(rows) == 1)
		csv_row(x, json_array_get(rows, 0), true);
	json_decref(rows);
	return VG_OK;
}

/* Streams one export into path; *rows gets how many records it holds. */
static int
export_one(struct vg_store *st, const struct report_opts *o, const struct xfile *xf,
    const char *path, long long *rows)
{
	struct xout x = { .b = vg_buf_new(FLUSH_AT * 2) };
	int64_t after = 0;
	json_t *page = NULL, *row;
	size_t i;
	int r;

	*rows = 0;
	if (!x.b)
		return VG_ERR_NOMEM;
	if ((r = vg_atomic_open(&x.a, path, NULL, 0600)) != VG_OK) {
		vg_buf_free(x.b);
		return r;
	}
	for (;;) {
		const struct store_val v[] = { SV_INT(o->from_us), SV_INT(o->to_us), SV_INT(after),
			SV_INT(PAGE_ROWS) };
		if ((r = store_query(st, xf->sql, v, 4, 0, &page)) != VG_OK)
			break;
		json_array_foreach(page, i, row) {
			if (xf->json) {
				if ((r = incident_json(st, row, &x, *rows == 0)) != VG_OK)
					break;
			} else {
				if (*rows == 0)
					csv_row(&x, row, true);
				csv_row(&x, row, false);
			}
			after = json_integer_value(json_object_get(row, "id"));
			(*rows)++;
		}
		xflush(&x, false);
		if (r != VG_OK || json_array_size(page) < PAGE_ROWS || x.err)
			break;
		json_decref(page);
		page = NULL;
	}
	json_decref(page);
	if (r == VG_OK && !xf->json && *rows == 0)
		r = csv_empty_header(st, xf, (const struct store_val[]){ SV_INT(o->from_us),
		    SV_INT(o->to_us), SV_INT(0), SV_INT(PAGE_ROWS) }, &x);
	if (xf->json)
		xput(&x, *rows ? "\n]\n" : "[]\n", 3);
	xflush(&x, true);
	if (r == VG_OK)
		r = x.err;
	if (r == VG_OK)
		r = vg_atomic_commit(&x.a, 0);
	else
		vg_atomic_abort(&x.a);
	vg_buf_free(x.b);
	return r;
}

int
report_exports(struct vg_store *st, const struct report_opts *o, const char *dir, json_t **list)
{
	struct rw w = { .st = st, .o = o };
	const struct xfile files[] = {
		{ "assets.csv", R_DEL_ASSETS, SQL_X_ASSETS, SQL_X_ASSETS_HEAD, false },
		rw_has(&w, "findings", "state") ?
		    (struct xfile){ "rectification.csv", R_DEL_RECTIFY, SQL_X_FINDINGS_008,
			SQL_X_FINDINGS_008_HEAD, false } :
		    (struct xfile){ "rectification.csv", R_DEL_RECTIFY, SQL_X_FINDINGS_001,
			SQL_X_FINDINGS_001_HEAD, false },
		{ "incidents.json", R_DEL_INCIDENTS, SQL_X_INCIDENTS, NULL, true },
		{ "notices.csv", R_DEL_NOTICES, SQL_X_NOTICES, SQL_X_NOTICES_HEAD, false },
		{ "alerts.csv", R_DEL_ALERTS, SQL_X_ALERTS, SQL_X_ALERTS_HEAD, false },
		{ "actions.csv", R_DEL_ACTIONS, SQL_X_ACTIONS, SQL_X_ACTIONS_HEAD, false },
		{ "handovers.csv", R_DEL_HANDOVERS, SQL_X_HANDOVERS, SQL_X_HANDOVERS_HEAD, false },
	};
	unsigned char *buf = NULL;
	struct vg_buf *sums = NULL;
	json_t *out = json_array();
	char path[4096], hex[OBJ_HEX_SIZE];
	int r = VG_OK;

	*list = NULL;
	if (w.err)
		r = w.err;
	else if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		r = VG_ERR_IO;
	else if (!out || !(buf = malloc(OBJ_BUF_SIZE)) || !(sums = vg_buf_new(1 << 16)))
		r = VG_ERR_NOMEM;
	for (size_t i = 0; r == VG_OK && i < sizeof(files) / sizeof(files[0]); i++) {
		long long rows = 0;
		uint64_t size;

		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, files[i].file) >= sizeof(path))
			r = VG_ERR_LIMIT;
		else if ((r = export_one(st, o, &files[i], path, &rows)) == VG_OK &&
		    (r = objstore_hash_path(path, buf, OBJ_BUF_SIZE, hex, &size)) == VG_OK) {
			json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:I, s:I, s:s}",
			    "file", files[i].file, "what", report_str(REPORT_EN, files[i].what),
			    "what_zh", report_str(REPORT_ZH, files[i].what), "rows", (json_int_t)rows,
			    "bytes", (json_int_t)size, "sha256", hex));
			r = vg_buf_putf(sums, "%s  %s\n", hex, files[i].file);
		}
	}
	if (r == VG_OK && (size_t)snprintf(path, sizeof(path), "%s/SHA256SUMS", dir) < sizeof(path))
		r = vg_atomic_write(path, vg_buf_ptr(sums), vg_buf_len(sums), 0600, 0);
	if (r == VG_OK) {
		*list = out;
		out = NULL;
	}
	json_decref(out);
	vg_buf_free(sums);
	free(buf);
	return r;
}
