#!/bin/bash
# `make install DESTDIR=...`: the layout and modes an administrator gets (binary,
# shipped rules, man pages, units, completion, a 0600 config that an existing one
# never loses to, 0700 state), the installed vigil finding its rules in the data
# directory compiled in (never ./rules), $VIGIL_CONFIG, and bash completion driven
# by --help.
source "$SRCDIR/tests/lib.sh"

# The build under test, installed as is: same build directory, same flags.
build=$(dirname "$VIGIL")
san=0
[ "$(basename "$build")" = san ] && san=1
if ! command -v scdoc >/dev/null; then
	skip "make install" "scdoc not installed (scripts/install-deps test)"
	finish
fi
dest=$TMP/dest
mkdir -p "$dest/etc/vigil"
echo "# the administrator's" >"$dest/etc/vigil/vigil.yaml"
run make -s -C "$SRCDIR" install SAN=$san BUILD="$build" DESTDIR="$dest"
expect_rc "make install DESTDIR=... succeeds" 0
expect_eq "an existing /etc/vigil/vigil.yaml is left alone" "$(cat "$dest/etc/vigil/vigil.yaml")" \
	"# the administrator's"
rm "$dest/etc/vigil/vigil.yaml"
run make -s -C "$SRCDIR" install SAN=$san BUILD="$build" DESTDIR="$dest"
expect_rc "make install again succeeds" 0

mode() { stat -c '%a' "$dest/$1" 2>/dev/null || echo missing; }
expect_eq "binary 0755" "$(mode usr/local/bin/vigil)" 755
expect_eq "shipped rules under share/vigil" "$(mode usr/local/share/vigil/rules/http/sqli.yaml)" 644
expect_eq "webshell rules under share/vigil" "$(mode usr/local/share/vigil/rules/webshell/php.yar)" 644
expect_eq "example configuration 0600" "$(mode etc/vigil/vigil.yaml)" 600
expect_eq "state directory 0700" "$(mode var/lib/vigil)" 700
expect_eq "rule cache directory 0700" "$(mode var/cache/vigil)" 700
expect_eq "vigil(1)" "$(mode usr/local/share/man/man1/vigil.1)" 644
expect_eq "vigil-watch(1)" "$(mode usr/local/share/man/man1/vigil-watch.1)" 644
expect_eq "vigil.yaml(5)" "$(mode usr/local/share/man/man5/vigil.yaml.5)" 644
expect_eq "bash completion" "$(mode usr/local/share/bash-completion/completions/vigil)" 644
unit=$dest/usr/local/lib/systemd/system/vigil-watch.service
grep -qx 'ExecStart=/usr/local/bin/vigil --config /etc/vigil/vigil.yaml watch' "$unit" &&
	ok "vigil-watch.service runs the installed binary" || not_ok "ExecStart of $unit"
grep -q '^Type=notify' "$unit" && ok "vigil-watch.service is Type=notify" || not_ok "not Type=notify"
[ -f "$dest/usr/local/lib/systemd/system/vigil-serve.service" ] && ok "vigil-serve.service" ||
	not_ok "no vigil-serve.service"
run "$VIGIL" check-config "$dest/etc/vigil/vigil.yaml"
expect_rc "the installed configuration is valid" 0

# The installed binary finds the installed rules: its data directory is compiled in
# (/usr/local/share/vigil here), so show it there in a private mount namespace. A
# ./rules in the working directory must not be taken.
mkdir -p "$TMP/cwd/rules"
printf 'rules:\n  - {id: trap.cwd, title: t, severity: low, category: t, fields: [url], patterns: [{regex: x}]}\n' \
	>"$TMP/cwd/rules/trap.yaml"
# (probed: a chroot whose root is no mount point cannot make one)
if [ "$(id -u)" = 0 ] && unshare --mount true 2>/dev/null; then
	run unshare --mount sh -c "mount --bind '$dest/usr/local/share' /usr/local/share &&
		cd '$TMP/cwd' && '$dest/usr/local/bin/vigil' rules list"
	expect_match "the installed vigil lists the shipped rules" out '^http\.sqli\.union '
	expect_no_match "never the working directory's ./rules" out 'trap\.cwd'
else
	skip "installed vigil finds its rules" "needs root and a mount namespace (unshare --mount)"
fi

# $VIGIL_CONFIG stands in for /etc/vigil/vigil.yaml; empty means built-in defaults.
printf 'store: {path: %s/env.db}\n' "$TMP" >"$TMP/env.yaml"
run env VIGIL_CONFIG="$TMP/env.yaml" "$VIGIL" --json check-config
expect_match "\$VIGIL_CONFIG is read without --config" out "env\.db"
run env VIGIL_CONFIG= "$VIGIL" --json check-config
expect_match "an empty \$VIGIL_CONFIG means built-in defaults" out '"path": "vigil.db"'

# Completion asks the binary: commands, subcommands, options, web roots, rule ids.
comp() {
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_vigil; echo "${COMPREPLY[*]}"' _ "$SRCDIR/dist/vigil.bash-completion" "$@"
}
cat >"$TMP/c.yaml" <<YAML
store: {path: $TMP/c.db}
webroots:
  - {name: shop-www, path: $TMP}
YAML
expect_match_text() { if grep -Eq -- "$2" <<<"$3"; then ok "$1"; else not_ok "$1 (got '$3')"; fi; }
expect_match_text "completion: commands" '(^| )watch( |$)' "$(comp "$VIGIL" wa)"
expect_match_text "completion: subcommands from the usage" '^create list restore verify$' \
	"$(comp "$VIGIL" backup '')"
expect_match_text "completion: options from --help" '--ready-file' "$(comp "$VIGIL" watch --re)"
expect_match_text "completion: configured web-root names" '^shop-www$' \
	"$(comp "$VIGIL" --config "$TMP/c.yaml" backup create --webroot '')"
expect_match_text "completion: rule ids" 'http\.sqli\.union' "$(comp "$VIGIL" alerts --rule http.sqli)"
expect_match_text "completion: a command's name from --help" \
	'(^| )check-config( |$)' "$(comp "$VIGIL" che)"
run "$VIGIL" __complete webroots --bogus
expect_rc "__complete refuses what it does not know" 2
finish
