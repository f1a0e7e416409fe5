/* `vigil discover TARGET...`: find open ports and identify their services. Targets,
 * ports and probes are parsed here; the scan is inventory/discover.c, the output
 * inventory/discover_print.c. */
#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/paths.h"
#include "inventory/discover.h"
#include "core/store.h"
#include "inventory/discover_print.h"
#include "inventory/discover_store.h"
#include "inventory/probe.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const struct cmd_ops cmd_discover;

/* Above this many probes (hosts x ports) a scan is "huge" and needs --yes. */
#define CONFIRM_PROBES (16ull << 20)

struct dargs {
	struct target_set *ts;
	struct port_list ports;
	const char *port_spec, *probes, *store;
	struct vg_buf *spec;	/* targets and ports as given: the scan's name in the register */
	long long top, rate, inflight, retries, greet_ms, timeout_ms, seed;
	enum discover_engine engine;
	bool yes, no_ping, no_identify, all, no_progress, no_extras, have_targets, no_store;
	char err[512];
};

struct dout {
	struct vg_ctx *ctx;
	bool progress, all;
	const struct inv_host *hosts;
	size_t nhosts;
	struct discover_names names;
	struct discover_store *ds;	/* NULL: not stored */
};

static const struct option opts[] = {
	{ "ports", required_argument, NULL, 'p' },
	{ "top-ports", required_argument, NULL, 'T' },
	{ "targets-file", required_argument, NULL, 'i' },
	{ "exclude", required_argument, NULL, 'x' },
	{ "exclude-file", required_argument, NULL, 'X' },
	{ "engine", required_argument, NULL, 'e' },
	{ "rate", required_argument, NULL, 'r' },
	{ "max-inflight", required_argument, NULL, 'm' },
	{ "retries", required_argument, NULL, 'R' },
	{ "timeout", required_argument, NULL, 't' },
	{ "greet-wait", required_argument, NULL, 'g' },
	{ "probes", required_argument, NULL, 'P' },
	{ "seed", required_argument, NULL, 's' },
	{ "no-ping", no_argument, NULL, 'n' },
	{ "no-identify", no_argument, NULL, 'N' },
	{ "no-http-extras", no_argument, NULL, 'H' },
	{ "all", no_argument, NULL, 'a' },
	{ "yes", no_argument, NULL, 'y' },
	{ "no-progress", no_argument, NULL, 'q' },
	{ "store", required_argument, NULL, 'S' },
	{ "no-store", no_argument, NULL, 'D' },
	{ NULL, 0, NULL, 0 },
};

static int
num(const char *opt, const char *v, long long min, long long max, long long *out)
{
	if (vg_parse_ll(v, min, max, out) != VG_OK)
		return cmd_usage_error(&cmd_discover, "%s needs a number in %lld..%lld", opt, min,
		    max);
	return VG_EXIT_OK;
}

static int
target_error(struct dargs *a, int rc)
{
	cmd_eprintf("vigil discover: %s", a->err);
	return rc == VG_ERR_NOMEM || rc == VG_ERR_IO ? (rc == VG_ERR_IO ? VG_EXIT_USAGE :
	    VG_EXIT_RUNTIME) : VG_EXIT_USAGE;
}

static int
parse_args(int argc, char **argv, struct dargs *a)
{
	int c, rc;
	char where[32];

	optind = 0;
	while ((c = cmd_getopt(&cmd_discover, argc, argv, ":p:", opts)) != -1) {
		switch (c) {
		case 0:
			return VG_EXIT_USAGE;
		case ':':
			return cmd_usage_error(&cmd_discover, "%s needs a value", argv[optind - 1]);
		case 'p':
			a->port_spec = optarg;
			vg_buf_putf(a->spec, " -p %s", optarg);
			break;
		case 'T':
			if ((rc = num("--top-ports", optarg, 1, 65535, &a->top)) != VG_EXIT_OK)
				return rc;
			vg_buf_putf(a->spec, " --top-ports %s", optarg);
			break;
		case 'i':
		case 'X':
			if ((rc = target_add_file(a->ts, optarg, c == 'X', a->err, sizeof(a->err))) !=
			    VG_OK)
				return target_error(a, rc);
			a->have_targets |= c == 'i';
			vg_buf_putf(a->spec, " %s %s", c == 'i' ? "--targets-file" : "--exclude-file",
			    optarg);
			break;
		case 'x':
			if ((rc = target_exclude(a->ts, optarg, "--exclude", a->err,
			    sizeof(a->err))) != VG_OK)
				return target_error(a, rc);
			vg_buf_putf(a->spec, " --exclude %s", optarg);
			break;
		case 'e':
			if (strcmp(optarg, "connect") == 0)
				a->engine = ENGINE_CONNECT;
			else if (strcmp(optarg, "syn") == 0)
				a->engine = ENGINE_SYN;
			else if (strcmp(optarg, "auto") == 0)
				a->engine = ENGINE_AUTO;
			else
				return cmd_usage_error(&cmd_discover, "--engine is connect, syn or auto");
			break;
		case 'r':
			if ((rc = num("--rate", optarg, 1, 10000000, &a->rate)) != VG_EXIT_OK)
				return rc;
			break;
		case 'm':
			if ((rc = num("--max-inflight", optarg, 1, 65536, &a->inflight)) != VG_EXIT_OK)
				return rc;
			break;
		case 'R':
			if ((rc = num("--retries", optarg, 0, 10, &a->retries)) != VG_EXIT_OK)
				return rc;
			break;
		case 't':
			if ((rc = num("--timeout", optarg, 1, 60000, &a->timeout_ms)) != VG_EXIT_OK)
				return rc;
			break;
		case 'g':
			if ((rc = num("--greet-wait", optarg, 1, 60000, &a->greet_ms)) != VG_EXIT_OK)
				return rc;
			break;
		case 's':
			if ((rc = num("--seed", optarg, 1, (long long)(~0ull >> 1), &a->seed)) !=
			    VG_EXIT_OK)
				return rc;
			break;
		case 'P': a->probes = optarg; break;
		case 'n': a->no_ping = true; break;
		case 'N': a->no_identify = true; break;
		case 'H': a->no_extras = true; break;
		case 'a': a->all = true; break;
		case 'y': a->yes = true; break;
		case 'q': a->no_progress = true; break;
		case 'S': a->store = optarg; break;
		case 'D': a->no_store = true; break;
		}
	}
	for (int i = optind; i < argc; i++) {
		snprintf(where, sizeof(where), "argument %d", i - optind + 1);
		if ((rc = target_add(a->ts, argv[i], where, a->err, sizeof(a->err))) != VG_OK)
			return target_error(a, rc);
		a->have_targets = true;
		vg_buf_putf(a->spec, " %s", argv[i]);
	}
	if (!a->have_targets)
		return cmd_usage_error(&cmd_discover, "no targets: name addresses, ranges, "
		    "networks or hosts (or --targets-file); vigil scans only what it is told to");
	return VG_EXIT_OK;
}

static int
load_ports(struct dargs *a)
{
	char dir[4096], path[4200];
	size_t got;
	int rc;

	if (a->port_spec) {
		if (target_parse_ports(a->port_spec, &a->ports, a->err, sizeof(a->err)) != VG_OK) {
			cmd_eprintf("vigil discover: -p: %s", a->err);
			return VG_EXIT_USAGE;
		}
		if (!a->top)
			return VG_EXIT_OK;
	}
	if (vg_find_data_dir("rules/inventory", dir, sizeof(dir)) != VG_OK) {
		fprintf(stderr, "vigil discover: rules/inventory (the top-ports list) not found\n");
		return VG_EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/top-ports.txt", dir);
	struct port_list top;
	if ((rc = target_top_ports(path, a->top ? (size_t)a->top : 65535, &top, &got, a->err,
	    sizeof(a->err))) != VG_OK) {
		cmd_eprintf("vigil discover: %s", a->err);
		return VG_EXIT_USAGE;
	}
	if (a->top && got < (size_t)a->top)
		fprintf(stderr, "vigil discover: the top-ports list has %zu ports; scanning those\n",
		    got);
	rc = target_ports_merge(&a->ports, &top);
	target_ports_free(&top);
	return rc == VG_OK ? VG_EXIT_OK : VG_EXIT_RUNTIME;
}

static int
load_probes(struct dargs *a, struct probe_db **db)
{
	char dir[4096];
	const char *path = a->probes;

	if (!path) {
		if (vg_find_data_dir("rules/inventory", dir, sizeof(dir)) != VG_OK) {
			fprintf(stderr, "vigil discover: rules/inventory (the probes) not found; "
			    "use --probes PATH\n");
			return VG_EXIT_USAGE;
		}
		path = dir;
	}
	if (probe_db_new(db) != VG_OK)
		return VG_EXIT_RUNTIME;
	if (probe_db_load(*db, path, a->err, sizeof(a->err)) != VG_OK) {
		cmd_eprintf("vigil discover: probes: %s", a->err);
		return VG_EXIT_USAGE;
	}
	return VG_EXIT_OK;
}

static void
clear_progress(struct dout *o)
{
	if (o->progress)
		fputs("\r\033[K", stderr);
}

static void
on_progress(void *arg, const char *phase, const struct portscan_stats *st, uint64_t total,
    uint64_t done)
{
	struct dout *o = arg;
	if (o->progress)
		discover_print_progress(phase, st, total, done);
}

static void
emit(struct dout *o, const struct inv_host *h, uint16_t port, enum port_state state,
    enum port_reason reason, const struct svc_result *s)
{
	clear_progress(o);
	if (o->ctx->json)
		cmd_print_json_new(discover_json(h, port, state, reason, s));
	else
		discover_print_text(stdout, h, port, state, reason, s);
	fflush(stdout);
}

/* A failed store write is reported once and ends the run: results that are
 * printed but silently not kept would mislead the register's diffs. */
static int
store_rc(struct dout *o, int rc)
{
	if (rc != VG_OK) {
		clear_progress(o);
		fprintf(stderr, "vigil discover: store: %s\n", vg_strerror(rc));
		return 1;
	}
	return 0;
}

static int
on_host(void *arg, const struct inv_host *h, bool up, int64_t rtt_us)
{
	struct dout *o = arg;
	(void)rtt_us;
	return up && o->ds ? store_rc(o, discover_store_host(o->ds, h)) : 0;
}

static int
on_port(void *arg, const struct inv_host *h, const struct portscan_result *r)
{
	struct dout *o = arg;
	/* open ports wait for their service; the others have nothing more to say */
	if (r->state != PORT_OPEN && o->all) {
		emit(o, h, r->port, r->state, r->reason, NULL);
		if (o->ds)
			return store_rc(o, discover_store_port(o->ds, h, r->port, r->state, NULL));
	}
	return 0;
}

static int
on_port_only(void *arg, const struct inv_host *h, const struct portscan_result *r)
{
	struct dout *o = arg;
	if (r->state == PORT_OPEN || o->all) {
		emit(o, h, r->port, r->state, r->reason, NULL);
		if (o->ds)
			return store_rc(o, discover_store_port(o->ds, h, r->port, r->state, NULL));
	}
	return 0;
}

static int
on_service(void *arg, const struct inv_host *h, const struct svc_result *s)
{
	struct dout *o = arg;
	emit(o, h, s->port, PORT_OPEN, REASON_CONNECTED, s);
	if (o->ds && store_rc(o, discover_store_port(o->ds, h, s->port, PORT_OPEN, s)))
		return 1;
	if (s->tls_sans[0])
		discover_names_add(&o->names, s->tls_sans, o->hosts, o->nhosts);
	return 0;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct dargs a = { .engine = ENGINE_AUTO, .retries = -1 };
	struct probe_db *db = NULL;
	struct discover_stats st;
	struct vg_config *cfg = NULL;
	struct vg_store *store = NULL;
	struct discover_store *ds = NULL;
	char serr[512];
	int ret, rc;

	if (target_set_new(true, &a.ts) != VG_OK || !(a.spec = vg_buf_new(4096))) {
		target_set_free(a.ts);
		return VG_EXIT_RUNTIME;
	}
	if ((ret = parse_args(argc, argv, &a)) != VG_EXIT_OK)
		goto out;
	if ((rc = target_finish(a.ts)) != VG_OK) {
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	if ((ret = load_ports(&a)) != VG_EXIT_OK)
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
	if (!a.no_identify && (ret = load_probes(&a, &db)) != VG_EXIT_OK)
		goto out;
	if (!a.no_store) {
		if (!a.store && (ret = cmd_load_config(ctx, &cfg)) != VG_EXIT_OK)
			goto out;
		rc = store_open(a.store ? "sqlite" : cfg->store.backend, a.store ? a.store :
		    cfg->store.path, &ctx->log, &store, serr, sizeof(serr));
		if (rc == VG_OK)
			rc = discover_store_begin(store, vg_buf_ptr(a.spec) + 1, &ds);
		if (rc != VG_OK) {
			cmd_eprintf("vigil discover: store: %s", serr[0] && !store ? serr :
			    vg_strerror(rc));
			ret = VG_EXIT_RUNTIME;
			goto out;
		}
	}

	struct dout o = { .ctx = ctx, .all = a.all, .hosts = hosts, .nhosts = nhosts,
		.progress = !a.no_progress && isatty(STDERR_FILENO) && ctx->log.level > VG_LOG_ERROR };
	o.ds = ds;
	struct discover_opts d = { .engine = a.engine, .ping = !a.no_ping,
		.identify = !a.no_identify, .arg = &o, .on_service = on_service, .on_host = on_host,
		.on_port = a.no_identify ? on_port_only : on_port, .progress = on_progress };
	d.scan.retries = a.retries >= 0 ? (int)a.retries : 2;
	d.scan.rate_pps = (uint64_t)a.rate;
	d.scan.max_inflight = (int)a.inflight;
	d.scan.seed = (uint64_t)a.seed;
	d.scan.report_closed = a.all;
	if (a.timeout_ms)
		d.scan.init_timeout_us = a.timeout_ms * 1000;
	d.svc.db = db;
	d.svc.greet_us = a.greet_ms * 1000;
	d.svc.http_extras = !a.no_extras;
	d.svc.tls_versions = !a.no_extras;
	rc = discover_run(hosts, nhosts, &a.ports, &d, &st);
	clear_progress(&o);
	discover_names_flush(&o.names, stderr);
	/* a store error stopped the run through a callback: it was reported there */
	int src = discover_store_end(ds, rc == VG_OK ? "done" : "failed");
	ds = NULL;
	if (rc == VG_OK && src != VG_OK) {
		fprintf(stderr, "vigil discover: store: %s\n", vg_strerror(src));
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	if (rc == VG_ERR_DENIED) {
		fprintf(stderr, "vigil discover: --engine syn needs CAP_NET_RAW (run as root or "
		    "grant the capability), or use --engine connect\n");
		ret = VG_EXIT_USAGE;
		goto out;
	}
	if (rc != VG_OK) {
		fprintf(stderr, "vigil discover: %s\n", vg_strerror(rc));
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	if (ctx->log.level > VG_LOG_ERROR)
		fprintf(stderr, "vigil discover: %zu/%zu hosts up, %zu ports each, engine %s: "
		    "%llu open, %llu closed, %llu filtered in %.2f s (ping %.2f s); %llu "
		    "identified of %llu in %.2f s\n", st.hosts_up, st.hosts, a.ports.n,
		    discover_engine_name(st.engine), (unsigned long long)st.scan.open,
		    (unsigned long long)st.scan.closed, (unsigned long long)st.scan.filtered,
		    (double)st.scan_us / 1e6, (double)st.ping_us / 1e6,
		    (unsigned long long)st.svc.identified, (unsigned long long)st.svc.ports,
		    (double)st.svc_us / 1e6);
	vg_info(&ctx->log, "discover: scan sent %llu probes (%llu retries), %llu errors, peak "
	    "%d sockets in flight, %llu answers lost for memory",
	    (unsigned long long)st.scan.sent, (unsigned long long)st.scan.retries,
	    (unsigned long long)st.scan.errors, st.scan.inflight_max,
	    (unsigned long long)st.scan.dropped);
	ret = VG_EXIT_OK;
out:
	discover_store_end(ds, "failed");
	store_close(store);
	vg_config_free(cfg);
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
	    "exit: 0 scan done; 2 usage error (bad target or port spec, no targets,\n"
	    "unresolvable name, huge scan without --yes, syn without CAP_NET_RAW);\n"
	    "3 runtime error.\n",
	.run = run,
};
