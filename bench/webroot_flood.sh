#!/bin/bash
# Queue overflow on a large web root: every defaced page correct again after a flood of
# file creations (bench/webroot_guard.py flood). usage: bench/webroot_flood.sh [FILES] [FLOOD]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
make -s -j2 BUILD="$BUILD" all >/dev/null
exec python3 bench/webroot_guard.py flood "$BUILD/vigil" "${1:-50000}" "${2:-100000}"
