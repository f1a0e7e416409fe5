#!/bin/bash
# The man pages (doc/man/*.scd) against the binary: every command `vigil --help`
# lists (the rows of src/cmd/registry.c) has a page, every option its --help prints
# is on that page, every option the page's OPTIONS section documents still exists,
# and vigil(1) names the command. Each failure says which file to add or edit.
# Pages are compiled with scdoc when it is installed (`scripts/install-deps test`).
source "$SRCDIR/tests/lib.sh"
MAN=$SRCDIR/doc/man

# Long options in a text: --word tokens, sorted, once each.
long_opts() { grep -oE -- '(^|[^a-zA-Z0-9-])--[a-z][a-z0-9-]*' | sed 's/^[^-]*//' | sort -u; }

run "$VIGIL" --help
cmds=$(sed -n '/^commands:/,/^$/p' <<<"$OUT" | awk 'NF && !/^commands:/ {print $1}')
if [ -z "$cmds" ]; then
	not_ok "vigil --help lists the commands (no 'commands:' section found)"
fi

missing=0
for c in $cmds; do
	page=$MAN/vigil-$c.1.scd
	rel=doc/man/vigil-$c.1.scd
	if [ ! -f "$page" ]; then
		not_ok "command '$c' has no man page: add $rel, e.g. start it with" \
			"\`scripts/man-skeleton build/vigil $c > $rel\` and edit it (README, Development)"
		missing=1
		continue
	fi
	help=$("$VIGIL" "$c" --help)
	gaps=()
	for o in $(long_opts <<<"$help"); do
		grep -qF -- "$o" "$page" || gaps+=("$o")
	done
	if [ ${#gaps[@]} -eq 0 ]; then
		ok "$rel documents every option of \`vigil $c --help\`"
	else
		not_ok "$rel lacks ${gaps[*]} (printed by \`vigil $c --help\`): document them in $rel"
	fi
	# Options the page describes (the "*--opt*" items under OPTIONS) must still exist.
	stale=()
	for o in $(sed -n '/^# OPTIONS/,/^# /p' "$page" | grep -E '^\*--' | long_opts); do
		grep -qF -- "$o" <<<"$help" || stale+=("$o")
	done
	if [ ${#stale[@]} -eq 0 ]; then
		ok "$rel describes no option \`vigil $c --help\` lacks"
	else
		not_ok "$rel describes ${stale[*]}, which \`vigil $c --help\` does not print:" \
			"remove them from $rel (or add them to the command's help)"
	fi
	if grep -qF "*vigil-$c*(1)" "$MAN/vigil.1.scd"; then
		ok "vigil(1) names vigil-$c(1)"
	else
		not_ok "doc/man/vigil.1.scd does not name *vigil-$c*(1): add it to its COMMANDS list"
	fi
done
[ "$missing" = 0 ] && ok "every command has a man page"

# A page for a command that no longer exists would document nothing real.
for page in "$MAN"/vigil-*.1.scd; do
	c=$(basename "$page" .1.scd)
	c=${c#vigil-}
	if grep -qx "$c" <<<"$cmds"; then continue; fi
	not_ok "doc/man/vigil-$c.1.scd documents no command (\`vigil --help\` lacks '$c'): remove it"
done

# The global options of `vigil --help` belong in vigil(1).
gaps=()
for o in $(long_opts <<<"$OUT"); do
	grep -qF -- "$o" "$MAN/vigil.1.scd" || gaps+=("$o")
done
if [ ${#gaps[@]} -eq 0 ]; then ok "vigil(1) documents the global options"; else
	not_ok "doc/man/vigil.1.scd lacks ${gaps[*]} (printed by \`vigil --help\`): document them there"
fi

# Every top-level configuration key of examples/vigil.yaml is in vigil.yaml(5).
gaps=()
for k in $(grep -oE '^[a-z_]+:' "$SRCDIR/examples/vigil.yaml" | tr -d : | sort -u); do
	grep -qE -- "^## $k\b|\*$k\." "$MAN/vigil.yaml.5.scd" || gaps+=("$k")
done
if [ ${#gaps[@]} -eq 0 ]; then ok "vigil.yaml(5) has a section per top-level key"; else
	not_ok "doc/man/vigil.yaml.5.scd lacks a '## KEY' section for: ${gaps[*]}"
fi

if command -v scdoc >/dev/null; then
	bad=()
	for page in "$MAN"/*.scd; do
		scdoc <"$page" >/dev/null 2>"$TMP/scdoc.err" || bad+=("doc/man/$(basename "$page"): $(head -1 "$TMP/scdoc.err")")
	done
	if [ ${#bad[@]} -eq 0 ]; then ok "every page compiles with scdoc"; else
		not_ok "scdoc refuses: ${bad[*]}"
	fi
else
	skip "pages compile with scdoc" "scdoc not installed (scripts/install-deps test)"
fi
finish
