-- Schema 1: the tables every stage needs. Never edit a shipped migration:
-- add the next numbered file. Times are microseconds since the epoch. The alerts
-- table has no secondary index on purpose: alerts are already aggregated per
-- (rule, source, window), so scans stay small, and an index on source_ip
-- measured 25% slower inserts (bench/run).
CREATE TABLE assets(
  id INTEGER PRIMARY KEY, address TEXT NOT NULL UNIQUE, hostname TEXT,
  class TEXT, declared INTEGER NOT NULL DEFAULT 0, owner TEXT, notes TEXT,
  first_seen INTEGER, last_seen INTEGER);
CREATE TABLE services(
  id INTEGER PRIMARY KEY,
  asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
  port INTEGER NOT NULL, proto TEXT NOT NULL DEFAULT 'tcp', name TEXT, product TEXT,
  version TEXT, banner TEXT, http_title TEXT, tls_subject TEXT, tls_issuer TEXT,
  tls_not_after INTEGER, first_seen INTEGER, last_seen INTEGER,
  UNIQUE(asset_id, port, proto));
CREATE TABLE findings(
  id INTEGER PRIMARY KEY, asset_id INTEGER REFERENCES assets(id),
  service_id INTEGER REFERENCES services(id),
  kind TEXT NOT NULL CHECK(kind IN ('vuln','baseline','exposure')),
  ref TEXT, title TEXT NOT NULL, severity INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK(status IN ('open','fixed','accepted')),
  evidence TEXT, remedy TEXT, found_at INTEGER NOT NULL, fixed_at INTEGER);
CREATE TABLE cases(
  id INTEGER PRIMARY KEY, title TEXT NOT NULL, severity INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new' CHECK(status IN
    ('new','notified','verified','disposed','closed','false_positive')),
  assignee TEXT, created_at INTEGER NOT NULL, notified_at INTEGER,
  verified_at INTEGER, disposed_at INTEGER, closed_at INTEGER, summary TEXT);
CREATE TABLE case_history(
  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),
  at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, note TEXT);
CREATE TABLE alerts(
  id INTEGER PRIMARY KEY, rule_id TEXT NOT NULL, title TEXT, category TEXT,
  mitre TEXT, severity INTEGER NOT NULL, source_ip TEXT, sensor TEXT,
  count INTEGER NOT NULL DEFAULT 1, first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL, field TEXT, matched TEXT, evidence TEXT,
  case_id INTEGER REFERENCES cases(id), created_at INTEGER NOT NULL);
CREATE TABLE alert_events(
  id INTEGER PRIMARY KEY, alert_id INTEGER NOT NULL REFERENCES alerts(id),
  ts INTEGER, raw TEXT);
CREATE INDEX alert_events_by_alert ON alert_events(alert_id);
CREATE TABLE actions(
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, target TEXT NOT NULL, params TEXT,
  status TEXT NOT NULL, actor TEXT, alert_id INTEGER REFERENCES alerts(id),
  case_id INTEGER REFERENCES cases(id), created_at INTEGER NOT NULL,
  expires_at INTEGER, done_at INTEGER, result TEXT);
CREATE TABLE source_offsets(
  path TEXT PRIMARY KEY, dev INTEGER NOT NULL, ino INTEGER NOT NULL,
  offset INTEGER NOT NULL, fingerprint TEXT NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE audit(
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,
  action TEXT NOT NULL, detail TEXT);
