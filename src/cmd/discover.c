/* `vigil discover TARGET...`: find open ports and identify their services. Targets,
 * ports and probes are parsed here (discover_args.c, discover_load.c); the run is
 * discover_do.c, the scan inventory/discover.c, the output inventory/discover_print.c. */
#include "cmd/discover.h"
#include "core/err.h"

#include <stdio.h>
#include <unistd.h>

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct dargs a = { .engine = ENGINE_AUTO, .retries = -1 };
	struct probe_db *db = NULL;
	int ret, rc;

	if (target_set_new(true, &a.ts) != VG_OK || !(a.spec = vg_buf_new(4096))) {
		target_set_free(a.ts);
		return VG_EXIT_RUNTIME;
	}
	if ((ret = dcmd_parse_args(argc, argv, &a)) != VG_EXIT_OK)
		goto out;
	if ((rc = target_finish(a.ts)) != VG_OK) {
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	if ((ret = dcmd_load_ports(&a)) != VG_EXIT_OK)
		goto out;
	size_t nhosts;
	const struct inv_host *hosts = target_hosts(a.ts, &nhosts);
	if (nhosts == 0) {
		fprintf(stderr, "vigil discover: every target is excluded; nothing to scan\n");
		ret = VG_EXIT_USAGE;
		goto out;
	}
	if (!a.yes && (nhosts > TARGET_CONFIRM_HOSTS ||
	    (unsigned long long)nhosts * a.ports.n > CONFIRM_PROBES)) {
		fprintf(stderr, "vigil discover: %zu addresses x %zu ports is a huge scan; "
		    "check the targets and add --yes to run it\n", nhosts, a.ports.n);
		ret = VG_EXIT_USAGE;
		goto out;
	}
	if (!a.no_identify && (ret = dcmd_load_probes(&a, &db)) != VG_EXIT_OK)
		goto out;
	ret = dcmd_scan(ctx, &a, hosts, nhosts, db);
out:
	vg_buf_free(a.spec);
	probe_db_free(db);
	target_ports_free(&a.ports);
	target_set_free(a.ts);
	return ret;
}

const struct cmd_ops cmd_discover = {
	.name = "discover",
	.summary = "find open ports and identify their services (connect or SYN scan)",
	.help =
	    "usage: vigil discover [options] TARGET...\n"
	    "\n"
	    "Scans only what it is told to: TARGETs are IPv4/IPv6 addresses, CIDRs\n"
	    "(10.0.0.0/24, fd00::/120), ranges (10.0.0.1-10.0.0.9, 10.0.0.1-9) and host\n"
	    "names (every A and AAAA record). More than 65,536 addresses or 16,777,216\n"
	    "probes need --yes; more than 1,048,576 addresses are refused.\n"
	    "\n"
	    "Phases: TCP ping (ports " DISCOVER_PING_PORTS "; a reset counts as\n"
	    "alive) and, with raw sockets, ICMP echo (silent hosts are skipped unless\n"
	    "--no-ping), the port scan, then\n"
	    "service identification of every open port with the probes of\n"
	    "rules/inventory/*.probes (banners, HTTP status/title/server/technologies/\n"
	    "favicon hash, TLS certificate names, issuer, expiry and versions).\n"
	    "Engines: connect (unprivileged: non-blocking connects on epoll, time-outs\n"
	    "adapted to each host's RTT) and syn (raw sockets, needs CAP_NET_RAW:\n"
	    "stateless, SYN-cookie checked answers, random order, --rate packets/s; the\n"
	    "kernel resets the answering SYN-ACKs). auto picks syn when allowed.\n"
	    "A port is open on a SYN-ACK or a completed connect, closed on a reset,\n"
	    "filtered on silence after every retry or an ICMP unreachable.\n"
	    "\n"
	    "Output: one line per open port (--json: one object per line: address,\n"
	    "hostname, port, proto, state, reason, service, identified, product, version,\n"
	    "info, banner, http_status, http_title, http_server, http_location, http_tech,\n"
	    "favicon_hash, tls_version, tls_versions, tls_subject, tls_issuer, tls_sans\n"
	    "(comma-separated names), tls_not_after); a summary on stderr, naming the\n"
	    "certificate names that are not targets yet; progress when stderr is a\n"
	    "terminal. Text from the network is escaped.\n"
	    "Every run is kept in the store as a scan of the asset register (live hosts,\n"
	    "ports, services): `vigil assets` lists, classifies and diffs them.\n"
	    "\n"
	    "options:\n"
	    "  -p, --ports SPEC      ports: 22,80,8000-8100 or 1-65535 or - (all)\n"
	    "  --top-ports N         the N most common ports of rules/inventory/top-ports.txt\n"
	    "                        (default without -p: the whole list)\n"
	    "  --targets-file FILE   more targets, one or more a line, # comments (- = stdin)\n"
	    "  --exclude SPEC        never scan these (same syntax as targets)\n"
	    "  --exclude-file FILE   never scan the targets in FILE\n"
	    "  --engine E            connect, syn or auto (default auto)\n"
	    "  --rate PPS            probes per second (syn default 100000; connect: unlimited)\n"
	    "  --max-inflight N      connect: sockets in flight (default 16384, less when\n"
	    "                        RLIMIT_NOFILE is lower)\n"
	    "  --retries N           extra tries for unanswered probes (default 2; connect\n"
	    "                        retries a host's ports once more than the highest try\n"
	    "                        that ever got an answer from it, as nmap does)\n"
	    "  --timeout MS          time-out before a host's RTT is known (default 1000)\n"
	    "  --no-ping             scan every host, even one that answers no ping\n"
	    "  --no-identify         ports only, no service identification\n"
	    "  --no-http-extras      no redirects/admin paths/favicon/TLS version probing\n"
	    "  --greet-wait MS       how long to wait for a greeting (default 1000)\n"
	    "  --probes PATH         probe file or directory instead of rules/inventory\n"
	    "  --all                 also print closed and filtered ports\n"
	    "  --seed N              fixed scan order (default random)\n"
	    "  --yes                 confirm a huge scan\n"
	    "  --no-progress         no progress line\n"
	    "  --store FILE          store the scan in this SQLite store instead of the\n"
	    "                        configured one (store.path, default vigil.db)\n"
	    "  --no-store            print only; keep nothing\n"
	    "\n"
	    "SIGINT/SIGTERM (Ctrl-C) stops the scan: what was found is printed and kept,\n"
	    "the scan is recorded as interrupted (not used as the latest done scan).\n"
	    "\n"
	    "exit: 0 scan done; 2 usage error (bad target or port spec, no targets,\n"
	    "unresolvable name, huge scan without --yes, syn without CAP_NET_RAW);\n"
	    "3 runtime error; 130 interrupted.\n",
	.run = run,
};
