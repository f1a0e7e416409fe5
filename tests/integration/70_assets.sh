#!/bin/bash
# The asset register from the CLI on the store alone: the declared inventory
# imported from a spreadsheet-style CSV (BOM, CRLF, quotes, Chinese headers), a
# bad file refused whole with FILE:LINE:COLUMN, two scans recorded from JSON lines,
# shadow and stale assets, classification with reasons, connection observations
# making a springboard, the diff between the scans, and CSV/JSON export.
source "$SRCDIR/tests/lib.sh"

cd "$TMP"
cat >c.yaml <<YAML
store: {path: $TMP/a.db}
YAML
V() { "$VIGIL" --config c.yaml "$@"; }
json_field() {	# json_field ADDRESS KEY: KEY of ADDRESS in the last --json list ($OUT)
	python3 -c '
import json, sys
for l in sys.stdin:
    a = json.loads(l)
    if a["address"] == sys.argv[1]:
        v = a[sys.argv[2]]
        print(" ".join(v) if isinstance(v, list) else v)' "$1" "$2" <<<"$OUT"
}

printf '\xef\xbb\xbfIP地址,系统名称,负责人,等保级别,是否互联网,角色\r\n' >inv.csv
printf '10.0.0.5,"门户, portal",张三,三级,是,web\r\n' >>inv.csv
printf '10.0.0.6,"门户, portal",李四,3,否,"admin\r\nbackend"\r\n' >>inv.csv
printf '10.0.0.7,VPN,王五,2,yes,vpn\r\n10.0.0.8,OA,赵六,1,no,\r\n' >>inv.csv
run V assets import inv.csv
expect_rc "import of a declared inventory" 0
expect_match "import counts the rows" out '^4 declared assets: 4 added'

# a bad file: every problem named, nothing imported
printf 'address,level,internet_facing\n10.0.0.9,2,yes\n10.0.1.0/24,,\n10.0.0.10,7,\n"10.0.0.11"x,,\n' >bad.csv
run V assets import bad.csv
expect_rc "a bad inventory is a usage error" 2
expect_match "a network is refused at its cell" err 'bad\.csv:3:1: a network \(CIDR\)'
expect_match "a bad level is named with line and column" err "bad\.csv:4:11: level '7'"
expect_match "a stray quote is named" err 'bad\.csv:5:12: text after a closing quote'
expect_match "says nothing was imported" err 'nothing imported'
run V --json assets
expect_no_match "no row of the bad file was imported" out '"10\.0\.0\.9"'
expect_clean_stderr "import runs clean"

cat >s1.jsonl <<'JSON'
{"address":"10.0.0.5","port":443,"service":"https","product":"nginx","version":"1.22.1","http_title":"门户首页","tls_subject":"CN=portal.example.org","tls_issuer":"CN=CA","tls_not_after":"2030-01-01T00:00:00Z"}
{"address":"10.0.0.5","port":22,"service":"ssh","product":"OpenSSH","version":"9.2p1"}
{"address":"10.0.0.6","port":8080,"service":"http","http_title":"Apache Tomcat/9.0.70 - Manager App"}
{"address":"10.0.0.7","port":443,"service":"https","http_title":"SSL VPN Service"}
{"address":"10.0.0.8","port":0}
{"summary":true,"hosts":4}
JSON
run V assets import-scan s1.jsonl --spec 10.0.0.0/28
expect_rc "first scan recorded" 0
cat >s2.jsonl <<'JSON'
{"address":"10.0.0.5","port":443,"service":"https","product":"nginx","version":"1.24.0","http_title":"Hacked by X","tls_subject":"CN=evil","tls_issuer":"CN=CA","tls_not_after":"2030-01-01T00:00:00Z"}
{"address":"10.0.0.5","port":22,"service":"ssh","product":"OpenSSH","version":"9.2p1"}
{"address":"10.0.0.6","port":8080,"service":"http","http_title":"Apache Tomcat/9.0.70 - Manager App"}
{"address":"10.0.0.7","port":443,"service":"https","http_title":"SSL VPN Service"}
{"address":"10.0.0.12","port":6379,"service":"redis","product":"Redis","version":"7.0.11","banner":"-DENIED Redis is running in protected mode\u001b[31m"}
JSON
run V assets import-scan s2.jsonl --spec 10.0.0.0/28
expect_rc "second scan recorded" 0

printf '{"address":"10.0.0.1","port":"http"}\n{"address":"10.0.0.2","port":80,"state":"maybe"}\nnot json\n' >bad.jsonl
run V assets import-scan bad.jsonl
expect_rc "a bad scan file is a usage error" 2
expect_match "a port that is not a number is named" err '^bad\.jsonl:1: .*port an integer'
expect_match "a bad state is named" err '^bad\.jsonl:2: bad observation'
expect_match "a line that is not JSON is named" err '^bad\.jsonl:3: not a JSON object'
run V --json assets scans
expect_eq "a bad scan file records no scan" "$(grep -c . <<<"$OUT")" 2

printf 'State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n' >ss.txt
printf 'ESTAB 0 0 10.0.0.30:51234 10.0.0.5:443 users:(("curl",pid=1,fd=3))\n' >>ss.txt
printf 'LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n' >>ss.txt
printf 'tcp 6 431999 ESTABLISHED src=10.0.0.31 dst=10.0.0.8 sport=40000 dport=445 src=10.0.0.8 dst=10.0.0.31 sport=445 dport=40000 [ASSURED] use=1\n' >ct.txt
run V assets observe ss.txt ct.txt
expect_rc "observations recorded" 0
expect_match "observe counts the connections" out '^2 connections recorded from 4 lines'
run V assets observe inv.csv
expect_rc "a file that is neither ss nor conntrack is refused" 2

run V --json assets
expect_rc "json list" 0
expect_eq "the undeclared redis is a shadow" "$(json_field 10.0.0.12 shadow)" True
expect_eq "shadow is its class" "$(json_field 10.0.0.12 class)" shadow
expect_eq "the declared host seen only by the first scan is stale" "$(json_field 10.0.0.8 stale)" True
expect_eq "a host in the latest scan is not stale" "$(json_field 10.0.0.5 stale)" False
expect_eq "the internet-facing level-3 system is a target" "$(json_field 10.0.0.5 class)" target
expect_eq "its admin back-end (same system) is a target too" "$(json_field 10.0.0.6 classes)" target
expect_eq "the SSL VPN is key equipment" "$(json_field 10.0.0.7 class)" key_equipment
expect_eq "a host connecting to a target is a springboard" "$(json_field 10.0.0.30 class)" springboard
expect_eq "a host connecting to a non-target is not" "$(json_field 10.0.0.31 class)" None
expect_eq "risk adds the reasons' scores (target 40 + exposed 15)" "$(json_field 10.0.0.5 risk)" 55

run V assets show 10.0.0.6
expect_match "show lists the reasons with evidence" out "admin console .*8080/tcp http_title 'Apache Tomcat"
expect_match "show lists the springboard reason" out 'same system as 10\.0\.0\.5'
run V assets show 10.0.0.12
expect_match "wire text is escaped once, never raw ESC" out 'protected mode\\x1b\[31m'
expect_no_match "and never twice (stored raw, escaped where printed)" out 'protected mode\\\\x1b'
expect_no_match "no raw escape byte reaches the terminal" out $'\x1b'

run V assets --shadow
expect_match "--shadow lists the shadow asset" out '^10\.0\.0\.12 +shadow'
expect_no_match "--shadow lists nothing else" out '^10\.0\.0\.5 '
run V assets --stale
expect_match "--stale lists the stale asset" out '^10\.0\.0\.8 +stale'
run V assets --class key_equipment
expect_match "--class filters" out '^10\.0\.0\.7 '
expect_eq "--class lists only that class" "$(grep -c '^10\.' <<<"$OUT")" 1
run V assets --port 6379 --service redis
expect_eq "--port and --service filter" "$(grep -c '^10\.' <<<"$OUT")" 1

run V assets --format csv
expect_match "CSV export has a header" out '^address,hostname,declared,shadow,stale,class'
expect_match "CSV quotes a field with a comma" out '^10\.0\.0\.5,,yes,no,no,target,.*"门户, portal"'
python3 -c 'import csv,sys; rows=list(csv.DictReader(sys.stdin)); assert len(rows)==7, len(rows); assert rows[0]["risk"]=="55"' <<<"$OUT" &&
	ok "CSV export parses back with 7 rows" || not_ok "CSV export parses back with 7 rows"

run V assets diff
expect_rc "diff reports changes with exit 1" 1
expect_match "diff: a new host" out '^\+ new_host +10\.0\.0\.12'
expect_match "diff: a gone host" out '^- gone_host +10\.0\.0\.8'
expect_match "diff: a version change" out '^~ version_changed +10\.0\.0\.5 443/tcp version: 1\.22\.1 -> 1\.24\.0'
expect_match "diff: a title change" out '^~ title_changed +10\.0\.0\.5 443/tcp http_title: 门户首页 -> Hacked by X'
expect_match "diff: a certificate change" out '^~ cert_changed +10\.0\.0\.5 443/tcp tls_subject: CN=portal\.example\.org -> CN=evil'
expect_match "diff: a new port" out '^\+ new_port +10\.0\.0\.12 6379/tcp'
run V assets diff 2 1
expect_match "diff takes two scan ids, either way round" out '^- gone_host +10\.0\.0\.12'
run V assets diff 1 99
expect_rc "diff of an unknown scan is a usage error" 2
run V --json assets diff
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["from"]["id"]==1 and d["to"]["id"]==2; assert {c["change"] for c in d["changes"]} >= {"new_host","gone_host","version_changed","cert_changed"}' <<<"$OUT" &&
	ok "diff --json names both scans and the changes" || not_ok "diff --json names both scans and the changes"

# --replace: the inventory shrinks to what the file lists
printf 'address,system\n10.0.0.5,门户\n' >small.csv
run V assets import --replace small.csv
expect_match "--replace undeclares the rest" out '1 updated, 3 no longer declared'
run V --json assets
expect_eq "an undeclared but scanned host becomes a shadow" "$(json_field 10.0.0.7 shadow)" True

# the rules are data: a broken rules file is refused with positions
printf 'rules:\n  - reason: x\n    when: {port: [0]}\n' >r.yaml
run V assets classes --rules r.yaml
expect_rc "a bad rules file is a usage error" 2
expect_match "rule errors carry file:line:col" err "r\.yaml:3:19: port: '0' is not a port"
run V assets classes
expect_match "the shipped rules load" out 'classification rules OK'
expect_clean_stderr "assets runs clean"
[ "$(stat -c %a a.db)" = 600 ] && ok "the store is 0600" || not_ok "the store is 0600"
exit $T_FAILED
