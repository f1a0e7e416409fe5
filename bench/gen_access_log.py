#!/usr/bin/env python3
"""Writes N nginx combined-format lines for the detection benchmarks: 95% requests
from tests/corpus/benign_urls.txt, 5% from tests/corpus/attack_urls.txt, from 5,000
client addresses, one second apart per 100 lines. Deterministic (seeded).
Usage: gen_access_log.py N OUT [ATTACK_SHARE]  (default 0.05; 0 = benign only, 1 = attacks only)"""
import os, random, sys, time

n, out = int(sys.argv[1]), sys.argv[2]
share = float(sys.argv[3]) if len(sys.argv) > 3 else 0.05
here = os.path.dirname(os.path.abspath(__file__))
corpus = os.path.join(here, "..", "tests", "corpus")
browser = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
benign = [(l.rstrip("\n").split("\t", 1) + [browser])[:2]
          for l in open(os.path.join(corpus, "benign_urls.txt"), encoding="utf-8")]
attack = [l.rstrip("\n").split("\t", 1)[1] for l in open(os.path.join(corpus, "attack_urls.txt"), encoding="utf-8")]
rnd = random.Random(2026)
ua_attack = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
t0 = 1795510800  # 2026-11-24 09:00 UTC
with open(out, "w", encoding="utf-8") as f:
    for i in range(n):
        ip = "198.51.%d.%d" % (rnd.randrange(20), rnd.randrange(1, 250))
        if rnd.random() < share:
            url, ua, status = rnd.choice(attack), ua_attack, rnd.choice((200, 403, 404, 500))
        else:
            url, ua = rnd.choice(benign)
            status = 200
        stamp = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(t0 + i // 100))
        f.write('%s - - [%s] "GET %s HTTP/1.1" %d %d "-" "%s"\n'
                % (ip, stamp, url, status, rnd.randrange(200, 20000), ua))
