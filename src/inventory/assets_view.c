/* Loading the register for readers (assets_view.h). Four queries joined in C by
 * asset id; a register is thousands of rows, not millions, and one code path
 * keeps the flags consistent. */
#include "inventory/assets_view.h"

#include "core/err.h"
#include "core/store.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static const char SQL_VIEW_ASSETS[] =
    "SELECT id, address, hostname, declared, owner, notes, system_name, level,"
    " internet_facing, role, class, classes, risk, reasons, first_seen, last_seen,"
    " declared_at, declared_from FROM assets ORDER BY id";
static const char SQL_VIEW_SERVICES[] =
    "SELECT asset_id, port, proto, name, product, version, banner, http_title, http_server,"
    " tls_subject, tls_issuer, tls_sans, tls_not_after, first_seen, last_seen, scan_id"
    " FROM services WHERE state = 'open' ORDER BY asset_id, port, proto";
static const char SQL_VIEW_DONE[] =
    "SELECT id FROM scans WHERE status = 'done' AND $1 > 0 LIMIT 1";
static const char SQL_VIEW_SEEN[] =
    "SELECT DISTINCT asset_id FROM scan_hosts WHERE scan_id IN ("
    " SELECT id FROM scans WHERE status = 'done' ORDER BY id DESC LIMIT $1)";
static const char SQL_VIEW_LINKS[] =
    "SELECT src, dst FROM asset_links UNION"
    " SELECT s.origin AS src, ss.address AS dst FROM scans s"
    " JOIN scan_services ss ON ss.scan_id = s.id WHERE s.origin IS NOT NULL"
    " AND ss.state = 'open' AND s.status IN ('done', 'partial', 'interrupted')";

bool
assets_addr_public(const char *addr)
{
	unsigned char b[16];

	if (!addr)
		return false;
	if (inet_pton(AF_INET, addr, b) == 1) {
		if (b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224 ||
		    (b[0] == 169 && b[1] == 254) || (b[0] == 172 && (b[1] & 0xF0) == 16) ||
		    (b[0] == 192 && b[1] == 168) || (b[0] == 100 && (b[1] & 0xC0) == 64) ||
		    (b[0] == 192 && b[1] == 0 && b[2] == 2) ||
		    (b[0] == 198 && b[1] == 51 && b[2] == 100) ||
		    (b[0] == 203 && b[1] == 0 && b[2] == 113) || (b[0] == 198 && (b[1] & 0xFE) == 18))
			return false;
		return true;
	}
	if (inet_pton(AF_INET6, addr, b) == 1) {
		static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
		if (memcmp(b, mapped, 12) == 0) {
			char v4[INET_ADDRSTRLEN];
			return inet_ntop(AF_INET, b + 12, v4, sizeof(v4)) && assets_addr_public(v4);
		}
		/* global unicast is 2000::/3, minus documentation 2001:db8::/32 */
		if ((b[0] & 0xE0) != 0x20)
			return false;
		return !(b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8);
	}
	return false;
}

/* Index of assets by id (ids are dense enough in practice; a map keeps it simple). */
static json_t *
by_id(json_t *assets)
{
	json_t *m = json_object(), *a;
	size_t i;
	char key[32];

	if (!m)
		return NULL;
	json_array_foreach(assets, i, a) {
		snprintf(key, sizeof(key), "%lld",
		    (long long)json_integer_value(json_object_get(a, "id")));
		json_object_set(m, key, a);
	}
	return m;
}

static json_t *
lookup(json_t *index, json_t *id)
{
	char key[32];

	snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(id));
	return json_object_get(index, key);
}

static int
attach_services(struct vg_store *st, json_t *index)
{
	json_t *rows = NULL, *s, *a;
	size_t i;
	int r = store_query(st, SQL_VIEW_SERVICES, NULL, 0, 0, &rows);

	if (r != VG_OK)
		return r;
	json_array_foreach(rows, i, s) {
		if ((a = lookup(index, json_object_get(s, "asset_id")))) {
			json_object_del(s, "asset_id");
			json_array_append(json_object_get(a, "services"), s);
		}
	}
	json_decref(rows);
	return VG_OK;
}

static int
attach_links(struct vg_store *st, json_t *assets)
{
	json_t *rows = NULL, *l, *a, *by_addr = json_object();
	size_t i;
	int r = by_addr ? store_query(st, SQL_VIEW_LINKS, NULL, 0, 0, &rows) : VG_ERR_NOMEM;

	if (r != VG_OK)
		goto out;
	json_array_foreach(assets, i, a) {
		const char *addr = json_string_value(json_object_get(a, "address"));
		const char *host = json_string_value(json_object_get(a, "hostname"));
		json_object_set(by_addr, addr, a);
		if (host && !json_object_get(by_addr, host))
			json_object_set(by_addr, host, a);
	}
	json_array_foreach(rows, i, l) {
		const char *src = json_string_value(json_object_get(l, "src"));
		if (src && (a = json_object_get(by_addr, src)))
			json_array_append(json_object_get(a, "links"), json_object_get(l, "dst"));
	}
out:
	json_decref(rows);
	json_decref(by_addr);
	return r;
}

/* Assets seen by any of the last n done scans, as an index; *any says whether a
 * done scan exists at all. Only done scans count: a partial or failed one may
 * have missed a host that is still there. */
static int
recently_seen(struct vg_store *st, int n, json_t **seen, bool *any)
{
	json_t *scans = NULL, *rows = NULL, *row;
	size_t i;
	struct store_val b[] = { SV_INT(n > 0 ? n : 1) };
	char key[32];
	int r;

	*any = false;
	if (!(*seen = json_object()))
		return VG_ERR_NOMEM;
	if ((r = store_query(st, SQL_VIEW_DONE, b, 1, 1, &scans)) != VG_OK ||
	    (r = store_query(st, SQL_VIEW_SEEN, b, 1, 0, &rows)) != VG_OK)
		goto out;
	*any = json_array_size(scans) > 0;
	json_array_foreach(rows, i, row) {
		snprintf(key, sizeof(key), "%lld",
		    (long long)json_integer_value(json_object_get(row, "asset_id")));
		json_object_set_new(*seen, key, json_true());
	}
out:
	json_decref(scans);
	json_decref(rows);
	return r;
}

int
assets_load(struct vg_store *st, int stale_scans, json_t **out)
{
	json_t *assets = NULL, *index = NULL, *seen = NULL, *a;
	size_t i;
	bool any_done;
	int r;

	*out = NULL;
	if ((r = store_query(st, SQL_VIEW_ASSETS, NULL, 0, 0, &assets)) != VG_OK)
		return r;
	json_array_foreach(assets, i, a) {
		json_t *fac = json_object_get(a, "internet_facing");
		const char *addr = json_string_value(json_object_get(a, "address"));
		json_object_set_new(a, "declared",
		    json_boolean(json_integer_value(json_object_get(a, "declared")) != 0));
		if (json_is_integer(fac))
			json_object_set_new(a, "internet_facing",
			    json_boolean(json_integer_value(fac) != 0));
		json_object_set_new(a, "services", json_array());
		json_object_set_new(a, "links", json_array());
		json_object_set_new(a, "public", json_boolean(assets_addr_public(addr)));
		for (int k = 0; k < 2; k++) {
			const char *key = k ? "reasons" : "classes";
			const char *txt = json_string_value(json_object_get(a, key));
			json_t *j = txt ? json_loads(txt, 0, NULL) : NULL;
			json_object_set_new(a, key, j ? j : json_array());
		}
	}
	if (!(index = by_id(assets))) {
		r = VG_ERR_NOMEM;
		goto out;
	}
	if ((r = attach_services(st, index)) != VG_OK || (r = attach_links(st, assets)) != VG_OK ||
	    (r = recently_seen(st, stale_scans, &seen, &any_done)) != VG_OK)
		goto out;
	json_array_foreach(assets, i, a) {
		bool declared = json_is_true(json_object_get(a, "declared"));
		char key[32];
		snprintf(key, sizeof(key), "%lld",
		    (long long)json_integer_value(json_object_get(a, "id")));
		json_object_set_new(a, "shadow",
		    json_boolean(!declared && json_is_integer(json_object_get(a, "last_seen"))));
		json_object_set_new(a, "stale",
		    json_boolean(declared && any_done && !json_object_get(seen, key)));
		json_object_set_new(a, "open_ports",
		    json_boolean(json_array_size(json_object_get(a, "services")) > 0));
		json_object_set_new(a, "exposed",
		    json_boolean(json_is_true(json_object_get(a, "public")) ||
			json_is_true(json_object_get(a, "internet_facing"))));
	}
	*out = assets;
	assets = NULL;
out:
	json_decref(assets);
	json_decref(index);
	json_decref(seen);
	return r;
}
