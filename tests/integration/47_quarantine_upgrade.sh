#!/bin/bash
# The quarantine vault's records moved from JSON sidecars (VAULT/meta/ID.json) into the
# vault's own store (VAULT/vault.db, issue 7). A vault written by an older vigil is
# imported once on first use, with a log line, and then listed and restored from the
# store; `scan --vault DIR` works without a config or the daemon's store, and its
# worker threads writing into a new vault at once lose no record.
. "$SRCDIR/tests/lib.sh"
SAMPLES=$SRCDIR/tests/webshell/samples

V=$TMP/vault
mkdir -p "$TMP/www" "$V/objects" "$V/meta"
cat >"$TMP/vigil.yaml" <<YAML
store: {path: vigil.db}
protect:
  quarantine_dir: $V
YAML
C=(--config "$TMP/vigil.yaml")

# old_record NAME SCORE [RESTORED_TO]: a file quarantined the old way (object + sidecar);
# prints its id
old_record() {
	local f=$TMP/www/$1 sha id extra=""
	cp "$SAMPLES/php/chopper.php" "$f"
	printf '// %s\n' "$1" >>"$f"
	sha=$(sha256sum "$f" | cut -d' ' -f1)
	id=${sha:0:16}-17000001$2
	mv "$f" "$V/objects/$sha"
	chmod 000 "$V/objects/$sha"
	[ -n "${3:-}" ] && extra=",
  \"restored_to\": \"$3\""
	printf '{\n  "id": "%s",\n  "sha256": "%s",\n  "original_path": "%s",\n  "mode": "0644",\n  "uid": %d,\n  "gid": %d,\n  "size": 100,\n  "mtime": 1700000000,\n  "quarantined_at": 17000001%s,\n  "score": %s,\n  "rules": "php_china_chopper",\n  "families": "china-chopper"%s\n}\n' \
		"$id" "$sha" "$f" "$(id -u)" "$(id -g)" "$2" "$2" "$extra" >"$V/meta/$id.json"
	echo "$id"
}
id1=$(old_record one.php 80)
id2=$(old_record two.php 90 "$TMP/elsewhere.php")
printf '{"id": "broken' >"$V/meta/broken.json"

run "$VIGIL" "${C[@]}" quarantine list
expect_rc "list of an old vault exits 0" 0
expect_match "the import is said once, with its count" err "imported 2 record\(s\) from .*/meta into .*vault.db \(1 unreadable skipped\)"
expect_match "the old record is listed as held" out "^$id1 .* 80  held +$TMP/www/one\.php"
expect_match "a restored old record stays restored" out "^$id2 .* 90  restored +$TMP/www/two\.php"
[ -f "$V/vault.db" ] && [ ! -e "$V/meta" ] && [ -f "$V/meta.imported/$id1.json" ]
expect_eq "meta/ is kept as meta.imported beside vault.db" "$?" 0
expect_eq "vault.db is private" "$(stat -c '%a' "$V/vault.db")" 600

run "$VIGIL" "${C[@]}" quarantine list
expect_no_match "the second open imports nothing" err "imported"
expect_eq "no record twice after the import" "$(grep -c held <<<"$OUT")" 1

run "$VIGIL" quarantine --vault "$V" list --json
expect_match "--vault reads the imported records without a config" out "\"id\":\"$id1\""

run "$VIGIL" "${C[@]}" quarantine restore "${id1:0:10}"
expect_rc "restore of an imported record by id prefix exits 0" 0
cmp -s "$TMP/www/one.php" <(cat "$SAMPLES/php/chopper.php"; printf '// one.php\n')
expect_eq "the imported record's object is restored byte for byte" "$?" 0
expect_eq "with the recorded mode" "$(stat -c '%a' "$TMP/www/one.php")" 644
run "$VIGIL" "${C[@]}" quarantine list
expect_match "the restore is recorded in the store" out "^$id1 .* restored +$TMP/www/one\.php"

# scan --vault DIR: no config, no daemon store; four threads quarantine into a new vault
mkdir -p "$TMP/www2"
for i in 1 2 3 4 5 6 7 8; do
	cp "$SAMPLES/php/chopper.php" "$TMP/www2/c$i.php"
	printf '// %s\n' "$i" >>"$TMP/www2/c$i.php"
done
run "$VIGIL" scan -j 4 --vault "$TMP/v2" "$TMP/www2"
expect_rc "scan --vault finds and quarantines (exit 1)" 1
expect_match "all eight are quarantined" err "quarantined 8 into .*/v2"
[ ! -e "$TMP/v2/meta" ] && [ -f "$TMP/v2/vault.db" ] && [ ! -e "$TMP/vigil.db" ]
expect_eq "records go to the vault's store, no sidecars, no daemon store" "$?" 0
run "$VIGIL" quarantine --vault "$TMP/v2" list
expect_eq "the new vault lists all eight" "$(grep -c ' held ' <<<"$OUT")" 8
expect_clean_stderr "quarantine upgrade: no sanitizer reports"

finish
