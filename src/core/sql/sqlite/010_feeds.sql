-- assess/ vulnerability feeds, imported from files (`vigil feed import`): each feed
-- file's advisories as ranges of affected versions per (ecosystem, package), indexed
-- for the lookups a host's packages and the scanned services need; CISA KEV marks
-- known exploited vulnerabilities. Re-importing a file replaces its rows.
CREATE TABLE feeds(
  id INTEGER PRIMARY KEY,
  format TEXT NOT NULL CHECK(format IN ('osv','cve5','debian','kev')),
  name TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  imported_at INTEGER NOT NULL,
  advisories INTEGER NOT NULL DEFAULT 0,
  ranges INTEGER NOT NULL DEFAULT 0,
  UNIQUE(format, name)
);
CREATE TABLE vulns(
  feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
  vuln_id TEXT NOT NULL,
  aliases TEXT,
  summary TEXT,
  severity INTEGER,
  PRIMARY KEY(feed_id, vuln_id)
);
CREATE TABLE vuln_ranges(
  id INTEGER PRIMARY KEY,
  feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
  vuln_id TEXT NOT NULL,
  ecosystem TEXT NOT NULL,
  package TEXT NOT NULL,
  scheme TEXT NOT NULL CHECK(scheme IN ('dpkg','semver','dotted')),
  introduced TEXT,
  fixed TEXT,
  last_affected TEXT,
  status TEXT NOT NULL DEFAULT 'affected' CHECK(status IN ('affected','not_affected'))
);
CREATE INDEX vuln_ranges_by_package ON vuln_ranges(package, ecosystem);
CREATE INDEX vuln_ranges_by_vuln ON vuln_ranges(vuln_id);
CREATE TABLE kev(
  cve TEXT PRIMARY KEY,
  feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
  vendor TEXT,
  product TEXT,
  name TEXT,
  added TEXT,
  due TEXT,
  ransomware TEXT
);
