/* Targets from the asset register (migration 007) for `assess web|tls --assets`: only
 * declared assets are in scope (what the organisation says is its own; an address a
 * scan merely found is not), and only their open TCP services that speak HTTP (web)
 * or TLS (tls). internet_facing = 0 marks a service internal for the self-signed
 * check. */
#include "assess/webcheck.h"
#include "core/err.h"
#include "core/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char SQL_SCOPE[] =
    "SELECT a.id AS asset_id, a.address, a.hostname, a.internet_facing, s.port, s.name,"
    " s.tls_subject, s.http_title, s.http_server FROM assets a JOIN services s"
    " ON s.asset_id = a.id WHERE a.declared = 1 AND s.proto = 'tcp'"
    " AND (s.state IS NULL OR s.state = 'open') ORDER BY a.id, s.port";
static const char SQL_INTERNAL[] =
    "SELECT internet_facing FROM assets WHERE (address = $1 OR hostname = $1)"
    " AND internet_facing IS NOT NULL ORDER BY declared DESC LIMIT 1";

static bool
has(const json_t *row, const char *k)
{
	const char *s = json_string_value(json_object_get(row, k));

	return s && *s;
}

static bool
name_is(const json_t *row, const char *const *names)
{
	const char *n = json_string_value(json_object_get(row, "name"));

	for (size_t i = 0; n && names[i]; i++)
		if (strcasecmp(n, names[i]) == 0)
			return true;
	return false;
}

int
webcheck_asset_targets(struct vg_store *st, bool tls, struct wc_target **out, size_t *n)
{
	static const char *const tls_names[] = { "https", "ssl/http", "https-alt", "ssl", "tls",
		"imaps", "pop3s", "smtps", "ldaps", NULL };
	static const char *const http_names[] = { "http", "http-alt", "http-proxy", "www",
		NULL };
	json_t *rows = NULL, *row;
	struct wc_target *t = NULL;
	size_t i, cnt = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_query(st, SQL_SCOPE, NULL, 0, 0, &rows)))
		return rc;
	if (json_array_size(rows) && !(t = calloc(json_array_size(rows), sizeof(*t)))) {
		json_decref(rows);
		return VG_ERR_NOMEM;
	}
	json_array_foreach(rows, i, row) {
		const char *host = has(row, "hostname") ?
		    json_string_value(json_object_get(row, "hostname")) :
		    json_string_value(json_object_get(row, "address"));
		long long port = json_integer_value(json_object_get(row, "port"));
		bool is_tls = has(row, "tls_subject") || name_is(row, tls_names) || port == 443 ||
		    port == 8443;
		const char *nm = json_string_value(json_object_get(row, "name"));
		bool is_http = has(row, "http_title") || has(row, "http_server") ||
		    name_is(row, http_names) || (nm && strncasecmp(nm, "http", 4) == 0) ||
		    port == 80 || port == 443 || port == 8080 || port == 8443;
		bool v6 = host && strchr(host, ':');
		char buf[512];
		json_t *inet = json_object_get(row, "internet_facing");

		if (!host || (tls ? !is_tls : !is_http))
			continue;
		if (tls)
			snprintf(buf, sizeof(buf), v6 ? "[%s]:%lld" : "%s:%lld", host, port);
		else
			snprintf(buf, sizeof(buf), v6 ? "%s://[%s]:%lld/" : "%s://%s:%lld/",
			    is_tls ? "https" : "http", host, port);
		if (!(t[cnt].target = strdup(buf))) {
			webcheck_targets_free(t, cnt);
			json_decref(rows);
			return VG_ERR_NOMEM;
		}
		t[cnt].asset_id = json_integer_value(json_object_get(row, "asset_id"));
		t[cnt].internal = json_is_integer(inet) && json_integer_value(inet) == 0;
		cnt++;
	}
	json_decref(rows);
	*out = t;
	*n = cnt;
	return 0;
}

void
webcheck_targets_free(struct wc_target *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++)
		free(t[i].target);
	free(t);
}

int
webcheck_asset_internal(struct vg_store *st, const char *host, bool *internal)
{
	struct store_val b[] = { SV_TEXT(host) };
	json_t *row = NULL;
	int rc;

	*internal = false;
	rc = store_query_one(st, SQL_INTERNAL, b, 1, &row);
	if (rc == VG_ERR_NOTFOUND)
		return 0;
	if (rc)
		return rc;
	*internal = json_integer_value(json_object_get(row, "internet_facing")) == 0;
	json_decref(row);
	return 0;
}
