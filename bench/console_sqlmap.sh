#!/bin/bash
# sqlmap against the console's API on loopback, logged in as an admin (the session
# cookie and the CSRF header passed along): every query argument of the list routes
# and every field of the JSON bodies that reach SQL (incident steps, notices, notice
# import, duty roster). The route {id}s only accept digits, so they are not targets.
# Prints one line per target and ends "N targets, N injectable"; exits 1 if sqlmap
# calls anything injectable.
# usage: bench/console_sqlmap.sh [VIGIL]   (needs sqlmap, curl)
# LEVEL/RISK (default 3/2) are sqlmap's --level/--risk.
set -euo pipefail
cd "$(dirname "$0")/.."
VIGIL=${1:-${BUILD:-build}/vigil}
LEVEL=${LEVEL:-3}
RISK=${RISK:-2}
for t in sqlmap curl; do command -v $t >/dev/null || { echo "console_sqlmap: $t missing"; exit 0; }; done
work=$(mktemp -d /tmp/vigil-sqlmap.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

cat >"$work/v.yaml" <<YAML
store: {path: $work/v.db}
monitor: {rules: $PWD/rules}
console: {listen: 127.0.0.1, port: 0}
YAML
V() { "$VIGIL" --config "$work/v.yaml" -q "$@"; }
for ip in 203.0.113.7 198.51.100.23 192.0.2.5 192.0.2.6; do
	printf '%s - - [29/Nov/2026:22:00:00 +0000] "GET /index.php?id=1%%27%%20UNION%%20SELECT%%20password%%20FROM%%20users-- HTTP/1.1" 200 512 "-" "Mozilla/5.0"\n' "$ip"
done >"$work/a.log"
V scan-log --store "$work/v.db" "$work/a.log" >/dev/null || true
V incident sync >/dev/null
[ "$(V --json incident list | grep -o '"id":' | wc -l)" -ge 2 ] || { echo "console_sqlmap: no incidents to test on"; exit 1; }
echo sqlmap-password-1 | V user add bench --role admin --password-stdin
"$VIGIL" --config "$work/v.yaml" -q serve --ready-file "$work/ready" &
pid=$!
for _ in $(seq 1200); do [ -s "$work/ready" ] && break; sleep 0.1; done
port=$(sed -n 2p "$work/ready")
B=http://127.0.0.1:$port
login=$(curl -s -D "$work/h" -H 'Content-Type: application/json' \
	-d '{"user":"bench","password":"sqlmap-password-1"}' "$B/api/session")
tok=$(sed -n 's/^Set-Cookie: vigil_session=\([^;]*\);.*/\1/p' "$work/h" | tr -d '\r')
csrf=$(sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' <<<"$login")
[ -n "$tok" ] && [ -n "$csrf" ] || { echo "console_sqlmap: cannot log in"; exit 1; }

targets=0 hits=0
# sm NAME PARAMS URL [sqlmap args...]
sm() {
	local name=$1 params=$2 url=$3 out
	shift 3
	targets=$((targets + 1))
	out=$(sqlmap -u "$url" -p "$params" --cookie="vigil_session=$tok" \
		--headers="X-CSRF-Token: $csrf" --batch --level "$LEVEL" --risk "$RISK" \
		--technique=BEUST --time-sec 2 --threads 4 --flush-session --disable-coloring \
		--output-dir="$work/out" "$@" 2>&1) || true
	if grep -Eqi 'is vulnerable|appears to be .*injectable|sqlmap identified the following injection' <<<"$out" &&
	   ! grep -q 'do not appear to be injectable' <<<"$out"; then
		hits=$((hits + 1))
		printf '%-46s INJECTABLE\n' "$name"
		grep -Ei 'injectable|Parameter:|Type:' <<<"$out" | head -10 | sed 's/^/    /'
	elif grep -q 'do not appear to be injectable' <<<"$out"; then
		printf '%-46s not injectable\n' "$name"
	else
		printf '%-46s sqlmap did not finish a verdict\n' "$name"
		tail -5 <<<"$out" | sed 's/^/    /'
		hits=$((hits + 1))	# no verdict is not a pass
	fi
}
j='application/json'
echo "== sqlmap $(sqlmap --version 2>/dev/null | head -1) --level $LEVEL --risk $RISK against $B (load $(cut -d' ' -f1 /proc/loadavg))"
sm "GET /api/alerts (source, severity, before, limit)" "source,severity,before,limit" \
	"$B/api/alerts?source=203.0.113.7&severity=1&before=100&limit=5"
sm "GET /api/incidents (state, severity, before, limit)" "state,severity,before,limit" \
	"$B/api/incidents?state=new&severity=1&before=100&limit=5"
sm "GET /api/notices (all)" "all" "$B/api/notices?all=1"
sm "GET /api/audit (before, limit)" "before,limit" "$B/api/audit?before=100&limit=5"
sm "GET /api/overview (minutes)" "minutes" "$B/api/overview?minutes=30"
sm "POST /api/notices (JSON fields)" "kind,ref,title,asset,severity,owner,issuer,detail" \
	"$B/api/notices" --data '{"kind":"asset","ref":"R1","title":"t","asset":"a","severity":"high","owner":"o","issuer":"i","detail":"d"}' \
	--headers="X-CSRF-Token: $csrf
Content-Type: $j"
sm "POST /api/notices/import (text)" "text" "$B/api/notices/import" \
	--data '{"text":"kind,ref,title,asset\nasset,X1,t,a\n"}' --headers="X-CSRF-Token: $csrf
Content-Type: $j"
sm "POST /api/incidents/1/ack (comment)" "comment" "$B/api/incidents/1/ack" \
	--data '{"comment":"c"}' --headers="X-CSRF-Token: $csrf
Content-Type: $j"
sm "POST /api/incidents/2/verify (verdict, comment)" "verdict,comment" "$B/api/incidents/2/verify" \
	--data '{"verdict":"tp","comment":"c"}' --headers="X-CSRF-Token: $csrf
Content-Type: $j"
sm "POST /api/duty/handover (to, note)" "to,note" "$B/api/duty/handover" \
	--data '{"to":"bob","note":"n"}' --headers="X-CSRF-Token: $csrf
Content-Type: $j"
# Last: its failed logins lock the address out (429), which sqlmap must read as
# "no difference", not as an error.
sm "POST /api/session (user, password)" "user,password" "$B/api/session" \
	--data '{"user":"bench","password":"sqlmap-password-1"}' --headers="Content-Type: $j" \
	--ignore-code=401,429
echo "$targets targets, $hits injectable or without a verdict"
[ "$hits" -eq 0 ]
