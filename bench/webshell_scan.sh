#!/bin/bash
# Webshell scan throughput: `vigil scan` vs the `yara` CLI (Debian package yara)
# with the same rules (rules/webshell/*.yar) on the same tree, warm page cache.
# Tree: the unpacked wordpress, phpmyadmin, mediawiki and tomcat10-examples
# packages (fetched once by tests/webshell/fp.sh into /var/tmp/vigil-webshell-fp), or DIR.
# Usage: bench/webshell_scan.sh [DIR]   (after `make`; yara CLI needed)
# Prints MiB/s and files/s for each, best of $RUNS runs, and vigil/yara ratios.
# By default vigil computes statistics only for files a rule matched and hashes only
# what it reports (levels are the same either way); "vigil --all" computes both for
# every file and shows what that full report costs.
set -euo pipefail
cd "$(dirname "$0")/.."
SRCDIR=$PWD
VIGIL=${VIGIL:-$PWD/${BUILD:-build}/vigil}
RUNS=${RUNS:-3}
RULES=$PWD/rules/webshell
TREE=${1:-}

if [ -z "$TREE" ]; then
	TREE=${VIGIL_FP_CACHE:-/var/tmp/vigil-webshell-fp}/root
	if [ ! -d "$TREE" ]; then
		echo "bench: fetching the benign packages via tests/webshell/fp.sh" >&2
		SRCDIR=$SRCDIR VIGIL=$VIGIL bash tests/webshell/fp.sh >/dev/null || true
	fi
fi
[ -d "$TREE" ] || { echo "bench: no tree at $TREE" >&2; exit 1; }
command -v yara >/dev/null || { echo "bench: yara CLI not installed (apt-get install yara)" >&2; exit 1; }
[ -x "$VIGIL" ] || { echo "bench: build vigil first (make)" >&2; exit 1; }

# Same file set for both: regular files up to vigil's default 8 MiB cap.
files=$(find "$TREE" -type f -size -8193k | wc -l)
bytes=$(find "$TREE" -type f -size -8193k -printf '%s\n' | awk '{s+=$1} END {print s}')
mib=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1048576}')
find "$TREE" -type f -exec cat {} + >/dev/null	# warm the page cache

best() {	# best wall-clock seconds of RUNS runs of "$@"
	local b=999999 t s e
	for _ in $(seq "$RUNS"); do
		s=$(date +%s.%N)
		"$@" >/dev/null 2>&1 || true	# both exit non-zero when something matches
		e=$(date +%s.%N)
		t=$(awk -v s="$s" -v e="$e" 'BEGIN {print e - s}')
		b=$(awk -v a="$b" -v t="$t" 'BEGIN {print (t < a) ? t : a}')
	done
	echo "$b"
}

yara_rules=("$RULES"/*.yar)
echo "tree: $TREE"
echo "files: $files, $mib MiB; rules: ${#yara_rules[@]} files; best of $RUNS runs; $(nproc) CPUs"
printf '%-34s %8s %10s %10s\n' "tool" "seconds" "MiB/s" "files/s"
declare -A secs
for threads in 1 2; do
	secs[vigil$threads]=$(best "$VIGIL" scan -q --no-progress --threads "$threads" --json "$TREE")
	secs[yara$threads]=$(best yara -w -f -N -r -p "$threads" -d vigil_hex_key=false \
		"${yara_rules[@]}" "$TREE")
	for tool in vigil yara; do
		s=${secs[$tool$threads]}
		awk -v n="$tool ($threads thread(s))" -v s="$s" -v m="$mib" -v f="$files" \
			'BEGIN {printf "%-34s %8.2f %10.1f %10.0f\n", n, s, m / s, f / s}'
	done
done
s=$(best "$VIGIL" scan -q --no-progress --threads 2 --json --all "$TREE")
awk -v s="$s" -v m="$mib" -v f="$files" \
	'BEGIN {printf "%-34s %8.2f %10.1f %10.0f\n", "vigil --all (2 threads)", s, m / s, f / s}'
for threads in 1 2; do
	awk -v t="$threads" -v v="${secs[vigil$threads]}" -v y="${secs[yara$threads]}" \
		'BEGIN {printf "ratio vigil/yara throughput, %d thread(s): %.2f\n", t, y / v}'
done
