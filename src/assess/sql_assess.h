/* SQL of the rectification list (findings, finding_history); assess/ only. */
#ifndef VG_SQL_ASSESS_H
#define VG_SQL_ASSESS_H

#define ASSESS_COLS                                                                         \
	"f.id, f.key, f.kind, f.family, f.check_id, f.asset, f.asset_id, f.service_id,"       \
	" f.target, f.ref, f.title, f.severity, f.evidence, f.remedy, f.state, f.owner,"      \
	" f.deadline, f.approver, f.found_at, f.last_seen, f.updated_at, f.fixed_at,"         \
	" f.verified_at, f.checked_at, f.check_passed"

static const char SQL_ASSESS_BY_KEY[] =
    "SELECT id, state FROM findings WHERE key = $1";
static const char SQL_ASSESS_INSERT[] =
    "INSERT INTO findings(key, kind, family, check_id, asset, asset_id, service_id, target,"
    " ref, title, severity, evidence, remedy, fix_script, found_at, last_seen, updated_at)"
    " VALUES($1,$2,$3,$4,$5,COALESCE($15,(SELECT id FROM assets WHERE address = $5"
    " OR hostname = $5 ORDER BY id LIMIT 1)),$6,$7,$8,$9,$10,$11,$12,$13,$14,$14,$14)";
static const char SQL_ASSESS_REFRESH[] =
    "UPDATE findings SET title = $2, severity = $3, evidence = $4, remedy = $5,"
    " fix_script = $6, target = $7, ref = $8, last_seen = $9, updated_at = $9,"
    " service_id = $10 WHERE id = $1";
static const char SQL_ASSESS_SET_STATE[] =
    "UPDATE findings SET state = $2, updated_at = $3,"
    " fixed_at = CASE WHEN $2 = 'fixed' THEN $3 ELSE fixed_at END,"
    " verified_at = CASE WHEN $2 = 'verified' THEN $3 WHEN $2 = 'open' THEN NULL"
    " ELSE verified_at END WHERE id = $1";
static const char SQL_ASSESS_CHECKED[] =
    "UPDATE findings SET checked_at = $2, check_passed = $3, evidence ="
    " CASE WHEN $4 IS NULL OR $4 = '' THEN evidence ELSE $4 END WHERE id = $1";
static const char SQL_ASSESS_ASSIGN[] =
    "UPDATE findings SET owner = COALESCE($2, owner),"
    " deadline = CASE WHEN $3 > 0 THEN $3 ELSE deadline END, updated_at = $4 WHERE id = $1";
static const char SQL_ASSESS_ACCEPT[] =
    "UPDATE findings SET state = 'accepted', approver = $2, accept_reason = $3,"
    " updated_at = $4 WHERE id = $1";
static const char SQL_ASSESS_HISTORY_ADD[] =
    "INSERT INTO finding_history(finding_id, at, actor, action, from_state, to_state, comment)"
    " VALUES($1,$2,$3,$4,$5,$6,$7)";
static const char SQL_ASSESS_HISTORY[] =
    "SELECT at, actor, action, from_state AS \"from\", to_state AS \"to\", comment"
    " FROM finding_history WHERE finding_id = $1 ORDER BY id";
static const char SQL_ASSESS_GET[] =
    "SELECT " ASSESS_COLS ", f.fix_script, f.accept_reason FROM findings f WHERE f.id = $1";
/* $1 state, $2 kind, $3 asset, $4 family, $5 all (1 = include closed), $6 min severity */
static const char SQL_ASSESS_LIST[] =
    "SELECT " ASSESS_COLS " FROM findings f"
    " WHERE ($1 IS NULL OR f.state = $1) AND ($2 IS NULL OR f.kind = $2)"
    " AND ($3 IS NULL OR f.asset = $3) AND ($4 IS NULL OR f.family = $4)"
    " AND ($1 IS NOT NULL OR $5 = 1 OR f.state NOT IN ('verified','accepted'))"
    " AND f.severity >= $6"
    " ORDER BY f.severity DESC, f.deadline IS NULL, f.deadline, f.id LIMIT $7";
static const char SQL_ASSESS_RECHECK_ALL[] =
    "SELECT id FROM findings WHERE state NOT IN ('verified','accepted') ORDER BY id";
static const char SQL_ASSESS_ITEM[] =
    "SELECT id, kind, state, key, family, check_id, asset, asset_id, target, ref FROM findings"
    " WHERE id = $1";

#endif
