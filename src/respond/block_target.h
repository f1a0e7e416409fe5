/* Block targets: an address or a CIDR network in canonical form, parsed, printed,
 * compared and tested for containment (block_target.c). Its own header so the
 * blocker's parts (table, ledger) need not include the whole blocker. */
#ifndef VG_BLOCK_TARGET_H
#define VG_BLOCK_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An address (prefix 32/128) or a network; host bits are always zero. */
struct block_target {
	uint8_t family;		/* 4 or 6 */
	uint8_t prefix;
	uint8_t addr[16];	/* network byte order; IPv4 uses the first 4 bytes */
};

#define BLOCK_TARGET_MAX 50	/* "ffff:...:ffff/128" and NUL */

/* Parses "1.2.3.4", "10.0.0.0/8", "2001:db8::/32" (host bits are cleared, so
 * "10.1.2.3/8" becomes 10.0.0.0/8). 0 or VG_ERR_PARSE. */
int block_target_parse(const char *s, struct block_target *out);
/* "1.2.3.4" for a single address, "10.0.0.0/8" for a network. */
void block_target_format(const struct block_target *t, char *buf, size_t size);
/* True when net covers t (same family, net->prefix <= t->prefix, same leading bits). */
bool block_target_contains(const struct block_target *net, const struct block_target *t);
bool block_target_is_host(const struct block_target *t);
/* Orders by family, address, then prefix (shorter first), so a network sorts
 * before every network it contains. */
int block_target_cmp(const void *a, const void *b);

#endif
