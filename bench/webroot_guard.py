#!/usr/bin/env python3
"""Web-root guard under attack: time until every baseline page is correct again.

  flood  VIGIL [FILES] [FLOOD]   a FILES-file generated root (WordPress-like tree,
         ~15 KB a file); watch is started (time to ready, first tamper after ready),
         then FLOOD files are created as fast as possible in a baseline directory
         (the inotify queue overflows) and 10 pages are defaced half-way. Prints the
         time from the flood's end until every defaced page is restored.
  big    VIGIL [N] [SIZE_MB]     N sparse files of SIZE_MB are added to the root, then
         a page is defaced at once. Prints deface -> restored, and when the big files
         were dealt with (moved aside), i.e. how long hashing them took.
Each figure is measured here; run on an otherwise idle machine for stable numbers.
"""
import os, random, shutil, signal, subprocess, sys, tempfile, time

def gen_root(root, n):
    rnd = random.Random(9)
    words = [("".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(2, 9))))
             for _ in range(4000)]
    pool = " ".join(rnd.choice(words) for _ in range(400000)).encode()
    exts = ["php"] * 60 + ["js"] * 12 + ["css"] * 5 + ["html"] * 5 + ["png"] * 10 + ["txt"] * 8
    dirs = [""]
    for top in ["wp-admin", "wp-includes", "wp-content/plugins", "wp-content/themes", "mediawiki",
                "phpmyadmin"]:
        for i in range(max(1, n // 200)):
            d = "%s/d%03d" % (top, i)
            dirs.append(d)
            if i % 4 == 0:
                dirs.append(d + "/sub")
    for d in dirs:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    total = 0
    for i in range(n):
        d = dirs[i % len(dirs)]
        ext = exts[i % len(exts)]
        size = min(int(rnd.expovariate(1 / 14000)) + 200, 400000)
        off = rnd.randint(0, len(pool) - size - 1)
        with open(os.path.join(root, d, "f%05d.%s" % (i, ext)), "wb") as f:
            f.write(pool[off:off + size])
        total += size
    os.makedirs(os.path.join(root, "wp-content/cache"), exist_ok=True)
    with open(os.path.join(root, "wp-content/cache/keep.txt"), "w") as f:
        f.write("keep\n")
    pages = []
    for i, d in enumerate(dirs[:: max(1, len(dirs) // 9)][:9]):
        p = os.path.join(d, "index.php") if d else "index.php"
        with open(os.path.join(root, p), "w") as f:
            f.write("<?php /* page %d */ require 'wp-blog-header.php'; ?>\n" % i)
        pages.append(p)
    with open(os.path.join(root, "index.html"), "w") as f:
        f.write("<html><body>Official notice</body></html>\n")
    pages.append("index.html")
    return pages, total

def setup(work, vigil, n):
    root = os.path.join(work, "www")
    os.makedirs(root)
    t = time.time()
    pages, total = gen_root(root, n)
    gen_s = time.time() - t
    cfg = os.path.join(work, "v.yaml")
    with open(cfg, "w") as f:
        f.write("store: {path: %s/v.db}\nwebroots: [{name: site, path: %s, policy: restore}]\n"
                "protect: {backup_dir: %s/backup, debounce_ms: 20}\n" % (work, root, work))
    t = time.time()
    subprocess.run([vigil, "-q", "--config", cfg, "backup", "create"], check=True,
                   stdout=subprocess.DEVNULL)
    print("root: %d files, %.0f MB (generated in %.1f s); baseline %.1f s"
          % (n, total / 1e6, gen_s, time.time() - t), flush=True)
    good = {p: open(os.path.join(root, p), "rb").read() for p in pages}
    return root, cfg, pages, good

def start(work, vigil, cfg):
    ready = os.path.join(work, "ready")
    err = open(os.path.join(work, "watch.err"), "w")
    t = time.time()
    v = "-vv" if os.environ.get("BENCH_DEBUG") else "-v"
    w = subprocess.Popen([vigil, v, "--config", cfg, "watch", "--ready-file", ready],
                         stdout=subprocess.DEVNULL, stderr=err)
    while not os.path.exists(ready):
        if w.poll() is not None or time.time() - t > 600:
            raise SystemExit("watch did not get ready")
        time.sleep(0.01)
    return w, time.time() - t

def all_good(root, good):
    for p, body in good.items():
        try:
            with open(os.path.join(root, p), "rb") as f:
                if f.read() != body:
                    return False
        except OSError:
            return False
    return True

def wait_good(root, good, limit=300):
    t = time.time()
    while not all_good(root, good):
        if time.time() - t > limit:
            return None
        time.sleep(0.001)
    return time.time()

def stop(w, work):
    w.send_signal(signal.SIGTERM)
    w.wait(timeout=600)
    if os.environ.get("BENCH_DEBUG"):
        shutil.copy(os.path.join(work, "watch.err"), os.environ["BENCH_DEBUG"])
    return open(os.path.join(work, "watch.err")).read()

def flood(vigil, n, nflood):
    work = tempfile.mkdtemp(prefix="vigil-bench-wr.")
    try:
        root, cfg, pages, good = setup(work, vigil, n)
        w, ready_s = start(work, vigil, cfg)
        print("watch ready in %.2f s (first full reconcile included)" % ready_s)
        t0 = time.time()
        with open(os.path.join(root, pages[0]), "w") as f:
            f.write("<h1>defaced after ready</h1>\n")
        t1 = wait_good(root, good)
        print("first tamper after ready -> restored: %.1f ms" % ((t1 - t0) * 1000))
        cache = os.path.join(root, "wp-content/cache")
        t_deface = None
        t_start = time.time()
        for i in range(nflood):
            with open(os.path.join(cache, "flood%06d.html" % i), "w") as f:
                f.write("x")
            if i == nflood // 2:
                t_deface = time.time()
                for p in pages:
                    with open(os.path.join(root, p), "w") as f:
                        f.write("<h1>defaced mid-flood</h1>\n")
        t_end = time.time()
        t_ok = wait_good(root, good)
        err = stop(w, work)
        over = err.count("queue overflowed")
        print("flood: %d files in %.2f s; %d pages defaced half-way; %d queue overflows"
              % (nflood, t_end - t_start, len(pages), over))
        if t_ok is None:
            print("pages NOT restored within 300 s")
        else:
            print("every page correct %.3f s after the flood's end (%.3f s after the defacement)"
                  % (max(0.0, t_ok - t_end), t_ok - t_deface))
    finally:
        shutil.rmtree(work, ignore_errors=True)

def big(vigil, n, nbig, size_mb):
    work = tempfile.mkdtemp(prefix="vigil-bench-wr.")
    try:
        root, cfg, pages, good = setup(work, vigil, n)
        w, ready_s = start(work, vigil, cfg)
        good1 = {pages[-1]: good[pages[-1]]}
        t0 = time.time()
        for i in range(nbig):
            with open(os.path.join(root, "big%02d.bin" % i), "wb") as f:
                f.truncate(size_mb << 20)
        t_deface = time.time()
        with open(os.path.join(root, pages[-1]), "w") as f:
            f.write("<h1>defaced behind big files</h1>\n")
        t_ok = wait_good(root, good1)
        t = time.time()
        while any(os.path.exists(os.path.join(root, "big%02d.bin" % i)) for i in range(nbig)):
            if time.time() - t > 600:
                break
            time.sleep(0.01)
        t_gone = time.time()
        # the worker's hashes: wait while they keep coming (the watcher logs each at -v)
        errpath = os.path.join(work, "watch.err")
        n, last, t_last = 0, 0, time.time()
        while n < nbig and time.time() - t_last < 60:
            n = open(errpath).read().count("hashed off the loop")
            if n != last:
                last, t_last = n, time.time()
            time.sleep(0.05)
        t_hashed = t_last
        err = stop(w, work)
        print("%d sparse files of %d MB added in %.2f s, then a page defaced"
              % (nbig, size_mb, t_deface - t0))
        print("deface -> restored: %.1f ms; big files all moved aside %.2f s after the deface; "
              "%d of %d big-file hashes logged, the last %.1f s after the deface"
              % ((t_ok - t_deface) * 1000, t_gone - t_deface, err.count("hashed off the loop"),
                 nbig, t_hashed - t_deface))
    finally:
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("flood", "big"):
        raise SystemExit(__doc__)
    vigil = os.path.abspath(sys.argv[2])
    if sys.argv[1] == "flood":
        flood(vigil, int(sys.argv[3]) if len(sys.argv) > 3 else 50000,
              int(sys.argv[4]) if len(sys.argv) > 4 else 100000)
    else:
        big(vigil, 5000, int(sys.argv[3]) if len(sys.argv) > 3 else 20,
            int(sys.argv[4]) if len(sys.argv) > 4 else 2048)
