#!/bin/bash
# Notifications against local receivers: every channel type (webhook, DingTalk
# signed URL, Feishu signed body, WeCom, Slack, SMTP, local command) delivers
# with its idempotency key; a receiver that is down loses nothing; a sender
# killed with SIGKILL mid-send and restarted delivers every message (duplicates
# carry the same key, so the receiver drops them).
source "$SRCDIR/tests/lib.sh"

cd "$TMP"
H=$SRCDIR/tests/helpers
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

wait_port() {	# wait_port FILE: until the receiver wrote its port (60 s)
	for _ in $(seq 1 600); do [ -s "$1" ] && return 0; sleep 0.1; done
	return 1
}
python3 "$H/notify_receiver.py" --port-file p1 --log r1.log --down-file "$TMP/down" & pids+=($!)
python3 "$H/notify_receiver.py" --port-file p2 --log r2.log --delay 0.3 & pids+=($!)
python3 "$H/smtp_sink.py" --port-file p3 --log mail.log & pids+=($!)
wait_port p1 && wait_port p2 && wait_port p3 || { not_ok "receivers did not start"; finish; }
P1=$(cat p1) P2=$(cat p2) P3=$(cat p3)
cat >cmd.sh <<'SH'
printf '%s ' "$VIGIL_IDEMPOTENCY_KEY" >>"$(dirname "$0")/cmd.log"
cat >>"$(dirname "$0")/cmd.log"
echo >>"$(dirname "$0")/cmd.log"
SH
cat >n.yaml <<YAML
store: {path: $TMP/n.db}
monitor: {rules: $SRCDIR/rules}
notify:
  interval: 1s
  max_backoff: 1s
  channels:
    - {name: hook, type: webhook, url: "http://127.0.0.1:$P1/hook", rate: 0}
    - {name: ding, type: dingtalk, url: "http://127.0.0.1:$P1/robot/send?access_token=t",
       secret: SECtest, language: zh}
    - {name: lark, type: feishu, url: "http://127.0.0.1:$P1/lark", secret: larksecret}
    - {name: wx, type: wecom, url: "http://127.0.0.1:$P1/wx?key=k", language: zh}
    - {name: sl, type: slack, url: "http://127.0.0.1:$P1/slack"}
    - {name: mail, type: smtp, url: "smtp://127.0.0.1:$P3", mail_from: vigil@example.org,
       mail_to: [soc@example.org]}
    - {name: cmd, type: command, command: [/bin/sh, $TMP/cmd.sh]}
    - {name: slow, type: webhook, url: "http://127.0.0.1:$P2/slow", rate: 0, timeout: 5s}
  routes:
    - {min_severity: medium, kinds: [incident, escalation],
       channels: [hook, ding, lark, wx, sl, mail, cmd], to_duty: true}
YAML
V() { "$VIGIL" --config n.yaml "$@"; }
line() { echo "$1 - - [29/Nov/2026:10:00:01 +0000] \"GET /item.php?id=1%27%20union%20select%201,2-- HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0\""; }
{ line 203.0.113.7; line 198.51.100.9; } >a.log
"$VIGIL" --config n.yaml scan-log --store n.db a.log >/dev/null 2>&1
V duty add --person alice --contact alice@example.org --from -1h --to +1h >/dev/null
run V incident sync
expect_match "two incidents filed" out '^2 alerts filed'
run V --json notify stats
expect_match "each incident is queued once per routed channel" out '"pending":14'
run V notify flush --wait 60s
expect_match "flush delivers everything" out '^14 sent, 0 failed attempts, 0 folded into digests, 0 pending'

count() { python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(sum(1 for r in rows if r["path"] == sys.argv[2]))' "$@"; }
for p in /hook /robot/send /lark /wx /slack; do
	expect_eq "channel $p received both incidents" "$(count r1.log $p)" 2
done
run python3 - r1.log <<'PY'
import base64, hashlib, hmac, json, sys, urllib.parse
rows = [json.loads(l) for l in open(sys.argv[1])]
def sign(key, msg):
    return base64.b64encode(hmac.new(key.encode(), msg.encode(), hashlib.sha256).digest()).decode()
for r in rows:
    b = json.loads(r["body"])
    assert r["key"] and r["key"].endswith("@" + {"/hook": "hook", "/robot/send": "ding",
        "/lark": "lark", "/wx": "wx", "/slack": "sl"}[r["path"]]), r["key"]
    if r["path"] == "/robot/send":
        q = urllib.parse.parse_qs(r["query"])
        ts = q["timestamp"][0]
        assert q["sign"][0] == sign("SECtest", ts + "\nSECtest"), "dingtalk sign"
        assert b["msgtype"] == "text" and "安全事件" in b["text"]["content"], b
        assert b["at"]["atMobiles"] == ["alice@example.org"], b
    elif r["path"] == "/lark":
        assert b["sign"] == sign(b["timestamp"] + "\nlarksecret", ""), "feishu sign"
        assert b["msg_type"] == "text" and "Incident #" in b["content"]["text"]
    elif r["path"] == "/wx":
        assert b["msgtype"] == "text" and "【高危】安全事件" in b["text"]["content"], b
    elif r["path"] == "/slack":
        assert b["text"].startswith("[high] Incident #"), b
    else:
        assert b["idempotency_key"] == r["key"] and b["data"]["state"] == "new", b
        assert b["contact"] == "alice@example.org", b
print("checked", len(rows))
PY
expect_match "robot payloads, signatures and keys are right" out '^checked 10'
run python3 - mail.log <<'PY'
import base64, email, json, sys
for l in open(sys.argv[1]):
    m = json.loads(l)
    msg = email.message_from_string(m["data"])
    subj = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
    assert subj.startswith("[high] Incident #"), subj
    assert msg["X-Vigil-Idempotency-Key"].endswith("@mail")
    assert "<alice@example.org>" in m["to"], m["to"]
print("mails", sum(1 for _ in open(sys.argv[1])))
PY
expect_match "mail has the subject, key and on-duty recipient" out '^mails 2'
run grep -c '@cmd {"idempotency_key"' cmd.log
expect_eq "command got the key and the JSON on stdin" "$OUT" 2

# A receiver that is down: messages wait and retry; none lost once it is back.
touch down
for i in $(seq 1 20); do V notify test hook -m "outage $i" >/dev/null; done
"$VIGIL" --config n.yaml notify run 2>run1.err & sender=$!; pids+=($sender)
failing=0
for _ in $(seq 1 600); do
	failing=$(sqlite3 n.db "select count(*) from outbox where channel = 'hook' and state = 'pending' and attempts >= 2")
	[ "$failing" -ge 20 ] && break
	sleep 0.1
done
expect_eq "while the receiver is down all 20 are retried, none dropped" "$failing" 20
rm -f down
got=0
for _ in $(seq 1 600); do
	got=$(grep -c '"key": "test-' r1.log)
	[ "$got" -ge 20 ] && break
	sleep 0.1
done
expect_eq "after the outage every message arrives" "$got" 20
expect_eq "each exactly once" "$(grep -o '"key": "test-[^"]*' r1.log | sort -u | wc -l)" 20
kill "$sender"; wait "$sender" 2>/dev/null

# SIGKILL of the sender mid-send, then a restart: none lost, repeats share a key.
for i in $(seq 1 30); do V notify test slow -m "crash $i" >/dev/null; done
"$VIGIL" --config n.yaml notify run 2>run2.err & sender=$!
for _ in $(seq 1 1200); do	# 60 s
	[ "$(wc -l <r2.log)" -ge 5 ] && break
	sleep 0.05
done
kill -9 "$sender"; wait "$sender" 2>/dev/null
before=$(wc -l <r2.log)
pending=$(sqlite3 n.db "select count(*) from outbox where channel = 'slow' and state = 'pending'")
[ "$before" -ge 5 ] && [ "$pending" -gt 0 ] && [ "$((before + pending))" -le 31 ] && ok "killed mid-send: $before delivered, $pending pending" ||
	not_ok "kill did not land mid-send ($before delivered, $pending pending)"
"$VIGIL" --config n.yaml notify run 2>run3.err & sender=$!; pids+=($sender)
sent=0
for _ in $(seq 1 900); do	# the lease of the killed attempt runs out after 15 s
	sent=$(sqlite3 n.db "select count(*) from outbox where channel = 'slow' and state = 'sent'")
	[ "$sent" -ge 30 ] && break
	sleep 0.1
done
expect_eq "after restart the outbox records all 30 as sent" "$sent" 30
distinct=$(grep -o '"key": "test-[^"]*@slow' r2.log | sort -u | wc -l)
expect_eq "the receiver has every message (distinct keys)" "$distinct" 30
total=$(wc -l <r2.log)
echo "# slow receiver: $total deliveries for 30 keys ($((total - 30)) repeats after SIGKILL)"
[ "$total" -le 31 ] && ok "at most the in-flight message is repeated" || not_ok "$total deliveries for 30 keys"
kill "$sender"; wait "$sender" 2>/dev/null
ERR=$(cat run1.err run3.err)
expect_clean_stderr "no sanitizer reports from the sender"
finish
