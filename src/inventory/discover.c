/* The phases of `vigil discover` in order: TCP ping (hosts that answer nothing are
 * down and skipped unless ping is off, as nmap does), the port scan with the
 * chosen engine (fed each host's ping RTT, so time-outs start adapted), then
 * service identification of the open ports. With raw sockets an ICMP echo goes
 * out beside the TCP ping, for hosts whose firewall drops every ping port. */
#include "inventory/discover.h"
#include "inventory/syn_icmp.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

struct drun {
	const struct inv_host *hosts;
	const struct discover_opts *o;
	bool *up, *settled;
	int64_t *rtt;
	struct svc_target *open;
	size_t nopen, capopen;
	bool stop;
	int err;
	const char *phase;
};

const char *
discover_engine_name(enum discover_engine e)
{
	switch (e) {
	case ENGINE_AUTO: return "auto";
	case ENGINE_CONNECT: return "connect";
	case ENGINE_SYN: return "syn";
	}
	return "?";
}

static int
ping_seen(void *arg, const struct portscan_result *r)
{
	struct drun *d = arg;
	/* a RST is as good as a SYN-ACK: something at that address answered */
	if (r->reason == REASON_TIMEOUT || r->reason == REASON_UNREACH)
		return 0;
	if (!d->up[r->host] || r->rtt_us < d->rtt[r->host])
		d->rtt[r->host] = r->rtt_us > 0 ? r->rtt_us : 1;
	d->up[r->host] = true;
	d->settled[r->host] = true;
	return 0;
}

static int
port_seen(void *arg, const struct portscan_result *r)
{
	struct drun *d = arg;
	if (r->state == PORT_OPEN) {
		if (d->nopen == d->capopen) {
			size_t nc = d->capopen ? d->capopen * 2 : 64;
			struct svc_target *n = realloc(d->open, nc * sizeof(*n));
			if (!n) {
				d->err = VG_ERR_NOMEM;
				return 1;
			}
			d->open = n;
			d->capopen = nc;
		}
		d->open[d->nopen++] = (struct svc_target){ r->host, r->port };
	}
	if (d->o->on_port && d->o->on_port(d->o->arg, &d->hosts[r->host], r) != 0) {
		d->stop = true;
		return 1;
	}
	return 0;
}

static void
progress(void *arg, const struct portscan_stats *st, uint64_t total, uint64_t done)
{
	struct drun *d = arg;
	if (d->o->progress)
		d->o->progress(d->o->arg, d->phase, st, total, done);
}

static bool
cancelled(void *arg)
{
	struct drun *d = arg;
	return d->o->cancelled && d->o->cancelled(d->o->arg);
}

static int
svc_seen(void *arg, const struct svc_result *r)
{
	struct drun *d = arg;
	if (d->o->on_service && d->o->on_service(d->o->arg, &d->hosts[r->host], r) != 0) {
		d->stop = true;
		return 1;
	}
	return 0;
}

static int
ping(struct drun *d, size_t nhosts, struct discover_stats *st)
{
	struct port_list pp;
	char err[160];
	int rc;

	if ((rc = target_parse_ports(DISCOVER_PING_PORTS, &pp, err, sizeof(err))) != VG_OK)
		return rc;
	struct portscan_job j = { .hosts = d->hosts, .nhosts = nhosts, .ports = pp.ports,
		.nports = pp.n, .settled = d->settled };
	struct portscan_opts po = d->o->scan;
	po.report_closed = true;
	po.report = ping_seen;
	po.progress = progress;
	po.cancelled = cancelled;
	po.arg = d;
	po.retries = 1;
	/* nothing is known of the path yet: the first answer must be allowed to be slow */
	po.min_timeout_us = po.init_timeout_us > 0 ? po.init_timeout_us : 1000000;
	d->phase = "ping";
	struct syn_icmp *icmp = syn_available() ? syn_icmp_send(d->hosts, nhosts) : NULL;
	rc = connect_scan(&j, &po, &st->ping);
	syn_icmp_collect(icmp, d->up, d->rtt);
	syn_icmp_free(icmp);
	target_ports_free(&pp);
	return rc;
}

int
discover_run(const struct inv_host *hosts, size_t nhosts, const struct port_list *ports,
    const struct discover_opts *o, struct discover_stats *st)
{
	struct drun d = { .hosts = hosts, .o = o };
	int64_t t;
	int rc = VG_OK;

	memset(st, 0, sizeof(*st));
	st->hosts = nhosts;
	d.up = calloc(nhosts ? nhosts : 1, sizeof(*d.up));
	d.rtt = calloc(nhosts ? nhosts : 1, sizeof(*d.rtt));
	d.settled = calloc(nhosts ? nhosts : 1, sizeof(*d.settled));
	if (!d.up || !d.rtt || !d.settled) {
		rc = VG_ERR_NOMEM;
		goto out;
	}
	enum discover_engine engine = o->engine;
	if (engine == ENGINE_AUTO)
		engine = syn_available() ? ENGINE_SYN : ENGINE_CONNECT;
	else if (engine == ENGINE_SYN && !syn_available()) {
		rc = VG_ERR_DENIED;
		goto out;
	}
	st->engine = engine;

	t = portscan_now_us();
	if (o->ping) {
		if ((rc = ping(&d, nhosts, st)) != VG_OK)
			goto out;
	} else {
		for (size_t i = 0; i < nhosts; i++)
			d.up[i] = true;
	}
	st->ping_us = portscan_now_us() - t;
	/* an interrupted ping still hands over the hosts it found up */
	for (size_t i = 0; i < nhosts; i++) {
		if (st->ping.interrupted && !d.up[i])
			continue;	/* not known to be down */
		st->hosts_up += d.up[i];
		if (o->on_host && o->on_host(o->arg, &hosts[i], d.up[i], d.rtt[i]) != 0)
			goto out;
	}
	if ((st->interrupted = st->ping.interrupted))
		goto out;

	struct portscan_job j = { .hosts = hosts, .nhosts = nhosts, .ports = ports->ports,
		.nports = ports->n, .up = d.up, .rtt_us = d.rtt };
	struct portscan_opts po = o->scan;
	po.report = port_seen;
	po.progress = progress;
	po.cancelled = cancelled;
	po.arg = &d;
	d.phase = "scan";
	t = portscan_now_us();
	rc = engine == ENGINE_SYN ? syn_scan(&j, &po, &st->scan) : connect_scan(&j, &po, &st->scan);
	st->scan_us = portscan_now_us() - t;
	if ((st->interrupted = st->scan.interrupted) || rc != VG_OK || d.err || d.stop)
		goto out;

	if (o->identify && d.nopen) {
		struct svcid_opts so = o->svc;
		so.report = svc_seen;
		so.cancelled = cancelled;
		so.arg = &d;
		d.phase = "identify";
		t = portscan_now_us();
		rc = svcid_run(hosts, d.open, d.nopen, &so, &st->svc);
		st->svc_us = portscan_now_us() - t;
		st->interrupted = st->svc.interrupted;
	}
out:
	if (rc == VG_OK && d.err)
		rc = d.err;
	free(d.up);
	free(d.rtt);
	free(d.settled);
	free(d.open);
	return rc;
}
