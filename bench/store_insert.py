#!/usr/bin/env python3
"""Peer for bench/store_insert.c: the same rows into the same schema (a store created
by `vigil store migrate`) with Python's sqlite3 module, executemany in batches, WAL."""
import json, sqlite3, sys, time

db, n, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
con = sqlite3.connect(db, isolation_level=None)
con.execute("PRAGMA journal_mode=WAL")
con.execute("PRAGMA synchronous=NORMAL")
ev = ('203.0.113.66 - - [24/Nov/2026:09:01:10 +0000] "GET /item.php?id=1 '
      'UNION SELECT username,password FROM users-- HTTP/1.1" 200 88')
sql = ("INSERT INTO alerts(rule_id, title, category, mitre, severity, source_ip, sensor,"
       " count, first_seen, last_seen, field, matched, evidence, created_at)"
       " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
def rows(lo, hi):
    for i in range(lo, hi):
        t = 1764000000000000 + i
        yield ("http.sqli.union", "SQL injection (UNION)", "sqli", "T1190", 3,
               "203.0.%d.%d" % ((i >> 8) & 255, i & 255), "web1", 1, t, t,
               "url.original", "union select", ev, int(time.time() * 1e6))
t0 = time.perf_counter()
for lo in range(0, n, batch):
    con.execute("BEGIN IMMEDIATE")
    con.executemany(sql, rows(lo, min(n, lo + batch)))
    con.execute("COMMIT")
dt = time.perf_counter() - t0
print(json.dumps({"impl": "python-sqlite3", "rows": n, "batch": batch,
                  "seconds": round(dt, 3), "rows_per_s": round(n / dt)}))
