/* The stateless SYN engine (CAP_NET_RAW). One raw socket per address family sends
 * SYNs in the permuted order at a token-bucket rate; a receive thread reads every
 * incoming TCP segment from the same sockets and accepts a SYN-ACK or RST only if
 * its acknowledgement number is our cookie + 1: a SipHash (libsodium's
 * crypto_shorthash) of (target address, target port, our port) under a per-scan
 * key. So nothing is remembered per probe but one answered bit, and forged or
 * stray segments cannot invent a port state. Unanswered probes are sent again
 * after a settle wait: the first retry to every host, later ones only to hosts
 * where a retry has brought an answer (nmap's rule); then reported filtered. An
 * ICMP (v6) destination-unreachable quoting one of our SYNs (its sequence number is
 * the cookie) marks the port filtered at once, as nmap does (raw ICMP sockets read
 * by the same thread; connect() sees the same errors as EHOSTUNREACH).
 * Kernel RSTs: the source port is reserved by binding an ordinary TCP socket to it
 * (never listening), so no local connection can use it and the kernel answers each
 * SYN-ACK with a RST, closing the target's half-open connection as nmap -sS does;
 * service identification uses ordinary connect() sockets, which this cannot touch.
 * No nftables rule is needed or added. */
#include "inventory/portscan.h"
#include "inventory/syn_pkt.h"
#include "core/err.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define SYN_DEFAULT_RATE 100000
#define RESULTS_MAX (16u << 20)	/* queued answers between two drains, at most */

struct syn_ctx {
	const struct portscan_job *job;
	const struct portscan_opts *o;
	struct portscan_stats *st;
	struct syn_cookie ck;
	int fd4, fd6, tcp4, tcp6;	/* raw sockets; reserving TCP sockets */
	int icmp4, icmp6;		/* raw ICMP sockets (-1: none): unreachables */
	uint16_t sport4, sport6;
	int32_t *port_idx;		/* port -> index in job->ports, -1 */
	struct syn_hostmap hm;
	uint8_t *answered;		/* one bit per probe, set by the receiver */
	struct portscan_result *res;	/* receiver -> main thread queue (grows) */
	size_t nres, capres;
	uint64_t closed;		/* resets not queued (closed ports unreported) */
	uint64_t filtered;		/* unreachables not queued (likewise) */
	uint64_t lost;			/* results the queue could not take */
	pthread_mutex_t mu;
	volatile int stop;
	int attempt;			/* the pass being sent (receiver reads it) */
	uint8_t *retry_helped;		/* per host: a retry brought a new answer */
	uint64_t nprobes;
};

bool
syn_available(void)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static bool
test_and_set(uint8_t *bits, uint64_t i)
{
	uint8_t m = (uint8_t)(1u << (i & 7));
	return __atomic_fetch_or(&bits[i >> 3], m, __ATOMIC_RELAXED) & m;
}

static bool
is_set(const uint8_t *bits, uint64_t i)
{
	return __atomic_load_n(&bits[i >> 3], __ATOMIC_RELAXED) & (1u << (i & 7));
}

/* Reserves a local TCP port (see the file comment); 0 or VG_ERR_IO. */
static int
reserve_port(int family, int *fd, uint16_t *port)
{
	struct sockaddr_storage ss = { .ss_family = (sa_family_t)family };
	socklen_t len = family == AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6);
	*fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	if (*fd < 0 || bind(*fd, (struct sockaddr *)&ss, len) != 0 ||
	    getsockname(*fd, (struct sockaddr *)&ss, &len) != 0)
		return VG_ERR_IO;
	*port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port :
	    ((struct sockaddr_in6 *)&ss)->sin6_port);
	return VG_OK;
}

static int
open_raw(int family, int *fd)
{
	int big = 32 << 20;
	*fd = socket(family, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_TCP);
	if (*fd < 0)
		return errno == EPERM || errno == EACCES ? VG_ERR_DENIED : VG_ERR_IO;
	/* a sweep's answers come in bursts; FORCE works for root beyond rmem_max */
	if (setsockopt(*fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) != 0)
		setsockopt(*fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	setsockopt(*fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	if (family == AF_INET6) {
		int off = 16;	/* the kernel fills the TCP checksum (RFC 3542 IPV6_CHECKSUM) */
		if (setsockopt(*fd, IPPROTO_IPV6, IPV6_CHECKSUM, &off, sizeof(off)) != 0)
			return VG_ERR_IO;
	}
	return VG_OK;
}

static void
record(struct syn_ctx *c, size_t host, uint16_t port, enum port_state state,
    enum port_reason reason)
{
	int32_t pi = c->port_idx[port];
	if (pi < 0)
		return;
	uint64_t idx = (uint64_t)host * c->job->nports + (uint64_t)pi;
	if (test_and_set(c->answered, idx))
		return;	/* a retry's second answer */
	if (__atomic_load_n(&c->attempt, __ATOMIC_RELAXED) > 0)
		__atomic_store_n(&c->retry_helped[host], 1, __ATOMIC_RELAXED);
	pthread_mutex_lock(&c->mu);
	if (state != PORT_OPEN && !c->o->report_closed) {
		/* counted, not queued: nobody will print it */
		if (state == PORT_CLOSED)
			c->closed++;
		else
			c->filtered++;
	} else {
		if (c->nres == c->capres && c->capres < RESULTS_MAX) {
			size_t nc = c->capres ? c->capres * 2 : 4096;
			struct portscan_result *n = realloc(c->res, nc * sizeof(*n));
			if (n) {
				c->res = n;
				c->capres = nc;
			}
		}
		if (c->nres < c->capres)
			c->res[c->nres++] = (struct portscan_result){ .host = host, .port = port,
				.state = state, .reason = reason, .tries = 1 };
		else
			c->lost++;	/* out of memory: counted in stats as dropped */
	}
	pthread_mutex_unlock(&c->mu);
}

/* Reads every ICMP message queued on fd: an unreachable that quotes one of our
 * SYNs (our port, the cookie as its sequence number) marks that port filtered. */
static bool
read_icmp(struct syn_ctx *c, int fd, int family)
{
	unsigned char buf[2048];
	bool any = false;

	for (int burst = 0; burst < 4096; burst++) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			break;
		any = true;
		struct syn_unreach u;
		size_t host;
		if (syn_unreach_parse(family, buf, (size_t)n, &u) != VG_OK ||
		    u.sport != (family == AF_INET ? c->sport4 : c->sport6) ||
		    u.seq != syn_cookie(&c->ck, &u.addr, u.tport, u.sport) ||
		    syn_hostmap_find(&c->hm, &u.addr, &host) != VG_OK)
			continue;
		record(c, host, u.tport, PORT_FILTERED, REASON_UNREACH);
	}
	return any;
}

/* Reads every segment queued on fd; false when nothing was there. */
static bool
read_all(struct syn_ctx *c, int fd, int family)
{
	unsigned char buf[2048];
	bool any = false;

	for (int burst = 0; burst < 4096; burst++) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		if (n <= 0)
			break;
		any = true;
		struct syn_reply r;
		size_t host;
		if (syn_pkt_parse(family, buf, (size_t)n, &from, &r) != VG_OK ||
		    r.dport != (family == AF_INET ? c->sport4 : c->sport6))
			continue;
		if (r.ack - 1 != syn_cookie(&c->ck, &r.addr, r.sport, r.dport))
			continue;	/* not an answer to us: ignored */
		if (syn_hostmap_find(&c->hm, &r.addr, &host) != VG_OK)
			continue;
		if (r.syn_ack || r.rst)
			record(c, host, r.sport, r.syn_ack ? PORT_OPEN : PORT_CLOSED,
			    r.syn_ack ? REASON_SYN_ACK : REASON_RST);
	}
	return any;
}

/* Reads fd k of the receiver's set: 0/1 TCP (IPv4, IPv6), 2/3 ICMP (likewise). */
static bool
read_one(struct syn_ctx *c, int k, int fd)
{
	int family = k % 2 == 0 ? AF_INET : AF_INET6;
	return k < 2 ? read_all(c, fd, family) : read_icmp(c, fd, family);
}

static void *
receiver(void *arg)
{
	struct syn_ctx *c = arg;
	struct pollfd p[4] = { { .fd = c->fd4, .events = POLLIN }, { .fd = c->fd6,
		.events = POLLIN }, { .fd = c->icmp4, .events = POLLIN }, { .fd = c->icmp6,
		.events = POLLIN } };

	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		if (poll(p, 4, 20) <= 0)
			continue;
		for (int k = 0; k < 4; k++)
			if (p[k].fd >= 0 && (p[k].revents & POLLIN))
				read_one(c, k, p[k].fd);
	}
	/* what the kernel queued before the stop still counts: a loaded machine can
	 * be seconds behind on reading */
	for (int k = 0; k < 4; k++)
		while (p[k].fd >= 0 && read_one(c, k, p[k].fd))
			;
	return NULL;
}

static void
drain(struct syn_ctx *c, bool *stopped)
{
	struct portscan_result *tmp;
	size_t n;

	pthread_mutex_lock(&c->mu);
	n = c->nres;
	tmp = n ? malloc(n * sizeof(*tmp)) : NULL;
	if (tmp)
		memcpy(tmp, c->res, n * sizeof(*tmp));
	else
		n = 0;
	c->nres = 0;
	c->st->dropped = c->lost;
	c->st->answered += c->closed + c->filtered;
	c->st->closed += c->closed;
	c->st->filtered += c->filtered;
	c->closed = c->filtered = 0;
	pthread_mutex_unlock(&c->mu);
	for (size_t i = 0; i < n; i++) {
		c->st->answered++;
		if (tmp[i].state == PORT_OPEN)
			c->st->open++;
		else if (tmp[i].state == PORT_CLOSED)
			c->st->closed++;
		else
			c->st->filtered++;
		if (*stopped || !c->o->report)
			continue;
		if ((tmp[i].state == PORT_OPEN || c->o->report_closed) &&
		    c->o->report(c->o->arg, &tmp[i]) != 0)
			*stopped = true;
	}
	free(tmp);
}

static void
sleep_us(int64_t us)
{
	struct timespec ts = { us / 1000000, (long)(us % 1000000) * 1000 };
	nanosleep(&ts, NULL);
}

/* One pass over the probes not answered yet; returns probes sent. */
/* Up to BATCH probes of one family waiting for one sendmmsg(): a syscall per
 * packet was a visible share of the send loop's time. */
#define BATCH 32

struct batch {
	unsigned char pkt[BATCH][24];
	struct sockaddr_storage to[BATCH];
	struct iovec iov[BATCH];
	struct mmsghdr msg[BATCH];
	unsigned n;
};

static void
flush(struct syn_ctx *c, struct batch *b, int fd)
{
	unsigned off = 0;
	for (int tries = 0; off < b->n && tries < 1000; tries++) {
		int k = sendmmsg(fd, b->msg + off, b->n - off, 0);
		if (k > 0) {
			off += (unsigned)k;
			continue;
		}
		if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR) {
			/* this packet cannot go (no route, ...): count it and go on */
			c->st->errors++;
			off++;
			continue;
		}
		sleep_us(100);	/* the device queue is full: let it drain */
	}
	b->n = 0;
}

static void
queue(struct syn_ctx *c, struct batch *b, int fd, size_t host, uint16_t sport, uint16_t port)
{
	const struct inv_host *h = &c->job->hosts[host];
	unsigned i = b->n++;
	size_t len = syn_pkt_build(b->pkt[i], sizeof(b->pkt[i]), &c->hm, host, sport, port,
	    syn_cookie(&c->ck, &h->addr, port, sport));
	b->iov[i] = (struct iovec){ b->pkt[i], len };
	b->msg[i].msg_hdr = (struct msghdr){ .msg_name = &b->to[i],
		.msg_namelen = target_sockaddr(&h->addr, 0, &b->to[i]), .msg_iov = &b->iov[i],
		.msg_iovlen = 1 };
	if (b->n == BATCH)
		flush(c, b, fd);
}

/* One pass over the probes not answered yet; returns probes sent. */
static uint64_t
pass(struct syn_ctx *c, const struct perm *pm, int attempt, int64_t t0, bool *stopped)
{
	const struct portscan_job *j = c->job;
	uint64_t rate = c->o->rate_pps ? c->o->rate_pps : SYN_DEFAULT_RATE, sent = 0;
	int64_t start = portscan_now_us(), last = start;
	struct batch *b4 = calloc(1, sizeof(*b4)), *b6 = calloc(1, sizeof(*b6));

	if (!b4 || !b6) {
		free(b4);
		free(b6);
		*stopped = true;
		return 0;
	}
	for (uint64_t i = 0; i < c->nprobes && !*stopped; i++) {
		uint64_t idx = perm_at(pm, i);
		size_t host = idx / j->nports;
		if ((j->up && !j->up[host]) || is_set(c->answered, idx))
			continue;
		if (attempt > 1 && !__atomic_load_n(&c->retry_helped[host], __ATOMIC_RELAXED))
			continue;
		/* rate: never ahead of start + sent / rate; what is batched goes first */
		int64_t due = start + (int64_t)(sent * 1000000 / rate);
		int64_t now = portscan_now_us();
		if (due > now + 200) {
			flush(c, b4, c->fd4);
			flush(c, b6, c->fd6);
			sleep_us(due - now);
		}
		bool v4 = j->hosts[host].addr.family == AF_INET;
		queue(c, v4 ? b4 : b6, v4 ? c->fd4 : c->fd6, host, v4 ? c->sport4 : c->sport6,
		    j->ports[idx % j->nports]);
		sent++;
		c->st->sent++;
		if (attempt)
			c->st->retries++;
		if (now - last >= 50000) {
			last = now;
			drain(c, stopped);
			if (c->o->cancelled && c->o->cancelled(c->o->arg)) {
				c->st->interrupted = true;
				*stopped = true;
			}
			if (c->o->progress) {
				c->st->elapsed_us = last - t0;
				/* done = probes sent (first pass): what the ETA can rest on */
				c->o->progress(c->o->arg, c->st, c->nprobes,
				    c->st->sent < c->nprobes ? c->st->sent : c->nprobes);
			}
		}
	}
	flush(c, b4, c->fd4);
	flush(c, b6, c->fd6);
	free(b4);
	free(b6);
	return sent;
}

int
syn_scan(const struct portscan_job *job, const struct portscan_opts *opts,
    struct portscan_stats *st)
{
	struct portscan_opts o = *opts;
	struct syn_ctx c = { .job = job, .o = &o, .st = st, .fd4 = -1, .fd6 = -1, .tcp4 = -1,
		.tcp6 = -1, .icmp4 = -1, .icmp6 = -1 };
	pthread_t rx;
	bool rx_started = false, stopped = false, v4 = false, v6 = false;
	struct perm pm;
	int rc;
	int64_t t0 = portscan_now_us(), max_rtt = 0;

	memset(st, 0, sizeof(*st));
	portscan_defaults(&o);
	pthread_mutex_init(&c.mu, NULL);
	c.nprobes = (uint64_t)job->nhosts * job->nports;
	for (size_t i = 0; i < job->nhosts; i++) {
		v4 |= job->hosts[i].addr.family == AF_INET;
		v6 |= job->hosts[i].addr.family == AF_INET6;
		if (job->rtt_us && job->rtt_us[i] > max_rtt)
			max_rtt = job->rtt_us[i];
	}
	if (sodium_init() < 0) {
		rc = VG_ERR_IO;
		goto out;
	}
	randombytes_buf(c.ck.key, sizeof(c.ck.key));
	c.port_idx = malloc(65536 * sizeof(*c.port_idx));
	c.answered = calloc(c.nprobes / 8 + 1, 1);
	c.retry_helped = calloc(job->nhosts ? job->nhosts : 1, 1);
	if (!c.port_idx || !c.answered || !c.retry_helped) {
		rc = VG_ERR_NOMEM;
		goto out;
	}
	memset(c.port_idx, 0xff, 65536 * sizeof(*c.port_idx));
	for (size_t i = 0; i < job->nports; i++)
		c.port_idx[job->ports[i]] = (int32_t)i;
	if ((v4 && ((rc = open_raw(AF_INET, &c.fd4)) != VG_OK ||
	    (rc = reserve_port(AF_INET, &c.tcp4, &c.sport4)) != VG_OK)) ||
	    (v6 && ((rc = open_raw(AF_INET6, &c.fd6)) != VG_OK ||
	    (rc = reserve_port(AF_INET6, &c.tcp6, &c.sport6)) != VG_OK)))
		goto out;
	if ((rc = syn_hostmap_build(&c.hm, job->hosts, job->nhosts)) != VG_OK)
		goto out;
	/* unreachables only sharpen "filtered": without these sockets they time out */
	if (v4)
		c.icmp4 = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (v6)
		c.icmp6 = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (pthread_create(&rx, NULL, receiver, &c) != 0) {
		rc = VG_ERR_NOMEM;
		goto out;
	}
	rx_started = true;
	perm_init(&pm, c.nprobes ? c.nprobes : 1, o.seed);
	/* answers to the last probes of a pass come within a few RTTs; under load
	 * (our own receive thread busy) much later, hence the floor */
	struct rtt_est e = { 0 };
	if (max_rtt)
		rtt_update(&e, max_rtt);
	int64_t settle = rtt_timeout(&e, &o, 0) * 2;
	if (settle < 250000)
		settle = 250000;
	for (int attempt = 0; attempt <= o.retries && !stopped; attempt++) {
		__atomic_store_n(&c.attempt, attempt, __ATOMIC_RELAXED);
		if (pass(&c, &pm, attempt, t0, &stopped) == 0)
			break;
		int64_t until = portscan_now_us() + settle;
		while (portscan_now_us() < until && !stopped) {
			sleep_us(20000);
			drain(&c, &stopped);
			if (o.cancelled && o.cancelled(o.arg)) {
				st->interrupted = true;
				stopped = true;
			}
		}
	}
	__atomic_store_n(&c.stop, 1, __ATOMIC_RELEASE);
	pthread_join(rx, NULL);
	rx_started = false;
	drain(&c, &stopped);
	for (uint64_t idx = 0; idx < c.nprobes && !stopped; idx++) {
		size_t host = idx / job->nports;
		if ((job->up && !job->up[host]) || is_set(c.answered, idx))
			continue;
		st->filtered++;
		struct portscan_result r = { .host = host, .port = job->ports[idx % job->nports],
			.state = PORT_FILTERED, .reason = REASON_TIMEOUT, .tries = o.retries + 1 };
		if (o.report_closed && o.report && o.report(o.arg, &r) != 0)
			stopped = true;
	}
	st->elapsed_us = portscan_now_us() - t0;
	if (o.progress)
		o.progress(o.arg, st, c.nprobes, c.nprobes);
	rc = VG_OK;
out:
	if (rx_started) {
		__atomic_store_n(&c.stop, 1, __ATOMIC_RELEASE);
		pthread_join(rx, NULL);
	}
	syn_hostmap_free(&c.hm);
	int fds[] = { c.fd4, c.fd6, c.tcp4, c.tcp6, c.icmp4, c.icmp6 };
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(c.port_idx);
	free(c.answered);
	free(c.res);
	free(c.retry_helped);
	pthread_mutex_destroy(&c.mu);
	return rc;
}
