-- 008: assess/ — every finding (vulnerability, web exposure, baseline failure,
-- checklist gap, notice) is one rectification item: a stable key so a re-run updates
-- instead of duplicating, owner, deadline, state, and an append-only history.
-- 001's findings table was never written and its kind CHECK cannot be widened by
-- ALTER TABLE in SQLite, so it is rebuilt here with the same core columns.
DROP TABLE findings;
CREATE TABLE findings(
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK(kind IN ('vuln','exposure','baseline','checklist','notice')),
  family TEXT NOT NULL,
  check_id TEXT NOT NULL,
  asset TEXT NOT NULL,
  asset_id INTEGER REFERENCES assets(id) ON DELETE SET NULL,
  service_id INTEGER REFERENCES services(id) ON DELETE SET NULL,
  target TEXT,
  ref TEXT,
  title TEXT NOT NULL,
  severity INTEGER NOT NULL,
  evidence TEXT,
  remedy TEXT,
  fix_script TEXT,
  state TEXT NOT NULL DEFAULT 'open'
    CHECK(state IN ('open','fixing','fixed','verified','accepted')),
  owner TEXT,
  deadline INTEGER,
  approver TEXT,
  accept_reason TEXT,
  found_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  fixed_at INTEGER,
  verified_at INTEGER,
  checked_at INTEGER,
  check_passed INTEGER
);
CREATE INDEX findings_by_state ON findings(state, severity);
CREATE INDEX findings_by_asset ON findings(asset);
CREATE TABLE finding_history(
  id INTEGER PRIMARY KEY,
  finding_id INTEGER NOT NULL REFERENCES findings(id),
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT,
  comment TEXT
);
CREATE INDEX finding_history_by_finding ON finding_history(finding_id);
