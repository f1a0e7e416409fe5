#!/bin/bash
# vigil discover against nmap and masscan on the issue-17 set-up: 4 hosts behind a
# router namespace (veth + bridge), real services (nginx, sshd, redis with and
# without protected mode, openssl s_server, python http.server on a random high
# port), 2 of the hosts behind an nftables policy that drops every unused port;
# 18 open ports in all 4 x 65,535. Prints, per run, the time and how many of the
# 18 were found (and anything reported that is not open), then how many services
# were identified exactly (product and version as the ground truth has them).
# RUNS=3 (vigil runs per engine), PEERS=1 (also nmap -sS -T4 -p-, nmap -sV and
# masscan at 10,000 and 100,000 packets/s; 0 skips them: nmap alone takes minutes;
# "only" runs just them).
set -uo pipefail
cd "$(dirname "$0")/.."
VIGIL=${VIGIL:-$PWD/build/vigil}
RUNS=${RUNS:-3}
PEERS=${PEERS:-1}
TMP=$(mktemp -d /tmp/vigil-bench-discover.XXXXXX)
source tests/discover_net.sh
trap 'dn_cleanup; rm -rf "$TMP"' EXIT
chmod 755 "$TMP"	# nginx's workers (nobody) read the pages under it
[ "$(id -u)" = 0 ] || { echo "bench/discover.sh: needs root (namespaces)"; exit 1; }
for c in nginx /usr/sbin/sshd redis-server openssl python3 nft; do
	command -v "$c" >/dev/null || { echo "bench/discover.sh: $c missing"; exit 1; }
done

dn_setup 4 || { echo "namespace set-up failed"; exit 1; }
PY1=$((20000 + RANDOM % 20000)) PY3=$((40000 + RANDOM % 20000))
dn_sshd 1 22; dn_nginx 1 "80" "443"; dn_redis 1 6379 yes; dn_tls 1 8443; dn_py_http 1 "$PY1"
dn_sshd 2 22; dn_nginx 2 "80 8080"; dn_redis 2 6380 no
dn_sshd 3 22; dn_nginx 3 "80" "443"; dn_py_http 3 "$PY3"
dn_drop 3 "22 80 443 $PY3"
dn_sshd 4 22; dn_redis 4 6379 yes; dn_tls 4 4433; dn_nginx 4 "8000"
dn_drop 4 "22 6379 4433 8000"

ossh=$(ssh -V 2>&1 | sed -n 's/^OpenSSH_\([^ ,]*\).*/\1/p')
ngx=$(nginx -v 2>&1 | sed -n 's/.*nginx\/\([0-9.]*\).*/\1/p')
pyv=$(python3 -c 'import platform; print(platform.python_version())')
rdv=$(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p')
A1=$(dn_addr 1) A2=$(dn_addr 2) A3=$(dn_addr 3) A4=$(dn_addr 4)
# ground truth: address port product version ("-" = none to know: protected
# Redis does not tell its version, s_server has none)
cat >"$TMP/truth" <<T
$A1 22 OpenSSH $ossh
$A1 80 nginx $ngx
$A1 443 nginx $ngx
$A1 6379 Redis -
$A1 8443 OpenSSL+s_server -
$A1 $PY1 Python+http.server $pyv
$A2 22 OpenSSH $ossh
$A2 80 nginx $ngx
$A2 8080 nginx $ngx
$A2 6380 Redis $rdv
$A3 22 OpenSSH $ossh
$A3 80 nginx $ngx
$A3 443 nginx $ngx
$A3 $PY3 Python+http.server $pyv
$A4 22 OpenSSH $ossh
$A4 6379 Redis -
$A4 4433 OpenSSL+s_server -
$A4 8000 nginx $ngx
T
while read -r a p _; do
	i=$(( ${a##*.} - 10 ))
	end=$((SECONDS + 60))
	until dn_listening "$i" "$p"; do
		[ $SECONDS -ge $end ] && { echo "service $a:$p did not come up"; exit 1; }
		sleep 0.2
	done
done <"$TMP/truth"
echo "# set-up: 4 hosts, 2 dropping, 18 open ports; OpenSSH $ossh, nginx $ngx, Redis $rdv, Python $pyv"

# score FILE KIND: compares a result file with the truth. KIND json = vigil's
# JSON lines; grep = nmap's greppable; masscan = masscan's list output.
score() {
	python3 - "$TMP/truth" "$1" "$2" <<'PY'
import json, re, sys
truth = {}
for l in open(sys.argv[1]):
    a, p, prod, ver = l.split()
    truth[(a, int(p))] = (prod.replace("+", " "), '' if ver == '-' else ver)
found, svc = {}, {}
for l in open(sys.argv[2], errors='replace'):
    if sys.argv[3] == 'json':
        try: o = json.loads(l)
        except ValueError: continue
        if o.get('state') == 'open':
            found[(o['address'], o['port'])] = (o.get('product', ''), o.get('version', ''))
    elif sys.argv[3] == 'grep':
        m = re.match(r'Host: (\S+) .*Ports: (.*)', l)
        if not m: continue
        for part in m.group(2).split(', '):
            f = part.split('/')
            if len(f) > 4 and f[1] == 'open':
                found[(m.group(1), int(f[0]))] = (f[6] if len(f) > 6 else '', '')
    elif sys.argv[3] == 'masscan':
        m = re.match(r'open tcp (\d+) (\S+)', l)
        if m: found[(m.group(2), int(m.group(1)))] = ('', '')
if sys.argv[3] == 'xml':
    import xml.etree.ElementTree as ET
    for h in ET.parse(sys.argv[2]).getroot().iter('host'):
        a = h.find('address').get('addr')
        for p in h.iter('port'):
            st, sv = p.find('state'), p.find('service')
            if st is not None and st.get('state') == 'open':
                found[(a, int(p.get('portid')))] = (
                    sv.get('product', '') if sv is not None else '',
                    sv.get('version', '') if sv is not None else '')
hit = sum(1 for k in truth if k in found)
extra = [k for k in found if k not in truth]
ports_only = sys.argv[3] in ('grep', 'masscan')
exact = sum(1 for k, (p, v) in truth.items() if k in found and found[k][0] == p and found[k][1] == v)
wrong = [f"{k[0]}:{k[1]} got '{found[k][0]} {found[k][1]}' want '{truth[k][0]} {truth[k][1]}'"
         for k in truth if k in found and (found[k][0], found[k][1]) != truth[k]]
if ports_only:
    print(f"{hit}/{len(truth)} open found, {len(extra)} not open reported")
    sys.exit(0)
print(f"{hit}/{len(truth)} open found, {len(extra)} not open reported, {exact}/{len(truth)} services exact")
for w in wrong[:8]: print("    " + w)
PY
}

# timed OUT ERR CMD...: runs CMD with stdout to OUT and stderr to ERR and sets
# $t to its wall time in seconds.
timed() {
	local out=$1 err=$2 t0 t1
	shift 2
	t0=$(date +%s.%N); "$@" >"$out" 2>"$err"; t1=$(date +%s.%N)
	t=$(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')
}

# PEERS=only: the peers alone (their runs take minutes; vigil's are above)
[ "$PEERS" = only ] && RUNS=0
for engine in connect syn; do
	for r in $(seq 1 "$RUNS"); do
		timed "$TMP/v.json" "$TMP/v.err" dn_scan "$VIGIL" discover --engine $engine -p 1-65535 \
			--no-progress --no-store --json ${VIGIL_ARGS:-} "$A1" "$A2" "$A3" "$A4"
		sum=$(grep -o 'open, .* identified of [0-9]* in [0-9.]* s' "$TMP/v.err")
		scan=$(sed -n 's/.* filtered in \([0-9.]*\) s.*/\1/p' "$TMP/v.err")
		ping=$(sed -n 's/.*(ping \([0-9.]*\) s).*/\1/p' "$TMP/v.err")
		idt=$(sed -n 's/.* identified of [0-9]* in \([0-9.]*\) s.*/\1/p' "$TMP/v.err")
		echo "vigil $engine run $r: total ${t}s (ping ${ping}s + sweep ${scan}s, identify ${idt}s): $(score "$TMP/v.json" json)"
		[ -n "$sum" ] || sed 's/^/    stderr: /' "$TMP/v.err" | head -5
	done
done

[ "$PEERS" = 0 ] && exit 0
if command -v nmap >/dev/null; then
	timed /dev/null /dev/null dn_scan nmap -sS -T4 -p- -n -Pn -oG "$TMP/n.grep" "$A1" "$A2" "$A3" "$A4"
	echo "nmap -sS -T4 -p-: ${t}s: $(score "$TMP/n.grep" grep)"
	ports=$(awk '{ print $2 }' "$TMP/truth" | sort -un | paste -sd,)
	timed /dev/null /dev/null dn_scan nmap -sV -n -Pn -p "$ports" -oX "$TMP/nv.xml" "$A1" "$A2" "$A3" "$A4"
	echo "nmap -sV on the 18 open ports' numbers: ${t}s: $(score "$TMP/nv.xml" xml)"
fi
if command -v masscan >/dev/null; then
	# masscan sends through libpcap: it must be told the adapter, its MAC and the
	# router's MAC; --wait 3 instead of 10 (everything here answers within ms)
	mac=$(ip -n "$DN_ROUTER" link show "${DN}sb" | awk '/link\/ether/ { print $2 }')
	amac=$(ip -n "$DN_SCAN" link show "${DN}sa" | awk '/link\/ether/ { print $2 }')
	for rate in 10000 100000; do
		timed /dev/null "$TMP/m.err" dn_scan timeout 600 masscan -p1-65535 --rate "$rate" \
			--adapter "${DN}sa" --adapter-ip 10.77.1.2 --adapter-mac "$amac" --router-mac "$mac" \
			--wait 3 -oL "$TMP/m.list" "$A1" "$A2" "$A3" "$A4"
		echo "masscan --rate $rate: ${t}s: $(score "$TMP/m.list" masscan)"
	done
fi
