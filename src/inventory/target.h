/* What `vigil discover` may scan: the target list (addresses, ranges, CIDRs, names
 * resolved to every A and AAAA record, files of them, minus exclusions) and the port
 * list (nmap-style specs or the shipped top-ports list). Parsed strictly: anything
 * unclear is refused with its text and where it came from, never guessed. */
#ifndef VG_INV_TARGET_H
#define VG_INV_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Hard ceiling on expanded addresses (1,048,576: a /12); larger specs are refused. */
#define TARGET_MAX_HOSTS (1u << 20)
/* More addresses than this (a /16) is a "huge" scan the caller must confirm. */
#define TARGET_CONFIRM_HOSTS 65536u
#define TARGET_NAME_MAX 254

/* One address; v4 uses a[0..3]. */
struct inv_addr {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t a[16];
};

struct inv_host {
	struct inv_addr addr;
	const char *name;	/* the name it was given as (owned by the target set), or NULL */
};

struct target_set;

/* resolve = false refuses names instead of looking them up (fuzzing, tests).
 * *out is freed with target_set_free. 0 or VG_ERR_NOMEM. */
int target_set_new(bool resolve, struct target_set **out);
void target_set_free(struct target_set *t);

/* Adds one spec: IPv4/IPv6 address, CIDR (10.0.0.0/24, fd00::/120), a range
 * (10.0.0.1-10.0.0.9, 10.0.0.1-9, fd00::1-fd00::20) or a host name; several may
 * be separated by commas or blanks. where names the origin for messages ("argument
 * 2", "hosts.txt:7"). On error err holds "where: 'spec': reason" and the return is
 * VG_ERR_PARSE (malformed), VG_ERR_NOTFOUND (a name that does not resolve),
 * VG_ERR_LIMIT (more than TARGET_MAX_HOSTS) or VG_ERR_NOMEM. */
int target_add(struct target_set *t, const char *spec, const char *where, char *err,
    size_t errsz);
/* Same, but the addresses are excluded from the final list. */
int target_exclude(struct target_set *t, const char *spec, const char *where, char *err,
    size_t errsz);
/* Adds every spec of a file (one or more a line, '#' comments); exclude = true
 * adds them as exclusions. "-" is standard input. VG_ERR_IO when unreadable. */
int target_add_file(struct target_set *t, const char *path, bool exclude, char *err,
    size_t errsz);

/* Applies the exclusions and drops duplicates (first occurrence kept); call once
 * after the last add. The list is then valid until target_set_free. */
int target_finish(struct target_set *t);
const struct inv_host *target_hosts(const struct target_set *t, size_t *n);
/* Addresses before exclusions/duplicates: what a --yes check counts as it goes. */
size_t target_expanded(const struct target_set *t);

/* Address as text (no brackets); buf >= 46 bytes. Returns buf. */
const char *target_addr_str(const struct inv_addr *a, char *buf, size_t size);
/* sockaddr for connect/sendto; returns its length. */
struct sockaddr_storage;
unsigned target_sockaddr(const struct inv_addr *a, uint16_t port, struct sockaddr_storage *ss);

/* Ports: a sorted list without duplicates. */
struct port_list {
	uint16_t *ports;
	size_t n;
};

/* nmap-style spec: "22", "1-1024", "-" or "1-" / "-1024" (open ends), "22,80,8000-8100";
 * an optional "T:" prefix is accepted, "U:" refused (TCP only). VG_ERR_PARSE with err
 * naming the part and its position. Frees nothing in *out on error. */
int target_parse_ports(const char *spec, struct port_list *out, char *err, size_t errsz);
/* The first n ports of a top-ports file (one port per line, most common first,
 * '#' comments and a service name after the port allowed). Fewer in the file is
 * not an error: *got says how many were taken. */
int target_top_ports(const char *path, size_t n, struct port_list *out, size_t *got,
    char *err, size_t errsz);
/* Merges b into a (union, still sorted). */
int target_ports_merge(struct port_list *a, const struct port_list *b);
void target_ports_free(struct port_list *p);

#endif
