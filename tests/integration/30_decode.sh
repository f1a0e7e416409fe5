#!/bin/bash
# `vigil decode` drives the monitor's decoders end to end: each format on real-looking
# lines, bad input kept as decode_error with the raw line, long lines truncated and
# flagged, terminal escapes neutralised, and the exit codes.
source "$SRCDIR/tests/lib.sh"

cat >"$TMP/access.log" <<'LOG'
203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] "GET /search?q=it's+a+select HTTP/1.1" 200 512 "-" "Mozilla/5.0 \"quoted\""
2001:db8::7 - bob [10/Oct/2000:13:55:37 -0700] "POST /login HTTP/1.1" 401 - "https://example.org/" "-"
LOG
run "$VIGIL" decode --json --format combined "$TMP/access.log"
expect_rc "combined log decodes cleanly" 0
expect_match "client address is source.ip" out '"source":\{"ip":"203\.0\.113\.9"\}'
expect_match "IPv6 client is source.ip" out '"ip":"2001:db8::7"'
expect_match "escaped quotes in the agent are undone" out '"user_agent":\{"original":"Mozilla/5\.0 \\"quoted\\""\}'
expect_match "url.original keeps the query" out "\"url\":\\{\"original\":\"/search\\?q=it's\\+a\\+select\"\\}"
expect_match "status code is decoded" out '"status_code":401'
expect_clean_stderr "combined: no sanitizer report"

printf '%s\n' 'h.example 192.0.2.1 [2024-03-01T04:00:00+00:00] "GET / HTTP/2.0" 204' >"$TMP/custom.log"
run "$VIGIL" decode --json --log-format '$host $remote_addr [$time_iso8601] "$request" $status' "$TMP/custom.log"
expect_rc "nginx log_format decodes" 0
expect_match "log_format time becomes @timestamp" out '"@timestamp":"2024-03-01T04:00:00\.000Z"'
expect_match "log_format \$host becomes host.name" out '"host":\{"name":"h\.example"\}'

run "$VIGIL" decode --log-format 'no variables' "$TMP/custom.log"
expect_rc "a log_format without variables is a usage error" 2
expect_match "the error says why" err 'no \$variables'

run "$VIGIL" decode --format w3c "$TMP/custom.log"
expect_rc "an unknown format is a usage error" 2
expect_match "the error names the format" err "unknown log format 'w3c'"

printf '%s\n' 'Oct 10 13:55:36 web1 sshd[4242]: Failed password for invalid user admin from 198.51.100.23 port 52144 ssh2' \
	'Accepted publickey for deploy from 192.0.2.8 port 40022 ssh2: ED25519 SHA256:abc' >"$TMP/auth.log"
run "$VIGIL" decode --json --format sshd "$TMP/auth.log"
expect_rc "sshd lines decode" 0
expect_match "failed login is an authentication event with its outcome" out \
	'"category":"authentication","action":"Failed password"'
expect_match "the message stays whole, as sshd wrote it" out \
	'"message":"Failed password for invalid user admin from 198\.51\.100\.23 port 52144 ssh2"'
expect_match "attacker address and user are extracted" out '"ip":"198\.51\.100\.23","port":52144'
expect_match "sshd -E style line is understood" out '"action":"Accepted publickey"'

# bad input: binary garbage, invalid UTF-8, a 1 MB line, a last line without newline
{
	head -c 300 /dev/urandom | tr -d '\n{<'
	printf '\n\xff\xfe not a log line\n'
	head -c 1048576 /dev/zero | tr '\0' 'A'
	printf '\n1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /cut'
} >"$TMP/bad.log"
printf 'monitor:\n  max_line: 64k\n' >"$TMP/vigil.yaml"
run "$VIGIL" --config "$TMP/vigil.yaml" decode --json "$TMP/bad.log"
expect_rc "decode errors give exit 1" 1
expect_eq "every line produces exactly one event" "$(grep -c '"kind":"event"' <<<"$OUT")" 4
expect_match "bad lines are decode_error events" out '"category":"decode_error"'
expect_match "decode errors say why" out '"error":\{"message":"auto: '
expect_match "the raw line is kept (invalid UTF-8 made valid JSON)" out '"original":"\\ufffd\\ufffd not a log line"|"original":"�� not a log line"'
expect_match "the 1 MB line is truncated and flagged" out '"truncated":true'
expect_clean_stderr "bad input: no sanitizer report"

printf '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /\033[2J HTTP/1.1" 200 1 "-" "-"\n' >"$TMP/esc.log"
run "$VIGIL" decode "$TMP/esc.log"
expect_rc "text output of an escape-laden line" 0
expect_match "control bytes are shown as \\xNN" out 'url\.original=/\\x1b\[2J'

run "$VIGIL" decode "$TMP/does-not-exist.log"
expect_rc "a missing file is a runtime error" 3
expect_match "the error names the file" err 'does-not-exist\.log: No such file'

run "$VIGIL" decode --help
expect_rc "help exits 0" 0
expect_match "help lists the formats" out 'sshd +OpenSSH lines'
finish
