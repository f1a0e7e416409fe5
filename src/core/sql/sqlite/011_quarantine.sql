-- Schema 11: the quarantine vault's records (issue 7), which were JSON sidecars in
-- VAULT/meta/. A vault keeps them in a store of its own, VAULT/vault.db (this same
-- schema), so a vault named on the command line (`--vault DIR`) works without the
-- daemon's store and its objects and records travel together. Times here are
-- seconds since the epoch, as the records always had them.
CREATE TABLE quarantine(
  id TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL,
  original_path TEXT NOT NULL,
  mode INTEGER NOT NULL,
  uid INTEGER NOT NULL,
  gid INTEGER NOT NULL,
  size INTEGER NOT NULL,
  mtime INTEGER NOT NULL,
  quarantined_at INTEGER NOT NULL,
  score INTEGER NOT NULL,
  rules TEXT NOT NULL DEFAULT '',
  families TEXT NOT NULL DEFAULT '',
  restored_to TEXT,
  restored_at INTEGER);
CREATE INDEX quarantine_by_time ON quarantine(quarantined_at, id);
-- One-time imports of an older layout's files (what, from where, how many), so an
-- upgrade imports once and says so.
CREATE TABLE imports(
  what TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  at INTEGER NOT NULL,
  records INTEGER NOT NULL,
  skipped INTEGER NOT NULL);
