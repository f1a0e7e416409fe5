#!/bin/bash
# vigil watch as a systemd service: sd_notify over $NOTIFY_SOCKET (READY=1 once
# protected, RELOADING=1 / READY=1 around a reload, STOPPING=1), SIGHUP reloading the
# rules and IOC lists without losing state (an open alert keeps counting), a broken
# rule set refused while the old one keeps working, and the journal's <N> prefixes.
source "$SRCDIR/tests/lib.sh"

cd "$TMP"
: >access.log
: >bad.txt
mkdir -p rules/http	# one rule file keeps the compiles short under ASan
cp "$SRCDIR/rules/http/sqli.yaml" rules/http/
cat >w.yaml <<YAML
store: {path: $TMP/w.db}
log: {level: info}
monitor:
  rules: $TMP/rules
  rules_cache: $TMP/cache
  ioc_files: [$TMP/bad.txt]
  sources:
    - {name: web, path: $TMP/access.log, format: combined}
YAML

# A stand-in for systemd's notify socket: every datagram, one line per field.
python3 - "$TMP/notify.sock" "$TMP/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as out:
    while True:
        out.write(s.recv(4096).decode() + "\n")
        out.flush()
PY
npid=$!
trap 'kill $npid $pid 2>/dev/null; rm -rf "$TMP"' EXIT
wait_for 60 test -S notify.sock || not_ok "notify socket stand-in did not start"

# READY=1 waits are long: the rules compile from scratch (a cache of their own, so a
# reload really recompiles), which an ASan build on a loaded machine takes minutes for.

line() {	# line IP PATH: one request in the combined format
	echo "$1 - - [24/Nov/2026:10:00:00 +0000] \"GET $2 HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0\""
}
count() { sqlite3 w.db "select coalesce(sum(count), 0) from alerts where rule_id = '$1'" 2>/dev/null || echo 0; }
rows() { sqlite3 w.db "select count(*) from alerts where rule_id = '$1'" 2>/dev/null || echo 0; }
has_count() { [ "$(count "$1")" -ge "$2" ]; }
notes() { local n; n=$(grep -c "^$1\$" notify.log 2>/dev/null); echo "${n:-0}"; }
has_notes() { [ "$(notes "$1")" -ge "$2" ]; }

NOTIFY_SOCKET=$TMP/notify.sock "$VIGIL" --config w.yaml watch >out.txt 2>err.txt & pid=$!
wait_for 300 has_notes READY=1 1 && ok "READY=1 reaches \$NOTIFY_SOCKET once watch is ready" ||
	not_ok "no READY=1 (notify log: $(tr '\n' ' ' <notify.log))"

line 198.18.0.1 "/item.php?id=1%27%20union%20select%201,2--" >>access.log
line 198.18.0.1 "/x?reload-marker-7f3a" >>access.log
wait_for 60 has_count http.sqli.union 1 || not_ok "the first attack was not stored"
expect_eq "a rule not yet in the rule set raises nothing" "$(count test.reload.marker)" 0

# New rule and a new IOC, then SIGHUP: both apply, the open alert keeps counting.
cat >rules/http/zz_marker.yaml <<'YAML'
rules:
  - id: test.reload.marker
    title: Reload marker
    severity: high
    category: test
    fields: [url]
    patterns:
      - regex: 'reload-marker-7f3a'
YAML
echo 203.0.113.77 >bad.txt
kill -HUP "$pid"
wait_for 300 has_notes READY=1 2 && ok "RELOADING=1 then READY=1 around a reload" ||
	not_ok "no second READY=1 (notify log: $(tr '\n' ' ' <notify.log))"
grep -q '^RELOADING=1$' notify.log && grep -q '^MONOTONIC_USEC=[0-9]' notify.log &&
	ok "RELOADING=1 carries MONOTONIC_USEC" || not_ok "no RELOADING=1 with MONOTONIC_USEC"
line 198.18.0.1 "/x?reload-marker-7f3a" >>access.log
line 198.18.0.1 "/item.php?id=1%27%20union%20select%201,2--" >>access.log
line 203.0.113.77 "/index.html" >>access.log
wait_for 60 has_count test.reload.marker 1 && ok "a rule added before SIGHUP matches after it" ||
	not_ok "the new rule did not match after the reload"
wait_for 60 has_count ioc.ip 1 && ok "an IOC added before SIGHUP matches after it" ||
	not_ok "the new IOC did not match after the reload"
wait_for 60 has_count http.sqli.union 2 && ok "the open alert keeps counting across a reload" ||
	not_ok "sqli count $(count http.sqli.union) after the reload"
expect_eq "no second alert for the same attack (state kept)" "$(rows http.sqli.union)" 1
grep -q 'watch: reloaded: [0-9]* rules' err.txt && ok "the reload is logged" ||
	not_ok "no 'reloaded' log line"

# A broken rule set is refused; the rules in use keep working.
echo 'rules: [ {id: broken' >rules/http/zz_broken.yaml
kill -HUP "$pid"
wait_for 300 has_notes READY=1 3 || not_ok "no READY=1 after the failed reload"
wait_for 60 grep -q 'reload failed' err.txt && ok "a broken rule set is reported" ||
	not_ok "no 'reload failed' in the log"
line 198.18.0.2 "/x?reload-marker-7f3a" >>access.log
wait_for 60 has_count test.reload.marker 2 && ok "after a failed reload the rules in use still match" ||
	not_ok "marker count $(count test.reload.marker) after the failed reload"
kill -0 "$pid" 2>/dev/null && ok "watch survives a failed reload" || not_ok "watch died"

kill -TERM "$pid"
wait "$pid"; rc=$?
expect_eq "SIGTERM stops cleanly" "$rc" 0
wait_for 60 has_notes STOPPING=1 1 && ok "STOPPING=1 on the way out" || not_ok "no STOPPING=1"
ERR=$(cat err.txt)
expect_clean_stderr "watch: no sanitizer report"

# Under systemd stderr is the journal's stream ($JOURNAL_STREAM = its device:inode):
# each line then opens with its syslog priority; elsewhere it does not.
: >journal.txt	# appended to below, so it keeps the identity named in the variable
JOURNAL_STREAM=$(stat -c '%d:%i' journal.txt) "$VIGIL" -v scan-log /dev/null 2>>journal.txt
grep -Eq '^<6>vigil: info: ' journal.txt && ok "journal stream: log lines carry their <N> priority" ||
	not_ok "journal stream: no <6> prefix in: $(head -c 300 journal.txt)"
run env JOURNAL_STREAM=1:1 "$VIGIL" -v scan-log /dev/null
expect_match "without the journal: plain lines" err '^vigil: info: '
expect_no_match "an inherited JOURNAL_STREAM naming another file adds nothing" err '^<[0-7]>'
kill $npid 2>/dev/null
finish
