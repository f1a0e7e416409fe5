#!/bin/bash
# The host baseline over a prepared tree: the clean control passes every shipped check
# that applies; four planted weaknesses (an Include'd sshd file letting root in, a
# world-writable config, a passwordless account, a log kept 14 days) give exactly those
# four failures, with evidence; commands are not run for a tree that is not /; the
# rectification list rechecks itself (fixed + passing -> verified, broken again ->
# reopened); fix --print writes a script and runs nothing.
source "$SRCDIR/tests/lib.sh"
if ! need_root; then
	skip "baseline over a prepared root" "needs root (root-owned files in the tree)"
	finish
fi
cd "$TMP"
echo "store: {path: $TMP/s.db}" >c.yaml
V() { "$VIGIL" --config c.yaml "$@"; }
jq_() { python3 -c "import json,sys; d=[json.loads(l) for l in sys.stdin if l.strip()]; print($1)"; }
R=$TMP/root
bash "$SRCDIR/tests/data/baseline/mkroot.sh" "$R"

run V --json assess baseline --root "$R"
expect_rc "the clean control passes" 0
expect_eq "nothing fails on the control" "$(jq_ 'd[-1]["failed"], d[-1]["hardening_index"], d[-1]["asset"]' <<<"$OUT" | tr '\n' ' ')" "0 100 web01 "
expect_eq "the control judged the Linux, Debian and OpenSSH policies, not the 8 others" \
	"$(jq_ 'd[-1]["policies"], d[-1]["policies_skipped"]' <<<"$OUT" | tr '\n' ' ')" "3 8 "

# the four planted weaknesses
echo "PermitRootLogin yes" >"$R/etc/ssh/sshd_config.d/50-cloud-init.conf"
chmod 0666 "$R/etc/app/app.conf"
echo 'guest::19700:0:99999:7:::' >>"$R/etc/shadow"
printf '/var/log/nginx/*.log {\n\tdaily\n\trotate 14\n}\n' >"$R/etc/logrotate.d/nginx"

run V --json assess baseline --root "$R"
expect_rc "the planted tree fails" 1
got=$(jq_ '" ".join(sorted(x["policy"]+":"+x["check"] for x in d if x.get("result") == "failed"))' <<<"$OUT")
expect_eq "exactly the planted failures" "$got" \
	"vigil_linux:1001 vigil_linux:1005 vigil_linux:1051 vigil_openssh:2001"
ev() { jq_ "[x['evidence'] for x in d if x.get('check') == '$1'][0]" <<<"$OUT"; }
expect_match "the sshd evidence shows the effective value" out 'saw .permitrootlogin yes'
expect_eq "the account evidence names the account" "$(ev 1001 | grep -c "guest::")" 1
expect_eq "the world-writable evidence names the file" "$(ev 1005 | grep -c "/etc/app/app.conf mode=0666")" 1
expect_eq "the retention evidence names the stanza" "$(ev 1051 | grep -c "rotate=14 period=daily days=14")" 1

run V assess baseline --root "$R"
expect_match "text output gives the hardening index" out '^hardening index 88 on web01: 30 passed, 4 failed'

run V --json assess list --family baseline
expect_eq "four items in the rectification list, re-runs did not duplicate" "$(jq_ 'len(d[0])' <<<"$OUT")" 4
sshd_id=$(jq_ '[x["id"] for x in d[0] if x["check_id"] == "vigil_openssh:2001"][0]' <<<"$OUT")
log_id=$(jq_ '[x["id"] for x in d[0] if x["check_id"] == "vigil_linux:1051"][0]' <<<"$OUT")
expect_eq "items carry the tree's host name" "$(jq_ 'd[0][0]["asset"]' <<<"$OUT")" web01

# a command rule on a copied tree is not run, and says so
mkdir -p "$TMP/pol"
cat >"$TMP/pol/cmd.yml" <<'YML'
policy: {id: t_cmd, name: command rule}
checks:
  - id: 1
    title: a command rule
    condition: all
    rules: ['c:touch /tmp/vigil-should-not-exist-$$ -> r:.']
YML
run V --json assess baseline --root "$R" --policy "$TMP/pol/cmd.yml"
expect_eq "a c: rule on a tree is not applicable" "$(jq_ 'd[0]["result"]' <<<"$OUT")" "not applicable"
expect_match "and the evidence says why" out 'skipped: the tree is not the running system'
chmod o+w "$TMP/pol/cmd.yml"
run V assess baseline --root "$R" --policy "$TMP/pol/cmd.yml"
expect_rc "a policy others may write is refused" 2
expect_match "and the reason is given" err 'not writable by others'

# fix --print writes, never runs
cp "$R/etc/shadow" "$TMP/shadow.before"
run V assess fix --print
expect_rc "fix --print" 0
expect_match "the script holds the reviewed snippet for the account" out 'passwd -l'
expect_match "and says it must be reviewed" out 'review every block'
expect_eq "nothing was run" "$(cmp -s "$R/etc/shadow" "$TMP/shadow.before" && echo same)" same
run V assess fix
expect_rc "fix without --print is refused" 2

# the rectification list rechecks itself
run V assess set-state "$sshd_id" fixed -m "said fixed, not yet" --by ops
run V --json assess recheck "$sshd_id"
expect_rc "a failing recheck is reported" 1
expect_eq "a fixed item that still fails is reopened" "$(jq_ 'd[0][0]["to"]' <<<"$OUT")" open
rm "$R/etc/ssh/sshd_config.d/50-cloud-init.conf"
run V assess set-state "$sshd_id" fixed -m "removed 50-cloud-init.conf" --by ops
run V --json assess recheck "$sshd_id" --by auditor
expect_rc "a passing recheck" 0
expect_eq "the item is verified by its recheck" "$(jq_ 'd[0][0]["to"]' <<<"$OUT")" verified
run V --json assess show "$sshd_id"
expect_eq "history: found, set-state, reopened, set-state, verified" \
	"$(jq_ '",".join(h["action"] for h in d[0]["history"])' <<<"$OUT")" \
	"found,set-state,reopened,set-state,verified"
expect_eq "the verifying recheck is credited to who ran it" \
	"$(jq_ 'd[0]["history"][-1]["actor"]' <<<"$OUT")" auditor
echo "PermitRootLogin yes" >"$R/etc/ssh/sshd_config.d/60-again.conf"
run V --json assess recheck "$sshd_id"
expect_eq "broken again: the verified item is reopened" "$(jq_ 'd[0][0]["to"]' <<<"$OUT")" open

# a full run after a real fix verifies the item
sed -i 's/rotate 14/rotate 200/' "$R/etc/logrotate.d/nginx"
run V assess baseline --root "$R"
run V --json assess show "$log_id"
expect_eq "a passing full run verifies the fixed check" "$(jq_ 'd[0]["state"]' <<<"$OUT")" verified
run V --json assess recheck
expect_eq "recheck without ids takes every open item (3 left)" "$(jq_ 'len(d[0])' <<<"$OUT")" 3
expect_clean_stderr "no sanitizer reports"
finish
