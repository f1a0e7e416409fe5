#!/bin/bash
# Detection engine benchmark: vigil scan-log against libmodsecurity 3 + OWASP CRS PL1
# (bench/crs_replay.c) and fail2ban-regex on the same generated access logs
# (bench/gen_access_log.py: 95% benign corpus, 5% attack corpus). Prints lines/s per
# core, the speed ratio, and detection / false-positive shares on attack-only and
# benign-only logs. Env: N_VIGIL (default 1000000), N_PEER (default 20000).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
N_VIGIL=${N_VIGIL:-1000000}
N_PEER=${N_PEER:-20000}
work=$(mktemp -d /tmp/vigil-bench-scan.XXXXXX)
trap 'rm -rf "$work"' EXIT
py() { python3 -c "$@"; }

python3 bench/gen_access_log.py "$N_VIGIL" "$work/big.log"
python3 bench/gen_access_log.py "$N_PEER" "$work/mix.log"
python3 bench/gen_access_log.py 2000 "$work/attack.log" 1
python3 bench/gen_access_log.py 2000 "$work/benign.log" 0

# Text output (alert lines to /dev/null); the summary line on stderr carries the
# counts and the engine's own timer, which starts after the rules are compiled.
vigil_stats() {	# vigil_stats LOG -> the summary line
	"$BUILD/vigil" scan-log "$1" 2>&1 >/dev/null | grep ' lines (' || true
}
stat() {	# stat SUMMARY lines|events_matched|seconds
	py "import re,sys; m = re.match(r'(\d+) lines .*?, (\d+) matched a rule, \d+ alerts in ([0-9.]+) s', sys.argv[1]); print({'lines': m[1], 'events_matched': m[2], 'seconds': m[3]}[sys.argv[2]])" "$1" "$2"
}

big=$(vigil_stats "$work/big.log")
vl=$(stat "$big" lines); vs=$(stat "$big" seconds)
echo "vigil scan-log: $vl lines in $vs s = $(py "print(round($vl/$vs))") lines/s on one core (target >= 1000000)"

mix=$(vigil_stats "$work/mix.log")
crs=$("$BUILD/bench/crs_replay" "$work/mix.log" 2>/dev/null)
f2b_start=$(date +%s.%N)
f2b=$(fail2ban-regex "$work/mix.log" /etc/fail2ban/filter.d/nginx-botsearch.conf 2>&1 | grep '^Lines:' || true)
f2b_end=$(date +%s.%N)
v_rate=$(py "print(round($(stat "$mix" lines)/$(stat "$mix" seconds)))")
c_rate=$(py "import json; print(json.loads('$crs')['lines_per_s'])")
f_rate=$(py "print(round($N_PEER/($f2b_end-$f2b_start)))")
echo "same $N_PEER-line log: vigil $v_rate lines/s, CRS PL1 $c_rate lines/s, fail2ban-regex (nginx-botsearch, whole process) $f_rate lines/s"
echo "ratio vigil/CRS: $(py "print(round($v_rate/$c_rate))")x (target >= 300x); vigil/fail2ban: $(py "print(round($v_rate/$f_rate, 1))")x"
echo "lines flagged in it: vigil $(stat "$mix" events_matched), CRS $(py "import json; print(json.loads('$crs')['flagged'])"), fail2ban: $f2b"

for kind in attack benign; do
	v=$(vigil_stats "$work/$kind.log")
	c=$("$BUILD/bench/crs_replay" "$work/$kind.log" 2>/dev/null)
	echo "$kind-only log (2000 lines): vigil flags $(stat "$v" events_matched), CRS flags $(py "import json; print(json.loads('$c')['flagged'])")"
done
