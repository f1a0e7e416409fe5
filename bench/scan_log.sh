#!/bin/bash
# Detection engine benchmark: vigil scan-log against libmodsecurity 3 + OWASP CRS PL1
# (bench/crs_replay.c) and fail2ban-regex on the same generated access logs
# (bench/gen_access_log.py: 95% benign corpus, 5% attack corpus). Prints lines/s per
# core: vigil's engine timer (after rules are loaded) on the generated mix and on an
# attack-heavy mix (the real-tool corpus of bench/corpus, repeated), and whole-process
# CPU time for vigil and fail2ban alike (like with like); then detection /
# false-positive shares on attack-only and benign-only logs.
# Env: N_VIGIL (default 1000000), N_PEER (default 20000).
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
	"$BUILD/vigil" scan-log --rules rules "$1" 2>&1 >/dev/null | grep ' lines (' || true
}
stat() {	# stat SUMMARY lines|events_matched|seconds
	py "import re,sys; m = re.match(r'(\d+) lines .*?, (\d+) matched a rule, \d+ alerts in ([0-9.]+) s', sys.argv[1]); print({'lines': m[1], 'events_matched': m[2], 'seconds': m[3]}[sys.argv[2]])" "$1" "$2"
}

# cpu_of CMD...: user+system CPU seconds of the whole process (rules loading included).
cpu_of() {
	py "import resource,subprocess,sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN); print(r.ru_utime + r.ru_stime)" "$@"
}
# The attack-heavy mix: every recorded tool run and hand-written case, repeated.
zcat bench/corpus/logs/*.log.gz >"$work/corpus.log"
py "import sys
src = open(sys.argv[1], 'rb').read().splitlines(True); n = int(sys.argv[3])
with open(sys.argv[2], 'wb') as o:
    o.writelines((src * (n // len(src) + 1))[:n])" "$work/corpus.log" "$work/attack_heavy.log" "$N_VIGIL"

big=$(vigil_stats "$work/big.log")
vl=$(stat "$big" lines); vs=$(stat "$big" seconds)
echo "vigil scan-log engine: $vl generated lines (5% attacks) in $vs s = $(py "print(round($vl/$vs))") lines/s on one core"
heavy=$(vigil_stats "$work/attack_heavy.log")
echo "vigil scan-log engine, attack-heavy mix (real-tool corpus): $(py "print(round($(stat "$heavy" lines)/$(stat "$heavy" seconds)))") lines/s on one core (target >= 1000000); $(stat "$heavy" events_matched) of $(stat "$heavy" lines) lines matched a rule"
whole=$(cpu_of "$BUILD/vigil" scan-log --rules rules "$work/big.log")
echo "vigil scan-log whole process (CPU time, rules loading included): $vl lines in $(py "print(round($whole, 2))") s = $(py "print(round($vl/$whole))") lines/s (target >= 800000)"

mix=$(vigil_stats "$work/mix.log")
crs=$("$BUILD/bench/crs_replay" "$work/mix.log" 2>/dev/null)
f2b=$(fail2ban-regex "$work/mix.log" /etc/fail2ban/filter.d/nginx-botsearch.conf 2>&1 | grep '^Lines:' || true)
f2b_cpu=$(cpu_of fail2ban-regex "$work/mix.log" /etc/fail2ban/filter.d/nginx-botsearch.conf)
v_cpu=$(cpu_of "$BUILD/vigil" scan-log --rules rules "$work/mix.log")
v_rate=$(py "print(round($(stat "$mix" lines)/$(stat "$mix" seconds)))")
c_rate=$(py "import json; print(json.loads('$crs')['lines_per_s'])")
f_rate=$(py "print(round($N_PEER/$f2b_cpu))")
vw_rate=$(py "print(round($N_PEER/$v_cpu))")
echo "same $N_PEER-line log: vigil engine $v_rate lines/s vs CRS PL1 (engine) $c_rate lines/s: $(py "print(round($v_rate/$c_rate))")x (target >= 300x)"
echo "same log, whole process CPU time: vigil $vw_rate lines/s vs fail2ban-regex (nginx-botsearch) $f_rate lines/s: $(py "print(round($vw_rate/$f_rate, 1))")x"
echo "lines flagged in it: vigil $(stat "$mix" events_matched), CRS $(py "import json; print(json.loads('$crs')['flagged'])"), fail2ban: $f2b"

for kind in attack benign; do
	v=$(vigil_stats "$work/$kind.log")
	c=$("$BUILD/bench/crs_replay" "$work/$kind.log" 2>/dev/null)
	echo "$kind-only log (2000 lines): vigil flags $(stat "$v" events_matched), CRS flags $(py "import json; print(json.loads('$c')['flagged'])")"
done
