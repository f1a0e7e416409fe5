/* SQL of the deliverables (SQLite dialect); included by export.c only. Row queries
 * page by id ($3 = last id seen, $4 = page size) so a month of alerts streams to its
 * file instead of sitting in memory; times leave as RFC 3339 UTC. */
#ifndef VG_SQL_EXPORT_H
#define VG_SQL_EXPORT_H

#define T(col) "strftime('%Y-%m-%dT%H:%M:%SZ', " col " / 1000000, 'unixepoch')"
#define PAGE " AND id > $3 ORDER BY id LIMIT $4"
/* An export's columns without its rows: the query left-joined to nothing gives one
 * row of NULLs under the same names (the header of a CSV with no rows). */
#define HEAD(q) "SELECT x.* FROM (SELECT 0) LEFT JOIN (" q ") x ON 0"

#define X_ASSETS \
    "SELECT id, address, hostname, class, declared, owner, " T("first_seen") " AS first_seen, " \
    T("last_seen") " AS last_seen FROM assets WHERE $1 = $1 AND $2 = $2" PAGE
static const char SQL_X_ASSETS[] = X_ASSETS;
static const char SQL_X_ASSETS_HEAD[] = HEAD(X_ASSETS);
#undef X_ASSETS
#define X_FINDINGS_008 \
    "SELECT id, kind, asset, target, ref, title, severity, state, owner, " \
    T("deadline") " AS deadline, " T("found_at") " AS found_at, " T("fixed_at") " AS fixed_at, " \
    T("verified_at") " AS verified_at, approver, accept_reason, remedy FROM findings" \
    " WHERE $1 = $1 AND $2 = $2" PAGE
static const char SQL_X_FINDINGS_008[] = X_FINDINGS_008;
static const char SQL_X_FINDINGS_008_HEAD[] = HEAD(X_FINDINGS_008);
#undef X_FINDINGS_008
#define X_FINDINGS_001 \
    "SELECT id, kind, ref, title, severity, status, " T("found_at") " AS found_at, " \
    T("fixed_at") " AS fixed_at, remedy FROM findings WHERE $1 = $1 AND $2 = $2" PAGE
static const char SQL_X_FINDINGS_001[] = X_FINDINGS_001;
static const char SQL_X_FINDINGS_001_HEAD[] = HEAD(X_FINDINGS_001);
#undef X_FINDINGS_001
#define X_NOTICES \
    "SELECT id, kind, ref, title, asset, severity, owner, " T("deadline") " AS deadline," \
    " issuer, state, verdict, recheck_note, feedback, " T("created_at") " AS created_at," \
    " created_by, " T("closed_at") " AS closed_at, closed_by FROM notices" \
    " WHERE $1 = $1 AND $2 = $2" PAGE
static const char SQL_X_NOTICES[] = X_NOTICES;
static const char SQL_X_NOTICES_HEAD[] = HEAD(X_NOTICES);
#undef X_NOTICES
#define X_ALERTS \
    "SELECT id, rule_id, title, category, severity, source_ip, sensor, count, " \
    T("first_seen") " AS first_seen, " T("last_seen") " AS last_seen," \
    " (SELECT count(*) FROM alert_events e WHERE e.alert_id = alerts.id) AS evidence_lines" \
    " FROM alerts WHERE first_seen >= $1 AND first_seen < $2" PAGE
static const char SQL_X_ALERTS[] = X_ALERTS;
static const char SQL_X_ALERTS_HEAD[] = HEAD(X_ALERTS);
#undef X_ALERTS
#define X_ACTIONS \
    "SELECT id, kind, target, status, actor, alert_id, " T("created_at") " AS created_at, " \
    T("expires_at") " AS expires_at, " T("done_at") " AS done_at, result FROM actions" \
    " WHERE created_at >= $1 AND created_at < $2" PAGE
static const char SQL_X_ACTIONS[] = X_ACTIONS;
static const char SQL_X_ACTIONS_HEAD[] = HEAD(X_ACTIONS);
#undef X_ACTIONS
#define X_HANDOVERS \
    "SELECT id, " T("at") " AS at, from_person, to_person, note FROM duty_handovers" \
    " WHERE at >= $1 AND at < $2" PAGE
static const char SQL_X_HANDOVERS[] = X_HANDOVERS;
static const char SQL_X_HANDOVERS_HEAD[] = HEAD(X_HANDOVERS);
#undef X_HANDOVERS
static const char SQL_X_INCIDENTS[] =
    "SELECT id, title, severity, state, verdict, source_ip, target, family, rule_id,"
    " alert_count, event_count, " T("first_seen") " AS first_seen, " T("created_at")
    " AS created_at, " T("acked_at") " AS acked_at, " T("verified_at") " AS verified_at, "
    T("disposed_at") " AS disposed_at, " T("feedback_at") " AS feedback_at, " T("closed_at")
    " AS closed_at, assignee, feedback FROM incidents WHERE created_at >= $1 AND created_at < $2"
    PAGE;
static const char SQL_X_INC_HISTORY[] =
    "SELECT " T("at") " AS at, actor, action, from_state, to_state, comment"
    " FROM incident_history WHERE incident_id = $1 ORDER BY at, id";
static const char SQL_X_INC_ACTIONS[] =
    "SELECT kind, target, actor, " T("at") " AS at, result FROM incident_actions"
    " WHERE incident_id = $1 ORDER BY at, id";

#undef PAGE
#undef HEAD
#undef T
#endif
