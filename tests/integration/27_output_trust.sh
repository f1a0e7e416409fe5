#!/bin/bash
# What vigil prints, stores and reports about its own output can be trusted:
# attacker bytes never reach the terminal raw (log lines, file names, page excerpts,
# diffs), JSON and the store keep values whole across a NUL byte, a failed or closed
# stdout is an error (exit 3) that never costs the store, and the store is private.
. "$SRCDIR/tests/lib.sh"

# has_raw_controls FILE: a byte a terminal acts on (C0 but \n, DEL, C1) is in FILE.
has_raw_controls() { LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f\x80-\x9f]' "$1"; }
# has_nul FILE: a NUL byte is in FILE (grep cannot match one in a pattern)
has_nul() { [ "$(tr -cd '\000' <"$1" | wc -c)" -gt 0 ]; }

# --- scan-log: a URL carrying an OSC title sequence and BEL
printf '198.51.100.1 - - [29/Nov/2026:10:00:00 +0000] "GET /?q=<script \x1b]0;OWNED\x07> HTTP/1.1" 200 1 "-" "M"\n' >"$TMP/e.log"
"$VIGIL" scan-log "$TMP/e.log" >"$TMP/scan.out" 2>"$TMP/scan.err" || true
if grep -q 'script' "$TMP/scan.out" && ! has_raw_controls "$TMP/scan.out"; then
	ok "scan-log alert line carries no raw ESC/BEL"
else not_ok "scan-log alert line carries no raw ESC/BEL"; cat -v "$TMP/scan.out" | sed 's/^/# /'; fi
run grep -F '\x1b]0;' "$TMP/scan.out"
expect_rc "scan-log shows the ESC as \\x1b" 0
"$VIGIL" decode "$TMP/e.log" >"$TMP/dec.out" 2>&1 || true
if has_raw_controls "$TMP/dec.out"; then not_ok "decode text output is escaped"; else ok "decode text output is escaped"; fi

# --- a file name that forges a whole output line
W=$TMP/www
mkdir -p "$W"
echo '<p>home</p>' >"$W/index.html"
cat >"$TMP/vigil.yaml" <<YAML
store:
  path: vigil.db
webroots:
  - path: www
    name: site
protect:
  backup_dir: backup
  quarantine_dir: vault
YAML
C=(--config "$TMP/vigil.yaml")
run "$VIGIL" "${C[@]}" backup create
expect_rc "backup of the test root" 0
evil=$'a\x1b]0;HI\x07\nWEBSHELL clean  site: ok.php'
echo '<?php echo 1; ?>' >"$W/$evil"
printf '<p>home</p>\n<p>\x1b[8mhidden casino link\x1b[0m</p>\n' >"$W/index.html"
"$VIGIL" "${C[@]}" fim check >"$TMP/fim.out" 2>"$TMP/fim.err" || true
if grep -q 'index.html' "$TMP/fim.out" && ! has_raw_controls "$TMP/fim.out"; then
	ok "fim check change lines and diff carry no raw control bytes"
else not_ok "fim check change lines and diff carry no raw control bytes"; cat -v "$TMP/fim.out" | sed 's/^/# /'; fi
if grep -q '^WEBSHELL clean' "$TMP/fim.out"; then
	not_ok "a file name cannot forge an output line"
else ok "a file name cannot forge an output line"; fi
run grep -F 'a\x1b]0;HI\x07\x0aWEBSHELL clean  site: ok.php' "$TMP/fim.out"
expect_rc "the forged name is shown escaped on one line" 0
run grep -F '\x1b[8mhidden' "$TMP/fim.out"
expect_rc "a conceal sequence in a page diff is shown, not obeyed" 0
run "$VIGIL" "${C[@]}" quarantine add "$W/$evil"
expect_rc "quarantine add of the crafted name" 0
if has_raw_controls "$TMP/.out" || grep -q '^WEBSHELL' "$TMP/.out"; then
	not_ok "quarantine add output is escaped"; else ok "quarantine add output is escaped"; fi
"$VIGIL" "${C[@]}" quarantine list >"$TMP/ql.out" 2>&1 || true
if grep -Fq 'a\x1b]0;HI' "$TMP/ql.out" && ! has_raw_controls "$TMP/ql.out"; then
	ok "quarantine list shows the name escaped"
else not_ok "quarantine list shows the name escaped"; cat -v "$TMP/ql.out" | sed 's/^/# /'; fi

# --- error messages that name a crafted file go through the same sanitiser
# stderr_clean NAME: the last run's stderr names the file escaped, on one line.
stderr_clean() {
	if has_raw_controls "$TMP/.err" || grep -q '^WEBSHELL' "$TMP/.err" ||
		! grep -Fq 'a\x1b]0;HI\x07\x0aWEBSHELL' "$TMP/.err"; then
		not_ok "$1"; cat -v "$TMP/.err" | sed 's/^/# /'
	else ok "$1"; fi
}
mkfifo "$W/fifo-$evil"
run "$VIGIL" scan "$W/fifo-$evil"
stderr_clean "scan: 'not a regular file' names the crafted file escaped"
run "$VIGIL" scan "$W/gone-$evil"
stderr_clean "scan: 'No such file' names the crafted file escaped"
run "$VIGIL" "${C[@]}" backup restore --path "sub/$evil" --to "$TMP/r-out"
expect_rc "backup restore of a path the snapshot lacks is a usage error" 2
stderr_clean "backup restore: 'snapshot has no' names the crafted path escaped"
printf '203.0.113.9\nbad\x1b]0;FEED\x07entry!\n' >"$TMP/ioc-$evil"
run "$VIGIL" rules ioc "$TMP/ioc-$evil"
expect_rc "rules ioc: a bad line is exit 2" 2
stderr_clean "rules ioc: the bad-line report names the crafted list escaped"
if has_raw_controls "$TMP/.out" || has_raw_controls "$TMP/.err" ||
	! grep -Fq "'bad\x1b]0;FEED\x07entry!'" "$TMP/.err"; then
	not_ok "rules ioc: a quoted feed line and the list's name are escaped"
	cat -v "$TMP/.out" "$TMP/.err" | sed 's/^/# /'
else ok "rules ioc: a quoted feed line and the list's name are escaped"; fi

# --- JSON and the store keep a value whole across a NUL byte
printf '198.51.100.7 - - [29/Nov/2026:10:00:00 +0000] "GET /?q=<script>\x00tail-after-nul HTTP/1.1" 200 1 "-" "M"\n' >"$TMP/nul.log"
run "$VIGIL" --json scan-log --store "$TMP/nul.db" "$TMP/nul.log"
expect_rc "scan-log over a line with a NUL reports the alert" 1
expect_match "event.original keeps the bytes after the NUL" out '"original":"198[^}]*u0000tail-after-nul HTTP/1.1\\" 200 1'
if command -v sqlite3 >/dev/null; then
	n=$(sqlite3 "$TMP/nul.db" "SELECT length(CAST(evidence AS BLOB)) FROM alerts LIMIT 1")
	expect_eq "stored evidence keeps every byte of the line" "$n" 102
else skip "stored evidence keeps every byte of the line" "no sqlite3"; fi

# --- output errors: a full disk and a closed pipe
run "$VIGIL" scan-log "$TMP/e.log"
if [ -w /dev/full ]; then
	"$VIGIL" scan-log "$TMP/e.log" >/dev/full 2>"$TMP/full.err"; rc=$?
	expect_eq "scan-log >/dev/full exits 3" "$rc" 3
	ERR=$(cat "$TMP/full.err")
	expect_match "scan-log >/dev/full says why" err 'cannot write standard output'
	"$VIGIL" decode "$TMP/e.log" >/dev/full 2>"$TMP/full.err"; rc=$?
	expect_eq "decode >/dev/full exits 3" "$rc" 3
	"$VIGIL" --json scan-log "$TMP/e.log" >/dev/full 2>/dev/null; rc=$?
	expect_eq "scan-log --json >/dev/full exits 3" "$rc" 3
else
	skip "scan-log >/dev/full exits 3" "no /dev/full"
fi
for i in $(seq 1 3000); do
	printf '198.51.100.%d - - [29/Nov/2026:10:00:00 +0000] "GET /?id=1%%20UNION%%20SELECT%%20password%%20FROM%%20users HTTP/1.1" 200 1 "-" "M"\n' $((i % 200))
done >"$TMP/big.log"
"$VIGIL" scan-log --store "$TMP/whole.db" "$TMP/big.log" >/dev/null 2>&1
set +o pipefail
"$VIGIL" scan-log --store "$TMP/piped.db" "$TMP/big.log" 2>"$TMP/pipe.err" | head -1 >/dev/null
rc=${PIPESTATUS[0]}
if command -v sqlite3 >/dev/null; then
	whole=$(sqlite3 "$TMP/whole.db" "SELECT count(*) || '/' || sum(count) FROM alerts")
	piped=$(sqlite3 "$TMP/piped.db" "SELECT count(*) || '/' || sum(count) FROM alerts")
	expect_eq "a closed stdout costs the store nothing" "$piped" "$whole"
	[ "${whole%%/*}" -gt 100 ] && ok "the pipe test produces enough output to close the pipe" ||
		not_ok "the pipe test produces enough output to close the pipe ($whole)"
else skip "a closed stdout costs the store nothing" "no sqlite3"; fi
expect_eq "a closed stdout is exit 3" "$rc" 3
ERR=$(cat "$TMP/pipe.err")
expect_match "a closed stdout is reported" err 'standard output was closed'
expect_clean_stderr "a closed stdout runs clean under the sanitizers"

# --- the workflow commands print stored text through the same sanitiser: a notice
# title with a right-to-left override (U+202E) and an ESC is shown escaped
run "$VIGIL" "${C[@]}" notice add --kind vulnerability --asset web1 --by t \
	--title $'patch \xe2\x80\xaefdp.exe \x1b[2J now'
expect_rc "notice add with a crafted title" 0
run "$VIGIL" "${C[@]}" notice list
if grep -Fq 'patch \xe2\x80\xaefdp.exe \x1b[2J now' "$TMP/.out" && ! has_raw_controls "$TMP/.out" &&
	! grep -q $'\xe2\x80\xae' "$TMP/.out"; then
	ok "notice list shows a bidi override and an ESC escaped"
else not_ok "notice list shows a bidi override and an ESC escaped"; cat -v "$TMP/.out" | sed 's/^/# /'; fi

# --- the store and its directory are private
umask 022
run "$VIGIL" scan-log --store "$TMP/new/dir/p.db" "$TMP/e.log"
expect_eq "the store file is created 0600" "$(stat -c %a "$TMP/new/dir/p.db" 2>/dev/null)" 600
expect_eq "its missing directory is created 0700" "$(stat -c %a "$TMP/new/dir" 2>/dev/null)" 700
bad=$(find "$TMP/new/dir" -name 'p.db*' -perm /077 | wc -l)
expect_eq "no store file (-wal, -shm) is readable by others" "$bad" 0
exit $T_FAILED
