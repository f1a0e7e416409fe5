#!/bin/bash
# The daily briefing on a big store: N alerts (default 1,000,000) over one day, 20
# sites, 62,500 sources, 8 categories, 200-byte evidence each (generated with SQL,
# not through vigil, so only the report is timed), plus 10,000 incidents and 10,000
# actions. Times `vigil report daily` (median of 3 runs; target < 5 s), then the
# peer: the same five chart aggregates run by the sqlite3 CLI straight on the alerts
# table, one scan and one GROUP BY sort each; the report reads the period's alerts
# once (no sort) and aggregates them in C (src/report/scan.c).
# Usage: bench/report_daily.sh [VIGIL] [N]; BENCH_KEEP=DIR keeps the briefing and the store.
set -euo pipefail
cd "$(dirname "$0")/.."
VIGIL=${1:-build/vigil}
N=${2:-1000000}
work=$(mktemp -d /tmp/vigil-bench-report.XXXXXX)
trap 'rm -rf "$work"' EXIT
DAY=$(date +%F)
from=$(date -d "$DAY" +%s)000000
"$VIGIL" -q store migrate "$work/r.db" >/dev/null
t0=$(date +%s.%N)
sqlite3 "$work/r.db" <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < $N - 1)
INSERT INTO alerts(rule_id, title, category, severity, source_ip, sensor, count, first_seen,
  last_seen, field, matched, evidence, created_at)
SELECT 'http.rule.' || (i % 40), 'Generated attack ' || (i % 40),
  CASE i % 8 WHEN 0 THEN 'sqli' WHEN 1 THEN 'xss' WHEN 2 THEN 'scanner' WHEN 3 THEN 'traversal'
    WHEN 4 THEN 'lfi' WHEN 5 THEN 'rce' WHEN 6 THEN 'ioc' ELSE 'bruteforce' END,
  i % 5, '198.' || (i % 250) || '.' || (i / 250 % 250) || '.7', 'site' || (i % 20), 1 + i % 7,
  $from + i * (86400000000 / $N), $from + i * (86400000000 / $N) + 1000000, 'url.original',
  'union select', printf('%.200c', 'x'), $from + i * (86400000000 / $N)
FROM c;
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 9999)
INSERT INTO incidents(group_key, title, severity, state, source_ip, target, family, rule_id,
  alert_count, event_count, first_seen, last_seen, created_at, updated_at, acked_at,
  disposed_at, due_at)
SELECT 'k' || i, 'Generated incident ' || i, i % 5,
  CASE i % 3 WHEN 0 THEN 'new' WHEN 1 THEN 'disposed' ELSE 'closed' END,
  '198.' || (i % 250) || '.0.7', 'site' || (i % 20), 'sqli', 'http.rule.1', 3, 9,
  $from + i * 8640000, $from + i * 8640000, $from + i * 8640000, $from + i * 8640000,
  CASE WHEN i % 3 > 0 THEN $from + i * 8640000 + 60000000 END,
  CASE WHEN i % 3 > 0 THEN $from + i * 8640000 + 3600000000 END,
  $from + i * 8640000 + 300000000
FROM c;
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 9999)
INSERT INTO actions(kind, target, params, status, actor, created_at, expires_at)
SELECT 'block', '198.' || (i % 250) || '.' || (i / 250) || '.7', '{"reason":"bench"}',
  'active', 'vigil', $from + i * 8640000, $from + 172800000000 FROM c;
COMMIT;
SQL
t1=$(date +%s.%N)
echo "report bench: generated $N alerts in $(python3 -c "print('%.1f' % ($t1 - $t0))") s;" \
	"store $(du -m "$work/r.db" | cut -f1) MiB"
cat >"$work/r.yaml" <<YAML
store: {path: $work/r.db}
YAML
times=()
cpus=()
for run in 1 2 3; do
	s=$(date +%s.%N)
	/usr/bin/time -f '%U %S' -o "$work/cpu" \
		"$VIGIL" -q --config "$work/r.yaml" report daily --date "$DAY" -o "$work/daily.html" >/dev/null
	e=$(date +%s.%N)
	times+=("$(python3 -c "print('%.3f' % ($e - $s))")")
	cpus+=("$(awk '{ printf "%.2f", $1 + $2 }' "$work/cpu")")
done
med=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
grep -q "$N alerts\|attack events" "$work/daily.html" || { echo "report bench: no status line"; exit 1; }
s=$(date +%s.%N)
sqlite3 "$work/r.db" >/dev/null <<SQL
SELECT count(*), sum(count), count(DISTINCT source_ip) FROM alerts WHERE first_seen >= $from AND first_seen < $from + 86400000000;
SELECT (first_seen - $from) / 3600000000 AS h, sum(count) FROM alerts WHERE first_seen >= $from AND first_seen < $from + 86400000000 GROUP BY h;
SELECT category, sum(count) FROM alerts WHERE first_seen >= $from AND first_seen < $from + 86400000000 GROUP BY 1 ORDER BY 2 DESC LIMIT 8;
SELECT source_ip, sum(count) AS e FROM alerts WHERE first_seen >= $from AND first_seen < $from + 86400000000 GROUP BY 1 ORDER BY e DESC LIMIT 8;
SELECT sensor, sum(count) AS e FROM alerts WHERE first_seen >= $from AND first_seen < $from + 86400000000 GROUP BY 1 ORDER BY e DESC LIMIT 5;
SQL
e=$(date +%s.%N)
peer=$(python3 -c "print('%.3f' % ($e - $s))")
echo "report daily, $N alerts: runs ${times[*]} s wall (user+sys ${cpus[*]} s), median $med s" \
	"(target < 5 s; load average $(cut -d' ' -f1-3 /proc/loadavg));" \
	"peer: the five chart queries straight on alerts with the sqlite3 CLI $peer s" \
	"(ratio $(python3 -c "print('%.2f' % ($peer / $med))")x)"
# BENCH_KEEP=DIR: the briefing and the store (to time another build on the same data).
if [ -n "${BENCH_KEEP:-}" ]; then
	cp "$work/daily.html" "$BENCH_KEEP/daily-$N.html"
	mv "$work/r.db" "$BENCH_KEEP/r-$N.db"
fi
python3 -c "import sys; sys.exit(0 if float('$med') < 5 else 1)" ||
	echo "report bench: OVER the 5 s target (load average $(cut -d' ' -f1-3 /proc/loadavg))"
