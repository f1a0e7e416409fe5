#!/usr/bin/env python3
"""Loopback HTTP receiver for notification tests: accepts POSTs, records each
accepted one as a JSON line (idempotency key, path, query, body) in --log, and
can misbehave on purpose: answer 503 while --down-file exists, fail a share of
requests (--fail-rate, seeded), or answer slowly (--delay). Binds port 0 (or
--port) and writes the port it got to --port-file."""
import argparse
import json
import os
import random
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=0)
ap.add_argument("--port-file", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--fail-rate", type=float, default=0.0)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--down-file")
ap.add_argument("--delay", type=float, default=0.0)
ap.add_argument("--reply", default='{"errcode":0,"errmsg":"ok"}')
args = ap.parse_args()

rng = random.Random(args.seed)
lock = threading.Lock()
logf = open(args.log, "a", buffering=1)
stats = {"requests": 0, "failed": 0, "accepted": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes

    def log_message(self, *a):
        pass

    def answer(self, code, body):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except OSError:
            pass  # the sender went away (killed mid-send): its retry will come

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n).decode("utf-8", "replace")
        if args.delay:
            time.sleep(args.delay)
        with lock:
            stats["requests"] += 1
            down = args.down_file and os.path.exists(args.down_file)
            fail = down or (args.fail_rate and rng.random() < args.fail_rate)
            if fail:
                stats["failed"] += 1
            else:
                stats["accepted"] += 1
                u = urlsplit(self.path)
                logf.write(json.dumps({"key": self.headers.get("Idempotency-Key"),
                                       "path": u.path, "query": u.query,
                                       "body": body}) + "\n")
        if fail:
            self.answer(503, '{"error":"down"}')
        else:
            self.answer(200, args.reply)


def stop(*_):
    raise KeyboardInterrupt  # background jobs ignore SIGINT: stop on SIGTERM too


signal.signal(signal.SIGTERM, stop)
srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
srv.daemon_threads = True
tmp = args.port_file + ".tmp"
with open(tmp, "w") as f:
    f.write(str(srv.server_address[1]))
os.replace(tmp, args.port_file)
try:
    srv.serve_forever()
except KeyboardInterrupt:
    pass
print(json.dumps(stats), file=sys.stderr)
