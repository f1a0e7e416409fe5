#!/bin/bash
# Detection quality, vigil beside libmodsecurity 3 + OWASP CRS PL1 on the same lines:
# per-class recall on our hand-written attacks, false positives on our hand-written
# benign requests, and per tool the share of requests flagged, for the corpus that
# bench/corpus/record.sh recorded from real tools (sqlmap per DBMS, wapiti, wfuzz,
# ffuf, dirb, nmap NSE, hydra) against a loopback nginx. RECORD=1 records it afresh
# first (needs root and the tools: scripts/install-deps bench; takes ~30 min).
# See bench/corpus/score.py for what counts as flagged.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
[ -z "${RECORD:-}" ] || bash bench/corpus/record.sh
[ -x "$BUILD/bench/crs_replay" ] || { echo "detection: $BUILD/bench/crs_replay missing (make bench; needs libmodsecurity-dev); skipped"; exit 0; }
[ -d /usr/share/modsecurity-crs/rules ] || { echo "detection: modsecurity-crs not installed; skipped"; exit 0; }
python3 bench/corpus/score.py "$BUILD" rules bench/corpus/logs
