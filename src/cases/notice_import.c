/* `notice import`: a CSV file (header row names the columns) or a JSON array of
 * objects, all rows in one transaction so a bad row imports nothing. The CSV
 * reader follows RFC 4180 (quoted fields, doubled quotes, CRLF) and works on a
 * bounded copy of the file. */
#include "cases/cases_int.h"
#include "core/buf.h"
#include "core/err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IMPORT_MAX_BYTES (4 << 20)
#define CSV_MAX_COLS 16

static const char *const columns[] = { "kind", "ref", "title", "asset", "severity", "owner",
	"deadline", "required_feedback", "issuer", "detail" };
#define N_COLUMNS (sizeof(columns) / sizeof(columns[0]))

static int
read_all(const char *path, char **out, size_t *len)
{
	struct vg_buf *b = vg_buf_new(IMPORT_MAX_BYTES);
	char chunk[65536];
	ssize_t n;
	int fd, r = VG_OK;

	*out = NULL;
	if (!b)
		return VG_ERR_NOMEM;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		vg_buf_free(b);
		return VG_ERR_IO;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if ((r = vg_buf_put(b, chunk, (size_t)n)) != VG_OK)
			break;
	if (n < 0)
		r = VG_ERR_IO;
	close(fd);
	*len = vg_buf_len(b);
	if (r == VG_OK && !(*out = vg_buf_steal(b)))
		r = VG_ERR_NOMEM;
	vg_buf_free(b);
	return r;
}

/* Fills n from string fields (borrowed); err names what is wrong. */
static int
fill(struct cases_notice *n, const char *const *vals, char *why, size_t why_size)
{
	enum vg_severity sev = VG_SEV_MEDIUM;
	long long num;

	memset(n, 0, sizeof(*n));
	n->kind = vals[0];
	n->ref = vals[1];
	n->title = vals[2];
	n->asset = vals[3];
	n->owner = vals[5];
	n->required_feedback = vals[7];
	n->issuer = vals[8];
	n->detail = vals[9];
	if (vals[4] && *vals[4] && vg_severity_parse(vals[4], &sev) != VG_OK) {
		if (vg_parse_ll(vals[4], 0, 4, &num) != VG_OK) {
			snprintf(why, why_size, "bad severity '%s'", vals[4]);
			return VG_ERR_PARSE;
		}
		sev = (enum vg_severity)num;
	}
	n->severity = (int)sev;
	if (vals[6] && *vals[6] && cases_parse_time(vals[6], vg_now_us(), &n->deadline_us) != VG_OK) {
		snprintf(why, why_size, "bad deadline '%s'", vals[6]);
		return VG_ERR_PARSE;
	}
	if (cases_notice_check(n) != VG_OK) {
		snprintf(why, why_size, "needs kind (vulnerability|incident|asset), title and asset");
		return VG_ERR_PARSE;
	}
	return VG_OK;
}

/* Splits one CSV record starting at *pos in place (fields NUL-terminated inside
 * text); *line advances over newlines, quoted ones included. */
static size_t
csv_record(char *text, size_t len, size_t *pos, char **fields, size_t max, size_t *line)
{
	size_t n = 0, i = *pos;
	char *w = text + i;

	while (i < len && n < max) {
		char *start = w;
		if (text[i] == '"') {
			for (i++; i < len; i++) {
				if (text[i] == '"' && i + 1 < len && text[i + 1] == '"') {
					*w++ = '"';
					i++;
				} else if (text[i] == '"') {
					i++;
					break;
				} else {
					if (text[i] == '\n')
						(*line)++;
					*w++ = text[i];
				}
			}
		}
		while (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
			*w++ = text[i++];
		fields[n++] = start;
		/* The writer may sit on the terminator: read it before terminating. */
		char term = i < len ? text[i] : '\0';
		*w++ = '\0';
		if (term == ',') {
			i++;
			continue;
		}
		if (term == '\r' || term == '\n') {
			i++;
			while (i < len && text[i] == '\r')
				i++;
			if (term == '\r' && i < len && text[i] == '\n')
				i++;
			(*line)++;
		}
		break;
	}
	*pos = i;
	return n;
}

static int
import_csv(struct cases *cs, char *text, size_t len, const char *path, const char *actor,
    size_t *added, size_t *skipped, json_t *ids, char *err, size_t err_size)
{
	char *hdr[CSV_MAX_COLS], *f[CSV_MAX_COLS], why[160];
	int map[CSV_MAX_COLS];
	size_t pos = 0, line = 1, nh, nf;
	int r;

	nh = csv_record(text, len, &pos, hdr, CSV_MAX_COLS, &line);
	for (size_t i = 0; i < nh; i++) {
		map[i] = -1;
		for (size_t c = 0; c < N_COLUMNS; c++)
			if (strcmp(hdr[i], columns[c]) == 0)
				map[i] = (int)c;
		if (map[i] < 0) {
			snprintf(err, err_size, "%s:1: unknown column '%s'", path, hdr[i]);
			return VG_ERR_PARSE;
		}
	}
	while (pos < len) {
		const char *vals[N_COLUMNS] = { 0 };
		struct cases_notice n;
		size_t at = line;
		int64_t id;
		bool dup;
		nf = csv_record(text, len, &pos, f, CSV_MAX_COLS, &line);
		if (nf == 1 && f[0][0] == '\0')
			continue;	/* blank line */
		for (size_t i = 0; i < nf && i < nh; i++)
			vals[map[i]] = f[i];
		if (fill(&n, vals, why, sizeof(why)) != VG_OK) {
			snprintf(err, err_size, "%s:%zu: %s", path, at, why);
			return VG_ERR_PARSE;
		}
		if ((r = cases_notice_insert(cs, &n, actor, &id, &dup)) != VG_OK)
			return r;
		(*(dup ? skipped : added))++;
		if (!dup)
			json_array_append_new(ids, json_integer(id));
	}
	return VG_OK;
}

static int
import_json(struct cases *cs, const char *text, size_t len, const char *path, const char *actor,
    size_t *added, size_t *skipped, json_t *ids, char *err, size_t err_size)
{
	json_error_t jerr;
	json_t *arr = json_loadb(text, len, 0, &jerr), *o;
	char why[160], sev[8];
	size_t i;
	int r = VG_OK;

	if (!json_is_array(arr)) {
		snprintf(err, err_size, "%s:%d: %s", path, jerr.line,
		    arr ? "expected a JSON array of objects" : jerr.text);
		json_decref(arr);
		return VG_ERR_PARSE;
	}
	json_array_foreach(arr, i, o) {
		const char *vals[N_COLUMNS] = { 0 };
		struct cases_notice n;
		int64_t id;
		bool dup;
		for (size_t c = 0; c < N_COLUMNS; c++) {
			json_t *v = json_object_get(o, columns[c]);
			if (json_is_integer(v) && c == 4) {
				snprintf(sev, sizeof(sev), "%lld", (long long)json_integer_value(v));
				vals[c] = sev;
			} else {
				vals[c] = json_string_value(v);
			}
		}
		if (!json_is_object(o) || fill(&n, vals, why, sizeof(why)) != VG_OK) {
			snprintf(err, err_size, "%s: item %zu: %s", path, i + 1,
			    json_is_object(o) ? why : "not an object");
			r = VG_ERR_PARSE;
			break;
		}
		if ((r = cases_notice_insert(cs, &n, actor, &id, &dup)) != VG_OK)
			break;
		(*(dup ? skipped : added))++;
		if (!dup)
			json_array_append_new(ids, json_integer(id));
	}
	json_decref(arr);
	return r;
}

int
cases_notice_import(struct cases *cs, const char *path, const char *actor, size_t *added,
    size_t *skipped, char *err, size_t err_size)
{
	char *text = NULL;
	size_t len = 0;
	int r;

	*added = *skipped = 0;
	err[0] = '\0';
	if ((r = read_all(path, &text, &len)) != VG_OK) {
		snprintf(err, err_size, "%s: %s", path,
		    r == VG_ERR_LIMIT ? "larger than 4 MiB" : strerror(errno));
		return r;
	}
	r = cases_notice_import_text(cs, text, len, path, actor, added, skipped, err, err_size);
	free(text);
	return r;
}

int
cases_notice_import_text(struct cases *cs, const char *data, size_t len, const char *name,
    const char *actor, size_t *added, size_t *skipped, char *err, size_t err_size)
{
	char *text = NULL;
	json_t *ids = json_array(), *id;
	size_t i = 0;
	int r;

	*added = *skipped = 0;
	err[0] = '\0';
	if (len > IMPORT_MAX_BYTES) {
		snprintf(err, err_size, "%s: larger than 4 MiB", name);
		json_decref(ids);
		return VG_ERR_LIMIT;
	}
	/* The CSV reader cuts fields in place: work on a NUL-terminated copy. */
	if (!ids || !(text = malloc(len + 1))) {
		json_decref(ids);
		return VG_ERR_NOMEM;
	}
	memcpy(text, data, len);
	text[len] = '\0';
	while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
		i++;
	if ((r = store_begin(cs->st)) != VG_OK)
		goto out;
	if (i < len && text[i] == '[')
		r = import_json(cs, text, len, name, actor, added, skipped, ids, err, err_size);
	else
		r = import_csv(cs, text, len, name, actor, added, skipped, ids, err, err_size);
	if (r == VG_OK)
		r = cases_audit(cs, actor, "notice.import", "%s: %zu added, %zu already tracked", name,
		    *added, *skipped);
	if (r == VG_OK)
		r = store_commit(cs->st);
	if (r != VG_OK) {
		store_rollback(cs->st);
		*added = *skipped = 0;
		if (!err[0])
			snprintf(err, err_size, "%s: %s", name, vg_strerror(r));
	} else {
		json_array_foreach(ids, i, id)	/* after commit: the hook may read them */
			cases_notice_announce(cs, json_integer_value(id));
	}
out:
	json_decref(ids);
	free(text);
	return r;
}
