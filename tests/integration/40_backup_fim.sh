#!/bin/bash
# Web-root protection end to end: backup create/list/verify/restore, fim check for
# every change kind with tamper flags, `fim watch` with policy restore (tampered page
# put back, added file moved aside, new directory, watch-limit fallback), publishing
# window, corrupted objects and odd files (FIFO, symlink loop).
. "$SRCDIR/tests/lib.sh"

W=$TMP/www
mkdir -p "$W/css" "$W/news/2024"
printf '<html>\n<body>\n<h1>City portal</h1>\n<p>Welcome</p>\n</body>\n</html>\n' >"$W/index.html"
echo 'body { color: #333 }' >"$W/css/site.css"
echo '<p>old news</p>' >"$W/news/2024/a.html"
ln -s index.html "$W/home.html"
cat >"$TMP/vigil.yaml" <<YAML
store:
  path: vigil.db
webroots:
  - path: www
    name: site
    policy: restore
    exclude: ["*.tmp", "cache"]
protect:
  backup_dir: backup
YAML
C=(--config "$TMP/vigil.yaml")

# content_is FILE TEXT: FILE holds exactly TEXT (evaluated on each call).
content_is() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }


run "$VIGIL" "${C[@]}" backup create
expect_rc "backup create succeeds" 0
expect_match "backup create counts files and new objects" out "site: snapshot [0-9T.]+Z: 3 files .* 3 new objects"
run "$VIGIL" "${C[@]}" backup create
expect_match "a second backup stores no duplicate objects" out "0 new objects"
run "$VIGIL" "${C[@]}" backup list
expect_match "backup list shows both snapshots and the baseline" out "2 snapshots"
expect_match "backup list marks the newest as baseline" out "\(baseline\)"
run "$VIGIL" "${C[@]}" backup verify
expect_rc "verify of a sound store exits 0" 0
expect_match "verify counts the objects" out "3 objects checked: 0 corrupted, 0 missing"
expect_clean_stderr "backup commands are sanitizer-clean"

run "$VIGIL" "${C[@]}" fim check
expect_rc "fim check on an unchanged tree exits 0" 0

# one change of each kind
printf '<html>\n<body>\n<h1>City portal</h1>\n<p>Welcome</p>\n<div style="display:none"><a href="http://bet.example/">澳门博彩 casino</a></div>\n<script src="https://cdn.evil.example/x.js"></script>\n</body>\n</html>\n' >"$W/index.html"
echo '<p>new</p>' >"$W/news/extra.html"
rm "$W/news/2024/a.html"
chmod 600 "$W/css/site.css"
ln -sfn /etc/passwd "$W/home.html"
mkdir -p "$W/cache"; echo x >"$W/cache/c.html"; echo y >"$W/x.tmp"
if need_root; then chown 65534 "$W/css/site.css"; fi
run "$VIGIL" "${C[@]}" --json fim check
expect_rc "fim check with changes exits 1" 1
expect_match "check reports the added file" out '"path":"news/extra.html".*"changes":\["added"\]'
expect_match "check reports the deleted file" out '"path":"news/2024/a.html".*"changes":\["deleted"\]'
expect_match "check reports modified content" out '"path":"index.html".*"changes":\["content"\]'
expect_match "check reports the mode change" out '"path":"css/site.css".*"mode"'
expect_match "check reports the symlink retarget" out '"path":"home.html".*"changes":\["symlink"\]'
if need_root; then
	expect_match "check reports the owner change" out '"path":"css/site.css".*"owner"'
else
	skip "check reports the owner change" "needs root"
fi
expect_no_match "excluded paths are not reported" out '"path":"(cache|x\.tmp)'
expect_match "tamper flags name the hidden link" out '"flag":"hidden-link"'
expect_match "tamper flags name the gambling words" out '"flag":"spam-words"'
expect_match "tamper flags name the external script" out '"flag":"external-script","match":"<script src=\\"https://cdn.evil.example/x.js'
expect_match "the alert carries a unified diff" out '"diff":"--- a/index.html\\n\+\+\+ b/index.html\\n@@ -2,5 \+2,7 @@'
run "$VIGIL" "${C[@]}" fim check
expect_match "text check says what was injected" out "index.html: modified \[content\]; injected: hidden link"

run "$VIGIL" "${C[@]}" backup restore
expect_rc "backup restore succeeds" 0
run "$VIGIL" "${C[@]}" fim check
expect_rc "after restore the tree matches the baseline" 0
expect_eq "restored symlink points back" "$(readlink "$W/home.html")" "index.html"
expect_eq "added file was moved aside, not deleted" \
	"$(find "$TMP/backup/removed" -name extra.html | wc -l)" 1

run "$VIGIL" "${C[@]}" backup restore --to "$TMP/copy" --path news
expect_rc "restore of one subtree into another directory" 0
expect_eq "the subtree file is there" "$(cat "$TMP/copy/news/2024/a.html")" "<p>old news</p>"

# ---- realtime ----
echo 'changed while nobody watched' >"$W/css/site.css"
"$VIGIL" "${C[@]}" fim watch --debounce 10 >"$TMP/watch.out" 2>"$TMP/watch.err" &
WPID=$!
wait_for 20 grep -qs "watching" "$TMP/watch.err"
expect_match_file() { if grep -Eq -- "$3" "$2"; then ok "$1"; else not_ok "$1"; sed 's/^/# /' "$2" | head -30; fi; }
# excluded directories are watched too (scripts dropped there are scanned)
expect_match_file "watcher reports it is watching all directories" "$TMP/watch.err" "watching 5 directories"

if wait_for 10 content_is "$W/css/site.css" 'body { color: #333 }'; then
	ok "a change made before the watcher started is restored at start"
else not_ok "a change made before the watcher started is restored at start"; fi

good=$(cat "$W/index.html")
echo '<html><body>HACKED BY nobody<iframe src="http://evil.example/"></iframe></body></html>' >"$W/index.html"
if wait_for 10 content_is "$W/index.html" "$good"; then ok "tampered page is restored by the watcher"
else not_ok "tampered page is restored by the watcher"; fi
wait_for 5 grep -qs "index.html: modified" "$TMP/watch.out"
expect_match_file "watch alert says restored and what was injected" "$TMP/watch.out" \
	"index.html: modified \[content\] -> restored; injected: .*iframe"

echo '<?php /* dropped */ ?>' >"$W/css/drop.php"
if wait_for 10 test ! -e "$W/css/drop.php"; then ok "added file is moved aside by the watcher"
else not_ok "added file is moved aside by the watcher"; fi
wait_for 5 grep -qs "drop.php: added" "$TMP/watch.out"
expect_eq "the moved-aside file is kept in removed/" \
	"$(find "$TMP/backup/removed" -name drop.php | wc -l)" 1

mkdir "$W/newdir"
if wait_for 10 test ! -e "$W/newdir"; then ok "added directory is moved aside"
else not_ok "added directory is moved aside"; fi

rm "$W/news/2024/a.html"
if wait_for 10 test -f "$W/news/2024/a.html"; then ok "deleted file is restored"
else not_ok "deleted file is restored"; fi

mv "$W/news" "$W/news-moved"
if wait_for 10 content_is "$W/news/2024/a.html" "<p>old news</p>" && wait_for 10 test ! -e "$W/news-moved"; then
	ok "a renamed directory is put back and the new name moved aside"
else not_ok "a renamed directory is put back and the new name moved aside"; ls -R "$W" | sed 's/^/# /'; fi
echo 'deep tamper' >"$W/news/2024/a.html"
if wait_for 10 content_is "$W/news/2024/a.html" "<p>old news</p>"; then
	ok "the restored directory is watched again"
else not_ok "the restored directory is watched again"; fi

# a file written in several chunks is judged once, after it went quiet
{ printf 'part1 '; sleep 0.05; printf 'part2 '; sleep 0.05; printf 'part3\n'; } >"$W/css/site.css"
if wait_for 10 content_is "$W/css/site.css" 'body { color: #333 }'; then
	ok "a chunked write is restored"
else not_ok "a chunked write is restored"; fi

# publishing window: changes are recorded, not reverted; commit makes a new baseline
run "$VIGIL" "${C[@]}" publish begin --note "test release"
expect_rc "publish begin" 0
echo '<p>fresh news</p>' >"$W/news/2024/a.html"
echo '<p>brand new page</p>' >"$W/news/b.html"
wait_for 5 grep -qs "news/b.html: added \[added\] -> recorded" "$TMP/watch.out"
expect_match_file "during publishing, changes are recorded" "$TMP/watch.out" "news/b.html: added \[added\] -> recorded"
expect_eq "during publishing, the edit stays" "$(cat "$W/news/2024/a.html")" "<p>fresh news</p>"
run "$VIGIL" "${C[@]}" publish diff
expect_match "publish diff shows the edit" out "^\+<p>fresh news</p>"
run "$VIGIL" "${C[@]}" publish status
expect_match "publish status says the window is open" out "publishing window open since"
run "$VIGIL" "${C[@]}" publish commit
expect_rc "publish commit" 0
expect_match "commit names the new baseline" out "committed as snapshot"
sleep 0.3
echo 'defaced' >"$W/news/2024/a.html"
if wait_for 10 content_is "$W/news/2024/a.html" "<p>fresh news</p>"; then
	ok "after commit the watcher restores the published version"
else not_ok "after commit the watcher restores the published version ($(cat "$W/news/2024/a.html"))"; fi
test -f "$W/news/b.html" && ok "the published new page stays" || not_ok "the published new page stays"

kill -TERM $WPID; wait $WPID; WRC=$?
expect_eq "watcher stops cleanly on SIGTERM" "$WRC" 0
if command -v sqlite3 >/dev/null; then
	expect_eq "the restore is an alert in the store" \
		"$(sqlite3 "$TMP/vigil.db" "select count(*) from alerts where rule_id='fim.modified' and title like '%index.html%iframe%'")" 1
	expect_eq "publishing changes are audit rows, not alerts" \
		"$(sqlite3 "$TMP/vigil.db" "select count(*) from alerts where title like '%news/b.html%'")" 0
	run sqlite3 "$TMP/vigil.db" "select action, detail from audit"
	expect_match "the audit log names each action" out "moved-aside\|.*css/drop.php"
	expect_match "the audit log holds the publishing changes" out "publish.change\|.*news/b.html: added"
	expect_match "the audit log holds publish begin and commit" out "publish.commit\|site"
else
	skip "store checks" "sqlite3 CLI not installed"
fi
ERR=$(cat "$TMP/watch.err")
expect_clean_stderr "watcher is sanitizer-clean"
expect_match "watcher prints its counters on exit" err "stopped; [0-9]+ events"

run "$VIGIL" "${C[@]}" publish abort
expect_rc "abort without a window is a usage error" 2
run "$VIGIL" "${C[@]}" publish begin
echo 'oops' >"$W/index.html"; echo 'junk' >"$W/junk.html"
run "$VIGIL" "${C[@]}" publish abort
expect_rc "publish abort" 0
run "$VIGIL" "${C[@]}" fim check
expect_rc "abort puts the baseline back" 0

# watch-limit fallback: with one watch only, subdirectories are scanned periodically
"$VIGIL" "${C[@]}" fim watch --max-watches 1 --scan-interval 1 --no-store >"$TMP/w2.out" 2>"$TMP/w2.err" &
WPID=$!
wait_for 20 grep -qs "watching" "$TMP/w2.err"
expect_match_file "watch limit is reported with the fallback" "$TMP/w2.err" "scanned every 1 s instead"
echo 'tampered deep' >"$W/news/2024/a.html"
if wait_for 10 content_is "$W/news/2024/a.html" "<p>fresh news</p>"; then
	ok "unwatched directories are still protected by periodic scans"
else not_ok "unwatched directories are still protected by periodic scans"
	sed 's/^/# /' "$TMP/w2.out" "$TMP/w2.err"; fi
kill -TERM $WPID; wait $WPID

# odd files: a FIFO is recorded and never opened; a symlink loop is just a symlink
mkfifo "$W/pipe"; ln -s loop "$W/loop"
run timeout 120 "$VIGIL" "${C[@]}" --json fim check
expect_rc "fim check with a FIFO and a symlink loop finishes" 1
expect_match "the FIFO is reported as an added special file" out '"path":"pipe".*"type":"other"'
rm "$W/pipe" "$W/loop"

# a corrupted object is detected and never restored
obj=$(find "$TMP/backup/objects" -type f | head -1)
hash=$(basename "$(dirname "$obj")")$(basename "$obj")
victim=$(grep -o "\"path\":\"[^\"]*\",\"type\":\"file\",[^}]*\"sha256\":\"$hash\"" \
	"$(ls "$TMP"/backup/snapshots/site/*.json | tail -1)" | head -1 | sed 's/"path":"\([^"]*\)".*/\1/')
chmod u+w "$obj"; echo 'corrupt' >>"$obj"
run "$VIGIL" "${C[@]}" backup verify
expect_rc "verify finds the corrupted object" 1
expect_match "verify names the corrupted object" out "corrupted object .*${hash:2}"
if [ -n "$victim" ]; then
	echo 'attacker' >"$W/$victim"
	run "$VIGIL" "${C[@]}" backup restore
	expect_match "restore refuses a corrupted object" out "corrupted or missing; not restored"
	expect_eq "the file is not replaced by corrupted data" "$(cat "$W/$victim")" "attacker"
else
	not_ok "found the file of the corrupted object"
fi

printf '{"entries": 3' >"$TMP/backup/snapshots/site/99999999T000000.000000Z.json"
run "$VIGIL" "${C[@]}" fim check
expect_rc "a malformed snapshot is a runtime error" 3
expect_match "the error names the snapshot file" err "99999999T000000.000000Z.json:1:"
expect_clean_stderr "no sanitizer report on a malformed snapshot"

finish
