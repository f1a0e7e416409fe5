#!/bin/bash
# Console API latency under wrk on loopback with ALERTS (default 1,000,000) alerts and
# INCIDENTS (default 10,000; 30 % open, five alerts and two history rows each) in the
# store: p50/p99 of the overview (which counts the open incidents and reads watch's
# heartbeat), the alert list (first page, a severity filter, a deep page), one
# alert's detail, the incident list (open ones, all, one state) and one incident's
# detail. Two spreads of created_at: a month of alerts
# (~1,400 in the overview's last hour) and a busy day (~42,000 in the last hour).
# Target: p99 < 50 ms. The console needs no index on alerts (the overview's counts
# are kept in memory; windows are found by binary search over the rowid), so alert
# inserts cost what they did before. Start-up time (loading the last hour) is shown.
# usage: bench/console_api.sh [VIGIL]   (needs wrk, sqlite3, curl)
set -euo pipefail
cd "$(dirname "$0")/.."
VIGIL=${1:-${BUILD:-build}/vigil}
N=${ALERTS:-1000000}
NI=${INCIDENTS:-10000}
DUR=${WRK_SECONDS:-10}
CONNS=${WRK_CONNS:-8}
for t in wrk sqlite3 curl; do command -v $t >/dev/null || { echo "console_api: $t missing (install-deps bench)"; exit 0; }; done
work=$(mktemp -d /tmp/vigil-bench-console.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

# fill DB SPAN_SECONDS: N alerts, created_at spread evenly over the span ending now;
# 5,000 source addresses, 20 sites, severities 0..4, one evidence line each.
fill() {
	"$VIGIL" -q store migrate "$1" >/dev/null
	sqlite3 "$1" <<SQL
PRAGMA journal_mode=WAL;
BEGIN;
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $N)
INSERT INTO alerts(rule_id, title, category, severity, source_ip, sensor, count, first_seen,
  last_seen, field, matched, evidence, created_at)
SELECT 'http.sqli.union', 'SQL injection (UNION-based)', 'sqli', i % 5,
  '10.' || (i % 50) || '.' || ((i / 50) % 100) || '.7', 'site' || (i % 20) || '.example.gov.cn',
  1 + i % 7, t, t, 'url.original', 'union select', 'GET /?id=1 union select 1,2 HTTP/1.1', t
FROM (SELECT i, (CAST(strftime('%s','now') AS INTEGER) - $2) * 1000000 + i * ($2 * 1000000 / $N) AS t FROM s);
INSERT INTO alert_events(alert_id, ts, raw) SELECT id, created_at, evidence FROM alerts;
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $NI)
INSERT INTO incidents(id, group_key, title, severity, state, verdict, source_ip, target, family,
  rule_id, alert_count, event_count, first_seen, last_seen, created_at, updated_at, assignee,
  due_at)
SELECT i, 'source_ip=10.' || (i % 50) || '.0.7|family=sqli',
  'SQL injection (UNION-based) from 10.' || (i % 50) || '.0.7', i % 5,
  CASE i % 10 WHEN 0 THEN 'new' WHEN 1 THEN 'acknowledged' WHEN 2 THEN 'verified' ELSE 'closed' END,
  CASE WHEN i % 10 IN (0, 1) THEN NULL ELSE 'true_positive' END,
  '10.' || (i % 50) || '.0.7', 'site' || (i % 20) || '.example.gov.cn', 'sqli', 'http.sqli.union',
  5, 20, t, t, t, t, CASE WHEN i % 10 = 0 THEN NULL ELSE 'analyst' END,
  CASE WHEN i % 10 < 3 THEN t + 1800000000 ELSE NULL END
FROM (SELECT i, (CAST(strftime('%s','now') AS INTEGER) - $2) * 1000000 + i * ($2 * 1000000 / $NI) AS t FROM s);
INSERT INTO incident_alerts(incident_id, alert_id)
  SELECT i.id, a.id FROM incidents i JOIN alerts a ON a.id BETWEEN (i.id - 1) * ($N / $NI) + 1 AND (i.id - 1) * ($N / $NI) + 5;
INSERT INTO incident_history(incident_id, at, actor, action, from_state, to_state, comment)
  SELECT id, created_at, 'vigil', 'create', NULL, 'new', title FROM incidents;
INSERT INTO incident_history(incident_id, at, actor, action, from_state, to_state, comment)
  SELECT id, updated_at, 'analyst', 'ack', 'new', 'acknowledged', 'looking' FROM incidents WHERE state <> 'new';
COMMIT;
SQL
}

# p99 in ms from wrk --latency output
p() { awk -v q="$1" '$1 == q { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }'; }

# CPU seconds the server has used (utime + stime), to report CPU per request,
# which the machine's other load does not inflate as it does latency.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.4f", ($14 + $15) / hz }' "/proc/$pid/stat"; }

run_one() {	# label path
	local out c0 c1 reqs
	c0=$(cpu)
	out=$(wrk -t2 -c"$CONNS" -d"${DUR}s" --timeout 10s --latency -H "Cookie: vigil_session=$tok" "http://127.0.0.1:$port$2")
	c1=$(cpu)
	reqs=$(awk '/requests in/ {print $1}' <<<"$out")
	printf '%-34s p50 %8s ms  p99 %8s ms  %8s req/s  cpu %6s ms/req  non-2xx %s\n' "$1" \
		"$(p 50% <<<"$out")" "$(p 99% <<<"$out")" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
		"$( [ "${reqs:-0}" -gt 0 ] 2>/dev/null && echo "scale=3; ($c1 - $c0) * 1000 / $reqs" | bc || echo -)" \
		"$(awk '/Non-2xx/ {print $NF}' <<<"$out" | grep . || echo 0)"
}

for spread in month:2592000 day:86400; do
	name=${spread%%:*} span=${spread#*:}
	db=$work/$name.db
	t0=$(date +%s.%N)
	fill "$db" "$span"
	echo "== console API, $N alerts and $NI incidents over a $name (filled in $(echo "$(date +%s.%N) - $t0" | bc) s; load $(cut -d' ' -f1 /proc/loadavg), wrk $CONNS connections)"
	cat >"$work/v.yaml" <<YAML
store: {path: $db}
console: {listen: 127.0.0.1, port: 0}
YAML
	pw=bench-password-123
	echo "$pw" | "$VIGIL" --config "$work/v.yaml" -q user add bench --role admin --password-stdin
	rm -f "$work/ready"
	t0=$(date +%s.%N)
	"$VIGIL" --config "$work/v.yaml" -q serve --ready-file "$work/ready" &
	pid=$!
	for _ in $(seq 1200); do [ -s "$work/ready" ] && break; sleep 0.1; done
	echo "serve ready in $(echo "$(date +%s.%N) - $t0" | bc) s"
	port=$(sed -n 2p "$work/ready")
	tok=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
		-d "{\"user\":\"bench\",\"password\":\"$pw\"}" "http://127.0.0.1:$port/api/session" |
		sed -n 's/^Set-Cookie: vigil_session=\([^;]*\);.*/\1/p')
	run_one "GET /api/overview (60 min)" "/api/overview"
	run_one "GET /api/overview?minutes=15" "/api/overview?minutes=15"
	run_one "GET /api/alerts?limit=50" "/api/alerts?limit=50"
	run_one "GET /api/alerts?severity=4" "/api/alerts?limit=50&severity=4"
	run_one "GET /api/alerts?before=500000" "/api/alerts?limit=50&before=500000"
	run_one "GET /api/alerts/{id}" "/api/alerts/777777"
	run_one "GET /api/incidents?limit=50 (open)" "/api/incidents?limit=50"
	run_one "GET /api/incidents?all=1" "/api/incidents?limit=50&all=1"
	run_one "GET /api/incidents?state=verified" "/api/incidents?limit=50&state=verified"
	run_one "GET /api/incidents?before=5000" "/api/incidents?limit=50&before=5000"
	run_one "GET /api/incidents/{id}" "/api/incidents/7777"
	kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done
