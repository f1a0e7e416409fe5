#!/bin/bash
# vigil block: add/del/list/flush/import/restore in a server namespace, checked
# against the kernel: a blocked client's packets are dropped (connect times out,
# nft counters move), over IPv4 and IPv6, or refused with block.action: reject; an
# allowlisted one never is; blocks expire on the kernel's clock, restore re-applies
# them; a failure on either side (store or kernel) leaves both without the block;
# an import of 100,000 networks is matched, and a flood of 1M addresses stops at
# block.max_total.
source "$SRCDIR/tests/lib.sh"
source "$SRCDIR/tests/netns.sh"
trap 'kill $web 2>/dev/null; netns_cleanup; rm -rf "$TMP"' EXIT

if ! netns_usable; then
	skip "blocking in network namespaces" "needs root, ip, nft and netns"
	finish
fi
netns_setup || { not_ok "namespace setup"; finish; }
cd "$TMP"
PORT=$((20000 + $$ % 20000))
cat >b.yaml <<YAML
store: {path: $TMP/b.db}
block:
  allowlist: [$OK_IP, 192.0.2.0/24, "$OK_IP6"]
  max_total: 200000
YAML
# Escalation and the flood cap get their own store and table.
cat >esc.yaml <<YAML
store: {path: $TMP/esc.db}
block: {nft_table: vigilesc, durations: [2s, 1h, 24h]}
YAML
cat >cap.yaml <<YAML
store: {path: $TMP/cap.db}
block: {nft_table: vigilcap, max_total: 50000}
YAML
V() { in_srv "$VIGIL" --config b.yaml "$@"; }
# ip netns exec execs python3, so $! is the server itself (a function would fork a
# subshell, and killing that leaves the server holding the test's output open).
ip netns exec $NS_SRV python3 -m http.server --bind :: $PORT >/dev/null 2>&1 & web=$!
poll_until 60 can_connect $NS_ATK $SRV_IP $PORT && ok "attacker reaches the server before any block" ||
	not_ok "server not reachable"

run V block add $ATK_IP --reason "test block"
expect_rc "block add exits 0" 0
expect_match "block add reports the block" out "blocked"
expect_clean_stderr "block add is clean under sanitizers"
before=$(nft_drops vigil)
can_connect $NS_ATK $SRV_IP $PORT && not_ok "blocked attacker still connects" ||
	ok "blocked attacker's connect times out"
[ "$(nft_drops vigil)" -gt "$before" ] && ok "nft counters count the dropped packets" ||
	not_ok "no drop counted ($(nft_drops vigil))"
can_connect $NS_OK $SRV_IP2 $PORT && ok "other clients still connect" || not_ok "other client cut off"
in_srv nft list set inet vigil addr4 | grep -q "$ATK_IP timeout 10m" &&
	ok "first block uses the first escalation step (10m)" || not_ok "no 10m element"

run V block add $OK_IP
expect_rc "allowlisted address is refused (exit 1)" 1
expect_match "allowlist wins" out "allowlisted"
run V block add 10.231.1.0/24
expect_match "a network holding an allowlisted address is refused" out "allowlisted"
can_connect $NS_OK $SRV_IP2 $PORT && ok "allowlisted client still connects" || not_ok "allowlisted client blocked"

run V --json block list
expect_match "list shows the block with reason and actor" out "\"target\":\"$ATK_IP\".*\"reason\":\"test block\",\"actor\":\"analyst:"
run V block del $ATK_IP --by tester
expect_rc "block del exits 0" 0
poll_until 60 can_connect $NS_ATK $SRV_IP $PORT && ok "del lifts the block" || not_ok "still blocked after del"
run V block del $ATK_IP
expect_rc "del of an unblocked address exits 1" 1
[ "$(sqlite3 b.db "select count(*) from audit where action like 'block.%'")" -ge 2 ] &&
	ok "changes leave audit rows" || not_ok "no audit rows"
run in_srv "$VIGIL" --config esc.yaml block add $ATK_IP
elem() { in_srv nft list set inet vigilesc addr4 | grep -q "$1"; }
poll_until 60 eval '! elem $ATK_IP' && ok "the first step (2s) expires" || not_ok "2s block still there"
run in_srv "$VIGIL" --config esc.yaml block add $ATK_IP
elem "$ATK_IP timeout 1h" && ok "a repeat offender escalates to the second step (1h)" ||
	not_ok "no escalation: $(in_srv nft list set inet vigilesc addr4 | grep elements)"
run in_srv "$VIGIL" --config esc.yaml block flush
run V block add $ATK_IP

# Restart: the kernel state is lost (flushed here); restore brings it back.
in_srv nft flush set inet vigil addr4
run V block restore
expect_rc "restore exits 0" 0
in_srv nft list set inet vigil addr4 | grep -q "$ATK_IP" && ok "restore re-applies active blocks" ||
	not_ok "restore did not re-apply"

# Expiry runs on the kernel's clock, with no vigil process alive.
run V block flush
poll_until 60 can_connect $NS_ATK $SRV_IP $PORT && ok "flush lifts every block" || not_ok "flush left a block"
start=$SECONDS
run V block add $ATK_IP --for 8s
in_srv nft list set inet vigil addr4 | grep -q "$ATK_IP timeout 8s" && ok "short block in force" ||
	not_ok "short block not in the set"
poll_until 60 can_connect $NS_ATK $SRV_IP $PORT && ok "block expires with vigil not running" ||
	not_ok "block did not expire"
[ $((SECONDS - start)) -ge 6 ] && ok "and not before its time ($((SECONDS - start)) s)" ||
	not_ok "lifted after $((SECONDS - start)) s of 8"
run V --json block list --all
expect_match "expired blocks stay in the history" out '"state":"expired"'

# IPv6: the address goes to addr6, a network to net6; the kernel drops both.
run V block add $ATK_IP6 --for 10m
expect_rc "block add of an IPv6 address exits 0" 0
in_srv nft list set inet vigil addr6 | grep -q "$ATK_IP6 timeout 10m" &&
	ok "the IPv6 address is in the addr6 set" || not_ok "no addr6 element: $(in_srv nft list set inet vigil addr6)"
before=$(nft_drops vigil)
can_connect $NS_ATK "$SRV_IP6" $PORT && not_ok "blocked IPv6 attacker still connects" ||
	ok "the blocked IPv6 attacker's connect times out"
[ "$(nft_drops vigil)" -gt "$before" ] && ok "the IPv6 packets are counted as dropped" ||
	not_ok "no IPv6 drop counted"
can_connect $NS_ATK $SRV_IP $PORT && ok "the same host over IPv4 is not blocked" ||
	not_ok "IPv4 cut off by an IPv6 block"
can_connect $NS_OK "$SRV_IP6_2" $PORT && ok "other IPv6 clients still connect" ||
	not_ok "IPv6 client cut off"
run V block del $ATK_IP6
poll_until 60 can_connect $NS_ATK "$SRV_IP6" $PORT && ok "del lifts the IPv6 block" ||
	not_ok "IPv6 block not lifted"
run V block add fd00:231::/64 --for 10m
in_srv nft get element inet vigil net6 "{ $ATK_IP6 }" >/dev/null 2>&1 &&
	ok "an IPv6 network goes to net6 and matches its addresses" || not_ok "no net6 match"
can_connect $NS_ATK "$SRV_IP6" $PORT && not_ok "IPv6 network block lets the attacker in" ||
	ok "the IPv6 network block drops the attacker"
run V block add fd00:231:1::/64
expect_match "an IPv6 network holding an allowlisted address is refused" out "allowlisted"
run V block flush

# block.action: reject: the client is refused at once instead of timing out.
cat >rej.yaml <<YAML
store: {path: $TMP/rej.db}
block: {nft_table: vigilrej, action: reject}
YAML
run in_srv "$VIGIL" --config rej.yaml block add $ATK_IP --for 10m
expect_rc "block add with action reject exits 0" 0
connect_refused $NS_ATK $SRV_IP $PORT && ok "reject: the blocked client's connect is refused (TCP reset)" ||
	not_ok "reject: no refusal: $(in_srv nft list chain inet vigilrej input)"
in_srv nft list chain inet vigilrej input | grep -q "reject with tcp reset" &&
	ok "reject: the rules say reject" || not_ok "reject: no reject rule"
can_connect $NS_OK $SRV_IP2 $PORT && ok "reject: other clients still connect" || not_ok "reject cut off others"
run in_srv "$VIGIL" --config rej.yaml block flush
in_srv nft delete table inet vigilrej

# Consistency: when the store rolls back after the kernel took an import, or the
# kernel refuses after the records were written, neither side keeps the block.
sqlite3 b.db "CREATE TRIGGER test_fail_import BEFORE INSERT ON audit
	WHEN NEW.action = 'block.import' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
printf '198.18.7.0/24\n198.18.9.9\n' >two.txt
run V block import two.txt --expire 1h
expect_rc "an import whose store transaction fails exits 3" 3
in_srv nft get element inet vigil net4 '{ 198.18.7.5 }' >/dev/null 2>&1 &&
	not_ok "the kernel kept a network the store rolled back" ||
	ok "the kernel does not keep an import the store rolled back"
in_srv nft list set inet vigil addr4 | grep -q '198\.18\.9\.9' &&
	not_ok "the kernel kept an address the store rolled back" || ok "nor its addresses"
expect_eq "no record of the rolled-back import" \
	"$(sqlite3 b.db "select count(*) from actions where target like '198.18.%'")" 0
sqlite3 b.db "DROP TRIGGER test_fail_import"
sqlite3 b.db "CREATE TRIGGER test_fail_add BEFORE INSERT ON actions
	WHEN NEW.target = '198.18.9.9' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
run V block add 198.18.9.9
expect_rc "a block whose record cannot be written exits 3" 3
in_srv nft list set inet vigil addr4 | grep -q '198\.18\.9\.9' &&
	not_ok "an unrecorded block stayed in the kernel" || ok "a block that cannot be recorded is lifted"
sqlite3 b.db "DROP TRIGGER test_fail_add"
cat >small.yaml <<YAML
store: {path: $TMP/small.db}
block: {nft_table: vigilsmall, max_total: 4}
YAML
cat >big.yaml <<YAML
store: {path: $TMP/small.db}
block: {nft_table: vigilsmall, max_total: 1000}
YAML
run in_srv "$VIGIL" --config small.yaml block add 198.18.1.1
# the table stays as declared (size 4), so the kernel refuses what vigil allows
seq 10 30 | sed 's/^/198.18.2./' >many.txt
run in_srv "$VIGIL" --config big.yaml block import many.txt
expect_rc "an import the kernel refuses exits 3" 3
expect_eq "the store keeps no record of what the kernel refused" \
	"$(sqlite3 small.db "select count(*) from actions where target like '198.18.2.%'")" 0
expect_eq "the kernel keeps the earlier block only" \
	"$(in_srv nft list set inet vigilsmall addr4 | grep -o '198\.18\.[0-9.]*' | tr '\n' ' ')" "198.18.1.1 "
in_srv nft delete table inet vigilsmall

# Import: 100,000 distinct networks (plus comments and junk), matched by the kernel.
python3 - >nets.txt <<'PY'
print("# partner list\n; DROP-list style comment\nnot-an-address")
for i in range(100000):
    print("%d.%d.%d.0/24 ; SBL%d" % (100 + i // 65536, (i // 256) % 256, i % 256, i))
PY
run V --json block import nets.txt --expire 1h
expect_rc "import exits 0" 0
expect_match "import adds 100,000 networks" out '"added":100000'
expect_match "import counts the junk line" out '"invalid":1'
echo "# import: $OUT"
n=$(in_srv nft list set inet vigil net4 | grep -o '/24' | wc -l)
expect_eq "the kernel holds 100,000 networks" "$n" 100000
in_srv nft get element inet vigil net4 '{ 101.2.3.77 }' >/dev/null 2>&1 &&
	ok "an address inside an imported network matches" || not_ok "no kernel match for 101.2.3.77"

# Flood: 1M distinct addresses cannot push the set past block.max_total.
python3 -c "
import sys
w = sys.stdout.write
for i in range(1000000): w('11.%d.%d.%d\n' % (i >> 16, (i >> 8) & 255, i & 255))" >flood.txt
run in_srv "$VIGIL" --config cap.yaml --json block import flood.txt --expire 10m
expect_match "the flood is capped" out '"added":50000,.*"capped":950000'
n=$(in_srv nft list set inet vigilcap addr4 | grep -o '11\.[0-9.]*' | wc -l)
[ "$n" -le 50000 ] && ok "the kernel set stays at the cap ($n)" || not_ok "set grew to $n"
finish
