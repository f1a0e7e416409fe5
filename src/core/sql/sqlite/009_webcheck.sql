-- 009: the security-management checklist's answers (assess/checklist*.c). Append-only:
-- the newest answer per (checklist, item) counts, older ones are the history the
-- supervising unit may ask for. A file given as evidence is kept whole (base64,
-- at most 4 MiB) with its name and SHA-256, so the store alone proves what was shown.
CREATE TABLE checklist_answers(
  id INTEGER PRIMARY KEY,
  checklist TEXT NOT NULL,
  item TEXT NOT NULL,
  answer TEXT NOT NULL CHECK(answer IN ('yes','no','partial')),
  evidence TEXT,
  file_name TEXT,
  file_sha256 TEXT,
  file_size INTEGER,
  file_b64 TEXT,
  actor TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX checklist_answers_by_item ON checklist_answers(checklist, item, id);
