#!/bin/bash
# vigil watch: live detection from a tailed log into the store, rotation, and exact
# resume after SIGKILL (no alert lost, none repeated).
source "$SRCDIR/tests/lib.sh"

cd "$TMP"
: >access.log
cat >w.yaml <<YAML
store: {path: $TMP/w.db}
monitor:
  rules: $SRCDIR/rules
  sources:
    - {name: web, path: $TMP/access.log, format: combined}
YAML

attack() {	# attack N: one SQL injection from a distinct address
	echo "198.18.$(($1 / 250)).$(($1 % 250 + 1)) - - [24/Nov/2026:10:00:00 +0000] \"GET /item.php?id=1%27%20union%20select%20$1,2-- HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0\""
}
alerts() { sqlite3 w.db "select count(*) from alerts where rule_id = 'http.sqli.union'" 2>/dev/null || echo 0; }
distinct() { sqlite3 w.db "select count(distinct source_ip) from alerts where rule_id = 'http.sqli.union'"; }
has_alerts() { [ "$(alerts)" -ge "$1" ]; }
wait_alerts() { wait_for 60 has_alerts "$1"; }	# until N SQLi alerts are stored
start() {
	rm -f ready
	"$VIGIL" --config w.yaml --json watch --ready-file ready >>out.json 2>>err.txt & pid=$!
	wait_for 60 test -e ready
}

start
for i in $(seq 1 20); do attack "$i" >>access.log; done
wait_alerts 20 && ok "20 attacks appended while watching are stored" || not_ok "stored $(alerts) of 20"
grep -q '"state": *"open"' out.json && ok "alerts are reported live as they open" ||
	not_ok "no live alert on stdout"

# Rotation: rename, then a new file; lines written to both are seen once.
mv access.log access.log.1
attack 21 >>access.log.1
attack 22 >access.log
wait_alerts 22 && ok "lines around a rename rotation are detected" || not_ok "after rotation $(alerts) of 22"

# Hard kill, lines written while down, restart: every attack exactly once.
sleep 0.3
kill -9 "$pid"; wait "$pid" 2>/dev/null
for i in $(seq 23 60); do attack "$i" >>access.log; done
start
wait_alerts 60 && ok "lines written while vigil was down are read after restart" ||
	not_ok "after restart $(alerts) of 60"
sleep 1
expect_eq "no alert repeated after SIGKILL + restart" "$(alerts)" 60
expect_eq "one alert per attacking address" "$(distinct)" 60

# Garbage and a huge line do not stop the daemon.
head -c 100000 /dev/urandom >>access.log; echo >>access.log
printf 'y%.0s' $(seq 1 300000) >>access.log; echo >>access.log
attack 61 >>access.log
wait_alerts 61 && ok "watch keeps detecting after garbage and a huge line" || not_ok "stalled at $(alerts)"
kill -0 "$pid" 2>/dev/null && ok "daemon still running" || not_ok "daemon died"

kill -TERM "$pid"; wait "$pid"; rc=$?
expect_eq "SIGTERM stops cleanly" "$rc" 0
grep -q '"state": *"closed"' out.json && ok "open alerts are closed on shutdown" ||
	not_ok "no closed alerts on shutdown"
ERR=$(cat err.txt)
expect_clean_stderr "watch: no sanitizer report"

# Web roots in the same daemon: a tampered page is put back with what was injected,
# a dropped webshell is quarantined.
mkdir -p www
echo '<html><body>Official notice</body></html>' >www/index.html
cat >g.yaml <<YAML
store: {path: $TMP/g.db}
webroots:
  - {name: site, path: $TMP/www, policy: restore}
protect: {backup_dir: $TMP/backup, quarantine_dir: $TMP/vault}
YAML
run "$VIGIL" --config g.yaml backup create
expect_rc "baseline for the web root" 0
rm -f ready
"$VIGIL" --config g.yaml watch --ready-file ready >gout.txt 2>gerr.txt & gpid=$!
wait_for 60 test -e ready
echo '<a style="display:none" href="http://casino.example/">casino</a>' >>www/index.html
cp "$SRCDIR/tests/webshell/samples/php/chopper.php" www/shell.php
guarded() { grep -q 'Official' www/index.html && ! grep -q casino www/index.html && [ ! -e www/shell.php ]; }
wait_for 60 guarded
expect_eq "tampered page restored" "$(cat www/index.html)" '<html><body>Official notice</body></html>'
[ ! -e www/shell.php ] && ok "dropped webshell removed from the web root" || not_ok "webshell still there"
# the report is flushed at the end of the batch that moved the file: poll for it
wait_for 60 grep -q 'WEBSHELL malicious.*shell.php.*quarantined' gout.txt && ok "webshell reported as quarantined" ||
	not_ok "no webshell line: $(cat gout.txt)"
grep -q 'injected: hidden link' gout.txt && ok "the alert says what was injected" || not_ok "no injection analysis"
expect_eq "webshell alert stored" "$(sqlite3 g.db "select count(*) from alerts where rule_id = 'webshell.detected' and severity = 4")" 1
kill -TERM "$gpid"; wait "$gpid"
ERR=$(cat gerr.txt)
expect_clean_stderr "watch with web roots: no sanitizer report"

# Syslog: sshd lines from a device over UDP -> brute force, then success after failures.
port=$((20000 + RANDOM % 20000))
cat >s.yaml <<YAML
store: {path: $TMP/s.db}
monitor:
  rules: $SRCDIR/rules
  syslog: udp://127.0.0.1:$port
YAML
rm -f ready
"$VIGIL" --config s.yaml watch --ready-file ready >sout.txt 2>serr.txt & spid=$!
wait_for 60 test -e ready
for i in $(seq 1 12); do
	echo "<38>Nov 24 10:00:$((10 + i)) bastion sshd[4242]: Failed password for root from 203.0.113.200 port $((40000 + i)) ssh2" >/dev/udp/127.0.0.1/$port
	sleep 0.01
done
echo "<38>Nov 24 10:00:30 bastion sshd[4242]: Accepted password for root from 203.0.113.200 port 40100 ssh2" >/dev/udp/127.0.0.1/$port
success_alerted() { [ "$(sqlite3 s.db "select count(*) from alerts where rule_id like 'auth.%success%'" 2>/dev/null)" = 1 ]; }
wait_for 60 success_alerted
expect_eq "SSH brute force over syslog alerted" "$(sqlite3 s.db "select count(*) from alerts where rule_id = 'auth.bruteforce' and source_ip = '203.0.113.200'")" 1
expect_eq "login success after failures alerted" "$(sqlite3 s.db "select count(*) from alerts where rule_id = 'auth.success_after_failures' and severity = 4")" 1
kill -TERM "$spid"; wait "$spid"
ERR=$(cat serr.txt)
expect_clean_stderr "watch with syslog: no sanitizer report"

run "$VIGIL" watch
expect_rc "watch without sources is a usage error" 2
expect_match "says what is missing" err 'nothing to watch'
finish
