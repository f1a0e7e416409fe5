/* Scan diffs (assets_diff.h): both scans' open ports are read sorted by
 * (address, port, proto) and merged in one pass. */
#include "inventory/assets_diff.h"

#include "core/err.h"
#include "core/store.h"

#include <string.h>

static const char SQL_SCANS[] =
    "SELECT id, spec, origin, started_at, finished_at, status, hosts, open_ports"
    " FROM scans ORDER BY id DESC";
static const char SQL_SCAN_ONE[] =
    "SELECT id, spec, origin, started_at, finished_at, status, hosts, open_ports"
    " FROM scans WHERE id = $1";
static const char SQL_LATEST_DONE[] =
    "SELECT id FROM scans WHERE status = 'done' ORDER BY id DESC LIMIT 1";
/* The previous done scan of the same spec when there is one, else the previous. */
static const char SQL_PREV_DONE[] =
    "SELECT id FROM scans WHERE status = 'done' AND id < $1"
    " ORDER BY spec IS $2 DESC, id DESC LIMIT 1";
static const char SQL_DIFF_HOSTS[] =
    "SELECT address, hostname FROM scan_hosts WHERE scan_id = $1 ORDER BY address";
static const char SQL_DIFF_PORTS[] =
    "SELECT address, port, proto, name, product, version, http_title, tls_subject,"
    " tls_issuer, tls_sans, tls_not_after FROM scan_services"
    " WHERE scan_id = $1 AND state = 'open' AND port > 0 ORDER BY address, port, proto";

int
assets_scans(struct vg_store *st, size_t limit, json_t **out)
{
	return store_query(st, SQL_SCANS, NULL, 0, limit, out);
}

static int
one_id(struct vg_store *st, const char *sql, const struct store_val *b, size_t n, int64_t *id)
{
	json_t *row = NULL;
	int r = store_query_one(st, sql, b, n, &row);

	if (r == VG_OK)
		*id = json_integer_value(json_object_get(row, "id"));
	json_decref(row);
	return r;
}

static int
cmp_key(json_t *a, json_t *b, bool ports)
{
	int c = strcmp(json_string_value(json_object_get(a, "address")),
	    json_string_value(json_object_get(b, "address")));
	if (c || !ports)
		return c;
	json_int_t pa = json_integer_value(json_object_get(a, "port"));
	json_int_t pb = json_integer_value(json_object_get(b, "port"));
	if (pa != pb)
		return pa < pb ? -1 : 1;
	return strcmp(json_string_value(json_object_get(a, "proto")),
	    json_string_value(json_object_get(b, "proto")));
}

static bool
differs(json_t *a, json_t *b, const char *const *keys)
{
	for (int i = 0; keys[i]; i++)
		if (!json_equal(json_object_get(a, keys[i]), json_object_get(b, keys[i])) &&
		    !(json_is_null(json_object_get(a, keys[i])) && !json_object_get(b, keys[i])))
			return true;
	return false;
}

static void
change(json_t *changes, const char *kind, json_t *before, json_t *after)
{
	json_t *ref = after ? after : before;
	json_t *c = json_pack("{s:s, s:O}", "change", kind, "address",
	    json_object_get(ref, "address"));

	if (!c)
		return;
	if (json_object_get(ref, "port")) {
		json_object_set(c, "port", json_object_get(ref, "port"));
		json_object_set(c, "proto", json_object_get(ref, "proto"));
	}
	json_object_set(c, "before", before ? before : json_null());
	json_object_set(c, "after", after ? after : json_null());
	json_array_append_new(changes, c);
}

/* Merges two sorted lists; kinds = {new, gone} names. */
static void
merge(json_t *a, json_t *b, bool ports, const char *added, const char *gone, json_t *changes)
{
	static const char *const svc[] = { "name", "product", NULL };
	static const char *const ver[] = { "version", NULL };
	static const char *const title[] = { "http_title", NULL };
	static const char *const cert[] = { "tls_subject", "tls_issuer", "tls_sans",
		"tls_not_after", NULL };
	size_t i = 0, j = 0, na = json_array_size(a), nb = json_array_size(b);

	while (i < na || j < nb) {
		json_t *x = json_array_get(a, i), *y = json_array_get(b, j);
		int c = i == na ? 1 : j == nb ? -1 : cmp_key(x, y, ports);
		if (c < 0) {
			change(changes, gone, x, NULL);
			i++;
		} else if (c > 0) {
			change(changes, added, NULL, y);
			j++;
		} else {
			if (ports && differs(x, y, svc))
				change(changes, "service_changed", x, y);
			else if (ports && differs(x, y, ver))
				change(changes, "version_changed", x, y);
			if (ports && differs(x, y, title))
				change(changes, "title_changed", x, y);
			if (ports && differs(x, y, cert))
				change(changes, "cert_changed", x, y);
			i++;
			j++;
		}
	}
}

int
assets_diff(struct vg_store *st, int64_t from, int64_t to, json_t **out)
{
	json_t *sa = NULL, *sb = NULL, *ha = NULL, *hb = NULL, *pa = NULL, *pb = NULL;
	json_t *changes = NULL;
	int r;

	*out = NULL;
	if (!to && (r = one_id(st, SQL_LATEST_DONE, NULL, 0, &to)) != VG_OK)
		return r;
	struct store_val bt[] = { SV_INT(to) };
	if ((r = store_query_one(st, SQL_SCAN_ONE, bt, 1, &sb)) != VG_OK)
		goto out;
	if (!from) {
		struct store_val bp[] = { SV_INT(to),
			SV_TEXT(json_string_value(json_object_get(sb, "spec"))) };
		if ((r = one_id(st, SQL_PREV_DONE, bp, 2, &from)) != VG_OK)
			goto out;
	}
	struct store_val bf[] = { SV_INT(from) };
	if ((r = store_query_one(st, SQL_SCAN_ONE, bf, 1, &sa)) != VG_OK ||
	    (r = store_query(st, SQL_DIFF_HOSTS, bf, 1, 0, &ha)) != VG_OK ||
	    (r = store_query(st, SQL_DIFF_HOSTS, bt, 1, 0, &hb)) != VG_OK ||
	    (r = store_query(st, SQL_DIFF_PORTS, bf, 1, 0, &pa)) != VG_OK ||
	    (r = store_query(st, SQL_DIFF_PORTS, bt, 1, 0, &pb)) != VG_OK)
		goto out;
	if (!(changes = json_array())) {
		r = VG_ERR_NOMEM;
		goto out;
	}
	merge(ha, hb, false, "new_host", "gone_host", changes);
	merge(pa, pb, true, "new_port", "gone_port", changes);
	*out = json_pack("{s:O, s:O, s:o}", "from", sa, "to", sb, "changes", changes);
	r = *out ? VG_OK : VG_ERR_NOMEM;
out:
	json_decref(sa);
	json_decref(sb);
	json_decref(ha);
	json_decref(hb);
	json_decref(pa);
	json_decref(pb);
	return r;
}
