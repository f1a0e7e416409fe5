#!/bin/bash
# Big files never delay a restore: N sparse files added just before a defacement
# (bench/webroot_guard.py big). usage: bench/webroot_bigfiles.sh [N] [SIZE_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
make -s -j2 BUILD="$BUILD" all >/dev/null
exec python3 bench/webroot_guard.py big "$BUILD/vigil" "${1:-20}" "${2:-2048}"
