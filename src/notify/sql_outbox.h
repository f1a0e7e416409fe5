/* SQL of the outbox record kind (SQLite dialect); included by outbox.c only. */
#ifndef VG_SQL_OUTBOX_H
#define VG_SQL_OUTBOX_H

static const char SQL_OUT_ADD[] =
    "INSERT OR IGNORE INTO outbox(channel, idem_key, kind, severity, recipient, message,"
    " next_at, created_at) VALUES(?,?,?,?,?,?,?,?)";
static const char SQL_OUT_DUE[] =
    "SELECT id, idem_key, kind, severity, recipient, message, attempts FROM outbox"
    " WHERE state = 'pending' AND channel = ? AND next_at <= ? ORDER BY id LIMIT ?";
static const char SQL_OUT_SENT_RECENT[] =
    "SELECT count(*) AS n FROM outbox WHERE channel = ? AND state = 'sent' AND sent_at > ?";
/* The lease: a claimed row is invisible to other passes until next_at, so a
 * second sender cannot take it, and a crashed sender's row comes back later. */
static const char SQL_OUT_CLAIM[] =
    "UPDATE outbox SET attempts = attempts + 1, next_at = ? WHERE id = ?"
    " AND state = 'pending' AND next_at <= ?";
static const char SQL_OUT_DONE[] =
    "UPDATE outbox SET state = 'sent', sent_at = ?, last_error = NULL WHERE id = ?";
static const char SQL_OUT_RETRY[] =
    "UPDATE outbox SET next_at = ?, last_error = ? WHERE id = ?";
static const char SQL_OUT_FOLD[] =
    "UPDATE outbox SET state = 'digested', digest_id = ? WHERE channel = ? AND state = 'pending'"
    " AND next_at <= ? AND kind <> 'digest' AND id BETWEEN ? AND ?";
static const char SQL_OUT_ID[] = "SELECT id FROM outbox WHERE idem_key = ?";
static const char SQL_OUT_PENDING[] =
    "SELECT count(*) AS n FROM outbox WHERE state = 'pending'";
static const char SQL_OUT_LIST[] =
    "SELECT id, channel, idem_key, kind, severity, recipient, state, attempts, next_at,"
    " created_at, sent_at, last_error, digest_id FROM outbox ORDER BY id DESC LIMIT ?";
static const char SQL_OUT_LIST_STATE[] =
    "SELECT id, channel, idem_key, kind, severity, recipient, state, attempts, next_at,"
    " created_at, sent_at, last_error, digest_id FROM outbox WHERE state = ?"
    " ORDER BY id DESC LIMIT ?";
static const char SQL_OUT_STATS[] =
    "SELECT sum(state = 'pending') AS pending, sum(state = 'sent') AS sent,"
    " sum(state = 'digested') AS digested,"
    " sum(state = 'pending' AND last_error IS NOT NULL) AS failing FROM outbox";

#endif
