#!/usr/bin/env python3
"""Loopback SMTP sink for notification tests: speaks just enough SMTP
(EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) to take mail from libcurl and
writes each message as a JSON line (from, to, data) to --log. Binds port 0 and
writes the port to --port-file."""
import argparse
import json
import os
import socketserver

ap = argparse.ArgumentParser()
ap.add_argument("--port-file", required=True)
ap.add_argument("--log", required=True)
args = ap.parse_args()
logf = open(args.log, "a", buffering=1)


class Handler(socketserver.StreamRequestHandler):
    def say(self, line):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        self.say("220 sink ESMTP")
        mail_from, rcpt = None, []
        while True:
            line = self.rfile.readline(65536)
            if not line:
                return
            cmd = line.decode("utf-8", "replace").strip()
            verb = cmd[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.say("250 sink")
            elif verb == "MAIL":
                mail_from, rcpt = cmd[10:].strip(), []
                self.say("250 ok")
            elif verb == "RCPT":
                rcpt.append(cmd[8:].strip())
                self.say("250 ok")
            elif verb == "DATA":
                self.say("354 go ahead")
                data = []
                while True:
                    l = self.rfile.readline(1 << 20)
                    if not l or l in (b".\r\n", b".\n"):
                        break
                    if l.startswith(b".."):
                        l = l[1:]
                    data.append(l.decode("utf-8", "replace"))
                logf.write(json.dumps({"from": mail_from, "to": rcpt,
                                       "data": "".join(data)}) + "\n")
                self.say("250 queued")
            elif verb == "QUIT":
                self.say("221 bye")
                return
            else:
                self.say("250 ok")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


srv = Server(("127.0.0.1", 0), Handler)
tmp = args.port_file + ".tmp"
with open(tmp, "w") as f:
    f.write(str(srv.server_address[1]))
os.replace(tmp, args.port_file)
srv.serve_forever()
