#!/usr/bin/env python3
"""Latency of `vigil watch`: a line appended to a watched log -> its alert committed in
the store (read back through SQLite, as the console would), p50/p99 over N lines, each
an SQL injection from a new address so each opens its own alert.
Usage: watch_latency.py VIGIL [N]"""
import os, sqlite3, subprocess, sys, tempfile, time

vigil, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 300
rules = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rules")
d = tempfile.mkdtemp(prefix="vigil-lat.")
log, db, ready = os.path.join(d, "access.log"), os.path.join(d, "v.db"), os.path.join(d, "ready")
open(log, "w").close()
with open(os.path.join(d, "v.yaml"), "w") as f:
    f.write("store: {path: %s}\nmonitor:\n  rules: %s\n  sources:\n    - {path: %s, format: combined}\n"
            % (db, os.path.abspath(rules), log))
p = subprocess.Popen([vigil, "--config", os.path.join(d, "v.yaml"), "watch", "--ready-file", ready],
                     stdout=subprocess.DEVNULL)
while not os.path.exists(ready):
    time.sleep(0.01)
con = sqlite3.connect(db)
lat = []
with open(log, "a") as f:
    for i in range(n):
        ip = "198.19.%d.%d" % (i // 250, i % 250 + 1)
        line = ('%s - - [24/Nov/2026:10:00:00 +0000] "GET /item.php?id=1%%27%%20union%%20select%%20%d,2-- '
                'HTTP/1.1" 200 5 "-" "Mozilla/5.0"\n' % (ip, i))
        t0 = time.perf_counter()
        f.write(line)
        f.flush()
        while not con.execute("select 1 from alerts where source_ip = ? limit 1", (ip,)).fetchone():
            if time.perf_counter() - t0 > 5:
                break
            time.sleep(0.0002)
        lat.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.005)
p.terminate()
p.wait()
lat.sort()
pct = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
print("watch latency, line appended -> alert in store, %d lines: p50 %.2f ms, p99 %.2f ms, max %.2f ms (target p99 < 100 ms)"
      % (n, pct(0.50), pct(0.99), lat[-1]))
