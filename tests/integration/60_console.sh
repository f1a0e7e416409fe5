#!/bin/bash
# The web console end to end: `vigil user` accounts, `vigil serve` on a free port,
# the JSON API's refusals (401 without a session, 403 without the CSRF token or
# for a viewer, 429 after repeated failures), the live feed receiving an alert
# written by another process, then the browser tests in tests/browser/ (headless
# Chromium via playwright-core) when they are installed.
. "$(dirname "$0")/../lib.sh"
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}

cat >"$TMP/vigil.yaml" <<YAML
store:
  path: $TMP/vigil.db
console:
  listen: 127.0.0.1
  port: 0
YAML
V() { "$VIGIL" --config "$TMP/vigil.yaml" "$@"; }

# Alerts from three sources against two sites.
site1=$TMP/www.example.gov.cn.log site2=$TMP/mail.example.gov.cn.log
for ip in 203.0.113.7 203.0.113.7 198.51.100.23; do
	printf '%s - - [29/Nov/2026:22:00:00 +0000] "GET /index.php?id=1%%27%%20UNION%%20SELECT%%20password%%20FROM%%20users-- HTTP/1.1" 200 512 "-" "sqlmap/1.7"\n' "$ip" >>"$site1"
done
printf '192.0.2.55 - - [29/Nov/2026:22:00:01 +0000] "GET /../../etc/passwd HTTP/1.1" 404 12 "-" "curl/8"\n' >>"$site2"

run V user add admin --role admin
expect_rc "user add generates a password" 0
expect_match "the generated password is printed once" out 'password \(shown once\): [A-Za-z0-9]{20}$'
ADMIN_PW=$(grep -Eo '[A-Za-z0-9]{20}$' <<<"$OUT")
VIEWER_PW=viewer-password-1
run bash -c "echo '$VIEWER_PW' | '$VIGIL' --config '$TMP/vigil.yaml' user add viewer --role viewer --password-stdin"
expect_rc "user add --password-stdin" 0
run V user add admin
expect_rc "adding an existing user is refused" 2
run bash -c "echo short | '$VIGIL' --config '$TMP/vigil.yaml' user add shorty --password-stdin"
expect_rc "a too-short password is refused" 2
run V user add 'bad name'
expect_rc "an invalid user name is refused" 2
run V --json user list
expect_match "user list shows both users with roles" out '"name":"admin","role":"admin".*"name":"viewer","role":"viewer"'

"$VIGIL" --config "$TMP/vigil.yaml" serve --ready-file "$TMP/ready" 2>"$TMP/serve.err" &
serve_pid=$!
for _ in $(seq 600); do [ -s "$TMP/ready" ] && break; sleep 0.1; done
PORT=$(sed -n 2p "$TMP/ready" 2>/dev/null)
if [ -z "$PORT" ]; then
	not_ok "serve starts and writes its ready file"
	cat "$TMP/serve.err"
	kill "$serve_pid" 2>/dev/null
	finish
fi
ok "serve listens on a free port ($PORT)"
B=http://127.0.0.1:$PORT

# http METHOD PATH [curl args...]: status in $CODE, body in $BODY, headers in $HDRS.
http() {
	local m=$1 p=$2; shift 2
	CODE=$(curl -s -o "$TMP/.body" -D "$TMP/.hdrs" -w '%{http_code}' -X "$m" "$@" "$B$p")
	BODY=$(cat "$TMP/.body"); HDRS=$(cat "$TMP/.hdrs")
}
login_json() { printf '{"user":"%s","password":"%s"}' "$1" "$2"; }

http GET /api/overview
expect_eq "the API answers 401 without a session" "$CODE" 401
http GET /
expect_eq "the console page is served" "$CODE" 200
if grep -qi "^Content-Security-Policy: default-src 'none'" <<<"$HDRS"; then ok "pages carry a strict CSP"; else not_ok "pages carry a strict CSP"; fi
http GET /wall
expect_eq "the wall screen page is served" "$CODE" 200
http GET /../../etc/passwd --path-as-is
expect_eq "a path outside the assets is 404" "$CODE" 404
http POST /api/session -H 'Content-Type: text/plain' --data "$(login_json admin "$ADMIN_PW")"
expect_eq "a login that is not JSON is refused (415)" "$CODE" 415
http POST /api/session -H 'Content-Type: application/json' --data "$(login_json admin wrong-password-x)"
expect_eq "a wrong password gets 401" "$CODE" 401

http POST /api/session -c "$TMP/admin.jar" -H 'Content-Type: application/json' --data "$(login_json admin "$ADMIN_PW")"
expect_eq "admin logs in" "$CODE" 200
if grep -Eqi '^Set-Cookie: vigil_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict' <<<"$HDRS"; then
	ok "the session cookie is HttpOnly and SameSite=Strict"
else not_ok "the session cookie is HttpOnly and SameSite=Strict"; echo "# $HDRS"; fi
CSRF=$(sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' <<<"$BODY")
expect_eq "login returns a CSRF token" "${#CSRF}" 64
if sqlite3 "$TMP/vigil.db" 'SELECT id_hash FROM sessions' 2>/dev/null | grep -q "$(grep -o 'vigil_session.*' "$TMP/admin.jar" | awk '{print $2}')"; then
	not_ok "the store keeps only the session's hash"
else ok "the store keeps only the session's hash"; fi

http GET /api/overview -b "$TMP/admin.jar"
expect_eq "the overview answers with a session" "$CODE" 200
grep -q '"per_minute":' <<<"$BODY" && ok "the overview has alerts per minute" || not_ok "the overview has alerts per minute"
http GET '/api/alerts?limit=abc' -b "$TMP/admin.jar"
expect_eq "a bad argument is 400" "$CODE" 400
http GET "/api/alerts?source=1'%20OR%201=1--" -b "$TMP/admin.jar"
expect_eq "an injected source matches nothing" "$BODY" '{"alerts":[]}'
http GET /api/alerts/999999 -b "$TMP/admin.jar"
expect_eq "an unknown alert is 404" "$CODE" 404
http POST /api/session -b "$TMP/admin.jar" -H 'Content-Type: application/json' --data-binary @<(head -c 70000 /dev/zero | tr '\0' 'a')
expect_eq "a body over 64 KiB is refused (413)" "$CODE" 413
http DELETE /api/session -b "$TMP/admin.jar"
expect_eq "logout without the CSRF token is refused (403)" "$CODE" 403
# The right token with its last digit changed.
case $CSRF in *0) bad=${CSRF%?}1 ;; *) bad=${CSRF%?}0 ;; esac
http DELETE /api/session -b "$TMP/admin.jar" -H "X-CSRF-Token: $bad"
expect_eq "logout with a wrong CSRF token is refused (403)" "$CODE" 403

# The live feed: a stream opened now receives an alert another process writes.
curl -sN -b "$TMP/admin.jar" "$B/api/stream" >"$TMP/stream" 2>/dev/null &
stream_pid=$!
for _ in $(seq 600); do grep -q hello "$TMP/stream" && break; sleep 0.1; done
V -q scan-log --store "$TMP/vigil.db" "$site1" "$site2" >/dev/null 2>&1
for _ in $(seq 600); do grep -q '^event: alert' "$TMP/stream" && break; sleep 0.1; done
if grep -q '^event: alert' "$TMP/stream" && grep -q '"source_ip":"203.0.113.7"' "$TMP/stream"; then
	ok "the live feed pushes a new alert"
else not_ok "the live feed pushes a new alert"; head -c 600 "$TMP/stream"; fi
kill "$stream_pid" 2>/dev/null; wait "$stream_pid" 2>/dev/null
# The overview's in-memory counts take in what the live feed polled.
for _ in $(seq 600); do
	http GET /api/overview -b "$TMP/admin.jar"
	grep -q '"top_sources":\[{"ip":"203.0.113.7"' <<<"$BODY" && break
	sleep 0.1
done
grep -q '"top_sources":\[{"ip":"203.0.113.7"' <<<"$BODY" && grep -q '"per_minute":\[{"t":' <<<"$BODY" &&
	ok "the overview counts the new alerts (top source, per minute)" ||
	{ not_ok "the overview counts the new alerts (top source, per minute)"; echo "# ${BODY:0:400}"; }
http GET '/api/alerts?limit=2' -b "$TMP/admin.jar"
grep -q '"next_before":' <<<"$BODY" && ok "the alert list pages with next_before" || not_ok "the alert list pages with next_before"
id=$(grep -Eo '"id":[0-9]+' <<<"$BODY" | head -1 | cut -d: -f2)
http GET "/api/alerts/$id" -b "$TMP/admin.jar"
grep -q '"events":\[{"ts"' <<<"$BODY" && ok "an alert carries its evidence lines" || not_ok "an alert carries its evidence lines"

http POST /api/session -c "$TMP/viewer.jar" -H 'Content-Type: application/json' --data "$(login_json viewer "$VIEWER_PW")"
expect_eq "viewer logs in" "$CODE" 200
http GET /api/audit -b "$TMP/viewer.jar"
expect_eq "a viewer may not read the audit log (403)" "$CODE" 403
http GET /api/audit -b "$TMP/admin.jar"
grep -q '"action":"login"' <<<"$BODY" && grep -q '"action":"login.failed"' <<<"$BODY" &&
	ok "logins and failed logins are audited" || not_ok "logins and failed logins are audited"

# Browser tests (tests/browser): need node, Chromium and `npm ci` in tests/browser.
if command -v node >/dev/null && [ -x /usr/bin/chromium ] && [ -d "$SRCDIR/tests/browser/node_modules/playwright-core" ]; then
	mkdir -p "$TMP/shots"
	out=$(cd "$SRCDIR/tests/browser" && BASE=$B VIGIL=$VIGIL CONFIG=$TMP/vigil.yaml \
		STORE=$TMP/vigil.db ATTACK_LOG=$site1 ADMIN_PW=$ADMIN_PW VIEWER_PW=$VIEWER_PW SHOTS=$TMP/shots \
		timeout 600 node console.test.js 2>&1)
	rc=$?
	grep -E '^(not )?ok ' <<<"$out" | sed -E 's/^(not )?ok [0-9]+ - /\1ok - browser: /'
	[ $rc -eq 0 ] || { not_ok "browser tests exit 0 (exit $rc)"; grep -v -E '^(not )?ok |^1\.\.' <<<"$out" | head -20 | sed 's/^/# /'; }
	if [ -n "${VIGIL_SHOTS:-}" ]; then mkdir -p "$VIGIL_SHOTS" && cp "$TMP"/shots/*.png "$VIGIL_SHOTS"/; fi
else
	skip "browser tests" "node, /usr/bin/chromium or tests/browser/node_modules missing (scripts/install-deps test)"
fi

# A short fuzz pass of the handlers through the socket (tests/fuzz/http_fuzz.py):
# no 5xx, and the server still answers. Its wrong logins also trip the limiter.
tok=$(grep -o 'vigil_session.*' "$TMP/admin.jar" | awk '{print $2}')
run python3 "$SRCDIR/tests/fuzz/http_fuzz.py" "$PORT" "$tok" "$CSRF" "${HTTP_FUZZ_N:-1500}" "$$"
expect_rc "HTTP fuzz pass: no 5xx, server alive" 0
expect_match "HTTP fuzz pass reports its count" out 'requests, 0 answers 5xx'

# Last, because it locks 127.0.0.1 out of logging in for five minutes.
for _ in 1 2 3 4 5; do
	http POST /api/session -H 'Content-Type: application/json' --data "$(login_json admin wrong-password-x)"
done
http POST /api/session -H 'Content-Type: application/json' --data "$(login_json admin "$ADMIN_PW")"
expect_eq "after repeated failures even the right password waits (429)" "$CODE" 429
grep -qi '^Retry-After: [0-9]' <<<"$HDRS" && ok "429 says when to retry" || not_ok "429 says when to retry"

# passwd ends the user's sessions.
run bash -c "echo 'another-password-2' | '$VIGIL' --config '$TMP/vigil.yaml' user passwd admin --password-stdin"
expect_rc "user passwd" 0
http GET /api/overview -b "$TMP/admin.jar"
expect_eq "a password change ends the user's sessions" "$CODE" 401
run V user del nobody
expect_rc "deleting an unknown user is refused" 2

kill -TERM "$serve_pid"
wait "$serve_pid"
expect_eq "serve stops cleanly on SIGTERM" "$?" 0

# HTTPS when a certificate is configured; the cookie is then Secure too.
if command -v openssl >/dev/null; then
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
		-keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1
	cat >"$TMP/tls.yaml" <<YAML
store: {path: $TMP/vigil.db}
console: {listen: 127.0.0.1, port: 0, tls_cert: $TMP/cert.pem, tls_key: $TMP/key.pem}
YAML
	"$VIGIL" --config "$TMP/tls.yaml" serve --ready-file "$TMP/tls.ready" 2>"$TMP/tls.err" &
	tls_pid=$!
	for _ in $(seq 600); do [ -s "$TMP/tls.ready" ] && break; sleep 0.1; done
	expect_match_file() { grep -Eq "$2" "$3" && ok "$1" || { not_ok "$1"; head -5 "$3"; }; }
	expect_match_file "the ready file names an https URL" '^https://127\.0\.0\.1:[0-9]+/$' "$TMP/tls.ready"
	B=https://127.0.0.1:$(sed -n 2p "$TMP/tls.ready")
	http POST /api/session -k -H 'Content-Type: application/json' --data "$(login_json viewer "$VIEWER_PW")"
	expect_eq "viewer logs in over HTTPS" "$CODE" 200
	grep -Eqi '^Set-Cookie: vigil_session=.*; Secure' <<<"$HDRS" && ok "under TLS the cookie is Secure" ||
		not_ok "under TLS the cookie is Secure"
	grep -qi '^Strict-Transport-Security:' <<<"$HDRS" && ok "under TLS responses carry HSTS" ||
		not_ok "under TLS responses carry HSTS"
	kill -TERM "$tls_pid"; wait "$tls_pid"
	expect_eq "the HTTPS server stops cleanly" "$?" 0
	cat "$TMP/tls.err" >>"$TMP/serve.err"
else
	skip "HTTPS" "openssl not installed"
fi
# The console inside the daemon: watch with console.enabled serves the same API on
# its event loop while it detects; an attack line appended to a watched log shows up.
: >"$TMP/live.log"
cat >"$TMP/watch.yaml" <<YAML
store: {path: $TMP/vigil.db}
monitor:
  sources: [{path: $TMP/live.log, name: www.live.example, format: combined}]
console: {enabled: true, listen: 127.0.0.1, port: 0}
YAML
"$VIGIL" --config "$TMP/watch.yaml" -v watch --ready-file "$TMP/watch.ready" >/dev/null 2>"$TMP/watch.err" &
watch_pid=$!
for _ in $(seq 600); do [ -e "$TMP/watch.ready" ] && grep -q 'console on' "$TMP/watch.err" && break; sleep 0.1; done
WPORT=$(sed -n 's|.*console on https\{0,1\}://[^:]*:\([0-9]*\)/.*|\1|p' "$TMP/watch.err" | head -1)
if [ -n "$WPORT" ]; then
	ok "watch serves the console when console.enabled"
	B=http://127.0.0.1:$WPORT
	http POST /api/session -c "$TMP/w.jar" -H 'Content-Type: application/json' --data "$(login_json viewer "$VIEWER_PW")"
	expect_eq "a viewer logs in to the console inside watch" "$CODE" 200
	printf '198.51.100.99 - - [29/Nov/2026:22:00:00 +0000] "GET /index.php?id=1%%27%%20UNION%%20SELECT%%20password%%20FROM%%20users-- HTTP/1.1" 200 512 "-" "sqlmap/1.7"\n' >>"$TMP/live.log"
	found=
	for _ in $(seq 600); do
		http GET '/api/alerts?limit=5' -b "$TMP/w.jar"
		grep -q '"source_ip":"198.51.100.99"' <<<"$BODY" && { found=1; break; }
		sleep 0.1
	done
	[ -n "$found" ] && ok "an alert watch raises is in the console's list" ||
		not_ok "an alert watch raises is in the console's list"
else
	not_ok "watch serves the console when console.enabled"; head -20 "$TMP/watch.err"
fi
kill -TERM "$watch_pid"; wait "$watch_pid"
expect_eq "watch with the console stops cleanly" "$?" 0
cat "$TMP/watch.err" >>"$TMP/serve.err"

RC=0; OUT=""; ERR=$(cat "$TMP/serve.err")
expect_clean_stderr "serve: no sanitizer report"
finish
