# Shared helpers for integration tests (sourced). Each check prints one TAP line;
# tests/run counts them. $VIGIL is the binary under test, $TMP a fresh directory.
: "${VIGIL:?VIGIL must point at the vigil binary}"
TMP=$(mktemp -d /tmp/vigil-test.XXXXXX)
# Tests choose their configuration with --config: an installed /etc/vigil/vigil.yaml
# must not become theirs (empty = built-in defaults; see vg_default_config).
export VIGIL_CONFIG=
trap 'rm -rf "$TMP"' EXIT
T_FAILED=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; T_FAILED=1; }
skip() { echo "ok - $1 # SKIP ${2:-}"; }

# nobody_vigil DIR: prints the path of a copy of $VIGIL (DIR/bin/vigil, with the rules
# beside it as an installed tree has them) that user nobody can run: the checkout
# may sit under a private home such as /root.
nobody_vigil() {
	mkdir -p "$1/bin" && cp "$VIGIL" "$1/bin/vigil" && cp -r "$SRCDIR/rules" "$1/rules" &&
		chmod -R a+rX,go-w "$1" && echo "$1/bin/vigil"
}

# run CMD...: runs it, capturing stdout in $OUT, stderr in $ERR, exit code in $RC.
run() {
	RC=0
	"$@" >"$TMP/.out" 2>"$TMP/.err" || RC=$?
	OUT=$(cat "$TMP/.out")
	ERR=$(cat "$TMP/.err")
}

# expect_rc NAME CODE: the last run exited with CODE.
expect_rc() {
	if [ "$RC" = "$2" ]; then ok "$1"; else
		not_ok "$1 (exit $RC, wanted $2)"
		echo "# stdout: ${OUT:0:2000}"; echo "# stderr: ${ERR:0:2000}"
	fi
}

# expect_match NAME WHERE REGEX: $OUT or $ERR (WHERE = out|err) matches REGEX.
expect_match() {
	local text
	if [ "$2" = out ]; then text=$OUT; else text=$ERR; fi
	if grep -Eq -- "$3" <<<"$text"; then ok "$1"; else
		not_ok "$1 (no match for /$3/ in std$2)"
		echo "# std$2: ${text:0:2000}" | head -40
	fi
}

expect_no_match() {
	local text
	if [ "$2" = out ]; then text=$OUT; else text=$ERR; fi
	if grep -Eq -- "$3" <<<"$text"; then
		not_ok "$1 (unexpected /$3/ in std$2)"
		echo "# std$2: ${text:0:2000}" | head -40
	else ok "$1"; fi
}

# expect_eq NAME GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 (got '$2', wanted '$3')"; fi
}

# Sanitizer reports make the run fail even when the exit code looks right.
expect_clean_stderr() {
	expect_no_match "$1" err 'AddressSanitizer|runtime error:|LeakSanitizer'
}

# wait_for SECONDS CMD...: polls CMD every 50 ms until it succeeds; false if it never
# does. A loaded CI machine can be many times slower than a quiet one, so no wait is
# shorter than T_WAIT_MIN (60 s): a passing test pays nothing for it, a wrong result
# still fails, only later.
T_WAIT_MIN=${T_WAIT_MIN:-60}
wait_for() {
	local secs=$1 end
	shift
	((secs < T_WAIT_MIN)) && secs=$T_WAIT_MIN
	end=$((SECONDS + secs))
	until "$@"; do
		((SECONDS >= end)) && return 1
		sleep 0.05
	done
}

need_root() {
	[ "$(id -u)" = 0 ]
}

finish() { exit "$T_FAILED"; }
