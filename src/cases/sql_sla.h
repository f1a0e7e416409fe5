/* SQL of SLA clocks and escalation (SQLite dialect); included by sla.c only. */
#ifndef VG_SQL_SLA_H
#define VG_SQL_SLA_H

static const char SQL_INC_OVERDUE[] =
    "SELECT id, title, severity, state, escalation, created_at, source_ip FROM incidents"
    " WHERE state IN ('new','acknowledged','verified') AND due_at IS NOT NULL"
    " AND due_at <= ? ORDER BY due_at LIMIT 500";
static const char SQL_INC_ESCALATE[] =
    "UPDATE incidents SET escalation = escalation + 1, due_at = ?, updated_at = ?"
    " WHERE id = ?";

static const char SQL_INC_HISTORY_ADD_SLA[] =
    "INSERT INTO incident_history(incident_id, at, actor, action, from_state, to_state,"
    " comment) VALUES(?,?,'vigil','escalate',?,?,?)";
static const char SQL_NOTICE_OVERDUE[] =
    "SELECT id, title, severity, escalation, deadline, asset, owner FROM notices"
    " WHERE state = 'open' AND deadline IS NOT NULL AND deadline <= ?"
    " AND (escalation = 0 OR deadline + escalation * ? <= ?) ORDER BY deadline LIMIT 500";
static const char SQL_NOTICE_ESCALATE[] =
    "UPDATE notices SET escalation = escalation + 1 WHERE id = ?";
static const char SQL_NOTICE_HISTORY_SLA[] =
    "INSERT INTO notice_history(notice_id, at, actor, action, comment)"
    " VALUES(?,?,'vigil','escalate',?)";

/* The overview's counts: open incidents are few (closed ones leave the set), so a
 * scan of the open rows through incidents_by_state stays cheap. */
static const char SQL_INC_SUMMARY[] =
    "SELECT severity, state, count(*) AS n,"
    " sum(due_at IS NOT NULL AND due_at <= ?) AS overdue FROM incidents"
    " WHERE state <> 'closed' GROUP BY severity, state";
static const char SQL_INC_URGENT[] =
    "SELECT id, title, severity, state, due_at FROM incidents"
    " WHERE state IN ('new','acknowledged','verified') AND due_at IS NOT NULL"
    " ORDER BY due_at LIMIT ?";

#endif
