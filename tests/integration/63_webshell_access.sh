#!/bin/bash
# webshell.accessed end to end (issue 11): a real nginx serves a guarded web root and
# writes the access log that `watch` follows. A script dropped into the root while
# watch runs, then requested (GET and POST), raises webshell.accessed linking the file
# event and the log line; so does a request for a webshell watch quarantined; a
# request for a script of the baseline does not. After a restart, the file is still
# remembered (from the store).
source "$SRCDIR/tests/lib.sh"
trap '[ -f "$TMP/nginx/nginx.pid" ] && kill "$(cat "$TMP/nginx/nginx.pid")" 2>/dev/null
	[ -n "${wpid:-}" ] && kill "$wpid" 2>/dev/null; rm -rf "$TMP"' EXIT

if ! command -v nginx >/dev/null || ! command -v curl >/dev/null; then
	skip "webshell.accessed with nginx" "needs nginx and curl"
	finish
fi
cd "$TMP"
mkdir -p www/blog nginx
echo '<html><body>home</body></html>' >www/index.html
printf '<?php\necho "baseline page";\n' >www/blog/old.php
: >access.log

# nginx on 127.0.0.1 at a port free at run time (retried: another test may take it)
start_nginx() {
	for _ in 1 2 3 4 5; do
		PORT=$(python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		cat >nginx/nginx.conf <<NGX
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log;
events { worker_connections 64; }
http {
	access_log $TMP/access.log combined;
	client_body_temp_path $TMP/nginx/body;
	proxy_temp_path $TMP/nginx/proxy;
	fastcgi_temp_path $TMP/nginx/fastcgi;
	uwsgi_temp_path $TMP/nginx/uwsgi;
	scgi_temp_path $TMP/nginx/scgi;
	server {
		listen 127.0.0.1:$PORT;
		root $TMP/www;
		location / { try_files \$uri \$uri/ =404; }
	}
}
NGX
		nginx -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" 2>>nginx/start.log && return 0
	done
	return 1
}
chmod 755 "$TMP" www www/blog
start_nginx || { not_ok "nginx did not start: $(cat nginx/start.log nginx/error.log)"; finish; }

cat >w.yaml <<YAML
store: {path: $TMP/w.db}
log: {level: info}
monitor:
  sources:
    - {name: site-log, path: $TMP/access.log, format: combined}
webroots:
  - name: site
    path: $TMP/www
    policy: alert
    url_prefix: /
    access_logs: [site-log]
protect: {backup_dir: $TMP/backup, quarantine_dir: $TMP/vault, debounce_ms: 20}
YAML
run "$VIGIL" --config w.yaml backup create
expect_rc "baseline of the web root" 0

start_watch() {
	rm -f ready
	"$VIGIL" --config w.yaml --json watch --ready-file ready >>wout.json 2>>werr.txt & wpid=$!
	wait_for 60 test -e ready
}
stop_watch() {
	kill -TERM "$wpid"
	wait "$wpid"
	wpid=
}
get() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
start_watch || { not_ok "watch not ready: $(cat werr.txt)"; finish; }

# A request for a script of the baseline is ordinary traffic.
expect_eq "nginx serves the baseline script" "$(get "http://127.0.0.1:$PORT/blog/old.php")" 200
# A new script dropped while watch runs: reported, then requested.
printf '<?php\n/* a page nobody published */\necho "new";\n' >www/blog/new.php
chmod 644 www/blog/new.php
wait_for 60 grep -q 'blog/new.php' wout.json && ok "the dropped script is reported" ||
	not_ok "no file event: $(cat wout.json)"
expect_eq "nginx serves the dropped script" \
	"$(get -H 'Referer: http://127.0.0.1/' "http://127.0.0.1:$PORT/blog/new.php?q=1")" 200
code=$(get --path-as-is -X POST --data 'c=aWQ7dW5hbWUgLWE7Y2F0IC9ldGMvcGFzc3dk' \
	"http://127.0.0.1:$PORT/blog//./new.php/extra?z=ZXZhbChiYXNlNjRfZGVjb2RlKCRfUE9TVFsneCddKSk7")
ok "POST to the dropped script answered $code"
wait_for 60 grep -q 'webshell.accessed' wout.json
line=$(grep 'webshell.accessed' wout.json | grep 'new.php' | head -1)
[ -n "$line" ] && ok "webshell.accessed raised for the dropped script" ||
	not_ok "no webshell.accessed: $(cat wout.json)"
OUT=$line
expect_match "the alert names the file path, its root and the file event" out \
	"$TMP/www/blog/new.php \\(site; [0-9TZ:.-]+ new script[^;]*; file alert #[0-9]+\\) GET"

# A webshell watch quarantines: a request for it is still linked (it answers 404).
cp "$SRCDIR/tests/webshell/samples/php/chopper.php" www/blog/up.php
wait_for 60 test ! -e www/blog/up.php && ok "dropped webshell quarantined" || not_ok "up.php left"
expect_eq "nginx answers 404 for the quarantined shell" \
	"$(get -X POST --data 'x=1' "http://127.0.0.1:$PORT/blog/up.php")" 404
wait_for 60 grep -q 'webshell.accessed.*up.php\|up.php.*webshell.accessed' wout.json
OUT=$(grep 'webshell.accessed' wout.json | grep 'up.php' | head -1)
expect_match "request for the quarantined webshell is linked to its verdict" out \
	"blog/up.php \\(site; [^)]*malicious [^)]*quarantined; file alert #[0-9]+\\) POST"
expect_match "a POST for a malicious script is critical" out '"severity":"critical"|"severity":4'
stop_watch

# The store holds the alert with the log lines as evidence: the GET and the POST.
run "$VIGIL" --config w.yaml alerts --rule webshell.accessed --json
expect_rc "alerts --rule webshell.accessed" 0
expect_match "stored alert names the dropped file" out "blog/new.php"
expect_no_match "no alert for the baseline script" out "old.php"
id=$(grep 'new.php' <<<"$OUT" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
run "$VIGIL" --config w.yaml alerts show "$id"
expect_match "evidence holds the GET log line" out '"GET /blog/new.php\?q=1 HTTP/1.1" 200'
expect_match "evidence holds the POST log line" out '"POST /blog//./new.php/extra\?z=[^ ]* HTTP/1.1"'

# A restart remembers the dropped script from the store: a new request is linked.
n0=$(grep 'webshell.accessed' wout.json | grep -c 'new.php')
start_watch || { not_ok "watch restart not ready: $(cat werr.txt)"; finish; }
grep -q 'scripts created since the baseline remembered from the store' werr.txt &&
	ok "restart rebuilds the set from the store" || not_ok "no rebuild: $(cat werr.txt)"
get "http://127.0.0.1:$PORT/blog/old.php" >/dev/null
get -A 'curl/after-restart' "http://127.0.0.1:$PORT/blog/new.php" >/dev/null
opened() { [ "$(grep 'webshell.accessed' wout.json | grep -c 'new.php')" -gt "$n0" ]; }
wait_for 60 opened && ok "after the restart a request for the dropped script is linked" ||
	not_ok "no webshell.accessed after the restart: $(tail -5 wout.json)"
stop_watch
run "$VIGIL" --config w.yaml alerts --rule webshell.accessed --json
expect_no_match "still no alert for the baseline script after the restart" out "old.php"
ERR=$(cat werr.txt)
expect_clean_stderr "watch: no sanitizer report"
finish
