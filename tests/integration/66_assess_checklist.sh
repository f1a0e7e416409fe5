#!/bin/bash
# The security-management checklist (issue 13): answers with evidence (a file kept in
# the store with its SHA-256), the duty roster and the web-root backups judged from
# the store, the score, gaps filed as rectification items, and a gap that is answered
# "yes" turning verified on recheck (while an unanswered one stays open).
source "$SRCDIR/tests/lib.sh"
cd "$TMP"
mkdir -p www && echo '<html>home</html>' >www/index.html
cat >v.yaml <<YAML
store: {path: $TMP/v.db}
webroots:
  - {name: site, path: $TMP/www, policy: alert}
protect: {backup_dir: $TMP/backup, quarantine_dir: $TMP/vault}
YAML
V() { "$VIGIL" --config "$TMP/v.yaml" "$@"; }

run V --json assess checklist show
expect_rc "show on a fresh store" 0
expect_match "the duty roster is judged from the store: no shifts" out \
	'"item":"duty-roster"[^}]*"answer":"no","automatic":true'
expect_match "backups are judged: none made yet" out \
	'"item":"backups-verified"[^}]*"answer":"no","automatic":true[^}]*1 without a snapshot'
expect_match "a person's item is unanswered" out '"item":"emergency-plan"[^}]*"answer":"unanswered"'
expect_match "the score is 0" out '"score":0(\.0)?,'

run V duty add --person Alice --contact 13800000000 --from 2026-01-01 --to 2036-01-01
run V backup create
expect_rc "backup create" 0
printf 'name,team\nalice,ops\nbob,dev\n' >attendees.csv
run V assess checklist answer awareness-training yes --file attendees.csv --evidence 'held 2026-11-20'
expect_rc "an answer with a file" 0
run V assess checklist answer emergency-plan yes
expect_rc "yes without evidence is refused" 2
run V assess checklist answer no-such-item yes --evidence x
expect_rc "an unknown item is refused" 2
run V --json assess checklist show
sha=$(sha256sum attendees.csv | cut -d' ' -f1)
expect_match "the file is kept with its SHA-256" out \
	'"item":"awareness-training"[^}]*"file":"attendees.csv","file_sha256":"'"$sha"'"'
expect_match "the roster now has someone on duty" out \
	'"item":"duty-roster"[^}]*"answer":"yes"[^}]*Alice'
expect_match "the verified backup counts" out \
	'"item":"backups-verified"[^}]*"answer":"yes"[^}]*0 corrupted, 0 missing'
# weights: duty 3 + backups 3 + training 2 = 8 of 24
expect_match "the score weighs the answers" out '"score":33\.3'
run sqlite3 v.db "SELECT length(file_b64) > 0 FROM checklist_answers WHERE item = 'awareness-training'"
[ "$RC" = 0 ] && expect_eq "the file's content is in the store" "$OUT" 1

run V --json assess checklist score
expect_rc "score: gaps, exit 1" 1
expect_match "gaps are filed as items" out '"family":"checklist","check":"emergency-plan"'
expect_no_match "answered items are not gaps" out '"check":"awareness-training"'
plan_id=$(grep '"check":"emergency-plan"' <<<"$OUT" | grep -oE '"id":[0-9]+' | cut -d: -f2)
drill_id=$(grep '"check":"emergency-drill"' <<<"$OUT" | grep -oE '"id":[0-9]+' | cut -d: -f2)
run V assess checklist answer emergency-plan yes --evidence 'plan v3 approved 2026-11-01'
run V --json assess recheck "$plan_id" "$drill_id"
expect_match "an answered gap is verified on recheck" out \
	'"id":'"$plan_id"'[^}]*"passed":true[^}]*"to":"verified"'
expect_match "an unanswered gap stays open" out '"id":'"$drill_id"'[^}]*"passed":false'

# a corrupted backup object turns the backup item into a gap again
obj=$(find backup/objects -type f | head -1)
chmod u+w "$obj" && echo tampered >>"$obj"
run V --json assess checklist show
expect_match "a corrupted backup is seen" out \
	'"item":"backups-verified"[^}]*"answer":"no"[^}]*1 corrupted'
printf 'id: x\nname: y\nitems:\n  - {id: a, question: q, auto: coffee}\n' >bad.yaml
run V assess checklist show --checklist bad.yaml
expect_rc "a checklist with an unknown auto probe is refused" 2
expect_match "naming the line" err 'bad.yaml:4:[0-9]+: auto: expected'
expect_clean_stderr "clean under the sanitizers"
finish
