#!/bin/bash
# Web-root guard under attack (issue 9): ready means protected, uploads and excluded
# paths are still scanned for webshells, publish windows are scanned before commit.
source "$SRCDIR/tests/lib.sh"

cd "$TMP"
mkdir -p www/pages
for i in $(seq 1 3000); do echo "<html><body>page $i</body></html>" >"www/pages/p$i.html"; done
echo '<html><body>Official notice</body></html>' >www/index.html
cat >g.yaml <<YAML
store: {path: $TMP/g.db}
webroots:
  - {name: site, path: $TMP/www, policy: restore, exclude: ["wp-content/uploads/*", "cache/*"]}
protect: {backup_dir: $TMP/backup, quarantine_dir: $TMP/vault}
YAML
run "$VIGIL" --config g.yaml backup create
expect_rc "baseline for the web root" 0

# Ready means protected: a page defaced while nobody watched is already put back when
# the ready file appears (no wait after it).
echo '<h1>hacked by ready</h1>' >www/index.html
echo '<h1>hacked</h1>' >www/pages/p2999.html
# a webshell already sitting in an excluded path when watch starts
mkdir -p www/cache
cp "$SRCDIR/tests/webshell/samples/php/chopper.php" www/cache/pre.php
start() {
	rm -f ready
	"$VIGIL" --config g.yaml watch --ready-file ready >>gout.txt 2>>gerr.txt & gpid=$!
	wait_for 60 test -e ready
}
start
got=$(cat www/index.html www/pages/p2999.html)
expect_eq "tamper made while down is restored before ready" "$got" \
	"$(printf '%s\n%s' '<html><body>Official notice</body></html>' '<html><body>page 2999</body></html>')"
expect_eq "ready file is private" "$(stat -c %a ready)" 600
[ ! -e www/cache/pre.php ] && ok "webshell in an excluded path is quarantined before ready" ||
	not_ok "excluded webshell left in place at ready"
[ -d www/cache ] && ok "new directory holding an excluded area is kept" || not_ok "cache/ moved aside"

# Uploads: exclude silences tamper alerts, never webshell scanning. mkdir -p keeps the
# upload directory; a webshell is quarantined; any new script there is an alert.
mkdir -p www/wp-content/uploads/2026/11
echo canary >www/canary.txt
wait_for 60 test ! -e www/canary.txt
[ -d www/wp-content/uploads ] && ok "mkdir -p of an excluded upload tree keeps uploads/" ||
	not_ok "uploads/ moved aside"
cp "$SRCDIR/tests/webshell/samples/php/chopper.php" www/wp-content/uploads/2026/11/shell.php
wait_for 60 test ! -e www/wp-content/uploads/2026/11/shell.php &&
	ok "webshell in an excluded upload directory quarantined" || not_ok "uploads webshell left"
wait_for 60 grep -q 'WEBSHELL malicious.*uploads/2026/11/shell.php.*quarantined' gout.txt &&
	ok "uploads webshell reported" || not_ok "no report: $(cat gout.txt)"
echo '<?php echo date("Y"); ?>' >www/wp-content/uploads/2026/11/note.php
wait_for 60 grep -q 'WEBSHELL suspicious.*uploads/2026/11/note.php.*script-in-excluded-path' gout.txt &&
	ok "a new script in an upload directory is an alert" || not_ok "no alert for note.php"
[ -e www/wp-content/uploads/2026/11/note.php ] && ok "a script that is not malicious stays" ||
	not_ok "note.php removed"
echo 'changing content' >www/wp-content/uploads/2026/11/photo.jpg
# a hard link only makes IN_CREATE: the scan must not wait for a close
cp "$SRCDIR/tests/webshell/samples/php/chopper.php" linked.php
ln linked.php www/wp-content/uploads/2026/11/linked.php
wait_for 60 test ! -e www/wp-content/uploads/2026/11/linked.php &&
	ok "webshell hard-linked into uploads quarantined" || not_ok "hard-linked webshell left"
echo canary >www/canary2.txt
wait_for 60 grep -q canary2 gout.txt
OUT=$(cat gout.txt)
expect_no_match "no tamper alert for excluded content" out 'photo.jpg'

kill -TERM "$gpid"; wait "$gpid"
ERR=$(cat gerr.txt)
expect_clean_stderr "watch: no sanitizer report"
finish
