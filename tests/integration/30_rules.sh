#!/bin/bash
# `vigil rules test|list`: the shipped rule set passes its own examples; a rule
# file with a bad regex is refused with file:line and rule id, and --keep-going
# loads the rest; a failing example exits 1 naming file:line.
. "$SRCDIR/tests/lib.sh"

run "$VIGIL" rules test "$SRCDIR/rules"
expect_rc "shipped rules pass their examples" 0
expect_match "summary counts rules and examples" out 'rules, [0-9]+ examples checked, 0 failed'
expect_clean_stderr "shipped rules: clean stderr"

n=$(grep -Eo '^[^:]+: ([0-9]+) rules' <<<"$OUT" | grep -Eo '[0-9]+ rules' | grep -Eo '[0-9]+')
if [ "${n:-0}" -ge 30 ]; then ok "shipped set has $n rules"; else not_ok "shipped set has only '${n}' rules"; fi

# default path: $VIGIL_RULES, else the build's (or installed) rules; a ./rules in
# the working directory is never loaded implicitly, whoever owns it.
mkdir -p "$TMP/cwd/rules"
printf '%s\n' '- id: planted.only' '  title: planted rule that would replace the shipped set' \
	'  severity: low' '  category: test' '  fields: [url]' '  patterns:' \
	'    - literal: plantedxyz' '  match: [/plantedxyz]' >"$TMP/cwd/rules/planted.yaml"
chmod 0777 "$TMP/cwd/rules"
(cd "$TMP/cwd" && run "$VIGIL" rules list; echo "$RC" >"$TMP/rc"; echo "$OUT" >"$TMP/out")
RC=$(cat "$TMP/rc"); OUT=$(cat "$TMP/out")
expect_rc "rules list with the default path" 0
expect_match "list shows id, severity, category, technique" out '^http\.sqli\.union +high +sqli +T1190 '
expect_no_match "./rules in the working directory is not loaded implicitly" out 'planted\.only'
# rule files or directories writable by others are refused, even when named
run "$VIGIL" rules list "$TMP/cwd/rules"
expect_rc "a rules directory writable by others is refused" 2
expect_match "the refusal says why" err 'writable by others'
chmod 0755 "$TMP/cwd/rules"
chmod 0666 "$TMP/cwd/rules/planted.yaml"
run "$VIGIL" rules list "$TMP/cwd/rules"
expect_match "a rule file writable by others is refused" err 'planted\.yaml.*writable by others'
expect_no_match "the refused file's rules are not listed" out 'planted\.only'
chmod 0644 "$TMP/cwd/rules/planted.yaml"
run "$VIGIL" rules list "$TMP/cwd/rules"
expect_match "the same rules closed to others load" out 'planted\.only'
run env VIGIL_RULES="$SRCDIR/rules/auth" "$VIGIL" --json rules list
expect_rc "rules list via VIGIL_RULES" 0
expect_match "json list names the ssh rule" out '"id": "auth.ssh.failed"'
expect_no_match "VIGIL_RULES limits the set" out 'http\.sqli'

mkdir -p "$TMP/cfg"
ln -s "$SRCDIR/rules/auth" "$TMP/cfg/myrules"
printf 'monitor:\n  rules: myrules\n' >"$TMP/cfg/vigil.yaml"
run env VIGIL_RULES="$SRCDIR/rules" "$VIGIL" --config "$TMP/cfg/vigil.yaml" rules list
expect_rc "rules list via monitor.rules" 0
expect_match "monitor.rules (relative to the config) wins over VIGIL_RULES" out '^auth\.ssh\.failed'
expect_no_match "monitor.rules set only" out 'http\.sqli'

mkdir -p "$TMP/bad"
cat >"$TMP/bad/a.yaml" <<'YAML'
rules:
  - id: t.good
    title: good rule
    severity: low
    category: test
    fields: [url]
    patterns:
      - literal: "/secret"
    match: ["/secret/x"]
  - id: t.broken
    title: broken rule
    severity: high
    category: test
    fields: [url]
    patterns:
      - regex: 'union(select'
YAML
run "$VIGIL" rules test "$TMP/bad"
expect_rc "bad regex refuses the set (exit 2)" 2
expect_match "error names file:line and rule id" err "$TMP/bad/a.yaml:16:[0-9]+: rule t.broken: bad regex:"
expect_clean_stderr "bad regex: clean stderr"

run "$VIGIL" rules test --keep-going "$TMP/bad"
expect_rc "--keep-going loads the other rules and passes" 0
expect_match "--keep-going still reports the broken rule" err 'rule t.broken: bad regex'
expect_match "--keep-going tested the good rule" out '1 rules, 1 examples checked, 0 failed'

cat >"$TMP/fail.yaml" <<'YAML'
- id: t.wrong
  title: example that does not match
  severity: low
  category: test
  fields: [user_agent]
  patterns: [{literal: "evilbot"}]
  match:
    - "GoodBot/1.0"
YAML
run "$VIGIL" rules test "$TMP/fail.yaml"
expect_rc "failing example exits 1" 1
expect_match "failure names file:line and rule" out "$TMP/fail.yaml:8: rule t.wrong: match example did not match: GoodBot/1.0"

printf 'rules: [\x00\xff\xfe garbage' >"$TMP/garbage.yaml"
run "$VIGIL" rules test "$TMP/garbage.yaml"
expect_rc "binary garbage is a load error, not a crash" 2
expect_match "garbage error names the file" err "garbage.yaml"
expect_clean_stderr "garbage: clean stderr"

run "$VIGIL" rules test "$TMP/nonexistent"
expect_rc "missing path exits 2" 2
expect_match "missing path is named" err "nonexistent: cannot read"

# compiled-rules cache: second run loads it, a corrupted entry is recompiled
run "$VIGIL" rules test --cache "$TMP/cache" "$SRCDIR/rules/auth"
expect_rc "rules test with a new cache dir" 0
n=$(ls "$TMP/cache" | grep -c '^vigil-hs-.*\.db$')
expect_eq "cache holds one database per used field" "$n" 1
run "$VIGIL" -vv rules test --cache "$TMP/cache" "$SRCDIR/rules/auth"
expect_rc "rules test from the cache" 0
expect_match "second run is a cache hit" err 'rules cache hit'
for f in "$TMP"/cache/vigil-hs-*.db; do printf 'garbage' >"$f"; done
run "$VIGIL" rules test --cache "$TMP/cache" "$SRCDIR/rules/auth"
expect_rc "corrupted cache entry is recompiled" 0
expect_match "corruption is reported" err 'unusable entry, recompiling'
expect_clean_stderr "cache: clean stderr"

# IOC lists
mkdir -p "$TMP/ioc"
printf '# feed\n203.0.113.0/24\n2001:db8:bad::/48\nevil.example\n' >"$TMP/ioc/a.txt"
printf 'c2.example.net\n' >"$TMP/ioc/b.txt"
printf 'monitor:\n  ioc_files: [a.txt, b.txt]\n' >"$TMP/ioc/vigil.yaml"
run "$VIGIL" --config "$TMP/ioc/vigil.yaml" rules ioc --lookup cdn.evil.example
expect_rc "ioc lookup of a listed subdomain exits 1" 1
expect_match "ioc counts per file" out 'a.txt: 2 addresses/networks, 1 domains, 0 bad lines'
expect_match "ioc lookup says listed" out 'cdn.evil.example: listed'
run "$VIGIL" rules ioc "$TMP/ioc/a.txt" --lookup 2001:db8:bad:1::1
expect_rc "ioc lookup of an address in a v6 network" 1
run "$VIGIL" rules ioc "$TMP/ioc/a.txt" --lookup 198.51.100.1
expect_rc "ioc lookup of an unlisted address exits 0" 0
expect_match "unlisted" out '198.51.100.1: not listed'
printf '10.0.0.0/8\n10.0.0.0/40\nnot a domain\n' >"$TMP/ioc/bad.txt"
run "$VIGIL" rules ioc "$TMP/ioc/bad.txt"
expect_rc "ioc file with bad lines exits 2" 2
expect_match "bad IOC line named by file:line" err "bad.txt:2: prefix length must be 0-32: '10.0.0.0/40'"
expect_match "second bad IOC line" err "bad.txt:3: not an address, CIDR or domain name"
expect_clean_stderr "ioc: clean stderr"

run "$VIGIL" rules frobnicate
expect_rc "unknown subcommand is a usage error" 2
run "$VIGIL" rules --help
expect_rc "rules --help" 0
expect_match "help documents --keep-going and the default path" out 'keep-going.*|VIGIL_RULES'
finish
