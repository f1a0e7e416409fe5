#!/bin/bash
# `vigil scan` and `vigil quarantine` on the real binary: every defanged sample found at
# its level, benign look-alikes quiet, special files / symlink loops / vanishing files
# survived, and quarantine + restore round-trips through the vault.
source "$SRCDIR/tests/lib.sh"
SAMPLES=$SRCDIR/tests/webshell/samples
export VIGIL_WEBSHELL_RULES=$SRCDIR/rules/webshell

run "$VIGIL" scan --help
expect_match "scan --help gives usage" out '^usage: vigil scan'
expect_match "scan --help documents --quarantine" out '--quarantine'
expect_match "scan --help documents levels" out 'malicious \(>= 70\)'

run "$VIGIL" scan
expect_rc "scan without PATH is a usage error" 2

run "$VIGIL" scan --threads 0 "$SAMPLES"
expect_rc "scan --threads 0 is a usage error" 2

run "$VIGIL" scan --json "$SAMPLES"
expect_rc "scan of the samples exits 1 (findings)" 1
expect_clean_stderr "scan of the samples: no sanitizer reports"
echo "$OUT" >"$TMP/samples.jsonl"
miss=0
while IFS=$'\t' read -r path level family; do
	case $path in '#'*|'') continue ;; esac
	line=$(grep -F "\"path\":\"$SAMPLES/$path\"" "$TMP/samples.jsonl" || true)
	if [ "$level" = clean ]; then
		[ -z "$line" ] || { echo "# benign reported: $line"; miss=$((miss + 1)); }
		continue
	fi
	if [ -z "$line" ] || ! grep -q "\"level\":\"$level\"\|\"level\":\"malicious\"" <<<"$line" ||
		! grep -q "\"$family\"" <<<"$line"; then
		echo "# missed or wrong: $path (want $level/$family): $line"
		miss=$((miss + 1))
	fi
done <"$SAMPLES/expected.tsv"
expect_eq "every sample at its level with its family; no benign file reported" "$miss" 0
expect_match "JSON findings carry sha256 and size" out '"sha256":"[0-9a-f]{64}","size":[0-9]+'
expect_match "summary counts files and throughput" err 'files, [0-9.]+ MiB in [0-9.]+ s \([0-9.]+ MiB/s'

run "$VIGIL" scan "$SAMPLES/benign"
expect_rc "benign look-alikes: exit 0" 0
expect_match "benign look-alikes: nothing malicious or suspicious" err ': 0 malicious, 0 suspicious'

run "$VIGIL" scan "$SAMPLES/php/chopper.php"
expect_rc "text output: exit 1" 1
expect_match "text output: table row" out '^malicious +[0-9]+ +.*china-chopper.* .*chopper\.php$'

# A file name carrying a terminal escape is shown defused in the table.
mkdir -p "$TMP/esc"
cp "$SAMPLES/php/chopper.php" "$TMP/esc/evil"$'\e'"[2Jx.php"
run "$VIGIL" scan "$TMP/esc"
expect_match "control bytes in a file name are shown as \\xNN" out 'evil\\x1b\[2Jx\.php$'
run "$VIGIL" scan --json "$TMP/esc"
expect_match "JSON escapes control bytes in a file name" out 'evil\\u001B\[2Jx\.php'

# A tree with a FIFO, a device-like entry, a symlink loop and a link out of the tree.
mkdir -p "$TMP/root/sub"
cp "$SAMPLES/php/exec_sink.php" "$TMP/root/sub/"
mkfifo "$TMP/root/pipe.php"
ln -s .. "$TMP/root/sub/loop"
ln -s /etc/passwd "$TMP/root/passwd.php"
run timeout 30 "$VIGIL" scan --json "$TMP/root"
expect_rc "FIFO and symlink loop: scan finishes with the finding" 1
expect_match "FIFO and symlink loop: finding reported" out 'sub/exec_sink\.php'
expect_match "FIFO counted as special, links not followed" err '1 special files, 2 symlinks'
expect_clean_stderr "special files: no sanitizer reports"

run "$VIGIL" scan "$TMP/does-not-exist"
expect_rc "missing PATH exits 3" 3
expect_match "missing PATH is named" err 'does-not-exist: No such file'

head -c 20000 /dev/zero | tr '\0' 'a' >"$TMP/root/big.php"
run "$VIGIL" scan --max-size 10k "$TMP/root"
expect_match "--max-size skips larger files and says so" err '1 over the size limit'

run "$VIGIL" scan --rules "$TMP/no-rules" "$SAMPLES"
expect_rc "missing rules directory is exit 2" 2
expect_match "missing rules directory is named" err 'no-rules'

# Files vanishing while the scan runs: it must finish and report, never crash.
mkdir -p "$TMP/churn"
for i in $(seq 1 1500); do printf '<?php echo %d;\n' "$i" >"$TMP/churn/f$i.php"; done
( sleep 0.05; rm -f "$TMP"/churn/f*.php ) &
run "$VIGIL" scan --threads 2 "$TMP/churn"
wait
expect_rc "files vanishing mid-scan: exit 0" 0
expect_clean_stderr "files vanishing mid-scan: no sanitizer reports"

# Progress bar only on a terminal.
if command -v script >/dev/null; then
	run script -qec "$VIGIL scan $SAMPLES/benign" /dev/null
	expect_match "progress bar on a terminal" out '\[=+ *\] +100% 14/14 files'
	run "$VIGIL" scan "$SAMPLES/benign"
	expect_no_match "no progress bar when stderr is not a terminal" err '100%'
else
	skip "progress bar on a terminal" "script(1) not installed"
fi

# Quarantine: malicious files leave the web root, suspicious ones stay.
mkdir -p "$TMP/www"
cp "$SAMPLES/php/chopper.php" "$SAMPLES/php/reverse_shell.php" "$SAMPLES/php/suspicious_notes.php" \
	"$SAMPLES/benign/data_uri.php" "$TMP/www/"
chmod 0644 "$TMP/www/chopper.php"
cat >"$TMP/vigil.yaml" <<EOF
protect:
  quarantine_dir: $TMP/vault
EOF
run "$VIGIL" --config "$TMP/vigil.yaml" scan --json --quarantine "$TMP/www"
expect_rc "scan --quarantine exits 1" 1
expect_match "quarantined finding carries its id" out '"quarantine_id":"[0-9a-f]{16}-[0-9]+'
expect_match "summary says how many were quarantined" err 'quarantined 2 into .*/vault'
[ ! -e "$TMP/www/chopper.php" ] && [ ! -e "$TMP/www/reverse_shell.php" ]
expect_eq "malicious files are gone from the web root" "$?" 0
[ -e "$TMP/www/suspicious_notes.php" ] && [ -e "$TMP/www/data_uri.php" ]
expect_eq "suspicious and clean files stay" "$?" 0
perms=$(stat -c '%a' "$TMP"/vault/objects/* | sort -u | tr '\n' ' ')
expect_eq "vault objects are mode 000" "$perms" "0 "
run find "$TMP/www" -perm /111 -type f
expect_eq "nothing executable left in the web root" "$OUT" ""

run "$VIGIL" --config "$TMP/vigil.yaml" quarantine list
expect_rc "quarantine list exits 0" 0
expect_match "quarantine list shows the original path" out "held +$TMP/www/chopper\.php"
id=$(grep chopper <<<"$OUT" | awk '{print $1}')

run "$VIGIL" quarantine --vault "$TMP/vault" list --json
expect_match "quarantine list --json has original_path" out "\"original_path\":\"$TMP/www/chopper.php\""

run "$VIGIL" --config "$TMP/vigil.yaml" quarantine restore "$id"
expect_rc "quarantine restore exits 0" 0
cmp -s "$TMP/www/chopper.php" "$SAMPLES/php/chopper.php"
expect_eq "restored file has the original bytes" "$?" 0
expect_eq "restored file has its mode" "$(stat -c '%a' "$TMP/www/chopper.php")" 644

run "$VIGIL" --config "$TMP/vigil.yaml" quarantine restore "$id"
expect_rc "restore over an existing file is refused" 2
expect_match "refusal names the target" err 'chopper\.php: exists'

run "$VIGIL" --config "$TMP/vigil.yaml" quarantine restore "$id" --to "$TMP/copy.php"
expect_rc "restore --to exits 0" 0
expect_match "restore --to reports the target" out "to $TMP/copy.php"

run "$VIGIL" --config "$TMP/vigil.yaml" quarantine restore deadbeef
expect_rc "unknown id exits 2" 2
expect_match "unknown id is named" err 'deadbeef: no such quarantined file'

mkdir -p "$TMP/links"
cp "$SAMPLES/php/exec_sink.php" "$TMP/links/a.php"
ln "$TMP/links/a.php" "$TMP/links/b.php"
run "$VIGIL" quarantine --vault "$TMP/vault" add "$TMP/links/a.php"
expect_rc "quarantine add exits 0" 0
expect_match "quarantine add warns about remaining hard links" err '1 other hard link'
[ ! -e "$TMP/links/a.php" ]
expect_eq "quarantine add removes the path" "$?" 0

run "$VIGIL" --config "$TMP/vigil.yaml" quarantine list
expect_match "list shows the restored state" out "restored +$TMP/www/chopper\.php"
expect_clean_stderr "quarantine: no sanitizer reports"

# A full disk under the vault (a 16 KiB tmpfs, so also another file system: the copy
# path): the move fails, the webshell is neutralised in place (mode 000), the scan
# goes on and says so.
if need_root && mkdir -p "$TMP/full" && mount -t tmpfs -o size=16k tmpfs "$TMP/full" 2>/dev/null; then
	trap 'umount "$TMP/full" 2>/dev/null; rm -rf "$TMP"' EXIT
	dd if=/dev/zero of="$TMP/full/filler" bs=4k count=64 2>/dev/null || true
	mkdir -p "$TMP/www2"
	cp "$SAMPLES/php/chopper.php" "$SAMPLES/php/exec_sink.php" "$TMP/www2/"
	run "$VIGIL" scan --vault "$TMP/full/vault" "$TMP/www2"
	expect_rc "full vault: scan still reports the findings (exit 1)" 1
	expect_match "full vault: the failure is named" err 'quarantine failed: .*chopper\.php.*(No space|cannot)'
	expect_match "full vault: the file is neutralised in place" err 'permissions were removed \(mode 000\)'
	expect_eq "full vault: webshells left mode 000" "$(stat -c '%a' "$TMP"/www2/*.php | sort -u | tr '\n' ' ')" "0 "
	expect_clean_stderr "full vault: no sanitizer reports"
	umount "$TMP/full"
else
	skip "full vault neutralises in place" "needs root and tmpfs mounts"
fi

# The demo drops a defanged webshell and quarantines it.
run env TMPDIR="$TMP" "$VIGIL" demo
expect_rc "demo exits 0" 0
expect_match "demo: the dropped webshell is found" out 'WEBSHELL malicious .*avatar.php \(score [0-9]+; .*china-chopper'
expect_match "demo: and quarantined" out 'quarantined [0-9a-f]{16}-[0-9]+'
expect_match "demo: the defaced page is restored" out 'home page: restored'
expect_match "demo: the log attacks are alerted" out 'NEW .*http\.sqli\.union'
ws=$(sed -n 's/^== vigil demo: workspace \([^ ]*\).*/\1/p' <<<"$OUT")
[ -n "$ws" ] && [ ! -e "$ws" ]
expect_eq "demo: workspace and its vault removed" "$?" 0

finish
