#!/bin/bash
# Blind spots that must not look like "all clear": a line longer than
# monitor.max_line with the attack at its start, and the IOC lists, in scan-log and
# in watch.
source "$SRCDIR/tests/lib.sh"
cd "$TMP"

# --- lines longer than monitor.max_line ----------------------------------------
pad=$(head -c 9000 /dev/zero | tr '\0' A)
printf '198.51.100.1 - - [29/Nov/2026:10:00:00 +0000] "GET /?q=<script>alert(1)</script>%s HTTP/1.1" 200 1 "-" "M"\n' \
	"$pad" >long.log
cat >long.yaml <<YAML
monitor:
  rules: $SRCDIR/rules
  max_line: 4096
YAML
run "$VIGIL" --config long.yaml scan-log long.log
expect_rc "scan-log: a cut line with an attack exits 1, never a silent 0" 1
expect_match "scan-log: the kept part of the cut line is decoded and matched" out \
	'http\.xss\.script_tag +198\.51\.100\.1'
expect_match "scan-log: the cut itself is an alert (log.line_too_long)" out \
	'log\.line_too_long +198\.51\.100\.1'
expect_match "scan-log: the cut line is not a decode error" err '^1 lines \(0 undecodable, 1 truncated\)'
expect_clean_stderr "scan-log long line: no sanitizer report"

# the nginx log_format decoder, cut inside $request
cat >nx.yaml <<YAML
monitor:
  rules: $SRCDIR/rules
  max_line: 4096
YAML
printf '198.51.100.2 [2026-11-29T10:00:00+00:00] "GET /?id=1%%27%%20union%%20select%%201,2--%s HTTP/1.1" 200\n' \
	"$pad" >nx.log
run "$VIGIL" --config nx.yaml scan-log --format nginx \
	--log-format '$remote_addr [$time_iso8601] "$request" $status' nx.log
expect_match "scan-log --format nginx: the kept part of a cut \$request is matched" out \
	'http\.sqli\.union +198\.51\.100\.2'
expect_match "scan-log --format nginx: the cut is an alert" out 'log\.line_too_long +198\.51\.100\.2'

run "$VIGIL" --config long.yaml decode --json long.log
expect_match "decode: a cut line is decoded and flagged truncated" out \
	'"url":\{"original":"/\?q=<script>alert\(1\)</script>A+"\}.*"truncated":true'

# --- IOC lists -----------------------------------------------------------------
printf '# test list\n203.0.113.7\n198.51.100.0/24\nevil.example\n' >ioc.txt
cat >ioc.yaml <<YAML
store: {path: $TMP/ioc.db}
monitor:
  rules: $SRCDIR/rules
  ioc_files: [$TMP/ioc.txt]
  max_line: 4096
  sources:
    - {name: web, path: $TMP/live.log, format: combined}
YAML
printf '%s\n' \
	'203.0.113.7 - - [29/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "M"' \
	'192.0.2.20 - - [29/Nov/2026:10:00:01 +0000] "GET /r HTTP/1.1" 200 1 "http://cdn.evil.example/x" "M"' \
	'192.0.2.21 - - [29/Nov/2026:10:00:02 +0000] "GET /ok HTTP/1.1" 200 1 "-" "M"' >ioc.log
run "$VIGIL" --config ioc.yaml scan-log ioc.log
expect_rc "scan-log: IOC hits exit 1" 1
expect_match "scan-log: a listed address raises ioc.ip" out 'ioc\.ip +203\.0\.113\.7'
expect_match "scan-log: a listed domain's subdomain raises ioc.domain" out \
	'ioc\.domain +192\.0\.2\.20 .*cdn\.evil\.example'
expect_no_match "scan-log: an unlisted request raises nothing" out '192\.0\.2\.21'

printf 'not an indicator!\n' >>ioc.txt
run "$VIGIL" --config ioc.yaml scan-log ioc.log
expect_rc "scan-log: a bad IOC line is reported and skipped" 1
expect_match "scan-log: the bad IOC line is named FILE:LINE" err 'ioc\.txt:5: '

cat >noioc.yaml <<YAML
monitor:
  rules: $SRCDIR/rules
  ioc_files: [$TMP/missing.txt]
YAML
run "$VIGIL" --config noioc.yaml scan-log ioc.log
expect_rc "scan-log: an unreadable IOC list refuses to run" 2
expect_match "scan-log: the unreadable list is named" err 'missing\.txt'

: >live.log
rm -f ready
"$VIGIL" --config ioc.yaml watch --ready-file ready >wout.txt 2>werr.txt & pid=$!
wait_for 60 test -e ready || not_ok "watch did not become ready"
head -2 ioc.log >>live.log
printf '198.51.100.9 - - [29/Nov/2026:10:00:03 +0000] "GET /?q=<script>alert(1)</script>%s HTTP/1.1" 200 1 "-" "M"\n' \
	"$pad" >>live.log
stored() { sqlite3 ioc.db "select count(*) from alerts where rule_id = '$1' and source_ip = '$2'" 2>/dev/null; }
has() { [ "$(stored "$1" "$2")" = 1 ]; }
wait_for 60 has ioc.ip 203.0.113.7 && ok "watch: a listed address raises ioc.ip" ||
	not_ok "watch: no ioc.ip alert stored"
wait_for 60 has ioc.domain 192.0.2.20 && ok "watch: a listed domain raises ioc.domain" ||
	not_ok "watch: no ioc.domain alert stored"
# 198.51.100.9 is also inside the listed /24
wait_for 60 has http.xss.script_tag 198.51.100.9 &&
	ok "watch: the kept part of a line over max_line is matched" ||
	not_ok "watch: the cut line's attack was not seen"
wait_for 60 has log.line_too_long 198.51.100.9 && ok "watch: the cut is an alert" ||
	not_ok "watch: no log.line_too_long alert"
kill -TERM "$pid"; wait "$pid"
ERR=$(cat werr.txt)
expect_clean_stderr "watch: no sanitizer report"

finish
