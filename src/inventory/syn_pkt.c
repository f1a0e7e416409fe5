/* Packets for the SYN engine: headers written and read byte by byte in network
 * order (no struct overlays on received bytes), every length checked first. */
#include "inventory/syn_pkt.h"
#include "core/err.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

uint32_t
syn_cookie(const struct syn_cookie *c, const struct inv_addr *a, uint16_t tport, uint16_t sport)
{
	unsigned char in[21], out[crypto_shorthash_BYTES];
	size_t alen = a->family == AF_INET ? 4 : 16;

	in[0] = (unsigned char)a->family;
	memcpy(in + 1, a->a, alen);
	in[1 + alen] = (unsigned char)(tport >> 8);
	in[2 + alen] = (unsigned char)tport;
	in[3 + alen] = (unsigned char)(sport >> 8);
	in[4 + alen] = (unsigned char)sport;
	crypto_shorthash(out, in, 5 + alen, c->key);
	return (uint32_t)out[0] << 24 | (uint32_t)out[1] << 16 | (uint32_t)out[2] << 8 | out[3];
}

static uint64_t
addr_hash(const struct inv_addr *a)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)a->family;
	for (int i = 0; i < (a->family == AF_INET ? 4 : 16); i++)
		h = (h ^ a->a[i]) * 1099511628211ull;
	return h;
}

static bool
addr_eq(const struct inv_addr *x, const struct inv_addr *y)
{
	return x->family == y->family && memcmp(x->a, y->a, x->family == AF_INET ? 4 : 16) == 0;
}

static int
route_source(const struct inv_addr *dst, struct inv_addr *src)
{
	struct sockaddr_storage ss;
	socklen_t len = target_sockaddr(dst, 9, &ss);
	int fd = socket(dst->family, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = VG_ERR_IO;

	memset(src, 0, sizeof(*src));
	src->family = dst->family;
	/* connecting a UDP socket sends nothing; it only asks the routing table */
	if (fd >= 0 && connect(fd, (struct sockaddr *)&ss, len) == 0 &&
	    getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
		if (dst->family == AF_INET)
			memcpy(src->a, &((struct sockaddr_in *)&ss)->sin_addr, 4);
		else
			memcpy(src->a, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
		rc = VG_OK;
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

int
syn_hostmap_build(struct syn_hostmap *m, const struct inv_host *hosts, size_t n)
{
	memset(m, 0, sizeof(*m));
	m->hosts = hosts;
	m->cap = 16;
	while (m->cap < n * 2)
		m->cap *= 2;
	m->slots = calloc(m->cap, sizeof(*m->slots));
	m->src = calloc(n ? n : 1, sizeof(*m->src));
	if (!m->slots || !m->src)
		return VG_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		/* one lookup per host: fine for the bounded target list, and a host the
		 * table cannot route to is simply never answered */
		route_source(&hosts[i].addr, &m->src[i]);
		size_t s = addr_hash(&hosts[i].addr) & (m->cap - 1);
		while (m->slots[s])
			s = (s + 1) & (m->cap - 1);
		m->slots[s] = i + 1;
	}
	return VG_OK;
}

int
syn_hostmap_find(const struct syn_hostmap *m, const struct inv_addr *a, size_t *host)
{
	if (!m->slots)
		return VG_ERR_NOTFOUND;
	for (size_t s = addr_hash(a) & (m->cap - 1); m->slots[s]; s = (s + 1) & (m->cap - 1))
		if (addr_eq(&m->hosts[m->slots[s] - 1].addr, a)) {
			*host = m->slots[s] - 1;
			return VG_OK;
		}
	return VG_ERR_NOTFOUND;
}

void
syn_hostmap_free(struct syn_hostmap *m)
{
	free(m->slots);
	free(m->src);
	memset(m, 0, sizeof(*m));
}

static uint32_t
sum16(const unsigned char *p, size_t len, uint32_t s)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	return s;
}

size_t
syn_pkt_build(unsigned char *b, size_t size, const struct syn_hostmap *m, size_t host,
    uint16_t sport, uint16_t dport, uint32_t seq)
{
	const struct inv_addr *dst = &m->hosts[host].addr, *src = &m->src[host];
	const size_t len = 24;

	if (size < len)
		return 0;
	memset(b, 0, len);
	b[0] = (unsigned char)(sport >> 8);
	b[1] = (unsigned char)sport;
	b[2] = (unsigned char)(dport >> 8);
	b[3] = (unsigned char)dport;
	b[4] = (unsigned char)(seq >> 24);
	b[5] = (unsigned char)(seq >> 16);
	b[6] = (unsigned char)(seq >> 8);
	b[7] = (unsigned char)seq;
	b[12] = 6 << 4;		/* data offset: 6 words, the MSS option included */
	b[13] = 0x02;		/* SYN */
	b[14] = 0xfa;		/* window 64240, as Linux offers */
	b[15] = 0xf0;
	b[20] = 2;		/* MSS 1460: some stacks ignore a SYN without it */
	b[21] = 4;
	b[22] = 0x05;
	b[23] = 0xb4;
	if (dst->family == AF_INET) {
		uint32_t s = sum16(src->a, 4, 0);
		s = sum16(dst->a, 4, s);
		s += IPPROTO_TCP + (uint32_t)len;
		s = sum16(b, len, s);
		while (s >> 16)
			s = (s & 0xffff) + (s >> 16);
		uint16_t ck = (uint16_t)~s;
		b[16] = (unsigned char)(ck >> 8);
		b[17] = (unsigned char)ck;
	}
	return len;
}

int
syn_pkt_parse(int family, const unsigned char *buf, size_t len,
    const struct sockaddr_storage *from, struct syn_reply *r)
{
	const unsigned char *t = buf;
	size_t tl = len;

	memset(r, 0, sizeof(*r));
	r->addr.family = family;
	if (family == AF_INET) {
		if (len < 20 || buf[0] >> 4 != 4 || buf[9] != IPPROTO_TCP)
			return VG_ERR_PARSE;
		size_t ihl = (size_t)(buf[0] & 0x0f) * 4;
		if (ihl < 20 || ihl > len)
			return VG_ERR_PARSE;
		memcpy(r->addr.a, buf + 12, 4);
		t = buf + ihl;
		tl = len - ihl;
	} else {
		if (!from || from->ss_family != AF_INET6)
			return VG_ERR_PARSE;
		memcpy(r->addr.a, &((const struct sockaddr_in6 *)from)->sin6_addr, 16);
	}
	if (tl < 20)
		return VG_ERR_PARSE;
	r->sport = (uint16_t)(t[0] << 8 | t[1]);
	r->dport = (uint16_t)(t[2] << 8 | t[3]);
	r->ack = (uint32_t)t[8] << 24 | (uint32_t)t[9] << 16 | (uint32_t)t[10] << 8 | t[11];
	uint8_t fl = t[13];
	r->syn_ack = (fl & 0x12) == 0x12 && !(fl & 0x04);
	r->rst = (fl & 0x04) && (fl & 0x10);
	return VG_OK;
}

int
syn_unreach_parse(int family, const unsigned char *buf, size_t len, struct syn_unreach *u)
{
	const unsigned char *ic = buf, *in, *t;
	size_t il = len;

	memset(u, 0, sizeof(*u));
	u->addr.family = family;
	if (family == AF_INET) {
		if (len < 20 || buf[0] >> 4 != 4 || buf[9] != IPPROTO_ICMP)
			return VG_ERR_PARSE;
		size_t ihl = (size_t)(buf[0] & 0x0f) * 4;
		if (ihl < 20 || ihl > len)
			return VG_ERR_PARSE;
		ic = buf + ihl;
		il = len - ihl;
		/* nmap's list: host, protocol, port unreachable; host/net/communication
		 * administratively prohibited */
		if (il < 8 || ic[0] != 3 || !(ic[1] == 1 || ic[1] == 2 || ic[1] == 3 ||
		    ic[1] == 9 || ic[1] == 10 || ic[1] == 13))
			return VG_ERR_PARSE;
		in = ic + 8;
		il -= 8;
		if (il < 20 || in[0] >> 4 != 4 || in[9] != IPPROTO_TCP)
			return VG_ERR_PARSE;
		size_t iihl = (size_t)(in[0] & 0x0f) * 4;
		if (iihl < 20 || iihl + 8 > il)
			return VG_ERR_PARSE;
		memcpy(u->addr.a, in + 16, 4);
		t = in + iihl;
	} else {
		/* no route, administratively prohibited, address or port unreachable,
		 * source address failed policy, reject route */
		if (il < 8 || ic[0] != 1 || ic[1] == 2 || ic[1] > 6)
			return VG_ERR_PARSE;
		in = ic + 8;
		il -= 8;
		if (il < 48 || in[0] >> 4 != 6 || in[6] != IPPROTO_TCP)
			return VG_ERR_PARSE;
		memcpy(u->addr.a, in + 24, 16);
		t = in + 40;
	}
	u->sport = (uint16_t)(t[0] << 8 | t[1]);
	u->tport = (uint16_t)(t[2] << 8 | t[3]);
	u->seq = (uint32_t)t[4] << 24 | (uint32_t)t[5] << 16 | (uint32_t)t[6] << 8 | t[7];
	return VG_OK;
}
