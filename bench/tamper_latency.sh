#!/bin/bash
# Tamper latency: write→alert and write→restored, p50/p99 over N tampers, one page each (default 200, at most 250).
# usage: bench/tamper_latency.sh [N] [store]   (store: alerts also written to SQLite)
set -euo pipefail
cd "$(dirname "$0")/.."
make -s -j2 bench >/dev/null
exec build/bench/tamper_latency "$PWD/build/vigil" "${1:-200}" ${2:-}
