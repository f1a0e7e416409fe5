/* The SYN engine's packets: building a SYN (IPv4: TCP header with its checksum over
 * the pseudo-header; IPv6: the kernel sums it), parsing answers, the SYN cookie,
 * and the map from an answering address back to its host (with the source address
 * the route gives each host, which the IPv4 checksum needs). */
#ifndef VG_INV_SYN_PKT_H
#define VG_INV_SYN_PKT_H

#include "inventory/target.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sockaddr_storage;

struct syn_cookie {
	unsigned char key[16];
};

/* SipHash-2-4 of (address, target port, our port) under the key, cut to 32 bits. */
uint32_t syn_cookie(const struct syn_cookie *c, const struct inv_addr *a, uint16_t tport,
    uint16_t sport);

struct syn_hostmap {
	size_t *slots;		/* open addressing: host index + 1, 0 = empty */
	size_t cap;
	const struct inv_host *hosts;
	struct inv_addr *src;	/* per host: our address toward it */
};

/* Builds the map and looks up each host's source address (a connected UDP socket's
 * local address: the kernel's route choice). 0, VG_ERR_NOMEM, VG_ERR_IO (no route). */
int syn_hostmap_build(struct syn_hostmap *m, const struct inv_host *hosts, size_t n);
int syn_hostmap_find(const struct syn_hostmap *m, const struct inv_addr *a, size_t *host);
void syn_hostmap_free(struct syn_hostmap *m);

/* A SYN with an MSS option from sport to host's port, sequence number seq, into
 * buf (>= 24 bytes): the TCP header only, the kernel adds the IP header. Returns
 * its length. */
size_t syn_pkt_build(unsigned char *buf, size_t size, const struct syn_hostmap *m, size_t host,
    uint16_t sport, uint16_t dport, uint32_t seq);

struct syn_reply {
	struct inv_addr addr;	/* who answered */
	uint16_t sport, dport;	/* their port, ours */
	uint32_t ack;
	bool syn_ack, rst;
};

/* Parses what a raw socket of family returned (IPv4: with its IP header; IPv6:
 * the TCP segment, the source from `from`). 0, or VG_ERR_PARSE for anything that
 * is not a well-formed TCP segment. */
int syn_pkt_parse(int family, const unsigned char *buf, size_t len,
    const struct sockaddr_storage *from, struct syn_reply *r);

/* An ICMP or ICMPv6 destination-unreachable about one of our SYNs: the probe's
 * address and ports and its sequence number (our cookie), from what the raw ICMP
 * socket of family returned (IPv4: with the IP header; IPv6: the ICMPv6 message).
 * Only the codes nmap counts as "filtered" are taken (host, protocol or port
 * unreachable; administratively prohibited). 0, or VG_ERR_PARSE otherwise. */
struct syn_unreach {
	struct inv_addr addr;	/* the probed address */
	uint16_t tport, sport;	/* the probed port, ours */
	uint32_t seq;
};
int syn_unreach_parse(int family, const unsigned char *buf, size_t len, struct syn_unreach *u);

#endif
