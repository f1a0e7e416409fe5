/* Feeds into the store: a feed file is loaded (a JSON document, or OSV JSON lines),
 * parsed into records and written in one transaction that first drops the rows of an
 * earlier import of the same file, so re-importing a refreshed feed replaces it. */
#include "assess/feed.h"
#include "core/err.h"
#include "core/event.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char SQL_FEED_DROP[] = "DELETE FROM feeds WHERE format = $1 AND name = $2";
static const char SQL_FEED_ADD[] =
    "INSERT INTO feeds(format, name, bytes, imported_at) VALUES($1,$2,$3,$4)";
static const char SQL_FEED_COUNTS[] =
    "UPDATE feeds SET advisories = $2, ranges = $3 WHERE id = $1";
static const char SQL_FEED_VULN[] =
    "INSERT OR REPLACE INTO vulns(feed_id, vuln_id, aliases, summary, severity)"
    " VALUES($1,$2,$3,$4,$5)";
static const char SQL_FEED_RANGE[] =
    "INSERT INTO vuln_ranges(feed_id, vuln_id, ecosystem, package, scheme, introduced, fixed,"
    " last_affected, status) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9)";
static const char SQL_FEED_KEV[] =
    "INSERT OR REPLACE INTO kev(cve, feed_id, vendor, product, name, added, due, ransomware)"
    " VALUES($1,$2,$3,$4,$5,$6,$7,$8)";
static const char SQL_FEED_LIST[] =
    "SELECT id, format, name, bytes, imported_at, advisories, ranges FROM feeds ORDER BY id";

#define FEED_TEXT_MAX 2048	/* summaries are cut: the list shows a line, not an essay */

int
feed_load(const char *path, json_t **out, char *err, size_t err_size)
{
	json_error_t je;
	json_t *doc, *arr = NULL;
	struct stat st;
	FILE *f;

	*out = NULL;
	if (!(f = fopen(path, "re")) || fstat(fileno(f), &st) != 0) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return VG_ERR_IO;
	}
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > FEED_MAX_BYTES) {
		snprintf(err, err_size, "%s: not a regular file of at most %u MiB", path,
		    FEED_MAX_BYTES >> 20);
		fclose(f);
		return VG_ERR_LIMIT;
	}
	doc = json_loadf(f, JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL, &je);
	if (doc) {
		int c;
		while ((c = fgetc(f)) != EOF && isspace(c))
			;
		if (c == EOF) {
			fclose(f);
			if (!(arr = json_array()) || json_array_append_new(arr, doc) != 0) {
				json_decref(arr);
				return VG_ERR_NOMEM;
			}
			*out = arr;
			return VG_OK;
		}
		/* more after the first document: JSON lines, one record each */
		json_decref(doc);
		rewind(f);
		if (!(arr = json_array())) {
			fclose(f);
			return VG_ERR_NOMEM;
		}
		while ((doc = json_loadf(f, JSON_DISABLE_EOF_CHECK, &je))) {
			json_array_append_new(arr, doc);
			while ((c = fgetc(f)) != EOF && isspace(c))
				;
			if (c == EOF)
				break;
			ungetc(c, f);
		}
		if (!doc) {
			snprintf(err, err_size, "%s:%d:%d: %s", path, je.line, je.column, je.text);
			json_decref(arr);
			fclose(f);
			return VG_ERR_PARSE;
		}
		fclose(f);
		*out = arr;
		return VG_OK;
	}
	snprintf(err, err_size, "%s:%d:%d: %s", path, je.line, je.column, je.text);
	fclose(f);
	return VG_ERR_PARSE;
}

struct store_sink {
	struct vg_store *st;
	int64_t feed_id;
	struct feed_stats *stats;
};

static char *
cut(const char *s)
{
	return s ? strndup(s, FEED_TEXT_MAX) : NULL;
}

static int
sink_advisory(void *arg, const char *id, const char *aliases, const char *summary, int severity)
{
	struct store_sink *s = arg;
	char *sum = cut(summary);
	struct store_val b[] = { SV_INT(s->feed_id), SV_TEXT(id),
		SV_TEXT(aliases && *aliases ? aliases : NULL), SV_TEXT(sum), SV_INT(severity) };
	int r = store_exec(s->st, SQL_FEED_VULN, b, 5, NULL, NULL);

	free(sum);
	s->stats->advisories += r == VG_OK;
	return r;
}

static int
sink_range(void *arg, const struct feed_range *fr)
{
	struct store_sink *s = arg;
	char pkg[256];
	size_t i;

	/* package names match case-insensitively: banners say "OpenSSH", feeds "openssh" */
	for (i = 0; fr->package[i] && i + 1 < sizeof(pkg); i++)
		pkg[i] = (char)tolower((unsigned char)fr->package[i]);
	pkg[i] = '\0';
	struct store_val b[] = { SV_INT(s->feed_id), SV_TEXT(fr->vuln_id), SV_TEXT(fr->ecosystem),
		SV_TEXT(pkg), SV_TEXT(vers_scheme_name(fr->scheme)), SV_TEXT(fr->introduced),
		SV_TEXT(fr->fixed), SV_TEXT(fr->last_affected),
		SV_TEXT(fr->not_affected ? "not_affected" : "affected") };
	int r = store_exec(s->st, SQL_FEED_RANGE, b, 9, NULL, NULL);
	s->stats->ranges += r == VG_OK;
	return r;
}

static int
sink_kev(void *arg, const char *cve, const char *vendor, const char *product, const char *name,
    const char *added, const char *due, const char *ransomware)
{
	struct store_sink *s = arg;
	struct store_val b[] = { SV_TEXT(cve), SV_INT(s->feed_id), SV_TEXT(vendor), SV_TEXT(product),
		SV_TEXT(name), SV_TEXT(added), SV_TEXT(due), SV_TEXT(ransomware) };
	int r = store_exec(s->st, SQL_FEED_KEV, b, 8, NULL, NULL);
	s->stats->kev += r == VG_OK;
	return r;
}

int
feed_import(struct vg_store *st, const char *path, enum feed_format fmt,
    struct feed_stats *stats, char *err, size_t err_size)
{
	json_t *docs = NULL, *doc;
	struct stat sb;
	size_t i;
	int r;

	memset(stats, 0, sizeof(*stats));
	err[0] = '\0';
	if ((r = feed_load(path, &docs, err, err_size)) != VG_OK)
		return r;
	if (fmt == FEED_AUTO)
		fmt = feed_detect(json_array_size(docs) == 1 ? json_array_get(docs, 0) : docs);
	if (fmt == FEED_AUTO) {
		snprintf(err, err_size, "%s: not an OSV, CVE JSON 5, Debian tracker or CISA KEV "
		    "document (--format names one)", path);
		json_decref(docs);
		return VG_ERR_FORMAT;
	}
	stats->format = fmt;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if ((r = store_begin(st)) != VG_OK)
		goto out;
	struct store_val d[] = { SV_TEXT(feed_format_name(fmt)), SV_TEXT(base) };
	struct store_val a[] = { SV_TEXT(feed_format_name(fmt)), SV_TEXT(base),
		SV_INT(stat(path, &sb) == 0 ? sb.st_size : 0), SV_INT(vg_now_us()) };
	struct store_sink ss = { .st = st, .stats = stats };
	struct feed_sink sink = { .arg = &ss, .advisory = sink_advisory, .range = sink_range,
		.kev = sink_kev };
	if ((r = store_exec(st, SQL_FEED_DROP, d, 2, NULL, NULL)) != VG_OK ||
	    (r = store_exec(st, SQL_FEED_ADD, a, 4, &ss.feed_id, NULL)) != VG_OK)
		goto fail;
	json_array_foreach(docs, i, doc)
		if ((r = feed_parse(fmt, doc, &sink, &stats->skipped, err, err_size)) != VG_OK) {
			if (!err[0])
				snprintf(err, err_size, "%s: %s", path, vg_strerror(r));
			goto fail;
		}
	struct store_val c[] = { SV_INT(ss.feed_id), SV_INT((int64_t)(stats->advisories + stats->kev)),
		SV_INT((int64_t)stats->ranges) };
	if ((r = store_exec(st, SQL_FEED_COUNTS, c, 3, NULL, NULL)) != VG_OK ||
	    (r = store_audit(st, "vigil", "feed.import", base)) != VG_OK ||
	    (r = store_commit(st)) != VG_OK)
		goto fail;
	goto out;
fail:
	store_rollback(st);
out:
	json_decref(docs);
	return r;
}

int
feed_list(struct vg_store *st, json_t **out)
{
	json_t *row;
	size_t i;
	int r;

	if ((r = store_query(st, SQL_FEED_LIST, NULL, 0, 0, out)) != VG_OK)
		return r;
	json_array_foreach(*out, i, row) {
		char buf[40];
		vg_time_format(json_integer_value(json_object_get(row, "imported_at")), buf, sizeof(buf));
		json_object_set_new(row, "imported_at", json_string(buf));
	}
	return VG_OK;
}
