#!/bin/bash
# Links against the web-root guard: watch's webshell quarantine resolves beneath the root
# (issue 8: a parent swapped for a symlink to a decoy is never followed), and a write
# through a hard link from an excluded or outside path is caught (issue 9).
source "$SRCDIR/tests/lib.sh"

SAMPLES="$SRCDIR/tests/webshell/samples"
cd "$TMP"
mkdir -p www/cache www/news decoy
echo '<html><body>Official notice</body></html>' >www/index.html
echo '<p>old news</p>' >www/news/a.html
echo '<?php echo "home"; ?>' >www/index.php
cat >l.yaml <<YAML
store: {path: $TMP/l.db}
webroots:
  - {name: site, path: $TMP/www, policy: restore, exclude: ["cache/*"]}
protect: {backup_dir: $TMP/backup, quarantine_dir: $TMP/vault, scan_interval: 1s}
YAML
C=(--config l.yaml)
content_is() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }
alerts_for() { [ "$(grep -c "$1: modified" wout.txt)" -gt "$2" ]; }
run "$VIGIL" "${C[@]}" backup create
expect_rc "baseline" 0

# the decoy: a file outside the root an attacker wants vigil (root) to move or chmod
cp "$SAMPLES/php/chopper.php" decoy/s.php
chmod 640 decoy/s.php
decoy_sum=$(sha256sum decoy/s.php)

"$VIGIL" "${C[@]}" watch --ready-file ready >wout.txt 2>werr.txt & wpid=$!
trap 'kill -TERM $wpid 2>/dev/null; wait $wpid 2>/dev/null; rm -rf "$TMP"' EXIT
wait_for 60 test -e ready || not_ok "watch never became ready: $(cat werr.txt)"

# Race (issue 8): write a webshell into news/ through a descriptor of the real directory
# while news/ is swapped back and forth (renameat2 RENAME_EXCHANGE) with a symlink to the
# decoy, which holds a file of the same name. A scan or quarantine by path would reach
# the decoy's file whenever the swap lands between the watcher's look and its move.
ln -s "$TMP/decoy" x
python3 - "$TMP/www" "$SAMPLES/php/chopper.php" "$TMP/x" <<'PY' || not_ok "attacker loop failed"
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
www, shell, other = sys.argv[1], open(sys.argv[2], "rb").read(), sys.argv[3]
real = os.open(os.path.join(www, "news"), os.O_RDONLY | os.O_DIRECTORY)
def exchange():
    libc.renameat2(-100, os.path.join(www, "news").encode(), -100,
                   other.encode(), 2)  # RENAME_EXCHANGE
end = time.monotonic() + 8
i = 0
while time.monotonic() < end:
    try:
        fd = os.open("s.php", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644, dir_fd=real)
        os.write(fd, shell + b"/* %d */" % i)
        os.close(fd)
    except OSError:
        pass
    exchange()
    time.sleep(0.002 * (i % 7))
    exchange()
    time.sleep(0.002 * (i % 5))
    i += 1
PY
[ -L x ] && rm -f x
echo canary >www/canary.txt
wait_for 60 test ! -e www/canary.txt
wait_for 60 grep -q canary.txt wout.txt
expect_eq "the decoy's file outside the root is never moved or rewritten" \
	"$(sha256sum decoy/s.php 2>/dev/null)" "$decoy_sum"
expect_eq "nor chmod'ed" "$(stat -c %a decoy/s.php 2>/dev/null)" 640
expect_eq "nothing is left in the decoy directory" "$(ls -A decoy)" "s.php"
if [ -d vault/meta ] && grep -qs '"original_path": "[^"]*decoy' vault/meta/*.json; then
	not_ok "the vault holds a file from the decoy"
else ok "the vault holds no file from the decoy"; fi

# Hard links (issue 9): a write through a link in an excluded directory, or from outside
# the root, reaches the baseline file's inode without passing through a watched
# directory entry. The file's own watch (or the periodic link check) catches it.
good_php=$(cat www/index.php)
ln www/index.php www/cache/x.php
echo '<?php echo "defaced via cache"; ?>' >www/cache/x.php
wait_for 60 grep -q '^<?php echo "home"; ?>$' www/index.php &&
	ok "a write through a hard link in an excluded directory is restored" ||
	not_ok "index.php stays defaced: $(cat www/index.php)"
wait_for 60 grep -q 'index.php: modified' wout.txt && ok "and alerted" ||
	not_ok "no alert for index.php: $(tail -5 wout.txt)"
# the link made before the write is gone from index.php's inode now; write again
# through a fresh link to be sure the watch follows the restored file
rm -f www/cache/x.php
ln www/index.php www/cache/y.php
sleep 0.2	# pacing: the write comes after the link, as an attacker's would
echo '<?php echo "second"; ?>' >www/cache/y.php
wait_for 60 grep -q '^<?php echo "home"; ?>$' www/index.php &&
	ok "a second link and write is restored too" || not_ok "second write stays: $(cat www/index.php)"

good_news='<p>old news</p>'
wait_for 60 content_is www/news/a.html "$good_news" ||
	not_ok "news/a.html not back after the race: $(ls -la www)"
n_before=$(grep -c 'news/a.html: modified' wout.txt)
ln www/news/a.html outside.html
echo '<p>defaced from outside the root</p>' >outside.html
wait_for 60 content_is www/news/a.html "$good_news" &&
	ok "a write through a hard link from outside the root is restored" ||
	not_ok "news/a.html stays defaced: $(cat www/news/a.html)"
wait_for 60 alerts_for news/a.html "$n_before" &&
	ok "and alerted" || not_ok "no alert for news/a.html"
# a later write through the same outside link, now caught by the file's own watch
ln -f www/news/a.html outside.html
echo '<p>again</p>' >outside.html
wait_for 60 content_is www/news/a.html "$good_news" &&
	ok "a later write through the outside link is restored" ||
	not_ok "news/a.html stays defaced after the second write"

kill -TERM $wpid; wait $wpid
ERR=$(cat werr.txt)
expect_clean_stderr "watch: no sanitizer report"
finish
