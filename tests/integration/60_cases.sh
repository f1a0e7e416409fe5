#!/bin/bash
# The duty workflow from the CLI on the store alone: alerts grouped into
# incidents, the full walk new -> closed with history and audit, refusals, a
# false positive turned into a suppression, notices imported and closed with
# feedback, the duty roster and SLA escalation.
source "$SRCDIR/tests/lib.sh"

cd "$TMP"
cat >c.yaml <<YAML
store: {path: $TMP/c.db}
monitor: {rules: $SRCDIR/rules}
cases: {group_by: [source_ip, family], window: 30m}
sla:
  high: {ack: 1s, dispose: 1h}
YAML
V() { "$VIGIL" --config c.yaml "$@"; }
line() {	# line IP: one UNION-based SQL injection request from IP
	echo "$1 - - [29/Nov/2026:10:00:0$2 +0000] \"GET /item.php?id=1%27%20union%20select%201,2-- HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0\""
}
{ line 203.0.113.7 1; line 203.0.113.7 2; line 198.51.100.9 3; } >a.log
run "$VIGIL" --config c.yaml scan-log --store c.db a.log
expect_rc "scan-log stores alerts" 1

run V incident sync
expect_match "sync files the stored alerts" out '^2 alerts filed'
run V incident sync
expect_match "a second sync files nothing" out '^0 alerts filed'
run V --json incident list
n=$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <<<"$OUT")
expect_eq "one incident per source address" "$n" 2
expect_match "list shows state and SLA clock" out '"state":"new".*"due_at":"'

id=$(python3 -c 'import json,sys; print([i["id"] for i in json.load(sys.stdin) if i["source_ip"]=="203.0.113.7"][0])' <<<"$OUT")
run V incident dispose "$id" --action restore --by alice
expect_rc "disposing a new incident is refused" 2
run V incident ack "$id" --by alice -m "looking"
expect_rc "ack" 0
run V incident verify "$id" --by alice
expect_rc "verify without a verdict is a usage error" 2
run V incident verify "$id" --verdict tp --by alice -m "real UNION injection"
expect_match "verify records the verdict" out 'verified'
run V incident dispose "$id" --by alice --action quarantine --target /var/www/html/shell.php \
	--result "moved to quarantine"
expect_rc "dispose links an action" 0
run V incident feedback "$id" --by alice -m "blocked at the WAF, reported to the CERT"
expect_rc "feedback" 0
run V incident close "$id" --by bob
expect_rc "close" 0
run V --json incident show "$id"
hist=$(python3 -c 'import json,sys; j=json.load(sys.stdin); print(" ".join(h["action"]+":"+h["actor"] for h in j["history"]), j["state"], len(j["actions"]))' <<<"$OUT")
expect_eq "history holds every step with who" "$hist" \
	"create:vigil ack:alice verify:alice dispose:alice feedback:alice close:bob closed 1"
run sqlite3 c.db "select count(*) from audit where action like 'incident.%'"
expect_eq "every step is in the audit log" "$OUT" 7
run V incident ack "$id"
expect_rc "a closed incident cannot be acknowledged again" 2
run V incident show 99999
expect_rc "unknown incident is a usage error" 2

# A false positive becomes a suppression: the same noise is not filed again.
other=$(sqlite3 c.db "select id from incidents where source_ip = '198.51.100.9'")
V incident ack "$other" --by carol >/dev/null
run V incident verify "$other" --by carol --verdict fp --suppress --expires 1d -m "our scanner"
expect_rc "verify --verdict fp --suppress" 0
run V --json incident suppressions
expect_match "suppression names rule, source and author" out '"rule_id":"http.sqli.union","source_ip":"198.51.100.9".*"author":"carol"'
V incident close "$other" --by carol >/dev/null
line 198.51.100.9 5 >b.log
"$VIGIL" --config c.yaml scan-log --store c.db b.log >/dev/null 2>&1
run V incident sync
run sqlite3 c.db "select count(*) from incidents where source_ip = '198.51.100.9'"
expect_eq "suppressed alert opens no incident" "$OUT" 1

# Notices: import CSV and JSON, duplicates skipped, a bad file imports nothing.
cat >n.csv <<'CSV'
kind,ref,title,asset,severity,owner,deadline,required_feedback,issuer
vulnerability,CERT-2026-001,"Struts2 RCE, S2-045",www.example.cn,critical,ops,+1d,"patch version, date",CERT
asset,CERT-2026-002,Exposed admin panel,10.0.0.5:8080,high,web,+2d,close it,CERT
CSV
cat >n.json <<'JSON'
[{"kind": "incident", "ref": "SUP-7", "title": "Defacement report", "asset": "news.example.cn",
  "severity": "high", "owner": "web", "deadline": "2026-12-31 18:00", "issuer": "supervisor"}]
JSON
printf 'kind,title,asset\nrumour,x,y\n' >bad.csv
run V notice import n.csv
expect_match "CSV import" out '^2 notices added, 0 already'
run V notice import n.csv
expect_match "re-import skips tracked notices" out '^0 notices added, 2 already'
run V notice import n.json
expect_match "JSON import" out '^1 notices added'
run V notice import bad.csv
expect_rc "a bad row is refused" 2
expect_match "the bad row is named" err 'bad.csv:2: needs kind'
run V notice add --kind vulnerability --title "OpenSSH regreSSHion" --asset bastion \
	--severity high --deadline +4h --feedback "version after upgrade" --by lead
expect_match "notice add" out 'open .*OpenSSH regreSSHion @ bastion'
run V --json notice list
n=$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <<<"$OUT")
expect_eq "four open notices" "$n" 4
run V notice close 1 --by alice
expect_rc "closing needs a re-check verdict" 2
run V notice close 1 --verdict fixed -m "upgraded to 2.5.33" --by alice
expect_match "closing prints the feedback (zh)" out '经复查，结论为「已修复」'
expect_match "closing prints the feedback (en)" out 're-check verdict: fixed. Remediation: upgraded to 2.5.33'
run V --json notice show 1
expect_match "closed notice keeps verdict and feedback" out '"state":"closed","verdict":"fixed"'

# Duty roster, handover, and escalation of an overdue incident to the next person.
run V duty add --person alice --contact alice@example.org --from -1h --to +8h --by lead
expect_rc "duty add" 0
V duty add --person bob --contact 13800000000 --from -1h --to +8h --order 1 >/dev/null
V duty add --person night --from "2026-01-01 20:00" --to "2026-01-02 08:00" --daily --order 2 >/dev/null
run V --json duty now --at "2026-03-10 03:00"
expect_match "a daily night shift covers 03:00" out '"person":"night"'
run V duty now
expect_match "alice is first on duty now" out '^#[0-9]+ +order 0 +alice'
run V duty handover alice bob -m "incident 2 still open; WAF rule pending"
expect_rc "handover" 0
run V duty handovers
expect_match "handover note is kept" out 'alice -> bob: incident 2 still open'
line 192.0.2.44 7 >c.log
"$VIGIL" --config c.yaml scan-log --store c.db c.log >/dev/null 2>&1
V incident sync >/dev/null
esc=0
for _ in $(seq 1 600); do	# high: ack clock 1 s; poll up to 60 s
	V incident sla >/dev/null
	esc=$(sqlite3 c.db "select count(*) from incident_history where action = 'escalate' and comment like '%escalated to bob%'")
	[ "$esc" -ge 1 ] && break
	sleep 0.1
done
[ "$esc" -ge 1 ] && ok "an unacknowledged incident escalates to the next person on duty" ||
	not_ok "no escalation to bob"
run V --json incident list --state new
expect_match "the overdue incident shows its escalation" out '"escalation":1'
run V incident list --bogus
expect_rc "unknown option is a usage error" 2
expect_clean_stderr "no sanitizer reports"
finish
