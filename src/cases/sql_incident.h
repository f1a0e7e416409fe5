/* SQL of the incident record kind (SQLite dialect); included by incident.c only. */
#ifndef VG_SQL_INCIDENT_H
#define VG_SQL_INCIDENT_H

#define INCIDENT_COLS                                                                   \
	"id, title, severity, state, verdict, source_ip, target, family, rule_id,"     \
	" alert_count, event_count, first_seen, last_seen, created_at, updated_at,"     \
	" assignee, due_at, escalation, feedback"

static const char SQL_INC_FIND_OPEN[] =
    "SELECT id, severity FROM incidents WHERE group_key = ? AND state <> 'closed'"
    " AND last_seen >= ? ORDER BY id DESC LIMIT 1";
static const char SQL_INC_LINKED[] =
    "SELECT incident_id FROM incident_alerts WHERE alert_id = ? LIMIT 1";
static const char SQL_INC_INSERT[] =
    "INSERT INTO incidents(group_key, title, severity, state, source_ip, target, family,"
    " rule_id, alert_count, event_count, first_seen, last_seen, created_at, updated_at,"
    " due_at) VALUES(?,?,?,'new',?,?,?,?,1,?,?,?,?,?,?)";
static const char SQL_INC_GROW[] =
    "UPDATE incidents SET alert_count = alert_count + 1, event_count = event_count + ?,"
    " last_seen = max(last_seen, ?), severity = max(severity, ?), updated_at = ?"
    " WHERE id = ?";
static const char SQL_INC_LINK[] =
    "INSERT OR IGNORE INTO incident_alerts(incident_id, alert_id) VALUES(?,?)";
static const char SQL_INC_GET[] =
    "SELECT " INCIDENT_COLS " FROM incidents WHERE id = ?";
static const char SQL_INC_LIST_OPEN[] =
    "SELECT " INCIDENT_COLS " FROM incidents WHERE state <> 'closed' AND severity >= ?"
    " AND id < ? ORDER BY id DESC LIMIT ?";
static const char SQL_INC_LIST_ALL[] =
    "SELECT " INCIDENT_COLS " FROM incidents WHERE severity >= ? AND id < ?"
    " ORDER BY id DESC LIMIT ?";
static const char SQL_INC_LIST_STATE[] =
    "SELECT " INCIDENT_COLS " FROM incidents WHERE state = ? AND severity >= ? AND id < ?"
    " ORDER BY id DESC LIMIT ?";
static const char SQL_INC_HISTORY[] =
    "SELECT at, actor, action, from_state AS \"from\", to_state AS \"to\", comment"
    " FROM incident_history WHERE incident_id = ? ORDER BY id";
static const char SQL_INC_HISTORY_ADD[] =
    "INSERT INTO incident_history(incident_id, at, actor, action, from_state, to_state,"
    " comment) VALUES(?,?,?,?,?,?,?)";
static const char SQL_INC_ALERTS[] =
    "SELECT a.id, a.rule_id, a.title, a.severity, a.source_ip, a.sensor, a.count,"
    " a.first_seen, a.last_seen, a.matched FROM incident_alerts l JOIN alerts a"
    " ON a.id = l.alert_id WHERE l.incident_id = ? ORDER BY a.id LIMIT 200";
static const char SQL_INC_ACTIONS[] =
    "SELECT id, kind, target, actor, at, result FROM incident_actions"
    " WHERE incident_id = ? ORDER BY id";
static const char SQL_INC_ACTION_ADD[] =
    "INSERT INTO incident_actions(incident_id, kind, target, actor, at, result)"
    " VALUES(?,?,?,?,?,?)";
/* One statement per step keeps each column's meaning obvious in review. */
static const char SQL_INC_SET_STATE[] =
    "UPDATE incidents SET state = ?, updated_at = ?, due_at = ?,"
    " assignee = coalesce(assignee, ?),"
    " acked_at = CASE WHEN ? = 'acknowledged' THEN ? ELSE acked_at END,"
    " verified_at = CASE WHEN ? = 'verified' THEN ? ELSE verified_at END,"
    " verdict = coalesce(?, verdict),"
    " disposed_at = CASE WHEN ? = 'disposed' THEN coalesce(disposed_at, ?) ELSE disposed_at END,"
    " feedback_at = CASE WHEN ? = 'feedback' THEN ? ELSE feedback_at END,"
    " feedback = coalesce(?, feedback),"
    " closed_at = CASE WHEN ? = 'closed' THEN ? ELSE closed_at END"
    " WHERE id = ?";
static const char SQL_CURSOR_GET[] =
    "SELECT value FROM cases_cursor WHERE name = ?";
static const char SQL_CURSOR_SET[] =
    "INSERT INTO cases_cursor(name, value) VALUES(?,?)"
    " ON CONFLICT(name) DO UPDATE SET value = excluded.value";
static const char SQL_ALERTS_AFTER[] =
    "SELECT id, rule_id, title, category, severity, source_ip, sensor, count, first_seen,"
    " last_seen, field, matched FROM alerts WHERE id > ? ORDER BY id LIMIT ?";
static const char SQL_SUPP_MATCH[] =
    "SELECT id FROM suppressions WHERE rule_id = ? AND expires_at > ?"
    " AND (source_ip IS NULL OR source_ip = ?) AND (path IS NULL OR path = ?)"
    " AND (source_ip IS NOT NULL OR path IS NOT NULL) LIMIT 1";
static const char SQL_SUPP_HIT[] =
    "UPDATE suppressions SET hits = hits + 1 WHERE id = ?";
static const char SQL_SUPP_ADD[] =
    "INSERT INTO suppressions(rule_id, source_ip, path, reason, author, created_at,"
    " expires_at, incident_id) VALUES(?,?,?,?,?,?,?,?)";
static const char SQL_SUPP_LIST[] =
    "SELECT id, rule_id, source_ip, path, reason, author, created_at, expires_at,"
    " incident_id, hits, expires_at > ? AS active FROM suppressions ORDER BY id DESC";
#endif
