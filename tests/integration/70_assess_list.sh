#!/bin/bash
# The rectification list from the CLI: items entered by hand and from a notice,
# owner and deadline, states with history (who, when), a person's verification
# only for items no check can re-run, accepted risk with its approver, CSV and
# JSON export with a formula-looking title defused.
source "$SRCDIR/tests/lib.sh"

cd "$TMP"
cat >c.yaml <<YAML
store: {path: $TMP/c.db}
YAML
V() { "$VIGIL" --config c.yaml "$@"; }
jq_() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

run V --json assess add --title "Exposed admin console" --asset 192.0.2.10 --severity high \
	--owner alice --deadline +3d --by lead
expect_rc "add a hand entry" 0
id=$(jq_ 'd["id"]' <<<"$OUT")
expect_eq "the entry is open and owned" "$(jq_ 'd["state"]+"/"+d["owner"]+"/"+d["kind"]' <<<"$OUT")" \
	"open/alice/notice"

run V notice add --kind vulnerability --title "Struts RCE on portal" --asset portal.example \
	--severity critical --issuer CERT --ref N-1 --by lead
expect_rc "a regulator notice" 0
run V --json assess add --from-notice 1 --by lead
expect_rc "the notice becomes an item" 0
nid=$(jq_ 'd["id"]' <<<"$OUT")
expect_eq "the item takes the notice's title and severity" \
	"$(jq_ 'd["title"]+"/"+d["severity"]' <<<"$OUT")" "Struts RCE on portal/critical"
run V --json assess add --from-notice 1 --by lead
expect_eq "adding the notice again updates the same item" "$(jq_ 'd["id"]' <<<"$OUT")" "$nid"

run V assess set-state "$id" fixing --by alice
expect_rc "owner starts fixing" 0
run V assess set-state "$id" verified --by alice
expect_rc "verifying by hand needs a note" 2
run V --json assess set-state "$id" verified -m "console now behind VPN, checked from outside" --by alice
expect_eq "a person verifies a hand entry" "$(jq_ 'd["state"]' <<<"$OUT")" "verified"
run V --json assess show "$id"
expect_eq "history keeps who moved it" \
	"$(jq_ '",".join(h["actor"]+":"+h["action"] for h in d["history"])' <<<"$OUT")" \
	"lead:found,lead:assign,alice:set-state,alice:verified-by-hand"

run V assess accept "$nid" --approver ciso
expect_rc "accepting needs a reason" 2
run V --json assess accept "$nid" --approver ciso --reason "WAF virtual patch until 12-05" --by lead
expect_eq "accepted with its approver" "$(jq_ 'd["state"]+"/"+d["approver"]' <<<"$OUT")" \
	"accepted/ciso"

run V --json assess list
expect_eq "the open list leaves verified and accepted items out" "$(jq_ 'len(d)' <<<"$OUT")" 0
run V --json assess list --all
expect_eq "--all lists both" "$(jq_ 'len(d)' <<<"$OUT")" 2

run V assess add --title "=cmd|' /C calc'!A0" --asset 192.0.2.11 --by lead
run V assess export --format csv
expect_match "CSV has its header" out '^id,kind,family,check_id,asset'
expect_match "a formula-looking title is defused" out "\"'=cmd"
expect_match "CSV carries the approver" out '"ciso"'
run V assess export --format json --output "$TMP/list.json"
expect_rc "JSON export to a file" 0
expect_eq "the export file is private" "$(stat -c %a "$TMP/list.json")" 600
expect_eq "the JSON export has every item with history" \
	"$(jq_ 'len(d), len(d[0]["history"]) > 0' <"$TMP/list.json" | tr -d '\n ')" "3True"
run V assess export --format json --output "$TMP/list.json"
expect_rc "export refuses to overwrite" 3
run V assess recheck "$id"
expect_match "a hand entry is not rechecked by a machine" out 'SKIPPED.*person'
run V assess show 999
expect_rc "unknown item" 2
expect_clean_stderr "no sanitizer reports"
finish
