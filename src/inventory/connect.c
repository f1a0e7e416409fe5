/* The unprivileged engine: non-blocking connect() on thousands of sockets at once,
 * completions from one epoll set, time-outs from a 1 ms timing wheel. A completed
 * handshake is "open", ECONNREFUSED (a RST) "closed", an ICMP error "filtered
 * (unreachable)", silence after every try "filtered (no-response)": each state
 * rests on what the kernel saw. Sockets close with SO_LINGER 0 (a RST, no
 * TIME_WAIT), so a sweep leaves nothing behind on either side. A probe that got no
 * answer is tried again only as often as the host has shown it helps (nmap's rule:
 * one retry beyond the highest try that ever got an answer from that host, up to
 * --retries): a firewall that drops everything costs two tries per port, not three.
 *
 * Why its own epoll set and not core/loop (the daemon's one event loop): this is a
 * short-lived batch job, not a daemon source. It keeps up to 16,384 sockets in
 * flight (core/loop holds LOOP_MAX_FDS = 64, sized for the daemon's few long-lived
 * sources) and adds and drops one per probe, tens of thousands a second, where
 * core/loop's per-fd callback registration and lookup would be the hot path; its
 * time-outs are per probe on a 1 ms wheel, not per-source timers. Nothing else runs
 * in `vigil discover`'s process that would share a loop with it, and Ctrl-C is
 * taken through a signalfd the engines ask between batches (portscan_opts.
 * cancelled), as core/loop would take it. */
#include "inventory/portscan.h"
#include "core/err.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define WHEEL 8192		/* ms buckets; longer than any time-out (max 3 s doubled caps) */
#define EVENTS 1024

struct slot {
	int fd;
	int prev, next;		/* timing-wheel bucket list; -1 ends */
	uint64_t idx;		/* probe index (host * nports + port index) */
	int64_t sent, deadline;
	int attempt;
};

struct retry {
	uint64_t idx;
	int attempt;
};

struct cscan {
	const struct portscan_job *job;
	const struct portscan_opts *o;
	struct portscan_stats *st;
	struct slot *slots;
	int *free_list, nfree, nslots;
	int wheel[WHEEL];
	int64_t wheel_ms;	/* next bucket to expire */
	struct rtt_est *rtt;
	uint8_t *max_ok;	/* per host: highest try (0-based) that got an answer */
	struct retry *rq;
	size_t rq_head, rq_tail, rq_cap;
	int ep, inflight, limit;
	uint64_t done, total;
	bool stop, sweep;	/* sweep: a host was settled; drop its probes in flight */
};

static void
wheel_link(struct cscan *c, int i)
{
	int b = (int)((c->slots[i].deadline / 1000) % WHEEL);
	c->slots[i].prev = -1;
	c->slots[i].next = c->wheel[b];
	if (c->wheel[b] >= 0)
		c->slots[c->wheel[b]].prev = i;
	c->wheel[b] = i;
}

static void
wheel_unlink(struct cscan *c, int i)
{
	struct slot *s = &c->slots[i];
	if (s->prev >= 0)
		c->slots[s->prev].next = s->next;
	else
		c->wheel[(s->deadline / 1000) % WHEEL] = s->next;
	if (s->next >= 0)
		c->slots[s->next].prev = s->prev;
}

static int
rq_push(struct cscan *c, uint64_t idx, int attempt)
{
	if (c->rq_tail == c->rq_cap) {
		/* compact first: the consumed head is dead space */
		if (c->rq_head > 0) {
			memmove(c->rq, c->rq + c->rq_head, (c->rq_tail - c->rq_head) * sizeof(*c->rq));
			c->rq_tail -= c->rq_head;
			c->rq_head = 0;
		}
		if (c->rq_tail == c->rq_cap) {
			size_t nc = c->rq_cap ? c->rq_cap * 2 : 1024;
			struct retry *n = realloc(c->rq, nc * sizeof(*n));
			if (!n)
				return VG_ERR_NOMEM;
			c->rq = n;
			c->rq_cap = nc;
		}
	}
	c->rq[c->rq_tail++] = (struct retry){ idx, attempt };
	return VG_OK;
}

static void
finish(struct cscan *c, uint64_t idx, enum port_state state, enum port_reason why,
    int64_t rtt, int tries)
{
	const struct portscan_job *j = c->job;
	struct portscan_result r = { .host = idx / j->nports, .port = j->ports[idx % j->nports],
		.state = state, .reason = why, .rtt_us = rtt, .tries = tries };

	c->done++;
	if (state == PORT_OPEN)
		c->st->open++;
	else if (state == PORT_CLOSED)
		c->st->closed++;
	else
		c->st->filtered++;
	if (why != REASON_TIMEOUT)
		c->st->answered++;
	if ((state == PORT_OPEN || c->o->report_closed) && c->o->report &&
	    c->o->report(c->o->arg, &r) != 0)
		c->stop = true;
	if (j->settled && j->settled[r.host])
		c->sweep = true;
}

static bool
settled(const struct cscan *c, uint64_t idx)
{
	return c->job->settled && c->job->settled[idx / c->job->nports];
}

/* Closes every probe in flight to a settled host; they count as done. */
static void
sweep(struct cscan *c)
{
	c->sweep = false;
	for (int b = 0; b < WHEEL; b++)
		for (int i = c->wheel[b], next; i >= 0; i = next) {
			struct slot *s = &c->slots[i];
			next = s->next;
			if (!settled(c, s->idx))
				continue;
			wheel_unlink(c, i);
			close(s->fd);
			c->free_list[c->nfree++] = i;
			c->inflight--;
			c->done++;
		}
}

/* Closes a connected socket with a RST (SO_LINGER 0): no FIN exchange, no
 * TIME_WAIT. A socket still in SYN_SENT needs nothing: closing it sends nothing. */
static void
close_rst(int fd)
{
	struct linger lg = { 1, 0 };
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

/* May a probe that got no answer on try `attempt` (0-based) go again? */
static bool
may_retry(const struct cscan *c, uint64_t idx, int attempt)
{
	int cap = c->max_ok[idx / c->job->nports] + 1;
	if (cap > c->o->retries)
		cap = c->o->retries;
	return attempt < cap;
}

static void
answered(struct cscan *c, uint64_t idx, int attempt)
{
	uint8_t *m = &c->max_ok[idx / c->job->nports];
	if (attempt > *m)
		*m = (uint8_t)(attempt > 255 ? 255 : attempt);
}

/* Starts one probe. 1 = started or finished at once, 0 = no resources now (the
 * probe is queued again and the in-flight limit lowered), <0 = VG_ERR_*. */
static int
launch(struct cscan *c, uint64_t idx, int attempt, int64_t now)
{
	const struct portscan_job *j = c->job;
	const struct inv_host *h = &j->hosts[idx / j->nports];
	struct sockaddr_storage ss;
	unsigned len = target_sockaddr(&h->addr, j->ports[idx % j->nports], &ss);
	int fd, e;

	fd = socket(h->addr.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
			goto busy;
		c->st->errors++;
		return VG_ERR_IO;
	}
	c->st->sent++;
	if (attempt)
		c->st->retries++;
	if (connect(fd, (struct sockaddr *)&ss, len) == 0) {
		close_rst(fd);
		finish(c, idx, PORT_OPEN, REASON_CONNECTED, portscan_now_us() - now, attempt + 1);
		return 1;
	}
	e = errno;
	if (e == EINPROGRESS) {
		int i = c->free_list[--c->nfree];
		struct slot *s = &c->slots[i];
		struct epoll_event ev = { .events = EPOLLOUT, .data.u64 = (uint64_t)i };
		s->fd = fd;
		s->idx = idx;
		s->sent = now;
		s->attempt = attempt;
		s->deadline = now + rtt_timeout(&c->rtt[idx / j->nports], c->o, attempt);
		if (epoll_ctl(c->ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
			c->free_list[c->nfree++] = i;
			close(fd);
			c->st->errors++;
			return VG_ERR_IO;
		}
		wheel_link(c, i);
		c->inflight++;
		if (c->inflight > c->st->inflight_max)
			c->st->inflight_max = c->inflight;
		return 1;
	}
	close(fd);
	if (e == ECONNREFUSED) {
		finish(c, idx, PORT_CLOSED, REASON_RST, portscan_now_us() - now, attempt + 1);
		return 1;
	}
	if (e == EHOSTUNREACH || e == ENETUNREACH || e == EACCES || e == EPERM) {
		finish(c, idx, PORT_FILTERED, REASON_UNREACH, 0, attempt + 1);
		return 1;
	}
	if (e != EAGAIN && e != EADDRNOTAVAIL && e != ENOBUFS && e != ENOMEM) {
		/* nothing was learnt about the port: an error, never a state */
		c->st->errors++;
		c->done++;
		return 1;
	}
	c->st->sent--;
busy:
	/* out of descriptors or local ports: hold at what is in flight now */
	if (c->inflight > 16)
		c->limit = c->inflight;
	return rq_push(c, idx, attempt) == VG_OK ? 0 : VG_ERR_NOMEM;
}

static void
complete(struct cscan *c, int i, int64_t now)
{
	struct slot *s = &c->slots[i];
	int err = 0;
	socklen_t el = sizeof(err);
	int64_t rtt = now - s->sent;

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0)
		err = errno;
	wheel_unlink(c, i);
	/* close() takes the descriptor out of the epoll set: no EPOLL_CTL_DEL */
	if (err == 0)
		close_rst(s->fd);
	else
		close(s->fd);
	c->free_list[c->nfree++] = i;
	c->inflight--;
	if (err == 0 || err == ECONNREFUSED)
		answered(c, s->idx, s->attempt);
	struct rtt_est *e = &c->rtt[s->idx / c->job->nports];
	if (err == 0) {
		rtt_update(e, rtt);
		finish(c, s->idx, PORT_OPEN, REASON_CONNECTED, rtt, s->attempt + 1);
	} else if (err == ECONNREFUSED) {
		rtt_update(e, rtt);
		finish(c, s->idx, PORT_CLOSED, REASON_RST, rtt, s->attempt + 1);
	} else if (err == EHOSTUNREACH || err == ENETUNREACH || err == EACCES || err == EPERM) {
		finish(c, s->idx, PORT_FILTERED, REASON_UNREACH, rtt, s->attempt + 1);
	} else if (may_retry(c, s->idx, s->attempt)) {
		if (rq_push(c, s->idx, s->attempt + 1) != VG_OK)
			c->stop = true;
	} else {
		c->st->errors++;
		c->done++;
	}
}

static void
expire(struct cscan *c, int64_t now)
{
	int64_t now_ms = now / 1000;
	for (; c->wheel_ms <= now_ms; c->wheel_ms++) {
		int b = (int)(c->wheel_ms % WHEEL);
		for (int i = c->wheel[b], next; i >= 0; i = next) {
			struct slot *s = &c->slots[i];
			next = s->next;
			if (s->deadline > now)
				continue;	/* a later lap of the wheel */
			wheel_unlink(c, i);
			close(s->fd);
			c->free_list[c->nfree++] = i;
			c->inflight--;
			if (may_retry(c, s->idx, s->attempt)) {
				if (rq_push(c, s->idx, s->attempt + 1) != VG_OK)
					c->stop = true;
			} else {
				finish(c, s->idx, PORT_FILTERED, REASON_TIMEOUT, 0, s->attempt + 1);
			}
		}
		if (c->wheel_ms == now_ms)
			break;
	}
}

int
connect_scan(const struct portscan_job *job, const struct portscan_opts *opts,
    struct portscan_stats *st)
{
	struct portscan_opts o = *opts;
	struct cscan c = { .job = job, .o = &o, .st = st, .ep = -1 };
	struct epoll_event ev[EVENTS];
	struct perm pm;
	uint64_t next = 0, n;
	int64_t t0, last_progress, tokens_at;
	double tokens = 0;
	int rc = VG_OK;

	memset(st, 0, sizeof(*st));
	portscan_defaults(&o);
	n = (uint64_t)job->nhosts * job->nports;
	for (size_t h = 0; h < job->nhosts; h++)
		if (!job->up || job->up[h])
			c.total += job->nports;
	int budget = portscan_fd_budget();
	c.nslots = o.max_inflight < budget ? o.max_inflight : budget;
	c.limit = c.nslots;
	c.slots = calloc((size_t)c.nslots, sizeof(*c.slots));
	c.free_list = malloc((size_t)c.nslots * sizeof(int));
	c.rtt = calloc(job->nhosts ? job->nhosts : 1, sizeof(*c.rtt));
	c.max_ok = calloc(job->nhosts ? job->nhosts : 1, 1);
	if (!c.slots || !c.free_list || !c.rtt || !c.max_ok) {
		rc = VG_ERR_NOMEM;
		goto out;
	}
	for (int i = 0; i < c.nslots; i++)
		c.free_list[c.nfree++] = c.nslots - 1 - i;
	for (int i = 0; i < WHEEL; i++)
		c.wheel[i] = -1;
	for (size_t h = 0; job->rtt_us && h < job->nhosts; h++)
		if (job->rtt_us[h] > 0)
			rtt_update(&c.rtt[h], job->rtt_us[h]);
	if ((c.ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		rc = VG_ERR_IO;
		goto out;
	}
	perm_init(&pm, n ? n : 1, o.seed);
	t0 = last_progress = tokens_at = portscan_now_us();
	c.wheel_ms = t0 / 1000;

	while (!c.stop && (c.done < c.total || c.inflight > 0)) {
		int64_t now = portscan_now_us();
		if (o.rate_pps) {
			tokens += (double)(now - tokens_at) * (double)o.rate_pps / 1e6;
			if (tokens > (double)o.rate_pps / 10 + 1)
				tokens = (double)o.rate_pps / 10 + 1;	/* bursts of 100 ms at most */
			tokens_at = now;
		}
		/* launches go in batches: a completion waiting behind thousands of connect()
		 * calls would be timed late and inflate the host's RTT estimate */
		for (int batch = 0; batch < 256 && c.inflight < c.limit &&
		    (!o.rate_pps || tokens >= 1); batch++) {
			uint64_t idx;
			int attempt = 0;
			if (c.rq_head < c.rq_tail) {
				idx = c.rq[c.rq_head].idx;
				attempt = c.rq[c.rq_head++].attempt;
			} else if (next < n) {
				idx = perm_at(&pm, next++);
				if (job->up && !job->up[idx / job->nports])
					continue;
			} else {
				break;
			}
			if (settled(&c, idx)) {
				c.done++;
				continue;
			}
			int r = launch(&c, idx, attempt, portscan_now_us());
			if (r < 0 && r != VG_ERR_IO) {
				rc = r;
				goto out;
			}
			if (r == VG_ERR_IO)
				c.done++;
			if (r == 0)
				break;
			tokens -= 1;
		}
		bool more = c.rq_head < c.rq_tail || next < n;
		int wait_ms = c.inflight ? 10 : 200;
		if (more && c.inflight < c.limit)
			wait_ms = o.rate_pps && tokens < 1 ? 1 : 0;
		if (c.inflight == 0 && !more)
			wait_ms = 0;
		int k = epoll_wait(c.ep, ev, EVENTS, wait_ms);
		now = portscan_now_us();
		for (int i = 0; i < k; i++)
			complete(&c, (int)ev[i].data.u64, now);
		expire(&c, now);
		if (c.sweep)
			sweep(&c);
		/* a freed descriptor lifts a lowered limit again, slowly */
		if (c.limit < c.nslots && k > 0)
			c.limit++;
		if (o.cancelled && o.cancelled(o.arg)) {
			st->interrupted = true;
			break;
		}
		if (o.progress && now - last_progress >= 200000) {
			st->elapsed_us = now - t0;
			o.progress(o.arg, st, c.total, c.done);
			last_progress = now;
		}
	}
	st->elapsed_us = portscan_now_us() - t0;
	if (o.progress)
		o.progress(o.arg, st, c.total, c.done);
out:
	/* only slots in flight hold a descriptor, and the wheel knows each of them */
	if (c.slots && c.inflight > 0) {
		for (int b = 0; b < WHEEL; b++)
			for (int i = c.wheel[b]; i >= 0; i = c.slots[i].next)
				close(c.slots[i].fd);
	}
	if (c.ep >= 0)
		close(c.ep);
	free(c.slots);
	free(c.free_list);
	free(c.rtt);
	free(c.max_ok);
	free(c.rq);
	return rc;
}
