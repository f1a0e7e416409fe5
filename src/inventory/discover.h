/* `vigil discover`'s stage: liveness, the port scan with the chosen engine, then
 * service identification of every open port, each finding handed to the caller's
 * callbacks as it is made. The command (cmd/discover.c) only parses options and
 * prints; the register (inventory/register.h) stores what it is given. */
#ifndef VG_INV_DISCOVER_H
#define VG_INV_DISCOVER_H

#include "inventory/portscan.h"
#include "inventory/svcid.h"
#include "inventory/target.h"

#include <stdbool.h>

enum discover_engine {
	ENGINE_AUTO = 0,	/* SYN when raw sockets are allowed, else connect */
	ENGINE_CONNECT,
	ENGINE_SYN,
};

/* The ports a host is pinged on (TCP connect: any answer, even a RST, means up). */
#define DISCOVER_PING_PORTS "80,443,22,21,23,25,53,110,139,143,445,3389,8080,8443,3306,5432,6379"

struct discover_opts {
	enum discover_engine engine;
	bool ping;		/* false = treat every host as up (-Pn) */
	bool identify;		/* service identification of open ports */
	struct portscan_opts scan;	/* report/progress/arg are set by discover_run */
	struct svcid_opts svc;		/* report is set by discover_run */
	/* callbacks; any may be NULL. A non-zero return stops the run. */
	int (*on_host)(void *arg, const struct inv_host *h, bool up, int64_t rtt_us);
	int (*on_port)(void *arg, const struct inv_host *h, const struct portscan_result *r);
	int (*on_service)(void *arg, const struct inv_host *h, const struct svc_result *s);
	void (*progress)(void *arg, const char *phase, const struct portscan_stats *st,
	    uint64_t total, uint64_t done);
	/* true ends the run early (Ctrl-C): the phase in progress stops, what was
	 * handed to the callbacks stands, stats.interrupted is set; NULL = never */
	bool (*cancelled)(void *arg);
	void *arg;
};

struct discover_stats {
	size_t hosts, hosts_up;
	struct portscan_stats ping, scan;
	struct svcid_stats svc;
	enum discover_engine engine;	/* the one that ran */
	bool interrupted;		/* cancelled() ended it early */
	int64_t ping_us, scan_us, svc_us;
};

/* Runs every phase over hosts x ports. 0, or VG_ERR_* (VG_ERR_DENIED: SYN asked
 * for without CAP_NET_RAW). */
int discover_run(const struct inv_host *hosts, size_t nhosts, const struct port_list *ports,
    const struct discover_opts *o, struct discover_stats *st);

const char *discover_engine_name(enum discover_engine e);

#endif
