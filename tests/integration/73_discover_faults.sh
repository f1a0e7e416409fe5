#!/bin/bash
# vigil discover's known faults, on loopback in a private network namespace
# (unshare -n: nothing named, nothing left behind, its nftables table goes with it):
# SIGINT (Ctrl-C) and SIGTERM close the scan's record as "interrupted" and keep
# what was found (never a record "running" for ever); a port whose SYNs get an ICMP
# unreachable (nftables reject: admin prohibited, port unreachable) is "filtered
# (unreachable)" for the SYN engine, as connect() reports it, not a time-out.
source "$SRCDIR/tests/lib.sh"

if ! need_root || ! unshare -n true 2>/dev/null || ! command -v nft >/dev/null ||
	! command -v sqlite3 >/dev/null; then
	skip "discover faults in a private namespace" "needs root, unshare -n, nft, sqlite3"
	finish
fi
cd "$TMP"
trap 'kill ${nspid:-} 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT

# The namespace lives as long as this holder; the scans run inside it through
# nsenter. Open ports 1234 and 5678; 3000 rejected as admin prohibited, 3001 as
# port unreachable.
cat >holder.py <<'PY'
import socket, sys, time
ss = []
for p in (1234, 5678):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", p)); s.listen(1024); ss.append(s)
open(sys.argv[1], "w").write("up\n")
while True: time.sleep(60)
PY
unshare -n sh -c 'ip link set lo up && nft -f - <<NFT && exec python3 holder.py up
table inet vigil_faults_$$ {
	chain in {
		type filter hook input priority 0;
		tcp dport 3000 reject with icmpx type admin-prohibited
		tcp dport 3001 reject with icmp type port-unreachable
	}
}
NFT' >ns.log 2>&1 & nspid=$!
if ! wait_for 60 test -s up; then
	not_ok "namespace set-up: $(cat ns.log)"
	finish
fi
NS() { nsenter -t "$nspid" -n "$@"; }
# SIGINT reaches a background job of a script only if its disposition is restored;
# a command, not a function, so that $! is the scanner itself (exec all the way)
INTABLE=(python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])')
scans() { sqlite3 "$1" "select status from scans" 2>/dev/null; }
kept() { sqlite3 "$1" "select count(*) from scan_services where port in (1234, 5678) and state = 'open'" 2>/dev/null; }
open_seen() { grep -q '"state":"open"' "$1" 2>/dev/null; }

# A slow sweep (500 probes/s over 30,000 ports: a minute), stopped once it found
# an open port.
for engine in connect syn; do
	sig=INT
	[ $engine = syn ] && sig=TERM
	"${INTABLE[@]}" nsenter -t "$nspid" -n "$VIGIL" discover --json --no-progress --engine $engine --rate 500 \
		--no-identify --store "$TMP/$engine.db" -p 1-30000 127.0.0.1 \
		>"$engine.out" 2>"$engine.err" & pid=$!
	if wait_for 60 open_seen "$engine.out"; then
		kill -$sig $pid
	else
		not_ok "$engine: no open port seen: $(head -3 "$engine.err")"
	fi
	wait $pid; rc=$?
	expect_eq "$engine: SIG$sig ends discover with 130" "$rc" 130
	expect_eq "$engine: the scan is recorded as interrupted, not running" \
		"$(scans "$TMP/$engine.db")" interrupted
	expect_eq "$engine: what it printed is kept" \
		"$(kept "$TMP/$engine.db")" "$(grep -c '"state":"open"' "$engine.out")"
	OUT=$(cat "$engine.out") ERR=$(cat "$engine.err")
	expect_match "$engine: it says so" err 'interrupted: what was found is kept'
	expect_clean_stderr "$engine: no sanitizer reports"
done

# ICMP unreachables: filtered with that reason, by both engines alike
for engine in connect syn; do
	run NS "$VIGIL" discover --json --all --no-progress --no-identify --no-store \
		--engine $engine -p 1234,3000,3001 127.0.0.1
	expect_rc "$engine: the small scan exits 0" 0
	expect_match "$engine: admin prohibited is filtered (unreachable)" out \
		'"port":3000,"proto":"tcp","state":"filtered","reason":"unreachable"'
	expect_match "$engine: the open port is open" out '"port":1234,"proto":"tcp","state":"open"'
	expect_clean_stderr "$engine: no sanitizer reports"
done
# connect() takes a port unreachable for a refused connection (ECONNREFUSED); a
# SYN scan reads the ICMP itself and, as nmap -sS, calls it filtered
run NS "$VIGIL" discover --json --all --no-progress --no-identify --no-store \
	--engine syn -p 3001 127.0.0.1
expect_match "syn: port unreachable is filtered (unreachable)" out \
	'"port":3001,"proto":"tcp","state":"filtered","reason":"unreachable"'
finish
