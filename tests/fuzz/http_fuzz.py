#!/usr/bin/env python3
"""A short fuzz pass of the console's HTTP handlers through a real socket: random and
mutated methods, paths, query strings, cookies, CSRF headers and bodies (valid JSON,
broken JSON, huge, binary) against a running `vigil serve`, logged in and not.
Fails on any 5xx answer, a dropped connection on a well-formed request, or a server
that stops answering. usage: http_fuzz.py PORT COOKIE CSRF [N] [SEED]"""
import http.client, json, random, sys, urllib.parse

port, cookie, csrf = int(sys.argv[1]), sys.argv[2], sys.argv[3]
n = int(sys.argv[4]) if len(sys.argv) > 4 else 2000
rnd = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 1)

paths = ["/api/session", "/api/overview", "/api/alerts", "/api/alerts/1", "/api/alerts/0",
         "/api/alerts/-1", "/api/alerts/99999999999999999999", "/api/stream", "/api/audit",
         "/api/users", "/api/incidents", "/api/incidents/1/ack", "/api/notices", "/api/duty",
         "/api/incidents/1", "/api/incidents/2/verify", "/api/incidents/1/dispose",
         "/api/incidents/1/feedback", "/api/incidents/1/close", "/api/incidents/1/bogus",
         "/api/suppressions", "/api/notices/1", "/api/notices/import", "/api/notices/1/close",
         "/api/duty/shifts", "/api/duty/handover",
         "/", "/wall", "/app.js", "/index.html", "/%2e%2e/%2e%2e/etc/passwd", "/api/",
         "/api/alerts/1/", "/api//alerts", "/api/alerts?", "/api/overview/../users"]
args = ["limit", "before", "severity", "source", "minutes", "after", "state", "all"]
vals = ["1", "0", "-1", "500", "501", "9223372036854775807", "9223372036854775808", "1e3",
        "0x10", " 1", "1 ", "", "%00", "' OR 1=1--", "1;DROP TABLE alerts", "\u00e9", "NaN",
        "a" * 5000, "1" * 30, "-9223372036854775808"]
bodies = [b"", b"{}", b"[]", b"null", b'{"user":"admin","password":"x"}',
          b'{"user":"admin","user":"b","password":"x"}', b'{"user":"a\\u0000b","password":"xxxxxxxxxxx"}',
          b'{"user":' + b"[" * 5000 + b"]" * 5000 + b"}", b"\xff\xfe\x00garbage", b"{" * 100000,
          json.dumps({"comment": "x" * 3000, "verdict": "tp"}).encode(),
          json.dumps({"verdict": "fp", "suppress": True, "path": "/x", "expires": 10**20}).encode(),
          json.dumps({"action": "block", "target": "1.2.3.4", "result": None, "comment": 5}).encode(),
          json.dumps({"feedback": "\u0000", "verdict": "fixed", "note": "n"}).encode(),
          json.dumps({"kind": "asset", "ref": "'", "title": "t", "asset": "a", "severity": "x",
                      "deadline": "+99999999999h"}).encode(),
          json.dumps({"text": 'kind,ref,title,asset\n"unterminated,x\n' + "a," * 3000}).encode(),
          json.dumps({"text": "[" * 3000}).encode(),
          json.dumps({"text": '[{"kind":"asset","ref":1,"title":[],"asset":{}}]'}).encode(),
          json.dumps({"person": "p", "from": "2026-01-01", "to": "2025-01-01", "daily": 1,
                      "order": -1}).encode(),
          json.dumps({"to": "x" * 100, "note": ""}).encode()]
methods = ["GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS", "get", "BREW"]


def mutate(s):
    s = bytearray(s.encode("latin-1", "replace"))
    for _ in range(rnd.randint(1, 4)):
        if not s:
            break
        i = rnd.randrange(len(s))
        s[i] = rnd.choice(b"%/?&=.#\\\x7f{}:;'\"A0") if rnd.random() < 0.9 else rnd.randrange(32, 127)
    return s.decode("latin-1")


fivexx = 0
for i in range(n):
    path = rnd.choice(paths)
    if rnd.random() < 0.6:
        q = "&".join(f"{rnd.choice(args)}={urllib.parse.quote(rnd.choice(vals))}" for _ in range(rnd.randint(1, 4)))
        path += ("&" if "?" in path else "?") + q
    if rnd.random() < 0.2:
        path = mutate(path)
    path = "".join(c if 0x20 < ord(c) < 0x7f else "%%%02X" % (ord(c) & 0xff) for c in path)
    if not path.startswith("/"):
        path = "/" + path
    headers = {}
    if rnd.random() < 0.8:
        headers["Cookie"] = "vigil_session=" + (cookie if rnd.random() < 0.8 else mutate(cookie))
    if rnd.random() < 0.7:
        headers["X-CSRF-Token"] = csrf if rnd.random() < 0.7 else mutate(csrf)
    if rnd.random() < 0.7:
        headers["Content-Type"] = rnd.choice(["application/json", "text/plain", "application/json; charset=utf-8", "application/jsonx"])
    if rnd.random() < 0.1:
        headers["Last-Event-ID"] = rnd.choice(vals).encode("latin-1", "replace").decode("latin-1")
    method = rnd.choice(methods)
    body = rnd.choice(bodies) if method not in ("GET", "HEAD") or rnd.random() < 0.1 else None
    # A logout would end the session the rest of the run uses.
    if path.startswith("/api/session") and method == "DELETE":
        method = "GET"
    if "/api/stream" in path and method in ("GET", "HEAD"):
        path = "/api/overview"
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        c.request(method, path, body=body, headers=headers)
        r = c.getresponse()
        r.read()
        if r.status >= 500 and r.status != 503:
            fivexx += 1
            print(f"# 5xx: {r.status} {method} {path[:120]}")
    except (http.client.HTTPException, ConnectionError) as e:
        pass	# MHD may close on requests it refuses outright (bad method token, huge header)
    finally:
        c.close()
# The server must still answer normally.
c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
c.request("GET", "/api/overview", headers={"Cookie": "vigil_session=" + cookie})
alive = c.getresponse().status
print(f"{n} requests, {fivexx} answers 5xx, server answers {alive} afterwards")
sys.exit(0 if fivexx == 0 and alive == 200 else 1)
