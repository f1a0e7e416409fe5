#!/bin/bash
# Host baseline beside Lynis on this machine: `vigil assess baseline` (shipped policies,
# the running system, findings written to a scratch store) against `lynis audit system
# --quick`, timed with hyperfine (BASELINE_RUNS vigil runs, LYNIS_RUNS Lynis runs), then
# the areas both cover: Lynis's executed tests per test group (from its report file)
# beside vigil's judged checks in the same area. Needs root (both read /etc/shadow) and
# lynis + hyperfine (scripts/install-deps bench). Prints ratios; run on a quiet machine
# for absolute figures.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
VIGIL=$PWD/$BUILD/vigil
RUNS=${BASELINE_RUNS:-10}
LRUNS=${LYNIS_RUNS:-2}
[ "$(id -u)" = 0 ] || { echo "baseline_lynis: needs root" >&2; exit 2; }
command -v lynis >/dev/null && command -v hyperfine >/dev/null ||
	{ echo "baseline_lynis: needs lynis and hyperfine" >&2; exit 2; }
work=$(mktemp -d /tmp/vigil-bench-baseline.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "store: {path: $work/s.db}" >"$work/c.yaml"

hyperfine --style basic --export-json "$work/vigil.json" --runs "$RUNS" --warmup 1 -i \
	"$VIGIL --config $work/c.yaml assess baseline" >/dev/null
hyperfine --style basic --export-json "$work/lynis.json" --runs "$LRUNS" -i \
	"lynis audit system --quick --no-colors --logfile $work/lynis.log --report-file $work/lynis.dat" >/dev/null
"$VIGIL" --config "$work/c.yaml" --json assess baseline --all >"$work/vigil.jsonl" || true

python3 - "$work" <<'PY'
import json, sys, collections
w = sys.argv[1]
v = json.load(open(w + "/vigil.json"))["results"][0]
l = json.load(open(w + "/lynis.json"))["results"][0]
print("vigil assess baseline: mean %.3f s (min %.3f, max %.3f, %d runs)" %
      (v["mean"], v["min"], v["max"], len(v["times"])))
print("lynis audit system --quick: mean %.3f s (min %.3f, max %.3f, %d runs)" %
      (l["mean"], l["min"], l["max"], len(l["times"])))
print("speed ratio (lynis / vigil): %.1fx" % (l["mean"] / v["mean"]))

tests = []
for line in open(w + "/lynis.dat", errors="replace"):
    if line.startswith("tests_executed="):
        tests = [t for t in line.split("=", 1)[1].strip().split("|") if t]
groups = collections.Counter(t.split("-")[0] for t in tests)
rows = [json.loads(x) for x in open(w + "/vigil.jsonl") if x.strip()]
checks = [r for r in rows if r.get("check")]
summary = rows[-1]
# the same areas: Lynis test group -> vigil policy:check prefixes (each check in one area)
areas = [
    ("accounts and authentication", ["AUTH"], ["vigil_linux:1001", "vigil_linux:1002", "vigil_linux:1020"]),
    ("SSH server", ["SSH"], ["vigil_openssh:"]),
    ("file permissions / SUID", ["FILE", "HOME"], ["vigil_linux:1003", "vigil_linux:1004", "vigil_linux:1005", "vigil_linux:1006", "vigil_linux:1007"]),
    ("kernel hardening (sysctl)", ["KRNL"], ["vigil_linux:101"]),
    ("logging and retention", ["LOGG"], ["vigil_linux:105"]),
    ("time synchronisation", ["TIME"], ["vigil_linux:1040"]),
    ("scheduled tasks (cron)", ["SCHD"], ["vigil_linux:103"]),
    ("packages and updates", ["PKGS"], ["vigil_debian:3001", "vigil_debian:3002", "vigil_rhel:4002", "vigil_linux:1061"]),
    ("network services", ["NETW"], ["vigil_linux:1060"]),
    ("web servers", ["HTTP"], ["vigil_nginx:", "vigil_apache:"]),
    ("PHP", ["PHP"], ["vigil_php:"]),
    ("databases", ["DBS"], ["vigil_mysql:", "vigil_postgresql:", "vigil_redis:"]),
    ("MAC frameworks / firewall", ["MACF", "FIRE"], ["vigil_debian:3003", "vigil_rhel:4001", "vigil_rhel:4003"]),
]
print()
print("%-30s %14s %20s" % ("area", "lynis tests run", "vigil checks judged"))
lt = vt = 0
for name, lg, vp in areas:
    n_l = sum(groups[g] for g in lg)
    n_v = sum(1 for c in checks if c["result"] != "not applicable" and
              any((c["policy"] + ":" + c["check"]).startswith(p) for p in vp))
    lt += n_l; vt += n_v
    print("%-30s %14d %20d" % (name, n_l, n_v))
print("%-30s %14d %20d" % ("same areas, total", lt, vt))
print("lynis tests executed in all: %d (groups: %s)" % (len(tests), " ".join(
    "%s=%d" % kv for kv in sorted(groups.items()))))
print("vigil: %d checks judged, hardening index %s, %d failed; %d policies skipped" % (
    summary["passed"] + summary["failed"], summary["hardening_index"], summary["failed"],
    summary["policies_skipped"]))
PY
