#!/bin/bash
# vigil scan-log: the detection engine in batch mode over files and stdin, with
# aggregation, JSON output, the store, and bad input.
source "$SRCDIR/tests/lib.sh"
cd "$SRCDIR"
log=examples/demo/access.log

run "$VIGIL" scan-log "$log"
expect_rc "attacks in the demo log exit 1" 1
expect_match "SQL injection found" out 'http\.sqli\.union +203\.0\.113\.66'
expect_match "Log4Shell found" out 'http\.java\.log4shell +192\.0\.2\.99'
expect_match "traversal found" out 'http\.traversal'
expect_match "XSS found" out 'http\.xss'
expect_no_match "the benign search is not flagged" out '198\.51\.100\.7'
expect_match "summary on stderr" err '^6 lines \(0 undecodable, 0 truncated\), 4 matched a rule'
expect_clean_stderr "scan-log: no sanitizer report"

run "$VIGIL" --json scan-log "$log"
expect_match "--json gives ECS alerts" out '"rule": ?\{"id": ?"http\.sqli\.union"'
expect_match "--json alerts carry the matched text" out '"matched": ?\{"field": ?"url\.original"'
expect_match "--json summary on stderr" err '"vigil.stats"'

run bash -c "grep -v jndi '$log' | '$VIGIL' scan-log -"
expect_rc "stdin works" 1
expect_no_match "stdin: removed line not reported" out 'log4shell'

# 20,000 requests from one scanner: a handful of aggregated alerts, not 20,000.
for i in $(seq 1 20000); do
	echo "203.0.113.9 - - [24/Nov/2026:10:00:00 +0000] \"GET /item.php?id=$i%27%20union%20select%201,2-- HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0\""
done >"$TMP/scan.log"
run "$VIGIL" --json scan-log "$TMP/scan.log"
n=$(grep -c '"rule"' <<<"$OUT")
[ "$n" -le 3 ] && ok "20,000 attack lines aggregate into $n alerts" || not_ok "20,000 lines gave $n alerts"
expect_match "the aggregate counts every request" out '"count": ?20000'

# The store receives alerts and their evidence lines.
run "$VIGIL" scan-log --store "$TMP/s.db" "$log"
expect_rc "scan-log --store" 1
expect_eq "alerts stored" "$(sqlite3 "$TMP/s.db" 'select count(*) from alerts where rule_id = "http.sqli.union"')" 1
expect_eq "evidence stored" "$(sqlite3 "$TMP/s.db" "select count(*) from alert_events e join alerts a on a.id = e.alert_id where a.rule_id = 'http.java.log4shell' and cast(e.raw as text) like '%jndi%'")" 1

# Bad input: garbage, a 1 MB line, invalid UTF-8, a truncated last line.
{ head -c 200000 /dev/urandom; echo; printf 'x%.0s' $(seq 1 1048576); echo;
  printf '203.0.113.5 - - [24/Nov/2026:10:00:00 +0000] "GET /\xff\xfe?q=1 HTTP/1.1" 200 5 "-" "-"\n';
  printf '203.0.113.6 - - [24/Nov/2026:10:00:00 +0000] "GET /../../etc/passwd HTTP/1.1" 404 0'; } >"$TMP/bad.log"
run "$VIGIL" scan-log "$TMP/bad.log"
expect_rc "garbage log still scanned" 1
expect_match "undecodable lines are counted" err '[1-9][0-9]* undecodable, 1 truncated'
expect_match "the unterminated last line is analysed" out 'http\.(traversal|lfi).*203\.0\.113\.6'
expect_clean_stderr "garbage log: no sanitizer report"

run "$VIGIL" scan-log "$TMP/nothere.log"
expect_rc "missing file exits 3" 3
expect_match "missing file is named" err 'nothere.log: No such file'

run "$VIGIL" scan-log "$TMP"
expect_rc "a directory is refused" 3

# A broken rule file: refused with file:line and rule id; --keep-going loads the rest.
mkdir -p "$TMP/rules"
cp rules/http/sqli.yaml "$TMP/rules/"
cat >"$TMP/rules/broken.yaml" <<'YAML'
- id: test.broken
  title: broken regex
  severity: high
  category: test
  fields: [url]
  patterns:
    - regex: '(unclosed'
YAML
run "$VIGIL" scan-log --rules "$TMP/rules" "$log"
expect_rc "broken rule refuses to start" 2
expect_match "broken rule named with file:line" err 'broken.yaml:[0-9]+(:[0-9]+)?: rule test.broken'
run "$VIGIL" scan-log --keep-going --rules "$TMP/rules" "$log"
expect_rc "--keep-going scans with the other rules" 1
expect_match "--keep-going still finds SQLi" out 'http\.sqli\.union'

run "$VIGIL" scan-log --bogus
expect_rc "unknown option exits 2" 2

# Compiled rules are cached by default (a start costs milliseconds, not seconds), in
# the user's cache directory and never in the working directory.
: >"$TMP/empty.log"
if need_root; then
	run "$VIGIL" scan-log "$TMP/empty.log"
	run "$VIGIL" -vv scan-log "$TMP/empty.log"
	expect_match "root: compiled rules come from /var/cache/vigil" err 'rules cache hit /var/cache/vigil/'
	U=$(mktemp -d /tmp/vigil-user.XXXXXX)
	chmod 755 "$U" && chown 65534:65534 "$U"
	cp "$TMP/empty.log" "$U/e.log" && chmod 644 "$U/e.log"
	NB=$(mktemp -d /tmp/vigil-nobody.XXXXXX) && chmod 755 "$NB"
	NB_VIGIL=$(nobody_vigil "$NB")
	as_nobody() { (cd "$U" && setpriv --reuid=65534 --regid=65534 --clear-groups \
		env HOME="$U" XDG_CACHE_HOME="$U/xdg" "$NB_VIGIL" "$@"); }
	run as_nobody scan-log e.log
	run as_nobody -vv scan-log e.log
	expect_match "user: compiled rules come from \$XDG_CACHE_HOME/vigil" err "rules cache hit $U/xdg/vigil/"
	expect_eq "user cache is private" "$(stat -c %a "$U/xdg/vigil")" 700
	expect_eq "nothing cached in the working directory" "$(ls "$U")" "$(printf 'e.log\nxdg')"
	rm -rf "$U" "$NB"
else
	skip "default rules cache locations" "needs root to test both"
fi
# --- rotated logs compressed with gzip or zstd are read, told by their magic bytes
for i in $(seq 1 300); do
	printf '203.0.113.%d - - [29/Nov/2026:10:00:00 +0000] "GET /?id=1%%20UNION%%20SELECT%%20pw%%20FROM%%20users HTTP/1.1" 200 1 "-" "M"\n' $((i % 3))
done >"$TMP/rot.log"
run "$VIGIL" scan-log "$TMP/rot.log"
plain_out=$OUT
gzip -c "$TMP/rot.log" >"$TMP/access.log.2"		# no .gz: the name must not matter
run "$VIGIL" scan-log "$TMP/access.log.2"
expect_rc "a gzip log is scanned" 1
expect_match "every line of the gzip log is read" err '^300 lines \(0 undecodable'
expect_eq "gzip gives the same alerts as the plain log" "$OUT" "$plain_out"
{ gzip -c "$TMP/rot.log"; gzip -c "$TMP/rot.log"; } >"$TMP/two.gz"
run "$VIGIL" scan-log "$TMP/two.gz"
expect_match "every member of a multi-member gzip is read" err '^600 lines \(0 undecodable'
if command -v zstd >/dev/null; then
	zstd -q -c "$TMP/rot.log" >"$TMP/access.log.3.zst"
	run "$VIGIL" scan-log "$TMP/access.log.3.zst"
	expect_rc "a zstd log is scanned" 1
	expect_match "every line of the zstd log is read" err '^300 lines \(0 undecodable'
	run "$VIGIL" scan-log - <"$TMP/access.log.3.zst"
	expect_match "zstd on stdin is read too" err '^300 lines \(0 undecodable'
else
	skip "a zstd log is scanned" "no zstd tool"
fi
head -c 200 "$TMP/access.log.2" >"$TMP/cut.gz"
run "$VIGIL" scan-log "$TMP/cut.gz"
expect_rc "a cut gzip file is an error" 3
expect_match "a cut gzip file is named as such" err 'cut.gz: corrupt or incomplete gzip data'
expect_clean_stderr "compressed input runs clean under the sanitizers"
finish
