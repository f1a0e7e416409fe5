#!/bin/bash
# `vigil alerts`: stored alerts as a table with local times and filters, JSON lines,
# `show ID` with its evidence; log bytes reach the terminal escaped.
source "$SRCDIR/tests/lib.sh"

cd "$TMP"
cat >a.yaml <<YAML
store: {path: $TMP/a.db}
monitor:
  rules: $SRCDIR/rules
YAML
now=$(LC_ALL=C date -u '+%d/%b/%Y:%H:%M:%S +0000')
{
	for i in 1 2 3; do
		echo "198.51.100.7 - - [$now] \"GET /item.php?id=1%27%20union%20select%20$i,2-- HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0\""
	done
	printf '203.0.113.9 - - [%s] "GET /view.php?f=../../../../etc/passwd&x=\x1b]0;OWNED\x07 HTTP/1.1" 200 5 "-" "M"\n' "$now"
} >access.log
run "$VIGIL" --config a.yaml scan-log --store a.db access.log
run "$VIGIL" --config a.yaml alerts
expect_rc "alerts lists the store" 0
expect_match "a header names the columns" out '^ID +LAST SEEN +SEVERITY +RULE +SOURCE +COUNT +TITLE'
expect_match "the SQL injection row: local time, severity, rule, source, count" out \
	"^[0-9]+ +$(date '+%Y-%m-%d') [0-9:]{8} +high +http\\.sqli\\.union +198\\.51\\.100\\.7 +3 "
expect_match "the traversal is listed too" out 'http\.traversal.* 203\.0\.113\.9 '
run "$VIGIL" --config a.yaml alerts --source 203.0.113.9
expect_no_match "--source keeps one address" out '198\.51\.100\.7'
run "$VIGIL" --config a.yaml alerts --rule 'http.sqli.*'
expect_no_match "--rule GLOB keeps matching rules" out 'traversal'
expect_match "--rule GLOB keeps the SQLi alert" out 'http\.sqli\.union'
run "$VIGIL" --config a.yaml alerts --severity critical
expect_no_match "--severity keeps that level or worse" out 'http\.sqli\.union'
run "$VIGIL" --config a.yaml alerts --since 2h --json
expect_match "--json prints one object per alert" out '^\{"id": ?[0-9]+,.*"rule_id": ?"http\.sqli\.union"'
run "$VIGIL" --config a.yaml alerts --since 1x
expect_rc "a bad age is a usage error" 2
id=$(sqlite3 a.db "select id from alerts where source_ip = '203.0.113.9' order by id limit 1")
run "$VIGIL" --config a.yaml alerts show "$id"
expect_rc "alerts show ID" 0
expect_match "show prints the evidence line" out 'evidence \(1 line\)'
expect_match "the attacker's escape sequence is shown as \\xNN" out '\\x1b\]0;OWNED\\x07'
if grep -q $'\x1b' <<<"$OUT"; then not_ok "no raw ESC reaches the terminal"; else
	ok "no raw ESC reaches the terminal"; fi
run "$VIGIL" --config a.yaml alerts show 99999
expect_rc "an unknown id is an error" 2
expect_match "and says so" err 'no alert 99999'
expect_clean_stderr "alerts: no sanitizer report"
# `vigil status` reads the heartbeat watch writes into the store, and its lock.
: >live.log
mkdir -p www && echo '<html>ok</html>' >www/index.html
# a free port now (watch's config takes no port 0); another process could take it
# in between, which only makes this part fail loudly, never pass wrongly
uport=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >s.yaml <<YAML
store: {path: $TMP/s.db}
monitor:
  rules: $SRCDIR/rules
  sources:
    - {name: web, path: $TMP/live.log, format: combined}
  syslog: ["udp://127.0.0.1:$uport"]
webroots:
  - {name: site, path: $TMP/www, policy: alert}
protect: {backup_dir: $TMP/backup, quarantine_dir: $TMP/vault}
YAML
run "$VIGIL" --config s.yaml status
expect_rc "status before any watch: not running (exit 1)" 1
expect_match "says watch never ran" out 'watch: not running \(never ran on this store\)'
run "$VIGIL" --config s.yaml backup create
"$VIGIL" --config s.yaml watch --ready-file ready >w.out 2>w.err & wpid=$!
wait_for 60 test -e ready
head -3 access.log >>live.log
has_alert() { [ "$(sqlite3 s.db 'select count(*) from alerts' 2>/dev/null || echo 0)" -ge 1 ]; }
wait_for 60 has_alert
beat_counts() { "$VIGIL" --config s.yaml --json status | grep -q '"lines": *3'; }
wait_for 60 beat_counts
run "$VIGIL" --config s.yaml status
expect_rc "status while watch runs (exit 0)" 0
expect_match "running, its pid and since when" out \
	"^watch: running \\(pid $wpid\\) since $(date '+%Y-%m-%d') [0-9:]{8}, last heartbeat [0-9]+ s ago"
expect_match "the source followed" out "^source: web  $TMP/live\\.log \\(combined\\)"
expect_match "lines and lines/s from the files" out '^files: 3 lines, [0-9.]+ lines/s'
expect_match "syslog drops are reported" out '^syslog: 0 lines, [0-9.]+ lines/s, 0 datagrams dropped'
expect_match "the web root guarded" out "^web root guarded: site  $TMP/www"
expect_match "the last alert" out '^last alert: #[0-9]+ .* high http\.sqli\.union from 198\.51\.100\.7'
expect_match "the store size" out '^store: .*/s\.db, [0-9.]+ MiB'
run "$VIGIL" --config s.yaml --json status
expect_match "--json status" out '"running": ?true'
kill -TERM "$wpid"; wait "$wpid"
run "$VIGIL" --config s.yaml status
expect_rc "status after watch stopped (exit 1)" 1
expect_match "says when it last ran" out '^watch: not running \(last ran from '
ERR=$(cat w.err)
expect_clean_stderr "watch with heartbeat: no sanitizer report"
finish
