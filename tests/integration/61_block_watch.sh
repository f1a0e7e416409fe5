#!/bin/bash
# vigil watch blocks from its alerts: nginx in a server namespace logs an attacker's
# SQL injection, watch (on that log) blocks the source, and the attacker's next
# connect times out; an allowlisted client doing the same is alerted on but never
# blocked; dry-run records without touching the kernel; a restart keeps blocks; an
# IPv6 attacker is blocked through the ip6 set, and its block stays recorded when
# the batch that held the record rolls back.
source "$SRCDIR/tests/lib.sh"
source "$SRCDIR/tests/netns.sh"
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; nginx_stop; netns_cleanup; [ -n "$KEEP" ] || rm -rf "$TMP"' EXIT

if ! netns_usable || ! command -v nginx >/dev/null || ! command -v curl >/dev/null; then
	skip "watch blocking in network namespaces" "needs root, ip, nft, nginx, curl and netns"
	finish
fi
netns_setup || { not_ok "namespace setup"; finish; }
cd "$TMP"
PORT=$((20000 + $$ % 20000))
: >access.log
nginx_start $PORT || { not_ok "nginx did not start: $(cat nginx/error.log)"; finish; }

write_cfg() {	# write_cfg DRY_RUN
	cat >w.yaml <<YAML
store: {path: $TMP/w.db}
monitor:
  rules: $SRCDIR/rules/http/sqli.yaml
  sources:
    - {name: web, path: $TMP/access.log, format: combined}
block:
  enabled: true
  dry_run: $1
  allowlist: [$OK_IP]
  triggers:
    - {rule: "http.sqli.*"}
    - {severity: critical}
YAML
}
start() {
	rm -f ready
	# not through the in_srv function: $! must be vigil itself (ip netns exec execs it), or
	# stop() would kill a subshell and leave watch holding the store lock
	ip netns exec "$NS_SRV" "$VIGIL" --config w.yaml --json watch --ready-file ready >>out.json 2>>err.txt & pid=$!
	poll_until 60 test -e ready
}
stop() { kill $pid; wait $pid; }
sqli() {	# sqli NS HOST: one SQL injection request
	ip netns exec "$1" curl -s -m 3 -o /dev/null "http://$2:$PORT/item.php?id=1%27%20union%20select%201,2--"
}
blocked_in_kernel() { in_srv nft list set inet vigil addr4 2>/dev/null | grep -q "$1"; }
blocked_in_kernel6() { in_srv nft list set inet vigil addr6 2>/dev/null | grep -q "$1"; }
rows() { sqlite3 w.db "select count(*) from actions where kind = 'block' and target = '$1' and status = '$2'"; }
has_rows() { [ "$(rows "$1" "$2")" -ge 1 ]; }
alerted() { [ "$(sqlite3 w.db "select count(*) from alerts where source_ip = '$1'")" -ge 1 ]; }

# Dry run first: the decision is recorded, nothing reaches the kernel.
write_cfg true
start || { not_ok "watch did not start: $(cat err.txt)"; finish; }
sqli $NS_ATK $SRV_IP
poll_until 60 has_rows $ATK_IP dry_run && ok "dry-run records the decision" ||
	not_ok "no dry-run record: $(cat err.txt)"
blocked_in_kernel $ATK_IP && not_ok "dry-run touched the kernel" || ok "dry-run leaves the kernel alone"
can_connect $NS_ATK $SRV_IP $PORT && ok "dry-run attacker still connects" || not_ok "dry-run blocked"
stop
sqlite3 w.db "delete from actions"

write_cfg false
start || { not_ok "watch did not start: $(cat err.txt)"; finish; }
sqli $NS_ATK $SRV_IP
poll_until 60 blocked_in_kernel $ATK_IP && ok "watch blocks the attacker's address" ||
	not_ok "not blocked: $(tail -5 err.txt)"
can_connect $NS_ATK $SRV_IP $PORT && not_ok "blocked attacker still connects" ||
	ok "the attacker's next connect times out"
id=$(sqlite3 w.db "select alert_id from actions where kind = 'block' and target = '$ATK_IP'")
rule=$(sqlite3 w.db "select rule_id from alerts where id = '$id'")
case "$rule" in http.sqli.*) ok "the block links its alert ($rule)" ;; *) not_ok "block links alert '$id' rule '$rule'" ;; esac
expect_eq "the block names the rule as actor" \
	"$(sqlite3 w.db "select actor from actions where kind = 'block' and target = '$ATK_IP'")" "rule:$rule"

sqli $NS_OK $SRV_IP2
poll_until 60 alerted $OK_IP &&
	ok "the allowlisted client's attack is alerted on" || not_ok "no alert for $OK_IP"
blocked_in_kernel $OK_IP && not_ok "allowlisted client blocked" || ok "the allowlisted client is not blocked"
can_connect $NS_OK $SRV_IP2 $PORT && ok "the allowlisted client still connects" || not_ok "allowlisted cut off"

# Restart: the kernel keeps the block meanwhile; a lost kernel state (reboot) is
# re-applied from the store at start.
stop
blocked_in_kernel $ATK_IP && ok "the block outlives the watch process" || not_ok "block gone with watch"
in_srv nft flush set inet vigil addr4
start || { not_ok "watch did not restart: $(cat err.txt)"; finish; }
blocked_in_kernel $ATK_IP && ok "restart re-applies the active block" || not_ok "block not re-applied"

# IPv6, with every batch failing to save (an injected store fault on the positions):
# the block is applied at once and its record, lost with each rolled-back batch, is
# written again, once.
sqlite3 -cmd ".timeout 60000" w.db "CREATE TABLE test_fail(x); INSERT INTO test_fail VALUES(1);
	CREATE TRIGGER test_fail_u BEFORE UPDATE ON source_offsets WHEN EXISTS (SELECT 1 FROM test_fail)
	BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
	CREATE TRIGGER test_fail_i BEFORE INSERT ON source_offsets WHEN EXISTS (SELECT 1 FROM test_fail)
	BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
sqli $NS_ATK "[$SRV_IP6]"
poll_until 60 blocked_in_kernel6 $ATK_IP6 && ok "watch blocks the IPv6 attacker in the addr6 set" ||
	not_ok "IPv6 attacker not blocked: $(tail -5 err.txt)"
can_connect $NS_ATK "$SRV_IP6" $PORT && not_ok "blocked IPv6 attacker still connects" ||
	ok "the IPv6 attacker's next connect times out"
poll_until 60 grep -q "batch not saved" err.txt && ok "the batch holding the block rolls back" ||
	not_ok "no rolled-back batch: $(tail -3 err.txt)"
poll_until 60 has_rows $ATK_IP6 active && ok "the block is on record although its batch rolled back" ||
	not_ok "block lost with the rolled-back batch"
sqlite3 -cmd ".timeout 60000" w.db "DELETE FROM test_fail"
ip netns exec $NS_OK curl -s -m 3 -o /dev/null "http://$SRV_IP2:$PORT/"
saved() { [ "$(sqlite3 w.db "select offset from source_offsets where path = '$TMP/access.log'")" = \
	"$(stat -c %s access.log)" ]; }
poll_until 60 saved && ok "batches save again once the fault is gone" || not_ok "positions never saved"
alerted $ATK_IP6 && ok "and the IPv6 attacker's alert with them" || not_ok "no alert for $ATK_IP6"
expect_eq "the block is recorded once" "$(rows $ATK_IP6 active)" 1
stop
grep -Eq 'AddressSanitizer|runtime error:|LeakSanitizer' err.txt && not_ok "sanitizer report in watch" ||
	ok "watch ran clean under sanitizers"
finish
