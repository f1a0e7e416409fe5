#!/bin/bash
# The duty workflow through the console's API (docs/api.md): incidents from new to
# closed and a false positive turned into a suppression, notices added, imported and
# closed with their feedback text, the duty roster; refusals without the CSRF token,
# for a viewer and for steps the state machine does not allow; the overview's open
# incidents and daemon status; the audit log naming the console user.
. "$(dirname "$0")/../lib.sh"

cat >"$TMP/vigil.yaml" <<YAML
store:
  path: $TMP/vigil.db
console:
  listen: 127.0.0.1
  port: 0
YAML
V() { "$VIGIL" --config "$TMP/vigil.yaml" "$@"; }

for ip in 203.0.113.7 198.51.100.23; do
	printf '%s - - [29/Nov/2026:22:00:00 +0000] "GET /index.php?id=1%%27%%20UNION%%20SELECT%%20password%%20FROM%%20users-- HTTP/1.1" 200 512 "-" "Mozilla/5.0 (X11; Linux x86_64)"\n' "$ip" >>"$TMP/www.log"
done
V -q scan-log --store "$TMP/vigil.db" "$TMP/www.log" >/dev/null 2>&1
run V incident sync
expect_match "two incidents are filed" out '^2 alerts filed'
for u in admin:admin analyst:analyst viewer:viewer; do
	echo "pw-${u%%:*}-123456" | V -q user add "${u%%:*}" --role "${u#*:}" --password-stdin
done

"$VIGIL" --config "$TMP/vigil.yaml" serve --ready-file "$TMP/ready" 2>"$TMP/serve.err" &
serve_pid=$!
wait_for 60 test -s "$TMP/ready"
PORT=$(sed -n 2p "$TMP/ready" 2>/dev/null)
[ -n "$PORT" ] || { not_ok "serve starts"; cat "$TMP/serve.err"; kill "$serve_pid"; finish; }
B=http://127.0.0.1:$PORT

# http METHOD PATH [curl args...]: status in $CODE, body in $BODY.
http() {
	local m=$1 p=$2; shift 2
	CODE=$(curl -s -o "$TMP/.body" -w '%{http_code}' -X "$m" "$@" "$B$p")
	BODY=$(cat "$TMP/.body")
}
login() {	# USER: cookie jar $TMP/USER.jar, CSRF token in $TMP/USER.csrf
	http POST /api/session -c "$TMP/$1.jar" -H 'Content-Type: application/json' \
		--data "{\"user\":\"$1\",\"password\":\"pw-$1-123456\"}"
	sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' <<<"$BODY" >"$TMP/$1.csrf"
}
as() {	# USER METHOD PATH [JSON]
	local u=$1 m=$2 p=$3
	http "$m" "$p" -b "$TMP/$u.jar" -H "X-CSRF-Token: $(cat "$TMP/$u.csrf")" \
		-H 'Content-Type: application/json' ${4:+--data "$4"}
}
jget() { python3 -c 'import json,sys; o=json.loads(sys.argv[1]); print(eval(sys.argv[2], {"o": o}))' "$BODY" "$1"; }
login admin; login analyst; login viewer

as viewer GET /api/incidents
expect_eq "a viewer lists incidents" "$CODE" 200
expect_eq "both incidents are open" "$(jget 'len(o["incidents"])')" 2
id=$(jget 'o["incidents"][0]["id"]')
fp=$(jget 'o["incidents"][1]["id"]')
as viewer POST "/api/incidents/$id/ack" '{}'
expect_eq "a viewer may not acknowledge (403 forbidden)" "$CODE $(jget 'o["error"]')" "403 forbidden"
http POST "/api/incidents/$id/ack" -b "$TMP/analyst.jar" -H 'Content-Type: application/json' --data '{}'
expect_eq "acknowledging without the CSRF token is refused (403 csrf)" "$CODE $(jget 'o["error"]')" "403 csrf"
as analyst POST "/api/incidents/$id/close" '{"comment":"x"}'
expect_eq "closing a new incident is refused by the state machine (409)" "$CODE $(jget 'o["error"]')" "409 bad_state"
as analyst POST "/api/incidents/$id/ack" '{"comment":7}'
expect_eq "a comment that is not text is refused (400)" "$CODE" 400
as analyst POST /api/incidents/999999/ack '{}'
expect_eq "an unknown incident is 404" "$CODE" 404

as analyst POST "/api/incidents/$id/ack" '{"comment":"on it"}'
expect_eq "analyst acknowledges" "$CODE $(jget 'o["state"]')" "200 acknowledged"
as analyst POST "/api/incidents/$id/verify" '{"verdict":"maybe"}'
expect_eq "an unknown verdict is refused (400)" "$CODE" 400
as analyst POST "/api/incidents/$id/verify" '{"verdict":"tp","comment":"real"}'
expect_eq "analyst verifies a true positive" "$(jget 'o["state"], o["verdict"]')" "('verified', 'true_positive')"
as analyst POST "/api/incidents/$id/dispose" '{"action":"format-disk"}'
expect_eq "an unknown disposal action is refused (400)" "$CODE" 400
as analyst POST "/api/incidents/$id/dispose" '{"action":"block","target":"203.0.113.7","result":"edge firewall"}'
expect_eq "the disposal is recorded as an action" "$(jget 'o["state"], o["actions"][0]["kind"], o["actions"][0]["actor"]')" "('disposed', 'block', 'analyst')"
as analyst POST "/api/incidents/$id/feedback" '{}'
expect_eq "feedback needs its text (400)" "$CODE" 400
as analyst POST "/api/incidents/$id/feedback" '{"feedback":"blocked, nothing lost"}'
expect_eq "feedback is given" "$(jget 'o["state"], o["feedback"]')" "('feedback', 'blocked, nothing lost')"
as analyst POST "/api/incidents/$id/close" '{"comment":"done"}'
expect_eq "the incident closes" "$CODE $(jget 'o["state"]')" "200 closed"
expect_eq "its history names who did each step" \
	"$(jget '[(h["action"], h["actor"]) for h in o["history"]]')" \
	"[('create', 'vigil'), ('ack', 'analyst'), ('verify', 'analyst'), ('dispose', 'analyst'), ('feedback', 'analyst'), ('close', 'analyst')]"

as analyst POST "/api/incidents/$fp/ack" '{}'
as analyst POST "/api/incidents/$fp/verify" '{"verdict":"fp","suppress":true,"expires":86400,"comment":"our scanner"}'
expect_eq "a false positive becomes a suppression" "$CODE $(jget '"suppression_id" in o')" "200 True"
as viewer GET /api/suppressions
expect_eq "the suppression is listed with its author" "$(jget 'o["suppressions"][0]["author"], o["suppressions"][0]["active"]')" "('analyst', True)"
as analyst POST "/api/incidents/$fp/close" '{}'
expect_eq "a false positive closes without disposal" "$(jget 'o["state"]')" closed

as analyst POST /api/notices '{"kind":"vulnerability","ref":"CNVD-1","title":"Struts RCE","asset":"www","severity":"high","deadline":"+2h","issuer":"CNCERT","required_feedback":"version"}'
expect_eq "a notice is added (201)" "$CODE $(jget 'o["state"]')" "201 open"
nid=$(jget 'o["id"]')
as analyst POST /api/notices '{"kind":"vulnerability","ref":"CNVD-1","title":"again","asset":"www","issuer":"CNCERT"}'
expect_eq "the same issuer and reference again is refused (409)" "$CODE" 409
as analyst POST /api/notices '{"kind":"vulnerability","ref":"X","title":"t","asset":"a","deadline":"someday"}'
expect_eq "a bad deadline is refused (400)" "$CODE" 400
as analyst POST /api/notices/import '{"text":"kind,ref,title,asset,colour\nasset,A-1,t,a,red\n"}'
expect_eq "an import with an unknown column is refused (400 bad_import)" "$CODE $(jget 'o["error"]')" "400 bad_import"
as analyst POST /api/notices/import '{"text":"[{\"kind\":\"asset\",\"ref\":\"A-1\",\"title\":\"Open Redis\",\"asset\":\"10.0.0.9\"},{\"kind\":\"asset\",\"ref\":\"A-2\",\"title\":\"Admin panel\",\"asset\":\"10.0.0.8\"}]"}'
expect_eq "a JSON list is imported" "$(jget 'o["added"], o["skipped"]')" "(2, 0)"
as viewer GET /api/notices
expect_eq "three notices are open" "$(jget 'len(o["notices"])')" 3
as analyst POST "/api/notices/$nid/close" '{"verdict":"maybe"}'
expect_eq "an unknown re-check verdict is refused (409)" "$CODE" 409
as analyst POST "/api/notices/$nid/close" '{"verdict":"fixed","note":"upgraded to 2.5.33"}'
expect_eq "the notice closes" "$CODE $(jget 'o["state"]')" "200 closed"
fb=$(jget 'o["feedback"]')
grep -q 'CNVD-1' <<<"$fb" && grep -q 'upgraded to 2.5.33' <<<"$fb" && ok "closing produces the feedback text" ||
	not_ok "closing produces the feedback text ($fb)"

as analyst POST /api/duty/shifts '{"person":"alice","from":"2026-01-01 00:00","to":"2026-01-02 00:00","daily":true}'
expect_eq "an analyst may not change the roster (403)" "$CODE" 403
as admin POST /api/duty/shifts '{"person":"alice","contact":"alice@example.gov.cn","from":"2026-01-01 00:00","to":"2026-01-02 00:00","daily":true}'
expect_eq "admin adds a shift (201)" "$CODE" 201
as admin POST /api/duty/shifts '{"person":"bob","from":"2026-01-02 00:00","to":"2026-01-01 00:00"}'
expect_eq "a shift that ends before it starts is refused (409)" "$CODE" 409
as analyst POST /api/duty/handover '{"to":"bob","note":"quiet night"}'
expect_eq "analyst writes a handover note (201)" "$CODE" 201
as viewer GET /api/duty
expect_eq "the roster shows who is on duty and the note" \
	"$(jget 'o["on_duty"][0]["person"], o["handovers"][0]["from"], o["handovers"][0]["note"]')" "('alice', 'analyst', 'quiet night')"

as viewer GET /api/overview
expect_eq "the overview counts no open incident once both closed" "$(jget 'o["incidents"]["open"], o["incidents"]["by_severity"]["high"]')" "(0, 0)"
expect_eq "the overview says watch never ran on this store" "$(jget 'o["daemon"]["watch"], o["daemon"]["running"]')" "('never', False)"
as admin GET '/api/audit?limit=200'
grep -q '"actor":"analyst","action":"incident.close"' <<<"$BODY" && grep -q '"action":"notice.close"' <<<"$BODY" &&
	ok "console steps are in the audit log under the user's name" ||
	not_ok "console steps are in the audit log under the user's name"

kill -TERM "$serve_pid"; wait "$serve_pid"
expect_eq "serve stops cleanly" "$?" 0
RC=0; OUT=""; ERR=$(cat "$TMP/serve.err")
expect_clean_stderr "serve: no sanitizer report"
finish
