#!/bin/bash
# What watch does by itself shows up on the incident: a defaced page it restores and
# a webshell it quarantines are linked to the incidents their alerts were filed into
# (`incident show` and the console's incident detail list them). The console inside
# watch reports the daemon from its heartbeat: running, since when, the web root
# guarded.
source "$SRCDIR/tests/lib.sh"

cd "$TMP"
mkdir -p www
echo '<html><body>Official notice</body></html>' >www/index.html
: >access.log
cat >w.yaml <<YAML
store: {path: $TMP/w.db}
monitor:
  rules: $SRCDIR/rules
  sources:
    - {name: web, path: $TMP/access.log, format: combined}
webroots:
  - {name: site, path: $TMP/www, policy: restore}
protect: {backup_dir: $TMP/backup, quarantine_dir: $TMP/vault}
notify: {interval: 1s}
console: {enabled: true, listen: 127.0.0.1, port: 0}
YAML
V() { "$VIGIL" --config w.yaml "$@"; }
run V backup create
expect_rc "baseline for the web root" 0
echo 'pw-viewer-123456' | V -q user add viewer --role viewer --password-stdin

"$VIGIL" --config w.yaml -v watch --ready-file ready >watch.out 2>watch.err & wpid=$!
trap 'kill $wpid 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
wait_for 60 test -e ready && ok "watch starts with a web root and the console" ||
	not_ok "watch did not start: $(head -5 watch.err)"

echo '<h1>hacked by nobody</h1>' >www/index.html
wait_for 60 grep -q 'Official notice' www/index.html && ok "the defaced page is restored" ||
	not_ok "index.html not restored"
cp "$SRCDIR/tests/webshell/samples/php/chopper.php" www/shell.php
wait_for 60 test ! -e www/shell.php && ok "the webshell is quarantined" || not_ok "shell.php left"

# incident_with KIND: the id of an incident one of whose actions is KIND
incident_with() {
	sqlite3 w.db "SELECT incident_id FROM incident_actions WHERE kind = '$1' LIMIT 1" 2>/dev/null | grep .
}
wait_for 60 incident_with restore >/dev/null && ok "the restore is linked to an incident" ||
	not_ok "no incident lists the restore: $(sqlite3 w.db 'select id, kind, alert_id from actions' 2>&1)"
wait_for 60 incident_with quarantine >/dev/null && ok "the quarantine is linked to an incident" ||
	not_ok "no incident lists the quarantine"
rid=$(incident_with restore)
run V incident show "$rid"
expect_match "incident show lists the restore with who did it" out '^  action restore on .*www/index\.html by fimwatch: done'
expect_match "the link is in the incident's history" out ' vigil|fimwatch +action '
qid=$(incident_with quarantine)
run V --json incident show "$qid"
expect_match "the quarantine names the file and where it went" out '"kind":"quarantine","target":"[^"]*shell\.php"'
run sqlite3 w.db "SELECT (SELECT count(*) FROM incident_actions) || ' ' || (SELECT count(*) FROM actions)"
expect_match "each action is linked once" out '^([2-9]) \1$'

PORT=$(sed -n 's|.*console on https\{0,1\}://[^:]*:\([0-9]*\)/.*|\1|p' watch.err | head -1)
B=http://127.0.0.1:$PORT
curl -s -c jar -o /dev/null -H 'Content-Type: application/json' \
	-d '{"user":"viewer","password":"pw-viewer-123456"}' "$B/api/session"
daemon_running() {
	curl -s -b jar "$B/api/overview" >ov.json &&
		python3 -c 'import json,sys; d=json.load(open("ov.json"))["daemon"]; sys.exit(0 if d["running"] and d["webroots"][0]["guarded"] and d["started_at"] else 1)'
}
wait_for 60 daemon_running && ok "the overview says watch runs and guards the web root" ||
	not_ok "overview daemon status: $(cat ov.json | head -c 600)"
curl -s -b jar "$B/api/incidents/$rid" >inc.json
grep -q '"kind":"restore"' inc.json && ok "the console's incident detail lists the restore" ||
	not_ok "incident detail without the restore: $(head -c 400 inc.json)"

kill -TERM "$wpid"; wait "$wpid"; RC=$?; wpid=
expect_eq "watch stops cleanly" "$RC" 0
ERR=$(cat watch.err)
expect_clean_stderr "no sanitizer reports"
finish
