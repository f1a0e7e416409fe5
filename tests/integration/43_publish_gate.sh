#!/bin/bash
# Publishing windows (issue 9): a webshell dropped during a window is alerted by `watch`
# and never baked into the baseline: `publish commit` scans every added or changed file
# and refuses the commit, naming it, unless it is accepted (--accept PATH, --force).
source "$SRCDIR/tests/lib.sh"

SAMPLES="$SRCDIR/tests/webshell/samples"
cd "$TMP"
mkdir -p www/news
echo '<html><body>Official notice</body></html>' >www/index.html
echo '<p>old news</p>' >www/news/a.html
cat >p.yaml <<YAML
store: {path: $TMP/p.db}
webroots:
  - {name: site, path: $TMP/www, policy: restore}
protect: {backup_dir: $TMP/backup, quarantine_dir: $TMP/vault}
YAML
C=(--config p.yaml)
run "$VIGIL" "${C[@]}" backup create
expect_rc "baseline" 0
snapshots() { ls backup/snapshots/site | wc -l; }
base_count=$(snapshots)

"$VIGIL" "${C[@]}" watch --ready-file ready >wout.txt 2>werr.txt & wpid=$!
trap 'kill -TERM $wpid 2>/dev/null; wait $wpid 2>/dev/null; rm -rf "$TMP"' EXIT
wait_for 60 test -e ready || not_ok "watch never became ready: $(cat werr.txt)"

run "$VIGIL" "${C[@]}" publish begin --note release
expect_rc "publish begin" 0
echo '<p>fresh news</p>' >www/news/a.html
cp "$SAMPLES/php/chopper.php" www/news/shell.php
cp "$SAMPLES/php/suspicious_notes.php" www/news/notes.php
wait_for 60 grep -q 'WEBSHELL malicious.*news/shell.php.*publishing window open' wout.txt &&
	ok "watch alerts on a webshell dropped during a window" ||
	not_ok "no WEBSHELL alert during the window: $(cat wout.txt)"
wait_for 60 grep -q 'WEBSHELL suspicious.*news/notes.php' wout.txt &&
	ok "watch alerts on a suspicious script dropped during a window" ||
	not_ok "no alert for notes.php"
wait_for 60 grep -q 'news/a.html: modified.*recorded' wout.txt
[ -e www/news/shell.php ] && ok "the window's webshell is left for the commit to judge" ||
	not_ok "shell.php moved during the window"
[ "$(cat www/news/a.html)" = '<p>fresh news</p>' ] && ok "the legitimate edit stays" ||
	not_ok "edit reverted during the window"

run "$VIGIL" "${C[@]}" publish commit
expect_rc "commit with a webshell in the window is refused (exit 1)" 1
expect_match "the webshell is named" out '^site: BLOCKED  news/shell\.php: malicious webshell, score [0-9]+ \(.*china-chopper'
expect_match "the suspicious script is named" out '^site: BLOCKED  news/notes\.php: suspicious webshell'
expect_no_match "the legitimate edit is not flagged" out 'a\.html'
expect_match "the refusal says how to go on" err 'commit refused: 2 files .*--accept PATH'
expect_eq "no new snapshot: the baseline is unchanged" "$(snapshots)" "$base_count"
run "$VIGIL" "${C[@]}" publish status
expect_match "the window stays open" out 'publishing window open'

# a script padded past the scanner's limit cannot be vouched for either
{ echo '<?php echo "padded";'; head -c $((9 * 1024 * 1024)) /dev/zero | tr '\0' ' '; } >www/news/big.php
head -c $((9 * 1024 * 1024)) /dev/zero >www/news/video.mp4
run "$VIGIL" "${C[@]}" publish commit --accept news/shell.php --accept 'news/notes.*'
expect_rc "a padded script still blocks (exit 1)" 1
expect_match "the padded script is named as not scanned" out 'BLOCKED  news/big\.php: not scanned: a server-side script over'
expect_match "accepted files are listed as accepted" out '^site: ACCEPTED news/shell\.php'
expect_no_match "a large non-script file does not block" out 'video\.mp4'
expect_eq "still no new snapshot" "$(snapshots)" "$base_count"

rm www/news/big.php
run "$VIGIL" "${C[@]}" publish commit --accept news/shell.php --accept 'news/notes.*'
expect_rc "commit with every finding accepted" 0
expect_match "commit says what it scanned" out 'committed as snapshot .*files scanned for webshells, 2 accepted'
expect_eq "a new snapshot" "$(snapshots)" "$((base_count + 1))"
if command -v sqlite3 >/dev/null; then
	run sqlite3 p.db "select action, detail from audit where action='publish.accept'"
	expect_match "accepting is audited" out 'publish.accept\|site: news/shell.php: malicious'
else
	skip "audit check" "sqlite3 CLI not installed"
fi

# --force accepts everything, still listed
run "$VIGIL" "${C[@]}" publish begin
cp "$SAMPLES/php/chopper.php" www/news/shell2.php
run "$VIGIL" "${C[@]}" --json publish commit --force
expect_rc "commit --force" 0
expect_match "forced files are still listed (JSON)" out '"path":"news/shell2.php","gate":"accepted"'

# outside a window, the same drop is quarantined as before
cp "$SAMPLES/php/chopper.php" www/news/shell3.php
wait_for 60 test ! -e www/news/shell3.php && ok "outside a window a webshell is quarantined" ||
	not_ok "shell3.php left in place"

kill -TERM $wpid; wait $wpid
ERR=$(cat werr.txt)
expect_clean_stderr "watch: no sanitizer report"
finish
