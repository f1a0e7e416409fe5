-- What a running daemon says about itself every few seconds, for `vigil status`.
CREATE TABLE heartbeat(
  daemon TEXT PRIMARY KEY, pid INTEGER NOT NULL, started_at INTEGER NOT NULL,
  beat_at INTEGER NOT NULL, info TEXT);
