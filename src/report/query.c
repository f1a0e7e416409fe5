/* The reports' reads through the store's statement API (store_query), the period's
 * alerts gathered once into a narrow temp table, and the small helpers (quantiles,
 * JSON members, day ranges) the sections share. */
#include "report/report_int.h"
#include "report/sql_report.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

json_t *
rw_query(struct rw *w, const char *sql, const struct store_val *v, size_t n, size_t max_rows)
{
	json_t *rows = NULL;
	int r;

	if (w->err)
		return NULL;
	if ((r = store_query(w->st, sql, v, n, max_rows, &rows)) != VG_OK) {
		w->err = r;
		return NULL;
	}
	return rows;
}

long long
rw_count(struct rw *w, const char *sql, const struct store_val *v, size_t n)
{
	json_t *rows = rw_query(w, sql, v, n, 1), *row = json_array_get(rows, 0);
	long long c = 0;
	const char *k;
	json_t *val;

	json_object_foreach(row, k, val) {
		c = json_integer_value(val);
		break;
	}
	json_decref(rows);
	return c;
}

bool
rw_has(struct rw *w, const char *table, const char *column)
{
	const struct store_val v[] = { SV_TEXT(table), SV_TEXT(column) };
	return rw_count(w, SQL_HAS_COLUMN, v, 2) > 0;
}

const char *
rj_str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

long long
rj_int(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int64_t
report_quantile(int64_t *v, size_t n, double q)
{
	size_t rank;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_i64);
	/* Nearest rank: the smallest value with at least q of the values at or below it. */
	rank = (size_t)(q * (double)n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

int
report_period_alerts(struct rw *w)
{
	const struct store_val v[] = { SV_INT(w->o->from_us), SV_INT(w->o->to_us) };
	int r;

	if (w->err)
		return w->err;
	if ((r = store_exec(w->st, SQL_TMP_CREATE, NULL, 0, NULL, NULL)) != VG_OK ||
	    (r = store_exec(w->st, SQL_TMP_CLEAR, NULL, 0, NULL, NULL)) != VG_OK ||
	    (r = store_exec(w->st, SQL_TMP_FILL, v, 2, NULL, NULL)) != VG_OK)
		w->err = r;
	return w->err;
}

int
report_lang_parse(const char *s, enum report_lang *out)
{
	if (s && strcmp(s, "en") == 0)
		*out = REPORT_EN;
	else if (s && strcmp(s, "zh") == 0)
		*out = REPORT_ZH;
	else
		return VG_ERR_INVAL;
	return VG_OK;
}

void
report_day_range(int64_t day_us, int64_t *from, int64_t *to)
{
	time_t t = (time_t)(day_us / 1000000);
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	*from = (int64_t)mktime(&tm) * 1000000;
	tm.tm_mday++;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	*to = (int64_t)mktime(&tm) * 1000000;
}

int
report_render(struct vg_store *st, const struct report_opts *o, struct vg_buf *html)
{
	struct rw w = { .b = html, .st = st, .o = o, .lang = o->lang };

	if (!st || !o || !html || o->to_us <= o->from_us)
		return VG_ERR_INVAL;
	/* The final summary's timeline and advice group the copy; the briefing only
	 * needs scan.c's one pass. */
	if (o->kind == REPORT_FINAL && report_period_alerts(&w) != VG_OK)
		return w.err;
	return o->kind == REPORT_FINAL ? report_final(&w) : report_daily(&w);
}
