#!/bin/bash
# Vulnerabilities from versions, on sample feeds written for the tests: OSV (JSON
# lines), CVE JSON 5, the Debian tracker and CISA KEV imported from files; a sample
# dpkg status of a Debian 12 tree and scanned services matched: exactly the planted
# vulnerable versions, not the backported fix, not the release the tracker calls
# unaffected, not the undetermined one, not a service without a version; KEV raises
# to critical; re-importing replaces; the items recheck (upgrade -> verified).
source "$SRCDIR/tests/lib.sh"
cd "$TMP"
echo "store: {path: $TMP/s.db}" >c.yaml
V() { "$VIGIL" --config c.yaml "$@"; }
jq_() { python3 -c "import json,sys; d=[json.loads(l) for l in sys.stdin if l.strip()]; print($1)"; }
F=$SRCDIR/tests/data/feeds
R=$TMP/root
mkdir -p "$R/etc" "$R/var/lib/dpkg"
cp "$F/os-release" "$R/etc/os-release"
cp "$F/dpkg-status" "$R/var/lib/dpkg/status"
echo db01 >"$R/etc/hostname"

run V --json feed import "$F/osv-debian.json" "$F/cve5-products.json" "$F/debian-tracker.json" "$F/kev.json"
expect_rc "the four sample feeds import" 0
expect_eq "formats are detected" "$(jq_ '" ".join(x["format"] for x in d)' <<<"$OUT")" "osv cve5 debian kev"
expect_eq "OSV JSON lines: 5 advisories, 4 ranges, the GIT range skipped" \
	"$(jq_ 'd[0]["advisories"], d[0]["ranges"], d[0]["skipped"]' <<<"$OUT" | tr '\n' ' ')" "5 4 1 "
expect_eq "tracker: the undetermined release is skipped" "$(jq_ 'd[2]["skipped"]' <<<"$OUT")" 1
run V --json feed import "$F/debian-tracker.json"
run V --json feed list
expect_eq "re-importing a feed replaces it" "$(jq_ 'len(d[0]), sum(x["ranges"] for x in d[0])' <<<"$OUT" | tr '\n' ' ')" "4 12 "
echo '{"hello": "world"}' >notfeed.json
run V feed import notfeed.json
expect_rc "a file that is not a feed is refused" 2
expect_match "and says so" err 'not an OSV, CVE JSON 5, Debian tracker or CISA KEV'
echo '{"id": "X", "affected": [' >broken.json
run V feed import broken.json
expect_rc "a broken feed is refused" 2

run V assets import-scan "$F/scan.jsonl"
expect_rc "services from a scan" 0
run V --json assess vulns --root "$R"
expect_rc "vulnerable versions found" 1
got=$(jq_ '" ".join(sorted(x["vuln"]+"@"+x["asset"] for x in d if "vuln" in x))' <<<"$OUT")
expect_eq "exactly the planted vulnerable versions" "$got" \
	"CVE-2026-90001@192.0.2.10 CVE-2026-90002@192.0.2.10 CVE-2026-90003@192.0.2.12 CVE-2026-90011@db01 CVE-2026-90014@db01 DEB-SAMPLE-0001@db01 DEB-SAMPLE-0002@db01"
expect_no_match "the backported openssl fix is not vulnerable" out 'CVE-2026-90010'
expect_no_match "bash, never affected in bookworm, is not reported" out 'CVE-2026-90012'
expect_no_match "an undetermined release is not reported" out 'CVE-2026-90013'
expect_eq "a service without a version is unknown, not vulnerable" "$(jq_ 'd[-1]["unknown"]' <<<"$OUT")" 1
expect_eq "known exploited (via the OSV alias too) are critical" \
	"$(jq_ '" ".join(sorted(x["vuln"] for x in d if x.get("known_exploited") and x["severity"] == "critical"))' <<<"$OUT")" \
	"CVE-2026-90001 DEB-SAMPLE-0001"
run V --json assess vulns --root "$R"
run V --json assess list --kind vuln
expect_eq "a second run updates the seven items" "$(jq_ 'len(d[0])' <<<"$OUT")" 7
zlib=$(jq_ '[x["id"] for x in d[0] if x["check_id"] == "DEB-SAMPLE-0001"][0]' <<<"$OUT")
ssh=$(jq_ '[x["id"] for x in d[0] if x["check_id"] == "CVE-2026-90001"][0]' <<<"$OUT")

run V assess recheck "$zlib"
expect_rc "before the upgrade the recheck fails" 1
sed -i 's/^Version: 1:1.2.13.dfsg-1$/Version: 1:1.2.13.dfsg-1+deb12u1/' "$R/var/lib/dpkg/status"
run V assess set-state "$zlib" fixed -m "apt upgrade zlib1g"
run V --json assess recheck "$zlib"
expect_eq "the upgraded package verifies its item" "$(jq_ 'd[0][0]["to"]' <<<"$OUT")" verified
sed 's/"8.9p1 Ubuntu-3ubuntu0.6"/"9.6p1"/' "$F/scan.jsonl" >scan2.jsonl
run V assets import-scan scan2.jsonl
run V --json assess recheck "$ssh"
expect_eq "a service scanned again at a fixed version verifies its item" "$(jq_ 'd[0][0]["to"]' <<<"$OUT")" verified
run V assess fix --print
expect_rc "fix --print still works with vulnerability items in the list" 0
expect_clean_stderr "no sanitizer reports"
finish
