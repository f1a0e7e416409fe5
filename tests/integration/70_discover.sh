#!/bin/bash
# `vigil discover` against real services in network namespaces: a host with nginx
# (HTTP and TLS), sshd, Redis in protected mode, openssl s_server, python's
# http.server on a random high port and two hostile servers (binary garbage with
# terminal escapes, an endless slow stream); a second host behind an nftables
# policy that drops every unused port. Both engines must find exactly the open
# ports and identify each service; bad input must be refused with a clear message.
source "$SRCDIR/tests/lib.sh"
source "$SRCDIR/tests/discover_net.sh"

run "$VIGIL" discover --help
expect_match "discover --help gives usage" out '^usage: vigil discover'
expect_match "discover --help documents the engines" out 'syn \(raw sockets'

run "$VIGIL" discover -p 80
expect_rc "no targets is a usage error" 2
expect_match "no targets says so" err 'no targets'
run "$VIGIL" discover 10.0.0.1-300
expect_rc "a bad range is a usage error" 2
expect_match "the message names the spec" err "argument 1: '10.0.0.1-300': range end"
run "$VIGIL" discover -p 80,99999 10.0.0.1
expect_rc "a bad port is a usage error" 2
expect_match "the message names the port" err "'99999' at position 4"
run "$VIGIL" discover 10.0.0.0/15
expect_rc "a huge scan needs --yes" 2
expect_match "the huge scan message says --yes" err 'add --yes'
run "$VIGIL" discover no-such-host.invalid
expect_rc "an unresolvable name is a usage error" 2
expect_match "the name is in the message" err "'no-such-host.invalid': does not resolve"
run "$VIGIL" discover --exclude 10.9.0.0/24 10.9.0.1
expect_rc "all excluded is refused" 2

if ! dn_usable || ! command -v nginx >/dev/null || ! command -v redis-server >/dev/null ||
	[ ! -x /usr/sbin/sshd ]; then
	skip "discover against namespaces" "needs root, nginx, redis-server, openssh-server"
	finish
fi
trap 'dn_cleanup; rm -rf "$TMP"' EXIT
chmod 755 "$TMP"	# nginx's workers (nobody) read the pages under it
dn_setup 2 || { not_ok "namespace set-up"; finish; }
PY=$((20000 + RANDOM % 30000))
dn_sshd 1 22; dn_nginx 1 "80" "443"; dn_redis 1 6379 yes; dn_tls 1 8443; dn_py_http 1 "$PY"
# hostile: 7001 sends escapes and binary then closes; 7002 drips one byte a
# second for ever (the identification must give up on its own deadline)
cat >"$DN_DIR/hostile.py" <<'PY'
import socket, sys, threading, time
def garbage(c):
    c.sendall(b"\x1b]0;OWNED\x07\x1b[2J\x00\xff\xfe" + bytes(range(256)) * 4); c.close()
def drip(c):
    try:
        while True: c.sendall(b"A"); time.sleep(1)
    except OSError: pass
def serve(port, fn):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port)); s.listen(64)
    while True:
        c, _ = s.accept(); threading.Thread(target=fn, args=(c,), daemon=True).start()
threading.Thread(target=serve, args=(7001, garbage), daemon=True).start()
serve(7002, drip)
PY
dn_in 1 python3 "$DN_DIR/hostile.py" >/dev/null 2>&1 &
echo $! >>"$DN_DIR/pids"
dn_sshd 2 22; dn_nginx 2 "8080"
dn_drop 2 "22 8080"
H1=$(dn_addr 1) H2=$(dn_addr 2)
for p in 22 80 443 6379 8443 "$PY" 7001 7002; do
	wait_for 60 dn_listening 1 "$p" || not_ok "service on $H1:$p did not come up"
done
for p in 22 8080; do wait_for 60 dn_listening 2 "$p" || not_ok "service on $H2:$p did not come up"; done

PORTS="1-1100,6379,7001,7002,8080,8443,$PY"
want=$(printf '%s\n' "$H1:22" "$H1:80" "$H1:443" "$H1:6379" "$H1:7001" "$H1:7002" "$H1:8443" \
	"$H1:$PY" "$H2:22" "$H2:8080" | sort)
# open_set FILE: the address:port of every open port in discover's JSON lines
open_set() {
	python3 -c 'import json,sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o["state"] == "open": print(o["address"] + ":" + str(o["port"]))' "$1" | sort
}
# svc FILE PORT HOST: "service|product|version|info" of one result
svc() {
	python3 -c 'import json,sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o["port"] == int(sys.argv[2]) and o["address"] == sys.argv[3]:
        print("|".join(str(o.get(k, "")) for k in ("service", "product", "version", "info")))' "$1" "$2" "$3"
}
jfield() {
	python3 -c 'import json,sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o["port"] == int(sys.argv[2]) and o["address"] == sys.argv[3]: print(o.get(sys.argv[4], ""))' "$@"
}

ossh=$(ssh -V 2>&1 | sed -n 's/^OpenSSH_\([^ ,]*\).*/\1/p')
ngx=$(nginx -v 2>&1 | sed -n 's/.*nginx\/\([0-9.]*\).*/\1/p')
pyv=$(python3 -c 'import platform; print(platform.python_version())')
for engine in connect syn; do
	run timeout 300 ip netns exec "$DN_SCAN" "$VIGIL" discover --json --engine $engine \
		--store "$TMP/$engine.db" -p "$PORTS" "$H1" "$H2"
	expect_rc "$engine: discover exits 0" 0
	expect_clean_stderr "$engine: no sanitizer reports"
	echo "$OUT" >"$TMP/$engine.json"
	expect_eq "$engine: exactly the open ports" "$(open_set "$TMP/$engine.json")" "$want"
	expect_eq "$engine: OpenSSH and its version" "$(svc "$TMP/$engine.json" 22 "$H2")" \
		"ssh|OpenSSH|$ossh|$(svc "$TMP/$engine.json" 22 "$H2" | cut -d'|' -f4)"
	expect_eq "$engine: nginx on 80" "$(svc "$TMP/$engine.json" 80 "$H1" | cut -d'|' -f1-3)" \
		"http|nginx|$ngx"
	expect_eq "$engine: nginx with TLS on 443" "$(svc "$TMP/$engine.json" 443 "$H1" | cut -d'|' -f1-3)" \
		"https|nginx|$ngx"
	expect_eq "$engine: nginx behind the dropping firewall" \
		"$(svc "$TMP/$engine.json" 8080 "$H2" | cut -d'|' -f1-3)" "http|nginx|$ngx"
	expect_eq "$engine: Redis in protected mode" "$(svc "$TMP/$engine.json" 6379 "$H1")" \
		"redis|Redis||protected mode"
	expect_eq "$engine: python http.server" "$(svc "$TMP/$engine.json" "$PY" "$H1" | cut -d'|' -f1-3)" \
		"http|Python http.server|$pyv"
	expect_eq "$engine: openssl s_server" "$(svc "$TMP/$engine.json" 8443 "$H1" | cut -d'|' -f1-2)" \
		"https|OpenSSL s_server"
done
J=$TMP/connect.json
expect_eq "TLS names from the certificate" "$(jfield "$J" 443 "$H1" tls_sans)" \
	"www.bench.test,admin.bench.test"
expect_match "TLS subject" out 'CN=www.bench.test'
expect_match "TLS expiry in ISO form" out '"tls_not_after":"20[0-9]{2}-[0-9]{2}-[0-9]{2}T'
expect_eq "HTTP title" "$(jfield "$J" 80 "$H1" http_title)" "Bench host 1"
expect_match "favicon or no favicon, the status is there" out '"http_status":200'
expect_no_match "no raw escape in the JSON" out $'\x1b'
expect_match "the garbage banner is escaped" out '"banner":"\\\\x1b]0;OWNED'

# the scan is in the register: `vigil assets` reads it
printf 'store: {path: %s}\n' "$TMP/connect.db" >"$TMP/c.yaml"
run "$VIGIL" --config "$TMP/c.yaml" assets scans
expect_match "the scan is stored as done, with its spec" out "done +2 +10 +-p $PORTS $H1 $H2"
run "$VIGIL" --config "$TMP/c.yaml" --json assets list
expect_match "the register has the services" out '"port":6379,"proto":"tcp","name":"redis"'
expect_match "the register lists the dropping host" out "\"$H2\""

# the text form on a terminal-like stdout: the hostile bytes stay escaped
run timeout 300 ip netns exec "$DN_SCAN" "$VIGIL" discover --no-store --engine connect -p 7001,7002 "$H1"
expect_rc "text output exits 0" 0
expect_no_match "no raw ESC in the text output" out $'\x1b'
expect_match "the garbage server's banner is shown escaped" out 'banner: \\x1b\]0;OWNED'
expect_match "the dripping server is still reported" out ":7002 +open"

# IPv6, and a host name with an A and an AAAA record (ip netns exec mounts
# /etc/netns/NS/hosts over /etc/hosts for the scanner)
run timeout 300 ip netns exec "$DN_SCAN" "$VIGIL" discover --no-store --json --engine connect -p 22 "$(dn_addr6 1)"
echo "$OUT" >"$TMP/v6.json"
expect_eq "IPv6 target: ssh found" "$(open_set "$TMP/v6.json")" "$(dn_addr6 1):22"
dn_hosts "$H1 www.bench.test" "$(dn_addr6 1) www.bench.test"
run timeout 300 ip netns exec "$DN_SCAN" "$VIGIL" discover --no-store --json --engine connect -p 22 www.bench.test
echo "$OUT" >"$TMP/name.json"
expect_eq "a name scans its A and AAAA addresses" "$(open_set "$TMP/name.json" | paste -sd' ')" \
	"$H1:22 $(dn_addr6 1):22"
expect_match "the name is reported with each address" out '"hostname":"www.bench.test"'
finish
