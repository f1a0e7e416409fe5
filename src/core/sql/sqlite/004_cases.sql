-- 004: the duty team's records (incidents and their history, suppressions,
-- notices, the duty roster) and the notification outbox, for cases/ and notify/.
-- Times are µs since the epoch. History tables are append-only.
CREATE TABLE incidents(
  id INTEGER PRIMARY KEY,
  group_key TEXT NOT NULL,
  title TEXT NOT NULL,
  severity INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'new' CHECK(state IN ('new','acknowledged','verified','disposed','feedback','closed')),
  verdict TEXT CHECK(verdict IS NULL OR verdict IN ('true_positive','false_positive')),
  source_ip TEXT,
  target TEXT,
  family TEXT,
  rule_id TEXT,
  alert_count INTEGER NOT NULL DEFAULT 0,
  event_count INTEGER NOT NULL DEFAULT 0,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  assignee TEXT,
  acked_at INTEGER,
  verified_at INTEGER,
  disposed_at INTEGER,
  feedback_at INTEGER,
  closed_at INTEGER,
  feedback TEXT,
  escalation INTEGER NOT NULL DEFAULT 0,
  due_at INTEGER
);
CREATE INDEX incidents_by_group ON incidents(group_key, last_seen);
CREATE INDEX incidents_by_state ON incidents(state, due_at);
CREATE TABLE incident_alerts(
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  alert_id INTEGER NOT NULL,
  PRIMARY KEY(incident_id, alert_id)
) WITHOUT ROWID;
CREATE TABLE incident_history(
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT,
  comment TEXT
);
CREATE INDEX incident_history_by_incident ON incident_history(incident_id);
CREATE TABLE incident_actions(
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  kind TEXT NOT NULL,
  target TEXT,
  actor TEXT NOT NULL,
  at INTEGER NOT NULL,
  result TEXT
);
CREATE TABLE suppressions(
  id INTEGER PRIMARY KEY,
  rule_id TEXT NOT NULL,
  source_ip TEXT,
  path TEXT,
  reason TEXT,
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  incident_id INTEGER REFERENCES incidents(id),
  hits INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE cases_cursor(
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
CREATE TABLE notices(
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK(kind IN ('vulnerability','incident', 'asset')),
  ref TEXT,
  title TEXT NOT NULL,
  asset TEXT NOT NULL,
  severity INTEGER NOT NULL,
  owner TEXT,
  deadline INTEGER,
  required_feedback TEXT,
  issuer TEXT,
  detail TEXT,
  state TEXT NOT NULL DEFAULT 'open' CHECK(state IN ('open','closed')),
  verdict TEXT CHECK(verdict IS NULL OR verdict IN ('fixed','mitigated','not_affected', 'accepted')),
  recheck_note TEXT,
  feedback TEXT,
  escalation INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  closed_at INTEGER,
  closed_by TEXT,
  UNIQUE(issuer, ref)
);
CREATE TABLE notice_history(
  id INTEGER PRIMARY KEY,
  notice_id INTEGER NOT NULL REFERENCES notices(id),
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  comment TEXT
);
CREATE TABLE duty_shifts(
  id INTEGER PRIMARY KEY,
  person TEXT NOT NULL,
  contact TEXT,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  daily INTEGER NOT NULL DEFAULT 0,
  escalation_order INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  CHECK(ends_at > starts_at)
);
CREATE TABLE duty_handovers(
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  from_person TEXT NOT NULL,
  to_person TEXT NOT NULL,
  note TEXT
);
CREATE TABLE outbox(
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  idem_key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  severity INTEGER NOT NULL,
  recipient TEXT,
  message TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK(state IN ('pending','sent','digested')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  last_error TEXT,
  digest_id INTEGER
);
CREATE INDEX outbox_due ON outbox(state, channel, next_at);
CREATE INDEX outbox_sent ON outbox(channel, sent_at);
