/* Service identification of open ports: for each (host, port) a short series of
 * connections, each sending one probe of the probe database (or nothing, to hear a
 * greeting), matched against its rules; HTTP answers are read further (httpid.c),
 * TLS ports handshaken and their certificate read (tlsid.c). Runs the ports in
 * parallel on a small pool of threads with blocking sockets and poll() deadlines,
 * every read bounded in bytes and time, so a hostile server costs one thread at
 * most its deadline. */
#ifndef VG_INV_SVCID_H
#define VG_INV_SVCID_H

#include "inventory/target.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SVC_BANNER_MAX 512	/* bytes of the first answer kept */
#define SVC_READ_MAX 65536	/* bytes read from any one connection */

struct probe_db;

struct svc_result {
	size_t host;
	uint16_t port;
	bool identified;	/* a rule matched */
	char service[32];	/* "ssh", "http", "redis", ...; "" = unknown */
	char product[80], version[64], info[160];
	char probe[32];		/* the probe whose answer matched */
	unsigned char banner[SVC_BANNER_MAX];	/* raw; escape before printing */
	size_t banner_len;
	/* TLS (tls = a handshake completed) */
	bool tls;
	char tls_version[16], tls_subject[256], tls_issuer[256];
	char tls_sans[1024];	/* comma-separated DNS names and addresses */
	int64_t tls_not_after;	/* seconds since the epoch, 0 = unknown */
	char tls_versions[64];	/* every protocol version that completed a handshake */
	/* HTTP (http_status > 0 = an HTTP answer was parsed) */
	int http_status;
	char http_title[256], http_server[128], http_location[512];
	char http_tech[512];	/* comma-separated: "nginx 1.22.1, Jenkins 2.426" */
	int32_t favicon_hash;	/* mmh3 of the base64 icon, as Shodan computes it */
	bool favicon;
};

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
	void *arg;
};

struct svcid_stats {
	uint64_t ports, identified, tls, http, connections, failed;
	int64_t elapsed_us;
};

void svcid_defaults(struct svcid_opts *o);

/* Identifies every target (hosts[t[i].host] port t[i].port); report gets each
 * result, in completion order, from one thread at a time. 0 or VG_ERR_*. */
int svcid_run(const struct inv_host *hosts, const struct svc_target *t, size_t n,
    const struct svcid_opts *o, struct svcid_stats *st);

#endif
