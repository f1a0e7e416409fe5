#!/bin/bash
# vigil watch under a UDP syslog flood: what the kernel drops on a full receive
# buffer is counted (SO_RXQ_OVFL), logged with its number and reported by
# `vigil status`, so received + dropped = sent, exactly; as root the buffer is
# raised past net.core.rmem_max with SO_RCVBUFFORCE.
source "$SRCDIR/tests/lib.sh"
cd "$TMP"

# A free port: bind 0 and hand the number over; retried if something takes it first.
start() {
	local try
	for try in 1 2 3 4 5; do
		port=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		cat >s.yaml <<YAML
store: {path: $TMP/s.db}
monitor:
  rules: $SRCDIR/rules
  syslog: udp://127.0.0.1:$port
YAML
		rm -f ready
		"$VIGIL" -v --config s.yaml watch --ready-file ready >out.txt 2>err.txt & pid=$!
		wait_for 60 test -e ready && return 0
		wait "$pid"
	done
	return 1
}
start || { not_ok "watch did not start: $(cat err.txt)"; finish; }
trap 'kill -CONT "$pid" 2>/dev/null; kill -9 "$pid" 2>/dev/null; rm -rf "$TMP"' EXIT

if need_root; then
	bufline=$(grep -E "syslog: udp://127\.0\.0\.1:$port: receive buffer" err.txt)
	if grep -q '(SO_RCVBUFFORCE)' <<<"$bufline" &&
		[ "$(sed -nE 's/.*receive buffer ([0-9]+) bytes.*/\1/p' <<<"$bufline")" -ge $((8 << 20)) ]; then
		ok "as root the receive buffer is raised with SO_RCVBUFFORCE: ${bufline##*: }"
	else not_ok "receive buffer not forced as root: '$bufline'"; fi
else
	skip "SO_RCVBUFFORCE as root" "not root"
fi

# The flood: watch is stopped, so the buffer fills and the kernel drops the rest;
# paced so that only the socket buffer, not loopback's backlog, overflows.
sent=30000
kill -STOP "$pid"
python3 - "$port" "$sent" <<'PY'
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
pad = "x" * 900
for i in range(n):
    s.sendto(("<38>Nov 24 10:00:00 fw1 app[1]: flood %d %s" % (i, pad)).encode(), ("127.0.0.1", port))
    if i % 200 == 199:
        time.sleep(0.002)
PY
kill -CONT "$pid"
# /proc/net/udp: the socket's receive queue and the kernel's own drop count
proc_udp() {	# prints "QUEUED DROPS" for our port
	python3 - "$port" <<'PY'
import sys
port = "%04X" % int(sys.argv[1])
for line in open("/proc/net/udp").readlines()[1:]:
    f = line.split()
    if f[1].endswith(":" + port):
        print(int(f[4].split(":")[1], 16), f[-1])
        break
PY
}
drained() { read -r queued _ < <(proc_udp); [ "${queued:-1}" = 0 ]; }
wait_for 60 drained || not_ok "watch did not drain its receive queue"
# a last datagram into the empty queue carries the kernel's final count
echo "<38>Nov 24 10:00:01 fw1 app[1]: marker" >"/dev/udp/127.0.0.1/$port"
sent=$((sent + 1))
read -r _ kdrops < <(proc_udp)

status_sum() {
	"$VIGIL" --config s.yaml --json status >st.json 2>/dev/null
	python3 - <<'PY'
import json
s = json.load(open("st.json"))
def find(o):
    if isinstance(o, dict):
        if "udp_kernel_drops" in o:
            return o
        for v in o.values():
            r = find(v)
            if r: return r
    if isinstance(o, list):
        for v in o:
            r = find(v)
            if r: return r
sy = find(s) or {}
print(sy.get("lines", 0), sy.get("udp_kernel_drops", 0))
PY
}
adds_up() {
	read -r lines drops < <(status_sum)
	[ $((lines + drops)) = "$sent" ] && [ "$drops" -gt 0 ]
}
if wait_for 60 adds_up; then
	ok "vigil status: $lines received + $drops dropped by the kernel = $sent sent"
	expect_eq "the drop count is the kernel's (/proc/net/udp)" "$drops" "$kdrops"
else
	read -r lines drops < <(status_sum)
	not_ok "vigil status: $lines received + $drops dropped != $sent sent (or no drop)"
fi
grep -Eq "syslog: udp://127\.0\.0\.1:$port: the kernel dropped [1-9][0-9]* datagrams so far" err.txt &&
	ok "the drop is logged with its number while it happens" ||
	not_ok "no numbered drop warning in the log"
kill -TERM "$pid"; wait "$pid"
grep -Eq "syslog: udp://127\.0\.0\.1:$port: the kernel dropped $drops datagrams in all" err.txt &&
	ok "the total ($drops) is logged at shutdown" || not_ok "no total drop count at shutdown: $(grep dropped err.txt)"
ERR=$(cat err.txt)
expect_clean_stderr "watch under a syslog flood: no sanitizer report"
finish
