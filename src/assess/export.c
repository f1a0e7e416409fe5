/* The rectification list for the supervising unit: CSV (one row per item) or a
 * JSON array (items with their history). CSV cells that a spreadsheet would run
 * as a formula are defused with a leading quote (OWASP's CSV-injection advice):
 * titles and evidence carry attacker-influenced text (banners, page content). */
#include "assess/assess_int.h"
#include "core/err.h"

#include <string.h>

static const char *const csv_cols[] = { "id", "kind", "family", "check_id", "asset", "ref",
	"title", "severity", "state", "owner", "deadline", "overdue", "found_at", "last_seen",
	"verified_at", "approver", "evidence", "remedy" };
#define N_COLS (sizeof(csv_cols) / sizeof(csv_cols[0]))

static void
csv_cell(FILE *out, const json_t *v)
{
	char num[32];
	const char *s = "";

	if (json_is_string(v))
		s = json_string_value(v);
	else if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		s = num;
	} else if (json_is_boolean(v))
		s = json_is_true(v) ? "yes" : "no";
	if (!*s)
		return;
	fputc('"', out);
	if (json_is_string(v) && strchr("=+-@\t\r", s[0]))
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

int
assess_export(struct vg_store *st, const struct assess_filter *f, bool csv, FILE *out)
{
	json_t *items = NULL, *it, *full = NULL;
	size_t i;
	int r;

	if ((r = assess_item_list(st, f, &items)) != VG_OK)
		return r;
	if (csv) {
		for (size_t c = 0; c < N_COLS; c++)
			fprintf(out, "%s%s", c ? "," : "", csv_cols[c]);
		fputs("\r\n", out);
		json_array_foreach(items, i, it) {
			for (size_t c = 0; c < N_COLS; c++) {
				if (c)
					fputc(',', out);
				csv_cell(out, json_object_get(it, csv_cols[c]));
			}
			fputs("\r\n", out);
		}
		goto out;
	}
	if (!(full = json_array())) {
		r = VG_ERR_NOMEM;
		goto out;
	}
	json_array_foreach(items, i, it) {
		json_t *one = NULL;
		if ((r = assess_item_get(st, json_integer_value(json_object_get(it, "id")), &one)) !=
		    VG_OK)
			goto out;
		json_array_append_new(full, one);
	}
	if (json_dumpf(full, out, JSON_INDENT(1)) != 0)
		r = VG_ERR_IO;
	else
		fputc('\n', out);
out:
	json_decref(items);
	json_decref(full);
	if (r == VG_OK && (fflush(out) != 0 || ferror(out)))
		r = VG_ERR_IO;
	return r;
}
