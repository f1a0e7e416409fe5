/* Service identification of open ports: for each (host, port) a short series of
 * connections, each sending one probe of the probe database (or nothing, to hear a
 * greeting), matched against its rules; HTTP answers are read further (httpid.c),
 * TLS ports handshaken and their certificate read (tlsid.c). Runs the ports in
 * parallel on a small pool of threads with blocking sockets and poll() deadlines,
 * every read bounded in bytes and time, so a hostile server costs one thread at
 * most its deadline. */
#ifndef VG_INV_SVCID_H
#define VG_INV_SVCID_H

#include "inventory/svc_result.h"
#include "inventory/target.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct probe_db;

struct svc_target {
	size_t host;
	uint16_t port;
};

struct svcid_opts {
	const struct probe_db *db;
	int threads;			/* default 64 */
	int64_t connect_timeout_us;	/* default 3 s */
	int64_t greet_us;		/* the null probe's wait for a greeting, default 1 s */
	int64_t probe_us;		/* wait for an answer to a probe, default 3 s */
	int64_t port_budget_us;		/* all probes of one port, default 15 s */
	bool http_extras;		/* favicon, redirects, admin paths (default on) */
	bool tls_versions;		/* probe each TLS version (default on) */
	int (*report)(void *arg, const struct svc_result *r);
	/* asked before each port; true: no more ports are started (those in progress
	 * finish, bounded by port_budget_us), st->interrupted set; NULL = never */
	bool (*cancelled)(void *arg);
	void *arg;
};

struct svcid_stats {
	uint64_t ports, identified, tls, http, connections, failed;
	int64_t elapsed_us;
	bool interrupted;
};

void svcid_defaults(struct svcid_opts *o);

/* Identifies every target (hosts[t[i].host] port t[i].port); report gets each
 * result, in completion order, from one thread at a time. 0 or VG_ERR_*. */
int svcid_run(const struct inv_host *hosts, const struct svc_target *t, size_t n,
    const struct svcid_opts *o, struct svcid_stats *st);

#endif
