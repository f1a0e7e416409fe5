#!/bin/bash
# Latency of the file tailer: a line appended to a watched file -> delivered
# (and, with a store, -> its position committed), against coreutils `tail -F`
# on the same appends. N appends 1 ms apart (TAIL_N, default 1000).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
work=$(mktemp -d /tmp/vigil-bench-tail.XXXXXX)
trap 'rm -rf "$work"' EXIT
n=${TAIL_N:-1000}
for mode in vigil vigil-store tail-F; do
	"$BUILD/bench/tail_latency" "$work" "$n" "$mode"
done
# Read throughput of the tailer alone (no decoding), lines already on disk.
"$BUILD/bench/tail_latency" "$work" "${TAIL_THROUGHPUT_N:-2000000}" throughput
