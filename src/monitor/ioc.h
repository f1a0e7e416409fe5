/* Indicator-of-compromise lists: IPs, CIDRs (v4 and v6) and domains loaded from
 * text files, matched against events. IPs live in one binary prefix trie (IPv4 as
 * ::ffff:a.b.c.d), domains in a hash set probed label by label for suffixes. */
#ifndef VG_IOC_H
#define VG_IOC_H

#include "core/event.h"
#include "monitor/rules.h"

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>

/* Hard limits; entries beyond them are dropped and counted. */
#define IOC_MAX_NODES (4u << 20)	/* trie nodes (~16 bytes each) */
#define IOC_MAX_DOMAINS (1u << 20)
#define IOC_LINE_MAX 1024

struct ioc_set;

struct ioc_stats {
	size_t prefixes;	/* IP/CIDR entries */
	size_t domains;
	size_t bad_lines;	/* reported and skipped */
	size_t dropped;		/* over a hard limit */
};

/* Empty set; caller frees with ioc_set_free (accepts NULL). 0 or VG_ERR_NOMEM. */
int ioc_set_new(struct ioc_set **out);
void ioc_set_free(struct ioc_set *set);

/* Adds one entry:
 *   203.0.113.7, 2001:db8::1        one address
 *   198.51.100.0/24, 2001:db8::/32  a network (host bits are ignored)
 *   evil.example                    that domain and every subdomain
 *   =www.evil.example               that exact name only
 * 0, VG_ERR_PARSE (*why says what is wrong), VG_ERR_LIMIT, VG_ERR_NOMEM. */
int ioc_add(struct ioc_set *set, const char *entry, const char **why);

/* Loads a file: one entry per line, '#' starts a comment, blank lines ignored.
 * Bad lines are skipped and described in *errors as "file:line: message" lines
 * (caller frees; NULL when none). 0, or VG_ERR_IO if the file cannot be read. */
int ioc_load_file(struct ioc_set *set, const char *path, char **errors);

/* Loads each of files in turn, printing "FILE: N addresses/networks, N domains,
 * N bad lines" per file to out and bad lines to err. *bad is set if any file
 * was unreadable or had bad or dropped lines. 0, or VG_ERR_NOMEM. */
int ioc_load_files(struct ioc_set *set, const char *const *files, size_t n, FILE *out,
    FILE *err, bool *bad);

/* True if the textual address ip is inside a listed prefix; *prefix_len (may be
 * NULL) gets the longest matching prefix in IPv6 terms (IPv4 /24 = 120). */
bool ioc_match_ip(const struct ioc_set *set, const char *ip, unsigned *prefix_len);

/* True if name (len bytes, case-insensitive, trailing dot allowed) is listed or is
 * a subdomain of a listed domain; *matched_len (may be NULL) gets the length of
 * the listed suffix that matched. */
bool ioc_match_domain(const struct ioc_set *set, const char *name, size_t len,
    size_t *matched_len);

void ioc_get_stats(const struct ioc_set *set, struct ioc_stats *out);

/* Checks an event: source and destination IP, and every host named after "://"
 * in the URL, referer and message. Calls fn with rule "ioc.ip" or "ioc.domain"
 * (category "ioc"), text = the address or host, once per distinct kind. Returns
 * 0 or fn's non-zero value. No allocation. */
int ioc_match_event(const struct ioc_set *set, const struct vg_event *ev, rule_hit_fn fn,
    void *arg);

#endif
