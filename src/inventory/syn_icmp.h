/* ICMP echo for host liveness when raw sockets are allowed (the TCP ping's
 * companion: a host whose firewall drops every TCP ping port may still answer
 * echo). Echo requests carry a keyed identifier, so replies to other programs'
 * pings are not taken for ours. */
#ifndef VG_INV_SYN_ICMP_H
#define VG_INV_SYN_ICMP_H

#include "inventory/target.h"

#include <stdbool.h>
#include <stdint.h>

struct syn_icmp;

/* Opens the raw ICMP sockets (v4 and v6) and sends one echo request to each host.
 * NULL when raw sockets are not allowed (nothing sent). */
struct syn_icmp *syn_icmp_send(const struct inv_host *hosts, size_t n);
/* Reads the replies that have arrived (no waiting): up[i] = true and rtt_us[i] (if
 * 0) set for each host that answered. Returns how many hosts answered. */
size_t syn_icmp_collect(struct syn_icmp *p, bool *up, int64_t *rtt_us);
void syn_icmp_free(struct syn_icmp *p);

#endif
