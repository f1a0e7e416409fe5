-- Schema 12: the backup directory's snapshot index and publishing windows (issue 7),
-- which were a directory listing (snapshots/NAME/ID.json) and publish/NAME.json. A
-- backup directory keeps them in a store of its own, BACKUP_DIR/backup.db (this same
-- schema), beside the objects and manifests they name: the manifests stay files, and
-- `backup create`, `fim check` and `fim watch --no-store` need no daemon store.
-- created_at and opened_at are microseconds since the epoch.
CREATE TABLE snapshots(
  webroot TEXT NOT NULL,
  id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  files INTEGER,
  bytes INTEGER,
  new_objects INTEGER,
  new_bytes INTEGER,
  adopted INTEGER NOT NULL DEFAULT 0,	-- found on disk, not written through the index
  PRIMARY KEY(webroot, id));
CREATE TABLE publish_windows(
  webroot TEXT PRIMARY KEY,
  since TEXT NOT NULL,
  baseline TEXT NOT NULL,
  note TEXT,
  opened_at INTEGER NOT NULL);
