#!/usr/bin/env python3
"""Blocking latency and bulk rate, vigil beside fail2ban (nftables action), in a
private network namespace (run as root; nothing touches the host's ruleset).

Latency: an SQL injection line from a new address is appended to an access log that
`vigil watch` (block.triggers: http.sqli.*) or fail2ban (a jail with maxretry 1 and
the stock nftables action, all ports, TCP and UDP) follows: vigil first, then, with
vigil stopped and the log emptied, fail2ban on the same log (each alone: neither
waits behind the other's backlog). Two clocks from the append: (1) until the address is an element of the
tool's nftables set, read from `nft monitor`; (2) until the kernel drops the address's
packets: a prober sends a UDP packet from that address (raw socket, spoofed source,
over loopback) every PROBE_MS to a local socket, and the first probe after which none
arrives marks the drop (resolution: one probe interval). p50/p99 over N lines.
Bulk: `vigil block import` of 100,000 networks and of 100,000 addresses (kernel batch
and store transaction timed separately), and fail2ban banning M lines appended at once.

Usage: block_latency.py VIGIL [N] [M]"""
import ctypes, os, re, shutil, socket, struct, subprocess, sys, tempfile, threading, time

if len(sys.argv) < 2:
    sys.exit(__doc__)
vigil = os.path.abspath(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
m = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
ns = "vgbench%d" % os.getpid()
rules = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rules"))
d = tempfile.mkdtemp(prefix="vigil-block-bench.")
log = os.path.join(d, "access.log")
procs = []
PROBE_MS = 0.5


def sh(*argv, **kw):
    return subprocess.run(["ip", "netns", "exec", ns] + list(argv), check=True, **kw)


def spawn(*argv, **kw):
    p = subprocess.Popen(["ip", "netns", "exec", ns] + list(argv), **kw)
    procs.append(p)
    return p


def cleanup():
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
    subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
    shutil.rmtree(d, ignore_errors=True)


def line(ip, i):
    ts = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime())
    return ('%s - - [%s] "GET /item.php?id=1%%27%%20union%%20select%%20%d,2-- HTTP/1.1" 200 5 "-" '
            '"Mozilla/5.0"\n' % (ip, ts, i))


def pct(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, int(q * len(v)))]


class Monitor:
    """Follows `nft monitor` and records when each address first enters a set."""

    def __init__(self):
        self.seen = {"vigil": {}, "fail2ban": {}}
        self.cv = threading.Condition()
        self.p = spawn("nft", "monitor", "elements", stdout=subprocess.PIPE, text=True, bufsize=1)
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        pat = re.compile(r"^add element inet (\S+) \S+ \{ ([0-9a-f.:]+)")
        for out in self.p.stdout:
            t = time.perf_counter()
            mm = pat.match(out)
            if not mm:
                continue
            who = "vigil" if mm.group(1) == "vigilbench" else "fail2ban"
            with self.cv:
                self.seen[who].setdefault(mm.group(2), t)
                self.cv.notify_all()

    def wait(self, who, ips, deadline):
        with self.cv:
            while not all(ip in self.seen[who] for ip in ips):
                left = deadline - time.perf_counter()
                if left <= 0:
                    return False
                self.cv.wait(left)
        return True


class Prober:
    """Sends UDP probes with a spoofed source over loopback; records which arrive."""

    def __init__(self):
        # The sockets must live in the bench namespace (where the tools' tables
        # are): a socket keeps the namespace it was created in, so enter it for
        # the creation only.
        libc = ctypes.CDLL(None, use_errno=True)
        home = os.open("/proc/self/ns/net", os.O_RDONLY)
        there = os.open("/var/run/netns/" + ns, os.O_RDONLY)
        if libc.setns(there, 0x40000000) != 0:     # CLONE_NEWNET
            raise OSError(ctypes.get_errno(), "setns")
        try:
            self.rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.rx.bind(("127.0.0.1", 0))
            self.port = self.rx.getsockname()[1]
            self.raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        finally:
            libc.setns(home, 0x40000000)
            os.close(home)
            os.close(there)
        self.last = {}      # source -> highest sequence number received
        self.lock = threading.Lock()
        self.seq = 0
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        while True:
            data, (src, _) = self.rx.recvfrom(64)
            (seq,) = struct.unpack("!Q", data[:8])
            with self.lock:
                if seq > self.last.get(src, -1):
                    self.last[src] = seq

    def send(self, src):
        self.seq += 1
        data = struct.pack("!Q", self.seq)
        udp = struct.pack("!HHHH", 40000, self.port, 8 + len(data), 0) + data
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                         socket.inet_aton(src), socket.inet_aton("127.0.0.1"))
        self.raw.sendto(ip + udp, ("127.0.0.1", 0))
        return self.seq

    def measure(self, src, append, timeout):
        """Calls append() (returns its time) while probing from src; returns the
        seconds from the append to the first probe of the final run of lost ones,
        or None when packets still arrive at the deadline."""
        first = self.send(src)
        deadline = time.perf_counter() + 1
        while True:             # the address's packets arrive before its line
            with self.lock:
                if self.last.get(src, -1) >= first:
                    break
            if time.perf_counter() > deadline:
                return None     # blocked before the line: the measurement is void
            time.sleep(0.0005)
        t0 = append()
        sent = []
        while True:
            t = time.perf_counter()
            sent.append((self.send(src), t))
            with self.lock:
                last = self.last.get(src, -1)
            if sent[-1][0] - last >= 40 or t - t0 > timeout:
                break
            time.sleep(PROBE_MS / 1000)
        time.sleep(0.01)        # let in-flight probes land
        with self.lock:
            last = self.last.get(src, -1)
        lost = [t for seq, t in sent if seq > last]
        if not lost or sent[-1][0] - last < 40:
            return None
        return max(0.0, lost[0] - t0)


def start_fail2ban():
    conf = os.path.join(d, "f2b")
    shutil.copytree("/etc/fail2ban", conf)
    with open(os.path.join(conf, "fail2ban.local"), "w") as f:
        # [Definition], as in fail2ban.conf: a section of another name is ignored,
        # and the server then keeps its bans in the host's /var/lib/fail2ban db.
        f.write("[Definition]\nloglevel = WARNING\nlogtarget = %s/f2b.log\nsocket = %s/f2b.sock\n"
                "pidfile = %s/f2b.pid\ndbfile = :memory:\n" % (d, d, d))
    with open(os.path.join(conf, "filter.d", "vigilbench.conf"), "w") as f:
        f.write("[Definition]\nfailregex = ^<HOST> .*union%%20select\n")
    for name in os.listdir(os.path.join(conf, "jail.d")):
        os.unlink(os.path.join(conf, "jail.d", name))
    with open(os.path.join(conf, "jail.local"), "w") as f:
        f.write("[DEFAULT]\nbanaction = nftables\nbanaction_allports = nftables[type=allports]\n"
                "[vigilbench]\nenabled = true\nfilter = vigilbench\nlogpath = %s\nbackend = pyinotify\n"
                "banaction = nftables[type=allports]\nprotocol = tcp,udp\n"
                "maxretry = 1\nfindtime = 600\nbantime = 600\nport = 0:65535\n" % log)
    spawn("fail2ban-server", "-f", "-x", "-c", conf, "-s", os.path.join(d, "f2b.sock"), "-p",
          os.path.join(d, "f2b.pid"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        r = subprocess.run(["ip", "netns", "exec", ns, "fail2ban-client", "-s", os.path.join(d, "f2b.sock"),
                            "status", "vigilbench"], capture_output=True)
        if r.returncode == 0:
            return True
        time.sleep(0.2)
    return False


def main():
    subprocess.run(["ip", "netns", "add", ns], check=True)
    sh("ip", "link", "set", "lo", "up")
    open(log, "w").close()
    cfg = os.path.join(d, "v.yaml")
    with open(cfg, "w") as f:
        f.write("store: {path: %s/v.db}\nmonitor:\n  rules: %s\n  sources:\n"
                "    - {path: %s, format: combined}\nblock:\n  enabled: true\n  nft_table: vigilbench\n"
                "  max_per_minute: 1000000\n  triggers: [{rule: \"http.sqli.*\"}]\n" % (d, rules, log))
    ready = os.path.join(d, "ready")
    watch = spawn(vigil, "--config", cfg, "watch", "--ready-file", ready, stdout=subprocess.DEVNULL)
    deadline = time.time() + 120
    while not os.path.exists(ready) and time.time() < deadline:
        time.sleep(0.05)
    mon = Monitor()
    prober = Prober()
    time.sleep(1)   # nft monitor subscribed before the first line

    def series(who, net):
        """N lines from new addresses in 198.<net>.0.0/16, one at a time."""
        res = {"set": [], "drop": [], "missed": 0}
        with open(log, "a") as f:
            for i in range(n):
                ip = "198.%d.%d.%d" % (net, i // 250, i % 250 + 1)
                at = []

                def append():
                    at.append(time.perf_counter())
                    f.write(line(ip, i))
                    f.flush()
                    return at[0]
                dl = prober.measure(ip, append, 10)
                if at and mon.wait(who, [ip], at[0] + 10):
                    res["set"].append((mon.seen[who][ip] - at[0]) * 1000)
                if dl is None:
                    res["missed"] += 1
                else:
                    res["drop"].append(dl * 1000)
                time.sleep(0.01)
        return res

    # One tool at a time: the prober only sees the first tool that drops an address.
    results = {"vigil": series("vigil", 18)}
    watch.terminate()
    watch.wait(30)
    open(log, "w").close()
    have_f2b = shutil.which("fail2ban-server") and start_fail2ban()
    if have_f2b:
        time.sleep(1)
        results["fail2ban"] = series("fail2ban", 19)
    for who, r in results.items():
        for kind, what in (("set", "address in the nftables set"), ("drop", "packets dropped")):
            v = r[kind]
            if v:
                print("block latency %-8s line appended -> %s, %d lines: p50 %.2f ms, p90 %.2f ms, "
                      "p99 %.2f ms, max %.2f ms%s"
                      % (who, what, len(v), pct(v, .5), pct(v, .9), pct(v, .99), max(v),
                         " (%d not dropped within 10 s)" % r["missed"] if kind == "drop" else ""))
    if "fail2ban" in results and results["fail2ban"]["drop"] and results["vigil"]["drop"]:
        print("block latency p99 ratio fail2ban/vigil (packets dropped): %.0fx"
              % (pct(results["fail2ban"]["drop"], .99) / pct(results["vigil"]["drop"], .99)))
    print("load average during the latency runs: %.1f" % os.getloadavg()[0], flush=True)

    # Bulk: fail2ban, M lines appended at once.
    if have_f2b and m:
        ips = ["100.%d.%d.%d" % (64 + i // 65536, (i // 256) % 256, i % 256) for i in range(m)]
        t0 = time.perf_counter()
        with open(log, "a") as f:
            f.write("".join(line(ip, i) for i, ip in enumerate(ips)))
        ok = mon.wait("fail2ban", ips, t0 + 600)
        dt = max(mon.seen["fail2ban"].get(ip, t0) for ip in ips) - t0
        print("bulk fail2ban: %d lines appended at once -> %d banned in %.2f s: %.0f addresses/s%s"
              % (m, sum(ip in mon.seen["fail2ban"] for ip in ips), dt, m / dt if dt else 0,
                 "" if ok else " (incomplete at deadline)"))

    # Bulk: vigil block import, 100,000 networks and 100,000 addresses. nft monitor
    # stops first: the kernel would build it one notification per element.
    mon.p.terminate()
    mon.p.wait(10)
    for kind, fmt in (("networks", "%d.%d.%d.0/24"), ("addresses", "%d.%d.%d.77")):
        path = os.path.join(d, kind + ".txt")
        with open(path, "w") as f:
            for i in range(100000):
                f.write(fmt % (120 + i // 65536, (i // 256) % 256, i % 256) + "\n")
        cfg2 = os.path.join(d, "imp.yaml")
        with open(cfg2, "w") as f:
            f.write("store: {path: %s/imp-%s.db}\nblock: {nft_table: vigilimport, max_total: 300000}\n"
                    % (d, kind))
        t0 = time.perf_counter()
        r = sh(vigil, "--config", cfg2, "--json", "block", "import", path, "--expire", "1h",
               capture_output=True, text=True)
        wall = time.perf_counter() - t0
        import json
        j = json.loads(r.stdout)
        print("bulk vigil import: %d %s: kernel batch %.3f s (%.0f/s), store %.3f s, import %.3f s "
              "wall / %.3f s CPU (%.0f/s by CPU), whole command %.3f s; load average %.1f"
              % (j["added"], kind, j["apply_seconds"], j["added"] / j["apply_seconds"],
                 j["store_seconds"], j["seconds"], j["cpu_seconds"], j["added"] / j["cpu_seconds"],
                 wall, os.getloadavg()[0]))
        sh("nft", "delete", "table", "inet", "vigilimport")
    return 0


try:
    rc = main()
finally:
    cleanup()
sys.exit(rc)
