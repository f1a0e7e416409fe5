#!/bin/bash
# Paths an attacker controls never lead a restore out of the web root (issue 8 "Paths")
# and sub-tree work never loses a legitimate file (issue 9): manifest entries with
# "..", `--to` targets holding a symlink, a quarantine restore through a parent swapped
# for a symlink, `blocks/` beside `blocks.php`, and (as root) the realtime restore racing
# a directory swapped for a symlink to a decoy of root-owned files.
. "$SRCDIR/tests/lib.sh"

content_is() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }
file_has() { grep -Eq -- "$2" "$1" 2>/dev/null; }
n_files_is() { [ "$(find "$1" -type f 2>/dev/null | wc -l)" = "$2" ]; }

W=$TMP/www
mkdir -p "$W/sub" "$W/blocks/inner" "$TMP/out"
echo '<p>home</p>' >"$W/index.html"
echo '<p>sub</p>' >"$W/sub/page.html"
echo '<?php // blocks loader' >"$W/blocks.php"
for i in 1 2 3 4 5; do echo "<?php // block $i" >"$W/blocks/b$i.php"; done
echo '<?php // inner' >"$W/blocks/inner/deep.php"
echo '<p>blocks-x</p>' >"$W/blocks-x.html"
cat >"$TMP/vigil.yaml" <<YAML
store: {path: vigil.db}
webroots: [{path: www, name: site, policy: restore}]
protect: {backup_dir: backup, quarantine_dir: vault}
YAML
C=(--config "$TMP/vigil.yaml")
run "$VIGIL" "${C[@]}" backup create
expect_rc "baseline" 0
SNAP=$(ls "$TMP"/backup/snapshots/site/*.json | tail -1)

# --- issue 9: blocks/ beside blocks.php -------------------------------------------
run "$VIGIL" "${C[@]}" backup restore --path blocks --to "$TMP/out/b"
expect_rc "restore --path blocks --to DIR succeeds" 0
expect_match "every entry of the subtree is counted" out "8 entries restored into .*, 0 failed"
expect_eq "all six files of blocks/ are restored" \
	"$(cd "$TMP/out/b" 2>/dev/null && find . -type f | sort | tr '\n' ' ')" \
	"./blocks/b1.php ./blocks/b2.php ./blocks/b3.php ./blocks/b4.php ./blocks/b5.php ./blocks/inner/deep.php "
expect_eq "blocks.php is not part of the blocks subtree" "$(test -e "$TMP/out/b/blocks.php" && echo yes)" ""

mv "$W/blocks" "$TMP/blocks.gone"
run "$VIGIL" "${C[@]}" backup restore
expect_rc "in-place restore of a renamed directory succeeds" 0
expect_eq "the renamed directory is back with all entries" \
	"$(cd "$W/blocks" && find . | wc -l)" 8
rm -rf "$TMP/blocks.gone"

# a sub-tree restore in place: the files after "blocks.php" in sort order are the
# baseline's, not added ones to move aside
echo 'defaced' >"$W/blocks/b2.php"
run "$VIGIL" "${C[@]}" backup restore --path blocks
expect_rc "in-place restore --path blocks succeeds" 0
expect_eq "the defaced file of blocks/ is restored" "$(cat "$W/blocks/b2.php")" '<?php // block 2'
expect_no_match "no legitimate file is moved aside by a sub-tree restore" out "moved-aside"
expect_eq "blocks/ keeps its six files after a sub-tree restore" \
	"$(cd "$W/blocks" && find . -type f | wc -l)" 6

# the periodic/overflow rescan of one directory: a sub-tree reconcile must not take
# the files after "blocks.php" in sort order for added ones
"$VIGIL" "${C[@]}" fim watch --debounce 5 >"$TMP/w.out" 2>"$TMP/w.err" &
WPID=$!
wait_for 60 file_has "$TMP/w.err" watching
echo 'defaced' >"$W/blocks/b3.php"
if wait_for 60 content_is "$W/blocks/b3.php" '<?php // block 3'; then ok "watcher restores a page in blocks/"
else not_ok "watcher restores a page in blocks/"; fi
mv "$W/blocks" "$TMP/blocks.renamed"
if wait_for 60 n_files_is "$W/blocks" 6; then
	ok "a renamed blocks/ is re-created by the watcher with every file"
else not_ok "a renamed blocks/ is re-created by the watcher with every file"; fi
kill -TERM $WPID; wait $WPID
expect_eq "no legitimate file of blocks/ was moved aside" \
	"$(grep -c 'moved-aside' "$TMP/w.out")" 0
expect_eq "blocks/ still holds its files" "$(cd "$W/blocks" && find . -type f | wc -l)" 6

# a small inotify watch limit: blocks/ is left to the periodic scan, which checks the
# sub-tree "blocks" and must not take its files for added ones (764 WordPress files
# were moved out of the site this way)
"$VIGIL" "${C[@]}" fim watch --max-watches 1 --scan-interval 1 --no-store \
	>"$TMP/s.out" 2>"$TMP/s.err" &
WPID=$!
wait_for 60 file_has "$TMP/s.err" "scanned every 1 s instead"
echo 'tampered' >"$W/blocks/inner/deep.php"
if wait_for 60 content_is "$W/blocks/inner/deep.php" '<?php // inner'; then
	ok "the periodic scan restores a page of blocks/"
else not_ok "the periodic scan restores a page of blocks/"; fi
kill -TERM $WPID; wait $WPID
expect_eq "the periodic scan moved no legitimate file aside" \
	"$(grep -c 'moved-aside' "$TMP/s.out")" 0
expect_eq "blocks/ keeps its six files under periodic scans" \
	"$(find "$W/blocks" -type f | wc -l)" 6

# --- issue 9: a CLI restore and a running watcher do not fight ----------------------
# the watcher takes the lock's shared side for each check; the CLI holds it exclusive,
# so the watcher never moves the CLI's temp files aside as added ones
cat >"$TMP/alert.yaml" <<YAML
store: {path: vigil.db}
webroots: [{path: www, name: site, policy: alert}]
protect: {backup_dir: backup, quarantine_dir: vault}
YAML
cat >"$TMP/restore.yaml" <<YAML
store: {path: vigil.db}
webroots: [{path: www, name: site, policy: restore}]
protect: {backup_dir: backup, quarantine_dir: vault}
YAML
"$VIGIL" --config "$TMP/restore.yaml" fim watch --debounce 1 >"$TMP/f.out" 2>"$TMP/f.err" &
WPID=$!
wait_for 60 file_has "$TMP/f.err" watching
bad=0
for i in $(seq 1 10); do
	# the watcher is stopped while the page is defaced, so the CLI has work to do
	kill -STOP $WPID
	for j in 1 2 3 4 5; do echo "defaced $i" >"$W/blocks/b$j.php"; done
	kill -CONT $WPID
	"$VIGIL" --config "$TMP/alert.yaml" backup restore >"$TMP/r.$i" 2>&1 || bad=$((bad + 1))
done
kill -TERM $WPID; wait $WPID
expect_eq "10 CLI restores beside a running watcher all succeed" "$bad" 0
expect_eq "the watcher moved none of the CLI's temp files aside" \
	"$(grep -c 'vigil-restore.*moved-aside' "$TMP/f.out")" 0
expect_eq "every page is back" "$(cat "$W"/blocks/b?.php | grep -c defaced)" 0

# --- issue 9: a corrupted object fails the restore loudly and the next backup repairs it
obj_of() {
	python3 - "$(ls "$TMP"/backup/snapshots/site/*.json | tail -1)" "$1" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
h = next(e["sha256"] for e in m["entries"] if e["path"] == sys.argv[2])
print("%s/%s" % (h[:2], h[2:]))
PY
}
obj="$TMP/backup/objects/$(obj_of blocks/b4.php)"
chmod u+w "$obj"; printf 'corrupt' >"$obj"; chmod 0400 "$obj"
echo 'defaced' >"$W/blocks/b4.php"
run "$VIGIL" "${C[@]}" backup restore
expect_rc "an in-place restore that cannot restore a file exits 3" 3
expect_match "it says the restore is incomplete" err "restore incomplete: 1 failed"
expect_no_match "it does not claim the change was reverted" out "1 change reverted"
run "$VIGIL" "${C[@]}" backup verify
expect_rc "verify names the corrupted object" 1
cp "$TMP/blocks.renamed/b4.php" "$W/blocks/b4.php"
run "$VIGIL" "${C[@]}" backup create
expect_rc "backup create with the good file present" 0
run "$VIGIL" "${C[@]}" backup verify
expect_rc "the new snapshot replaced the corrupted object" 0
echo 'defaced again' >"$W/blocks/b4.php"
run "$VIGIL" "${C[@]}" backup restore
expect_rc "restore works again" 0
expect_eq "the page is back" "$(cat "$W/blocks/b4.php")" '<?php // block 4'
# a same-size corruption leaves the size alone: verify unseals it for the next backup
printf 'x' | dd of="$obj" bs=1 seek=3 conv=notrunc status=none 2>/dev/null ||
	{ chmod u+w "$obj"; printf 'x' | dd of="$obj" bs=1 seek=3 conv=notrunc status=none; }
touch -d @1 "$obj"
run "$VIGIL" "${C[@]}" backup verify
expect_rc "verify finds a same-size corruption" 1
run "$VIGIL" "${C[@]}" backup create
run "$VIGIL" "${C[@]}" backup verify
expect_rc "the next backup repairs a same-size corruption verify found" 0
SNAP=$(ls "$TMP"/backup/snapshots/site/*.json | tail -1)

# --- issue 8: manifest paths are validated when read --------------------------------
cp "$SNAP" "$TMP/snap.orig"
hash=$(python3 - "$SNAP" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(next(e["sha256"] for e in m["entries"] if e["path"] == "index.html"))
PY
)
for evil in "../../escaped.txt" "sub/../../../x" "/abs.txt" "a//b" "sub/./x"; do
	python3 - "$SNAP" "$evil" "$hash" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["entries"].append({"path": sys.argv[2], "type": "file", "mode": 420, "uid": 0,
    "gid": 0, "size": 12, "mtime": 0, "sha256": sys.argv[3]})
json.dump(m, open(sys.argv[1], "w"))
PY
	run "$VIGIL" "${C[@]}" backup restore
	expect_rc "a manifest entry '$evil' makes restore refuse the snapshot" 3
	expect_match "the error names the bad entry ($evil)" err "not a clean relative path"
	cp "$TMP/snap.orig" "$SNAP"
done
expect_eq "nothing was written outside the web root" \
	"$(ls "$TMP"/escaped.txt "$TMP"/x /escaped.txt 2>/dev/null)" ""
python3 - "$SNAP" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["entries"].append({"path": "nul\u0000x", "type": "file", "mode": 420, "uid": 0,
    "gid": 0, "size": 12, "mtime": 0})
json.dump(m, open(sys.argv[1], "w"))
PY
run "$VIGIL" "${C[@]}" fim check
expect_rc "a path with a NUL inside is refused" 3
cp "$TMP/snap.orig" "$SNAP"

# --- --to: a symlink below the target is never written through --------------------
mkdir -p "$TMP/out2" "$TMP/elsewhere"
ln -s "$TMP/elsewhere" "$TMP/out2/sub"
run "$VIGIL" "${C[@]}" backup restore --to "$TMP/out2"
expect_rc "restore --to with a symlinked sub directory reports the failure" 3
expect_eq "nothing was written through out2/sub" "$(ls -A "$TMP/elsewhere")" ""
expect_match "the failure says a symlink was not followed" err "sub/page.html: .*symbolic link; not followed"
expect_eq "the rest is restored" "$(cat "$TMP/out2/index.html")" '<p>home</p>'

# --- quarantine restore through a parent replaced by a symlink ---------------------
echo '<?php eval($_POST["x"]);' >"$W/sub/shell.php"
run "$VIGIL" "${C[@]}" quarantine add "$W/sub/shell.php"
expect_rc "quarantine add" 0
qid=$(grep -Eo '[0-9a-f]{16}-[0-9]+(-[0-9]+)?' <<<"$OUT" | head -1)
mv "$W/sub" "$TMP/sub.real"
ln -s "$TMP/elsewhere" "$W/sub"
run "$VIGIL" "${C[@]}" quarantine restore "$qid"
expect_rc "quarantine restore through a symlinked parent fails" 3
expect_match "it says the directory is a symbolic link" err "symbolic link; not followed"
expect_eq "nothing was written into the link's target" "$(ls -A "$TMP/elsewhere")" ""
rm "$W/sub"; mv "$TMP/sub.real" "$W/sub"
run "$VIGIL" "${C[@]}" quarantine restore "$qid"
expect_rc "with the real directory back it restores" 0
expect_eq "the file is back" "$(cat "$W/sub/shell.php")" '<?php eval($_POST["x"]);'
rm "$W/sub/shell.php"

# --- realtime restore vs. a directory swapped for a symlink (as root) --------------
if need_root; then
	D=$TMP/decoy
	mkdir -p "$D"
	for i in $(seq 1 40); do echo "secret $i" >"$D/f$i.php"; done
	cp "$W/sub/page.html" "$D/page.html"; echo 'root secret' >"$D/page.html"
	chmod 0600 "$D"/*; chown 0:0 "$D"/*
	mkdir -p "$W/d"
	for i in $(seq 1 40); do echo "page $i" >"$W/d/f$i.php"; done
	echo 'd page' >"$W/d/page.html"
	chown -R 33:33 "$W/d"
	run "$VIGIL" "${C[@]}" backup create
	expect_rc "baseline with d/" 0
	"$VIGIL" "${C[@]}" fim watch --debounce 5 >"$TMP/r.out" 2>"$TMP/r.err" &
	WPID=$!
	wait_for 60 file_has "$TMP/r.err" watching
	# the attacker swaps d/ for a link to the decoy and back while defacing through it
	python3 - "$W" "$D" <<'PY'
import os, sys, time
w, decoy = sys.argv[1], sys.argv[2]
d, real = os.path.join(w, "d"), os.path.join(w, ".d.real")
end = time.time() + 3.0
while time.time() < end:
    try:
        os.rename(d, real)
        os.symlink(decoy, d)
        # deface the real directory, never through a link (the test's own attacker
        # must not be what touches the decoy)
        dfd = os.open(real, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            fd = os.open("f1.php", os.O_WRONLY | os.O_TRUNC | os.O_NOFOLLOW, dir_fd=dfd)
            os.write(fd, b"defaced\n")
            os.close(fd)
        finally:
            os.close(dfd)
        os.unlink(d)
        os.rename(real, d)
    except OSError:
        pass
if os.path.islink(d):
    os.unlink(d)
if os.path.isdir(real) and not os.path.exists(d):
    os.rename(real, d)
PY
	echo 'defaced' >"$W/d/f2.php"
	if wait_for 60 content_is "$W/d/f2.php" 'page 2'; then ok "the watcher restores d/ after the race"
	else not_ok "the watcher restores d/ after the race"; fi
	kill -TERM $WPID; wait $WPID
	expect_eq "no decoy file was chowned to the site owner" \
		"$(find "$D" -user 33 | wc -l)" 0
	expect_eq "no decoy file's mode was changed" "$(find "$D" -type f ! -perm 0600 | wc -l)" 0
	expect_eq "no decoy file was overwritten" "$(cat "$D/f1.php" "$D/page.html" | tr '\n' ' ')" \
		"secret 1 root secret "
	expect_eq "no restore temp file was left in the decoy" \
		"$(find "$D" -name '.vigil-restore*' | wc -l)" 0
	expect_eq "the decoy keeps all its files" "$(find "$D" -type f | wc -l)" 41
else
	skip "realtime restore race with a symlink-swapped directory" "needs root"
fi
ERR=$(cat "$TMP/w.err" "$TMP/s.err" "$TMP/f.err" "$TMP"/r.err 2>/dev/null)
expect_clean_stderr "watchers are sanitizer-clean"
finish
