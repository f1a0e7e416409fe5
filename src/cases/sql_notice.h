/* SQL of the notice record kind (SQLite dialect); included by notice.c only. */
#ifndef VG_SQL_NOTICE_H
#define VG_SQL_NOTICE_H

#define NOTICE_COLS                                                                     \
	"id, kind, ref, title, asset, severity, owner, deadline, required_feedback, issuer,"  \
	" detail, state, verdict, recheck_note, feedback, escalation, created_at, created_by," \
	" closed_at, closed_by"

static const char SQL_NOTICE_ADD[] =
    "INSERT INTO notices(kind, ref, title, asset, severity, owner, deadline,"
    " required_feedback, issuer, detail, created_at, created_by)"
    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?)";
static const char SQL_NOTICE_EXISTS[] =
    "SELECT id FROM notices WHERE issuer IS ? AND ref = ? LIMIT 1";
static const char SQL_NOTICE_GET[] = "SELECT " NOTICE_COLS " FROM notices WHERE id = ?";
static const char SQL_NOTICE_LIST_OPEN[] =
    "SELECT " NOTICE_COLS " FROM notices WHERE state = 'open'"
    " ORDER BY deadline IS NULL, deadline, id LIMIT 1000";
static const char SQL_NOTICE_LIST_ALL[] =
    "SELECT " NOTICE_COLS " FROM notices ORDER BY id DESC LIMIT 1000";
static const char SQL_NOTICE_CLOSE[] =
    "UPDATE notices SET state = 'closed', verdict = ?, recheck_note = ?, feedback = ?,"
    " closed_at = ?, closed_by = ? WHERE id = ? AND state = 'open'";
static const char SQL_NOTICE_HISTORY[] =
    "SELECT at, actor, action, comment FROM notice_history WHERE notice_id = ? ORDER BY id";
static const char SQL_NOTICE_HISTORY_ADD[] =
    "INSERT INTO notice_history(notice_id, at, actor, action, comment) VALUES(?,?,?,?,?)";

#endif
