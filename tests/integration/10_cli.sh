#!/bin/bash
# The real binary's command line: help, version, usage errors, check-config, store
# migrations and refusals, and the demo.
source "$SRCDIR/tests/lib.sh"

run "$VIGIL" --help
expect_rc "--help exits 0" 0
expect_match "--help lists the commands" out '^  check-config '
expect_match "--help lists store" out '^  store '
expect_match "--help documents exit codes" out 'exit codes: 0 ok'

run "$VIGIL" --version
expect_match "--version prints a version" out '^vigil [0-9]+\.[0-9]+'

run "$VIGIL"
expect_rc "no command is a usage error" 2
expect_match "no command prints usage" err '^usage: vigil'

run "$VIGIL" frobnicate
expect_rc "unknown command exits 2" 2
expect_match "unknown command is named" err "unknown command 'frobnicate'"

run "$VIGIL" --bogus check-config
expect_rc "unknown global option exits 2" 2
expect_match "unknown option is named" err "unknown option '--bogus'"

run "$VIGIL" check-config --help
expect_match "command --help prints its usage" out '^usage: vigil check-config'

run "$VIGIL" check-config "$SRCDIR/examples/vigil.yaml"
expect_rc "shipped example config is valid" 0

run "$VIGIL" check-config "$SRCDIR/examples/vigil.yaml" --json
expect_match "--json after the command works" out '"backend": "sqlite"'
run "$VIGIL" --json check-config "$SRCDIR/examples/vigil.yaml"
expect_match "--json before the command works" out '"policy": "restore"'

# A broken copy: wrong type on line 7, column 13 (max_line), must name line:col and key.
sed 's/max_line: 64k /max_line: lots/' "$SRCDIR/examples/vigil.yaml" >"$TMP/broken.yaml"
sed -i 's/^  level: info/  level: loud/' "$TMP/broken.yaml"
cp -r "$SRCDIR/examples/demo" "$TMP/demo"
run "$VIGIL" check-config "$TMP/broken.yaml"
expect_rc "broken config exits 2" 2
line=$(grep -n 'max_line: lots' "$TMP/broken.yaml" | cut -d: -f1)
expect_match "error names file:line:col and key" err "broken.yaml:$line:13: monitor.max_line: expected a size"
expect_match "every error is reported" err "log.level: unknown value 'loud'"

printf 'store:\n  path: [unclosed\n' >"$TMP/syntax.yaml"
run "$VIGIL" check-config "$TMP/syntax.yaml"
expect_rc "YAML syntax error exits 2" 2
expect_match "syntax error has a position" err 'syntax.yaml:[0-9]+:[0-9]+: YAML syntax error'

run "$VIGIL" check-config "$TMP/missing.yaml"
expect_rc "missing config exits 2" 2
expect_match "missing config is named" err 'missing.yaml: cannot open config'

run "$VIGIL" check-config "$TMP"
expect_rc "a directory as config exits 2" 2

head -c 4096 /dev/urandom >"$TMP/garbage.yaml"
run "$VIGIL" check-config "$TMP/garbage.yaml"
expect_rc "binary garbage config exits 2" 2
expect_clean_stderr "binary garbage config: no sanitizer report"

# Store: a new file is migrated; a future one is refused and left untouched.
run "$VIGIL" --json store info "$TMP/new.db"
expect_rc "store info creates a new store" 0
expect_match "new store is at the latest schema" out '"schema_version":[1-9]'
expect_eq "journal is WAL" "$(sqlite3 "$TMP/new.db" 'PRAGMA journal_mode')" wal

sqlite3 "$TMP/future.db" 'CREATE TABLE alerts(x); PRAGMA user_version = 999;'
before=$(sha256sum <"$TMP/future.db")
run "$VIGIL" store info "$TMP/future.db"
expect_rc "future schema exits 3" 3
expect_match "future schema explained" err 'schema version 999 is newer than this vigil'
expect_eq "future store untouched" "$(sha256sum <"$TMP/future.db")" "$before"

echo "not a database at all, just some text that is long enough......................................." >"$TMP/text.db"
run "$VIGIL" store info "$TMP/text.db"
expect_rc "non-SQLite store exits 3" 3
expect_match "non-SQLite store explained" err 'text.db: not a vigil store'

touch "$TMP/ro.db"
if need_root; then
	# root ignores file modes; a read-only bind is the honest test, skip it here.
	skip "unreadable store is refused" "running as root, file modes do not apply"
else
	chmod 000 "$TMP/ro.db"
	run "$VIGIL" store info "$TMP/ro.db"
	expect_rc "unreadable store exits 3" 3
fi

# Logging: the config chooses JSON lines on stderr; -v raises the level to info.
printf 'store: {path: %s/logged.db}\nlog: {format: json}\n' "$TMP" >"$TMP/jsonlog.yaml"
run "$VIGIL" --config "$TMP/jsonlog.yaml" -v store migrate
expect_rc "store migrate with JSON logging" 0
expect_match "info log is a JSON line" err '^\{"@timestamp": ?"[0-9T:Z-]+", ?"log.level": ?"info", ?"message": ?"store .*migrated to schema 1"\}$'
run "$VIGIL" --config "$TMP/jsonlog.yaml" -q store migrate "$TMP/quiet.db"
expect_eq "-q silences info logs" "$ERR" ""

run "$VIGIL" store bogus
expect_rc "store with a bad verb exits 2" 2

run env TMPDIR="$TMP" "$VIGIL" demo
expect_rc "demo runs" 0
expect_match "demo reports its store" out 'schema version'
briefing=$(sed -n 's/^   open it in a browser: //p' <<<"$OUT")
if [ -n "$briefing" ] && grep -q 'Daily security briefing' "$briefing" &&
	grep -q 'http.sqli\|sqli' "$briefing"; then
	ok "demo ends with the day's briefing, attacks included"
else
	not_ok "demo wrote no briefing with the attacks ('$briefing')"
fi
expect_clean_stderr "demo: no sanitizer report"
finish
