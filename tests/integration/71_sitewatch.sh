#!/bin/bash
# Website watch from outside against a local web server: the first check is the
# baseline; a hidden spam link, an off-screen link and an injected JS redirect are
# found; a problem already reported is not alerted twice; a defaced page and a
# site that is down are found; a changed DNS answer (an /etc/hosts override in a
# private mount namespace) is a hijack alert; and `vigil watch` runs the same checks
# on its own thread: the alert reaches the store, an incident and a webhook, the
# thread survives a reload (SIGHUP) and ends with the daemon.
source "$SRCDIR/tests/lib.sh"

cd "$TMP"
mkdir www
page() {	# page EXTRA_HTML: the portal's page with EXTRA_HTML in its body
	cat >www/index.html <<HTML
<!DOCTYPE html>
<html><head><title>City portal 门户</title>
<style>.friend{position:absolute; left:-9999px; top:0}</style></head>
<body><h1>Welcome to the city portal</h1>
<p>News, public services and notices for residents. Office hours, contacts and the
weekly bulletin of the city council. 欢迎访问本市门户网站，办事指南与通知公告。</p>
<a href="/news.html">News</a> <a href="https://gov.example.org/">Government</a>
$1
</body></html>
HTML
}
page ""
python3 -u -m http.server 0 --bind 127.0.0.1 --directory www >http.log 2>&1 & web=$!
trap 'kill $web $tlsweb ${rpid:-} ${wpid:-} 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
port_known() { grep -qE 'port [0-9]+' http.log; }
wait_for 60 port_known
PORT=$(grep -oE 'port [0-9]+' http.log | head -1 | cut -d' ' -f2)
cat >c.yaml <<YAML
store: {path: $TMP/a.db}
sitewatch:
  sites:
    - {url: "http://127.0.0.1:$PORT/", name: portal}
YAML
V() { "$VIGIL" --config c.yaml "$@"; }
alerts_of() { sqlite3 "$1" "select count(*) from alerts where rule_id = '$2'"; }

run V assets watch --once
expect_rc "a healthy site is rc 0" 0
expect_match "the first check is the baseline" out '^OK +portal +HTTP 200 .*baseline created'

page '<div class="friend"><a href="http://www.casino-royal.example/">澳门葡京 百家乐 真人娱乐</a></div>
<span style="DISPLAY : none"><a href="http://pharma.example.net/">cheap pills</a></span>
<script>if (document.referrer.indexOf("baidu") > -1) { window.location.href = "http://jump.example.net/"; }</script>'
run V assets watch --once
expect_rc "an infected page is rc 1" 1
expect_match "a spam link hidden off-screen by a class is found" out 'critical site\.spam_link .*hidden from visitors'
expect_match "with its address and keyword" out 'hidden link http://www\.casino-royal\.example/ .*keyword'
expect_match "a link hidden by display:none is found" out 'critical site\.hidden_link .*1 new hidden link'
expect_match "the JS redirect is found" out 'critical site\.redirect_injected'
expect_eq "each finding is an alert in the store" "$(alerts_of a.db site.spam_link)$(alerts_of a.db site.hidden_link)$(alerts_of a.db site.redirect_injected)" 111
run V assets watch --once
expect_match "a problem seen before is marked (still)" out 'site\.spam_link .*\(still\)'
expect_eq "and raises no second alert" "$(alerts_of a.db site.spam_link)" 1

echo '<html><head><title>HACKED</title></head><body><h1>Hacked by Team X</h1><p>Your security is zero. Greetz.</p></body></html>' >www/index.html
run V --json assets watch --once
expect_rc "a defaced page is rc 1" 1
python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); f=[x for x in r["findings"] if x["rule"]=="site.defaced"]; assert f and f[0]["severity"]=="critical" and "HACKED" in f[0]["evidence"], r' <<<"$OUT" &&
	ok "the defacement is critical, with the new title" || not_ok "the defacement is critical, with the new title"
expect_eq "the defacement is an alert" "$(alerts_of a.db site.defaced)" 1

page ""
run V assets watch --once
expect_rc "the page restored is healthy again" 0
kill $web; wait $web 2>/dev/null
run V assets watch --once
expect_rc "a site that is down is rc 1" 1
expect_match "down is a finding" out 'high +site\.down .*site down'

# DNS: portal.vigil-test resolves through /etc/hosts, overridden in a private mount
# namespace; between the checks the answer moves (a hijacked A record).
python3 -u -m http.server 0 --bind 127.0.0.1 --directory www >http2.log 2>&1 & web=$!
port2_known() { grep -qE 'port [0-9]+' http2.log; }
wait_for 60 port2_known
PORT=$(grep -oE 'port [0-9]+' http2.log | head -1 | cut -d' ' -f2)
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	cat >d.yaml <<YAML
store: {path: $TMP/d.db}
sitewatch:
  sites:
    - {url: "http://portal.vigil-test:$PORT/", name: portal}
YAML
	{ cat /etc/hosts; echo "127.0.0.1 portal.vigil-test"; } >hosts1
	{ cat /etc/hosts; echo "127.0.0.9 portal.vigil-test"; } >hosts2
	in_ns() { unshare -m sh -c 'mount --bind "$1" /etc/hosts && shift && exec "$@"' sh "$@"; }
	run in_ns hosts1 "$VIGIL" --config d.yaml assets watch --once
	expect_match "the name resolves and the baseline records its answer" out 'baseline created'
	run in_ns hosts2 "$VIGIL" --config d.yaml assets watch --once
	expect_match "a changed A record is a hijack alert" out 'high +site\.dns_changed .*A/AAAA answers changed'
	expect_match "naming both answers" out 'was \["127\.0\.0\.1"\], now \["127\.0\.0\.9"\]'
else
	skip "the name resolves and the baseline records its answer" "needs root and unshare -m"
	skip "a changed A record is a hijack alert" "needs root and unshare -m"
	skip "naming both answers" "needs root and unshare -m"
fi

# TLS: a certificate of a private CA that expires in 3 days
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 3 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
cat >tls.py <<'PY'
import http.server, ssl, sys
s = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); c.load_cert_chain(sys.argv[1], sys.argv[2])
s.socket = c.wrap_socket(s.socket, server_side=True)
print("port", s.server_address[1], flush=True)
s.serve_forever()
PY
(cd www && exec python3 -u ../tls.py "$TMP/cert.pem" "$TMP/key.pem") >tls.log 2>&1 & tlsweb=$!
tls_port_known() { grep -qE 'port [0-9]+' tls.log; }
wait_for 60 tls_port_known
TPORT=$(grep -oE 'port [0-9]+' tls.log | head -1 | cut -d' ' -f2)
cat >t.yaml <<YAML
store: {path: $TMP/t.db}
sitewatch:
  sites:
    - {url: "https://127.0.0.1:$TPORT/", name: untrusted}
    - {url: "https://127.0.0.1:$TPORT/index.html", name: private-ca, ca_file: $TMP/cert.pem}
YAML
run "$VIGIL" --config t.yaml assets watch --once
expect_match "a certificate no trusted CA signed does not verify" out 'high +site\.tls_invalid +untrusted: certificate does not verify'
expect_match "the page behind it is still checked (baseline)" out 'FAIL untrusted .*HTTP 200 .*baseline created'
expect_match "a certificate expiring in 3 days is a warning" out 'medium +site\.tls_expiring +private-ca: certificate expires soon'
expect_no_match "the private CA verifies with ca_file" out 'tls_invalid +private-ca'
kill $tlsweb; wait $tlsweb 2>/dev/null

# vigil watch: the same checks on the daemon's thread, through the one alert path
python3 "$SRCDIR/tests/helpers/notify_receiver.py" --port-file rport --log recv.log & rpid=$!
wait_for 60 test -s rport
cat >w.yaml <<YAML
store: {path: $TMP/w.db}
sitewatch:
  interval: 10s
  sites:
    - {url: "http://127.0.0.1:$PORT/", name: portal}
notify:
  interval: 1s
  channels:
    - {name: hook, type: webhook, url: "http://127.0.0.1:$(cat rport)/hook"}
  routes:
    - {min_severity: medium, kinds: [incident], channels: [hook]}
YAML
page ""
run "$VIGIL" --config w.yaml assets watch --once
expect_rc "the daemon's baseline" 0
echo '<html><head><title>0wned</title></head><body>Defaced by nobody in particular, see you</body></html>' >www/index.html
# one rule: a reload recompiles the rules, which takes minutes for the full set
# under ASan on a loaded machine
cat >mini.yaml <<'YAML'
rules:
  - id: test.sitewatch.marker
    title: Marker
    severity: high
    category: test
    fields: [url]
    patterns:
      - regex: 'sitewatch-marker-5e1d'
YAML
"$VIGIL" -v --config w.yaml watch --rules mini.yaml --ready-file wready >wout.txt 2>werr.txt & wpid=$!
if wait_for 60 test -e wready; then ok "watch starts with only sitewatch.sites configured"; else
	not_ok "watch starts with only sitewatch.sites configured"; head -5 werr.txt; fi
defaced_stored() { [ "$(alerts_of w.db site.defaced 2>/dev/null)" = 1 ]; }
if wait_for 60 defaced_stored; then ok "watch raises the defacement alert"; else
	not_ok "watch raises the defacement alert"; head -5 werr.txt; fi
incident_of() { sqlite3 w.db "select count(*) from incidents where rule_id = 'site.defaced'" 2>/dev/null; }
incident_filed() { [ "$(incident_of)" = 1 ]; }
wait_for 60 incident_filed && ok "the alert is filed into an incident" ||
	not_ok "the alert is filed into an incident ($(incident_of))"
notified() { grep -q '"key": "incident-[0-9]*-new@hook"' recv.log 2>/dev/null; }
wait_for 60 notified && ok "and the incident is notified" || not_ok "and the incident is notified"
# a reload keeps the thread: the page comes back (a healthy check), is defaced again
# (a new problem: a second alert)
kill -HUP $wpid
reloaded() { grep -q 'watch: reloaded' werr.txt; }
wait_for 300 reloaded && ok "watch reloads" || not_ok "watch reloads"
page ""
T0=$(date +%s)000000
checks_ok() { sqlite3 w.db "select count(*) from site_checks where ok = 1 and at > $T0" 2>/dev/null; }
healthy_again() { [ "$(checks_ok)" -ge 1 ]; }
wait_for 60 healthy_again && ok "after the reload the thread checks again" ||
	not_ok "after the reload the thread checks again"
echo '<html><head><title>0wned again</title></head><body>Defaced a second time, see you</body></html>' >www/index.html
defaced_twice() { [ "$(alerts_of w.db site.defaced 2>/dev/null)" = 2 ]; }
wait_for 60 defaced_twice && ok "a second defacement after the reload is a second alert" ||
	not_ok "a second defacement after the reload is a second alert ($(alerts_of w.db site.defaced))"
kill -TERM $wpid; wait $wpid; rc=$?; wpid=
expect_eq "watch stops cleanly on SIGTERM, its thread joined" "$rc" 0
OUT=$(cat wout.txt) ERR=$(cat werr.txt)
expect_match "watch printed the alert" out 'site\.defaced'
expect_match "and logged the website watch at start" err 'website watch: 1 sites every 10s'
expect_clean_stderr "watch with sitewatch runs clean"

exit $T_FAILED
