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

kill -TERM "$gpid"; wait "$gpid"
ERR=$(cat gerr.txt)
expect_clean_stderr "watch: no sanitizer report"
finish
