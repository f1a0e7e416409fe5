/* JSON-lines scan import (import_scan.h): the scan record and its observations
 * are written in one transaction, then closed, so a bad line leaves no scan. */
#include "inventory/import_scan.h"
#include "inventory/register.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/event.h"
#include "core/store.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SCAN_LINE_MAX (64 * 1024)

/* tls_not_after as epoch seconds, µs, or an ISO-8601 UTC time. */
static int
not_after(json_t *v, int64_t *us)
{
	struct tm tm = { 0 };
	const char *s = json_string_value(v), *end;

	*us = 0;
	if (!v || json_is_null(v))
		return VG_OK;
	if (json_is_integer(v)) {
		int64_t n = json_integer_value(v);
		/* anything below 10^11 is seconds (that is the year 5138 in seconds) */
		*us = n < 100000000000LL ? n * 1000000 : n;
		return VG_OK;
	}
	if (!s || !(end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) ||
	    (*end && strcmp(end, "Z") != 0 && strcmp(end, "+00:00") != 0))
		return VG_ERR_PARSE;
	*us = (int64_t)timegm(&tm) * 1000000;
	return VG_OK;
}

static const char *
text(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int
one_line(struct vg_store *st, int64_t scan, const char *line, const char **why)
{
	json_error_t je;
	json_t *o = json_loads(line, JSON_REJECT_DUPLICATES, &je);
	json_t *port = NULL;
	int r = VG_ERR_PARSE;

	*why = "not a JSON object";
	if (!o || !json_is_object(o))
		goto out;
	if (!json_object_get(o, "address")) {
		r = VG_ERR_NOTFOUND;
		goto out;
	}
	port = json_object_get(o, "port");
	struct inv_obs ob = { .address = text(o, "address"), .hostname = text(o, "hostname"),
		.port = port ? (int)json_integer_value(port) : 0, .proto = text(o, "proto"),
		.state = text(o, "state"), .service = text(o, "service"),
		.product = text(o, "product"), .version = text(o, "version"),
		.banner = text(o, "banner"), .http_title = text(o, "http_title"),
		.http_server = text(o, "http_server"), .tls_subject = text(o, "tls_subject"),
		.tls_issuer = text(o, "tls_issuer"), .tls_sans = text(o, "tls_sans") };
	if (!ob.address || (port && (!json_is_integer(port) || json_integer_value(port) < 0 ||
				       json_integer_value(port) > 65535))) {
		*why = "address must be a string and port an integer 0-65535";
		goto out;
	}
	if (not_after(json_object_get(o, "tls_not_after"), &ob.tls_not_after) != VG_OK) {
		*why = "tls_not_after: expected epoch seconds or YYYY-MM-DDTHH:MM:SSZ";
		goto out;
	}
	r = register_scan_add(st, scan, &ob);
	if (r == VG_ERR_INVAL)
		*why = "bad observation (proto tcp/udp, state open/closed/filtered)";
out:
	json_decref(o);
	return r;
}

int
import_scan_file(struct vg_store *st, FILE *f, const char *name, const char *spec,
    struct vg_buf *errs, int64_t *scan_id, size_t *count)
{
	char *line = NULL, *sp = NULL;
	size_t cap = 0, lineno = 0, nerr = 0;
	ssize_t len;
	int64_t id = 0;
	const char *why;
	int r;

	*scan_id = 0;
	*count = 0;
	if (!spec) {
		struct vg_buf *b = vg_buf_new(4096);
		if (!b || vg_buf_putf(b, "import:%s", name) != VG_OK || !(sp = vg_buf_steal(b))) {
			vg_buf_free(b);
			return VG_ERR_NOMEM;
		}
		vg_buf_free(b);
		spec = sp;
	}
	if ((r = store_begin(st)) != VG_OK)
		goto out;
	if ((r = register_scan_begin(st, spec, vg_now_us(), &id)) != VG_OK)
		goto fail;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (len == 0 || line[strspn(line, " \t\r\n")] == '\0')
			continue;
		r = len > SCAN_LINE_MAX ? VG_ERR_PARSE : one_line(st, id, line, &why);
		if (len > SCAN_LINE_MAX)
			why = "line longer than 64 KiB";
		if (r == VG_ERR_NOTFOUND)
			continue;
		if (r == VG_ERR_PARSE || r == VG_ERR_INVAL) {
			if (++nerr <= 20)
				vg_buf_putf(errs, "%s:%zu: %s\n", name, lineno, why);
			continue;
		}
		if (r != VG_OK)
			goto fail;
		(*count)++;
	}
	if (ferror(f)) {
		vg_buf_putf(errs, "%s: read error\n", name);
		r = VG_ERR_IO;
		goto fail;
	}
	if (nerr) {
		if (nerr > 20)
			vg_buf_putf(errs, "%s: %zu more lines not shown\n", name, nerr - 20);
		r = VG_ERR_PARSE;
		goto fail;
	}
	if ((r = store_commit(st)) != VG_OK ||
	    (r = register_scan_end(st, id, vg_now_us(), "done")) != VG_OK)
		goto out;
	*scan_id = id;
	goto out;
fail:
	store_rollback(st);
	*count = 0;
out:
	free(line);
	free(sp);
	return r;
}

int
import_scan_path(struct vg_store *st, const char *path, const char *spec,
    struct vg_buf *errs, int64_t *scan_id, size_t *count)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	int r;

	*scan_id = 0;
	*count = 0;
	if (!f) {
		vg_buf_putf(errs, "%s: cannot open: %s\n", path, strerror(errno));
		return VG_ERR_IO;
	}
	r = import_scan_file(st, f, path, spec, errs, scan_id, count);
	if (f != stdin)
		fclose(f);
	return r;
}
