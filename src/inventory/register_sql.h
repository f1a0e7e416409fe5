/* SQL of the scan records (SQLite dialect, portable upserts); register.c only. */
#ifndef VG_INV_REGISTER_SQL_H
#define VG_INV_REGISTER_SQL_H

static const char SQL_SCAN_BEGIN[] =
    "INSERT INTO scans(spec, started_at, status) VALUES($1, $2, 'running')";
static const char SQL_SCAN_ORIGIN[] =
    "UPDATE scans SET origin = $2 WHERE id = $1 AND status = 'running'";
static const char SQL_SCAN_STATE[] = "SELECT status FROM scans WHERE id = $1";
/* An address match wins over a declared name matching the observation's hostname. */
static const char SQL_ASSET_FIND[] =
    "SELECT id FROM assets WHERE address = $1"
    " OR ($2 IS NOT NULL AND declared = 1 AND address = $2)"
    " ORDER BY address = $1 DESC LIMIT 1";
static const char SQL_ASSET_NEW[] =
    "INSERT INTO assets(address, hostname, declared, first_seen) VALUES($1, $2, 0, $3)";
static const char SQL_ASSET_HOSTNAME[] =
    "UPDATE assets SET hostname = $2 WHERE id = $1 AND hostname IS NULL AND $2 IS NOT NULL";
static const char SQL_HOST_ADD[] =
    "INSERT INTO scan_hosts(scan_id, asset_id, address, hostname) VALUES($1, $2, $3, $4)"
    " ON CONFLICT(scan_id, address) DO UPDATE SET"
    " hostname = coalesce(excluded.hostname, hostname)";
static const char SQL_SERVICE_ADD[] =
    "INSERT INTO scan_services(scan_id, asset_id, address, port, proto, state, name,"
    " product, version, banner, http_title, http_server, tls_subject, tls_issuer,"
    " tls_sans, tls_not_after)"
    " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
    " ON CONFLICT(scan_id, address, port, proto) DO UPDATE SET state = excluded.state,"
    " name = coalesce(excluded.name, name), product = coalesce(excluded.product, product),"
    " version = coalesce(excluded.version, version),"
    " banner = coalesce(excluded.banner, banner),"
    " http_title = coalesce(excluded.http_title, http_title),"
    " http_server = coalesce(excluded.http_server, http_server),"
    " tls_subject = coalesce(excluded.tls_subject, tls_subject),"
    " tls_issuer = coalesce(excluded.tls_issuer, tls_issuer),"
    " tls_sans = coalesce(excluded.tls_sans, tls_sans),"
    " tls_not_after = coalesce(excluded.tls_not_after, tls_not_after)";
static const char SQL_SCAN_END[] =
    "UPDATE scans SET finished_at = $2, status = $3,"
    " hosts = (SELECT count(DISTINCT address) FROM ("
    "   SELECT address FROM scan_hosts WHERE scan_id = $1 UNION"
    "   SELECT address FROM scan_services WHERE scan_id = $1 AND state = 'open')),"
    " open_ports = (SELECT count(*) FROM scan_services WHERE scan_id = $1"
    "   AND state = 'open' AND port > 0)"
    " WHERE id = $1 AND status = 'running'";
static const char SQL_SEEN_UPDATE[] =
    "UPDATE assets SET last_seen = $2,"
    " first_seen = coalesce(first_seen, $2) WHERE id IN ("
    " SELECT asset_id FROM scan_hosts WHERE scan_id = $1 UNION"
    " SELECT asset_id FROM scan_services WHERE scan_id = $1 AND state = 'open')";
/* The current view of a port is what the latest scan that looked at it saw. */
static const char SQL_SERVICES_UPSERT[] =
    "INSERT INTO services(asset_id, port, proto, name, product, version, banner,"
    " http_title, tls_subject, tls_issuer, tls_not_after, first_seen, last_seen, state,"
    " http_server, tls_sans, scan_id)"
    " SELECT asset_id, port, proto, name, product, version, banner, http_title,"
    " tls_subject, tls_issuer, tls_not_after, $2, $2, state, http_server, tls_sans, $1"
    " FROM scan_services WHERE scan_id = $1 AND port > 0"
    " ON CONFLICT(asset_id, port, proto) DO UPDATE SET name = excluded.name,"
    " product = excluded.product, version = excluded.version, banner = excluded.banner,"
    " http_title = excluded.http_title, tls_subject = excluded.tls_subject,"
    " tls_issuer = excluded.tls_issuer, tls_not_after = excluded.tls_not_after,"
    " last_seen = CASE WHEN excluded.state = 'open' THEN excluded.last_seen"
    "   ELSE last_seen END,"
    " state = excluded.state, http_server = excluded.http_server,"
    " tls_sans = excluded.tls_sans, scan_id = excluded.scan_id";

#endif
