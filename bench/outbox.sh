#!/bin/bash
# Outbox under a flaky receiver: N notifications (default 10,000, one per
# imported notice) through a loopback webhook that fails 30% of requests (HTTP
# 503, seeded). Counts what the receiver accepted: every idempotency key must
# arrive, and none twice. Prints the wall time and the send rate.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
N=${OUTBOX_N:-10000}
FAIL=${OUTBOX_FAIL:-0.3}
work=$(mktemp -d /tmp/vigil-outbox.XXXXXX)
python3 tests/helpers/notify_receiver.py --port-file "$work/port" --log "$work/recv.log" \
	--fail-rate "$FAIL" --seed 7 2>"$work/recv.stats" & rpid=$!
trap 'kill $rpid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 600); do [ -s "$work/port" ] && break; sleep 0.1; done
cat >"$work/o.yaml" <<YAML
store: {path: $work/o.db}
notify:
  max_backoff: 1s
  channels:
    - {name: hook, type: webhook, url: "http://127.0.0.1:$(cat "$work/port")/hook", rate: 0}
  routes:
    - {channels: [hook], kinds: [notice]}
YAML
python3 - "$N" >"$work/notices.json" <<'PY'
import json, sys
n = int(sys.argv[1])
print(json.dumps([{"kind": "vulnerability", "ref": "B-%d" % i, "issuer": "bench",
    "title": "notice %d" % i, "asset": "host-%d" % (i % 97), "severity": "high"}
    for i in range(n)]))
PY
t0=$(date +%s.%N)
"$BUILD/vigil" -q --config "$work/o.yaml" notice import "$work/notices.json" >/dev/null
t1=$(date +%s.%N)
"$BUILD/vigil" -q --config "$work/o.yaml" notify flush --wait 1200s
t2=$(date +%s.%N)
kill $rpid; wait $rpid 2>/dev/null || true
python3 - "$work/recv.log" "$work/recv.stats" "$N" "$t0" "$t1" "$t2" <<'PY'
import collections, json, sys
log, stats, n, t0, t1, t2 = sys.argv[1], sys.argv[2], int(sys.argv[3]), *map(float, sys.argv[4:])
keys = collections.Counter(json.loads(l)["key"] for l in open(log))
want = {"notice-%d-new@hook" % i for i in range(1, n + 1)}
s = json.loads(open(stats).read().strip().splitlines()[-1])
lost = len(want - set(keys))
dups = sum(c - 1 for c in keys.values() if c > 1)
print("outbox: %d notifications, receiver failing %.0f%% (%d of %d requests refused)"
      % (n, 100.0 * s["failed"] / max(s["requests"], 1), s["failed"], s["requests"]))
print("outbox: delivered %d distinct, lost %d, duplicated %d" % (len(keys), lost, dups))
print("outbox: enqueue %.1f s (%.0f/s); delivery %.1f s (%.0f notifications/s)"
      % (t1 - t0, n / (t1 - t0), t2 - t1, n / (t2 - t1)))
sys.exit(1 if lost or dups else 0)
PY
