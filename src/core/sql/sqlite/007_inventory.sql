-- Schema 7: the asset register (src/inventory). assets and services of schema 1
-- stay the current view (declared inventory + what the latest scans saw); every
-- scan is kept whole in scans/scan_hosts/scan_services so any two can be diffed.
-- Text columns holding JSON lists are marked "(JSON)".
ALTER TABLE assets ADD COLUMN system_name TEXT;
ALTER TABLE assets ADD COLUMN level INTEGER;           -- importance, e.g. 等保 1..5
ALTER TABLE assets ADD COLUMN internet_facing INTEGER; -- 1, 0, NULL = not said
ALTER TABLE assets ADD COLUMN role TEXT;
ALTER TABLE assets ADD COLUMN declared_at INTEGER;
ALTER TABLE assets ADD COLUMN declared_from TEXT;      -- file:line of the import
ALTER TABLE assets ADD COLUMN classes TEXT;            -- (JSON) every class that applies
ALTER TABLE assets ADD COLUMN risk INTEGER;
ALTER TABLE assets ADD COLUMN reasons TEXT;            -- (JSON) why the risk and classes
ALTER TABLE assets ADD COLUMN classified_at INTEGER;
ALTER TABLE services ADD COLUMN state TEXT;
ALTER TABLE services ADD COLUMN http_server TEXT;
ALTER TABLE services ADD COLUMN tls_sans TEXT;
ALTER TABLE services ADD COLUMN scan_id INTEGER;       -- last scan that saw it
CREATE TABLE scans(
  id INTEGER PRIMARY KEY, spec TEXT, origin TEXT,
  started_at INTEGER NOT NULL, finished_at INTEGER,
  status TEXT NOT NULL DEFAULT 'running', hosts INTEGER NOT NULL DEFAULT 0,
  open_ports INTEGER NOT NULL DEFAULT 0);
CREATE TABLE scan_hosts(
  id INTEGER PRIMARY KEY,
  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  asset_id INTEGER NOT NULL REFERENCES assets(id), address TEXT NOT NULL,
  hostname TEXT, UNIQUE(scan_id, address));
CREATE INDEX scan_hosts_by_asset ON scan_hosts(asset_id, scan_id);
CREATE TABLE scan_services(
  id INTEGER PRIMARY KEY,
  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  asset_id INTEGER NOT NULL REFERENCES assets(id), address TEXT NOT NULL,
  port INTEGER NOT NULL, proto TEXT NOT NULL, state TEXT NOT NULL,
  name TEXT, product TEXT, version TEXT, banner TEXT, http_title TEXT,
  http_server TEXT, tls_subject TEXT, tls_issuer TEXT, tls_sans TEXT,
  tls_not_after INTEGER, UNIQUE(scan_id, address, port, proto));
-- Who talks to whom (ss -tnp snapshots, conntrack dumps, scans run from a host):
-- the springboard class is read from here.
CREATE TABLE asset_links(
  id INTEGER PRIMARY KEY, src TEXT NOT NULL, dst TEXT NOT NULL,
  dst_port INTEGER NOT NULL, proto TEXT NOT NULL, process TEXT,
  source TEXT NOT NULL, count INTEGER NOT NULL DEFAULT 1,
  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
  UNIQUE(src, dst, dst_port, proto));
-- Website watch: the baseline a site is compared with, and each check's result.
CREATE TABLE site_baselines(
  url TEXT PRIMARY KEY, created_at INTEGER NOT NULL, status INTEGER,
  title TEXT, text_hash TEXT, text TEXT, links TEXT, dns_a TEXT, dns_ns TEXT,
  final_url TEXT);
CREATE TABLE site_checks(
  id INTEGER PRIMARY KEY, url TEXT NOT NULL, at INTEGER NOT NULL,
  ok INTEGER NOT NULL, status INTEGER, ms INTEGER, tls_not_after INTEGER,
  error TEXT, findings TEXT);
CREATE INDEX site_checks_by_url ON site_checks(url, at);
