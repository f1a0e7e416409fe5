#!/bin/bash
# Tamper latency: write→alert and write→restored, p50/p99 over N tampers (default 1000).
# usage: bench/tamper_latency.sh [N] [store]   (store: alerts also written to SQLite)
set -euo pipefail
cd "$(dirname "$0")/.."
make -s -j2 bench >/dev/null
exec build/bench/tamper_latency "$PWD/build/vigil" "${1:-1000}" ${2:-}
