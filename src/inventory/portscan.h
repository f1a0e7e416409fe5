/* The port-scan engines' common contract: a job (hosts x ports), options, and a
 * callback per port with the evidence for its state. Two engines fill it: connect.c
 * (unprivileged, epoll over non-blocking connect) and syn.c (raw sockets, stateless,
 * CAP_NET_RAW). Both walk the hosts x ports space in the permuted order of
 * portscan_perm, so no host sees a burst of consecutive ports. */
#ifndef VG_INV_PORTSCAN_H
#define VG_INV_PORTSCAN_H

#include "inventory/target.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum port_state {
	PORT_OPEN = 0,		/* SYN-ACK / connect completed */
	PORT_CLOSED,		/* RST / connection refused */
	PORT_FILTERED,		/* no answer after every try, or ICMP unreachable */
};

/* What the state rests on, for the record and for --reason. */
enum port_reason {
	REASON_SYN_ACK = 0,	/* SYN engine: valid SYN-ACK */
	REASON_CONNECTED,	/* connect engine: three-way handshake completed */
	REASON_RST,		/* RST / ECONNREFUSED */
	REASON_UNREACH,		/* ICMP unreachable (EHOSTUNREACH, ENETUNREACH, EACCES) */
	REASON_TIMEOUT,		/* nothing within the timeout, every try */
};

const char *port_state_name(enum port_state s);
const char *port_reason_name(enum port_reason r);

struct portscan_job {
	const struct inv_host *hosts;
	size_t nhosts;
	const uint16_t *ports;
	size_t nports;
	/* per host: false = skip (ping found it down); NULL = scan all */
	const bool *up;
	/* per host: RTT estimate in µs from the ping, 0 = none; NULL = none */
	const int64_t *rtt_us;
	/* per host, optional: the report callback sets it once nothing more is wanted
	 * from that host (the ping: one answer is enough); its remaining probes are
	 * dropped, not reported */
	bool *settled;
};

struct portscan_result {
	size_t host;		/* index into job->hosts */
	uint16_t port;
	enum port_state state;
	enum port_reason reason;
	int64_t rtt_us;		/* probe to answer; 0 for timeouts */
	int tries;
};

struct portscan_stats {
	uint64_t sent, answered, open, closed, filtered, retries, errors;
	uint64_t dropped;	/* SYN engine: answers that could not be queued (memory) */
	int64_t elapsed_us;
	int inflight_max;	/* connect engine: sockets in flight at the peak */
	bool interrupted;	/* cancelled() ended the scan early */
};

struct portscan_opts {
	int max_inflight;	/* connect: sockets in flight (default 16384, or what
				 * RLIMIT_NOFILE allows) */
	int retries;		/* extra tries for a probe that got no answer (default 2) */
	int64_t init_timeout_us;	/* before any RTT sample (default 1 s) */
	int64_t min_timeout_us;		/* floor of the adaptive timeout (default 50 ms) */
	int64_t max_timeout_us;		/* ceiling (default 3 s) */
	uint64_t rate_pps;	/* probes per second, 0 = as fast as possible (connect)
				 * or the SYN engine's default */
	uint64_t seed;		/* permutation / cookie seed; 0 = random */
	const char *source_addr;	/* SYN: source address (NULL = routed choice) */
	bool report_closed;	/* report closed and filtered too, not only open */
	/* each port with a state; non-zero return stops the scan */
	int (*report)(void *arg, const struct portscan_result *r);
	/* progress, about every 200 ms and at the end; NULL = none */
	void (*progress)(void *arg, const struct portscan_stats *st, uint64_t total,
	    uint64_t done);
	/* asked between batches (at least every 50 ms); true ends the scan at once,
	 * with what was reported so far and st->interrupted set (Ctrl-C); NULL = never */
	bool (*cancelled)(void *arg);
	void *arg;
};

/* Fills unset (zero) options with the defaults above. */
void portscan_defaults(struct portscan_opts *o);

/* Raises RLIMIT_NOFILE's soft limit to the hard one; returns how many descriptors
 * the connect engine may keep in flight (leaving head-room), at least 16. */
int portscan_fd_budget(void);

/* Adaptive timeout (after Jacobson/Karels, as TCP and nmap do): srtt and rttvar per
 * host, timeout = srtt + 4 rttvar clamped to [min, max]. Doubled per retry only
 * while fewer than 3 samples are in: once the RTT is known, a retry is for a lost
 * packet, not a late one, and doubling would only slow down silent hosts. */
struct rtt_est {
	int64_t srtt, rttvar;
	uint32_t samples;
};
void rtt_update(struct rtt_est *e, int64_t sample_us);
int64_t rtt_timeout(const struct rtt_est *e, const struct portscan_opts *o, int attempt);

/* A keyed pseudo-random permutation of [0, n): every index exactly once, in an
 * order unrelated to the index (a 4-round Feistel network on the next even power
 * of two, keyed with SipHash, with cycle walking back into range). */
struct perm {
	uint64_t n;
	unsigned half_bits;
	uint64_t half_mask;
	unsigned char key[16];
};
void perm_init(struct perm *p, uint64_t n, uint64_t seed);
uint64_t perm_at(const struct perm *p, uint64_t i);

/* Monotonic clock in µs. */
int64_t portscan_now_us(void);
/* Wall clock (CLOCK_REALTIME) in µs since the epoch: records, kernel time stamps. */
int64_t portscan_wall_us(void);
/* A random 64-bit seed from the kernel. */
uint64_t portscan_random_seed(void);

/* The engines: 0, or VG_ERR_* for a setup failure (VG_ERR_DENIED: the SYN engine
 * lacks CAP_NET_RAW). A report callback's non-zero return ends the scan with 0. */
int connect_scan(const struct portscan_job *job, const struct portscan_opts *o,
    struct portscan_stats *st);
int syn_scan(const struct portscan_job *job, const struct portscan_opts *o,
    struct portscan_stats *st);
/* True when this process may open raw sockets. */
bool syn_available(void);

#endif
