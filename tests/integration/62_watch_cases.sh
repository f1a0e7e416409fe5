#!/bin/bash
# The duty workflow inside `vigil watch`: an attack appended to a watched log
# becomes an alert, the alert an incident (cases sink + loop timer), and the
# incident a webhook notification (sender thread), with no other process running.
source "$SRCDIR/tests/lib.sh"

cd "$TMP"
python3 "$SRCDIR/tests/helpers/notify_receiver.py" --port-file port --log recv.log & rpid=$!
trap 'kill $rpid 2>/dev/null; [ -n "${wpid:-}" ] && kill $wpid 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 1 600); do [ -s port ] && break; sleep 0.1; done
: >access.log
cat >w.yaml <<YAML
store: {path: $TMP/w.db}
monitor:
  rules: $SRCDIR/rules
  sources:
    - {name: web, path: $TMP/access.log, format: combined}
notify:
  interval: 1s
  channels:
    - {name: hook, type: webhook, url: "http://127.0.0.1:$(cat port)/hook"}
  routes:
    - {min_severity: medium, kinds: [incident], channels: [hook]}
YAML
"$VIGIL" --config w.yaml watch --ready-file ready >watch.out 2>watch.err & wpid=$!
for _ in $(seq 1 1200); do [ -e ready ] && break; sleep 0.05; done
[ -e ready ] && ok "watch starts with the cases sink" || not_ok "watch did not start: $(cat watch.err)"
echo '203.0.113.50 - - [29/Nov/2026:10:00:00 +0000] "GET /item.php?id=1%27%20union%20select%201,2-- HTTP/1.1" 200 5 "-" "Mozilla/5.0"' >>access.log
got=0
for _ in $(seq 1 600); do	# 60 s
	got=$(grep -c '"key": "incident-[0-9]*-new@hook"' recv.log 2>/dev/null || true)
	[ "${got:-0}" -ge 1 ] && break
	sleep 0.1
done
[ "${got:-0}" -ge 1 ] && ok "the attack reached the webhook as an incident" ||
	not_ok "no incident notification (got $got)"
run sqlite3 w.db "select source_ip || ' ' || state from incidents"
expect_match "the incident is in the store" out '^203.0.113.50 new$'
kill "$wpid"; wait "$wpid"; RC=$?; wpid=
expect_eq "watch stops cleanly with the sender thread" "$RC" 0
ERR=$(cat watch.err)
expect_clean_stderr "no sanitizer reports"
finish
