#!/bin/bash
# The snapshot index and publishing windows moved into the backup directory's store
# (backup_dir/backup.db, issue 7). A backup directory written by an older vigil
# (manifests, no index; a window as publish/NAME.json) keeps working: the manifests
# are indexed once with a log line, the old window counts until it is committed, and
# a manifest deleted from under the index is an error, not an older baseline.
. "$SRCDIR/tests/lib.sh"

W=$TMP/www
mkdir -p "$W"
echo '<p>home</p>' >"$W/index.html"
cat >"$TMP/vigil.yaml" <<YAML
store: {path: vigil.db}
webroots: [{path: www, name: site, policy: restore}]
protect: {backup_dir: backup}
YAML
C=(--config "$TMP/vigil.yaml")
B=$TMP/backup

run "$VIGIL" "${C[@]}" backup create
expect_rc "backup create" 0
[ -f "$B/backup.db" ]
expect_eq "the backup directory has its store" "$?" 0
run "$VIGIL" "${C[@]}" backup create
# the older layout: no index, a window opened by the old `publish begin`
rm -f "$B/backup.db" "$B/backup.db-wal" "$B/backup.db-shm"
touch -d '-2 hours' "$B"/snapshots/site/*.json	# written long before the upgrade
mkdir -p "$B/publish"
printf '{"webroot":"site","since":"2026-11-01 10:00:00","baseline":"%s","note":"old"}\n' \
	"$(basename "$(ls "$B"/snapshots/site/*.json | tail -1)" .json)" >"$B/publish/site.json"

run "$VIGIL" "${C[@]}" backup list
expect_rc "backup list of an older backup directory exits 0" 0
expect_match "both old snapshots are listed" out "2 snapshots"
expect_match "the newest is the baseline" out "\(baseline\)"
expect_match "the adoption is said, with its count" err "2 snapshot manifest\(s\) .* were not in the index .*backup.db.*indexed now"
run "$VIGIL" "${C[@]}" backup list
expect_no_match "the second listing adopts nothing" err "indexed now"
if command -v sqlite3 >/dev/null; then
	expect_eq "the index holds both, marked adopted" \
		"$(sqlite3 "$B/backup.db" "select count(*) from snapshots where adopted = 1")" 2
else
	skip "index rows" "sqlite3 CLI not installed"
fi

run "$VIGIL" "${C[@]}" publish status
expect_match "the old window is still open" out "publishing window open since 2026-11-01 10:00:00"
run "$VIGIL" "${C[@]}" publish begin
expect_rc "a second window is refused while the old one is open" 2
echo '<p>release</p>' >"$W/index.html"
run "$VIGIL" "${C[@]}" fim check
expect_rc "during the old window a change is reported" 1
expect_eq "and not reverted" "$(cat "$W/index.html")" "<p>release</p>"
run "$VIGIL" "${C[@]}" publish commit
expect_rc "publish commit closes the old window" 0
[ ! -e "$B/publish/site.json" ]
expect_eq "the old state file is gone" "$?" 0
run "$VIGIL" "${C[@]}" publish status
expect_match "the window is closed" out "publishing window closed"
run "$VIGIL" "${C[@]}" backup list
expect_match "the commit's snapshot is indexed" out "3 snapshots"

run "$VIGIL" "${C[@]}" publish begin --note "next"
expect_rc "a new window is a row" 0
[ ! -e "$B/publish/site.json" ]
expect_eq "no state file is written" "$?" 0
run "$VIGIL" "${C[@]}" publish abort
expect_rc "abort closes it" 0

rm "$(ls "$B"/snapshots/site/*.json | tail -1)"
run "$VIGIL" "${C[@]}" fim check
expect_rc "a deleted newest manifest is a runtime error" 3
expect_match "it says the index names it" err "manifest is gone"
expect_clean_stderr "backup upgrade: no sanitizer reports"

finish
