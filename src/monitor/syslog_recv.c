/* Syslog receiver. All sockets sit in a private epoll set whose fd is what the
 * caller polls, so TCP connections can come and go without the caller knowing.
 * TCP framing is decided per message, as RFC 6587 allows: a frame starting with a
 * digit is "LEN SP MSG" (octet counting), anything else runs to the next LF. */
#include "monitor/syslog_recv.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/loop.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SL_DGRAM_MAX 65536
#define SL_CONN_IN_MAX 65536	/* unparsed bytes held per connection */
#define SL_UDP_BATCH 1024	/* datagrams per listener per call, so TCP is not starved */
#define SL_PEER_MAX 80
#define SL_UDP_RCVBUF (8 << 20)
#define SL_DROP_LOG_MS 10000	/* a growing drop count is logged at most this often */

enum sl_kind { SL_LISTENER, SL_CONN };

struct sl_listener {
	enum sl_kind kind;	/* first: epoll data points here */
	int fd;
	bool tcp;
	unsigned port;
	uint32_t drops_seen;	/* UDP: last SO_RXQ_OVFL value (per socket) */
	uint32_t drops_logged;	/* UDP: drops_seen when last logged */
	int64_t drops_log_ms;	/* UDP: when last logged (rate limit) */
	char addr[128];		/* as configured: the source label */
};

enum sl_state { ST_START, ST_LEN, ST_BODY, ST_LINE };

struct sl_conn {
	enum sl_kind kind;
	struct sl_conn *next;
	int fd;
	char source[128];	/* the listener's address, or the label given to adopt */
	char peer[SL_PEER_MAX];
	struct vg_buf *in;	/* received, not yet framed */
	struct vg_buf *line;	/* the message being assembled, at most max_line */
	enum sl_state state;
	char lenbuf[12];	/* octet count digits seen so far */
	size_t lenlen;
	size_t frame_left;
	bool skipping;		/* message over max_line: rest discarded */
	bool ready;		/* line complete, not yet accepted by fn */
	bool closed;		/* peer closed (or idle too long): flush and free */
	int64_t last_ms;	/* last data received */
};

struct syslog_recv {
	const struct vg_logger *lg;
	size_t max_line, max_conns;
	unsigned idle_ms;
	int epfd;
	struct sl_listener ls[SYSLOG_MAX_LISTENERS];
	size_t n_ls;
	struct sl_conn *conns;
	size_t n_conns;
	bool limit_logged;
	void *tag;		/* handed back in every source_line */
	/* a UDP datagram (rest) that fn refused */
	struct vg_buf *pend;
	const struct sl_listener *pend_l;
	char pend_peer[SL_PEER_MAX];
	char *scratch;		/* SL_DGRAM_MAX + 1 */
	struct syslog_stats stats;
};

int
syslog_recv_new(const struct vg_logger *lg, size_t max_line, size_t max_conns,
    struct syslog_recv **out)
{
	struct syslog_recv *s;

	if (!out)
		return VG_ERR_INVAL;
	*out = NULL;
	if (max_line < 256 || max_line > ((size_t)64 << 20))
		return VG_ERR_INVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return VG_ERR_NOMEM;
	s->lg = lg;
	s->max_line = max_line;
	s->max_conns = max_conns ? max_conns : SYSLOG_MAX_CONNS_DEFAULT;
	s->idle_ms = SYSLOG_IDLE_MS_DEFAULT;
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	s->pend = vg_buf_new(SL_DGRAM_MAX);
	s->scratch = malloc(SL_DGRAM_MAX + 1);
	if (s->epfd < 0 || !s->pend || !s->scratch) {
		int r = s->epfd < 0 ? VG_ERR_IO : VG_ERR_NOMEM;
		syslog_recv_free(s);
		return r;
	}
	*out = s;
	return VG_OK;
}

static void
conn_free(struct sl_conn *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	vg_buf_free(c->in);
	vg_buf_free(c->line);
	free(c);
}

void
syslog_recv_free(struct syslog_recv *s)
{
	if (!s)
		return;
	while (s->conns) {
		struct sl_conn *c = s->conns;
		s->conns = c->next;
		conn_free(c);
	}
	for (size_t i = 0; i < s->n_ls; i++) {
		const struct sl_listener *l = &s->ls[i];
		/* the last word on loss, since the rate-limited log may lag behind */
		if (!l->tcp && l->drops_seen)
			vg_warn(s->lg, "syslog: %s: the kernel dropped %u datagrams in all "
			    "(receive buffer full)", l->addr, l->drops_seen);
		close(l->fd);
	}
	if (s->epfd >= 0)
		close(s->epfd);
	vg_buf_free(s->pend);
	free(s->scratch);
	free(s);
}

void
syslog_recv_set_tag(struct syslog_recv *s, void *tag)
{
	s->tag = tag;
}

void
syslog_recv_set_idle_timeout(struct syslog_recv *s, unsigned idle_ms)
{
	s->idle_ms = idle_ms;
}

int
syslog_recv_fd(const struct syslog_recv *s)
{
	return s->epfd;
}

unsigned
syslog_recv_port(const struct syslog_recv *s, size_t i)
{
	return i < s->n_ls ? s->ls[i].port : 0;
}

void
syslog_recv_get_stats(const struct syslog_recv *s, struct syslog_stats *out)
{
	*out = s->stats;
}

int
syslog_addr_parse(const char *addr, bool *is_tcp, char *host, size_t host_size,
    unsigned *port, char *err, size_t err_size)
{
	const char *rest, *colon;
	long long p;
	size_t hl;

	if (strncmp(addr, "udp://", 6) == 0)
		*is_tcp = false;
	else if (strncmp(addr, "tcp://", 6) == 0)
		*is_tcp = true;
	else {
		snprintf(err, err_size, "'%s': expected udp://HOST:PORT or tcp://HOST:PORT", addr);
		return VG_ERR_PARSE;
	}
	rest = addr + 6;
	if (*rest == '[') {
		const char *rb = strchr(rest, ']');
		if (!rb || rb[1] != ':') {
			snprintf(err, err_size, "'%s': expected [IPV6]:PORT", addr);
			return VG_ERR_PARSE;
		}
		hl = (size_t)(rb - rest - 1);
		rest++;
		colon = rb + 1;
	} else {
		colon = strrchr(rest, ':');
		if (!colon) {
			snprintf(err, err_size, "'%s': missing :PORT", addr);
			return VG_ERR_PARSE;
		}
		hl = (size_t)(colon - rest);
	}
	if (hl == 0 || hl >= host_size) {
		snprintf(err, err_size, "'%s': missing or overlong host", addr);
		return VG_ERR_PARSE;
	}
	if (vg_parse_ll(colon + 1, 0, 65535, &p) != VG_OK) {
		snprintf(err, err_size, "'%s': port must be 0..65535", addr);
		return VG_ERR_PARSE;
	}
	memcpy(host, rest, hl);
	host[hl] = '\0';
	*port = (unsigned)p;
	return VG_OK;
}

static int
ep_add(struct syslog_recv *s, int fd, void *ptr)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = ptr };
	return epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) == 0 ? VG_OK : VG_ERR_IO;
}

int
syslog_recv_listen(struct syslog_recv *s, const char *addr, char *err, size_t err_size)
{
	char host[256], portstr[8];
	unsigned port;
	bool tcp;
	struct addrinfo hints = { 0 }, *ai = NULL;
	struct sl_listener *l;
	int fd = -1, r, one = 1, ret = VG_ERR_IO;

	if (s->n_ls >= SYSLOG_MAX_LISTENERS) {
		snprintf(err, err_size, "%s: more than %d syslog listeners", addr,
		    SYSLOG_MAX_LISTENERS);
		return VG_ERR_LIMIT;
	}
	r = syslog_addr_parse(addr, &tcp, host, sizeof(host), &port, err, err_size);
	if (r != VG_OK)
		return r;
	snprintf(portstr, sizeof(portstr), "%u", port);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = tcp ? SOCK_STREAM : SOCK_DGRAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	r = getaddrinfo(host, portstr, &hints, &ai);
	if (r != 0) {
		snprintf(err, err_size, "%s: %s", addr, gai_strerror(r));
		return VG_ERR_PARSE;
	}
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0)
		goto fail;
	if (tcp && listen(fd, 64) != 0)
		goto fail;
	if (!tcp) {
		/* room for bursts: SO_RCVBUFFORCE passes net.core.rmem_max with
		 * CAP_NET_ADMIN (root); else SO_RCVBUF, capped there. And drop counts. */
		int rcv = SL_UDP_RCVBUF, got = 0;
		socklen_t gl = sizeof(got);
		const char *how = "SO_RCVBUFFORCE";
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) != 0) {
			how = "SO_RCVBUF";
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
		}
		setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));
		/* the kernel reports twice what was asked (bookkeeping overhead) */
		if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &gl) == 0 && got / 2 < rcv)
			vg_warn(s->lg, "syslog: %s: receive buffer %d bytes, not %d (%s capped by "
			    "net.core.rmem_max; run as root or raise it): bursts drop sooner",
			    addr, got, 2 * rcv, how);
		else
			vg_info(s->lg, "syslog: %s: receive buffer %d bytes (%s)", addr, got, how);
	}
	l = &s->ls[s->n_ls];
	memset(l, 0, sizeof(*l));
	l->kind = SL_LISTENER;
	l->fd = fd;
	l->tcp = tcp;
	vg_strlcpy(l->addr, addr, sizeof(l->addr));
	{
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
			l->port = ntohs(ss.ss_family == AF_INET6
				? ((struct sockaddr_in6 *)&ss)->sin6_port
				: ((struct sockaddr_in *)&ss)->sin_port);
	}
	if (ep_add(s, fd, l) != VG_OK)
		goto fail;
	s->n_ls++;
	vg_info(s->lg, "syslog: listening on %s (port %u)", addr, l->port);
	freeaddrinfo(ai);
	return VG_OK;
fail:
	snprintf(err, err_size, "%s: %s", addr, strerror(errno));
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	return ret;
}

static void
peer_name(const struct sockaddr_storage *ss, bool tcp, char *out, size_t size)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
		inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
		port = ntohs(a->sin_port);
		snprintf(out, size, "%s://%s:%u", tcp ? "tcp" : "udp", ip, port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
		inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
		port = ntohs(a->sin6_port);
		snprintf(out, size, "%s://[%s]:%u", tcp ? "tcp" : "udp", ip, port);
	} else {
		snprintf(out, size, "%s://?", tcp ? "tcp" : "udp");
	}
}

/* Trailing CR/LF/NUL are framing, not message. */
static size_t
trim_end(const char *p, size_t n)
{
	while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == '\0'))
		n--;
	return n;
}

static int
emit(struct syslog_recv *s, const char *source, const char *peer, const char *data,
    size_t len, bool truncated, source_line_fn fn, void *arg)
{
	struct source_line line = {
		.source = source,
		.path = peer,
		.data = data,
		.len = len,
		.truncated = truncated,
		.tag = s->tag,
	};
	int r = fn(&line, arg);
	if (r == 0) {
		s->stats.lines++;
		if (truncated)
			s->stats.truncated++;
	}
	return r;
}

/* One datagram, possibly several LF-separated messages. On refusal the rest is
 * parked in s->pend. */
static int
udp_deliver(struct syslog_recv *s, const struct sl_listener *l, const char *peer,
    const char *data, size_t n, source_line_fn fn, void *arg)
{
	const char *p = data, *end = data + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = trim_end(p, (size_t)((nl ? nl : end) - p));
		if (len == 0) {
			s->stats.empty++;
		} else {
			bool cut = len > s->max_line;
			int r = emit(s, l->addr, peer, p, cut ? s->max_line : len, cut, fn, arg);
			if (r != 0) {
				vg_buf_reset(s->pend);
				vg_buf_put(s->pend, p, (size_t)(end - p));	/* fits: <= a datagram */
				s->pend_l = l;
				vg_strlcpy(s->pend_peer, peer, sizeof(s->pend_peer));
				return r;
			}
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}

static int
udp_read(struct syslog_recv *s, struct sl_listener *l, source_line_fn fn, void *arg)
{
	for (int i = 0; i < SL_UDP_BATCH; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		char peer[SL_PEER_MAX];
		struct iovec iov = { .iov_base = s->scratch, .iov_len = SL_DGRAM_MAX };
		union {
			struct cmsghdr align;
			char buf[CMSG_SPACE(sizeof(uint32_t))];
		} ctl;
		struct msghdr mh = { .msg_name = &ss, .msg_namelen = sl, .msg_iov = &iov,
			.msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
		ssize_t n = recvmsg(l->fd, &mh, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				s->stats.io_errors++;
			return 0;
		}
		if (n == 0) {
			s->stats.empty++;
			continue;
		}
		/* SO_RXQ_OVFL: the kernel's count of datagrams dropped on a full socket
		 * buffer, so UDP loss under a burst is counted, not silent */
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SO_RXQ_OVFL) {
				uint32_t drops;
				memcpy(&drops, CMSG_DATA(cm), sizeof(drops));
				if (drops > l->drops_seen) {
					s->stats.udp_kernel_drops += drops - l->drops_seen;
					l->drops_seen = drops;
					int64_t now = loop_now_ms();
					if (l->drops_logged == 0 ||
					    now - l->drops_log_ms >= SL_DROP_LOG_MS) {
						vg_warn(s->lg, "syslog: %s: the kernel dropped %u datagrams "
						    "so far (+%u; receive buffer full)", l->addr, drops,
						    drops - l->drops_logged);
						l->drops_logged = drops;
						l->drops_log_ms = now;
					}
				}
			}
		}
		peer_name(&ss, false, peer, sizeof(peer));
		int r = udp_deliver(s, l, peer, s->scratch, (size_t)n, fn, arg);
		if (r != 0)
			return r;
	}
	return 0;
}

/* Takes over a connected stream socket; on failure the caller still owns fd. */
static int
conn_add(struct syslog_recv *s, int fd, const char *source, const char *peer)
{
	struct sl_conn *c = calloc(1, sizeof(*c));
	if (!c)
		return VG_ERR_NOMEM;
	c->kind = SL_CONN;
	c->fd = -1;
	c->in = vg_buf_new(SL_CONN_IN_MAX);
	c->line = vg_buf_new(s->max_line);
	vg_strlcpy(c->source, source, sizeof(c->source));
	vg_strlcpy(c->peer, peer, sizeof(c->peer));
	if (!c->in || !c->line || ep_add(s, fd, c) != VG_OK) {
		conn_free(c);
		return VG_ERR_NOMEM;
	}
	c->fd = fd;
	c->last_ms = loop_now_ms();
	c->next = s->conns;
	s->conns = c;
	s->n_conns++;
	return VG_OK;
}

int
syslog_recv_adopt(struct syslog_recv *s, int fd, const char *source, const char *peer)
{
	if (!s || fd < 0 || !source || !peer)
		return VG_ERR_INVAL;
	if (s->n_conns >= s->max_conns) {
		s->stats.conns_dropped++;
		return VG_ERR_LIMIT;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0)
		return VG_ERR_IO;
	int r = conn_add(s, fd, source, peer);
	if (r == VG_OK)
		s->stats.conns_accepted++;
	return r;
}

static void
tcp_accept(struct syslog_recv *s, const struct sl_listener *l)
{
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		int fd = accept4(l->fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				s->stats.io_errors++;
			return;
		}
		if (s->n_conns >= s->max_conns) {
			close(fd);
			s->stats.conns_dropped++;
			if (!s->limit_logged)
				vg_warn(s->lg, "syslog: refusing connections beyond %zu", s->max_conns);
			s->limit_logged = true;
			continue;
		}
		char peer[SL_PEER_MAX];
		peer_name(&ss, true, peer, sizeof(peer));
		if (conn_add(s, fd, l->addr, peer) != VG_OK) {
			close(fd);
			s->stats.io_errors++;
			continue;
		}
		s->stats.conns_accepted++;
	}
}

/* Adds bytes to the message being assembled, discarding past max_line. */
static void
line_put(struct syslog_recv *s, struct sl_conn *c, const char *p, size_t n)
{
	size_t room = s->max_line - vg_buf_len(c->line);
	if (c->skipping)
		return;
	if (n > room) {
		vg_buf_put(c->line, p, room);
		c->skipping = true;
		return;
	}
	vg_buf_put(c->line, p, n);
}

/* An octet-counted message may hold line feeds (multi-line messages); sources
 * hand on single lines, so inside the message they become spaces (rsyslog
 * escapes them too, as #012), except a trailing one, which is framing. */
static void
line_put_body(struct syslog_recv *s, struct sl_conn *c, const char *p, size_t n, bool last)
{
	const char *end = p + n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			line_put(s, c, p, (size_t)(end - p));
			return;
		}
		line_put(s, c, p, (size_t)(nl - p));
		if (!(last && nl + 1 == end))
			line_put(s, c, " ", 1);
		p = nl + 1;
	}
}

/* Hands over the completed message; keeps it if fn refuses. */
static int
conn_emit(struct syslog_recv *s, struct sl_conn *c, source_line_fn fn, void *arg)
{
	/* a cut message has lost its real end: nothing at the cut is framing */
	size_t len = c->skipping ? vg_buf_len(c->line)
				 : trim_end(vg_buf_ptr(c->line), vg_buf_len(c->line));
	int r = 0;

	c->ready = true;
	if (len == 0)
		s->stats.empty++;
	else
		r = emit(s, c->source, c->peer, vg_buf_ptr(c->line), len, c->skipping, fn, arg);
	if (r != 0)
		return r;
	c->ready = false;
	c->skipping = false;
	vg_buf_reset(c->line);
	c->state = ST_START;
	return 0;
}

/* Frames what is in c->in. */
static int
conn_parse(struct syslog_recv *s, struct sl_conn *c, source_line_fn fn, void *arg)
{
	int r;

	if (c->ready && (r = conn_emit(s, c, fn, arg)) != 0)
		return r;
	while (vg_buf_len(c->in) > 0) {
		const char *p = vg_buf_ptr(c->in);
		size_t n = vg_buf_len(c->in), used = 0;

		switch (c->state) {
		case ST_START:
			if (p[0] == '\n' || p[0] == '\r' || p[0] == '\0') {
				used = 1;	/* stray framing between messages */
				break;
			}
			c->lenlen = 0;
			c->state = (p[0] >= '1' && p[0] <= '9') ? ST_LEN : ST_LINE;
			break;
		case ST_LEN:
			while (used < n && p[used] >= '0' && p[used] <= '9' &&
			    c->lenlen < sizeof(c->lenbuf) - 1)
				c->lenbuf[c->lenlen++] = p[used++];
			if (used == n)
				break;
			c->lenbuf[c->lenlen] = '\0';
			if (p[used] == ' ' && c->lenlen <= 9) {
				long long v = 0;
				vg_parse_ll(c->lenbuf, 1, 999999999, &v);
				c->frame_left = (size_t)v;
				c->state = ST_BODY;
				used++;
			} else {
				/* not an octet count after all: the digits start a plain line */
				s->stats.bad_frames += c->lenlen > 9;
				line_put(s, c, c->lenbuf, c->lenlen);
				c->state = ST_LINE;
			}
			break;
		case ST_BODY:
			used = n < c->frame_left ? n : c->frame_left;
			line_put_body(s, c, p, used, used == c->frame_left);
			c->frame_left -= used;
			if (c->frame_left == 0) {
				vg_buf_consume(c->in, used);
				if ((r = conn_emit(s, c, fn, arg)) != 0)
					return r;
				continue;
			}
			break;
		case ST_LINE: {
			const char *nl = memchr(p, '\n', n);
			used = nl ? (size_t)(nl - p) + 1 : n;
			line_put(s, c, p, nl ? (size_t)(nl - p) : n);
			if (nl) {
				vg_buf_consume(c->in, used);
				if ((r = conn_emit(s, c, fn, arg)) != 0)
					return r;
				continue;
			}
			break;
		}
		}
		vg_buf_consume(c->in, used);
	}
	if (c->closed && (vg_buf_len(c->line) > 0 || c->skipping)) {
		/* connection closed mid-message: what arrived is still a message */
		if ((r = conn_emit(s, c, fn, arg)) != 0)
			return r;
	}
	return 0;
}

static void
conn_read(struct syslog_recv *s, struct sl_conn *c)
{
	size_t room = SL_CONN_IN_MAX - vg_buf_len(c->in);
	if (room == 0 || c->closed)
		return;
	ssize_t n = read(c->fd, s->scratch, room < SL_DGRAM_MAX ? room : SL_DGRAM_MAX);
	if (n > 0) {
		vg_buf_put(c->in, s->scratch, (size_t)n);
		c->last_ms = loop_now_ms();
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n < 0)
		s->stats.io_errors++;
	c->closed = true;
	epoll_ctl(s->epfd, EPOLL_CTL_DEL, c->fd, NULL);
}

int
syslog_recv_process(struct syslog_recv *s, source_line_fn fn, void *arg)
{
	struct epoll_event evs[64];
	uint64_t before = s->stats.lines;
	int r = 0, n;

	if (!s || !fn)
		return VG_ERR_INVAL;
	if (vg_buf_len(s->pend) > 0) {
		size_t len = vg_buf_len(s->pend);
		char peer[SL_PEER_MAX];
		memcpy(s->scratch, vg_buf_ptr(s->pend), len);
		vg_strlcpy(peer, s->pend_peer, sizeof(peer));
		vg_buf_reset(s->pend);
		if ((r = udp_deliver(s, s->pend_l, peer, s->scratch, len, fn, arg)) != 0)
			return r;
	}
	n = epoll_wait(s->epfd, evs, 64, 0);
	for (int i = 0; i < n && r == 0; i++) {
		enum sl_kind kind = *(enum sl_kind *)evs[i].data.ptr;
		if (kind == SL_LISTENER) {
			struct sl_listener *l = evs[i].data.ptr;
			if (l->tcp)
				tcp_accept(s, l);
			else
				r = udp_read(s, l, fn, arg);
		} else {
			conn_read(s, evs[i].data.ptr);
		}
	}
	/* Parse every connection, not only the readable ones: a refused message
	 * leaves bytes behind that no new event would announce. */
	int64_t now = loop_now_ms();
	for (struct sl_conn **pp = &s->conns; *pp && r == 0;) {
		struct sl_conn *c = *pp;
		if (!c->closed && s->idle_ms && now - c->last_ms > (int64_t)s->idle_ms) {
			/* a silent peer must not hold one of the bounded slots forever */
			c->closed = true;
			epoll_ctl(s->epfd, EPOLL_CTL_DEL, c->fd, NULL);
			s->stats.conns_idle_closed++;
		}
		r = conn_parse(s, c, fn, arg);
		if (r == 0 && c->closed) {
			*pp = c->next;
			s->n_conns--;
			conn_free(c);
			continue;
		}
		pp = &c->next;
	}
	if (r != 0)
		return r;
	uint64_t d = s->stats.lines - before;
	return d > INT32_MAX ? INT32_MAX : (int)d;
}
