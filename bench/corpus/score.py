#!/usr/bin/env python3
"""Scores vigil and OWASP CRS (PL1) on the recorded corpus, line by line.
usage: score.py BUILD RULES LOGDIR
For each LOGDIR/NAME.log.gz: hand-written logs (with NAME.labels) give recall per
class and false positives on the benign set; sqlmap logs give recall on the requests
that carry a payload in a logged field; every other tool log gives the share of its
requests flagged. vigil's correlation alerts (`vigil scan-log`) are listed per log.
A line counts as flagged by vigil when a rule of medium severity or more matched it,
by CRS when its anomaly score reached the blocking threshold."""
import collections
import gzip
import hashlib
import os
import re
import subprocess
import sys
import tempfile

TOOL_UA = re.compile(r'"(sqlmap/[0-9.]+#[a-z]+ \(https?://sqlmap\.org\)|Wfuzz/[0-9.]+)"')
BROWSER = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
           "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36")
LINE = re.compile(r'^(\S+) \S+ \S+ \[[^\]]*\] "(\S+) (\S+)[^"]*" \d+ \S+ "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"')


def vigil_lines(build, rules, path, cache):
    out = subprocess.run([build + "/bench/label_lines", rules, path, cache], capture_output=True,
                         text=True, check=True).stdout
    return [l.split(" ", 1)[1] != "-" for l in out.splitlines()]


def crs_lines(build, path, n):
    """CRS verdicts, cached in $CRS_CACHE (if set) by the log's content hash: CRS
    does not change between runs, and it is the slow half of the scoring."""
    cache = os.environ.get("CRS_CACHE")
    key = None
    if cache:
        h = hashlib.sha256()
        for f in (path, build + "/bench/crs_replay"):	# the log and the harness
            with open(f, "rb") as fd:
                h.update(fd.read())
        key = os.path.join(cache, h.hexdigest())
        if os.path.exists(key):
            flagged = {int(x) for x in open(key).read().split()}
            return [i + 1 in flagged for i in range(n)]
    with tempfile.NamedTemporaryFile("r") as f:
        subprocess.run([build + "/bench/crs_replay", path, f.name], capture_output=True, check=True)
        text = f.read()
    if key:
        os.makedirs(cache, exist_ok=True)
        with open(key, "w") as o:
            o.write(text)
    flagged = {int(x) for x in text.split()}
    return [i + 1 in flagged for i in range(n)]


def alerts(build, rules, path):
    r = subprocess.run([build + "/vigil", "scan-log", "--rules", rules, path],
                       capture_output=True, text=True)
    ids = collections.Counter()
    for l in r.stdout.splitlines():
        m = re.match(r"^\S+\s+(\S+)", l)
        if m:
            ids[m.group(1)] += 1
    return ids


def carries_payload(lines):
    """sqlmap requests whose logged URL value, user agent or referer differs from the
    run's baseline (its most common value) by more than a bare number or word:
    the ones a log-based detector can be asked to see."""
    ua = collections.Counter()
    ref = collections.Counter()
    for l in lines:
        m = LINE.match(l)
        if m:
            ua[m.group(5)] += 1
            ref[m.group(4)] += 1
    base_ua = ua.most_common(1)[0][0] if ua else ""
    base_ref = ref.most_common(1)[0][0] if ref else ""
    out = []
    for l in lines:
        m = LINE.match(l)
        if not m:
            out.append(False)
            continue
        url, r, a = m.group(3), m.group(4), m.group(5)
        q = url.split("?", 1)[1] if "?" in url else ""
        vals = [kv.split("=", 1)[1] if "=" in kv else kv for kv in q.split("&") if kv]
        odd = any(not re.fullmatch(r"[A-Za-z0-9._-]*", v) for v in vals)
        odd = odd or (a != base_ua and a not in ("", "-")) or (r != base_ref and r not in ("", "-"))
        out.append(odd)
    return out


def pct(a, b):
    return "%5.1f%%" % (100.0 * a / b) if b else "    -"


def sqlmap_note():
    return ("  (sqlmap's and wfuzz-injections' own user agent is replaced by a browser's before\n"
            "   scoring: both engines flag it on its own; the question is whether payloads are seen)")


def main():
    build, rules, logdir = sys.argv[1:4]
    names = sorted(f[:-7] for f in os.listdir(logdir) if f.endswith(".log.gz")
                   and re.search(os.environ.get("ONLY", ""), f))
    tmp = tempfile.mkdtemp(prefix="vigil-score.")
    per_class = collections.OrderedDict()
    tools = []
    for name in names:
        path = os.path.join(tmp, name + ".log")
        with gzip.open(os.path.join(logdir, name + ".log.gz"), "rt", errors="surrogateescape") as f, \
                open(path, "w", errors="surrogateescape") as o:
            text = f.read()
            if name.startswith("sqlmap") or name == "wfuzz-injections":
                # Score the payloads, not the tool's own user agent (both engines
                # flag it alone): lines keep the payloads with a browser's agent.
                text = TOOL_UA.sub('"' + BROWSER + '"', text)
            o.write(text)
        lines = text.splitlines()
        if not lines:
            continue
        v = vigil_lines(build, rules, path, tmp)
        c = crs_lines(build, path, len(lines))
        al = alerts(build, rules, path)
        labels = os.path.join(logdir, name + ".labels")
        if os.path.exists(labels):
            lab = open(labels).read().split()
            if len(lab) != len(lines):
                print("score: %s: %d labels for %d lines" % (name, len(lab), len(lines)))
                continue
            for cls, fv, fc in zip(lab, v, c):
                t = per_class.setdefault(cls, [0, 0, 0])
                t[0] += 1
                t[1] += fv
                t[2] += fc
            if os.environ.get("SHOW_MISSES"):
                for cls, fv, fc, l in zip(lab, v, c, lines):
                    if (cls == "benign") == fv:
                        print("  %s %s: %s" % ("FP" if fv else "missed", cls, l[l.find('"'):]))
            continue
        if name.startswith("sqlmap"):
            sel = carries_payload(lines)
            if os.environ.get("SHOW_MISSES"):
                for s_, fv, l in zip(sel, v, lines):
                    if s_ and not fv:
                        print("  missed %s: %s" % (name, l[l.find('"'):]))
        else:
            sel = [True] * len(lines)
        n = sum(sel)
        nv = sum(1 for s_, x in zip(sel, v) if s_ and x)
        nc = sum(1 for s_, x in zip(sel, c) if s_ and x)
        tools.append((name, len(lines), n, nv, nc, al))
    print("hand-written requests, per class (recall for attacks, false positives for benign):")
    print("  %-10s %6s %16s %16s" % ("class", "lines", "vigil", "CRS PL1"))
    for cls, (n, fv, fc) in per_class.items():
        print("  %-10s %6d %8d (%s) %8d (%s)" % (cls, n, fv, pct(fv, n), fc, pct(fc, n)))
    print("real tools on loopback (sqlmap: requests carrying a payload in a logged field):")
    print("  %-28s %6s %7s %16s %16s  %s" % ("run", "lines", "scored", "vigil", "CRS PL1", "vigil alerts (rule: count)"))
    print(sqlmap_note())
    for name, nl, n, nv, nc, al in tools:
        print("  %-28s %6d %7d %8d (%s) %8d (%s)  %s" % (name, nl, n, nv, pct(nv, n), nc, pct(nc, n),
              " ".join("%s:%d" % kv for kv in sorted(al.items())) or "none"))


if __name__ == "__main__":
    main()
