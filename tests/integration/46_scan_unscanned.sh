#!/bin/bash
# `vigil scan` blind spots (issue 9, issue 11): what is not scanned is a finding with a
# reason, in text and JSON, with exit 4; depth and path length never stop the walk.
source "$SRCDIR/tests/lib.sh"

SAMPLES="$SRCDIR/tests/webshell/samples"
cd "$TMP"

# A webshell padded past --max-size: reported as not scanned, not passed as clean.
mkdir big
{ cat "$SAMPLES/php/chopper.php"; head -c 20000 /dev/zero | tr '\0' ' '; } >big/padded.php
echo '<p>plain</p>' >big/ok.html
run "$VIGIL" scan --max-size 10k big
expect_rc "a file over --max-size makes the run exit 4" 4
expect_match "text: the padded shell is a not-scanned finding" out \
	'^not-scanned +- +not scanned: over the size limit \([0-9]+ bytes > 10240\) +big/padded\.php$'
run "$VIGIL" scan --json --max-size 10k big
expect_rc "JSON: exit 4" 4
expect_match "JSON: not-scanned finding with reason and size" out \
	'^\{"path":"big/padded\.php","level":"not-scanned","reason":"too_big","finding":"not scanned: over the size limit[^"]*","size":[0-9]+\}$'
# a real finding still wins the exit code
cp "$SAMPLES/php/chopper.php" big/shell.php
run "$VIGIL" scan --max-size 10k big
expect_rc "a finding and a not-scanned file: exit 1" 1
expect_match "both are listed" out 'not-scanned .*padded\.php'
rm big/shell.php

# 300 levels deep (more than the old 256-level limit): the shell at the bottom is found.
d=deep
for i in $(seq 1 300); do d="$d/d"; done
mkdir -p "$d"
cp "$SAMPLES/php/chopper.php" "$d/shell.php"
run "$VIGIL" scan --json deep
expect_rc "a shell 300 directories deep is found (exit 1)" 1
expect_match "the deep shell is reported malicious" out '"level":"malicious"'
expect_no_match "nothing is skipped for depth" out 'not-scanned'

# A path longer than PATH_MAX (25 levels of 200-character names, ~5,000 bytes).
name=$(printf 'n%.0s' $(seq 1 200))
mkdir long
( cd long && for i in $(seq 1 25); do mkdir "$name" && cd "$name" || exit 1; done &&
	cp "$SAMPLES/php/chopper.php" shell.php )
run "$VIGIL" scan --json long
expect_rc "a shell below a path longer than PATH_MAX is found (exit 1)" 1
path=$(grep -o '"path":"[^"]*"' <<<"$OUT" | head -1)
expect_eq "the whole path is reported" "$(( ${#path} > 5000 ))" 1
expect_match "the long-path shell is malicious" out '"level":"malicious".*"families":\[[^]]*china-chopper'

# Unreadable file and directory: needs a user the permission bits apply to.
U=$(mktemp -d /tmp/vigil-unscanned.XXXXXX)
trap 'chmod -R u+rwx "$U" 2>/dev/null; rm -rf "$U" "$TMP"' EXIT
chmod 755 "$U"
mkdir "$U/www" "$U/www/locked"
echo '<?php echo 1;' >"$U/www/secret.php"
echo '<?php echo 2;' >"$U/www/locked/inner.php"
echo '<p>ok</p>' >"$U/www/ok.html"
chmod 755 "$U/www"
chmod 000 "$U/www/secret.php" "$U/www/locked"
if [ "$(id -u)" = 0 ]; then
	chown -R nobody "$U/www"
	chown root "$U/www/secret.php" "$U/www/locked"
	AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
	V=$(nobody_vigil "$U/nb") RULES=$U/nb/rules/webshell
else
	AS=()
	V=$VIGIL RULES=$SRCDIR/rules/webshell
fi
run "${AS[@]}" "$V" scan --rules "$RULES" "$U/www"
expect_rc "unreadable file and directory: exit 4" 4
expect_match "text: the unreadable file is a finding" out \
	"^not-scanned +- +not scanned: unreadable \(Permission denied\) +$U/www/secret\.php$"
expect_match "text: the unreadable directory is a finding" out \
	"^not-scanned +- +not scanned: directory unreadable, nothing below it scanned \(Permission denied\) +$U/www/locked$"
run "${AS[@]}" "$V" scan --json --rules "$RULES" "$U/www"
expect_rc "JSON: unreadable, exit 4" 4
expect_match "JSON: unreadable file" out '"path":"[^"]*/www/secret\.php","level":"not-scanned","reason":"unreadable"'
expect_match "JSON: unreadable directory" out '"path":"[^"]*/www/locked","level":"not-scanned","reason":"directory_unreadable"'
expect_clean_stderr "unreadable: no sanitizer reports"

# everything readable and clean: exit 0, no finding
chmod 644 "$U/www/secret.php"; chmod 755 "$U/www/locked"
run "${AS[@]}" "$V" scan --rules "$RULES" "$U/www"
expect_rc "all scanned, nothing found: exit 0" 0
finish
