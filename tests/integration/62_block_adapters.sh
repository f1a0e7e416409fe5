#!/bin/bash
# Blocking without the host firewall: the command adapter runs an argv (no shell)
# per target, the webhook adapter POSTs JSON from a worker thread, and the nginx
# adapter rewrites a deny file that a real nginx includes, so a blocked client gets
# 403 while others are served; expired entries leave the file.
source "$SRCDIR/tests/lib.sh"
source "$SRCDIR/tests/netns.sh"
trap 'kill $hook 2>/dev/null; nginx_stop; netns_cleanup; rm -rf "$TMP"' EXIT

if ! netns_usable || ! command -v nginx >/dev/null || ! command -v curl >/dev/null; then
	skip "block adapters" "needs root, ip, nft, nginx, curl and netns"
	finish
fi
netns_setup || { not_ok "namespace setup"; finish; }
cd "$TMP"
PORT=$((20000 + $$ % 20000))
: >deny.conf
nginx_start $PORT "include $TMP/deny.conf;" || { not_ok "nginx did not start: $(cat nginx/error.log)"; finish; }

# Webhook receiver: appends each POST body to hook.log.
cat >hook.py <<'PY'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with open(sys.argv[2], "ab") as f:
            f.write(body + b"\n")
        self.send_response(204); self.end_headers()
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_address[1]))
s.serve_forever()
PY
# ip netns exec execs python3, so $! is the receiver itself (a function would fork a
# subshell, and killing that leaves the receiver holding the test's output open).
ip netns exec $NS_SRV python3 hook.py hook.port hook.log & hook=$!
poll_until 60 test -s hook.port || { not_ok "webhook receiver did not start"; finish; }

cat >a.yaml <<YAML
store: {path: $TMP/a.db}
block:
  adapters: [command, webhook, nginx]
  command_add: [python3, -c, "import sys; open(sys.argv[1], 'a').write(sys.argv[2] + ' ' + sys.argv[3] + '\\\\n')", $TMP/cmd.log, "{}", "{timeout}"]
  command_del: [python3, -c, "import sys; open(sys.argv[1], 'a').write('del ' + sys.argv[2] + '\\\\n')", $TMP/cmd.log, "{}"]
  webhook_url: http://127.0.0.1:$(cat hook.port)/block
  nginx_deny_file: $TMP/deny.conf
  nginx_reload: [nginx, -c, $TMP/nginx/nginx.conf, -s, reload]
YAML
V() { in_srv "$VIGIL" --config a.yaml "$@"; }
code() { ip netns exec "$1" curl -s -m 5 -o /dev/null -w '%{http_code}' "http://$2:$PORT/"; }
is_code() { [ "$(code "$1" "$2")" = "$3" ]; }

expect_eq "the attacker is served before the block" "$(code $NS_ATK $SRV_IP)" 200
run V block add $ATK_IP --for 1h
expect_rc "block add through command, webhook and nginx exits 0" 0
expect_clean_stderr "adapters run clean under sanitizers"
poll_until 60 grep -q "^$ATK_IP 3600\$" cmd.log && ok "the command ran with target and timeout" ||
	not_ok "command log: $(cat cmd.log 2>/dev/null)"
poll_until 60 grep -q "\"action\":\"add\",\"entries\":\[{\"target\":\"$ATK_IP\",\"timeout\":3600}\]" hook.log &&
	ok "the webhook received the block as JSON" || not_ok "webhook log: $(cat hook.log 2>/dev/null)"
grep -q "^deny $ATK_IP; # expires" deny.conf && ok "the deny file names the attacker" ||
	not_ok "deny file: $(cat deny.conf)"
[ "$(stat -c %a deny.conf)" = 600 ] && ok "the deny file is 0600" || not_ok "deny file mode $(stat -c %a deny.conf)"
poll_until 60 is_code $NS_ATK $SRV_IP 403 && ok "nginx answers the blocked client 403" ||
	not_ok "blocked client got $(code $NS_ATK $SRV_IP)"
expect_eq "other clients are still served" "$(code $NS_OK $SRV_IP2)" 200

# A second vigil process keeps what the first wrote, and expiry leaves the file.
run V block add 198.51.100.0/24 --for 2s
grep -q "^deny $ATK_IP;" deny.conf && grep -q "^deny 198.51.100.0/24;" deny.conf &&
	ok "a later vigil process keeps earlier entries" || not_ok "deny file: $(cat deny.conf)"
run V block del $ATK_IP
poll_until 60 grep -q "^del $ATK_IP\$" cmd.log && ok "del runs command_del" || not_ok "no del command"
poll_until 60 is_code $NS_ATK $SRV_IP 200 && ok "del lifts the nginx block" || not_ok "still 403"
poll_until 60 grep -q '"action":"del"' hook.log && ok "the webhook hears the del" || not_ok "no del POST"
finish
