/* SQL of the reports (SQLite dialect; $1/$2 are the period's bounds in µs unless
 * said otherwise); included by the src/report C files only. Aggregates run in SQL so
 * rows come back few, except the period's alerts (scan.c): those are read once. */
#ifndef VG_SQL_REPORT_H
#define VG_SQL_REPORT_H

static const char SQL_HAS_COLUMN[] =
    "SELECT count(*) AS n FROM sqlite_master m, pragma_table_info(m.name) c"
    " WHERE m.type = 'table' AND m.name = $1 AND ($2 IS NULL OR c.name = $2)";

/* The period's alerts, narrow: one pass over the wide alerts table (its evidence
 * text makes every scan of it expensive), then the charts read this. */
static const char SQL_TMP_CREATE[] =
    "CREATE TEMP TABLE IF NOT EXISTS rpt_alerts(id INTEGER, first_seen INTEGER,"
    " category TEXT, source_ip TEXT, sensor TEXT, rule_id TEXT, severity INTEGER,"
    " count INTEGER)";
static const char SQL_TMP_CLEAR[] = "DELETE FROM temp.rpt_alerts";
static const char SQL_TMP_FILL[] =
    "INSERT INTO temp.rpt_alerts SELECT id, first_seen, category, source_ip, sensor,"
    " rule_id, severity, count FROM alerts WHERE first_seen >= $1 AND first_seen < $2";

/* The period's alerts for the charts, sources and signs (scan.c aggregates them in
 * one pass: a GROUP BY here would sort a million rows). The final summary reads its
 * temp copy, which its timeline needs anyway. */
#define A_SCAN_COLS "SELECT id, first_seen, category, source_ip, sensor, rule_id, severity, count"
static const char SQL_A_SCAN[] =
    A_SCAN_COLS " FROM alerts WHERE first_seen >= $1 AND first_seen < $2";
static const char SQL_A_SCAN_TMP[] =
    A_SCAN_COLS " FROM temp.rpt_alerts WHERE first_seen >= $1 AND first_seen < $2";
#undef A_SCAN_COLS
/* Alerts a restore or quarantine put right: a web-root change vigil did not put
 * right is a sign of a successful intrusion. */
static const char SQL_A_RESPONDED[] =
    "SELECT alert_id FROM actions WHERE alert_id IS NOT NULL AND status = 'done'"
    " AND kind IN ('restore', 'quarantine')";

/* When incident i's "new incident" notification went out (the outbox's sent_at, or
 * that of the digest it was folded into; the first channel to send it), NULL if it
 * never did. Keys are "incident-ID-new@CHANNEL": a range on the unique key. */
#define NOTIFIED_AT \
	" (SELECT min(CASE WHEN o.state = 'sent' THEN o.sent_at ELSE d.sent_at END)" \
	" FROM outbox o LEFT JOIN outbox d ON d.id = o.digest_id AND d.state = 'sent'" \
	" WHERE o.idem_key > 'incident-' || i.id || '-new@'" \
	" AND o.idem_key < 'incident-' || i.id || '-newA') AS notified_at"
/* Incidents touching the period: opened in it, handled in it, or open at its end. */
static const char SQL_INCIDENTS[] =
    "SELECT id, title, severity, state, verdict, source_ip, target, rule_id, first_seen,"
    " created_at, acked_at, verified_at, disposed_at, feedback_at, closed_at, due_at,"
    " assignee," NOTIFIED_AT " FROM incidents i WHERE (created_at >= $1 AND created_at < $2)"
    " OR (disposed_at >= $1 AND disposed_at < $2)"
    " OR (state IN ('new', 'acknowledged', 'verified') AND created_at < $2)"
    " ORDER BY created_at, id LIMIT 20000";

/* Restores and quarantines, one row per (kind, file): the guard and the scanner
 * may both record the same quarantine. */
static const char SQL_RESPONSES[] =
    "SELECT kind, target, min(created_at) AS at, group_concat(DISTINCT actor) AS actor,"
    " max(result) AS result, max(status = 'done') AS done FROM actions"
    " WHERE kind IN ('restore', 'quarantine') AND created_at >= $1 AND created_at < $2"
    " GROUP BY kind, target ORDER BY at LIMIT $3";
static const char SQL_RESPONSE_COUNTS[] =
    "SELECT count(DISTINCT CASE WHEN kind = 'restore' THEN target END) AS restored,"
    " count(DISTINCT CASE WHEN kind = 'quarantine' THEN target END) AS quarantined"
    " FROM actions WHERE kind IN ('restore', 'quarantine') AND status = 'done'"
    " AND created_at >= $1 AND created_at < $2";

/* $1 = the moment looked at (the period's end, or now if sooner). */
#define BLOCK_IN_FORCE \
	" FROM actions WHERE kind = 'block' AND created_at < $1 AND expires_at > $1" \
	" AND (status = 'active' OR (status = 'removed' AND done_at > $1))"
static const char SQL_BLOCKS_COUNT[] = "SELECT count(*) AS n" BLOCK_IN_FORCE;
static const char SQL_BLOCKS_LIST[] =
    "SELECT target, json_extract(params, '$.reason') AS reason, actor, created_at,"
    " expires_at" BLOCK_IN_FORCE " ORDER BY created_at DESC LIMIT $2";
static const char SQL_BLOCKS_NEW[] =
    "SELECT count(*) AS n, count(DISTINCT target) AS targets FROM actions"
    " WHERE kind = 'block' AND status IN ('active', 'removed')"
    " AND created_at >= $1 AND created_at < $2";

/* Findings: 008 (assess) has state/owner/deadline; 001's table has status only. */
static const char SQL_FIND_008[] =
    "SELECT count(*) AS total,"
    " coalesce(sum(found_at >= $1 AND found_at < $2), 0) AS found,"
    " coalesce(sum(state IN ('fixed', 'verified') AND fixed_at >= $1 AND fixed_at < $2), 0)"
    " AS fixed,"
    " coalesce(sum(state IN ('open', 'fixing') AND found_at < $2), 0) AS open,"
    " coalesce(sum(state = 'accepted'), 0) AS accepted,"
    " coalesce(sum(state IN ('open', 'fixing') AND severity >= 4 AND found_at < $2), 0)"
    " AS critical FROM findings";
static const char SQL_FIND_001[] =
    "SELECT count(*) AS total,"
    " coalesce(sum(found_at >= $1 AND found_at < $2), 0) AS found,"
    " coalesce(sum(status = 'fixed' AND fixed_at >= $1 AND fixed_at < $2), 0) AS fixed,"
    " coalesce(sum(status = 'open' AND found_at < $2), 0) AS open,"
    " coalesce(sum(status = 'accepted'), 0) AS accepted,"
    " coalesce(sum(status = 'open' AND severity >= 4 AND found_at < $2), 0) AS critical"
    " FROM findings";
static const char SQL_FIND_TOP_008[] =
    "SELECT title, asset, severity, state, owner, deadline FROM findings"
    " WHERE state IN ('open', 'fixing') AND found_at < $1"
    " ORDER BY severity DESC, deadline IS NULL, deadline, id LIMIT $2";
static const char SQL_NOTICES[] =
    "SELECT count(*) AS open, coalesce(sum(deadline IS NOT NULL AND deadline <= $1), 0)"
    " AS overdue FROM notices WHERE state = 'open'";

static const char SQL_ASSETS[] =
    "SELECT count(*) AS total, coalesce(sum(declared = 0), 0) AS shadow,"
    " coalesce(sum(declared = 0 AND first_seen >= $1 AND first_seen < $2), 0) AS new_shadow"
    " FROM assets";
static const char SQL_ASSETS_NEW[] =
    "SELECT address, hostname, first_seen FROM assets WHERE declared = 0"
    " AND first_seen >= $1 AND first_seen < $2 ORDER BY first_seen LIMIT $3";

static const char SQL_SHIFTS[] =
    "SELECT person, starts_at, ends_at, daily FROM duty_shifts ORDER BY starts_at LIMIT 10000";
static const char SQL_HANDOVERS[] =
    "SELECT at, from_person, to_person, note FROM duty_handovers"
    " WHERE at >= $1 AND at < $2 ORDER BY at LIMIT $3";

/* ---- final summary ---- */
#define LOCAL_DAY(col) "date(" col " / 1000000, 'unixepoch', 'localtime')"
static const char SQL_TIMELINE[] =
    "SELECT day, sum(a) AS alerts, sum(e) AS events, sum(i) AS incidents,"
    " sum(r) AS responses, sum(b) AS blocks FROM ("
    " SELECT " LOCAL_DAY("first_seen") " AS day, count(*) AS a, sum(count) AS e, 0 AS i,"
    " 0 AS r, 0 AS b FROM temp.rpt_alerts GROUP BY 1"
    " UNION ALL SELECT " LOCAL_DAY("created_at") ", 0, 0, count(*), 0, 0 FROM incidents"
    " WHERE created_at >= $1 AND created_at < $2 GROUP BY 1"
    " UNION ALL SELECT " LOCAL_DAY("created_at") ", 0, 0, 0,"
    " count(DISTINCT CASE WHEN kind IN ('restore', 'quarantine') AND status = 'done'"
    " THEN kind || ' ' || target END), sum(kind = 'block')"
    " FROM actions WHERE created_at >= $1 AND created_at < $2 GROUP BY 1)"
    " GROUP BY day ORDER BY day LIMIT 1000";
#undef LOCAL_DAY
/* Significant: high or critical, or confirmed as a real attack. */
#define SIGNIFICANT \
	" i.created_at >= $1 AND i.created_at < $2 AND (i.severity >= 3 OR" \
	" i.verdict = 'true_positive')"
static const char SQL_SIGNIFICANT[] =
    "SELECT id, title, severity, state, verdict, source_ip, target, created_at, first_seen,"
    " verified_at, disposed_at," NOTIFIED_AT " FROM incidents i WHERE" SIGNIFICANT
    " ORDER BY id LIMIT $3";
static const char SQL_SIG_HISTORY[] =
    "SELECT h.incident_id AS id, h.at, h.actor, h.action, h.comment FROM incident_history h"
    " JOIN incidents i ON i.id = h.incident_id WHERE" SIGNIFICANT
    " ORDER BY h.incident_id, h.at, h.id LIMIT 100000";
#undef SIGNIFICANT

static const char SQL_COV_SCANNED[] =
    "SELECT count(DISTINCT asset_id) AS n FROM scan_hosts";
static const char SQL_COV_ASSESSED[] =
    "SELECT count(DISTINCT asset_id) AS n FROM findings WHERE asset_id IS NOT NULL";
static const char SQL_BA_008[] =
    "SELECT kind, count(*) AS found, sum(state IN ('fixed', 'verified')) AS fixed,"
    " sum(state IN ('open', 'fixing')) AS open, sum(state = 'accepted') AS accepted,"
    " sum(state = 'verified' OR check_passed = 1) AS passed FROM findings"
    " WHERE found_at < $1 GROUP BY kind ORDER BY kind";
static const char SQL_BA_001[] =
    "SELECT kind, count(*) AS found, sum(status = 'fixed') AS fixed,"
    " sum(status = 'open') AS open, sum(status = 'accepted') AS accepted, 0 AS passed"
    " FROM findings WHERE found_at < $1 GROUP BY kind ORDER BY kind";

static const char SQL_ADV_WEAK[] =
    "SELECT category, count(*) AS alerts, sum(count) AS events FROM temp.rpt_alerts"
    " WHERE category IS NOT NULL GROUP BY category HAVING count(*) >= 2"
    " ORDER BY events DESC, category LIMIT 3";
static const char SQL_ADV_WEAK_FIND[] =
    "SELECT title, count(DISTINCT asset) AS n FROM findings"
    " GROUP BY check_id, title HAVING n >= 2 ORDER BY n DESC, title LIMIT 3";
static const char SQL_ADV_SLOW_FIX[] =
    "SELECT count(*) AS n FROM findings WHERE deadline IS NOT NULL AND fixed_at IS NOT NULL"
    " AND fixed_at > deadline AND fixed_at >= $1 AND fixed_at < $2";
static const char SQL_ADV_REPEAT[] =
    "SELECT coalesce(nullif(target, ''), source_ip, '-') AS sys, count(*) AS n FROM incidents"
    " WHERE created_at >= $1 AND created_at < $2"
    " AND (verdict IS NULL OR verdict <> 'false_positive') GROUP BY sys HAVING n >= 2"
    " ORDER BY n DESC, sys LIMIT 3";
static const char SQL_ADV_FP[] =
    "SELECT coalesce(rule_id, '-') AS rule_id, count(*) AS n FROM incidents"
    " WHERE verdict = 'false_positive' AND created_at >= $1 AND created_at < $2"
    " GROUP BY 1 ORDER BY n DESC, 1 LIMIT 3";

#endif
