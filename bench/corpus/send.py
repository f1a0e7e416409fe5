#!/usr/bin/env python3
"""Sends hand-written requests to the loopback test site one at a time, exactly as
written (raw socket: no client re-encoding), so nginx logs them as it would log an
attacker's. Input lines: CLASS<TAB>METHOD<TAB>TARGET[<TAB>USER_AGENT[<TAB>REFERER[<TAB>BODY]]];
'#' lines and blank lines are skipped; an empty USER_AGENT means a browser's.
Writes one CLASS per sent request to LABELS, in order (the access log's order).
usage: send.py PORT CASES LABELS"""
import socket
import sys

BROWSER = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
           "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36")


def send(port, method, target, ua, referer, body):
    head = "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: %s\r\n" % (method, target, ua)
    if referer:
        head += "Referer: %s\r\n" % referer
    data = body.encode("utf-8", "surrogateescape")
    if method == "POST":
        head += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n" % len(data)
    head += "Connection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(head.encode("utf-8", "surrogateescape") + data)
        while s.recv(65536):
            pass


def main():
    port, cases, labels = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    with open(cases, encoding="utf-8") as f, open(labels, "w") as out:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            p = line.split("\t") + [""] * 6
            cls, method, target, ua, referer, body = p[:6]
            send(port, method, target, ua or BROWSER, referer, body)
            out.write(cls + "\n")


if __name__ == "__main__":
    main()
