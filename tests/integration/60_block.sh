#!/bin/bash
# vigil block: add/del/list/flush/import/restore in a server namespace, checked
# against the kernel: a blocked client's packets are dropped (connect times out,
# nft counters move), an allowlisted one never is, blocks expire on the kernel's
# clock, restore re-applies them, an import of 100,000 networks is matched, and a
# flood of 1M addresses stops at block.max_total.
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
  allowlist: [$OK_IP, 192.0.2.0/24]
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
in_srv python3 -m http.server --bind 0.0.0.0 $PORT >/dev/null 2>&1 & web=$!
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
