#!/bin/bash
# Faults the realtime watcher must survive: an attacker rewriting a page while it is
# being restored, an inotify queue overflow (watcher stopped while 20k events pile up),
# and a web root on a full disk (restore fails loudly, is retried, succeeds once space
# is back). The watcher keeps running through all of them.
. "$SRCDIR/tests/lib.sh"
trap 'umount "$TMP/small" 2>/dev/null; rm -rf "$TMP"' EXIT

content_is() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }
file_has() { grep -Eq -- "$2" "$1" 2>/dev/null; }

W=$TMP/www
mkdir -p "$W/css"
good='<html><body>official page</body></html>'
echo "$good" >"$W/index.html"
echo 'p { }' >"$W/css/site.css"
cat >"$TMP/vigil.yaml" <<YAML
store: {path: vigil.db}
webroots: [{path: www, name: site, policy: restore}]
protect: {backup_dir: backup}
YAML
C=(--config "$TMP/vigil.yaml")
run "$VIGIL" "${C[@]}" backup create
expect_rc "baseline" 0

"$VIGIL" "${C[@]}" fim watch --debounce 5 >"$TMP/w.out" 2>"$TMP/w.err" &
WPID=$!
wait_for 20 file_has "$TMP/w.err" watching

# an attacker rewrites the page in a tight loop for a second
python3 - "$W/index.html" <<'PY'
import sys, time
end = time.time() + 1.0
while time.time() < end:
    with open(sys.argv[1], "w") as f:
        f.write("<html><body>defaced</body></html>\n")
PY
if wait_for 10 content_is "$W/index.html" "$good"; then ok "page is restored after a rewrite race"
else not_ok "page is restored after a rewrite race"; fi
kill -0 $WPID 2>/dev/null && ok "watcher survives the race" || not_ok "watcher survives the race"

# queue overflow: stop the watcher, pile up more events than the kernel queue holds
kill -STOP $WPID
python3 - "$W/css/site.css" <<'PY'
import sys
for _ in range(12000):
    with open(sys.argv[1], "w") as f:
        f.write("p { }\n")
PY
echo 'defaced during overflow' >"$W/index.html"
kill -CONT $WPID
if wait_for 15 file_has "$TMP/w.err" "queue overflowed"; then ok "queue overflow is reported"
else not_ok "queue overflow is reported"; sed 's/^/# /' "$TMP/w.err"; fi
if wait_for 15 content_is "$W/index.html" "$good"; then ok "the rescan after an overflow restores the page"
else not_ok "the rescan after an overflow restores the page"; fi
kill -TERM $WPID; wait $WPID
expect_eq "watcher exits cleanly after the faults" "$?" 0
if file_has "$TMP/w.err" "[1-9][0-9]* queue overflows, [1-9][0-9]* rescans"; then ok "overflow and rescan are counted"
else not_ok "overflow and rescan are counted"; sed 's/^/# /' "$TMP/w.err"; fi
ERR=$(cat "$TMP/w.err")
expect_clean_stderr "watcher is sanitizer-clean through race and overflow"

# full disk: a web root on a small tmpfs, filled up by an excluded file
if need_root && mkdir -p "$TMP/small" && mount -t tmpfs -o size=256k tmpfs "$TMP/small" 2>/dev/null; then
	S=$TMP/small
	head -c 60000 /dev/zero | tr '\0' 'a' >"$S/page.html"
	cat >"$TMP/small.yaml" <<YAML
store: {path: small.db}
webroots: [{path: small, name: small, policy: restore, exclude: ["filler*"]}]
protect: {backup_dir: backup-small}
YAML
	C2=(--config "$TMP/small.yaml")
	run "$VIGIL" "${C2[@]}" backup create
	expect_rc "baseline of the small web root" 0
	"$VIGIL" "${C2[@]}" fim watch --no-store >"$TMP/s.out" 2>"$TMP/s.err" &
	SPID=$!
	wait_for 20 file_has "$TMP/s.err" watching
	dd if=/dev/zero of="$S/filler" bs=4k 2>/dev/null || true	# until the disk is full
	echo 'defaced' >"$S/page.html"
	if wait_for 10 file_has "$TMP/s.out" "page.html: modified .* -> failed \(no space left"; then
		ok "restore on a full disk fails with a clear reason"
	else not_ok "restore on a full disk fails with a clear reason"; sed 's/^/# /' "$TMP/s.out" "$TMP/s.err"; fi
	kill -0 $SPID 2>/dev/null && ok "watcher keeps running on a full disk" || not_ok "watcher keeps running on a full disk"
	rm -f "$S/filler"
	if wait_for 10 content_is "$S/page.html" "$(head -c 60000 /dev/zero | tr '\0' 'a')"; then
		ok "the failed restore is retried once space is back"
	else not_ok "the failed restore is retried once space is back"; fi
	expect_eq "no temp files are left behind" "$(find "$S" -name '.vigil-restore*' | wc -l)" 0
	# backup_dir is on another file system: an added directory is copied out, then removed
	mkdir "$S/filler-dir"; echo 'shell' >"$S/filler-dir/x.php"	# excluded while built
	mv "$S/filler-dir" "$S/evil"
	if wait_for 10 test ! -e "$S/evil"; then ok "added directory is moved across file systems"
	else not_ok "added directory is moved across file systems"; sed 's/^/# /' "$TMP/s.out"; fi
	kept=$(find "$TMP/backup-small/removed" -path '*/evil/x.php' | head -1)
	expect_eq "its file is kept under removed/" "$(cat "$kept" 2>/dev/null)" "shell"
	kill -TERM $SPID; wait $SPID
	ERR=$(cat "$TMP/s.err")
	expect_clean_stderr "watcher is sanitizer-clean on a full disk"
	grep -c "" "$TMP/s.out" | sed 's/^/# watcher lines on the small root: /'
	umount "$S"
else
	skip "restore on a full disk" "needs root and tmpfs mounts"
fi
finish
