#!/bin/bash
# Real attack tools against a server namespace (nginx and sshd) that `vigil watch`
# guards: sqlmap, ffuf (or wfuzz) and hydra against sshd, each from its own attacker
# address, get that address blocked (the next connect times out); an allowlisted
# client running the same tools is alerted on and never blocked. Tools are capped
# (few tests, small word lists, a timeout) so the script stays within minutes.
source "$SRCDIR/tests/lib.sh"
source "$SRCDIR/tests/netns.sh"
tool_pid=
trap '[ -n "$tool_pid" ] && kill $tool_pid 2>/dev/null; kill $pid 2>/dev/null; wait $pid 2>/dev/null
	[ -f "$TMP/sshd.pid" ] && kill "$(cat "$TMP/sshd.pid")" 2>/dev/null
	nginx_stop; netns_cleanup; [ -n "$KEEP" ] || rm -rf "$TMP"' EXIT

if ! netns_usable || ! command -v nginx >/dev/null || ! command -v curl >/dev/null; then
	skip "real attack tools in network namespaces" "needs root, ip, nft, nginx, curl and netns"
	finish
fi
netns_setup || { not_ok "namespace setup"; finish; }
cd "$TMP"
PORT=$((20000 + $$ % 20000))
SSH_PORT=$((PORT + 1))
: >access.log
: >sshd.log
nginx_start $PORT || { not_ok "nginx did not start: $(cat nginx/error.log)"; finish; }
echo "item 1" >nginx/www/item.php
chmod 644 nginx/www/item.php

have_sshd=
if [ -x /usr/sbin/sshd ] && command -v ssh-keygen >/dev/null && command -v hydra >/dev/null; then
	mkdir -p /run/sshd	# sshd's privilege separation directory (Debian's unit makes it)
	ssh-keygen -q -t ed25519 -N '' -f hostkey
	cat >sshd_config <<CFG
Port $SSH_PORT
ListenAddress $SRV_IP
ListenAddress $SRV_IP2
HostKey $TMP/hostkey
PidFile $TMP/sshd.pid
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
StrictModes no
MaxStartups 100
CFG
	in_srv /usr/sbin/sshd -f sshd_config -E "$TMP/sshd.log" && have_sshd=1
fi

cat >w.yaml <<YAML
store: {path: $TMP/w.db}
monitor:
  rules: $SRCDIR/rules
  sources:
    - {name: web, path: $TMP/access.log, format: combined}
    - {name: ssh, path: $TMP/sshd.log, format: sshd}
block:
  enabled: true
  allowlist: [$OK_IP]
  triggers:
    - {rule: "http.sqli.*"}
    - {rule: "http.scanner.*"}
    - {category: bruteforce, after: 3}
YAML
rm -f ready
ip netns exec "$NS_SRV" "$VIGIL" --config w.yaml watch --ready-file ready >out.txt 2>err.txt & pid=$!
poll_until 60 test -e ready || { not_ok "watch did not start: $(cat err.txt)"; finish; }

blocked() { in_srv nft list set inet vigil addr4 2>/dev/null | grep -q "$1 "; }
alerted() { [ "$(sqlite3 w.db "select count(*) from alerts where source_ip = '$1' and rule_id like '$2'")" -ge 1 ]; }
# use_addr ADDR: the attacker namespace's next connections come from ADDR.
use_addr() {
	ip -n $NS_ATK addr add "$1/24" dev vgb$$ 2>/dev/null
	ip -n $NS_ATK route replace 10.231.0.0/24 dev vgb$$ src "$1"
}
# tool NAME CMD...: runs CMD in the attacker namespace in the background, capped.
tool() {
	local name=$1; shift
	ip netns exec $NS_ATK timeout 120 "$@" >"$name.out" 2>&1 & tool_pid=$!
}
tool_stop() { kill $tool_pid 2>/dev/null; wait $tool_pid 2>/dev/null; tool_pid=; }
sqlmap_cmd() {	# sqlmap_cmd HOST
	echo sqlmap -u "http://$1:$PORT/item.php?id=1" --batch --smart --technique=BU --level 1 \
		--risk 1 --timeout 3 --retries 0 -v 0 --flush-session --output-dir "$TMP/sqlmap"
}
words() { printf '%s\n' admin .git/config .env wp-login.php phpmyadmin backup.zip server-status \
	config.php shell.php upload test; }
words >words.txt
scan_cmd() {	# scan_cmd HOST: ffuf, or wfuzz when ffuf is missing
	if command -v ffuf >/dev/null; then
		echo ffuf -s -t 4 -timeout 3 -w "$TMP/words.txt" -u "http://$1:$PORT/FUZZ"
	else
		echo wfuzz -z file,"$TMP/words.txt" -t 4 --req-delay 3 "http://$1:$PORT/FUZZ"
	fi
}
printf '%s\n' 123456 password admin root letmein qwerty dragon monkey shadow master >pass.txt
hydra_cmd() {	# hydra_cmd HOST
	echo hydra -I -l admin -P "$TMP/pass.txt" -t 4 -s $SSH_PORT "$1" ssh
}

# attack NAME ADDR PORT CMD...: CMD run from ADDR gets ADDR blocked, and its next
# connect to PORT times out.
attack() {
	local name=$1 addr=$2 port=$3
	shift 3
	use_addr "$addr"
	poll_until 60 can_connect $NS_ATK $SRV_IP "$port" || not_ok "$name: server port $port not reachable"
	tool "$name" "$@"
	poll_until 60 blocked "$addr" && ok "$name's address is blocked" ||
		not_ok "$name not blocked: $(tail -3 err.txt; tail -3 "$name.out")"
	tool_stop
	can_connect $NS_ATK $SRV_IP "$port" && not_ok "$name's host still connects" ||
		ok "$name's host's next connect times out"
}

if command -v sqlmap >/dev/null; then
	attack sqlmap 10.231.0.11 $PORT $(sqlmap_cmd $SRV_IP)
	alerted 10.231.0.11 'http.%' && ok "sqlmap's requests are alerted on" || not_ok "no alert for sqlmap"
else
	skip "sqlmap is blocked" "sqlmap not installed"
fi
if command -v ffuf >/dev/null || command -v wfuzz >/dev/null; then
	attack scanner 10.231.0.12 $PORT $(scan_cmd $SRV_IP)
else
	skip "a scanner is blocked" "neither ffuf nor wfuzz installed"
fi
if [ -n "$have_sshd" ]; then	# blocked after 3 failed logins (the bruteforce trigger)
	attack hydra 10.231.0.13 $SSH_PORT $(hydra_cmd $SRV_IP)
	alerted 10.231.0.13 'auth.%' && ok "hydra's failed logins are alerted on" || not_ok "no ssh alert"
else
	skip "hydra is blocked" "needs sshd, ssh-keygen and hydra"
fi

# The allowlisted client does all of it and is never blocked.
run ip netns exec $NS_OK timeout 120 $(sqlmap_cmd $SRV_IP2)
run ip netns exec $NS_OK timeout 120 $(scan_cmd $SRV_IP2)
[ -n "$have_sshd" ] && run ip netns exec $NS_OK timeout 120 $(hydra_cmd $SRV_IP2)
poll_until 60 alerted $OK_IP 'http.%' && ok "the allowlisted client's tools are alerted on" ||
	not_ok "no alert for the allowlisted client"
if [ -n "$have_sshd" ]; then
	poll_until 60 alerted $OK_IP 'auth.%' && ok "its failed ssh logins too" ||
		not_ok "no ssh alert for the allowlisted client"
fi
blocked $OK_IP && not_ok "the allowlisted client was blocked" || ok "the allowlisted client is not blocked"
can_connect $NS_OK $SRV_IP2 $PORT && ok "the allowlisted client still connects" ||
	not_ok "allowlisted client cut off"
n=$(sqlite3 w.db "select count(*) from actions where kind = 'block' and target = '$OK_IP'")
expect_eq "no block record for the allowlisted client" "$n" 0
kill $pid
wait $pid
grep -Eq 'AddressSanitizer|runtime error:|LeakSanitizer' err.txt && not_ok "sanitizer report in watch" ||
	ok "watch ran clean under sanitizers"
finish
