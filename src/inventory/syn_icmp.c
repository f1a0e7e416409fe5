/* ICMP echo liveness: one request per host, replies read without blocking after
 * the TCP ping has had its time (the two run side by side; answers queue in the
 * socket meanwhile, each with the kernel's receive time stamp, so the RTT is the
 * network's, not how long the TCP ping took). Headers are read byte by byte. */
#include "inventory/syn_icmp.h"
#include "inventory/portscan.h"
#include "inventory/syn_pkt.h"
#include "core/err.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

struct syn_icmp {
	int fd4, fd6;
	uint16_t ident;
	int64_t sent_us;	/* CLOCK_REALTIME, as the kernel's stamps */
	struct syn_hostmap hm;
	const struct inv_host *hosts;
	size_t n;
};

static uint16_t
csum(const unsigned char *p, size_t len)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

struct syn_icmp *
syn_icmp_send(const struct inv_host *hosts, size_t n)
{
	struct syn_icmp *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->fd4 = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
	p->fd6 = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if ((p->fd4 < 0 && p->fd6 < 0) || syn_hostmap_build(&p->hm, hosts, n) != VG_OK) {
		syn_icmp_free(p);
		return NULL;
	}
	p->hosts = hosts;
	p->n = n;
	p->ident = (uint16_t)portscan_random_seed();
	int on = 1;
	if (p->fd4 >= 0)
		setsockopt(p->fd4, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	if (p->fd6 >= 0)
		setsockopt(p->fd6, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	p->sent_us = portscan_wall_us();
	for (size_t i = 0; i < n; i++) {
		unsigned char pkt[16] = { 0 };
		struct sockaddr_storage ss;
		bool v4 = hosts[i].addr.family == AF_INET;
		int fd = v4 ? p->fd4 : p->fd6;
		if (fd < 0)
			continue;
		pkt[0] = v4 ? 8 : 128;	/* echo request */
		pkt[4] = (unsigned char)(p->ident >> 8);
		pkt[5] = (unsigned char)p->ident;
		pkt[6] = (unsigned char)(i >> 8);	/* sequence: the host, for the RTT */
		pkt[7] = (unsigned char)i;
		memcpy(pkt + 8, "vigil-pg", 8);
		if (v4) {
			uint16_t c = csum(pkt, sizeof(pkt));
			pkt[2] = (unsigned char)(c >> 8);
			pkt[3] = (unsigned char)c;
		}	/* ICMPv6: the kernel sums it over the pseudo-header */
		unsigned sl = target_sockaddr(&hosts[i].addr, 0, &ss);
		sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, sl);
	}
	return p;
}

size_t
syn_icmp_collect(struct syn_icmp *p, bool *up, int64_t *rtt_us)
{
	unsigned char buf[1500];
	size_t got = 0;

	for (int k = 0; p && k < 2; k++) {
		int fd = k == 0 ? p->fd4 : p->fd6;
		for (int burst = 0; fd >= 0 && burst < 65536; burst++) {
			struct sockaddr_storage from;
			union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(struct timespec))]; } ctl;
			struct iovec iov = { buf, sizeof(buf) };
			struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from),
				.msg_iov = &iov, .msg_iovlen = 1, .msg_control = &ctl,
				.msg_controllen = sizeof(ctl) };
			ssize_t len = recvmsg(fd, &mh, 0);
			if (len <= 0)
				break;
			int64_t at = 0;
			for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
				if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
					struct timespec ts;
					memcpy(&ts, CMSG_DATA(c), sizeof(ts));
					at = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
				}
			const unsigned char *m = buf;
			size_t ml = (size_t)len;
			struct inv_addr a = { .family = k == 0 ? AF_INET : AF_INET6 };
			if (k == 0) {
				size_t ihl = (size_t)(buf[0] & 0x0f) * 4;
				if (ml < 20 || ihl < 20 || ihl + 8 > ml)
					continue;
				memcpy(a.a, buf + 12, 4);
				m += ihl;
				ml -= ihl;
			} else {
				if (from.ss_family != AF_INET6 || ml < 8)
					continue;
				memcpy(a.a, &((struct sockaddr_in6 *)&from)->sin6_addr, 16);
			}
			if (m[0] != (k == 0 ? 0 : 129) || ((m[4] << 8) | m[5]) != p->ident)
				continue;	/* not an echo reply to us */
			size_t h;
			if (syn_hostmap_find(&p->hm, &a, &h) != VG_OK)
				continue;
			if (!up[h])
				got++;
			up[h] = true;
			/* no stamp, no RTT: better none than the TCP ping's whole duration */
			if (rtt_us && rtt_us[h] == 0 && at > p->sent_us)
				rtt_us[h] = at - p->sent_us;
		}
	}
	return got;
}

void
syn_icmp_free(struct syn_icmp *p)
{
	if (!p)
		return;
	if (p->fd4 >= 0)
		close(p->fd4);
	if (p->fd6 >= 0)
		close(p->fd6);
	syn_hostmap_free(&p->hm);
	free(p);
}
